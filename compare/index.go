package compare

import "slices"

// shingleIndex maps shingle hashes to the items containing them. It is
// one sorted array of keys, each the top bits of a shingle hash above an
// item number of itemBits bits, so building it is one sort of integers
// and looking up is a binary search.
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
