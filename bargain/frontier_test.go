package bargain_test

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"parley/bargain"
)

// TestAgainstBruteForce compares the frontier, the fair points and the
// improvements of one and two parties with brute force over every package,
// on 10,000 random problems of up to 10⁶ packages (1,000 with -short).
func TestAgainstBruteForce(t *testing.T) {
	count := 10_000
	if testing.Short() {
		count = 1000
	}
	r := rand.New(rand.NewPCG(2026, 11))
	largest, large := 0, 0
	for i := range count {
		sh := shape{parties: 1 + r.IntN(2), packages: sizeFor(r), issues: 10, options: 10}
		p := randomProblem(r, sh)
		b := newBrute(p)
		want := b.solve2()
		name := fmt.Sprintf("instance %d (%d parties, %d issues)", i, sh.parties, len(p.Issues))
		fr, err := bargain.Pareto(p, 0)
		if err != nil {
			t.Fatalf("%s: Pareto: %v", name, err)
		}
		if !checkFrontier(t, name, b, fr, want.frontier) {
			continue
		}
		checkFair(t, name, b, p, fr, want.fair)
		checkImprove(t, name, r, b, p, want.frontier)
		size := 1
		for _, is := range b.issues {
			size *= len(is.choices)
		}
		largest = max(largest, size)
		if size >= 100_000 {
			large++
		}
	}
	t.Logf("%d problems, %d of them of 100,000 packages or more, the largest of %d", count, large, largest)
}

// checkFrontier compares a frontier with brute force's: the same utility
// vectors in the same order, each with the first package that has it, and
// each package really has the utilities given.
func checkFrontier(t *testing.T, name string, b *brute, fr *bargain.Frontier, want []point) bool {
	t.Helper()
	if !fr.Exact || fr.Epsilon != 0 {
		t.Errorf("%s: got Exact %v, Epsilon %v; want true, 0", name, fr.Exact, fr.Epsilon)
	}
	if len(fr.Outcomes) != len(want) {
		t.Errorf("%s: got %d frontier points, want %d", name, len(fr.Outcomes), len(want))
		return false
	}
	for x, o := range fr.Outcomes {
		got, err := b.units(o)
		if err != nil {
			t.Errorf("%s: frontier[%d]: %v", name, x, err)
			return false
		}
		if !slices.Equal(got, want[x].u) {
			t.Errorf("%s: frontier[%d]: got utilities %v, want %v", name, x, got, want[x].u)
			return false
		}
		wantPkg := b.pkg(want[x].digits)
		if !samePackage(o.Choice, wantPkg) {
			t.Errorf("%s: frontier[%d]: got package %s, want %s", name, x, describe(o.Choice), describe(wantPkg))
			return false
		}
		if again, err := b.utility(o.Choice); err != nil || !slices.Equal(again, got) {
			t.Errorf("%s: frontier[%d]: package recomputes to %v (%v), want %v", name, x, again, err, got)
		}
	}
	return true
}

// checkFair compares every fair point with brute force's, given the
// frontier and without it.
func checkFair(t *testing.T, name string, b *brute, p *bargain.Problem, fr *bargain.Frontier, want map[string]*point) {
	t.Helper()
	for _, m := range []string{bargain.MethodNash, bargain.MethodKS, bargain.MethodMaximin, bargain.MethodMaxSum} {
		given := fr
		if m == bargain.MethodKS {
			given = nil // computing the frontier itself must agree too
		}
		sol, err := bargain.Fair(p, m, given)
		if err != nil {
			t.Errorf("%s: Fair(%s): %v", name, m, err)
			continue
		}
		if sol.Approximate {
			t.Errorf("%s: Fair(%s): got Approximate, want exact", name, m)
		}
		w := want[m]
		switch {
		case w == nil && sol.Outcome == nil:
			continue
		case w == nil:
			t.Errorf("%s: Fair(%s): got %s, want none", name, m, describe(sol.Outcome.Choice))
			continue
		case sol.Outcome == nil:
			t.Errorf("%s: Fair(%s): got none, want %v", name, m, w.u)
			continue
		}
		got, err := b.units(sol.Outcome)
		if err != nil || !slices.Equal(got, w.u) {
			t.Errorf("%s: Fair(%s): got utilities %v (%v), want %v", name, m, got, err, w.u)
			continue
		}
		if wantPkg := b.pkg(w.digits); !samePackage(sol.Outcome.Choice, wantPkg) {
			t.Errorf("%s: Fair(%s): got package %s, want %s", name, m, describe(sol.Outcome.Choice), describe(wantPkg))
		}
		if want := b.objective(m, w.u); math.Abs(sol.Value-want) > 1e-9*max(1, math.Abs(want)) {
			t.Errorf("%s: Fair(%s): got value %v, want %v", name, m, sol.Value, want)
		}
	}
}

