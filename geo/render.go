package geo

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Maps are drawn as standalone SVG that a page with a strict
// Content-Security-Policy (style-src 'self') can show inline: only
// presentation attributes (no style attributes, no <style> element), and
// no fonts, images, tiles or any other reference outside the document.
// Readers print them and compare two side by side, so they are
// black-on-white, tell statuses apart by patterns in dark ink as well as
// by colour, and carry their own legend, scale bar and sources. The same
// map always gives the same bytes.

// Pattern is a hatching drawn in dark ink over a shape's fill, so that
// statuses stay apart in greyscale print and for readers who cannot tell
// the colours apart.
type Pattern int

// The patterns. PatternNone draws the fill alone.
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

// patternNames name the patterns, in ids and for people.
var patternNames = [...]string{"none", "diagonal", "reverse-diagonal", "cross", "horizontal", "vertical", "dots", "grid"}

// String names the pattern ("diagonal", "reverse-diagonal", ...), or
// gives its number for one that does not exist ("Pattern(9)").
func (p Pattern) String() string {
	if !p.valid() {
		return "Pattern(" + strconv.Itoa(int(p)) + ")"
	}
	return patternNames[p]
}

// valid reports whether p is one of the patterns.
func (p Pattern) valid() bool { return p >= 0 && int(p) < len(patternNames) }

// Shape is an area to draw, with how to draw it.
type Shape struct {
	Area    MultiPolygon
	Fill    string  // a CSS colour ("#c0c0c0"); "" means no fill
	Pattern Pattern // drawn over the fill in dark ink
	// Label is drawn inside the shape when it fits there and meets no
	// label placed before it; otherwise it is left out, and Title still
	// carries it.
	Label  string
	Title  string // the tooltip
	Stroke string // the outline's colour; "" means a thin neutral outline
}

// Path is a line to draw, such as a line of contact.
type Path struct {
	Line   Line
	Label  string // the tooltip; the legend names the line for print
	Stroke string // a CSS colour; "" means black
	Dashed bool
	Width  float64 // pixels; 0 means 2, and it is kept within 0.5 to 12
}

// LegendItem is one entry of a map's legend: a swatch with a fill and a
// pattern as the map draws them, or, with Line set, a sample of a line.
type LegendItem struct {
	Fill    string
	Pattern Pattern
	Line    bool
	Dashed  bool
	Stroke  string
	Label   string
}

// Map is what Render draws: a title, the base map's regions, the areas of
// provisions over them, lines over both, then a legend, a scale bar and
// the sources at the foot.
type Map struct {
	// ID prefixes the ids of the map's patterns and clip path, so that
	// several maps can sit inline in one page. It is letters, digits,
	// '-' and '_', starting with a letter; "" means "map".
	ID       string
	Title    string
	Subtitle string
	// Width is in pixels: 0 means 960. The height follows from the
	// framed bounds and from what the legend and sources need.
	Width int
	// Fit is what the view frames; empty or zero means the bounds of
	// Base, Areas and Lines.
	Fit Bounds
	// Base holds the regions of the base map, drawn first with thin grey
	// borders and their labels.
	Base []Shape
	// Areas are drawn over the base in order, each over the ones before.
	Areas  []Shape
	Lines  []Path
	Legend []LegendItem
	// Source is printed at the foot of the map: where the base data and
	// the lines come from, and under what licence.
	Source string
}

// Widths a map may have, in pixels.
const (
	DefaultWidth = 960
	MinWidth     = 200
	MaxWidth     = 10000
)

// Layout, in pixels.
const (
	pad          = 16.0 // around the whole map
	titleSize    = 18.0
	titleLine    = 23.0
	subtitleSize = 13.0
	subtitleLine = 17.0
	legendSize   = 12.0
	legendLine   = 15.0
	legendGap    = 18.0 // between columns of the legend
	swatchW      = 26.0
	swatchH      = 14.0
	sourceSize   = 10.0
	sourceLine   = 13.0
	// minAspect and maxAspect keep the map's box within sensible
	// proportions whatever it frames; FitAlbers centres the bounds in it.
	minAspect = 0.25
	maxAspect = 1.5
	// simplifyPx is the tolerance of the drawn outlines; coarsePx that of
	// the search for where a label has room, which needs no border's
	// every turn.
	simplifyPx = 0.5
	coarsePx   = 2.0
	// labelPad keeps labels this far from each other.
	labelPad = 2.0
	// labelTries is how many points inside a shape a label may try, and
	// labelPrecisionPx how close to the most room the best of them is.
	labelTries       = 24
	labelPrecisionPx = 1.0
)

