package plantext_test

import (
	"fmt"
	"strings"
	"testing"

	"parley/plantext"
)

// benchPlan builds a plan of about 1 MB: 2,000 numbered points under
// headings, each wrapped over several lines, every fifth with four lettered
// sub-points and every seventh with bullets and a second paragraph.
func benchPlan() []byte {
	var b strings.Builder
	b.WriteString("# A long framework agreement\n\nGenerated for benchmarks: the parties agree\non the points below.\n\n")
	for n := 1; n <= 2000; n++ {
		if n%100 == 1 {
			fmt.Fprintf(&b, "## Chapter %d\n\n", n/100+1)
		}
		fmt.Fprintf(&b, "%d. The parties to the agreement confirm provision %d, which concerns the\n", n, n)
		b.WriteString("   line of contact, the exchange of prisoners, the return of civilians and\n")
		b.WriteString("   the monitoring of the ceasefire by an international mission, and they\n")
		b.WriteString("   undertake to implement it in good faith within the agreed time, under\n")
		b.WriteString("   the supervision of the joint commission that the agreement sets up.\n")
		if n%7 == 0 {
			b.WriteString("\n   Ukrainian: Сторони підтверджують це положення; Greek: Τα μέρη συμφωνούν.\n")
			b.WriteString("   • a first bulleted remark on the provision;\n   • a second remark.\n")
		}
		if n%5 == 0 {
			for _, l := range "abcd" {
				fmt.Fprintf(&b, "   (%c) a sub-provision that details how provision %d is carried out, who\n       verifies it and when the verification report is due;\n", l, n)
			}
		}
	}
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	src := benchPlan()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := plantext.Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchPlan checks that the benchmark input parses as intended.
func TestBenchPlan(t *testing.T) {
	src := benchPlan()
	if len(src) < 900_000 || len(src) > 1_200_000 {
		t.Errorf("benchmark plan is %d bytes, want about 1 MB", len(src))
	}
	doc := mustParse(t, string(src))
	if got, want := len(doc.Points), 2000; got != want {
		t.Errorf("got %d top-level points, want %d", got, want)
	}
	if got, want := len(doc.All()), 2000+400*4+285*2; got != want {
		t.Errorf("got %d points in all, want %d", got, want)
	}
	if len(doc.Warnings) != 0 {
		t.Errorf("got %d warnings, want none; first: %v", len(doc.Warnings), doc.Warnings[0])
	}
}
