package audit_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"parley"
	"parley/audit"
)

// sampleRecord returns a record with every field set.
func sampleRecord() *parley.AuditRecord {
	return &parley.AuditRecord{
		Seq:       41,
		Time:      time.Date(2025, 10, 9, 14, 3, 27, 123456789, time.UTC),
		UserID:    "u-7k2m9q",
		Actor:     "amira.haddad",
		Action:    "share",
		ProcessID: "pr-gaza-2025",
		Kind:      "version",
		IDs:       []string{"ve-3kd92mxq", "ve-8pq2ncva"},
		Detail:    "shared with pa-4kq2, pa-9xm1",
	}
}

func TestLeafChangesWithEveryField(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *parley.AuditRecord)
	}{
		{"seq +1", func(r *parley.AuditRecord) { r.Seq++ }},
		{"seq 0", func(r *parley.AuditRecord) { r.Seq = 0 }},
		{"seq negative", func(r *parley.AuditRecord) { r.Seq = -41 }},
		{"time +1ns", func(r *parley.AuditRecord) { r.Time = r.Time.Add(time.Nanosecond) }},
		{"time -1ns", func(r *parley.AuditRecord) { r.Time = r.Time.Add(-time.Nanosecond) }},
		{"time +1s", func(r *parley.AuditRecord) { r.Time = r.Time.Add(time.Second) }},
		{"time zero", func(r *parley.AuditRecord) { r.Time = time.Time{} }},
		{"user", func(r *parley.AuditRecord) { r.UserID = "u-3xw8rt" }},
		{"user empty", func(r *parley.AuditRecord) { r.UserID = "" }},
		{"actor", func(r *parley.AuditRecord) { r.Actor = "amira.hadad" }},
		{"actor case", func(r *parley.AuditRecord) { r.Actor = "Amira.haddad" }},
		{"action", func(r *parley.AuditRecord) { r.Action = "read" }},
		{"process", func(r *parley.AuditRecord) { r.ProcessID = "pr-ukraine-28" }},
		{"kind", func(r *parley.AuditRecord) { r.Kind = "point" }},
		{"kind empty", func(r *parley.AuditRecord) { r.Kind = "" }},
		{"one ID", func(r *parley.AuditRecord) { r.IDs[1] = "ve-8pq2ncvb" }},
		{"IDs swapped", func(r *parley.AuditRecord) { r.IDs[0], r.IDs[1] = r.IDs[1], r.IDs[0] }},
		{"ID dropped", func(r *parley.AuditRecord) { r.IDs = r.IDs[:1] }},
		{"ID added", func(r *parley.AuditRecord) { r.IDs = append(r.IDs, "ve-0000") }},
		{"empty ID added", func(r *parley.AuditRecord) { r.IDs = append(r.IDs, "") }},
		{"IDs none", func(r *parley.AuditRecord) { r.IDs = nil }},
		{"detail", func(r *parley.AuditRecord) { r.Detail = "shared with pa-4kq2" }},
		{"detail trailing space", func(r *parley.AuditRecord) { r.Detail += " " }},
	}
	base := sampleRecord()
	leaf, hash := audit.Leaf(base), audit.RecordHash(base)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := sampleRecord()
			tc.change(r)
			if got := audit.Leaf(r); bytes.Equal(got, leaf) {
				t.Errorf("got the same leaf %q after the change, want a different one", got)
			}
			if got := audit.RecordHash(r); got == hash {
				t.Errorf("got the same record hash %v after the change, want a different one", got)
			}
		})
	}
}

