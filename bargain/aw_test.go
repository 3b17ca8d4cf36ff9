package bargain_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"parley/bargain"
)

// awProblem builds a two-party Adjusted Winner problem from each party's
// weights, issue by issue; the parties rate their own options 100 by
// default.
func awProblem(parties [2]string, issues []string, weights [2][]int) *bargain.Problem {
	p := &bargain.Problem{Parties: parties[:], Preferences: map[string]bargain.Preferences{}}
	for _, id := range issues {
		p.Issues = append(p.Issues, bargain.Issue{ID: id, Options: []string{parties[0], parties[1]}, Divisible: true})
	}
	for i, name := range parties {
		pr := bargain.Preferences{Weights: map[string]int{}}
		for k, id := range issues {
			pr.Weights[id] = weights[i][k]
		}
		p.Preferences[name] = pr
	}
	return p
}

// awSwapped returns p with its two parties named in the other order.
func awSwapped(p *bargain.Problem) *bargain.Problem {
	q := *p
	q.Parties = []string{p.Parties[1], p.Parties[0]}
	return &q
}

func TestAdjustedWinnerBramsTaylor(t *testing.T) {
	issues := []string{"retirement", "home", "cottage", "investments", "other"}
	carolFirst := awProblem([2]string{"Carol", "Bob"}, issues, [2][]int{{50, 20, 15, 10, 5}, {40, 30, 10, 10, 10}})
	want := map[string]string{"home": "Bob", "investments": "Bob", "other": "Bob", "cottage": "Carol"}
	for _, tt := range []struct {
		name string
		p    *bargain.Problem
	}{
		{"Carol takes the tied investments first", carolFirst},
		{"Bob takes the tied investments first", awSwapped(carolFirst)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := bargain.AdjustedWinner(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			for issue, who := range want {
				if got := d.Choice[issue].Option; got != who {
					t.Errorf("%s: got %q, want %q", issue, got, who)
				}
			}
			if d.Split != "retirement" {
				t.Errorf("got split %q, want retirement", d.Split)
			}
			shares := d.Choice["retirement"].Shares
			for who, share := range map[string]string{"Carol": "5/6", "Bob": "1/6"} {
				if got := shares[who]; got == nil || got.RatString() != share {
					t.Errorf("retirement: got %s's share %v, want %s", who, got, share)
				}
			}
			for _, who := range []string{"Carol", "Bob"} {
				if got := d.Points[who]; got == nil || got.RatString() != "170/3" {
					t.Errorf("got %s's points %v, want 170/3", who, got)
				}
				if got := d.Utility[who]; got == nil || got.RatString() != "170/3" {
					t.Errorf("got %s's utility %v, want 170/3", who, got)
				}
			}
			if d.Parties != [2]string(tt.p.Parties) {
				t.Errorf("got parties %v, want %v", d.Parties, tt.p.Parties)
			}
		})
	}
}

func TestAdjustedWinnerSmallCases(t *testing.T) {
	tests := []struct {
		name    string
		issues  []string
		weights [2][]int
		want    map[string]string // whole choices; "A 1/2" for a share of a split
		split   string
		points  string
	}{
		{"one issue valued alike is halved", []string{"x"}, [2][]int{{100}, {100}}, map[string]string{"x": "A 1/2"}, "x", "50"},
		{"balanced without a split", []string{"x", "y"}, [2][]int{{60, 40}, {40, 60}}, map[string]string{"x": "A", "y": "B"}, "", "60"},
		{"balanced after a whole transfer", []string{"x", "y", "z"}, [2][]int{{40, 40, 20}, {20, 60, 20}}, map[string]string{"x": "A", "y": "B", "z": "A"}, "", "60"},
		{"issue nobody values", []string{"x", "y", "z"}, [2][]int{{50, 50, 0}, {50, 50, 0}}, map[string]string{"x": "A", "y": "B", "z": "A"}, "", "50"},
		{"issue only one party values", []string{"x", "y"}, [2][]int{{0, 100}, {50, 50}}, map[string]string{"x": "B", "y": "A 2/3"}, "y", "200/3"},
	}
	for _, tt := range tests {
		p := awProblem([2]string{"A", "B"}, tt.issues, tt.weights)
		for _, q := range []*bargain.Problem{p, awSwapped(p)} {
			t.Run(fmt.Sprintf("%s/%s first", tt.name, q.Parties[0]), func(t *testing.T) {
				d, err := bargain.AdjustedWinner(q)
				if err != nil {
					t.Fatal(err)
				}
				if len(d.Choice) != len(tt.issues) {
					t.Errorf("got %d choices, want %d", len(d.Choice), len(tt.issues))
				}
				for issue, want := range tt.want {
					if got := awDescribe(d.Choice[issue]); got != want {
						t.Errorf("%s: got %q, want %q", issue, got, want)
					}
				}
				if d.Split != tt.split {
					t.Errorf("got split %q, want %q", d.Split, tt.split)
				}
				for _, who := range []string{"A", "B"} {
					if got := d.Points[who].RatString(); got != tt.points {
						t.Errorf("got %s's points %s, want %s", who, got, tt.points)
					}
				}
			})
		}
	}
}

