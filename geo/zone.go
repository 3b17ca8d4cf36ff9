package geo

import (
	"errors"
	"fmt"
	"math"
	"slices"

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

// String names the side.
func (s Side) String() string {
	switch s {
	case Both:
		return "both"
	case Left:
		return "left"
	case Right:
		return "right"
	}
	return fmt.Sprintf("Side(%d)", int(s))
}

// MaxBufferKm is the widest buffer along a line.
const MaxBufferKm = 500

// circleSides is how many sides the circle round each position of a
// buffered line has: at 64, a circle's area is within 0.2% of the true
// one, and a buffer's much closer, since its straight stretches are
// exact.
const circleSides = 64

// lineStepKm is the longest step along a line that is buffered.
const lineStepKm = 10.0

// densifyKm is the longest edge of a buffer projected back to longitude
// and latitude: short enough that a straight edge in either plane is the
// same to within metres.
const densifyKm = 5.0

// Buffer returns the area within km of the line. The line is projected
// into an azimuthal equidistant projection centred on it, where distances
// from the centre are true and others nearly so over a few hundred
// kilometres (0.1% at 500 km from the centre); there each segment is
// buffered as the hull of two circles of 64 sides round its ends (its
// rectangle and the circles at both ends), the pieces are joined, and the
// result is projected back.
func Buffer(l Line, km float64) (MultiPolygon, error) {
	if !(km > 0 && km <= MaxBufferKm) {
		return nil, fmt.Errorf("geo: a buffer is more than 0 and at most %d km wide, not %g", MaxBufferKm, km)
	}
	if len(l) < 2 {
		return nil, errors.New("geo: a buffer is taken along a line of at least 2 positions")
	}
	if err := checkPositions(l); err != nil {
		return nil, err
	}
	b := l.Bounds()
	pr := newAzimuthal(Point{(b.MinLon + b.MaxLon) / 2, (b.MinLat + b.MaxLat) / 2})
	// The line runs straight in longitude and latitude, as GeoJSON's do,
	// not along great circles: follow it with positions every few
	// kilometres, between which the two differ by metres.
	var xy []Point
	for i, p := range l {
		if i > 0 {
			q := l[i-1]
			n := int(math.Ceil(Distance(q, p) / lineStepKm))
			for k := 1; k < n; k++ {
				t := float64(k) / float64(n)
				xy = append(xy, pr.forward(Point{q[0] + t*(p[0]-q[0]), q[1] + t*(p[1]-q[1])}))
			}
		}
		xy = append(xy, pr.forward(p))
	}
	var pieces []geom.Geometry
	for i := 1; i < len(xy); i++ {
		if xy[i] == xy[i-1] {
			continue
		}
		pieces = append(pieces, toGeom(MultiPolygon{{stadium(xy[i-1], xy[i], km)}}))
	}
	if len(pieces) == 0 {
		return nil, errors.New("geo: a buffer is taken along a line of some length, and every position of this one is the same")
	}
	flat, err := overlay("buffer", func() (geom.Geometry, error) { return geom.UnionMany(pieces) })
	if err != nil {
		return nil, err
	}
	out := make(MultiPolygon, 0, len(flat))
	for _, p := range flat {
		poly := make(Polygon, len(p))
		for i, r := range p {
			poly[i] = orientRing(pr.inverseRing(densify(r, densifyKm)), i == 0)
		}
		out = append(out, poly)
	}
	return out, nil
}

// stadium is the ring round segment a–b at distance d, in projected
// kilometres: the convex hull of the circles round both ends, whose
// positions lie at the same angles for every segment so that
// neighbouring pieces share them.
func stadium(a, b Point, d float64) Ring {
	pts := make([]Point, 0, 2*circleSides)
	for _, c := range []Point{a, b} {
		for k := range circleSides {
			t := 2 * math.Pi * float64(k) / circleSides
			pts = append(pts, Point{c[0] + d*math.Cos(t), c[1] + d*math.Sin(t)})
		}
	}
	return convexHull(pts)
}

// convexHull returns the counter-clockwise closed ring round points, by
// Andrew's monotone chain.
func convexHull(pts []Point) Ring {
	pts = slices.Clone(pts)
	slices.SortFunc(pts, func(p, q Point) int {
		if c := cmpFloat(p[0], q[0]); c != 0 {
			return c
		}
		return cmpFloat(p[1], q[1])
	})
	pts = slices.Compact(pts)
	if len(pts) < 3 {
		return nil
	}
	hull := make(Ring, 0, len(pts)+1)
	for _, p := range pts { // the lower hull, west to east
		for len(hull) >= 2 && orient(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	lower := len(hull)
	for i := len(pts) - 2; i >= 0; i-- { // the upper hull, back west
		p := pts[i]
		for len(hull) > lower && orient(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	return hull // the last position is the first again
}

// densify returns the ring with positions added so that no edge is
// longer than step.
func densify(r Ring, step float64) Ring {
	out := make(Ring, 0, len(r))
	for i, p := range r {
		if i > 0 {
			q := r[i-1]
			n := int(math.Ceil(math.Hypot(p[0]-q[0], p[1]-q[1]) / step))
			for k := 1; k < n; k++ {
				t := float64(k) / float64(n)
				out = append(out, Point{q[0] + t*(p[0]-q[0]), q[1] + t*(p[1]-q[1])})
			}
		}
		out = append(out, p)
	}
	return out
}

// azimuthal is a spherical azimuthal equidistant projection, in km,
// centred on a position, on the sphere that fits the WGS 84 ellipsoid
// there best: of radius √(MN), the geometric mean of the ellipsoid's radii
// of curvature along the meridian and across it. Its kilometres are the
// ellipsoid's to within 0.2% in any direction near the centre, at any
// latitude.
type azimuthal struct {
	lon0, sinLat0, cosLat0 float64
	radius                 float64
}

// newAzimuthal returns the projection centred on c.
func newAzimuthal(c Point) azimuthal {
	φ0 := c[1] * math.Pi / 180
	s := math.Sin(φ0)
	w := 1 - wgs84E2*s*s
	m := wgs84A * (1 - wgs84E2) / (w * math.Sqrt(w)) // along the meridian
	n := wgs84A / math.Sqrt(w)                       // across it
	return azimuthal{lon0: c[0] * math.Pi / 180, sinLat0: s, cosLat0: math.Cos(φ0), radius: math.Sqrt(m * n)}
}

// forward projects a position to km east and north of the centre.
func (a azimuthal) forward(p Point) Point {
	φ, dλ := p[1]*math.Pi/180, p[0]*math.Pi/180-a.lon0
	sinφ, cosφ := math.Sin(φ), math.Cos(φ)
	cosc := max(-1, min(1, a.sinLat0*sinφ+a.cosLat0*cosφ*math.Cos(dλ)))
	c := math.Acos(cosc)
	k := 1.0
	if c > 1e-12 {
		k = c / math.Sin(c)
	}
	return Point{a.radius * k * cosφ * math.Sin(dλ), a.radius * k * (a.cosLat0*sinφ - a.sinLat0*cosφ*math.Cos(dλ))}
}

// inverse projects km east and north of the centre back to a position.
func (a azimuthal) inverse(q Point) Point {
	ρ := math.Hypot(q[0], q[1])
	if ρ < 1e-12 {
		return Point{a.lon0 * 180 / math.Pi, math.Asin(a.sinLat0) * 180 / math.Pi}
	}
	c := ρ / a.radius
	sinc, cosc := math.Sin(c), math.Cos(c)
	φ := math.Asin(max(-1, min(1, cosc*a.sinLat0+q[1]*sinc*a.cosLat0/ρ)))
	λ := a.lon0 + math.Atan2(q[0]*sinc, ρ*a.cosLat0*cosc-q[1]*a.sinLat0*sinc)
	return Point{λ * 180 / math.Pi, φ * 180 / math.Pi}
}

// inverseRing projects a ring back to positions.
func (a azimuthal) inverseRing(r Ring) Ring {
	out := make(Ring, len(r))
	for i, q := range r {
		out[i] = a.inverse(q)
	}
	out[len(out)-1] = out[0] // closed exactly, whatever the rounding
	return out
}

// Split returns the part of the area on one side of the line. The line
// is extended straight from both ends until it leaves a box round the
// area and the line, and the side is closed along the box; a line that
// does not reach across the area is thus taken to run on, straight, from
// its ends. A line that crosses itself, or whose extensions cross it, is
// refused: it has no one left and right.
func Split(area MultiPolygon, l Line, s Side) (MultiPolygon, error) {
	switch s {
	case Both:
		return area, nil
	case Left, Right:
	default:
		return nil, fmt.Errorf("geo: %v is not a side: Both, Left or Right", s)
	}
	if len(area) == 0 {
		return nil, nil
	}
	left, err := leftHalf(area.Bounds().Union(l.Bounds()), l)
	if err != nil {
		return nil, err
	}
	// The right side is what the left leaves, so that the two sides
	// always add up to the area, however nearly the line runs along
	// itself.
	if s == Right {
		return Difference(area, left)
	}
	return Intersection(area, left)
}

// leftHalf returns the part of the box b, padded by a degree, on the left
// of the line extended straight from its ends to the box's edges.
func leftHalf(b Bounds, l Line) (MultiPolygon, error) {
	l = Line(dedupe(Ring(l)))
	if len(l) < 2 {
		return nil, errors.New("geo: a side is taken of a line of at least 2 different positions")
	}
	if err := checkPositions(l); err != nil {
		return nil, err
	}
	if err := checkLine(l); err != nil {
		return nil, err
	}
	const pad = 1.0
	b = Bounds{b.MinLon - pad, b.MinLat - pad, b.MaxLon + pad, b.MaxLat + pad}
	n := len(l)
	start := exit(b, l[0], Point{l[0][0] - l[1][0], l[0][1] - l[1][1]})
	end := exit(b, l[n-1], Point{l[n-1][0] - l[n-2][0], l[n-1][1] - l[n-2][1]})
	path := Ring{start}
	path = append(path, l...)
	path = append(path, end)
	// Walk the box's edge counter-clockwise from the end back to the
	// start, round the left side.
	path = append(path, boxWalk(b, end, start)...)
	path = append(path, start)
	path = orientRing(dedupe(path), true)
	p := Polygon{path}
	if err := CheckPolygon(p); err != nil {
		return nil, errors.New("geo: the line, run on straight from its ends to the edge of the map, crosses itself: draw it to pass the area at both ends")
	}
	return MultiPolygon{p}, nil
}

// checkPositions refuses a line with a position that is not a longitude
// and latitude.
func checkPositions(l Line) error {
	for i, p := range l {
		if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
			return fmt.Errorf("geo: position %d of the line, (%v, %v), is not a longitude in [-180, 180] and a latitude in [-90, 90]", i, p[0], p[1])
		}
	}
	return nil
}

// checkLine refuses a line that crosses or touches itself, or turns back
// along itself.
func checkLine(l Line) error {
	f := crossFinder{group: nil}
	f.segs, _ = edges([]Ring{Ring(l)})
	// A line is open: its first and last segments do not follow each
	// other, as a ring's do.
	f.counts = []int32{math.MaxInt32}
	f.budget = 32*len(f.segs) + 1_000_000
	idx := make([]int32, len(f.segs))
	for i := range idx {
		idx[i] = int32(i)
	}
	c, found := f.in(idx, 0)
	switch {
	case !found:
		return turnsBackNearly(l)
	case c.tooIntricate:
		return errors.New("geo: the line is too intricate to check for crossings; simplify it")
	case c.back:
		return fmt.Errorf("geo: the line turns back along itself at (%g, %g), position %d", c.at[0], c.at[1], c.posB)
	}
	return fmt.Errorf("geo: the line crosses itself near (%g, %g), between its segments from positions %d and %d", c.at[0], c.at[1], c.posA, c.posB)
}

// turnsBackNearly refuses a line that runs back along itself to within
// rounding: whether it crosses itself then depends on the last bit of a
// coordinate, and so would its sides.
func turnsBackNearly(l Line) error {
	for i := 2; i < len(l); i++ {
		a, b, c := l[i-2], l[i-1], l[i]
		u, v := Point{b[0] - a[0], b[1] - a[1]}, Point{c[0] - b[0], c[1] - b[1]}
		if u[0]*v[0]+u[1]*v[1] < 0 && math.Abs(orient(a, b, c)) <= 1e-9*math.Hypot(u[0], u[1])*math.Hypot(v[0], v[1]) {
			return fmt.Errorf("geo: the line turns back along itself at (%g, %g), position %d", b[0], b[1], i-1)
		}
	}
	return nil
}

// dedupe drops repeated positions next to each other.
func dedupe(r Ring) Ring {
	if len(r) == 0 {
		return r
	}
	out := Ring{r[0]}
	for _, p := range r[1:] {
		if p != out[len(out)-1] {
			out = append(out, p)
		}
	}
	return out
}

// exit returns where the ray from p, inside box b, in direction d leaves
// the box, exactly on its edge.
func exit(b Bounds, p, d Point) Point {
	t, edge := math.Inf(1), -1
	try := func(tt float64, e int) {
		if tt >= 0 && tt < t {
			t, edge = tt, e
		}
	}
	if d[0] > 0 {
		try((b.MaxLon-p[0])/d[0], 1)
	} else if d[0] < 0 {
		try((b.MinLon-p[0])/d[0], 3)
	}
	if d[1] > 0 {
		try((b.MaxLat-p[1])/d[1], 2)
	} else if d[1] < 0 {
		try((b.MinLat-p[1])/d[1], 0)
	}
	q := Point{p[0] + t*d[0], p[1] + t*d[1]}
	q[0] = max(b.MinLon, min(b.MaxLon, q[0]))
	q[1] = max(b.MinLat, min(b.MaxLat, q[1]))
	switch edge {
	case 0:
		q[1] = b.MinLat
	case 1:
		q[0] = b.MaxLon
	case 2:
		q[1] = b.MaxLat
	case 3:
		q[0] = b.MinLon
	}
	return q
}

// boxWalk returns the corners of box b passed walking its edge counter-
// clockwise from a to z (both on the edge).
func boxWalk(b Bounds, a, z Point) []Point {
	w, h := b.MaxLon-b.MinLon, b.MaxLat-b.MinLat
	// pos places a point of the edge by the distance walked counter-
	// clockwise from the south-west corner.
	pos := func(p Point) float64 {
		switch {
		case p[1] == b.MinLat:
			return p[0] - b.MinLon
		case p[0] == b.MaxLon:
			return w + p[1] - b.MinLat
		case p[1] == b.MaxLat:
			return w + h + b.MaxLon - p[0]
		}
		return 2*w + h + b.MaxLat - p[1]
	}
	corners := []struct {
		t float64
		p Point
	}{{0, Point{b.MinLon, b.MinLat}}, {w, Point{b.MaxLon, b.MinLat}}, {w + h, Point{b.MaxLon, b.MaxLat}}, {2*w + h, Point{b.MinLon, b.MaxLat}}}
	ta, tz := pos(a), pos(z)
	if tz <= ta {
		tz += 2 * (w + h)
	}
	var out []Point
	for lap := range 2 {
		for _, c := range corners {
			if t := c.t + float64(lap)*2*(w+h); t > ta && t < tz {
				out = append(out, c.p)
			}
		}
	}
	return out
}

// Zone names an area as a plan does: a region (or several), optionally cut
// by a line to one side of it and optionally limited to a buffer along
// it; or a drawn area, which with a region counts only inside it.
type Zone struct {
	Region   MultiPolygon
	Line     Line
	Side     Side
	BufferKm float64
	Drawn    MultiPolygon
}

// Resolve returns the area the zone names; nil when it names an area that
// turns out empty, such as the side of a line on which none of the region
// lies.
func (z Zone) Resolve() (MultiPolygon, error) {
	switch {
	case len(z.Region) == 0 && len(z.Drawn) == 0:
		return nil, errors.New("geo: nothing to resolve: a zone names a region or a drawn area")
	case z.Side != Both && z.Side != Left && z.Side != Right:
		return nil, fmt.Errorf("geo: %v is not a side: Both, Left or Right", z.Side)
	case len(z.Line) == 0 && z.Side != Both:
		return nil, fmt.Errorf("geo: the zone is on the %v side of a line, and has no line", z.Side)
	case len(z.Line) == 0 && z.BufferKm != 0:
		return nil, fmt.Errorf("geo: the zone is a buffer of %g km along a line, and has no line", z.BufferKm)
	case len(z.Line) > 0 && z.Side == Both && z.BufferKm == 0:
		return nil, errors.New("geo: the zone has a line but takes neither a side of it nor a buffer along it")
	}
	area, err := z.base()
	if err != nil {
		return nil, err
	}
	if z.Side != Both {
		if area, err = Split(area, z.Line, z.Side); err != nil {
			return nil, err
		}
	}
	if z.BufferKm != 0 {
		buf, err := Buffer(z.Line, z.BufferKm)
		if err != nil {
			return nil, err
		}
		if area, err = Intersection(area, buf); err != nil {
			return nil, err
		}
	}
	return area, nil
}

// base is the region, joined into one area, within the drawn area when
// there is one; or the drawn area alone.
func (z Zone) base() (MultiPolygon, error) {
	area := z.Region
	if len(area) > 1 {
		// Neighbouring regions share borders: join them first, so that
		// what follows sees one clean area.
		if err := finite("joining the regions", area); err != nil {
			return nil, err
		}
		var err error
		area, err = overlay("joining the regions", func() (geom.Geometry, error) { return geom.UnaryUnion(toGeom(area)) })
		if err != nil {
			return nil, err
		}
	}
	switch {
	case len(area) == 0:
		return z.Drawn, nil
	case len(z.Drawn) > 0:
		return Intersection(area, z.Drawn)
	}
	return area, nil
}
