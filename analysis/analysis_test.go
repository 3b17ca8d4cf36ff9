package analysis_test

import (
	"encoding/json"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"

	"parley"
	"parley/analysis"
	"parley/bargain"
)

// model is a small negotiation between Russia and Ukraine (and, in the
// three-party variant, the United States) over the army cap and NATO
// membership, with the versions of a plan that settle them.
type model struct {
	ru, ua, us *parley.Party
	army, nato *parley.Issue
	plant      *parley.Issue // divisible; in the three-party variant only
	// v1: 600k, no; v2: 800k, open; v3: 800k, no; partial: the army cap
	// only; both: a version tying both army options.
	v1, v2, v3, partial, both *parley.Version
	ruPrefs, uaPrefs, usPrefs *parley.Preferences
}

func version(id string, points ...string) *parley.Version {
	v := &parley.Version{ID: id}
	for _, p := range points {
		v.Points = append(v.Points, &parley.Point{ID: p})
	}
	return v
}

func ref(v *parley.Version, point string) parley.PointRef {
	return parley.PointRef{VersionID: v.ID, PointID: point}
}

func newModel() *model {
	m := &model{
		ru: &parley.Party{ID: "ru-id-000001", Name: "Russia"},
		ua: &parley.Party{ID: "ua-id-000001", Name: "Ukraine"},
		us: &parley.Party{ID: "us-id-000001", Name: "United States"},
	}
	m.v1, m.v2, m.v3 = version("v1", "1", "2", "3"), version("v2", "1", "2", "3"), version("v3", "1", "2", "3")
	m.partial, m.both = version("partial", "1"), version("both", "1", "2")
	m.army = &parley.Issue{ID: "army", Name: "Army cap", Options: []parley.IssueOption{
		{ID: "600k", Label: "600,000", Points: []parley.PointRef{ref(m.v1, "1"), ref(m.both, "2")}},
		{ID: "800k", Label: "800,000", Points: []parley.PointRef{ref(m.v2, "1"), ref(m.v3, "1"), ref(m.partial, "1"), ref(m.both, "1")}},
	}}
	m.nato = &parley.Issue{ID: "nato", Name: "NATO membership", Options: []parley.IssueOption{
		{ID: "no", Label: "Ruled out", Points: []parley.PointRef{ref(m.v1, "2"), ref(m.v3, "2")}},
		{ID: "open", Label: "Left open", Points: []parley.PointRef{ref(m.v2, "2")}},
	}}
	m.plant = &parley.Issue{ID: "plant", Name: "Zaporizhzhia plant", Divisible: true, Options: []parley.IssueOption{
		{ID: "us", Label: "Run by the US"}, {ID: "ua", Label: "Run by Ukraine"},
	}}
	prefs := func(pt *parley.Party, wArmy, wNato, r600k, r800k, rNo, rOpen int) *parley.Preferences {
		return &parley.Preferences{ID: "prefs-" + pt.ID, PartyID: pt.ID,
			Weights: map[string]int{"army": wArmy, "nato": wNato},
			Ratings: map[string]map[string]int{"army": {"600k": r600k, "800k": r800k}, "nato": {"no": rNo, "open": rOpen}}}
	}
	m.ruPrefs = prefs(m.ru, 70, 30, 100, 0, 100, 0)
	m.uaPrefs = prefs(m.ua, 40, 60, 0, 100, 0, 100)
	return m
}

// threeParties adds the United States and the plant to the model.
func (m *model) threeParties() {
	m.ruPrefs.Weights = map[string]int{"army": 60, "nato": 20, "plant": 20}
	m.ruPrefs.Ratings["plant"] = map[string]int{"us": 100, "ua": 0}
	m.uaPrefs.Weights = map[string]int{"army": 30, "nato": 40, "plant": 30}
	m.uaPrefs.Ratings["plant"] = map[string]int{"us": 20, "ua": 100}
	m.usPrefs = &parley.Preferences{ID: "prefs-us", PartyID: m.us.ID, Reservation: 10,
		Weights: map[string]int{"army": 10, "nato": 20, "plant": 70},
		Ratings: map[string]map[string]int{"army": {"600k": 50, "800k": 50}, "nato": {"no": 30, "open": 60}, "plant": {"us": 100, "ua": 30}}}
}