// TestLeafUnambiguous checks pairs of records that a naive concatenation
// of fields would encode alike.
func TestLeafUnambiguous(t *testing.T) {
	tests := []struct {
		name string
		a, b parley.AuditRecord
	}{
		{"boundary between fields", parley.AuditRecord{Actor: "ab", Action: "c"}, parley.AuditRecord{Actor: "a", Action: "bc"}},
		{"field moved", parley.AuditRecord{UserID: "x"}, parley.AuditRecord{Actor: "x"}},
		{"boundary between IDs", parley.AuditRecord{IDs: []string{"a", "b"}}, parley.AuditRecord{IDs: []string{"ab"}}},
		{"ID or detail", parley.AuditRecord{IDs: []string{"x"}}, parley.AuditRecord{Detail: "x"}},
		{"empty ID", parley.AuditRecord{IDs: []string{""}}, parley.AuditRecord{}},
		{"separator in a field", parley.AuditRecord{Actor: "a\x00b"}, parley.AuditRecord{Actor: "a", Action: "b"}},
		{"length byte in a field", parley.AuditRecord{Actor: "a\x01b"}, parley.AuditRecord{Actor: "a", Action: "b"}},
		{"seq against time", parley.AuditRecord{Seq: 1}, parley.AuditRecord{Time: time.Unix(0, 1)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if la, lb := audit.Leaf(&tc.a), audit.Leaf(&tc.b); bytes.Equal(la, lb) {
				t.Errorf("got the same leaf %q for both records, want different ones", la)
			}
		})
	}
}

// TestLeafSameRecord checks that what a store cannot keep apart encodes
// alike: the zone of an instant, and a nil or empty IDs list.
func TestLeafSameRecord(t *testing.T) {
	a := sampleRecord()
	b := sampleRecord()
	b.Time = a.Time.In(time.FixedZone("EEST", 3*3600))
	if la, lb := audit.Leaf(a), audit.Leaf(b); !bytes.Equal(la, lb) {
		t.Errorf("same instant in two zones: got leaves %q and %q, want equal", la, lb)
	}
	c, d := &parley.AuditRecord{IDs: nil}, &parley.AuditRecord{IDs: []string{}}
	if lc, ld := audit.Leaf(c), audit.Leaf(d); !bytes.Equal(lc, ld) {
		t.Errorf("nil and empty IDs: got leaves %q and %q, want equal", lc, ld)
	}
	if got, want := audit.RecordHash(a), tlog.RecordHash(audit.Leaf(a)); got != want {
		t.Errorf("RecordHash = %v, want tlog.RecordHash(Leaf) = %v", got, want)
	}
}

// TestKnownRoots checks roots of small logs against RFC 6962's
// definition, computed by hand from leaf hashes.
func TestKnownRoots(t *testing.T) {
	recs := testLog(3, 1)
	h := make([]tlog.Hash, len(recs))
	for i, r := range recs {
		h[i] = tlog.RecordHash(audit.Leaf(r))
	}
	want := []tlog.Hash{
		1: h[0],
		2: tlog.NodeHash(h[0], h[1]),
		3: tlog.NodeHash(tlog.NodeHash(h[0], h[1]), h[2]),
	}
	for n := 1; n <= 3; n++ {
		var hashes audit.Hashes
		for _, r := range recs[:n] {
			if err := hashes.Append(r); err != nil {
				t.Fatalf("Append(seq %d): %v", r.Seq, err)
			}
		}
		if got := hashes.Size(); got != int64(n) {
			t.Errorf("%d records: got Size %d, want %d", n, got, n)
		}
		root, err := hashes.Root()
		if err != nil || root != want[n] {
			t.Errorf("%d records: got root %v (err %v), want %v", n, root, err, want[n])
		}
		treeHash, err := tlog.TreeHash(int64(n), hashes)
		if err != nil || treeHash != want[n] {
			t.Errorf("%d records: got tlog.TreeHash %v (err %v), want %v", n, treeHash, err, want[n])
		}
		rep, err := audit.Verify(recs[:n], nil)
		if err != nil {
			t.Fatalf("%d records: Verify: %v", n, err)
		}
		if rep.Size != int64(n) || rep.Root != want[n].String() || rep.Verified != 0 {
			t.Errorf("%d records: got report %+v, want size %d root %v verified 0", n, rep, n, want[n])
		}
	}
}

