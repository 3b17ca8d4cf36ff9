package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"parley"
)

// positionFixture is the pages' fixture with a small plan of two
// versions whose points the parties take positions on, a third party with
// a name that is markup, and a delegate of Russia and one of Ukraine.
type positionFixture struct {
	*fixture
	small                  *parley.Plan
	before, after          *parley.Version
	hostile                *parley.Party
	ruDelegate, uaDelegate *testEnv
}

// Texts of the small plan's versions: the second rewords point 2, keeps
// 1 and 3, drops 4 and adds another.
const (
	smallBefore = "1. The ceasefire starts at once.\n2. Prisoners are exchanged all for all.\n3. Sanctions stay in force.\n4. The zone is demilitarised.\n"
	smallAfter  = "1. The ceasefire starts at once.\n2. Prisoners are exchanged all for all, within a month.\n3. Sanctions stay in force.\n4. Elections are held within one hundred days of the signing.\n"
)

// newPositionFixture builds the fixture; the positions are the tests'
// to set.
func newPositionFixture(tb testing.TB) *positionFixture {
	tb.Helper()
	f := &positionFixture{fixture: newFixture(tb)}
	env, ctx, svc := f.env, f.env.Ctx, f.env.Svc
	pub := parley.Classification{Level: parley.Public}
	f.small = &parley.Plan{ProcessID: f.process.ID, Title: "Small plan", Classification: pub}
	must(tb, svc.Plans.CreatePlan(ctx, f.small))
	f.before = &parley.Version{PlanID: f.small.ID, Label: "Small draft", Date: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
		Status: parley.Draft, Text: smallBefore, Classification: pub}
	must(tb, svc.Plans.CreateVersion(ctx, f.before))
	f.after = &parley.Version{PlanID: f.small.ID, Label: "Small revision", Date: time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC),
		Status: parley.Draft, Text: smallAfter, Classification: pub}
	must(tb, svc.Plans.CreateVersion(ctx, f.after))
	f.hostile = &parley.Party{ProcessID: f.process.ID, Name: `<script>alert("x")</script> & Co`, Kind: parley.Organisation, Classification: pub}
	must(tb, svc.Parties.CreateParty(ctx, f.hostile))
	for _, d := range []struct {
		name  string
		party string
		env   **testEnv
	}{{"delegate-ru", f.russia.ID, &f.ruDelegate}, {"delegate-ua", f.ukraine.ID, &f.uaDelegate}} {
		a := env.NewAccount(tb, d.name, false)
		env.Grant(tb, a, f.process.ID, parley.RoleDelegate, d.party)
		*d.env = env.As(a)
	}
	return f
}

// set stores a position as the mediator; conf names the classification:
// "" for confidential to the party, else the parties it is shared with
// after its own, or "public".
func (f *positionFixture) set(tb testing.TB, v *parley.Version, point string, party *parley.Party, stance parley.Stance, note, counter string, share ...string) *parley.Position {
	tb.Helper()
	c := parley.Classification{Level: parley.Confidential, PartyIDs: []string{party.ID}}
	switch {
	case len(share) == 1 && share[0] == "public":
		c = parley.Classification{Level: parley.Public}
	case len(share) > 0:
		c = parley.Classification{Level: parley.Shared, PartyIDs: append([]string{party.ID}, share...)}
	}
	p := &parley.Position{ProcessID: f.process.ID, PartyID: party.ID, VersionID: v.ID, PointID: point, Stance: stance,
		Note: note, Counter: counter, Classification: c}
	must(tb, f.env.Svc.Positions.SetPosition(f.env.Ctx, p))
	return p
}

