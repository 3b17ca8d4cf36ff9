package geo_test

import (
	"math"
	"testing"

	"parley/geo"
)

// ukraineBounds frames mainland Ukraine and Crimea.
var ukraineBounds = geo.Bounds{MinLon: 22.1, MinLat: 44.4, MaxLon: 40.2, MaxLat: 52.4}

// projectedArea returns the area in squareRing pixels of a longitude and
// latitude box once projected, with its edges sampled finely: parallels
// project to arcs.
func projectedArea(a geo.Albers, lon0, lat0, lon1, lat1 float64) float64 {
	const n = 200
	var pts [][2]float64
	add := func(lon, lat float64) {
		x, y := a.Project(geo.Point{lon, lat})
		pts = append(pts, [2]float64{x, y})
	}
	for i := range n {
		add(lon0+(lon1-lon0)*float64(i)/n, lat0)
	}
	for i := range n {
		add(lon1, lat0+(lat1-lat0)*float64(i)/n)
	}
	for i := range n {
		add(lon1-(lon1-lon0)*float64(i)/n, lat1)
	}
	for i := range n {
		add(lon0, lat1-(lat1-lat0)*float64(i)/n)
	}
	s := 0.0
	for i := range pts {
		p, q := pts[i], pts[(i+1)%len(pts)]
		s += p[0]*q[1] - q[0]*p[1]
	}
	return math.Abs(s) / 2
}

// lonLatBox is a longitude and latitude box as an area.
func lonLatBox(lon0, lat0, lon1, lat1 float64) geo.MultiPolygon {
	return geo.MultiPolygon{{{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}}}
}

func TestAlbersEqualArea(t *testing.T) {
	a := geo.FitAlbers(ukraineBounds, 960, 600)
	// Cells of equal geodesic area in different places: the width in
	// longitude of each makes up for the latitude band it spans.
	const want = 5000.0 // km²
	type box struct{ lon, lat, dLat float64 }
	var areas []float64
	for _, b := range []box{{23, 44.5, 0.5}, {30, 48, 0.8}, {38, 51.5, 0.3}, {26, 46, 1.5}, {35.2, 50.1, 0.05}} {
		perDegree := geo.Area(lonLatBox(b.lon, b.lat, b.lon+1, b.lat+b.dLat))
		dLon := want / perDegree
		if got := geo.Area(lonLatBox(b.lon, b.lat, b.lon+dLon, b.lat+b.dLat)); math.Abs(got-want) > 1e-6*want {
			t.Fatalf("cell at (%g, %g): geodesic area %.9f km², want %g", b.lon, b.lat, got, want)
		}
		areas = append(areas, projectedArea(a, b.lon, b.lat, b.lon+dLon, b.lat+b.dLat))
	}
	for i, got := range areas[1:] {
		if rel := math.Abs(got/areas[0] - 1); rel > 1e-6 {
			t.Errorf("cell %d: %.6f px², cell 0: %.6f px² (%.2g apart), want equal within 1e-6", i+1, got, areas[0], rel)
		}
	}
}

func TestAlbersAreasFollowGeodesicAreas(t *testing.T) {
	// The projection of a region is drawn at its geodesic area: the ratio
	// of squareRing pixels to km² is the same for every region.
	b, err := geo.LoadBaseMap("ukraine-adm1")
	if err != nil {
		t.Fatal(err)
	}
	a := geo.FitAlbers(ukraineBounds, 960, 600)
	var ratio float64
	for _, r := range b.Regions {
		px := 0.0
		for _, p := range r.Area {
			for i, ring := range p {
				s := 0.0
				for k := 1; k < len(ring); k++ {
					x0, y0 := a.Project(ring[k-1])
					x1, y1 := a.Project(ring[k])
					s += x0*y1 - x1*y0
				}
				if i == 0 {
					px += math.Abs(s) / 2
				} else {
					px -= math.Abs(s) / 2
				}
			}
		}
		got := px / geo.Area(r.Area)
		if ratio == 0 {
			ratio = got
			continue
		}
		// Straight edges in degrees are not straight once projected, and
		// neither are they in Area's model: a small difference remains.
		if math.Abs(got/ratio-1) > 1e-3 {
			t.Errorf("%s: %.6f px² per km², %s's first region %.6f", r.Name, got, b.Key, ratio)
		}
	}
}

