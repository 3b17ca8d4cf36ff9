package plantext

import "testing"

// isNormalSlow is the byte-by-byte definition of isNormal.
func isNormalSlow(s string) bool {
	for k := 0; k < len(s); k++ {
		if s[k] < ' ' || s[k] >= 0x7f || s[k] == ' ' && (k == 0 || k == len(s)-1 || s[k-1] == ' ') {
			return false
		}
	}
	return true
}

// TestIsNormal checks the eight-bytes-at-a-time test against the
// byte-by-byte definition, with every byte value at every position of a
// 19-byte string, and every pair of spaces.
func TestIsNormal(t *testing.T) {
	base := "The Parties agree x"
	for pos := range len(base) {
		for c := range 256 {
			b := []byte(base)
			b[pos] = byte(c)
			if got, want := isNormal(string(b)), isNormalSlow(string(b)); got != want {
				t.Fatalf("isNormal(%q): got %v, want %v", b, got, want)
			}
		}
		for pos2 := range len(base) {
			b := []byte("abcdefghijklmnopqrs")
			b[pos], b[pos2] = ' ', ' '
			if got, want := isNormal(string(b)), isNormalSlow(string(b)); got != want {
				t.Fatalf("isNormal(%q): got %v, want %v", b, got, want)
			}
		}
	}
}

// FuzzIsNormal compares the two definitions on any input.
func FuzzIsNormal(f *testing.F) {
	f.Add("a  b")
	f.Add("abcdefg  hijk")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isNormal(s), isNormalSlow(s); got != want {
			t.Fatalf("isNormal(%q): got %v, want %v", s, got, want)
		}
	})
}

// TestDepthLimitWarns checks that a label nested beyond the limit is read
// as text with a warning that says where.
func TestDepthLimitWarns(t *testing.T) {
	src := "- one\n  - two\n    - three\n      - four\n"
	d, err := ParseLimits([]byte(src), Limits{MaxDepth: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(d.All()); got != 3 {
		t.Errorf("got %d points, want 3", got)
	}
	if len(d.Warnings) != 1 || d.Warnings[0].Line != 4 || d.Warnings[0].Col != 7 {
		t.Fatalf("got warnings %v, want one at line 4, column 7", d.Warnings)
	}
	if last := d.All()[2]; last.Text != "three - four" {
		t.Errorf("got deepest text %q, want %q", last.Text, "three - four")
	}
}