// setBefore stores the positions on the small plan's first version:
//
//	point  Russia                 Ukraine    the third party
//	1      accepts (shared w. UA) accepts    accepts (public)
//	2      with changes           accepts    accepts (public)
//	3      red line               rejects    accepts (public)
//	4      no position            —          —
//
// so that 2 of 4 points are accepted by all, 1 without changes.
func (f *positionFixture) setBefore(tb testing.TB) {
	tb.Helper()
	f.set(tb, f.before, "1", f.russia, parley.Accepts, "", "", f.ukraine.ID)
	f.set(tb, f.before, "2", f.russia, parley.AcceptsWithChanges, "Only with a deadline",
		"Prisoners are exchanged all for all, within a week.")
	f.set(tb, f.before, "3", f.russia, parley.RedLine, "redlinemarker: sanctions must go", "")
	f.set(tb, f.before, "4", f.russia, parley.NoPosition, "", "")
	f.set(tb, f.before, "1", f.ukraine, parley.Accepts, "", "")
	f.set(tb, f.before, "2", f.ukraine, parley.Accepts, "", "")
	f.set(tb, f.before, "3", f.ukraine, parley.Rejects, "ukrainemarker: they must stay", "")
	for _, pt := range []string{"1", "2", "3"} {
		f.set(tb, f.before, pt, f.hostile, parley.Accepts, "A note with a \x01 control character and ]]> & <b>", "", "public")
	}
}

// cellTitles returns the titles of the matrix's cells whose title starts
// with prefix, in order.
func cellTitles(n *svgNode, prefix string) []string {
	var out []string
	for _, t := range n.all(func(x *svgNode) bool { return x.XMLName.Local == "title" && strings.HasPrefix(x.Text, prefix) }) {
		out = append(out, t.Text)
	}
	return out
}

// letters returns the letters drawn in the matrix's cells and legend, in
// order.
func letters(n *svgNode) []string {
	var out []string
	for _, t := range n.all(func(x *svgNode) bool { return x.XMLName.Local == "text" && x.attr("font-size") == "14" }) {
		out = append(out, t.Text)
	}
	return out
}

func TestPositionMatrix(t *testing.T) {
	f := newPositionFixture(t)
	f.setBefore(t)
	path := "/versions/" + f.before.ID + "/positions"
	p := pageGet(t, f.env, path).want(t, http.StatusOK)
	wantNoInlineCode(t, path, p)
	p.has(t, "<strong>2 of 4 points accepted by all parties</strong> (1 without changes).",
		// Per party: accepts, with changes, rejects, red lines, no position, not recorded.
		"<tr><th scope=\"row\">Russia</th><td>2</td><td>1</td><td>0</td><td>1</td><td>1</td><td>0</td></tr>",
		"<tr><th scope=\"row\">Ukraine</th><td>2</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td></tr>",
		"— a red line for Russia</span>",
		// The counter-wording as a diff against the point's text.
		"Prisoners are exchanged all for all<ins>, within a week</ins>.", "Only with a deadline")
	p.hasNot(t, "<script>alert", `"x")</script>`)

	svg := svgOf(t, p)
	for _, party := range []string{"Russia", "Ukraine", `<script>alert("x")</script> & Co`} {
		if got := cellTitles(svg, party+" on point "); len(got) != 4 {
			t.Errorf("got %d cells of %s, want one per point (4): %q", len(got), party, got)
		}
	}
	// Row by row, the parties in the store's order (by name: the third
	// party, Russia, Ukraine), then the legend: A C R ! – and the empty
	// box, which has no letter.
	wantLetters := []string{"A", "A", "A", "A", "C", "A", "A", "!", "R", "–", "A", "C", "R", "!", "–"}
	if got := letters(svg); !slices.Equal(got, wantLetters) {
		t.Errorf("got letters %q, want %q", got, wantLetters)
	}
	if got := cellTitles(svg, "Russia on point 3"); len(got) != 1 || got[0] != "Russia on point 3: red line. redlinemarker: sanctions must go" {
		t.Errorf("got the title %q of Russia's red line, want the party, point, stance and note", got)
	}
	if got := cellTitles(svg, "Ukraine on point 4"); len(got) != 1 || got[0] != "Ukraine on point 4: no position recorded" {
		t.Errorf("got the title %q of a cell without a record, want it said apart from no position", got)
	}
	// Every cell links to the form for a mediator.
	links := svg.all(func(x *svgNode) bool {
		return x.XMLName.Local == "a" && strings.Contains(x.attr("href"), "/position?party=")
	})
	if len(links) != 12 {
		t.Errorf("got %d cells linked to the form, want 12", len(links))
	}

	// The delegate of Ukraine sees its own positions and Russia's shared
	// one only: point 1 is accepted by all it sees; Russia's red line
	// and its note are not shown.
	p = pageGet(t, f.uaDelegate, path).want(t, http.StatusOK)
	p.has(t, "<strong>1 of 4 points accepted by all parties</strong> (1 without changes).", "ukrainemarker")
	p.hasNot(t, "redlinemarker", "a red line for Russia", "Only with a deadline")
	svg = svgOf(t, p)
	if got := cellTitles(svg, "Russia on point 3"); len(got) != 1 || got[0] != "Russia on point 3: no position recorded" {
		t.Errorf("as Ukraine's delegate: got %q, want Russia's hidden red line shown as no record", got)
	}
	ownLinks := svg.all(func(x *svgNode) bool {
		return x.XMLName.Local == "a" && strings.Contains(x.attr("href"), "/position?party=")
	})
	for _, a := range ownLinks {
		if !strings.HasSuffix(a.attr("href"), "party="+f.ukraine.ID) {
			t.Errorf("as Ukraine's delegate: a cell links to %s, want only Ukraine's cells linked", a.attr("href"))
		}
	}
	if len(ownLinks) != 4 {
		t.Errorf("as Ukraine's delegate: got %d cells linked, want Ukraine's 4", len(ownLinks))
	}
}

