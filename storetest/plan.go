package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"parley"
	"parley/examples"
)

func init() {
	suites["plans"] = testPlans
	suites["versions"] = testVersions
	suites["lineage"] = testLineage
	suites["search"] = testSearch
}

var public = parley.Classification{Level: parley.Public}

// day returns noon UTC on a day of 2025.
func day(month time.Month, d int) time.Time { return time.Date(2025, month, d, 12, 0, 0, 0, time.UTC) }

// example returns the text of an example plan.
func example(t *testing.T, name string) string {
	t.Helper()
	b, err := examples.Files.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mustProcess creates a public process.
func mustProcess(t *testing.T, s *Store, name string) *parley.Process {
	t.Helper()
	p := &parley.Process{Name: name, Classification: public}
	if err := s.Processes.CreateProcess(asSystem(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

// mustPlan creates a public plan.
func mustPlan(t *testing.T, s *Store, processID, title, templateID string) *parley.Plan {
	t.Helper()
	p := &parley.Plan{ProcessID: processID, Title: title, TemplateID: templateID, Classification: public}
	if err := s.Plans.CreatePlan(asSystem(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

// mustVersion creates a tabled, public version from text.
func mustVersion(t *testing.T, s *Store, planID, label string, date time.Time, text string) *parley.Version {
	t.Helper()
	v := &parley.Version{PlanID: planID, Label: label, Date: date, Status: parley.Tabled, Text: text, Classification: public}
	if err := s.Plans.CreateVersion(asSystem(), v); err != nil {
		t.Fatalf("creating %s: %v", label, err)
	}
	return v
}

// wantCode fails unless err has the given code (and, for EINVALID, field).
func wantCode(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	if got := parley.ErrorCode(err); got != code {
		t.Errorf("%s: got %v, want a %s error", what, err, code)
		return
	}
	var e *parley.Error
	if field != "" && (!errors.As(err, &e) || e.Field != field) {
		t.Errorf("%s: got %v, want an error about %q", what, err, field)
	}
}

func testPlans(t *testing.T, open Opener) {
	ctx := asSystem()
	s := open(t)
	proc := mustProcess(t, s, "Russia–Ukraine 2025")
	other := mustProcess(t, s, "Gaza 2025")
	gaza := mustPlan(t, s, other.ID, "Gaza 20-point plan", "")
	tpl := mustPlan(t, s, proc.ID, "Gaza model", "")
	plan := mustPlan(t, s, proc.ID, "Peace plan for Ukraine", tpl.ID)

	got, err := s.Plans.FindPlanByID(ctx, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != plan.Title || got.TemplateID != tpl.ID || got.ProcessID != proc.ID || len(got.Versions) != 0 {
		t.Errorf("got %+v, want %+v", got, plan)
	}
	plans, err := s.Plans.FindPlans(ctx, proc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 2 || plans[0].Title != "Gaza model" || plans[1].Title != "Peace plan for Ukraine" {
		t.Errorf("got %d plans, want the process's 2 by title", len(plans))
	}

	tests := []struct {
		name  string
		plan  parley.Plan
		code  string
		field string
	}{
		{"no title", parley.Plan{ProcessID: proc.ID, Classification: public}, parley.EINVALID, "title"},
		{"no process", parley.Plan{ProcessID: "nosuch", Title: "x", Classification: public}, parley.EINVALID, "process_id"},
		{"template of another process", parley.Plan{ProcessID: proc.ID, Title: "x", TemplateID: gaza.ID, Classification: public}, parley.EINVALID, "template_id"},
		{"no classification", parley.Plan{ProcessID: proc.ID, Title: "x"}, parley.EINVALID, "classification"},
	}
	for _, tt := range tests {
		p := tt.plan
		wantCode(t, tt.name, s.Plans.CreatePlan(ctx, &p), tt.code, tt.field)
		if p.ID != "" {
			t.Errorf("%s: a refused plan got ID %q", tt.name, p.ID)
		}
	}
	if plans, _ := s.Plans.FindPlans(ctx, proc.ID); len(plans) != 2 {
		t.Errorf("refused plans were stored: %d plans", len(plans))
	}

	upd := *tpl
	upd.TemplateID = plan.ID
	wantCode(t, "template loop", s.Plans.UpdatePlan(ctx, &upd), parley.EINVALID, "template_id")
	upd = *plan
	upd.Title = "Ukraine: the 28 points and after"
	if err := s.Plans.UpdatePlan(ctx, &upd); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Plans.FindPlanByID(ctx, plan.ID); got.Title != upd.Title || got.TemplateID != tpl.ID {
		t.Errorf("after update got %+v", got)
	}
	upd.ID = "nosuch"
	wantCode(t, "update of a missing plan", s.Plans.UpdatePlan(ctx, &upd), parley.ENOTFOUND, "")
	_, err = s.Plans.FindPlanByID(ctx, "nosuch")
	wantCode(t, "missing plan", err, parley.ENOTFOUND, "")
	_, err = s.Plans.FindPlans(ctx, "nosuch")
	wantCode(t, "plans of a missing process", err, parley.ENOTFOUND, "")
}

func testVersions(t *testing.T, open Opener) {
	ctx := asSystem()
	s := open(t)
	now := time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return now })
	proc := mustProcess(t, s, "Russia–Ukraine 2025")
	plan := mustPlan(t, s, proc.ID, "Peace plan for Ukraine", "")

	us := mustVersion(t, s, plan.ID, "US 28-point plan", day(11, 20), example(t, "us-28-points.txt"))
	if us.PointCount != 28 || len(us.Points) < 28 || !us.Created.Equal(now) || us.PreviousID != "" {
		t.Errorf("got %d top-level points of %d, created %v, previous %q; want 28, %v and none",
			us.PointCount, len(us.Points), us.Created, us.PreviousID, now)
	}
	got, err := s.Plans.FindVersionByID(ctx, us.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != us.Text || len(got.Points) != len(us.Points) || got.Label != us.Label || !got.Date.Equal(day(11, 20)) {
		t.Errorf("read back %q with %d points, want %q with %d", got.Label, len(got.Points), us.Label, len(us.Points))
	}
	for i, p := range got.Points {
		if w := us.Points[i]; p.ID != w.ID || p.Text != w.Text || p.Depth != w.Depth || p.Heading != w.Heading || p.Origin != w.Origin {
			t.Fatalf("point %d: got %+v, want %+v", i, p, w)
		}
	}
	if p := got.Points[0]; p.ID != "1" || p.Origin != (parley.PointRef{VersionID: us.ID, PointID: "1"}) || len(p.Lineage) != 0 {
		t.Errorf("first point: got %+v, want point 1, its own origin, no lineage", p)
	}

	geneva := &parley.Version{PlanID: plan.ID, Label: "Geneva revision", Date: day(11, 23), Status: parley.Draft,
		TextUnknown: true, PointCount: 19, ReportedChanges: "Cut to 19 points.", Classification: public}
	if err := s.Plans.CreateVersion(ctx, geneva); err != nil {
		t.Fatal(err)
	}
	if len(geneva.Points) != 0 || geneva.PointCount != 19 {
		t.Errorf("text-unknown version: got %d points, count %d; want none and 19", len(geneva.Points), geneva.PointCount)
	}
	fw := mustVersion(t, s, plan.ID, "20-point framework", day(12, 24), example(t, "framework-20-points.txt"))
	if fw.PreviousID != us.ID {
		t.Errorf("framework compared with %q, want the 28-point version %q (the Geneva text is unknown)", fw.PreviousID, us.ID)
	}
	p, _ := s.Plans.FindPlanByID(ctx, plan.ID)
	var labels []string
	for _, v := range p.Versions {
		labels = append(labels, v.Label)
		if v.Text != "" || len(v.Points) != 0 {
			t.Errorf("plan listing carries the text of %s", v.Label)
		}
	}
	if want := []string{"US 28-point plan", "Geneva revision", "20-point framework"}; !slices.Equal(labels, want) {
		t.Errorf("got versions %q, want %q", labels, want)
	}

	tests := []struct {
		name  string
		v     parley.Version
		code  string
		field string
	}{
		{"no points", parley.Version{PlanID: plan.ID, Label: "x", Date: day(11, 1), Status: parley.Draft, Text: "Just prose.\n", Classification: public}, parley.EINVALID, "text"},
		{"binary", parley.Version{PlanID: plan.ID, Label: "x", Date: day(11, 1), Status: parley.Draft, Text: "1. a\x00b\n", Classification: public}, parley.EINVALID, "text"},
		{"no label", parley.Version{PlanID: plan.ID, Date: day(11, 1), Status: parley.Draft, Text: "1. a\n", Classification: public}, parley.EINVALID, "label"},
		{"unknown status", parley.Version{PlanID: plan.ID, Label: "x", Date: day(11, 1), Status: "final", Text: "1. a\n", Classification: public}, parley.EINVALID, "status"},
		{"unknown author", parley.Version{PlanID: plan.ID, Label: "x", Date: day(11, 1), Status: parley.Draft, Text: "1. a\n", AuthorPartyID: "nosuch", Classification: public}, parley.EINVALID, "author_party_id"},
		{"unknown source", parley.Version{PlanID: plan.ID, Label: "x", Date: day(11, 1), Status: parley.Draft, Text: "1. a\n", SourceIDs: []string{"nosuch"}, Classification: public}, parley.EINVALID, "source_ids"},
		{"missing plan", parley.Version{PlanID: "nosuch", Label: "x", Date: day(11, 1), Status: parley.Draft, Text: "1. a\n", Classification: public}, parley.ENOTFOUND, ""},
		{"too many points", parley.Version{PlanID: plan.ID, Label: "x", Date: day(11, 1), Status: parley.Draft, Text: strings.Repeat("1. a\n", 6000), Classification: public}, parley.EINVALID, "text"},
	}
	for _, tt := range tests {
		v := tt.v
		wantCode(t, tt.name, s.Plans.CreateVersion(ctx, &v), tt.code, tt.field)
		if v.ID != "" {
			t.Errorf("%s: a refused version got ID %q", tt.name, v.ID)
		}
	}
	if p, _ := s.Plans.FindPlanByID(ctx, plan.ID); len(p.Versions) != 3 {
		t.Errorf("refused versions were stored: %d versions, want 3", len(p.Versions))
	}
	_, err = s.Plans.FindVersionByID(ctx, "nosuch")
	wantCode(t, "missing version", err, parley.ENOTFOUND, "")
}

// findPoint returns a point of a version by ID.
func findPoint(t *testing.T, v *parley.Version, id string) *parley.Point {
	t.Helper()
	p := v.Point(id)
	if p == nil {
		t.Fatalf("%s has no point %s", v.Label, id)
	}
	return p
}

func testLineage(t *testing.T, open Opener) {
	ctx := asSystem()
	s := open(t)
	proc := mustProcess(t, s, "Russia–Ukraine 2025")
	gaza := mustPlan(t, s, proc.ID, "Gaza 20-point plan", "")
	g := mustVersion(t, s, gaza.ID, "Gaza plan", day(9, 29), "1. Gaza becomes a demilitarised zone free of terror.\n"+
		"2. An international Board of Peace chaired by the President of the United States oversees the transition.\n")
	tags := []string{"implementation and monitoring"}
	if _, err := s.Plans.UpdatePoint(ctx, g.ID, "2", parley.PointUpdate{Tags: &tags}); err != nil {
		t.Fatal(err)
	}
	plan := mustPlan(t, s, proc.ID, "Peace plan for Ukraine", gaza.ID)
	us := mustVersion(t, s, plan.ID, "US 28-point plan", day(11, 20), example(t, "us-28-points.txt"))
	if us.PreviousID != g.ID {
		t.Errorf("first version of a plan with a template compared with %q, want the template's version %q", us.PreviousID, g.ID)
	}
	e3 := mustVersion(t, s, plan.ID, "E3 counter-proposal", day(11, 23), example(t, "e3-counter-proposal.txt"))
	fw := mustVersion(t, s, plan.ID, "20-point framework", day(12, 24), example(t, "framework-20-points.txt"))

	// The 28-point plan's peace council is modelled on the Gaza Board of
	// Peace: correct the lineage by hand, then follow it.
	council := ""
	for _, p := range us.Points {
		if strings.Contains(p.Text, "Peace Council") || strings.Contains(p.Text, "peace council") {
			council = p.ID
		}
	}
	if council == "" {
		t.Fatal("the 28-point example has no peace council point")
	}
	lineage := []parley.PointRef{{VersionID: g.ID, PointID: "2"}}
	pt, err := s.Plans.UpdatePoint(ctx, us.ID, council, parley.PointUpdate{Lineage: &lineage})
	if err != nil {
		t.Fatal(err)
	}
	if want := (parley.PointRef{VersionID: g.ID, PointID: "2"}); pt.Origin != want || !slices.Equal(pt.Lineage, lineage) {
		t.Errorf("after correction got origin %v lineage %v, want origin %v", pt.Origin, pt.Lineage, want)
	}

	bad := []struct {
		name    string
		lineage []parley.PointRef
	}{
		{"own version", []parley.PointRef{{VersionID: us.ID, PointID: "1"}}},
		{"missing point", []parley.PointRef{{VersionID: g.ID, PointID: "99"}}},
		{"later version", []parley.PointRef{{VersionID: fw.ID, PointID: "1"}}},
		{"twice", []parley.PointRef{{VersionID: g.ID, PointID: "1"}, {VersionID: g.ID, PointID: "1"}}},
	}
	for _, tt := range bad {
		_, err := s.Plans.UpdatePoint(ctx, us.ID, "1", parley.PointUpdate{Lineage: &tt.lineage})
		wantCode(t, tt.name, err, parley.EINVALID, "lineage")
	}
	unknown := []string{"weather"}
	_, err = s.Plans.UpdatePoint(ctx, us.ID, "1", parley.PointUpdate{Tags: &unknown})
	wantCode(t, "unknown tag", err, parley.EINVALID, "tags")
	_, err = s.Plans.UpdatePoint(ctx, us.ID, "99", parley.PointUpdate{Tags: &tags})
	wantCode(t, "missing point", err, parley.ENOTFOUND, "")

	// Point 12 of the 28 (reconstruction) was split into points 8 and 9
	// of the framework; its history shows both, and so does theirs.
	fw, _ = s.Plans.FindVersionByID(ctx, fw.ID)
	for _, id := range []string{"8", "9"} {
		p := findPoint(t, fw, id)
		if !slices.Contains(p.Lineage, parley.PointRef{VersionID: e3.ID, PointID: "12"}) &&
			!slices.Contains(p.Lineage, parley.PointRef{VersionID: us.ID, PointID: "12"}) {
			t.Errorf("framework point %s came from %v, want point 12 of an earlier version", id, p.Lineage)
		}
		if p.Origin != (parley.PointRef{VersionID: us.ID, PointID: "12"}) {
			t.Errorf("framework point %s has origin %v, want point 12 of the 28", id, p.Origin)
		}
	}
	steps, err := s.Plans.FindPointHistory(ctx, fw.ID, "9")
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, st := range steps {
		var ids []string
		for _, p := range st.Points {
			ids = append(ids, p.ID)
		}
		trail = append(trail, st.Version.Label+":"+strings.Join(ids, "+"))
	}
	if len(trail) < 2 || trail[0] != "US 28-point plan:12" || trail[len(trail)-1] != "20-point framework:8+9" {
		t.Errorf("history of framework point 9: got %q, want it to start at 28-point 12 and end at framework 8+9", trail)
	}

	// Tags flow down the lineage to points that have none of their own.
	fwCouncil := ""
	steps, err = s.Plans.FindPointHistory(ctx, us.ID, council)
	if err != nil {
		t.Fatal(err)
	}
	if steps[0].Version.ID != g.ID {
		t.Errorf("history of the council starts at %s, want the Gaza plan", steps[0].Version.Label)
	}
	for _, st := range steps {
		if st.Version.ID == fw.ID && len(st.Points) > 0 {
			fwCouncil = st.Points[0].ID
		}
	}
	if fwCouncil != "" {
		if p := findPoint(t, fw, fwCouncil); p.Origin != (parley.PointRef{VersionID: g.ID, PointID: "2"}) {
			t.Errorf("the framework's council point has origin %v after the correction, want Gaza point 2", p.Origin)
		}
	}
	_, err = s.Plans.FindPointHistory(ctx, us.ID, "99")
	wantCode(t, "history of a missing point", err, parley.ENOTFOUND, "")

	// A point never comes from a later version, not even a template's.
	late := mustPlan(t, s, proc.ID, "A later template", "")
	mustVersion(t, s, late.ID, "Late", day(12, 1), "1. The same words.\n")
	early := mustPlan(t, s, proc.ID, "An earlier plan", late.ID)
	v := mustVersion(t, s, early.ID, "Early", day(11, 1), "1. The same words.\n")
	if v.PreviousID != "" || len(v.Points[0].Lineage) != 0 {
		t.Errorf("a version of 1 November came from %q (%v), a template version of 1 December", v.PreviousID, v.Points[0].Lineage)
	}
}

func testSearch(t *testing.T, open Opener) {
	ctx := asSystem()
	s := open(t)
	proc := mustProcess(t, s, "Russia–Ukraine 2025")
	other := mustProcess(t, s, "Elsewhere")
	plan := mustPlan(t, s, proc.ID, "Peace plan for Ukraine", "")
	us := mustVersion(t, s, plan.ID, "US 28-point plan", day(11, 20), example(t, "us-28-points.txt"))
	op := mustPlan(t, s, other.ID, "Other plan", "")
	mustVersion(t, s, op.ID, "Other", day(11, 20), "1. The armed forces are limited in number.\n")

	hits, err := searchHits(s.Search, ctx, parley.SearchQuery{ProcessID: proc.ID, Text: "armed forces"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 {
		t.Fatal("no hit for \"armed forces\"")
	}
	for _, h := range hits {
		if h.Kind != "point" || h.VersionID != us.ID {
			t.Errorf("hit %+v is not a point of the process's version", h)
		}
		marked := false
		for _, r := range h.Snippet {
			if r.Match && !strings.EqualFold(r.Text, "armed") && !strings.EqualFold(r.Text, "forces") {
				t.Errorf("snippet marks %q, want only the searched words", r.Text)
			}
			marked = marked || r.Match
		}
		if !marked || !strings.Contains(h.Title, "US 28-point plan") {
			t.Errorf("hit %q has no marked words or no version in its title", h.Title)
		}
	}
	cases := []struct {
		q    string
		hits bool
	}{
		{"sanct", true},            // prefix of the last word
		{`"non-aggression"`, true}, // phrase
		{"NATO OR", false},         // operators are words
		{`"unbalanced`, false},     // an open quote
		{"*", false},               // punctuation only
		{"zzzzqqq", false},
	}
	for _, c := range cases {
		hits, err := searchHits(s.Search, ctx, parley.SearchQuery{ProcessID: proc.ID, Text: c.q})
		if err != nil {
			t.Errorf("search %q: %v", c.q, err)
			continue
		}
		if (len(hits) > 0) != c.hits {
			t.Errorf("search %q: got %d hits, want hits: %v", c.q, len(hits), c.hits)
		}
	}
	// A contact is named on its day where it took place: 01:00 in Moscow
	// is still the day before in UTC.
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	call := &parley.Contact{ProcessID: proc.ID, Kind: parley.Call, Status: parley.Held, Place: "Telephone",
		Start: time.Date(2025, 10, 15, 1, 0, 0, 0, moscow), Summary: "A late call about Zaporizhzhia.", Classification: &public}
	if err := s.Contacts.CreateContact(ctx, call); err != nil {
		t.Fatal(err)
	}
	hits, err = searchHits(s.Search, ctx, parley.SearchQuery{ProcessID: proc.ID, Text: "Zaporizhzhia late"})
	if err != nil || len(hits) != 1 || hits[0].ContactID != call.ID || hits[0].Title != "Call, 15 October 2025 (Telephone)" {
		t.Errorf("search for the call: got %+v, %v; want it titled Call, 15 October 2025 (Telephone)", hits, err)
	}

	_, err = s.Search.Search(ctx, parley.SearchQuery{ProcessID: proc.ID, Text: strings.Repeat("a", parley.MaxQueryLen+1)})
	wantCode(t, "long query", err, parley.EINVALID, "q")
	_, err = s.Search.Search(ctx, parley.SearchQuery{ProcessID: "nosuch", Text: "x"})
	wantCode(t, "missing process", err, parley.ENOTFOUND, "")
}

func init() {
	suites["version classification"] = inParts(part{"share and withdraw", func(t *testing.T, s *Store) {
		ctx := asSystem()
		p := mustProcess(t, s, "Shared drafts")
		ua := &parley.Party{ProcessID: p.ID, Name: "Ukraine", Kind: parley.State, Classification: parley.Classification{Level: parley.Public}}
		if err := s.Parties.CreateParty(ctx, ua); err != nil {
			t.Fatal(err)
		}
		plan := mustPlan(t, s, p.ID, "Draft", "")
		v := mustVersion(t, s, plan.ID, "draft 1", time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC), "1. One point.\n")
		shared := parley.Classification{Level: parley.Shared, PartyIDs: []string{ua.ID}}
		got, err := s.Plans.ClassifyVersion(ctx, v.ID, shared)
		if err != nil {
			t.Fatal(err)
		}
		if got.Classification.String() != shared.String() {
			t.Errorf("got %s, want %s", got.Classification, shared)
		}
		stored, err := s.Plans.FindVersionByID(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Classification.String() != shared.String() || stored.Text != v.Text {
			t.Errorf("stored %s with text %q, want %s and the text unchanged", stored.Classification, stored.Text, shared)
		}
		if _, err := s.Plans.ClassifyVersion(ctx, v.ID, parley.Classification{Level: parley.Shared}); parley.ErrorCode(err) != parley.EINVALID {
			t.Errorf("a share with no party: got %v, want EINVALID", err)
		}
		if _, err := s.Plans.ClassifyVersion(ctx, "nosuchversion", shared); parley.ErrorCode(err) != parley.ENOTFOUND {
			t.Errorf("an unknown version: got %v, want ENOTFOUND", err)
		}
	}})
}

// searchHits runs a search and returns its hits.
func searchHits(svc parley.SearchService, ctx context.Context, q parley.SearchQuery) ([]*parley.SearchHit, error) {
	res, err := svc.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	return res.Hits, nil
}
