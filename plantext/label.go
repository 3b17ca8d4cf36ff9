package plantext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// labelMatch is a label recognised at the start of a line, before its kind
// is settled by context (a lone "i" may be a letter or a roman numeral).
type labelMatch struct {
	label  string // as written
	tok    string // the number, letter or numeral; "" for bullets
	deco   string
	bullet rune
	levels int // components of a multi-level number
	text   int // offset in the line where the text after the label begins
}

// keywords introduce labels such as "Point 3:" or "Article 12". They are
// matched case-insensitively and stored lower-cased in Style.Deco.
var keywords = []string{
	"point", "article", "art.", "section", "clause", "paragraph", "item",
	"пункт", "статья", "стаття", "άρθρο", "§",
}

// kwFirst marks the lower-case first bytes of the ASCII keywords, to skip
// the keyword comparisons for most lines.
var kwFirst = func() (t [256]byte) {
	for _, kw := range keywords {
		t[kw[0]] = 1
	}
	return t
}()

// bullets are the characters accepted as bullets when followed by a space.
const bullets = "•-*→–—◦▪‣·"

// alphabets: a letter label's ordinal is its position in one of these
// (letterOrdinal handles the Latin one without a search).
var alphabets = []string{
	"abcdefghijklmnopqrstuvwxyz",
	"абвгдежзиклмнопрстуфхцчшщэюя",
	"αβγδεζηθικλμνξοπρστυφχψω",
}

// matchLabel recognises a label at the start of s, which has no leading
// whitespace. Labels must be followed by whitespace or the end of the line.
func matchLabel(s string) (labelMatch, bool) {
	if s == "" {
		return labelMatch{}, false
	}
	// Keyword labels: "Point 3:", "Article 12", "§ 4".
	for _, kw := range keywords {
		if s[0] < utf8.RuneSelf && kwFirst[s[0]|0x20] == 0 {
			break // no keyword starts with this character
		}
		if len(s) < len(kw) || !strings.EqualFold(s[:len(kw)], kw) {
			continue
		}
		rest := s[len(kw):]
		sp := leadingSpace(rest)
		if sp == 0 && kw != "§" {
			continue
		}
		tok, n, levels := scanToken(rest[sp:])
		if tok == "" {
			continue
		}
		i := len(kw) + sp + n
		_, dn := scanDeco(s[i:], true)
		i += dn
		if end, ok := labelEnd(s, i); ok {
			return labelMatch{label: strings.TrimSpace(s[:i]), tok: tok, deco: strings.ToLower(kw), levels: levels, text: end}, true
		}
	}
	// "(a)", "(12)", "(iv)".
	if s[0] == '(' {
		tok, n, levels := scanToken(s[1:])
		if tok != "" && levels == 1 && 1+n < len(s) && s[1+n] == ')' {
			if end, ok := labelEnd(s, 2+n); ok {
				return labelMatch{label: s[:2+n], tok: tok, deco: "()", levels: 1, text: end}, true
			}
		}
		return labelMatch{}, false
	}
	// A line starting with an ASCII word ("confidence between…") is
	// text, unless the word ends in "." or ")": the common case, decided
	// without the full token scan.
	if c := s[0] | 0x20; 'a' <= c && c <= 'z' {
		k := 1
		for k < len(s) && ('a' <= s[k]|0x20 && s[k]|0x20 <= 'z') {
			k++
		}
		if k < len(s) && s[k] != '.' && s[k] != ')' {
			return labelMatch{}, false
		}
	}
	// "12.", "12)", "a.", "iv)", "2.1", "2.1.", "12 -", "12 –".
	if tok, n, levels := scanToken(s); tok != "" {
		deco, dn := scanDeco(s[n:], isDigits(tok))
		if deco == "" && levels == 1 {
			return labelMatch{}, false
		}
		if deco == ":" && !isDigits(tok) {
			return labelMatch{}, false
		}
		if end, ok := labelEnd(s, n+dn); ok {
			return labelMatch{label: strings.TrimSpace(s[:n+dn]), tok: tok, deco: deco, levels: levels, text: end}, true
		}
		return labelMatch{}, false
	}
	// Bullets.
	r, n := utf8.DecodeRuneInString(s)
	if strings.ContainsRune(bullets, r) {
		if end, ok := labelEnd(s, n); ok && end > n || n == len(s) && r != '-' && r != '*' {
			return labelMatch{label: s[:n], bullet: r, text: end}, true
		}
	}
	return labelMatch{}, false
}

