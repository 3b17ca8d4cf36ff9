package audit_test

import (
	"testing"

	"parley/audit"
)

func BenchmarkLeaf(b *testing.B) {
	r := sampleRecord()
	b.ReportAllocs()
	for b.Loop() {
		audit.Leaf(r)
	}
}

func BenchmarkRecordHash(b *testing.B) {
	r := sampleRecord()
	b.ReportAllocs()
	for b.Loop() {
		audit.RecordHash(r)
	}
}

// BenchmarkAppend10000 appends the stored hashes of 10,000 records, as a
// store does one write at a time.
func BenchmarkAppend10000(b *testing.B) {
	log := testLog(10_000, 20)
	b.ReportAllocs()
	for b.Loop() {
		var hashes audit.Hashes
		for i, r := range log {
			hs, err := audit.StoredHashes(int64(i), r, hashes)
			if err != nil {
				b.Fatal(err)
			}
			hashes = append(hashes, hs...)
		}
	}
}

// BenchmarkVerify10000 verifies a log of 10,000 records against a
// checkpoint of its first 9,000.
func BenchmarkVerify10000(b *testing.B) {
	log := testLog(10_000, 21)
	checkpoint := treeOf(b, log[:9000])
	b.ReportAllocs()
	for b.Loop() {
		if _, err := audit.Verify(log, &checkpoint); err != nil {
			b.Fatal(err)
		}
	}
}
