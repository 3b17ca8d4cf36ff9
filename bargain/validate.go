package bargain

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
)

// Bounds on the size of a problem, so that every input is bounded.
const (
	maxParties = 16
	maxIssues  = 1000
	maxOptions = 100
	maxSteps   = 100
	// maxChoices bounds the choices of all issues together, splits
	// included.
	maxChoices = 1_000_000
	// maxProblems is how many problems Validate reports at most.
	maxProblems = 20
)

// Validate checks a problem: parties named once, issues with unique IDs
// and options, every party's preferences present, weights that sum to 100,
// ratings 0–100 of known options, a reservation 0–100, never-lists of known
// options, and bounds on sizes. The error says what is wrong and where
// ("preferences.A.weights: sum to 98, not 100").
//
// Validate reports every problem it finds, up to 20, in the order of the
// input (maps in the order of their keys), one per line, joined with
// errors.Join. The bounds are: 1 to 16 parties; up to 1000 issues, each
// with 1 to 100 options; Steps 0 to 100, and at most 1,000,000 choices
// over all issues once divisible issues are split. Issue IDs may not
// contain ':', which separates issue and option in never-lists; option
// names may not be empty, since an empty Choice.Option means a split.
func (p *Problem) Validate() error {
	v := &validator{}
	v.problem(p)
	return v.err()
}

// validator collects the problems of a problem.
type validator struct {
	problems []error
	more     int
}