func TestProblem(t *testing.T) {
	m := newModel()
	m.uaPrefs.Ratings["army"]["1m"] = 40 // an option the issue no longer has
	m.uaPrefs.Never = []parley.OptionRef{{IssueID: "nato", OptionID: "no"}, {IssueID: "army", OptionID: "1m"}}
	issues := []*parley.Issue{m.army, m.nato, m.plant}
	m.ruPrefs.Weights = map[string]int{"army": 50, "nato": 30, "plant": 20}
	p, err := analysis.Problem([]*parley.Party{m.ru, m.ua, m.us}, issues, []*parley.Preferences{m.uaPrefs, m.ruPrefs})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{m.ru.ID, m.ua.ID}; !slices.Equal(p.Parties, want) {
		t.Errorf("got parties %q, want %q: those with preferences, in the order given, by ID", p.Parties, want)
	}
	if p.Steps != analysis.Steps || analysis.Steps != 4 {
		t.Errorf("got steps %d, want quarters", p.Steps)
	}
	wantIssues := []bargain.Issue{{ID: "army", Options: []string{"600k", "800k"}}, {ID: "nato", Options: []string{"no", "open"}},
		{ID: "plant", Options: []string{"us", "ua"}, Divisible: true}}
	if !reflect.DeepEqual(p.Issues, wantIssues) {
		t.Errorf("got issues %+v, want %+v", p.Issues, wantIssues)
	}
	ua := p.Preferences[m.ua.ID]
	if _, ok := ua.Ratings["army"]["1m"]; ok || ua.Ratings["army"]["800k"] != 100 {
		t.Errorf("got Ukraine's army ratings %v, want 600k and 800k only", ua.Ratings["army"])
	}
	if want := []string{"nato:no"}; !slices.Equal(ua.Never, want) {
		t.Errorf("got Ukraine's never-list %q, want %q", ua.Never, want)
	}
	if ru := p.Preferences[m.ru.ID]; ru.Weights["plant"] != 20 || ru.Reservation != 0 {
		t.Errorf("got Russia's preferences %+v, want the plant weighed 20", ru)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("the problem is invalid: %v", err)
	}

	bad := []struct {
		name  string
		prefs []*parley.Preferences
		want  string
	}{
		{"a party not of the process", []*parley.Preferences{{PartyID: "elsewhere"}}, "elsewhere"},
		{"two sets for one party", []*parley.Preferences{m.ruPrefs, m.ruPrefs}, "two sets"},
	}
	for _, tt := range bad {
		_, err := analysis.Problem([]*parley.Party{m.ru, m.ua}, issues, tt.prefs)
		if parley.ErrorCode(err) != parley.EINVALID || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an invalid error with %q", tt.name, err, tt.want)
		}
	}
}

func TestPackageOf(t *testing.T) {
	m := newModel()
	issues := []*parley.Issue{m.army, m.nato}
	tests := []struct {
		name      string
		v         *parley.Version
		want      map[string]string
		unsettled []string
	}{
		{"first draft", m.v1, map[string]string{"army": "600k", "nato": "no"}, nil},
		{"counter-draft", m.v2, map[string]string{"army": "800k", "nato": "open"}, nil},
		{"framework", m.v3, map[string]string{"army": "800k", "nato": "no"}, nil},
		{"army only", m.partial, map[string]string{"army": "800k"}, []string{"nato"}},
		{"both options tied: the first in order", m.both, map[string]string{"army": "600k"}, []string{"nato"}},
		{"a version tied to nothing", version("other", "1", "2"), map[string]string{}, []string{"army", "nato"}},
		{"no version", nil, map[string]string{}, []string{"army", "nato"}},
	}
	for _, tt := range tests {
		check(t, tt.name, tt.v, issues, tt.want, tt.unsettled)
	}

	// Silence means the default: a version that ties no option of NATO
	// membership rules it out, unless its text is unknown.
	nato := *m.nato
	nato.Default = "no"
	issues = []*parley.Issue{m.army, &nato}
	reported := version("reported")
	reported.TextUnknown = true
	check(t, "silence", m.partial, issues, map[string]string{"army": "800k", "nato": "no"}, nil)
	check(t, "a tie beats the default", m.v2, issues, map[string]string{"army": "800k", "nato": "open"}, nil)
	check(t, "a version known by report", reported, issues, map[string]string{}, []string{"army", "nato"})
	// A text that ties no option at all is not a version of these talks
	// (the template of another conflict): defaults do not speak for it.
	check(t, "a version tied to nothing, with a default", version("other", "1", "2"), issues, map[string]string{}, []string{"army", "nato"})
}