// TestPositionMatrixEdges: a version without positions, a mediating
// party without positions left out, an unknown text, a made-up version.
func TestPositionMatrixEdges(t *testing.T) {
	f := newPositionFixture(t)
	mediating := &parley.Party{ProcessID: f.process.ID, Name: "Quiet mediator", Kind: parley.Mediator, Classification: parley.Classification{Level: parley.Public}}
	must(t, f.env.Svc.Parties.CreateParty(f.env.Ctx, mediating))
	p := pageGet(t, f.env, "/versions/"+f.after.ID+"/positions").want(t, http.StatusOK)
	p.has(t, "<strong>0 of 4 points accepted by all parties</strong>", "that you may see: Quiet mediator.",
		"No position you may see has a note or a counter-wording.")
	// A delegate's matrix has a column of its own party, to set its
	// positions, and none of a party it sees no position of.
	ua := pageGet(t, f.uaDelegate, "/versions/"+f.after.ID+"/positions").want(t, http.StatusOK)
	ua.has(t, "Quiet mediator, Russia.</p>")
	if got := cellTitles(svgOf(t, ua), "Ukraine on point"); len(got) != 4 {
		t.Errorf("as Ukraine's delegate: got %d cells of Ukraine, want 4", len(got))
	}
	if got := cellTitles(svgOf(t, ua), "Russia on point"); len(got) != 0 {
		t.Errorf("as Ukraine's delegate: got %d cells of Russia, whose positions it may not see, want none", len(got))
	}
	if got := cellTitles(svgOf(t, p), "Quiet mediator"); len(got) != 0 {
		t.Errorf("got %d cells of a mediating party without positions, want none", len(got))
	}
	f.set(t, f.after, "1", mediating, parley.Accepts, "", "", "public")
	p = pageGet(t, f.env, "/versions/"+f.after.ID+"/positions").want(t, http.StatusOK)
	if got := cellTitles(svgOf(t, p), "Quiet mediator on point"); len(got) != 4 {
		t.Errorf("got %d cells of a mediating party with a position, want 4", len(got))
	}
	pageGet(t, f.env, "/versions/"+f.unknown.ID+"/positions").want(t, http.StatusOK).has(t, "The text of this version is unknown")
	pageGet(t, f.env, "/versions/nosuch/positions").want(t, http.StatusNotFound)
	// The version page links to the matrix.
	pageGet(t, f.env, "/versions/"+f.after.ID).want(t, http.StatusOK).has(t, `href="/versions/`+f.after.ID+`/positions"`)
}

