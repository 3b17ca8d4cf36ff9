package geo

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
)

// Maps are drawn as standalone SVG: no fonts, images or tiles to fetch,
// and only presentation attributes (no style attributes, no <style>), so
// that a page with a strict Content-Security-Policy can show them inline.
// They print in greyscale: statuses are told apart by patterns in dark
// ink, not by colour alone, and every map carries its legend, a scale bar
// and its sources.

// Pattern is a hatching drawn over a shape's fill.
type Pattern int

// The patterns.
const (
	PatternNone Pattern = iota
	PatternDiagonal
	PatternReverseDiagonal
	PatternCross
	PatternHorizontal
	PatternVertical
	PatternDots
	PatternGrid
)

// patternNames name the patterns in ids and for people.
var patternNames = []string{"none", "diagonal", "reverse-diagonal", "cross", "horizontal", "vertical", "dots", "grid"}

// String names the pattern.
func (p Pattern) String() string {
	if p < 0 || int(p) >= len(patternNames) {
		return "none"
	}
	return patternNames[p]
}

// Shape is an area to draw.
type Shape struct {
	Area    MultiPolygon
	Fill    string  // a CSS colour; "" for none
	Pattern Pattern // drawn over the fill
	Label   string  // drawn inside when it fits
	Title   string  // the tooltip
	Stroke  string  // the outline; "" for a thin neutral one
}

// Path is a line to draw.
type Path struct {
	Line   Line
	Label  string
	Stroke string
	Dashed bool
	Width  float64
}

// LegendItem is one entry of a map's legend: a swatch (fill and pattern)
// or a line sample.
type LegendItem struct {
	Fill    string
	Pattern Pattern
	Line    bool
	Dashed  bool
	Stroke  string
	Label   string
}

// Map is what Render draws.
type Map struct {
	// ID prefixes the ids of the map's patterns, so that several maps
	// can sit in one page.
	ID       string
	Title    string
	Subtitle string
	Width    int    // pixels; 960 when 0
	Fit      Bounds // what the map frames; the shapes' bounds when empty or zero
	Base     []Shape
	Areas    []Shape
	Lines    []Path
	Legend   []LegendItem
	Source   string
}

// Layout of a map, in pixels.
const (
	margin      = 16.0
	titleHeight = 52.0
	legendRow   = 20.0
	sourceLine  = 14.0
	fontFamily  = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
	neutralEdge = "#8c8c8c"
	labelSize   = 11.0
	charWidth   = 0.56 // of the font size: an average letter's width
	simplifyPx  = 0.5
	// labelSimplifyPx is the coarser tolerance of the search for where a
	// label fits.
	labelSimplifyPx = 2.0
	legendSwatch    = 18.0
)

