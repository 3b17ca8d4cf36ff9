package plantext

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Limits bound the work the parser does on one input.
type Limits struct {
	MaxBytes  int // largest input accepted; at most (and 0 means) 2 GiB - 1
	MaxLines  int // most lines accepted
	MaxPoints int // most points accepted
	MaxDepth  int // deeper labels are read as text
}

// DefaultLimits returns the limits Parse applies: 64 MiB, a million lines,
// 200,000 points, 12 levels.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 64 << 20, MaxLines: 1 << 20, MaxPoints: 200_000, MaxDepth: 12}
}

// Parse parses a plan text with DefaultLimits. The input must be UTF-8; an
// invalid input gives an *Error that says where and, when it can tell, which
// encoding the input seems to be in.
//
// The document keeps src as its Source, and its strings may share src's
// memory rather than copy it: src must not be modified afterwards.
func Parse(src []byte) (*Document, error) { return ParseLimits(src, DefaultLimits()) }

// ParseLimits parses a plan text within the given limits. Like Parse, it
// keeps src: do not modify src afterwards.
func ParseLimits(src []byte, lim Limits) (*Document, error) {
	if lim.MaxBytes <= 0 || lim.MaxBytes > math.MaxInt32 {
		lim.MaxBytes = math.MaxInt32 // line offsets are int32
	}
	if len(src) > lim.MaxBytes {
		return nil, &Error{Msg: fmt.Sprintf("input is %d bytes, more than the limit of %d", len(src), lim.MaxBytes)}
	}
	if err := CheckEncoding(src); err != nil {
		return nil, err
	}
	p := &parser{src: src, lim: lim, doc: &Document{Source: src}}
	if err := p.splitLines(); err != nil {
		return nil, err
	}
	if err := p.run(); err != nil {
		return nil, err
	}
	p.finish()
	return p.doc, nil
}

// line is one line of the source. Offsets are int32 (inputs are bounded
// well below 2 GiB) to keep the line table small: it has an entry for
// every line of a document that may have hundreds of thousands.
type line struct {
	text       string      // content without leading BOM
	label      *labelMatch // nil if the line has no label
	start, end int32       // content, without the line terminator
	next       int32       // start of the next line
	off        int32       // offset of text within the source
	lead       int32       // bytes of leading whitespace in text
	indent     int32       // leading whitespace in columns (tabs to multiples of 4)
	blank      bool
	labelled   bool
}

// part is the owner of a run of lines: the title, the preamble, a heading
// or a point.
type part struct {
	kind    SegmentKind
	point   *Point
	heading *Heading
}

// frame is an open point on the nesting stack.
type frame struct {
	p      *Point
	indent int
	span   int // index of the point in parser.spans
}

// pointSpan is a point's own lines, first to last.
type pointSpan struct {
	p           *Point
	first, last int
}

type parser struct {
	src   []byte
	lim   Limits
	doc   *Document
	lines []line
	owner []int // part index per line, -1 while unassigned
	parts []part
	stack []frame
	// labels and points hold the label matches and the points, allocated
	// in bulk; lines and the tree point into them.
	labels []labelMatch
	points []Point
	// spans holds each point's first and last own line, in the order
	// the points were opened.
	spans    []pointSpan
	heading  string
	npoints  int
	preamble []int // preamble lines
}

