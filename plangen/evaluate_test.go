package plangen_test

import (
	"math"
	"reflect"
	"testing"

	"parley/plangen"
)

func ids(s ...string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// handTruth is a tiny truth with one link of each op: 9 edges, 1 move,
// 3 renumber-only links.
var handTruth = plangen.Truth{Links: []plangen.Link{
	{Op: plangen.OpUnchanged, Old: ids("1"), New: ids("1")},
	{Op: plangen.OpRenumbered, Old: ids("3"), New: ids("2")},
	{Op: plangen.OpRenumbered, Old: ids("3.a"), New: ids("2.a")},
	{Op: plangen.OpEdited, Old: ids("4"), New: ids("3"), Edited: true},
	{Op: plangen.OpMoved, Old: ids("2"), New: ids("6"), Moved: true},
	{Op: plangen.OpMerged, Old: ids("5", "6"), New: ids("4")},
	{Op: plangen.OpSplit, Old: ids("7"), New: ids("5", "7")},
	{Op: plangen.OpAdded, Old: ids(), New: ids("8")},
	{Op: plangen.OpDropped, Old: ids("8"), New: ids()},
}}

var handTruthOps = map[string]int{"unchanged": 1, "renumbered": 2, "edited": 1, "moved": 1, "merged": 1, "split": 1, "added": 1, "dropped": 1}

func TestEvaluate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		truth plangen.Truth
		got   []plangen.Link
		want  plangen.Metrics
	}{
		{
			name:  "truth against itself",
			truth: handTruth,
			got:   handTruth.Links,
			want: plangen.Metrics{
				LinkPrecision: 1, LinkRecall: 1, LinkF1: 1, TruthEdges: 9, ReportedEdges: 9, CorrectEdges: 9,
				MovePrecision: 1, MoveRecall: 1, TruthMoves: 1, ReportedMoves: 1, CorrectMoves: 1,
				RenumberOnly: 3, FalseChanges: 0, ExactLinks: 9,
				TruthOps: handTruthOps, ReportedOps: handTruthOps,
			},
		},
		{
			// Edges reported: 1-1, 3-2, 3.a-2.a, 4-3, 2-6, 5-4, 6-4, 7-5 (all right),
			// 8-8 and 9-9 (wrong); 7-7 is missed. Precision 8/10, recall 8/9,
			// F1 = 2·(4/5)·(8/9)/(4/5+8/9) = 16/19.
			// Moves: truth {6}, reported {3}: precision 0, recall 0.
			// False changes: 3->2 reported edited, 3.a->2.a reported with op edited.
			// Exact links: 1->1, 3->2 (flags are not compared) and the merge.
			name:  "damaged copy",
			truth: handTruth,
			got: []plangen.Link{
				{Op: plangen.OpUnchanged, Old: ids("1"), New: ids("1")},
				{Op: plangen.OpRenumbered, Old: ids("3"), New: ids("2"), Edited: true},
				{Op: plangen.OpEdited, Old: ids("3.a"), New: ids("2.a"), Edited: true},
				{Op: plangen.OpMoved, Old: ids("4"), New: ids("3"), Moved: true, Edited: true},
				{Op: plangen.OpRenumbered, Old: ids("2"), New: ids("6")},
				{Op: plangen.OpMerged, Old: ids("6", "5"), New: ids("4")},
				{Op: plangen.OpEdited, Old: ids("7"), New: ids("5"), Edited: true},
				{Op: plangen.OpAdded, Old: ids(), New: ids("7")},
				{Op: plangen.OpRenumbered, Old: ids("8"), New: ids("8")},
				{Op: plangen.OpUnchanged, Old: ids("9"), New: ids("9")},
			},
			want: plangen.Metrics{
				LinkPrecision: 0.8, LinkRecall: 8.0 / 9, LinkF1: 16.0 / 19, TruthEdges: 9, ReportedEdges: 10, CorrectEdges: 8,
				MovePrecision: 0, MoveRecall: 0, TruthMoves: 1, ReportedMoves: 1, CorrectMoves: 0,
				RenumberOnly: 3, FalseChanges: 2, ExactLinks: 3,
				TruthOps:    handTruthOps,
				ReportedOps: map[string]int{"unchanged": 2, "renumbered": 3, "edited": 2, "moved": 1, "merged": 1, "added": 1},
			},
		},
		{
			// Nothing reported: precision is vacuously 1, recall 0, and every
			// renumber-only point counts as a false change.
			name:  "nothing reported",
			truth: handTruth,
			got:   nil,
			want: plangen.Metrics{
				LinkPrecision: 1, LinkRecall: 0, LinkF1: 0, TruthEdges: 9,
				MovePrecision: 1, MoveRecall: 0, TruthMoves: 1,
				RenumberOnly: 3, FalseChanges: 3,
				TruthOps: handTruthOps, ReportedOps: map[string]int{},
			},
		},
		{
			// No moves on either side: move precision and recall are 1.
			// A move reported through the op alone still counts.
			name: "no moves, one reported by op",
			truth: plangen.Truth{Links: []plangen.Link{
				{Op: plangen.OpRenumbered, Old: ids("2"), New: ids("1")},
				{Op: plangen.OpDropped, Old: ids("1"), New: ids()},
			}},
			got: []plangen.Link{
				{Op: plangen.OpMoved, Old: ids("2"), New: ids("1")},
				{Op: plangen.OpDropped, Old: ids("1"), New: ids()},
			},
			want: plangen.Metrics{
				LinkPrecision: 1, LinkRecall: 1, LinkF1: 1, TruthEdges: 1, ReportedEdges: 1, CorrectEdges: 1,
				MovePrecision: 0, MoveRecall: 1, ReportedMoves: 1,
				RenumberOnly: 1, FalseChanges: 1, ExactLinks: 1,
				TruthOps:    map[string]int{"renumbered": 1, "dropped": 1},
				ReportedOps: map[string]int{"moved": 1, "dropped": 1},
			},
		},
		{
			name: "no moves anywhere",
			truth: plangen.Truth{Links: []plangen.Link{
				{Op: plangen.OpUnchanged, Old: ids("1"), New: ids("1")},
			}},
			got: []plangen.Link{
				{Op: plangen.OpRenumbered, Old: ids("1"), New: ids("1")},
			},
			want: plangen.Metrics{
				LinkPrecision: 1, LinkRecall: 1, LinkF1: 1, TruthEdges: 1, ReportedEdges: 1, CorrectEdges: 1,
				MovePrecision: 1, MoveRecall: 1,
				RenumberOnly: 1, FalseChanges: 0, ExactLinks: 0,
				TruthOps:    map[string]int{"unchanged": 1},
				ReportedOps: map[string]int{"renumbered": 1},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := plangen.Evaluate(tc.truth, tc.got)
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"link precision", got.LinkPrecision, tc.want.LinkPrecision},
				{"link recall", got.LinkRecall, tc.want.LinkRecall},
				{"link F1", got.LinkF1, tc.want.LinkF1},
				{"move precision", got.MovePrecision, tc.want.MovePrecision},
				{"move recall", got.MoveRecall, tc.want.MoveRecall},
			} {
				if math.Abs(f.got-f.want) > 1e-12 {
					t.Errorf("%s: got %v, want %v", f.name, f.got, f.want)
				}
			}
			// The counts must match exactly.
			got.LinkPrecision, got.LinkRecall, got.LinkF1, got.MovePrecision, got.MoveRecall = 0, 0, 0, 0, 0
			want := tc.want
			want.LinkPrecision, want.LinkRecall, want.LinkF1, want.MovePrecision, want.MoveRecall = 0, 0, 0, 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

// TestEvaluateGeneratedTruth scores generated truths against themselves.
func TestEvaluateGeneratedTruth(t *testing.T) {
	for _, tc := range []genCase{
		{"200", plangen.Options{Seed: 1, Points: 200}},
		{"2000", plangen.Options{Seed: 9, Points: 2000}},
		{"adversarial", plangen.Options{Seed: 1, Adversarial: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			truth := plangen.Generate(tc.opt).Truth
			m := plangen.Evaluate(truth, truth.Links)
			if m.LinkF1 != 1 || m.MovePrecision != 1 || m.MoveRecall != 1 {
				t.Errorf("got F1 %v, move precision %v, recall %v; want 1, 1, 1", m.LinkF1, m.MovePrecision, m.MoveRecall)
			}
			if m.FalseChanges != 0 {
				t.Errorf("got %d false changes, want 0", m.FalseChanges)
			}
			if m.ExactLinks != len(truth.Links) {
				t.Errorf("got %d exact links, want %d", m.ExactLinks, len(truth.Links))
			}
			if !tc.opt.Adversarial && (m.TruthMoves == 0 || m.RenumberOnly == 0) {
				t.Errorf("got %d moves and %d renumber-only points, want some of each", m.TruthMoves, m.RenumberOnly)
			}
		})
	}
}