// Colours and strokes. Ink is near black so that print stays legible;
// no stroke is under half a pixel.
const (
	ink         = "#111111"
	baseEdge    = "#808080"
	baseEdgeW   = "0.6"
	areaEdge    = "#595959"
	areaEdgeW   = "0.75"
	strokeEdgeW = "1"
	hatchInk    = "#1a1a1a"
	fontFamily  = "system-ui, sans-serif"
)

// Font sizes a label may take: the largest that fits is used.
var (
	baseLabelSizes = []float64{11, 10, 9}
	areaLabelSizes = []float64{12, 11, 10, 9}
)

// RenderString draws a map as SVG text.
func RenderString(m *Map) (string, error) {
	var b bytes.Buffer
	if err := Render(&b, m); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Render draws a map as an SVG document (the <svg> element, without an
// XML declaration, so that it can also sit inline in HTML). A map that
// cannot be drawn as asked (a bad ID or colour, a position that is not a
// longitude and latitude, nothing to frame) is an error that says where,
// and nothing is written.
func Render(w io.Writer, m *Map) error {
	if m == nil {
		return errors.New("geo: render: no map")
	}
	r, err := newRenderer(m)
	if err != nil {
		if m.ID == "" {
			return fmt.Errorf("geo: render: %w", err)
		}
		return fmt.Errorf("geo: render map %q: %w", m.ID, err)
	}
	r.draw()
	_, err = w.Write(r.b.Bytes())
	return err
}

// renderer draws one map.
type renderer struct {
	m     *Map
	id    string
	width float64
	fit   Bounds
	proj  Albers
	// The map's box, in pixels.
	mapX, mapY, mapW, mapH float64
	// The text of the header and the foot, wrapped to the width.
	title, subtitle, source []string
	legend                  legendLayout
	height                  float64
	b                       bytes.Buffer
	pending                 []pendingLabel // labels to place once every shape is drawn
	placed                  []box          // labels already placed
	shapes                  int            // patterned shapes drawn, which number their ids
}

// newRenderer checks a map and lays it out.
func newRenderer(m *Map) (*renderer, error) {
	r := &renderer{m: m, id: m.ID, width: float64(m.Width)}
	if r.id == "" {
		r.id = "map"
	}
	if err := checkID(r.id); err != nil {
		return nil, err
	}
	if m.Width == 0 {
		r.width = DefaultWidth
	} else if m.Width < MinWidth || m.Width > MaxWidth {
		return nil, fmt.Errorf("width %d: a map is %d to %d pixels wide (0 means %d)", m.Width, MinWidth, MaxWidth, DefaultWidth)
	}
	if err := checkContent(m); err != nil {
		return nil, err
	}
	fit, err := frame(m)
	if err != nil {
		return nil, err
	}
	r.fit = fit
	r.layout()
	return r, nil
}

// frame returns the bounds the map frames.
func frame(m *Map) (Bounds, error) {
	if m.Fit != (Bounds{}) && !m.Fit.Empty() {
		f := m.Fit
		for _, v := range []float64{f.MinLon, f.MaxLon} {
			if !(v >= -180 && v <= 180) {
				return Bounds{}, fmt.Errorf("fit %v: longitudes are -180 to 180", f)
			}
		}
		for _, v := range []float64{f.MinLat, f.MaxLat} {
			if !(v >= -90 && v <= 90) {
				return Bounds{}, fmt.Errorf("fit %v: latitudes are -90 to 90", f)
			}
		}
		return f, nil
	}
	fit := EmptyBounds()
	for _, s := range m.Base {
		fit = fit.Union(s.Area.Bounds())
	}
	for _, s := range m.Areas {
		fit = fit.Union(s.Area.Bounds())
	}
	for _, p := range m.Lines {
		fit = fit.Union(p.Line.Bounds())
	}
	if fit.Empty() {
		return Bounds{}, errors.New("nothing to frame: no shapes or lines, and no Fit")
	}
	return fit, nil
}

// layout places the header, the map's box and the foot, and fits the
// projection to the box.
func (r *renderer) layout() {
	inner := r.width - 2*pad
	r.title = wrapText(r.m.Title, titleSize*1.08, inner) // bold is wider
	r.subtitle = wrapText(r.m.Subtitle, subtitleSize, inner)
	y := pad
	y += float64(len(r.title))*titleLine + float64(len(r.subtitle))*subtitleLine
	if len(r.title)+len(r.subtitle) > 0 {
		y += 6
	}
	r.mapX, r.mapY, r.mapW = pad, y, inner
	a := min(max(aspect(r.fit), minAspect), maxAspect)
	r.mapH = math.Round(a*(inner-2*FitMargin) + 2*FitMargin)
	r.proj = FitAlbers(r.fit, r.mapW, r.mapH)
	y += r.mapH + 12
	r.legend = layoutLegend(r.m.Legend, inner)
	y += r.legend.height
	y += 22 // the scale bar
	r.source = wrapText(r.m.Source, sourceSize, inner)
	y += float64(len(r.source)) * sourceLine
	r.height = math.Ceil(y + pad - 6)
}

// draw writes the whole document.
func (r *renderer) draw() {
	b := &r.b
	b.Grow(64 << 10)
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-title %s-desc" font-family="%s">`+"\n",
		num(r.width), num(r.height), num(r.width), num(r.height), r.id, r.id, fontFamily)
	title := r.m.Title
	if title == "" {
		title = "Map"
	}
	fmt.Fprintf(b, "<title id=\"%s-title\">%s</title>\n", r.id, esc(title))
	fmt.Fprintf(b, "<desc id=\"%s-desc\">%s</desc>\n", r.id, esc(joinSentences(r.m.Subtitle, r.m.Source)))
	r.defs()
	fmt.Fprintf(b, "<rect width=\"%s\" height=\"%s\" fill=\"#ffffff\"/>\n", num(r.width), num(r.height))
	r.header()
	fmt.Fprintf(b, "<g clip-path=\"url(#%s-clip)\">\n", r.id)
	b.WriteString("<g>\n")
	for _, s := range r.m.Base {
		r.shape(s, true)
	}
	b.WriteString("</g>\n<g>\n")
	for _, s := range r.m.Areas {
		r.shape(s, false)
	}
	b.WriteString("</g>\n<g>\n")
	for _, p := range r.m.Lines {
		r.path(p)
	}
	b.WriteString("</g>\n<g>\n")
	r.labels()
	b.WriteString("</g>\n</g>\n")
	y := r.mapY + r.mapH + 12
	r.drawLegend(y)
	y += r.legend.height
	r.scaleBar(y)
	y += 22
	for _, line := range r.source {
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" font-size=\"%s\" fill=\"#333333\">%s</text>\n",
			num(pad), num(y+sourceSize-2), num(sourceSize), esc(line))
		y += sourceLine
	}
	b.WriteString("</svg>\n")
}

