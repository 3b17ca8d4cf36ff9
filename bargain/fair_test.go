package bargain_test

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"parley/bargain"
)

func TestFairSmall(t *testing.T) {
	// Whole options only: small+1967 (70, 25), large+1967 (40, 50),
	// small+now (30, 75), large+now (0, 100); reservations 30 and 40
	// leave large+1967 (gains 10, 10) and small+now (gains 0, 35); the
	// ideals are 70 and 100, so the best possible gains 40 and 60.
	p := ceasefire()
	p.Steps = 0
	for _, tc := range []struct {
		method, army, border string
		value                float64
	}{
		{bargain.MethodNash, "large", "1967", 10 * 10},
		{bargain.MethodKS, "large", "1967", 10.0 / 60},
		{bargain.MethodMaximin, "large", "1967", 10},
		{bargain.MethodMaxSum, "small", "now", 105},
	} {
		t.Run(tc.method, func(t *testing.T) {
			sol, err := bargain.Fair(p, tc.method, nil)
			if err != nil {
				t.Fatal(err)
			}
			if sol.Outcome == nil {
				t.Fatal("got no package")
			}
			if got := describe(sol.Outcome.Choice); got != "army="+tc.army+" border="+tc.border {
				t.Errorf("got %s, want army=%s border=%s", got, tc.army, tc.border)
			}
			if math.Abs(sol.Value-tc.value) > 1e-9 || sol.Approximate || sol.Method != tc.method {
				t.Errorf("got value %v, approximate %v, method %q; want %v, false, %q", sol.Value, sol.Approximate, sol.Method, tc.value, tc.method)
			}
		})
	}
}

func TestFairNoneAndErrors(t *testing.T) {
	p := ceasefire()
	pref := p.Preferences["A"]
	pref.Reservation = 80 // above A's ideal of 70
	p.Preferences["A"] = pref
	sol, err := bargain.Fair(p, bargain.MethodNash, nil)
	if err != nil || sol.Outcome != nil {
		t.Errorf("got %v, %v; want no package", sol, err)
	}
	if _, err := bargain.Fair(p, "utilitarian", nil); err == nil || err.Error() != `method: "utilitarian" is not one of nash, ks, maximin, maxsum` {
		t.Errorf("got error %v for an unknown method", err)
	}
	bad := &bargain.Frontier{Outcomes: []*bargain.Outcome{{Utility: map[string]*big.Rat{"A": big.NewRat(1, 3), "B": big.NewRat(1, 1)}}}}
	if _, err := bargain.Fair(ceasefire(), bargain.MethodNash, bad); err == nil || err.Error() != `frontier.outcomes[0]: utility 1/3 of party "A" is not one this problem gives` {
		t.Errorf("got error %v for a foreign frontier", err)
	}
}

// TestFairApproximateAgainstBruteForce checks the fair points of three and
// four parties against the tolerance Solution documents: the package meets
// every reservation, and its value is at least that of any package x that
// gives every party its reservation plus ε × range, less the method's
// slack.
func TestFairApproximateAgainstBruteForce(t *testing.T) {
	count := 400
	if testing.Short() {
		count = 50
	}
	r := rand.New(rand.NewPCG(5, 8))
	for i := range count {
		p := randomProblem(r, shape{parties: 3 + r.IntN(2), packages: min(sizeFor(r), 50_000), issues: 8, options: 6})
		eps := []float64{0, 0.05, 0.2, 0.5}[r.IntN(4)]
		fr, err := bargain.Pareto(p, eps)
		if err != nil {
			t.Fatal(err)
		}
		if eps == 0 && r.IntN(2) == 0 {
			fr = nil // Fair computes the set itself
		}
		b := newBrute(p)
		all := b.distinct()
		for _, m := range methods {
			name := fmt.Sprintf("instance %d (%d parties, ε %v), %s", i, len(p.Parties), eps, m)
			sol, err := bargain.Fair(p, m, fr)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !sol.Approximate {
				t.Errorf("%s: got exact, want Approximate", name)
			}
			e := bargain.DefaultEpsilon
			if fr != nil {
				e = fr.Epsilon
			}
			bound := b.bound(m, all, e)
			if sol.Outcome == nil {
				if bound > -1 {
					t.Errorf("%s: got no package, want one of value ≥ %v", name, bound)
				}
				continue
			}
			u, err := b.utility(sol.Outcome.Choice)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got := b.objective(m, u)
			switch {
			case !b.rational(u):
				t.Errorf("%s: got %v, below a reservation %v", name, u, b.res)
			case got < bound-1e-9:
				t.Errorf("%s: got value %v, want at least %v", name, got, bound)
			case got > b.optimum(m, all)+1e-9:
				t.Errorf("%s: got value %v above the optimum %v", name, got, b.optimum(m, all))
			case math.Abs(sol.Value-got) > 1e-9*max(1, math.Abs(got)):
				t.Errorf("%s: got Value %v, want %v", name, sol.Value, got)
			}
		}
	}
}

