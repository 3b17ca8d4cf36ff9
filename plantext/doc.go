// Package plantext parses the text of a plan (plain text or Markdown) into a
// tree of numbered points.
//
// Peace plans circulate as numbered lists: "1.", "Point 1:", "Article 1",
// "(a)", "iv)", bullets. The parser recognises those labels, nests points by
// label kind and by indentation, joins wrapped and multi-paragraph points,
// separates the title, the preamble and group headings ("## Security",
// "TERRITORY", "Economy:") from the points, and keeps the byte offsets of
// everything: every byte of the input belongs to exactly one segment (the
// title, the preamble, a heading or a point).
//
// The label is an attribute of a point, never part of its text. A point's ID
// is its label path with labels normalised and lower-cased ("10.b" for point
// 10, sub-point (b)); an unlabelled point such as a bullet is "#k", its
// 1-based position among its siblings ("#3", "10.#2"). When a label repeats
// among siblings, its second occurrence is "3~2", the third "3~3".
//
// The package is pure: it does no I/O and keeps no state between calls.
package plantext

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Document is a parsed plan text.
type Document struct {
	// Source is the input exactly as given, BOM and line endings included.
	Source []byte
	// Title is the first line of the document when it stands alone before the
	// first point, with Markdown heading marks removed; empty if none. A
	// first line in the form of a group heading that is directly followed by
	// a point, and later by another heading of the same form, is the heading
	// of the first group, not the title.
	Title string
	// Preamble is the normalised text between the title and the first point
	// that is not a heading; paragraphs are separated by a blank line.
	Preamble string
	// Points are the top-level points in document order.
	Points []*Point
	// Headings are the group headings in document order.
	Headings []*Heading
	// Segments cover Source without gap or overlap, in order.
	Segments []Segment
	// Warnings report suspicious numbering, in document order.
	Warnings []Warning
}

// Point is one numbered (or bulleted) provision of a plan.
type Point struct {
	// ID is the normalised label path, unique in the document ("10.b", "#3").
	ID string
	// Key is the normalised label of this point alone ("10", "b", "#3").
	Key string
	// Label is the label as written, without surrounding space ("10.", "(b)",
	// "Point 3:", "•").
	Label string
	// tok is the label's number, letter or numeral, for building IDs.
	tok string
	// Style is the kind and decoration of the label.
	Style Style
	// Ordinal is the position the label denotes (3 for "3.", "c)" and
	// "iii."), or 0 for bullets.
	Ordinal int
	// Text is the point's own text without its label and without its
	// sub-points: lines joined by single spaces, whitespace normalised,
	// paragraphs separated by "\n\n".
	Text string
	// Heading is the text of the group heading the point falls under, or "".
	Heading string
	// Start and End delimit the point's own bytes in the source: its label
	// line, continuation lines and trailing blank lines (and the blank lines
	// that open the document, for a first point), but not its sub-points,
	// which follow.
	Start, End int
	// TextStart is the offset of the first byte of text after the label.
	TextStart int
	// Line and Col give the 1-based position of the label (Col counts
	// characters).
	Line, Col int
	// Depth is 0 for top-level points.
	Depth int
	// Parent is nil for top-level points.
	Parent *Point
	// Children are the sub-points in order.
	Children []*Point
}

// Heading is a group heading: a Markdown "#" line, an all-capitals line, a
// bold line or a short line ending in a colon, standing before points.
type Heading struct {
	Text       string
	Level      int // Markdown level; 1 for other heading forms
	Start, End int
	Line       int
}

// Style describes a label: its kind and how it is decorated.
type Style struct {
	Kind Kind
	// Deco is the decoration around the label: ".", ")", "()", "-", ":",
	// "", or a lower-cased keyword such as "point", "article" or "§".
	Deco string
	// Bullet is the bullet character for KindBullet.
	Bullet rune
	// Levels is the number of components of a multi-level number such as
	// "2.1.3" (1 for plain labels).
	Levels int
}

// String returns a sample label in this style, such as "1.", "(a)",
// "Point 1", "§ 1" or "•".
func (s Style) String() string {
	var tok string
	switch s.Kind {
	case KindBullet:
		return string(s.Bullet)
	case KindNumber:
		tok = "1"
		for i := 1; i < s.Levels; i++ {
			tok += ".1"
		}
	case KindLower:
		tok = "a"
	case KindUpper:
		tok = "A"
	case KindRomanLower:
		tok = "i"
	case KindRomanUpper:
		tok = "I"
	}
	switch s.Deco {
	case "()":
		return "(" + tok + ")"
	case "-":
		return tok + " -"
	case "":
		return tok
	case ".", ")", ":":
		return tok + s.Deco
	default:
		r, n := utf8.DecodeRuneInString(s.Deco)
		return string(unicode.ToTitle(r)) + s.Deco[n:] + " " + tok
	}
}

// Kind is the kind of a label.
type Kind uint8

// The label kinds.
const (
	KindBullet     Kind = iota // •, -, *, →, –
	KindNumber                 // 1, 2, 3 (and 2.1, 2.1.3)
	KindLower                  // a, b, c
	KindUpper                  // A, B, C
	KindRomanLower             // i, ii, iii
	KindRomanUpper             // I, II, III
)

// SegmentKind tells what a segment of the source holds.
type SegmentKind uint8

// The segment kinds.
const (
	SegTitle SegmentKind = iota
	SegPreamble
	SegHeading
	SegPoint
)

// String names the kind: "title", "preamble", "heading" or "point".
func (k SegmentKind) String() string {
	switch k {
	case SegTitle:
		return "title"
	case SegPreamble:
		return "preamble"
	case SegHeading:
		return "heading"
	case SegPoint:
		return "point"
	}
	return fmt.Sprintf("SegmentKind(%d)", k)
}

// Segment is a run of source bytes owned by one part of the document.
type Segment struct {
	Kind       SegmentKind
	Start, End int
	Point      *Point   // for SegPoint
	Heading    *Heading // for SegHeading
}

// Warning reports a suspicious feature of the numbering.
type Warning struct {
	Line, Col int
	Msg       string
}

// String formats the warning with its position, as "line 3, column 1: …".
func (w Warning) String() string { return fmt.Sprintf("line %d, column %d: %s", w.Line, w.Col, w.Msg) }

// Error is returned for input that cannot be parsed; it says where.
type Error struct {
	Line, Col int // 1-based; 0 when the error is about the whole input
	Msg       string
}

// Error formats the error with its position when it has one.
func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// Walk calls fn for every point of the document in pre-order (each point
// before its sub-points), stopping early if fn returns false.
func (d *Document) Walk(fn func(*Point) bool) {
	var walk func([]*Point) bool
	walk = func(ps []*Point) bool {
		for _, p := range ps {
			if !fn(p) || !walk(p.Children) {
				return false
			}
		}
		return true
	}
	walk(d.Points)
}

// All returns every point in pre-order.
func (d *Document) All() []*Point {
	var out []*Point
	d.Walk(func(p *Point) bool { out = append(out, p); return true })
	return out
}

// Raw returns the point's own source bytes (label line, continuation lines),
// exactly as written.
func (p *Point) Raw(src []byte) []byte { return src[p.Start:p.End] }
