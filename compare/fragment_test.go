package compare_test

import (
	"bytes"
	"strings"
	"testing"

	"parley/compare"
)

// TestWriteHTMLFragment checks that the fragment is the body of the page
// WriteHTML writes, to the byte, so that both look alike, and that it
// links point IDs when asked.
func TestWriteHTMLFragment(t *testing.T) {
	r := renderSample(t)
	names := compare.Names{OldName: "old.txt", NewName: "new.txt"}
	var page, frag bytes.Buffer
	if err := compare.WriteHTML(&page, r, names); err != nil {
		t.Fatal(err)
	}
	if err := compare.WriteHTMLFragment(&frag, r, compare.FragmentOptions{Names: names}); err != nil {
		t.Fatal(err)
	}
	_, main, ok := strings.Cut(page.String(), "<main>\n")
	main, _, ok2 := strings.Cut(main, "\n</main>")
	if !ok || !ok2 {
		t.Fatalf("the page has no <main>")
	}
	if frag.String() != main {
		t.Errorf("the fragment is not the body of the page:\ngot:\n%s\nwant:\n%s", frag.String(), main)
	}
	for _, unwanted := range []string{"<html", "<style", "<script", "<head"} {
		if strings.Contains(frag.String(), unwanted) {
			t.Errorf("the fragment holds %s", unwanted)
		}
	}
	if !strings.Contains(page.String(), compare.HTMLStyle()) {
		t.Errorf("the page does not use HTMLStyle")
	}

	frag.Reset()
	opt := compare.FragmentOptions{Names: names,
		OldLink: func(id string) string { return "/old#p-" + id },
		NewLink: func(id string) string { return "/new?x=<&>#p-" + id }}
	if err := compare.WriteHTMLFragment(&frag, r, opt); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<a class="id" href="/old#p-2">2</a>`, `<a class="id" href="/new?x=%3c&amp;%3e#p-2">2</a>`} {
		if !strings.Contains(frag.String(), want) {
			t.Errorf("the fragment lacks %s", want)
		}
	}
	if strings.Contains(frag.String(), `<span class="id">`) {
		t.Errorf("a point ID is not linked")
	}
}

// TestWordDiff checks the changes of WordDiff against the two texts:
// each change holds the words at its offsets, and the text between
// changes is the same on both sides.
func TestWordDiff(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		want           []string // "kind old→new"
	}{
		{"number", "The armed forces are limited to 600,000 personnel.", "The armed forces are kept at 800,000 personnel in peacetime.",
			[]string{"replace limited to 600,000→kept at 800,000", "insert →in peacetime"}},
		{"same", "No change at all.", "No change at all.", nil},
		{"delete", "Russia and Ukraine agree.", "Russia agrees.", []string{"replace and Ukraine agree→agrees"}},
		{"from nothing", "", "A new point.", []string{"insert →A new point."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changes, complete := compare.WordDiff(tc.old, tc.new)
			if !complete {
				t.Errorf("the diff of two short texts reached its effort cap")
			}
			var got []string
			x, y := 0, 0
			for _, c := range changes {
				got = append(got, c.Kind+" "+c.Old+"→"+c.New)
				if tc.old[c.OldAt:c.OldEnd] != c.Old || tc.new[c.NewAt:c.NewEnd] != c.New {
					t.Errorf("change %+v does not hold the words at its offsets", c)
				}
				if strings.TrimSpace(tc.old[x:c.OldAt]) != strings.TrimSpace(tc.new[y:c.NewAt]) {
					t.Errorf("before %+v: %q and %q differ", c, tc.old[x:c.OldAt], tc.new[y:c.NewAt])
				}
				x, y = c.OldEnd, c.NewEnd
			}
			if strings.TrimSpace(tc.old[x:]) != strings.TrimSpace(tc.new[y:]) {
				t.Errorf("the ends %q and %q differ", tc.old[x:], tc.new[y:])
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if len(changes) > 0 && tc.name == "number" && !changes[0].Number {
				t.Errorf("the change of 600,000 is not flagged as a number")
			}
		})
	}
}
