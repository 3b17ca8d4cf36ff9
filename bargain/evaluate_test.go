package bargain_test

import (
	"math/big"
	"slices"
	"testing"

	"parley/bargain"
)

// ceasefire is a small problem worked out by hand: A weighs the army 60
// and the border 40, B weighs them 50/50 and never accepts no army; the
// army may be split in quarters.
func ceasefire() *bargain.Problem {
	return &bargain.Problem{
		Parties: []string{"A", "B"},
		Issues: []bargain.Issue{
			{ID: "army", Options: []string{"none", "small", "large"}, Divisible: true},
			{ID: "border", Options: []string{"1967", "now"}},
		},
		Steps: 4,
		Preferences: map[string]bargain.Preferences{
			"A": {
				Weights:     map[string]int{"army": 60, "border": 40},
				Ratings:     map[string]map[string]int{"army": {"none": 100, "small": 50}, "border": {"1967": 100}},
				Reservation: 30,
			},
			"B": {
				Weights:     map[string]int{"army": 50, "border": 50},
				Ratings:     map[string]map[string]int{"army": {"small": 50, "large": 100}, "border": {"now": 100}},
				Reservation: 40,
				Never:       []string{"army:none"},
			},
		},
	}
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad number " + s)
	}
	return r
}

func TestEvaluate(t *testing.T) {
	p := ceasefire()
	whole := func(o string) bargain.Choice { return bargain.Choice{Option: o} }
	split := bargain.Choice{Shares: map[string]*big.Rat{"none": rat("1/3"), "large": rat("2/3")}}
	for _, tc := range []struct {
		name        string
		pkg, prev   bargain.Package
		utility     map[string]string
		distance    map[string]string
		feasible    bool
		violations  []string
		below       []string
		concessions map[string][]string // issue: loss
	}{
		{
			name:     "whole options",
			pkg:      bargain.Package{"army": whole("small"), "border": whole("1967")},
			utility:  map[string]string{"A": "70", "B": "25"},
			distance: map[string]string{"A": "0", "B": "75"},
			feasible: true,
			below:    []string{"B"},
		},
		{
			name:       "split off the grid, on a never-list",
			pkg:        bargain.Package{"army": split, "border": whole("now")},
			utility:    map[string]string{"A": "20", "B": "250/3"},
			distance:   map[string]string{"A": "50", "B": "50/3"},
			violations: []string{"B never accepts army:none"},
			below:      []string{"A"},
		},
		{
			name:        "concessions against a previous package",
			pkg:         bargain.Package{"army": whole("large"), "border": whole("1967")},
			prev:        bargain.Package{"army": whole("small"), "border": whole("1967")},
			utility:     map[string]string{"A": "40", "B": "50"},
			distance:    map[string]string{"A": "30", "B": "50"},
			feasible:    true,
			concessions: map[string][]string{"A": {"army:30"}, "B": {"army:-25"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := bargain.Evaluate(p, tc.pkg, tc.prev)
			if err != nil {
				t.Fatal(err)
			}
			for party, want := range tc.utility {
				if got := e.Utility[party]; got.Cmp(rat(want)) != 0 {
					t.Errorf("utility of %s: got %s, want %s", party, got.RatString(), want)
				}
				if got := e.Distance[party]; got.Cmp(rat(tc.distance[party])) != 0 {
					t.Errorf("distance of %s: got %s, want %s", party, got.RatString(), tc.distance[party])
				}
			}
			if want := map[string]string{"A": "70", "B": "100"}; e.Ideal["A"].Cmp(rat(want["A"])) != 0 || e.Ideal["B"].Cmp(rat(want["B"])) != 0 {
				t.Errorf("ideal: got %s, %s; want 70, 100", e.Ideal["A"].RatString(), e.Ideal["B"].RatString())
			}
			if e.Feasible != tc.feasible || !slices.Equal(e.Violations, tc.violations) {
				t.Errorf("got feasible %v, violations %q; want %v, %q", e.Feasible, e.Violations, tc.feasible, tc.violations)
			}
			if !slices.Equal(e.Below, tc.below) {
				t.Errorf("got below %q, want %q", e.Below, tc.below)
			}
			if tc.prev == nil {
				if e.Concessions != nil {
					t.Errorf("got concessions %v without a previous package", e.Concessions)
				}
				return
			}
			for _, party := range p.Parties {
				var got []string
				for _, c := range e.Concessions[party] {
					got = append(got, c.Issue+":"+c.Loss.RatString())
				}
				if !slices.Equal(got, tc.concessions[party]) {
					t.Errorf("concessions of %s: got %q, want %q", party, got, tc.concessions[party])
				}
			}
		})
	}
}

func TestEvaluateErrors(t *testing.T) {
	p := ceasefire()
	full := bargain.Package{"army": {Option: "small"}, "border": {Option: "now"}}
	for _, tc := range []struct {
		name      string
		pkg, prev bargain.Package
		want      string
	}{
		{"missing issue", bargain.Package{"army": {Option: "small"}}, nil, `package: no choice for issue "border"`},
		{"unknown issue", bargain.Package{"army": {Option: "small"}, "border": {Option: "now"}, "water": {Option: "x"}}, nil, "package.water: no such issue"},
		{"unknown option", bargain.Package{"army": {Option: "huge"}, "border": {Option: "now"}}, nil, `package.army: no option "huge"`},
		{"split of an indivisible issue", bargain.Package{"army": {Option: "small"}, "border": {Shares: map[string]*big.Rat{"now": rat("1")}}}, nil,
			"package.border: shares of an issue that is not divisible"},
		{"shares not summing to 1", bargain.Package{"army": {Shares: map[string]*big.Rat{"none": rat("1/2")}}, "border": {Option: "now"}}, nil,
			"package.army: shares sum to 1/2, not 1"},
		{"negative share", bargain.Package{"army": {Shares: map[string]*big.Rat{"none": rat("3/2"), "small": rat("-1/2")}}, "border": {Option: "now"}}, nil,
			`package.army: share -1/2 of "small" is negative`},
		{"previous incomplete", full, bargain.Package{"border": {Option: "now"}}, `previous: no choice for issue "army"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bargain.Evaluate(p, tc.pkg, tc.prev)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got error %v, want %q", err, tc.want)
			}
		})
	}
}
