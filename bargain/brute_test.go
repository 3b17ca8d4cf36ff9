package bargain_test

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"

	"parley/bargain"
)

// This file holds the reference model the engine is tested against: random
// problems, and brute force over every package of a problem, written apart
// from the engine's code.

// shape says how large a random problem may be.
type shape struct {
	parties  int
	packages int // most packages, splits and banned options included
	issues   int // most issues
	options  int // most options per issue
}

// randomProblem draws a problem of the shape: issues are added while the
// number of packages stays within the bound. Ratings are sometimes coarse
// (multiples of 25) and weights sometimes even, so that many packages tie; never-lists, divisible
// issues with Steps, and reservations (some of them decimals) vary.
func randomProblem(r *rand.Rand, sh shape) *bargain.Problem {
	p := &bargain.Problem{Preferences: map[string]bargain.Preferences{}}
	for k := range sh.parties {
		p.Parties = append(p.Parties, string(rune('A'+k)))
	}
	if r.IntN(3) == 0 {
		p.Steps = r.IntN(5)
	}
	total := 1
	for tries := 0; len(p.Issues) < sh.issues && tries < 20; tries++ {
		is := bargain.Issue{ID: fmt.Sprintf("i%d", len(p.Issues)), Divisible: r.IntN(4) == 0}
		for o := range 1 + r.IntN(sh.options) {
			is.Options = append(is.Options, fmt.Sprintf("o%d", o))
		}
		count := len(is.Options)
		if is.Divisible && p.Steps > 1 {
			count += count * (count - 1) / 2 * (p.Steps - 1)
		}
		if total*count > sh.packages {
			continue
		}
		total *= count
		p.Issues = append(p.Issues, is)
	}
	if len(p.Issues) == 0 {
		p.Issues = []bargain.Issue{{ID: "i0", Options: []string{"o0"}}}
	}
	coarse := r.IntN(3) == 0
	even := r.IntN(4) == 0
	for _, party := range p.Parties {
		weights := spreadWeights(r, len(p.Issues), p.Issues)
		if even {
			weights = evenWeights(p.Issues)
		}
		pref := bargain.Preferences{Weights: weights, Ratings: map[string]map[string]int{}}
		for _, is := range p.Issues {
			pref.Ratings[is.ID] = map[string]int{}
			for _, o := range is.Options {
				switch {
				case r.IntN(8) == 0: // left out: rated 0
				case coarse:
					pref.Ratings[is.ID][o] = 25 * r.IntN(5)
				default:
					pref.Ratings[is.ID][o] = r.IntN(101)
				}
			}
			if r.IntN(12) == 0 {
				pref.Never = append(pref.Never, is.ID+":"+is.Options[r.IntN(len(is.Options))])
			}
		}
		switch r.IntN(4) {
		case 0:
		case 1:
			pref.Reservation = float64(r.IntN(50))
		case 2:
			pref.Reservation = float64(r.IntN(500)) / 10
		default:
			pref.Reservation = r.Float64() * 40
		}
		p.Preferences[party] = pref
	}
	return p
}

// spreadWeights spreads 100 points over the issues, some issues weighing
// nothing.
func spreadWeights(r *rand.Rand, m int, issues []bargain.Issue) map[string]int {
	raw := make([]int, m)
	sum := 0
	for j := range raw {
		if r.IntN(5) > 0 {
			raw[j] = r.IntN(10)
		}
		sum += raw[j]
	}
	if sum == 0 {
		raw[0], sum = 1, 1
	}
	w := make(map[string]int, m)
	given := 0
	for j, is := range issues {
		w[is.ID] = 100 * raw[j] / sum
		given += w[is.ID]
	}
	for j := 0; given < 100; j = (j + 1) % m {
		if raw[j] > 0 {
			w[issues[j].ID]++
			given++
		}
	}
	return w
}

// evenWeights spreads 100 points evenly over the issues, the first
// issues taking the remainder.
func evenWeights(issues []bargain.Issue) map[string]int {
	w := make(map[string]int, len(issues))
	for j, is := range issues {
		w[is.ID] = 100 / len(issues)
		if j < 100%len(issues) {
			w[is.ID]++
		}
	}
	return w
}

// sizeFor draws the bound on packages of the i-th random instance: log-
// uniform up to 10⁴ packages, but one instance in 50 log-uniform from 10⁴
// to 10⁶, so that most instances are small and a few are as large as brute
// force affords.
func sizeFor(r *rand.Rand) int {
	if r.IntN(50) == 0 {
		return int(math.Exp(math.Log(1e4) + r.Float64()*math.Log(100)))
	}
	return int(math.Exp(r.Float64() * math.Log(1e4)))
}

