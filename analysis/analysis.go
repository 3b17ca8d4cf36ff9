// Package analysis applies package bargain to a process's negotiation
// model: it turns the domain's issues and preferences into a
// bargain.Problem, a version of a plan into the package it settles, and
// the engine's answers back into a parley.Analysis, which it then
// redacts for the reader. It holds no rules of confidentiality of its
// own beyond Redact: the store decides who may ask.
package analysis

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"parley"
	"parley/bargain"
)

// Steps is how finely the frontier, the fair points and the improvements
// may split a divisible issue: in quarters. A quarter is as fine as a
// negotiator will trade a shared asset in a first proposal, and each step
// more multiplies the packages the engine weighs.
const Steps = 4

// Epsilon is the tolerance of the frontier of three or more parties, as a
// fraction of each party's utility range: the engine's default, half a
// point in a hundred, below what anyone's numbers can tell apart. It is
// the one bargain.Improve searches at, so that the improvements come from
// the frontier shown.
const Epsilon = bargain.DefaultEpsilon

// ImprovementLimit is how many packages that every party prefers to the
// tentative one an analysis lists: the engine's default.
const ImprovementLimit = bargain.DefaultLimit

// Problem returns the bargain problem of a process: the parties that have
// preferences, in the order of parties, named by their IDs; the issues in
// their order, a divisible one split in Steps; and each party's
// preferences. Ratings and never-list entries of options an issue no
// longer has are left out (an issue's options may change after the
// preferences were set). Preferences of a party not in parties, or two
// for one party, are an error.
func Problem(parties []*parley.Party, issues []*parley.Issue, prefs []*parley.Preferences) (*bargain.Problem, error) {
	byParty := map[string]*parley.Preferences{}
	known := map[string]bool{}
	for _, pt := range parties {
		known[pt.ID] = true
	}
	for i, p := range prefs {
		switch {
		case !known[p.PartyID]:
			return nil, parley.FieldErrorf("preferences", "preferences %d are of party %q, which is not a party of the process", i+1, p.PartyID)
		case byParty[p.PartyID] != nil:
			return nil, parley.FieldErrorf("preferences", "party %q has two sets of preferences", p.PartyID)
		}
		byParty[p.PartyID] = p
	}
	pr := &bargain.Problem{Steps: Steps, Preferences: map[string]bargain.Preferences{}}
	for _, is := range issues {
		bi := bargain.Issue{ID: is.ID, Divisible: is.Divisible}
		for _, o := range is.Options {
			bi.Options = append(bi.Options, o.ID)
		}
		pr.Issues = append(pr.Issues, bi)
	}
	for _, pt := range parties {
		if p := byParty[pt.ID]; p != nil {
			pr.Parties = append(pr.Parties, pt.ID)
			pr.Preferences[pt.ID] = preferencesOf(p, issues)
		}
	}
	return pr, nil
}

// preferencesOf converts one party's preferences to the engine's, keeping
// only what names the issues and options of the model.
func preferencesOf(p *parley.Preferences, issues []*parley.Issue) bargain.Preferences {
	out := bargain.Preferences{Weights: map[string]int{}, Ratings: map[string]map[string]int{}, Reservation: float64(p.Reservation)}
	for _, is := range issues {
		if w, ok := p.Weights[is.ID]; ok {
			out.Weights[is.ID] = w
		}
		rs := map[string]int{}
		for o, r := range p.Ratings[is.ID] {
			if is.Option(o) != nil {
				rs[o] = r
			}
		}
		out.Ratings[is.ID] = rs
	}
	for _, r := range p.Never {
		for _, is := range issues {
			if is.ID == r.IssueID && is.Option(r.OptionID) != nil {
				out.Never = append(out.Never, r.String())
			}
		}
	}
	return out
}

