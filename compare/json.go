package compare

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the report in its stable JSON form (schema
// "parley.compare/v1"), indented, with a final newline.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
