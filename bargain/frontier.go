package bargain

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// DefaultEpsilon is the ε of Pareto when it is given 0.
const DefaultEpsilon = 0.005

// Bounds on the work of the frontier, so that no input exhausts memory.
const (
	// maxStored bounds the back-pointers kept over all issues.
	maxStored = 1 << 24
	// maxSet3 and maxSet bound the points of an ε-Pareto set after each
	// issue, for three parties and for more (whose pruning is quadratic);
	// above it the grid is coarsened and Epsilon grows accordingly.
	maxSet3 = 1 << 15
	maxSet  = 1 << 10
	// maxCandidates bounds the work of an ε-Pareto set: the bound after
	// each issue is lowered (to minSet at the least) so that the points
	// kept times the choices of all issues stays within it.
	maxCandidates = 1 << 25
	minSet        = 1 << 8
)

// errTooLarge is returned when the exact frontier needs more memory than
// maxStored allows.
var errTooLarge = fmt.Errorf("bargain: the frontier needs more than %d stored points; use fewer issues or fewer steps", maxStored)

// Pareto returns the exact Pareto frontier of a problem of one or two
// parties; for three or more, an ε-Pareto set with epsilon (a fraction of
// each party's utility range; 0 means 0.005).
//
// A package chooses for every issue one of its choices, in this canonical
// order: the issue's options, then (for a divisible issue, when Steps > 1)
// the splits of each pair of its options, pairs in option order, by
// increasing share i/Steps (i = 1 … Steps−1) of the pair's first option.
// Packages are ordered lexicographically by their choices, the first issue
// first. Of the packages with the same utilities, the exact frontier
// gives the first in that order.
//
// For one or two parties the frontier is exact: Outcomes are all the
// distinct utility vectors of the feasible packages that no feasible
// package dominates, by the first party's utility, highest first.
//
// For three or more parties Outcomes are an ε-Pareto set: for every
// feasible package x there is an outcome y with
//
//	y_i > x_i − Epsilon × range_i  for every party i
//
// where range_i is the party's highest minus lowest utility over the
// feasible packages (y_i ≥ x_i when range_i is 0). No outcome dominates
// another. They come by the first party's utility, highest first, then
// by the second's, and so on.
//
// The set is built issue by issue like the frontier, its points rounded
// at each issue to a grid of ⌊ε × range / K⌋ units per party (K issues
// offering a choice), one point kept per cell. To bound time and memory
// the set keeps at most 32,768 points after each issue for three parties
// and 1,024 for more, and fewer, down to 256, where that many points
// times the choices of all issues would exceed 2^25; when it outgrows
// that, the grid is coarsened and
// Epsilon is the larger ε that still holds, which can exceed 1 (and
// promise nothing) for four parties or more over many issues. Epsilon is
// otherwise the ε asked for; the set is then often the exact frontier,
// whenever the grid is finer than the utilities.
//
// The error is the set of problems Validate finds, an epsilon outside
// [0, 1), or a problem too large to analyse.
func Pareto(p *Problem, epsilon float64) (*Frontier, error) {
	if math.IsNaN(epsilon) || epsilon < 0 || epsilon >= 1 {
		return nil, fmt.Errorf("epsilon: %v is outside [0, 1)", epsilon)
	}
	if epsilon == 0 {
		epsilon = DefaultEpsilon
	}
	s, err := compile(p)
	if err != nil {
		return nil, err
	}
	f, err := s.frontier(epsilon)
	if err != nil {
		return nil, err
	}
	return s.export(f), nil
}

// front is a frontier (or ε-Pareto set) as the algorithms use it.
type front struct {
	n int
	// vecs holds the points' utilities in units, point after point.
	vecs []int32
	// layers lead from each point back to its package.
	layers  []layer
	exact   bool
	epsilon float64
}

// layer holds, for the points after issue j, the point of the issues
// after j each extends and the choice of issue j it adds.
type layer struct {
	prev, pick []int32
}

// size is the number of points.
func (f *front) size() int { return len(f.vecs) / f.n }

