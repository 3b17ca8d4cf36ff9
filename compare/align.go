package compare

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"

	"parley/plantext"
)

const (
	// maxPosting: shingles found in more points than this are boilerplate
	// and do not propose candidates.
	maxPosting = 24
	// maxGap: a run of unlinked old points between two order anchors is
	// searched exhaustively when it is at most this long.
	maxGap = 12
	// minContainment: the share of a point's words that must occur in a
	// bigger point for it to count as a part of a merge or split.
	minContainment = 0.75
	// minPartSim: the similarity below which a point is not examined as
	// a part of a split. A part with minContainment of its words in the
	// whole and a quarter of its size has a Dice coefficient of about 0.3.
	minPartSim = 0.2
	// strongSim: a candidate this similar makes a wider search pointless.
	strongSim = 0.7
	// orderBonus favours candidates that keep the order of their linked
	// neighbours; idBonus those that keep their ID.
	orderBonus = 0.05
	idBonus    = 0.02
	// minPointsForStopWords: below this many points to match, every word
	// counts (see weighWords).
	minPointsForStopWords = 64
	// sampleFrom: points of this many words or more are indexed by a
	// sample of their shingles (see forShingles).
	sampleFrom = 24
	// orderSlack lowers the threshold for candidates held in place by
	// their linked neighbours (see threshold).
	orderSlack = 0.2
	slotSlack  = 0.25
)

// item is a point of one side, in pre-order.
type item struct {
	p      *plantext.Point
	parent int     // index of the parent item, -1 at top level
	words  []int32 // word ids in text order; nil for points linked by exact text
	bag    bag
}

// side is one version of the plan, flattened.
type side struct {
	doc   *plantext.Document
	items []item
	byID  map[string]int
	link  []int // group per item, -1 when unlinked
	index shingleIndex
}

// group is a link: old and new item indexes and their similarity.
type group struct {
	old, new []int
	sim      float64
	moved    bool
	exact    bool // linked by identical text
	dead     bool // replaced by a merge or split
}

// cand is a scored candidate.
type cand struct {
	other int
	sim   float64
}

type aligner struct {
	opt      Options
	old, new side
	groups   []group
	spent    int // similarity computations
	budget   int
	capped   bool
	cands    [][]cand // per new item, its scored old candidates
	degraded []string
	weights  weights
	hits     hitCounter // look-ups of new points in the old index
	boiler   []bool     // per new item: its wording is mostly boilerplate
}

func newAligner(old, new *plantext.Document, opt Options) *aligner {
	a := &aligner{opt: opt}
	a.old = flatten(old)
	a.new = flatten(new)
	a.cands = fresh[[]cand](len(a.new.items))
	a.boiler = make([]bool, len(a.new.items))
	return a
}

// flatten lists a document's points in pre-order.
func flatten(d *plantext.Document) side {
	n := 0
	d.Walk(func(*plantext.Point) bool { n++; return true })
	s := side{doc: d, byID: make(map[string]int, n), items: make([]item, 0, n)}
	var walk func(ps []*plantext.Point, parent int)
	walk = func(ps []*plantext.Point, parent int) {
		for _, p := range ps {
			k := len(s.items)
			s.items = append(s.items, item{p: p, parent: parent})
			s.byID[p.ID] = k
			walk(p.Children, k)
		}
	}
	walk(d.Points, -1)
	s.link = make([]int, len(s.items))
	for k := range s.link {
		s.link[k] = -1
	}
	return s
}

