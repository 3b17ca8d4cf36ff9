package geo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// bruteSimple reports whether a ring is simple by comparing every two of
// its edges: edges that follow each other may share only their common
// position (not run back along each other); other edges may not meet.
func bruteSimple(r Ring) bool {
	var es [][2]Point
	for i := 1; i < len(r); i++ {
		if r[i] != r[i-1] {
			es = append(es, [2]Point{r[i-1], r[i]})
		}
	}
	n := len(es)
	onSeg := func(p, a, b Point) bool {
		return orient(a, b, p) == 0 && min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
	}
	segsMeet := func(p1, p2, q1, q2 Point) bool {
		d1, d2 := orient(q1, q2, p1), orient(q1, q2, p2)
		d3, d4 := orient(p1, p2, q1), orient(p1, p2, q2)
		if d1*d2 < 0 && d3*d4 < 0 {
			return true
		}
		return onSeg(p1, q1, q2) || onSeg(p2, q1, q2) || onSeg(q1, p1, p2) || onSeg(q2, p1, p2)
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			if j == i+1 || (i == 0 && j == n-1) {
				// Following edges: a, b then b, c; c must not lie back along a–b.
				a, b, c := es[i][0], es[i][1], es[j][1]
				if i == 0 && j == n-1 {
					a, b, c = es[j][0], es[j][1], es[i][1]
				}
				if orient(a, b, c) == 0 && (b[0]-a[0])*(c[0]-b[0])+(b[1]-a[1])*(c[1]-b[1]) < 0 {
					return false
				}
				continue
			}
			if segsMeet(es[i][0], es[i][1], es[j][0], es[j][1]) {
				return false
			}
		}
	}
	return true
}

func TestFindCrossingAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	found, simple := 0, 0
	for trial := range 20_000 {
		// Small integer grids make collinear edges, shared positions and
		// touching edges common.
		n := 3 + rng.IntN(10)
		grid := 2 + rng.IntN(6)
		r := make(Ring, 0, n+1)
		for range n {
			r = append(r, Point{float64(rng.IntN(grid)), float64(rng.IntN(grid))})
		}
		r = append(r, r[0])
		want := !bruteSimple(r)
		_, got := findCrossing([]Ring{r}, nil)
		if got != want {
			t.Fatalf("trial %d, ring %v: crossing found %v, brute force says %v", trial, r, got, want)
		}
		if got {
			found++
		} else {
			simple++
		}
	}
	if found < 1000 || simple < 1000 {
		t.Errorf("%d rings with crossings, %d simple: the trials do not test both", found, simple)
	}
}

// starRing is a simple ring of n positions on an integer grid: positions
// sorted by angle around the centre.
func starRing(rng *rand.Rand, n int) Ring {
	type pa struct {
		p Point
		a float64
	}
	var ps []pa
	seen := map[Point]bool{}
	for len(ps) < n {
		t := rng.Float64() * 2 * math.Pi
		rad := 200 + rng.Float64()*800
		p := Point{math.Round(rad * math.Cos(t)), math.Round(rad * math.Sin(t))}
		if seen[p] {
			continue
		}
		seen[p] = true
		ps = append(ps, pa{p, math.Atan2(p[1], p[0])})
	}
	slices.SortFunc(ps, func(x, y pa) int { return cmpFloat(x.a, y.a) })
	r := make(Ring, 0, n+1)
	for _, x := range ps {
		r = append(r, x.p)
	}
	return append(r, r[0])
}

func TestFindCrossingOnLargeRings(t *testing.T) {
	// Large enough to split many times; one moved position may or may not
	// make the ring cross itself, and the split must agree with brute force.
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 60 {
		r := starRing(rng, 400)
		if trial%2 == 1 {
			k := 1 + rng.IntN(len(r)-2)
			r[k] = Point{math.Round(rng.Float64()*2000 - 1000), math.Round(rng.Float64()*2000 - 1000)}
		}
		want := !bruteSimple(r)
		if _, got := findCrossing([]Ring{r}, nil); got != want {
			t.Fatalf("trial %d: crossing found %v, brute force says %v", trial, got, want)
		}
	}
}