// vec is point i's utility vector.
func (f *front) vec(i int) []int32 { return f.vecs[i*f.n : (i+1)*f.n] }

// frontier computes the exact frontier (one or two parties) or an
// ε-Pareto set (three or more), building it issue by issue from the last
// issue to the first, so that of equal vectors the one whose choice of
// the current issue comes first wins at every step; this yields the
// lexicographically first package of each vector.
func (s *space) frontier(epsilon float64) (*front, error) {
	n := len(s.parties)
	f := &front{n: n, exact: n <= 2}
	if !f.exact {
		f.epsilon = epsilon
	}
	if s.empty {
		return f, nil
	}
	b := newBuilder(s, epsilon)
	f.vecs = make([]int32, n) // the empty package
	f.layers = make([]layer, len(s.issues))
	stored := 0
	for j := len(s.issues) - 1; j >= 0; j-- {
		var err error
		f.vecs, f.layers[j], err = b.step(j, f.vecs)
		if err != nil {
			return nil, err
		}
		stored += len(f.layers[j].prev)
		if stored > maxStored {
			return nil, errTooLarge
		}
	}
	if !f.exact {
		f.epsilon = b.epsilon()
	}
	return f, nil
}

// builder extends a set of points by one issue at a time.
type builder struct {
	s *space
	n int
	// width is the grid's cell width per party (three parties or more);
	// slack is the error the grid has allowed so far per party; rng is
	// each party's utility range; asked is the ε asked for.
	width, slack, rng []int64
	asked             float64
	// choices counts the feasible choices of all issues.
	choices int
	// Scratch space reused from issue to issue.
	best, prev, pick []int32
	cand             candidates
}

// newBuilder prepares the grid of an ε-Pareto set: with K issues that
// offer a choice, a cell is ⌊ε·range/K⌋ units wide, so that the error of
// one representative per cell, at most width−1 per issue, adds up to less
// than ε·range.
func newBuilder(s *space, epsilon float64) *builder {
	n := len(s.parties)
	b := &builder{s: s, n: n, asked: epsilon}
	k := 0
	for j := range s.issues {
		b.choices += len(s.issues[j].choices)
		if len(s.issues[j].choices) > 1 {
			k++
		}
	}
	if n <= 2 {
		return b
	}
	b.width, b.slack, b.rng = make([]int64, n), make([]int64, n), make([]int64, n)
	for i := range n {
		b.rng[i] = s.ideal[i] - s.low[i]
		b.width[i] = 1
		if k > 0 {
			b.width[i] = max(1, int64(epsilon*float64(b.rng[i]))/int64(k))
		}
	}
	return b
}

// bound is how many points the ε-Pareto set may keep after each issue:
// at most maxSet3 for three parties and maxSet for more, and less when the
// issues offer so many choices that the candidates would exceed
// maxCandidates over all issues.
func (b *builder) bound() int {
	limit := maxSet
	if b.n == 3 {
		limit = maxSet3
	}
	return max(minSet, min(limit, maxCandidates/max(1, b.choices)))
}

// coarsen doubles the cells of the grid, for every party whose utility
// varies; false when they cannot grow any more.
func (b *builder) coarsen() bool {
	grown := false
	for i := range b.width {
		if b.rng[i] > 0 && b.width[i] <= b.rng[i] {
			b.width[i] *= 2
			grown = true
		}
	}
	return grown
}

// epsilon is the ε that holds for the set built: the one asked for, or
// more when the grid had to be coarsened.
func (b *builder) epsilon() float64 {
	e := b.asked
	for i, r := range b.rng {
		if r > 0 {
			e = max(e, float64(b.slack[i])/float64(r))
		}
	}
	return e
}

// step extends the points cur (of the issues after j) with issue j.
func (b *builder) step(j int, cur []int32) ([]int32, layer, error) {
	if b.n <= 2 {
		next, l := b.step2(j, cur)
		return next, l, nil
	}
	return b.stepN(j, cur)
}

