package bargain

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Plot is a chart of two parties' utilities, both on 0–100: a frontier
// drawn as a step line, and marked packages. It knows nothing of
// problems, so that any page can draw one; FrontierPlot builds one from a
// frontier.
type Plot struct {
	Title, XLabel, YLabel string
	// Frontier are the frontier's points, in any order. The step line
	// joins those that no other point dominates; every point is drawn as
	// a dot (with three or more parties, a frontier seen on two axes has
	// points below the line).
	Frontier []Point
	Marks    []Mark
}

// Point is a point of a Plot.
type Point struct{ X, Y float64 }

// Mark is a package marked on a Plot, with a label; Kind is one of
// MarkFair, MarkTentative and MarkImprovement, each drawn in a shape of
// its own so that the kinds stay apart in black and white.
type Mark struct {
	Label, Kind string
	X, Y        float64
}

// The kinds of Mark.
const (
	MarkFair        = "fair"        // a fair point: a diamond
	MarkTentative   = "tentative"   // the tentative package: a square
	MarkImprovement = "improvement" // a package that improves on it: a triangle
)

// markKind is a kind of Mark and what the legend calls it.
type markKind struct{ kind, legend string }

// markKinds lists the kinds in the order of the legend.
var markKinds = []markKind{
	{MarkFair, "fair point"},
	{MarkTentative, "tentative package"},
	{MarkImprovement, "improvement"},
}

// The geometry of a plot, in SVG user units.
const (
	plotWidth   = 720
	plotHeight  = 480
	plotLeft    = 70  // left margin, for the y axis's ticks and label
	plotTop     = 50  // top margin, for the title
	plotRight   = 180 // right margin, for the legend
	plotBottom  = 60  // bottom margin, for the x axis's ticks and label
	plotInnerW  = plotWidth - plotLeft - plotRight
	plotInnerH  = plotHeight - plotTop - plotBottom
	maxLabelLen = 48 // characters of a mark's label or an axis label
	maxTitleLen = 90
)

// WriteSVG writes the plot as a self-contained SVG document: no scripts,
// no external references, every text escaped; titled for screen readers.
// Coordinates must be finite and within 0–100.
func (p *Plot) WriteSVG(w io.Writer) error {
	for k, pt := range p.Frontier {
		if err := checkCoord(pt.X, pt.Y); err != nil {
			return fmt.Errorf("plot: frontier point %d: %v", k, err)
		}
	}
	for k, m := range p.Marks {
		if err := checkCoord(m.X, m.Y); err != nil {
			return fmt.Errorf("plot: mark %d (%s): %v", k, m.Label, err)
		}
		if !slices.ContainsFunc(markKinds, func(mk markKind) bool { return mk.kind == m.Kind }) {
			return fmt.Errorf("plot: mark %d (%s): unknown kind %q (want fair, tentative or improvement)", k, m.Label, m.Kind)
		}
	}
	bw := bufio.NewWriter(w)
	s := &svgWriter{w: bw}
	title := clipText(p.Title, maxTitleLen)
	s.printf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" font-family="sans-serif" font-size="12">`+"\n",
		plotWidth, plotHeight, plotWidth, plotHeight, xmlEscape(title))
	s.printf("<title>%s</title>\n", xmlEscape(title))
	s.printf("<desc>%s</desc>\n", xmlEscape(p.describe()))
	s.printf(`<rect width="%d" height="%d" fill="#fff"/>`+"\n", plotWidth, plotHeight)
	s.printf(`<text x="%d" y="28" font-size="15" font-weight="bold">%s</text>`+"\n", plotLeft, xmlEscape(title))
	p.writeAxes(s)
	p.writeFrontier(s)
	p.writeMarks(s)
	p.writeLegend(s)
	s.printf("</svg>\n")
	if s.err != nil {
		return s.err
	}
	return bw.Flush()
}