func TestCheckPolygonAllows(t *testing.T) {
	ext := Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	for _, c := range []struct {
		name string
		p    Polygon
	}{
		{"a hole touching the exterior at a position", Polygon{ext, {{0, 0}, {2, 4}, {4, 2}, {0, 0}}}},
		{"a hole touching the exterior inside an edge", Polygon{ext, {{5, 0}, {4, 2}, {6, 2}, {5, 0}}}},
		{"two holes touching at a position", Polygon{ext, {{2, 2}, {2, 4}, {4, 4}, {2, 2}}, {{4, 4}, {6, 6}, {6, 4}, {4, 4}}}},
		{"repeated positions", Polygon{{{0, 0}, {10, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 10}, {0, 0}}}},
		{"a triangle", Polygon{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}},
	} {
		if err := CheckPolygon(c.p); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestCheckOverlap(t *testing.T) {
	sq := func(x, y, d float64) Polygon {
		return Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
	}
	withHole := Polygon{sq(0, 0, 10)[0], {{2, 2}, {2, 8}, {8, 8}, {8, 2}, {2, 2}}}
	for _, c := range []struct {
		name string
		m    MultiPolygon
		want string // "" for none
	}{
		{"apart", MultiPolygon{sq(0, 0, 1), sq(5, 5, 1)}, ""},
		{"sharing an edge", MultiPolygon{sq(0, 0, 1), sq(1, 0, 1)}, ""},
		{"sharing part of an edge", MultiPolygon{sq(0, 0, 2), sq(2, 1, 2)}, ""},
		{"touching at a corner", MultiPolygon{sq(0, 0, 1), sq(1, 1, 1)}, ""},
		{"an island in a hole", MultiPolygon{withHole, sq(4, 4, 2)}, ""},
		{"an island filling its hole", MultiPolygon{withHole, sq(2, 2, 6)}, ""},
		{"crossing", MultiPolygon{sq(0, 0, 2), sq(1, 1, 2)}, "polygon 1: the polygon overlaps polygon 0: their borders cross"},
		{"inside", MultiPolygon{sq(3, 3, 1), sq(0, 0, 10)}, "polygon 1: the polygon overlaps polygon 0: one lies inside the other"},
		{"inside, touching", MultiPolygon{sq(0, 0, 10), sq(0, 0, 1)}, "polygon 1: the polygon overlaps polygon 0"},
		{"the same twice", MultiPolygon{sq(0, 0, 1), sq(5, 5, 1), sq(0, 0, 1)}, "polygon 2: the polygon overlaps polygon 0"},
	} {
		err := CheckOverlap(c.m)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// combRing is a ring of n positions whose edges are long spokes packed
// closely side by side, slanted: contrived to defeat any check that
// compares edges whose boxes overlap.
func combRing(n int) Ring {
	r := make(Ring, 0, n+1)
	for k := range n {
		t := 0.3 * float64(k) / float64(n)
		rad := 1.0
		if k%2 == 1 {
			rad = 2
		}
		r = append(r, Point{rad * math.Cos(t), rad * math.Sin(t)})
	}
	return append(r, Point{0, 0}, r[0])
}

func TestCheckPolygonGivesUpOnCombs(t *testing.T) {
	if testing.Short() {
		t.Skip("the check spends its whole budget first")
	}
	err := CheckPolygon(Polygon{combRing(200_000)})
	if err == nil || !strings.Contains(err.Error(), "too intricate") {
		t.Errorf("got %v, want the check to give up", err)
	}
}

// roughRing is a counter-clockwise ring of n positions round a circle,
// each moved in or out by up to amp degrees: a border's roughness.
func roughRing(n int, amp float64) Ring {
	rng := rand.New(rand.NewPCG(uint64(n), 1))
	r := make(Ring, 0, n+1)
	for k := range n {
		t := 2 * math.Pi * float64(k) / float64(n)
		rad := 2 + amp*(rng.Float64()-0.5)
		r = append(r, Point{31 + rad*math.Cos(t), 49 + rad*math.Sin(t)})
	}
	return append(r, r[0])
}

func BenchmarkCheckPolygon2M(b *testing.B) {
	// Two million positions, each moved by up to about fifty times the
	// spacing between them.
	p := Polygon{roughRing(2_000_000, 3e-4)}
	for b.Loop() {
		if err := CheckPolygon(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckPolygon100k(b *testing.B) {
	p := Polygon{roughRing(100_000, 3e-4)}
	for b.Loop() {
		if err := CheckPolygon(p); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCheckOverlapManyIslands(t *testing.T) {
	m := islands(100)
	if err := CheckOverlap(m); err != nil {
		t.Fatal(err)
	}
	// One more island, inside the mainland.
	m = append(m, Polygon{{{31, 49}, {31.01, 49}, {31.01, 49.01}, {31, 49}}})
	if err := CheckOverlap(m); err == nil || !strings.Contains(err.Error(), "polygon 101: the polygon overlaps polygon 0: one lies inside") {
		t.Errorf("an island inside the mainland: got %v", err)
	}
}

// islands is a rough mainland of 100,000 positions round (31, 49) and n
// (at most 1024) small islands off its coast, on grids in the corners of
// its box.
func islands(n int) MultiPolygon {
	m := MultiPolygon{{roughRing(100_000, 3e-4)}}
	for k := range n {
		sx, sy := float64(1-2*(k%2)), float64(1-2*(k/2%2))
		i, j := k/4%16, k/64
		x, y := 31+sx*(1.5+0.028*float64(i)), 49+sy*(1.5+0.028*float64(j))
		m = append(m, Polygon{{{x, y}, {x + 0.01, y}, {x + 0.01, y + 0.01}, {x, y + 0.01}, {x, y}}})
	}
	return m
}

func BenchmarkCheckOverlap1000Islands(b *testing.B) {
	m := islands(1000)
	for b.Loop() {
		if err := CheckOverlap(m); err != nil {
			b.Fatal(err)
		}
	}
}