// splitLines splits the source into lines, at "\n", "\r\n" or a lone
// "\r", and finds the label of each; it fails beyond Limits.MaxLines.
func (p *parser) splitLines() error {
	src := p.src
	// Line texts are slices of the source read as a string, without a
	// copy: the document keeps src and texts may refer to it (see Parse).
	text := unsafe.String(unsafe.SliceData(src), len(src))
	p.lines = make([]line, 0, bytes.Count(src, []byte{'\n'})+1)
	p.labels = make([]labelMatch, 0, cap(p.lines)/4+8)
	for i, n := 0, 1; i < len(src); n++ {
		if n > p.lim.MaxLines && p.lim.MaxLines > 0 {
			return &Error{Line: n, Col: 1, Msg: fmt.Sprintf("more than %d lines", p.lim.MaxLines)}
		}
		// The line ends at the first "\n", or at a "\r" before it.
		j := len(src)
		if k := bytes.IndexByte(src[i:], '\n'); k >= 0 {
			j = i + k
		}
		if k := bytes.IndexByte(src[i:j], '\r'); k >= 0 {
			j = i + k
		}
		next := j
		if next < len(src) {
			if src[next] == '\r' && next+1 < len(src) && src[next+1] == '\n' {
				next += 2
			} else {
				next++
			}
		}
		off := i
		if i == 0 && len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
			off = 3
			if j < 3 {
				j = 3
			}
		}
		l := line{start: int32(i), end: int32(j), next: int32(next), text: text[off:j], off: int32(off)}
		l.lead = int32(leadingSpace(l.text))
		l.blank = int(l.lead) == len(l.text)
		for _, r := range l.text[:l.lead] {
			switch {
			case r == '\t':
				l.indent += 4 - l.indent%4
			case isZeroWidth(r):
			default:
				l.indent++
			}
		}
		if !l.blank {
			if m, ok := matchLabel(l.text[l.lead:]); ok {
				p.labels = append(p.labels, m)
				l.label, l.labelled = &p.labels[len(p.labels)-1], true
			}
		}
		p.lines = append(p.lines, l)
		i = next
	}
	p.owner = make([]int, len(p.lines))
	for i := range p.owner {
		p.owner[i] = -1
	}
	// Every point starts on a labelled line: allocate them all at once.
	p.points = make([]Point, 0, len(p.labels))
	p.parts = make([]part, 0, len(p.labels)+8)
	return nil
}

func (p *parser) addPart(pt part) int {
	p.parts = append(p.parts, pt)
	return len(p.parts) - 1
}

// nextNonBlank returns the index of the next non-blank line after i, or -1.
func (p *parser) nextNonBlank(i int) int {
	for j := i + 1; j < len(p.lines); j++ {
		if !p.lines[j].blank {
			return j
		}
	}
	return -1
}

func (p *parser) run() error {
	cur := -1 // current owner
	prevBlank := true
	for i := range p.lines {
		l := &p.lines[i]
		if l.blank {
			p.owner[i] = cur
			prevBlank = true
			continue
		}
		started := p.npoints > 0
		switch {
		case l.labelled && p.placePoint(i, prevBlank):
			if p.npoints > p.lim.MaxPoints && p.lim.MaxPoints > 0 {
				return &Error{Line: i + 1, Col: 1, Msg: fmt.Sprintf("more than %d points", p.lim.MaxPoints)}
			}
			cur = p.owner[i]
		case !started && p.doc.Title == "" && len(p.preamble) == 0 && len(p.doc.Headings) == 0 && p.isTitle(i):
			p.doc.Title = headingText(l.text[l.lead:])
			cur = p.addPart(part{kind: SegTitle})
			p.owner[i] = cur
		case p.isHeading(i, prevBlank, cur):
			t := l.text[l.lead:]
			h := &Heading{Text: headingText(t), Level: max(headingLevel(t), 1), Start: int(l.start), Line: i + 1}
			p.doc.Headings = append(p.doc.Headings, h)
			p.heading = h.Text
			p.stack = p.stack[:0]
			cur = p.addPart(part{kind: SegHeading, heading: h})
			p.owner[i] = cur
		case !started && (cur < 0 || p.parts[cur].kind != SegHeading):
			if cur < 0 || p.parts[cur].kind != SegPreamble {
				cur = p.addPart(part{kind: SegPreamble})
			}
			p.preamble = append(p.preamble, i)
			p.owner[i] = cur
		default:
			// Continuation of the open point, or prose under a heading.
			if len(p.stack) > 0 {
				sp := &p.spans[p.stack[len(p.stack)-1].span]
				sp.last = i
				cur = p.owner[sp.first]
			}
			p.owner[i] = cur
		}
		prevBlank = false
	}
	return nil
}

// isTitle reports whether line i, the first non-blank line before any point,
// is a title: a Markdown heading or a line standing alone, unless it heads
// the first group of points.
func (p *parser) isTitle(i int) bool {
	l := p.lines[i]
	t := l.text[l.lead:]
	if p.headsFirstGroup(i) {
		return false
	}
	if headingLevel(t) > 0 && strings.HasPrefix(t, "#") {
		return true
	}
	if utf8.RuneCountInString(t) > 200 {
		return false
	}
	j := i + 1
	return j >= len(p.lines) || p.lines[j].blank || p.lines[j].labelled
}

