package compare

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// referenceWordHashes hashes the words nextToken finds, one by one: the
// definition wordHashes's one-pass reading must match.
func referenceWordHashes(s string) []uint64 {
	var out []uint64
	for i := 0; ; {
		t, ok := nextToken(s, i)
		if !ok {
			return out
		}
		if t.word {
			out = append(out, hashWord(s[t.start:t.end]))
		}
		i = int(t.end)
	}
}

// FuzzWordHashes checks the fast word hashing against the reference on any
// text.
func FuzzWordHashes(f *testing.F) {
	for _, s := range []string{
		"The armed forces of Ukraine are limited to 600,000 personnel.",
		"Ukraine's non-aggression pact, signed 31.12.2025 -- and 3.5% more.",
		"Україна — 600 000 військових; Ελλάδα, café, naïve, ‘quoted’ it’s",
		"a-", "-a", "1,", ",1", "1,a", "x.1", "1.x", "A'B", "don’t", "12\u00a0000", "e\u0301t\u00e9",
		"", " ", "\t\n", "a", "AB-CD-", "x,,y", "9.9.9.", "'", "Z'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := wordHashes(s, nil)
		want := referenceWordHashes(s)
		if !slices.Equal(got, want) {
			t.Errorf("wordHashes(%q): got %d hashes, want %d (%v vs %v)", s, len(got), len(want), got, want)
		}
	})
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"limited to 600,000 personnel.", []string{"limited", "to", "600,000", "personnel", "."}},
		{"Ukraine's non-aggression", []string{"Ukraine's", "non-aggression"}},
		{"on 31.12.2025, 3.5%", []string{"on", "31.12.2025", ",", "3.5", "%"}},
		{"end. Start", []string{"end", ".", "Start"}},
		{"600\u00a0000 troops", []string{"600\u00a0000", "troops"}},
		{"Украина\u00a0— мир", []string{"Украина", "—", "мир"}},
		{"a -b", []string{"a", "-", "b"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range appendTokens(nil, tt.in) {
			got = append(got, tt.in[tok.start:tok.end])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("tokens of %q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzChanges checks that diffing only the middle of two texts, after
// cutting their common start and end at spaces, finds the same changes as
// diffing them whole.
func FuzzChanges(f *testing.F) {
	f.Add("The armed forces are limited to 600,000 personnel.", "The armed forces are limited to 800,000 personnel in peacetime.")
	f.Add("a b c", "a b c d")
	f.Add("x y", "y")
	f.Add("same", "same")
	f.Add("limit", "limited")
	f.Add(" a  b ", "a b")
	f.Fuzz(func(t *testing.T, a, b string) {
		var d1, d2 differ
		got, ok1 := d1.changes(a, b)
		want, ok2 := d2.diffMiddle(a, b)
		if !slices.Equal(got, want) || ok1 != ok2 {
			t.Errorf("changes(%q, %q):\n got %+v\nwant %+v", a, b, got, want)
		}
	})
}

// TestMarkerSimilarity checks the marked-bag similarity against the merge
// on random bags with repeated words, empty ones included.
func TestMarkerSimilarity(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	w := make(weights, 40)
	for id := range w {
		w[id] = float32(r.Float64() * 5)
	}
	randomBag := func() *bag {
		b := &bag{}
		for range r.IntN(12) {
			b.ids = append(b.ids, int32(r.IntN(len(w))))
		}
		slices.Sort(b.ids)
		for _, id := range b.ids {
			b.total += float64(w[id])
		}
		return b
	}
	mk := marker{count: make([]int32, len(w))}
	for range 2000 {
		a, b := randomBag(), randomBag()
		mk.set(b)
		got, want := mk.similarity(w, a, b), w.similarity(a, b)
		mk.unset(b)
		if got != want {
			t.Fatalf("similarity(%v, %v): marked %v, merged %v", a.ids, b.ids, got, want)
		}
		for id, c := range mk.count {
			if c != 0 {
				t.Fatalf("marker not cleared: word %d counts %d", id, c)
			}
		}
	}
}
