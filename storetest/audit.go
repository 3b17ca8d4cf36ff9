package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"parley"
)

func init() {
	suites["audit"] = inParts(part{"writes", testAuditWrites}, part{"reads", testAuditReads},
		part{"checkpoint", testAuditCheckpoint}, part{"tamper", testAuditTamper})
}

// auditTotal returns how many records a process's audit log holds.
func auditTotal(t *testing.T, s *Store, processID string) int {
	t.Helper()
	_, total, err := s.Audit.FindAuditRecords(asSystem(), parley.AuditFilter{ProcessID: processID, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// auditSince returns the records appended to a process's log since it
// held before records, oldest first.
func auditSince(t *testing.T, s *Store, processID string, before int) []*parley.AuditRecord {
	t.Helper()
	rs, total, err := s.Audit.FindAuditRecords(asSystem(), parley.AuditFilter{ProcessID: processID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	n := total - before
	if n < 0 || n > len(rs) {
		t.Fatalf("got %d audit records, had %d before", total, before)
	}
	out := slices.Clone(rs[:n])
	slices.Reverse(out)
	return out
}

// auditFixture is a process with public and non-public records, and
// users in each role.
type auditFixture struct {
	proc, closed          *parley.Process
	us, ua                *parley.Party
	pubSource, uaSource   *parley.Source
	pubContact, uaContact *parley.Contact
	plan                  *parley.Plan
	v1, v2                *parley.Version
	users                 map[string]*parley.User
	actors                map[string]context.Context
}

func newAuditFixture(t *testing.T, s *Store) *auditFixture {
	t.Helper()
	ctx := asSystem()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("fixture: %v", err)
		}
	}
	f := &auditFixture{users: map[string]*parley.User{}, actors: map[string]context.Context{}}
	f.proc = mustProcess(t, s, "Audited")
	f.closed = &parley.Process{Name: "Closed", Classification: parley.Classification{Level: parley.ProcessWide}}
	check(s.Processes.CreateProcess(ctx, f.closed))
	pid := f.proc.ID
	f.us = must(t, s.Parties.CreateParty, &parley.Party{ProcessID: pid, Name: "US", Kind: parley.Mediator, Classification: public})
	f.ua = must(t, s.Parties.CreateParty, &parley.Party{ProcessID: pid, Name: "Ukraine", Kind: parley.State, Classification: public})
	conf := parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.ua.ID}}
	f.pubSource = must(t, s.Sources.CreateSource, &parley.Source{ProcessID: pid, Title: "Public", Reliability: "A", Credibility: 1, Classification: public})
	f.uaSource = must(t, s.Sources.CreateSource, &parley.Source{ProcessID: pid, Title: "Memo", Reliability: "A", Credibility: 1, Classification: conf})
	f.pubContact = must(t, s.Contacts.CreateContact, &parley.Contact{ProcessID: pid, Kind: parley.Call, Status: parley.Held, Start: day(11, 1),
		Summary: "A public call about porcelain.", Classification: &public})
	f.uaContact = must(t, s.Contacts.CreateContact, &parley.Contact{ProcessID: pid, Kind: parley.Call, Status: parley.Held, Start: day(11, 2),
		Summary: "A confidential call about mahogany.", Classification: &conf})
	f.plan = mustPlan(t, s, pid, "Plan", "")
	f.v1 = mustVersion(t, s, f.plan.ID, "Public draft", day(11, 3), "1. A ceasefire.\n2. An exchange of prisoners.\n")
	f.v2 = &parley.Version{PlanID: f.plan.ID, Label: "Ukrainian draft", Date: day(11, 4), Status: parley.Draft,
		Text: "1. A ceasefire.\n2. An exchange of all prisoners.\n", Classification: conf}
	check(s.Plans.CreateVersion(ctx, f.v2))
	roles := map[string]parley.Membership{
		"mia": {Role: parley.RoleMediator},
		"uma": {Role: parley.RoleDelegate, PartyID: f.ua.ID},
		"obi": {Role: parley.RoleObserver},
	}
	for _, n := range []string{"mia", "uma", "obi", "adam"} {
		f.users[n] = mustUser(t, s, n, n == "adam")
		if m, ok := roles[n]; ok {
			m.UserID, m.ProcessID = f.users[n].ID, pid
			check(s.Users.SetMembership(ctx, &m))
		}
	}
	check(s.Users.SetMembership(ctx, &parley.Membership{UserID: f.users["mia"].ID, ProcessID: f.closed.ID, Role: parley.RoleMediator}))
	for n := range f.users {
		_, f.actors[n] = signedIn(t, s, n)
	}
	return f
}

func testAuditWrites(t *testing.T, s *Store) {
	f := newAuditFixture(t, s)
	mia, obi, uma := f.actors["mia"], f.actors["obi"], f.actors["uma"]
	pid := f.proc.ID
	party := &parley.Party{ProcessID: pid, Name: "EU", Kind: parley.Organisation, Classification: public}
	var newVersion parley.Version
	tests := []struct {
		name   string
		ctx    context.Context
		write  func(ctx context.Context) error
		action string // "" for a refused write, which leaves no record
		kind   string
		id     func() string
		user   string
	}{
		{"create", mia, func(ctx context.Context) error { return s.Parties.CreateParty(ctx, party) }, "create", "party", func() string { return party.ID }, "mia"},
		{"update", mia, func(ctx context.Context) error {
			p := *party
			p.Name = "European Union"
			return s.Parties.UpdateParty(ctx, &p)
		}, "update", "party", func() string { return party.ID }, "mia"},
		{"share", mia, func(ctx context.Context) error {
			p := *party
			p.Classification = parley.Classification{Level: parley.ProcessWide}
			return s.Parties.UpdateParty(ctx, &p)
		}, "share", "party", func() string { return party.ID }, "mia"},
		{"version", uma, func(ctx context.Context) error {
			newVersion = parley.Version{PlanID: f.plan.ID, Label: "UA again", Date: day(11, 5), Status: parley.Draft,
				Text: "1. A ceasefire now.\n", Classification: f.v2.Classification}
			return s.Plans.CreateVersion(ctx, &newVersion)
		}, "create", "version", func() string { return newVersion.ID }, "uma"},
		{"point", mia, func(ctx context.Context) error {
			_, err := s.Plans.UpdatePoint(ctx, f.v1.ID, "1", parley.PointUpdate{Tags: &[]string{"ceasefire"}})
			return err
		}, "update", "point", func() string { return f.v1.ID + "/1" }, "mia"},
		{"grant", mia, func(ctx context.Context) error {
			return s.Users.SetMembership(ctx, &parley.Membership{UserID: f.users["adam"].ID, ProcessID: pid, Role: parley.RoleObserver})
		}, "grant", "user", func() string { return f.users["adam"].ID }, "mia"},
		{"revoke", mia, func(ctx context.Context) error {
			return s.Users.RemoveMembership(ctx, f.users["adam"].ID, pid)
		}, "revoke", "user", func() string { return f.users["adam"].ID }, "mia"},
		{"forbidden", obi, func(ctx context.Context) error {
			return s.Sources.CreateSource(ctx, &parley.Source{ProcessID: pid, Title: "X", Reliability: "A", Credibility: 1, Classification: public})
		}, "", "", nil, ""},
		{"invalid", mia, func(ctx context.Context) error {
			return s.Sources.CreateSource(ctx, &parley.Source{ProcessID: pid, Reliability: "A", Credibility: 1, Classification: public})
		}, "", "", nil, ""},
		{"hidden", obi, func(ctx context.Context) error {
			c := *f.uaContact
			return s.Contacts.UpdateContact(ctx, &c)
		}, "", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := auditTotal(t, s, pid)
			err := tt.write(tt.ctx)
			got := auditSince(t, s, pid, before)
			if tt.action == "" {
				if err == nil {
					t.Fatalf("got the write done, want it refused")
				}
				if len(got) != 0 {
					t.Errorf("a refused write (%v) left %d audit records, want none: %+v", err, len(got), got[0])
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d audit records, want 1", len(got))
			}
			r := got[0]
			if r.Action != tt.action || r.Kind != tt.kind || !slices.Equal(r.IDs, []string{tt.id()}) || r.ProcessID != pid {
				t.Errorf("got %s %s %q in %s, want %s %s %q in %s", r.Action, r.Kind, r.IDs, r.ProcessID, tt.action, tt.kind, tt.id(), pid)
			}
			if r.UserID != f.users[tt.user].ID || r.Actor != tt.user {
				t.Errorf("got the record by %q (%s), want %q (%s)", r.Actor, r.UserID, tt.user, f.users[tt.user].ID)
			}
			if r.Time.IsZero() {
				t.Errorf("got a record without a time")
			}
		})
	}

	t.Run("who reads the log", func(t *testing.T) {
		if _, _, err := s.Audit.FindAuditRecords(mia, parley.AuditFilter{ProcessID: pid}); err != nil {
			t.Errorf("a mediator: %v", err)
		}
		_, _, err := s.Audit.FindAuditRecords(uma, parley.AuditFilter{ProcessID: pid})
		wantCode(t, "a delegate", err, parley.EFORBIDDEN, "")
		_, _, err = s.Audit.FindAuditRecords(f.actors["adam"], parley.AuditFilter{ProcessID: pid})
		wantCode(t, "an administrator who is not a member", err, parley.ENOTFOUND, "")
		_, _, err = s.Audit.FindAuditRecords(context.Background(), parley.AuditFilter{ProcessID: pid})
		wantCode(t, "no actor", err, parley.EUNAUTHORIZED, "")
	})
}

func testAuditReads(t *testing.T, s *Store) {
	f := newAuditFixture(t, s)
	mia, uma, obi := f.actors["mia"], f.actors["uma"], f.actors["obi"]
	pid := f.proc.ID
	search := func(ctx context.Context, word string) func() error {
		return func() error {
			_, err := s.Search.Search(ctx, parley.SearchQuery{ProcessID: pid, Text: word})
			return err
		}
	}
	tests := []struct {
		name    string
		user    string
		process string
		read    func() error
		action  string
		// want are the IDs the read records list, or none for a read of
		// public records alone.
		want []string
	}{
		{"public source", "obi", pid, func() error { _, err := s.Sources.FindSourceByID(obi, f.pubSource.ID); return err }, "read", nil},
		{"public source by a delegate", "uma", pid, func() error { _, err := s.Sources.FindSourceByID(uma, f.pubSource.ID); return err }, "read", nil},
		{"confidential source", "uma", pid, func() error { _, err := s.Sources.FindSourceByID(uma, f.uaSource.ID); return err }, "read", []string{f.uaSource.ID}},
		{"sources", "uma", pid, func() error { _, err := s.Sources.FindSources(uma, pid); return err }, "read", []string{f.uaSource.ID}},
		{"sources by the mediator", "mia", pid, func() error { _, err := s.Sources.FindSources(mia, pid); return err }, "read", []string{f.uaSource.ID}},
		{"sources by the observer", "obi", pid, func() error { _, err := s.Sources.FindSources(obi, pid); return err }, "read", nil},
		{"confidential contact", "uma", pid, func() error { _, err := s.Contacts.FindContactByID(uma, f.uaContact.ID); return err }, "read", []string{f.uaContact.ID}},
		{"contacts", "mia", pid, func() error { _, err := s.Contacts.FindContacts(mia, pid); return err }, "read", []string{f.uaContact.ID}},
		{"public version", "uma", pid, func() error { _, err := s.Plans.FindVersionByID(uma, f.v1.ID); return err }, "read", nil},
		{"confidential version", "uma", pid, func() error { _, err := s.Plans.FindVersionByID(uma, f.v2.ID); return err }, "read", []string{f.v2.ID}},
		{"plans", "uma", pid, func() error { _, err := s.Plans.FindPlans(uma, pid); return err }, "read", []string{f.v2.ID}},
		{"plans by the observer", "obi", pid, func() error { _, err := s.Plans.FindPlans(obi, pid); return err }, "read", nil},
		{"point history", "uma", pid, func() error { _, err := s.Plans.FindPointHistory(uma, f.v1.ID, "1"); return err }, "read", []string{f.v2.ID}},
		{"point history by the observer", "obi", pid, func() error { _, err := s.Plans.FindPointHistory(obi, f.v1.ID, "1"); return err }, "read", nil},
		{"search hitting a confidential contact", "uma", pid, search(uma, "mahogany"), "read", []string{f.uaContact.ID}},
		{"search hitting a confidential point", "uma", pid, search(uma, "all prisoners"), "read", []string{f.v2.ID}},
		{"search hitting public records", "uma", pid, search(uma, "porcelain"), "read", nil},
		{"export", "uma", pid, func() error { _, err := s.Archive.ExportProcess(uma, pid); return err }, "export",
			[]string{f.uaSource.ID, f.uaContact.ID, f.v2.ID}},
		{"export by the observer", "obi", pid, func() error { _, err := s.Archive.ExportProcess(obi, pid); return err }, "export", nil},
		{"process-wide process", "mia", f.closed.ID, func() error { _, err := s.Processes.FindProcessByID(mia, f.closed.ID); return err }, "read", []string{f.closed.ID}},
		{"processes", "mia", f.closed.ID, func() error {
			_, _, err := s.Processes.FindProcesses(mia, parley.ProcessFilter{})
			return err
		}, "read", []string{f.closed.ID}},
		{"public process", "mia", pid, func() error { _, err := s.Processes.FindProcessByID(mia, pid); return err }, "read", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := auditTotal(t, s, tt.process)
			if err := tt.read(); err != nil {
				t.Fatal(err)
			}
			got := auditSince(t, s, tt.process, before)
			var ids []string
			for _, r := range got {
				// An export may be logged as such; it is a read all the same.
				if r.Action != "read" && r.Action != tt.action {
					t.Errorf("got action %q, want %q", r.Action, tt.action)
				}
				if r.UserID != f.users[tt.user].ID || r.Actor != tt.user {
					t.Errorf("got a record by %q (%s), want %q (%s)", r.Actor, r.UserID, tt.user, f.users[tt.user].ID)
				}
				ids = append(ids, r.IDs...)
			}
			slices.Sort(ids)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(slices.Compact(ids), want) {
				t.Errorf("got reads of %q logged, want %q", ids, want)
			}
		})
	}
}

