package bargain

import (
	"fmt"
	"math/big"
	"slices"
)

// Fair returns the package the method (MethodNash, MethodKS,
// MethodMaximin, MethodMaxSum) picks. fr is the problem's frontier, as
// Pareto returns it; nil to compute it (with ε 0.005 for three parties or
// more). Solution's doc defines the methods, their ties and, for three
// parties or more, the tolerance.
func Fair(p *Problem, method string, fr *Frontier) (*Solution, error) {
	if !slices.Contains(fairMethods, method) {
		return nil, fmt.Errorf("method: %q is not one of nash, ks, maximin, maxsum", method)
	}
	s, err := compile(p)
	if err != nil {
		return nil, err
	}
	set, err := s.pointSet(fr)
	if err != nil {
		return nil, err
	}
	return s.fair(method, set), nil
}

// fairMethods are the methods Fair knows.
var fairMethods = []string{MethodNash, MethodKS, MethodMaximin, MethodMaxSum}

// pointSet is a frontier as Fair and Improve read it: utility vectors in
// units and a way to the outcome of each.
type pointSet struct {
	n       int
	vecs    []int32
	outcome func(i int) *Outcome
	// frontier returns the whole set as Pareto does.
	frontier func() *Frontier
}

// size is the number of points.
func (ps *pointSet) size() int { return len(ps.vecs) / ps.n }

// vec is point i's utility vector.
func (ps *pointSet) vec(i int) []int32 { return ps.vecs[i*ps.n : (i+1)*ps.n] }

// pointSet reads fr, or computes the frontier when fr is nil.
func (s *space) pointSet(fr *Frontier) (*pointSet, error) {
	n := len(s.parties)
	if fr == nil {
		f, err := s.frontier(DefaultEpsilon)
		if err != nil {
			return nil, err
		}
		return &pointSet{n: n, vecs: f.vecs, outcome: func(i int) *Outcome { return s.outcome(f, i) },
			frontier: func() *Frontier { return s.export(f) }}, nil
	}
	ps := &pointSet{n: n, vecs: make([]int32, 0, n*len(fr.Outcomes)), outcome: func(i int) *Outcome { return fr.Outcomes[i] },
		frontier: func() *Frontier { return fr }}
	for i, o := range fr.Outcomes {
		for _, party := range s.parties {
			var u *big.Rat
			if o != nil {
				u = o.Utility[party]
			}
			if u == nil {
				return nil, fmt.Errorf("frontier.outcomes[%d]: no utility for party %q", i, party)
			}
			x, ok := s.units(u)
			if !ok {
				return nil, fmt.Errorf("frontier.outcomes[%d]: utility %s of party %q is not one this problem gives", i, u.RatString(), party)
			}
			ps.vecs = append(ps.vecs, x)
		}
	}
	return ps, nil
}

// units returns utility u in units, and whether it is a whole number of
// units from 0 to 100 points.
func (s *space) units(u *big.Rat) (int32, bool) {
	num, den := u.Num(), u.Denom()
	if !num.IsInt64() || !den.IsInt64() || num.Sign() < 0 {
		return 0, false
	}
	n, d := num.Int64(), den.Int64()
	if s.unit%d != 0 || n > 100*d {
		return 0, false
	}
	return int32(n * (s.unit / d)), true
}

// fair picks the method's package among the points that give every party
// its reservation: the best by the method, the first of equals.
func (s *space) fair(method string, set *pointSet) *Solution {
	sol := &Solution{Method: method, Approximate: len(s.parties) > 2}
	j := &judge{s: s, method: method}
	best := -1
	for i := range set.size() {
		v := set.vec(i)
		if !s.rational(v) {
			continue
		}
		if best < 0 || j.better(v, set.vec(best)) {
			best = i
		}
	}
	if best >= 0 {
		sol.Outcome = set.outcome(best)
		sol.Value = j.value(set.vec(best))
	}
	return sol
}

// rational reports whether v gives every party at least its reservation.
func (s *space) rational(v []int32) bool {
	for k, u := range v {
		if int64(u) < s.res[k] {
			return false
		}
	}
	return true
}

// judge compares utility vectors by a method.
type judge struct {
	s      *space
	method string
	// Scratch space for comparisons.
	x, y big.Int
	a, b []fraction
}

// fraction is a non-negative ratio num/den with den > 0.
type fraction struct{ num, den int64 }

// cmpFraction compares two fractions exactly (numerators and
// denominators stay below 10⁷, so the products fit).
func cmpFraction(p, q fraction) int {
	l, r := p.num*q.den, q.num*p.den
	switch {
	case l < r:
		return -1
	case l > r:
		return 1
	}
	return 0
}

// gain is party k's gain over its reservation at v, in units.
func (j *judge) gain(v []int32, k int) int64 { return int64(v[k]) - j.s.res[k] }

// ratios returns the parties' fractions at v, sorted from the smallest:
// gains (den 1) for maximin, gains over the best possible gain for ks.
func (j *judge) ratios(v []int32, into []fraction) []fraction {
	into = into[:0]
	for k := range v {
		f := fraction{j.gain(v, k), 1}
		if j.method == MethodKS {
			f = j.ksRatio(v, k)
		}
		into = append(into, f)
	}
	slices.SortFunc(into, cmpFraction)
	return into
}

// ksRatio is party k's gain at v over its best possible gain (ideal −
// reservation); 1 when that is 0, for then every rational package gives
// the party its ideal.
func (j *judge) ksRatio(v []int32, k int) fraction {
	d := j.s.ideal[k] - j.s.res[k]
	if d <= 0 {
		return fraction{1, 1}
	}
	return fraction{j.gain(v, k), d}
}

// better reports whether v beats w by the method; ties are not better.
func (j *judge) better(v, w []int32) bool {
	switch j.method {
	case MethodMaxSum:
		return sum(v) > sum(w)
	case MethodNash:
		j.product(v, &j.x)
		j.product(w, &j.y)
		return j.x.Cmp(&j.y) > 0
	}
	j.a, j.b = j.ratios(v, j.a), j.ratios(w, j.b)
	return slices.CompareFunc(j.a, j.b, cmpFraction) > 0
}

// product sets z to the product of the gains at v.
func (j *judge) product(v []int32, z *big.Int) {
	z.SetInt64(1)
	var g big.Int
	for k := range v {
		z.Mul(z, g.SetInt64(j.gain(v, k)))
	}
}

// value is the method's objective at v, in points.
func (j *judge) value(v []int32) float64 {
	unit := float64(j.s.unit)
	switch j.method {
	case MethodMaxSum:
		return float64(sum(v)) / unit
	case MethodNash:
		x := 1.0
		for k := range v {
			x *= float64(j.gain(v, k)) / unit
		}
		return x
	}
	f := j.ratios(v, nil)[0]
	if j.method == MethodKS {
		return float64(f.num) / float64(f.den)
	}
	return float64(f.num) / unit
}

// sum is the total utility of v.
func sum(v []int32) int64 {
	t := int64(0)
	for _, u := range v {
		t += int64(u)
	}
	return t
}