// brute is a problem prepared for brute force.
type brute struct {
	p      *bargain.Problem
	n      int
	unit   int64 // utilities are in units of 1/unit
	issues []bruteIssue
	res    []int64 // reservations in units
	ideal  []int64 // highest utility over feasible packages
	low    []int64 // lowest
	empty  bool    // no package is feasible
}

// bruteIssue is an issue's feasible choices, in the documented order,
// and each party's utility for each, in units.
type bruteIssue struct {
	id      string
	choices []bargain.Choice
	utils   [][]int64
}

// newBrute lists the choices of every issue.
func newBrute(p *bargain.Problem) *brute {
	b := &brute{p: p, n: len(p.Parties), unit: 100}
	steps := int64(1)
	for _, is := range p.Issues {
		if p.Steps > 1 && is.Divisible && len(is.Options) > 1 {
			steps = int64(p.Steps)
		}
	}
	b.unit = 100 * steps
	banned := map[string]bool{}
	for _, party := range p.Parties {
		for _, never := range p.Preferences[party].Never {
			banned[never] = true
		}
	}
	b.ideal, b.low = make([]int64, b.n), make([]int64, b.n)
	for _, is := range p.Issues {
		bi := bruteIssue{id: is.ID}
		value := func(party string, o string) int64 {
			pref := p.Preferences[party]
			return int64(pref.Weights[is.ID] * pref.Ratings[is.ID][o])
		}
		for _, o := range is.Options {
			if banned[is.ID+":"+o] {
				continue
			}
			u := make([]int64, b.n)
			for k, party := range p.Parties {
				u[k] = value(party, o) * steps
			}
			bi.choices = append(bi.choices, bargain.Choice{Option: o})
			bi.utils = append(bi.utils, u)
		}
		if is.Divisible && steps > 1 {
			for x, o1 := range is.Options {
				for _, o2 := range is.Options[x+1:] {
					if banned[is.ID+":"+o1] || banned[is.ID+":"+o2] {
						continue
					}
					for i := int64(1); i < steps; i++ {
						u := make([]int64, b.n)
						for k, party := range p.Parties {
							u[k] = i*value(party, o1) + (steps-i)*value(party, o2)
						}
						bi.choices = append(bi.choices, bargain.Choice{Shares: map[string]*big.Rat{
							o1: big.NewRat(i, steps), o2: big.NewRat(steps-i, steps),
						}})
						bi.utils = append(bi.utils, u)
					}
				}
			}
		}
		if len(bi.choices) == 0 {
			b.empty = true
		}
		for k := range b.n {
			hi, lo := int64(math.MinInt64), int64(math.MaxInt64)
			for _, u := range bi.utils {
				hi, lo = max(hi, u[k]), min(lo, u[k])
			}
			b.ideal[k] += hi
			b.low[k] += lo
		}
		b.issues = append(b.issues, bi)
	}
	b.res = make([]int64, b.n)
	for k, party := range p.Parties {
		// The documented reading: the smallest whole number of units not
		// below the reservation less 10⁻⁶ of a unit, computed exactly.
		x := new(big.Rat).SetFloat64(p.Preferences[party].Reservation)
		x.Mul(x, big.NewRat(b.unit, 1))
		x.Sub(x, big.NewRat(1, 1_000_000))
		q := new(big.Int).Quo(x.Num(), x.Denom())
		if x.Sign() > 0 && !x.IsInt() {
			q.Add(q, big.NewInt(1))
		}
		b.res[k] = max(0, q.Int64())
	}
	return b
}

// walk visits every feasible package in lexicographic order of choices
// (the first issue first), with its utilities. The slices are reused.
func (b *brute) walk(visit func(digits []int, u []int64)) {
	if b.empty {
		return
	}
	m := len(b.issues)
	digits := make([]int, m)
	sums := make([][]int64, m+1)
	for d := range sums {
		sums[d] = make([]int64, b.n)
	}
	var rec func(d int)
	rec = func(d int) {
		if d == m {
			visit(digits, sums[m])
			return
		}
		for c, u := range b.issues[d].utils {
			digits[d] = c
			for k := range b.n {
				sums[d+1][k] = sums[d][k] + u[k]
			}
			rec(d + 1)
		}
	}
	rec(0)
}

// pkg returns the package of digits.
func (b *brute) pkg(digits []int) bargain.Package {
	pkg := bargain.Package{}
	for j, c := range digits {
		pkg[b.issues[j].id] = b.issues[j].choices[c]
	}
	return pkg
}

// point is a utility vector with the first package that has it.
type point struct {
	u      []int64
	digits []int
}

// newPoint copies a package and its utilities.
func newPoint(digits []int, u []int64) point {
	return point{u: slices.Clone(u), digits: slices.Clone(digits)}
}

// bruteResult is what brute force finds for one or two parties.
type bruteResult struct {
	frontier []point // by the first party's utility, highest first
	fair     map[string]*point
}