// check compares the package of a version with the options wanted.
func check(t *testing.T, name string, v *parley.Version, issues []*parley.Issue, want map[string]string, wantUnsettled []string) {
	t.Helper()
	pkg, unsettled := analysis.PackageOf(v, issues)
	got := map[string]string{}
	for id, c := range pkg {
		got[id] = c.Option
	}
	if !maps.Equal(got, want) || !slices.Equal(unsettled, wantUnsettled) {
		t.Errorf("%s: got %v unsettled %q, want %v unsettled %q", name, got, unsettled, want, wantUnsettled)
	}
}

// utilities returns a package's utilities as "party=U" in party order.
func utilities(p *parley.AnalysedPackage, parties ...*parley.Party) string {
	var out []string
	for _, pt := range parties {
		if u, ok := p.Utility[pt.ID]; ok {
			out = append(out, pt.Name+"="+big.NewRat(int64(u*100+0.5), 100).FloatString(2))
		}
	}
	return strings.Join(out, " ")
}

// choice writes a package's choice as "army nato" options.
func choice(p *parley.AnalysedPackage) string { return p.Choice["army"] + " " + p.Choice["nato"] }

func TestRunTwoParties(t *testing.T) {
	m := newModel()
	a, err := analysis.Run(analysis.Input{ProcessID: "p", Parties: []*parley.Party{m.ru, m.ua, m.us},
		Issues: []*parley.Issue{m.army, m.nato}, Preferences: []*parley.Preferences{m.uaPrefs, m.ruPrefs},
		Version: m.v3, Previous: m.v2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Parties, []string{m.ru.ID, m.ua.ID}) || !slices.Equal(a.Missing, []string{m.us.ID}) {
		t.Errorf("got parties %q missing %q, want Russia and Ukraine, the United States missing", a.Parties, a.Missing)
	}
	if !slices.Equal(a.Issues, []string{"army", "nato"}) || a.VersionID != "v3" || a.PreviousID != "v2" {
		t.Errorf("got issues %q version %q previous %q", a.Issues, a.VersionID, a.PreviousID)
	}
	// By hand: (600k, no) gives Russia 100 and Ukraine 0; (600k, open)
	// 70 and 60; (800k, open) 0 and 100; (800k, no) 30 and 40, which
	// (600k, open) dominates.
	var frontier []string
	for _, p := range a.Frontier {
		frontier = append(frontier, choice(p)+": "+utilities(p, m.ru, m.ua))
	}
	want := []string{"600k no: Russia=100.00 Ukraine=0.00", "600k open: Russia=70.00 Ukraine=60.00", "800k open: Russia=0.00 Ukraine=100.00"}
	if !a.Exact || !slices.Equal(frontier, want) {
		t.Errorf("got frontier %q (exact %v), want %q", frontier, a.Exact, want)
	}
	var fair []string
	for _, f := range a.Fair {
		if f.Package == nil {
			fair = append(fair, f.Method+": none")
			continue
		}
		fair = append(fair, f.Method+": "+choice(f.Package))
	}
	if want := []string{"nash: 600k open", "ks: 600k open", "maximin: 600k open", "maxsum: 600k open"}; !slices.Equal(fair, want) {
		t.Errorf("got fair packages %q, want %q", fair, want)
	}
	if a.Tentative == nil || choice(a.Tentative) != "800k no" || utilities(a.Tentative, m.ru, m.ua) != "Russia=30.00 Ukraine=40.00" {
		t.Fatalf("got tentative %+v, want 800k no with Russia 30 and Ukraine 40", a.Tentative)
	}
	if want := map[string]float64{m.ru.ID: 100, m.ua.ID: 100}; !maps.Equal(a.Ideal, want) {
		t.Errorf("got ideal %v, want %v", a.Ideal, want)
	}
	if want := map[string]float64{m.ru.ID: 70, m.ua.ID: 60}; !maps.Equal(a.Distance, want) {
		t.Errorf("got distance %v, want %v", a.Distance, want)
	}
	// From the counter-draft to the framework NATO membership went from
	// open to ruled out: Ukraine lost 60, Russia gained 30.
	wantConcessions := []parley.Concession{
		{PartyID: m.ru.ID, IssueID: "nato", From: "open", To: "no", Loss: -30},
		{PartyID: m.ua.ID, IssueID: "nato", From: "open", To: "no", Loss: 60},
	}
	if !reflect.DeepEqual(a.Concessions, wantConcessions) {
		t.Errorf("got concessions %+v, want %+v", a.Concessions, wantConcessions)
	}
	if len(a.Improvements) != 1 || choice(a.Improvements[0]) != "600k open" || a.NoImprovement {
		t.Errorf("got improvements %+v (none: %v), want 600k open", a.Improvements, a.NoImprovement)
	}

	// The counter-draft is on the frontier: nothing improves on it.
	a, err = analysis.Run(analysis.Input{Parties: []*parley.Party{m.ru, m.ua}, Issues: []*parley.Issue{m.army, m.nato},
		Preferences: []*parley.Preferences{m.uaPrefs, m.ruPrefs}, Version: m.v2})
	if err != nil {
		t.Fatal(err)
	}
	if !a.NoImprovement || len(a.Improvements) != 0 || a.Concessions != nil {
		t.Errorf("the counter-draft: got %d improvements (none: %v) and concessions %v, want none of either",
			len(a.Improvements), a.NoImprovement, a.Concessions)
	}
}

func TestRunUnsettled(t *testing.T) {
	m := newModel()
	a, err := analysis.Run(analysis.Input{Parties: []*parley.Party{m.ru, m.ua}, Issues: []*parley.Issue{m.army, m.nato},
		Preferences: []*parley.Preferences{m.uaPrefs, m.ruPrefs}, Version: m.partial, Previous: m.v1})
	if err != nil {
		t.Fatal(err)
	}
	if a.Tentative != nil || !slices.Equal(a.Unsettled, []string{"nato"}) || a.Ideal != nil || a.Concessions != nil || a.Improvements != nil {
		t.Errorf("a version settling the army cap only: got tentative %+v unsettled %q; want no tentative package, NATO unsettled",
			a.Tentative, a.Unsettled)
	}
	if len(a.Frontier) != 3 || len(a.Fair) != 4 {
		t.Errorf("got %d frontier packages and %d fair ones, want 3 and 4 whatever the version", len(a.Frontier), len(a.Fair))
	}
}

func TestRunFewParties(t *testing.T) {
	m := newModel()
	issues := []*parley.Issue{m.army, m.nato}
	a, err := analysis.Run(analysis.Input{Parties: []*parley.Party{m.ru, m.ua}, Issues: issues,
		Preferences: []*parley.Preferences{m.uaPrefs}, Version: m.v3, Previous: m.v2})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Frontier) != 0 || len(a.Fair) != 0 || a.Improvements != nil || !slices.Equal(a.Missing, []string{m.ru.ID}) {
		t.Errorf("one party: got %d frontier, %d fair, %d improvements, missing %q; want none, Russia missing",
			len(a.Frontier), len(a.Fair), len(a.Improvements), a.Missing)
	}
	if a.Tentative == nil || utilities(a.Tentative, m.ru, m.ua) != "Ukraine=40.00" || a.Distance[m.ua.ID] != 60 || len(a.Concessions) != 1 {
		t.Errorf("one party: got tentative %+v, distance %v, concessions %v; want Ukraine's 40, 60 from its ideal, one concession",
			a.Tentative, a.Distance, a.Concessions)
	}

	a, err = analysis.Run(analysis.Input{Parties: []*parley.Party{m.ru, m.ua}, Issues: issues, Version: m.v1})
	if err != nil {
		t.Fatal(err)
	}
	if a.Tentative == nil || choice(a.Tentative) != "600k no" || len(a.Tentative.Utility) != 0 || len(a.Missing) != 2 {
		t.Errorf("no preferences: got tentative %+v, missing %q; want the package without utilities, both missing", a.Tentative, a.Missing)
	}
	if b, err := json.Marshal(a); err != nil || !strings.Contains(string(b), `"frontier":[]`) {
		t.Errorf("no preferences: got %s (%v), want an empty frontier", b, err)
	}

	a, err = analysis.Run(analysis.Input{Parties: []*parley.Party{m.ru, m.ua}, Preferences: nil})
	if err != nil || len(a.Issues) != 0 {
		t.Errorf("no model at all: got %+v, %v; want an empty analysis", a, err)
	}
}

