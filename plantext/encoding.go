package plantext

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// CheckEncoding returns nil if src is UTF-8 text (with or without a BOM). It
// returns an *Error otherwise, saying where the first bad byte is and which
// encoding the input seems to be in: UTF-16, a Windows code page, or binary.
func CheckEncoding(src []byte) error {
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		order := "little-endian"
		if src[0] == 0xFE {
			order = "big-endian"
		}
		return &Error{Msg: fmt.Sprintf("input is UTF-16 (%s, with a byte order mark), not UTF-8; convert it first, for example with iconv -f UTF-16 -t UTF-8", order)}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line, col := position(src, i)
		if looksUTF16(src) {
			return &Error{Line: line, Col: col, Msg: "input looks like UTF-16 without a byte order mark (every other byte is zero), not UTF-8; convert it first, for example with iconv -f UTF-16LE -t UTF-8"}
		}
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

// position returns the 1-based line and character column of byte offset i.
func position(src []byte, i int) (line, col int) {
	line = 1 + bytes.Count(src[:i], []byte{'\n'})
	start := bytes.LastIndexByte(src[:i], '\n') + 1
	prefix := src[start:i]
	if utf8.Valid(prefix) {
		return line, utf8.RuneCount(prefix) + 1
	}
	return line, len(prefix) + 1
}

// looksUTF16 reports whether zero bytes sit at every other position, as in
// UTF-16 text that is mostly ASCII.
func looksUTF16(src []byte) bool {
	n := min(len(src), 4096) &^ 1
	if n < 4 {
		return false
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
	return even > half*3/4 || odd > half*3/4
}

// guessEncoding names the 8-bit encoding a non-UTF-8 text most likely uses.
// Cyrillic in Windows-1251 is mostly bytes 0xC0–0xFF; Western European text
// in Windows-1252 or Latin-1 has few high bytes between plain ASCII letters.
func guessEncoding(src []byte) string {
	var high, upperHalf, ascii int
	for _, b := range src {
		switch {
		case b >= 0xC0:
			high++
			upperHalf++
		case b >= 0x80:
			high++
		case b >= 'A' && b <= 'z':
			ascii++
		}
	}
	switch {
	case high > ascii && upperHalf*10 >= high*7:
		return "is probably Windows-1251 (Cyrillic) or KOI8-R; convert it first, for example with iconv -f WINDOWS-1251 -t UTF-8"
	case high > 0:
		return "is probably Windows-1252 or ISO-8859-1 (Latin-1); convert it first, for example with iconv -f WINDOWS-1252 -t UTF-8"
	}
	return "is not UTF-8"
}
