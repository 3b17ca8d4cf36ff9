package compare

import (
	"bufio"
	"encoding/json"
	"io"
)

// WriteJSON writes the report in its stable JSON form (schema
// "parley.compare/v1"): an object with "schema", "pairs" and "summary", each
// pair on a line of its own so that the output can be read, grepped and
// diffed line by line, and streamed without building it whole in memory.
// "<", ">" and "&" in point texts are not escaped.
func WriteJSON(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf jsonBuffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// put encodes v compactly, without the newline Encode appends.
	put := func(v any) error {
		buf.b = buf.b[:0]
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(buf.b[:len(buf.b)-1])
		return err
	}
	bw.WriteString("{\n\"schema\": ")
	if err := put(r.Schema); err != nil {
		return err
	}
	bw.WriteString(",\n\"pairs\": [")
	for k := range r.Pairs {
		if k > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		if err := put(&r.Pairs[k]); err != nil {
			return err
		}
	}
	bw.WriteString("\n],\n\"summary\": ")
	enc.SetIndent("", "  ")
	if err := put(&r.Summary); err != nil {
		return err
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// jsonBuffer is a reusable io.Writer collecting bytes.
type jsonBuffer struct{ b []byte }

func (j *jsonBuffer) Write(p []byte) (int, error) { j.b = append(j.b, p...); return len(p), nil }
