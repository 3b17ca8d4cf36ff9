package compare

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word or a punctuation mark of a point's text, by byte span.
type token struct {
	start, end int
	word       bool // letters and digits, not punctuation
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
		i = t.end
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
			return token{start: i, end: j, word: true}, true
		case r < utf8.RuneSelf && asciiSpace[r] || r >= utf8.RuneSelf && (unicode.IsSpace(r) || r == '\u200b' || r == '\u2060' || r == '\ufeff'):
			i += n
		default:
			return token{start: i, end: i + n}, true
		}
	}
	return token{}, false
}

var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
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
// s, in order, without allocating strings. Typographic apostrophes hash as
// straight ones and no-break spaces inside numbers as spaces.
func wordHashes(s string, dst []uint64) []uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	for i := 0; ; {
		t, ok := nextToken(s, i)
		if !ok {
			return dst
		}
		i = t.end
		if !t.word {
			continue
		}
		h := uint64(offset)
		for k := t.start; k < t.end; {
			r, n := rune(s[k]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(s[k:])
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
			h ^= uint64(r)
			h *= prime
		}
		dst = append(dst, h)
	}
}

// bag is a point's words as a sorted multiset of hashes with IDF weights.
type bag struct {
	h     []uint64  // sorted
	w     []float32 // weight of h[k]
	total float64   // sum of w
}

// weigh fills in the weights of b from document frequencies: a word found in
// df of n points weighs ln(1 + n/df), so boilerplate shared by many points
// counts for little and a rare name or number for much.
func (b *bag) weigh(df map[uint64]int32, n int) {
	b.w = make([]float32, len(b.h))
	b.total = 0
	for k, h := range b.h {
		w := float32(math.Log(1 + float64(n)/float64(max(df[h], 1))))
		b.w[k] = w
		b.total += float64(w)
	}
}

// similarity is the IDF-weighted Dice coefficient of two bags: twice the
// weight of the shared words over the weight of both. 1 for equal bags, 0
// for bags with no word in common. Two empty bags are equal.
func similarity(a, b *bag) float64 {
	if a.total+b.total == 0 {
		if len(a.h) == 0 && len(b.h) == 0 {
			return 1
		}
		return 0
	}
	return 2 * shared(a, b) / (a.total + b.total)
}

// containment is the share of a's weight also found in b: 1 when every word
// of a occurs in b.
func containment(a, b *bag) float64 {
	if a.total == 0 {
		return 0
	}
	return shared(a, b) / a.total
}

// shared is the weight of the multiset intersection of two bags.
func shared(a, b *bag) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a.h) && j < len(b.h) {
		switch {
		case a.h[i] < b.h[j]:
			i++
		case a.h[i] > b.h[j]:
			j++
		default:
			s += float64(min(a.w[i], b.w[j]))
			i++
			j++
		}
	}
	return s
}

// union merges bags into one, as for the text of several points read as one.
func union(bs ...*bag) *bag {
	var u bag
	for _, b := range bs {
		u.h = append(u.h, b.h...)
		u.w = append(u.w, b.w...)
		u.total += b.total
	}
	idx := make([]int, len(u.h))
	for k := range idx {
		idx[k] = k
	}
	slices.SortFunc(idx, func(x, y int) int {
		switch {
		case u.h[x] < u.h[y]:
			return -1
		case u.h[x] > u.h[y]:
			return 1
		}
		return 0
	})
	h := make([]uint64, len(idx))
	w := make([]float32, len(idx))
	for k, x := range idx {
		h[k], w[k] = u.h[x], u.w[x]
	}
	u.h, u.w = h, w
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
	return months[strings.ToLower(tok)]
}