// awDescribe writes a choice as "A" or, for a split between A and B,
// "A 1/2" (A's share).
func awDescribe(c bargain.Choice) string {
	if c.Shares == nil {
		return c.Option
	}
	return "A " + c.Shares["A"].RatString()
}

func TestAdjustedWinnerErrors(t *testing.T) {
	base := func() *bargain.Problem {
		return awProblem([2]string{"A", "B"}, []string{"x", "y"}, [2][]int{{60, 40}, {30, 70}})
	}
	tests := []struct {
		name   string
		change func(p *bargain.Problem)
		want   string
	}{
		{"three parties", func(p *bargain.Problem) { p.Parties = append(p.Parties, "C") }, "two parties; the problem has 3"},
		{"one party", func(p *bargain.Problem) { p.Parties = p.Parties[:1] }, "two parties; the problem has 1"},
		{"same name twice", func(p *bargain.Problem) { p.Parties[1] = "A" }, `parties[1]: "A" appears twice`},
		{"options not named after the parties", func(p *bargain.Problem) { p.Issues[1].Options = []string{"yes", "no"} }, `issues[1] (y): adjusted winner needs two options named after the parties, "A" and "B"`},
		{"three options", func(p *bargain.Problem) { p.Issues[0].Options = []string{"A", "B", "C"} }, "issues[0] (x)"},
		{"indivisible issue", func(p *bargain.Problem) { p.Issues[0].Divisible = false }, "issues[0] (x): adjusted winner may split any issue"},
		{"invalid problem", func(p *bargain.Problem) { p.Preferences["A"].Weights["x"] = 50 }, "preferences.A.weights: sum to 90, not 100"},
		{"unequal totals", func(p *bargain.Problem) {
			pr := p.Preferences["A"]
			pr.Ratings = map[string]map[string]int{"x": {"A": 50}}
			p.Preferences["A"] = pr
		}, "A's points sum to 70.00 and B's to 100.00; the procedure needs equal totals"},
		{"rating of the other party's option", func(p *bargain.Problem) {
			pr := p.Preferences["A"]
			pr.Ratings = map[string]map[string]int{"x": {"A": 100, "B": 30}}
			p.Preferences["A"] = pr
		}, "preferences.A.ratings.x.B: adjusted winner counts only a party's own option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.change(p)
			d, err := bargain.AdjustedWinner(p)
			if err == nil {
				t.Fatalf("got division %v, want an error saying %q", d.Choice, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %q, want it to say %q", err, tt.want)
			}
		})
	}
	if _, err := bargain.AdjustedWinner(nil); err == nil {
		t.Error("got no error for a nil problem")
	}
}

