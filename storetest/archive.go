package storetest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"parley"
)

func init() { suites["archive"] = testArchive }

// mustFill stores a small process with a record of every kind, a
// template, versions, annotations and a hand-corrected lineage.
func mustFill(t *testing.T, s *Store) string {
	t.Helper()
	ctx := asSystem()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	proc := &parley.Process{Name: "Russia–Ukraine 2025", Summary: "The 2025 track.", Topics: []string{"energy"}, Classification: public}
	check(s.Processes.CreateProcess(ctx, proc))
	us := &parley.Party{ProcessID: proc.ID, Name: "United States", Kind: parley.Mediator, Classification: public}
	ru := &parley.Party{ProcessID: proc.ID, Name: "Russia", Kind: parley.State, Classification: public}
	check(s.Parties.CreateParty(ctx, us))
	check(s.Parties.CreateParty(ctx, ru))
	envoy := &parley.Person{ProcessID: proc.ID, Name: "Steve Witkoff", PartyID: us.ID, Role: "special envoy", Classification: public}
	check(s.People.CreatePerson(ctx, envoy))
	back := &parley.Channel{ProcessID: proc.ID, Name: "US–Russia backchannel", Kind: parley.Backchannel, PartyIDs: []string{us.ID, ru.ID},
		Classification: parley.Classification{Level: parley.Shared, PartyIDs: []string{us.ID, ru.ID}}}
	check(s.Channels.CreateChannel(ctx, back))
	src := &parley.Source{ProcessID: proc.ID, URL: "https://example.org/call", Outlet: "Example News",
		Published: time.Date(2025, 11, 25, 0, 0, 0, 0, time.UTC), Reliability: "B", Credibility: 2, Classification: public}
	check(s.Sources.CreateSource(ctx, src))
	moscow, _ := time.LoadLocation("Europe/Moscow")
	call := &parley.Contact{ProcessID: proc.ID, Kind: parley.Call, Status: parley.Held, Start: time.Date(2025, 10, 14, 17, 0, 0, 0, moscow),
		Minutes: 5, PersonIDs: []string{envoy.ID}, ChannelID: back.ID, Summary: "A numbered plan like Gaza's.", SourceIDs: []string{src.ID}}
	check(s.Contacts.CreateContact(ctx, call))
	gaza := mustPlan(t, s, proc.ID, "Gaza 20-point plan", "")
	g := mustVersion(t, s, gaza.ID, "Gaza plan", day(9, 29), "1. A demilitarised zone.\n2. A Board of Peace chaired by the US president oversees it.\n")
	plan := mustPlan(t, s, proc.ID, "Peace plan for Ukraine", gaza.ID)
	v1 := mustVersion(t, s, plan.ID, "US 28-point plan", day(11, 20), example(t, "us-28-points.txt"))
	check(s.Plans.CreateVersion(ctx, &parley.Version{PlanID: plan.ID, Label: "Geneva", Date: day(11, 23), Status: parley.Draft,
		TextUnknown: true, PointCount: 19, ReportedChanges: "19 points.", SourceIDs: []string{src.ID}, Classification: public}))
	mustVersion(t, s, plan.ID, "Framework", day(12, 24), example(t, "framework-20-points.txt"))
	tags := []string{"energy", "reconstruction"}
	party, contact, sources := ru.ID, call.ID, []string{src.ID}
	_, err := s.Plans.UpdatePoint(ctx, v1.ID, "12", parley.PointUpdate{Tags: &tags, ProposedBy: &party, ContactID: &contact, SourceIDs: &sources})
	check(err)
	lineage := []parley.PointRef{{VersionID: g.ID, PointID: "2"}}
	_, err = s.Plans.UpdatePoint(ctx, v1.ID, "27", parley.PointUpdate{Lineage: &lineage})
	check(err)
	mustFillNegotiation(t, s, proc.ID, us, ru, v1)
	return proc.ID
}

