package compare

import "testing"

// TestDiffTokensEditScript checks that edit scripts turn a into b, and are
// shortest on small cases where the answer is known.
func TestDiffTokensEditScript(t *testing.T) {
	tests := []struct {
		a, b  string
		edits int // insertions plus deletions of a shortest script
	}{
		{"abc", "abc", 0},
		{"abc", "abd", 2},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abcabba", "cbabac", 5},
		{"xaxbxc", "abc", 3},
	}
	for _, tt := range tests {
		a, b := []byte(tt.a), []byte(tt.b)
		script, ok := diffTokens(a, b, nil)
		if !ok {
			t.Fatalf("diff %q → %q hit its cap", tt.a, tt.b)
		}
		var out []byte
		x, edits := 0, 0
		y := 0
		for _, e := range script {
			switch e {
			case editEqual:
				out = append(out, a[x])
				x++
				y++
			case editDelete:
				x++
				edits++
			case editInsert:
				out = append(out, b[y])
				y++
				edits++
			}
		}
		if string(out) != tt.b || x != len(a) {
			t.Errorf("diff %q → %q: script gives %q", tt.a, tt.b, out)
		}
		if edits != tt.edits {
			t.Errorf("diff %q → %q: got %d edits, want %d", tt.a, tt.b, edits, tt.edits)
		}
	}
}

// TestDiffTokensWorkCap checks that a diff whose rounds each follow long
// runs of equal tokens stops at its work cap instead of running on.
func TestDiffTokensWorkCap(t *testing.T) {
	const run = 1 << 20
	a := make([]int, 0, run+2000)
	b := make([]int, 0, run+2000)
	b = append(b, -1, -2)
	for range run {
		a = append(a, 0)
		b = append(b, 0)
	}
	for k := range 1000 {
		a = append(a, 1+k)
		b = append(b, -1-k)
	}
	script, ok := diffTokens(a, b, nil)
	if ok {
		t.Fatal("diff finished; want it to stop at its work cap")
	}
	var del, ins int
	for _, e := range script {
		switch e {
		case editDelete:
			del++
		case editInsert:
			ins++
		}
	}
	if del > len(a) || ins > len(b) || del == 0 {
		t.Errorf("capped script: %d deletions, %d insertions for %d → %d tokens", del, ins, len(a), len(b))
	}
}