func TestPositionCompare(t *testing.T) {
	f := newPositionFixture(t)
	f.setBefore(t)
	// After: Russia drops its red line and accepts point 3, accepts 2 as
	// it is; Ukraine accepts 3 too; Russia rejects the new point 4.
	f.set(t, f.after, "1", f.russia, parley.Accepts, "", "")
	f.set(t, f.after, "2", f.russia, parley.Accepts, "", "")
	f.set(t, f.after, "3", f.russia, parley.Accepts, "", "")
	f.set(t, f.after, "4", f.russia, parley.Rejects, "", "")
	for _, pt := range []string{"1", "2", "3"} {
		f.set(t, f.after, pt, f.ukraine, parley.Accepts, "", "")
		f.set(t, f.after, pt, f.hostile, parley.Accepts, "", "", "public")
	}
	matrix := pageGet(t, f.env, "/versions/"+f.after.ID+"/positions").want(t, http.StatusOK)
	// The matrix offers the comparison, with the version before chosen.
	matrix.has(t, `action="/versions/`+f.after.ID+`/positions/compare"`, `<option value="`+f.before.ID+`" selected>`)

	path := "/versions/" + f.after.ID + "/positions/compare?from=" + f.before.ID
	p := pageGet(t, f.env, path).want(t, http.StatusOK)
	wantNoInlineCode(t, path, p)
	p.has(t, "Accepted by all: <strong>2 → 3</strong>",
		"<tr><th scope=\"row\">Red lines (points that are one for some party)</th><td>1</td><td>0 <span class=\"delta\">(−1)</span></td></tr>",
		"<tr><th scope=\"row\">Russia</th><td>2 → 3</td><td>0 → 1</td><td>1 → 0</td></tr>",
		`<span class="mark">newly accepted</span><span class="mark">red line dropped</span>`,
		`<span class="op">reworded</span>`, `<span class="op">added</span>`, `<span class="op">dropped</span>`)
	p.hasNot(t, "<script>alert")
	// The row of point 3: Russia ! → A, marked; Ukraine R → A, newly
	// accepted.
	if got := p.count(`<span class="mark">newly accepted</span>`); got != 2 {
		t.Errorf("got %d newly accepted, want 2 (Russia and Ukraine on point 3)", got)
	}
	// Without from, the version before is taken.
	pageGet(t, f.env, "/versions/"+f.after.ID+"/positions/compare").want(t, http.StatusOK).has(t, "Accepted by all: <strong>2 → 3</strong>")
	// Compared the other way, from after to before, the hostile party has
	// positions on both; with the positions on after only, it is shown but
	// not compared, and nothing of it reads as dropped.
	back := pageGet(t, f.env, "/versions/"+f.before.ID+"/positions/compare?from="+f.after.ID).want(t, http.StatusOK)
	back.hasNot(t, "shown but not compared")
	us := &parley.Party{ProcessID: f.process.ID, Name: "United States", Kind: parley.State, Classification: parley.Classification{Level: parley.Public}}
	must(t, f.env.Svc.Parties.CreateParty(f.env.Ctx, us))
	f.set(t, f.before, "1", us, parley.Accepts, "", "", "public")
	one := pageGet(t, f.env, path).want(t, http.StatusOK)
	one.has(t, "shown but not compared: United States.")
	if got := one.count(`<span class="mark">position dropped</span>`); got != 0 {
		t.Errorf("got %d positions dropped, want none: the United States has no position on the later version yet", got)
	}
	// The delegate of Ukraine sees none of Russia's hidden change.
	p = pageGet(t, f.uaDelegate, path).want(t, http.StatusOK)
	p.hasNot(t, "red line dropped")
	for _, tt := range []struct {
		name, path string
		status     int
	}{
		{"made-up from", "/versions/" + f.after.ID + "/positions/compare?from=nosuch", http.StatusNotFound},
		{"from with unknown text", "/versions/" + f.after.ID + "/positions/compare?from=" + f.unknown.ID, http.StatusBadRequest},
		{"from in another process", "/versions/" + f.after.ID + "/positions/compare?from=" + f.otherProcessVersion.ID, http.StatusBadRequest},
		{"made-up version", "/versions/nosuch/positions/compare?from=" + f.before.ID, http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) { pageGet(t, f.env, tt.path).want(t, tt.status) })
	}
}

// positionForm is a filled-in position form.
func positionForm(party, stance, note, counter string, extra ...string) url.Values {
	v := url.Values{"party": {party}, "stance": {stance}, "note": {note}, "counter": {counter}, "classification": {"confidential"}}
	for k := 0; k+1 < len(extra); k += 2 {
		v[extra[k]] = append(v[extra[k]][:0:0], extra[k+1])
	}
	return v
}