func TestRunThreeParties(t *testing.T) {
	m := newModel()
	m.threeParties()
	issues := []*parley.Issue{m.army, m.nato, m.plant}
	a, err := analysis.Run(analysis.Input{Parties: []*parley.Party{m.ru, m.ua, m.us}, Issues: issues,
		Preferences: []*parley.Preferences{m.uaPrefs, m.ruPrefs, m.usPrefs}, Version: m.v3})
	if err != nil {
		t.Fatal(err)
	}
	if a.Exact || len(a.Frontier) == 0 || len(a.Fair) != 4 || a.Tentative != nil {
		t.Errorf("three parties: got exact %v, %d frontier packages, %d fair ones, tentative %v; want an ε-Pareto set, "+
			"four fair packages, no tentative package (the plant is unsettled)", a.Exact, len(a.Frontier), len(a.Fair), a.Tentative)
	}
	for _, p := range a.Frontier {
		if len(p.Utility) != 3 {
			t.Errorf("a frontier package has utilities %v, want three parties'", p.Utility)
		}
		_, whole := p.Choice["plant"]
		shares := p.Shares["plant"]
		if whole == (shares != nil) {
			t.Errorf("a frontier package settles the plant as %q and %v, want one of them", p.Choice["plant"], shares)
		}
		for o, s := range shares {
			r, ok := new(big.Rat).SetString(s)
			if !ok || new(big.Rat).Mul(r, big.NewRat(analysis.Steps, 1)).IsInt() == false {
				t.Errorf("the plant's share of %s is %q, want a multiple of 1/%d", o, s, analysis.Steps)
			}
		}
	}
}