// RenderString draws a map as SVG text.
func RenderString(m *Map) (string, error) {
	var b bytes.Buffer
	if err := Render(&b, m); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Render draws a map as SVG.
func Render(w io.Writer, m *Map) error {
	width := float64(m.Width)
	if width <= 0 {
		width = 960
	}
	fit := m.Fit
	if fit.Empty() || fit == (Bounds{}) {
		fit = EmptyBounds()
		for _, s := range append(append([]Shape(nil), m.Base...), m.Areas...) {
			fit = fit.Union(s.Area.Bounds())
		}
		for _, p := range m.Lines {
			fit = fit.Union(p.Line.Bounds())
		}
	}
	mapW := width - 2*margin
	mapH := math.Round(FitHeight(fit, mapW))
	proj := FitAlbers(fit, mapW, mapH)
	r := &renderer{m: m, proj: proj, ox: margin, oy: titleHeight}
	legendCols := legendColumns(m.Legend, mapW)
	legendRows := (len(m.Legend) + legendCols - 1) / legendCols
	sourceLines := wrap(m.Source, int(mapW/(10*charWidth)))
	height := titleHeight + mapH + 12 + float64(legendRows)*legendRow + 30 + float64(len(sourceLines))*sourceLine + margin

	b := &r.b
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-title %s-desc" font-family="%s">`,
		num(width), num(height), num(width), num(height), esc(m.ID), esc(m.ID), esc(fontFamily))
	fmt.Fprintf(b, "\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", esc(m.ID), esc(m.Title), esc(m.ID),
		esc(strings.TrimSpace(m.Subtitle+". "+m.Source)))
	r.defs()
	fmt.Fprintf(b, "<rect width=\"%s\" height=\"%s\" fill=\"#ffffff\"/>\n", num(width), num(height))
	fmt.Fprintf(b, "<text x=\"%s\" y=\"24\" font-size=\"18\" font-weight=\"600\" fill=\"#111111\">%s</text>\n", num(margin), esc(m.Title))
	if m.Subtitle != "" {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"42\" font-size=\"13\" fill=\"#444444\">%s</text>\n", num(margin), esc(m.Subtitle))
	}
	b.WriteString("<g class=\"base\">\n")
	for _, s := range m.Base {
		r.shape(s, true)
	}
	b.WriteString("</g>\n<g class=\"areas\">\n")
	for _, s := range m.Areas {
		r.shape(s, false)
	}
	b.WriteString("</g>\n<g class=\"lines\">\n")
	for _, p := range m.Lines {
		r.path(p)
	}
	b.WriteString("</g>\n<g class=\"labels\">\n")
	r.labels()
	b.WriteString("</g>\n")
	y := titleHeight + mapH + 12
	r.legend(y, mapW, legendCols)
	y += float64(legendRows)*legendRow + 8
	r.scaleBar(fit, y)
	y += 30
	for _, line := range sourceLines {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" font-size=\"10\" fill=\"#444444\">%s</text>\n", num(margin), num(y), esc(line))
		y += sourceLine
	}
	b.WriteString("</svg>")
	_, err := w.Write(b.Bytes())
	return err
}

// renderer holds a map being drawn.
type renderer struct {
	m      *Map
	proj   Albers
	ox, oy float64 // where the map's box starts
	b      bytes.Buffer
	// pending labels, drawn last so that no shape covers them.
	pending []label
	placed  []box
}

// label is a label to place, with the shape it names in pixels.
type label struct {
	text  string
	rings []Ring
	base  bool
}

// box is a placed label's extent.
type box struct{ x0, y0, x1, y1 float64 }

// num writes a number with at most one decimal.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// esc escapes text for SVG.
func esc(s string) string { return html.EscapeString(s) }

// patternID is the id of a pattern in this map.
func (r *renderer) patternID(p Pattern) string { return r.m.ID + "-p-" + p.String() }

// defs writes the patterns the map uses.
func (r *renderer) defs() {
	used := map[Pattern]bool{}
	for _, s := range r.m.Areas {
		used[s.Pattern] = true
	}
	for _, s := range r.m.Base {
		used[s.Pattern] = true
	}
	for _, it := range r.m.Legend {
		used[it.Pattern] = true
	}
	r.b.WriteString("<defs>\n")
	for p := PatternDiagonal; p <= PatternGrid; p++ {
		if !used[p] {
			continue
		}
		fmt.Fprintf(&r.b, "<pattern id=\"%s\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\"", esc(r.patternID(p)))
		switch p {
		case PatternDiagonal:
			r.b.WriteString(" patternTransform=\"rotate(45)\"><path d=\"M0 0V8\" stroke=\"#222222\" stroke-width=\"1.2\"/>")
		case PatternReverseDiagonal:
			r.b.WriteString(" patternTransform=\"rotate(-45)\"><path d=\"M0 0V8\" stroke=\"#222222\" stroke-width=\"1.2\"/>")
		case PatternCross:
			r.b.WriteString(" patternTransform=\"rotate(45)\"><path d=\"M0 0V8M0 0H8\" stroke=\"#222222\" stroke-width=\"1\"/>")
		case PatternHorizontal:
			r.b.WriteString("><path d=\"M0 4H8\" stroke=\"#222222\" stroke-width=\"1.2\"/>")
		case PatternVertical:
			r.b.WriteString("><path d=\"M4 0V8\" stroke=\"#222222\" stroke-width=\"1.2\"/>")
		case PatternDots:
			r.b.WriteString("><circle cx=\"4\" cy=\"4\" r=\"1.4\" fill=\"#222222\"/>")
		case PatternGrid:
			r.b.WriteString("><path d=\"M0 0.5H8M0.5 0V8\" stroke=\"#222222\" stroke-width=\"1\"/>")
		}
		r.b.WriteString("</pattern>\n")
	}
	r.b.WriteString("</defs>\n")
}

