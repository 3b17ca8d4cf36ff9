package audit_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parley"
	"parley/audit"
)

// A tamper changes a copy of a log as someone with write access to the
// database might, to hide or forge what happened, and returns the
// changed copy; the original is left alone.
type tamper struct {
	name string
	do   func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord
}

// editField returns a tamper that changes one field of a random record.
func editField(name string, change func(rng *rand.Rand, r *parley.AuditRecord)) tamper {
	return tamper{"edit " + name, func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		out := slices.Clone(log)
		i := rng.IntN(len(out))
		out[i] = clone(out[i])
		change(rng, out[i])
		return out
	}}
}

// forged returns a plausible record that never happened, with the given
// Seq, timed between its neighbours.
func forged(rng *rand.Rand, log []*parley.AuditRecord, at int, seq int64) *parley.AuditRecord {
	t := log[min(max(at-1, 0), len(log)-1)].Time.Add(time.Millisecond)
	return testRecord(rng, seq, t)
}

// renumber returns copies of records with their Seq shifted by delta.
func renumber(records []*parley.AuditRecord, delta int64) []*parley.AuditRecord {
	out := make([]*parley.AuditRecord, len(records))
	for i, r := range records {
		out[i] = clone(r)
		out[i].Seq += delta
	}
	return out
}

var tampers = []tamper{
	editField("seq", func(rng *rand.Rand, r *parley.AuditRecord) { r.Seq += 1 + rng.Int64N(5) }),
	editField("time +1ns", func(rng *rand.Rand, r *parley.AuditRecord) { r.Time = r.Time.Add(time.Nanosecond) }),
	editField("time -1ns", func(rng *rand.Rand, r *parley.AuditRecord) { r.Time = r.Time.Add(-time.Nanosecond) }),
	editField("time zone", func(rng *rand.Rand, r *parley.AuditRecord) {
		// Same wall clock, another zone: a different instant.
		r.Time = time.Date(r.Time.Year(), r.Time.Month(), r.Time.Day(), r.Time.Hour(), r.Time.Minute(), r.Time.Second(), r.Time.Nanosecond(), time.FixedZone("EEST", 3*3600))
	}),
	editField("user", func(rng *rand.Rand, r *parley.AuditRecord) {
		r.UserID = other(rng, r.UserID, []string{"", "u-7k2m9q", "u-3xw8rt", "u-p4n6vz", "u-b8r1ye"})
	}),
	editField("actor", func(rng *rand.Rand, r *parley.AuditRecord) {
		r.Actor = other(rng, r.Actor, []string{"system", "amira.haddad", "j.ostrowski", "mediator.un", "admin"})
	}),
	editField("action", func(rng *rand.Rand, r *parley.AuditRecord) { r.Action = other(rng, r.Action, testActions) }),
	editField("process", func(rng *rand.Rand, r *parley.AuditRecord) { r.ProcessID = other(rng, r.ProcessID, testProcesses) }),
	editField("kind", func(rng *rand.Rand, r *parley.AuditRecord) { r.Kind = other(rng, r.Kind, testKinds) }),
	editField("one ID", func(rng *rand.Rand, r *parley.AuditRecord) {
		if len(r.IDs) == 0 {
			r.IDs = []string{testID(rng)}
			return
		}
		i := rng.IntN(len(r.IDs))
		b := []byte(r.IDs[i])
		b[len(b)-1] ^= 1 // one character: the smallest edit of an ID
		r.IDs[i] = string(b)
	}),
	editField("ID dropped or added", func(rng *rand.Rand, r *parley.AuditRecord) {
		if len(r.IDs) > 0 && rng.IntN(2) == 0 {
			k := rng.IntN(len(r.IDs))
			r.IDs = slices.Delete(r.IDs, k, k+1)
			return
		}
		r.IDs = slices.Insert(r.IDs, rng.IntN(len(r.IDs)+1), testID(rng))
	}),
	editField("detail", func(rng *rand.Rand, r *parley.AuditRecord) { r.Detail = other(rng, r.Detail, testDetails) }),
	{"delete, renumbering the rest", func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		i := rng.IntN(len(log))
		return append(slices.Clone(log[:i]), renumber(log[i+1:], -1)...)
	}},
	{"delete, leaving a gap", func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		i := rng.IntN(len(log))
		return slices.Delete(slices.Clone(log), i, i+1)
	}},
	{"delete, renumbering, forging a record at the end", func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		// Keeps the count, so that only the hashes can tell.
		i := rng.IntN(len(log))
		out := append(slices.Clone(log[:i]), renumber(log[i+1:], -1)...)
		return append(out, forged(rng, log, len(log), int64(len(out))))
	}},
	{"insert, renumbering the rest", func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		i := rng.IntN(len(log)) // before a checkpointed record: inserting at the end is appending
		out := append(slices.Clone(log[:i]), forged(rng, log, i, int64(i)))
		return append(out, renumber(log[i:], +1)...)
	}},
	{"insert, repeating a seq", func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		i := rng.IntN(len(log))
		return slices.Insert(slices.Clone(log), i, forged(rng, log, i, int64(i)))
	}},
	{"insert, replacing the last record", func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		// Keeps the count: the forged record pushes the last one out.
		i := rng.IntN(len(log))
		out := append(slices.Clone(log[:i]), forged(rng, log, i, int64(i)))
		return append(out, renumber(log[i:len(log)-1], +1)...)
	}},
	{"swap, with their seqs", func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		out := slices.Clone(log)
		i, j := twoIndexes(rng, len(out))
		out[i], out[j] = out[j], out[i]
		return out
	}},
	{"swap, keeping the seqs in order", func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		out := slices.Clone(log)
		i, j := twoIndexes(rng, len(out))
		out[i], out[j] = clone(out[j]), clone(out[i])
		out[i].Seq, out[j].Seq = out[j].Seq, out[i].Seq
		return out
	}},
	{"truncate", func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		return slices.Clone(log[:rng.IntN(len(log))])
	}},
	{"truncate, forging new records", func(rng *rand.Rand, log []*parley.AuditRecord) []*parley.AuditRecord {
		out := slices.Clone(log[:rng.IntN(len(log))])
		for len(out) < len(log)+rng.IntN(3) {
			out = append(out, forged(rng, log, len(out), int64(len(out))))
		}
		return out
	}},
}