// weighWords reads the words of the points that exact anchoring left
// unlinked (linked points never need words), gives each distinct word an
// id, weighs the words by their document frequency among those points, and
// indexes the old side's shingles. Hashing, sorting and indexing run on both
// sides at once; numbering the words is one pass over a single table.
func (a *aligner) weighWords() {
	sides := []*side{&a.old, &a.new}
	hashes := make([][][]uint64, 2)
	var wg sync.WaitGroup
	for k, s := range sides {
		wg.Go(func() {
			hashes[k] = fresh[[]uint64](len(s.items))
			size := 0
			for i := range s.items {
				if s.link[i] < 0 {
					size += len(s.items[i].p.Text)/5 + 1
				}
			}
			buf := make([]uint64, 0, size) // about one word in five bytes
			for i := range s.items {
				if s.link[i] < 0 {
					start := len(buf)
					buf = wordHashes(s.items[i].p.Text, buf)
					hashes[k][i] = buf[start:len(buf):len(buf)]
				}
			}
		})
	}
	wg.Wait()
	var ids internTable
	var df []int32
	var last []int32 // the last point counted in df, per word
	n := int32(0)
	for k, s := range sides {
		total := 0
		for _, h := range hashes[k] {
			total += len(h)
		}
		arena := make([]int32, 0, total)
		for i, hs := range hashes[k] {
			if hs == nil {
				continue
			}
			n++
			start := len(arena)
			for _, h := range hs {
				id := ids.id(h, int32(len(df)))
				if int(id) == len(df) {
					df = append(df, 0)
					last = append(last, 0)
				}
				if last[id] != n {
					last[id] = n
					df[id]++
				}
				arena = append(arena, id)
			}
			s.items[i].words = arena[start:len(arena):len(arena)]
		}
	}
	a.weights = make(weights, len(df))
	common := make([]bool, len(df))
	for id, d := range df {
		a.weights[id] = float32(math.Log(1 + float64(n)/float64(d)))
		// In a large set of points, a word found in more than half of
		// them weighs almost nothing (ln 3 at most, against 4 to 8 for
		// a name or a number): leave it out of the bags, which are then
		// a third smaller to sort and compare.
		common[id] = n >= minPointsForStopWords && 2*d > n
	}
	for _, s := range sides {
		wg.Go(func() {
			total := 0
			for i := range s.items {
				total += len(s.items[i].words)
			}
			arena := make([]int32, 0, total)
			for i := range s.items {
				it := &s.items[i]
				if it.words == nil {
					continue
				}
				start := len(arena)
				for _, id := range it.words {
					if !common[id] {
						arena = append(arena, id)
					}
				}
				it.bag.ids = arena[start:len(arena):len(arena)]
				slices.Sort(it.bag.ids)
				for _, id := range it.bag.ids {
					it.bag.total += float64(a.weights[id])
				}
			}
			if s == &a.old {
				s.buildIndex() // while the new side sorts its bags
			}
		})
	}
	wg.Wait()
	a.budget = a.opt.Budget * (int(n) + 1)
}

func (a *aligner) link(old, new []int, sim float64) {
	g := len(a.groups)
	a.groups = append(a.groups, group{old: old, new: new, sim: sim})
	for _, i := range old {
		a.old.link[i] = g
	}
	for _, j := range new {
		a.new.link[j] = g
	}
}

func (a *aligner) unlink(g int) {
	for _, i := range a.groups[g].old {
		a.old.link[i] = -1
	}
	for _, j := range a.groups[g].new {
		a.new.link[j] = -1
	}
	a.groups[g].dead = true
}

func (a *aligner) align() {
	a.anchorExact()
	a.weighWords() // also indexes the old side
	a.hits.counts = fresh[int32](len(a.old.items))
	for round := 0; round < 2; round++ {
		a.assign(round)
	}
	a.groupParts()
	a.markMoves()
	if len(a.old.items) >= 1<<itemBits {
		a.degraded = append(a.degraded, fmt.Sprintf(
			"the old version has %d points, too many to index; points were matched by identical text and by position only", len(a.old.items)))
	}
	// Say when points whose wording is mostly shared with too many
	// points to follow found no counterpart: they may be edits that only
	// that wording could have revealed.
	n := 0
	for j, g := range a.new.link {
		if g < 0 && a.boiler[j] {
			n++
		}
	}
	if n > 0 {
		a.degraded = append(a.degraded, fmt.Sprintf(
			"%d added points are mostly wording found in more than %d points of the old version, which is not followed when matching; some of them may be edited points", n, maxPosting))
	}
}

// anchorExact links points whose text occurs exactly once in each version.
func (a *aligner) anchorExact() {
	type pos struct{ old, nOld, nNew int32 }
	var slots []pos
	byText := make(map[string]int32, len(a.old.items))
	for i, it := range a.old.items {
		k, ok := byText[it.p.Text]
		if !ok {
			k = int32(len(slots))
			slots = append(slots, pos{})
			byText[it.p.Text] = k
		}
		slots[k].old = int32(i)
		slots[k].nOld++
	}
	at := make([]int32, len(a.new.items)) // slot per new item, -1 if none
	for j, it := range a.new.items {
		k, ok := byText[it.p.Text]
		if !ok {
			k = -1
		} else {
			slots[k].nNew++
		}
		at[j] = k
	}
	pairs := make([]int, 0, 2*len(a.new.items))
	for j, k := range at {
		if k >= 0 && slots[k].nOld == 1 && slots[k].nNew == 1 {
			pairs = append(pairs, int(slots[k].old), j)
			n := len(pairs)
			a.link(pairs[n-2:n-1:n-1], pairs[n-1:n:n], 1)
			a.groups[len(a.groups)-1].exact = true
		}
	}
}