func TestPositionForm(t *testing.T) {
	f := newPositionFixture(t)
	path := "/versions/" + f.before.ID + "/points/2/position"
	stored := func(party *parley.Party) *parley.Position {
		ps, err := f.env.Svc.Positions.FindPositions(System, parley.PositionFilter{ProcessID: f.process.ID, VersionID: f.before.ID, PartyID: party.ID})
		must(t, err)
		for _, p := range ps {
			if p.PointID == "2" {
				return p
			}
		}
		return nil
	}

	// A delegate's party is fixed: no choice, its own party named.
	p := pageGet(t, f.ruDelegate, path+"?party="+f.ukraine.ID).want(t, http.StatusOK)
	wantNoInlineCode(t, path, p)
	p.has(t, `<input type="hidden" name="party" value="`+f.russia.ID+`">`, "<strong>Russia</strong>",
		`<input type="radio" name="stance" value="accepts_with_changes">`, `<label for="f-note">Note`,
		// The counter-wording starts as the point's text.
		">\nPrisoners are exchanged all for all.</textarea>",
		`<option value="confidential" selected>`, `<option value="shared">`)
	// Nor does it offer what a delegate may not choose.
	p.hasNot(t, `<select id="f-party"`, `<option value="public">`, `<option value="process">`)

	// It may not set another party's position.
	p = pagePost(t, f.ruDelegate, path, positionForm(f.ukraine.ID, "accepts", "", ""))
	p.want(t, http.StatusForbidden)
	p.has(t, "Nothing was saved.")
	if got := stored(f.ukraine); got != nil {
		t.Errorf("a delegate set another party's position: %+v", got)
	}
	// Its own is saved, confidential to its party, the counter-wording
	// that is the point's text unchanged dropped.
	pagePost(t, f.ruDelegate, path, positionForm(f.russia.ID, "accepts_with_changes", "With a deadline", "Prisoners are exchanged  all for all.\r\n")).
		wantRedirect(t, "/versions/"+f.before.ID+"/positions#row-2")
	got := stored(f.russia)
	if got == nil || got.Stance != parley.AcceptsWithChanges || got.Note != "With a deadline" || got.Counter != "" ||
		got.Classification.Level != parley.Confidential || !slices.Equal(got.Classification.PartyIDs, []string{f.russia.ID}) {
		t.Fatalf("got %+v, want Russia's position accepting with changes, confidential to Russia, without a counter-wording", got)
	}
	// Opened again, the form shows it.
	pageGet(t, f.ruDelegate, path).want(t, http.StatusOK).has(t, `value="accepts_with_changes" checked`, "With a deadline</textarea>")

	// A mediator chooses the party, and may share the position.
	p = pageGet(t, f.env, path+"?party="+f.ukraine.ID).want(t, http.StatusOK)
	p.has(t, `<select id="f-party" name="party"`, `<option value="`+f.ukraine.ID+`" selected>Ukraine</option>`)
	pagePost(t, f.env, path, positionForm(f.ukraine.ID, "rejects", "", "Prisoners are exchanged after the war.",
		"classification", "shared", "classification_parties", f.russia.ID)).wantRedirect(t, "/versions/"+f.before.ID+"/positions")
	if got := stored(f.ukraine); got == nil || got.Stance != parley.Rejects || got.Counter != "Prisoners are exchanged after the war." ||
		got.Classification.Level != parley.Shared || !slices.Equal(got.Classification.PartyIDs, []string{f.ukraine.ID, f.russia.ID}) {
		t.Errorf("got %+v, want Ukraine's rejection shared by Ukraine with Russia", got)
	}

	// Errors are shown at their inputs, with what was typed kept.
	long := strings.Repeat("x", parley.MaxSummaryLen+1)
	for _, tt := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no stance", positionForm(f.russia.ID, "", "kept note", ""), "stance"},
		{"unknown stance", positionForm(f.russia.ID, "maybe", "kept note", ""), "stance"},
		{"note too long", positionForm(f.russia.ID, "accepts", long, ""), "note"},
		{"counter too long", positionForm(f.russia.ID, "accepts", "kept note", long), "counter"},
		{"no party", positionForm("", "accepts", "kept note", ""), "party"},
		{"no level", positionForm(f.russia.ID, "accepts", "kept note", "", "classification", ""), "classification"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pagePost(t, f.env, path, tt.form).want(t, http.StatusBadRequest)
			if p.fieldError(tt.field) == "" {
				t.Errorf("no error shown at %s: %s", tt.field, gist(p.Body))
			}
			if tt.field != "note" {
				p.has(t, "kept note</textarea>")
			}
		})
	}
	pageGet(t, f.env, "/versions/"+f.before.ID+"/points/99/position").want(t, http.StatusNotFound)
	pagePost(t, f.observerEnv(t), path, positionForm(f.russia.ID, "accepts", "", "")).want(t, http.StatusForbidden)
}

