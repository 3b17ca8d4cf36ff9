package plantext_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"parley/plantext"
)

// fuzzSnippets are small inputs that exercise the corners of the parser; they
// seed FuzzParse together with the golden inputs in testdata.
var fuzzSnippets = []string{
	"",
	"\n",
	"\r\n\r\n",
	"\ufeff",
	"\ufeff1. x",
	"1.",
	"1. ",
	"-",
	"- ",
	"•",
	"* * *",
	"#",
	"# \n1. x",
	"Title\n1. a\n2. b",
	"\n\n1. a\n\n\n",
	"1. a\r2. b\r\r3. c",
	"1. a\r\n   wrapped\r\n\r\n   para\r\n",
	"h. x\ni. y\n",
	"i. x\nii. y\n",
	"h. x\n   i. y\n   ii. z\n",
	"2. x\n2.1 y\n2.1.1 z\n2.2. w\n",
	"Point 1: a\nPoint 2: b\n",
	"§1 a\n§ 2 b\n",
	"Article I\nArticle II\n",
	"(a) x\n(b) y\n(c)",
	"1 - a\n2 – b\n3 — c",
	"Intro\nwraps in\n2025. more\n",
	"3. The ceasefire takes effect in\n2025. Then more.\n",
	"TERRITORY\n\n1. x\n\nSECURITY\n2. y",
	"## Security\n1. x\n### Sub\n- y",
	"**Bold**\n1. x",
	"*****\n1. x",
	"**ab**::\n\n1. x",
	"1.\u00a0x\u200b y\u2060\n2.\u2003z",
	"\u200b1. x",
	"1. x\n\u200b\n2. y",
	"а) один\nб) два\n",
	"α) ένα\nβ) δύο\n",
	"1. a\n1. b\n1. c\n",
	"1. a\n3. b\n2. c\n",
	"Point 3:\n   (a) x\n   (b) y\n",
	"1)\n2)\n3)",
	"9999. x\n10000. y",
	"1.1.1.1.1.1.1.1.1.1.1.1.1.1 x",
	"x\n\t1. y\n\t\t(a) z\n\t\t\t- w",
	"I. a\n1) x\n2) y\n3) z\n4) w\nII. b\n5) v\n",
	"## A\n21. x\n## B\n22. y",
	"A:\n1. x\n\nB:\n2. y",
	"1. x\n\n   NATO\n2. y",
	"1. x\n\n   more\n(a) y",
	"0) zero\n1) one",
	"\x00",
	"\xff\xfe1\x00.\x00",
	"1\x00.\x00 \x00a\x00",
	"\xc0\xe0\xf2",
}

// FuzzParse checks the invariants of a parsed document on arbitrary input.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSnippets {
		f.Add([]byte(s))
	}
	for _, name := range goldenInputs(f) {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := plantext.Parse(src)
		if err != nil {
			var perr *plantext.Error
			if !errors.As(err, &perr) {
				t.Fatalf("error %v is %T, not *plantext.Error", err, err)
			}
			if utf8.Valid(src) && !strings.ContainsRune(string(src), 0) && !hasUTF16BOM(src) {
				t.Fatalf("valid UTF-8 input gives error %v", err)
			}
			return
		}
		if !utf8.Valid(src) {
			t.Fatalf("invalid UTF-8 input parsed without error")
		}
		checkDocument(t, doc, src)
	})
}

func hasUTF16BOM(src []byte) bool {
	return len(src) >= 2 && (src[0] == 0xFF && src[1] == 0xFE || src[0] == 0xFE && src[1] == 0xFF)
}

