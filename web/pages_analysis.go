package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"parley"
	"parley/bargain"
)

// analysisURL is the address of a process's analysis at a version ("" for
// the page's default).
func analysisURL(processID, versionID string) string {
	u := processURL(processID) + "/analysis"
	if versionID != "" {
		u += "?" + url.Values{"version": {versionID}}.Encode()
	}
	return u
}

// methodNames and methodSentences name the fair methods and say, in one
// plain sentence each, what they choose.
var (
	methodNames = map[string]string{
		bargain.MethodNash: "Nash", bargain.MethodKS: "Kalai–Smorodinsky",
		bargain.MethodMaximin: "Maximin", bargain.MethodMaxSum: "Largest total",
	}
	methodSentences = map[string]string{
		bargain.MethodNash: "The package that makes the product of the parties' gains over their reservation levels as large as possible, " +
			"so that no party gains a little at a great cost to another.",
		bargain.MethodKS:      "The package that gives every party the same share of the most it could hope to gain, as nearly as the options allow.",
		bargain.MethodMaximin: "The package whose worst-off party, counted by its gain over its reservation level, is as well off as possible.",
		bargain.MethodMaxSum:  "The package with the largest sum of the parties' utilities, whoever gets them.",
	}
)

// analysisPage is the data of the analysis page.
type analysisPage struct {
	view
	// Choose picks the version, the previous version and, for a
	// mediator, the parties of the plot's axes.
	Choose []*field
	// Mediator: every party's utilities are shown; else only Viewer's,
	// the reader's own party's.
	Mediator bool
	Viewer   string
	// Version and Previous name the versions analysed.
	Version, Previous string
	// Issues head the columns of packages; Parties those of utilities.
	Issues  []string
	Parties []string
	// Weighed are the parties with preferences, Missing those without.
	Weighed, Missing []string
	// Exact and Epsilon say how the frontier was computed; Frontier
	// counts its packages.
	Exact    bool
	Epsilon  string
	Frontier int
	// Plot is the frontier drawn as SVG, for a mediator with two parties
	// or more; PlotAxes names its axes.
	Plot     template.HTML
	PlotAxes string
	Fair     []analysedRow
	// Tentative is the version's package, with each party's ideal and
	// distance from it; Unsettled the issues the version leaves open.
	Tentative *analysedRow
	Ideal     []string
	Distance  []string
	Unsettled []string
	// TextUnknown says the version is known only by report: it has no
	// points to tie options to.
	TextUnknown bool
	// Vetoes name the options of the tentative package a party will
	// never accept ("Ukraine never accepts Territory in the east: …");
	// Infeasible is set even when the reader may not see whose they are.
	// Below names the parties the package leaves under their
	// reservation level.
	Infeasible bool
	Vetoes     []string
	Below      []string
	Concession *concessionTable
	// Improvements are packages every party prefers to the tentative
	// one; NoImprovement says there is none.
	Improvements  []analysedRow
	NoImprovement bool
	// Enough says there are two parties with preferences or more, so
	// that there is something to bargain over.
	Enough bool
}

// analysedRow is a package as the page shows it: its options by issue and
// the utility of each party shown.
type analysedRow struct {
	Name, Explain string
	Choices       []string
	Utilities     []string
	// None: the method found no package that gives every party its
	// reservation level.
	None bool
}

// concessionTable shows who conceded what against the previous version:
// a row per party, a column per issue.
type concessionTable struct {
	Issues []string
	Rows   []concessionRow
}

// concessionRow is one party's losses (and gains) by issue.
type concessionRow struct {
	Party string
	Cells []concessionCell
	Total string
}

// concessionCell is one issue's change for a party; empty when the
// issue did not change.
type concessionCell struct {
	Change, From, To string
	Loss, Gain       bool
}

// analysisChoice is what the reader asked the analysis page for.
type analysisChoice struct {
	version, previous string
	x, y              string
}