func TestRunErrorsNameParties(t *testing.T) {
	m := newModel()
	// An issue removed from the model leaves Ukraine's weights short.
	m.uaPrefs.Weights["gone"], m.uaPrefs.Weights["army"] = 30, 10
	_, err := analysis.Run(analysis.Input{Parties: []*parley.Party{m.ru, m.ua}, Issues: []*parley.Issue{m.army, m.nato},
		Preferences: []*parley.Preferences{m.uaPrefs, m.ruPrefs}})
	if parley.ErrorCode(err) != parley.EINVALID || !strings.Contains(err.Error(), "Ukraine") || strings.Contains(err.Error(), m.ua.ID) {
		t.Errorf("got %v, want an invalid model naming Ukraine, not its ID", err)
	}
}

func TestRedact(t *testing.T) {
	m := newModel()
	a, err := analysis.Run(analysis.Input{ProcessID: "p", Parties: []*parley.Party{m.ru, m.ua}, Issues: []*parley.Issue{m.army, m.nato},
		Preferences: []*parley.Preferences{m.uaPrefs, m.ruPrefs}, Version: m.v3, Previous: m.v2})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(a)

	med := analysis.Redact(a, parley.System.In("p"))
	if got, _ := json.Marshal(med); string(got) != string(before) {
		t.Errorf("a mediator's analysis differs from the whole:\n%s\nwant\n%s", got, before)
	}

	d := analysis.Redact(a, parley.Access{Role: parley.RoleDelegate, PartyID: m.ua.ID})
	if d.Viewer != m.ua.ID {
		t.Errorf("got viewer %q, want Ukraine", d.Viewer)
	}
	numbers, err := json.Marshal([]any{d.Tentative, d.Ideal, d.Distance, d.Concessions, d.Frontier, d.Fair, d.Improvements})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(numbers), m.ru.ID) {
		t.Errorf("Ukraine's delegate gets Russia's numbers: %s", numbers)
	}
	if !strings.Contains(string(numbers), m.ua.ID) {
		t.Errorf("Ukraine's delegate does not get its own numbers: %s", numbers)
	}
	if len(d.Frontier) != len(a.Frontier) || len(d.Fair) != 4 || d.Fair[0].Package == nil || choice(d.Fair[0].Package) != "600k open" ||
		len(d.Improvements) != 1 || choice(d.Tentative) != "800k no" || len(d.Concessions) != 1 {
		t.Errorf("Ukraine's delegate gets %+v, want every package and its own concession", d)
	}
	for _, p := range d.Frontier {
		if len(p.Utility) != 1 {
			t.Errorf("a frontier package shows utilities %v, want Ukraine's alone", p.Utility)
		}
	}
	if after, _ := json.Marshal(a); string(after) != string(before) {
		t.Errorf("Redact changed the analysis it was given")
	}

	for _, acc := range []parley.Access{{Role: parley.RoleObserver}, {}, {Role: parley.RoleDelegate}} {
		if got := analysis.Redact(a, acc); got != nil {
			t.Errorf("%+v: got %+v, want nothing", acc, got)
		}
	}
	if got := analysis.Redact(nil, parley.System.In("p")); got != nil {
		t.Errorf("redacting nothing: got %+v", got)
	}
}

