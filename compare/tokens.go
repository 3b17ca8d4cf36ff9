package compare

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word or a punctuation mark of a point's text, by byte span.
type token struct {
	start, end int32 // texts are bounded well below 2 GiB by plantext
	word       bool  // letters and digits, not punctuation
}

// appendTokens appends the words and punctuation marks of s to dst (see
// nextToken).
func appendTokens(dst []token, s string) []token {
	for i := 0; ; {
		t, ok := nextToken(s, i)
		if !ok {
			return dst
		}
		dst = append(dst, t)
		i = int(t.end)
	}
}

// nextToken returns the first token of s at or after byte i. A word is a
// run of letters, digits and combining marks, with inner apostrophes and
// hyphens ("Ukraine's", "non-aggression") and digit groups ("600,000",
// "3.5", "31.12.2025") kept whole; any other character that is not space is
// a token of its own. Whitespace separates tokens and is not one.
func nextToken(s string, i int) (token, bool) {
	for i < len(s) {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case isWordRune(r):
			j := i + n
			prev := r
			for j < len(s) {
				// Fast path: a run of ASCII letters and digits.
				if c := s[j]; c < utf8.RuneSelf && asciiWord[c] {
					for j++; j < len(s) && s[j] < utf8.RuneSelf && asciiWord[s[j]]; j++ {
					}
					prev = rune(s[j-1])
					continue
				}
				r2, n2 := rune(s[j]), 1
				if r2 >= utf8.RuneSelf {
					r2, n2 = utf8.DecodeRuneInString(s[j:])
				}
				if isWordRune(r2) {
					prev = r2
					j += n2
					continue
				}
				// Inner joiners: "Ukraine's", "non-aggression", "600,000".
				if isJoiner(r2) && j+n2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+n2:])
					digits := isDigitRune(prev) && isDigitRune(r3)
					if digits || (r2 != ',' && r2 != '.' && r2 != '\u00a0' && r2 != '\u202f') && isWordRune(r3) {
						j += n2
						continue
					}
				}
				break
			}
			return token{start: int32(i), end: int32(j), word: true}, true
		case r < utf8.RuneSelf && asciiSpace[r] || r >= utf8.RuneSelf && (unicode.IsSpace(r) || r == '\u200b' || r == '\u2060' || r == '\ufeff'):
			i += n
		default:
			return token{start: int32(i), end: int32(i + n)}, true
		}
	}
	return token{}, false
}

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isDigitRune(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

func isJoiner(r rune) bool {
	return r == '\'' || r == '’' || r == '-' || r == ',' || r == '.' || r == '\u00a0' || r == '\u202f'
}

// wordHashes appends to dst the FNV-1a hashes of the lower-cased words of
// s (as nextToken reads them), in order, without allocating strings.
// Typographic apostrophes hash as straight ones and no-break spaces inside
// numbers as spaces. Plain ASCII words, the bulk of most plans, are read
// and hashed in one pass; anything else goes through nextToken.
func wordHashes(s string, dst []uint64) []uint64 {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && !asciiWord[c] {
			i++ // space or punctuation
			continue
		}
		if c < utf8.RuneSelf {
			h := uint64(fnvOffset)
			j := i
			for ; j < len(s) && s[j] < utf8.RuneSelf && asciiWord[s[j]]; j++ {
				c := s[j]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				h = (h ^ uint64(c)) * fnvPrime
			}
			if j == len(s) || !mayContinue(s, j) {
				dst = append(dst, h)
				i = j
				continue
			}
		}
		t, ok := nextToken(s, i)
		if !ok {
			break
		}
		if t.word {
			dst = append(dst, hashWord(s[t.start:t.end]))
		}
		i = int(t.end)
	}
	return dst
}

// mayContinue reports whether the character at s[j], after a run of ASCII
// letters and digits, might extend the word (a joiner or a non-ASCII
// character), so that nextToken must decide.
func mayContinue(s string, j int) bool {
	switch c := s[j]; {
	case c >= utf8.RuneSelf:
		return true
	case c == ',' || c == '.':
		return isDigit(s[j-1]) && j+1 < len(s) && (isDigit(s[j+1]) || s[j+1] >= utf8.RuneSelf)
	case c == '\'' || c == '-':
		return j+1 < len(s) && (s[j+1] >= utf8.RuneSelf || asciiWord[s[j+1]])
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

// hashWord is the FNV-1a hash of a word, lower-cased rune by rune.
func hashWord(w string) uint64 {
	h := uint64(fnvOffset)
	for k := 0; k < len(w); {
		r, n := rune(w[k]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(w[k:])
			r = unicode.ToLower(r)
			switch r {
			case '’':
				r = '\''
			case '\u00a0', '\u202f':
				r = ' '
			}
		} else if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		k += n
		h = (h ^ uint64(r)) * fnvPrime
	}
	return h
}

// bag is a point's words as a sorted multiset of word ids. Each word's
// weight is held once, in a weights table shared by all bags.
type bag struct {
	ids   []int32 // sorted
	total float64 // sum of the weights of ids
}

// weights gives each word id its IDF weight: a word found in df of n
// points weighs ln(1 + n/df), so boilerplate shared by many points counts
// for little and a rare name or number for much.
type weights []float32

// similarity is the IDF-weighted Dice coefficient of two bags: twice the
// weight of the shared words over the weight of both. 1 for equal bags, 0
// for bags with no word in common. Two empty bags are equal.
func (w weights) similarity(a, b *bag) float64 {
	if a.total+b.total == 0 {
		if len(a.ids) == 0 && len(b.ids) == 0 {
			return 1
		}
		return 0
	}
	return 2 * w.shared(a, b) / (a.total + b.total)
}

// containment is the share of a's weight also found in b: 1 when every word
// of a occurs in b.
func (w weights) containment(a, b *bag) float64 {
	if a.total == 0 {
		return 0
	}
	return w.shared(a, b) / a.total
}

// shared is the weight of the multiset intersection of two bags.
func (w weights) shared(a, b *bag) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a.ids) && j < len(b.ids) {
		switch x, y := a.ids[i], b.ids[j]; {
		case x < y:
			i++
		case x > y:
			j++
		default:
			s += float64(w[x])
			i++
			j++
		}
	}
	return s
}

