package compare_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"parley/compare"
	"parley/plantext"
)

// mustParse parses a plan text or fails the test.
func mustParse(tb testing.TB, src string) *plantext.Document {
	tb.Helper()
	d, err := plantext.Parse([]byte(src))
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	return d
}

// mustCompare parses two texts and compares them.
func mustCompare(tb testing.TB, old, new string) *compare.Report {
	tb.Helper()
	return compare.Compare(mustParse(tb, old), mustParse(tb, new), compare.Options{})
}

// linkString writes a pair as "op old->new", e.g. "split 12->8+9".
func linkString(p compare.Pair) string {
	return fmt.Sprintf("%s %s->%s", p.Op, strings.Join(p.Old, "+"), strings.Join(p.New, "+"))
}

func links(r *compare.Report) []string {
	out := make([]string, len(r.Pairs))
	for k, p := range r.Pairs {
		out[k] = linkString(p)
	}
	return out
}

// plan writes numbered points, one per line.
func plan(points ...string) string {
	var b strings.Builder
	b.WriteString("A plan\n\n")
	for k, p := range points {
		fmt.Fprintf(&b, "%d. %s\n", k+1, p)
	}
	return b.String()
}

var (
	sov   = "The sovereignty of Ukraine is confirmed by all signatories."
	nonag = "Russia, Ukraine and Europe conclude a comprehensive agreement of non-aggression."
	nato  = "Russia is expected not to invade its neighbours and NATO does not expand further."
	army  = "The armed forces of Ukraine are limited to 600,000 personnel."
	army2 = "The armed forces of Ukraine are limited to 800,000 personnel."
	jets  = "European fighter aircraft are based in Poland under a separate arrangement."
	elect = "Ukraine holds general elections within 100 days of the signature."
	amn   = "Every party to the conflict receives a full amnesty for its actions during the war."
	dnipr = "Russia does not prevent Ukraine from using the Dnipro river for commerce."
	grain = "Grain is shipped freely across the Black Sea under international monitoring."
)

func TestCompareOps(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"identical", plan(sov, nonag, nato), plan(sov, nonag, nato),
			[]string{"unchanged 1->1", "unchanged 2->2", "unchanged 3->3"}},
		{"dropped and renumbered", plan(sov, nonag, nato, army), plan(sov, nato, army),
			[]string{"unchanged 1->1", "dropped 2->", "renumbered 3->2", "renumbered 4->3"}},
		{"added", plan(sov, nato), plan(sov, jets, nato),
			[]string{"unchanged 1->1", "added ->2", "renumbered 2->3"}},
		{"edited number", plan(sov, army, nato), plan(sov, army2, nato),
			[]string{"unchanged 1->1", "edited 2->2", "unchanged 3->3"}},
		{"moved", plan(sov, nonag, nato, army, jets, elect, amn), plan(sov, amn, nonag, nato, army, jets, elect),
			[]string{"unchanged 1->1", "moved 7->2", "renumbered 2->3", "renumbered 3->4", "renumbered 4->5", "renumbered 5->6", "renumbered 6->7"}},
		{"merged", plan(sov, dnipr, grain, elect), plan(sov, dnipr+" "+grain, elect),
			[]string{"unchanged 1->1", "merged 2+3->2", "renumbered 4->3"}},
		{"split", plan(sov, dnipr+" "+grain, elect), plan(sov, dnipr, grain, elect),
			[]string{"unchanged 1->1", "split 2->2+3", "renumbered 3->4"}},
		{"replaced by something else", plan(sov, elect, nato), plan(sov, "Territorial talks start from the current line of contact.", nato),
			[]string{"unchanged 1->1", "dropped 2->", "added ->2", "unchanged 3->3"}},
		{"label style only", "1. " + sov + "\n2. " + nato + "\n", "Point 1: " + sov + "\nPoint 2: " + nato + "\n",
			[]string{"unchanged 1->1", "unchanged 2->2"}},
		{"sub-point promoted", "1. Terms:\n   a) " + jets + "\n   b) " + elect + "\n2. " + nato + "\n",
			"1. Terms:\n   a) " + jets + "\n2. " + elect + "\n3. " + nato + "\n",
			[]string{"unchanged 1->1", "unchanged 1.a->1.a", "moved 1.b->2", "renumbered 2->3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustCompare(t, tt.old, tt.new)
			if got := links(r); !slices.Equal(got, tt.want) {
				t.Errorf("got links\n  %v\nwant\n  %v", got, tt.want)
			}
		})
	}
}

