package geo

import (
	"math"
	"slices"
)

// Simplification drops positions that change a shape by less than a
// tolerance, with the Douglas–Peucker algorithm on the plain coordinates:
// degrees for shapes as stored, pixels for shapes already projected. It
// runs with an explicit stack, not recursion, so that a ring of millions
// of positions cannot exhaust the goroutine's stack.

// SimplifyLine returns the line with the positions within tol of the
// simplified line dropped; its ends are kept.
func SimplifyLine(l Line, tol float64) Line {
	if len(l) <= 2 || tol <= 0 {
		return l
	}
	keep := douglasPeucker(l, tol)
	out := make(Line, 0, len(l))
	for i, k := range keep {
		if k {
			out = append(out, l[i])
		}
	}
	return out
}

// SimplifyRing returns the ring simplified within tol, closed and with at
// least four positions, or nil when the ring is smaller than tol in both
// extents (it would be a speck).
func SimplifyRing(r Ring, tol float64) Ring {
	if len(r) < 4 {
		return nil
	}
	if tol <= 0 {
		return r
	}
	b := Line(r).Bounds()
	if b.MaxLon-b.MinLon < tol && b.MaxLat-b.MinLat < tol {
		return nil
	}
	// A closed ring starts and ends on one position, which Douglas–Peucker
	// cannot measure against; split it at the position farthest from the
	// start, and simplify both halves.
	far, best := 0, -1.0
	for i, p := range r {
		if d := dist2(p, r[0]); d > best {
			far, best = i, d
		}
	}
	first := SimplifyLine(Line(r[:far+1]), tol)
	second := SimplifyLine(Line(r[far:]), tol)
	out := make(Ring, 0, len(first)+len(second))
	out = append(out, first...)
	out = append(out, second[1:]...)
	if len(out) < 4 {
		// Only the start and the far position are left: a ring needs one
		// more, so keep the position farthest from the line between them.
		out = widest(r, far)
	}
	if planarArea(out) == 0 || (planarArea(out) > 0) != (planarArea(r) > 0) {
		// Dropping positions flattened the ring or turned it inside out;
		// better drawn as given than wrong.
		return r
	}
	return out
}

// widest returns the ring r reduced to its start, its position far, and
// the position farthest from the chord between them, in ring order.
func widest(r Ring, far int) Ring {
	best, bestD := -1, -1.0
	for i := 1; i < len(r)-1; i++ {
		if i == far {
			continue
		}
		if d := segDist2(r[i], r[0], r[far]); d > bestD {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return slices.Clone(r)
	}
	if best < far {
		return Ring{r[0], r[best], r[far], r[0]}
	}
	return Ring{r[0], r[far], r[best], r[0]}
}

// Simplify returns the area with every ring simplified within tol;
// collapsed holes are dropped, and so are polygons whose exterior
// collapses.
func Simplify(m MultiPolygon, tol float64) MultiPolygon {
	if tol <= 0 {
		return m
	}
	out := make(MultiPolygon, 0, len(m))
	for _, p := range m {
		if len(p) == 0 {
			continue
		}
		ext := SimplifyRing(p[0], tol)
		if ext == nil {
			continue
		}
		poly := Polygon{ext}
		for _, h := range p[1:] {
			if s := SimplifyRing(h, tol); s != nil {
				poly = append(poly, s)
			}
		}
		out = append(out, poly)
	}
	return out
}

// douglasPeucker marks the positions of l to keep.
func douglasPeucker(l Line, tol float64) []bool {
	keep := make([]bool, len(l))
	keep[0], keep[len(l)-1] = true, true
	tol2 := tol * tol
	type span struct{ a, b int }
	stack := []span{{0, len(l) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, best := -1, tol2
		for i := s.a + 1; i < s.b; i++ {
			if d := segDist2(l[i], l[s.a], l[s.b]); d > best {
				far, best = i, d
			}
		}
		if far >= 0 {
			keep[far] = true
			stack = append(stack, span{s.a, far}, span{far, s.b})
		}
	}
	return keep
}

// dist2 is the squared plain distance between two positions.
func dist2(a, b Point) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return dx*dx + dy*dy
}

// segDist2 is the squared plain distance from p to the segment a–b.
func segDist2(p, a, b Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return dist2(p, a)
	}
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return dist2(p, Point{a[0] + t*dx, a[1] + t*dy})
}
