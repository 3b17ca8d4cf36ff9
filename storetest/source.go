package storetest

import (
	"strings"
	"testing"
	"time"

	"parley"
)

func init() {
	suites["sources"] = testSources
}

// sourceRecords reaches sources through the store's source service.
func sourceRecords(s *Store) records[parley.Source] {
	return newRecords("source", s.Sources.CreateSource, s.Sources.UpdateSource, s.Sources.FindSourceByID,
		s.Sources.FindSources, func(s *parley.Source) (*string, *string) { return &s.ID, &s.ProcessID })
}

func testSources(t *testing.T, open Opener) {
	ctx := asSystem()
	s := open(t)
	f := newFixture(t, s)

	valid := func() *parley.Source {
		return &parley.Source{ProcessID: f.proc.ID, URL: "https://www.axios.com/2025/11/19/ukraine-peace-plan",
			Title: "US secretly drafting new plan to end Ukraine war", Outlet: "Axios", Published: day(time.November, 19),
			Reliability: "B", Credibility: 2, Classification: public}
	}
	sourceRecords(s).checkRules(t, valid, f.other.ID, []refusal[parley.Source]{
		{name: "nothing to cite", edit: func(s *parley.Source) { s.URL, s.Title = "", "" }, field: "url"},
		{name: "not a web URL", edit: func(s *parley.Source) { s.URL = "javascript:alert(1)" }, field: "url"},
		{name: "title too long", edit: func(s *parley.Source) { s.Title = strings.Repeat("t", parley.MaxNameLen+1) }, field: "title"},
		{name: "reliability G", edit: func(s *parley.Source) { s.Reliability = "G" }, field: "reliability"},
		{name: "credibility 0", edit: func(s *parley.Source) { s.Credibility = 0 }, field: "credibility"},
		{name: "confidential to a party of another process", field: "classification", edit: func(s *parley.Source) {
			s.Classification = parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.hamas.ID}}
		}},
		{name: "missing process", edit: func(s *parley.Source) { s.ProcessID = "nosuchprocess" }, field: "process_id", createOnly: true},
	})

	// A document without an outlet or a date, rated later.
	draft := must(t, s.Sources.CreateSource, &parley.Source{ProcessID: f.proc.ID, Title: "Leaked 28-point draft",
		Reliability: "F", Credibility: 6, Classification: parley.Classification{Level: parley.MediatorsOnly}})
	tests := []struct {
		name      string
		published time.Time
		rating    string
		cred      int
	}{
		{"dated and rated", day(time.November, 20), "C", 3},
		{"undated again", time.Time{}, "B", 2},
	}
	for _, tt := range tests {
		t.Run("update "+tt.name, func(t *testing.T) {
			u := *draft
			u.Published, u.Reliability, u.Credibility = tt.published, tt.rating, tt.cred
			if err := s.Sources.UpdateSource(ctx, &u); err != nil {
				t.Fatal(err)
			}
			got, err := s.Sources.FindSourceByID(ctx, draft.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Published.Equal(tt.published) ||
				got.Reliability != tt.rating || got.Credibility != tt.cred || got.Title != draft.Title {
				t.Errorf("got %+v, want %+v", got, u)
			}
		})
	}

	must(t, s.Sources.CreateSource, &parley.Source{ProcessID: f.proc.ID, URL: "https://www.reuters.com/world/europe/",
		Title: "Kyiv studies US proposal", Outlet: "Reuters", Reliability: "A", Credibility: 2, Classification: public})
	must(t, s.Sources.CreateSource, &parley.Source{ProcessID: f.proc.ID, URL: "https://www.axios.com/2025/11/20/witkoff",
		Title: "Inside the Witkoff–Dmitriev channel", Outlet: "Axios", Reliability: "B", Credibility: 3, Classification: public})
	sourceRecords(s).checkOrder(t, f.proc.ID, func(s *parley.Source) string { return s.Outlet + ": " + s.Title }, []string{
		": Leaked 28-point draft",
		"Axios: Inside the Witkoff–Dmitriev channel",
		"Axios: US secretly drafting new plan to end Ukraine war",
		"Reuters: Kyiv studies US proposal",
	})
}