func TestCompareNumberChange(t *testing.T) {
	r := mustCompare(t, plan(sov, army), plan(sov, army2))
	p := r.Pairs[1]
	if len(p.Changes) != 1 {
		t.Fatalf("got %d changes, want 1: %+v", len(p.Changes), p.Changes)
	}
	c := p.Changes[0]
	if c.Kind != "replace" || c.Old != "600,000" || c.New != "800,000" || !c.Number {
		t.Errorf("got change %+v, want replace 600,000 → 800,000 flagged as a number", c)
	}
	if got := army[c.OldAt:c.OldEnd]; got != "600,000" {
		t.Errorf("old offsets point at %q, want 600,000", got)
	}
	if got := r.Summary.NumberChanges; got != 1 {
		t.Errorf("got %d number changes, want 1", got)
	}
	if r.Summary.Identical {
		t.Error("report says identical for an edited plan")
	}
}

func TestCompareWordChangesRebuildText(t *testing.T) {
	old := "The United States receives compensation for the guarantee, within 100 days."
	new := "The US receives full compensation for its guarantee within 90 days!"
	r := mustCompare(t, "1. "+old+"\n", "1. "+new+"\n")
	p := r.Pairs[0]
	// Applying the changes to the old text must give the new text, up to
	// whitespace between tokens.
	var b strings.Builder
	at := 0
	for _, c := range p.Changes {
		b.WriteString(old[at:c.OldAt])
		b.WriteString(" " + c.New + " ")
		at = c.OldEnd
	}
	b.WriteString(old[at:])
	if got, want := strings.Join(strings.Fields(b.String()), ""), strings.Join(strings.Fields(new), ""); got != want {
		t.Errorf("applying changes gives\n  %q\nwant\n  %q", got, want)
	}
}

func TestCompareSummary(t *testing.T) {
	r := mustCompare(t, plan(sov, nonag, nato), plan(sov, nato, jets))
	want := map[compare.Op]int{compare.Unchanged: 1, compare.Renumbered: 1, compare.Dropped: 1, compare.Added: 1}
	for _, op := range compare.Ops {
		if got := r.Summary.Counts[op]; got != want[op] {
			t.Errorf("count of %s: got %d, want %d", op, got, want[op])
		}
	}
	if r.Summary.OldPoints != 3 || r.Summary.NewPoints != 3 {
		t.Errorf("got %d → %d points, want 3 → 3", r.Summary.OldPoints, r.Summary.NewPoints)
	}
}

func TestCompareHeadingChange(t *testing.T) {
	old := "Plan\n\n## Security\n\n1. " + sov + "\n2. " + nato + "\n"
	new := "Plan\n\n## Security\n\n1. " + sov + "\n\n## Guarantees\n\n2. " + nato + "\n"
	r := mustCompare(t, old, new)
	p := r.Pairs[1]
	if p.Op != compare.Unchanged || p.OldHeading != "Security" || p.NewHeading != "Guarantees" {
		t.Errorf("got %s with heading %q → %q, want unchanged with Security → Guarantees", p.Op, p.OldHeading, p.NewHeading)
	}
	if r.Summary.Identical || r.Summary.HeadingChanges != 1 {
		t.Errorf("got identical=%v heading changes=%d, want false and 1", r.Summary.Identical, r.Summary.HeadingChanges)
	}
}

