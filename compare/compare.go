// Package compare aligns two versions of a plan point by point and reports,
// for every point, what happened to it: unchanged, renumbered, moved,
// edited, merged, split, added or dropped, with a word-level diff inside
// each linked pair and changed numbers, amounts and dates flagged.
//
// The alignment never compares every point with every other. It links
// points with identical text first, finds candidates for the rest in an
// inverted index of three-word shingles and among the neighbours of linked
// points, scores candidates with an IDF-weighted Dice coefficient, assigns
// them one to one (preferring pairs that keep the order of the surrounding
// points), groups merges and splits by containment, and marks as moved the
// points outside the longest increasing subsequence of their siblings'
// order. Every stage has a cap on effort; when a cap is reached the report
// says so in Summary.Degraded rather than silently reporting less.
//
// The package is pure and safe for concurrent use.
package compare

import (
	"parley/plantext"
)

// Schema identifies the JSON form of a Report.
const Schema = "parley.compare/v1"

// Op is what happened to a point between two versions.
type Op string

// The operations, one per link.
const (
	Unchanged  Op = "unchanged"  // same text, same ID
	Renumbered Op = "renumbered" // same text, only the label path changed
	Moved      Op = "moved"      // out of the order of the other points (text may also have changed)
	Edited     Op = "edited"     // words changed
	Merged     Op = "merged"     // several old points became one new point
	Split      Op = "split"      // one old point became several new points
	Added      Op = "added"      // a new point with no counterpart
	Dropped    Op = "dropped"    // an old point with no counterpart
)

// Ops lists the operations in the order reports show them.
var Ops = []Op{Unchanged, Renumbered, Moved, Edited, Merged, Split, Added, Dropped}

// Options tune the comparison. The zero value means the defaults.
type Options struct {
	// Threshold is the similarity below which two points are treated as
	// different (dropped and added rather than edited). Default 0.5.
	Threshold float64
	// Candidates is how many index candidates are scored per point.
	// Default 8.
	Candidates int
	// Budget caps the number of similarity computations at Budget per
	// point of both versions. Default 64.
	Budget int
}

func (o Options) withDefaults() Options {
	if o.Threshold <= 0 {
		o.Threshold = 0.5
	}
	if o.Candidates <= 0 {
		o.Candidates = 8
	}
	if o.Budget <= 0 {
		o.Budget = 64
	}
	return o
}

// Report is the result of a comparison.
type Report struct {
	Schema  string  `json:"schema"`
	Pairs   []Pair  `json:"pairs"`
	Summary Summary `json:"summary"`
	// Old and New are the compared documents, for renderers.
	Old *plantext.Document `json:"-"`
	New *plantext.Document `json:"-"`
}

// Pair is one link between old and new points: one old and one new point,
// several old and one new (merged), one old and several new (split), or
// one side empty (added, dropped).
type Pair struct {
	Op  Op       `json:"op"`
	Old []string `json:"old"` // point IDs in the old version
	New []string `json:"new"` // point IDs in the new version
	// Similarity is the IDF-weighted Dice coefficient of the words of the
	// two sides, from 0 (nothing shared) to 1 (the same words).
	Similarity float64 `json:"similarity"`
	// Moved: the point left the order of its siblings, or changed parent
	// or level.
	Moved bool `json:"moved,omitempty"`
	// Edited: the words changed.
	Edited bool `json:"edited,omitempty"`
	// Renumbered: the ID changed.
	Renumbered bool `json:"renumbered,omitempty"`
	// LevelChanged: the point moved to another depth of the tree.
	LevelChanged bool `json:"level_changed,omitempty"`
	// OldHeading and NewHeading are set when the group heading changed.
	OldHeading string `json:"old_heading,omitempty"`
	NewHeading string `json:"new_heading,omitempty"`
	// Changes are the word-level changes, for linked pairs whose text
	// differs. Offsets are byte offsets into the old and new texts (the
	// texts of a group joined by "\n").
	Changes []Change `json:"changes,omitempty"`
}

// Change is one run of changed words in a linked pair.
type Change struct {
	// Kind is "replace", "delete" or "insert".
	Kind string `json:"kind"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
	// OldAt, OldEnd, NewAt and NewEnd delimit the change in the two texts.
	OldAt  int `json:"old_at"`
	OldEnd int `json:"old_end"`
	NewAt  int `json:"new_at"`
	NewEnd int `json:"new_end"`
	// Number: a number, amount or date changed (600,000 → 800,000).
	Number bool `json:"number,omitempty"`
}

// Summary counts what the report holds.
type Summary struct {
	OldPoints int `json:"old_points"`
	NewPoints int `json:"new_points"`
	// Counts has one entry per operation, zeros included.
	Counts map[Op]int `json:"counts"`
	// NumberChanges counts changes flagged as numbers, amounts or dates.
	NumberChanges int `json:"number_changes"`
	// Identical: no point, heading, title or preamble changed.
	Identical       bool `json:"identical"`
	TitleChanged    bool `json:"title_changed,omitempty"`
	PreambleChanged bool `json:"preamble_changed,omitempty"`
	// HeadingChanges counts the pairs whose group heading changed.
	HeadingChanges int     `json:"heading_changes"`
	Threshold      float64 `json:"threshold"`
	// Degraded lists the caps on effort that were reached, in words; empty
	// when the comparison ran in full.
	Degraded []string `json:"degraded,omitempty"`
	// OldWarnings and NewWarnings are the parser's warnings.
	OldWarnings []string `json:"old_warnings,omitempty"`
	NewWarnings []string `json:"new_warnings,omitempty"`
}

// Compare aligns two parsed versions of a plan.
func Compare(old, new *plantext.Document, opt Options) *Report {
	a := newAligner(old, new, opt.withDefaults())
	a.align()
	return a.report()
}