// auditSize returns the size of the whole audit log, as VerifyAudit
// reports it.
func auditSize(t *testing.T, s *Store) int64 {
	t.Helper()
	rep, err := s.Audit.VerifyAudit(asSystem(), "")
	if err != nil {
		t.Fatalf("verifying the untouched log: %v", err)
	}
	return rep.Size
}

func testAuditCheckpoint(t *testing.T, s *Store) {
	f := newAuditFixture(t, s)
	mia, uma, adam := f.actors["mia"], f.actors["uma"], f.actors["adam"]
	size := auditSize(t, s)
	cp, err := s.Audit.Checkpoint(mia)
	if err != nil {
		t.Fatal(err)
	}
	if size == 0 || cp == "" {
		t.Fatalf("got a log of %d records and checkpoint %q, want both", size, cp)
	}
	rep, err := s.Audit.VerifyAudit(adam, cp)
	if err != nil {
		t.Fatalf("verifying against a fresh checkpoint: %v", err)
	}
	if rep.Size != size || rep.Verified != size {
		t.Errorf("got size %d verified %d, want %d and %d", rep.Size, rep.Verified, size, size)
	}
	// More writes and reads, then the log still extends the checkpoint.
	for i := range 5 {
		must(t, s.Sources.CreateSource, &parley.Source{ProcessID: f.proc.ID, Title: fmt.Sprint("Later ", i), Reliability: "B", Credibility: 2, Classification: public})
		if _, err := s.Sources.FindSourceByID(uma, f.uaSource.ID); err != nil {
			t.Fatal(err)
		}
	}
	rep, err = s.Audit.VerifyAudit(mia, cp)
	if err != nil {
		t.Fatalf("verifying a longer log: %v", err)
	}
	if rep.Verified != size || rep.Size < size+10 {
		t.Errorf("got size %d verified %d, want at least %d and %d", rep.Size, rep.Verified, size+10, size)
	}
	later, err := s.Audit.Checkpoint(adam)
	if err != nil {
		t.Fatal(err)
	}
	if later == cp {
		t.Errorf("got the same checkpoint after writes")
	}

	t.Run("forged checkpoint", func(t *testing.T) {
		for i := 0; i < len(cp); i += max(1, len(cp)/40) {
			forged := []byte(cp)
			forged[i] ^= 1
			if _, err := s.Audit.VerifyAudit(mia, string(forged)); err == nil {
				t.Errorf("a checkpoint with byte %d changed verified", i)
			}
		}
	})

	t.Run("who", func(t *testing.T) {
		_, err := s.Audit.Checkpoint(uma)
		wantCode(t, "a delegate's checkpoint", err, parley.EFORBIDDEN, "")
		_, err = s.Audit.VerifyAudit(f.actors["obi"], cp)
		wantCode(t, "an observer's verification", err, parley.EFORBIDDEN, "")
		_, err = s.Audit.Checkpoint(context.Background())
		wantCode(t, "no actor", err, parley.EUNAUTHORIZED, "")
	})
}

