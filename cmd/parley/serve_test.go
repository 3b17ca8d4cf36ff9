package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/demo"
	"parley/sqlite"
)

// MustServe starts a server as parley serve does, on a free local port,
// and stops it at the end of the test.
func MustServe(tb testing.TB, m *Main) *Main {
	tb.Helper()
	if m.Addr == "" {
		m.Addr = "127.0.0.1:0"
	}
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := m.Open(context.Background()); err != nil {
		m.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := m.Close(); err != nil {
			tb.Error(err)
		}
	})
	return m
}

// signIn signs in through the sign-in form and returns a client that
// keeps the session cookie.
func signIn(t *testing.T, m *Main, name, password string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(m.URL+"signin", url.Values{"name": {name}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path == "/signin" {
		t.Fatalf("sign in as %s: got %s at %s, want the first page", name, resp.Status, resp.Request.URL)
	}
	return c
}

func TestServeDemo(t *testing.T) {
	m := MustServe(t, &Main{Demo: true, DemoPassword: "demo password for tests"})
	if resp, err := http.Get(m.URL + "api/v1/processes"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without signing in: got %v, %v; want 401", resp.Status, err)
	}
	resp, err := signIn(t, m, "observer", "demo password for tests").Get(m.URL + "api/v1/processes")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Items []struct{ ID, Name string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Name != demo.Name || list.Items[0].ID != m.DemoProcessID {
		t.Errorf("got processes %+v, want the demo process %s", list.Items, m.DemoProcessID)
	}
	dir := filepath.Dir(m.DBPath)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the temporary database %s is still there after Close (%v)", dir, err)
	}
}

func TestServeKeepsAnExistingDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	first := MustServe(t, &Main{DBPath: path, Demo: true})
	id := first.DemoProcessID
	first.Close()
	again := MustServe(t, &Main{DBPath: path, Demo: true})
	if again.DemoProcessID != id {
		t.Errorf("a second start with --demo loaded a new demo process %s, want the existing %s", again.DemoProcessID, id)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	m := MustServe(t, &Main{DBPath: src, Demo: true})
	m.Close()

	first := filepath.Join(dir, "first.json")
	if code, _, stderr := run(t, "", "export", demo.Name, "--db", src, "-o", first); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	dst := filepath.Join(dir, "dst.db")
	code, stdout, stderr := run(t, "", "import", first, "--db", dst)
	if code != 0 || !strings.Contains(stdout, "imported") {
		t.Fatalf("import: exit %d: %s%s", code, stdout, stderr)
	}
	code, again, stderr := run(t, "", "export", demo.Name, "--db", dst)
	if code != 0 {
		t.Fatalf("second export: exit %d: %s", code, stderr)
	}
	want, _ := os.ReadFile(first)
	if again != string(want) {
		t.Error("export → import → export changed the document")
	}
	// A second import clashes with the records already there.
	if code, _, stderr := run(t, "", "import", first, "--db", dst); code != 2 || !strings.Contains(stderr, "already") || strings.Contains(stderr, "parley conflict") {
		t.Errorf("second import: exit %d, %q; want 2 and a clash", code, stderr)
	}
}

func TestImportErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parley.db")
	tests := []struct {
		name, input, want string
	}{
		{"not JSON", "hello", "not valid JSON at byte 1"},
		{"unknown field", `{"schema": "parley.process/v1", "colour": 1}`, `unknown field "colour"`},
		{"wrong schema", `{"schema": "other/v1"}`, `schema "other/v1"`},
		{"no process", `{"schema": "parley.process/v1"}`, "no process"},
		{"trailing data", `{"schema": "parley.process/v1"} {}`, "after the archive"},
		{"invalid record", `{"schema": "parley.process/v1", "process": {"id": "p1", "name": "", "classification": {"level": "public"}}}`, "name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.input, "import", "-", "--db", db)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("got exit %d, %q; want 2 and %q", code, stderr, tt.want)
			}
		})
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("refused imports left a new database behind (%v)", err)
	}
	if code, _, stderr := run(t, "", "import", "--db", db); code != 2 || !strings.Contains(stderr, "missing FILE") {
		t.Errorf("import without a file: exit %d, %q", code, stderr)
	}
	if code, _, stderr := run(t, "", "migrate", "--db", db); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := run(t, "", "export", "nosuch", "--db", db); code != 2 || !strings.Contains(stderr, "no process") {
		t.Errorf("export of a missing process: exit %d, %q", code, stderr)
	}
	if code, _, stderr := run(t, "", "export", "x", "--db", filepath.Join(t.TempDir(), "none.db")); code != 2 || !strings.Contains(stderr, "no database") {
		t.Errorf("export from a missing database: exit %d, %q", code, stderr)
	}
}

