package geo

import "math"

// Albers is the Albers equal-area conic projection on the sphere, scaled
// and shifted to frame given bounds in a box of pixels: a region's drawn
// size is in proportion to its area, which a map of territorial claims
// owes its readers. Standard parallels at a sixth and five sixths of the
// framed latitudes keep shapes true enough for a country.
type Albers struct {
	n, c, rho0, lon0 float64
	// scale and the offsets place projected units in pixels; y grows
	// downwards.
	scale, dx, dy float64
}

// rad converts degrees to radians.
func rad(d float64) float64 { return d * math.Pi / 180 }

// FitAlbers returns the projection that frames b in a width × height box
// of pixels, centred, keeping its proportions.
func FitAlbers(b Bounds, width, height float64) Albers {
	if b.Empty() {
		b = Bounds{-1, -1, 1, 1}
	}
	span := b.MaxLat - b.MinLat
	phi1, phi2 := rad(b.MinLat+span/6), rad(b.MaxLat-span/6)
	a := Albers{lon0: (b.MinLon + b.MaxLon) / 2, scale: 1}
	a.n = (math.Sin(phi1) + math.Sin(phi2)) / 2
	if math.Abs(a.n) < 1e-9 {
		a.n = 1e-9 // standard parallels either side of the equator
	}
	a.c = math.Cos(phi1)*math.Cos(phi1) + 2*a.n*math.Sin(phi1)
	a.rho0 = math.Sqrt(math.Max(0, a.c-2*a.n*math.Sin(rad((b.MinLat+b.MaxLat)/2)))) / a.n
	// Frame the bounds' edge, sampled: a box in degrees is curved once
	// projected.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	const steps = 16
	for i := 0; i <= steps; i++ {
		f := float64(i) / steps
		for _, p := range []Point{
			{b.MinLon + f*(b.MaxLon-b.MinLon), b.MinLat}, {b.MinLon + f*(b.MaxLon-b.MinLon), b.MaxLat},
			{b.MinLon, b.MinLat + f*span}, {b.MaxLon, b.MinLat + f*span},
		} {
			x, y := a.raw(p)
			minX, maxX = math.Min(minX, x), math.Max(maxX, x)
			minY, maxY = math.Min(minY, y), math.Max(maxY, y)
		}
	}
	w, h := math.Max(maxX-minX, 1e-12), math.Max(maxY-minY, 1e-12)
	a.scale = math.Min(width/w, height/h)
	// Centre the frame; y is flipped so that north is up.
	a.dx = (width-w*a.scale)/2 - minX*a.scale
	a.dy = (height-h*a.scale)/2 + maxY*a.scale
	return a
}

// raw projects a position in the projection's own units.
func (a Albers) raw(p Point) (x, y float64) {
	theta := a.n * rad(p[0]-a.lon0)
	rho := math.Sqrt(math.Max(0, a.c-2*a.n*math.Sin(rad(p[1])))) / a.n
	return rho * math.Sin(theta), a.rho0 - rho*math.Cos(theta)
}

// Project returns a position's place in pixels.
func (a Albers) Project(p Point) (x, y float64) {
	rx, ry := a.raw(p)
	return rx*a.scale + a.dx, -ry*a.scale + a.dy
}

// FitHeight returns the height a map of the given width needs to show b
// at its proportions, within [width/4, 1.25·width].
func FitHeight(b Bounds, width float64) float64 {
	a := FitAlbers(b, 1e6, 1e6)
	x0, y0 := a.Project(Point{b.MinLon, b.MinLat})
	x1, y1 := a.Project(Point{b.MaxLon, b.MaxLat})
	minX, maxX, minY, maxY := x0, x0, y0, y0
	for _, p := range []Point{{b.MinLon, b.MaxLat}, {b.MaxLon, b.MinLat}, {(b.MinLon + b.MaxLon) / 2, b.MaxLat}, {(b.MinLon + b.MaxLon) / 2, b.MinLat}} {
		x, y := a.Project(p)
		minX, maxX, minY, maxY = math.Min(minX, x), math.Max(maxX, x), math.Min(minY, y), math.Max(maxY, y)
	}
	minX, maxX = math.Min(minX, x1), math.Max(maxX, x1)
	minY, maxY = math.Min(minY, y1), math.Max(maxY, y1)
	h := width * (maxY - minY) / math.Max(maxX-minX, 1e-9)
	return math.Max(width/4, math.Min(h, 1.25*width))
}
