package geo_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"parley/geo"
)

// wobblyRing is a counter-clockwise ring of n positions around (cx, cy)
// whose radius wobbles by up to amp, as a border does.
func wobblyRing(cx, cy, radius, amp float64, n int, seed uint64) geo.Ring {
	rng := rand.New(rand.NewPCG(seed, 1))
	r := make(geo.Ring, 0, n+1)
	for k := range n {
		t := 2 * math.Pi * float64(k) / float64(n)
		rad := radius + amp*(rng.Float64()-0.5)
		r = append(r, geo.Point{cx + rad*math.Cos(t), cy + rad*math.Sin(t)})
	}
	return append(r, r[0])
}

// signedArea is twice the planar signed area of a ring.
func signedArea(r geo.Ring) float64 {
	s := 0.0
	for i := 1; i < len(r); i++ {
		s += r[i-1][0]*r[i][1] - r[i][0]*r[i-1][1]
	}
	return s
}

// distToSegment is the plain distance from p to the segment a–b.
func distToSegment(p, a, b geo.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = max(0, min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

// isSubsequence reports whether every position of sub appears in full,
// in order.
func isSubsequence(sub, full []geo.Point) bool {
	i := 0
	for _, p := range full {
		if i < len(sub) && sub[i] == p {
			i++
		}
	}
	return i == len(sub)
}

// checkWithin fails unless every position of orig lies within tol of the
// segment of simp that replaced it; simp is a subsequence of orig.
func checkWithin(t *testing.T, orig, simp []geo.Point, tol float64) {
	t.Helper()
	// at[k] is the index in orig of simp[k].
	at := make([]int, 0, len(simp))
	for i, p := range orig {
		if len(at) < len(simp) && simp[len(at)] == p {
			at = append(at, i)
		}
	}
	for k := 1; k < len(at); k++ {
		for i := at[k-1]; i <= at[k]; i++ {
			if d := distToSegment(orig[i], simp[k-1], simp[k]); d > tol*(1+1e-12) {
				t.Fatalf("position %d %v is %g from the simplified line, more than the tolerance %g", i, orig[i], d, tol)
			}
		}
	}
}

func TestSimplifyLine(t *testing.T) {
	l := geo.Line{{0, 0}, {1, 0.05}, {2, -0.05}, {3, 0}, {3, 2}, {3.04, 3}, {3, 4}}
	got := geo.SimplifyLine(l, 0.1)
	want := geo.Line{{0, 0}, {3, 0}, {3, 4}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := geo.SimplifyLine(l, 0); !slices.Equal(got, l) {
		t.Errorf("tolerance 0: got %v, want the line unchanged", got)
	}
	if got := geo.SimplifyLine(l, 0.01); !slices.Equal(got, l) {
		t.Errorf("tolerance below every wobble: got %v, want the line unchanged", got)
	}
}

func TestSimplifyLineKeepsWithinTolerance(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	l := make(geo.Line, 5000)
	x, y := 30.0, 48.0
	for i := range l {
		x += rng.Float64() * 0.01
		y += (rng.Float64() - 0.5) * 0.01
		l[i] = geo.Point{x, y}
	}
	for _, tol := range []float64{0.001, 0.01, 0.1} {
		s := geo.SimplifyLine(l, tol)
		if s[0] != l[0] || s[len(s)-1] != l[len(l)-1] {
			t.Fatalf("tol %g: ends not kept", tol)
		}
		if !isSubsequence(s, l) {
			t.Fatalf("tol %g: the simplified line has positions not in the line, or out of order", tol)
		}
		if len(s) >= len(l) {
			t.Errorf("tol %g: %d positions kept of %d", tol, len(s), len(l))
		}
		checkWithin(t, l, s, tol)
	}
}

func TestSimplifyRing(t *testing.T) {
	r := wobblyRing(31, 49, 2, 0.02, 2000, 1)
	for _, tol := range []float64{0.001, 0.05, 0.5, 1.9} {
		s := geo.SimplifyRing(r, tol)
		if len(s) < 4 {
			t.Fatalf("tol %g: %d positions, want at least 4", tol, len(s))
		}
		if s[0] != s[len(s)-1] {
			t.Errorf("tol %g: ring not closed: %v … %v", tol, s[0], s[len(s)-1])
		}
		if signedArea(s) <= 0 {
			t.Errorf("tol %g: winding lost, signed area %g", tol, signedArea(s))
		}
		if !isSubsequence(s, r) {
			t.Errorf("tol %g: positions not taken from the ring in order", tol)
		}
		if tol < 0.1 && len(s) >= len(r) {
			t.Errorf("tol %g: nothing dropped", tol)
		}
	}
	// Clockwise stays clockwise.
	cw := slices.Clone(r)
	slices.Reverse(cw)
	if s := geo.SimplifyRing(cw, 0.05); signedArea(s) >= 0 {
		t.Errorf("a clockwise ring came back with signed area %g", signedArea(s))
	}
}

func TestSimplifyRingCollapses(t *testing.T) {
	speck := geo.Ring{{0, 0}, {0.001, 0}, {0.001, 0.001}, {0, 0.001}, {0, 0}}
	if s := geo.SimplifyRing(speck, 0.01); s != nil {
		t.Errorf("a ring smaller than the tolerance both ways: got %v, want nil", s)
	}
	// A thin ring, long one way: kept, with at least 4 positions.
	thin := geo.Ring{{0, 0}, {5, 0}, {10, 0.001}, {5, 0.002}, {0, 0.001}, {0, 0}}
	s := geo.SimplifyRing(thin, 0.01)
	if len(s) < 4 || s[0] != s[len(s)-1] || signedArea(s) <= 0 {
		t.Errorf("a thin ring: got %v, want a closed counter-clockwise ring of at least 4", s)
	}
}

func TestSimplifyHugeRing(t *testing.T) {
	// Iterative, so a million positions cannot exhaust the stack.
	r := wobblyRing(0, 0, 10, 0.001, 1_000_000, 3)
	s := geo.SimplifyRing(r, 0.01)
	if len(s) < 4 || len(s) > len(r)/10 {
		t.Errorf("%d positions kept of %d", len(s), len(r))
	}
}

func TestSimplifyArea(t *testing.T) {
	ext := wobblyRing(31, 49, 2, 0.02, 500, 2)
	bigHole := wobblyRing(31, 49, 0.5, 0.01, 200, 3)
	slices.Reverse(bigHole)
	tinyHole := geo.Ring{{32.5, 49}, {32.5, 49.001}, {32.501, 49.001}, {32.501, 49}, {32.5, 49}}
	island := geo.Ring{{40, 40}, {40.001, 40}, {40.001, 40.001}, {40, 40.001}, {40, 40}}
	m := geo.MultiPolygon{{ext, bigHole, tinyHole}, {island}}
	got := geo.Simplify(m, 0.01)
	if len(got) != 1 {
		t.Fatalf("got %d polygons, want 1 (the island collapses)", len(got))
	}
	if len(got[0]) != 2 {
		t.Fatalf("got %d rings, want 2 (the tiny hole collapses)", len(got[0]))
	}
	if signedArea(got[0][0]) <= 0 || signedArea(got[0][1]) >= 0 {
		t.Errorf("winding lost: exterior %g, hole %g", signedArea(got[0][0]), signedArea(got[0][1]))
	}
	if a := geo.Area(got); math.Abs(a-geo.Area(geo.MultiPolygon{{ext, bigHole}}))/a > 0.01 {
		t.Errorf("area changed by more than 1%%: %g", a)
	}
}

func BenchmarkSimplifyRing100k(b *testing.B) {
	r := wobblyRing(31, 49, 2, 0.02, 100_000, 1)
	for b.Loop() {
		geo.SimplifyRing(r, 0.01)
	}
}