// marker holds one bag's word counts in a dense array indexed by word id,
// to score many candidates against that bag without a merge each time.
type marker struct {
	count []int32 // per word id
	undo  []int32
}

// set marks bag b; unset clears it again.
func (m *marker) set(b *bag) {
	for _, id := range b.ids {
		m.count[id]++
	}
}

func (m *marker) unset(b *bag) {
	for _, id := range b.ids {
		m.count[id] = 0
	}
}

// similarity is w.similarity(a, marked) for the marked bag: the same
// multiset intersection, summed in the same order.
func (m *marker) similarity(w weights, a, marked *bag) float64 {
	if a.total+marked.total == 0 {
		if len(a.ids) == 0 && len(marked.ids) == 0 {
			return 1
		}
		return 0
	}
	var s float64
	m.undo = m.undo[:0]
	for _, id := range a.ids {
		if m.count[id] > 0 {
			s += float64(w[id])
			m.count[id]--
			m.undo = append(m.undo, id)
		}
	}
	for _, id := range m.undo {
		m.count[id]++
	}
	return 2 * s / (a.total + marked.total)
}

// union merges bags into one, as for the text of several points read as one.
func union(bs ...*bag) *bag {
	var u bag
	for _, b := range bs {
		u.ids = append(u.ids, b.ids...)
		u.total += b.total
	}
	slices.Sort(u.ids)
	return &u
}

// months name calendar months, so that a changed month is flagged like a
// changed number.
var months = map[string]bool{}

func init() {
	for _, m := range strings.Fields("january february march april may june july august september october november december " +
		"jan feb mar apr jun jul aug sep sept oct nov dec " +
		"января февраля марта апреля мая июня июля августа сентября октября ноября декабря " +
		"январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь " +
		"січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня " +
		"janvier février mars avril mai juin juillet août septembre octobre novembre décembre " +
		"januar februar märz april mai juni juli august september oktober november dezember") {
		months[m] = true
	}
}

// isNumeric reports whether a token is a number, an amount or part of a date.
func isNumeric(tok string) bool {
	for _, r := range tok {
		if unicode.IsDigit(r) {
			return true
		}
	}
	// "may" and "march" in lower case are a verb far more often than a
	// month; capitalised, they count.
	if tok == "may" || tok == "march" || len(tok) > 24 {
		return false
	}
	var buf [24]byte // lower-cased ASCII without allocating; others as they come
	lower := buf[:0]
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c >= utf8.RuneSelf {
			return months[strings.ToLower(tok)]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower = append(lower, c)
	}
	return months[string(lower)]
}

// internTable numbers word hashes: an open-addressing hash table with
// linear probing, much faster than a map for the hundreds of thousands of
// look-ups of a large plan. Word hashes are already well mixed.
type internTable struct {
	keys []uint64 // 0 marks an empty slot
	ids  []int32
	n    int
}

// id returns the id of hash h, giving it next if h is new.
func (t *internTable) id(h uint64, next int32) int32 {
	if h == 0 {
		h = 1 // 0 marks empty slots
	}
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	mask := uint64(len(t.keys) - 1)
	for k := h & mask; ; k = (k + 1) & mask {
		switch t.keys[k] {
		case h:
			return t.ids[k]
		case 0:
			t.keys[k], t.ids[k] = h, next
			t.n++
			return next
		}
	}
}

// grow doubles the table (or creates it) and reinserts the keys.
func (t *internTable) grow() {
	keys, ids := t.keys, t.ids
	size := max(2*len(keys), 1<<14)
	t.keys, t.ids, t.n = fresh[uint64](size), fresh[int32](size), 0
	for k, h := range keys {
		if h != 0 {
			t.id(h, ids[k])
		}
	}
}

// fresh makes a zeroed slice whose memory is written before it is read. A
// large slice may be memory new from the system, and reading such a page
// first maps the shared zero page, so that the first write faults again
// and makes the kernel flush the other cores' address caches: on a few
// megabytes of tables, that costs more than writing the zeros.
func fresh[T any](n int) []T {
	s := make([]T, n)
	clear(s)
	return s
}
