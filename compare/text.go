package compare

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"parley/plantext"
)

// TextOptions tune WriteText.
type TextOptions struct {
	// Color marks changes with ANSI colours instead of [-…-] and {+…+}.
	// The caller decides (a terminal, and NO_COLOR unset).
	Color bool
	// Width is the most characters (runes) on a line; 0 means 80. Widths
	// below 20 are treated as 20.
	Width int
}

// Text widths.
const (
	defaultWidth = 80
	minWidth     = 20
)

// WriteText writes the report as a terminal view: a one-line summary of the
// counts, then one block per pair that is not unchanged, headed by the
// operation and the point IDs and followed by the text with the changed
// words marked, runs of unchanged points collapsed into one line each, and
// finally the parser's warnings and any caps on effort that were reached.
// Every line is wrapped by words to opt.Width characters.
func WriteText(w io.Writer, r *Report, opt TextOptions) error {
	if opt.Width == 0 {
		opt.Width = defaultWidth
	}
	opt.Width = max(opt.Width, minWidth)
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, opt: opt}
	t.report(r)
	return bw.Flush()
}

// style is how a run of characters is shown.
type style uint8

const (
	stDel style = 1 << iota
	stIns
	stNum
	stBold
	stDim
	stWarn
)

// sgr returns the ANSI SGR parameters of a style, "" for plain text.
func (s style) sgr() string {
	var p []string
	if s&(stBold|stNum) != 0 {
		p = append(p, "1")
	}
	if s&stDim != 0 {
		p = append(p, "2")
	}
	switch {
	case s&stDel != 0:
		// Crossed out as well as red, so that a deletion next to an
		// insertion reads apart without colour vision.
		p = append(p, "9", "31")
	case s&stIns != 0 && s&stNum != 0:
		p = append(p, "33")
	case s&stIns != 0:
		p = append(p, "32")
	case s&stWarn != 0:
		p = append(p, "33")
	}
	return strings.Join(p, ";")
}

// cell is one character and its style.
type cell struct {
	r  rune
	st style
}

// line accumulates styled characters for wrapping.
type line []cell

func (l *line) add(s string, st style) {
	for _, r := range s {
		*l = append(*l, cell{r, st})
	}
}

type textWriter struct {
	w   *bufio.Writer
	opt TextOptions
}

func (t *textWriter) report(r *Report) {
	s := r.Summary
	var l line
	l.add(summaryLine(r), stBold)
	t.para(l, "", "  ")
	if s.TitleChanged && r.Old != nil && r.New != nil {
		t.plain(fmt.Sprintf("title: %q → %q", r.Old.Title, r.New.Title), "", "    ")
	}
	if s.PreambleChanged {
		t.plain("preamble changed", "", "    ")
	}
	if s.Identical {
		t.plain("The two versions are identical.", "", "    ")
	}
	t.w.WriteByte('\n')

	old, new := pointIndex(r.Old), pointIndex(r.New)
	var run []Pair // unchanged pairs not yet written
	flush := func() {
		if len(run) > 0 {
			t.plain(unchangedLine(run), "  ", "    ", stDim)
			run = run[:0]
		}
	}
	var heading [2]string // the heading change in force, "" when none
	for _, p := range r.Pairs {
		h := [2]string{p.OldHeading, p.NewHeading}
		if h[0] == h[1] {
			h = [2]string{}
		}
		if h != heading && h != [2]string{} {
			flush()
			t.plain(fmt.Sprintf("heading: %s → %s", quoteHeading(h[0]), quoteHeading(h[1])), "", "    ", stBold)
		}
		if len(p.Old) > 0 && len(p.New) > 0 {
			heading = h
		}
		if p.Op == Unchanged {
			run = append(run, p)
			continue
		}
		flush()
		t.pair(p, old, new)
	}
	flush()

	if len(s.OldWarnings)+len(s.NewWarnings)+len(s.Degraded) > 0 {
		t.w.WriteByte('\n')
	}
	t.list("warnings in the old version:", s.OldWarnings)
	t.list("warnings in the new version:", s.NewWarnings)
	t.list("comparison incomplete:", s.Degraded)
}

