package bargain

import (
	"cmp"
	"errors"
	"fmt"
	"math/big"
	"slices"
)

// AdjustedWinner divides the issues of a two-party problem by Brams and
// Taylor's Adjusted Winner procedure, in exact arithmetic.
//
// The problem must be valid (see Validate) and have two parties, and
// every issue must be divisible, with two options named after the
// parties: option "Carol" of issue "home" means Carol gets the home. A
// party's points for an issue are weight × rating of its own option / 100.
// A party that rates neither option of an issue is taken to rate its own
// option 100, so a problem may give weights alone; a rating of the other
// party's option must be 0 (or left out), because the procedure has no
// use for it and would otherwise silently ignore it. Both parties must
// hold the same number of points in all (100 each when every own option
// is rated 100): with unequal totals, equal points and efficiency can
// contradict each other, and the procedure's guarantees fail. Reservations
// and never-lists play no part: everything is divided.
//
// The procedure: every issue first goes to the party that gives it more
// points (a tie to the first party named). If one party then has more
// points, its issues go over to the other party one at a time, in
// increasing order of the ratio of its points to the other's, until the
// totals are equal; the issue at which they would cross is split, the
// richer party keeping the exact share that equalises them. Issues
// transferred in the same ratio go in a fixed order (the party whose name
// sorts first holds the earlier issues), and an issue neither party values
// goes to the party whose name sorts first, so the division does not
// depend on who took a tie first, nor on the order in which the parties
// are named.
//
// The division that results is
//   - equitable: both parties end with the same points;
//   - envy-free: each party values its own share at least as much as the
//     other's, by its own points; each gets at least half of its total
//     (50 of its 100 points when its weights sum to 100 and it rates its
//     own options 100);
//   - efficient: no other division, with splits or without, gives one
//     party more points and the other no fewer;
//   - split in at most one issue.
//
// Division.Points and the outcome's Utility are each party's points.
func AdjustedWinner(p *Problem) (*Division, error) {
	items, err := awItems(p)
	if err != nil {
		return nil, err
	}
	a := &awState{parties: [2]string{p.Parties[0], p.Parties[1]}}
	if p.Parties[1] < p.Parties[0] {
		a.left = 1
	}
	a.order(items)
	if err := a.settle(); err != nil {
		return nil, err
	}
	return a.division()
}

// awItem is one issue as Adjusted Winner sees it: each party's points,
// by the party's index in Problem.Parties.
type awItem struct {
	issue string
	index int // in Problem.Issues
	pts   [2]*big.Rat
}

// worthless reports whether neither party gives the issue any point.
func (it *awItem) worthless() bool { return it.pts[0].Sign() == 0 && it.pts[1].Sign() == 0 }