// readAnalysisChoice reads the parameters of the analysis: version (absent:
// the latest version with a text; empty: none), previous, x and y.
func readAnalysisChoice(r *http.Request, plans []*parley.Plan) analysisChoice {
	q := r.URL.Query()
	c := analysisChoice{version: q.Get("version"), previous: q.Get("previous"), x: q.Get("x"), y: q.Get("y")}
	if !q.Has("version") {
		if v := latestTextVersion(plans); v != nil {
			c.version = v.ID
		}
	}
	return c
}

// latestTextVersion returns the latest version with a known text, by date.
func latestTextVersion(plans []*parley.Plan) *parley.Version {
	var latest *parley.Version
	for _, p := range plans {
		for _, v := range p.Versions {
			if !v.TextUnknown && (latest == nil || !v.Date.Before(latest.Date)) {
				latest = v
			}
		}
	}
	return latest
}

// handleAnalysisPage shows the analysis of a process's negotiation model
// at a version: to a mediator with every party's utilities and the plot
// of the frontier, to a delegate with its own party's utilities alone.
// The store refuses observers.
func (s *Server) handleAnalysisPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	proc, err := s.svc.Processes.FindProcessByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	plans, err := s.svc.Plans.FindPlans(ctx, proc.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ch := readAnalysisChoice(r, plans)
	a, err := s.svc.Negotiation.Analyse(ctx, parley.AnalysisQuery{ProcessID: proc.ID, VersionID: ch.version, PreviousID: ch.previous})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg, err := s.newAnalysisPage(ctx, proc, plans, a, ch)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "analysis.html", pg)
}

// newAnalysisPage lays an analysis out for the page.
func (s *Server) newAnalysisPage(ctx context.Context, proc *parley.Process, plans []*parley.Plan, a *parley.Analysis, ch analysisChoice) (*analysisPage, error) {
	parties, err := s.svc.Parties.FindParties(ctx, proc.ID)
	if err != nil {
		return nil, err
	}
	issues, err := s.svc.Negotiation.FindIssues(ctx, proc.ID)
	if err != nil {
		return nil, err
	}
	n := newNames(parties, nil, nil, nil, nil, plans)
	pg := &analysisPage{view: view{Title: "Analysis of " + proc.Name, Process: proc}, Mediator: a.Viewer == "",
		Exact: a.Exact, Frontier: len(a.Frontier), Enough: len(a.Parties) >= 2}
	if a.Epsilon > 0 {
		pg.Epsilon = formatUtility(a.Epsilon*100) + "%"
	}
	if a.VersionID != "" {
		pg.Version = n.Version(a.VersionID)
		for _, p := range plans {
			for _, v := range p.Versions {
				if v.ID == a.VersionID {
					pg.TextUnknown = v.TextUnknown
				}
			}
		}
	}
	if a.PreviousID != "" {
		pg.Previous = n.Version(a.PreviousID)
	}
	byID := map[string]*parley.Issue{}
	for _, is := range issues {
		byID[is.ID] = is
	}
	for _, id := range a.Issues {
		pg.Issues = append(pg.Issues, issueName(byID, id))
	}
	for _, id := range a.Unsettled {
		pg.Unsettled = append(pg.Unsettled, issueName(byID, id))
	}
	for _, id := range a.Missing {
		pg.Missing = append(pg.Missing, n.Party(id))
	}
	for _, id := range a.Parties {
		pg.Weighed = append(pg.Weighed, n.Party(id))
	}
	// The columns of utilities: every party for a mediator, the reader's
	// own for a delegate, whatever else the maps might hold.
	shown := a.Parties
	if a.Viewer != "" {
		shown = []string{a.Viewer}
		pg.Viewer = n.Party(a.Viewer)
	}
	for _, id := range shown {
		pg.Parties = append(pg.Parties, n.Party(id))
	}
	row := func(name, explain string, p *parley.AnalysedPackage) analysedRow {
		return analysedRow{Name: name, Explain: explain, Choices: packageChoices(p, a.Issues, byID), Utilities: partyUtilities(p, shown)}
	}
	for _, f := range a.Fair {
		r := row(methodNames[f.Method], methodSentences[f.Method], f.Package)
		if r.Name == "" {
			r.Name = f.Method
		}
		r.None = f.None || f.Package == nil
		pg.Fair = append(pg.Fair, r)
	}
	if a.Tentative != nil {
		t := row(pg.Version, "", a.Tentative)
		pg.Tentative = &t
		for _, id := range shown {
			pg.Ideal = append(pg.Ideal, utilityOf(a.Ideal, id))
			pg.Distance = append(pg.Distance, utilityOf(a.Distance, id))
		}
		pg.Infeasible = a.Infeasible
		for _, v := range a.Vetoes {
			option := v.OptionID
			if is := byID[v.IssueID]; is != nil {
				if o := is.Option(v.OptionID); o != nil {
					option = o.Label
				}
			}
			pg.Vetoes = append(pg.Vetoes, fmt.Sprintf("%s will never accept %s: %s.", n.Party(v.PartyID), issueName(byID, v.IssueID), option))
		}
		for _, id := range a.Below {
			pg.Below = append(pg.Below, n.Party(id))
		}
	}
	for k, p := range a.Improvements {
		pg.Improvements = append(pg.Improvements, row(fmt.Sprintf("Improvement %d", k+1), "", p))
	}
	pg.NoImprovement = a.NoImprovement
	pg.Concession = newConcessionTable(a, shown, byID, n)
	pg.Choose = analysisFields(plans, a, ch, n, pg.Mediator)
	if pg.Mediator && pg.Enough && len(a.Frontier) > 0 {
		x, y, err := plotAxes(a, ch.x, ch.y)
		if err != nil {
			return nil, err
		}
		if pg.Plot, err = drawFrontier(a, x, y, pg.Version, n); err != nil {
			return nil, err
		}
		pg.PlotAxes = n.Party(x) + " (across) and " + n.Party(y) + " (up)"
	}
	return pg, nil
}

