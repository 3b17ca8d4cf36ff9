package analysis

import (
	"cmp"
	"math/big"
	"slices"

	"parley"
	"parley/bargain"
)

// The kinds of package a ranking lists.
const (
	// KindNamed is a package the caller named (a version's, say).
	KindNamed = "named"
	// KindBest is the party's own best package: the best option of every
	// issue it does not rule out.
	KindBest = "best"
	// KindWorst is the party's own worst package: the worst option of
	// every issue.
	KindWorst = "worst"
)

// Ranked is one package of a ranking, ready for a page to print.
type Ranked struct {
	// Label is the package's name, or "best package" and "worst package"
	// for the party's own extremes.
	Label string `json:"label"`
	Kind  string `json:"kind"`
	// Utility is the party's utility for the package, 0–100, counting 0
	// for the unsettled issues.
	Utility float64 `json:"utility"`
	// Choices are the package's options, in the order of the issues.
	Choices []Chosen `json:"choices"`
	// Unsettled are the issues the package does not settle, by name.
	Unsettled []string `json:"unsettled,omitempty"`
	// Never lists the options of the package on the party's never-list,
	// by label ("Army cap: none").
	Never []string `json:"never,omitempty"`
	// Below is set when the utility is under the party's reservation.
	Below bool `json:"below,omitempty"`
}

// Chosen is an option a package takes on one issue.
type Chosen struct {
	IssueID  string `json:"issue_id"`
	Issue    string `json:"issue"`
	OptionID string `json:"option_id"`
	Option   string `json:"option"`
	// Share is the option's share of a split issue ("1/4"); "" when the
	// option is taken whole.
	Share string `json:"share,omitempty"`
	// Rating is the party's rating of the option.
	Rating int `json:"rating"`
}

// Ranking ranks packages by one party's utility, best first (ties by
// label), so that the party can see whether its numbers say what it
// means: the named packages (each version's, say), and the party's own
// best and worst packages. Utilities are computed as package bargain
// defines them; options the issues do not have count 0.
func Ranking(issues []*parley.Issue, prefs *parley.Preferences, named map[string]bargain.Package) []Ranked {
	if prefs == nil {
		prefs = &parley.Preferences{}
	}
	var out []Ranked
	for label, pkg := range named {
		out = append(out, rank(label, KindNamed, pkg, issues, prefs))
	}
	best, worst := Extremes(issues, prefs)
	out = append(out, rank("best package", KindBest, best, issues, prefs), rank("worst package", KindWorst, worst, issues, prefs))
	slices.SortStableFunc(out, func(a, b Ranked) int {
		return cmp.Or(cmp.Compare(b.Utility, a.Utility), cmp.Compare(a.Label, b.Label))
	})
	return out
}

// Extremes returns a party's own best package (on every issue the
// highest-rated option not on its never-list, the first in the issue's
// order among equals) and its worst (the lowest-rated option).
func Extremes(issues []*parley.Issue, prefs *parley.Preferences) (best, worst bargain.Package) {
	best, worst = bargain.Package{}, bargain.Package{}
	never := map[parley.OptionRef]bool{}
	for _, r := range prefs.Never {
		never[r] = true
	}
	for _, is := range issues {
		var hi, lo *parley.IssueOption
		for k := range is.Options {
			o := &is.Options[k]
			r := prefs.Ratings[is.ID][o.ID]
			if !never[parley.OptionRef{IssueID: is.ID, OptionID: o.ID}] && (hi == nil || r > prefs.Ratings[is.ID][hi.ID]) {
				hi = o
			}
			if lo == nil || r < prefs.Ratings[is.ID][lo.ID] {
				lo = o
			}
		}
		if hi != nil {
			best[is.ID] = bargain.Choice{Option: hi.ID}
		}
		if lo != nil {
			worst[is.ID] = bargain.Choice{Option: lo.ID}
		}
	}
	return best, worst
}

// rank describes one package for one party.
func rank(label, kind string, pkg bargain.Package, issues []*parley.Issue, prefs *parley.Preferences) Ranked {
	r := Ranked{Label: label, Kind: kind, Choices: []Chosen{}}
	total := new(big.Rat)
	for _, is := range issues {
		c, ok := pkg[is.ID]
		if !ok {
			r.Unsettled = append(r.Unsettled, is.Name)
			continue
		}
		weight := int64(prefs.Weights[is.ID])
		for _, o := range is.Options {
			share := big.NewRat(1, 1)
			switch {
			case c.Shares != nil && c.Shares[o.ID] != nil && c.Shares[o.ID].Sign() > 0:
				share = c.Shares[o.ID]
			case c.Shares != nil || c.Option != o.ID:
				continue
			}
			rating := prefs.Ratings[is.ID][o.ID]
			ch := Chosen{IssueID: is.ID, Issue: is.Name, OptionID: o.ID, Option: o.Label, Rating: rating}
			if c.Shares != nil {
				ch.Share = share.RatString()
			}
			r.Choices = append(r.Choices, ch)
			// weight × rating / 100, times the option's share.
			u := new(big.Rat).Mul(share, big.NewRat(weight*int64(rating), 100))
			total.Add(total, u)
			if slices.Contains(prefs.Never, parley.OptionRef{IssueID: is.ID, OptionID: o.ID}) {
				r.Never = append(r.Never, is.Name+": "+o.Label)
			}
		}
	}
	r.Utility, _ = total.Float64()
	r.Below = total.Cmp(big.NewRat(int64(prefs.Reservation), 1)) < 0
	return r
}
