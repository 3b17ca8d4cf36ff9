package geo

import (
	"fmt"
	"slices"
)

// CheckPolygon checks what RFC 7946 and the simple-features rules ask of
// a polygon: every ring closed with at least four positions, the exterior
// counter-clockwise and the holes clockwise, no ring crossing itself or
// another, and every hole inside the exterior. Rings may touch at a
// position, as real borders do where a region's enclave meets its edge.
// The error is an *Error whose Where names the ring.
func CheckPolygon(p Polygon) error {
	if len(p) == 0 {
		return &Error{Feature: -1, Msg: "a polygon has at least its exterior ring"}
	}
	for i, r := range p {
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
			return &Error{Feature: -1, Where: where, Msg: "the exterior ring runs clockwise; RFC 7946 wants exterior rings counter-clockwise (reverse it)"}
		case i > 0 && a > 0:
			return &Error{Feature: -1, Where: where, Msg: "a hole runs counter-clockwise; RFC 7946 wants holes clockwise (reverse it)"}
		}
	}
	if c, ok := findCrossing(p); ok {
		if c.ringA == c.ringB {
			return &Error{Feature: -1, Where: fmt.Sprintf("ring %d", c.ringA), Msg: fmt.Sprintf(
				"ring crosses itself near (%g, %g), between positions %d and %d", c.at[0], c.at[1], c.posA, c.posB)}
		}
		return &Error{Feature: -1, Where: fmt.Sprintf("ring %d", c.ringB), Msg: fmt.Sprintf(
			"ring crosses ring %d near (%g, %g)", c.ringA, c.at[0], c.at[1])}
	}
	for i, h := range p[1:] {
		if !holeInside(h, p[0]) {
			return &Error{Feature: -1, Where: fmt.Sprintf("ring %d", i+1), Msg: "a hole lies outside the exterior ring"}
		}
	}
	return nil
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

// holeInside reports whether a hole lies inside an exterior ring, by one
// of its positions that is not on the exterior (the rings do not cross).
func holeInside(hole, ext Ring) bool {
	for _, pt := range hole {
		if onRing(pt, ext) {
			continue
		}
		return inRing(pt, ext)
	}
	return true // every position on the exterior: a degenerate hole, already refused for having no area
}

// onRing reports whether pt is one of the ring's positions.
func onRing(pt Point, r Ring) bool { return slices.Contains(r, pt) }

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

// Contains reports whether a position lies inside an area.
func Contains(m MultiPolygon, pt Point) bool {
	for _, p := range m {
		if len(p) == 0 || !inRing(pt, p[0]) {
			continue
		}
		inHole := false
		for _, h := range p[1:] {
			if inRing(pt, h) {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}

// segment is one edge of a ring, with where it is.
type segment struct {
	a, b       Point
	ring, pos  int // the ring, and the index of a in the ring with repeats dropped
	n          int // the ring's number of edges, with repeats dropped
	minX, maxX float64
	orig       int // the index of a in the ring as given
}

// crossing is where two edges cross.
type crossing struct {
	ringA, ringB int
	posA, posB   int
	at           Point
}

// findCrossing sweeps the edges of every ring of p from west to east and
// reports the first two that cross: O(n log n) plus the pairs whose
// longitudes overlap, which for borders is near linear. Edges next to
// each other in a ring share a position and do not count; nor do rings
// that merely touch.
func findCrossing(p Polygon) (crossing, bool) {
	var segs []segment
	for ri, r := range p {
		start := len(segs)
		prev := 0
		for i := 1; i < len(r); i++ {
			if r[i] == r[prev] {
				continue // a repeated position is no edge
			}
			a, b := r[prev], r[i]
			segs = append(segs, segment{a: a, b: b, ring: ri, pos: len(segs) - start, orig: prev,
				minX: min(a[0], b[0]), maxX: max(a[0], b[0])})
			prev = i
		}
		for k := start; k < len(segs); k++ {
			segs[k].n = len(segs) - start
		}
	}
	slices.SortFunc(segs, func(x, y segment) int {
		switch {
		case x.minX < y.minX:
			return -1
		case x.minX > y.minX:
			return 1
		}
		return 0
	})
	var active []int
	for i := range segs {
		s := &segs[i]
		kept := active[:0]
		for _, j := range active {
			if segs[j].maxX >= s.minX {
				kept = append(kept, j)
			}
		}
		active = kept
		for _, j := range active {
			t := &segs[j]
			if adjacent(s, t) {
				continue
			}
			if at, ok := cross(s.a, s.b, t.a, t.b, s.ring == t.ring); ok {
				a, b := t, s
				if a.ring > b.ring || (a.ring == b.ring && a.orig > b.orig) {
					a, b = b, a
				}
				return crossing{ringA: a.ring, ringB: b.ring, posA: a.orig, posB: b.orig, at: at}, true
			}
		}
		active = append(active, i)
	}
	return crossing{}, false
}

// adjacent reports whether two edges follow each other in one ring.
func adjacent(s, t *segment) bool {
	if s.ring != t.ring {
		return false
	}
	d := s.pos - t.pos
	if d < 0 {
		d = -d
	}
	return d == 1 || d == s.n-1
}

// cross reports whether segments p1–p2 and q1–q2 cross, and where. Within
// one ring, any meeting other than at shared end positions counts (a
// position of one edge lying on another is a pinch); between rings only a
// proper crossing or an overlap does, since rings may touch.
func cross(p1, p2, q1, q2 Point, sameRing bool) (Point, bool) {
	if max(p1[1], p2[1]) < min(q1[1], q2[1]) || max(q1[1], q2[1]) < min(p1[1], p2[1]) {
		return Point{}, false
	}
	d1 := orient(q1, q2, p1)
	d2 := orient(q1, q2, p2)
	d3 := orient(p1, p2, q1)
	d4 := orient(p1, p2, q2)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		// A proper crossing.
		t := d1 / (d1 - d2)
		return Point{p1[0] + t*(p2[0]-p1[0]), p1[1] + t*(p2[1]-p1[1])}, true
	}
	if d1 == 0 && d2 == 0 {
		// Collinear: overlapping edges are a crossing when they share
		// more than a position.
		if overlap(p1, p2, q1, q2) {
			return p1, true
		}
		return Point{}, false
	}
	if !sameRing {
		return Point{}, false
	}
	// A position of one edge on the other edge, other than a shared end.
	for _, c := range []struct {
		pt     Point
		d      float64
		a, b   Point
		shared bool
	}{
		{p1, d1, q1, q2, p1 == q1 || p1 == q2}, {p2, d2, q1, q2, p2 == q1 || p2 == q2},
		{q1, d3, p1, p2, q1 == p1 || q1 == p2}, {q2, d4, p1, p2, q2 == p1 || q2 == p2},
	} {
		if c.d == 0 && !c.shared && within(c.pt, c.a, c.b) {
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
	// Project on the longer axis.
	ax := 0
	if abs(p2[1]-p1[1]) > abs(p2[0]-p1[0]) {
		ax = 1
	}
	lo1, hi1 := min(p1[ax], p2[ax]), max(p1[ax], p2[ax])
	lo2, hi2 := min(q1[ax], q2[ax]), max(q1[ax], q2[ax])
	return min(hi1, hi2) > max(lo1, lo2)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
