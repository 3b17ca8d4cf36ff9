package audit_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"parley"
	"parley/audit"
)

func FuzzOpen(f *testing.F) {
	skey, vkey := mustKey(f, "parley.example.org")
	otherSkey, _ := mustKey(f, "parley.example.org")
	for _, n := range []int{0, 1, 5} {
		tree := treeOf(f, testLog(n, 30))
		cp := mustSign(f, skey, tree)
		f.Add(cp)
		f.Add(mustSign(f, otherSkey, tree))
		f.Add(strings.Replace(cp, "go.sum", "go.sun", 1))
		f.Add(cp + cp)
		f.Add(cp[:len(cp)-2])
	}
	f.Add("")
	f.Add("\n\n— parley.example.org AAAA\n")
	f.Add("go.sum database tree\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n")
	f.Fuzz(func(t *testing.T, checkpoint string) {
		tree, err := audit.Open(vkey, checkpoint)
		if err != nil {
			return
		}
		// Only a checkpoint this key signed opens: its text is the tree.
		if tree.N < 0 || !strings.HasPrefix(checkpoint, string(tlog.FormatTree(tree))) {
			t.Errorf("Open(%q) = %+v, want an error or the tree the checkpoint states", checkpoint, tree)
		}
	})
}

// fuzzRecords builds records from text: one a line, fields separated by
// '|' (seq|unix nanoseconds|user|actor|action|process|kind|ids|detail,
// IDs separated by ','); a seq that does not parse is the line's index,
// and a line "nil" is a nil record.
func fuzzRecords(text string) []*parley.AuditRecord {
	var recs []*parley.AuditRecord
	for i, line := range strings.Split(text, "\n") {
		if i >= 64 {
			break // small logs: the fuzzer's time goes to the shapes, not the sizes
		}
		if line == "nil" {
			recs = append(recs, nil)
			continue
		}
		f := strings.Split(line, "|")
		f = append(f, make([]string, 9)...)
		r := &parley.AuditRecord{Seq: int64(i), UserID: f[2], Actor: f[3], Action: f[4], ProcessID: f[5], Kind: f[6], Detail: f[8]}
		if seq, err := strconv.ParseInt(f[0], 10, 64); err == nil {
			r.Seq = seq
		}
		if ns, err := strconv.ParseInt(f[1], 10, 64); err == nil {
			r.Time = time.Unix(0, ns)
		}
		if f[7] != "" {
			r.IDs = strings.Split(f[7], ",")
		}
		recs = append(recs, r)
	}
	return recs
}

func FuzzVerify(f *testing.F) {
	f.Add("", int64(0), []byte(nil))
	f.Add("0|1760000000000000000|u-1|amira|read|pr-1|version|ve-1,ve-2|", int64(1), []byte(nil))
	f.Add("0\n1\n2\n3\n4", int64(3), []byte{1, 2, 3})
	f.Add("0\n2\n1", int64(2), []byte(nil))
	f.Add("0\nnil\n2", int64(0), []byte(nil))
	f.Add("0\n1\n1\n2", int64(-1), []byte(nil))
	f.Add("0||a|b\n1||ab|\n|||||||x,y,|z", int64(9), bytes.Repeat([]byte{0xff}, 32))
	f.Fuzz(func(t *testing.T, text string, earlierN int64, earlierHash []byte) {
		recs := fuzzRecords(text)
		var earlier tlog.Tree
		earlier.N = earlierN
		copy(earlier.Hash[:], earlierHash)
		if got, err := audit.Verify(recs, &earlier); err == nil && (got.Verified != earlierN || earlierN > int64(len(recs))) {
			t.Fatalf("Verify(%d records, checkpoint of %d) = %+v, nil; want verified %d or an error", len(recs), earlierN, got, earlierN)
		}
		rep, err := audit.Verify(recs, nil)
		contiguous := !slices.ContainsFunc(recs, func(r *parley.AuditRecord) bool { return r == nil })
		for i, r := range recs {
			contiguous = contiguous && r.Seq == int64(i)
		}
		if (err == nil) != contiguous {
			t.Fatalf("Verify(%d records, seqs contiguous %v) error = %v", len(recs), contiguous, err)
		}
		if err != nil {
			return
		}
		if rep.Size != int64(len(recs)) || rep.Verified != 0 {
			t.Fatalf("got size %d verified %d, want %d and 0", rep.Size, rep.Verified, len(recs))
		}
		// A log always extends each of its own prefixes.
		for m := range len(recs) + 1 {
			prefix := treeOf(t, recs[:m])
			got, err := audit.Verify(recs, &prefix)
			if err != nil || got.Verified != int64(m) || got.Root != rep.Root {
				t.Fatalf("Verify(%d records, own prefix of %d) = %+v, %v; want verified %d, root %s", len(recs), m, got, err, m, rep.Root)
			}
		}
	})
}

// FuzzLeaf checks that two records with different fields never share a
// leaf, and equal ones always do.
func FuzzLeaf(f *testing.F) {
	f.Add("0|0|a|b|c|d|e|f,g|h", "0|0|a|b|c|d|e|f,g|h")
	f.Add("0|0|ab|c", "0|0|a|bc")
	f.Add("0|0|||||||x", "0|0||||||x|")
	f.Add("1|0", "0|1")
	f.Add("0|0|||||||", "0|0||||||,|")
	f.Fuzz(func(t *testing.T, a, b string) {
		ra, rb := fuzzRecords(a), fuzzRecords(b)
		if len(ra) != 1 || len(rb) != 1 || ra[0] == nil || rb[0] == nil {
			return
		}
		x, y := ra[0], rb[0]
		same := x.Seq == y.Seq && x.Time.Equal(y.Time) && x.UserID == y.UserID && x.Actor == y.Actor &&
			x.Action == y.Action && x.ProcessID == y.ProcessID && x.Kind == y.Kind && slices.Equal(x.IDs, y.IDs) && x.Detail == y.Detail
		if got := bytes.Equal(audit.Leaf(x), audit.Leaf(y)); got != same {
			t.Errorf("records %+v and %+v: leaves equal %v, want %v", x, y, got, same)
		}
	})
}