// issueName names an issue by ID.
func issueName(byID map[string]*parley.Issue, id string) string {
	if is := byID[id]; is != nil {
		return is.Name
	}
	return id
}

// optionName names an option of an issue by ID.
func optionName(is *parley.Issue, id string) string {
	if is != nil {
		if o := is.Option(id); o != nil {
			return o.Label
		}
	}
	return id
}

// packageChoices writes what a package chooses, issue by issue: an
// option's label, or each option's share of a split issue.
func packageChoices(p *parley.AnalysedPackage, issueIDs []string, byID map[string]*parley.Issue) []string {
	out := make([]string, len(issueIDs))
	if p == nil {
		return out
	}
	for k, id := range issueIDs {
		is := byID[id]
		if o, ok := p.Choice[id]; ok {
			out[k] = optionName(is, o)
			continue
		}
		shares := p.Shares[id]
		var parts []string
		seen := map[string]bool{}
		if is != nil {
			for _, o := range is.Options {
				if sh, ok := shares[o.ID]; ok {
					parts = append(parts, o.Label+" "+sh)
					seen[o.ID] = true
				}
			}
		}
		var rest []string
		for o := range shares {
			if !seen[o] {
				rest = append(rest, o)
			}
		}
		slices.Sort(rest)
		for _, o := range rest {
			parts = append(parts, o+" "+shares[o])
		}
		out[k] = strings.Join(parts, ", ")
	}
	return out
}

// partyUtilities writes the utilities of the shown parties.
func partyUtilities(p *parley.AnalysedPackage, shown []string) []string {
	out := make([]string, len(shown))
	if p == nil {
		return out
	}
	for k, id := range shown {
		out[k] = utilityOf(p.Utility, id)
	}
	return out
}

