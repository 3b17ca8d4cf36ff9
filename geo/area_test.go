package geo

import (
	"math"
	"testing"
)

// cell is the counter-clockwise ring of a longitude–latitude cell.
func cell(lon0, lat0, lon1, lat1 float64) MultiPolygon {
	return MultiPolygon{{{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}}}
}

// integratedCell is the area of a cell on the WGS 84 ellipsoid by
// numerical integration of its area element a²(1−e²)cosφ/(1−e²sin²φ)²,
// independently of the authalic latitude the package uses.
func integratedCell(lon0, lat0, lon1, lat1 float64) float64 {
	const n = 20000
	h := (lat1 - lat0) * math.Pi / 180 / n
	sum := 0.0
	f := func(phi float64) float64 {
		s := math.Sin(phi)
		return wgs84A * wgs84A * (1 - wgs84E2) * math.Cos(phi) / ((1 - wgs84E2*s*s) * (1 - wgs84E2*s*s))
	}
	for i := 0; i <= n; i++ { // Simpson's rule
		w := 2.0
		switch {
		case i == 0 || i == n:
			w = 1
		case i%2 == 1:
			w = 4
		}
		sum += w * f(lat0*math.Pi/180+float64(i)*h)
	}
	return sum * h / 3 * (lon1 - lon0) * math.Pi / 180
}

func TestAreaOfCells(t *testing.T) {
	for _, c := range []struct{ lon0, lat0, lon1, lat1 float64 }{
		{0, 0, 1, 1},       // the 1°×1° cell at the equator: about 12,308 km²
		{30, 60, 31, 61},   // at 60° N
		{35, 45, 40, 50},   // a box over southern Ukraine
		{-10, -45, 10, -5}, // south of the equator, across the meridian
	} {
		got := Area(cell(c.lon0, c.lat0, c.lon1, c.lat1))
		want := integratedCell(c.lon0, c.lat0, c.lon1, c.lat1)
		if math.Abs(got-want) > 1e-6*want {
			t.Errorf("cell %v: %.6f km², integration gives %.6f", c, got, want)
		}
	}
	if a := Area(cell(0, 0, 1, 1)); math.Abs(a-12308) > 1 {
		t.Errorf("the 1°×1° cell at the equator is %.1f km², want about 12,308", a)
	}
}

func TestRingAreaSign(t *testing.T) {
	ccw := cell(0, 0, 1, 1)[0][0]
	cw := Ring{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}
	if RingArea(ccw) <= 0 || RingArea(cw) >= 0 || math.Abs(RingArea(ccw)+RingArea(cw)) > 1e-9 {
		t.Errorf("counter-clockwise %.3f, clockwise %.3f: want opposite signs, positive counter-clockwise", RingArea(ccw), RingArea(cw))
	}
}

func TestAreaWithHole(t *testing.T) {
	outer := cell(30, 50, 32, 52)[0][0]
	hole := Ring{{30.5, 50.5}, {30.5, 51.5}, {31.5, 51.5}, {31.5, 50.5}, {30.5, 50.5}}
	got := Area(MultiPolygon{{outer, hole}})
	want := Area(cell(30, 50, 32, 52)) - Area(cell(30.5, 50.5, 31.5, 51.5))
	if math.Abs(got-want) > 1e-9*want {
		t.Errorf("area with a hole %.3f, want %.3f", got, want)
	}
}

// circle is a counter-clockwise ring of n sides around (lon, lat), of
// radius r degrees of latitude.
func circle(lon, lat, r float64, n int) Ring {
	ring := make(Ring, 0, n+1)
	for k := 0; k < n; k++ {
		t := 2 * math.Pi * float64(k) / float64(n)
		ring = append(ring, Point{lon + r*math.Cos(t)/math.Cos(lat*math.Pi/180), lat + r*math.Sin(t)})
	}
	return append(ring, ring[0])
}

func TestAreaOfManySidedPolygon(t *testing.T) {
	// A circle of 1° of latitude (about 111 km) as 10,000 sides: its area
	// is close to π r² for a radius that small.
	r := circle(31, 49, 1, 10_000)
	rKm := math.Pi / 180 * wgs84A * (1 - wgs84E2) / math.Pow(1-wgs84E2*math.Pow(math.Sin(49*math.Pi/180), 2), 1.5)
	want := math.Pi * rKm * rKm
	got := Area(MultiPolygon{{r}})
	if math.Abs(got-want) > 0.01*want {
		t.Errorf("10,000-sided circle: %.0f km², want about %.0f", got, want)
	}
}