// front returns the issue's choices that no other choice of the issue
// dominates, in canonical order, one per distinct utility vector (the
// first): a package with any other choice is dominated by, or equal to,
// the same package with one of these.
func (sp *issueSpace) front(n int) []int32 {
	idx := make([]int32, len(sp.choices))
	for c := range idx {
		idx[c] = int32(c)
	}
	kept := pruneDominated(sp.utils, n, idx)
	slices.Sort(kept)
	return kept
}

// frontN is front for three parties or more. With four parties or more,
// whose pruning takes time quadratic in the choices, an issue of very
// many choices (a divisible issue split finely) is first rounded to the
// grid, coarsened until its cells are few enough.
func (b *builder) frontN(j int) []int32 {
	sp := &b.s.issues[j]
	idx := make([]int32, len(sp.choices))
	for c := range idx {
		idx[c] = int32(c)
	}
	if b.n > 3 && len(idx) > 4*maxSet {
		idx = b.round(sp.utils, idx, b.width)
		for len(idx) > 4*maxSet && b.coarsen() {
			idx = b.round(sp.utils, idx, b.width)
		}
	}
	kept := pruneDominated(sp.utils, b.n, idx)
	slices.Sort(kept)
	return kept
}

// step2 is step for one or two parties: the new exact frontier is found
// by bucketing the candidates by the first party's utility, keeping the
// best second utility of each bucket, and sweeping the buckets from the
// highest. One party is two parties whose second utility is always 0.
func (b *builder) step2(j int, cur []int32) ([]int32, layer) {
	sp := &b.s.issues[j]
	n := b.n
	choices := sp.front(n)
	at := func(v []int32, i, k int) int32 {
		if k >= n {
			return 0
		}
		return v[i*n+k]
	}
	size := len(cur) / n
	loA, hiA := int32(math.MaxInt32), int32(math.MinInt32)
	for i := range size {
		loA, hiA = min(loA, cur[i*n]), max(hiA, cur[i*n])
	}
	loC, hiC := int32(math.MaxInt32), int32(math.MinInt32)
	for _, c := range choices {
		loC, hiC = min(loC, sp.utils[int(c)*n]), max(hiC, sp.utils[int(c)*n])
	}
	lo, width := loA+loC, int(hiA+hiC-loA-loC)+1
	b.best = grow(b.best, width)
	b.prev = grow(b.prev, width)
	b.pick = grow(b.pick, width)
	for x := range width {
		b.best[x] = -1
	}
	for _, c := range choices {
		ca, cb := sp.utils[int(c)*n], at(sp.utils, int(c), 1)
		for i := range size {
			x := cur[i*n] + ca - lo
			y := at(cur, i, 1) + cb
			if y > b.best[x] {
				b.best[x], b.prev[x], b.pick[x] = y, int32(i), c
			}
		}
	}
	var next []int32
	var l layer
	top := int32(-1)
	for x := width - 1; x >= 0; x-- {
		if b.best[x] <= top {
			continue
		}
		top = b.best[x]
		next = append(next, int32(x)+lo)
		if n == 2 {
			next = append(next, top)
		}
		l.prev = append(l.prev, b.prev[x])
		l.pick = append(l.pick, b.pick[x])
	}
	return next, l
}

// grow returns a slice of length n, reusing s's memory when it can.
func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// candidates are the points of the issues from j on, before pruning:
// every point of the issues after j with every undominated choice of j.
type candidates struct {
	vecs       []int32
	prev, pick []int32
}

