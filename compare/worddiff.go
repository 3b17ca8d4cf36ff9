package compare

import (
	"hash/maphash"
	"strings"
	"unicode/utf8"
)

// differ diffs texts word by word, reusing its buffers from pair to pair.
type differ struct {
	ot, nt []token
	oh, nh []uint64
	script []editKind
}

// WordDiff diffs two texts word by word, as Compare does inside a linked
// pair, and returns the changed runs with their offsets into the two
// texts. Complete is false when the diff reached its effort cap; the
// middle of the texts is then one replacement.
func WordDiff(oldText, newText string) (changes []Change, complete bool) {
	var d differ
	return d.changes(oldText, newText)
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
