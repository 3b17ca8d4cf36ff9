package bargain_test

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"

	"parley/bargain"
)

func TestValidate(t *testing.T) {
	if err := ceasefire().Validate(); err != nil {
		t.Fatalf("a valid problem: %v", err)
	}
	pref := func(p *bargain.Problem, party string, f func(*bargain.Preferences)) {
		x := p.Preferences[party]
		f(&x)
		p.Preferences[party] = x
	}
	for _, tc := range []struct {
		name   string
		change func(p *bargain.Problem)
		want   string
	}{
		{"no parties", func(p *bargain.Problem) { p.Parties = nil; p.Preferences = nil }, "parties: none; at least 1"},
		{"empty party", func(p *bargain.Problem) { p.Parties = append(p.Parties, "") }, "parties[2]: empty name"},
		{"party twice", func(p *bargain.Problem) { p.Parties = append(p.Parties, "A") }, `parties[2]: "A" appears twice`},
		{"too many parties", func(p *bargain.Problem) {
			for k := range 15 {
				name := fmt.Sprintf("P%d", k)
				p.Parties = append(p.Parties, name)
				p.Preferences[name] = p.Preferences["A"]
			}
		}, "parties: 17, at most 16"},
		{"empty issue ID", func(p *bargain.Problem) { p.Issues = append(p.Issues, bargain.Issue{Options: []string{"x"}}) }, "issues[2].id: empty"},
		{"issue ID with a colon", func(p *bargain.Problem) {
			p.Issues = append(p.Issues, bargain.Issue{ID: "a:b", Options: []string{"x"}})
		},
			`issues[2].id: "a:b" contains ':'`},
		{"issue twice", func(p *bargain.Problem) {
			p.Issues = append(p.Issues, bargain.Issue{ID: "army", Options: []string{"x"}})
		},
			`issues[2].id: "army" appears twice`},
		{"no options", func(p *bargain.Problem) {
			p.Issues = append(p.Issues, bargain.Issue{ID: "water"})
		}, "issues[2].options: none; at least 1"},
		{"empty option", func(p *bargain.Problem) { p.Issues[1].Options = []string{"1967", "now", ""} }, "issues[1].options[2]: empty"},
		{"option twice", func(p *bargain.Problem) { p.Issues[0].Options = []string{"none", "small", "large", "none"} }, `issues[0].options: "none" appears twice`},
		{"too many options", func(p *bargain.Problem) {
			for o := range 101 {
				p.Issues[1].Options = append(p.Issues[1].Options, fmt.Sprint(o))
			}
		}, "issues[1].options: 103, at most 100"},
		{"too many issues", func(p *bargain.Problem) {
			for j := range 1000 {
				p.Issues = append(p.Issues, bargain.Issue{ID: fmt.Sprint(j), Options: []string{"x"}})
			}
		}, "issues: 1002, at most 1000"},
		{"missing preferences", func(p *bargain.Problem) { delete(p.Preferences, "B") }, `preferences: none for party "B"`},
		{"preferences of a stranger", func(p *bargain.Problem) { p.Preferences["Z"] = p.Preferences["A"] }, "preferences.Z: not a party"},
		{"weights off 100", func(p *bargain.Problem) {
			pref(p, "A", func(x *bargain.Preferences) { x.Weights = map[string]int{"army": 60, "border": 38} })
		},
			"preferences.A.weights: sum to 98, not 100"},
		{"weight out of range", func(p *bargain.Problem) {
			pref(p, "A", func(x *bargain.Preferences) { x.Weights = map[string]int{"army": 120, "border": -20} })
		},
			"preferences.A.weights.army: 120 is outside 0..100\npreferences.A.weights.border: -20 is outside 0..100"},
		{"weight of an unknown issue", func(p *bargain.Problem) {
			pref(p, "A", func(x *bargain.Preferences) { x.Weights = map[string]int{"army": 60, "border": 40, "water": 0} })
		}, "preferences.A.weights.water: no such issue"},
		{"rating of an unknown issue", func(p *bargain.Problem) {
			pref(p, "B", func(x *bargain.Preferences) { x.Ratings["water"] = map[string]int{} })
		},
			"preferences.B.ratings.water: no such issue"},
		{"rating of an unknown option", func(p *bargain.Problem) { pref(p, "B", func(x *bargain.Preferences) { x.Ratings["army"]["huge"] = 5 }) },
			"preferences.B.ratings.army.huge: no such option"},
		{"rating out of range", func(p *bargain.Problem) {
			pref(p, "B", func(x *bargain.Preferences) { x.Ratings["army"]["small"] = 101 })
		},
			"preferences.B.ratings.army.small: 101 is outside 0..100"},
		{"reservation out of range", func(p *bargain.Problem) { pref(p, "B", func(x *bargain.Preferences) { x.Reservation = 100.5 }) },
			"preferences.B.reservation: 100.5 is outside 0..100"},
		{"reservation not a number", func(p *bargain.Problem) { pref(p, "B", func(x *bargain.Preferences) { x.Reservation = math.NaN() }) },
			"preferences.B.reservation: NaN is outside 0..100"},
		{"never entry without a colon", func(p *bargain.Problem) {
			pref(p, "B", func(x *bargain.Preferences) { x.Never = []string{"army:none", "army"} })
		},
			`preferences.B.never[1]: "army" is not issue:option`},
		{"never of an unknown issue", func(p *bargain.Problem) {
			pref(p, "B", func(x *bargain.Preferences) { x.Never = []string{"water:none"} })
		},
			`preferences.B.never[0]: no issue "water"`},
		{"never of an unknown option", func(p *bargain.Problem) {
			pref(p, "B", func(x *bargain.Preferences) { x.Never = []string{"army:huge"} })
		},
			`preferences.B.never[0]: issue "army" has no option "huge"`},
		{"steps out of range", func(p *bargain.Problem) { p.Steps = 101 }, "steps: 101 is outside 0..100"},
		{"too many choices", func(p *bargain.Problem) {
			// Three divisible issues of 100 options split in hundredths:
			// 100 + 4950 × 99 = 490,150 choices each.
			p.Issues = append(p.Issues, bargain.Issue{ID: "water", Divisible: true})
			p.Issues[1].Divisible = true
			for j := range p.Issues {
				p.Issues[j].Options = nil
				for o := range 100 {
					p.Issues[j].Options = append(p.Issues[j].Options, fmt.Sprint(o))
				}
			}
			p.Preferences = map[string]bargain.Preferences{
				"A": {Weights: map[string]int{"army": 100}},
				"B": {Weights: map[string]int{"army": 100}},
			}
			p.Steps = 100
		}, "steps: 100 splits the issues into 1470450 choices, at most 1000000"},
		{"package of an unknown issue", func(p *bargain.Problem) {
			p.Packages = map[string]bargain.Package{"v1": {"water": {Option: "x"}}}
		}, "packages.v1.water: no such issue"},
		{"package of an unknown option", func(p *bargain.Problem) {
			p.Packages = map[string]bargain.Package{"v1": {"army": {Option: "huge"}}}
		}, `packages.v1.army: no option "huge"`},
		{"package splitting an indivisible issue", func(p *bargain.Problem) {
			p.Packages = map[string]bargain.Package{"v2": {"border": {Shares: map[string]*big.Rat{"now": big.NewRat(1, 1)}}}}
		}, "packages.v2.border: shares of an issue that is not divisible"},
		{"several problems, in order", func(p *bargain.Problem) {
			p.Steps = -1
			p.Parties = []string{"A", "A", "B"}
			pref(p, "B", func(x *bargain.Preferences) { x.Reservation = -1 })
		}, "parties[1]: \"A\" appears twice\nsteps: -1 is outside 0..100\npreferences.B.reservation: -1 is outside 0..100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ceasefire()
			tc.change(p)
			err := p.Validate()
			if err == nil || err.Error() != tc.want {
				t.Errorf("got error\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}

// TestValidateBoundsProblems checks that a problem with very many faults
// reports the first 20 and counts the rest.
func TestValidateBoundsProblems(t *testing.T) {
	p := ceasefire()
	for range 30 {
		p.Parties = append(p.Parties, "")
	}
	err := p.Validate()
	if err == nil {
		t.Fatal("got no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 21 || lines[20] != "and 11 more problems" {
		t.Errorf("got %d lines ending %q, want 21 ending %q", len(lines), lines[len(lines)-1], "and 11 more problems")
	}
}

func TestValidateNil(t *testing.T) {
	var p *bargain.Problem
	if err := p.Validate(); err == nil || err.Error() != "problem: missing" {
		t.Errorf("got %v, want problem: missing", err)
	}
}
