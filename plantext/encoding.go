package plantext

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// CheckEncoding returns nil if src is UTF-8 text (with or without a BOM). It
// returns an *Error otherwise, saying which encoding the input seems to be
// in (UTF-16, a Windows code page, or binary) and, unless the whole input is
// UTF-16, where the first bad byte is.
func CheckEncoding(src []byte) error {
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		order := "little-endian"
		if src[0] == 0xFE {
			order = "big-endian"
		}
		return &Error{Msg: fmt.Sprintf("input is UTF-16 (%s, with a byte order mark), not UTF-8; convert it first, for example with iconv -f UTF-16 -t UTF-8", order)}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		if order := utf16Order(src); order != "" {
			return &Error{Msg: fmt.Sprintf("input looks like UTF-16%s without a byte order mark (zero bytes at every other position), not UTF-8; convert it first, for example with iconv -f UTF-16%[1]s -t UTF-8", order)}
		}
		line, col := position(src, i)
		return &Error{Line: line, Col: col, Msg: "input contains a NUL byte: it looks like a binary file, not text"}
	}
	if utf8.Valid(src) {
		return nil
	}
	i := 0
	for i < len(src) {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		i += n
	}
	line, col := position(src, i)
	return &Error{Line: line, Col: col, Msg: fmt.Sprintf("invalid UTF-8 byte 0x%02X; the input %s", src[i], guessEncoding(src))}
}

// position returns the 1-based line and character column of byte offset i,
// with lines ending as the parser ends them: at "\n", "\r\n" or a lone
// "\r". A byte order mark does not count as a column.
func position(src []byte, i int) (line, col int) {
	line, start := 1, 0
	for j, b := range src[:i] {
		if b == '\n' || b == '\r' && (j+1 == len(src) || src[j+1] != '\n') {
			line, start = line+1, j+1
		}
	}
	prefix := bytes.TrimPrefix(src[start:i], []byte("\ufeff"))
	if utf8.Valid(prefix) {
		return line, utf8.RuneCount(prefix) + 1
	}
	return line, len(prefix) + 1
}

// utf16Order returns "LE" or "BE" when src looks like UTF-16 without a byte
// order mark: zero bytes, the high bytes of ASCII characters such as spaces
// and digits, at many positions of one parity and almost none of the other.
// It returns "" otherwise.
func utf16Order(src []byte) string {
	n := min(len(src), 4096) &^ 1
	if n < 4 {
		return ""
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if src[i] == 0 {
			even++
		}
		if src[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	enough := func(zeros int) bool { return zeros >= min(half, 4) && zeros*10 >= half }
	switch {
	case enough(odd) && even*10 <= odd:
		return "LE"
	case enough(even) && odd*10 <= even:
		return "BE"
	}
	return ""
}

// guessEncoding names the 8-bit encoding a non-UTF-8 text most likely uses.
// Cyrillic in Windows-1251 or KOI8-R is mostly bytes 0xC0–0xFF in runs
// that make whole words; Western European text in Windows-1252 or Latin-1
// has a high byte here and there between plain ASCII letters.
func guessEncoding(src []byte) string {
	var high, upperHalf, inWords, run int
	for i, b := range src {
		if b >= 0x80 {
			high++
			run++
			if b >= 0xC0 {
				upperHalf++
			}
		}
		if b < 0x80 || i == len(src)-1 {
			if run >= 3 {
				inWords += run
			}
			run = 0
		}
	}
	switch {
	case upperHalf*10 >= high*7 && inWords*2 > high:
		return "is probably Windows-1251 (Cyrillic) or KOI8-R; convert it first, for example with iconv -f WINDOWS-1251 -t UTF-8"
	case high > 0:
		return "is probably Windows-1252 or ISO-8859-1 (Latin-1); convert it first, for example with iconv -f WINDOWS-1252 -t UTF-8"
	}
	return "is not UTF-8"
}