// header writes the title and subtitle.
func (r *renderer) header() {
	y := pad
	for _, line := range r.title {
		fmt.Fprintf(&r.b, "<text x=\"%s\" y=\"%s\" font-size=\"%s\" font-weight=\"bold\" fill=\"%s\">%s</text>\n",
			num(pad), num(y+titleSize-3), num(titleSize), ink, esc(line))
		y += titleLine
	}
	for _, line := range r.subtitle {
		fmt.Fprintf(&r.b, "<text x=\"%s\" y=\"%s\" font-size=\"%s\" fill=\"#333333\">%s</text>\n",
			num(pad), num(y+subtitleSize-2), num(subtitleSize), esc(line))
		y += subtitleLine
	}
}

// patternID is the id of a pattern in this map.
func (r *renderer) patternID(p Pattern) string { return r.id + "-p-" + p.String() }

// defs writes the clip path of the map's box and the patterns the map
// uses, in a fixed order.
func (r *renderer) defs() {
	used := make([]bool, len(patternNames))
	for _, s := range r.m.Base {
		used[s.Pattern] = true
	}
	for _, s := range r.m.Areas {
		used[s.Pattern] = true
	}
	for _, it := range r.m.Legend {
		if !it.Line {
			used[it.Pattern] = true
		}
	}
	b := &r.b
	b.WriteString("<defs>\n")
	fmt.Fprintf(b, "<clipPath id=\"%s-clip\"><rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\"/></clipPath>\n",
		r.id, num(r.mapX), num(r.mapY), num(r.mapW), num(r.mapH))
	for p := PatternDiagonal; int(p) < len(patternNames); p++ {
		if used[p] {
			fmt.Fprintf(b, "<pattern id=\"%s\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\">%s</pattern>\n",
				r.patternID(p), hatch(p))
		}
	}
	b.WriteString("</defs>\n")
}

