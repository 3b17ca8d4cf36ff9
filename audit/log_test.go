package audit_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"parley"
)

// People, actions and kinds of a realistic audit log.
var (
	testUsers = []struct{ id, name string }{
		{"", "system"},
		{"u-7k2m9q", "amira.haddad"},
		{"u-3xw8rt", "j.ostrowski"},
		{"u-p4n6vz", "mediator.un"},
		{"u-h2c5ld", "e.lindqvist"},
		{"u-9fq3sj", "t.okonkwo"},
		{"u-b8r1ye", "admin"},
	}
	testActions   = []string{"read", "create", "update", "delete", "share", "classify", "sign-in", "sign-out", "sign-in-failed", "export", "import", "set-membership"}
	testKinds     = []string{"party", "person", "channel", "contact", "source", "plan", "version", "point", "position", "preference", "region", "provision"}
	testProcesses = []string{"", "pr-gaza-2025", "pr-ukraine-28", "pr-sudan-jeddah", "pr-caucasus"}
	testDetails   = []string{"", "", "", "classification: public", "classification: confidential to pa-4kq2", "shared with pa-4kq2, pa-9xm1", "via API token deploy", "from 10.0.4.17", "version 7 of 12"}
)

// testID returns a short random record ID like the store's.
func testID(rng *rand.Rand) string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 10)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b[:2]) + "-" + string(b[2:])
}

// testRecord returns a random, realistic record with the given Seq, at
// or after t.
func testRecord(rng *rand.Rand, seq int64, t time.Time) *parley.AuditRecord {
	u := testUsers[rng.IntN(len(testUsers))]
	r := &parley.AuditRecord{
		Seq:    seq,
		Time:   t,
		UserID: u.id,
		Actor:  u.name,
		Action: testActions[rng.IntN(len(testActions))],
		Detail: testDetails[rng.IntN(len(testDetails))],
	}
	if r.Action != "sign-in" && r.Action != "sign-out" && r.Action != "sign-in-failed" {
		r.ProcessID = testProcesses[rng.IntN(len(testProcesses))]
		r.Kind = testKinds[rng.IntN(len(testKinds))]
		for range rng.IntN(5) {
			r.IDs = append(r.IDs, testID(rng))
		}
	}
	return r
}

// testLog returns n records numbered from 0 with strictly increasing
// times, the same for the same seed; testLog(m, s) is a prefix of
// testLog(n, s) for m < n.
func testLog(n int, seed uint64) []*parley.AuditRecord {
	rng := rand.New(rand.NewPCG(seed, 0x9a71e7))
	t := time.Date(2025, 10, 9, 8, 0, 0, 0, time.UTC)
	records := make([]*parley.AuditRecord, n)
	for i := range records {
		t = t.Add(time.Duration(1 + rng.Int64N(int64(90*time.Second))))
		records[i] = testRecord(rng, int64(i), t)
	}
	return records
}

// clone returns a deep copy of r, to be changed without changing r.
func clone(r *parley.AuditRecord) *parley.AuditRecord {
	c := *r
	c.IDs = slices.Clone(r.IDs)
	return &c
}

// other returns a value from choices that differs from s, or s with a
// suffix when none does.
func other(rng *rand.Rand, s string, choices []string) string {
	for range 10 {
		if c := choices[rng.IntN(len(choices))]; c != s {
			return c
		}
	}
	return fmt.Sprintf("%s-%d", s, rng.IntN(1000))
}
