package plantext_test

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"parley/plantext"
)

// encodeUTF16 encodes s as UTF-16 in the given byte order, with a byte order
// mark if bom is set.
func encodeUTF16(s string, order binary.AppendByteOrder, bom bool) []byte {
	var out []byte
	if bom {
		out = order.AppendUint16(out, 0xFEFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

// encodeWindows1251 encodes Russian text in Windows-1251.
func encodeWindows1251(tb testing.TB, s string) []byte {
	tb.Helper()
	var out []byte
	for _, r := range s {
		switch {
		case r < 0x80:
			out = append(out, byte(r))
		case r >= 'А' && r <= 'я':
			out = append(out, byte(r-'А'+0xC0))
		case r == 'ё':
			out = append(out, 0xB8)
		case r == 'Ё':
			out = append(out, 0xA8)
		default:
			tb.Fatalf("%q is not in Windows-1251", r)
		}
	}
	return out
}

// encodeLatin1 encodes s in ISO-8859-1.
func encodeLatin1(tb testing.TB, s string) []byte {
	tb.Helper()
	var out []byte
	for _, r := range s {
		if r > 0xFF {
			tb.Fatalf("%q is not in Latin-1", r)
		}
		out = append(out, byte(r))
	}
	return out
}

func TestCheckEncoding(t *testing.T) {
	const plan = "Peace plan\n\n1. Ukraine's sovereignty is reaffirmed.\n2. Elections within 100 days.\n"
	const russian = "Мирный план\n\n1. Суверенитет Украины подтверждается.\n2. Выборы через 100 дней.\n"
	tests := []struct {
		name      string
		in        []byte
		line, col int
		msg       []string // substrings of the message; nil for no error
	}{
		{"ASCII", []byte(plan), 0, 0, nil},
		{"UTF-8 Russian", []byte(russian), 0, 0, nil},
		{"UTF-8 with BOM", []byte("\ufeff" + russian), 0, 0, nil},
		{"empty", nil, 0, 0, nil},
		{"UTF-16LE with BOM", encodeUTF16(plan, binary.LittleEndian, true), 0, 0, []string{"UTF-16", "little-endian", "iconv -f UTF-16 "}},
		{"UTF-16BE with BOM", encodeUTF16(plan, binary.BigEndian, true), 0, 0, []string{"UTF-16", "big-endian"}},
		{"UTF-16LE Russian with BOM", encodeUTF16(russian, binary.LittleEndian, true), 0, 0, []string{"UTF-16", "little-endian"}},
		{"UTF-16LE without BOM", encodeUTF16(plan, binary.LittleEndian, false), 0, 0, []string{"UTF-16LE without a byte order mark", "iconv -f UTF-16LE -t UTF-8"}},
		{"UTF-16BE without BOM", encodeUTF16(plan, binary.BigEndian, false), 0, 0, []string{"UTF-16BE without a byte order mark", "iconv -f UTF-16BE -t UTF-8"}},
		{"UTF-16LE Russian without BOM", encodeUTF16(russian, binary.LittleEndian, false), 0, 0, []string{"UTF-16LE"}},
		{"UTF-16BE Russian without BOM", encodeUTF16(russian, binary.BigEndian, false), 0, 0, []string{"UTF-16BE"}},
		{"Windows-1251", encodeWindows1251(t, russian), 1, 1, []string{"invalid UTF-8 byte 0xCC", "Windows-1251", "iconv -f WINDOWS-1251"}},
		{"Windows-1251 at the end", encodeWindows1251(t, "Plan: Мир"), 1, 7, []string{"Windows-1251"}},
		{"Windows-1251 after ASCII lines", encodeWindows1251(t, "Plan\n\n1. Мир\n"), 3, 4, []string{"0xCC", "Windows-1251"}},
		{"Latin-1", encodeLatin1(t, "Plan de paix\n\n1. Élections à Kyïv dans les cent jours.\n"), 3, 4, []string{"invalid UTF-8 byte 0xC9", "Latin-1", "iconv -f WINDOWS-1252"}},
		{"Latin-1 Portuguese", encodeLatin1(t, "Plano de paz\n\n1. Negociação e eleições.\n"), 3, 11, []string{"0xE7", "Latin-1"}},
		{"Latin-1 German", encodeLatin1(t, "1. Übergänge für Flüchtlinge.\n"), 1, 4, []string{"0xDC", "Latin-1"}},
		{"Windows-1252 quote", []byte("1. The \x93Peace Council\x94 oversees it.\n"), 1, 8, []string{"0x93", "Windows-1252"}},
		{"column counts characters", []byte("Мир: caf\xe9\n"), 1, 9, []string{"0xE9"}},
		{"column after a BOM", []byte("\ufeffcaf\xe9\n"), 1, 4, []string{"0xE9"}},
		{"truncated UTF-8 at the end", []byte("1. Мир\n2. Ми\xd1"), 2, 6, []string{"0xD1"}},
		{"CRLF line ends", []byte("1. a\r\n2. caf\xe9\r\n"), 2, 7, []string{"0xE9"}},
		{"lone CR line ends", []byte("1. a\r2. b\r3. caf\xe9\r"), 3, 7, []string{"0xE9"}},
		{"NUL byte", []byte("1. a\n2. b\x00c\n"), 2, 5, []string{"NUL byte", "binary"}},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"), 3, 1, []string{"NUL byte", "binary"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := plantext.CheckEncoding(tt.in)
			if tt.msg == nil {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				return
			}
			var perr *plantext.Error
			if !errors.As(err, &perr) {
				t.Fatalf("got error %v (%T), want a *plantext.Error", err, err)
			}
			if perr.Line != tt.line || perr.Col != tt.col {
				t.Errorf("position: got line %d column %d, want line %d column %d", perr.Line, perr.Col, tt.line, tt.col)
			}
			for _, m := range tt.msg {
				if !strings.Contains(perr.Msg, m) {
					t.Errorf("message %q does not contain %q", perr.Msg, m)
				}
			}
			// Parse reports the same error.
			_, perr2 := plantext.Parse(tt.in)
			if perr2 == nil || perr2.Error() != err.Error() {
				t.Errorf("Parse: got error %v, want %v", perr2, err)
			}
		})
	}
}