// PackageOf returns the package a version settles: each issue takes the
// first of its options (in the issue's order) that has a tied point in
// v. The issues for which none has are unsettled, in order. A nil version
// settles nothing.
func PackageOf(v *parley.Version, issues []*parley.Issue) (pkg bargain.Package, unsettled []string) {
	pkg = bargain.Package{}
	points := map[string]bool{}
	if v != nil {
		for _, p := range v.Points {
			points[p.ID] = true
		}
	}
	// Defaults speak for a version of the negotiation's plans that says
	// nothing of an issue, not for a text that ties no option at all (the
	// template of another conflict, say): that one settles nothing.
	if !tiesAny(v, points, issues) {
		v = nil
	}
	for _, is := range issues {
		if o := settledBy(v, points, is); o != "" {
			pkg[is.ID] = bargain.Choice{Option: o}
		} else {
			unsettled = append(unsettled, is.ID)
		}
	}
	return pkg, unsettled
}

// settledBy returns the first option of is tied to a point of v; failing
// that, the issue's default (what a text that says nothing of the issue
// means), unless v's text is unknown: a version known only by report may
// say anything. "" when the issue stays unsettled.
func settledBy(v *parley.Version, points map[string]bool, is *parley.Issue) string {
	if v == nil {
		return ""
	}
	for _, o := range is.Options {
		for _, r := range o.Points {
			if r.VersionID == v.ID && points[r.PointID] {
				return o.ID
			}
		}
	}
	if v.TextUnknown {
		return ""
	}
	return is.Default
}

// Input is what Run analyses: the whole model of a process, read by the
// caller with the rights to read all of it.
type Input struct {
	ProcessID string
	// Parties are the parties of the process, in the order the analysis
	// lists them (by name, say).
	Parties     []*parley.Party
	Issues      []*parley.Issue
	Preferences []*parley.Preferences
	// Version, with its points, gives the tentative package; nil for
	// none. Previous, with its points, is the version to measure
	// concessions against; nil for none.
	Version, Previous *parley.Version
}