// solve2 walks every package of a problem of one or two parties once,
// keeping for each utility of the first party the best utility of the
// second (the first package of each), and for each fair method the best
// individually rational package so far: best by the method, then by the
// larger utility vector (first party first), then the first package.
func (b *brute) solve2() *bruteResult {
	size := 100*b.unit + 1
	second := make([]int64, size)
	firstOf := make([]point, size)
	for x := range second {
		second[x] = -1
	}
	res := &bruteResult{fair: map[string]*point{}}
	methods := []string{bargain.MethodNash, bargain.MethodKS, bargain.MethodMaximin, bargain.MethodMaxSum}
	var fair [4]*point
	b.walk(func(digits []int, u []int64) {
		v := u[0]
		w := int64(0)
		if b.n == 2 {
			w = u[1]
		}
		if w > second[v] {
			second[v] = w
			firstOf[v] = newPoint(digits, u)
		}
		if !b.rational(u) {
			return
		}
		for x, m := range methods {
			best := fair[x]
			if best == nil {
				pt := newPoint(digits, u)
				fair[x] = &pt
				continue
			}
			c := b.compare(m, u, best.u)
			if c == 0 {
				c = slices.Compare(u, best.u)
			}
			if c > 0 {
				pt := newPoint(digits, u)
				fair[x] = &pt
			}
		}
	})
	for x, m := range methods {
		res.fair[m] = fair[x]
	}
	top := int64(-1)
	for v := size - 1; v >= 0; v-- {
		if second[v] > top {
			top = second[v]
			res.frontier = append(res.frontier, firstOf[v])
		}
	}
	return res
}

// rational reports whether u gives every party its reservation.
func (b *brute) rational(u []int64) bool {
	for k := range u {
		if u[k] < b.res[k] {
			return false
		}
	}
	return true
}

// compare compares two rational utility vectors by a method, for one or
// two parties, exactly: +1 when u is better.
func (b *brute) compare(method string, u, v []int64) int {
	g := func(x []int64, k int) int64 { return x[k] - b.res[k] }
	switch method {
	case bargain.MethodMaxSum:
		return cmpInt(sumOf(u), sumOf(v))
	case bargain.MethodNash:
		pu, pv := int64(1), int64(1)
		for k := range u {
			pu *= g(u, k)
			pv *= g(v, k)
		}
		return cmpInt(pu, pv)
	case bargain.MethodMaximin:
		return leximin(b.ratios(u, false), b.ratios(v, false))
	}
	return leximin(b.ratios(u, true), b.ratios(v, true))
}

// frac is a ratio num/den, den > 0.
type frac struct{ num, den int64 }

// ratios are the gains over reservations, or for ks the gains over the
// best possible gains (1 when that is nothing), at most two of them.
func (b *brute) ratios(u []int64, ks bool) [2]frac {
	out := [2]frac{{1 << 40, 1}, {1 << 40, 1}}
	for k := range u {
		out[k] = frac{u[k] - b.res[k], 1}
		if d := b.ideal[k] - b.res[k]; ks && d <= 0 {
			out[k] = frac{1, 1}
		} else if ks {
			out[k].den = d
		}
	}
	if cmpFrac(out[1], out[0]) < 0 {
		out[0], out[1] = out[1], out[0]
	}
	return out
}

func cmpFrac(x, y frac) int { return cmpInt(x.num*y.den, y.num*x.den) }