// observerEnv returns an observer of the fixture's process.
func (f *positionFixture) observerEnv(tb testing.TB) *testEnv {
	tb.Helper()
	a := f.env.NewAccount(tb, "observer", false)
	f.env.Grant(tb, a, f.process.ID, parley.RoleObserver, "")
	return f.env.As(a)
}

// FuzzPositionForm posts odd notes and counter-wordings to the position
// form: the answer is the matrix (a saved position) or the form with its
// errors, never a server error, and nothing typed comes back as markup.
func FuzzPositionForm(f *testing.F) {
	for _, seed := range [][2]string{
		{"A note", "A wording"}, {"", ""}, {"<script>alert(1)</script>", "]]><svg onload=x>"}, {"\x00\x01", "\xff\xfe"},
		{strings.Repeat("é", parley.MaxSummaryLen+1), ""}, {"line\r\nbreak", "Prisoners are exchanged all for all."},
	} {
		f.Add(seed[0], seed[1])
	}
	fx := newPositionFixture(f)
	path := "/versions/" + fx.before.ID + "/points/2/position"
	f.Fuzz(func(t *testing.T, note, counter string) {
		p := pagePost(t, fx.env, path, positionForm(fx.russia.ID, "accepts", note, counter))
		switch p.Status {
		case http.StatusSeeOther, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("note %q, counter %q: status %d, want a redirect or the form with its errors", note, counter, p.Status)
		}
		for _, v := range []string{note, counter} {
			if strings.Contains(v, "<") && strings.Contains(p.Body, v) {
				t.Fatalf("the form echoes %q unescaped", v)
			}
		}
		if p.Status == http.StatusSeeOther {
			m := pageGet(t, fx.env, "/versions/"+fx.before.ID+"/positions").want(t, http.StatusOK)
			svgOf(t, m)
			for _, v := range []string{note, counter} {
				if strings.Contains(v, "<") && strings.Contains(m.Body, v) {
					t.Fatalf("the matrix shows %q unescaped", v)
				}
			}
		}
	})
}

// positionClasses are the classifications of the authorisation matrix a
// position may have (never the mediators' alone: a position is its
// party's), each with the party whose position it is and the point of
// the matrix's board it is on.
var positionClasses = []struct {
	class class
	party string // "A" or "B"
	point string
}{
	{clPublic, "A", "1"}, {clProcess, "A", "2"}, {clSharedA, "A", "3"}, {clConfA, "A", "4"},
	{clSharedB, "B", "1"}, {clConfB, "B", "2"},
}

// makePositions stores the positions of the authorisation matrix: on a
// public version of its own (the board), one position at every
// classification a position may have; and on the version of every
// classification of the carrier plan a public position of party C, seen
// only where its version is. Each note and counter-wording holds the
// position's marker.
func (f *authzFixture) makePositions(tb testing.TB) []*target {
	tb.Helper()
	ctx, svc := System, f.env.Svc
	public := parley.Classification{Level: parley.Public}
	plan := &parley.Plan{ProcessID: f.main, Title: "Board", Classification: public}
	must(tb, svc.Plans.CreatePlan(ctx, plan))
	board := &parley.Version{PlanID: plan.ID, Label: "Board", Date: day(40), Status: parley.Draft,
		Text: "1. First.\n2. Second.\n3. Third.\n4. Fourth.\n", Classification: public}
	must(tb, svc.Plans.CreateVersion(ctx, board))
	var out []*target
	add := func(kind string, c, owner class, party, versionID, point string, cl parley.Classification) {
		marker := mk(kind, c)
		p := &parley.Position{ProcessID: f.main, PartyID: party, VersionID: versionID, PointID: point, Stance: parley.Rejects,
			Note: "Note " + marker, Counter: "Counter " + marker, Classification: cl}
		must(tb, svc.Positions.SetPosition(ctx, p))
		stored := *p
		out = append(out, &target{kind: kind, class: c, owner: owner, id: p.ID, marker: marker, version: versionID,
			restore: func(ctx context.Context) error { q := stored; return svc.Positions.SetPosition(ctx, &q) }})
	}
	for _, pc := range positionClasses {
		party := map[string]string{"A": f.a, "B": f.b}[pc.party]
		add("position", pc.class, pc.class, party, board.ID, pc.point, f.classification(pc.class))
	}
	for _, v := range f.of("version") {
		add("position on version", v.class, clPublic, f.c, v.id, "1", public)
	}
	return out
}