// headsFirstGroup reports whether line i, the first non-blank line, is the
// heading of the points that follow it rather than the title: a heading line
// directly followed by a point, with a later heading of the same form
// ("## Territory" then "## Security", "TERRITORY" then "SECURITY").
func (p *parser) headsFirstGroup(i int) bool {
	next := p.nextNonBlank(i)
	if next < 0 || !p.lines[next].labelled || !p.isHeading(i, true, -1) {
		return false
	}
	form := p.headingForm(i)
	for k := next + 1; k < len(p.lines); k++ {
		if p.lines[k].blank {
			continue
		}
		f := p.headingForm(k)
		if f != "" && (f == form || strings.HasPrefix(form, f) && f[0] == '#') && p.isHeading(k, p.lines[k-1].blank, -1) {
			return true
		}
	}
	return false
}

// headingForm names the form of line i as a heading: its Markdown marks
// ("##"), "bold", "caps" or "colon"; "" for other lines.
func (p *parser) headingForm(i int) string {
	l := p.lines[i]
	t := strings.TrimRightFunc(l.text[l.lead:], isSpace)
	switch {
	case strings.HasPrefix(t, "#") && headingLevel(t) > 0:
		return t[:headingLevel(t)]
	case isBoldLine(t):
		return "bold"
	case isCapsLine(t):
		return "caps"
	case strings.HasSuffix(t, ":"):
		return "colon"
	}
	return ""
}

// isHeading reports whether line i is a group heading: a Markdown "#" line
// anywhere, or, after a blank line and before a labelled line, a bold line,
// an all-capitals line or a short line ending in a colon that is not
// indented under the open point.
func (p *parser) isHeading(i int, prevBlank bool, cur int) bool {
	l := p.lines[i]
	t := strings.TrimRightFunc(l.text[l.lead:], isSpace)
	if strings.HasPrefix(t, "#") && headingLevel(t) > 0 {
		return true
	}
	if n := len(p.stack); n > 0 && int(l.indent) > p.stack[n-1].indent {
		return false
	}
	afterHeading := cur >= 0 && p.parts[cur].kind == SegHeading && p.owner[i-1] == cur && !p.lines[i-1].blank
	if !prevBlank && !afterHeading {
		return false
	}
	if utf8.RuneCountInString(t) > 100 {
		return false
	}
	next := p.nextNonBlank(i)
	if next < 0 {
		return false
	}
	nl := p.lines[next]
	nt := nl.text[nl.lead:]
	if !nl.labelled && !(strings.HasPrefix(nt, "#") && headingLevel(nt) > 0) && !isCapsLine(nt) && !isBoldLine(nt) {
		return false
	}
	if isBoldLine(t) || isCapsLine(t) {
		return true
	}
	if strings.HasSuffix(t, ":") {
		r, _ := utf8.DecodeRuneInString(t)
		return unicode.IsUpper(r) && len(strings.Fields(t)) <= 6
	}
	return false
}

// isCapsLine reports whether t is a short line of capitals ("SECURITY").
func isCapsLine(t string) bool {
	letters := 0
	for _, r := range t {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			letters++
		}
	}
	if letters < 3 || len(strings.Fields(t)) > 12 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(t, isSpace))
	return last != '.' && last != ',' && last != ';'
}

// isBoldLine reports whether t is a Markdown bold line ("**Security**").
func isBoldLine(t string) bool {
	t = strings.TrimSuffix(strings.TrimRightFunc(t, isSpace), ":")
	for _, m := range []string{"**", "__"} {
		if len(t) > 4 && strings.HasPrefix(t, m) && strings.HasSuffix(t, m) && !strings.Contains(t[2:len(t)-2], m) {
			return true
		}
	}
	return false
}

// headingLevel returns the Markdown level of a "#" heading, or 1.
func headingLevel(t string) int {
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	if n == 0 {
		return 1
	}
	if n > 6 || (n < len(t) && t[n] != ' ' && t[n] != '\t') {
		return 0
	}
	return n
}