// export returns a process's archive as JSON.
func export(t *testing.T, s *Store, id string) []byte {
	t.Helper()
	a, err := s.Archive.ExportProcess(asSystem(), id)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(a, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decode reads an archive from JSON, as parley import does.
func decode(t *testing.T, b []byte) *parley.Archive {
	t.Helper()
	var a parley.Archive
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	return &a
}

func testArchive(t *testing.T, open Opener) {
	ctx := asSystem()
	src := open(t)
	id := mustFill(t, src)
	first := export(t, src, id)
	a := decode(t, first)
	if len(a.Parties) != 2 || len(a.Contacts) != 1 || len(a.Plans) != 2 || len(a.Versions) != 4 {
		t.Fatalf("archive holds %d parties, %d contacts, %d plans, %d versions; want 2, 1, 2, 4",
			len(a.Parties), len(a.Contacts), len(a.Plans), len(a.Versions))
	}
	if len(a.Positions) != 2 || len(a.Issues) != 2 || len(a.Preferences) != 2 {
		t.Fatalf("archive holds %d positions, %d issues, %d sets of preferences; want 2, 2, 2",
			len(a.Positions), len(a.Issues), len(a.Preferences))
	}

	dst := open(t)
	if err := dst.Archive.ImportProcess(ctx, a); err != nil {
		t.Fatal(err)
	}
	if second := export(t, dst, id); string(second) != string(first) {
		t.Errorf("export → import → export changed the archive:\n%s", firstDifference(string(first), string(second)))
	}
	hits, err := searchHits(dst.Search, ctx, parley.SearchQuery{ProcessID: id, Text: "Board of Peace"})
	if err != nil || len(hits) == 0 {
		t.Errorf("search in the imported process: %d hits, %v; want the imported points indexed", len(hits), err)
	}
	steps, err := dst.Plans.FindPointHistory(ctx, a.Versions[1].ID, "27")
	if err != nil || len(steps) < 2 || steps[0].Version.ID != a.Versions[0].ID {
		t.Errorf("history of the imported point 27: %d steps, %v; want it to start at the Gaza plan", len(steps), err)
	}

	// Importing again clashes on IDs and stores nothing more.
	err = dst.Archive.ImportProcess(ctx, decode(t, first))
	wantCode(t, "second import", err, parley.ECONFLICT, "")

	bad := []struct {
		name, want string
		edit       func(a *parley.Archive)
	}{
		{"schema", "schema", func(a *parley.Archive) { a.Schema = "parley.process/v0" }},
		{"contact with a missing channel", "contacts[0]", func(a *parley.Archive) { a.Contacts[0].ChannelID = "nosuch" }},
		{"point text changed", "points", func(a *parley.Archive) { a.Versions[1].Points[3].Text = "Something else." }},
		{"invalid party", "parties[1]", func(a *parley.Archive) { a.Parties[1].Kind = "nation" }},
		{"lineage outside the archive", "lineage", func(a *parley.Archive) {
			a.Versions[1].Points[0].Lineage = []parley.PointRef{{VersionID: "elsewhere", PointID: "1"}}
		}},
		{"late failure", "versions[3]", func(a *parley.Archive) { a.Versions[3].Label = "" }},
		{"ID with a space", "parties[0]", func(a *parley.Archive) { a.Parties[0].ID = "x y" }},
		{"lineage from a later version", "dated later", func(a *parley.Archive) {
			a.Versions[1].Points[0].Lineage = []parley.PointRef{{VersionID: a.Versions[3].ID, PointID: "1"}}
		}},
		{"position on a missing point", "positions[1]", func(a *parley.Archive) { a.Positions[1].PointID = "99" }},
		{"two positions of a party on a point", "positions[1]", func(a *parley.Archive) {
			p := *a.Positions[0]
			p.ID = "another"
			a.Positions[1] = &p
		}},
		{"issue tied to a missing point", "issues[0]", func(a *parley.Archive) {
			a.Issues[0].Options[1].Points = []parley.PointRef{{VersionID: a.Versions[1].ID, PointID: "99"}}
		}},
		{"preferences short of 100", "preferences[1]", func(a *parley.Archive) {
			a.Preferences[1].Weights[a.Issues[0].ID] = 1
		}},
		{"preferences of an unknown option", "preferences[0]", func(a *parley.Archive) {
			a.Preferences[0].Ratings[a.Issues[1].ID]["1m"] = 10
		}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			a := decode(t, first)
			tt.edit(a)
			err := s.Archive.ImportProcess(ctx, a)
			e, _ := err.(*parley.Error)
			if parley.ErrorCode(err) != parley.EINVALID || (!strings.Contains(err.Error(), tt.want) && e.Field != tt.want) {
				t.Fatalf("got %v, want an invalid archive error mentioning %q", err, tt.want)
			}
			if _, err := s.Processes.FindProcessByID(ctx, id); parley.ErrorCode(err) != parley.ENOTFOUND {
				t.Errorf("a refused import left the process behind (%v)", err)
			}
			if list, _ := s.Parties.FindParties(ctx, id); len(list) > 0 {
				t.Errorf("a refused import left %d parties behind", len(list))
			}
		})
	}
	_, err = src.Archive.ExportProcess(ctx, "nosuch")
	wantCode(t, "export of a missing process", err, parley.ENOTFOUND, "")

	// The point raised at the call is found from the call, also after
	// the import.
	for _, s := range []*Store{src, dst} {
		steps, err := s.Plans.FindPointsByContact(ctx, a.Contacts[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(steps) != 1 || steps[0].Version.ID != a.Versions[1].ID || len(steps[0].Points) != 1 || steps[0].Points[0].ID != "12" {
			t.Errorf("points raised at the call: got %d steps, want point 12 of the 28-point version", len(steps))
		}
	}
	_, err = src.Plans.FindPointsByContact(ctx, "nosuch")
	wantCode(t, "points of a missing contact", err, parley.ENOTFOUND, "")
}

// firstDifference shows where two texts first differ.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "got …" + b[from:min(len(b), i+200)] + "…\nwant …" + a[from:min(len(a), i+200)] + "…"
}
