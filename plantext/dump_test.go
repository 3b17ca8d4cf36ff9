package plantext_test

import (
	"fmt"
	"strings"

	"parley/plantext"
)

// dump renders a parsed document in a readable, stable text form for golden
// files and failure messages.
func dump(doc *plantext.Document) string {
	var b strings.Builder
	if doc.Title != "" {
		fmt.Fprintf(&b, "title: %q\n", doc.Title)
	}
	if doc.Preamble != "" {
		fmt.Fprintf(&b, "preamble: %q\n", doc.Preamble)
	}
	var heading string
	var walk func(ps []*plantext.Point)
	walk = func(ps []*plantext.Point) {
		for _, p := range ps {
			if p.Depth == 0 && p.Heading != heading {
				heading = p.Heading
				fmt.Fprintf(&b, "# %s\n", heading)
			}
			indent := strings.Repeat("  ", p.Depth)
			fmt.Fprintf(&b, "%s%s  label=%q style=%s ord=%d line=%d col=%d\n", indent, p.ID, p.Label, p.Style, p.Ordinal, p.Line, p.Col)
			for _, para := range strings.Split(p.Text, "\n\n") {
				fmt.Fprintf(&b, "%s  | %s\n", indent, para)
			}
			walk(p.Children)
		}
	}
	walk(doc.Points)
	if len(doc.Headings) > 0 {
		b.WriteString("headings:\n")
		for _, h := range doc.Headings {
			fmt.Fprintf(&b, "  line %d level %d: %q\n", h.Line, h.Level, h.Text)
		}
	}
	if len(doc.Warnings) > 0 {
		b.WriteString("warnings:\n")
		for _, w := range doc.Warnings {
			fmt.Fprintf(&b, "  %s\n", w)
		}
	}
	b.WriteString("segments:\n")
	for _, s := range doc.Segments {
		fmt.Fprintf(&b, "  %d-%d %s", s.Start, s.End, s.Kind)
		switch {
		case s.Point != nil:
			fmt.Fprintf(&b, " %s", s.Point.ID)
		case s.Heading != nil:
			fmt.Fprintf(&b, " %q", s.Heading.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