// headingText strips heading marks from a title or heading line.
func headingText(t string) string {
	t = strings.TrimSpace(t)
	if strings.HasPrefix(t, "#") && headingLevel(t) > 0 {
		t = strings.TrimSpace(strings.TrimRight(strings.TrimLeft(t, "#"), "#"))
	}
	t = strings.TrimSuffix(t, ":")
	if isBoldLine(t) {
		t = t[2 : len(t)-2]
	}
	return normalize(strings.TrimSuffix(strings.TrimSpace(t), ":"))
}

// classify settles the kind and ordinal of a label at indentation ind, using
// the open points that could be its siblings to tell a letter from a roman
// numeral ("i" after "h" is a letter, "i" indented under "h" a numeral).
func (p *parser) classify(m labelMatch, ind int) (Kind, int) {
	if m.tok == "" {
		return KindBullet, 0
	}
	if isDigit(m.tok[0]) {
		last := m.tok[strings.LastIndexByte(m.tok, '.')+1:]
		n, _ := strconv.Atoi(last)
		return KindNumber, n
	}
	r, size := utf8.DecodeRuneInString(m.tok)
	upper := unicode.IsUpper(r)
	romanKind, letterKind := KindRomanLower, KindLower
	if upper {
		romanKind, letterKind = KindRomanUpper, KindUpper
	}
	if size < len(m.tok) {
		return romanKind, romanValue(m.tok)
	}
	lord := letterOrdinal(r)
	rv := romanValue(m.tok)
	if rv == 0 {
		return letterKind, lord
	}
	for k := len(p.stack) - 1; k >= 0; k-- {
		s := p.stack[k].p
		if s.Style.Deco != m.deco || p.stack[k].indent > ind+1 || p.stack[k].indent < ind-1 {
			continue
		}
		if s.Style.Kind == letterKind && s.Ordinal+1 == lord {
			return letterKind, lord
		}
		if s.Style.Kind == romanKind && s.Ordinal+1 == rv {
			return romanKind, rv
		}
	}
	if rv == 1 {
		return romanKind, 1
	}
	return letterKind, lord
}

// placePoint opens a point for labelled line i, as a sibling of an open point
// or a child of the innermost one. It returns false when the label is not
// plausible there (then the line is text).
func (p *parser) placePoint(i int, prevBlank bool) bool {
	l := &p.lines[i]
	m := *l.label
	kind, ord := p.classify(m, int(l.indent))
	style := Style{Kind: kind, Deco: m.deco, Bullet: m.bullet, Levels: max(m.levels, 1)}
	if kind == KindBullet {
		style.Levels = 1
	}
	ind := int(l.indent)
	st := p.stack
	for len(st) > 0 && st[len(st)-1].indent > ind+1 {
		st = st[:len(st)-1]
	}
	sib := -1
	for k := len(st) - 1; k >= 0; k-- {
		if st[k].p.Style == style && st[k].indent >= ind-1 {
			sib = k
			break
		}
	}
	styleChange := false
	if sib < 0 && kind != KindBullet {
		for k := len(st) - 1; k >= 0; k-- {
			s := st[k].p
			if s.Style.Kind == kind && s.Style.Levels == style.Levels && s.Ordinal+1 == ord && st[k].indent >= ind-1 {
				sib, styleChange = k, true
				break
			}
		}
	}
	var parent, prev *Point
	switch {
	case sib >= 0:
		prev = st[sib].p
		parent = prev.Parent
		if kind != KindBullet && ord > prev.Ordinal+100 {
			return false
		}
	case len(st) > 0:
		parent = st[len(st)-1].p
		// A list starts at 1, 2 or 3, unless it continues the numbering
		// of the sub-points of the parent's previous sibling ("5)" under
		// "II." after "4)" under "I.").
		if kind != KindBullet && ord > 3 {
			prev = p.lastCousin(parent)
			if prev == nil || prev.Style != style || ord <= prev.Ordinal || ord > prev.Ordinal+100 {
				return false
			}
		}
		if parent.Depth+1 >= p.lim.MaxDepth && p.lim.MaxDepth > 0 {
			p.doc.Warnings = append(p.doc.Warnings, Warning{Line: i + 1, Col: int(l.indent) + 1,
				Msg: fmt.Sprintf("label %q nested more than %d levels deep is read as text", m.label, p.lim.MaxDepth)})
			return false
		}
		// A wrapped line that starts with "1." inside running text is
		// text, unless it is indented under its parent, dedented from the
		// line before, or that line ends in a colon.
		if !prevBlank && ind <= st[len(st)-1].indent && ind >= int(p.lines[i-1].indent) && kind != KindBullet && !p.lines[i-1].labelled && !strings.HasSuffix(strings.TrimSpace(p.lines[i-1].text), ":") {
			return false
		}
	default:
		// Top level, after the preamble or a heading. A wrapped preamble
		// line that starts with a large number ("2025. The parties ...")
		// is text: a list starts at 1, 2 or 3.
		if !prevBlank && kind != KindBullet && ord > 3 && p.parts[p.owner[i-1]].kind == SegPreamble && !strings.HasSuffix(strings.TrimSpace(p.lines[i-1].text), ":") {
			return false
		}
		if n := len(p.doc.Points); n > 0 {
			prev = p.doc.Points[n-1]
			if prev.Style.Kind != kind {
				prev = nil
			}
		}
	}
	p.points = append(p.points, Point{
		Label:     m.label,
		tok:       m.tok,
		Style:     style,
		Ordinal:   ord,
		Heading:   p.heading,
		Start:     int(l.start),
		TextStart: int(l.off+l.lead) + m.text,
		Line:      i + 1,
		Col:       utf8.RuneCount(p.src[l.start:l.off+l.lead]) + 1,
		Parent:    parent,
	})
	pt := &p.points[len(p.points)-1]
	if i == 0 {
		pt.Col = utf8.RuneCountInString(l.text[:l.lead]) + 1
	}
	if parent != nil {
		pt.Depth = parent.Depth + 1
		pt.Heading = parent.Heading
		parent.Children = append(parent.Children, pt)
	} else {
		p.doc.Points = append(p.doc.Points, pt)
	}
	if prev != nil && kind != KindBullet {
		p.numberingWarnings(pt, prev, styleChange, sib < 0)
	}
	fr := frame{p: pt, indent: ind, span: len(p.spans)}
	if sib >= 0 {
		st = append(st[:sib], fr)
	} else {
		st = append(st, fr)
	}
	p.stack = st
	p.npoints++
	p.spans = append(p.spans, pointSpan{pt, i, i})
	p.owner[i] = p.addPart(part{kind: SegPoint, point: pt})
	return true
}

