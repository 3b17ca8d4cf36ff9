package credential_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"

	"parley"
	"parley/credential"
)

// mustHash returns HashPassword(pw), failing the test on an error.
func mustHash(tb testing.TB, pw string) string {
	tb.Helper()
	h, err := credential.HashPassword(pw)
	if err != nil {
		tb.Fatalf("HashPassword(%d bytes): %v", len(pw), err)
	}
	return h
}

// longPassword returns a valid UTF-8 password of exactly n bytes mixing
// ASCII and multi-byte characters.
func longPassword(n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString("mir·мир·سلام·שלום·和平 ")
	}
	s := b.String()[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1] // cut inside a character: drop its first bytes
	}
	return s + strings.Repeat("x", n-len(s))
}

func TestPasswordRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		pw   string
	}{
		{"ascii", "correct horse battery staple"},
		{"64 characters", strings.Repeat("Abcdefgh", 8)},
		{"non-ASCII", "Пароль для переговоров — 和平协议 — اتفاق سلام"},
		{"emoji", "🕊️🕊️🕊️ peace at last 🇺🇳"},
		{"spaces kept", "  leading and trailing spaces  "},
		{"max bytes", longPassword(parley.MaxPasswordLen)},
		{"empty", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := mustHash(t, tc.pw)
			ok, err := credential.CheckPassword(h, tc.pw)
			if err != nil || !ok {
				t.Fatalf("CheckPassword(hash, same password) = %v, %v; want true, nil", ok, err)
			}
			if credential.NeedsRehash(h) {
				t.Errorf("NeedsRehash(new hash) = true, want false")
			}
		})
	}
}

func TestLongPasswordHelper(t *testing.T) {
	for _, n := range []int{64, 1024} {
		pw := longPassword(n)
		if len(pw) != n || !utf8.ValidString(pw) || utf8.RuneCountInString(pw) == n {
			t.Errorf("longPassword(%d): got %d bytes, %d characters (valid UTF-8 %v), want %d bytes of valid UTF-8 with multi-byte characters", n, len(pw), utf8.RuneCountInString(pw), utf8.ValidString(pw), n)
		}
	}
}

func TestWrongPasswordRefused(t *testing.T) {
	const pw = "the ceasefire holds at dawn"
	h := mustHash(t, pw)
	tests := []struct {
		name string
		try  string
	}{
		{"different", "the ceasefire fails at dawn"},
		{"empty", ""},
		{"prefix", pw[:len(pw)-1]},
		{"extra byte", pw + "."},
		{"case", strings.ToUpper(pw)},
		{"trailing space", pw + " "},
		{"too long", pw + strings.Repeat("x", parley.MaxPasswordLen)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := credential.CheckPassword(h, tc.try)
			if err != nil || ok {
				t.Errorf("CheckPassword(hash, %q) = %v, %v; want false, nil", tc.try, ok, err)
			}
		})
	}
}

func TestHashPasswordRefuses(t *testing.T) {
	tests := []struct {
		name string
		pw   string
	}{
		{"too long", strings.Repeat("a", parley.MaxPasswordLen+1)},
		{"invalid UTF-8", "abc\xffdefghijklm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if h, err := credential.HashPassword(tc.pw); err == nil {
				t.Errorf("HashPassword = %q, nil; want an error", h)
			}
		})
	}
}

func TestHashFormat(t *testing.T) {
	h := mustHash(t, "a negotiated settlement")
	parts := strings.Split(h, "$")
	if len(parts) != 6 || parts[0] != "" {
		t.Fatalf("got %q, want $argon2id$v=19$m=…,t=…,p=…$salt$hash", h)
	}
	for i, want := range []string{1: "argon2id", 2: "v=19", 3: "m=19456,t=2,p=1"} {
		if i > 0 && parts[i] != want {
			t.Errorf("part %d: got %q, want %q", i, parts[i], want)
		}
	}
	for i, want := range map[int]int{4: 16, 5: 32} {
		if strings.ContainsAny(parts[i], "=-_") {
			t.Errorf("part %d: got %q, want unpadded standard base64", i, parts[i])
		}
		b, err := base64.RawStdEncoding.DecodeString(parts[i])
		if err != nil || len(b) != want {
			t.Errorf("part %d: got %d bytes (err %v), want %d", i, len(b), err, want)
		}
	}
	p, err := credential.ParseParams(h)
	if err != nil {
		t.Fatalf("ParseParams(%q): %v", h, err)
	}
	if want := (credential.Params{Memory: 19456, Time: 2, Threads: 1}); p != want || credential.CurrentParams() != want {
		t.Errorf("got params %+v (current %+v), want %+v", p, credential.CurrentParams(), want)
	}
	if h2 := mustHash(t, "a negotiated settlement"); h2 == h {
		t.Errorf("two hashes of one password are both %q, want different salts", h)
	}
}