func TestFitAlbersFramesWithMargin(t *testing.T) {
	for _, tt := range []struct {
		name string
		b    geo.Bounds
		w, h float64
	}{
		{"Ukraine, wide box", ukraineBounds, 960, 400},
		{"Ukraine, tall box", ukraineBounds, 300, 900},
		{"Donbas", geo.Bounds{MinLon: 36.5, MinLat: 46.8, MaxLon: 40.2, MaxLat: 50.1}, 640, 640},
		{"southern hemisphere", geo.Bounds{MinLon: 112, MinLat: -44, MaxLon: 154, MaxLat: -10}, 800, 700},
		{"across the equator", geo.Bounds{MinLon: 8, MinLat: -5, MaxLon: 31, MaxLat: 5}, 800, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := geo.FitAlbers(tt.b, tt.w, tt.h)
			minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
			const n = 400
			for i := 0; i <= n; i++ {
				f := float64(i) / n
				lon := tt.b.MinLon + f*(tt.b.MaxLon-tt.b.MinLon)
				lat := tt.b.MinLat + f*(tt.b.MaxLat-tt.b.MinLat)
				for _, p := range []geo.Point{{lon, tt.b.MinLat}, {lon, tt.b.MaxLat}, {tt.b.MinLon, lat}, {tt.b.MaxLon, lat}} {
					x, y := a.Project(p)
					minX, maxX = math.Min(minX, x), math.Max(maxX, x)
					minY, maxY = math.Min(minY, y), math.Max(maxY, y)
				}
			}
			m := geo.FitMargin
			const tol = 0.05 // px: the fit samples the outline more coarsely
			if minX < m-tol || minY < m-tol || maxX > tt.w-m+tol || maxY > tt.h-m+tol {
				t.Errorf("the bounds project to x %.2f–%.2f, y %.2f–%.2f; want within %g px of the %g × %g box's edges", minX, maxX, minY, maxY, m, tt.w, tt.h)
			}
			// Tight along one axis, centred along the other.
			tightX := math.Abs(minX-m) < tol && math.Abs(maxX-(tt.w-m)) < tol
			tightY := math.Abs(minY-m) < tol && math.Abs(maxY-(tt.h-m)) < tol
			if !tightX && !tightY {
				t.Errorf("the bounds project to x %.2f–%.2f, y %.2f–%.2f; want them to fill the box less its margin along one axis", minX, maxX, minY, maxY)
			}
			if math.Abs((minX+maxX)/2-tt.w/2) > tol || math.Abs((minY+maxY)/2-tt.h/2) > tol {
				t.Errorf("the bounds are centred at (%.2f, %.2f), want (%g, %g)", (minX+maxX)/2, (minY+maxY)/2, tt.w/2, tt.h/2)
			}
			// North is up, east is right, and the central meridian is
			// the middle of the framed longitudes.
			mid := (tt.b.MinLon + tt.b.MaxLon) / 2
			xs, ys := a.Project(geo.Point{mid, tt.b.MinLat})
			xn, yn := a.Project(geo.Point{mid, tt.b.MaxLat})
			if math.Abs(xs-tt.w/2) > 1e-9 || math.Abs(xn-tt.w/2) > 1e-9 || yn >= ys {
				t.Errorf("the central meridian runs from (%.3f, %.3f) to (%.3f, %.3f); want it vertical at x = %g, north up", xs, ys, xn, yn, tt.w/2)
			}
			xw, _ := a.Project(geo.Point{tt.b.MinLon, (tt.b.MinLat + tt.b.MaxLat) / 2})
			xe, _ := a.Project(geo.Point{tt.b.MaxLon, (tt.b.MinLat + tt.b.MaxLat) / 2})
			if xw >= xe {
				t.Errorf("west projects to x %.2f, east to %.2f; want west on the left", xw, xe)
			}
		})
	}
}