// lastCousin returns the last sub-point of the sibling before pt, an open
// point and so the last of its siblings, or nil.
func (p *parser) lastCousin(pt *Point) *Point {
	sibs := p.doc.Points
	if pt.Parent != nil {
		sibs = pt.Parent.Children
	}
	k := len(sibs) - 1
	if k < 1 || sibs[k] != pt {
		return nil
	}
	kids := sibs[k-1].Children
	if len(kids) == 0 {
		return nil
	}
	return kids[len(kids)-1]
}

// numberingWarnings compares a point's number with its previous sibling's.
func (p *parser) numberingWarnings(pt, prev *Point, styleChange, afterHeading bool) {
	warn := func(format string, args ...any) {
		p.doc.Warnings = append(p.doc.Warnings, Warning{Line: pt.Line, Col: pt.Col, Msg: fmt.Sprintf(format, args...)})
	}
	if styleChange {
		warn("label style changes from %q to %q", prev.Label, pt.Label)
	}
	switch {
	case pt.Ordinal == prev.Ordinal+1:
	case pt.Ordinal == prev.Ordinal:
		warn("duplicate number %s (also on line %d)", pt.Label, prev.Line)
	case pt.Ordinal > prev.Ordinal:
		warn("numbering skips from %s to %s", prev.Label, pt.Label)
	case afterHeading && pt.Ordinal == 1:
		// Numbering restarts under a new heading.
	default:
		warn("numbering goes back from %s to %s", prev.Label, pt.Label)
	}
}