// bound is the least value Fair promises for three parties or more: the
// largest, over the packages x that give every party k at least res_k +
// ε × range_k, of the method's value at x less its slack; -1 when there
// is no such package.
func (b *brute) bound(method string, all []point, eps float64) float64 {
	unit := float64(b.unit)
	slack := make([]float64, b.n) // ε × range_k, in points
	for k := range slack {
		slack[k] = eps * float64(b.ideal[k]-b.low[k]) / unit
	}
	best := -1.0
	for _, pt := range all {
		ok := true
		for k := range pt.u {
			ok = ok && float64(pt.u[k]-b.res[k])/unit >= slack[k]
		}
		if !ok {
			continue
		}
		x := b.objective(method, pt.u)
		switch method {
		case bargain.MethodMaxSum:
			for k := range slack {
				x -= slack[k]
			}
		case bargain.MethodMaximin:
			x -= maxOf(slack)
		case bargain.MethodNash:
			x = 1
			for k := range pt.u {
				x *= float64(pt.u[k]-b.res[k])/unit - slack[k]
			}
		case bargain.MethodKS:
			worst := 0.0
			for k := range slack {
				if d := b.ideal[k] - b.res[k]; d > 0 {
					worst = max(worst, slack[k]*unit/float64(d))
				}
			}
			x -= worst
		}
		best = max(best, x)
	}
	return best
}

func maxOf(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = max(m, v)
	}
	return m
}

// TestFairAffineInvariance rescales one party's ratings and reservation
// by a positive affine map (r → (r+100)/2 and r → r/2, on even ratings
// so that the results stay whole) and checks that the Nash and
// Kalai–Smorodinsky packages do not change.
func TestFairAffineInvariance(t *testing.T) {
	count := 500
	if testing.Short() {
		count = 100
	}
	r := rand.New(rand.NewPCG(9, 9))
	maps := []struct {
		name string
		f    func(int) int
	}{
		{"(r+100)/2", func(x int) int { return (x + 100) / 2 }},
		{"r/2", func(x int) int { return x / 2 }},
	}
	for i := range count {
		p := randomProblem(r, shape{parties: 2, packages: sizeFor(r), issues: 8, options: 8})
		evenRatings(p, r)
		for _, m := range []string{bargain.MethodNash, bargain.MethodKS} {
			want, err := bargain.Fair(p, m, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, party := range p.Parties {
				for _, am := range maps {
					got, err := bargain.Fair(rescale(p, party, am.f), m, nil)
					if err != nil {
						t.Fatal(err)
					}
					if (got.Outcome == nil) != (want.Outcome == nil) ||
						got.Outcome != nil && !samePackage(got.Outcome.Choice, want.Outcome.Choice) {
						t.Errorf("instance %d, %s, party %d rescaled by %s: got %v, want %v", i, m, k, am.name, outcomeString(got.Outcome), outcomeString(want.Outcome))
					}
				}
			}
		}
	}
}

// evenRatings rates every option of every party with an even number and
// sets even whole reservations.
func evenRatings(p *bargain.Problem, r *rand.Rand) {
	for _, party := range p.Parties {
		pref := p.Preferences[party]
		for _, is := range p.Issues {
			for _, o := range is.Options {
				pref.Ratings[is.ID][o] &^= 1
			}
		}
		pref.Reservation = float64(2 * r.IntN(25))
		p.Preferences[party] = pref
	}
}

// rescale returns p with one party's every rating and reservation mapped
// by f.
func rescale(p *bargain.Problem, party string, f func(int) int) *bargain.Problem {
	q := *p
	q.Preferences = map[string]bargain.Preferences{}
	for name, pref := range p.Preferences {
		if name == party {
			ratings := map[string]map[string]int{}
			for _, is := range p.Issues {
				ratings[is.ID] = map[string]int{}
				for _, o := range is.Options {
					ratings[is.ID][o] = f(pref.Ratings[is.ID][o])
				}
			}
			pref.Ratings = ratings
			pref.Reservation = float64(f(int(pref.Reservation)))
		}
		q.Preferences[name] = pref
	}
	return &q
}

func outcomeString(o *bargain.Outcome) string {
	if o == nil {
		return "none"
	}
	return describe(o.Choice)
}