// twoIndexes returns two different indexes below n.
func twoIndexes(rng *rand.Rand, n int) (int, int) {
	i := rng.IntN(n)
	j := rng.IntN(n - 1)
	if j >= i {
		j++
	}
	return i, j
}

const (
	tamperLogSize = 10_000
	tamperTrials  = 1_100
)

// TestTamperTrials tampers with a checkpointed log of 10,000 records in
// random ways and checks that Verify detects every change.
func TestTamperTrials(t *testing.T) {
	log := testLog(tamperLogSize, 10)
	skey, vkey := mustKey(t, "parley.example.org")
	checkpoint, err := audit.Open(vkey, mustSign(t, skey, treeOf(t, log)))
	if err != nil {
		t.Fatal(err)
	}
	if checkpoint.N != tamperLogSize {
		t.Fatalf("got a checkpoint of %d records, want %d", checkpoint.N, tamperLogSize)
	}
	if _, err := audit.Verify(log, &checkpoint); err != nil {
		t.Fatalf("Verify(untampered log): %v", err)
	}

	// Trials run on every core, each with its own generator seeded by its
	// number, so that the outcome does not depend on the scheduling.
	var (
		mu         sync.Mutex
		counts     = make(map[string]int)
		undetected = make(map[string]int)
		next       atomic.Int64
		wg         sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for trial := int(next.Add(1) - 1); trial < tamperTrials; trial = int(next.Add(1) - 1) {
				rng := rand.New(rand.NewPCG(11, uint64(trial)))
				tp := tampers[trial%len(tampers)] // every kind equally often
				tampered := tp.do(rng, log)
				rep, err := audit.Verify(tampered, &checkpoint)
				mu.Lock()
				counts[tp.name]++
				if err == nil {
					undetected[tp.name]++
					if undetected[tp.name] <= 3 {
						t.Errorf("trial %d, %s: Verify = %+v, nil; want an error", trial, tp.name, rep)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	var b strings.Builder
	for _, tp := range tampers {
		fmt.Fprintf(&b, "\n  %-50s %4d trials, %d undetected", tp.name, counts[tp.name], undetected[tp.name])
	}
	t.Logf("%d tamper trials on a log of %d records:%s", tamperTrials, tamperLogSize, b.String())
}

// TestTamperNamesEditedRecord checks that VerifyStored names the record a
// one-field edit changed.
func TestTamperNamesEditedRecord(t *testing.T) {
	log := testLog(2000, 13)
	var stored audit.Hashes
	for _, r := range log {
		if err := stored.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(14, 15))
	for trial := range 200 {
		i := rng.IntN(len(log))
		tampered := slices.Clone(log)
		tampered[i] = clone(log[i])
		tampered[i].Detail += "!"
		err := audit.VerifyStored(tampered, stored)
		if want := fmt.Sprintf("record %d (seq %d)", i, i); err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("trial %d: got %v, want an error naming %q", trial, err, want)
		}
	}
}

// TestAppendAfterCheckpoint checks that genuine records appended after a
// checkpoint do not raise a false alarm.
func TestAppendAfterCheckpoint(t *testing.T) {
	longer := testLog(tamperLogSize+5000, 10)
	for _, size := range []int{1, 2, 3, 7, 8, 1000, 1024, 9999, 10_000} {
		checkpoint := treeOf(t, longer[:size])
		for _, extra := range []int{0, 1, 2, 3, 100, 1023, 1024, 5000} {
			n := min(size+extra, len(longer))
			rep, err := audit.Verify(longer[:n], &checkpoint)
			if err != nil {
				t.Errorf("checkpoint of %d, log of %d: %v", size, n, err)
				continue
			}
			if rep.Size != int64(n) || rep.Verified != int64(size) {
				t.Errorf("checkpoint of %d, log of %d: got size %d verified %d, want %d and %d", size, n, rep.Size, rep.Verified, n, size)
			}
		}
	}
}

// TestTamperersAreRealistic checks that the tampers change what they say
// and keep what they should, so that a trial detects the tamper and not
// an accident of the test.
func TestTamperersAreRealistic(t *testing.T) {
	log := testLog(100, 16)
	rng := rand.New(rand.NewPCG(17, 18))
	keepCount := map[string]bool{
		"delete, renumbering, forging a record at the end": true,
		"insert, replacing the last record":                true,
		"swap, with their seqs":                            true,
		"swap, keeping the seqs in order":                  true,
	}
	keepSeqs := map[string]bool{
		"delete, renumbering the rest":                     true,
		"delete, renumbering, forging a record at the end": true,
		"insert, renumbering the rest":                     true,
		"insert, replacing the last record":                true,
		"swap, keeping the seqs in order":                  true,
		"truncate":                                         true,
		"truncate, forging new records":                    true,
	}
	for _, tp := range tampers {
		for range 20 {
			before := slices.Clone(log)
			out := tp.do(rng, log)
			if !slices.Equal(log, before) {
				t.Fatalf("%s changed the original log", tp.name)
			}
			if keepCount[tp.name] && len(out) != len(log) {
				t.Errorf("%s: got %d records, want %d", tp.name, len(out), len(log))
			}
			if keepSeqs[tp.name] {
				for i, r := range out {
					if r.Seq != int64(i) {
						t.Fatalf("%s: record %d has seq %d, want %d", tp.name, i, r.Seq, i)
					}
				}
			}
			if same := len(out) == len(log) && slices.EqualFunc(out, log, func(a, b *parley.AuditRecord) bool {
				return string(audit.Leaf(a)) == string(audit.Leaf(b))
			}); same {
				t.Errorf("%s: got a log equal to the original, want a change", tp.name)
			}
		}
	}
}
