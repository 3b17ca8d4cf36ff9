package plantext_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/plantext"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenInputs returns the plan texts in testdata.
func goldenInputs(tb testing.TB) []string {
	tb.Helper()
	var names []string
	for _, pattern := range []string{"*.txt", "*.md"} {
		m, err := filepath.Glob(filepath.Join("testdata", pattern))
		if err != nil {
			tb.Fatal(err)
		}
		names = append(names, m...)
	}
	if len(names) == 0 {
		tb.Fatal("no inputs in testdata")
	}
	return names
}

// TestGolden parses each plan in testdata and compares the dumped tree with
// testdata/NAME.golden; go test -update rewrites the golden files.
func TestGolden(t *testing.T) {
	for _, name := range goldenInputs(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := plantext.Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			checkDocument(t, doc, src)
			got := dump(doc)
			golden := name + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("parse of %s differs from %s (go test -update rewrites it):\n%s", name, golden, lineDiff(string(want), got))
			}
		})
	}
}

// TestLineEndings checks that CRLF or CR line ends and a byte order mark
// change the offsets of a golden input but not its tree.
func TestLineEndings(t *testing.T) {
	variants := []struct {
		name string
		conv func(string) string
	}{
		{"CRLF", func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }},
		{"CR", func(s string) string { return strings.ReplaceAll(s, "\n", "\r") }},
		{"BOM", func(s string) string { return "\ufeff" + s }},
		{"BOM+CRLF", func(s string) string { return "\ufeff" + strings.ReplaceAll(s, "\n", "\r\n") }},
	}
	for _, name := range goldenInputs(t) {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		want := treeOf(t, src)
		for _, v := range variants {
			t.Run(filepath.Base(name)+"/"+v.name, func(t *testing.T) {
				in := []byte(v.conv(string(src)))
				if got := treeOf(t, in); got != want {
					t.Errorf("tree differs from the LF version:\n%s", lineDiff(want, got))
				}
			})
		}
	}
}

// treeOf parses src, checks the invariants and dumps what does not depend
// on byte offsets: title, preamble, points, headings and warnings.
func treeOf(t *testing.T, src []byte) string {
	t.Helper()
	doc, err := plantext.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	checkDocument(t, doc, src)
	s := dump(doc)
	return s[:strings.Index(s, "segments:\n")]
}

// lineDiff lists the lines of two texts that differ, for failure messages.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  got  %s\n  want %s\n", i+1, gl, wl)
		}
	}
	return b.String()
}
