package geo

import "math"

// Maps are drawn in the Albers equal-area conic projection: a region's
// drawn size is in proportion to its area, which a map of territorial
// claims owes its readers. It is computed on the authalic sphere of WGS 84
// (each latitude turned into its authalic latitude, as Area does), so
// that drawn areas are in proportion to the geodesic areas Area reports,
// not only to a sphere's.

// FitMargin is the room in pixels FitAlbers leaves free on each side of
// the framed bounds (less in a box too small for it), so that borders on
// the frame are not cut by the edge of the map.
const FitMargin = 8.0

// Albers is the Albers equal-area conic projection, scaled and shifted to
// frame given bounds in a box of pixels. Its standard parallels lie at a
// sixth and five sixths of the framed latitudes and its central meridian
// in the middle of the framed longitudes, which keeps shapes true enough
// for a country. The zero value is not usable: use FitAlbers.
type Albers struct {
	// n is the cone constant, c the constant of the radius, rho0 the
	// radius at the middle latitude and lon0 the central meridian, all
	// on the authalic sphere of radius 1.
	n, c, rho0, lon0 float64
	// scale and the offsets place projected units in pixels; y grows
	// downwards.
	scale, dx, dy float64
}

// FitAlbers returns the projection that frames b in a width × height box
// of pixels, centred and at its proportions, with FitMargin pixels free
// on each side. Empty bounds frame a small box around (0, 0); bounds of no
// extent are widened a little so that they frame something.
func FitAlbers(b Bounds, width, height float64) Albers {
	b = framable(b)
	a := newAlbers(b)
	minX, minY, maxX, maxY := a.rawExtent(b)
	m := math.Max(0, math.Min(FitMargin, math.Min(width, height)/4))
	w, h := math.Max(maxX-minX, 1e-12), math.Max(maxY-minY, 1e-12)
	a.scale = math.Min((width-2*m)/w, (height-2*m)/h)
	if !(a.scale > 0) || math.IsInf(a.scale, 0) {
		a.scale = 1
	}
	// Centre the frame; y is flipped so that north is up.
	a.dx = (width-w*a.scale)/2 - minX*a.scale
	a.dy = (height-h*a.scale)/2 + maxY*a.scale
	return a
}

// newAlbers returns the projection for b, in its own units (scale 1, no
// shift).
func newAlbers(b Bounds) Albers {
	span := b.MaxLat - b.MinLat
	s1, s2 := sinAuthalic(b.MinLat+span/6), sinAuthalic(b.MaxLat-span/6)
	a := Albers{lon0: (b.MinLon + b.MaxLon) / 2, scale: 1}
	a.n = (s1 + s2) / 2
	// Bounds centred on the equator put the standard parallels either side
	// of it and the cone flattens into a cylinder; a slight cone keeps
	// the formulas finite, and the projection equal-area.
	if math.Abs(a.n) < 1e-3 {
		a.n = math.Copysign(1e-3, a.n)
	}
	a.c = 1 - s1*s1 + 2*a.n*s1
	a.rho0 = a.rho(sinAuthalic((b.MinLat + b.MaxLat) / 2))
	return a
}

// framable returns bounds the projection can frame: empty bounds become a
// box around (0, 0), and a dimension of no extent is widened.
func framable(b Bounds) Bounds {
	if b.Empty() {
		return Bounds{-1, -1, 1, 1}
	}
	const least = 1e-3 // degrees
	if b.MaxLon-b.MinLon < least {
		mid := (b.MinLon + b.MaxLon) / 2
		b.MinLon, b.MaxLon = mid-least/2, mid+least/2
	}
	if b.MaxLat-b.MinLat < least {
		mid := (b.MinLat + b.MaxLat) / 2
		b.MinLat, b.MaxLat = mid-least/2, mid+least/2
	}
	b.MinLat, b.MaxLat = math.Max(b.MinLat, -90), math.Min(b.MaxLat, 90)
	return b
}

// rho is the radius of the parallel whose authalic latitude has sine s.
func (a Albers) rho(s float64) float64 {
	return math.Sqrt(math.Max(0, a.c-2*a.n*s)) / a.n
}

// raw projects a position in the projection's own units, y up.
func (a Albers) raw(p Point) (x, y float64) {
	theta := a.n * (p[0] - a.lon0) * math.Pi / 180
	rho := a.rho(sinAuthalic(p[1]))
	return rho * math.Sin(theta), a.rho0 - rho*math.Cos(theta)
}

// rawExtent returns the extent of b's outline in the projection's own
// units. The outline is sampled: parallels project to arcs, which bulge
// beyond their ends.
func (a Albers) rawExtent(b Bounds) (minX, minY, maxX, maxY float64) {
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	const steps = 32
	for i := 0; i <= steps; i++ {
		f := float64(i) / steps
		lon := b.MinLon + f*(b.MaxLon-b.MinLon)
		lat := b.MinLat + f*(b.MaxLat-b.MinLat)
		for _, p := range [4]Point{{lon, b.MinLat}, {lon, b.MaxLat}, {b.MinLon, lat}, {b.MaxLon, lat}} {
			x, y := a.raw(p)
			minX, maxX = math.Min(minX, x), math.Max(maxX, x)
			minY, maxY = math.Min(minY, y), math.Max(maxY, y)
		}
	}
	return minX, minY, maxX, maxY
}

// Project returns a position's place in pixels, x to the right and y
// down.
func (a Albers) Project(p Point) (x, y float64) {
	rx, ry := a.raw(p)
	return rx*a.scale + a.dx, -ry*a.scale + a.dy
}

// KmPerPixel returns how many kilometres one pixel spans east–west at a
// position. An equal-area projection stretches one way what it shrinks
// the other; along the parallels the stretch is nil on the standard
// parallels and small between them.
func (a Albers) KmPerPixel(at Point) float64 {
	const step = 0.05 // degrees of longitude
	w, e := Point{at[0] - step, at[1]}, Point{at[0] + step, at[1]}
	x0, y0 := a.Project(w)
	x1, y1 := a.Project(e)
	px := math.Hypot(x1-x0, y1-y0)
	if px == 0 {
		return 0
	}
	return Distance(w, e) / px
}

// aspect returns the height over the width of b's outline once
// projected.
func aspect(b Bounds) float64 {
	b = framable(b)
	minX, minY, maxX, maxY := newAlbers(b).rawExtent(b)
	return (maxY - minY) / math.Max(maxX-minX, 1e-12)
}
