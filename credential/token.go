package credential

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// NewToken returns 128 random bits as unpadded base64url: 22 characters,
// safe in cookies and URLs. Sessions use it.
func NewToken() string {
	var b [16]byte
	rand.Read(b[:]) // never fails: crypto/rand crashes the program rather than return weak bytes
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// NewSecret returns prefix followed by 256 random bits as unpadded
// base64url (43 characters), for API tokens: a prefix such as "parley_"
// lets secret scanners and people recognise a leaked token.
func NewSecret(prefix string) string {
	var b [32]byte
	rand.Read(b[:])
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// HashToken returns the hex SHA-256 of token, the form in which session
// and API tokens are stored, so that a copy of the database grants no
// access. A fast hash is right here, unlike for passwords: a token carries
// at least 128 random bits, so there is nothing to guess and nothing a
// slow hash would protect; and tokens are checked on every request.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
