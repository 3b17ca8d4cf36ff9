package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"parley"
)

func init() {
	suites["changes"] = inParts(part{"writes", testChangesWrites}, part{"reads", testChangesReads},
		part{"log reads", testChangesLogReads})
}

// changesNow returns the store's counts of changes.
func changesNow(t *testing.T, s *Store) parley.Changes {
	t.Helper()
	c, err := s.Changes.Changes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testChangesWrites checks that every accepted write counts in the tables
// it writes, the search index that triggers write included, as added or
// changed rows; that a refused write counts nothing; and that the
// revision every write bumps in its process is not counted as a change
// of the process.
func testChangesWrites(t *testing.T, s *Store) {
	ctx := asSystem()
	proc := mustProcess(t, s, "Counted")
	plan := mustPlan(t, s, proc.ID, "Plan", "")
	source := &parley.Source{ProcessID: proc.ID, Title: "Wire", Reliability: "B", Credibility: 2, Classification: public}
	contact := &parley.Contact{ProcessID: proc.ID, Kind: parley.Call, Status: parley.Held, Start: day(11, 1),
		Summary: "A call about the ceasefire.", Classification: &public}
	type delta map[string][2]int64 // table → added, changed
	tests := []struct {
		name  string
		write func() error
		want  delta
	}{
		{"create source", func() error { return s.Sources.CreateSource(ctx, source) },
			delta{"sources": {1, 0}, "processes": {0, 0}}},
		{"update source", func() error { source.Title = "Wire, corrected"; return s.Sources.UpdateSource(ctx, source) },
			delta{"sources": {0, 1}, "processes": {0, 0}}},
		{"refused source", func() error {
			return s.Sources.CreateSource(ctx, &parley.Source{ProcessID: proc.ID, Title: "", Reliability: "B", Credibility: 2, Classification: public})
		}, delta{"sources": {0, 0}}},
		{"create contact", func() error { return s.Contacts.CreateContact(ctx, contact) },
			delta{"contacts": {1, 0}, "search": {1, 0}}},
		{"update contact", func() error {
			contact.Summary = "A call about prisoners."
			return s.Contacts.UpdateContact(ctx, contact)
		},
			delta{"contacts": {0, 1}, "search": {1, 1}}},
		{"create version", func() error {
			_ = mustVersion(t, s, plan.ID, "v1", day(11, 2), "1. A ceasefire.\n2. An exchange.\n")
			return nil
		}, delta{"versions": {1, 0}, "points": {1, 0}, "search": {1, 0}, "sources": {0, 0}}},
		{"update process", func() error {
			p, err := s.Processes.FindProcessByID(ctx, proc.ID)
			if err != nil {
				return err
			}
			p.Summary = "Changed."
			return s.Processes.UpdateProcess(ctx, p)
		}, delta{"processes": {0, 1}, "sources": {0, 0}}},
	}
	for _, tt := range tests {
		before := changesNow(t, s)
		err := tt.write()
		if refused := tt.name[:7] == "refused"; refused != (err != nil) {
			t.Fatalf("%s: got error %v", tt.name, err)
		}
		after := changesNow(t, s)
		for table, d := range tt.want {
			got := [2]int64{after[table].Added - before[table].Added, after[table].Changed - before[table].Changed}
			// A write may add or change several rows in one statement,
			// but each transaction counts once per table and kind.
			if got != d {
				t.Errorf("%s: %s counted %d added, %d changed; want %d, %d", tt.name, table, got[0], got[1], d[0], d[1])
			}
		}
	}
}

// testChangesReads checks that a traced read records the tables it read,
// by key or whole, and that a read the store cannot trace makes the trace
// opaque.
func testChangesReads(t *testing.T, s *Store) {
	ctx := asSystem()
	proc := mustProcess(t, s, "Traced")
	plan := mustPlan(t, s, proc.ID, "Plan", "")
	version := mustVersion(t, s, plan.ID, "v1", day(11, 2), "1. A ceasefire.\n")
	source := must(t, s.Sources.CreateSource, &parley.Source{ProcessID: proc.ID, Title: "Wire", Reliability: "B", Credibility: 2, Classification: public})
	tests := []struct {
		name         string
		read         func(ctx context.Context) error
		byKey, whole []string
	}{
		{"a source", func(ctx context.Context) error { _, err := s.Sources.FindSourceByID(ctx, source.ID); return err },
			[]string{"sources", "processes"}, nil},
		{"the sources", func(ctx context.Context) error { _, err := s.Sources.FindSources(ctx, proc.ID); return err },
			[]string{"processes"}, []string{"sources"}},
		{"a version", func(ctx context.Context) error { _, err := s.Plans.FindVersionByID(ctx, version.ID); return err },
			[]string{"versions", "plans"}, []string{"points"}},
		{"a search", func(ctx context.Context) error {
			_, err := s.Search.Search(ctx, parley.SearchQuery{ProcessID: proc.ID, Text: "ceasefire"})
			return err
		}, nil, []string{"search"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := parley.NewTrace()
			if err := tt.read(parley.WithTrace(ctx, tr)); err != nil {
				t.Fatal(err)
			}
			tables, known := tr.Tables()
			if !known {
				t.Fatalf("the trace of a plain read is opaque")
			}
			for _, name := range tt.byKey {
				if whole, ok := tables[name]; !ok || whole {
					t.Errorf("got %v, want %s read by key", tables, name)
				}
			}
			for _, name := range tt.whole {
				if whole, ok := tables[name]; !ok || !whole {
					t.Errorf("got %v, want %s read whole", tables, name)
				}
			}
		})
	}
	// A read of a snapshot (an export) is not traced table by table.
	tr := parley.NewTrace()
	if _, err := s.Archive.ExportProcess(parley.WithTrace(ctx, tr), proc.ID); err != nil {
		t.Fatal(err)
	}
	if _, known := tr.Tables(); known {
		t.Errorf("an export's trace is not opaque")
	}
}

// testChangesLogReads checks that the reads of a traced request are in
// its trace, and that LogReads appends them to the audit log again, for
// the actor who asks.
func testChangesLogReads(t *testing.T, s *Store) {
	f := newAuditFixture(t, s)
	uma := f.actors["uma"]
	tr := parley.NewTrace()
	if _, err := s.Sources.FindSources(parley.WithTrace(uma, tr), f.proc.ID); err != nil {
		t.Fatal(err)
	}
	reads := tr.Reads()
	if len(reads) != 1 || reads[0].Kind != "source" || !slices.Equal(reads[0].IDs, []string{f.uaSource.ID}) {
		t.Fatalf("got reads %+v in the trace, want the confidential source's", reads)
	}
	// Served again to another reader with the same access: logged as
	// theirs.
	uri := mustUser(t, s, "uri", false)
	if err := s.Users.SetMembership(asSystem(), &parley.Membership{UserID: uri.ID, ProcessID: f.proc.ID, Role: parley.RoleDelegate, PartyID: f.ua.ID}); err != nil {
		t.Fatal(err)
	}
	_, uriCtx := signedIn(t, s, "uri")
	before := auditTotal(t, s, f.proc.ID)
	if err := s.Changes.LogReads(uriCtx, append(reads, parley.Read{ProcessID: f.proc.ID, Kind: "contact"})); err != nil {
		t.Fatal(err)
	}
	got := auditSince(t, s, f.proc.ID, before)
	if len(got) != 1 {
		t.Fatalf("got %d audit records, want 1 (a read of no record is not logged): %+v", len(got), got)
	}
	if r := got[0]; r.Action != "read" || r.Kind != "source" || r.UserID != uri.ID || !slices.Equal(r.IDs, []string{f.uaSource.ID}) {
		t.Errorf("got %+v, want uri's read of the confidential source", r)
	}
}

func init() { suites["search limits"] = inParts(part{"hidden hits", testSearchHiddenHits}) }

// testSearchHiddenHits: hits a reader may not see count neither in the
// hits nor against the limit, even when they rank first and outnumber
// the limit many times over.
func testSearchHiddenHits(t *testing.T, s *Store) {
	f := newAuditFixture(t, s)
	ctx := asSystem()
	conf := parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.ua.ID}}
	// Hidden from the observer: many, each saying the word three times,
	// so that they rank first.
	for i := range 40 {
		must(t, s.Contacts.CreateContact, &parley.Contact{ProcessID: f.proc.ID, Kind: parley.Call, Status: parley.Held,
			Start: day(10, 1+i%28), Summary: fmt.Sprintf("Walnut, walnut, walnut: call %d.", i), Classification: &conf})
	}
	var shown []string
	for i := range 7 {
		c := must(t, s.Contacts.CreateContact, &parley.Contact{ProcessID: f.proc.ID, Kind: parley.Call, Status: parley.Held,
			Start: day(9, 1+i), Summary: fmt.Sprintf("A long public call, number %d, touching on walnut once.", i), Classification: &public})
		shown = append(shown, c.ID)
	}
	for _, limit := range []int{3, 7, 20} {
		hits, err := searchHits(s.Search, f.actors["obi"], parley.SearchQuery{ProcessID: f.proc.ID, Text: "walnut", Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		want := min(limit, len(shown))
		if len(hits) != want {
			t.Errorf("limit %d: the observer got %d hits, want %d", limit, len(hits), want)
		}
		for _, h := range hits {
			if !slices.Contains(shown, h.ContactID) {
				t.Errorf("limit %d: the observer got a hit it may not see: %+v", limit, h)
			}
		}
	}
	hits, err := searchHits(s.Search, ctx, parley.SearchQuery{ProcessID: f.proc.ID, Text: "walnut", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 10 || slices.Contains(shown, hits[0].ContactID) {
		t.Errorf("the system got %d hits, the first %+v; want 10, the hidden ones first", len(hits), hits[0])
	}
}