// scanToken reads a label token at the start of s: up to six digits with
// optional further ".N" components, a single letter, or a roman numeral. It
// returns the token, its length in bytes and the number of components.
func scanToken(s string) (tok string, n int, levels int) {
	if s == "" {
		return "", 0, 0
	}
	if isDigit(s[0]) {
		levels = 1
		for {
			j := n
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j-n == 0 || j-n > 6 {
				if levels == 1 {
					return "", 0, 0
				}
				// "2.1." : the trailing dot is decoration, not a component.
				return s[:n-1], n - 1, levels - 1
			}
			n = j
			if n+1 < len(s) && s[n] == '.' && isDigit(s[n+1]) {
				n++
				levels++
				continue
			}
			return s[:n], n, levels
		}
	}
	// Roman numerals of several characters, or a single letter.
	j := 0
	for j < len(s) && strings.IndexByte("ivxlcdmIVXLCDM", s[j]) >= 0 {
		j++
	}
	if j > 1 && romanValue(s[:j]) > 0 && (j == len(s) || !isLetterAt(s, j)) {
		return s[:j], j, 1
	}
	r, size := utf8.DecodeRuneInString(s)
	if letterOrdinal(r) > 0 && (size == len(s) || !isLetterAt(s, size)) {
		return s[:size], size, 1
	}
	return "", 0, 0
}

// scanDeco reads the decoration after a token: ".", ")", ":" (numbers only),
// or a spaced dash " -", " –", " —" (numbers only).
func scanDeco(s string, number bool) (string, int) {
	if s == "" {
		return "", 0
	}
	switch s[0] {
	case '.', ')':
		return s[:1], 1
	case ':':
		return ":", 1
	}
	if number {
		sp := leadingSpace(s)
		if sp > 0 && sp < len(s) {
			r, n := utf8.DecodeRuneInString(s[sp:])
			if r == '-' || r == '–' || r == '—' {
				return "-", sp + n
			}
		}
	}
	return "", 0
}

// labelEnd checks that a label ending at i is followed by whitespace or the
// end of the line, and returns where the text after it starts.
func labelEnd(s string, i int) (int, bool) {
	if i == len(s) {
		return i, true
	}
	sp := leadingSpace(s[i:])
	if sp == 0 {
		return 0, false
	}
	return i + sp, true
}

// leadingSpace returns the number of bytes of whitespace (including no-break
// and zero-width spaces) at the start of s.
func leadingSpace(s string) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i == len(s) || s[i] < utf8.RuneSelf && s[i] > ' ' {
		return i
	}
	for k, r := range s[i:] {
		if !isSpace(r) {
			return i + k
		}
	}
	return len(s)
}

// isSpace reports whether r is whitespace for layout purposes. Zero-width
// spaces and the BOM count, so they never start a label or a word.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || isZeroWidth(r)
}

// isZeroWidth reports whether r is an invisible spacing character that is
// dropped from normalised text. Zero-width joiners are kept: they matter in
// some scripts.
func isZeroWidth(r rune) bool {
	return r == '\u200b' || r == '\u2060' || r == '\ufeff'
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return false
		}
	}
	return s != ""
}

func isLetterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// letterOrdinal returns the 1-based position of r in one of the alphabets,
// ignoring case, or 0.
func letterOrdinal(r rune) int {
	switch {
	case 'a' <= r && r <= 'z':
		return int(r-'a') + 1
	case 'A' <= r && r <= 'Z':
		return int(r-'A') + 1
	case r < utf8.RuneSelf:
		return 0
	}
	lr := unicode.ToLower(r)
	for _, a := range alphabets[1:] {
		i := 0
		for _, c := range a {
			i++
			if c == lr {
				return i
			}
		}
	}
	return 0
}

// romanValue returns the value of a canonical roman numeral (either case,
// not mixed) between 1 and 3999, or 0.
func romanValue(s string) int {
	if s == "" || len(s) > 15 {
		return 0
	}
	upper := strings.ToUpper(s)
	if upper != s && strings.ToLower(s) != s {
		return 0
	}
	total := 0
	for i := 0; i < len(upper); i++ {
		v := romanDigit(upper[i])
		if i+1 < len(upper) && romanDigit(upper[i+1]) > v {
			total -= v
		} else {
			total += v
		}
	}
	if total <= 0 || total >= 4000 || toRoman(total) != upper {
		return 0
	}
	return total
}

// romanDigit is the value of one upper-case roman digit, or 0.
func romanDigit(c byte) int {
	switch c {
	case 'I':
		return 1
	case 'V':
		return 5
	case 'X':
		return 10
	case 'L':
		return 50
	case 'C':
		return 100
	case 'D':
		return 500
	case 'M':
		return 1000
	}
	return 0
}

// toRoman writes n (1..3999) as an upper-case roman numeral.
func toRoman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}