// checkCoord checks that a point can be drawn.
func checkCoord(x, y float64) error {
	for _, v := range []float64{x, y} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 100 {
			return fmt.Errorf("(%v, %v) lies outside 0–100", x, y)
		}
	}
	return nil
}

// describe says in words what the plot shows, for screen readers.
func (p *Plot) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s across, %s up, both 0 to 100. ", clipText(p.XLabel, maxLabelLen), clipText(p.YLabel, maxLabelLen))
	fmt.Fprintf(&b, "%d frontier points.", len(p.Frontier))
	for _, m := range p.Marks {
		fmt.Fprintf(&b, " %s %s at %s, %s.", m.Kind, clipText(m.Label, maxLabelLen), svgCoord(m.X), svgCoord(m.Y))
	}
	return b.String()
}

// writeAxes draws the frame, the grid, the ticks every 10 and the axis
// labels.
func (p *Plot) writeAxes(s *svgWriter) {
	s.printf(`<g stroke="#ddd" stroke-width="1">` + "\n")
	for v := 10; v < 100; v += 10 {
		x, y := sx(float64(v)), sy(float64(v))
		s.printf(`<line x1="%s" y1="%d" x2="%s" y2="%d"/>`+"\n", x, plotTop, x, plotTop+plotInnerH)
		s.printf(`<line x1="%d" y1="%s" x2="%d" y2="%s"/>`+"\n", plotLeft, y, plotLeft+plotInnerW, y)
	}
	s.printf("</g>\n")
	s.printf(`<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>`+"\n", plotLeft, plotTop, plotInnerW, plotInnerH)
	s.printf(`<g fill="#333">` + "\n")
	for v := 0; v <= 100; v += 10 {
		x, y := sx(float64(v)), sy(float64(v))
		s.printf(`<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#333"/>`+"\n", x, plotTop+plotInnerH, x, plotTop+plotInnerH+5)
		s.printf(`<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#333"/>`+"\n", plotLeft-5, y, plotLeft, y)
		s.printf(`<text x="%s" y="%d" text-anchor="middle">%d</text>`+"\n", x, plotTop+plotInnerH+19, v)
		s.printf(`<text x="%d" y="%s" text-anchor="end" dy="0.35em">%d</text>`+"\n", plotLeft-8, y, v)
	}
	s.printf(`<text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", plotLeft+plotInnerW/2, plotHeight-15, xmlEscape(clipText(p.XLabel, maxLabelLen)))
	s.printf(`<text transform="translate(20 %d) rotate(-90)" text-anchor="middle">%s</text>`+"\n", plotTop+plotInnerH/2, xmlEscape(clipText(p.YLabel, maxLabelLen)))
	s.printf("</g>\n")
}

// writeFrontier draws the step line through the undominated points and a
// dot at every point. Between two neighbours the line drops, then runs
// across: it bounds what the frontier's packages dominate.
func (p *Plot) writeFrontier(s *svgWriter) {
	if len(p.Frontier) == 0 {
		return
	}
	top := upperPoints(p.Frontier)
	var path strings.Builder
	for k, pt := range top {
		if k == 0 {
			fmt.Fprintf(&path, "M%s %s", sx(pt.X), sy(pt.Y))
			continue
		}
		fmt.Fprintf(&path, " V%s H%s", sy(pt.Y), sx(pt.X))
	}
	s.printf(`<path d="%s" fill="none" stroke="#1f4e79" stroke-width="2"/>`+"\n", path.String())
	s.printf(`<g fill="#1f4e79">` + "\n")
	for _, pt := range p.Frontier {
		s.printf(`<circle cx="%s" cy="%s" r="3"/>`+"\n", sx(pt.X), sy(pt.Y))
	}
	s.printf("</g>\n")
}

// upperPoints returns the points no other point dominates, once each, by
// X ascending (and so Y descending).
func upperPoints(pts []Point) []Point {
	sorted := slices.Clone(pts)
	slices.SortFunc(sorted, func(a, b Point) int {
		if c := cmp.Compare(b.X, a.X); c != 0 {
			return c
		}
		return cmp.Compare(b.Y, a.Y)
	})
	// From the right: a point is kept when it is higher than every point
	// to its right.
	var top []Point
	for _, pt := range sorted {
		if len(top) == 0 || pt.Y > top[len(top)-1].Y {
			top = append(top, pt)
		}
	}
	slices.Reverse(top)
	return top
}

// writeMarks draws the marks; marks at the same place share one label.
func (p *Plot) writeMarks(s *svgWriter) {
	type spot struct {
		pt     Point
		kinds  []string
		labels []string
	}
	var spots []*spot
	for _, m := range p.Marks {
		pt := Point{m.X, m.Y}
		k := slices.IndexFunc(spots, func(sp *spot) bool { return sp.pt == pt })
		if k < 0 {
			spots = append(spots, &spot{pt: pt})
			k = len(spots) - 1
		}
		sp := spots[k]
		if !slices.Contains(sp.kinds, m.Kind) {
			sp.kinds = append(sp.kinds, m.Kind)
		}
		if l := clipText(m.Label, maxLabelLen); l != "" && !slices.Contains(sp.labels, l) {
			sp.labels = append(sp.labels, l)
		}
	}
	for _, sp := range spots {
		x, y := sx(sp.pt.X), sy(sp.pt.Y)
		// The hollow shapes first, the filled diamond last, so that marks
		// at the same place all show.
		for _, mk := range []string{MarkTentative, MarkImprovement, MarkFair} {
			if slices.Contains(sp.kinds, mk) {
				s.printf("%s\n", markShape(mk, x, y))
			}
		}
	}
	// Labels go over every shape, the tentative package's first, then the
	// fair points', then the improvements', each where it clears those
	// before it. An improvement's label that finds no clear place is left
	// out (the description still lists it): a crowd of them would hide
	// the rest.
	rank := func(sp *spot) int {
		switch {
		case slices.Contains(sp.kinds, MarkTentative):
			return 0
		case slices.Contains(sp.kinds, MarkFair):
			return 1
		}
		return 2
	}
	slices.SortStableFunc(spots, func(a, b *spot) int { return cmp.Compare(rank(a), rank(b)) })
	var placed []labelBox
	for _, sp := range spots {
		if len(sp.labels) == 0 {
			continue
		}
		label := strings.Join(sp.labels, "; ")
		box, clear := placeLabel(sp.pt, utf8.RuneCountInString(label), placed)
		if !clear && rank(sp) == 2 {
			continue
		}
		placed = append(placed, box)
		s.printf(`<text x="%s" y="%s" text-anchor="%s" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`+"\n",
			svgNum(box.x), svgNum(box.y), box.anchor, xmlEscape(label))
	}
}

// labelBox is where a label is written: its anchor point and the box it
// covers, estimated from its length.
type labelBox struct {
	x, y                   float64 // the anchor, on the baseline
	anchor                 string  // start or end
	left, top, right, down float64
}

// overlaps reports whether two boxes share any area.
func (b labelBox) overlaps(c labelBox) bool {
	return b.left < c.right && c.left < b.right && b.top < c.down && c.top < b.down
}

// labelOffsets are the places tried for a label, around its mark, in
// order of preference: up and right first.
var labelOffsets = []struct{ dx, dy float64 }{
	{9, -9}, {9, 18}, {-9, -9}, {-9, 18}, {9, -24}, {9, 33}, {-9, -24}, {-9, 33}, {9, -39}, {-9, -39},
}

// placeLabel chooses where to write a label of n characters for a mark at
// pt: the first place that stays inside the frame and clears the labels
// already placed (clear is then true), or else the first inside the frame.
func placeLabel(pt Point, n int, placed []labelBox) (box labelBox, clear bool) {
	const charWidth, height = 7.0, 14.0
	w := charWidth * float64(n)
	at := func(dx, dy float64) labelBox {
		b := labelBox{x: sxf(pt.X) + dx, y: syf(pt.Y) + dy, anchor: "start"}
		b.left, b.right = b.x, b.x+w
		if dx < 0 {
			b.anchor, b.left, b.right = "end", b.x-w, b.x
		}
		b.top, b.down = b.y-height+3, b.y+3
		return b
	}
	var first *labelBox
	for _, off := range labelOffsets {
		b := at(off.dx, off.dy)
		if b.left < plotLeft || b.right > plotLeft+plotInnerW || b.top < plotTop || b.down > plotTop+plotInnerH {
			continue
		}
		if !slices.ContainsFunc(placed, b.overlaps) {
			return b, true
		}
		if first == nil {
			first = &b
		}
	}
	if first != nil {
		return *first, false
	}
	// A label too long for any place inside the frame starts at the mark.
	return at(labelOffsets[0].dx, labelOffsets[0].dy), false
}

// markShape returns the SVG element of a mark of a kind at (x, y).
func markShape(kind, x, y string) string {
	switch kind {
	case MarkFair:
		return fmt.Sprintf(`<path d="M%s %s m0 -7 l7 7 l-7 7 l-7 -7 z" fill="#b5651d" stroke="#6b3a10"/>`, x, y)
	case MarkTentative:
		return fmt.Sprintf(`<rect x="%s" y="%s" width="16" height="16" transform="translate(-8 -8)" fill="none" stroke="#c00000" stroke-width="2.5"/>`, x, y)
	default:
		return fmt.Sprintf(`<path d="M%s %s m0 -11 l10 17 l-20 0 z" fill="none" stroke="#2e7d32" stroke-width="2"/>`, x, y)
	}
}

// writeLegend explains the line and the shapes in use, in the right
// margin.
func (p *Plot) writeLegend(s *svgWriter) {
	x := plotLeft + plotInnerW + 20
	y := plotTop + 10
	s.printf(`<g fill="#222">` + "\n")
	if len(p.Frontier) > 0 {
		s.printf(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1f4e79" stroke-width="2"/>`+"\n", x-6, y, x+6, y)
		s.printf(`<circle cx="%d" cy="%d" r="3" fill="#1f4e79"/>`+"\n", x, y)
		s.printf(`<text x="%d" y="%d" dy="0.35em">Pareto frontier</text>`+"\n", x+16, y)
		y += 24
	}
	for _, mk := range markKinds {
		if !slices.ContainsFunc(p.Marks, func(m Mark) bool { return m.Kind == mk.kind }) {
			continue
		}
		s.printf("%s\n", markShape(mk.kind, strconv.Itoa(x), strconv.Itoa(y)))
		s.printf(`<text x="%d" y="%d" dy="0.35em">%s</text>`+"\n", x+16, y, mk.legend)
		y += 24
	}
	s.printf("</g>\n")
}

