package compare

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

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
	a.cands = make([][]cand, len(a.new.items))
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
			hashes[k] = make([][]uint64, len(s.items))
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

// shingleIndex maps shingle hashes to the items containing them. It is
// one sorted array of keys, each the top 44 bits of a shingle hash above a
// 20-bit item number, so building it is one sort of integers and looking
// up is a binary search.
type shingleIndex []uint64

// itemBits is the room for item numbers in index keys: 16 million points
// per side, more than plantext's default limits allow. Beyond it the index
// is not built and the report says so.
const itemBits = 24

// buildIndex indexes the shingles of the items that have words.
func (s *side) buildIndex() {
	if len(s.items) >= 1<<itemBits {
		return // too many points to number in a key; see itemBits
	}
	n := 0
	for k := range s.items {
		n += len(s.items[k].words)
	}
	idx := make(shingleIndex, 0, n/3)
	for k := range s.items {
		if s.items[k].words == nil {
			continue // linked by exact text before words were read
		}
		forShingles(s.items[k].words, func(h uint64) { idx = append(idx, h>>itemBits<<itemBits|uint64(k)) })
	}
	slices.Sort(idx)
	// Drop repeats of a shingle within one item.
	s.index = slices.Compact(idx)
}

// lookup calls fn with each item containing shingle h, unless more than
// maxPosting items contain it (boilerplate); then it reports false.
func (x shingleIndex) lookup(h uint64, fn func(item int32)) bool {
	key := h >> itemBits
	lo, _ := slices.BinarySearch(x, key<<itemBits)
	hi := lo
	for hi < len(x) && x[hi]>>itemBits == key {
		if hi-lo == maxPosting {
			return false
		}
		hi++
	}
	for _, v := range x[lo:hi] {
		fn(int32(v & (1<<itemBits - 1)))
	}
	return true
}

// forShingles calls fn with the hash of the shingles of words that take
// part in matching: three consecutive words, or single words for points of
// fewer than three. A long point contributes only the shingles whose hash
// falls in one quarter of the hash space; the choice depends on the words
// alone, so two texts that share a passage share its sampled shingles, and
// the index is four times smaller.
func forShingles(words []int32, fn func(uint64)) {
	if len(words) < 3 {
		for _, w := range words {
			fn(uint64(w)*0x9E3779B97F4A7C15 + 1)
		}
		return
	}
	sample := len(words) >= sampleFrom
	for k := 0; k+2 < len(words); k++ {
		h := uint64(words[k])*0x9E3779B97F4A7C15 ^ uint64(words[k+1])*0xC2B2AE3D27D4EB4F ^ uint64(words[k+2])
		h ^= h >> 29
		h *= 0xBF58476D1CE4E5B9
		h ^= h >> 32
		if !sample || h&3 == 0 {
			fn(h)
		}
	}
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
	a.hits.counts = make([]int32, len(a.old.items))
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
				hc = &hitCounter{counts: make([]int32, len(a.old.items))}
			}
			mk := marker{count: make([]int32, len(a.weights))}
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

// hitCounter finds, for the words of one point, the items of an index
// sharing the most shingles with it. Its scratch counts are reused from one
// query to the next.
type hitCounter struct {
	counts  []int32 // per item of the indexed side
	touched []int32
	// boiler: most shingles of the last query were too common to follow.
	boiler bool
}

