package bargain

import (
	"fmt"
	"maps"
	"math/big"
)

// Evaluate returns what pkg means for every party and, when previous is
// not nil, what each party conceded against it.
//
// pkg (and previous) must choose for every issue of p; a split may give
// the options of a divisible issue any shares, not only multiples of
// 1/Steps. Utilities, losses and distances are exact. Ideal and Distance
// are nil when no package is feasible (some issue has every option on a
// never-list). Violations are listed issue by issue, option by option,
// party by party; Below and the concessions follow the order of parties
// and issues. A party is below its reservation when its utility is below
// the reservation read to the precision of utilities (see Solution).
func Evaluate(p *Problem, pkg, previous Package) (*Evaluation, error) {
	s, err := compile(p)
	if err != nil {
		return nil, err
	}
	if err := s.checkPackage("package", pkg); err != nil {
		return nil, err
	}
	if previous != nil {
		if err := s.checkPackage("previous", previous); err != nil {
			return nil, err
		}
	}
	e := &Evaluation{
		Outcome:  &Outcome{Choice: maps.Clone(pkg), Utility: make(map[string]*big.Rat, len(s.parties))},
		Feasible: true,
	}
	for k, party := range s.parties {
		u := s.utility(k, pkg)
		e.Utility[party] = u
		if u.Cmp(s.rat(s.res[k])) < 0 {
			e.Below = append(e.Below, party)
		}
	}
	if !s.empty {
		e.Ideal = make(map[string]*big.Rat, len(s.parties))
		e.Distance = make(map[string]*big.Rat, len(s.parties))
		for k, party := range s.parties {
			e.Ideal[party] = s.rat(s.ideal[k])
			e.Distance[party] = new(big.Rat).Sub(e.Ideal[party], e.Utility[party])
		}
	}
	e.Violations = s.violations(pkg)
	e.Feasible = len(e.Violations) == 0
	if previous != nil {
		e.Concessions = s.concessions(pkg, previous)
	}
	return e, nil
}

// checkPackage says which issue pkg, named what, fails to settle, or
// settles wrongly, or which of its choices names no issue.
func (s *space) checkPackage(what string, pkg Package) error {
	for j := range s.p.Issues {
		is := &s.p.Issues[j]
		c, ok := pkg[is.ID]
		if !ok {
			return fmt.Errorf("%s: no choice for issue %q", what, is.ID)
		}
		if msg := checkChoice(is, c); msg != "" {
			return fmt.Errorf("%s.%s: %s", what, is.ID, msg)
		}
	}
	for _, id := range sortedKeys(pkg) {
		if _, ok := s.issueAt[id]; !ok {
			return fmt.Errorf("%s.%s: no such issue", what, id)
		}
	}
	return nil
}

// shares returns the positive share of every option of a checked choice,
// by option index; a whole option has share 1.
func (sp *issueSpace) shares(c Choice) map[int]*big.Rat {
	if c.Option != "" {
		return map[int]*big.Rat{sp.optionAt[c.Option]: big.NewRat(1, 1)}
	}
	m := make(map[int]*big.Rat, len(c.Shares))
	for option, share := range c.Shares {
		if share.Sign() > 0 {
			m[sp.optionAt[option]] = share
		}
	}
	return m
}

// issueUtility is party k's utility, in points, of the checked choice c
// of issue j.
func (s *space) issueUtility(k, j int, c Choice) *big.Rat {
	sp := &s.issues[j]
	u := new(big.Rat)
	for o, share := range sp.shares(c) {
		term := new(big.Rat).Mul(share, big.NewRat(sp.weight[k]*sp.rating[k][o], 100))
		u.Add(u, term)
	}
	return u
}

// utility is party k's utility, in points, of the checked package pkg.
func (s *space) utility(k int, pkg Package) *big.Rat {
	u := new(big.Rat)
	for j, sp := range s.issues {
		u.Add(u, s.issueUtility(k, j, pkg[sp.id]))
	}
	return u
}

// violations names, for the checked package pkg, each party's never-list
// option that pkg contains (with a positive share).
func (s *space) violations(pkg Package) []string {
	var out []string
	for j := range s.issues {
		sp := &s.issues[j]
		shares := sp.shares(pkg[sp.id])
		for o, option := range sp.options {
			if shares[o] == nil || !sp.banned[o] {
				continue
			}
			entry := sp.id + ":" + option
			for _, party := range s.parties {
				for _, never := range s.p.Preferences[party].Never {
					if never == entry {
						out = append(out, party+" never accepts "+entry)
						break
					}
				}
			}
		}
	}
	return out
}

// concessions lists, party by party, the issues whose choice differs
// between the checked packages previous and pkg, with what each change
// cost the party.
func (s *space) concessions(pkg, previous Package) map[string][]Concession {
	out := make(map[string][]Concession, len(s.parties))
	for k, party := range s.parties {
		var list []Concession
		for j := range s.issues {
			sp := &s.issues[j]
			from, to := previous[sp.id], pkg[sp.id]
			if sameShares(sp.shares(from), sp.shares(to)) {
				continue
			}
			loss := new(big.Rat).Sub(s.issueUtility(k, j, from), s.issueUtility(k, j, to))
			list = append(list, Concession{Issue: sp.id, From: from, To: to, Loss: loss})
		}
		out[party] = list
	}
	return out
}

// sameShares reports whether two choices give every option the same
// share.
func sameShares(a, b map[int]*big.Rat) bool {
	if len(a) != len(b) {
		return false
	}
	for o, share := range a {
		if b[o] == nil || b[o].Cmp(share) != 0 {
			return false
		}
	}
	return true
}