// addf records a problem at a path.
func (v *validator) addf(path, format string, args ...any) {
	if len(v.problems) == maxProblems {
		v.more++
		return
	}
	v.problems = append(v.problems, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

// err returns the problems found, nil when there are none.
func (v *validator) err() error {
	if v.more > 0 {
		v.problems = append(v.problems, fmt.Errorf("and %d more problems", v.more))
	}
	return errors.Join(v.problems...)
}

// problem checks every part of p.
func (v *validator) problem(p *Problem) {
	if p == nil {
		v.addf("problem", "missing")
		return
	}
	parties := v.parties(p.Parties)
	issues := v.issues(p.Issues)
	if p.Steps < 0 || p.Steps > maxSteps {
		v.addf("steps", "%d is outside 0..%d", p.Steps, maxSteps)
	} else if n := countChoices(p); n > maxChoices {
		v.addf("steps", "%d splits the issues into %d choices, at most %d", p.Steps, n, maxChoices)
	}
	v.preferences(p, parties, issues)
	for _, name := range sortedKeys(p.Packages) {
		for _, id := range sortedKeys(p.Packages[name]) {
			v.choice("packages."+name+"."+id, issues, id, p.Packages[name][id])
		}
	}
}

// parties checks the party names and returns them as a set.
func (v *validator) parties(names []string) map[string]bool {
	if len(names) == 0 {
		v.addf("parties", "none; at least 1")
	}
	if len(names) > maxParties {
		v.addf("parties", "%d, at most %d", len(names), maxParties)
	}
	set := make(map[string]bool, len(names))
	for i, name := range names {
		switch {
		case name == "":
			v.addf(fmt.Sprintf("parties[%d]", i), "empty name")
		case set[name]:
			v.addf(fmt.Sprintf("parties[%d]", i), "%q appears twice", name)
		}
		set[name] = true
	}
	return set
}

// issues checks the issues and returns them by ID (the first of each ID).
func (v *validator) issues(issues []Issue) map[string]*Issue {
	if len(issues) > maxIssues {
		v.addf("issues", "%d, at most %d", len(issues), maxIssues)
	}
	byID := make(map[string]*Issue, len(issues))
	for i := range issues {
		is := &issues[i]
		at := fmt.Sprintf("issues[%d]", i)
		switch {
		case is.ID == "":
			v.addf(at+".id", "empty")
		case byID[is.ID] != nil:
			v.addf(at+".id", "%q appears twice", is.ID)
		default:
			if strings.Contains(is.ID, ":") {
				v.addf(at+".id", "%q contains ':'", is.ID)
			}
			byID[is.ID] = is
		}
		switch {
		case len(is.Options) == 0:
			v.addf(at+".options", "none; at least 1")
		case len(is.Options) > maxOptions:
			v.addf(at+".options", "%d, at most %d", len(is.Options), maxOptions)
		}
		seen := make(map[string]bool, len(is.Options))
		for o, name := range is.Options {
			switch {
			case name == "":
				v.addf(fmt.Sprintf("%s.options[%d]", at, o), "empty")
			case seen[name]:
				v.addf(at+".options", "%q appears twice", name)
			}
			seen[name] = true
		}
	}
	return byID
}

// countChoices counts the choices of every issue, splits included.
func countChoices(p *Problem) int {
	total := 0
	for _, is := range p.Issues {
		m := len(is.Options)
		total += m
		if is.Divisible && p.Steps > 1 {
			total += m * (m - 1) / 2 * (p.Steps - 1)
		}
	}
	return total
}

// preferences checks every party's preferences.
func (v *validator) preferences(p *Problem, parties map[string]bool, issues map[string]*Issue) {
	for _, party := range p.Parties {
		if party == "" {
			continue
		}
		pref, ok := p.Preferences[party]
		if !ok {
			v.addf("preferences", "none for party %q", party)
			continue
		}
		v.preference("preferences."+party, pref, issues)
	}
	for _, party := range sortedKeys(p.Preferences) {
		if !parties[party] {
			v.addf("preferences."+party, "not a party")
		}
	}
}

// preference checks one party's preferences.
func (v *validator) preference(at string, pref Preferences, issues map[string]*Issue) {
	// The sum is checked only when every weight is sound, so that one
	// mistake is not reported twice.
	sum, inRange := 0, true
	for _, id := range sortedKeys(pref.Weights) {
		w := pref.Weights[id]
		switch {
		case issues[id] == nil:
			v.addf(at+".weights."+id, "no such issue")
			inRange = false
		case w < 0 || w > 100:
			v.addf(at+".weights."+id, "%d is outside 0..100", w)
			inRange = false
		default:
			sum += w
		}
	}
	if inRange && sum != 100 {
		v.addf(at+".weights", "sum to %d, not 100", sum)
	}
	for _, id := range sortedKeys(pref.Ratings) {
		is := issues[id]
		if is == nil {
			v.addf(at+".ratings."+id, "no such issue")
			continue
		}
		for _, option := range sortedKeys(pref.Ratings[id]) {
			r := pref.Ratings[id][option]
			switch {
			case !slices.Contains(is.Options, option):
				v.addf(at+".ratings."+id+"."+option, "no such option")
			case r < 0 || r > 100:
				v.addf(at+".ratings."+id+"."+option, "%d is outside 0..100", r)
			}
		}
	}
	if r := pref.Reservation; math.IsNaN(r) || r < 0 || r > 100 {
		v.addf(at+".reservation", "%v is outside 0..100", r)
	}
	for i, entry := range pref.Never {
		where := fmt.Sprintf("%s.never[%d]", at, i)
		issue, option, ok := splitNever(entry)
		switch {
		case !ok:
			v.addf(where, "%q is not issue:option", entry)
		case issues[issue] == nil:
			v.addf(where, "no issue %q", issue)
		case !slices.Contains(issues[issue].Options, option):
			v.addf(where, "issue %q has no option %q", issue, option)
		}
	}
}

// splitNever splits a never-list entry "issue:option" at its first ':'.
func splitNever(entry string) (issue, option string, ok bool) {
	issue, option, ok = strings.Cut(entry, ":")
	return issue, option, ok && issue != "" && option != ""
}

// choice checks the choice c of a package for issue id.
func (v *validator) choice(at string, issues map[string]*Issue, id string, c Choice) {
	is := issues[id]
	if is == nil {
		v.addf(at, "no such issue")
		return
	}
	if msg := checkChoice(is, c); msg != "" {
		v.addf(at, "%s", msg)
	}
}

// checkChoice says what is wrong with choice c for issue is, "" when
// nothing is: one known option, or shares of known options of a
// divisible issue, none negative, summing to 1.
func checkChoice(is *Issue, c Choice) string {
	switch {
	case c.Option != "" && c.Shares != nil:
		return "both an option and shares"
	case c.Option != "":
		if !slices.Contains(is.Options, c.Option) {
			return fmt.Sprintf("no option %q", c.Option)
		}
		return ""
	case len(c.Shares) == 0:
		return "no option chosen"
	case !is.Divisible:
		return "shares of an issue that is not divisible"
	}
	sum := new(big.Rat)
	for _, option := range sortedKeys(c.Shares) {
		share := c.Shares[option]
		switch {
		case !slices.Contains(is.Options, option):
			return fmt.Sprintf("share of %q, which is no option", option)
		case share == nil:
			return fmt.Sprintf("share of %q missing", option)
		case share.Sign() < 0:
			return fmt.Sprintf("share %s of %q is negative", share.RatString(), option)
		}
		sum.Add(sum, share)
	}
	if sum.Cmp(big.NewRat(1, 1)) != 0 {
		return fmt.Sprintf("shares sum to %s, not 1", sum.RatString())
	}
	return ""
}

// sortedKeys returns the keys of m in order, for messages in a stable
// order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
