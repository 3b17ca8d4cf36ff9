package geo_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"parley/geo"
)

// kmPerDegree is the length of a degree of a great circle on the mean
// sphere.
const kmPerDegree = math.Pi / 180 * geo.MeanRadius

// reversed returns the line walked the other way.
func reversed(l geo.Line) geo.Line {
	r := slices.Clone(l)
	slices.Reverse(r)
	return r
}

func TestSplitDiagonal(t *testing.T) {
	region := box(30, 48, 32, 50)
	diag := geo.Line{{29.5, 47.5}, {32.5, 50.5}} // south-west to north-east, beyond the box
	left, err := geo.Split(region, diag, geo.Left)
	if err != nil {
		t.Fatal(err)
	}
	right, err := geo.Split(region, diag, geo.Right)
	if err != nil {
		t.Fatal(err)
	}
	mustValid(t, "left", left)
	mustValid(t, "right", right)
	whole := geo.Area(region)
	relNear(t, "the halves' sum", geo.Area(left)+geo.Area(right), whole, 1e-9)
	relNear(t, "the left half", geo.Area(left), whole/2, 0.02)
	relNear(t, "the right half", geo.Area(right), whole/2, 0.02)
	// Walking north-east, the north-west corner is on the left. The
	// northern half lies at higher latitudes, where a degree is smaller.
	if !geo.Contains(left, geo.Point{30.2, 49.8}) || !geo.Contains(right, geo.Point{31.8, 48.2}) {
		t.Error("left is not the north-west triangle")
	}
	if geo.Area(left) >= geo.Area(right) {
		t.Errorf("the northern half %.1f km² is not smaller than the southern %.1f", geo.Area(left), geo.Area(right))
	}

	// Walked the other way, the sides swap.
	left2, err := geo.Split(region, reversed(diag), geo.Right)
	if err != nil {
		t.Fatal(err)
	}
	right2, err := geo.Split(region, reversed(diag), geo.Left)
	if err != nil {
		t.Fatal(err)
	}
	relNear(t, "right of the reversed line", geo.Area(left2), geo.Area(left), 1e-12)
	relNear(t, "left of the reversed line", geo.Area(right2), geo.Area(right), 1e-12)

	both, err := geo.Split(region, diag, geo.Both)
	if err != nil || geo.Area(both) != whole {
		t.Errorf("both sides: %v, %v", both, err)
	}
}

func TestSplitByAShortBentLine(t *testing.T) {
	// A line of contact that stops short of the region's edges runs on
	// straight from its ends.
	region := box(36, 47, 39, 49)
	contact := geo.Line{{37.5, 47.5}, {37.2, 48}, {37.6, 48.5}} // northward, bending
	west, err := geo.Split(region, contact, geo.Left)
	if err != nil {
		t.Fatal(err)
	}
	east, err := geo.Split(region, contact, geo.Right)
	if err != nil {
		t.Fatal(err)
	}
	relNear(t, "the sides' sum", geo.Area(west)+geo.Area(east), geo.Area(region), 1e-9)
	for _, c := range []struct {
		p          geo.Point
		inWest     bool
		whereabout string
	}{
		{geo.Point{36.5, 48}, true, "west of the bend"},
		{geo.Point{37.35, 48}, false, "just east of the bend"},
		{geo.Point{36.2, 47.1}, true, "south-west, past the line's southern end"},
		{geo.Point{38.5, 48.9}, false, "north-east, past its northern end"},
	} {
		if geo.Contains(west, c.p) != c.inWest || geo.Contains(east, c.p) == c.inWest {
			t.Errorf("%v (%s): in the west %v, in the east %v", c.p, c.whereabout, geo.Contains(west, c.p), geo.Contains(east, c.p))
		}
	}

	// A line that misses the region leaves it all on one side.
	far := geo.Line{{40, 47}, {40, 49}}
	all, err := geo.Split(region, far, geo.Left)
	if err != nil {
		t.Fatal(err)
	}
	relNear(t, "all of it west of a line to the east", geo.Area(all), geo.Area(region), 1e-12)
	none, err := geo.Split(region, far, geo.Right)
	if err != nil || none != nil {
		t.Errorf("east of a line to the east: %v, %v; want nothing", none, err)
	}
}

