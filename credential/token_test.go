package credential_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"parley/credential"
)

const base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func TestTokens(t *testing.T) {
	tests := []struct {
		name   string
		new    func() string
		prefix string
		length int
	}{
		{"NewToken", credential.NewToken, "", 22},
		{"NewSecret", func() string { return credential.NewSecret("parley_") }, "parley_", len("parley_") + 43},
		{"NewSecret no prefix", func() string { return credential.NewSecret("") }, "", 43},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen := map[string]bool{}
			for range 1000 {
				tok := tc.new()
				if len(tok) != tc.length {
					t.Fatalf("got %q of %d characters, want %d", tok, len(tok), tc.length)
				}
				rest, ok := strings.CutPrefix(tok, tc.prefix)
				if !ok {
					t.Fatalf("got %q, want prefix %q", tok, tc.prefix)
				}
				if i := strings.IndexFunc(rest, func(r rune) bool { return !strings.ContainsRune(base64URL, r) }); i >= 0 {
					t.Fatalf("got %q, want unpadded base64url after the prefix (bad character at %d)", tok, i)
				}
				if seen[tok] {
					t.Fatalf("got %q twice in %d tokens, want all different", tok, len(seen))
				}
				seen[tok] = true
			}
		})
	}
}

func TestHashToken(t *testing.T) {
	tests := []struct {
		token, want string
	}{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tc := range tests {
		if got := credential.HashToken(tc.token); got != tc.want {
			t.Errorf("HashToken(%q) = %s, want %s", tc.token, got, tc.want)
		}
	}
	tok := credential.NewToken()
	sum := sha256.Sum256([]byte(tok))
	if got, want := credential.HashToken(tok), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("HashToken(%q) = %s, want %s", tok, got, want)
	}
}

func BenchmarkNewToken(b *testing.B) {
	for b.Loop() {
		credential.NewToken()
	}
}

func BenchmarkHashToken(b *testing.B) {
	tok := credential.NewSecret("parley_")
	for b.Loop() {
		credential.HashToken(tok)
	}
}
