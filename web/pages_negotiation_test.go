package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"parley"
)

// negotiationFixture is the pages fixture with a negotiation model: two
// issues whose options are tied to points of the two example versions,
// Ukraine's preferences, and a delegate of each party and an observer.
//
// By Ukraine's numbers the US 28 points are worth 26 (army cap 600,000:
// 40 × 20 / 100; reliable guarantees: 60 × 30 / 100) and the framework
// 96 (800,000: 40 × 90 / 100; Article 5: 60 × 100 / 100).
type negotiationFixture struct {
	*fixture
	army, guarantee      *parley.Issue
	ukrainePrefs         *parley.Preferences
	ua, ru, obs          *testEnv // the delegates of Ukraine and Russia, an observer
	uaAccount, ruAccount *Account
}

// newNegotiationFixture builds the negotiation fixture.
func newNegotiationFixture(tb testing.TB) *negotiationFixture {
	tb.Helper()
	f := &negotiationFixture{fixture: newFixture(tb)}
	env, svc := f.env, f.env.Svc
	pub := parley.Classification{Level: parley.Public}
	f.army = &parley.Issue{ProcessID: f.process.ID, Name: "Army cap", Order: 1, Classification: pub, Options: []parley.IssueOption{
		{ID: "600k", Label: "600,000", Points: []parley.PointRef{{VersionID: f.us28.ID, PointID: "6"}}},
		{ID: "800k", Label: "800,000", Points: []parley.PointRef{{VersionID: f.framework.ID, PointID: "4"}}},
	}}
	must(tb, svc.Negotiation.CreateIssue(env.Ctx, f.army))
	f.guarantee = &parley.Issue{ProcessID: f.process.ID, Name: "Guarantee", Order: 2, Classification: pub, Options: []parley.IssueOption{
		{ID: "reliable", Label: "Reliable guarantees", Points: []parley.PointRef{{VersionID: f.us28.ID, PointID: "5"}}},
		{ID: "art5", Label: "Article 5 alike", Points: []parley.PointRef{{VersionID: f.framework.ID, PointID: "3"}}},
	}}
	must(tb, svc.Negotiation.CreateIssue(env.Ctx, f.guarantee))
	f.ukrainePrefs = &parley.Preferences{ProcessID: f.process.ID, PartyID: f.ukraine.ID,
		Weights:     map[string]int{f.army.ID: 40, f.guarantee.ID: 60},
		Ratings:     map[string]map[string]int{f.army.ID: {"600k": 20, "800k": 90}, f.guarantee.ID: {"reliable": 30, "art5": 100}},
		Reservation: 30, Note: "Illustrative numbers of Ukraine.", Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.ukraine.ID}}}
	must(tb, svc.Negotiation.SetPreferences(env.Ctx, f.ukrainePrefs))
	f.uaAccount = env.NewAccount(tb, "ua", false)
	env.Grant(tb, f.uaAccount, f.process.ID, parley.RoleDelegate, f.ukraine.ID)
	f.ruAccount = env.NewAccount(tb, "ru", false)
	env.Grant(tb, f.ruAccount, f.process.ID, parley.RoleDelegate, f.russia.ID)
	obs := env.NewAccount(tb, "obs", false)
	env.Grant(tb, obs, f.process.ID, parley.RoleObserver, "")
	f.ua, f.ru, f.obs = env.As(f.uaAccount), env.As(f.ruAccount), env.As(obs)
	return f
}

// russiaPrefs sets Russia's preferences: by them the US 28 points are
// worth 85 and the framework 20.
func (f *negotiationFixture) russiaPrefs(tb testing.TB) {
	tb.Helper()
	p := &parley.Preferences{ProcessID: f.process.ID, PartyID: f.russia.ID,
		Weights:     map[string]int{f.army.ID: 50, f.guarantee.ID: 50},
		Ratings:     map[string]map[string]int{f.army.ID: {"600k": 90, "800k": 30}, f.guarantee.ID: {"reliable": 80, "art5": 10}},
		Reservation: 15, Note: "Illustrative numbers of Russia.", Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.russia.ID}}}
	must(tb, f.env.Svc.Negotiation.SetPreferences(f.env.Ctx, p))
}

// rowOf returns the table row of a page whose header cell holds text.
func rowOf(tb testing.TB, p *page, text string) string {
	tb.Helper()
	for _, m := range regexp.MustCompile(`(?s)<tr[^>]*>.*?</tr>`).FindAllString(p.Body, -1) {
		if strings.Contains(m, text) {
			return m
		}
	}
	tb.Fatalf("the page has no table row with %q", text)
	return ""
}