func TestAdjustedWinnerOwnRating(t *testing.T) {
	// A rates its own option of x 75 and B its own option of y 60, so
	// both hold 80 points: A x 60, y 20; B x 50, y 30. A takes x and B y
	// (60 against 30), then A hands over 30/110 of x.
	p := awProblem([2]string{"A", "B"}, []string{"x", "y"}, [2][]int{{80, 20}, {50, 50}})
	for name, r := range map[string]map[string]map[string]int{"A": {"x": {"A": 75}}, "B": {"y": {"B": 60}}} {
		pr := p.Preferences[name]
		pr.Ratings = r
		p.Preferences[name] = pr
	}
	d, err := bargain.AdjustedWinner(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := awDescribe(d.Choice["x"]); got != "A 8/11" {
		t.Errorf("x: got %q, want A 8/11", got)
	}
	if got := awDescribe(d.Choice["y"]); got != "B" {
		t.Errorf("y: got %q, want B", got)
	}
	for _, who := range []string{"A", "B"} {
		if got := d.Points[who].RatString(); got != "480/11" {
			t.Errorf("got %s's points %s, want 480/11", who, got)
		}
	}
}

// awInstance is a random Adjusted Winner problem with its points per
// issue, as a reference for checking the division.
type awInstance struct {
	p   *bargain.Problem
	pts [2][]*big.Rat // by party, by issue
}

// equalTotals reports whether both parties hold as many points in all.
func (inst awInstance) equalTotals() bool {
	var total [2]big.Rat
	for i := range total {
		for _, v := range inst.pts[i] {
			total[i].Add(&total[i], v)
		}
	}
	return total[0].Cmp(&total[1]) == 0
}

// randomAW draws a problem of n issues. Weights come from a coarse grid
// half the time, so that ties and equal ratios are frequent; ratings of a
// party's own options are left out (100) or drawn.
func randomAW(rng *rand.Rand, n int) awInstance {
	parties := [2]string{"P", "Q"}
	if rng.IntN(2) == 0 {
		parties = [2]string{"Q", "P"}
	}
	issues := make([]string, n)
	for k := range issues {
		issues[k] = fmt.Sprintf("i%d", k)
	}
	var weights [2][]int
	for i := range weights {
		weights[i] = awWeights(rng, n, rng.IntN(2) == 0)
	}
	p := awProblem(parties, issues, weights)
	inst := awInstance{p: p}
	for i, name := range parties {
		pr := p.Preferences[name]
		inst.pts[i] = make([]*big.Rat, n)
		// Now and then the party rates its own options below 100 here and
		// there, so that the parties' totals may differ.
		mixed := rng.IntN(8) == 0
		for k, id := range issues {
			rating := 100
			if mixed {
				switch rng.IntN(4) {
				case 0:
					rating = 10 * rng.IntN(11)
				case 1:
					rating = rng.IntN(101)
				}
			}
			if rating != 100 || rng.IntN(2) == 0 {
				if pr.Ratings == nil {
					pr.Ratings = map[string]map[string]int{}
				}
				pr.Ratings[id] = map[string]int{name: rating}
			}
			inst.pts[i][k] = big.NewRat(int64(pr.Weights[id]*rating), 100)
		}
		p.Preferences[name] = pr
	}
	return inst
}

// awWeights draws n non-negative weights that sum to 100, multiples
// of 10 when coarse.
func awWeights(rng *rand.Rand, n int, coarse bool) []int {
	unit, total := 1, 100
	if coarse {
		unit, total = 10, 10
	}
	w := make([]int, n)
	for range total {
		w[rng.IntN(n)] += unit
	}
	return w
}

func TestAdjustedWinnerProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const instances = 3000
	splits, unequal := 0, 0
	for run := range instances {
		n := 1 + rng.IntN(8)
		inst := randomAW(rng, n)
		d, err := bargain.AdjustedWinner(inst.p)
		if !inst.equalTotals() {
			if err == nil || !strings.Contains(err.Error(), "needs equal totals") {
				t.Fatalf("instance %d: unequal totals: got error %v, want one about equal totals", run, err)
			}
			unequal++
			continue
		}
		if err != nil {
			t.Fatalf("instance %d: %v", run, err)
		}
		if d.Split != "" {
			splits++
		}
		checkDivision(t, run, inst, d)
		// The other party taking the ties first changes nothing.
		d2, err := bargain.AdjustedWinner(awSwapped(inst.p))
		if err != nil {
			t.Fatalf("instance %d swapped: %v", run, err)
		}
		if got, want := awString(d2), awString(d); got != want {
			t.Fatalf("instance %d: with the parties swapped got %s, want %s", run, got, want)
		}
		if t.Failed() {
			t.Fatalf("instance %d: %+v", run, inst.p)
		}
	}
	// The properties hold trivially if nothing is ever split; make sure the
	// interesting case is exercised.
	if splits < instances/4 {
		t.Errorf("got %d splits in %d instances, want at least a quarter", splits, instances)
	}
	if unequal == 0 || unequal > instances/4 {
		t.Errorf("got %d instances with unequal totals in %d, want some but not many", unequal, instances)
	}
}

