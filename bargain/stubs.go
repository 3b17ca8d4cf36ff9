package bargain

// This file holds the signatures of the engine while it is being written;
// each function moves to its own file when implemented.

import "errors"

var errUnimplemented = errors.New("bargain: not implemented yet")

// Validate checks a problem: parties named once, issues with unique IDs
// and options, every party's preferences present, weights that sum to 100,
// ratings 0–100 of known options, a reservation 0–100, never-lists of known
// options, and bounds on sizes. The error says what is wrong and where
// ("preferences.A.weights: sum to 98, not 100").
func (p *Problem) Validate() error { return errUnimplemented }

// Evaluate returns what pkg means for every party and, when previous is
// not nil, what each party conceded against it.
func Evaluate(p *Problem, pkg, previous Package) (*Evaluation, error) {
	return nil, errUnimplemented
}

// Pareto returns the exact Pareto frontier of a problem of one or two
// parties; for three or more, an ε-Pareto set with epsilon (a fraction of
// each party's utility range; 0 means 0.005).
func Pareto(p *Problem, epsilon float64) (*Frontier, error) { return nil, errUnimplemented }

// Fair returns the package the method (MethodNash, MethodKS,
// MethodMaximin, MethodMaxSum) picks. fr is the problem's frontier, as
// Pareto returns it; nil to compute it.
func Fair(p *Problem, method string, fr *Frontier) (*Solution, error) {
	return nil, errUnimplemented
}

// Improve returns up to limit packages that every party prefers to
// tentative (0 means 20), or None with the frontier as certificate.
func Improve(p *Problem, tentative Package, limit int) (*Improvement, error) {
	return nil, errUnimplemented
}