// checkImprove compares Improve with the documented set, found from brute
// force's frontier: the frontier points that dominate the tentative
// package, by smallest gain, largest first, ties in the frontier's order.
func checkImprove(t *testing.T, name string, r *rand.Rand, b *brute, p *bargain.Problem, frontier []point) {
	t.Helper()
	tentative := bargain.Package{}
	for _, is := range p.Issues {
		tentative[is.ID] = bargain.Choice{Option: is.Options[r.IntN(len(is.Options))]}
	}
	if len(frontier) > 0 && r.IntN(4) == 0 { // on the frontier: nothing improves on it
		tentative = b.pkg(frontier[r.IntN(len(frontier))].digits)
	}
	tu, err := b.utility(tentative)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	limit := r.IntN(6)
	im, err := bargain.Improve(p, tentative, limit, nil)
	if err != nil {
		t.Errorf("%s: Improve: %v", name, err)
		return
	}
	var want []point
	for _, pt := range frontier {
		if dominatesOrEqual(pt.u, tu) && !slices.Equal(pt.u, tu) {
			want = append(want, pt)
		}
	}
	least := func(pt point) int64 {
		g := pt.u[0] - tu[0]
		for k := range pt.u {
			g = min(g, pt.u[k]-tu[k])
		}
		return g
	}
	slices.SortStableFunc(want, func(x, y point) int { return cmp.Compare(least(y), least(x)) })
	if limit == 0 {
		limit = 20
	}
	want = want[:min(limit, len(want))]
	if im.None != (len(want) == 0) {
		t.Errorf("%s: Improve: got None %v, want %v", name, im.None, len(want) == 0)
	}
	if im.None && (im.Certificate == nil || len(im.Certificate.Outcomes) != len(frontier)) {
		t.Errorf("%s: Improve: None without the frontier as certificate", name)
	}
	if len(im.Packages) != len(want) {
		t.Errorf("%s: Improve: got %d packages, want %d", name, len(im.Packages), len(want))
		return
	}
	for x, o := range im.Packages {
		got, err := b.units(o)
		if err != nil || !slices.Equal(got, want[x].u) {
			t.Errorf("%s: Improve[%d]: got %v (%v), want %v", name, x, got, err, want[x].u)
			continue
		}
		if wantPkg := b.pkg(want[x].digits); !samePackage(o.Choice, wantPkg) {
			t.Errorf("%s: Improve[%d]: got package %s, want %s", name, x, describe(o.Choice), describe(wantPkg))
		}
	}
	tw, err := b.units(im.Tentative)
	if err != nil || !slices.Equal(tw, tu) {
		t.Errorf("%s: Improve: tentative utilities %v (%v), want %v", name, tw, err, tu)
	}
}

