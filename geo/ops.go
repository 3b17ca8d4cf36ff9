package geo

import (
	"fmt"
	"math"
	"slices"

	"github.com/peterstace/simplefeatures/geom"
)

// Overlay (intersection, difference, union) is done by simplefeatures'
// planar overlay on longitude and latitude, as the maps draw edges: a
// border's edges are short enough that straight lines in degrees and on
// the ellipsoid part by far less than the data's own precision.

// toGeom turns an area into a simplefeatures geometry.
func toGeom(m MultiPolygon) geom.Geometry {
	polys := make([]geom.Polygon, 0, len(m))
	for _, p := range m {
		rings := make([]geom.LineString, 0, len(p))
		for _, r := range p {
			coords := make([]float64, 0, 2*len(r))
			for _, pt := range r {
				coords = append(coords, pt[0], pt[1])
			}
			rings = append(rings, geom.NewLineString(geom.NewSequence(coords, geom.DimXY)))
		}
		polys = append(polys, geom.NewPolygon(rings))
	}
	return geom.NewMultiPolygon(polys).AsGeometry()
}

// fromGeom takes the polygons of a simplefeatures geometry as an area,
// exteriors counter-clockwise and holes clockwise; lines and points that
// an overlay leaves where shapes only touch are dropped.
func fromGeom(g geom.Geometry) MultiPolygon {
	var out MultiPolygon
	for _, part := range g.Dump() {
		p, ok := part.AsPolygon()
		if !ok || p.IsEmpty() {
			continue
		}
		poly := Polygon{orientRing(ringOf(p.ExteriorRing()), true)}
		for i := 0; i < p.NumInteriorRings(); i++ {
			poly = append(poly, orientRing(ringOf(p.InteriorRingN(i)), false))
		}
		out = append(out, poly)
	}
	return out
}

// ringOf reads a simplefeatures ring.
func ringOf(ls geom.LineString) Ring {
	seq := ls.Coordinates()
	r := make(Ring, seq.Length())
	for i := range r {
		xy := seq.GetXY(i)
		r[i] = Point{xy.X, xy.Y}
	}
	return r
}

// orientRing returns r running counter-clockwise when ccw, else clockwise.
func orientRing(r Ring, ccw bool) Ring {
	if (planarArea(r) > 0) != ccw {
		r = slices.Clone(r)
		slices.Reverse(r)
	}
	return r
}

// Intersection returns the area common to a and b.
func Intersection(a, b MultiPolygon) (MultiPolygon, error) {
	if err := finite("intersection", a, b); err != nil {
		return nil, err
	}
	if len(a) == 0 || len(b) == 0 || !a.Bounds().Meets(b.Bounds()) {
		return nil, nil
	}
	return overlay("intersection", func() (geom.Geometry, error) { return geom.Intersection(toGeom(a), toGeom(b)) })
}

// Difference returns the area of a outside b.
func Difference(a, b MultiPolygon) (MultiPolygon, error) {
	if err := finite("difference", a, b); err != nil {
		return nil, err
	}
	if len(a) == 0 {
		return nil, nil
	}
	if len(b) == 0 || !a.Bounds().Meets(b.Bounds()) {
		return a, nil
	}
	return overlay("difference", func() (geom.Geometry, error) { return geom.Difference(toGeom(a), toGeom(b)) })
}

// Union returns the area covered by any of ms.
func Union(ms ...MultiPolygon) (MultiPolygon, error) {
	if err := finite("union", ms...); err != nil {
		return nil, err
	}
	var gs []geom.Geometry
	for _, m := range ms {
		if len(m) > 0 {
			gs = append(gs, toGeom(m))
		}
	}
	switch len(gs) {
	case 0:
		return nil, nil
	case 1:
		return ms[slices.IndexFunc(ms, func(m MultiPolygon) bool { return len(m) > 0 })], nil
	}
	return overlay("union", func() (geom.Geometry, error) { return geom.UnionMany(gs) })
}

// overlay runs one of simplefeatures' operations and takes its polygons;
// a panic in it, on input it cannot handle, becomes an error.
func overlay(what string, op func() (geom.Geometry, error)) (m MultiPolygon, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("geo: %s failed on its input: %v", what, r)
		}
	}()
	g, err := op()
	if err != nil {
		return nil, fmt.Errorf("geo: %s: %w", what, err)
	}
	return fromGeom(g), nil
}

// finite refuses areas with a coordinate that is not a finite number,
// which the overlay cannot place.
func finite(what string, ms ...MultiPolygon) error {
	for i, m := range ms {
		for _, p := range m {
			for _, r := range p {
				for _, pt := range r {
					if math.IsNaN(pt[0]+pt[1]) || math.IsInf(pt[0]+pt[1], 0) {
						return fmt.Errorf("geo: %s: area %d has the position (%v, %v)", what, i, pt[0], pt[1])
					}
				}
			}
		}
	}
	return nil
}

// Paint returns, for each shape, what remains of it once the shapes
// after it are laid over it: later shapes paint over earlier ones, so
// the results do not overlap and their areas add up to the union's.
func Paint(shapes []MultiPolygon) ([]MultiPolygon, error) {
	if err := finite("paint", shapes...); err != nil {
		return nil, err
	}
	out := make([]MultiPolygon, len(shapes))
	for i, s := range shapes {
		var over []MultiPolygon
		for _, later := range shapes[i+1:] {
			if len(later) > 0 && s.Bounds().Meets(later.Bounds()) {
				over = append(over, later)
			}
		}
		if len(over) == 0 {
			out[i] = s
			continue
		}
		cover, err := Union(over...)
		if err != nil {
			return nil, err
		}
		if out[i], err = Difference(s, cover); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Contains reports whether a position lies inside an area: inside an
// exterior and outside its holes. A position on a border may count
// either way.
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
