package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"parley/demo"
)

// mustDemoDB makes a database holding the demo, closed again, for the
// commands that need an existing one.
func mustDemoDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "parley.db")
	m := MustServe(t, &Main{DBPath: path, Demo: true, DemoPassword: "demo password for tests"})
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUserCommands(t *testing.T) {
	db := mustDemoDB(t)
	steps := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string // a part of the output, or of the error when code != 0
	}{
		{"add", "a long enough password\n", []string{"user", "add", "analyst", "--display", "An Analyst"}, 0, "created analyst"},
		{"add twice", "a long enough password\n", []string{"user", "add", "analyst"}, 2, "exists already"},
		{"short password", "short\n", []string{"user", "add", "other"}, 2, "at least 12"},
		{"no password", "", []string{"user", "add", "other"}, 2, "no password"},
		{"bad name", "a long enough password\n", []string{"user", "add", "Bad Name"}, 2, "lower-case"},
		{"list", "", []string{"user", "list"}, 0, "analyst"},
		{"grant", "", []string{"user", "grant", "analyst", demo.Name, "delegate", "Ukraine"}, 0, "delegate"},
		{"grant unknown party", "", []string{"user", "grant", "analyst", demo.Name, "delegate", "Atlantis"}, 2, "no party"},
		{"grant unknown role", "", []string{"user", "grant", "analyst", demo.Name, "king"}, 2, "unknown role"},
		{"passwd", "another long password\n", []string{"user", "passwd", "analyst"}, 0, "sessions have ended"},
		{"disable", "", []string{"user", "disable", "analyst"}, 0, "analyst disabled"},
		{"enable", "", []string{"user", "enable", "analyst"}, 0, "analyst enabled"},
		{"revoke", "", []string{"user", "revoke", "analyst", demo.Name}, 0, "no longer a member"},
		{"unknown user", "", []string{"user", "disable", "nobody"}, 2, "not found"},
		{"unknown command", "", []string{"user", "promote", "analyst"}, 2, "unknown command"},
	}
	for _, st := range steps {
		args := append(st.args, "--db", db)
		code, stdout, stderr := run(t, st.stdin, args...)
		out := stdout
		if st.code != 0 {
			out = stderr
		}
		if code != st.code || !strings.Contains(out, st.stdout) {
			t.Errorf("%s: got exit %d, %q%q; want %d and %q", st.name, code, stdout, stderr, st.code, st.stdout)
		}
	}
}

func TestTokenCommands(t *testing.T) {
	db := mustDemoDB(t)
	code, secret, stderr := run(t, "", "token", "create", "mediator", "nightly export", "--db", db)
	if code != 0 || !strings.HasPrefix(secret, "parley_") {
		t.Fatalf("create: exit %d, %q %q", code, secret, stderr)
	}
	id := strings.Fields(stderr)[1]
	code, list, _ := run(t, "", "token", "list", "mediator", "--db", db)
	if code != 0 || !strings.Contains(list, "nightly export") || strings.Contains(list, strings.TrimSpace(secret)) {
		t.Errorf("list: exit %d, %q; want the token's name and never its secret", code, list)
	}
	if code, out, stderr := run(t, "", "token", "revoke", id, "--db", db); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("revoke %s: exit %d, %q %q", id, code, out, stderr)
	}
	if code, _, stderr := run(t, "", "token", "revoke", "nosuchtoken", "--db", db); code != 2 || !strings.Contains(stderr, "not found") {
		t.Errorf("revoke unknown: exit %d, %q", code, stderr)
	}
}

func TestAuditCommands(t *testing.T) {
	db := mustDemoDB(t)
	code, cp, stderr := run(t, "", "audit", "checkpoint", "--db", db)
	if code != 0 || !strings.Contains(cp, "\n\u2014 parley-audit ") {
		t.Fatalf("checkpoint: exit %d, %q %q", code, cp, stderr)
	}
	cpFile := filepath.Join(t.TempDir(), "checkpoint.txt")
	if err := os.WriteFile(cpFile, []byte(cp), 0o600); err != nil {
		t.Fatal(err)
	}
	// More writes after the checkpoint: still consistent with it.
	if code, _, stderr := run(t, "a long enough password\n", "user", "add", "late", "--db", db); code != 0 {
		t.Fatalf("add: %s", stderr)
	}
	code, out, stderr := run(t, "", "audit", "verify", cpFile, "--db", db)
	if code != 0 || !strings.Contains(out, "consistent with the checkpoint") {
		t.Fatalf("verify: exit %d, %q %q", code, out, stderr)
	}
	// Edit one record in place: verify fails with exit 1.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE audit_log SET actor = 'someone else' WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, out, stderr = run(t, "", "audit", "verify", cpFile, "--db", db)
	if code != 1 || !strings.Contains(stderr, "audit log") {
		t.Errorf("verify after an edit: exit %d, %q %q; want 1 and the failure", code, out, stderr)
	}
	// A checkpoint edited by one character is refused.
	bad := strings.Replace(cp, "\n", "\n ", 1)
	if code, _, stderr := run(t, bad, "audit", "verify", "-", "--db", db); code == 0 || !strings.Contains(stderr, "checkpoint") {
		t.Errorf("verify with an edited checkpoint: exit %d, %q", code, stderr)
	}
}
