package audit_test

import (
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"parley/audit"
)

// mustKey returns a new key pair, failing the test on an error.
func mustKey(tb testing.TB, name string) (skey, vkey string) {
	tb.Helper()
	skey, vkey, err := audit.NewKey(name)
	if err != nil {
		tb.Fatalf("NewKey(%q): %v", name, err)
	}
	return skey, vkey
}

// mustSign returns a checkpoint of tree, failing the test on an error.
func mustSign(tb testing.TB, skey string, tree tlog.Tree) string {
	tb.Helper()
	cp, err := audit.Sign(skey, tree.N, tree.Hash)
	if err != nil {
		tb.Fatalf("Sign(%d): %v", tree.N, err)
	}
	return cp
}

func TestCheckpointRoundTrip(t *testing.T) {
	skey, vkey := mustKey(t, "parley.example.org")
	for _, n := range []int{0, 1, 2, 3, 1000} {
		tree := treeOf(t, testLog(n, 7))
		cp := mustSign(t, skey, tree)
		if !strings.HasPrefix(cp, string(tlog.FormatTree(tree))) || !strings.Contains(cp, "\n— parley.example.org ") {
			t.Errorf("got checkpoint %q, want the tree's text and a signature by parley.example.org", cp)
		}
		got, err := audit.Open(vkey, cp)
		if err != nil || got != tree {
			t.Errorf("Open(Sign(tree of %d)) = %+v, %v; want %+v, nil", n, got, err, tree)
		}
	}
}

func TestCheckpointRefused(t *testing.T) {
	skey, vkey := mustKey(t, "parley.example.org")
	otherSkey, _ := mustKey(t, "parley.example.org") // same name, other key
	strangerSkey, _ := mustKey(t, "stranger")
	tree := treeOf(t, testLog(10, 8))
	cp := mustSign(t, skey, tree)
	notTree, err := note.Sign(&note.Note{Text: "a ceasefire is agreed\n"}, mustSigner(t, skey))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, vkey, checkpoint, want string
	}{
		{"other key, same name", vkey, mustSign(t, otherSkey, tree), "not signed by parley.example.org"},
		{"other name", vkey, mustSign(t, strangerSkey, tree), "not signed by parley.example.org"},
		{"size edited", vkey, strings.Replace(cp, "\n10\n", "\n11\n", 1), "signature by parley.example.org is invalid"},
		{"unsigned", vkey, string(tlog.FormatTree(tree)), "malformed"},
		{"empty", vkey, "", "malformed"},
		{"not a tree", vkey, string(notTree), "not a log size and root hash"},
		{"signature dropped", vkey, cp[:strings.Index(cp, "\n\n")+2], "malformed"},
		{"bad verifier key", "parley.example.org+00000000+AAAA", cp, "verifier key"},
		{"signer key as verifier key", skey, cp, "verifier key"},
		{"huge", vkey, cp + strings.Repeat("x", 70000), "bytes long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := audit.Open(tc.vkey, tc.checkpoint)
			if err == nil {
				t.Fatalf("Open = %+v, nil; want an error mentioning %q", got, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %q, want it to mention %q", err, tc.want)
			}
			if strings.Contains(err.Error(), skey) {
				t.Errorf("got error %q quoting the signer key, want it kept secret", err)
			}
		})
	}
}

// TestCheckpointEveryByte edits each byte of a checkpoint in turn, in
// several ways, and checks that Open refuses every edit.
func TestCheckpointEveryByte(t *testing.T) {
	skey, vkey := mustKey(t, "parley.example.org")
	tree := treeOf(t, testLog(1234, 9))
	cp := mustSign(t, skey, tree)
	edits := 0
	for i := range len(cp) {
		for _, delta := range []byte{1, 2, 3, 0x20} {
			b := []byte(cp)
			b[i] ^= delta
			if got, err := audit.Open(vkey, string(b)); err == nil {
				t.Errorf("byte %d (%q) xor %#x: Open = %+v, nil; want an error", i, cp[i], delta, got)
			}
			edits++
		}
	}
	t.Logf("tried %d one-byte edits of a %d-byte checkpoint", edits, len(cp))
}

func TestKeyAndSignErrors(t *testing.T) {
	for _, name := range []string{"", "two words", "a+b", "tab\there", "bad\xffutf8"} {
		if _, _, err := audit.NewKey(name); err == nil {
			t.Errorf("NewKey(%q): got nil error, want one", name)
		}
	}
	skey, vkey := mustKey(t, "k")
	if _, err := audit.Sign(skey, -1, tlog.Hash{}); err == nil {
		t.Errorf("Sign(size -1): got nil error, want one")
	}
	for _, bad := range []string{"", vkey, "PRIVATE+KEY+k+00000000+AAAA"} {
		_, err := audit.Sign(bad, 1, tlog.Hash{})
		if err == nil {
			t.Errorf("Sign with key %q: got nil error, want one", bad)
		} else if strings.Contains(err.Error(), skey) {
			t.Errorf("got error %q quoting the signer key, want it kept secret", err)
		}
	}
}

func mustSigner(tb testing.TB, skey string) note.Signer {
	tb.Helper()
	s, err := note.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