// cells returns the texts of a row's data cells, with their character
// references decoded.
func cells(row string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(row, -1) {
		out = append(out, strings.TrimSpace(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], ""))))
	}
	return out
}

func TestIssuesPage(t *testing.T) {
	f := newNegotiationFixture(t)
	in := "/processes/" + f.process.ID
	p := pageGet(t, f.env, in+"/issues").want(t, http.StatusOK)
	p.has(t, "Army cap", "Guarantee", "600,000", "Article 5 alike",
		`href="/versions/`+f.us28.ID+`#p-6"`, `href="/versions/`+f.framework.ID+`#p-3"`,
		`href="/issues/`+f.army.ID+`/edit"`, in+"/issues/new", in+"/analysis",
		`href="`+in+`/preferences/`+f.ukraine.ID+`"`, `href="`+in+`/preferences/`+f.russia.ID+`"`)
	wantNoInlineCode(t, in+"/issues", p)
	// Which version settles which option: the unknown text settles none.
	for _, tt := range []struct {
		version string
		want    []string
	}{
		{"US 28 points", []string{"600,000", "Reliable guarantees"}},
		{"Framework", []string{"800,000", "Article 5 alike"}},
		{"Geneva revision", []string{"—not settled", "—not settled"}},
	} {
		if got := cells(rowOf(t, p, ">"+tt.version+"</a>")); !slices.Equal(got, tt.want) {
			t.Errorf("the row of %s: got %q, want %q", tt.version, got, tt.want)
		}
	}
	if i, j := strings.Index(p.Body, "Army cap"), strings.Index(p.Body, "Guarantee"); i > j {
		t.Errorf("the issues are not in order: Army cap at %d, Guarantee at %d", i, j)
	}

	// A delegate is led to its own party's preferences alone, and may not
	// change the model; an observer to none.
	ua := pageGet(t, f.ua, in+"/issues").want(t, http.StatusOK)
	ua.has(t, `href="`+in+`/preferences/`+f.ukraine.ID+`"`, "Only mediators change the negotiation model.")
	ua.hasNot(t, `/preferences/`+f.russia.ID, `/issues/`+f.army.ID+`/edit`)
	obs := pageGet(t, f.obs, in+"/issues").want(t, http.StatusOK)
	obs.hasNot(t, "/preferences/", in+"/analysis")

	// The dashboard leads to the model and the analysis.
	pageGet(t, f.env, in).want(t, http.StatusOK).has(t, `href="`+in+`/issues"`, `href="`+in+`/analysis"`, `href="`+in+`/map"`)
}

// issueForm is a filled-in issue form.
func issueForm(name string, rows ...[3]string) url.Values {
	v := url.Values{"name": {name}, "order": {"3"}, "classification": {"public"}}
	for k, r := range rows {
		n := string(rune('0' + k))
		v.Set("option_id_"+n, r[0])
		v.Set("option_label_"+n, r[1])
		v.Set("option_points_"+n, r[2])
	}
	return v
}