// tamper is a way to edit the audit log behind the store's back. It
// returns a description, and whether a verification without a checkpoint
// can notice it (a deletion of the newest records cannot: only a
// checkpoint proves they were there).
type tamper func(t *testing.T, s *Store, rng *rand.Rand, n int64) (what string, plainDetects bool)

// tamperExec runs a statement through the store's Tamper hook.
func tamperExec(t *testing.T, s *Store, query string, args ...any) {
	t.Helper()
	if err := s.Tamper(query, args...); err != nil {
		t.Fatalf("tampering: %s: %v", query, err)
	}
}

// auditColumns are the columns of a record in the audit_log table, but
// its seq, each with an edit that changes any value.
var auditColumns = []struct{ name, edit string }{
	{"time", "'2001-02-03T04:05:06Z'"},
	{"user_id", "user_id || 'x'"},
	{"actor", "actor || 'x'"},
	{"action", "action || 'x'"},
	{"process_id", "process_id || 'x'"},
	{"kind", "kind || 'x'"},
	{"ids", `'["forged"]'`},
	{"detail", "detail || 'x'"},
}

var tampers = []tamper{
	func(t *testing.T, s *Store, rng *rand.Rand, n int64) (string, bool) {
		c, seq := auditColumns[rng.IntN(len(auditColumns))], rng.Int64N(n)
		tamperExec(t, s, "UPDATE audit_log SET "+c.name+" = "+c.edit+" WHERE seq = $1", seq)
		return fmt.Sprintf("edit %s of record %d", c.name, seq), true
	},
	func(t *testing.T, s *Store, rng *rand.Rand, n int64) (string, bool) {
		seq := rng.Int64N(n)
		tamperExec(t, s, "DELETE FROM audit_log WHERE seq = $1", seq)
		return fmt.Sprintf("delete record %d of %d", seq, n), seq != n-1
	},
	func(t *testing.T, s *Store, rng *rand.Rand, n int64) (string, bool) {
		a, b := rng.Int64N(n), rng.Int64N(n-1)
		if b >= a {
			b++
		}
		for _, pair := range [][2]int64{{a, b}, {b, a}} {
			tamperExec(t, s, `UPDATE audit_log SET (time, user_id, actor, action, process_id, kind, ids, detail) =
				(SELECT time, user_id, actor, action, process_id, kind, ids, detail FROM audit_backup WHERE seq = $1)
				WHERE seq = $2`, pair[0], pair[1])
		}
		return fmt.Sprintf("swap records %d and %d", a, b), true
	},
	func(t *testing.T, s *Store, rng *rand.Rand, n int64) (string, bool) {
		tamperExec(t, s, `INSERT INTO audit_log (seq, time, user_id, actor, action, process_id, kind, ids, detail)
			SELECT $1, time, user_id, 'forger', action, process_id, kind, ids, detail FROM audit_log WHERE seq = $2`, n, rng.Int64N(n))
		return "append a forged record", true
	},
	func(t *testing.T, s *Store, rng *rand.Rand, n int64) (string, bool) {
		at := rng.Int64N(n)
		tamperExec(t, s, "UPDATE audit_log SET seq = seq + 1000000 WHERE seq >= $1", at)
		tamperExec(t, s, "UPDATE audit_log SET seq = seq - 999999 WHERE seq >= 1000000")
		tamperExec(t, s, `INSERT INTO audit_log (seq, time, user_id, actor, action, process_id, kind, ids, detail)
			VALUES ($1, '2025-11-20T12:00:00Z', '', 'forger', 'read', '', 'party', '["forged"]', '')`, at)
		return fmt.Sprintf("insert a forged record at %d", at), true
	},
	func(t *testing.T, s *Store, rng *rand.Rand, n int64) (string, bool) {
		seq := rng.Int64N(n)
		tamperExec(t, s, "UPDATE audit_log SET seq = -1 WHERE seq = $1", seq)
		return fmt.Sprintf("renumber record %d", seq), true
	},
}

