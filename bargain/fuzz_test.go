package bargain_test

import (
	"fmt"
	"slices"
	"testing"

	"parley/bargain"
)

// byteSource hands out the bytes of a fuzz input, then zeros.
type byteSource struct{ data []byte }

func (s *byteSource) next() int {
	if len(s.data) == 0 {
		return 0
	}
	b := s.data[0]
	s.data = s.data[1:]
	return int(b)
}

// problemFromBytes builds a small problem (up to 4 parties, 4 issues of 4
// options) from bytes. The first byte's low bit lets weights and ratings
// go out of range, so that invalid problems are fuzzed too.
func problemFromBytes(data []byte) *bargain.Problem {
	s := &byteSource{data: data}
	wild := s.next()&1 == 1
	p := &bargain.Problem{Preferences: map[string]bargain.Preferences{}, Steps: s.next() % 4}
	for k := range 1 + s.next()%4 {
		p.Parties = append(p.Parties, fmt.Sprintf("P%d", k))
	}
	for j := range 1 + s.next()%4 {
		is := bargain.Issue{ID: fmt.Sprintf("i%d", j), Divisible: s.next()&1 == 1}
		for o := range 1 + s.next()%4 {
			is.Options = append(is.Options, fmt.Sprintf("o%d", o))
		}
		p.Issues = append(p.Issues, is)
	}
	for _, party := range p.Parties {
		pref := bargain.Preferences{Weights: map[string]int{}, Ratings: map[string]map[string]int{}, Reservation: float64(s.next() % 60)}
		for _, is := range p.Issues {
			pref.Weights[is.ID] = s.next() % 10
			pref.Ratings[is.ID] = map[string]int{}
			for _, o := range is.Options {
				if wild {
					pref.Ratings[is.ID][o] = s.next() - 20
				} else {
					pref.Ratings[is.ID][o] = s.next() % 101
				}
				if s.next()%8 == 0 {
					pref.Never = append(pref.Never, is.ID+":"+o)
				}
			}
		}
		if !wild {
			if sumOf(weightsOf(pref.Weights)) == 0 {
				pref.Weights[p.Issues[0].ID] = 1
			}
			normalise(pref.Weights, p.Issues)
		}
		p.Preferences[party] = pref
	}
	return p
}

func weightsOf(w map[string]int) []int64 {
	var out []int64
	for _, x := range w {
		out = append(out, int64(x))
	}
	return out
}

// FuzzPareto builds small problems from bytes and checks that nothing
// panics, that a valid problem gets a frontier, that no outcome of the
// frontier covers another, and that each outcome's package has the
// utilities given; then runs the fair points and Improve on it.
func FuzzPareto(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 2, 1, 3, 1, 3, 0, 2, 5, 7, 50, 100, 0, 3, 9, 200, 17, 40, 60, 80})
	f.Add([]byte{0, 3, 2, 3, 1, 3, 1, 3, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add([]byte{1, 1, 1, 1, 0, 1, 255, 255, 255, 255})
	f.Add([]byte{0, 0, 3, 3, 0, 3, 1, 3, 0, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := problemFromBytes(data)
		fr, err := bargain.Pareto(p, 0)
		if err != nil {
			if p.Validate() == nil {
				t.Fatalf("Pareto of a valid problem: %v", err)
			}
			return
		}
		b := newBrute(p)
		set := make([][]int64, len(fr.Outcomes))
		for x, o := range fr.Outcomes {
			u, err := b.units(o)
			if err != nil {
				t.Fatalf("outcome %d: %v", x, err)
			}
			again, err := b.utility(o.Choice)
			if err != nil || !slices.Equal(again, u) {
				t.Fatalf("outcome %d: package recomputes to %v (%v), want %v", x, again, err, u)
			}
			set[x] = u
		}
		for x := range set {
			for y := range set {
				if x != y && dominatesOrEqual(set[y], set[x]) {
					t.Fatalf("outcome %d %v is covered by outcome %d %v", x, set[x], y, set[y])
				}
			}
		}
		if fr.Exact != (len(p.Parties) <= 2) {
			t.Fatalf("got Exact %v for %d parties", fr.Exact, len(p.Parties))
		}
		for _, m := range methods {
			if _, err := bargain.Fair(p, m, fr); err != nil {
				t.Fatalf("Fair(%s): %v", m, err)
			}
		}
		tentative := bargain.Package{}
		for _, is := range p.Issues {
			tentative[is.ID] = bargain.Choice{Option: is.Options[len(data)%len(is.Options)]}
		}
		im, err := bargain.Improve(p, tentative, 0, nil)
		if err != nil {
			t.Fatalf("Improve: %v", err)
		}
		tu, _ := b.utility(tentative)
		for x, o := range im.Packages {
			u, _ := b.utility(o.Choice)
			if !dominatesOrEqual(u, tu) || slices.Equal(u, tu) {
				t.Fatalf("improvement %d %v does not improve on %v", x, u, tu)
			}
		}
		if _, err := bargain.Evaluate(p, tentative, nil); err != nil {
			t.Fatalf("Evaluate: %v", err)
		}
	})
}
