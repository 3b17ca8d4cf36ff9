package bargain

import (
	"cmp"
	"fmt"
	"maps"
	"math/big"
	"slices"
)

// DefaultLimit is how many packages Improve returns when given limit 0.
const DefaultLimit = 20

// Improve returns up to limit packages that every party prefers to
// tentative (0 means 20), or None with the frontier as certificate. fr is
// the problem's frontier, as Pareto returns it; nil to compute it, with ε
// 0.005 for three parties or more.
//
// tentative must choose for every issue; its splits may have any shares.
// The packages are the frontier's outcomes that dominate tentative: that give every party at
// least its utility in tentative and one party more. They are ranked by
// their smallest gain over tentative, largest first, ties in the
// frontier's order, and the first limit are returned.
//
// For one or two parties every feasible package that improves on
// tentative is dominated by, or equal to, one of these outcomes, and the
// first of them has the largest smallest gain of all improving packages.
// None then means that no feasible package improves on tentative.
//
// For three parties or more the outcomes come from an ε-Pareto set: each
// still truly improves on tentative, and None means that no feasible
// package gives every party at least ε × its utility range more than
// tentative while giving one party more.
func Improve(p *Problem, tentative Package, limit int, fr *Frontier) (*Improvement, error) {
	if limit < 0 {
		return nil, fmt.Errorf("limit: %d is negative", limit)
	}
	if limit == 0 {
		limit = DefaultLimit
	}
	s, err := compile(p)
	if err != nil {
		return nil, err
	}
	if err := s.checkPackage("tentative", tentative); err != nil {
		return nil, err
	}
	t := &Outcome{Choice: maps.Clone(tentative), Utility: make(map[string]*big.Rat, len(s.parties))}
	n := len(s.parties)
	// A point v improves on tentative when v_k ≥ ⌈t_k⌉ for every party
	// and v_k ≥ ⌊t_k⌋ + 1 for one, t_k being the party's utility in units.
	atLeast, above := make([]int64, n), make([]int64, n)
	exact := make([]*big.Rat, n)
	for k, party := range s.parties {
		u := s.utility(k, tentative)
		t.Utility[party] = u
		exact[k] = new(big.Rat).Mul(u, big.NewRat(s.unit, 1))
		floor := new(big.Int).Quo(exact[k].Num(), exact[k].Denom()).Int64()
		above[k] = floor + 1
		atLeast[k] = floor
		if !exact[k].IsInt() {
			atLeast[k] = floor + 1
		}
	}
	set, err := s.pointSet(fr)
	if err != nil {
		return nil, err
	}
	var better []int
	for i := range set.size() {
		if improves(set.vec(i), atLeast, above) {
			better = append(better, i)
		}
	}
	im := &Improvement{Tentative: t}
	if len(better) == 0 {
		im.None = true
		im.Certificate = set.frontier()
		return im, nil
	}
	least := make(map[int]*big.Rat, len(better))
	for _, i := range better {
		least[i] = smallestGain(set.vec(i), exact)
	}
	slices.SortStableFunc(better, func(a, b int) int { return cmp.Compare(0, least[a].Cmp(least[b])) })
	for _, i := range better[:min(limit, len(better))] {
		im.Packages = append(im.Packages, set.outcome(i))
	}
	return im, nil
}

// improves reports whether v gives every party k at least atLeast[k] and
// one at least above[k].
func improves(v []int32, atLeast, above []int64) bool {
	strict := false
	for k, u := range v {
		if int64(u) < atLeast[k] {
			return false
		}
		strict = strict || int64(u) >= above[k]
	}
	return strict
}

// smallestGain is the smallest of v_k − t_k over the parties.
func smallestGain(v []int32, t []*big.Rat) *big.Rat {
	var least *big.Rat
	for k, u := range v {
		g := new(big.Rat).Sub(big.NewRat(int64(u), 1), t[k])
		if least == nil || g.Cmp(least) < 0 {
			least = g
		}
	}
	return least
}
