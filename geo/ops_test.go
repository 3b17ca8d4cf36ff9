package geo_test

import (
	"math"
	"strings"
	"testing"

	"parley/geo"
)

// box is the area of a longitude–latitude box, counter-clockwise.
func box(lon0, lat0, lon1, lat1 float64) geo.MultiPolygon {
	return geo.MultiPolygon{{{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}}}
}

// mustValid fails unless every polygon of m passes the checks a reader
// applies, exteriors counter-clockwise and holes clockwise among them.
func mustValid(t *testing.T, what string, m geo.MultiPolygon) {
	t.Helper()
	for i, p := range m {
		if err := geo.CheckPolygon(p); err != nil {
			t.Errorf("%s, polygon %d: %v", what, i, err)
		}
	}
	if err := geo.CheckOverlap(m); err != nil {
		t.Errorf("%s: %v", what, err)
	}
}

// relNear fails unless got is within rel of want, relatively.
func relNear(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.Abs(got-want) > rel*math.Abs(want) {
		t.Errorf("%s: %.9g, want %.9g (within %g)", what, got, want, rel)
	}
}

func TestIntersection(t *testing.T) {
	got, err := geo.Intersection(box(30, 48, 34, 50), box(32, 49, 36, 52))
	if err != nil {
		t.Fatal(err)
	}
	mustValid(t, "intersection", got)
	relNear(t, "area of the intersection", geo.Area(got), geo.Area(box(32, 49, 34, 50)), 1e-12)

	for _, c := range []struct {
		name string
		a, b geo.MultiPolygon
	}{
		{"apart", box(0, 0, 1, 1), box(5, 5, 6, 6)},
		{"touching along an edge", box(0, 0, 1, 1), box(1, 0, 2, 1)},
		{"touching at a corner", box(0, 0, 1, 1), box(1, 1, 2, 2)},
		{"one empty", box(0, 0, 1, 1), nil},
	} {
		got, err := geo.Intersection(c.a, c.b)
		if err != nil || got != nil {
			t.Errorf("%s: got %v, %v; want nil", c.name, got, err)
		}
	}
}

func TestDifference(t *testing.T) {
	got, err := geo.Difference(box(30, 48, 34, 52), box(31, 49, 32, 50))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0]) != 2 {
		t.Fatalf("got %d polygons, the first of %d rings; want one with a hole", len(got), len(got[0]))
	}
	mustValid(t, "difference", got)
	relNear(t, "area with the hole", geo.Area(got), geo.Area(box(30, 48, 34, 52))-geo.Area(box(31, 49, 32, 50)), 1e-12)

	split, err := geo.Difference(box(30, 48, 34, 52), box(31, 40, 32, 60))
	if err != nil || len(split) != 2 {
		t.Errorf("a band taken out of the middle: %d polygons, %v; want 2", len(split), err)
	}
	mustValid(t, "split in two", split)

	if got, err := geo.Difference(box(1, 1, 2, 2), box(0, 0, 3, 3)); err != nil || got != nil {
		t.Errorf("all taken: got %v, %v; want nil", got, err)
	}
	if got, err := geo.Difference(box(1, 1, 2, 2), nil); err != nil || geo.Area(got) != geo.Area(box(1, 1, 2, 2)) {
		t.Errorf("nothing taken: got %v, %v", got, err)
	}
}

func TestUnion(t *testing.T) {
	got, err := geo.Union(box(30, 48, 31, 49), box(31, 48, 32, 49), box(30, 49, 32, 50))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0]) != 1 {
		t.Errorf("neighbours joined into %d polygons, want 1 without holes: %v", len(got), got)
	}
	mustValid(t, "union", got)
	relNear(t, "area of the union", geo.Area(got), geo.Area(box(30, 48, 32, 50)), 1e-12)

	ring, err := geo.Union(box(0, 0, 3, 1), box(0, 2, 3, 3), box(0, 1, 1, 2), box(2, 1, 3, 2))
	if err != nil || len(ring) != 1 || len(ring[0]) != 2 {
		t.Errorf("four boxes round a hole: %v, %v; want one polygon with a hole", ring, err)
	}
	mustValid(t, "union round a hole", ring)

	if got, err := geo.Union(); err != nil || got != nil {
		t.Errorf("nothing: got %v, %v", got, err)
	}
	if got, err := geo.Union(nil, box(0, 0, 1, 1), nil); err != nil || len(got) != 1 {
		t.Errorf("one: got %v, %v", got, err)
	}
}