// stepN is step for three parties or more: the candidates are rounded to
// the grid, one per cell kept (the one with the largest total utility, the
// first of equals), and those left that another dominates are dropped.
// When more than the bound remain, the cells are doubled until they fit.
func (b *builder) stepN(j int, cur []int32) ([]int32, layer, error) {
	sp := &b.s.issues[j]
	n := b.n
	choices := b.frontN(j)
	size := len(cur) / n
	total := size * len(choices)
	if total > maxStored {
		return nil, layer{}, errTooLarge
	}
	c := &b.cand
	c.vecs = slices.Grow(c.vecs[:0], total*n)
	c.prev = slices.Grow(c.prev[:0], total)
	c.pick = slices.Grow(c.pick[:0], total)
	for _, ch := range choices {
		u := sp.utils[int(ch)*n : int(ch)*n+n]
		for i := range size {
			for k := range n {
				c.vecs = append(c.vecs, cur[i*n+k]+u[k])
			}
			c.prev = append(c.prev, int32(i))
			c.pick = append(c.pick, ch)
		}
	}
	idx := make([]int32, total)
	for x := range idx {
		idx[x] = int32(x)
	}
	if len(choices) > 1 {
		idx = b.round(c.vecs, idx, b.width)
	}
	// Pruning costs more than rounding, so the candidates are first
	// rounded down to a few times the bound, then pruned, then the points
	// kept are rounded further while they exceed it.
	bound := b.bound()
	for len(idx) > 4*bound && b.coarsen() {
		idx = b.round(c.vecs, idx, b.width)
	}
	idx = pruneDominated(c.vecs, n, idx)
	for len(idx) > bound && b.coarsen() {
		idx = pruneDominated(c.vecs, n, b.round(c.vecs, idx, b.width))
	}
	next := make([]int32, 0, len(idx)*n)
	l := layer{prev: make([]int32, len(idx)), pick: make([]int32, len(idx))}
	for x, i := range idx {
		next = append(next, c.vecs[int(i)*n:int(i)*n+n]...)
		l.prev[x], l.pick[x] = c.prev[i], c.pick[i]
	}
	return next, l, nil
}

// round keeps one point of idx per grid cell of the given widths, the one
// with the largest total (the first of equals), and records the error
// this allows. The points kept stay in the order of idx.
func (b *builder) round(vecs []int32, idx []int32, width []int64) []int32 {
	n := b.n
	coarse := false
	for i, w := range width {
		if w > 1 {
			coarse = true
			b.slack[i] += w - 1
		}
	}
	if !coarse {
		return idx
	}
	total := func(i int32) int64 { return sum(vecs[int(i)*n : int(i)*n+n]) }
	kept := make([]bool, len(idx))
	// keep records that point x of idx falls in a cell whose
	// representative so far is point y (ok false when it is the first).
	keep := func(x, y int, ok bool) int {
		switch {
		case !ok:
			kept[x] = true
			return x
		case total(idx[x]) > total(idx[y]):
			kept[y], kept[x] = false, true
			return x
		}
		return y
	}
	if n <= 3 {
		// Cells of three parties fit in one integer, 21 bits each.
		rep := make(map[uint64]int, len(idx))
		for x, i := range idx {
			var k uint64
			for c := range n {
				k = k<<21 | uint64(int64(vecs[int(i)*n+c])/width[c])
			}
			y, ok := rep[k]
			rep[k] = keep(x, y, ok)
		}
	} else {
		rep := make(map[string]int, len(idx))
		var buf []byte
		for x, i := range idx {
			buf = buf[:0]
			for c := range n {
				buf = binary.AppendUvarint(buf, uint64(int64(vecs[int(i)*n+c])/width[c]))
			}
			y, ok := rep[string(buf)]
			rep[string(buf)] = keep(x, y, ok)
		}
	}
	out := idx[:0:0]
	for x, i := range idx {
		if kept[x] {
			out = append(out, i)
		}
	}
	return out
}

// pruneDominated returns the points of idx (vectors of n utilities in
// vecs) that no other point of idx dominates, one per distinct vector (the
// lowest index), sorted by utility, the first party's first, highest
// first.
func pruneDominated(vecs []int32, n int, idx []int32) []int32 {
	at := func(i int32) []int32 { return vecs[int(i)*n : int(i)*n+n] }
	order := sortDescending(vecs, n, idx)
	switch n {
	case 1:
		if len(order) > 0 {
			return order[:1]
		}
		return order
	case 2:
		return prune2(at, order)
	case 3:
		return prune3(at, order)
	}
	var kept []int32
	for _, i := range order {
		v := at(i)
		if !slices.ContainsFunc(kept, func(q int32) bool { return covers(at(q), v) }) {
			kept = append(kept, i)
		}
	}
	return kept
}

