package compare_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/compare"
	"parley/plantext"
)

// FuzzCompare checks that the aligner accounts for every point of both
// versions exactly once, and that change offsets lie inside the texts, on
// any pair of parseable inputs.
func FuzzCompare(f *testing.F) {
	files, _ := filepath.Glob("../examples/*.txt")
	var texts []string
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err == nil {
			texts = append(texts, string(b))
		}
	}
	// The opening of each case plan against the others. Whole plans are
	// compared in TestCompareCoversEveryPoint; as seeds they would stall
	// the fuzzer, which spends its time minimising large inputs.
	for _, a := range texts {
		for _, b := range texts {
			f.Add(a[:min(len(a), 700)], b[:min(len(b), 700)])
		}
	}
	f.Add(plan(sov, nonag, nato), plan(nato, sov, nonag))
	f.Add(plan(sov, dnipr+" "+grain), plan(sov, dnipr, grain))
	f.Add("1. a\n1. a\n1. a\n", "1. a\n2. a\n")
	f.Add("- x y z\n- x y z w\n", "* x y z w\n* x y z\n")
	f.Add("1. Ukraine\u00a0600\u00a0000\n  a) é\u0301\n", "1. Украина 600 000\n  b) ε\n")
	f.Fuzz(func(t *testing.T, old, new string) {
		od, err := plantext.Parse([]byte(old))
		if err != nil {
			return
		}
		nd, err := plantext.Parse([]byte(new))
		if err != nil {
			return
		}
		r := compare.Compare(od, nd, compare.Options{})
		checkCoverage(t, "fuzz", od, nd, r)
		oldText, newText := map[string]string{}, map[string]string{}
		for _, p := range od.All() {
			oldText[p.ID] = p.Text
		}
		for _, p := range nd.All() {
			newText[p.ID] = p.Text
		}
		for _, p := range r.Pairs {
			var ot, nt []string
			for _, id := range p.Old {
				ot = append(ot, oldText[id])
			}
			for _, id := range p.New {
				nt = append(nt, newText[id])
			}
			o, n := strings.Join(ot, "\n"), strings.Join(nt, "\n")
			if p.Similarity < 0 || p.Similarity > 1 {
				t.Errorf("%s: similarity %v out of [0,1]", linkString(p), p.Similarity)
			}
			if (o != n) != p.Edited && len(p.Old) > 0 && len(p.New) > 0 {
				t.Errorf("%s: edited=%v but texts %q and %q", linkString(p), p.Edited, o, n)
			}
			for _, c := range p.Changes {
				if c.OldAt < 0 || c.OldAt > c.OldEnd || c.OldEnd > len(o) || c.NewAt < 0 || c.NewAt > c.NewEnd || c.NewEnd > len(n) {
					t.Fatalf("%s: change %+v out of bounds (%d, %d)", linkString(p), c, len(o), len(n))
				}
				if o[c.OldAt:c.OldEnd] != c.Old || n[c.NewAt:c.NewEnd] != c.New {
					t.Errorf("%s: change %+v does not match its offsets", linkString(p), c)
				}
			}
		}
	})
}
