// Package geo holds the geometry of territory: regions as polygons and
// multipolygons, lines such as a line of contact, and the zones a plan
// names (a region, the part of a region on one side of a line, a buffer of
// some kilometres along a line, a drawn polygon). It reads GeoJSON and
// TopoJSON strictly, writes GeoJSON losslessly, measures geodesic areas on
// the WGS 84 ellipsoid, simplifies shapes for display and draws maps as
// SVG. It is pure: no network, no tiles, no files but its embedded base
// data.
//
// Coordinates are longitude then latitude in degrees, as in GeoJSON
// (RFC 7946). A polygon's exterior ring runs counter-clockwise and its
// holes clockwise; rings are closed (the last position repeats the first).
package geo

// Point is a position: longitude, then latitude, in degrees on WGS 84.
type Point [2]float64

// Lon returns the longitude.
func (p Point) Lon() float64 { return p[0] }

// Lat returns the latitude.
func (p Point) Lat() float64 { return p[1] }

// Ring is a closed ring of at least four positions whose last position
// repeats its first.
type Ring []Point

// Polygon is an exterior ring (counter-clockwise) followed by any holes
// (clockwise).
type Polygon []Ring

// MultiPolygon is an area made of polygons that do not overlap. It is the
// one type of area in this package: a single polygon is a MultiPolygon of
// one.
type MultiPolygon []Polygon

// Line is a polyline of at least two positions, such as a line of contact.
type Line []Point

// Bounds is a longitude and latitude box.
type Bounds struct {
	MinLon, MinLat, MaxLon, MaxLat float64
}

// Empty reports whether the bounds hold nothing.
func (b Bounds) Empty() bool { return b.MinLon > b.MaxLon || b.MinLat > b.MaxLat }

// EmptyBounds returns bounds that hold nothing, ready to be extended.
func EmptyBounds() Bounds {
	return Bounds{MinLon: 1e9, MinLat: 1e9, MaxLon: -1e9, MaxLat: -1e9}
}

// Extend returns b grown to hold p.
func (b Bounds) Extend(p Point) Bounds {
	b.MinLon = min(b.MinLon, p[0])
	b.MaxLon = max(b.MaxLon, p[0])
	b.MinLat = min(b.MinLat, p[1])
	b.MaxLat = max(b.MaxLat, p[1])
	return b
}

// Union returns the bounds holding both b and o.
func (b Bounds) Union(o Bounds) Bounds {
	if o.Empty() {
		return b
	}
	if b.Empty() {
		return o
	}
	return Bounds{min(b.MinLon, o.MinLon), min(b.MinLat, o.MinLat), max(b.MaxLon, o.MaxLon), max(b.MaxLat, o.MaxLat)}
}

// Meets reports whether two bounds share any point.
func (b Bounds) Meets(o Bounds) bool {
	return !b.Empty() && !o.Empty() && b.MinLon <= o.MaxLon && o.MinLon <= b.MaxLon && b.MinLat <= o.MaxLat && o.MinLat <= b.MaxLat
}

// Bounds returns the box holding every position of the area.
func (m MultiPolygon) Bounds() Bounds {
	b := EmptyBounds()
	for _, p := range m {
		for _, r := range p {
			for _, pt := range r {
				b = b.Extend(pt)
			}
		}
	}
	return b
}

// Bounds returns the box holding every position of the line.
func (l Line) Bounds() Bounds {
	b := EmptyBounds()
	for _, pt := range l {
		b = b.Extend(pt)
	}
	return b
}

// Clone returns a copy of the area down to its positions, for a caller
// that must not share them (the base map's regions are shared by every
// process that draws from them); nil stays nil.
func (m MultiPolygon) Clone() MultiPolygon {
	if m == nil {
		return nil
	}
	out := make(MultiPolygon, len(m))
	for i, p := range m {
		out[i] = make(Polygon, len(p))
		for j, r := range p {
			out[i][j] = append(Ring(nil), r...)
		}
	}
	return out
}

// Vertices returns the number of positions in the area.
func (m MultiPolygon) Vertices() int {
	n := 0
	for _, p := range m {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}