// Run analyses a negotiation model: the frontier (exact for two parties,
// ε-Pareto with Epsilon for more), the four fair points, the version's
// package when it settles every issue with each party's utility, ideal
// and distance, the concessions against the previous version's package
// when that settles every issue too, and the packages every party
// prefers to the tentative one.
//
// Parties without preferences are listed in Missing and left out. With
// fewer than two parties with preferences, or no issues, there is nothing
// to bargain over: Run returns what can be computed without the engine's
// frontier (the tentative package and, for a single party, its utility,
// ideal, distance and concessions) and no error. Errors of the engine are
// EINVALID, naming the parties by name.
func Run(in Input) (*parley.Analysis, error) {
	a := &parley.Analysis{ProcessID: in.ProcessID, Frontier: []*parley.AnalysedPackage{}, Fair: []parley.FairPackage{},
		Issues: []string{}, Parties: []string{}}
	if in.Version != nil {
		a.VersionID = in.Version.ID
	}
	if in.Previous != nil {
		a.PreviousID = in.Previous.ID
	}
	for _, is := range in.Issues {
		a.Issues = append(a.Issues, is.ID)
	}
	pr, err := Problem(in.Parties, in.Issues, in.Preferences)
	if err != nil {
		return nil, err
	}
	a.Parties = append(a.Parties, pr.Parties...)
	for _, pt := range in.Parties {
		if !slices.Contains(pr.Parties, pt.ID) {
			a.Missing = append(a.Missing, pt.ID)
		}
	}
	names := nameReplacer(in.Parties)
	fail := func(err error) (*parley.Analysis, error) {
		return nil, parley.Errorf(parley.EINVALID, "the negotiation model cannot be analysed: %s", names.Replace(err.Error()))
	}

	var tentative, previous bargain.Package
	if in.Version != nil {
		pkg, unsettled := PackageOf(in.Version, in.Issues)
		a.Unsettled = unsettled
		if len(unsettled) == 0 && len(in.Issues) > 0 {
			tentative = pkg
			a.Tentative = &parley.AnalysedPackage{Choice: choices(pkg), Shares: shares(pkg, in.Issues), Utility: map[string]float64{}}
		}
	}
	if in.Previous != nil && tentative != nil {
		if pkg, unsettled := PackageOf(in.Previous, in.Issues); len(unsettled) == 0 {
			previous = pkg
		}
	}
	if len(pr.Parties) == 0 || len(in.Issues) == 0 {
		return a, nil
	}
	if err := pr.Validate(); err != nil {
		return fail(err)
	}
	if tentative != nil {
		ev, err := bargain.Evaluate(pr, tentative, previous)
		if err != nil {
			return fail(err)
		}
		a.Tentative = analysed(ev.Outcome, in.Issues)
		a.Ideal, a.Distance = floats(ev.Ideal), floats(ev.Distance)
		a.Concessions = concessions(ev.Concessions, pr.Parties, in.Issues)
		a.Vetoes = vetoes(tentative, in.Preferences, pr.Parties)
		a.OwnIdeal = ownIdeals(in.Preferences, in.Issues, pr.Parties)
		a.Infeasible = !ev.Feasible
		a.Below = append(a.Below, ev.Below...)
	}
	if len(pr.Parties) < 2 {
		return a, nil
	}
	fr, err := bargain.Pareto(pr, Epsilon)
	if err != nil {
		return fail(err)
	}
	a.Exact, a.Epsilon = fr.Exact, fr.Epsilon
	for _, o := range fr.Outcomes {
		a.Frontier = append(a.Frontier, analysed(o, in.Issues))
	}
	for _, m := range []string{bargain.MethodNash, bargain.MethodKS, bargain.MethodMaximin, bargain.MethodMaxSum} {
		sol, err := bargain.Fair(pr, m, fr)
		if err != nil {
			return fail(err)
		}
		fp := parley.FairPackage{Method: m, None: sol.Outcome == nil}
		if sol.Outcome != nil {
			fp.Package = analysed(sol.Outcome, in.Issues)
		}
		a.Fair = append(a.Fair, fp)
	}
	if tentative != nil {
		imp, err := bargain.Improve(pr, tentative, ImprovementLimit, fr)
		if err != nil {
			return fail(err)
		}
		a.NoImprovement = imp.None
		for _, o := range imp.Packages {
			a.Improvements = append(a.Improvements, analysed(o, in.Issues))
		}
	}
	return a, nil
}

// nameReplacer writes party names for their IDs in the engine's messages,
// which name parties as the problem does.
func nameReplacer(parties []*parley.Party) *strings.Replacer {
	var pairs []string
	for _, pt := range parties {
		pairs = append(pairs, pt.ID, pt.Name)
	}
	return strings.NewReplacer(pairs...)
}

// analysed converts an outcome of the engine.
func analysed(o *bargain.Outcome, issues []*parley.Issue) *parley.AnalysedPackage {
	return &parley.AnalysedPackage{Choice: choices(o.Choice), Shares: shares(o.Choice, issues), Utility: floats(o.Utility)}
}

// choices returns the options of the issues a package settles whole.
func choices(pkg bargain.Package) map[string]string {
	out := map[string]string{}
	for id, c := range pkg {
		if c.Shares == nil {
			out[id] = c.Option
		}
	}
	return out
}

// shares returns the shares of the issues a package splits, as exact
// fractions; nil when it splits none.
func shares(pkg bargain.Package, issues []*parley.Issue) map[string]map[string]string {
	var out map[string]map[string]string
	for _, is := range issues {
		c, ok := pkg[is.ID]
		if !ok || c.Shares == nil {
			continue
		}
		if out == nil {
			out = map[string]map[string]string{}
		}
		out[is.ID] = map[string]string{}
		for o, r := range c.Shares {
			if r != nil && r.Sign() != 0 {
				out[is.ID][o] = r.RatString()
			}
		}
	}
	return out
}

// floats converts exact utilities by party to floating point.
func floats(m map[string]*big.Rat) map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, r := range m {
		if r != nil {
			out[k], _ = r.Float64()
		}
	}
	return out
}