// sxf and syf place a utility on the x and y axes.
func sxf(v float64) float64 { return plotLeft + v/100*plotInnerW }
func syf(v float64) float64 { return plotTop + (1-v/100)*plotInnerH }

// sx and sy place a utility on the axes, written for SVG.
func sx(v float64) string { return svgNum(sxf(v)) }
func sy(v float64) string { return svgNum(syf(v)) }

// svgNum writes a coordinate with at most two decimals.
func svgNum(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// svgCoord writes a utility for a description.
func svgCoord(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// xmlEscape escapes text for XML character data and attribute values; it
// replaces characters XML cannot carry.
func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // writes to a strings.Builder never fail
	return b.String()
}

// clipText shortens s to at most n characters, marking the cut.
func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// svgWriter writes formatted output and keeps the first error.
type svgWriter struct {
	w   io.Writer
	err error
}

func (s *svgWriter) printf(format string, args ...any) {
	if s.err == nil {
		_, s.err = fmt.Fprintf(s.w, format, args...)
	}
}

// PlotOptions say what FrontierPlot draws besides the frontier.
type PlotOptions struct {
	// X and Y are the parties on the axes; the first two of the
	// frontier's parties when both are "".
	X, Y string
	// Fair are fair points to mark, labelled with their methods; those
	// without a package are left out.
	Fair []*Solution
	// Tentative is a package to mark as tentative, labelled
	// TentativeName ("tentative" when empty); nil for none.
	Tentative     *Outcome
	TentativeName string
	// Improvements are packages to mark as improving on the tentative
	// one; the first five are labelled #1 to #5, the best by Improve's
	// ranking, so that a crowd of labels does not hide the plot.
	Improvements []*Outcome
}

// labelledImprovements is how many improvements FrontierPlot labels.
const labelledImprovements = 5

// FrontierPlot builds the plot of a frontier on two parties' axes, with
// the fair points, the tentative package and its improvements marked.
// With three or more parties the title says which two are shown.
func FrontierPlot(fr *Frontier, opt PlotOptions) (*Plot, error) {
	if fr == nil {
		return nil, fmt.Errorf("plot: no frontier")
	}
	x, y := opt.X, opt.Y
	if x == "" && y == "" {
		if len(fr.Parties) < 2 {
			return nil, fmt.Errorf("plot: a plot needs two parties, the frontier has %d", len(fr.Parties))
		}
		x, y = fr.Parties[0], fr.Parties[1]
	}
	for _, party := range []string{x, y} {
		if !slices.Contains(fr.Parties, party) {
			return nil, fmt.Errorf("plot: %q is not a party of the frontier (%s)", party, strings.Join(fr.Parties, ", "))
		}
	}
	if x == y {
		return nil, fmt.Errorf("plot: both axes show %q", x)
	}
	title := "Pareto frontier"
	if !fr.Exact {
		title = fmt.Sprintf("ε-Pareto set (ε = %s)", svgCoord(fr.Epsilon))
	}
	if len(fr.Parties) > 2 {
		title += fmt.Sprintf(": %s and %s, 2 of %d parties", x, y, len(fr.Parties))
	} else {
		title += fmt.Sprintf(": %s and %s", x, y)
	}
	p := &Plot{Title: title, XLabel: "utility of " + x, YLabel: "utility of " + y}
	at := func(o *Outcome) (Point, error) {
		ux, uy := o.Utility[x], o.Utility[y]
		if ux == nil || uy == nil {
			return Point{}, fmt.Errorf("plot: a package without the utility of %s or %s", x, y)
		}
		fx, _ := ux.Float64()
		fy, _ := uy.Float64()
		return Point{fx, fy}, nil
	}
	for _, o := range fr.Outcomes {
		pt, err := at(o)
		if err != nil {
			return nil, err
		}
		p.Frontier = append(p.Frontier, pt)
	}
	mark := func(kind, label string, o *Outcome) error {
		pt, err := at(o)
		if err != nil {
			return err
		}
		p.Marks = append(p.Marks, Mark{Label: label, Kind: kind, X: pt.X, Y: pt.Y})
		return nil
	}
	for _, s := range opt.Fair {
		if s == nil || s.Outcome == nil {
			continue
		}
		if err := mark(MarkFair, s.Method, s.Outcome); err != nil {
			return nil, err
		}
	}
	if opt.Tentative != nil {
		name := cmp.Or(opt.TentativeName, "tentative")
		if err := mark(MarkTentative, name, opt.Tentative); err != nil {
			return nil, err
		}
	}
	for k, o := range opt.Improvements {
		label := ""
		if k < labelledImprovements {
			label = "#" + strconv.Itoa(k+1)
		}
		if err := mark(MarkImprovement, label, o); err != nil {
			return nil, err
		}
	}
	return p, nil
}