// TestEpsilonParetoAgainstBruteForce checks the ε-Pareto set of three and
// four parties against brute force: every feasible package is within ε ×
// range of an outcome, no outcome dominates another, and each outcome's
// package has the utilities given.
func TestEpsilonParetoAgainstBruteForce(t *testing.T) {
	count := 1000
	if testing.Short() {
		count = 100
	}
	r := rand.New(rand.NewPCG(7, 3))
	setSize, exactSize := 0, 0
	for i := range count {
		sh := shape{parties: 3 + r.IntN(2), packages: min(sizeFor(r), 100_000), issues: 8, options: 6}
		p := randomProblem(r, sh)
		eps := []float64{0, 0.01, 0.05, 0.2, 0.5, 0.9}[r.IntN(6)]
		name := fmt.Sprintf("instance %d (%d parties, %d issues, ε %v)", i, sh.parties, len(p.Issues), eps)
		fr, err := bargain.Pareto(p, eps)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if eps == 0 {
			eps = bargain.DefaultEpsilon
		}
		if fr.Exact || fr.Epsilon != eps {
			t.Errorf("%s: got Exact %v, Epsilon %v; want false, %v", name, fr.Exact, fr.Epsilon, eps)
		}
		b := newBrute(p)
		exact := paretoOf(b.distinct())
		checkEpsilonSet(t, name, b, fr, exact)
		setSize += len(fr.Outcomes)
		exactSize += len(exact)
	}
	t.Logf("ε-Pareto sets: %d outcomes in all, exact frontiers: %d", setSize, exactSize)
}

// checkEpsilonSet checks the ε-Pareto guarantee of fr against the exact
// frontier.
func checkEpsilonSet(t *testing.T, name string, b *brute, fr *bargain.Frontier, exact []point) {
	t.Helper()
	set := make([][]int64, len(fr.Outcomes))
	for x, o := range fr.Outcomes {
		u, err := b.units(o)
		if err != nil {
			t.Fatalf("%s: outcome %d: %v", name, x, err)
		}
		if again, err := b.utility(o.Choice); err != nil || !slices.Equal(again, u) {
			t.Errorf("%s: outcome %d: package recomputes to %v (%v), want %v", name, x, again, err, u)
		}
		set[x] = u
	}
	for x := range set {
		for y := range set {
			if x != y && dominatesOrEqual(set[y], set[x]) {
				t.Errorf("%s: outcome %d %v is covered by outcome %d %v", name, x, set[x], y, set[y])
			}
		}
		if x > 0 && slices.Compare(set[x-1], set[x]) < 0 {
			t.Errorf("%s: outcomes %d and %d out of order", name, x-1, x)
		}
	}
	for _, pt := range exact {
		if !slices.ContainsFunc(set, func(u []int64) bool { return b.within(u, pt.u, fr.Epsilon) }) {
			t.Errorf("%s: no outcome within ε of %v", name, pt.u)
			return
		}
	}
	if len(exact) == 0 && len(set) > 0 {
		t.Errorf("%s: %d outcomes of a problem without feasible packages", name, len(set))
	}
}

// within reports whether y_k > x_k − ε × range_k for every party (y_k ≥
// x_k when the range is 0), exactly.
func (b *brute) within(y, x []int64, eps float64) bool {
	return b.withinGaps(b.gaps(eps))(y, x)
}

// gaps returns, per party, the largest whole gap x_k − y_k below ε ×
// range_k (0 when the range is 0).
func (b *brute) gaps(eps float64) []int64 {
	e := new(big.Rat).SetFloat64(eps)
	gaps := make([]int64, b.n)
	for k := range gaps {
		slack := new(big.Rat).Mul(e, big.NewRat(b.ideal[k]-b.low[k], 1))
		// The largest integer strictly below slack.
		q := new(big.Int).Quo(slack.Num(), slack.Denom()).Int64()
		if slack.IsInt() {
			q--
		}
		gaps[k] = max(0, q)
	}
	return gaps
}

// withinGaps returns within for precomputed gaps.
func (b *brute) withinGaps(gaps []int64) func(y, x []int64) bool {
	return func(y, x []int64) bool {
		for k := range y {
			if x[k]-y[k] > gaps[k] {
				return false
			}
		}
		return true
	}
}

