package audit

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// maxCheckpoint bounds the checkpoint text Open reads: a checkpoint is a
// few hundred bytes, and it may come from a form.
const maxCheckpoint = 64 << 10

// NewKey returns a new Ed25519 key pair for signing checkpoints, in the
// text forms of golang.org/x/mod/sumdb/note: the signer key, which is
// secret, and the verifier key, which is given to whoever keeps
// checkpoints. The name, such as a host name, is shown in every
// signature; it must be non-empty UTF-8 without spaces or '+'.
func NewKey(name string) (signerKey, verifierKey string, err error) {
	if name == "" || !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsSpace) >= 0 || strings.Contains(name, "+") {
		return "", "", fmt.Errorf("audit: key name %q must be non-empty UTF-8 without spaces or '+'", name)
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		return "", "", fmt.Errorf("audit: generating a key: %v", err)
	}
	return skey, vkey, nil
}

// Sign returns a checkpoint of the log of size records with the given
// root hash: a note whose text is the tree in tlog's format, signed with
// signerKey.
func Sign(signerKey string, size int64, root tlog.Hash) (string, error) {
	if size < 0 {
		return "", fmt.Errorf("audit: cannot sign a log of %d records", size)
	}
	s, err := note.NewSigner(signerKey)
	if err != nil {
		// The key itself is not quoted: it is a secret.
		return "", fmt.Errorf("audit: the signer key is malformed: %v", err)
	}
	msg, err := note.Sign(&note.Note{Text: string(tlog.FormatTree(tlog.Tree{N: size, Hash: root}))}, s)
	if err != nil {
		return "", fmt.Errorf("audit: signing the checkpoint: %v", err)
	}
	return string(msg), nil
}

// Open checks that checkpoint is signed by verifierKey and returns the
// tree it states. It refuses a checkpoint whose text or signature was
// altered, one signed with another key, and text that is not a tree.
func Open(verifierKey, checkpoint string) (tlog.Tree, error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		// The key is not quoted: a signer key given by mistake is a secret.
		return tlog.Tree{}, fmt.Errorf("audit: the verifier key is malformed: %v", err)
	}
	if len(checkpoint) > maxCheckpoint {
		return tlog.Tree{}, fmt.Errorf("audit: the checkpoint is %d bytes long; a checkpoint is a few hundred", len(checkpoint))
	}
	n, err := note.Open([]byte(checkpoint), note.VerifierList(v))
	var unverified *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	switch {
	case errors.As(err, &unverified):
		return tlog.Tree{}, fmt.Errorf("audit: the checkpoint is not signed by %s: it was signed with another key, or its signature was altered", v.Name())
	case errors.As(err, &invalid):
		return tlog.Tree{}, fmt.Errorf("audit: the checkpoint's signature by %s is invalid: its text or its signature was altered", v.Name())
	case err != nil:
		return tlog.Tree{}, fmt.Errorf("audit: the checkpoint is malformed: %v", err)
	}
	for _, sig := range n.Sigs {
		// encoding/base64 ignores the unused low bits of the last
		// character, so a signature can be spelled several ways; accept
		// only the one Sign writes, so that no byte of a checkpoint can
		// change unnoticed.
		if b, err := base64.StdEncoding.DecodeString(sig.Base64); err != nil || base64.StdEncoding.EncodeToString(b) != sig.Base64 {
			return tlog.Tree{}, fmt.Errorf("audit: the checkpoint's signature by %s is not in canonical form: it was altered", sig.Name)
		}
	}
	tree, err := tlog.ParseTree([]byte(n.Text))
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("audit: the checkpoint's text is not a log size and root hash: %v", err)
	}
	return tree, nil
}