// sinAuthalic is the sine of the authalic latitude of a latitude on WGS
// 84, the latitude on the sphere of the same surface that keeps areas.
func sinAuthalic(lat float64) float64 {
	const f = 1 / 298.257223563
	e2 := f * (2 - f)
	e := math.Sqrt(e2)
	q := func(phi float64) float64 {
		s := math.Sin(phi)
		return (1 - e2) * (s/(1-e2*s*s) - math.Log((1-e*s)/(1+e*s))/(2*e))
	}
	return q(lat*math.Pi/180) / q(math.Pi/2)
}

// parallelScale is the pixels a projection gives to a kilometre along a
// parallel, on the authalic sphere.
func parallelScale(a geo.Albers, lat float64) float64 {
	const dLon = 0.1
	x0, y0 := a.Project(geo.Point{30, lat})
	x1, y1 := a.Project(geo.Point{30 + dLon, lat})
	s := sinAuthalic(lat)
	km := geo.AuthalicRadius * math.Sqrt(1-s*s) * dLon * math.Pi / 180
	return math.Hypot(x1-x0, y1-y0) / km
}

func TestAlbersStandardParallels(t *testing.T) {
	// On the standard parallels, at a sixth and five sixths of the framed
	// latitudes, a parallel keeps its true length: pixels per kilometre
	// are the same on both, and fewer between them, where the projection
	// shrinks east–west what it stretches north–south.
	b := ukraineBounds
	a := geo.FitAlbers(b, 960, 600)
	span := b.MaxLat - b.MinLat
	south := parallelScale(a, b.MinLat+span/6)
	north := parallelScale(a, b.MaxLat-span/6)
	middle := parallelScale(a, (b.MinLat+b.MaxLat)/2)
	if math.Abs(south/north-1) > 1e-9 {
		t.Errorf("pixels per km on the standard parallels: %.9f and %.9f, want equal", south, north)
	}
	if middle >= south {
		t.Errorf("pixels per km between the standard parallels %.6f, on them %.6f; want fewer between them", middle, south)
	}
	// The scale bar's measure is true: Kyiv to Kharkiv.
	kyiv, kharkiv := geo.Point{30.52, 50.45}, geo.Point{36.23, 49.99}
	x0, y0 := a.Project(kyiv)
	x1, y1 := a.Project(kharkiv)
	km := math.Hypot(x1-x0, y1-y0) * a.KmPerPixel(geo.Point{33.4, 50.2})
	if want := geo.Distance(kyiv, kharkiv); math.Abs(km/want-1) > 0.01 {
		t.Errorf("Kyiv to Kharkiv on the map: %.1f km, on the Earth %.1f km", km, want)
	}
}

func TestFitAlbersDegenerate(t *testing.T) {
	for _, b := range []geo.Bounds{
		geo.EmptyBounds(),
		{},
		{MinLon: 30, MinLat: 50, MaxLon: 30, MaxLat: 50},
		{MinLon: -180, MinLat: -90, MaxLon: 180, MaxLat: 90},
		{MinLon: 10, MinLat: 89.9, MaxLon: 20, MaxLat: 90},
	} {
		a := geo.FitAlbers(b, 500, 300)
		for _, p := range []geo.Point{{b.MinLon, b.MinLat}, {b.MaxLon, b.MaxLat}, {0, 0}} {
			x, y := a.Project(p)
			if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
				t.Errorf("FitAlbers(%v) projects %v to (%v, %v)", b, p, x, y)
			}
		}
	}
}