func TestHashesMatchStoredHashes(t *testing.T) {
	recs := testLog(100, 2)
	var hashes audit.Hashes
	var manual audit.Hashes
	for i, r := range recs {
		if err := hashes.Append(r); err != nil {
			t.Fatalf("Append(%d): %v", i, err)
		}
		hs, err := audit.StoredHashes(int64(i), r, manual)
		if err != nil {
			t.Fatalf("StoredHashes(%d): %v", i, err)
		}
		manual = append(manual, hs...)
		if got, want := int64(len(hashes)), tlog.StoredHashCount(int64(i+1)); got != want {
			t.Fatalf("after %d records: got %d stored hashes, want %d", i+1, got, want)
		}
		if got, want := hashes.Size(), int64(i+1); got != want {
			t.Fatalf("after %d records: got Size %d, want %d", i+1, got, want)
		}
	}
	if !equalHashes(hashes, manual) {
		t.Errorf("Append and StoredHashes stored different hashes")
	}
	if err := audit.VerifyStored(recs, hashes); err != nil {
		t.Errorf("VerifyStored(genuine log) = %v, want nil", err)
	}
}

func equalHashes(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestVerifyRootMatchesTlog checks the roots Verify computes against
// tlog's own, from the stored hashes tlog.StoredHashes returns, for every
// size up to 300 and a few beyond.
func TestVerifyRootMatchesTlog(t *testing.T) {
	recs := testLog(4097, 19)
	var hashes audit.Hashes
	for n := 0; n <= len(recs); n++ {
		if n <= 300 || n == 1023 || n == 1024 || n == 1025 || n == 4096 || n == 4097 {
			want, err := tlog.TreeHash(int64(n), hashes)
			if err != nil {
				t.Fatalf("tlog.TreeHash(%d): %v", n, err)
			}
			rep, err := audit.Verify(recs[:n], nil)
			if err != nil {
				t.Fatalf("Verify(%d records): %v", n, err)
			}
			if rep.Root != want.String() || rep.Size != int64(n) {
				t.Fatalf("Verify(%d records): got size %d root %s, want %d and %v", n, rep.Size, rep.Root, n, want)
			}
		}
		if n < len(recs) {
			if err := hashes.Append(recs[n]); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestAppendRefuses(t *testing.T) {
	recs := testLog(3, 3)
	var hashes audit.Hashes
	if err := hashes.Append(recs[1]); err == nil || !strings.Contains(err.Error(), "seq 1") {
		t.Errorf("Append(seq 1) to an empty log: got %v, want an error naming seq 1", err)
	}
	if _, err := audit.StoredHashes(0, recs[2], hashes); err == nil {
		t.Errorf("StoredHashes(0, seq 2): got nil error, want one")
	}
	broken := audit.Hashes{{}, {}} // 2 hashes: no whole number of records has 2
	if err := broken.Append(recs[0]); err == nil {
		t.Errorf("Append to 2 stored hashes: got nil error, want one")
	}
	if _, err := hashes.ReadHashes([]int64{0}); err == nil {
		t.Errorf("ReadHashes(0) of no hashes: got nil error, want one")
	}
}

func TestVerifyErrors(t *testing.T) {
	recs := testLog(20, 4)
	full, err := audit.Verify(recs, nil)
	if err != nil {
		t.Fatal(err)
	}
	root := mustParseHash(t, full.Root)
	at10 := treeOf(t, recs[:10])
	withSeq := func(seqs ...int64) []*parley.AuditRecord {
		out := make([]*parley.AuditRecord, len(seqs))
		for i, s := range seqs {
			out[i] = clone(recs[i])
			out[i].Seq = s
		}
		return out
	}
	tests := []struct {
		name    string
		records []*parley.AuditRecord
		earlier *tlog.Tree
		want    string
	}{
		{"gap", withSeq(0, 1, 3, 4), nil, "record 2 is missing"},
		{"starts at 1", withSeq(1, 2), nil, "record 0 is missing"},
		{"repeat", withSeq(0, 1, 1, 2), nil, "record 2 has seq 1"},
		{"disorder", withSeq(0, 2, 1), nil, "record 1 is missing"},
		{"negative", withSeq(0, -1), nil, "record 1 has seq -1"},
		{"nil record", []*parley.AuditRecord{recs[0], nil}, nil, "record 1 is missing (nil)"},
		{"fewer than checkpoint", recs[:19], &tlog.Tree{N: 20, Hash: root}, "fewer than the 20 of the checkpoint: records were deleted"},
		{"other root", recs, &tlog.Tree{N: 20, Hash: at10.Hash}, "does not match the checkpoint of 20 records"},
		{"other size", recs, &tlog.Tree{N: 11, Hash: at10.Hash}, "does not match the checkpoint of 11 records"},
		{"negative size", recs, &tlog.Tree{N: -1}, "negative size"},
		{"empty with a root", recs, &tlog.Tree{N: 0, Hash: root}, "does not match the checkpoint of 0 records"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := audit.Verify(tc.records, tc.earlier)
			if err == nil {
				t.Fatalf("Verify = %+v, nil; want an error mentioning %q", rep, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %q, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestVerifyConsistent(t *testing.T) {
	recs := testLog(50, 5)
	empty, err := audit.Verify(nil, nil)
	if err != nil {
		t.Fatalf("Verify(no records): %v", err)
	}
	emptyTree := tlog.Tree{N: 0, Hash: mustParseHash(t, empty.Root)}
	for n := 0; n <= len(recs); n++ {
		for _, m := range []int{0, 1, n / 2, n - 1, n} {
			if m < 0 || m > n {
				continue
			}
			earlier := treeOf(t, recs[:m])
			if m == 0 {
				earlier = emptyTree
			}
			rep, err := audit.Verify(recs[:n], &earlier)
			if err != nil {
				t.Fatalf("Verify(%d records, checkpoint of %d): %v", n, m, err)
			}
			if rep.Size != int64(n) || rep.Verified != int64(m) {
				t.Errorf("Verify(%d records, checkpoint of %d): got size %d verified %d, want %d and %d", n, m, rep.Size, rep.Verified, n, m)
			}
		}
	}
}

func TestVerifyStored(t *testing.T) {
	recs := testLog(3000, 6)
	var stored audit.Hashes
	for _, r := range recs {
		if err := stored.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		index  int
		change func(r *parley.AuditRecord)
		want   string
	}{
		{"first", 0, func(r *parley.AuditRecord) { r.Detail += "." }, "record 0 (seq 0) does not match its stored hash"},
		{"in the second batch", 1500, func(r *parley.AuditRecord) { r.Time = r.Time.Add(time.Nanosecond) }, "record 1500 (seq 1500) does not match"},
		{"last", 2999, func(r *parley.AuditRecord) { r.Actor = "intruder" }, "record 2999 (seq 2999)"},
		{"seq", 7, func(r *parley.AuditRecord) { r.Seq = 8 }, "record 7 is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tampered := append([]*parley.AuditRecord(nil), recs...)
			tampered[tc.index] = clone(recs[tc.index])
			tc.change(tampered[tc.index])
			err := audit.VerifyStored(tampered, stored)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
	if err := audit.VerifyStored(append(recs, testLog(3001, 6)[3000]), stored); err == nil {
		t.Errorf("VerifyStored(one record more than stored): got nil error, want one")
	}
}

// treeOf returns the tree of records as Verify computes it.
func treeOf(tb testing.TB, records []*parley.AuditRecord) tlog.Tree {
	tb.Helper()
	rep, err := audit.Verify(records, nil)
	if err != nil {
		tb.Fatalf("Verify(%d records): %v", len(records), err)
	}
	return tlog.Tree{N: rep.Size, Hash: mustParseHash(tb, rep.Root)}
}

func mustParseHash(tb testing.TB, s string) tlog.Hash {
	tb.Helper()
	h, err := tlog.ParseHash(s)
	if err != nil {
		tb.Fatalf("ParseHash(%q): %v", s, err)
	}
	return h
}