// cheapHash is an argon2id hash of "password" with the smallest
// parameters (m=8, t=1, p=1), so that tests of old parameters run fast.
// It and referenceHashes were made with the reference implementation,
// libargon2 (argon2id_hash_encoded).
const cheapHash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8"

// referenceHashes are hashes made by libargon2, with the passwords they
// hash: CheckPassword must accept hashes made elsewhere, with other
// parameters, so that old hashes keep working.
var referenceHashes = []struct {
	name, encoded, password string
}{
	{"m=8 t=1 p=1", cheapHash, "password"},
	{"m=16 t=2 p=2", "$argon2id$v=19$m=16,t=2,p=2$c2FsdHNhbHRzYWx0c2FsdA$8k+XAl8tJiZZ8dUt1OeXYp/ZULTn93UB0LG3GcubYk4", "password"},
	{"current, non-ASCII", "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$WmNR8t/UV00Yq5+VuPs80+8gtIpBRNr+a0dxh8rgQyI", "Пароль мир"},
}

func TestReferenceHashes(t *testing.T) {
	for _, tc := range referenceHashes {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := credential.CheckPassword(tc.encoded, tc.password)
			if err != nil || !ok {
				t.Errorf("CheckPassword(hash, right password) = %v, %v; want true, nil", ok, err)
			}
			ok, err = credential.CheckPassword(tc.encoded, tc.password+"!")
			if err != nil || ok {
				t.Errorf("CheckPassword(hash, wrong password) = %v, %v; want false, nil", ok, err)
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	salt := base64.RawStdEncoding.EncodeToString(make([]byte, 16))
	key := base64.RawStdEncoding.EncodeToString(make([]byte, 32))
	tests := []struct {
		name    string
		encoded string
		want    bool
	}{
		{"current", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key, false},
		{"stronger", "$argon2id$v=19$m=65536,t=3,p=4$" + salt + "$" + key, false},
		{"less memory", "$argon2id$v=19$m=19455,t=2,p=1$" + salt + "$" + key, true},
		{"fewer passes", "$argon2id$v=19$m=19456,t=1,p=1$" + salt + "$" + key, true},
		{"short salt", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$" + key, true},
		{"short hash", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key[:22], true},
		{"cheap", cheapHash, true},
		{"malformed", "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := credential.NeedsRehash(tc.encoded); got != tc.want {
				t.Errorf("NeedsRehash(%q) = %v, want %v", tc.encoded, got, tc.want)
			}
		})
	}
}

// malformedHashes are PHC strings CheckPassword must refuse with an error.
var malformedHashes = []struct {
	name, encoded, want string // want is a part of the error message
}{
	{"empty", "", "parts"},
	{"dollar only", "$", "parts"},
	{"no leading dollar", "argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "start"},
	{"argon2i", "$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "algorithm"},
	{"argon2d", "$argon2d$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "algorithm"},
	{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", "parts"},
	{"upper-case algorithm", "$ARGON2ID$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "algorithm"},
	{"version 16", "$argon2id$v=16$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "version"},
	{"version empty", "$argon2id$v=$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "version"},
	{"version leading zero", "$argon2id$v=019$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "version"},
	{"version missing", "$argon2id$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parts"},
	{"no hash", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA", "parts"},
	{"empty hash", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$", "hash is 0 bytes"},
	{"empty salt", "$argon2id$v=19$m=8,t=1,p=1$$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "salt is 0 bytes"},
	{"extra part", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8$", "parts"},
	{"params missing", "$argon2id$v=19$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parts"},
	{"params two", "$argon2id$v=19$m=8,t=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameters"},
	{"params reordered", "$argon2id$v=19$t=1,m=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "want m="},
	{"params spaced", "$argon2id$v=19$m=8, t=1, p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "want t="},
	{"m zero", "$argon2id$v=19$m=0,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter m"},
	{"m negative", "$argon2id$v=19$m=-8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter m"},
	{"m plus", "$argon2id$v=19$m=+8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter m"},
	{"m leading zero", "$argon2id$v=19$m=08,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter m"},
	{"m over 1 GiB", "$argon2id$v=19$m=1048577,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter m"},
	{"m over uint32", "$argon2id$v=19$m=4294967304,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter m"},
	{"m huge", "$argon2id$v=19$m=99999999999999999999999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter m"},
	{"m not a number", "$argon2id$v=19$m=lots,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter m"},
	{"m below 8 per thread", "$argon2id$v=19$m=15,t=1,p=2$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "8 KiB per thread"},
	{"t zero", "$argon2id$v=19$m=8,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter t"},
	{"t 101", "$argon2id$v=19$m=8,t=101,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter t"},
	{"p zero", "$argon2id$v=19$m=8,t=1,p=0$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter p"},
	{"p 256", "$argon2id$v=19$m=4096,t=1,p=256$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "parameter p"},
	{"salt padded", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA==$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "salt"},
	{"salt url alphabet", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRz_Wx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "salt"},
	{"salt trailing bits", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdB$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "salt"},
	{"salt short", "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "salt is 4 bytes"},
	{"salt long", "$argon2id$v=19$m=8,t=1,p=1$" + strings.Repeat("A", 88) + "$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8", "salt is 66 bytes"},
	{"hash bad base64", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aYz9+L9shxd6lYIVCwuOzKyv0++1K6QByjxM0cnQ59!", "hash is not"},
	{"hash short", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aYz9+L9shxd6lYIV", "hash is 12 bytes"},
	{"hash long", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 88), "hash is 66 bytes"},
	{"huge string", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 10000), "bytes long"},
	{"newline", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$lMPgVYwd4ZAQkOipZGNRk1H0ZPrbAaRuGKXEIUYK9t8\n", "hash is not"},
}

func TestMalformedHash(t *testing.T) {
	for _, tc := range malformedHashes {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := credential.CheckPassword(tc.encoded, "password")
			if err == nil || ok {
				t.Fatalf("CheckPassword(%q) = %v, %v; want false and an error", tc.encoded, ok, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %q, want it to mention %q", err, tc.want)
			}
			if _, err := credential.ParseParams(tc.encoded); err == nil {
				t.Errorf("ParseParams(%q) = nil error, want one", tc.encoded)
			}
		})
	}
}

func TestDummyCheck(t *testing.T) {
	// DummyCheck has no result; this checks that it accepts every
	// password CheckPassword does without panicking.
	for _, pw := range []string{"", "x", longPassword(parley.MaxPasswordLen), longPassword(parley.MaxPasswordLen + 1)} {
		credential.DummyCheck(pw)
	}
}

func FuzzCheckPassword(f *testing.F) {
	f.Add(cheapHash, "password")
	f.Add(cheapHash, "")
	for _, tc := range referenceHashes {
		f.Add(tc.encoded, tc.password)
	}
	for _, tc := range malformedHashes {
		f.Add(tc.encoded, "password")
	}
	f.Fuzz(func(t *testing.T, encoded, password string) {
		p, perr := credential.ParseParams(encoded)
		if perr == nil && uint64(p.Memory)*uint64(p.Time) > 1<<16 {
			// Well-formed but costly: hashing it is slow by design, and
			// the fuzzer would spend its time there rather than in the
			// parser.
			t.Skip("costly parameters")
		}
		ok, err := credential.CheckPassword(encoded, password)
		if (err == nil) != (perr == nil) {
			t.Fatalf("CheckPassword error %v, ParseParams error %v; want both or neither", err, perr)
		}
		if err != nil && ok {
			t.Fatalf("CheckPassword = true, %v; want false with an error", err)
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := credential.HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	h := mustHash(b, "correct horse battery staple")
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := credential.CheckPassword(h, "correct horse battery staple"); !ok || err != nil {
			b.Fatalf("CheckPassword = %v, %v", ok, err)
		}
	}
}