// project returns an area's rings in pixels, simplified to about half a
// pixel.
func (r *renderer) project(m MultiPolygon) []Ring {
	var out []Ring
	for _, p := range m {
		for _, ring := range p {
			pr := make(Ring, len(ring))
			for i, pt := range ring {
				x, y := r.proj.Project(pt)
				pr[i] = Point{x + r.ox, y + r.oy}
			}
			if s := SimplifyRing(pr, simplifyPx); s != nil {
				out = append(out, s)
			}
		}
	}
	return out
}

// pathData writes rings as SVG path data.
func pathData(rings []Ring) string {
	var b strings.Builder
	for _, ring := range rings {
		for i, p := range ring[:len(ring)-1] {
			if i == 0 {
				b.WriteByte('M')
			} else {
				b.WriteByte('L')
			}
			b.WriteString(num(p[0]))
			b.WriteByte(' ')
			b.WriteString(num(p[1]))
		}
		b.WriteByte('Z')
	}
	return b.String()
}

// shape draws a shape, and queues its label.
func (r *renderer) shape(s Shape, base bool) {
	rings := r.project(s.Area)
	if len(rings) == 0 {
		return
	}
	d := pathData(rings)
	fill := s.Fill
	if fill == "" {
		fill = "none"
	}
	stroke, width := s.Stroke, "0.6"
	if stroke == "" {
		stroke = neutralEdge
	}
	if base {
		width = "0.5"
	}
	title := ""
	if s.Title != "" {
		title = "<title>" + esc(s.Title) + "</title>"
	}
	fmt.Fprintf(&r.b, "<path d=\"%s\" fill=\"%s\" fill-rule=\"evenodd\" stroke=\"%s\" stroke-width=\"%s\" stroke-linejoin=\"round\">%s</path>\n",
		d, esc(fill), esc(stroke), width, title)
	if s.Pattern != PatternNone {
		fmt.Fprintf(&r.b, "<path d=\"%s\" fill=\"url(#%s)\" fill-rule=\"evenodd\" stroke=\"none\"/>\n", d, esc(r.patternID(s.Pattern)))
	}
	if s.Label != "" {
		r.pending = append(r.pending, label{text: s.Label, rings: rings, base: base})
	}
}

// path draws a line.
func (r *renderer) path(p Path) {
	if len(p.Line) < 2 {
		return
	}
	pts := make(Line, len(p.Line))
	for i, pt := range p.Line {
		x, y := r.proj.Project(pt)
		pts[i] = Point{x + r.ox, y + r.oy}
	}
	pts = SimplifyLine(pts, simplifyPx)
	var d strings.Builder
	for i, pt := range pts {
		if i == 0 {
			d.WriteByte('M')
		} else {
			d.WriteByte('L')
		}
		d.WriteString(num(pt[0]) + " " + num(pt[1]))
	}
	stroke := p.Stroke
	if stroke == "" {
		stroke = "#000000"
	}
	width := p.Width
	if width <= 0 {
		width = 1.5
	}
	dash := ""
	if p.Dashed {
		dash = " stroke-dasharray=\"6 4\""
	}
	title := ""
	if p.Label != "" {
		title = "<title>" + esc(p.Label) + "</title>"
	}
	fmt.Fprintf(&r.b, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s stroke-linejoin=\"round\" stroke-linecap=\"round\">%s</path>\n",
		d.String(), esc(stroke), num(width), dash, title)
}