// finish assigns blank lines and leftovers to owners, builds texts, IDs and
// segments.
func (p *parser) finish() {
	d := p.doc
	// Leading blank lines go to the first owner; others already follow the
	// owner before them.
	first := -1
	for _, o := range p.owner {
		if o >= 0 {
			first = o
			break
		}
	}
	if first < 0 && len(p.lines) > 0 {
		first = p.addPart(part{kind: SegPreamble})
	}
	for i := range p.owner {
		if p.owner[i] < 0 {
			p.owner[i] = first
		}
	}
	// Segments: consecutive lines of one owner; usually one per part.
	d.Segments = make([]Segment, 0, len(p.parts)+1)
	for i := 0; i < len(p.lines); {
		j := i
		for j+1 < len(p.lines) && p.owner[j+1] == p.owner[i] {
			j++
		}
		pt := p.parts[p.owner[i]]
		seg := Segment{Kind: pt.kind, Start: int(p.lines[i].start), End: int(p.lines[j].next), Point: pt.point, Heading: pt.heading}
		if n := len(d.Segments); n > 0 && d.Segments[n-1].Kind == seg.Kind && d.Segments[n-1].Point == seg.Point && d.Segments[n-1].Heading == seg.Heading && seg.Kind != SegPoint && seg.Kind != SegHeading {
			d.Segments[n-1].End = seg.End
		} else {
			d.Segments = append(d.Segments, seg)
		}
		i = j + 1
	}
	// A point or heading spans its segment, which includes the blank lines
	// that start the document if it comes first.
	for k := range d.Segments {
		s := &d.Segments[k]
		switch {
		case s.Point != nil:
			s.Point.Start, s.Point.End = s.Start, s.End
		case s.Heading != nil:
			s.Heading.Start, s.Heading.End = s.Start, s.End
		}
	}
	// Texts.
	for _, sp := range p.spans {
		sp.p.Text = p.joinText(sp.first, sp.last, sp.p.TextStart)
	}
	if len(p.preamble) > 0 {
		var ls []int
		for i := p.preamble[0]; i <= p.preamble[len(p.preamble)-1]; i++ {
			if p.parts[p.owner[i]].kind == SegPreamble {
				ls = append(ls, i)
			}
		}
		d.Preamble = p.joinLines(ls)
	}
	assignIDs(d.Points, "")
}