func TestVersionAndUsage(t *testing.T) {
	if code, stdout, _ := run(t, "", "version"); code != 0 || !strings.HasPrefix(stdout, "parley ") {
		t.Errorf("version: exit %d, %q", code, stdout)
	}
	if code, stdout, _ := run(t, "", "help", "compare"); code != 0 || !strings.Contains(stdout, "Usage: parley compare") {
		t.Errorf("help compare: exit %d, %q", code, stdout)
	}
	code, stdout, _ := run(t, "", "help")
	for _, cmd := range []string{"serve", "compare", "import", "export", "migrate", "version"} {
		if code != 0 || !strings.Contains(stdout, "  "+cmd) {
			t.Errorf("help does not list %s: %q", cmd, stdout)
		}
	}
	if code, _, stderr := run(t, "", "serve", "extra"); code != 2 || !strings.Contains(stderr, "unexpected argument") {
		t.Errorf("serve with an argument: exit %d, %q", code, stderr)
	}
}

func TestMigrate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parley.db")
	if code, stdout, stderr := run(t, "", "migrate", "--db", db); code != 0 || !strings.Contains(stdout, "up to date") {
		t.Fatalf("migrate: exit %d, %q %q", code, stdout, stderr)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("migrate did not create the database: %v", err)
	}
}

// TestImportNeverTouchesADatabaseMadeMeanwhile: a new database is put in
// place only if nothing appeared at its path while it was being filled.
func TestImportNeverTouchesADatabaseMadeMeanwhile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	err := withNewDB(context.Background(), path, func(*sqlite.DB) error {
		return os.WriteFile(path, []byte("made by another command"), 0o644)
	})
	if err == nil || !strings.Contains(err.Error(), "meanwhile") {
		t.Errorf("got %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "made by another command" {
		t.Errorf("the other command's file now holds %q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("left %d files behind, want only the other command's", len(entries))
	}
}

// syncBuffer is a buffer that a command writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeCommand runs parley serve as the command line does: it prints
// the address once ready, answers there, and stops cleanly when its
// context ends (as on SIGINT or SIGTERM), finishing with exit status 0.
func TestServeCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- Run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0"}, nil, &stdout, &stderr) }()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stdout.String(), "ready at ") {
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 30 s: %q %q", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	url := strings.Fields(strings.SplitN(stdout.String(), "ready at ", 2)[1])[0]
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %s", url, resp.Status)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(stdout.String(), "stopping") {
			t.Errorf("exit %d, output %q %q; want 0 and a clean stop", code, stdout.String(), stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("still running 15 s after it was told to stop")
	}
	if _, err := http.Get(url); err == nil {
		t.Errorf("%s still answers after the stop", url)
	}
}

// TestServeAddressInUse: a taken address is reported with the way out.
func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := run(t, "", "serve", "--demo", "--addr", ln.Addr().String())
	if code != 1 || !strings.Contains(stderr, "--addr") {
		t.Errorf("got exit %d, %q; want 1 and a hint to use --addr", code, stderr)
	}
}
