package geo

import (
	"fmt"
	"slices"
)

// The checks follow RFC 7946 and the simple-features rules that overlay
// relies on. Winding is decided by the planar signed area in degrees,
// since winding is a property of the drawing. Crossings are found by a
// sweep over edges sorted by longitude, which for borders costs little
// more than the sort: two million positions are checked in about a
// second.

// CheckPolygon checks a polygon: every ring closed with at least four
// positions, the exterior counter-clockwise and the holes clockwise, no
// ring crossing or touching itself or turning back on itself, no two
// rings crossing or sharing an edge, and every hole inside the exterior
// and outside the other holes. Two rings may touch at a position, as a
// hole may touch its exterior. Repeated positions in a row are
// tolerated. The error is an *Error whose Where names the ring and, when
// it can, the position.
func CheckPolygon(p Polygon) error {
	if len(p) == 0 {
		return &Error{Feature: -1, Msg: "a polygon has at least its exterior ring"}
	}
	for i, r := range p {
		if err := checkRing(r, i); err != nil {
			return err
		}
	}
	if c, ok := findCrossing(p, nil); ok {
		return c.err()
	}
	return checkHoles(p)
}

// checkRing checks one ring's length, closure and winding.
func checkRing(r Ring, i int) error {
	where := fmt.Sprintf("ring %d", i)
	if len(r) < 4 {
		return &Error{Feature: -1, Where: where, Msg: fmt.Sprintf("a ring has at least 4 positions, not %d", len(r))}
	}
	if r[0] != r[len(r)-1] {
		return &Error{Feature: -1, Where: where, Msg: fmt.Sprintf("ring is not closed: first position (%g, %g), last (%g, %g)",
			r[0][0], r[0][1], r[len(r)-1][0], r[len(r)-1][1])}
	}
	a := planarArea(r)
	switch {
	case a == 0:
		return &Error{Feature: -1, Where: where, Msg: "ring encloses no area"}
	case i == 0 && a < 0:
		return &Error{Feature: -1, Where: where, Msg: "the exterior ring runs clockwise; RFC 7946 wants exterior rings counter-clockwise (reverse the order of its positions)"}
	case i > 0 && a > 0:
		return &Error{Feature: -1, Where: where, Msg: "the hole runs counter-clockwise; RFC 7946 wants holes clockwise (reverse the order of its positions)"}
	}
	return nil
}

// checkHoles checks that every hole lies inside the exterior and outside
// every other hole; the rings are known not to cross.
func checkHoles(p Polygon) error {
	bounds := make([]Bounds, len(p))
	for i, r := range p {
		bounds[i] = Line(r).Bounds()
	}
	for i := 1; i < len(p); i++ {
		if inside, known := ringInside(p[i], p[0]); known && !inside {
			return &Error{Feature: -1, Where: fmt.Sprintf("ring %d", i), Msg: "the hole lies outside the exterior ring"}
		}
	}
	for i := 1; i < len(p); i++ {
		for j := i + 1; j < len(p); j++ {
			if !bounds[i].Meets(bounds[j]) {
				continue
			}
			if inside, known := ringInside(p[j], p[i]); known && inside {
				return &Error{Feature: -1, Where: fmt.Sprintf("ring %d", j), Msg: fmt.Sprintf("the hole lies inside hole %d (ring %d)", i, i)}
			}
			if inside, known := ringInside(p[i], p[j]); known && inside {
				return &Error{Feature: -1, Where: fmt.Sprintf("ring %d", i), Msg: fmt.Sprintf("the hole lies inside hole %d (ring %d)", j, j)}
			}
		}
	}
	return nil
}