func TestRanking(t *testing.T) {
	m := newModel()
	issues := []*parley.Issue{m.army, m.nato}
	m.uaPrefs.Reservation = 50
	m.uaPrefs.Never = []parley.OptionRef{{IssueID: "nato", OptionID: "no"}}
	named := map[string]bargain.Package{}
	for _, v := range []*parley.Version{m.v1, m.v3, m.partial} {
		named[v.ID], _ = analysis.PackageOf(v, issues)
	}
	got := analysis.Ranking(issues, m.uaPrefs, named)
	type row struct {
		label, kind string
		utility     float64
		options     string
		never       int
		below       bool
		unsettled   int
	}
	var rows []row
	for _, r := range got {
		var opts []string
		for _, c := range r.Choices {
			opts = append(opts, c.Issue+"="+c.Option)
		}
		rows = append(rows, row{r.Label, r.Kind, r.Utility, strings.Join(opts, ", "), len(r.Never), r.Below, len(r.Unsettled)})
	}
	want := []row{
		{"best package", analysis.KindBest, 100, "Army cap=800,000, NATO membership=Left open", 0, false, 0},
		{"partial", analysis.KindNamed, 40, "Army cap=800,000", 0, true, 1},
		{"v3", analysis.KindNamed, 40, "Army cap=800,000, NATO membership=Ruled out", 1, true, 0},
		{"v1", analysis.KindNamed, 0, "Army cap=600,000, NATO membership=Ruled out", 1, true, 0},
		{"worst package", analysis.KindWorst, 0, "Army cap=600,000, NATO membership=Ruled out", 1, true, 0},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got ranking\n%+v\nwant\n%+v", rows, want)
	}

	// A split counts each option by its share.
	split := bargain.Package{"army": {Shares: map[string]*big.Rat{"600k": big.NewRat(1, 4), "800k": big.NewRat(3, 4)}},
		"nato": {Option: "open"}}
	got = analysis.Ranking(issues, m.uaPrefs, map[string]bargain.Package{"split": split})
	for _, r := range got {
		if r.Label == "split" && (r.Utility != 90 || len(r.Choices) != 3 || r.Choices[0].Share != "1/4") {
			t.Errorf("a split package: got %+v, want utility 40 × 3/4 + 60 = 90 with the army's shares", r)
		}
	}
	if got := analysis.Ranking(issues, nil, nil); len(got) != 2 {
		t.Errorf("no preferences: got %d packages, want the best and worst", len(got))
	}
}