// hatch is the content of an 8 × 8 pixel tile of a pattern: dark lines a
// pixel wide, spaced widely enough to stay apart in print and to let the
// fill show through.
func hatch(p Pattern) string {
	line := func(d string, w string) string {
		return `<path d="` + d + `" fill="none" stroke="` + hatchInk + `" stroke-width="` + w + `"/>`
	}
	const (
		up   = "M-2 2L2 -2M0 8L8 0M6 10L10 6" // lower left to upper right
		down = "M-2 6L2 10M0 0L8 8M6 -2L10 2"
	)
	switch p {
	case PatternDiagonal:
		return line(up, "1")
	case PatternReverseDiagonal:
		return line(down, "1")
	case PatternCross:
		return line(up+down, "0.8")
	case PatternHorizontal:
		return line("M0 4H8", "1")
	case PatternVertical:
		return line("M4 0V8", "1")
	case PatternDots:
		return `<circle cx="4" cy="4" r="1.5" fill="` + hatchInk + `"/>`
	case PatternGrid:
		return line("M4 0V8M0 4H8", "0.8")
	}
	return ""
}

// pendingLabel is a label waiting to be placed, with the projected shape
// it names.
type pendingLabel struct {
	text  string
	shape MultiPolygon
	sizes []float64
}

// shape draws a shape as one path (holes included, even–odd), with its
// pattern over the fill, and queues its label.
func (r *renderer) shape(s Shape, base bool) {
	px := r.projectArea(s.Area)
	if len(px) == 0 {
		return
	}
	d := pathData(px)
	fill := s.Fill
	if fill == "" {
		fill = "none"
	}
	stroke, width := s.Stroke, strokeEdgeW
	switch {
	case stroke == "" && base:
		stroke, width = baseEdge, baseEdgeW
	case stroke == "":
		stroke, width = areaEdge, areaEdgeW
	}
	b := &r.b
	title := ""
	if s.Title != "" {
		title = "<title>" + esc(s.Title) + "</title>"
	}
	if s.Pattern == PatternNone {
		b.WriteString("<path d=\"")
		b.Write(d)
		fmt.Fprintf(b, "\" fill=\"%s\" fill-rule=\"evenodd\" stroke=\"%s\" stroke-width=\"%s\" stroke-linejoin=\"round\">%s</path>\n",
			fill, stroke, width, title)
		r.queueLabel(s, base, px)
		return
	}
	// The hatching goes over the fill as a second layer of the same
	// outline: the path, which takes its fill and stroke from the group,
	// is drawn again by reference with the pattern as its fill and no
	// stroke. The reference takes no pointer events, so the tooltip of
	// the group stays.
	r.shapes++
	sid := r.id + "-s" + strconv.Itoa(r.shapes)
	fmt.Fprintf(b, "<g fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\" stroke-linejoin=\"round\">%s<path id=\"%s\" d=\"", fill, stroke, width, title, sid)
	b.Write(d)
	fmt.Fprintf(b, "\" fill-rule=\"evenodd\"/><use href=\"#%s\" fill=\"url(#%s)\" stroke=\"none\" pointer-events=\"none\"/></g>\n", sid, r.patternID(s.Pattern))
	r.queueLabel(s, base, px)
}

// queueLabel queues a shape's label, if it has one, to be placed once
// every shape is drawn.
func (r *renderer) queueLabel(s Shape, base bool, px MultiPolygon) {
	if s.Label == "" {
		return
	}
	sizes := areaLabelSizes
	if base {
		sizes = baseLabelSizes
	}
	r.pending = append(r.pending, pendingLabel{text: s.Label, shape: px, sizes: sizes})
}

// projectArea returns an area in pixels: projected, simplified to about
// half a pixel and rounded to a tenth of one. Rings that shrink to
// nothing at this scale are left out, and so are polygons whose exterior
// does.
func (r *renderer) projectArea(m MultiPolygon) MultiPolygon {
	out := make(MultiPolygon, 0, len(m))
	for _, p := range m {
		if len(p) == 0 {
			continue
		}
		ext := r.projectRing(p[0])
		if ext == nil {
			continue
		}
		poly := Polygon{ext}
		for _, h := range p[1:] {
			if ph := r.projectRing(h); ph != nil {
				poly = append(poly, ph)
			}
		}
		out = append(out, poly)
	}
	return out
}

// projectRing returns a ring in pixels, or nil if it shrinks to less
// than a triangle.
func (r *renderer) projectRing(ring Ring) Ring {
	if len(ring) < 4 {
		return nil
	}
	px := make(Ring, len(ring))
	for i, pt := range ring {
		x, y := r.proj.Project(pt)
		px[i] = Point{x + r.mapX, y + r.mapY}
	}
	px = SimplifyRing(px, simplifyPx)
	if px == nil {
		return nil
	}
	out := px[:0]
	for _, pt := range px {
		pt = Point{round1(pt[0]), round1(pt[1])}
		if len(out) == 0 || out[len(out)-1] != pt {
			out = append(out, pt)
		}
	}
	if len(out) < 4 {
		return nil
	}
	return out
}

