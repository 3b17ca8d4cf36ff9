package compare_test

import (
	"io"
	"testing"

	"parley/compare"
	"parley/plangen"
	"parley/plantext"
)

// benchPair generates and parses a version pair once per benchmark.
func benchPair(b *testing.B, opt plangen.Options) (*plantext.Document, *plantext.Document, int64) {
	b.Helper()
	p := plangen.Generate(opt)
	return mustParse(b, string(p.Old)), mustParse(b, string(p.New)), int64(len(p.Old) + len(p.New))
}

func benchCompare(b *testing.B, opt plangen.Options) {
	od, nd, size := benchPair(b, opt)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		r := compare.Compare(od, nd, compare.Options{})
		if err := compare.WriteJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompare2000 aligns and writes JSON for a generated 2,000-point
// pair (about 0.85 MB each), parsing excluded.
func BenchmarkCompare2000(b *testing.B) { benchCompare(b, plangen.Options{Seed: 1, Points: 2000}) }

// BenchmarkCompare10000 does the same at 10,000 points (about 4 MB each).
func BenchmarkCompare10000(b *testing.B) { benchCompare(b, plangen.Options{Seed: 1, Points: 10000}) }

// BenchmarkCompareAdversarial: every point boilerplate and edited, order
// reversed, about 5 MB each.
func BenchmarkCompareAdversarial(b *testing.B) {
	benchCompare(b, plangen.Options{Seed: 1, Adversarial: true})
}

// TestCompareGenerated checks the quality targets on small generated pairs:
// link F1 at least 0.98, move precision and recall at least 0.95, and no
// false change on a point that was only renumbered.
func TestCompareGenerated(t *testing.T) {
	for _, n := range []int{20, 50, 200, 500} {
		for seed := int64(1); seed <= 4; seed++ {
			p := plangen.Generate(plangen.Options{Seed: seed, Points: n})
			od, nd := mustParse(t, string(p.Old)), mustParse(t, string(p.New))
			r := compare.Compare(od, nd, compare.Options{})
			checkCoverage(t, "generated", od, nd, r)
			got := make([]plangen.Link, len(r.Pairs))
			for k, pr := range r.Pairs {
				got[k] = plangen.Link{Op: string(pr.Op), Old: pr.Old, New: pr.New, Moved: pr.Moved, Edited: pr.Edited}
			}
			m := plangen.Evaluate(p.Truth, got)
			if m.LinkF1 < 0.98 || m.MovePrecision < 0.95 || m.MoveRecall < 0.95 || m.FalseChanges > 0 {
				t.Errorf("%d points, seed %d: F1 %.4f, moves P %.3f R %.3f, %d false changes; want F1 ≥ 0.98, moves ≥ 0.95, none",
					n, seed, m.LinkF1, m.MovePrecision, m.MoveRecall, m.FalseChanges)
			}
		}
	}
}
