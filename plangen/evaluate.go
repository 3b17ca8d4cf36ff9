package plangen

import (
	"slices"
	"strings"
)

// Metrics scores the links an aligner reported against the truth.
//
// A precision is 1 when nothing was reported and a recall is 1 when there was
// nothing to find, so both are 1 when both sets are empty.
type Metrics struct {
	// LinkPrecision is the share of reported edges that are in the truth. The
	// edges of a link are the pairs (old id, new id) of its cross product
	// Old×New; added and dropped links have none.
	LinkPrecision float64 `json:"link_precision"`
	// LinkRecall is the share of truth edges that were reported.
	LinkRecall float64 `json:"link_recall"`
	// LinkF1 is the harmonic mean of LinkPrecision and LinkRecall.
	LinkF1 float64 `json:"link_f1"`
	// TruthEdges is the number of distinct edges in the truth.
	TruthEdges int `json:"truth_edges"`
	// ReportedEdges is the number of distinct edges reported.
	ReportedEdges int `json:"reported_edges"`
	// CorrectEdges is the number of reported edges that are in the truth.
	CorrectEdges int `json:"correct_edges"`

	// MovePrecision is the share of reported moved points that were moved. A
	// moved point is identified by the new ids of a link with Moved set or op
	// "moved".
	MovePrecision float64 `json:"move_precision"`
	// MoveRecall is the share of moved points that were reported moved.
	MoveRecall float64 `json:"move_recall"`
	// TruthMoves is the number of moved points in the truth.
	TruthMoves int `json:"truth_moves"`
	// ReportedMoves is the number of points reported moved.
	ReportedMoves int `json:"reported_moves"`
	// CorrectMoves is the number of points rightly reported moved.
	CorrectMoves int `json:"correct_moves"`

	// RenumberOnly counts the truth links with op unchanged or renumbered.
	RenumberOnly int `json:"renumber_only"`
	// FalseChanges counts those of them that were not reported as the same
	// link (the same single old and new id) with op unchanged or renumbered
	// and neither Moved nor Edited set.
	FalseChanges int `json:"false_changes"`

	// ExactLinks counts the truth links reported with the same old ids, new
	// ids and op; the flags are not compared.
	ExactLinks int `json:"exact_links"`

	// TruthOps counts the truth links per op.
	TruthOps map[string]int `json:"truth_ops"`
	// ReportedOps counts the reported links per op.
	ReportedOps map[string]int `json:"reported_ops"`
}

type edge struct{ old, new string }

// Evaluate scores the links got that an aligner reported against truth.
func Evaluate(truth Truth, got []Link) Metrics {
	var m Metrics
	m.TruthEdges, m.ReportedEdges, m.CorrectEdges, m.LinkPrecision, m.LinkRecall = score(edges(truth.Links), edges(got))
	if p, r := m.LinkPrecision, m.LinkRecall; p+r > 0 {
		m.LinkF1 = 2 * p * r / (p + r)
	}
	m.TruthMoves, m.ReportedMoves, m.CorrectMoves, m.MovePrecision, m.MoveRecall = score(moves(truth.Links), moves(got))

	// Reported one-to-one links, and all reported links by shape.
	single := map[edge][]Link{}
	shapes := map[string][]string{}
	for _, l := range got {
		if len(l.Old) == 1 && len(l.New) == 1 {
			e := edge{l.Old[0], l.New[0]}
			single[e] = append(single[e], l)
		}
		k := shape(l)
		shapes[k] = append(shapes[k], l.Op)
	}
	m.TruthOps, m.ReportedOps = map[string]int{}, map[string]int{}
	for _, l := range got {
		m.ReportedOps[l.Op]++
	}
	for _, l := range truth.Links {
		m.TruthOps[l.Op]++
		if slices.Contains(shapes[shape(l)], l.Op) {
			m.ExactLinks++
		}
		if l.Op != OpUnchanged && l.Op != OpRenumbered {
			continue
		}
		m.RenumberOnly++
		if len(l.Old) != 1 || len(l.New) != 1 || !slices.ContainsFunc(single[edge{l.Old[0], l.New[0]}], renumberOnly) {
			m.FalseChanges++
		}
	}
	return m
}

func renumberOnly(l Link) bool {
	return (l.Op == OpUnchanged || l.Op == OpRenumbered) && !l.Moved && !l.Edited
}

func edges(links []Link) map[edge]bool {
	s := map[edge]bool{}
	for _, l := range links {
		for _, o := range l.Old {
			for _, n := range l.New {
				s[edge{o, n}] = true
			}
		}
	}
	return s
}

func moves(links []Link) map[string]bool {
	s := map[string]bool{}
	for _, l := range links {
		if l.Moved || l.Op == OpMoved {
			for _, n := range l.New {
				s[n] = true
			}
		}
	}
	return s
}

// shape identifies a link by its sets of old and new ids.
func shape(l Link) string {
	o, n := slices.Clone(l.Old), slices.Clone(l.New)
	slices.Sort(o)
	slices.Sort(n)
	return strings.Join(o, "\x00") + "\x01" + strings.Join(n, "\x00")
}

// ratio is num/den, or 1 when den is 0.
func ratio(num, den int) float64 {
	if den == 0 {
		return 1
	}
	return float64(num) / float64(den)
}

// score compares a reported set with the true one: their sizes, how many
// reported elements are true, and the precision and recall.
func score[K comparable](truth, got map[K]bool) (nTruth, nGot, correct int, precision, recall float64) {
	for k := range got {
		if truth[k] {
			correct++
		}
	}
	return len(truth), len(got), correct, ratio(correct, len(got)), ratio(correct, len(truth))
}
