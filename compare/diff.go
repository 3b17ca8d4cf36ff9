package compare

// editKind is one step of an edit script.
type editKind uint8

const (
	editEqual editKind = iota
	editDelete
	editInsert
)

// maxEditDistance caps the Myers search per pair of texts; beyond it the
// differing middle is reported as one replacement and the report says so.
const maxEditDistance = 1000

// maxDiffWork caps the token comparisons of one diff, for the same reason.
const maxDiffWork = 4 << 20

// diffTokens returns an edit script turning a into b, reusing script's
// storage, shortest when it
// finds one within maxEditDistance (Myers' O((N+M)D) algorithm after the
// common prefix and suffix are trimmed). The second result is false when the
// cap was hit and the middle was replaced wholesale.
func diffTokens[T comparable](a, b []T, script []editKind) ([]editKind, bool) {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	script = script[:0]
	for range pre {
		script = append(script, editEqual)
	}
	mid, ok := myers(a[pre:len(a)-suf], b[pre:len(b)-suf])
	script = append(script, mid...)
	for range suf {
		script = append(script, editEqual)
	}
	return script, ok
}

// myers runs Myers' greedy algorithm, keeping each round's frontier to walk
// the path back.
func myers[T comparable](a, b []T) ([]editKind, bool) {
	n, m := len(a), len(b)
	replace := func() []editKind {
		s := make([]editKind, 0, n+m)
		for range n {
			s = append(s, editDelete)
		}
		for range m {
			s = append(s, editInsert)
		}
		return s
	}
	if n == 0 || m == 0 {
		return replace(), true
	}
	maxD := min(n+m, maxEditDistance)
	off := maxD + 1
	v := fresh[int](2*maxD + 3)
	// trace holds each round's starting frontier, one after the other:
	// round d's, v[-d-1 .. d+1], starts at d*(d+2).
	trace := make([]int, 0, 64)
	work := 0
	for d := 0; d <= maxD; d++ {
		trace = append(trace, v[off-d-1:off+d+2]...)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			x0 := x
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			// Rounds are capped, but one round can follow long runs of
			// equal tokens: cap the total work too.
			if work += x - x0 + 1; work > maxDiffWork {
				return replace(), false
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, d, n, m), true
			}
		}
	}
	return replace(), false
}

// backtrack recovers the edit script from the saved frontiers: round d's
// starting frontier v[-d-1 .. d+1] is at trace[d*(d+2):].
func backtrack(trace []int, dEnd, n, m int) []editKind {
	rev := make([]editKind, 0, n+m)
	x, y := n, m
	for d := dEnd; d > 0; d-- {
		v := trace[d*(d+2):] // frontier after round d-1, indexed from -d-1
		at := func(k int) int { return v[k+d+1] }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			rev = append(rev, editEqual)
			x--
			y--
		}
		if x == prevX {
			rev = append(rev, editInsert)
			y--
		} else {
			rev = append(rev, editDelete)
			x--
		}
	}
	for x > 0 && y > 0 {
		rev = append(rev, editEqual)
		x--
		y--
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}