// checkDocument fails t if doc breaks an invariant of a parse of src.
func checkDocument(t testing.TB, doc *plantext.Document, src []byte) {
	t.Helper()
	if string(doc.Source) != string(src) {
		t.Fatalf("Source differs from the input")
	}

	// Segments tile the input.
	if len(src) == 0 {
		if len(doc.Segments) != 0 {
			t.Fatalf("empty input: got %d segments, want 0", len(doc.Segments))
		}
	} else if len(doc.Segments) == 0 {
		t.Fatalf("no segments for %d bytes of input", len(src))
	}
	pos := 0
	pointSegs := make(map[*plantext.Point]int)
	headingSegs := make(map[*plantext.Heading]int)
	var segPoints []*plantext.Point
	for k, s := range doc.Segments {
		if s.Start != pos {
			t.Fatalf("segment %d (%s) starts at %d, want %d", k, s.Kind, s.Start, pos)
		}
		if s.End <= s.Start {
			t.Fatalf("segment %d (%s) is empty or reversed: %d-%d", k, s.Kind, s.Start, s.End)
		}
		pos = s.End
		switch s.Kind {
		case plantext.SegPoint:
			if s.Point == nil || s.Heading != nil {
				t.Fatalf("point segment %d: Point %v, Heading %v", k, s.Point, s.Heading)
			}
			pointSegs[s.Point]++
			segPoints = append(segPoints, s.Point)
			if s.Point.Start != s.Start || s.Point.End != s.End {
				t.Errorf("point %s spans %d-%d, its segment %d-%d", s.Point.ID, s.Point.Start, s.Point.End, s.Start, s.End)
			}
		case plantext.SegHeading:
			if s.Heading == nil || s.Point != nil {
				t.Fatalf("heading segment %d: Point %v, Heading %v", k, s.Point, s.Heading)
			}
			headingSegs[s.Heading]++
			if s.Heading.Start != s.Start || s.Heading.End != s.End {
				t.Errorf("heading %q spans %d-%d, its segment %d-%d", s.Heading.Text, s.Heading.Start, s.Heading.End, s.Start, s.End)
			}
		default:
			if s.Point != nil || s.Heading != nil {
				t.Fatalf("%s segment %d has a point or heading", s.Kind, k)
			}
		}
	}
	if pos != len(src) {
		t.Fatalf("segments end at %d, want %d", pos, len(src))
	}
	for _, h := range doc.Headings {
		if n := headingSegs[h]; n != 1 {
			t.Errorf("heading %q (line %d) is in %d segments, want 1", h.Text, h.Line, n)
		}
	}
	if len(headingSegs) != len(doc.Headings) {
		t.Errorf("got %d heading segments, want %d", len(headingSegs), len(doc.Headings))
	}

	// Points: one segment each, in pre-order; tree links; positions; text.
	all := doc.All()
	if len(segPoints) != len(all) {
		t.Fatalf("got %d point segments, want %d (one per point)", len(segPoints), len(all))
	}
	lineStarts := lineStarts(src)
	ids := make(map[string]*plantext.Point)
	for k, p := range all {
		if segPoints[k] != p {
			t.Fatalf("point segment %d is %s, want %s (pre-order)", k, segPoints[k].ID, p.ID)
		}
		if n := pointSegs[p]; n != 1 {
			t.Errorf("point %s is in %d segments, want 1", p.ID, n)
		}
		if q, dup := ids[p.ID]; dup {
			t.Errorf("ID %q is used by the points on lines %d and %d", p.ID, q.Line, p.Line)
		}
		ids[p.ID] = p
		checkTree(t, p)
		checkPosition(t, p, src, lineStarts)
		checkText(t, "point "+p.ID, p.Text)
	}
	checkText(t, "preamble", doc.Preamble)
	for _, w := range doc.Warnings {
		if w.Line < 1 || w.Line > len(lineStarts) || w.Col < 1 || w.Msg == "" {
			t.Errorf("bad warning %v", w)
		}
	}
	if doc.Title != plantext.Normalize(doc.Title) {
		t.Errorf("title %q is not one normalised line", doc.Title)
	}
	for _, h := range doc.Headings {
		if h.Text != plantext.Normalize(h.Text) || h.Level < 1 || h.Level > 6 {
			t.Errorf("heading on line %d: text %q level %d", h.Line, h.Text, h.Level)
		}
	}
}

