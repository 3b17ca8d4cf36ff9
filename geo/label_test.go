package geo_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"parley/geo"
)

// closed returns a closed ring through the positions, counter-clockwise as
// given.
func closed(pts ...geo.Point) geo.Ring { return append(geo.Ring(pts), pts[0]) }

// hole returns a ring run the other way, as a hole.
func hole(r geo.Ring) geo.Ring {
	out := slices.Clone(r)
	slices.Reverse(out)
	return out
}

// roomAt is the distance from pt to the nearest edge of a polygon.
func roomAt(pt geo.Point, p geo.Polygon) float64 {
	best := math.Inf(1)
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			best = min(best, segmentDistance(pt, r[i-1], r[i]))
		}
	}
	return best
}

// segmentDistance is the plain distance from p to the segment a–b.
func segmentDistance(p, a, b geo.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = max(0, min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l))
	}
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

// bruteRoom is the most room any point of a fine grid over the polygon
// has: what the pole of inaccessibility has, to within the grid's step.
func bruteRoom(p geo.Polygon) float64 {
	b := geo.Line(p[0]).Bounds()
	const n = 120
	best := 0.0
	for i := 0; i <= n; i++ {
		for j := 0; j <= n; j++ {
			pt := geo.Point{b.MinLon + (b.MaxLon-b.MinLon)*float64(i)/n, b.MinLat + (b.MaxLat-b.MinLat)*float64(j)/n}
			if geo.Contains(geo.MultiPolygon{p}, pt) {
				best = max(best, roomAt(pt, p))
			}
		}
	}
	return best
}

var (
	squareRing = closed(geo.Point{0, 0}, geo.Point{10, 0}, geo.Point{10, 10}, geo.Point{0, 10})
	// cShape opens to the east: its centroid and its box's centre lie in
	// the opening, outside it.
	cShape = closed(geo.Point{0, 0}, geo.Point{10, 0}, geo.Point{10, 2}, geo.Point{2, 2}, geo.Point{2, 8},
		geo.Point{10, 8}, geo.Point{10, 10}, geo.Point{0, 10})
	// lShape has its most room in the corner.
	lShape = closed(geo.Point{0, 0}, geo.Point{12, 0}, geo.Point{12, 4}, geo.Point{4, 4}, geo.Point{4, 12}, geo.Point{0, 12})
	// donut is a square with a square hole in the middle.
	donut = geo.Polygon{
		closed(geo.Point{0, 0}, geo.Point{12, 0}, geo.Point{12, 12}, geo.Point{0, 12}),
		hole(closed(geo.Point{3, 3}, geo.Point{9, 3}, geo.Point{9, 9}, geo.Point{3, 9})),
	}
	// sliver is a triangle far longer than wide.
	sliver = closed(geo.Point{0, 0}, geo.Point{100, 0.5}, geo.Point{0, 1})
)

func TestLabelPoint(t *testing.T) {
	far := geo.Polygon{closed(geo.Point{100, 100}, geo.Point{101, 100}, geo.Point{101, 101}, geo.Point{100, 101})}
	for _, tt := range []struct {
		name string
		area geo.MultiPolygon
		// the polygon the point must be in, and how much of the most
		// room a point of it has the point must have.
		in   geo.Polygon
		room float64
	}{
		{"square", geo.MultiPolygon{{squareRing}}, geo.Polygon{squareRing}, 0.97},
		{"C shape", geo.MultiPolygon{{cShape}}, geo.Polygon{cShape}, 0.9},
		{"L shape", geo.MultiPolygon{{lShape}}, geo.Polygon{lShape}, 0.9},
		{"donut", geo.MultiPolygon{donut}, donut, 0.9},
		{"sliver", geo.MultiPolygon{{sliver}}, geo.Polygon{sliver}, 0.5},
		{"the largest of two polygons", geo.MultiPolygon{far, {squareRing}}, geo.Polygon{squareRing}, 0.97},
		{"an island in the donut's hole is smaller", geo.MultiPolygon{donut, {closed(geo.Point{5, 5}, geo.Point{7, 5}, geo.Point{7, 7}, geo.Point{5, 7})}}, donut, 0.9},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pt := geo.LabelPoint(tt.area)
			if !geo.Contains(geo.MultiPolygon{tt.in}, pt) {
				t.Fatalf("LabelPoint = %v, outside the polygon it should be in", pt)
			}
			got, most := roomAt(pt, tt.in), bruteRoom(tt.in)
			if got < tt.room*most {
				t.Errorf("LabelPoint = %v with %.3f of room to the edges; a point has %.3f (want at least %.0f%% of it)", pt, got, most, 100*tt.room)
			}
		})
	}
	if got := geo.LabelPoint(nil); got != (geo.Point{}) {
		t.Errorf("LabelPoint(nil) = %v, want (0, 0)", got)
	}
}