// utilityOf writes a party's number from a map, "" when it has none.
func utilityOf(m map[string]float64, id string) string {
	if u, ok := m[id]; ok {
		return formatUtility(u)
	}
	return ""
}

// newConcessionTable lays out who conceded what; nil when there is
// nothing to show.
func newConcessionTable(a *parley.Analysis, shown []string, byID map[string]*parley.Issue, n *names) *concessionTable {
	if len(a.Concessions) == 0 {
		return nil
	}
	t := &concessionTable{}
	for _, id := range a.Issues {
		t.Issues = append(t.Issues, issueName(byID, id))
	}
	col := map[string]int{}
	for k, id := range a.Issues {
		col[id] = k
	}
	for _, party := range shown {
		row := concessionRow{Party: n.Party(party), Cells: make([]concessionCell, len(a.Issues))}
		total, changed := 0.0, false
		for _, c := range a.Concessions {
			k, ok := col[c.IssueID]
			if c.PartyID != party || !ok {
				continue
			}
			changed = true
			total -= c.Loss
			is := byID[c.IssueID]
			row.Cells[k] = concessionCell{Change: signedUtility(-c.Loss), From: describeChoice(is, c.From), To: describeChoice(is, c.To),
				Loss: c.Loss > 0, Gain: c.Loss < 0}
		}
		if changed {
			row.Total = signedUtility(total)
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// describeChoice names a choice of the analysis's concessions: an option
// ID, or a split written as "option share, option share".
func describeChoice(is *parley.Issue, choice string) string {
	if is == nil || is.Option(choice) != nil || choice == "" {
		return optionName(is, choice)
	}
	parts := strings.Split(choice, ", ")
	for k, part := range parts {
		if id, share, ok := strings.Cut(part, " "); ok {
			parts[k] = optionName(is, id) + " " + share
		}
	}
	return strings.Join(parts, ", ")
}

// signedUtility writes a change of utility with its sign: "+5", "−12", "0".
func signedUtility(u float64) string {
	s := formatUtility(u)
	switch {
	case s == "0" || s == "-0":
		return "0"
	case strings.HasPrefix(s, "-"):
		return "−" + s[1:]
	}
	return "+" + s
}

// analysisFields are the inputs that choose what the page analyses.
func analysisFields(plans []*parley.Plan, a *parley.Analysis, ch analysisChoice, n *names, mediator bool) []*field {
	versions := textVersionOptions(plans, false)
	version := &field{Name: "version", Label: "Version", Type: "select", Value: a.VersionID,
		Options: append([]option{{Value: "", Label: "(none: no tentative package)"}}, versions...),
		Help:    "The version whose package is the tentative one."}
	previous := &field{Name: "previous", Label: "Compared with", Type: "select", Value: ch.previous,
		Options: append([]option{{Value: "", Label: "(the version before it)"}}, versions...),
		Help:    "The version to measure what each party conceded against."}
	out := []*field{version, previous}
	if mediator && len(a.Parties) >= 2 {
		var parties []option
		for _, id := range a.Parties {
			parties = append(parties, option{Value: id, Label: n.Party(id)})
		}
		x, y, err := plotAxes(a, ch.x, ch.y)
		if err != nil {
			x, y = mostOpposed(a)
		}
		out = append(out,
			&field{Name: "x", Label: "Plot across", Type: "select", Value: x, Options: parties},
			&field{Name: "y", Label: "Plot up", Type: "select", Value: y, Options: parties})
	}
	return out
}

// plotAxes returns the parties of the plot's axes: those asked for, or the
// first two parties.
func plotAxes(a *parley.Analysis, x, y string) (string, string, error) {
	parties := a.Parties
	if x == "" && y == "" {
		x, y = mostOpposed(a)
	}
	if x == "" {
		x = parties[0]
		if x == y {
			x = parties[1]
		}
	}
	if y == "" {
		y = parties[1]
		if y == x {
			y = parties[0]
		}
	}
	for _, p := range []struct{ name, id string }{{"x", x}, {"y", y}} {
		if !slices.Contains(parties, p.id) {
			return "", "", parley.FieldErrorf(p.name, "%s must be a party with preferences, not %q", p.name, p.id)
		}
	}
	return x, y, nil
}

// mostOpposed returns the two parties whose utilities along the frontier
// move most against each other (the most negative correlation): the
// plot that shows the hardest trade-off. Ties go to the first pair in
// the analysis's order; with no frontier, the first two parties.
func mostOpposed(a *parley.Analysis) (string, string) {
	x, y := a.Parties[0], a.Parties[1]
	best := math.Inf(1)
	for i, p := range a.Parties {
		for _, q := range a.Parties[i+1:] {
			if r := correlation(a.Frontier, p, q); r < best {
				x, y, best = p, q, r
			}
		}
	}
	return x, y
}

// correlation is the Pearson correlation of two parties' utilities over
// packages; 0 when either does not vary.
func correlation(ps []*parley.AnalysedPackage, p, q string) float64 {
	n := float64(len(ps))
	if n < 2 {
		return 0
	}
	var sp, sq float64
	for _, pk := range ps {
		sp, sq = sp+pk.Utility[p], sq+pk.Utility[q]
	}
	mp, mq := sp/n, sq/n
	var cov, vp, vq float64
	for _, pk := range ps {
		dp, dq := pk.Utility[p]-mp, pk.Utility[q]-mq
		cov, vp, vq = cov+dp*dq, vp+dp*dp, vq+dq*dq
	}
	if vp == 0 || vq == 0 {
		return 0
	}
	return cov / math.Sqrt(vp*vq)
}

// maxPlottedImprovements bounds the improvements marked on the plot.
const maxPlottedImprovements = 5

// drawFrontier draws the frontier along the utilities of parties x and y,
// with the fair packages, the tentative package and the first
// improvements marked.
func drawFrontier(a *parley.Analysis, x, y, version string, n *names) (template.HTML, error) {
	plot := &bargain.Plot{Title: "The frontier: packages no other package improves for every party",
		XLabel: "Utility of " + n.Party(x), YLabel: "Utility of " + n.Party(y)}
	if !a.Exact {
		plot.Title = "Packages of the ε-frontier, along two parties' utilities"
	}
	at := func(p *parley.AnalysedPackage) (bargain.Point, bool) {
		ux, okx := p.Utility[x]
		uy, oky := p.Utility[y]
		return bargain.Point{X: ux, Y: uy}, okx && oky
	}
	for _, p := range a.Frontier {
		if pt, ok := at(p); ok {
			plot.Frontier = append(plot.Frontier, pt)
		}
	}
	slices.SortStableFunc(plot.Frontier, func(a, b bargain.Point) int {
		switch {
		case a.X < b.X:
			return -1
		case a.X > b.X:
			return 1
		}
		return 0
	})
	mark := func(label, kind string, p *parley.AnalysedPackage) {
		if p == nil {
			return
		}
		if pt, ok := at(p); ok {
			plot.Marks = append(plot.Marks, bargain.Mark{Label: label, Kind: kind, X: pt.X, Y: pt.Y})
		}
	}
	for _, f := range a.Fair {
		mark(methodNames[f.Method], "fair", f.Package)
	}
	if version == "" {
		version = "tentative"
	}
	mark(version, "tentative", a.Tentative)
	for k, p := range a.Improvements {
		if k == maxPlottedImprovements {
			break
		}
		mark(fmt.Sprintf("improvement %d", k+1), "improvement", p)
	}
	var buf bytes.Buffer
	if err := plot.WriteSVG(&buf); err != nil {
		return "", parley.Internal(err)
	}
	// The plot is drawn by package bargain, which escapes every text it
	// writes.
	return template.HTML(buf.String()), nil
}
