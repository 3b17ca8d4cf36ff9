// Package credential hashes and checks passwords and makes and hashes the
// random tokens of sessions and API access.
//
// Passwords are hashed with argon2id and stored as PHC strings
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash), so that a hash records the
// parameters it was made with and keeps working after they are raised.
package credential

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"parley"
)

// Params are the cost parameters of an argon2id hash.
type Params struct {
	// Memory is the memory cost in KiB.
	Memory uint32
	// Time is the number of passes over the memory.
	Time uint32
	// Threads is the degree of parallelism.
	Threads uint8
}

// The parameters of new hashes are OWASP's first recommendation for
// argon2id (m=19 MiB, t=2, p=1): about 20 ms and 19 MiB a sign-in, which a
// laptop serving a negotiating team can afford and a GPU farm cannot
// multiply cheaply.
const (
	memory  = 19 * 1024
	passes  = 2
	threads = 1
	saltLen = 16
	keyLen  = 32
)

// Bounds on the parameters a stored hash may ask for, so that a hostile
// or corrupted hash string cannot make a check allocate gigabytes or run
// for minutes.
const (
	maxMemory     = 1 << 20 // KiB: 1 GiB
	maxTime       = 100
	maxThreads    = 255
	minSaltLen    = 8
	maxSaltLen    = 64
	minKeyLen     = 16
	maxKeyLen     = 64
	argon2Version = 19 // 0x13, the only version argon2id has had since RFC 9106
)

// CurrentParams returns the parameters HashPassword uses for new hashes.
func CurrentParams() Params {
	return Params{Memory: memory, Time: passes, Threads: threads}
}

// b64 is the PHC string format's base64: standard alphabet, no padding.
// Strict refuses encodings with non-zero trailing bits, so that each salt
// and hash has exactly one spelling.
var b64 = base64.RawStdEncoding.Strict()

// HashPassword returns an argon2id hash of password with a fresh random
// salt, as a PHC string. Passwords are valid UTF-8 of at most
// parley.MaxPasswordLen bytes; parley.CheckPassword says why a password
// is refused before it gets here.
func HashPassword(password string) (string, error) {
	if len(password) > parley.MaxPasswordLen {
		return "", fmt.Errorf("credential: password is longer than %d bytes", parley.MaxPasswordLen)
	}
	if !utf8.ValidString(password) {
		return "", errors.New("credential: password is not valid UTF-8")
	}
	salt := make([]byte, saltLen)
	rand.Read(salt) // never fails: crypto/rand crashes the program rather than return weak bytes
	key := argon2.IDKey([]byte(password), salt, passes, memory, threads, keyLen)
	return encode(CurrentParams(), salt, key), nil
}

func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches the PHC string encoded,
// hashing it with the parameters stored in encoded. It returns an error,
// and never true, when encoded is not a well-formed argon2id hash within
// bounds.
func CheckPassword(encoded, password string) (ok bool, err error) {
	p, salt, key, err := parse(encoded)
	if err != nil {
		return false, err
	}
	if len(password) > parley.MaxPasswordLen {
		// HashPassword never hashed such a password, so it cannot match;
		// refusing it early also bounds the work an attacker can ask for.
		return false, nil
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	// Constant time, so that response times do not reveal how many leading
	// bytes of the hash a guess got right.
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters weaker
// than the current ones (less memory, fewer passes, a shorter salt or
// hash), or is malformed: after a successful sign-in, the caller should
// then store a fresh HashPassword of the password.
func NeedsRehash(encoded string) bool {
	p, salt, key, err := parse(encoded)
	if err != nil {
		return true
	}
	return p.Memory < memory || p.Time < passes || len(salt) < saltLen || len(key) < keyLen
}

// ParseParams returns the parameters of the PHC string encoded, or an
// error saying what is wrong with it. It checks the whole string, salt
// and hash included, as CheckPassword does.
func ParseParams(encoded string) (Params, error) {
	p, _, _, err := parse(encoded)
	return p, err
}

// DummyCheck hashes password once with the current parameters and
// discards the result. A sign-in for a name that has no account calls it
// in place of CheckPassword, so that it takes as long as one for a real
// account and response times do not reveal which names exist.
func DummyCheck(password string) {
	if len(password) > parley.MaxPasswordLen {
		return // as CheckPassword does
	}
	var salt [saltLen]byte
	argon2.IDKey([]byte(password), salt[:], passes, memory, threads, keyLen)
}

// parse parses and bounds a PHC argon2id string strictly: one spelling of
// each part, in the order HashPassword writes them.
func parse(encoded string) (p Params, salt, key []byte, err error) {
	fail := func(format string, args ...any) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("credential: malformed password hash: "+format, args...)
	}
	if len(encoded) > 512 {
		return fail("%d bytes long, more than any argon2id hash", len(encoded))
	}
	parts := strings.Split(encoded, "$")
	if parts[0] != "" {
		return fail("does not start with '$'")
	}
	if len(parts) != 6 {
		return fail("has %d '$'-separated parts, want 5 ($argon2id$v=19$m=…,t=…,p=…$salt$hash)", len(parts)-1)
	}
	if parts[1] != "argon2id" {
		return fail("algorithm is %q, want argon2id", parts[1])
	}
	v, ok := strings.CutPrefix(parts[2], "v=")
	if !ok {
		return fail("version %q does not start with v=", parts[2])
	}
	if n, err := number(v, argon2Version); err != nil || n != argon2Version {
		return fail("version is %q, want v=%d", parts[2], argon2Version)
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return fail("parameters %q are not m=…,t=…,p=…", parts[3])
	}
	var vals [3]uint64
	for i, spec := range []struct {
		name string
		max  uint64
	}{{"m", maxMemory}, {"t", maxTime}, {"p", maxThreads}} {
		s, ok := strings.CutPrefix(params[i], spec.name+"=")
		if !ok {
			return fail("parameter %d is %q, want %s=…", i+1, params[i], spec.name)
		}
		n, err := number(s, spec.max)
		if err != nil {
			return fail("parameter %s: %v", spec.name, err)
		}
		vals[i] = n
	}
	p = Params{Memory: uint32(vals[0]), Time: uint32(vals[1]), Threads: uint8(vals[2])}
	// RFC 9106: at least 8 KiB of memory per lane.
	if p.Memory < 8*uint32(p.Threads) {
		return fail("memory m=%d is less than 8 KiB per thread (p=%d)", p.Memory, p.Threads)
	}
	salt, err = decode64(parts[4])
	if err != nil {
		return fail("salt is not unpadded base64: %v", err)
	}
	if len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return fail("salt is %d bytes, want %d to %d", len(salt), minSaltLen, maxSaltLen)
	}
	key, err = decode64(parts[5])
	if err != nil {
		return fail("hash is not unpadded base64: %v", err)
	}
	if len(key) < minKeyLen || len(key) > maxKeyLen {
		return fail("hash is %d bytes, want %d to %d", len(key), minKeyLen, maxKeyLen)
	}
	return p, salt, key, nil
}

// decode64 decodes the PHC string format's base64. It refuses the
// line breaks that encoding/base64 skips, so that each salt and hash has
// one spelling.
func decode64(s string) ([]byte, error) {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return nil, fmt.Errorf("line break at offset %d", i)
	}
	return b64.DecodeString(s)
}

// number parses a decimal from 1 to max written without sign or leading
// zeros, so that each value has one spelling.
func number(s string, max uint64) (uint64, error) {
	if s == "" || s[0] == '0' || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a positive decimal number", s)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > max {
		return 0, fmt.Errorf("%s is more than %d", s, max)
	}
	return n, nil
}
