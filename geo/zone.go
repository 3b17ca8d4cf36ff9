package geo

import (
	"errors"
	"fmt"
	"math"

	"github.com/peterstace/simplefeatures/geom"
)

// Side is a side of a line, walking it from its first position to its
// last.
type Side int

// The sides; Both keeps a zone on both sides.
const (
	Both Side = iota
	Left
	Right
)

// MaxBufferKm is the widest buffer along a line.
const MaxBufferKm = 500

// circleSides is how many sides the circles of a buffer have: at 32, a
// buffer's area is within 0.7% of the true one at its rounded ends, and
// exact along straight stretches.
const circleSides = 32

// Buffer returns the area within km of the line. Each segment is buffered
// in a local projection centred on it (kilometres east and north, scaled
// by the cosine of its latitude), as a rectangle with half-circles at its
// ends, and the pieces are joined: what a plan's "N km on either side"
// means, to well under a percent for segments of a few hundred km.
func Buffer(l Line, km float64) (MultiPolygon, error) {
	if len(l) < 2 {
		return nil, errors.New("geo: a buffer is taken along a line of at least 2 positions")
	}
	if !(km > 0 && km <= MaxBufferKm) {
		return nil, fmt.Errorf("geo: a buffer is more than 0 and at most %d km wide, not %g", MaxBufferKm, km)
	}
	var pieces []geom.Geometry
	for i := 1; i < len(l); i++ {
		if l[i] == l[i-1] {
			continue
		}
		pieces = append(pieces, toGeom(MultiPolygon{{stadium(l[i-1], l[i], km)}}))
	}
	if len(pieces) == 0 {
		return nil, errors.New("geo: the line has no length")
	}
	g, err := geom.UnionMany(pieces)
	if err != nil {
		return nil, fmt.Errorf("geo: buffer: %w", err)
	}
	return fromGeom(g), nil
}

// stadium is the ring around segment a–b at distance km: two straight
// sides and two half-circles, counter-clockwise, in longitude and
// latitude.
func stadium(a, b Point, km float64) Ring {
	lat0 := (a[1] + b[1]) / 2
	ky := math.Pi / 180 * MeanRadius
	kx := ky * math.Cos(lat0*math.Pi/180)
	lon0 := (a[0] + b[0]) / 2
	toXY := func(p Point) (float64, float64) { return (p[0] - lon0) * kx, (p[1] - lat0) * ky }
	toLL := func(x, y float64) Point { return Point{lon0 + x/kx, lat0 + y/ky} }
	ax, ay := toXY(a)
	bx, by := toXY(b)
	dir := math.Atan2(by-ay, bx-ax)
	var r Ring
	half := circleSides / 2
	// Around b from the right side of the segment to its left, then
	// around a from the left to the right: counter-clockwise.
	for k := 0; k <= half; k++ {
		t := dir - math.Pi/2 + math.Pi*float64(k)/float64(half)
		r = append(r, toLL(bx+km*math.Cos(t), by+km*math.Sin(t)))
	}
	for k := 0; k <= half; k++ {
		t := dir + math.Pi/2 + math.Pi*float64(k)/float64(half)
		r = append(r, toLL(ax+km*math.Cos(t), ay+km*math.Sin(t)))
	}
	return append(r, r[0])
}

// Split returns the part of the area on one side of the line. The line
// is extended straight from both ends until it leaves a box around the
// area and the line, and the side is closed along the box; a line that
// does not cross the area leaves all of it on one side and none on the
// other.
func Split(area MultiPolygon, l Line, s Side) (MultiPolygon, error) {
	if s == Both {
		return area, nil
	}
	if len(l) < 2 {
		return nil, errors.New("geo: a split is along a line of at least 2 positions")
	}
	half, err := halfPlane(area.Bounds().Union(l.Bounds()), l, s)
	if err != nil {
		return nil, err
	}
	return Intersection(area, half)
}

// halfPlane is the polygon of everything within box b on one side of the
// line extended to the box's edges.
func halfPlane(b Bounds, l Line, s Side) (MultiPolygon, error) {
	pad := 1.0
	b = Bounds{b.MinLon - pad, b.MinLat - pad, b.MaxLon + pad, b.MaxLat + pad}
	first, last := 0, len(l)-1
	for first < last && l[first+1] == l[first] {
		first++
	}
	for last > first && l[last-1] == l[last] {
		last--
	}
	if first == last {
		return nil, errors.New("geo: the line has no length")
	}
	start := exit(b, l[first], Point{l[first][0] - l[first+1][0], l[first][1] - l[first+1][1]})
	end := exit(b, l[last], Point{l[last][0] - l[last-1][0], l[last][1] - l[last-1][1]})
	path := Ring{start}
	path = append(path, l[first:last+1]...)
	path = append(path, end)
	// Walk the box's edge from the end back to the start: counter-
	// clockwise for the left side, clockwise for the right.
	path = append(path, boxWalk(b, end, start, s == Left)...)
	path = append(path, start)
	path = dedupe(path)
	path = orientRing(path, true)
	p := Polygon{path}
	if err := CheckPolygon(p); err != nil {
		return nil, fmt.Errorf("geo: the line, extended to the edges of the map, crosses itself: draw it to run beyond the area on both ends (%v)", err)
	}
	return MultiPolygon{p}, nil
}