// labels places the queued labels: the base map's first, then the areas';
// one that does not fit its shape or would cover one already placed is
// left out (the shape's tooltip still names it).
func (r *renderer) labels() {
	for _, pass := range []bool{true, false} {
		for _, l := range r.pending {
			if l.base != pass {
				continue
			}
			pt, room := labelPoint(l.rings)
			w := float64(len([]rune(l.text))) * labelSize * charWidth
			if room < labelSize*0.6 || w/2 > room*2.2 {
				continue
			}
			bx := box{pt[0] - w/2, pt[1] - labelSize/2, pt[0] + w/2, pt[1] + labelSize/2}
			if r.collides(bx) {
				continue
			}
			r.placed = append(r.placed, bx)
			fmt.Fprintf(&r.b, "<text x=\"%s\" y=\"%s\" font-size=\"%s\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">%s</text>\n",
				num(pt[0]), num(pt[1]), num(labelSize), esc(l.text))
		}
	}
}

// collides reports whether a label box overlaps one already placed.
func (r *renderer) collides(b box) bool {
	for _, o := range r.placed {
		if b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1 {
			return true
		}
	}
	return false
}

// legend draws the legend in columns.
func (r *renderer) legend(y, width float64, cols int) {
	colW := width / float64(cols)
	for i, it := range r.m.Legend {
		x := margin + float64(i%cols)*colW
		ty := y + float64(i/cols)*legendRow
		if it.Line {
			stroke := it.Stroke
			if stroke == "" {
				stroke = "#000000"
			}
			dash := ""
			if it.Dashed {
				dash = " stroke-dasharray=\"6 4\""
			}
			fmt.Fprintf(&r.b, "<path d=\"M%s %sH%s\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", num(x), num(ty+7), num(x+legendSwatch+6), esc(stroke), dash)
		} else {
			fill := it.Fill
			if fill == "" {
				fill = "none"
			}
			fmt.Fprintf(&r.b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"13\" fill=\"%s\" stroke=\"#333333\" stroke-width=\"0.6\"/>\n",
				num(x), num(ty), num(legendSwatch+6), esc(fill))
			if it.Pattern != PatternNone {
				fmt.Fprintf(&r.b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"13\" fill=\"url(#%s)\"/>\n", num(x), num(ty), num(legendSwatch+6), esc(r.patternID(it.Pattern)))
			}
		}
		fmt.Fprintf(&r.b, "<text x=\"%s\" y=\"%s\" font-size=\"12\" fill=\"#111111\">%s</text>\n", num(x+legendSwatch+12), num(ty+11), esc(fitText(it.Label, int((colW-legendSwatch-16)/(12*charWidth)))))
	}
}

// legendColumns is how many columns the legend takes: as many as fit
// its longest label whole, up to three.
func legendColumns(items []LegendItem, width float64) int {
	longest := 0
	for _, it := range items {
		longest = max(longest, len([]rune(it.Label)))
	}
	need := legendSwatch + 18 + float64(longest)*12*charWidth
	return max(1, min(3, int(width/need)))
}

// fitText cuts a label to n characters.
func fitText(s string, n int) string {
	rs := []rune(s)
	if n < 4 || len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}