// positionRoutes are the matrix's entries for the routes of positions.
// The consensus matrix and the API's list are lists of a version's
// positions; the form and the comparison read as their version does;
// setting a position (form or API) is the rule actSetPosition.
func (f *authzFixture) positionRoutes(rs map[string]route) {
	positions, onVersions := f.of("position"), f.of("position on version")
	all := slices.Concat(positions, onVersions)
	versions := f.of("version", "version in plan")
	board := &target{kind: "version", class: clPublic, owner: clPublic, id: positions[0].version}
	lists := append([]*target{board}, versions...)
	on := func(v *target) []*target {
		var out []*target
		for _, p := range all {
			if p.version == v.id {
				out = append(out, p)
			}
		}
		return out
	}
	per := func(ts []*target, fn func(t *target) probe) func(role) []probe {
		return func(role) []probe {
			out := make([]probe, len(ts))
			for k, t := range ts {
				out[k] = fn(t)
			}
			return out
		}
	}
	rs["GET /versions/{id}/positions"] = route{probes: per(lists, func(t *target) probe {
		return probe{act: actList, t: t, call: getCall("/versions/" + t.id + "/positions"), ok: 200, hidden: 404, listed: on(t)}
	})}
	rs["GET /api/v1/versions/{id}/positions"] = route{probes: per(lists, func(t *target) probe {
		return probe{act: actList, t: t, call: getCall("/api/v1/versions/" + t.id + "/positions"), api: true, ok: 200, hidden: 404, listed: on(t)}
	})}
	rs["GET /versions/{id}/positions/compare"] = route{probes: per(versions, func(t *target) probe {
		return probe{act: actRead, t: t, call: getCall("/versions/" + t.id + "/positions/compare?from=" + f.base), ok: 200, hidden: 404}
	})}
	// The form reads as its version does; on the board, it is opened
	// for every party on every point, and must show no position the
	// reader may not see (the matrix looks for their markers in every
	// answer).
	rs["GET /versions/{id}/points/{point}/position"] = route{probes: func(r role) []probe {
		out := per(versions, func(t *target) probe {
			return probe{act: actRead, t: t, call: getCall("/versions/" + t.id + "/points/1/position"), ok: 200, hidden: 404}
		})(r)
		for _, party := range []string{f.a, f.b, f.c} {
			for _, point := range []string{"1", "2", "3", "4"} {
				out = append(out, probe{act: actRead, t: board, ok: 200, hidden: 404,
					call: getCall("/versions/" + board.id + "/points/" + point + "/position?party=" + party)})
			}
		}
		return out
	}}
	rs["GET /api/v1/positions/{id}"] = route{probes: per(all, func(t *target) probe {
		return probe{act: actRead, t: t, call: getCall("/api/v1/positions/" + t.id), api: true, ok: 200, hidden: 404}
	})}
	// Each write sends the position as it is stored, so that an allowed
	// one changes only its time, and is put back all the same.
	stored := map[string]*parley.Position{}
	for _, t := range all {
		p, err := f.env.Svc.Positions.FindPositionByID(System, t.id)
		if err != nil {
			panic(err)
		}
		stored[t.id] = p
	}
	rs["PUT /api/v1/versions/{id}/points/{point}/positions/{party}"] = route{phase: 1, probes: per(all, func(t *target) probe {
		p := stored[t.id]
		return probe{act: actSetPosition, t: t, api: true, ok: 200, hidden: 404, undo: t.restore,
			call: jsonCall(http.MethodPut, "/api/v1/versions/"+p.VersionID+"/points/"+p.PointID+"/positions/"+p.PartyID,
				map[string]any{"stance": p.Stance, "note": p.Note, "counter": p.Counter, "classification": p.Classification})}
	})}
	rs["POST /versions/{id}/points/{point}/position"] = route{phase: 1, probes: per(all, func(t *target) probe {
		p := stored[t.id]
		form := url.Values{"party": {p.PartyID}, "stance": {string(p.Stance)}, "note": {p.Note}, "counter": {p.Counter},
			"classification": {string(p.Classification.Level)}}
		if p.Classification.Level == parley.Shared {
			form["classification_parties"] = p.Classification.PartyIDs[1:]
		}
		return probe{act: actSetPosition, t: t, ok: 303, okTo: "/versions/", hidden: 404, undo: t.restore,
			call: formCall("/versions/"+p.VersionID+"/points/"+p.PointID+"/position", form)}
	})}
}