// starRing returns a random star-shaped ring around (cx, cy): n spokes of
// random lengths, counter-clockwise.
func starRing(rng *rand.Rand, cx, cy float64, n int) geo.Ring {
	var pts []geo.Point
	for i := range n {
		a := 2 * math.Pi * (float64(i) + 0.8*rng.Float64()) / float64(n)
		r := 0.2 + 10*rng.Float64()
		pts = append(pts, geo.Point{cx + r*math.Cos(a), cy + r*math.Sin(a)})
	}
	return closed(pts...)
}

func TestLabelPointInsideRandomShapes(t *testing.T) {
	// A property, against brute force: for random star-shaped polygons,
	// some with a hole round their centre, the point is inside and has
	// most of the room the best point of a fine grid has.
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 100 {
		ext := starRing(rng, 50, 50, 3+rng.IntN(40))
		p := geo.Polygon{ext}
		if i%3 == 0 {
			h := hole(closed(geo.Point{49.9, 49.9}, geo.Point{50.1, 49.9}, geo.Point{50.1, 50.1}, geo.Point{49.9, 50.1}))
			if geo.CheckPolygon(geo.Polygon{ext, h}) == nil {
				p = append(p, h)
			}
		}
		if geo.CheckPolygon(p) != nil {
			continue // a star whose spokes cross
		}
		pt := geo.LabelPoint(geo.MultiPolygon{p})
		if !geo.Contains(geo.MultiPolygon{p}, pt) {
			t.Fatalf("shape %d: LabelPoint = %v, outside %v", i, pt, p)
		}
		if got, most := roomAt(pt, p), bruteRoom(p); got < 0.6*most {
			t.Errorf("shape %d: LabelPoint has %.3f of room, a grid point %.3f", i, got, most)
		}
	}
}

func FuzzLabelPoint(f *testing.F) {
	f.Add([]byte{10, 200, 30, 40, 250, 60, 70, 80, 90})
	f.Add([]byte{1, 2, 3})
	f.Add([]byte{255, 0, 255, 0, 255, 0, 128, 128})
	f.Fuzz(func(t *testing.T, data []byte) {
		// Spokes of the lengths the bytes give, at even angles: a
		// star-shaped ring that never crosses itself.
		if len(data) < 3 || len(data) > 200 {
			return
		}
		var pts []geo.Point
		for i, d := range data {
			a := 2 * math.Pi * float64(i) / float64(len(data))
			r := 1 + float64(d)
			pts = append(pts, geo.Point{r * math.Cos(a), r * math.Sin(a)})
		}
		p := geo.Polygon{closed(pts...)}
		pt := geo.LabelPoint(geo.MultiPolygon{p})
		if !geo.Contains(geo.MultiPolygon{p}, pt) {
			t.Fatalf("LabelPoint = %v, outside the star %v", pt, data)
		}
	})
}

func BenchmarkLabelPoint(b *testing.B) {
	// Every region of the base map, in degrees.
	base, err := geo.LoadBaseMap("ukraine-adm1")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, r := range base.Regions {
			geo.LabelPoint(r.Area)
		}
	}
}

func BenchmarkLabelPointSpiky(b *testing.B) {
	// A star of 500 spikes round a small core: many cells could hold the
	// best point, and the search runs to its bound.
	rng := rand.New(rand.NewPCG(3, 4))
	area := geo.MultiPolygon{{starRing(rng, 0, 0, 500)}}
	for b.Loop() {
		geo.LabelPoint(area)
	}
}
