package compare

// lis marks one longest strictly increasing subsequence of seq: keep[k] is
// true for the elements in it. O(n log n). Among subsequences of equal
// length it keeps the one found by patience sorting, which prefers later
// elements.
func lis(seq []int) []bool {
	keep := make([]bool, len(seq))
	if len(seq) == 0 {
		return keep
	}
	tails := make([]int, 0, 16) // index into seq of the smallest tail of each length
	prev := make([]int, len(seq))
	for k, v := range seq {
		lo, hi := 0, len(tails)
		for lo < hi {
			mid := (lo + hi) / 2
			if seq[tails[mid]] < v {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo > 0 {
			prev[k] = tails[lo-1]
		} else {
			prev[k] = -1
		}
		if lo == len(tails) {
			tails = append(tails, k)
		} else {
			tails[lo] = k
		}
	}
	for k := tails[len(tails)-1]; k >= 0; k = prev[k] {
		keep[k] = true
	}
	return keep
}