// top returns at most k items of idx sharing the most shingles with words
// (at least a quarter of the best item's count) and accepted by keep, best
// first, ties to the earlier item.
func (hc *hitCounter) top(words []int32, idx shingleIndex, k int, keep func(int32) bool) []int {
	hc.touched = hc.touched[:0]
	var looked, skipped int
	forShingles(words, func(h uint64) {
		looked++
		if !idx.lookup(h, func(i int32) {
			if hc.counts[i] == 0 {
				hc.touched = append(hc.touched, i)
			}
			hc.counts[i]++
		}) {
			skipped++
		}
	})
	hc.boiler = 2*skipped > looked
	// Keep the best few by insertion: candidates are few, hits many.
	type hit struct{ i, n int32 }
	best := make([]hit, 0, k+1)
	for _, i := range hc.touched {
		n := hc.counts[i]
		hc.counts[i] = 0
		if !keep(i) {
			continue
		}
		if len(best) == k && (n < best[k-1].n || n == best[k-1].n && i > best[k-1].i) {
			continue
		}
		x := len(best)
		best = append(best, hit{i, n})
		for x > 0 && (best[x-1].n < n || best[x-1].n == n && best[x-1].i > i) {
			best[x] = best[x-1]
			x--
		}
		best[x] = hit{i, n}
		if len(best) > k {
			best = best[:k]
		}
	}
	// Items sharing far fewer shingles than the best are not worth
	// scoring: an edited point shares most of its shingles with its
	// original, an unrelated one only a stock phrase or two.
	out := make([]int, 0, len(best))
	for _, h := range best {
		if 4*h.n >= best[0].n {
			out = append(out, int(h.i))
		}
	}
	return out
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

// report builds the Report: pairs in the order of the new version, with
// dropped points after the pair of the old point before them.
func (a *aligner) report() *Report {
	r := &Report{Schema: Schema, Old: a.old.doc, New: a.new.doc}
	// Each pair gets a position in new order: a linked or added pair
	// stands at 2×(its first new item)+1; a dropped point at 2×(the new
	// position of the linked old point before it)+2, so it follows that
	// pair; ties keep old order, as the sort is stable.
	type slot struct {
		pos  int
		kind int8 // 0 group, 1 dropped, 2 added
		idx  int
	}
	slots := make([]slot, 0, len(a.groups)+len(a.old.items)/8+len(a.new.items)/8)
	for g := range a.groups {
		if !a.groups[g].dead {
			slots = append(slots, slot{2*a.groups[g].new[0] + 1, 0, g})
		}
	}
	last := 0
	for i := range a.old.items {
		if g := a.old.link[i]; g >= 0 {
			last = 2*a.groups[g].new[0] + 2
			continue
		}
		slots = append(slots, slot{last, 1, i})
	}
	for j := range a.new.items {
		if a.new.link[j] < 0 {
			slots = append(slots, slot{2*j + 1, 2, j})
		}
	}
	slices.SortStableFunc(slots, func(x, y slot) int { return cmp.Compare(x.pos, y.pos) })
	// Describe the pairs in two halves at once: the word diffs are the
	// bulk of the work and each half has its own diff buffers.
	r.Pairs = make([]Pair, len(slots))
	notes := make([][]string, 2)
	var wg sync.WaitGroup
	for h := range 2 {
		wg.Go(func() {
			var d differ
			for k := h * len(slots) / 2; k < (h+1)*len(slots)/2; k++ {
				sl := slots[k]
				switch sl.kind {
				case 0:
					var note string
					r.Pairs[k], note = a.pair(&a.groups[sl.idx], &d)
					if note != "" {
						notes[h] = append(notes[h], note)
					}
				case 1:
					r.Pairs[k] = Pair{Op: Dropped, Old: []string{a.old.items[sl.idx].p.ID}, New: []string{}}
				default:
					r.Pairs[k] = Pair{Op: Added, Old: []string{}, New: []string{a.new.items[sl.idx].p.ID}}
				}
			}
		})
	}
	wg.Wait()
	a.degraded = append(append(a.degraded, notes[0]...), notes[1]...)
	r.Summary = a.summary(r.Pairs)
	return r
}

// groupText is the text of a group of items, joined by "\n".
func (s *side) groupText(items []int) string {
	if len(items) == 1 {
		return s.items[items[0]].p.Text
	}
	texts := make([]string, len(items))
	for k, i := range items {
		texts[k] = s.items[i].p.Text
	}
	return strings.Join(texts, "\n")
}

// pair describes one live group, with its word diff computed with d. The
// note says when the diff hit its effort cap. pair only reads the aligner.
func (a *aligner) pair(gr *group, d *differ) (p Pair, note string) {
	p = Pair{Similarity: math.Round(gr.sim*1000) / 1000, Moved: gr.moved}
	p.Old = make([]string, len(gr.old))
	for k, i := range gr.old {
		p.Old[k] = a.old.items[i].p.ID
	}
	p.New = make([]string, len(gr.new))
	for k, j := range gr.new {
		p.New[k] = a.new.items[j].p.ID
	}
	op, np := a.old.items[gr.old[0]].p, a.new.items[gr.new[0]].p
	if op.Heading != np.Heading {
		p.OldHeading, p.NewHeading = op.Heading, np.Heading
	}
	p.LevelChanged = op.Depth != np.Depth
	var oldText, newText string
	if !gr.exact { // identical texts need neither joining nor a diff
		oldText, newText = a.old.groupText(gr.old), a.new.groupText(gr.new)
	}
	p.Edited = oldText != newText
	if p.Edited {
		var ok bool
		p.Changes, ok = d.changes(oldText, newText)
		if !ok {
			note = fmt.Sprintf("word diff of %s → %s reached its effort limit; its middle is shown as one replacement",
				strings.Join(p.Old, "+"), strings.Join(p.New, "+"))
		}
	} else if len(gr.old) == 1 && len(gr.new) == 1 {
		p.Similarity = 1
	}
	p.Renumbered = len(gr.old) == 1 && len(gr.new) == 1 && op.ID != np.ID
	switch {
	case len(gr.old) > 1:
		p.Op = Merged
	case len(gr.new) > 1:
		p.Op = Split
	case p.Moved:
		p.Op = Moved
	case p.Edited:
		p.Op = Edited
	case p.Renumbered:
		p.Op = Renumbered
	default:
		p.Op = Unchanged
	}
	return p, note
}

// differ diffs texts word by word, reusing its buffers from pair to pair.
type differ struct {
	ot, nt []token
	oh, nh []uint64
	script []editKind
}

// changes diffs two texts word by word and returns the changed runs; false
// when the diff hit its effort cap.
func (d *differ) changes(oldText, newText string) ([]Change, bool) {
	// Only the middle that differs is read as tokens: the common start
	// and end, cut at spaces (which never fall inside a token), are equal
	// tokens anyway.
	p := commonPrefixAtSpace(oldText, newText)
	sfx := commonSuffixAtSpace(oldText[p:], newText[p:])
	out, ok := d.diffMiddle(oldText[p:len(oldText)-sfx], newText[p:len(newText)-sfx])
	for k := range out {
		out[k].OldAt += p
		out[k].OldEnd += p
		out[k].NewAt += p
		out[k].NewEnd += p
	}
	return out, ok
}

// commonPrefixAtSpace returns the length of the longest common prefix of a
// and b that ends just after a space (or 0).
func commonPrefixAtSpace(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	if n == len(a) && n == len(b) {
		return n
	}
	return strings.LastIndexByte(a[:n], ' ') + 1
}

// commonSuffixAtSpace returns the length of the longest common suffix of a
// and b that starts with a printable ASCII character just after a space,
// which is where a token starts (or 0).
func commonSuffixAtSpace(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	tail := a[len(a)-n:]
	for i := 1; i < len(tail); i++ {
		if tail[i-1] == ' ' && tail[i] > ' ' && tail[i] < utf8.RuneSelf {
			return len(tail) - i
		}
	}
	return 0
}

// diffMiddle diffs two texts word by word and returns the changed runs,
// with offsets into them; false when the diff hit its effort cap.
func (d *differ) diffMiddle(oldText, newText string) ([]Change, bool) {
	d.ot, d.nt = appendTokens(d.ot[:0], oldText), appendTokens(d.nt[:0], newText)
	d.oh, d.nh = appendTokenHashes(d.oh[:0], oldText, d.ot), appendTokenHashes(d.nh[:0], newText, d.nt)
	script, ok := diffTokens(d.oh, d.nh, d.script)
	d.script = script
	ot, nt := d.ot, d.nt
	var out []Change
	x, y := 0, 0
	for k := 0; k < len(script); {
		if script[k] == editEqual {
			x++
			y++
			k++
			continue
		}
		x0, y0 := x, y
		for k < len(script) && script[k] != editEqual {
			if script[k] == editDelete {
				x++
			} else {
				y++
			}
			k++
		}
		c := Change{}
		switch {
		case x > x0 && y > y0:
			c.Kind = "replace"
		case x > x0:
			c.Kind = "delete"
		default:
			c.Kind = "insert"
		}
		if x > x0 {
			c.OldAt, c.OldEnd = int(ot[x0].start), int(ot[x-1].end)
			c.Old = oldText[c.OldAt:c.OldEnd]
		} else {
			c.OldAt = boundary(ot, x0, len(oldText))
			c.OldEnd = c.OldAt
		}
		if y > y0 {
			c.NewAt, c.NewEnd = int(nt[y0].start), int(nt[y-1].end)
			c.New = newText[c.NewAt:c.NewEnd]
		} else {
			c.NewAt = boundary(nt, y0, len(newText))
			c.NewEnd = c.NewAt
		}
		for _, t := range ot[x0:x] {
			c.Number = c.Number || isNumeric(oldText[t.start:t.end])
		}
		for _, t := range nt[y0:y] {
			c.Number = c.Number || isNumeric(newText[t.start:t.end])
		}
		out = append(out, c)
	}
	return out, ok
}

// boundary is the offset where an insertion before token k goes.
func boundary(toks []token, k, n int) int {
	if k < len(toks) {
		return int(toks[k].start)
	}
	return n
}

// appendTokenHashes appends a hash of each token's exact text, for
// diffing without allocating a string per token.
func appendTokenHashes(dst []uint64, s string, toks []token) []uint64 {
	for _, t := range toks {
		dst = append(dst, maphash.String(hashSeed, s[t.start:t.end]))
	}
	return dst
}

// hashSeed seeds token hashes; any fixed seed will do within one run.
var hashSeed = maphash.MakeSeed()

// summary counts the pairs and compares the parts that are not points.
func (a *aligner) summary(pairs []Pair) Summary {
	s := Summary{
		OldPoints: len(a.old.items),
		NewPoints: len(a.new.items),
		Counts:    make(map[Op]int, len(Ops)),
		Threshold: a.opt.Threshold,
		Degraded:  a.degraded,
	}
	for _, op := range Ops {
		s.Counts[op] = 0
	}
	for _, p := range pairs {
		s.Counts[p.Op]++
		if p.OldHeading != p.NewHeading {
			s.HeadingChanges++
		}
		for _, c := range p.Changes {
			if c.Number {
				s.NumberChanges++
			}
		}
	}
	s.TitleChanged = a.old.doc.Title != a.new.doc.Title
	s.PreambleChanged = a.old.doc.Preamble != a.new.doc.Preamble
	s.Identical = s.Counts[Unchanged] == len(pairs) && s.HeadingChanges == 0 && !s.TitleChanged && !s.PreambleChanged
	for _, w := range a.old.doc.Warnings {
		s.OldWarnings = append(s.OldWarnings, w.String())
	}
	for _, w := range a.new.doc.Warnings {
		s.NewWarnings = append(s.NewWarnings, w.String())
	}
	return s
}