// pathData writes the rings of an area as SVG path data, each ring one
// closed subpath.
func pathData(m MultiPolygon) []byte {
	n := 0
	for _, p := range m {
		for _, ring := range p {
			n += len(ring)
		}
	}
	d := make([]byte, 0, n*12)
	for _, p := range m {
		for _, ring := range p {
			for i, pt := range ring[:len(ring)-1] {
				if i == 0 {
					d = append(d, 'M')
				} else {
					d = append(d, 'L')
				}
				d = appendNum(d, pt[0])
				d = append(d, ' ')
				d = appendNum(d, pt[1])
			}
			d = append(d, 'Z')
		}
	}
	return d
}

// path draws a line.
func (r *renderer) path(p Path) {
	px := make(Line, len(p.Line))
	for i, pt := range p.Line {
		x, y := r.proj.Project(pt)
		px[i] = Point{x + r.mapX, y + r.mapY}
	}
	px = SimplifyLine(px, simplifyPx)
	d := make([]byte, 0, len(px)*12)
	for i, pt := range px {
		if i == 0 {
			d = append(d, 'M')
		} else {
			d = append(d, 'L')
		}
		d = appendNum(d, pt[0])
		d = append(d, ' ')
		d = appendNum(d, pt[1])
	}
	width := lineWidth(p.Width)
	b := &r.b
	b.WriteString("<path d=\"")
	b.Write(d)
	fmt.Fprintf(b, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s stroke-linejoin=\"round\">",
		orDefault(p.Stroke, ink), num(width), dashes(p.Dashed, width))
	if p.Label != "" {
		fmt.Fprintf(b, "<title>%s</title>", esc(p.Label))
	}
	b.WriteString("</path>\n")
}

// lineWidth is the width a line is drawn at: 2 by default, never under
// half a pixel (it would vanish in print) nor over 12.
func lineWidth(w float64) float64 {
	if w == 0 {
		return 2
	}
	return min(max(w, 0.5), 12)
}

// dashes returns the dash attribute of a line of the given width, or ""
// for a solid one.
func dashes(dashed bool, width float64) string {
	if !dashed {
		return ""
	}
	return " stroke-dasharray=\"" + num(3*width+2) + " " + num(2*width+1) + "\""
}

// labels places the queued labels in order (the base map's come first)
// and draws those that fit: each at its shape's label point, at the
// largest size whose text lies wholly inside the shape and meets no label
// already placed. A label that fits at no size is left out.
func (r *renderer) labels() {
	for _, l := range r.pending {
		p := largestPolygon(l.shape)
		if p == nil {
			continue
		}
		coarse := coarsePolygon(p)
		if coarse == nil {
			continue
		}
		r.place(l, p, central(coarse, candidates(coarse, labelTries, labelPrecisionPx)))
	}
}

// central puts first, of the candidates with nearly the most room, those
// nearest the middle of the polygon's box: a shape such as a rectangle
// has a whole line of points with the most room, and a label reads
// better in the middle of it than at one end.
func central(p Polygon, cands []candidate) []candidate {
	b := Line(p[0]).Bounds()
	mid := Point{(b.MinLon + b.MaxLon) / 2, (b.MinLat + b.MaxLat) / 2}
	most := cands[0].room
	roomy := func(c candidate) bool { return c.room >= 0.75*most }
	slices.SortStableFunc(cands, func(x, y candidate) int {
		switch rx, ry := roomy(x), roomy(y); {
		case rx && ry:
			return cmp.Compare(dist2(x.at, mid), dist2(y.at, mid))
		case rx:
			return -1
		case ry:
			return 1
		}
		return cmp.Compare(y.room, x.room)
	})
	return cands
}

// place draws a label at the first of the candidate points where it fits,
// at the largest size that fits anywhere; a label that fits nowhere is
// left out.
func (r *renderer) place(l pendingLabel, p Polygon, cands []candidate) {
	for _, size := range l.sizes {
		w := textWidth(l.text, size)
		for _, c := range cands {
			if c.room < size/2 {
				continue // no room for the text's height
			}
			at := c.at
			bx := box{at[0] - w/2, at[1] - size/2, at[0] + w/2, at[1] + size/2}
			if !bx.grow(1).inside(p) || r.collides(bx) {
				continue
			}
			r.placed = append(r.placed, bx)
			fmt.Fprintf(&r.b, "<text x=\"%s\" y=\"%s\" font-size=\"%s\" text-anchor=\"middle\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">%s</text>\n",
				num(at[0]), num(at[1]+0.35*size), num(size), ink, esc(l.text))
			return
		}
	}
}