// TestEpsilonParetoCoarsened checks problems of four parties whose
// ε-Pareto set outgrows its bound, so that the grid is coarsened: the
// larger Epsilon reported must hold for every feasible package.
func TestEpsilonParetoCoarsened(t *testing.T) {
	if testing.Short() {
		t.Skip("brute force over 280,000 packages of four parties takes seconds")
	}
	for seed := range uint64(2) {
		p := benchProblem(4, 7, 6)
		r := rand.New(rand.NewPCG(seed, 1))
		for _, party := range p.Parties {
			pref := p.Preferences[party]
			for _, is := range p.Issues {
				for _, o := range is.Options {
					pref.Ratings[is.ID][o] = r.IntN(101)
				}
			}
			p.Preferences[party] = pref
		}
		fr, err := bargain.Pareto(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		if fr.Epsilon <= bargain.DefaultEpsilon {
			t.Fatalf("seed %d: got Epsilon %v with %d outcomes; want a coarsened grid", seed, fr.Epsilon, len(fr.Outcomes))
		}
		b := newBrute(p)
		within := b.withinGaps(b.gaps(fr.Epsilon))
		set := make([][]int64, len(fr.Outcomes))
		for x, o := range fr.Outcomes {
			set[x], _ = b.units(o)
		}
		missed := 0
		b.walk(func(_ []int, u []int64) {
			if !slices.ContainsFunc(set, func(y []int64) bool { return within(y, u) }) {
				missed++
			}
		})
		if missed > 0 {
			t.Errorf("seed %d: %d packages are not within ε %v of any of the %d outcomes", seed, missed, fr.Epsilon, len(set))
		}
		t.Logf("seed %d: ε %v, %d outcomes", seed, fr.Epsilon, len(set))
	}
}

// TestParetoSmall checks a frontier worked out by hand.
func TestParetoSmall(t *testing.T) {
	p := &bargain.Problem{
		Parties: []string{"A", "B"},
		Issues: []bargain.Issue{
			{ID: "army", Options: []string{"none", "small", "large"}},
			{ID: "border", Options: []string{"1967", "now"}},
		},
		Preferences: map[string]bargain.Preferences{
			"A": {Weights: map[string]int{"army": 60, "border": 40},
				Ratings: map[string]map[string]int{"army": {"none": 100, "small": 50}, "border": {"1967": 100}}},
			"B": {Weights: map[string]int{"army": 50, "border": 50},
				Ratings: map[string]map[string]int{"army": {"small": 50, "large": 100}, "border": {"now": 100}},
				Never:   []string{"army:none"}},
		},
	}
	fr, err := bargain.Pareto(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Feasible packages (army is never none): small+1967 (70, 25),
	// small+now (30, 75), large+1967 (40, 50), large+now (0, 100).
	want := []struct {
		army, border string
		a, b         int64
	}{
		{"small", "1967", 70, 25},
		{"large", "1967", 40, 50},
		{"small", "now", 30, 75},
		{"large", "now", 0, 100},
	}
	if len(fr.Outcomes) != len(want) {
		t.Fatalf("got %d outcomes, want %d", len(fr.Outcomes), len(want))
	}
	for x, w := range want {
		o := fr.Outcomes[x]
		if o.Choice["army"].Option != w.army || o.Choice["border"].Option != w.border {
			t.Errorf("outcome %d: got %s, want army=%s border=%s", x, describe(o.Choice), w.army, w.border)
		}
		if o.Utility["A"].Cmp(big.NewRat(w.a, 1)) != 0 || o.Utility["B"].Cmp(big.NewRat(w.b, 1)) != 0 {
			t.Errorf("outcome %d: got utilities %s, %s; want %d, %d", x, o.Utility["A"].RatString(), o.Utility["B"].RatString(), w.a, w.b)
		}
	}
}

// TestParetoErrors checks that bad arguments are refused with a message
// that says what is wrong.
func TestParetoErrors(t *testing.T) {
	p := &bargain.Problem{
		Parties:     []string{"A"},
		Issues:      []bargain.Issue{{ID: "x", Options: []string{"a"}}},
		Preferences: map[string]bargain.Preferences{"A": {Weights: map[string]int{"x": 100}}},
	}
	for _, tc := range []struct {
		name string
		p    *bargain.Problem
		eps  float64
		want string
	}{
		{"negative epsilon", p, -0.1, "epsilon: -0.1 is outside [0, 1)"},
		{"epsilon of 1", p, 1, "epsilon: 1 is outside [0, 1)"},
		{"no problem", nil, 0, "bargain: no problem given"},
		{"invalid problem", &bargain.Problem{}, 0, "parties: none; at least 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bargain.Pareto(tc.p, tc.eps)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got error %v, want %q", err, tc.want)
			}
		})
	}
}
