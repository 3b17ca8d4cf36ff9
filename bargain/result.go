package bargain

import "math/big"

// Choice is what a package settles on one issue: one whole option, or,
// for a split divisible issue, a share of each option.
type Choice struct {
	// Option is the whole option chosen; "" when the issue is split.
	Option string
	// Shares give each option of a split issue its share (summing to 1);
	// nil when one whole option is chosen.
	Shares map[string]*big.Rat
}

// Package is a choice for every issue, by issue ID.
type Package map[string]Choice

// Outcome is a package and the utility every party gets from it.
type Outcome struct {
	Choice Package
	// Utility is each party's utility, exactly, by party name.
	Utility map[string]*big.Rat
}

// Concession is what a party gave up (or gained) on one issue between two
// packages.
type Concession struct {
	Issue string
	From  Choice
	To    Choice
	// Loss is the utility the party lost on this issue; negative for a
	// gain.
	Loss *big.Rat
}

// Evaluation is what a package means for each party.
type Evaluation struct {
	*Outcome
	// Ideal is each party's highest utility over the feasible packages.
	Ideal map[string]*big.Rat
	// Distance is Ideal − Utility.
	Distance map[string]*big.Rat
	// Feasible is false when the package contains an option on some
	// party's never-list; Violations names each ("B never accepts
	// army:none").
	Feasible   bool
	Violations []string
	// Below lists the parties whose utility is below their reservation.
	Below []string
	// Concessions are, by party, the issues whose choice changed against
	// the previous package, with what each change cost the party; nil
	// when there is no previous package.
	Concessions map[string][]Concession
}

// Frontier is the Pareto frontier of a problem, or an ε-Pareto set of it.
type Frontier struct {
	Parties []string
	// Exact is true when Outcomes is the whole frontier (two parties, or
	// one); for three or more parties it is an ε-Pareto set.
	Exact bool
	// Epsilon is the ε of an ε-Pareto set, as a fraction of each party's
	// utility range (max − min over feasible packages): every feasible
	// package is dominated by a package of the set after adding ε × range
	// to each party's utility in it. 0 when Exact.
	Epsilon float64
	// Outcomes are the packages of the frontier, one per distinct utility
	// vector, by the first party's utility, highest first.
	Outcomes []*Outcome
}

// The fair-point methods, as named in Solution.Method and on the command
// line.
const (
	MethodNash     = "nash"
	MethodKS       = "ks"
	MethodMaximin  = "maximin"
	MethodMaxSum   = "maxsum"
	MethodAW       = "aw"
	MethodFrontier = "frontier"
	MethodEvaluate = "evaluate"
	MethodImprove  = "improve"
)

// Solution is a fair point: the package a method picks, among the
// feasible packages that give every party at least its reservation
// (individually rational packages). A party's gain is U − reservation,
// the reservation read to the precision of utilities: as the smallest
// multiple of 1/100 (of 1/(100·Steps) when divisible issues are split)
// not below it, so that every comparison is exact.
//
//   - nash: the largest product of gains over reservation levels
//     (Nash bargaining solution).
//   - ks: the largest smallest ratio of gain to the party's best possible
//     gain, (U − reservation) / (ideal − reservation) (Kalai–Smorodinsky),
//     where ideal is the party's highest utility over the feasible
//     packages (as in Evaluation); a party whose ideal is its reservation
//     has ratio 1; ties broken leximin on those ratios.
//   - maximin: the largest smallest gain over reservation; ties broken
//     leximin (the next smallest gain, and so on).
//   - maxsum: the largest total utility.
//
// Remaining ties go to the package that comes first in the frontier's
// order: the highest utility of the first party (then of the second, and
// so on), and of packages with the same utilities the first in the
// canonical order Pareto describes. Every method prefers a package that
// dominates another, so for one or two parties the package is on the
// exact frontier and is the optimum over all individually rational
// packages.
//
// For three or more parties the package is the best of an ε-Pareto set's
// outcomes (Approximate). With ε and range_k as in Frontier, take any
// feasible package x that gives every party k at least reservation_k +
// ε × range_k. The package picked gives every party its reservation, and
// its value is at least
//
//	nash:    Π_k (gain_k(x) − ε × range_k)
//	ks:      smallest ratio at x − max_k ε × range_k / (ideal_k − reservation_k)
//	maximin: smallest gain at x − ε × max_k range_k
//	maxsum:  total at x − ε × Σ_k range_k
//
// and Outcome is nil only when there is no such x. A package that meets
// some reservation with less than ε × range to spare may be missed:
// deciding whether one exists is as hard as the subset-sum problem.
type Solution struct {
	Method string
	// Outcome is the package; nil when no feasible package gives every
	// party its reservation (for three or more parties, see above).
	Outcome *Outcome
	// Value is the method's objective at the package, in utility points
	// (the product of gains, the smallest ratio or gain, or the total).
	Value float64
	// Approximate is set for three or more parties, where the package is
	// chosen from an ε-Pareto set: its value is then within the stated
	// tolerance of the optimum.
	Approximate bool
}

// Division is the outcome of Adjusted Winner for two parties: each issue
// goes whole to one party but at most one, which is split.
type Division struct {
	Parties [2]string
	*Outcome
	// Split is the issue that was split, "" when none was.
	Split string
	// Points are each party's points at the end (equal for both).
	Points map[string]*big.Rat
}

// Improvement is the answer to "which packages does every party prefer to
// this one?".
type Improvement struct {
	Tentative *Outcome
	// Packages give every party at least its utility in Tentative and one
	// party more, ranked by their smallest gain, largest first.
	Packages []*Outcome
	// None is true when no feasible package improves on Tentative; the
	// frontier, on which Tentative then lies, is the certificate.
	None        bool
	Certificate *Frontier
}
