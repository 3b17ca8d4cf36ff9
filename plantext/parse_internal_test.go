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
