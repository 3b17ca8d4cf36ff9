package bargain

import (
	"errors"
	"math"
	"math/big"
)

// space is a validated problem compiled for the algorithms: parties and
// issues by index, and every choice the discrete methods may make on each
// issue with every party's utility for it, as an integer in units of
// 1/unit. Keeping utilities integral makes every comparison exact.
type space struct {
	p       *Problem
	parties []string
	// steps is the denominator of the shares of a split; 1 when no issue
	// is split, so that units stay hundredths.
	steps int64
	// unit is 100 × steps: a utility u in units is u/unit in points.
	unit    int64
	issues  []issueSpace
	issueAt map[string]int
	// res are the parties' reservation levels in units (see reservation).
	res []int64
	// ideal and low are each party's highest and lowest utility over the
	// feasible packages, in units; meaningless when empty.
	ideal, low []int64
	// empty is true when some issue has no feasible choice, so that no
	// package is feasible.
	empty bool
}

// issueSpace is one issue of a space.
type issueSpace struct {
	id        string
	options   []string
	optionAt  map[string]int
	divisible bool
	// weight and rating are each party's, by party index (and option
	// index).
	weight []int64
	rating [][]int64
	// banned marks the options on some party's never-list.
	banned []bool
	// choices are the feasible choices in their canonical order (see
	// Frontier's doc), and utils their utilities, party by party:
	// utils[c*n+k] is party k's utility of choice c.
	choices []choice
	utils   []int32
}

// choice is one way to settle an issue: option a whole when b < 0;
// otherwise a split giving option a the share num/steps and option b the
// rest.
type choice struct {
	a, b, num int32
}

// errNoProblem is returned for a nil problem.
var errNoProblem = errors.New("bargain: no problem given")

// compile validates p and builds its space.
func compile(p *Problem) (*space, error) {
	if p == nil {
		return nil, errNoProblem
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	s := &space{p: p, parties: p.Parties, steps: 1, issueAt: make(map[string]int, len(p.Issues))}
	if splits(p) {
		s.steps = int64(p.Steps)
	}
	s.unit = 100 * s.steps
	n := len(p.Parties)
	s.issues = make([]issueSpace, len(p.Issues))
	for j, is := range p.Issues {
		s.issueAt[is.ID] = j
		sp := &s.issues[j]
		sp.id, sp.options, sp.divisible = is.ID, is.Options, is.Divisible
		sp.optionAt = make(map[string]int, len(is.Options))
		for o, name := range is.Options {
			sp.optionAt[name] = o
		}
		sp.weight = make([]int64, n)
		sp.rating = make([][]int64, n)
		sp.banned = make([]bool, len(is.Options))
		for k, party := range p.Parties {
			pref := p.Preferences[party]
			sp.weight[k] = int64(pref.Weights[is.ID])
			sp.rating[k] = make([]int64, len(is.Options))
			for o, name := range is.Options {
				sp.rating[k][o] = int64(pref.Ratings[is.ID][name])
			}
		}
	}
	for _, party := range p.Parties {
		for _, entry := range p.Preferences[party].Never {
			issue, option, _ := splitNever(entry)
			sp := &s.issues[s.issueAt[issue]]
			sp.banned[sp.optionAt[option]] = true
		}
	}
	s.res = make([]int64, n)
	for k, party := range p.Parties {
		s.res[k] = reservation(p.Preferences[party].Reservation, s.unit)
	}
	s.ideal, s.low = make([]int64, n), make([]int64, n)
	for j := range s.issues {
		s.issues[j].enumerate(s.steps, n)
		sp := &s.issues[j]
		if len(sp.choices) == 0 {
			s.empty = true
			continue
		}
		for k := range n {
			hi, lo := int64(math.MinInt64), int64(math.MaxInt64)
			for c := range sp.choices {
				u := int64(sp.utils[c*n+k])
				hi, lo = max(hi, u), min(lo, u)
			}
			s.ideal[k] += hi
			s.low[k] += lo
		}
	}
	return s, nil
}

// splits reports whether the discrete methods split some issue: a
// divisible issue of two options or more, with Steps above 1.
func splits(p *Problem) bool {
	if p.Steps <= 1 {
		return false
	}
	for _, is := range p.Issues {
		if is.Divisible && len(is.Options) > 1 {
			return true
		}
	}
	return false
}

// reservation returns a reservation level r in units of 1/unit: the
// smallest whole number of units not below r. A reservation is read to
// the precision of utilities so that every comparison with it is exact;
// the 10⁻⁶ of a unit forgiven keeps a decimal that floating point stores a
// hair too high (0.1 is 0.1000000000000000055…) at its written value.
func reservation(r float64, unit int64) int64 {
	return max(0, int64(math.Ceil(r*float64(unit)-1e-6)))
}

// enumerate lists the issue's feasible choices in canonical order (its
// options, then the splits of each pair of options, pairs in option
// order, by increasing share of the pair's first option) with their
// utilities for the n parties.
func (sp *issueSpace) enumerate(steps int64, n int) {
	m := len(sp.options)
	for a := range m {
		if !sp.banned[a] {
			sp.add(choice{a: int32(a), b: -1}, steps, n)
		}
	}
	if !sp.divisible || steps <= 1 {
		return
	}
	for a := range m {
		for b := a + 1; b < m; b++ {
			if sp.banned[a] || sp.banned[b] {
				continue
			}
			for num := int64(1); num < steps; num++ {
				sp.add(choice{a: int32(a), b: int32(b), num: int32(num)}, steps, n)
			}
		}
	}
}

// add appends a choice and its utilities.
func (sp *issueSpace) add(c choice, steps int64, n int) {
	sp.choices = append(sp.choices, c)
	for k := range n {
		sp.utils = append(sp.utils, int32(sp.value(k, c, steps)))
	}
}

// value is party k's utility of choice c in units of 1/(100·steps).
func (sp *issueSpace) value(k int, c choice, steps int64) int64 {
	r := sp.rating[k]
	if c.b < 0 {
		return sp.weight[k] * r[c.a] * steps
	}
	num := int64(c.num)
	return sp.weight[k] * (num*r[c.a] + (steps-num)*r[c.b])
}

// export returns choice c as the engine's callers see it.
func (sp *issueSpace) export(c choice, steps int64) Choice {
	if c.b < 0 {
		return Choice{Option: sp.options[c.a]}
	}
	return Choice{Shares: map[string]*big.Rat{
		sp.options[c.a]: big.NewRat(int64(c.num), steps),
		sp.options[c.b]: big.NewRat(steps-int64(c.num), steps),
	}}
}

// rat returns u units as an exact number of points.
func (s *space) rat(u int64) *big.Rat { return big.NewRat(u, s.unit) }

// utilities returns vector u (one utility per party, in units) by party
// name, exactly.
func (s *space) utilities(u []int32) map[string]*big.Rat {
	m := make(map[string]*big.Rat, len(s.parties))
	rats := make([]big.Rat, len(s.parties))
	for k, party := range s.parties {
		m[party] = rats[k].SetFrac64(int64(u[k]), s.unit)
	}
	return m
}