// CheckOverlap checks that the polygons of an area, each already checked,
// do not overlap: no two cross, and none lies inside another (outside its
// holes). Polygons may touch, and may share stretches of border.
func CheckOverlap(m MultiPolygon) error {
	if len(m) < 2 {
		return nil
	}
	var rings Polygon
	var group []int
	for pi, p := range m {
		for _, r := range p {
			rings = append(rings, r)
			group = append(group, pi)
		}
	}
	if c, ok := findCrossing(rings, group); ok {
		if c.tooIntricate {
			return tooIntricate()
		}
		return &Error{Feature: -1, Where: fmt.Sprintf("polygon %d", group[c.ringB]), Msg: fmt.Sprintf(
			"the polygon overlaps polygon %d: their borders cross near (%g, %g)", group[c.ringA], c.at[0], c.at[1])}
	}
	bounds := make([]Bounds, len(m))
	for i, p := range m {
		bounds[i] = Line(p[0]).Bounds()
	}
	order := make([]int, len(m))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmpFloat(bounds[a].MinLon, bounds[b].MinLon) })
	// Each polygon's positions, as a set, made when first needed.
	verts := make([]map[Point]struct{}, len(m))
	vertsOf := func(i int) map[Point]struct{} {
		if verts[i] == nil {
			verts[i] = map[Point]struct{}{}
			for _, r := range m[i] {
				for _, pt := range r {
					verts[i][pt] = struct{}{}
				}
			}
		}
		return verts[i]
	}
	for x, i := range order {
		for _, j := range order[x+1:] {
			if bounds[j].MinLon > bounds[i].MaxLon {
				break
			}
			if !bounds[i].Meets(bounds[j]) {
				continue
			}
			if polygonInside(m[j], m[i], bounds[i], vertsOf(i)) || polygonInside(m[i], m[j], bounds[j], vertsOf(j)) {
				a, b := min(i, j), max(i, j)
				return &Error{Feature: -1, Where: fmt.Sprintf("polygon %d", b), Msg: fmt.Sprintf("the polygon overlaps polygon %d: one lies inside the other", a)}
			}
		}
	}
	return nil
}

// polygonInside reports whether the exterior of a, which does not cross
// b, lies within b's area; bb is the box of b's exterior and verts the
// set of b's positions. It is judged by a position of a's exterior, or
// the midpoint of one of its edges, that is on no ring of b; when there
// is none, a's exterior runs along b's rings, and lies within b when it
// runs along b's exterior rather than filling one of its holes.
func polygonInside(a, b Polygon, bb Bounds, verts map[Point]struct{}) bool {
	ext := a[0]
candidates:
	for k := range 2*len(ext) - 1 {
		pt := ext[k/2]
		if k%2 == 1 {
			q := ext[k/2+1]
			pt = Point{(pt[0] + q[0]) / 2, (pt[1] + q[1]) / 2}
		}
		if pt[0] < bb.MinLon || pt[0] > bb.MaxLon || pt[1] < bb.MinLat || pt[1] > bb.MaxLat {
			return false
		}
		// Neighbours share borders position for position: pass those
		// positions without measuring them against every edge of b.
		if _, ok := verts[pt]; ok {
			continue
		}
		in, on := locate(pt, b[0])
		switch {
		case on:
			continue
		case !in:
			return false
		}
		for _, h := range b[1:] {
			in, on := locate(pt, h)
			switch {
			case on:
				continue candidates
			case in:
				return false
			}
		}
		return true
	}
	mid := Point{(ext[0][0] + ext[1][0]) / 2, (ext[0][1] + ext[1][1]) / 2}
	_, on := locate(mid, b[0])
	return on
}

// cmpFloat orders two numbers.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// planarArea is twice the signed area of a ring in square degrees:
// positive counter-clockwise. Winding is a property of the drawing, so
// plain coordinates decide it.
func planarArea(r Ring) float64 {
	s := 0.0
	for i := 1; i < len(r); i++ {
		s += (r[i-1][0] - r[0][0]) * (r[i][1] - r[0][1])
		s -= (r[i][0] - r[0][0]) * (r[i-1][1] - r[0][1])
	}
	return s
}

// ringInside reports whether ring a, which does not cross ring b, lies
// inside b, judged by a position of a that is not on b; known is false
// when every position of a is on b.
func ringInside(a, b Ring) (inside, known bool) {
	for _, pt := range a {
		if in, on := locate(pt, b); !on {
			return in, true
		}
	}
	return false, false
}

// locate reports whether pt lies inside the ring (even–odd rule), or on
// it, at a position or along an edge, in one pass over its edges.
func locate(pt Point, r Ring) (inside, on bool) {
	for i := 1; i < len(r); i++ {
		a, b := r[i-1], r[i]
		if orient(a, b, pt) == 0 && within(pt, a, b) {
			return false, true
		}
		if (a[1] > pt[1]) != (b[1] > pt[1]) && pt[0] < (b[0]-a[0])*(pt[1]-a[1])/(b[1]-a[1])+a[0] {
			inside = !inside
		}
	}
	return inside, false
}

