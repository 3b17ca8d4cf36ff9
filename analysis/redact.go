package analysis

import (
	"maps"
	"math"

	"parley"
)

// Redact returns a copy of an analysis with what the access may see of
// it. A mediator sees everything. A delegate sees every package and
// choice (they are the analysis's proposals), but only its own party's
// utilities, ideal, distance and concessions: another party's numbers
// would tell its confidential preferences. Anyone else (an observer, a
// non-member) sees nothing: Redact returns nil, as it does for a nil
// analysis.
func Redact(a *parley.Analysis, acc parley.Access) *parley.Analysis {
	if a == nil {
		return nil
	}
	var keep func(partyID string) bool
	switch {
	case acc.Mediator():
		keep = func(string) bool { return true }
	case acc.Role == parley.RoleDelegate && acc.PartyID != "":
		keep = func(id string) bool { return id == acc.PartyID }
	default:
		return nil
	}
	out := *a
	out.Parties = clone(a.Parties)
	out.Missing = clone(a.Missing)
	out.Issues = clone(a.Issues)
	out.Unsettled = clone(a.Unsettled)
	if !acc.Mediator() {
		out.Viewer = acc.PartyID
	}
	out.Tentative = redactPackage(a.Tentative, keep)
	out.Ideal = filter(a.Ideal, keep)
	out.Distance = filter(a.Distance, keep)
	out.OwnIdeal = filter(a.OwnIdeal, keep)
	if !acc.Mediator() && a.Tentative != nil {
		// A delegate's ideal counts its own never-list alone; the others'
		// would show in how far below its own best the ideal falls.
		if own, ok := a.OwnIdeal[acc.PartyID]; ok {
			out.Ideal = map[string]float64{acc.PartyID: own}
			out.Distance = map[string]float64{acc.PartyID: math.Round((own-a.Tentative.Utility[acc.PartyID])*1e6) / 1e6}
		}
	}
	out.Concessions = nil
	for _, c := range a.Concessions {
		if keep(c.PartyID) {
			out.Concessions = append(out.Concessions, c)
		}
	}
	out.Vetoes, out.Below = nil, nil
	for _, v := range a.Vetoes {
		if keep(v.PartyID) {
			out.Vetoes = append(out.Vetoes, v)
		}
	}
	if !acc.Mediator() {
		// Whether another party vetoes the package is that party's
		// secret: a delegate learns of its own vetoes alone.
		out.Infeasible = len(out.Vetoes) > 0
	}
	for _, id := range a.Below {
		if keep(id) {
			out.Below = append(out.Below, id)
		}
	}
	out.Frontier = redactPackages(a.Frontier, keep)
	out.Improvements = redactPackages(a.Improvements, keep)
	if a.Fair != nil {
		out.Fair = make([]parley.FairPackage, len(a.Fair))
		for i, f := range a.Fair {
			out.Fair[i] = parley.FairPackage{Method: f.Method, None: f.None, Package: redactPackage(f.Package, keep)}
		}
	}
	return &out
}

// redactPackages copies packages with the utilities of the kept parties.
func redactPackages(ps []*parley.AnalysedPackage, keep func(string) bool) []*parley.AnalysedPackage {
	if ps == nil {
		return nil
	}
	out := make([]*parley.AnalysedPackage, len(ps))
	for i, p := range ps {
		out[i] = redactPackage(p, keep)
	}
	return out
}

// redactPackage copies a package with the utilities of the kept parties.
func redactPackage(p *parley.AnalysedPackage, keep func(string) bool) *parley.AnalysedPackage {
	if p == nil {
		return nil
	}
	out := &parley.AnalysedPackage{Choice: maps.Clone(p.Choice), Utility: filter(p.Utility, keep)}
	if out.Utility == nil {
		out.Utility = map[string]float64{}
	}
	if p.Shares != nil {
		out.Shares = make(map[string]map[string]string, len(p.Shares))
		for k, v := range p.Shares {
			out.Shares[k] = maps.Clone(v)
		}
	}
	return out
}

// filter copies the entries of m whose party is kept; nil for nil.
func filter(m map[string]float64, keep func(string) bool) map[string]float64 {
	if m == nil {
		return nil
	}
	out := map[string]float64{}
	for k, v := range m {
		if keep(k) {
			out[k] = v
		}
	}
	return out
}

// clone copies a list, keeping nil nil.
func clone(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}