func TestIssueForm(t *testing.T) {
	f := newNegotiationFixture(t)
	in := "/processes/" + f.process.ID
	form := pageGet(t, f.env, in+"/issues/new?version="+f.framework.ID).want(t, http.StatusOK)
	form.has(t, `name="option_id_0"`, `name="option_label_2"`, `name="option_pick_0"`, `<label for="o-0-id">ID`,
		`value="`+f.framework.ID+`#4"`, `<input type="hidden" name="version" value="`+f.framework.ID+`">`)
	wantNoInlineCode(t, "the issue form", form)

	// Tied points picked from the list and typed, a blank row between.
	v := issueForm("Territory",
		[3]string{"freeze", "Freeze on the line", f.us28.ID + "#21"},
		[3]string{"", "", ""},
		[3]string{"withdraw", "Withdrawal", ""})
	v.Add("option_pick_2", f.framework.ID+"#14")
	v.Set("version", f.framework.ID)
	to := pagePost(t, f.env, in+"/issues/new", v).wantRedirect(t, in+"/issues#issue-")
	id := strings.TrimPrefix(to, in+"/issues#issue-")
	is, err := f.env.Svc.Negotiation.FindIssueByID(System, id)
	must(t, err)
	want := []parley.IssueOption{
		{ID: "freeze", Label: "Freeze on the line", Points: []parley.PointRef{{VersionID: f.us28.ID, PointID: "21"}}},
		{ID: "withdraw", Label: "Withdrawal", Points: []parley.PointRef{{VersionID: f.framework.ID, PointID: "14"}}},
	}
	if is.Name != "Territory" || is.Order != 3 || len(is.Options) != 2 ||
		!slices.EqualFunc(is.Options, want, func(a, b parley.IssueOption) bool {
			return a.ID == b.ID && a.Label == b.Label && slices.Equal(a.Points, b.Points)
		}) {
		t.Errorf("got issue %+v, want Territory, order 3, options %+v", is, want)
	}

	// The edit form shows the stored options, the picked ones selected.
	edit := pageGet(t, f.env, "/issues/"+id+"/edit?version="+f.framework.ID).want(t, http.StatusOK)
	edit.has(t, `value="freeze"`, `value="Withdrawal"`, `value="`+f.framework.ID+`#14" selected`, f.us28.ID+"#21</textarea>")

	for _, tt := range []struct {
		name  string
		form  url.Values
		field string
		words []string
		kept  []string
	}{
		{"one option", issueForm("Amnesty", [3]string{"full", "Full amnesty", ""}), "options",
			[]string{"at least two options"}, []string{`value="Full amnesty"`, `value="Amnesty"`}},
		{"no name", issueForm("", [3]string{"a", "A", ""}, [3]string{"b", "B", ""}), "name", nil, []string{`value="B"`}},
		{"bad tied point", issueForm("Amnesty", [3]string{"full", "Full", "not a point"}, [3]string{"none", "None", ""}), "options",
			[]string{"option 1", "line 1", "not a point"}, []string{"not a point</textarea>"}},
		{"option ID twice", issueForm("Amnesty", [3]string{"x", "One", ""}, [3]string{"x", "Two", ""}), "options",
			[]string{"option 2", "appears twice"}, []string{`value="Two"`}},
		{"point of no version", issueForm("Amnesty", [3]string{"a", "A", "nosuchversion#1"}, [3]string{"b", "B", ""}), "options",
			[]string{"option 1"}, []string{"nosuchversion#1</textarea>"}},
		{"bad order", func() url.Values {
			v := issueForm("Amnesty", [3]string{"a", "A", ""}, [3]string{"b", "B", ""})
			v.Set("order", "first")
			return v
		}(), "order", []string{"whole number"}, []string{`value="first"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pagePost(t, f.env, in+"/issues/new", tt.form).want(t, http.StatusBadRequest)
			msg := p.fieldError(tt.field)
			if msg == "" {
				t.Fatalf("no error at %s; the page:\n%s", tt.field, cutBody(p.Body))
			}
			for _, w := range tt.words {
				if !strings.Contains(msg, w) {
					t.Errorf("got error %q at %s, want it to mention %q", msg, tt.field, w)
				}
			}
			p.has(t, tt.kept...)
			p.has(t, "Nothing was saved.")
		})
	}
	issues, err := f.env.Svc.Negotiation.FindIssues(System, f.process.ID)
	must(t, err)
	if len(issues) != 3 {
		t.Errorf("got %d issues after the refused forms, want 3", len(issues))
	}

	// Only mediators write issues.
	pagePost(t, f.ua, in+"/issues/new", issueForm("Mine", [3]string{"a", "A", ""}, [3]string{"b", "B", ""})).want(t, http.StatusForbidden)
	v = issueForm("Army cap, renamed", [3]string{"600k", "600,000", f.us28.ID + "#6"}, [3]string{"800k", "800,000", f.framework.ID + "#4"})
	pagePost(t, f.ru, "/issues/"+f.army.ID+"/edit", v).want(t, http.StatusForbidden)
	pagePost(t, f.env, "/issues/"+f.army.ID+"/edit", v).wantRedirect(t, in+"/issues#issue-"+f.army.ID)
	if got, err := f.env.Svc.Negotiation.FindIssueByID(System, f.army.ID); err != nil || got.Name != "Army cap, renamed" {
		t.Errorf("after the mediator's edit: got %+v, %v, want the new name", got, err)
	}
}

// prefsForm is the preferences form of the fixture's issues.
func (f *negotiationFixture) prefsForm(action string, army, guarantee string, ratings ...string) url.Values {
	v := url.Values{"action": {action}, "reservation": {"25"}, "note": {"Typed <b>note</b>"},
		"weight:" + f.army.ID: {army}, "weight:" + f.guarantee.ID: {guarantee}}
	names := []string{"rating:" + f.army.ID + ":600k", "rating:" + f.army.ID + ":800k",
		"rating:" + f.guarantee.ID + ":reliable", "rating:" + f.guarantee.ID + ":art5"}
	for k, r := range ratings {
		v.Set(names[k], r)
	}
	return v
}

func TestPreferencesForm(t *testing.T) {
	f := newNegotiationFixture(t)
	path := "/processes/" + f.process.ID + "/preferences/" + f.ukraine.ID
	p := pageGet(t, f.ua, path).want(t, http.StatusOK)
	p.has(t, "Confidential to Ukraine", "100 importance points", "Illustrative numbers of Ukraine.",
		`name="weight:`+f.army.ID+`" value="40"`, `name="rating:`+f.guarantee.ID+`:art5" value="100"`,
		`value="check"`, "Check without saving", `<label for="f-weight:`+f.army.ID+`">`)
	wantNoInlineCode(t, path, p)
	// The check of the stored numbers: the framework first.
	p.hasText(t, "Your numbers rank Framework above US 28 points: 96 vs 26.", "Is that what you mean?")
	if i, j := strings.Index(p.Body, "Your best package"), strings.Index(p.Body, "Your worst package"); i < 0 || j < i {
		t.Errorf("the ranking does not list the best package before the worst: %d, %d", i, j)
	}

	before := mustPrefs(t, f, f.ukraine.ID)
	for _, tt := range []struct {
		name   string
		form   url.Values
		field  string
		words  []string
		kept   []string
		status int
	}{
		{"sum below 100", f.prefsForm("save", "45", "45", "10", "20", "30", "40"), "weights", []string{"sum to 90"},
			[]string{"Nothing was saved.", `value="45"`, "sum to <strong>90</strong>", `value="40"`, "Typed &lt;b&gt;note&lt;/b&gt;"}, 400},
		{"rating out of range", f.prefsForm("save", "40", "60", "10", "150", "30", "40"), "rating:" + f.army.ID + ":800k",
			[]string{"150", "not 0–100"}, []string{`value="150"`}, 400},
		{"rating not a number", f.prefsForm("check", "40", "60", "ten", "20", "30", "40"), "rating:" + f.army.ID + ":600k",
			[]string{"whole number", "ten"}, []string{`value="ten"`, "Not checked: the numbers do not hold together yet."}, 400},
		{"weight out of range", f.prefsForm("save", "140", "-40"), "weight:" + f.army.ID, []string{"140"}, []string{`value="-40"`}, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pagePost(t, f.ua, path, tt.form).want(t, tt.status)
			msg := p.fieldError(tt.field)
			if msg == "" {
				t.Fatalf("no error at %s; the page:\n%s", tt.field, cutBody(p.Body))
			}
			for _, w := range tt.words {
				if !strings.Contains(msg, w) {
					t.Errorf("got error %q at %s, want it to mention %q", msg, tt.field, w)
				}
			}
			p.has(t, tt.kept...)
		})
	}

	// Checking without saving ranks the typed numbers and stores nothing.
	check := pagePost(t, f.ua, path, f.prefsForm("check", "50", "50", "100", "0", "60", "20")).want(t, http.StatusOK)
	check.hasText(t, "checked without saving", "Your numbers rank US 28 points above Framework: 80 vs 10.")
	check.has(t, `value="100"`, `value="60"`)
	if after := mustPrefs(t, f, f.ukraine.ID); after.Note != before.Note || after.Weights[f.army.ID] != 40 {
		t.Errorf("checking without saving changed the stored preferences: %+v", after)
	}

	// Saving stores them; the page shows them with their check.
	v := f.prefsForm("save", "30", "70", "0", "100", "20", "90")
	v.Add("never", f.army.ID+":600k")
	pagePost(t, f.ua, path, v).wantRedirect(t, path)
	got := mustPrefs(t, f, f.ukraine.ID)
	if got.Weights[f.army.ID] != 30 || got.Ratings[f.guarantee.ID]["art5"] != 90 || got.Reservation != 25 ||
		got.Note != "Typed <b>note</b>" || !slices.Equal(got.Never, []parley.OptionRef{{IssueID: f.army.ID, OptionID: "600k"}}) ||
		got.Classification.Level != parley.Confidential || !slices.Equal(got.Classification.PartyIDs, []string{f.ukraine.ID}) {
		t.Errorf("got stored preferences %+v", got)
	}
	saved := pageGet(t, f.ua, path).want(t, http.StatusOK)
	saved.has(t, `value="`+f.army.ID+`:600k" checked`, `name="weight:`+f.guarantee.ID+`" value="70"`)
	saved.hasText(t, "Your numbers rank Framework above US 28 points: 93 vs 14.", "US 28 points holds what you never accept: Army cap: 600,000.")

	// Another party's delegate and an observer may neither see nor set
	// Ukraine's preferences; a mediator may.
	for _, tt := range []struct {
		who    string
		env    *testEnv
		status int
	}{{"Russia's delegate", f.ru, 403}, {"an observer", f.obs, 403}, {"the mediator", f.env, 200}} {
		got := pageGet(t, tt.env, path)
		if got.Status != tt.status {
			t.Errorf("GET %s as %s: got %d, want %d", path, tt.who, got.Status, tt.status)
		}
		if tt.status != 200 && strings.Contains(got.Body, "Typed") {
			t.Errorf("GET %s as %s shows Ukraine's note", path, tt.who)
		}
		if got := pagePost(t, tt.env, path, f.prefsForm("check", "50", "50")); got.Status != tt.status {
			t.Errorf("POST %s as %s: got %d, want %d", path, tt.who, got.Status, tt.status)
		}
	}
	pagePost(t, f.ru, path, f.prefsForm("save", "50", "50")).want(t, http.StatusForbidden)
	if after := mustPrefs(t, f, f.ukraine.ID); after.Weights[f.army.ID] != 30 {
		t.Errorf("a refused save changed the stored preferences: %+v", after)
	}
	pageGet(t, f.ru, "/processes/"+f.process.ID+"/preferences/nosuchparty").want(t, http.StatusNotFound)
}

// mustPrefs returns a party's stored preferences, as the system reads
// them.
func mustPrefs(tb testing.TB, f *negotiationFixture, partyID string) *parley.Preferences {
	tb.Helper()
	all, err := f.env.Svc.Negotiation.FindPreferences(System, f.process.ID)
	must(tb, err)
	for _, p := range all {
		if p.PartyID == partyID {
			return p
		}
	}
	tb.Fatalf("party %s has no preferences", partyID)
	return nil
}

// negotiationPaths gives the fixture f an issue and the preferences of a
// party, and returns the paths of the negotiation model's GET routes for
// TestNoGetChangesAnything to visit.
func negotiationPaths(tb testing.TB, f *fixture) map[string][]string {
	tb.Helper()
	svc, ctx := f.env.Svc, f.env.Ctx
	is := &parley.Issue{ProcessID: f.process.ID, Name: "Army cap", Classification: parley.Classification{Level: parley.Public},
		Options: []parley.IssueOption{
			{ID: "600k", Label: "600,000", Points: []parley.PointRef{{VersionID: f.us28.ID, PointID: "6"}}},
			{ID: "800k", Label: "800,000", Points: []parley.PointRef{{VersionID: f.framework.ID, PointID: "4"}}},
		}}
	must(tb, svc.Negotiation.CreateIssue(ctx, is))
	for _, party := range []string{f.russia.ID, f.ukraine.ID} {
		must(tb, svc.Negotiation.SetPreferences(ctx, &parley.Preferences{ProcessID: f.process.ID, PartyID: party,
			Weights: map[string]int{is.ID: 100}, Ratings: map[string]map[string]int{is.ID: {"600k": 10, "800k": 90}},
			Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{party}}}))
	}
	in := "/processes/" + f.process.ID
	return map[string][]string{
		"GET /processes/{id}/issues":              {in + "/issues"},
		"GET /processes/{id}/issues/new":          {in + "/issues/new", in + "/issues/new?version=" + f.us28.ID},
		"GET /issues/{id}/edit":                   {"/issues/" + is.ID + "/edit"},
		"GET /processes/{id}/preferences/{party}": {in + "/preferences/" + f.ukraine.ID},
		"GET /processes/{id}/analysis":            {in + "/analysis", in + "/analysis?version=" + f.us28.ID + "&previous=" + f.framework.ID},
		"GET /api/v1/processes/{id}/issues":       {"/api/v1" + in + "/issues"},
		"GET /api/v1/issues/{id}":                 {"/api/v1/issues/" + is.ID},
		"GET /api/v1/processes/{id}/preferences":  {"/api/v1" + in + "/preferences"},
		"GET /api/v1/processes/{id}/analysis":     {"/api/v1" + in + "/analysis?version=" + f.framework.ID},
	}
}

// The analysis of the fixture with both parties' numbers: the four
// packages (army cap × guarantee) are worth, to Ukraine and Russia,
// 26 and 85 (600,000 with reliable guarantees: the US 28 points), 68 and
// 50 (600,000 with Article 5), 54 and 55 (800,000 with reliable
// guarantees), 96 and 20 (800,000 with Article 5: the framework). All
// four are on the frontier; every fair method chooses 600,000 with
// Article 5 (Nash: 38 × 35 over the reservations 30 and 15).

func TestAnalysisPage(t *testing.T) {
	f := newNegotiationFixture(t)
	f.russiaPrefs(t)
	in := "/processes/" + f.process.ID
	path := in + "/analysis?version=" + f.framework.ID + "&previous=" + f.us28.ID
	p := pageGet(t, f.env, path).want(t, http.StatusOK)
	wantNoInlineCode(t, path, p)
	svg := svgOf(t, p)
	if marks := svg.all(func(n *svgNode) bool { return n.XMLName.Local == "title" }); len(marks) == 0 {
		t.Errorf("the plot has no title")
	}
	p.hasText(t, "Nash", "Kalai–Smorodinsky", "Maximin", "Largest total", "exact",
		"None: the version's package is on the frontier", "Utility of Ukraine", "Utility of Russia")
	for _, tt := range []struct {
		row  string
		want []string
	}{
		{`scope="row">Nash<`, []string{"600,000", "Article 5 alike", "50", "68"}}, // Russia's column first, by name
		{`scope="row">Largest total<`, []string{"600,000", "Article 5 alike", "50", "68"}},
		{`scope="row">Framework<`, []string{"800,000", "Article 5 alike", "20", "96"}},
		{`scope="row">Distance from the ideal<`, []string{"", "", "65", "0"}},
		{`scope="row">Russia<`, []string{"−30 600,000 → 800,000", "−35 Reliable guarantees → Article 5 alike", "−65"}},
		{`scope="row">Ukraine<`, []string{"+28 600,000 → 800,000", "+42 Reliable guarantees → Article 5 alike", "+70"}},
	} {
		if got := cells(rowOf(t, p, tt.row)); !slices.Equal(got, tt.want) {
			t.Errorf("the row %s: got %q, want %q", tt.row, got, tt.want)
		}
	}

	// A delegate sees the same packages with its own utilities alone,
	// and no plot: the other axis would be another party's numbers.
	ua := pageGet(t, f.ua, path).want(t, http.StatusOK)
	ua.hasNot(t, "<svg", "Utility of Russia")
	ua.hasText(t, "Confidential to Ukraine", "only the mediators see them")
	for _, tt := range []struct {
		row  string
		want []string
	}{
		{`scope="row">Nash<`, []string{"600,000", "Article 5 alike", "68"}},
		{`scope="row">Framework<`, []string{"800,000", "Article 5 alike", "96"}},
		{`scope="row">Ukraine<`, []string{"+28 600,000 → 800,000", "+42 Reliable guarantees → Article 5 alike", "+70"}},
	} {
		if got := cells(rowOf(t, ua, tt.row)); !slices.Equal(got, tt.want) {
			t.Errorf("as Ukraine's delegate, the row %s: got %q, want %q", tt.row, got, tt.want)
		}
	}
	for _, head := range regexp.MustCompile(`(?s)<thead>.*?</thead>`).FindAllString(ua.Body, -1) {
		if strings.Contains(head, "Russia") {
			t.Errorf("as Ukraine's delegate, a table has a column of Russia: %s", head)
		}
	}
	if strings.Contains(ua.Body, `scope="row">Russia<`) {
		t.Errorf("as Ukraine's delegate, the page has a row of Russia")
	}

	// Without a version the page analyses the latest one; the observer is
	// refused, as the store decides.
	pageGet(t, f.ru, in+"/analysis").want(t, http.StatusOK).hasText(t, "Framework")
	pageGet(t, f.obs, in+"/analysis").want(t, http.StatusForbidden)
	pageGet(t, f.env, in+"/analysis?version=nosuchversion").want(t, http.StatusNotFound)
	pageGet(t, f.env, in+"/analysis?x=nosuchparty").want(t, http.StatusBadRequest)

	// Unsettled: the version whose text is unknown settles nothing.
	pageGet(t, f.env, in+"/analysis?version="+f.unknown.ID).want(t, http.StatusOK).hasText(t, "Geneva revision does not settle every issue: Army cap, Guarantee are open", "Its text is unknown")
}

// addPreferencesCanaries starts the note of every party's preferences in
// the canary demo with a canary, as the system.
func (d *canaryDemo) addPreferencesCanaries(tb testing.TB) {
	tb.Helper()
	all, err := d.env.Svc.Negotiation.FindPreferences(System, d.processID)
	must(tb, err)
	if len(all) < 2 {
		tb.Fatalf("the demo has the preferences of %d parties, want two at least for their canaries", len(all))
	}
	for _, p := range all {
		p.Note = "CANARY-" + p.ID + " " + p.Note
		must(tb, d.env.Svc.Negotiation.SetPreferences(System, p))
	}
}

// testNegotiationCanaries: each party's preferences, with a canary in
// their note, show on no page, API answer or export of anyone but the
// party's delegates and the mediators; a delegate's analysis holds its
// own party's utilities alone.
func testNegotiationCanaries(t *testing.T, d *canaryDemo) {
	var prefs []*canaryRecord
	for _, rec := range d.records {
		if rec.kind == "preferences" {
			prefs = append(prefs, rec)
		}
	}
	if len(prefs) < 2 || prefs[0].canary == "" {
		t.Fatalf("the canary demo has %d preferences with canaries, want two at least", len(prefs))
	}
	in := "/processes/" + d.processID
	for _, acc := range d.accounts {
		env := d.as[acc.Name]
		c := &canaryCrawl{d: d, acc: acc, env: env, seen: map[string]int{}, hidden: map[string]bool{}}
		for _, rec := range d.hiddenFrom(acc) {
			c.hidden[rec.id] = true
		}
		if a, err := d.env.Svc.Archive.ExportProcess(env.Ctx, d.processID); err == nil {
			b, err := json.Marshal(a)
			must(t, err)
			c.look(t, "the export", &page{Body: string(b)}, "")
		}
		for _, party := range d.partyIDs {
			path := in + "/preferences/" + party
			p := pageGet(t, env, path)
			c.look(t, "GET "+path, p, path)
			if mine := acc.Role == parley.RoleMediator || (acc.Role == parley.RoleDelegate && d.partyIDs[acc.Party] == party); mine != (p.Status == http.StatusOK) {
				t.Errorf("GET %s as %s: got %d, want the form: %v", path, acc.Name, p.Status, mine)
			}
		}
		// Every canary of preferences the account must see shows on the
		// preferences page of its party.
		for _, rec := range prefs {
			if d.mustSee(acc, rec) && c.seen[rec.canary] == 0 {
				t.Errorf("%s does not see %s, the canary of preferences it may see", acc.Name, rec.canary)
			}
		}
		r := pageGet(t, env, "/api/v1"+in+"/analysis")
		c.look(t, "the analysis", r, "/api/v1"+in+"/analysis")
		if acc.Role != parley.RoleDelegate {
			continue
		}
		if r.Status != http.StatusOK {
			t.Errorf("the analysis as %s: got %d, want 200", acc.Name, r.Status)
			continue
		}
		var a parley.Analysis
		must(t, json.Unmarshal([]byte(r.Body), &a))
		own := d.partyIDs[acc.Party]
		wantOwn := func(where string, m map[string]float64) {
			for id := range m {
				if id != own {
					t.Errorf("the analysis as %s: %s holds the utility of %s, not its own party's (%s)", acc.Name, where, id, own)
				}
			}
		}
		packages := append([]*parley.AnalysedPackage{a.Tentative}, a.Frontier...)
		packages = append(packages, a.Improvements...)
		for _, f := range a.Fair {
			packages = append(packages, f.Package)
		}
		for k, p := range packages {
			if p != nil {
				wantOwn(fmt.Sprintf("package %d", k), p.Utility)
			}
		}
		wantOwn("the ideal", a.Ideal)
		wantOwn("the distance", a.Distance)
		for _, cn := range a.Concessions {
			if cn.PartyID != own {
				t.Errorf("the analysis as %s: a concession of %s", acc.Name, cn.PartyID)
			}
		}
	}
}

// FuzzPreferencesForm posts odd values to a party's preferences form,
// saved or checked: each answer is a page (a redirect, the check, or the
// form again with its errors), never a server error, and nothing typed
// comes back as markup.
func FuzzPreferencesForm(f *testing.F) {
	fx := newNegotiationFixture(f)
	weight, rating := "weight:"+fx.army.ID, "rating:"+fx.guarantee.ID+":art5"
	for _, seed := range []struct{ action, name, value string }{
		{"save", weight, "40"}, {"check", weight, "1e2"}, {"save", rating, "-0"}, {"check", rating, "99999999999999999999"},
		{"save", "note", "<script>alert(1)</script>"}, {"check", "never", fx.army.ID + ":nosuch"}, {"save", "never", "::"},
		{"save", "reservation", "\x00"}, {"check", "weight:nosuchissue", "50"}, {"nothing", "action", "<b>"},
	} {
		f.Add(seed.action, seed.name, seed.value)
	}
	path := "/processes/" + fx.process.ID + "/preferences/" + fx.ukraine.ID
	f.Fuzz(func(t *testing.T, action, name, value string) {
		v := fx.prefsForm(action, "40", "60", "20", "90", "30", "100")
		v.Set(name, value)
		p := pagePost(t, fx.ua, path, v)
		switch p.Status {
		case http.StatusSeeOther, http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("%s=%q (%s): status %d, want a redirect, the check or the form with its errors", name, value, action, p.Status)
		}
		if strings.Contains(value, "<") && strings.Contains(p.Body, value) {
			t.Fatalf("the preferences form echoes %q unescaped", value)
		}
	})
}

// FuzzIssueForm posts odd values to the form of a new issue.
func FuzzIssueForm(f *testing.F) {
	fx := newNegotiationFixture(f)
	for _, seed := range []struct{ name, value string }{
		{"name", "Amnesty"}, {"order", "-3"}, {"order", "99999999999999999999"}, {"divisible", "yes"}, {"default", "b"},
		{"option_id_0", "a:b"}, {"option_points_0", "#\n#1\nv#\n" + fx.us28.ID + "#nosuch"}, {"option_pick_1", "<i>#</i>"},
		{"option_label_1", "<script>alert(1)</script>"}, {"classification", "confidential"}, {"version", "nosuchversion"},
		{"option_id_52", "late"},
	} {
		f.Add(seed.name, seed.value)
	}
	path := "/processes/" + fx.process.ID + "/issues/new"
	f.Fuzz(func(t *testing.T, name, value string) {
		v := issueForm("Fuzzed", [3]string{"a", "A", fx.us28.ID + "#1"}, [3]string{"b", "B", ""})
		v.Set(name, value)
		p := pagePost(t, fx.env, path, v)
		switch p.Status {
		case http.StatusSeeOther, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("%s=%q: status %d, want a redirect or the form with its errors", name, value, p.Status)
		}
		if strings.Contains(value, "<") && strings.Contains(p.Body, value) {
			t.Fatalf("the issue form echoes %q unescaped", value)
		}
	})
}

// A version whose package holds an option a party will never accept is
// flagged to the mediator, with whose veto it is, and to the vetoing
// party's delegate; another party's delegate is not told of it.
func TestAnalysisPageVetoes(t *testing.T) {
	f := newNegotiationFixture(t)
	f.russiaPrefs(t)
	f.ukrainePrefs.Never = []parley.OptionRef{{IssueID: f.army.ID, OptionID: "600k"}}
	must(t, f.env.Svc.Negotiation.SetPreferences(f.env.Ctx, f.ukrainePrefs))
	path := "/processes/" + f.process.ID + "/analysis?version=" + f.us28.ID
	veto := "Ukraine will never accept Army cap: 600,000."

	p := pageGet(t, f.env, path).want(t, http.StatusOK)
	p.hasText(t, "Not acceptable to every party", veto, "no feasible package gives every party at least what this one does")
	p.hasNot(t, "the version's package is on the frontier")

	// Whether another party vetoes it is that party's secret.
	ru := pageGet(t, f.ru, path).want(t, http.StatusOK)
	ru.hasNot(t, "Not acceptable to every party", veto)

	ua := pageGet(t, f.ua, path).want(t, http.StatusOK)
	ua.hasText(t, "Not acceptable to every party", veto)

	// The framework holds no vetoed option.
	pageGet(t, f.env, "/processes/"+f.process.ID+"/analysis?version="+f.framework.ID).want(t, http.StatusOK).
		hasNot(t, "Not acceptable to every party")
}
