package compare

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"unicode/utf8"
)

// WriteJSON writes the report in its stable JSON form (schema
// "parley.compare/v1"): an object with "schema", "pairs" and "summary", each
// pair on a line of its own so that the output can be read, grepped and
// diffed line by line, and streamed without building it whole in memory.
// "<", ">" and "&" in point texts are not escaped.
//
// Pairs, the bulk of a report, are written by hand: the output is exactly
// what encoding/json makes of a Pair (a fuzz test holds the two together),
// several times faster.
func WriteJSON(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\n\"schema\": ")
	bw.Write(appendString(nil, r.Schema))
	bw.WriteString(",\n\"pairs\": [")
	var buf []byte
	for k := range r.Pairs {
		if k > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		buf = appendPair(buf[:0], &r.Pairs[k])
		bw.Write(buf)
	}
	bw.WriteString("\n],\n\"summary\": ")
	var sb bytes.Buffer
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&r.Summary); err != nil {
		return err
	}
	bw.Write(bytes.TrimSuffix(sb.Bytes(), []byte("\n")))
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// appendPair appends the JSON of a pair, as encoding/json would write it.
func appendPair(b []byte, p *Pair) []byte {
	b = append(b, `{"op":`...)
	b = appendString(b, string(p.Op))
	b = append(b, `,"old":`...)
	b = appendStrings(b, p.Old)
	b = append(b, `,"new":`...)
	b = appendStrings(b, p.New)
	b = append(b, `,"similarity":`...)
	b = appendFloat(b, p.Similarity)
	b = appendFlag(b, `,"moved":true`, p.Moved)
	b = appendFlag(b, `,"edited":true`, p.Edited)
	b = appendFlag(b, `,"renumbered":true`, p.Renumbered)
	b = appendFlag(b, `,"level_changed":true`, p.LevelChanged)
	if p.OldHeading != "" {
		b = appendString(append(b, `,"old_heading":`...), p.OldHeading)
	}
	if p.NewHeading != "" {
		b = appendString(append(b, `,"new_heading":`...), p.NewHeading)
	}
	if len(p.Changes) > 0 {
		b = append(b, `,"changes":[`...)
		for k := range p.Changes {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendChange(b, &p.Changes[k])
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendChange(b []byte, c *Change) []byte {
	b = append(b, `{"kind":`...)
	b = appendString(b, c.Kind)
	if c.Old != "" {
		b = appendString(append(b, `,"old":`...), c.Old)
	}
	if c.New != "" {
		b = appendString(append(b, `,"new":`...), c.New)
	}
	b = strconv.AppendInt(append(b, `,"old_at":`...), int64(c.OldAt), 10)
	b = strconv.AppendInt(append(b, `,"old_end":`...), int64(c.OldEnd), 10)
	b = strconv.AppendInt(append(b, `,"new_at":`...), int64(c.NewAt), 10)
	b = strconv.AppendInt(append(b, `,"new_end":`...), int64(c.NewEnd), 10)
	b = appendFlag(b, `,"number":true`, c.Number)
	return append(b, '}')
}

func appendFlag(b []byte, field string, on bool) []byte {
	if on {
		return append(b, field...)
	}
	return b
}

// appendStrings writes a list of strings; a nil list is null, as in
// encoding/json.
func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for k, s := range ss {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendFloat formats a float64 as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(b, "null"...) // never produced; encoding/json would fail
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does with
// HTML escaping off: quotes, backslashes and control characters escaped,
// invalid UTF-8 replaced by U+FFFD, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