// skeleton holds, for every new item, the nearest order-keeping linked
// items before and after it, as old indexes (before, after: -1 and len(old)
// when none) and as new indexes (nbefore, nafter). Order-keeping links are
// those in the longest increasing subsequence of old positions read in new
// order. freeOld and freeNew count unlinked items before each index.
type skeleton struct {
	before, after, nbefore, nafter []int
	freeOld, freeNew               []int
}

func (a *aligner) skeleton() *skeleton {
	var seq, at []int
	for j, g := range a.new.link {
		if g >= 0 && a.groups[g].new[0] == j {
			seq = append(seq, a.groups[g].old[0])
			at = append(at, j)
		}
	}
	keep := lis(seq)
	n := len(a.new.items)
	sk := &skeleton{before: make([]int, n), after: make([]int, n), nbefore: make([]int, n), nafter: make([]int, n)}
	last, nlast := -1, -1
	k := 0
	for j := range n {
		for k < len(at) && at[k] <= j {
			if keep[k] {
				last, nlast = seq[k], at[k]
			}
			k++
		}
		sk.before[j], sk.nbefore[j] = last, nlast
	}
	next, nnext := len(a.old.items), n
	k = len(at) - 1
	for j := n - 1; j >= 0; j-- {
		for k >= 0 && at[k] >= j {
			if keep[k] {
				next, nnext = seq[k], at[k]
			}
			k--
		}
		sk.after[j], sk.nafter[j] = next, nnext
	}
	prefix := func(link []int) []int {
		c := make([]int, len(link)+1)
		for x, g := range link {
			c[x+1] = c[x]
			if g < 0 {
				c[x+1]++
			}
		}
		return c
	}
	sk.freeOld, sk.freeNew = prefix(a.old.link), prefix(a.new.link)
	return sk
}

// inGap reports whether old item i lies between the order-keeping links
// around new item j.
func (sk *skeleton) inGap(i, j int) bool { return sk.before[j] < i && i < sk.after[j] }

// threshold is the similarity old item i needs to be linked to new item j:
// opt.Threshold, lowered by orderSlack when i sits in a short run of
// unlinked points between the two order-keeping links around j, and by
// slotSlack when i and j are the only unlinked points there, provided both
// are at the same depth of the tree. The same slot
// in both versions is strong evidence that a point was reworded rather than
// replaced; a point that says something else still falls below.
func (a *aligner) threshold(sk *skeleton, i, j int) float64 {
	lo, hi := sk.before[j], sk.after[j]
	if !sk.inGap(i, j) || hi-lo-1 > maxGap || a.old.items[i].p.Depth != a.new.items[j].p.Depth {
		return a.opt.Threshold
	}
	oldFree := sk.freeOld[hi] - sk.freeOld[lo+1]
	newFree := sk.freeNew[sk.nafter[j]] - sk.freeNew[sk.nbefore[j]+1]
	if oldFree == 1 && newFree == 1 {
		return a.opt.Threshold - slotSlack
	}
	return a.opt.Threshold - orderSlack
}

// edge is a possible link with its score for the greedy assignment.
type edge struct {
	i, j  int
	sim   float64
	score float64
	tie   float64
}