// concessions flattens the engine's concessions by party into the
// domain's list, by party in the problem's order, then issue order.
func concessions(by map[string][]bargain.Concession, parties []string, issues []*parley.Issue) []parley.Concession {
	order := map[string]int{}
	for i, is := range issues {
		order[is.ID] = i
	}
	var out []parley.Concession
	for _, pt := range parties {
		cs := slices.Clone(by[pt])
		slices.SortStableFunc(cs, func(a, b bargain.Concession) int { return order[a.Issue] - order[b.Issue] })
		for _, c := range cs {
			var is *parley.Issue
			if i, ok := order[c.Issue]; ok {
				is = issues[i]
			}
			loss := 0.0
			if c.Loss != nil {
				loss, _ = c.Loss.Float64()
			}
			out = append(out, parley.Concession{PartyID: pt, IssueID: c.Issue, From: describe(c.From, is),
				To: describe(c.To, is), Loss: loss})
		}
	}
	return out
}

// describe writes a choice as its option's ID, or a split as each share
// of an option in the issue's order ("600k 3/4, 800k 1/4").
func describe(c bargain.Choice, is *parley.Issue) string {
	if c.Shares == nil {
		return c.Option
	}
	var ids []string
	if is != nil {
		for _, o := range is.Options {
			ids = append(ids, o.ID)
		}
	}
	var others []string
	for o := range c.Shares {
		if !slices.Contains(ids, o) {
			others = append(others, o)
		}
	}
	slices.Sort(others)
	ids = append(ids, others...)
	var parts []string
	for _, o := range ids {
		if r := c.Shares[o]; r != nil && r.Sign() != 0 {
			parts = append(parts, fmt.Sprintf("%s %s", o, r.RatString()))
		}
	}
	return strings.Join(parts, ", ")
}

// vetoes lists, party by party in the analysis's order, the options of
// pkg that the party will never accept: a whole option, or an option
// given a share of a split issue.
func vetoes(pkg bargain.Package, prefs []*parley.Preferences, parties []string) []parley.Veto {
	byParty := map[string]*parley.Preferences{}
	for _, p := range prefs {
		byParty[p.PartyID] = p
	}
	var out []parley.Veto
	for _, id := range parties {
		p := byParty[id]
		if p == nil {
			continue
		}
		for _, r := range p.Never {
			c, ok := pkg[r.IssueID]
			if !ok {
				continue
			}
			if share := c.Shares[r.OptionID]; c.Option == r.OptionID || (share != nil && share.Sign() > 0) {
				out = append(out, parley.Veto{PartyID: id, OptionRef: r})
			}
		}
	}
	return out
}

// ownIdeals returns each party's best utility over the packages its own
// never-list allows, whatever the others' say: per issue, the best rating
// among the options it does not refuse, weighed. A split never beats the
// best whole option, so whole options suffice.
func ownIdeals(prefs []*parley.Preferences, issues []*parley.Issue, parties []string) map[string]float64 {
	out := map[string]float64{}
	for _, p := range prefs {
		if !slices.Contains(parties, p.PartyID) {
			continue
		}
		total := 0
		for _, is := range issues {
			best := 0
			for _, o := range is.Options {
				if slices.Contains(p.Never, parley.OptionRef{IssueID: is.ID, OptionID: o.ID}) {
					continue
				}
				best = max(best, p.Ratings[is.ID][o.ID])
			}
			total += p.Weights[is.ID] * best
		}
		out[p.PartyID] = float64(total) / 100
	}
	return out
}

// tiesAny reports whether some option of some issue is tied to a point of
// v.
func tiesAny(v *parley.Version, points map[string]bool, issues []*parley.Issue) bool {
	if v == nil {
		return false
	}
	for _, is := range issues {
		for _, o := range is.Options {
			for _, r := range o.Points {
				if r.VersionID == v.ID && points[r.PointID] {
					return true
				}
			}
		}
	}
	return false
}