// summaryLine is the one-line summary of the counts.
func summaryLine(r *Report) string {
	s := r.Summary
	var b strings.Builder
	if r.Old != nil && r.New != nil && (len(r.Old.Points) != s.OldPoints || len(r.New.Points) != s.NewPoints) {
		fmt.Fprintf(&b, "%d → %d points (%d → %d with sub-points)", len(r.Old.Points), len(r.New.Points), s.OldPoints, s.NewPoints)
	} else {
		fmt.Fprintf(&b, "%d → %d points", s.OldPoints, s.NewPoints)
	}
	sep := ": "
	for _, op := range Ops {
		if n := s.Counts[op]; n > 0 {
			fmt.Fprintf(&b, "%s%d %s", sep, n, op)
			sep = ", "
		}
	}
	var extra []string
	if n := s.NumberChanges; n > 0 {
		extra = append(extra, plural(n, "number changed", "numbers changed"))
	}
	if n := s.HeadingChanges; n > 0 {
		extra = append(extra, plural(n, "point under a changed heading", "points under a changed heading"))
	}
	if len(extra) > 0 {
		b.WriteString("; " + strings.Join(extra, ", "))
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// unchangedLine collapses a run of unchanged pairs: "… 5 unchanged (11–15)".
func unchangedLine(run []Pair) string {
	first, last := pairID(run[0]), pairID(run[len(run)-1])
	switch len(run) {
	case 1:
		return fmt.Sprintf("… 1 unchanged (%s)", first)
	case 2:
		return fmt.Sprintf("… 2 unchanged (%s, %s)", first, last)
	}
	return fmt.Sprintf("… %d unchanged (%s–%s)", len(run), first, last)
}

// pairID names a pair by its new IDs, or its old ones when it has none.
func pairID(p Pair) string {
	if len(p.New) > 0 {
		return strings.Join(p.New, " + ")
	}
	return strings.Join(p.Old, " + ")
}

// pairTitle is the head of a pair's block: "edited 6 → 6 (0.75)".
func pairTitle(p Pair) string {
	var b strings.Builder
	b.WriteString(string(p.Op))
	switch {
	case len(p.Old) == 0:
		b.WriteString(" " + strings.Join(p.New, " + "))
	case len(p.New) == 0:
		b.WriteString(" " + strings.Join(p.Old, " + "))
	default:
		b.WriteString(" " + strings.Join(p.Old, " + ") + " → " + strings.Join(p.New, " + "))
	}
	var notes []string
	if p.Edited && len(p.Old) > 0 && len(p.New) > 0 {
		notes = append(notes, fmt.Sprintf("%.2f", p.Similarity))
	}
	if p.LevelChanged {
		notes = append(notes, "level changed")
	}
	if len(notes) > 0 {
		b.WriteString(" (" + strings.Join(notes, ", ") + ")")
	}
	return b.String()
}

// pair writes the block of one pair.
func (t *textWriter) pair(p Pair, old, new map[string]*plantext.Point) {
	t.plain(pairTitle(p), "", "    ", stBold)
	_, oldText := groupText(old, p.Old)
	_, newText := groupText(new, p.New)
	switch {
	case len(p.Old) == 0:
		t.plain(newText, "  + ", "    ", stIns)
		return
	case len(p.New) == 0:
		t.plain(oldText, "  - ", "    ", stDel)
		return
	}
	var l line
	for _, s := range inlineSpans(oldText, newText, p.Changes) {
		t.span(&l, s)
	}
	t.para(l, "    ", "    ")
}

// span appends one span of an inline diff, marked by colour or brackets.
func (t *textWriter) span(l *line, s span) {
	text := s.text
	var st style
	var open, close string
	switch s.kind {
	case spanSame:
		l.add(text, 0)
		return
	case spanDel:
		st, open, close = stDel, "[-", "-]"
		// Group joins inside a deletion are not line breaks of the new text.
		text = strings.ReplaceAll(text, "\n", " ")
	case spanIns:
		st, open, close = stIns, "{+", "+}"
	}
	if s.number {
		st |= stNum
	}
	if t.opt.Color {
		l.add(text, st)
		return
	}
	l.add(open+text+close, 0)
	if s.number && s.last {
		l.add("#", 0)
	}
}

// plain writes text in one style, wrapped.
func (t *textWriter) plain(text, first, cont string, st ...style) {
	var s style
	for _, x := range st {
		s |= x
	}
	var l line
	l.add(text, s)
	t.para(l, first, cont)
}

// list writes a labelled list of messages, if any.
func (t *textWriter) list(title string, items []string) {
	if len(items) == 0 {
		return
	}
	t.plain(title, "", "    ", stBold, stWarn)
	for _, it := range items {
		t.plain(it, "  ", "    ", stWarn)
	}
}

// para writes styled text wrapped by words to the width: the first line
// after the prefix first, the others after cont. A "\n" in the text starts
// a new line.
func (t *textWriter) para(l line, first, cont string) {
	prefix := first
	for {
		end := len(l)
		for k, c := range l {
			if c.r == '\n' {
				end = k
				break
			}
		}
		t.wrap(l[:end], prefix, cont, t.opt.Width)
		if end == len(l) {
			return
		}
		l = l[end+1:]
		prefix = cont
	}
}

// wrap writes one hard line, breaking it into lines of at most width
// characters between words; a word longer than a line is cut between
// characters.
func (t *textWriter) wrap(l line, prefix, cont string, width int) {
	var out line
	out.add(prefix, 0)
	col := utf8.RuneCountInString(prefix)
	words := 0
	emit := func() {
		t.emit(out)
		out = out[:0]
		out.add(cont, 0)
		col = utf8.RuneCountInString(cont)
		words = 0
	}
	for i := 0; i < len(l); {
		if unicode.IsSpace(l[i].r) {
			i++
			continue
		}
		j := i
		for j < len(l) && !unicode.IsSpace(l[j].r) {
			j++
		}
		word := l[i:j]
		sp := cell{' ', 0}
		if i > 0 {
			sp = cell{' ', l[i-1].st}
		}
		i = j
		if words > 0 && col+1+len(word) > width {
			emit()
		}
		if words > 0 {
			out = append(out, sp)
			col++
		}
		// A word that fits goes whole; a longer one is cut between
		// characters, filling each line.
		for len(word) > 0 {
			n := min(max(width-col, 1), len(word))
			out = append(out, word[:n]...)
			col += n
			words++
			word = word[n:]
			if len(word) > 0 {
				emit()
			}
		}
	}
	t.emit(out)
}

// emit writes one finished line, with SGR codes when colouring.
func (t *textWriter) emit(l line) {
	// Trailing spaces (an empty prefix line) are dropped.
	for len(l) > 0 && l[len(l)-1].r == ' ' {
		l = l[:len(l)-1]
	}
	var cur style
	for _, c := range l {
		if t.opt.Color && c.st != cur {
			if cur != 0 {
				t.w.WriteString("\x1b[0m")
			}
			if c.st != 0 {
				t.w.WriteString("\x1b[" + c.st.sgr() + "m")
			}
			cur = c.st
		}
		t.w.WriteRune(visible(c.r))
	}
	if cur != 0 {
		t.w.WriteString("\x1b[0m")
	}
	t.w.WriteByte('\n')
}

// pointIndex maps point IDs to points.
func pointIndex(d *plantext.Document) map[string]*plantext.Point {
	m := make(map[string]*plantext.Point)
	if d == nil {
		return m
	}
	for _, p := range d.All() {
		m[p.ID] = p
	}
	return m
}

// groupText returns the points of a side of a pair and their texts joined
// by "\n", the text that Change offsets refer to. An ID missing from the
// document counts as an empty text.
func groupText(idx map[string]*plantext.Point, ids []string) ([]*plantext.Point, string) {
	pts := make([]*plantext.Point, len(ids))
	texts := make([]string, len(ids))
	for k, id := range ids {
		if p := idx[id]; p != nil {
			pts[k] = p
			texts[k] = p.Text
		} else {
			pts[k] = &plantext.Point{ID: id}
		}
	}
	return pts, strings.Join(texts, "\n")
}

// spanKind tells whether a run of text is common, deleted or inserted.
type spanKind uint8

const (
	spanSame spanKind = iota
	spanDel
	spanIns
)

// span is a run of text in a diff view.
type span struct {
	kind   spanKind
	text   string
	number bool // part of a change of a number, amount or date
	last   bool // the last span of its change
}

// checkedChanges returns the changes if their offsets fit the two texts, in
// order and on character boundaries; otherwise one change replacing the
// whole text, so that a malformed report still renders.
func checkedChanges(oldText, newText string, cs []Change) []Change {
	ok := true
	x, y := 0, 0
	for _, c := range cs {
		if c.OldAt < x || c.OldEnd < c.OldAt || c.OldEnd > len(oldText) ||
			c.NewAt < y || c.NewEnd < c.NewAt || c.NewEnd > len(newText) ||
			!boundaryOK(oldText, c.OldAt) || !boundaryOK(oldText, c.OldEnd) ||
			!boundaryOK(newText, c.NewAt) || !boundaryOK(newText, c.NewEnd) {
			ok = false
			break
		}
		x, y = c.OldEnd, c.NewEnd
	}
	if ok {
		return cs
	}
	if oldText == newText {
		return nil
	}
	return []Change{{Kind: "replace", Old: oldText, New: newText, OldEnd: len(oldText), NewEnd: len(newText)}}
}

func boundaryOK(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

// inlineSpans interleaves a pair's texts into one: the new text, with each
// deleted run placed before the run that replaced it.
func inlineSpans(oldText, newText string, cs []Change) []span {
	cs = checkedChanges(oldText, newText, cs)
	var out []span
	same := func(s string) {
		if s != "" {
			out = append(out, span{kind: spanSame, text: s})
		}
	}
	endsSpace := func() bool {
		if len(out) == 0 {
			return true
		}
		s := out[len(out)-1].text
		r, _ := utf8.DecodeLastRuneInString(s)
		return unicode.IsSpace(r)
	}
	y := 0
	for _, c := range cs {
		same(newText[y:c.NewAt])
		del, ins := c.OldEnd > c.OldAt, c.NewEnd > c.NewAt
		if del {
			// A deletion keeps the space before it in the old text, and a
			// pure deletion the space after it.
			if c.OldAt > 0 && isSpaceByte(oldText[c.OldAt-1]) && !endsSpace() {
				same(" ")
			}
			out = append(out, span{kind: spanDel, text: oldText[c.OldAt:c.OldEnd], number: c.Number, last: !ins})
			if !ins && c.OldEnd < len(oldText) && isSpaceByte(oldText[c.OldEnd]) &&
				c.NewAt < len(newText) && !isSpaceByte(newText[c.NewAt]) {
				same(" ")
			}
		}
		if ins {
			out = append(out, span{kind: spanIns, text: newText[c.NewAt:c.NewEnd], number: c.Number, last: true})
		}
		y = c.NewEnd
	}
	same(newText[y:])
	return out
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\n' || b == '\t' }

// sideSpans returns the spans of text[lo:hi] of one side of a pair (the old
// side when old is true): common runs and the runs that changes removed
// (old side) or added (new side).
func sideSpans(text string, lo, hi int, cs []Change, old bool) []span {
	var out []span
	add := func(k spanKind, a, b int, num bool) {
		a, b = max(a, lo), min(b, hi)
		if a < b {
			out = append(out, span{kind: k, text: text[a:b], number: num, last: true})
		}
	}
	k := spanIns
	if old {
		k = spanDel
	}
	x := lo
	for _, c := range cs {
		at, end := c.NewAt, c.NewEnd
		if old {
			at, end = c.OldAt, c.OldEnd
		}
		if end <= at || end <= lo || at >= hi {
			continue
		}
		add(spanSame, x, at, false)
		add(k, at, end, c.Number)
		x = max(x, end)
	}
	add(spanSame, x, hi, false)
	return out
}

// quoteHeading quotes a group heading, or says there is none.
func quoteHeading(h string) string {
	if h == "" {
		return "(none)"
	}
	return strconv.Quote(h)
}

// visible replaces a control character by its picture (ESC by ␛), so that
// point text cannot move the cursor, retitle or clear the terminal.
func visible(r rune) rune {
	switch {
	case r < 0x20:
		return 0x2400 + r
	case r == 0x7f:
		return '\u2421'
	case 0x80 <= r && r < 0xa0:
		return '\ufffd'
	}
	return r
}