// assign finds candidates for the unlinked new points and links the best
// one-to-one pairs above the threshold, best first. Round 0 scores the
// point with the same ID, the index candidates and the unlinked old points
// between the order anchors around the point; round 1 rescans those gaps
// after round 0's links have narrowed them. Scoring runs in two halves at
// once; linking is sequential and deterministic.
func (a *aligner) assign(round int) {
	sk := a.skeleton()
	var todo []int
	for j := range a.new.items {
		if a.new.link[j] < 0 {
			todo = append(todo, j)
		}
	}
	const workers = 2
	var edges [workers][]edge
	var spent [workers]int
	share := (a.budget - a.spent) / workers
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			hc := &a.hits
			if w > 0 {
				hc = &hitCounter{counts: fresh[int32](len(a.old.items))}
			}
			mk := marker{count: fresh[int32](len(a.weights))}
			var bj *bag // the bag of the new item being scored, marked in mk
			score := func(i, j int) {
				if i < 0 || i >= len(a.old.items) || a.old.link[i] >= 0 || spent[w] >= share {
					return
				}
				for _, c := range a.cands[j] {
					if c.other == i {
						return // scored already
					}
				}
				spent[w]++
				a.cands[j] = append(a.cands[j], cand{other: i, sim: mk.similarity(a.weights, &a.old.items[i].bag, bj)})
			}
			for _, j := range todo[w*len(todo)/workers : (w+1)*len(todo)/workers] {
				bj = &a.new.items[j].bag
				mk.set(bj)
				strong := false
				if round == 0 {
					if i, ok := a.old.byID[a.new.items[j].p.ID]; ok {
						score(i, j)
					}
					for _, i := range hc.top(a.new.items[j].words, a.old.index, a.opt.Candidates, a.oldFree) {
						score(i, j)
					}
					a.boiler[j] = hc.boiler
				}
				for _, c := range a.cands[j] {
					strong = strong || c.sim >= strongSim
				}
				// A point with a near-identical candidate needs no scan of
				// its neighbourhood.
				if lo, hi := sk.before[j], sk.after[j]; !strong && hi-lo-1 <= maxGap {
					for i := lo + 1; i < hi; i++ {
						score(i, j)
					}
				}
				for _, c := range a.cands[j] {
					if a.old.link[c.other] < 0 && c.sim >= a.threshold(sk, c.other, j) {
						edges[w] = append(edges[w], a.edge(sk, c.other, j, c.sim))
					}
				}
				mk.unset(bj)
			}
		})
	}
	wg.Wait()
	a.spent += spent[0] + spent[1]
	if spent[0] >= share || spent[1] >= share {
		a.noteCap()
	}
	all := append(edges[0], edges[1]...)
	slices.SortFunc(all, func(x, y edge) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		if c := cmp.Compare(y.tie, x.tie); c != 0 {
			return c
		}
		if c := cmp.Compare(x.j, y.j); c != 0 {
			return c
		}
		return cmp.Compare(x.i, y.i)
	})
	for _, e := range all {
		if a.old.link[e.i] < 0 && a.new.link[e.j] < 0 {
			a.link([]int{e.i}, []int{e.j}, e.sim)
		}
	}
}

// edge scores a candidate link: its similarity, plus orderBonus when it
// keeps the order of the anchors around it and idBonus when it keeps its
// ID; ties go to the pair whose relative positions are closest.
func (a *aligner) edge(sk *skeleton, i, j int, sim float64) edge {
	e := edge{i: i, j: j, sim: sim, score: sim}
	if sk.inGap(i, j) {
		e.score += orderBonus
	}
	if a.old.items[i].p.ID == a.new.items[j].p.ID {
		e.score += idBonus
	}
	e.tie = -math.Abs(float64(i)/float64(len(a.old.items)) - float64(j)/float64(len(a.new.items)))
	return e
}

// groupParts finds splits (unlinked new points whose words all occur in one
// old point) and merges (unlinked old points whose words all occur in one new
// point), and replaces one-to-one links by the groups when the group is the
// better match.
func (a *aligner) groupParts() {
	// Splits: old i -> new parts.
	parts := make(map[int][]int)
	for j := range a.new.items {
		if a.new.link[j] >= 0 {
			continue
		}
		for _, c := range a.cands[j] {
			// A part covering at least a quarter of the whole is at
			// least this similar to it; skip the others unexamined.
			if c.sim < minPartSim {
				continue
			}
			if a.spendOne() && a.weights.containment(&a.new.items[j].bag, &a.old.items[c.other].bag) >= minContainment {
				parts[c.other] = append(parts[c.other], j)
			}
		}
	}
	for _, i := range sortedKeys(parts) {
		a.tryGroup([]int{i}, parts[i], false)
	}
	// Merges: new j <- old parts. Every new point not linked by exact
	// text was scored against the old points sharing the most shingles
	// with it, so the parts of a merge are among its candidates.
	into := make(map[int][]int)
	for j := range a.new.items {
		for _, c := range a.cands[j] {
			if a.old.link[c.other] < 0 && c.sim >= minPartSim && a.spendOne() &&
				a.weights.containment(&a.old.items[c.other].bag, &a.new.items[j].bag) >= minContainment {
				into[j] = append(into[j], c.other)
			}
		}
	}
	for _, j := range sortedKeys(into) {
		a.tryGroup(into[j], []int{j}, true)
	}
}