// awItems checks that p is valid and suits Adjusted Winner, and returns
// each issue's points.
func awItems(p *Problem) ([]awItem, error) {
	if p == nil {
		return nil, errors.New("adjusted winner: no problem")
	}
	if len(p.Parties) != 2 {
		return nil, fmt.Errorf("adjusted winner: divides between two parties; the problem has %d", len(p.Parties))
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	a, b := p.Parties[0], p.Parties[1]
	items := make([]awItem, len(p.Issues))
	for k, is := range p.Issues {
		where := fmt.Sprintf("issues[%d] (%s)", k, is.ID)
		if len(is.Options) != 2 || !(is.Options[0] == a && is.Options[1] == b || is.Options[0] == b && is.Options[1] == a) {
			return nil, fmt.Errorf("%s: adjusted winner needs two options named after the parties, %q and %q; got %q", where, a, b, is.Options)
		}
		if !is.Divisible {
			return nil, fmt.Errorf("%s: adjusted winner may split any issue, so every issue must be divisible", where)
		}
		items[k] = awItem{issue: is.ID, index: k}
		for i, name := range p.Parties {
			pts, err := awPoints(p.Preferences[name], name, p.Parties[1-i], is.ID)
			if err != nil {
				return nil, err
			}
			items[k].pts[i] = pts
		}
	}
	total := [2]*big.Rat{new(big.Rat), new(big.Rat)}
	for _, it := range items {
		total[0].Add(total[0], it.pts[0])
		total[1].Add(total[1], it.pts[1])
	}
	if total[0].Cmp(total[1]) != 0 {
		return nil, fmt.Errorf("adjusted winner: %s's points sum to %s and %s's to %s; the procedure needs equal totals (rate each party's own options 100, with weights summing to 100)",
			a, total[0].FloatString(2), b, total[1].FloatString(2))
	}
	return items, nil
}

// awPoints returns a party's points for an issue: weight × rating of its
// own option / 100, its own option counting 100 when it rates neither.
// The weight and the rating are in range: the problem is valid.
func awPoints(pr Preferences, self, other, issue string) (*big.Rat, error) {
	w := pr.Weights[issue]
	ratings := pr.Ratings[issue]
	rating := 100
	if len(ratings) > 0 {
		rating = ratings[self]
	}
	if r := ratings[other]; r != 0 {
		return nil, fmt.Errorf("preferences.%s.ratings.%s.%s: adjusted winner counts only a party's own option; rate %s's option 0 or leave it out, not %d", self, issue, other, other, r)
	}
	return big.NewRat(int64(w)*int64(rating), 100), nil
}

// awState is a run of the procedure. The issues that some party values
// stand in one sequence, from the issue the left party (the one whose name
// sorts first) values most relative to the right party to the one it
// values least. The left party always holds a prefix of the sequence, up
// to the boundary, and the right party the rest; at most the issue at the
// boundary is split.
type awState struct {
	parties [2]string
	left    int // index in parties of the party whose name sorts first
	seq     []awItem
	spare   []awItem // issues neither party values: the left party's
	// boundary is how many issues of seq the left party holds whole; when
	// share is not nil, it holds that share of seq[boundary] too.
	boundary int
	share    *big.Rat
}

// order sorts the valued issues into the sequence and puts the boundary
// where the first step of the procedure leaves it.
func (a *awState) order(items []awItem) {
	l, r := a.left, 1-a.left
	for _, it := range items {
		if it.worthless() {
			a.spare = append(a.spare, it)
		} else {
			a.seq = append(a.seq, it)
		}
	}
	// The ratio left/right, compared by cross-multiplying: an issue only the
	// left party values comes first, one only the right party values last.
	slices.SortStableFunc(a.seq, func(x, y awItem) int {
		lhs := new(big.Rat).Mul(x.pts[l], y.pts[r])
		rhs := new(big.Rat).Mul(y.pts[l], x.pts[r])
		if c := rhs.Cmp(lhs); c != 0 {
			return c
		}
		return cmp.Compare(x.index, y.index)
	})
	// First step: each issue to the party that values it more, ties to the
	// first party named. Those issues are a prefix of the sequence for the
	// left party, ties sitting between its other issues and the right's.
	for _, it := range a.seq {
		c := it.pts[l].Cmp(it.pts[r])
		if c < 0 || c == 0 && a.left != 0 {
			break
		}
		a.boundary++
	}
}

// settle moves the boundary until both parties have the same points,
// splitting the issue at which their totals would cross.
func (a *awState) settle() error {
	l, r := a.left, 1-a.left
	d := new(big.Rat) // left's points − right's points
	for k, it := range a.seq {
		if k < a.boundary {
			d.Add(d, it.pts[l])
		} else {
			d.Sub(d, it.pts[r])
		}
	}
	for d.Sign() != 0 {
		var it awItem
		if d.Sign() > 0 {
			// The left party is richer: its last issue goes over.
			if a.boundary == 0 {
				return errors.New("adjusted winner: the totals never meet (internal error)")
			}
			it = a.seq[a.boundary-1]
		} else {
			if a.boundary == len(a.seq) {
				return errors.New("adjusted winner: the totals never meet (internal error)")
			}
			it = a.seq[a.boundary]
		}
		s := new(big.Rat).Add(it.pts[l], it.pts[r])
		gap := new(big.Rat).Abs(d)
		if c := gap.Cmp(s); c < 0 {
			// Splitting: the richer party hands over gap/s of the issue.
			give := new(big.Rat).Quo(gap, s)
			if d.Sign() > 0 {
				a.boundary--
				a.share = new(big.Rat).Sub(big.NewRat(1, 1), give)
			} else {
				a.share = give
			}
			return nil
		}
		if d.Sign() > 0 {
			a.boundary--
			d.Sub(d, s)
		} else {
			a.boundary++
			d.Add(d, s)
		}
	}
	return nil
}

// division reports the state as a Division, counting each party's points
// afresh from what it holds.
func (a *awState) division() (*Division, error) {
	l, r := a.left, 1-a.left
	pkg := make(Package, len(a.seq)+len(a.spare))
	points := [2]*big.Rat{new(big.Rat), new(big.Rat)}
	split := ""
	for k, it := range a.seq {
		switch {
		case k < a.boundary:
			pkg[it.issue] = Choice{Option: a.parties[l]}
			points[l].Add(points[l], it.pts[l])
		case k == a.boundary && a.share != nil:
			rest := new(big.Rat).Sub(big.NewRat(1, 1), a.share)
			pkg[it.issue] = Choice{Shares: map[string]*big.Rat{a.parties[l]: a.share, a.parties[r]: rest}}
			points[l].Add(points[l], new(big.Rat).Mul(a.share, it.pts[l]))
			points[r].Add(points[r], new(big.Rat).Mul(rest, it.pts[r]))
			split = it.issue
		default:
			pkg[it.issue] = Choice{Option: a.parties[r]}
			points[r].Add(points[r], it.pts[r])
		}
	}
	for _, it := range a.spare {
		pkg[it.issue] = Choice{Option: a.parties[l]}
	}
	if points[0].Cmp(points[1]) != 0 {
		return nil, fmt.Errorf("adjusted winner: unequal points %s and %s (internal error)", points[0].RatString(), points[1].RatString())
	}
	d := &Division{
		Parties: a.parties,
		Outcome: &Outcome{Choice: pkg, Utility: map[string]*big.Rat{}},
		Split:   split,
		Points:  map[string]*big.Rat{},
	}
	for i, name := range a.parties {
		d.Points[name] = points[i]
		d.Utility[name] = new(big.Rat).Set(points[i])
	}
	return d, nil
}