// inRing reports whether pt lies inside a ring (even–odd rule).
func inRing(pt Point, r Ring) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > pt[1]) != (b[1] > pt[1]) && pt[0] < (b[0]-a[0])*(pt[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// segment is one edge of a ring, with where it is.
type segment struct {
	a, b Point
	ring int32
	pos  int32 // the index of the edge in its ring, repeated positions dropped
	orig int32 // the index of a in the ring as given
}

// minX and maxX are the edge's least and greatest longitude.
func (s *segment) minX() float64 { return min(s.a[0], s.b[0]) }
func (s *segment) maxX() float64 { return max(s.a[0], s.b[0]) }

// crossing is where two edges meet where they should not.
type crossing struct {
	ringA, ringB int
	posA, posB   int
	at           Point
	back         bool // a ring turning back on itself
	// tooIntricate says that the check gave up.
	tooIntricate bool
}

// err describes a crossing within one polygon.
func (c crossing) err() *Error {
	switch {
	case c.tooIntricate:
		return tooIntricate()
	case c.back:
		return &Error{Feature: -1, Where: fmt.Sprintf("ring %d, position %d", c.ringA, c.posB), Msg: fmt.Sprintf(
			"the ring turns back on itself at (%g, %g), a spike of no width", c.at[0], c.at[1])}
	case c.ringA == c.ringB:
		return &Error{Feature: -1, Where: fmt.Sprintf("ring %d", c.ringA), Msg: fmt.Sprintf(
			"the ring crosses or touches itself near (%g, %g), between its edges from positions %d and %d", c.at[0], c.at[1], c.posA, c.posB)}
	}
	return &Error{Feature: -1, Where: fmt.Sprintf("ring %d", c.ringB), Msg: fmt.Sprintf(
		"the ring crosses ring %d, or runs along it, near (%g, %g)", c.ringA, c.at[0], c.at[1])}
}

// tooIntricate is the error of a check that gave up.
func tooIntricate() *Error {
	return &Error{Feature: -1, Msg: "the shape is too intricate to check for crossings: thousands of long edges lie closely side by side; simplify it"}
}

// edges returns the edges of rings, repeated positions dropped, and the
// number of edges of each ring.
func edges(rings []Ring) ([]segment, []int32) {
	n := 0
	for _, r := range rings {
		n += max(0, len(r)-1)
	}
	segs := make([]segment, 0, n)
	counts := make([]int32, len(rings))
	for ri, r := range rings {
		start := len(segs)
		prev := 0
		for i := 1; i < len(r); i++ {
			if r[i] == r[prev] {
				continue
			}
			segs = append(segs, segment{a: r[prev], b: r[i], ring: int32(ri), pos: int32(len(segs) - start), orig: int32(prev)})
			prev = i
		}
		counts[ri] = int32(len(segs) - start)
	}
	return segs, counts
}

// findCrossing reports two edges of the rings that meet where they should
// not. Without groups, the rings are one polygon's: edges of one ring may
// meet only where they follow each other, and two rings may touch only at
// positions. With groups (the polygon of each ring), only rings of
// different groups are compared, and they may also share stretches of
// border.
//
// The edges are split in two at the median of their midpoints, along the
// direction (east, north or a diagonal) that cuts fewer of them, again
// and again until a few dozen are left, which are compared pairwise; an
// edge cut by the split goes both ways. Two edges that meet do so on one
// side of the split, where both are. For a border this is O(n log n),
// also where positions crowd, as on a fjord coast, and where long edges
// run side by side. Only contrived shapes, such as thousands of long
// slanted edges packed side by side, defeat it: after a budget of
// comparisons proportional to the edges, the check gives up with
// tooIntricate rather than run for hours.
func findCrossing(rings []Ring, group []int) (c crossing, found bool) {
	f := crossFinder{group: group}
	f.segs, f.counts = edges(rings)
	f.budget = 32*len(f.segs) + 1_000_000
	idx := make([]int32, len(f.segs))
	for i := range idx {
		idx[i] = int32(i)
	}
	return f.in(idx, 0)
}

// crossFinder looks for edges that meet.
type crossFinder struct {
	segs   []segment
	counts []int32 // the number of edges of each ring
	group  []int
	budget int     // comparisons left
	stack  []int32 // the edges of the parts being searched
}

// directions along which edges may be split: east, north and the two
// diagonals.
var directions = [4][2]float64{{1, 0}, {0, 1}, {1, 1}, {1, -1}}

// span returns the least and greatest of an edge's positions along a
// direction.
func (s *segment) span(dir int) (lo, hi float64) {
	d := directions[dir]
	x, y := d[0]*s.a[0]+d[1]*s.a[1], d[0]*s.b[0]+d[1]*s.b[1]
	return min(x, y), max(x, y)
}

// in looks for two edges among idx that meet.
func (f *crossFinder) in(idx []int32, depth int) (crossing, bool) {
	const leaf = 24
	if len(idx) <= leaf || depth > 64 {
		return f.pairs(idx)
	}
	dir, cut, straddle := f.split(idx)
	if straddle*4 > len(idx)*3 {
		// Most edges cross every split: compare them by a sweep.
		return f.sweep(idx)
	}
	// Each side's edges go on a stack shared by the whole search, so
	// that it allocates no more than the edges along one path down.
	for side := range 2 {
		start := len(f.stack)
		for _, i := range idx {
			lo, hi := f.segs[i].span(dir)
			if (side == 0 && lo <= cut) || (side == 1 && hi >= cut) {
				f.stack = append(f.stack, i)
			}
		}
		c, ok := f.in(f.stack[start:], depth+1)
		f.stack = f.stack[:start]
		if ok {
			return c, true
		}
	}
	return crossing{}, false
}

// split chooses where to split edges: the direction, and the median of a
// sample of their midpoints along it, that cuts fewest edges.
func (f *crossFinder) split(idx []int32) (dir int, cut float64, straddle int) {
	step := max(1, len(idx)/63)
	straddle = len(idx) + 1
	var sample []float64
	for d := range directions {
		if d == 2 && straddle*4 <= len(idx) {
			break // east or north splits well enough: the diagonals are for slanted combs
		}
		sample = sample[:0]
		for k := 0; k < len(idx); k += step {
			lo, hi := f.segs[idx[k]].span(d)
			sample = append(sample, (lo+hi)/2)
		}
		slices.Sort(sample)
		c := sample[len(sample)/2]
		n := 0
		for _, i := range idx {
			if lo, hi := f.segs[i].span(d); lo < c && hi > c {
				n++
			}
		}
		if n < straddle {
			dir, cut, straddle = d, c, n
		}
	}
	return dir, cut, straddle
}

// compare reports whether edges i and j meet, spending the budget.
func (f *crossFinder) compare(i, j int32) (crossing, bool) {
	f.budget--
	if f.budget < 0 {
		return crossing{tooIntricate: true}, true
	}
	return f.meet(&f.segs[i], &f.segs[j])
}

// pairs compares every two edges of idx whose longitudes overlap.
func (f *crossFinder) pairs(idx []int32) (crossing, bool) {
	for x, i := range idx {
		s := &f.segs[i]
		for _, j := range idx[x+1:] {
			if t := &f.segs[j]; s.maxX() < t.minX() || t.maxX() < s.minX() {
				continue
			}
			if c, ok := f.compare(i, j); ok {
				return c, true
			}
		}
	}
	return crossing{}, false
}

// sweep compares the edges of idx whose longitudes overlap, sweeping from
// west to east.
func (f *crossFinder) sweep(idx []int32) (crossing, bool) {
	order := slices.Clone(idx)
	slices.SortFunc(order, func(x, y int32) int { return cmpFloat(f.segs[x].minX(), f.segs[y].minX()) })
	var active []int32
	for _, i := range order {
		s := &f.segs[i]
		kept := active[:0]
		for _, j := range active {
			if f.segs[j].maxX() >= s.minX() {
				kept = append(kept, j)
			}
		}
		active = kept
		for _, j := range active {
			if c, ok := f.compare(i, j); ok {
				return c, true
			}
		}
		active = append(active, i)
	}
	return crossing{}, false
}

// meet reports whether two edges meet where they should not.
func (f *crossFinder) meet(s, t *segment) (crossing, bool) {
	group := f.group
	if max(s.a[1], s.b[1]) < min(t.a[1], t.b[1]) || max(t.a[1], t.b[1]) < min(s.a[1], s.b[1]) {
		return crossing{}, false
	}
	if s.ring > t.ring || (s.ring == t.ring && s.pos > t.pos) {
		s, t = t, s
	}
	c := crossing{ringA: int(s.ring), ringB: int(t.ring), posA: int(s.orig), posB: int(t.orig)}
	if group != nil {
		if group[s.ring] == group[t.ring] {
			return crossing{}, false
		}
		at, ok := properCross(s.a, s.b, t.a, t.b)
		c.at = at
		return c, ok
	}
	if s.ring == t.ring {
		if d := t.pos - s.pos; d == 1 || d == f.counts[s.ring]-1 {
			return turnsBack(s, t)
		}
		at, ok := touch(s.a, s.b, t.a, t.b)
		c.at = at
		return c, ok
	}
	if at, ok := properCross(s.a, s.b, t.a, t.b); ok {
		c.at = at
		return c, true
	}
	if orient(t.a, t.b, s.a) == 0 && orient(t.a, t.b, s.b) == 0 && overlap(s.a, s.b, t.a, t.b) {
		c.at = s.a
		return c, true
	}
	return crossing{}, false
}

// turnsBack reports whether of two edges that follow each other in a
// ring, the second runs back along the first.
func turnsBack(s, t *segment) (crossing, bool) {
	// Order them so that the first ends where the second starts.
	if t.b == s.a {
		s, t = t, s
	}
	if s.b != t.a {
		return crossing{}, false
	}
	a, b, c := s.a, s.b, t.b
	if orient(a, b, c) != 0 || (b[0]-a[0])*(c[0]-b[0])+(b[1]-a[1])*(c[1]-b[1]) >= 0 {
		return crossing{}, false
	}
	return crossing{ringA: int(s.ring), ringB: int(s.ring), posA: int(s.orig), posB: int(t.orig), at: b, back: true}, true
}

// properCross reports whether segments p1–p2 and q1–q2 cross at a point
// inside both, and where.
func properCross(p1, p2, q1, q2 Point) (Point, bool) {
	d1 := orient(q1, q2, p1)
	d2 := orient(q1, q2, p2)
	d3 := orient(p1, p2, q1)
	d4 := orient(p1, p2, q2)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		t := d1 / (d1 - d2)
		return Point{p1[0] + t*(p2[0]-p1[0]), p1[1] + t*(p2[1]-p1[1])}, true
	}
	return Point{}, false
}

// touch reports whether segments p1–p2 and q1–q2 share any point, and
// one of them.
func touch(p1, p2, q1, q2 Point) (Point, bool) {
	if at, ok := properCross(p1, p2, q1, q2); ok {
		return at, true
	}
	for _, c := range [4]struct{ pt, a, b Point }{{p1, q1, q2}, {p2, q1, q2}, {q1, p1, p2}, {q2, p1, p2}} {
		if orient(c.a, c.b, c.pt) == 0 && within(c.pt, c.a, c.b) {
			return c.pt, true
		}
	}
	return Point{}, false
}

// orient is the cross product of b−a and c−a: its sign says which side of
// a–b the position c is on.
func orient(a, b, c Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// within reports whether c, collinear with a–b, lies between them.
func within(c, a, b Point) bool {
	return min(a[0], b[0]) <= c[0] && c[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= c[1] && c[1] <= max(a[1], b[1])
}

// overlap reports whether two collinear segments share more than one
// position.
func overlap(p1, p2, q1, q2 Point) bool {
	ax := 0
	if abs(p2[1]-p1[1]) > abs(p2[0]-p1[0]) {
		ax = 1
	}
	lo1, hi1 := min(p1[ax], p2[ax]), max(p1[ax], p2[ax])
	lo2, hi2 := min(q1[ax], q2[ax]), max(q1[ax], q2[ax])
	return min(hi1, hi2) > max(lo1, lo2)
}

// abs is the absolute value.
func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