// TestCompareCase28To20 compares the US 28-point plan with the 20-point
// framework and checks the correspondence reported by the press (28 → 20:
// 1→1, 2→2, 5→3, 6→4, 16→6, 11→7, 12→8+9, 18→11 ... 28→20; ten dropped).
func TestCompareCase28To20(t *testing.T) {
	old, err := os.ReadFile("../examples/us-28-points.txt")
	if err != nil {
		t.Fatal(err)
	}
	new, err := os.ReadFile("../examples/framework-20-points.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := mustCompare(t, string(old), string(new))
	got := make(map[string]compare.Pair)
	for _, p := range r.Pairs {
		for _, id := range p.Old {
			got[id] = p
		}
	}
	for _, w := range []struct{ old, new string }{
		{"1", "1"}, {"2", "2"}, {"5", "3"}, {"6", "4"}, {"16", "6"}, {"11", "7"}, {"12", "8+9"},
		{"18", "11"}, {"19", "12"}, {"20", "13"}, {"21", "14"}, {"22", "15"}, {"23", "16"},
		{"24", "17"}, {"25", "18"}, {"27", "19"}, {"28", "20"},
	} {
		if g := strings.Join(got[w.old].New, "+"); g != w.new {
			t.Errorf("old point %s: got → %q (%s), want → %s", w.old, g, got[w.old].Op, w.new)
		}
	}
	for _, id := range []string{"3", "4", "7", "8", "9", "13", "14", "15", "17", "26"} {
		if p := got[id]; p.Op != compare.Dropped {
			t.Errorf("old point %s: got %s, want dropped", id, linkString(p))
		}
	}
	if p := got["12"]; p.Op != compare.Split {
		t.Errorf("old point 12: got %s, want split", p.Op)
	}
	if p := got["16"]; p.Op != compare.Moved {
		t.Errorf("old point 16: got %s, want moved", p.Op)
	}
}

// TestCompareCoversEveryPoint checks on the case files that every point of
// both versions appears in exactly one pair.
func TestCompareCoversEveryPoint(t *testing.T) {
	files := []string{"us-28-points.txt", "e3-counter-proposal.txt", "framework-20-points.txt"}
	for _, a := range files {
		for _, b := range files {
			oldSrc, err := os.ReadFile("../examples/" + a)
			if err != nil {
				t.Fatal(err)
			}
			newSrc, err := os.ReadFile("../examples/" + b)
			if err != nil {
				t.Fatal(err)
			}
			od, nd := mustParse(t, string(oldSrc)), mustParse(t, string(newSrc))
			r := compare.Compare(od, nd, compare.Options{})
			checkCoverage(t, a+"→"+b, od, nd, r)
			if a == b && !r.Summary.Identical {
				t.Errorf("%s against itself: not identical", a)
			}
		}
	}
}

// checkCoverage fails unless every old and new point ID occurs in exactly
// one pair, with the op matching the sides present.
func checkCoverage(tb testing.TB, name string, od, nd *plantext.Document, r *compare.Report) {
	tb.Helper()
	seenOld, seenNew := map[string]int{}, map[string]int{}
	for _, p := range r.Pairs {
		for _, id := range p.Old {
			seenOld[id]++
		}
		for _, id := range p.New {
			seenNew[id]++
		}
		switch {
		case len(p.Old) == 0 && p.Op != compare.Added, len(p.New) == 0 && p.Op != compare.Dropped:
			tb.Errorf("%s: %s has an empty side", name, linkString(p))
		case len(p.Old) > 1 && p.Op != compare.Merged, len(p.New) > 1 && p.Op != compare.Split:
			tb.Errorf("%s: %s groups several points", name, linkString(p))
		}
	}
	for _, pt := range od.All() {
		if seenOld[pt.ID] != 1 {
			tb.Errorf("%s: old point %s is in %d pairs, want 1", name, pt.ID, seenOld[pt.ID])
		}
	}
	for _, pt := range nd.All() {
		if seenNew[pt.ID] != 1 {
			tb.Errorf("%s: new point %s is in %d pairs, want 1", name, pt.ID, seenNew[pt.ID])
		}
	}
}

func TestCompareNumberFlags(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     bool
	}{
		{"amount", "Europe adds 100 billion dollars.", "Europe adds 200 billion dollars.", true},
		{"date", "Talks resume on 3 May.", "Talks resume on 3 June.", true},
		{"month name", "Elections are held in May.", "Elections are held in June.", true},
		{"modal verb", "Ukraine may become a member.", "Ukraine becomes a member.", false},
		{"word", "Europe is consulted.", "NATO is consulted.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustCompare(t, "1. "+tt.old+"\n", "1. "+tt.new+"\n")
			got := false
			for _, c := range r.Pairs[0].Changes {
				got = got || c.Number
			}
			if got != tt.want {
				t.Errorf("number flag: got %v, want %v (changes %+v)", got, tt.want, r.Pairs[0].Changes)
			}
		})
	}
}

// TestReportsNeutraliseControlCharacters checks that terminal control
// sequences in point text reach neither the text view nor Markdown.
func TestReportsNeutraliseControlCharacters(t *testing.T) {
	r := mustCompare(t, "1. Hello world.\n", "1. Hello \x1b]0;pwned\x07 \x1b[2J world.\n")
	var text, md strings.Builder
	if err := compare.WriteText(&text, r, compare.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := compare.WriteMarkdown(&md, r, compare.Names{}); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String()} {
		if strings.ContainsAny(out, "\x1b\x07") {
			t.Errorf("%s report contains raw control characters: %q", name, out)
		}
		if !strings.Contains(out, "␛") {
			t.Errorf("%s report does not show the escape character as ␛: %q", name, out)
		}
	}
}
