package compare

import (
	"bytes"
	"encoding/json"
	"testing"
)

// marshalStd encodes v with encoding/json, HTML escaping off, no newline.
func marshalStd(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// FuzzAppendPair holds the hand-written pair encoder to encoding/json's
// output for any strings, numbers and flags.
func FuzzAppendPair(f *testing.F) {
	f.Add("edited", "4", "6", 0.93, true, false, "Security", "", "600,000", "800,000", 12, true)
	f.Add("split", "12", "8", 1.0, false, true, "", "Trade <&> \"x\"", "a\\b\n\t\x01", "\u2028\xff", 0, false)
	f.Add("added", "", "7", 0.0, false, false, "", "", "", "", -1, false)
	f.Add("moved", "x", "y", 1e-7, true, true, "é", "Україна", "\u2029", "\x7f", 1<<40, true)
	f.Fuzz(func(t *testing.T, op, old, new string, sim float64, moved, edited bool, oh, nh, co, cn string, at int, num bool) {
		p := Pair{Op: Op(op), Old: []string{old}, New: []string{new, old}, Similarity: sim, Moved: moved, Edited: edited,
			Renumbered: moved != edited, LevelChanged: num, OldHeading: oh, NewHeading: nh,
			Changes: []Change{{Kind: "replace", Old: co, New: cn, OldAt: at, OldEnd: at + 1, NewAt: -at, NewEnd: 0, Number: num}}}
		if old == "" {
			p.Old = []string{}
			p.Changes = nil
		}
		if new == "" {
			p.New = nil
		}
		if sim != sim || sim > 1e300 || sim < -1e300 {
			return // encoding/json refuses NaN and infinities; reports never hold them
		}
		want := marshalStd(t, &p)
		if got := appendPair(nil, &p); !bytes.Equal(got, want) {
			t.Errorf("appendPair:\n got %s\nwant %s", got, want)
		}
	})
}