// A tentative package with an option on a party's never-list is
// infeasible: the veto names the party and the option; a party under its
// reservation is listed below it; a delegate is shown its own vetoes and
// reservation alone.
func TestRunVetoes(t *testing.T) {
	m := newModel()
	m.uaPrefs.Never = []parley.OptionRef{{IssueID: "nato", OptionID: "no"}}
	m.ruPrefs.Never = []parley.OptionRef{{IssueID: "army", OptionID: "800k"}}
	m.ruPrefs.Reservation = 50
	a, err := analysis.Run(analysis.Input{ProcessID: "p", Parties: []*parley.Party{m.ru, m.ua}, Issues: []*parley.Issue{m.army, m.nato},
		Preferences: []*parley.Preferences{m.uaPrefs, m.ruPrefs}, Version: m.v3})
	if err != nil {
		t.Fatal(err)
	}
	want := []parley.Veto{
		{PartyID: m.ru.ID, OptionRef: parley.OptionRef{IssueID: "army", OptionID: "800k"}},
		{PartyID: m.ua.ID, OptionRef: parley.OptionRef{IssueID: "nato", OptionID: "no"}},
	}
	if !a.Infeasible || !reflect.DeepEqual(a.Vetoes, want) {
		t.Errorf("v3 (800k, no): got infeasible %v vetoes %+v, want %+v", a.Infeasible, a.Vetoes, want)
	}
	// Russia gets 30 from (800k, no), under its reservation of 50.
	if !slices.Equal(a.Below, []string{m.ru.ID}) {
		t.Errorf("got below %q, want Russia", a.Below)
	}
	d := analysis.Redact(a, parley.Access{Role: parley.RoleDelegate, PartyID: m.ua.ID})
	if !d.Infeasible || !reflect.DeepEqual(d.Vetoes, want[1:]) || len(d.Below) != 0 {
		t.Errorf("Ukraine's delegate: got infeasible %v vetoes %+v below %q, want its own veto only", d.Infeasible, d.Vetoes, d.Below)
	}

	a, err = analysis.Run(analysis.Input{ProcessID: "p", Parties: []*parley.Party{m.ru, m.ua}, Issues: []*parley.Issue{m.army, m.nato},
		Preferences: []*parley.Preferences{m.uaPrefs, m.ruPrefs}, Version: m.v1})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Infeasible || len(a.Vetoes) != 1 || a.Vetoes[0].PartyID != m.ua.ID {
		t.Errorf("v1 (600k, no): got infeasible %v vetoes %+v, want Ukraine's veto of nato:no", a.Infeasible, a.Vetoes)
	}
	// Russia's delegate is not told that Ukraine vetoes the package.
	if r := analysis.Redact(a, parley.Access{Role: parley.RoleDelegate, PartyID: m.ru.ID}); r.Infeasible || len(r.Vetoes) != 0 {
		t.Errorf("Russia's delegate: got infeasible %v vetoes %+v, want neither", r.Infeasible, r.Vetoes)
	}
	// Ukraine's ideal over every never-list is 60 (Russia refuses 800k,
	// so the army cap is 600k, worth 0 to it, and NATO open gives 60);
	// over its own never-list alone it is 100, and that is what its
	// delegate is shown, so that Russia's veto does not show through.
	if got := a.Ideal[m.ua.ID]; got != 60 {
		t.Errorf("the mediator's ideal of Ukraine: got %v, want 60", got)
	}
	d = analysis.Redact(a, parley.Access{Role: parley.RoleDelegate, PartyID: m.ua.ID})
	if d.Ideal[m.ua.ID] != 100 || d.Distance[m.ua.ID] != 100 {
		t.Errorf("Ukraine's delegate: got ideal %v distance %v, want 100 and 100 (it gets 0 from 600k, no)", d.Ideal, d.Distance)
	}
	if b, _ := json.Marshal(d); strings.Contains(strings.ToLower(string(b)), "ownideal") {
		t.Errorf("the own ideals are sent: %s", b)
	}
}