func TestSplitRefuses(t *testing.T) {
	region := box(30, 48, 32, 50)
	for _, c := range []struct {
		name string
		l    geo.Line
		s    geo.Side
		want string
	}{
		{"a line crossing itself", geo.Line{{29, 49}, {33, 49}, {31, 51}, {31, 47}}, geo.Left, "crosses itself near (31, 49)"},
		{"a line turning back", geo.Line{{29, 49}, {31, 49}, {30, 49}}, geo.Left, "turns back along itself at (31, 49)"},
		{"extensions crossing each other", geo.Line{{31, 49}, {32, 49}, {32, 50}, {30.5, 50}, {30.5, 49.5}}, geo.Right, "run on straight from its ends"},
		{"one position", geo.Line{{31, 49}}, geo.Left, "at least 2 different positions"},
		{"one position twice", geo.Line{{31, 49}, {31, 49}}, geo.Left, "at least 2 different positions"},
		{"no such side", geo.Line{{31, 47}, {31, 51}}, geo.Side(7), "Side(7) is not a side"},
		{"not a number", geo.Line{{31, 47}, {math.NaN(), 51}}, geo.Left, "position 1 of the line, (NaN, 51), is not a longitude"},
		{"off the globe", geo.Line{{31, 47}, {31, 91}}, geo.Right, "position 1 of the line, (31, 91)"},
	} {
		_, err := geo.Split(region, c.l, c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

func TestBufferOfAStraightLine(t *testing.T) {
	// 100 km along a meridian, and along a parallel: 2·10·100 + π·10².
	want := 2*10*100 + math.Pi*100
	for _, l := range []geo.Line{
		{{31, 49}, {31, 49 + 100/kmPerDegree}},
		{{31, 49}, {31, 49 + 30/kmPerDegree}, {31, 49 + 100/kmPerDegree}}, // with a position on the way
		{{-70, -30}, {-70 + 100/kmPerDegree/math.Cos(30*math.Pi/180), -30}},
	} {
		if got := geo.Length(l); math.Abs(got-100) > 0.01 {
			t.Fatalf("the test line is %.3f km, not 100", got)
		}
		buf, err := geo.Buffer(l, 10)
		if err != nil {
			t.Fatal(err)
		}
		mustValid(t, "buffer", buf)
		relNear(t, "10 km along 100 km", geo.Area(buf), want, 0.01)
	}
}

func TestBufferReach(t *testing.T) {
	// A bent line; a position 9 km from it is inside, 11 km outside.
	l := geo.Line{{35, 48}, {35.5, 48.3}, {36, 48}}
	buf, err := geo.Buffer(l, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(buf) != 1 {
		t.Fatalf("%d polygons, want 1", len(buf))
	}
	mustValid(t, "bent buffer", buf)
	for _, p := range l {
		if !geo.Contains(buf, p) {
			t.Errorf("the line's position %v is outside its buffer", p)
		}
	}
	// Due north of the bend, outside its corner, and beyond the line's
	// ends.
	northOf := func(p geo.Point, km float64) geo.Point { return geo.Point{p[0], p[1] + km/kmPerDegree} }
	westOf := func(p geo.Point, km float64) geo.Point {
		return geo.Point{p[0] - km/kmPerDegree/math.Cos(p[1]*math.Pi/180), p[1]}
	}
	for _, c := range []struct {
		p    geo.Point
		want bool
	}{
		{northOf(l[1], 9), true},
		{northOf(l[1], 11), false},
		{westOf(l[0], 9.5), true},
		{westOf(l[0], 10.5), false},
		{geo.Point{35.5, 48.1}, false}, // under the bend, about 16 km from both arms
		{geo.Point{35.5, 48.2}, true},  // about 8 km from both arms
	} {
		if got := geo.Contains(buf, c.p); got != c.want {
			t.Errorf("%v: inside %v, want %v (%.2f km from the bend)", c.p, got, c.want, geo.Distance(c.p, l[1]))
		}
	}
}

func TestBufferRefuses(t *testing.T) {
	l := geo.Line{{31, 49}, {32, 49}}
	for _, c := range []struct {
		l    geo.Line
		km   float64
		want string
	}{
		{l, 0, "more than 0 and at most 500 km wide, not 0"},
		{l, -5, "not -5"},
		{l, 501, "not 501"},
		{l, math.NaN(), "not NaN"},
		{geo.Line{{31, 49}}, 10, "at least 2 positions"},
		{geo.Line{{31, 49}, {31, 49}}, 10, "every position of this one is the same"},
		{geo.Line{{31, 49}, {math.Inf(1), 49}}, 10, "position 1 of the line, (+Inf, 49)"},
	} {
		_, err := geo.Buffer(c.l, c.km)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v, %g km: got %v, want %q", c.l, c.km, err, c.want)
		}
	}
}

func TestZoneResolve(t *testing.T) {
	west, east := box(30, 48, 31, 50), box(31, 48, 32, 50)
	contact := geo.Line{{29, 49}, {33, 49}} // eastward along the 49th parallel: north is left
	drawn := box(30.5, 48.5, 31.5, 49.5)
	for _, c := range []struct {
		name string
		z    geo.Zone
		want geo.MultiPolygon // an area of the same size
	}{
		{"a region", geo.Zone{Region: west}, west},
		{"two regions", geo.Zone{Region: append(slices.Clone(west), east...)}, box(30, 48, 32, 50)},
		{"the north of two regions", geo.Zone{Region: append(slices.Clone(west), east...), Line: contact, Side: geo.Left}, box(30, 49, 32, 50)},
		{"the south of one", geo.Zone{Region: east, Line: contact, Side: geo.Right}, box(31, 48, 32, 49)},
		{"a drawn area", geo.Zone{Drawn: drawn}, drawn},
		{"a drawn area in a region", geo.Zone{Region: west, Drawn: drawn}, box(30.5, 48.5, 31, 49.5)},
		{"a drawn area north of the line", geo.Zone{Drawn: drawn, Line: contact, Side: geo.Left}, box(30.5, 49, 31.5, 49.5)},
	} {
		got, err := c.z.Resolve()
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		mustValid(t, c.name, got)
		relNear(t, c.name, geo.Area(got), geo.Area(c.want), 1e-9)
	}

	// A buffer of 20 km along the line, within two regions: a band
	// 40 km wide and 2° of longitude long.
	band, err := geo.Zone{Region: append(slices.Clone(west), east...), Line: contact, BufferKm: 20}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	wantBand := 40 * 2 * kmPerDegree * math.Cos(49*math.Pi/180)
	relNear(t, "a band along the line", geo.Area(band), wantBand, 0.01)
	// and only north of it: half the band.
	north, err := geo.Zone{Region: append(slices.Clone(west), east...), Line: contact, Side: geo.Left, BufferKm: 20}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	relNear(t, "the band's northern half", geo.Area(north), geo.Area(band)/2, 0.01)
}

func TestZoneRefuses(t *testing.T) {
	region := box(30, 48, 31, 50)
	l := geo.Line{{29, 49}, {33, 49}}
	for _, c := range []struct {
		name string
		z    geo.Zone
		want string
	}{
		{"nothing", geo.Zone{}, "nothing to resolve"},
		{"a line only", geo.Zone{Line: l, Side: geo.Left}, "nothing to resolve"},
		{"a side without a line", geo.Zone{Region: region, Side: geo.Left}, "on the left side of a line, and has no line"},
		{"a buffer without a line", geo.Zone{Region: region, BufferKm: 15}, "a buffer of 15 km along a line, and has no line"},
		{"a line for nothing", geo.Zone{Region: region, Line: l}, "neither a side of it nor a buffer"},
		{"an unknown side", geo.Zone{Region: region, Line: l, Side: 3}, "Side(3) is not a side"},
		{"a negative buffer", geo.Zone{Region: region, Line: l, BufferKm: -1}, "not -1"},
		{"a buffer too wide", geo.Zone{Region: region, Line: l, BufferKm: 900}, "at most 500 km"},
	} {
		_, err := c.z.Resolve()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

func BenchmarkBuffer(b *testing.B) {
	// A line of contact of 200 positions over about 600 km.
	l := make(geo.Line, 200)
	for i := range l {
		l[i] = geo.Point{35 + 0.04*float64(i), 48 + 0.3*math.Sin(float64(i)/9)}
	}
	for b.Loop() {
		if _, err := geo.Buffer(l, 15); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzSplit(f *testing.F) {
	f.Add(29.5, 47.5, 32.5, 50.5, 0.0, 0.0, uint8(2), uint8(1))
	f.Add(31.0, 47.0, 31.2, 49.0, 30.9, 51.0, uint8(3), uint8(2))
	f.Add(30.0, 48.0, 32.0, 48.0, 32.0, 50.0, uint8(3), uint8(1)) // along the region's edges
	f.Add(31.0, 49.0, 31.0, 49.0, 31.0, 49.0, uint8(3), uint8(1))
	region := geo.MultiPolygon{{{{30, 48}, {32, 48}, {32, 50}, {31, 49.5}, {30, 50}, {30, 48}}}}
	whole := geo.Area(region)
	f.Fuzz(func(t *testing.T, x0, y0, x1, y1, x2, y2 float64, n, side uint8) {
		l := geo.Line{{x0, y0}, {x1, y1}, {x2, y2}}[:2+int(n%2)]
		for _, p := range l {
			if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
				return
			}
		}
		s := geo.Side(side % 4)
		got, err := geo.Split(region, l, s)
		if err != nil || s == geo.Both || s > geo.Right {
			return
		}
		other, err := geo.Split(region, l, 3-s)
		if err != nil {
			t.Fatalf("the %v side splits, the other fails: %v", s, err)
		}
		mustValid(t, "one side", got)
		mustValid(t, "the other", other)
		if sum := geo.Area(got) + geo.Area(other); math.Abs(sum-whole) > 1e-6*whole {
			t.Fatalf("the sides add up to %.9g km², the region is %.9g", sum, whole)
		}
	})
}