// positionPaths are the GET routes of positions for TestNoGetChangesAnything,
// with a position stored in f to read.
func positionPaths(tb testing.TB, f *fixture) map[string][]string {
	tb.Helper()
	p := &parley.Position{ProcessID: f.process.ID, PartyID: f.russia.ID, VersionID: f.us28.ID, PointID: "1", Stance: parley.AcceptsWithChanges,
		Note: "Read, not changed", Counter: "A wording.", Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.russia.ID}}}
	must(tb, f.env.Svc.Positions.SetPosition(f.env.Ctx, p))
	return map[string][]string{
		"GET /versions/{id}/positions":               {"/versions/" + f.us28.ID + "/positions"},
		"GET /versions/{id}/positions/compare":       {"/versions/" + f.framework.ID + "/positions/compare", "/versions/" + f.us28.ID + "/positions/compare?from=" + f.framework.ID},
		"GET /versions/{id}/points/{point}/position": {"/versions/" + f.us28.ID + "/points/1/position", "/versions/" + f.us28.ID + "/points/1/position?party=" + f.ukraine.ID},
		"GET /api/v1/versions/{id}/positions":        {"/api/v1/versions/" + f.us28.ID + "/positions", "/api/v1/versions/" + f.us28.ID + "/positions?party=" + f.russia.ID},
		"GET /api/v1/positions/{id}":                 {"/api/v1/positions/" + p.ID},
	}
}

// addPositionCanaries puts a canary in the note of every position of the
// canary demo that is not public, and adds one of its own: the first
// party's position on the first point of a public version, confidential
// to it, with the canary in its note and its counter-wording. It returns
// that point, as "version/point", so that every page about it is
// crawled.
func (d *canaryDemo) addPositionCanaries(tb testing.TB, parties []*parley.Party) string {
	tb.Helper()
	ctx, svc := System, d.env.Svc
	a, err := svc.Archive.ExportProcess(ctx, d.processID)
	must(tb, err)
	for _, p := range a.Positions {
		if p.Classification.Level != parley.Public {
			p.Note = "CANARY-" + p.ID + " " + p.Note
			must(tb, svc.Positions.SetPosition(ctx, p))
		}
	}
	v, err := svc.Plans.FindVersionByID(ctx, d.public)
	must(tb, err)
	if len(v.Points) == 0 || len(parties) == 0 {
		tb.Fatalf("the demo's public version %s has no point, or the demo no party", d.public)
	}
	party, point := parties[0], v.Points[0]
	p := &parley.Position{ProcessID: d.processID, PartyID: party.ID, VersionID: v.ID, PointID: point.ID, Stance: parley.AcceptsWithChanges,
		Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{party.ID}}}
	must(tb, svc.Positions.SetPosition(ctx, p))
	p.Note = "CANARY-" + p.ID + " Our own reading, for us alone."
	p.Counter = "CANARY-" + p.ID + " " + point.Text
	must(tb, svc.Positions.SetPosition(ctx, p))
	return v.ID + "/" + point.ID
}

// positionSeenBy returns the classifications that must all let a reader
// see a position: its own, its party's, its version's and its plan's.
func positionSeenBy(a *parley.Archive, p *parley.Position) []parley.Classification {
	out := []parley.Classification{p.Classification}
	for _, x := range a.Parties {
		if x.ID == p.PartyID {
			out = append(out, x.Classification)
		}
	}
	for _, v := range a.Versions {
		if v.ID != p.VersionID {
			continue
		}
		out = append(out, v.Classification)
		for _, pl := range a.Plans {
			if pl.ID == v.PlanID {
				out = append(out, pl.Classification)
			}
		}
	}
	return out
}