// coarsePolygon returns p simplified for the search of a label point, or
// nil if its exterior is too small to hold any label.
func coarsePolygon(p Polygon) Polygon {
	ext := SimplifyRing(p[0], coarsePx)
	if ext == nil {
		return nil
	}
	out := Polygon{ext}
	for _, h := range p[1:] {
		if c := SimplifyRing(h, coarsePx); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// collides reports whether a label's box comes too close to one already
// placed.
func (r *renderer) collides(b box) bool {
	b = b.grow(labelPad)
	for _, o := range r.placed {
		if b.overlaps(o) {
			return true
		}
	}
	return false
}

// legendLayout places the legend's items in columns, row by row; a label
// too long for its column wraps.
type legendLayout struct {
	cols   int
	colW   float64
	lines  [][]string // each item's label, wrapped
	rowY   []float64  // each row's top, from the legend's top
	height float64
}

// layoutLegend lays out a legend in a width: as many columns as its
// longest label allows, at most four.
func layoutLegend(items []LegendItem, width float64) legendLayout {
	var l legendLayout
	if len(items) == 0 {
		return l
	}
	widest := 0.0
	for _, it := range items {
		widest = max(widest, swatchW+6+textWidth(it.Label, legendSize))
	}
	l.cols = max(1, min(4, len(items), int((width+legendGap)/(min(widest, width)+legendGap))))
	l.colW = (width - float64(l.cols-1)*legendGap) / float64(l.cols)
	y := 0.0
	for i, it := range items {
		lines := wrapText(it.Label, legendSize, l.colW-swatchW-6)
		if len(lines) == 0 {
			lines = []string{""}
		}
		l.lines = append(l.lines, lines)
		if i%l.cols == l.cols-1 || i == len(items)-1 {
			row := i / l.cols
			tallest := 1
			for _, ls := range l.lines[row*l.cols:] {
				tallest = max(tallest, len(ls))
			}
			l.rowY = append(l.rowY, y)
			y += max(swatchH, float64(tallest)*legendLine) + 6
		}
	}
	l.height = y + 4
	return l
}

// drawLegend writes the legend with its top at y.
func (r *renderer) drawLegend(top float64) {
	l := r.legend
	b := &r.b
	for i, it := range r.m.Legend {
		x := pad + float64(i%l.cols)*(l.colW+legendGap)
		y := top + l.rowY[i/l.cols]
		if it.Line {
			fmt.Fprintf(b, "<path d=\"M%s %sH%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
				num(x), num(y+swatchH/2), num(x+swatchW), orDefault(it.Stroke, ink), dashes(it.Dashed, 2))
		} else {
			fmt.Fprintf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"0.75\"/>\n",
				num(x), num(y), num(swatchW), num(swatchH), orDefault(it.Fill, "none"), orDefault(it.Stroke, areaEdge))
			if it.Pattern != PatternNone {
				fmt.Fprintf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"url(#%s)\"/>\n",
					num(x), num(y), num(swatchW), num(swatchH), r.patternID(it.Pattern))
			}
		}
		for j, line := range l.lines[i] {
			fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" font-size=\"%s\" fill=\"%s\">%s</text>\n",
				num(x+swatchW+6), num(y+11+float64(j)*legendLine), num(legendSize), ink, esc(line))
		}
	}
}

// scaleBar draws a bar of a round number of kilometres (1, 2 or 5 times a
// power of ten) at the scale of the framed bounds' middle, and names the
// projection.
func (r *renderer) scaleBar(top float64) {
	mid := Point{(r.fit.MinLon + r.fit.MaxLon) / 2, (r.fit.MinLat + r.fit.MaxLat) / 2}
	kmPerPx := r.proj.KmPerPixel(mid)
	note := "Albers equal-area projection"
	b := &r.b
	if km, px := roundKm(kmPerPx, min(200, r.mapW/4)); km > 0 {
		x, y := pad, top+4
		fmt.Fprintf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"5\" fill=\"%s\"/>\n", num(x), num(y), num(px/2), ink)
		fmt.Fprintf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"5\" fill=\"none\" stroke=\"%s\" stroke-width=\"0.75\"/>\n", num(x), num(y), num(px), ink)
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" font-size=\"11\" fill=\"%s\">%s km</text>\n", num(x+px+6), num(y+6), ink, strconv.FormatFloat(km, 'f', -1, 64))
		note += "; scale at the centre"
	}
	fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" font-size=\"%s\" text-anchor=\"end\" fill=\"#333333\">%s</text>\n",
		num(r.width-pad), num(top+10), num(sourceSize), note)
}