// dedupe drops repeated positions next to each other.
func dedupe(r Ring) Ring {
	out := r[:1]
	for _, p := range r[1:] {
		if p != out[len(out)-1] {
			out = append(out, p)
		}
	}
	return out
}

// exit returns where the ray from p in direction d leaves box b.
func exit(b Bounds, p, d Point) Point {
	t := math.Inf(1)
	if d[0] > 0 {
		t = math.Min(t, (b.MaxLon-p[0])/d[0])
	} else if d[0] < 0 {
		t = math.Min(t, (b.MinLon-p[0])/d[0])
	}
	if d[1] > 0 {
		t = math.Min(t, (b.MaxLat-p[1])/d[1])
	} else if d[1] < 0 {
		t = math.Min(t, (b.MinLat-p[1])/d[1])
	}
	return Point{p[0] + t*d[0], p[1] + t*d[1]}
}

// boxWalk returns the corners of box b passed walking its edge from a to
// z (both on the edge), counter-clockwise when ccw.
func boxWalk(b Bounds, a, z Point, ccw bool) []Point {
	w, h := b.MaxLon-b.MinLon, b.MaxLat-b.MinLat
	per := 2 * (w + h)
	// pos places a point of the edge by the distance walked counter-
	// clockwise from the south-west corner.
	pos := func(p Point) float64 {
		switch {
		case p[1] <= b.MinLat:
			return p[0] - b.MinLon
		case p[0] >= b.MaxLon:
			return w + p[1] - b.MinLat
		case p[1] >= b.MaxLat:
			return w + h + b.MaxLon - p[0]
		}
		return 2*w + h + b.MaxLat - p[1]
	}
	corners := []struct {
		t float64
		p Point
	}{{0, Point{b.MinLon, b.MinLat}}, {w, Point{b.MaxLon, b.MinLat}}, {w + h, Point{b.MaxLon, b.MaxLat}}, {2*w + h, Point{b.MinLon, b.MaxLat}}}
	ta, tz := pos(a), pos(z)
	var out []Point
	if ccw {
		if tz <= ta {
			tz += per
		}
		for lap := 0; lap < 2; lap++ {
			for _, c := range corners {
				t := c.t + float64(lap)*per
				if t > ta && t < tz {
					out = append(out, c.p)
				}
			}
		}
		return out
	}
	if ta <= tz {
		ta += per
	}
	for lap := 1; lap >= 0; lap-- {
		for k := len(corners) - 1; k >= 0; k-- {
			t := corners[k].t + float64(lap)*per
			if t < ta && t > tz {
				out = append(out, corners[k].p)
			}
		}
	}
	return out
}

// Zone names an area as a plan does: a region (or several), optionally cut
// by a line to one side of it and optionally limited to a buffer along
// it; or a drawn polygon, which with a region counts only inside it.
type Zone struct {
	Region   MultiPolygon
	Line     Line
	Side     Side
	BufferKm float64
	Drawn    MultiPolygon
}

// Resolve returns the area the zone names.
func (z Zone) Resolve() (MultiPolygon, error) {
	if len(z.Region) == 0 && len(z.Drawn) == 0 {
		return nil, errors.New("a zone names a region or a drawn area")
	}
	if len(z.Line) == 0 && (z.Side != Both || z.BufferKm != 0) {
		return nil, errors.New("a side or a buffer is taken along a line")
	}
	area := z.Region
	if len(area) > 1 {
		// Neighbouring regions share borders: join them first, so the
		// overlay sees one clean area.
		g, err := geom.UnaryUnion(toGeom(area))
		if err != nil {
			return nil, fmt.Errorf("joining the regions: %w", err)
		}
		area = fromGeom(g)
	}
	var err error
	switch {
	case len(area) == 0:
		area = z.Drawn
	case len(z.Drawn) > 0:
		if area, err = Intersection(area, z.Drawn); err != nil {
			return nil, err
		}
	}
	if len(z.Line) > 0 {
		if z.Side != Both {
			if area, err = Split(area, z.Line, z.Side); err != nil {
				return nil, err
			}
		}
		if z.BufferKm > 0 {
			buf, err := Buffer(z.Line, z.BufferKm)
			if err != nil {
				return nil, err
			}
			if area, err = Intersection(area, buf); err != nil {
				return nil, err
			}
		}
	}
	return area, nil
}