// oldFree reports whether old item i is still unlinked.
func (a *aligner) oldFree(i int32) bool { return a.old.link[i] < 0 }

func (a *aligner) spendOne() bool {
	if a.spent >= a.budget {
		a.noteCap()
		return false
	}
	a.spent++
	return true
}

// noteCap records, once, that the effort budget ran out.
func (a *aligner) noteCap() {
	if !a.capped {
		a.capped = true
		a.degraded = append(a.degraded, fmt.Sprintf(
			"the search stopped after %d similarity computations; some edited, merged or split points may be reported as dropped and added", a.spent))
	}
}

func sortedKeys(m map[int][]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// tryGroup forms a merge (several old into one new) or a split (one old into
// several new) from a whole point, its current one-to-one partner if any, and
// the unlinked parts found in it. The group replaces the one-to-one link
// when it matches better and the parts lie next to each other.
func (a *aligner) tryGroup(olds, news []int, merge bool) {
	whole, parts := news[0], olds
	wholeSide, partSide := &a.new, &a.old
	if !merge {
		whole, parts = olds[0], news
		wholeSide, partSide = &a.old, &a.new
	}
	var free []int
	for _, k := range parts {
		if partSide.link[k] < 0 {
			free = append(free, k)
		}
	}
	prevSim := 0.0
	g := wholeSide.link[whole]
	if g >= 0 {
		pg := a.groups[g]
		if len(pg.old) != 1 || len(pg.new) != 1 {
			return
		}
		prevSim = pg.sim
		if merge {
			free = append(free, pg.old[0])
		} else {
			free = append(free, pg.new[0])
		}
	}
	if len(free) < 2 {
		return
	}
	slices.Sort(free)
	// The parts must be close together: no more than one other point
	// between consecutive parts.
	var run []int
	for k, x := range free {
		if k > 0 && x-free[k-1] > 2 {
			if len(run) >= 2 {
				break
			}
			run = run[:0]
		}
		run = append(run, x)
	}
	if len(run) < 2 {
		return
	}
	bags := make([]*bag, len(run))
	for k, x := range run {
		bags[k] = &partSide.items[x].bag
	}
	s := a.weights.similarity(union(bags...), &wholeSide.items[whole].bag)
	if s < a.opt.Threshold || s <= prevSim {
		return
	}
	if g >= 0 {
		a.unlink(g)
	}
	if merge {
		a.link(slices.Clone(run), []int{whole}, s)
	} else {
		a.link([]int{whole}, slices.Clone(run), s)
	}
}

// markMoves marks as moved the links that left the order of their siblings
// (outside the longest increasing subsequence of old positions among
// siblings whose parents are linked to each other) and those whose parent
// changed.
func (a *aligner) markMoves() {
	type key struct{ parent int } // group of the parent, -1 at top level
	seqs := make(map[key][]int)   // group ids in new order
	for j, g := range a.new.link {
		if g < 0 || a.groups[g].new[0] != j {
			continue
		}
		gr := &a.groups[g]
		i := gr.old[0]
		po, pn := a.old.items[i].parent, a.new.items[j].parent
		switch {
		case po < 0 && pn < 0:
			seqs[key{-1}] = append(seqs[key{-1}], g)
		case po >= 0 && pn >= 0 && a.old.link[po] >= 0 && a.old.link[po] == a.new.link[pn]:
			seqs[key{a.old.link[po]}] = append(seqs[key{a.old.link[po]}], g)
		default:
			gr.moved = true
		}
	}
	for _, gs := range seqs {
		seq := make([]int, len(gs))
		for k, g := range gs {
			seq[k] = a.groups[g].old[0]
		}
		keep := lis(seq)
		for k, g := range gs {
			if !keep[k] {
				a.groups[g].moved = true
			}
		}
	}
}