// geodeticLat returns the geodetic latitude, in degrees, whose authalic
// latitude has the sine sb, by Newton's method on q.
func geodeticLat(sb float64) float64 {
	target := sb * qPole
	phi := math.Asin(sb)
	for range 50 {
		s := math.Sin(phi)
		// dq/dφ = 2(1−e²)cosφ/(1−e²sin²φ)²
		d := 2 * (1 - wgs84E2) * math.Cos(phi) / ((1 - wgs84E2*s*s) * (1 - wgs84E2*s*s))
		step := (authalicQ(phi) - target) / d
		phi -= step
		if math.Abs(step) < 1e-15 {
			break
		}
	}
	return phi * 180 / math.Pi
}

func TestAreaOfCap(t *testing.T) {
	// A circle of angular radius ρ on the authalic sphere encloses a cap
	// of 2πR²(1−cos ρ); its 10,000 positions, turned back into geodetic
	// latitudes, must enclose the same area on the ellipsoid, less the
	// sliver an inscribed polygon of that many sides misses (about
	// (2π²/3)/n², under 1e-7).
	const n = 10_000
	rho := 2.0 * math.Pi / 180
	lon0, beta0 := 31*math.Pi/180, math.Asin(sinAuthalic(49))
	ring := make(Ring, 0, n+1)
	for k := range n {
		az := -2 * math.Pi * float64(k) / n // clockwise in azimuth is counter-clockwise on the map
		sb := math.Sin(beta0)*math.Cos(rho) + math.Cos(beta0)*math.Sin(rho)*math.Cos(az)
		lon := lon0 + math.Atan2(math.Sin(az)*math.Sin(rho)*math.Cos(beta0), math.Cos(rho)-math.Sin(beta0)*sb)
		ring = append(ring, Point{lon * 180 / math.Pi, geodeticLat(sb)})
	}
	ring = append(ring, ring[0])
	want := 2 * math.Pi * AuthalicRadius * AuthalicRadius * (1 - math.Cos(rho))
	got := Area(MultiPolygon{{ring}})
	if math.Abs(got-want) > 1e-6*want {
		t.Errorf("cap of 2°: %.3f km², want %.3f (relative error %.2g)", got, want, (got-want)/want)
	}
	if RingArea(ring) <= 0 {
		t.Errorf("the cap's ring runs clockwise: %v", RingArea(ring))
	}
}

func TestLength(t *testing.T) {
	// A quarter of the equator.
	if got, want := Length(Line{{0, 0}, {45, 0}, {90, 0}}), math.Pi/2*MeanRadius; math.Abs(got-want) > 1e-9*want {
		t.Errorf("a quarter of the equator: %.6f km, want %.6f", got, want)
	}
	if got := Length(Line{{30, 50}}); got != 0 {
		t.Errorf("a single position: %v km, want 0", got)
	}
	// A degree of latitude along a meridian on the mean sphere.
	want := math.Pi / 180 * MeanRadius
	if got := Length(Line{{30, 50}, {30, 51}}); math.Abs(got-want) > 1e-9 {
		t.Errorf("one degree of latitude: %.6f km, want %.6f", got, want)
	}
}

func BenchmarkArea10k(b *testing.B) {
	m := MultiPolygon{{circle(31, 49, 1, 10_000)}}
	b.ReportAllocs()
	for b.Loop() {
		_ = Area(m)
	}
}

func TestAreaOfSlantedEdges(t *testing.T) {
	// An edge runs straight in longitude and latitude: a position added
	// along it, as a split or an overlay adds one, changes nothing.
	tri := Ring{{30, 44}, {38, 44}, {30, 52}, {30, 44}}
	split := Ring{{30, 44}, {38, 44}, {35, 47}, {33.5, 48.5}, {30, 52}, {30, 44}}
	if a, b := RingArea(tri), RingArea(split); math.Abs(a-b) > 1e-12*a {
		t.Errorf("with positions added along the slanted edge: %.12g km², without %.12g", b, a)
	}
	// Two triangles that make up a cell add up to it.
	lower := Ring{{30, 44}, {38, 44}, {38, 52}, {30, 44}}
	upper := Ring{{30, 44}, {38, 52}, {30, 52}, {30, 44}}
	whole := Area(cell(30, 44, 38, 52))
	if sum := RingArea(lower) + RingArea(upper); math.Abs(sum-whole) > 1e-12*whole {
		t.Errorf("two halves of a cell: %.12g km², the cell %.12g", sum, whole)
	}
	// The lower triangle, nearer the equator, is the larger.
	if RingArea(lower) <= RingArea(upper) {
		t.Errorf("lower half %.1f km², upper %.1f", RingArea(lower), RingArea(upper))
	}
}

func TestCloneSharesNothing(t *testing.T) {
	m := cell(30, 50, 31, 51)
	c := m.Clone()
	c[0][0][1] = Point{99, 9}
	if m[0][0][1] == (Point{99, 9}) {
		t.Error("changing a clone changed the original")
	}
	if MultiPolygon(nil).Clone() != nil {
		t.Error("the clone of nil is not nil")
	}
}