// joinText builds the text of a point from its own lines first..last,
// starting the first line at byte offset from. A point of one clean line
// is not copied at all.
func (p *parser) joinText(first, last, from int) string {
	if first == last {
		return normalize(p.lineText(first, first, from))
	}
	// The point's source bytes bound the length of its text.
	var b strings.Builder
	b.Grow(int(p.lines[last].end) - from + 2)
	para := false
	for i := first; i <= last; i++ {
		t := p.lineText(i, first, from)
		if t == "" {
			para = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			if para {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		para = false
		appendNormalized(&b, t)
	}
	return b.String()
}

// lineText returns the text of line i without its leading whitespace, from
// byte offset from on the first line, or "" when there is none.
func (p *parser) lineText(i, first, from int) string {
	l := &p.lines[i]
	t := l.text[l.lead:]
	if i == first {
		t = l.text[from-int(l.off):]
	}
	if leadingSpace(t) == len(t) {
		return ""
	}
	return t
}

// joinLines joins the preamble's lines into normalised text; a blank line
// (or a gap in the line numbers) separates paragraphs.
func (p *parser) joinLines(ls []int) string {
	texts := make([]string, 0, len(ls))
	paras := make([]bool, 0, len(ls)) // a paragraph starts before texts[k]
	total := 0
	para := false
	prev := -2
	for _, i := range ls {
		l := p.lines[i]
		if l.blank || (prev >= 0 && i != prev+1) {
			para = len(texts) > 0
			if l.blank {
				prev = i
				continue
			}
		}
		prev = i
		t := l.text[l.lead:]
		texts = append(texts, t)
		paras = append(paras, para)
		total += len(t) + 2
		para = false
	}
	if len(texts) == 1 {
		return normalize(texts[0])
	}
	var b strings.Builder
	b.Grow(total)
	for k, t := range texts {
		switch {
		case k == 0:
		case paras[k]:
			b.WriteString("\n\n")
		default:
			b.WriteByte(' ')
		}
		appendNormalized(&b, t)
	}
	return b.String()
}

// assignIDs gives every point its key and ID, making IDs unique among
// siblings ("3", "3~2").
func assignIDs(ps []*Point, prefix string) {
	// Repeats are counted with a map in long lists and by scanning the
	// keys before in short ones, the usual sub-point lists.
	var seen map[string]int
	var bases []string
	if len(ps) > 16 {
		seen = make(map[string]int, len(ps))
	} else {
		bases = make([]string, 0, len(ps))
	}
	for k, pt := range ps {
		key := pointKey(pt, k)
		n := 1
		if seen != nil {
			seen[key]++
			n = seen[key]
		} else {
			for _, b := range bases {
				if b == key {
					n++
				}
			}
			bases = append(bases, key)
		}
		if n > 1 {
			key += "~" + strconv.Itoa(n)
		}
		pt.Key = key
		pt.ID = prefix + key
		if len(pt.Children) > 0 {
			assignIDs(pt.Children, pt.ID+".")
		}
	}
}

// pointKey normalises a point's label: "10." → "10", "(B)" → "b",
// "Point 3:" → "3", "2.1" under "2." → "1"; a bullet is "#k".
func pointKey(pt *Point, k int) string {
	if pt.Style.Kind == KindBullet {
		return "#" + strconv.Itoa(k+1)
	}
	tok := pt.tok
	switch pt.Style.Kind {
	case KindNumber:
		parts := numberParts(tok)
		if len(parts) > 1 && pt.Parent != nil && strings.Join(parts[:len(parts)-1], ".") == strings.Join(numberParts(pt.Parent.tok), ".") {
			return parts[len(parts)-1]
		}
		return strings.Join(parts, "-")
	default:
		return strings.ToLower(tok)
	}
}

// numberParts splits a multi-level number ("02.1") into its components
// without leading zeros ("2", "1").
func numberParts(tok string) []string {
	parts := strings.Split(tok, ".")
	for i, s := range parts {
		n, _ := strconv.Atoi(s)
		parts[i] = strconv.Itoa(n)
	}
	return parts
}

// normalize collapses runs of whitespace (including no-break spaces) to one
// space, drops zero-width spaces and trims the ends.
func normalize(s string) string {
	if isNormal(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	appendNormalized(&b, s)
	return b.String()
}

// isNormal reports whether normalize would return s unchanged: printable
// ASCII with single inner spaces, the common case, checked eight bytes at a
// time without allocating.
func isNormal(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	const ones, lows, highs, spaces = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f, 0x8080808080808080, 0x2020202020202020
	prevSpace := false
	k := 0
	for ; k+8 <= len(s); k += 8 {
		x := uint64(s[k]) | uint64(s[k+1])<<8 | uint64(s[k+2])<<16 | uint64(s[k+3])<<24 |
			uint64(s[k+4])<<32 | uint64(s[k+5])<<40 | uint64(s[k+6])<<48 | uint64(s[k+7])<<56
		// A byte below ' ' borrows in x - 0x20…; one of 0x7f or more
		// has its top bit set in x or in x + 0x01….
		if (x-0x20*ones)&^x&highs != 0 || (x|(x+ones))&highs != 0 {
			return false
		}
		// sp has the top bit of every byte that is a space, exactly.
		t := x ^ spaces
		sp := ^((t&lows + lows) | t | lows)
		if sp&(sp<<8) != 0 || prevSpace && sp&0x80 != 0 {
			return false
		}
		prevSpace = sp>>63 != 0
	}
	for ; k < len(s); k++ {
		c := s[k]
		if c < ' ' || c >= 0x7f || c == ' ' && prevSpace {
			return false
		}
		prevSpace = c == ' '
	}
	return true
}

// appendNormalized writes s to b normalised: whitespace runs as one space,
// zero-width spaces dropped, no space at either end of what it writes.
// Stretches of printable ASCII with single spaces are copied whole.
func appendNormalized(b *strings.Builder, s string) {
	if isNormal(s) {
		b.WriteString(s)
		return
	}
	start := b.Len()
	space := false
	for i := 0; i < len(s); {
		j := i
		for j < len(s) {
			if c := s[j]; c > ' ' && c < 0x7f {
				j++
			} else if c == ' ' && j > i && j+1 < len(s) && s[j+1] > ' ' && s[j+1] < 0x7f {
				j += 2
			} else {
				break
			}
		}
		if j > i {
			if space && b.Len() > start {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case isZeroWidth(r):
		case unicode.IsSpace(r):
			space = true
		default:
			if space && b.Len() > start {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s[i : i+n])
		}
		i += n
	}
}

// Normalize returns s with whitespace runs collapsed to single spaces,
// zero-width spaces removed and the ends trimmed: the form in which point
// texts are compared.
func Normalize(s string) string { return normalize(s) }
