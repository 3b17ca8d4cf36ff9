// Package bargain analyses a negotiation as a choice of one option per
// issue: what each party gets from a package of choices, which packages no
// other package improves for everyone (the Pareto frontier), which of those
// are fair by the classic definitions, how Adjusted Winner divides
// divisible issues between two parties, and which packages every party
// prefers to a tentative one.
//
// # Definitions
//
// A problem has parties, issues and each party's preferences. An issue has
// discrete options; a package chooses one option per issue. A divisible
// issue may instead be split: its choice gives each option a share, the
// shares summing to 1.
//
// A party's preferences give each issue importance points (weights, summing
// to 100) and each option a rating from 0 to 100. The party's utility for a
// package is
//
//	U = Σ over issues of weight × rating / 100
//
// where a split issue counts Σ share × rating for its rating. U runs from 0
// to 100. A party's reservation level is the utility of its best
// alternative to a negotiated agreement: a package below it is one the party
// would walk away from. A party's never-list names options it will accept
// under no circumstances; a package containing one is not feasible.
//
// The ideal of a party is its highest utility over the feasible packages;
// its distance from the ideal is ideal − U. A package dominates another
// when it gives every party at least as much and one party more; the Pareto
// frontier is the set of feasible packages no feasible package dominates.
// Fair points are chosen among feasible packages that give every party at
// least its reservation level (individually rational packages); see
// Solution for each method's definition.
//
// Utilities are computed exactly: weights and ratings are integers, so
// every utility is a multiple of 1/100 (of 1/(100·Steps) with splits), and
// comparisons never suffer from rounding.
package bargain

// Schema names the JSON format of results.
const Schema = "parley.bargain/v1"

// Problem is a negotiation to analyse: the JSON input of `parley bargain`.
type Problem struct {
	Parties []string `json:"parties"`
	Issues  []Issue  `json:"issues"`
	// Preferences are each party's, by party name.
	Preferences map[string]Preferences `json:"preferences"`
	// Steps is how finely the discrete methods (frontier, fair points,
	// improvements) may split a divisible issue between two of its
	// options: in shares of 1/Steps. 0 or 1 means whole options only.
	// Adjusted Winner splits exactly, whatever Steps says.
	Steps int `json:"steps,omitempty"`
	// Packages are named packages of the problem (a plan's versions, say),
	// for evaluate and improve to start from.
	Packages map[string]Package `json:"packages,omitempty"`
	// Note says where the numbers come from ("illustrative, not anyone's
	// real positions"); reports repeat it so that it travels with them.
	Note string `json:"note,omitempty"`
}

// Issue is one question a package settles.
type Issue struct {
	ID      string   `json:"id"`
	Options []string `json:"options"`
	// Divisible issues may be split between options in shares.
	Divisible bool `json:"divisible,omitempty"`
}

// Preferences are one party's confidential valuation of the issues.
type Preferences struct {
	// Weights are importance points by issue ID; they sum to 100. An
	// issue left out weighs 0.
	Weights map[string]int `json:"weights"`
	// Ratings are 0–100 by issue ID and option; an option left out is
	// rated 0.
	Ratings map[string]map[string]int `json:"ratings"`
	// Reservation is the party's walk-away utility, 0–100.
	Reservation float64 `json:"reservation"`
	// Never lists options the party will never accept, as "issue:option".
	Never []string `json:"never,omitempty"`
}