// scaleBar draws a bar of a round number of km, measured at the middle of
// the framed bounds.
func (r *renderer) scaleBar(fit Bounds, y float64) {
	mid := Point{(fit.MinLon + fit.MaxLon) / 2, (fit.MinLat + fit.MaxLat) / 2}
	east := Point{mid[0] + 1, mid[1]}
	x0, y0 := r.proj.Project(mid)
	x1, y1 := r.proj.Project(east)
	px := math.Hypot(x1-x0, y1-y0)
	if px == 0 {
		return
	}
	kmPerPx := Distance(mid, east) / px
	length := 0.0
	for _, km := range []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000} {
		if km/kmPerPx <= 160 {
			length = km
		}
	}
	if length == 0 {
		return
	}
	w := length / kmPerPx
	fmt.Fprintf(&r.b, "<path d=\"M%s %sv6H%sv-6\" fill=\"none\" stroke=\"#111111\" stroke-width=\"1.2\"/>\n", num(margin), num(y), num(margin+w))
	fmt.Fprintf(&r.b, "<text x=\"%s\" y=\"%s\" font-size=\"11\" fill=\"#111111\">%s km</text>\n", num(margin+w+6), num(y+7), num(length))
}

// wrap cuts text into lines of at most n characters, at spaces.
func wrap(s string, n int) []string {
	if s == "" {
		return nil
	}
	var lines []string
	var cur strings.Builder
	for _, word := range strings.Fields(s) {
		if cur.Len() > 0 && len([]rune(cur.String()))+1+len([]rune(word)) > n {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(word)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// labelPoint returns a point well inside the largest ring (in pixels),
// and its distance to the ring's edge: a grid search for the point
// farthest from the edge, refined twice around the best.
func labelPoint(rings []Ring) (Point, float64) {
	// A label needs a few pixels of room, not the border's every turn:
	// search on coarser rings.
	coarse := make([]Ring, 0, len(rings))
	for _, r := range rings {
		if c := SimplifyRing(r, labelSimplifyPx); c != nil {
			coarse = append(coarse, c)
		}
	}
	rings = coarse
	var outer Ring
	best := 0.0
	for _, ring := range rings {
		if a := planarArea(ring); math.Abs(a) > best {
			outer, best = ring, math.Abs(a)
		}
	}
	if outer == nil {
		return Point{}, 0
	}
	b := Line(outer).Bounds()
	cx, cy := (b.MinLon+b.MaxLon)/2, (b.MinLat+b.MaxLat)/2
	w, h := b.MaxLon-b.MinLon, b.MaxLat-b.MinLat
	at, room := Point{cx, cy}, -1.0
	for pass := 0; pass < 3; pass++ {
		const n = 8
		x0, y0 := cx-w/2, cy-h/2
		for i := 0; i <= n; i++ {
			for j := 0; j <= n; j++ {
				p := Point{x0 + w*float64(i)/n, y0 + h*float64(j)/n}
				if !insideAll(p, rings, outer) {
					continue
				}
				if d := edgeDistance(p, rings); d > room {
					at, room = p, d
				}
			}
		}
		cx, cy, w, h = at[0], at[1], w/4, h/4
	}
	if room < 0 {
		return Point{(b.MinLon + b.MaxLon) / 2, (b.MinLat + b.MaxLat) / 2}, 0
	}
	return at, room
}

// insideAll reports whether p is inside the outer ring and outside the
// holes (any other ring inside it).
func insideAll(p Point, rings []Ring, outer Ring) bool {
	if !inRing(p, outer) {
		return false
	}
	for _, r := range rings {
		if len(r) > 0 && &r[0] != &outer[0] && inRing(p, r) && inRing(r[0], outer) {
			return false
		}
	}
	return true
}

// edgeDistance is the distance from p to the nearest edge of the rings.
func edgeDistance(p Point, rings []Ring) float64 {
	best := math.Inf(1)
	for _, r := range rings {
		for i := 1; i < len(r); i++ {
			best = math.Min(best, segDist2(p, r[i-1], r[i]))
		}
	}
	return math.Sqrt(best)
}

// LabelPoint returns a point well inside an area, for a label: in the
// largest polygon, as far from its edges as a coarse search finds.
func LabelPoint(m MultiPolygon) Point {
	var rings []Ring
	for _, p := range m {
		rings = append(rings, p...)
	}
	pt, _ := labelPoint(rings)
	return pt
}
