package geo

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
)

// A label goes where a shape has the most room around it: near its pole
// of inaccessibility, the point inside it farthest from its edges. Labels
// of countries and regions are usually set there rather than at the
// centroid, which for a crescent or a ring lies outside the shape.
//
// The search works on plain coordinates, so it serves both shapes in
// degrees and shapes already projected to pixels; the renderer uses the
// latter, where distances are what the reader sees.

// The search is a grid search refined where it pays (the "polylabel"
// method): square cells cover the polygon's box; a cell whose centre is
// at distance d from the edges holds no point farther than d plus half
// its diagonal, so only cells that could beat the best point so far are
// split into four and searched further, most promising first.
const (
	// labelCells is about how many cells cover the box at first.
	labelCells = 64
	// labelPrecision is the share of the box's larger side within which
	// LabelPoint stops improving on the best point.
	labelPrecision = 5e-3
	// labelProbes bounds the cells looked at, whatever the shape.
	labelProbes = 2048
)

// LabelPoint returns a point inside an area where a label reads well: in
// its largest polygon, close to the point farthest from that polygon's
// edges and holes (its pole of inaccessibility). The point is inside the
// largest polygon whenever that polygon encloses any area. For an empty
// area it returns (0, 0).
func LabelPoint(m MultiPolygon) Point {
	p := largestPolygon(m)
	if p == nil {
		return Point{}
	}
	b := Line(p[0]).Bounds()
	return candidates(p, 1, labelPrecision*max(b.MaxLon-b.MinLon, b.MaxLat-b.MinLat))[0].at
}

// largestPolygon returns the polygon of m enclosing the most area in
// plain coordinates (exterior less holes), or nil if m has none.
func largestPolygon(m MultiPolygon) Polygon {
	var best Polygon
	bestArea := -1.0
	for _, p := range m {
		if len(p) == 0 || len(p[0]) < 4 {
			continue
		}
		a := math.Abs(planarArea(p[0]))
		for _, h := range p[1:] {
			a -= math.Abs(planarArea(h))
		}
		if a > bestArea {
			best, bestArea = p, a
		}
	}
	return best
}

// candidate is a point inside a polygon, with its distance to the
// polygon's nearest edge.
type candidate struct {
	at   Point
	room float64
}

// searchCell is a square of the search: its centre, its half side, the centre's
// signed distance to the polygon's edges (negative outside) and the most
// any point of it could have.
type searchCell struct {
	at         Point
	half, d, m float64
}

// newCell measures a cell of the search.
func newCell(at Point, half float64, p Polygon) searchCell {
	d := signedDistance(at, p)
	return searchCell{at, half, d, d + half*math.Sqrt2}
}

// signedDistance is the plain distance from pt to the nearest edge of p,
// negative if pt is outside p: one pass over the edges measures the
// distance and counts the crossings of a ray to the east (even–odd).
func signedDistance(pt Point, p Polygon) float64 {
	best := math.Inf(1)
	in := false
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			a, b := r[i-1], r[i]
			if (a[1] > pt[1]) != (b[1] > pt[1]) && pt[0] < (b[0]-a[0])*(pt[1]-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
			best = min(best, segDist2(pt, a, b))
		}
	}
	if !in {
		return -math.Sqrt(best)
	}
	return math.Sqrt(best)
}

// cellQueue orders cells by the most they could hold, largest first.
type cellQueue []searchCell