// leximin compares two sorted pairs of ratios by their smallest, then the
// other.
func leximin(x, y [2]frac) int {
	if c := cmpFrac(x[0], y[0]); c != 0 {
		return c
	}
	return cmpFrac(x[1], y[1])
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sumOf(u []int64) int64 {
	t := int64(0)
	for _, x := range u {
		t += x
	}
	return t
}

// distinct returns every distinct utility vector of the feasible packages
// with its first package, for problems of any number of parties.
func (b *brute) distinct() []point {
	seen := map[[16]int32]int{}
	var out []point
	var key [16]int32
	b.walk(func(digits []int, u []int64) {
		for k := range u {
			key[k] = int32(u[k])
		}
		if _, ok := seen[key]; !ok {
			seen[key] = len(out)
			out = append(out, newPoint(digits, u))
		}
	})
	return out
}

// paretoOf returns the points no other point dominates, by decreasing
// vector.
func paretoOf(points []point) []point {
	points = slices.Clone(points)
	slices.SortFunc(points, func(p, q point) int { return slices.Compare(q.u, p.u) })
	var kept []point
	for _, p := range points {
		if !slices.ContainsFunc(kept, func(q point) bool { return dominatesOrEqual(q.u, p.u) }) {
			kept = append(kept, p)
		}
	}
	return kept
}

// dominatesOrEqual reports whether u gives every party at least what v
// does.
func dominatesOrEqual(u, v []int64) bool {
	for k := range u {
		if u[k] < v[k] {
			return false
		}
	}
	return true
}

// units reads an outcome's utilities in the brute force's units.
func (b *brute) units(o *bargain.Outcome) ([]int64, error) {
	u := make([]int64, b.n)
	for k, party := range b.p.Parties {
		r := o.Utility[party]
		if r == nil {
			return nil, fmt.Errorf("no utility for %s", party)
		}
		x := new(big.Rat).Mul(r, big.NewRat(b.unit, 1))
		if !x.IsInt() {
			return nil, fmt.Errorf("utility %s of %s is not a whole number of units", r.RatString(), party)
		}
		u[k] = x.Num().Int64()
	}
	return u, nil
}

// utility computes a package's utilities in units from the problem
// itself; it fails on a package that does not choose for every issue or
// chooses what the problem does not offer.
func (b *brute) utility(pkg bargain.Package) ([]int64, error) {
	u := make([]int64, b.n)
	for _, is := range b.p.Issues {
		c, ok := pkg[is.ID]
		if !ok {
			return nil, fmt.Errorf("no choice for %s", is.ID)
		}
		shares := c.Shares
		if c.Option != "" {
			shares = map[string]*big.Rat{c.Option: big.NewRat(1, 1)}
		}
		for k, party := range b.p.Parties {
			pref := b.p.Preferences[party]
			x := new(big.Rat)
			for o, share := range shares {
				if !slices.Contains(is.Options, o) {
					return nil, fmt.Errorf("issue %s has no option %s", is.ID, o)
				}
				x.Add(x, new(big.Rat).Mul(share, big.NewRat(int64(pref.Weights[is.ID]*pref.Ratings[is.ID][o])*b.unit/100, 1)))
			}
			if !x.IsInt() {
				return nil, fmt.Errorf("issue %s: a share off the grid", is.ID)
			}
			u[k] += x.Num().Int64()
		}
	}
	return u, nil
}

// samePackage reports whether two packages make the same choices,
// written the same way.
func samePackage(a, b bargain.Package) bool {
	if len(a) != len(b) {
		return false
	}
	for id, x := range a {
		y, ok := b[id]
		if !ok || x.Option != y.Option || len(x.Shares) != len(y.Shares) {
			return false
		}
		for o, s := range x.Shares {
			if y.Shares[o] == nil || s == nil || s.Cmp(y.Shares[o]) != 0 {
				return false
			}
		}
	}
	return true
}

// describe writes a package briefly, for failure messages.
func describe(pkg bargain.Package) string {
	ids := make([]string, 0, len(pkg))
	for id := range pkg {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var sb strings.Builder
	for _, id := range ids {
		c := pkg[id]
		if c.Option != "" {
			fmt.Fprintf(&sb, "%s=%s ", id, c.Option)
			continue
		}
		fmt.Fprintf(&sb, "%s=", id)
		for _, o := range slices.Sorted(func(yield func(string) bool) {
			for o := range c.Shares {
				if !yield(o) {
					return
				}
			}
		}) {
			fmt.Fprintf(&sb, "%s:%s,", o, c.Shares[o].RatString())
		}
		sb.WriteString(" ")
	}
	return strings.TrimSpace(sb.String())
}

// objective is a method's value at a utility vector, in points, as a
// float: the product of gains, the smallest ratio of gain to best possible
// gain, the smallest gain, or the total.
func (b *brute) objective(method string, u []int64) float64 {
	unit := float64(b.unit)
	x := 0.0
	switch method {
	case bargain.MethodNash:
		x = 1
		for k := range u {
			x *= float64(u[k]-b.res[k]) / unit
		}
	case bargain.MethodMaxSum:
		x = float64(sumOf(u)) / unit
	default:
		x = math.Inf(1)
		for k := range u {
			g := float64(u[k]-b.res[k]) / unit
			if method == bargain.MethodKS {
				g = 1
				if d := b.ideal[k] - b.res[k]; d > 0 {
					g = float64(u[k]-b.res[k]) / float64(d)
				}
			}
			x = min(x, g)
		}
	}
	return x
}

// optimum is the best objective of a method over the rational points;
// -1 when none is rational.
func (b *brute) optimum(method string, points []point) float64 {
	best := -1.0
	for _, pt := range points {
		if b.rational(pt.u) {
			best = max(best, b.objective(method, pt.u))
		}
	}
	return best
}

// value is a method's objective at an outcome; -1 for none.
func (b *brute) value(method string, o *bargain.Outcome) float64 {
	if o == nil {
		return -1
	}
	u, err := b.units(o)
	if err != nil {
		return -1
	}
	return b.objective(method, u)
}