// checkTree checks a point's links and derived fields.
func checkTree(t testing.TB, p *plantext.Point) {
	t.Helper()
	wantID, wantDepth := p.Key, 0
	if p.Parent != nil {
		wantID, wantDepth = p.Parent.ID+"."+p.Key, p.Parent.Depth+1
		found := 0
		for _, c := range p.Parent.Children {
			if c == p {
				found++
			}
		}
		if found != 1 {
			t.Errorf("point %s appears %d times among its parent's children, want 1", p.ID, found)
		}
	}
	if p.ID != wantID || p.Depth != wantDepth {
		t.Errorf("point %s: got ID %q depth %d, want %q depth %d", p.ID, p.ID, p.Depth, wantID, wantDepth)
	}
	if p.Key == "" || strings.ContainsAny(p.Key, ". \t\n") {
		t.Errorf("point %s: bad key %q", p.ID, p.Key)
	}
	for _, c := range p.Children {
		if c.Parent != p {
			t.Errorf("point %s: child %s has parent %v", p.ID, c.ID, c.Parent)
		}
	}
	if p.Style.Kind == plantext.KindBullet && p.Ordinal != 0 || p.Style.Kind != plantext.KindBullet && p.Style.Kind != plantext.KindNumber && p.Ordinal < 1 {
		t.Errorf("point %s: style %s with ordinal %d", p.ID, p.Style, p.Ordinal)
	}
}

// checkPosition checks a point's offsets and that its label, found at its
// line and column, is exactly what lies between the label and TextStart.
func checkPosition(t testing.TB, p *plantext.Point, src []byte, lineStarts []int) {
	t.Helper()
	if !(0 <= p.Start && p.Start <= p.TextStart && p.TextStart <= p.End && p.End <= len(src)) {
		t.Fatalf("point %s: offsets Start %d TextStart %d End %d out of order (input %d bytes)", p.ID, p.Start, p.TextStart, p.End, len(src))
	}
	if p.Line < 1 || p.Line > len(lineStarts) || p.Col < 1 {
		t.Fatalf("point %s: bad position line %d column %d", p.ID, p.Line, p.Col)
	}
	off := lineStarts[p.Line-1]
	if p.Line == 1 && strings.HasPrefix(string(src), "\ufeff") {
		off += 3 // the column does not count the BOM
	}
	for range p.Col - 1 {
		_, n := utf8.DecodeRune(src[off:])
		off += n
	}
	if off < p.Start || off >= p.End {
		t.Fatalf("point %s: label at line %d column %d (offset %d) lies outside its bytes %d-%d", p.ID, p.Line, p.Col, off, p.Start, p.End)
	}
	if p.Label == "" || !bytes.HasPrefix(src[off:], []byte(p.Label)) {
		t.Fatalf("point %s: label %q is not at line %d column %d: %q", p.ID, p.Label, p.Line, p.Col, clip(src[off:]))
	}
	if gap := string(src[off+len(p.Label) : p.TextStart]); strings.TrimFunc(gap, isLayoutSpace) != "" {
		t.Errorf("point %s: %q lies between the label %q and the text", p.ID, gap, p.Label)
	}
	if strings.TrimFunc(p.Label, isLayoutSpace) != p.Label {
		t.Errorf("point %s: label %q has surrounding space", p.ID, p.Label)
	}
	// The text is the point's own bytes after the label, normalised: it
	// starts with the label only if the source repeats it.
	own := plantext.Normalize(string(src[p.TextStart:p.End]))
	if text := strings.ReplaceAll(p.Text, "\n\n", " "); text != own {
		t.Errorf("point %s: text %q, want the normalised bytes after the label %q", p.ID, p.Text, own)
	}
}

// checkText checks that s is normalised text: paragraphs separated by one
// blank line, no other line breaks, no surrounding or repeated space.
func checkText(t testing.TB, what, s string) {
	t.Helper()
	if s == "" {
		return
	}
	for _, para := range strings.Split(s, "\n\n") {
		if para == "" || para != plantext.Normalize(para) || strings.ContainsAny(para, "\r\n") {
			t.Errorf("%s: text %q is not normalised (paragraph %q)", what, s, para)
			return
		}
	}
}

func isLayoutSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\u2060' || r == '\ufeff'
}

// lineStarts returns the offset of the start of every line, with "\n",
// "\r\n" and a lone "\r" as line ends.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			fallthrough
		case '\n':
			if i+1 < len(src) {
				starts = append(starts, i+1)
			}
		}
	}
	return starts
}

func clip(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}