func (q cellQueue) Len() int           { return len(q) }
func (q cellQueue) Less(i, j int) bool { return q[i].m > q[j].m }
func (q cellQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *cellQueue) Push(x any)        { *q = append(*q, x.(searchCell)) }
func (q *cellQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

// candidates returns up to n points inside p, the one with the most room
// first: the best point the search finds, to within precision, then the
// centres of the first cells inside p by their room. The search starts from a point known to
// be inside p (on a horizontal scan line), so the first candidate always
// is.
func candidates(p Polygon, n int, precision float64) []candidate {
	start := scanPoint(p)
	best := candidate{start, edgeDistance(start, p)}
	b := Line(p[0]).Bounds()
	w, h := b.MaxLon-b.MinLon, b.MaxLat-b.MinLat
	size := math.Max(math.Sqrt(w*h/labelCells), math.Max(w, h)/labelCells)
	if !(size > 0) {
		return []candidate{best}
	}
	var q cellQueue
	var first []candidate
	for x := b.MinLon; x < b.MaxLon; x += size {
		for y := b.MinLat; y < b.MaxLat; y += size {
			c := newCell(Point{x + size/2, y + size/2}, size/2, p)
			q = append(q, c)
			if c.d > 0 {
				first = append(first, candidate{c.at, c.d})
			}
		}
	}
	heap.Init(&q)
	for probes := len(q); q.Len() > 0 && probes < labelProbes; {
		c := heap.Pop(&q).(searchCell)
		if c.d > best.room {
			best = candidate{c.at, c.d}
		}
		if c.m-best.room <= precision {
			continue // no point of this cell beats the best by enough
		}
		hh := c.half / 2
		for _, off := range [4]Point{{-hh, -hh}, {hh, -hh}, {-hh, hh}, {hh, hh}} {
			heap.Push(&q, newCell(Point{c.at[0] + off[0], c.at[1] + off[1]}, hh, p))
			probes++
		}
	}
	slices.SortStableFunc(first, func(x, y candidate) int { return cmp.Compare(y.room, x.room) })
	return append([]candidate{best}, first[:min(n-1, len(first))]...)
}

// scanPoint returns a point inside p: the middle of the widest stretch
// inside p along one of a few horizontal lines across it. Each line is
// moved to lie midway between the nearest positions above and below it,
// so that it passes through no position and crosses every edge it meets
// cleanly.
func scanPoint(p Polygon) Point {
	var ys []float64
	for _, r := range p {
		for _, pt := range r {
			ys = append(ys, pt[1])
		}
	}
	slices.Sort(ys)
	ys = slices.Compact(ys)
	b := Line(p[0]).Bounds()
	centre := Point{(b.MinLon + b.MaxLon) / 2, (b.MinLat + b.MaxLat) / 2}
	if len(ys) < 2 {
		return centre
	}
	best, bestW := centre, -1.0
	const lines = 7
	for k := 1; k <= lines; k++ {
		target := b.MinLat + (b.MaxLat-b.MinLat)*float64(k)/(lines+1)
		i, _ := slices.BinarySearch(ys, target)
		i = max(1, min(i, len(ys)-1))
		y := (ys[i-1] + ys[i]) / 2
		xs := crossings(p, y)
		for j := 0; j+1 < len(xs); j += 2 {
			if w := xs[j+1] - xs[j]; w > bestW {
				best, bestW = Point{(xs[j] + xs[j+1]) / 2, y}, w
			}
		}
	}
	return best
}

// crossings returns, in order, where the horizontal line at y crosses the
// edges of p. By the even–odd rule the stretches between the first and
// second, the third and fourth and so on lie inside p.
func crossings(p Polygon, y float64) []float64 {
	var xs []float64
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			a, c := r[i-1], r[i]
			if (a[1] > y) != (c[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(c[0]-a[0])/(c[1]-a[1]))
			}
		}
	}
	slices.Sort(xs)
	return xs
}

// inPolygon reports whether pt lies inside p's exterior and outside its
// holes.
func inPolygon(pt Point, p Polygon) bool {
	if !inRing(pt, p[0]) {
		return false
	}
	for _, h := range p[1:] {
		if inRing(pt, h) {
			return false
		}
	}
	return true
}

// edgeDistance is the plain distance from pt to the nearest edge of p.
func edgeDistance(pt Point, p Polygon) float64 {
	best := math.Inf(1)
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			best = min(best, segDist2(pt, r[i-1], r[i]))
		}
	}
	return math.Sqrt(best)
}

// box is an axis-aligned rectangle, such as the room a label takes.
type box struct{ x0, y0, x1, y1 float64 }

// grow returns the box widened by d on every side.
func (b box) grow(d float64) box { return box{b.x0 - d, b.y0 - d, b.x1 + d, b.y1 + d} }

// overlaps reports whether two boxes share any area.
func (b box) overlaps(o box) bool {
	return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1
}

// meets reports whether the segment a–c touches the box (closed), by
// clipping the segment to the box (Liang–Barsky).
func (b box) meets(a, c Point) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := c[0]-a[0], c[1]-a[1]
	for _, e := range [4][2]float64{
		{-dx, a[0] - b.x0}, {dx, b.x1 - a[0]},
		{-dy, a[1] - b.y0}, {dy, b.y1 - a[1]},
	} {
		q, r := e[0], e[1]
		if q == 0 {
			if r < 0 {
				return false // parallel to this side and outside it
			}
			continue
		}
		t := r / q
		if q < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// inside reports whether the box lies wholly inside p: no edge of p
// touches it, and its centre is inside p (a box that no edge reaches lies
// wholly on one side of every ring).
func (b box) inside(p Polygon) bool {
	if !inPolygon(Point{(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2}, p) {
		return false
	}
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			if b.meets(r[i-1], r[i]) {
				return false
			}
		}
	}
	return true
}

// textWidth estimates the width in pixels of text set in a sans-serif
// font at size px. Maps carry no fonts of their own, so the reader's
// system font draws them; the estimate takes common widths of Latin
// letters and errs wide, so that a label judged to fit does.
func textWidth(s string, size float64) float64 {
	em := 0.0
	for _, r := range s {
		em += runeWidth(r)
	}
	// DejaVu Sans, the usual fallback of system-ui on Linux, runs wide:
	// estimate on its side, so that wrapped text stays inside the map.
	return em * size * 1.12
}

// runeWidth is the width of a character in ems, by kind.
func runeWidth(r rune) float64 {
	switch {
	case r == ' ' || r == '.' || r == ',' || r == ':' || r == ';' || r == '\'' || r == '!' || r == '|' ||
		r == 'i' || r == 'j' || r == 'l':
		return 0.28
	case r == 'f' || r == 't' || r == 'r' || r == 'I' || r == '(' || r == ')' || r == '-' || r == '[' || r == ']':
		return 0.36
	case r == 'm' || r == 'w' || r == 'M' || r == 'W' || r == '@' || r == '%':
		return 0.88
	case r >= 'A' && r <= 'Z':
		return 0.68
	case r >= '0' && r <= '9':
		return 0.56
	case r < 0x80:
		return 0.55
	case r >= 0x2e80:
		return 1 // CJK and other wide scripts
	}
	return 0.62
}
