package bargain_test

import (
	"cmp"
	"fmt"
	"maps"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"parley/bargain"
)

func TestImproveSmall(t *testing.T) {
	p := ceasefire()
	p.Steps = 0
	p.Issues[1].Options = append(p.Issues[1].Options, "later") // rated 0 by both
	// The frontier: small+1967 (70, 25), large+1967 (40, 50), small+now
	// (30, 75), large+now (0, 100). small+later (30, 25) is dominated by
	// the first three, with smallest gains 0, 10 and 0. none+now (60, 50)
	// is not feasible, and dominated by nothing.
	for _, tc := range []struct {
		name string
		pkg  bargain.Package
		want []string
	}{
		{"on the frontier", bargain.Package{"army": {Option: "large"}, "border": {Option: "1967"}}, nil},
		{"dominated thrice", bargain.Package{"army": {Option: "small"}, "border": {Option: "later"}},
			[]string{"army=large border=1967", "army=small border=1967", "army=small border=now"}},
		{"infeasible, undominated", bargain.Package{"army": {Option: "none"}, "border": {Option: "now"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im, err := bargain.Improve(p, tc.pkg, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range im.Packages {
				got = append(got, describe(o.Choice))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if im.None != (len(tc.want) == 0) || im.None != (im.Certificate != nil) {
				t.Errorf("got None %v with certificate %v", im.None, im.Certificate != nil)
			}
		})
	}
	if _, err := bargain.Improve(p, bargain.Package{"army": {Option: "large"}}, 0, nil); err == nil || err.Error() != `tentative: no choice for issue "border"` {
		t.Errorf("got error %v for an incomplete package", err)
	}
	if _, err := bargain.Improve(p, bargain.Package{}, -1, nil); err == nil || err.Error() != "limit: -1 is negative" {
		t.Errorf("got error %v for a negative limit", err)
	}
}

// TestImproveOffGrid improves on a package whose split is off the grid of
// Steps, so that its utilities are not whole units.
func TestImproveOffGrid(t *testing.T) {
	p := ceasefire()
	p.Steps = 0
	// A third of "small" and two thirds of "large" with the border "now":
	// A gets 60 × 50/3 / 100 = 10, B gets 50 × (50/3 + 200/3) / 100 + 50 =
	// 91⅔, which no feasible package matches for both.
	tentative := bargain.Package{
		"army":   {Shares: map[string]*big.Rat{"small": big.NewRat(1, 3), "large": big.NewRat(2, 3)}},
		"border": {Option: "now"},
	}
	im, err := bargain.Improve(p, tentative, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !im.None || len(im.Packages) != 0 {
		t.Errorf("got None %v and %d packages, want None", im.None, len(im.Packages))
	}
	if got := im.Tentative.Utility["B"]; got.Cmp(big.NewRat(275, 3)) != 0 {
		t.Errorf("got B's utility %s, want 275/3", got.RatString())
	}
	// Let A rate "large" 50: the split then gives A 60 × (50/3 + 100/3) /
	// 100 = 30, and large+now (30, 100) improves on it for B alone, with a
	// smallest gain of 0.
	pref := p.Preferences["A"]
	pref.Ratings["army"]["large"] = 50
	p.Preferences["A"] = pref
	im, err = bargain.Improve(p, tentative, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if im.None || len(im.Packages) == 0 || describe(im.Packages[0].Choice) != "army=large border=now" {
		t.Errorf("got None %v and %d packages, want large+now first", im.None, len(im.Packages))
	}
}

// TestImproveApproximateAgainstBruteForce checks Improve for three and
// four parties: every package returned improves on the tentative one, the
// list is the ε-Pareto set's outcomes that do, ranked as documented, and
// None means that no feasible package gives every party ε × range more.
func TestImproveApproximateAgainstBruteForce(t *testing.T) {
	count := 400
	if testing.Short() {
		count = 50
	}
	r := rand.New(rand.NewPCG(3, 14))
	for i := range count {
		p := randomProblem(r, shape{parties: 3 + r.IntN(2), packages: min(sizeFor(r), 50_000), issues: 8, options: 6})
		b := newBrute(p)
		all := b.distinct()
		tentative := bargain.Package{}
		for _, is := range p.Issues {
			tentative[is.ID] = bargain.Choice{Option: is.Options[r.IntN(len(is.Options))]}
		}
		if len(all) > 0 && r.IntN(3) == 0 {
			tentative = b.pkg(all[r.IntN(len(all))].digits)
		}
		tu, err := b.utility(tentative)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("instance %d (%d parties)", i, len(p.Parties))
		im, err := bargain.Improve(p, tentative, 0, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fr, err := bargain.Pareto(p, 0)
		if err != nil {
			t.Fatal(err)
		}
		// Given the frontier it would compute, Improve answers the same.
		on, err := bargain.Improve(p, tentative, 0, fr)
		if err != nil {
			t.Fatalf("%s, given the frontier: %v", name, err)
		}
		if got, want := improvementString(on), improvementString(im); got != want {
			t.Errorf("%s: given the frontier, got %s, want %s", name, got, want)
		}
		if on.None && on.Certificate != fr {
			t.Errorf("%s: given the frontier, the certificate is another one", name)
		}
		var want [][]int64
		for _, o := range fr.Outcomes {
			u, _ := b.units(o)
			if dominatesOrEqual(u, tu) && !slices.Equal(u, tu) {
				want = append(want, u)
			}
		}
		least := func(u []int64) int64 {
			g := u[0] - tu[0]
			for k := range u {
				g = min(g, u[k]-tu[k])
			}
			return g
		}
		slices.SortStableFunc(want, func(x, y []int64) int { return cmp.Compare(least(y), least(x)) })
		want = want[:min(20, len(want))]
		if len(im.Packages) != len(want) || im.None != (len(want) == 0) {
			t.Errorf("%s: got %d packages (None %v), want %d", name, len(im.Packages), im.None, len(want))
			continue
		}
		for x, o := range im.Packages {
			u, err := b.utility(o.Choice)
			if err != nil || !slices.Equal(u, want[x]) {
				t.Errorf("%s: package %d: got %v (%v), want %v", name, x, u, err, want[x])
			}
		}
		if !im.None {
			continue
		}
		for _, pt := range all {
			if b.clearlyBetter(pt.u, tu, fr.Epsilon) {
				t.Errorf("%s: None, but %v gives every party ε × range more than %v", name, pt.u, tu)
				break
			}
		}
	}
}

// clearlyBetter reports whether x gives every party k at least t_k + ε ×
// range_k, and one party more than t_k.
func (b *brute) clearlyBetter(x, t []int64, eps float64) bool {
	e := new(big.Rat).SetFloat64(eps)
	strict := false
	for k := range x {
		need := new(big.Rat).Mul(e, big.NewRat(b.ideal[k]-b.low[k], 1))
		if big.NewRat(x[k]-t[k], 1).Cmp(need) < 0 {
			return false
		}
		strict = strict || x[k] > t[k]
	}
	return strict
}

// improvementString writes an improvement's answer: none, or each
// package's choices and utilities.
func improvementString(im *bargain.Improvement) string {
	if im.None {
		return "none"
	}
	var b strings.Builder
	for _, o := range im.Packages {
		b.WriteString(describe(o.Choice))
		for _, party := range slices.Sorted(maps.Keys(o.Utility)) {
			fmt.Fprintf(&b, " %s=%s", party, o.Utility[party].RatString())
		}
		b.WriteString("; ")
	}
	return b.String()
}