// checkDivision checks the guarantees of Adjusted Winner on one instance,
// counting each party's points afresh from the choices.
func checkDivision(t *testing.T, run int, inst awInstance, d *bargain.Division) {
	t.Helper()
	parties := inst.p.Parties
	n := len(inst.p.Issues)
	// held[i][k] is party i's share of issue k.
	var held [2][]*big.Rat
	splits := 0
	for i := range held {
		held[i] = make([]*big.Rat, n)
	}
	for k, is := range inst.p.Issues {
		c, ok := d.Choice[is.ID]
		if !ok {
			t.Errorf("instance %d: issue %s has no choice", run, is.ID)
			return
		}
		switch {
		case c.Shares == nil && (c.Option == parties[0] || c.Option == parties[1]):
			for i, name := range parties {
				held[i][k] = new(big.Rat)
				if c.Option == name {
					held[i][k].SetInt64(1)
				}
			}
		case c.Shares != nil && c.Option == "" && len(c.Shares) == 2:
			splits++
			sum := new(big.Rat)
			for i, name := range parties {
				s := c.Shares[name]
				if s == nil || s.Sign() <= 0 || s.Cmp(big.NewRat(1, 1)) >= 0 {
					t.Errorf("instance %d: issue %s: got share %v for %s, want strictly between 0 and 1", run, is.ID, s, name)
					return
				}
				held[i][k] = s
				sum.Add(sum, s)
			}
			if sum.Cmp(big.NewRat(1, 1)) != 0 {
				t.Errorf("instance %d: issue %s: shares sum to %s, want 1", run, is.ID, sum.RatString())
			}
			if d.Split != is.ID {
				t.Errorf("instance %d: issue %s is split but Split is %q", run, is.ID, d.Split)
			}
		default:
			t.Errorf("instance %d: issue %s: got choice %+v, want one party's option or a split between them", run, is.ID, c)
			return
		}
	}
	if splits > 1 {
		t.Errorf("instance %d: got %d splits, want at most 1", run, splits)
	}
	if splits == 0 && d.Split != "" {
		t.Errorf("instance %d: nothing split but Split is %q", run, d.Split)
	}
	// own[i] and other[i] are party i's points for its own share and for
	// the other's share.
	var own, other, total [2]*big.Rat
	for i := range parties {
		own[i], other[i], total[i] = new(big.Rat), new(big.Rat), new(big.Rat)
		for k := range n {
			v := inst.pts[i][k]
			total[i].Add(total[i], v)
			own[i].Add(own[i], new(big.Rat).Mul(held[i][k], v))
			other[i].Add(other[i], new(big.Rat).Mul(held[1-i][k], v))
		}
	}
	for i, name := range parties {
		if got := d.Points[name]; got == nil || got.Cmp(own[i]) != 0 {
			t.Errorf("instance %d: got %s's points %v, want %s counted from the choices", run, name, got, own[i].RatString())
		}
		if own[i].Cmp(other[i]) < 0 {
			t.Errorf("instance %d: %s envies: own share %s, other's %s", run, name, own[i].RatString(), other[i].RatString())
		}
		half := new(big.Rat).Quo(total[i], big.NewRat(2, 1))
		if own[i].Cmp(half) < 0 {
			t.Errorf("instance %d: %s gets %s, less than half its %s", run, name, own[i].RatString(), total[i].RatString())
		}
	}
	if own[0].Cmp(own[1]) != 0 {
		t.Errorf("instance %d: not equitable: %s against %s", run, own[0].RatString(), own[1].RatString())
	}
	// Efficiency among divisions with splits: no trade of part of an issue
	// one party holds for part of an issue the other holds helps both. That
	// fails exactly when a[i]·b[j] < a[j]·b[i] for some i held (in part)
	// by the first party and j by the second.
	for i := range n {
		if held[0][i].Sign() == 0 {
			continue
		}
		for j := range n {
			if held[1][j].Sign() == 0 || i == j {
				continue
			}
			lhs := new(big.Rat).Mul(inst.pts[0][i], inst.pts[1][j])
			rhs := new(big.Rat).Mul(inst.pts[0][j], inst.pts[1][i])
			if lhs.Cmp(rhs) < 0 {
				t.Errorf("instance %d: trading part of %s for part of %s would help both", run, inst.p.Issues[i].ID, inst.p.Issues[j].ID)
			}
		}
	}
	// Against brute force: no division of whole issues gives both parties
	// at least their points and one more.
	for mask := range 1 << n {
		a, b := new(big.Rat), new(big.Rat)
		for k := range n {
			if mask&(1<<k) != 0 {
				a.Add(a, inst.pts[0][k])
			} else {
				b.Add(b, inst.pts[1][k])
			}
		}
		ca, cb := a.Cmp(own[0]), b.Cmp(own[1])
		if ca >= 0 && cb >= 0 && (ca > 0 || cb > 0) {
			t.Errorf("instance %d: whole-issue division %b gives %s and %s, better than %s each", run, mask, a.RatString(), b.RatString(), own[0].RatString())
			return
		}
	}
}

// awString writes a division canonically, for comparing two.
func awString(d *bargain.Division) string {
	var parts []string
	for issue, c := range d.Choice {
		s := issue + "=" + c.Option
		if c.Shares != nil {
			keys := make([]string, 0, len(c.Shares))
			for k := range c.Shares {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				s += k + ":" + c.Shares[k].RatString() + ","
			}
		}
		parts = append(parts, s)
	}
	slices.Sort(parts)
	for _, name := range []string{"P", "Q", "A", "B", "Carol", "Bob"} {
		if v, ok := d.Points[name]; ok {
			parts = append(parts, name+"="+v.RatString())
		}
	}
	return strings.Join(parts, " ") + " split=" + d.Split
}

func BenchmarkAdjustedWinner(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	inst := randomAW(rng, 200)
	for b.Loop() {
		if _, err := bargain.AdjustedWinner(inst.p); err != nil {
			b.Fatal(err)
		}
	}
}