func TestPaint(t *testing.T) {
	shapes := []geo.MultiPolygon{
		box(30, 45, 36, 50),   // an oblast
		box(33, 44, 40, 48),   // a claim over part of it
		box(31, 47, 34, 49),   // a later zone over both
		box(50, 50, 51, 51),   // apart from all
		box(34, 46, 35, 47),   // last, inside the claim
		box(30, 45, 30.5, 50), // a strip along the oblast's edge
	}
	painted, err := geo.Paint(shapes)
	if err != nil {
		t.Fatal(err)
	}
	if len(painted) != len(shapes) {
		t.Fatalf("%d results for %d shapes", len(painted), len(shapes))
	}
	sum := 0.0
	for i, p := range painted {
		mustValid(t, "painted", p)
		sum += geo.Area(p)
		for j := i + 1; j < len(painted); j++ {
			over, err := geo.Intersection(p, painted[j])
			if err != nil {
				t.Fatal(err)
			}
			if a := geo.Area(over); a > 1e-6 {
				t.Errorf("results %d and %d overlap by %g km²", i, j, a)
			}
		}
	}
	union, err := geo.Union(shapes...)
	if err != nil {
		t.Fatal(err)
	}
	relNear(t, "the painted areas' sum", sum, geo.Area(union), 1e-9)
	// The last shape is never painted over.
	relNear(t, "the last shape", geo.Area(painted[5]), geo.Area(shapes[5]), 1e-12)
	relNear(t, "the shape apart", geo.Area(painted[3]), geo.Area(shapes[3]), 1e-12)
}

func TestContains(t *testing.T) {
	withHole := geo.MultiPolygon{{box(0, 0, 10, 10)[0][0], {{2, 2}, {2, 8}, {8, 8}, {8, 2}, {2, 2}}}, box(20, 0, 21, 1)[0]}
	for _, c := range []struct {
		p    geo.Point
		want bool
	}{
		{geo.Point{1, 1}, true},
		{geo.Point{5, 5}, false}, // in the hole
		{geo.Point{9, 5}, true},
		{geo.Point{11, 5}, false},
		{geo.Point{20.5, 0.5}, true}, // in the second polygon
		{geo.Point{-1, -1}, false},
	} {
		if got := geo.Contains(withHole, c.p); got != c.want {
			t.Errorf("Contains(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}

func TestOverlayRefusesNonNumbers(t *testing.T) {
	bad := geo.MultiPolygon{{{{0, 0}, {math.NaN(), 0}, {1, 1}, {0, 1}, {0, 0}}}}
	good := box(0, 0, 2, 2)
	for name, op := range map[string]func() (geo.MultiPolygon, error){
		"intersection": func() (geo.MultiPolygon, error) { return geo.Intersection(good, bad) },
		"difference":   func() (geo.MultiPolygon, error) { return geo.Difference(bad, good) },
		"union":        func() (geo.MultiPolygon, error) { return geo.Union(good, bad) },
		"paint":        func() (geo.MultiPolygon, error) { _, err := geo.Paint([]geo.MultiPolygon{bad, good}); return nil, err },
		"zone":         func() (geo.MultiPolygon, error) { return geo.Zone{Region: append(good, bad...)}.Resolve() },
	} {
		if _, err := op(); err == nil || !strings.Contains(err.Error(), "(NaN, 0)") {
			t.Errorf("%s: got %v, want the position named", name, err)
		}
	}
}

func BenchmarkPaint(b *testing.B) {
	shapes := []geo.MultiPolygon{
		{{roughRingAt(33, 48, 3, 20_000)}},
		{{roughRingAt(35, 48, 2, 20_000)}},
		{{roughRingAt(34, 49, 1.5, 20_000)}},
	}
	for b.Loop() {
		if _, err := geo.Paint(shapes); err != nil {
			b.Fatal(err)
		}
	}
}

// roughRingAt is a counter-clockwise ring of n positions round (lon, lat)
// at radius r degrees, slightly rough.
func roughRingAt(lon, lat, r float64, n int) geo.Ring {
	ring := wobblyRing(lon, lat, r, r*1e-4, n, uint64(n))
	return ring
}