// roundKm returns the longest round distance (1, 2 or 5 times a power of
// ten km) that spans at most maxPx pixels, and its length in pixels; 0 if
// the scale is unknown.
func roundKm(kmPerPx, maxPx float64) (km, px float64) {
	if !(kmPerPx > 0) || math.IsInf(kmPerPx, 0) {
		return 0, 0
	}
	most := kmPerPx * maxPx
	for p := math.Pow(10, math.Floor(math.Log10(most))); ; p /= 10 {
		for _, f := range []float64{5, 2, 1} {
			if f*p <= most {
				return f * p, f * p / kmPerPx
			}
		}
	}
}

// wrapText cuts text into lines no wider than width at the given font
// size, at spaces; a word too long for a line of its own is cut.
func wrapText(s string, size, width float64) []string {
	var lines []string
	var cur string
	for _, word := range strings.Fields(s) {
		for textWidth(word, size) > width && utf8.RuneCountInString(word) > 1 {
			// A word wider than the line: cut it where it stops fitting.
			if cur != "" {
				lines, cur = append(lines, cur), ""
			}
			cut := cutAt(word, size, width)
			lines, word = append(lines, word[:cut]), word[cut:]
		}
		switch {
		case cur == "":
			cur = word
		case textWidth(cur+" "+word, size) <= width:
			cur += " " + word
		default:
			lines, cur = append(lines, cur), word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// cutAt returns where to cut a word so that what comes before fits in
// width: after at least its first character.
func cutAt(word string, size, width float64) int {
	_, cut := utf8.DecodeRuneInString(word)
	w := 0.0
	for i := 0; i < len(word); {
		c, n := utf8.DecodeRuneInString(word[i:])
		if w += textWidth(string(c), size); w > width {
			break
		}
		i += n
		cut = max(cut, i)
	}
	return cut
}

// joinSentences joins the non-empty texts, each ending as a sentence.
func joinSentences(texts ...string) string {
	var out []string
	for _, t := range texts {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if !strings.ContainsAny(t[len(t)-1:], ".!?") {
			t += "."
		}
		out = append(out, t)
	}
	return strings.Join(out, " ")
}

// orDefault returns s, or def if s is "".
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// round1 rounds to a tenth, without a negative zero.
func round1(v float64) float64 {
	v = math.Round(v*10) / 10
	if v == 0 {
		return 0
	}
	return v
}

// appendNum appends a number rounded to a tenth, in its shortest form.
func appendNum(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, round1(v), 'f', -1, 64)
}

// num formats a number rounded to a tenth, in its shortest form.
func num(v float64) string { return string(appendNum(nil, v)) }

// esc escapes text for XML. Characters XML cannot hold at all (control
// characters, invalid UTF-8) become U+FFFD, so that any text gives a
// well-formed document.
func esc(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '"':
			b.WriteString("&quot;")
		case c == '\'':
			b.WriteString("&apos;")
		case c == '\t' || c == '\n' || c == '\r':
			b.WriteByte(' ')
		case c < 0x20 || c == 0xfffe || c == 0xffff || (c >= 0x7f && c <= 0x9f):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// checkID checks a map's ID: it goes into ids and url(#...) references
// unescaped, so it is kept to characters that need no escaping anywhere.
func checkID(id string) error {
	if len(id) > 64 {
		return fmt.Errorf("ID %.20q...: at most 64 characters", id)
	}
	for i, c := range id {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '-' || c == '_')) {
			return fmt.Errorf("ID %q: use letters, digits, '-' and '_', starting with a letter", id)
		}
	}
	return nil
}

// checkContent checks the shapes, lines and legend of a map: colours
// that are colours, patterns that exist, positions that are longitudes
// and latitudes.
func checkContent(m *Map) error {
	for i, s := range m.Base {
		if err := checkShape(s); err != nil {
			return fmt.Errorf("base shape %d%s: %w", i, named(s.Title, s.Label), err)
		}
	}
	for i, s := range m.Areas {
		if err := checkShape(s); err != nil {
			return fmt.Errorf("area %d%s: %w", i, named(s.Title, s.Label), err)
		}
	}
	for i, p := range m.Lines {
		if err := checkPath(p); err != nil {
			return fmt.Errorf("line %d%s: %w", i, named(p.Label), err)
		}
	}
	for i, it := range m.Legend {
		if err := checkLegendItem(it); err != nil {
			return fmt.Errorf("legend item %d%s: %w", i, named(it.Label), err)
		}
	}
	return nil
}

// named returns ` ("name")` for the first name that is not empty, to
// follow an item's number in an error.
func named(names ...string) string {
	for _, n := range names {
		if n != "" {
			return fmt.Sprintf(" (%q)", n)
		}
	}
	return ""
}

// checkShape checks a shape's colours, pattern and positions.
func checkShape(s Shape) error {
	if err := checkColour("fill", s.Fill); err != nil {
		return err
	}
	if err := checkColour("stroke", s.Stroke); err != nil {
		return err
	}
	if !s.Pattern.valid() {
		return fmt.Errorf("no such pattern: %v", s.Pattern)
	}
	for i, p := range s.Area {
		for j, ring := range p {
			for k, pt := range ring {
				if err := checkPosition(pt); err != nil {
					return fmt.Errorf("polygon %d, ring %d, position %d: %w", i, j, k, err)
				}
			}
		}
	}
	return nil
}

// checkPath checks a line's colour, width and positions.
func checkPath(p Path) error {
	if err := checkColour("stroke", p.Stroke); err != nil {
		return err
	}
	if !(p.Width >= 0) || math.IsInf(p.Width, 0) {
		return fmt.Errorf("width %v: a width is a number of pixels, 0 for the default", p.Width)
	}
	if len(p.Line) < 2 {
		return fmt.Errorf("a line has at least 2 positions, not %d", len(p.Line))
	}
	for k, pt := range p.Line {
		if err := checkPosition(pt); err != nil {
			return fmt.Errorf("position %d: %w", k, err)
		}
	}
	return nil
}

// checkLegendItem checks a legend item's colours and pattern.
func checkLegendItem(it LegendItem) error {
	if err := checkColour("fill", it.Fill); err != nil {
		return err
	}
	if err := checkColour("stroke", it.Stroke); err != nil {
		return err
	}
	if !it.Pattern.valid() {
		return fmt.Errorf("no such pattern: %v", it.Pattern)
	}
	return nil
}

// checkPosition checks that a position is a longitude and latitude in
// degrees.
func checkPosition(pt Point) error {
	if !(pt[0] >= -180 && pt[0] <= 180 && pt[1] >= -90 && pt[1] <= 90) {
		return fmt.Errorf("(%v, %v) is not a longitude (-180 to 180) and latitude (-90 to 90) in degrees", pt[0], pt[1])
	}
	return nil
}

// checkColour checks that a colour is one a presentation attribute can
// take and that refers to nothing: "#rgb", "#rrggbb" (with or without
// alpha), a colour name, or rgb(), rgba(), hsl() or hsla() of numbers.
// Anything else, such as url(...), is refused, so that no map can fetch
// or point at anything outside itself.
func checkColour(what, c string) error {
	if c == "" || isHexColour(c) || isColourName(c) || isColourFunction(c) {
		return nil
	}
	return fmt.Errorf("%s %q is not a colour: use #rgb, #rrggbb, a colour name or rgb(...)", what, c)
}

// isHexColour reports whether c is '#' and 3, 4, 6 or 8 hexadecimal
// digits.
func isHexColour(c string) bool {
	if len(c) < 2 || c[0] != '#' {
		return false
	}
	switch len(c) - 1 {
	case 3, 4, 6, 8:
	default:
		return false
	}
	for _, d := range c[1:] {
		if !(d >= '0' && d <= '9' || d >= 'a' && d <= 'f' || d >= 'A' && d <= 'F') {
			return false
		}
	}
	return true
}

// isColourName reports whether c could be a colour's name: a few ASCII
// letters ("black", "none", "currentColor").
func isColourName(c string) bool {
	if len(c) > 24 {
		return false
	}
	for _, d := range c {
		if !(d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z') {
			return false
		}
	}
	return true
}

// isColourFunction reports whether c is rgb(), rgba(), hsl() or hsla()
// of numbers, units, separators and percentages.
func isColourFunction(c string) bool {
	for _, f := range []string{"rgb(", "rgba(", "hsl(", "hsla("} {
		body, ok := strings.CutPrefix(c, f)
		if !ok {
			continue
		}
		body, ok = strings.CutSuffix(body, ")")
		if !ok || len(body) > 64 {
			return false
		}
		for _, d := range body {
			if !(d >= '0' && d <= '9' || d >= 'a' && d <= 'z' || strings.ContainsRune(" .,%/+-", d)) {
				return false
			}
		}
		return true
	}
	return false
}