// sortDescending returns idx sorted by decreasing vector, then by
// increasing index. Up to three parties, whose utilities fit in 21 bits
// each, a vector is packed into one integer key for a faster sort.
func sortDescending(vecs []int32, n int, idx []int32) []int32 {
	order := slices.Clone(idx)
	if n > 3 {
		at := func(i int32) []int32 { return vecs[int(i)*n : int(i)*n+n] }
		slices.SortFunc(order, func(p, q int32) int {
			if c := slices.Compare(at(q), at(p)); c != 0 {
				return c
			}
			return cmp.Compare(p, q)
		})
		return order
	}
	type keyed struct {
		key uint64
		i   int32
	}
	keys := make([]keyed, len(idx))
	for x, i := range idx {
		var key uint64
		for _, u := range vecs[int(i)*n : int(i)*n+n] {
			key = key<<21 | uint64(u)
		}
		keys[x] = keyed{key, i}
	}
	slices.SortFunc(keys, func(p, q keyed) int {
		if c := cmp.Compare(q.key, p.key); c != 0 {
			return c
		}
		return cmp.Compare(p.i, q.i)
	})
	for x, k := range keys {
		order[x] = k.i
	}
	return order
}

// covers reports whether u gives every party at least what v does.
func covers(u, v []int32) bool {
	for k := range u {
		if u[k] < v[k] {
			return false
		}
	}
	return true
}

// prune2 keeps, of points sorted by decreasing vector, those whose second
// utility beats every point before them.
func prune2(at func(int32) []int32, order []int32) []int32 {
	kept := order[:0]
	top := int32(math.MinInt32)
	for x, i := range order {
		if v := at(i); x == 0 || v[1] > top {
			top = v[1]
			kept = append(kept, i)
		}
	}
	return kept
}

// prune3 keeps, of points sorted by decreasing vector, those that no
// point kept before covers: a Fenwick tree over the second utility holds
// the largest third utility of the points kept so far.
func prune3(at func(int32) []int32, order []int32) []int32 {
	if len(order) == 0 {
		return order
	}
	lo, hi := int32(math.MaxInt32), int32(math.MinInt32)
	for _, i := range order {
		lo, hi = min(lo, at(i)[1]), max(hi, at(i)[1])
	}
	tree := make([]int32, int(hi-lo)+2)
	for x := range tree {
		tree[x] = math.MinInt32
	}
	kept := order[:0]
	for _, i := range order {
		v := at(i)
		// Position in the tree counts down from the highest second
		// utility, so that a prefix holds the points with y ≥ v[1].
		t := int(hi-v[1]) + 1
		best := int32(math.MinInt32)
		for x := t; x > 0; x -= x & -x {
			best = max(best, tree[x])
		}
		if best >= v[2] {
			continue
		}
		kept = append(kept, i)
		for x := t; x < len(tree); x += x & -x {
			tree[x] = max(tree[x], v[2])
		}
	}
	return kept
}

// export turns a front into the Frontier callers see.
func (s *space) export(f *front) *Frontier {
	fr := &Frontier{Parties: s.parties, Exact: f.exact, Epsilon: f.epsilon}
	fr.Outcomes = make([]*Outcome, f.size())
	for i := range fr.Outcomes {
		fr.Outcomes[i] = s.outcome(f, i)
	}
	return fr
}

// outcome returns point i of f with its package.
func (s *space) outcome(f *front, i int) *Outcome {
	return &Outcome{Choice: s.pkg(f, i), Utility: s.utilities(f.vec(i))}
}

// pkg follows point i of f back to its package.
func (s *space) pkg(f *front, i int) Package {
	pkg := make(Package, len(s.issues))
	for j := range s.issues {
		l := f.layers[j]
		sp := &s.issues[j]
		pkg[sp.id] = sp.export(sp.choices[l.pick[i]], s.steps)
		i = int(l.prev[i])
	}
	return pkg
}