func testAuditTamper(t *testing.T, s *Store) {
	if s.Tamper == nil {
		t.Skip("the store has no Tamper hook to edit its audit log with")
	}
	// Each reading of the clock a second after the one before, so that
	// no two records of the log are alike.
	clk := newClock(s, time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC))
	s.SetNow(func() time.Time {
		clk.Add(time.Second)
		return clk.Now()
	})
	f := newAuditFixture(t, s)
	for range 3 {
		if _, err := s.Sources.FindSourceByID(f.actors["uma"], f.uaSource.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Contacts.FindContactByID(f.actors["uma"], f.uaContact.ID); err != nil {
			t.Fatal(err)
		}
	}
	n := auditSize(t, s)
	cp, err := s.Audit.Checkpoint(asSystem())
	if err != nil {
		t.Fatal(err)
	}
	tamperExec(t, s, "CREATE TABLE audit_backup AS SELECT * FROM audit_log")
	restore := func() {
		tamperExec(t, s, "DELETE FROM audit_log")
		tamperExec(t, s, "INSERT INTO audit_log SELECT * FROM audit_backup")
	}
	t.Cleanup(func() { s.Tamper("DROP TABLE audit_backup") })
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 1))
	const trials = 50
	for i := range trials {
		k := i % len(tampers) // every kind, in turn
		what, plainDetects := tampers[k](t, s, rng, n)
		_, withCheckpoint := s.Audit.VerifyAudit(asSystem(), cp)
		_, plain := s.Audit.VerifyAudit(asSystem(), "")
		restore()
		if parley.ErrorCode(withCheckpoint) != parley.EINVALID {
			t.Errorf("trial %d (seed %d): %s: verifying against the checkpoint got %v, want an invalid log", i, seed, what, withCheckpoint)
		}
		if plainDetects && parley.ErrorCode(plain) != parley.EINVALID {
			t.Errorf("trial %d (seed %d): %s: verifying got %v, want an invalid log", i, seed, what, plain)
		}
		if rep, err := s.Audit.VerifyAudit(asSystem(), cp); err != nil || rep.Size != n {
			t.Fatalf("trial %d: the restored log: got %+v, %v, want %d records verified", i, rep, err, n)
		}
	}
}
