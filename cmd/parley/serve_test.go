package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
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
	_, first := exportedDemo(t, dir)
	dst := filepath.Join(dir, "dst.db")
	importExport(t, first, dst)
	// A second import clashes with the records already there.
	if code, _, stderr := run(t, "", "import", first, "--db", dst); code != 2 || !strings.Contains(stderr, "already") || strings.Contains(stderr, "parley conflict") {
		t.Errorf("second import: exit %d, %q; want 2 and a clash", code, stderr)
	}
}

// exportedDemo serves the demo on a new SQLite file in dir, stops, and
// exports the demo process with parley export: it returns the database
// and the export's file.
func exportedDemo(t *testing.T, dir string) (db, file string) {
	t.Helper()
	db, file = filepath.Join(dir, "src.db"), filepath.Join(dir, "first.json")
	MustServe(t, &Main{DBPath: db, Demo: true}).Close()
	if code, _, stderr := run(t, "", "export", demo.Name, "--db", db, "-o", file); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	return db, file
}

// importExport imports the export in file into the database db with parley
// import, exports the demo process from db again, and fails unless the
// two exports are the same byte for byte. It returns the second export.
func importExport(t *testing.T, file, db string) string {
	t.Helper()
	if code, stdout, stderr := run(t, "", "import", file, "--db", db); code != 0 || !strings.Contains(stdout, "imported") {
		t.Fatalf("import into %s: exit %d: %s%s", dbLabel(db), code, stdout, stderr)
	}
	code, again, stderr := run(t, "", "export", demo.Name, "--db", db)
	if code != 0 {
		t.Fatalf("export from %s: exit %d: %s", dbLabel(db), code, stderr)
	}
	if want, _ := os.ReadFile(file); again != string(want) {
		t.Fatalf("export → import into %s → export changed the document", dbLabel(db))
	}
	return again
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
	// The access log is on by default.
	if !regexp.MustCompile(`msg=request method=GET route="GET /processes/\{id\}" path=/processes/\w+ status=303 bytes=\d+ duration_ms=[\d.]+ remote=127.0.0.1:\d+ request_id=[0-9a-f]{16}\n`).MatchString(stderr.String()) {
		t.Errorf("no access log record of the first request:\n%s", stderr.String())
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

// TestServeDrainsGracefully: when Close starts, /readyz turns to 503 for
// the drain delay while the server still answers, then the listener
// closes and new connections are refused, while a request in flight
// finishes with 200; Close returns once it has.
func TestServeDrainsGracefully(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	m := MustServe(t, &Main{DrainDelay: 2 * time.Second, ShutdownTimeout: time.Minute, wrap: func(h http.Handler) http.Handler {
		// A request marked slow waits for the test, then goes to the
		// server as any other.
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Slow") != "" {
				close(started)
				<-release
			}
			h.ServeHTTP(w, r)
		})
	}})
	addr := strings.TrimSuffix(strings.TrimPrefix(m.URL, "http://"), "/")
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

	type answer struct {
		status int
		body   string
		err    error
	}
	slow := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, m.URL+"api/v1/version", nil)
		req.Header.Set("Slow", "yes")
		resp, err := fresh.Do(req)
		if err != nil {
			slow <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		slow <- answer{resp.StatusCode, string(b), err}
	}()
	<-started
	closed := make(chan error, 1)
	go func() { closed <- m.Close() }()

	// While draining, the server answers, and /readyz says it drains.
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := fresh.Get(m.URL + "readyz")
		if err != nil {
			t.Fatalf("the listener closed before /readyz answered 503: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable && string(b) == "shutting down\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still answers %d %q", resp.StatusCode, b)
		}
	}
	// Then the listener closes.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("new connections are still accepted")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) with a request in flight", err)
	default:
	}
	close(release)
	if a := <-slow; a.err != nil || a.status != http.StatusOK || !strings.Contains(a.body, `"version"`) {
		t.Errorf("the request in flight: got %d %q %v, want 200 and the version", a.status, a.body, a.err)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := fresh.Get(m.URL + "healthz"); err == nil {
		t.Error("the server answers after Close")
	}
}

// TestServeOperations: /healthz, /readyz and /metrics on the demo,
// /metrics behind its token, and /readyz on a database whose schema has
// become out of date under the running server.
func TestServeOperations(t *testing.T) {
	const token = "metrics token for tests"
	m := MustServe(t, &Main{Demo: true, MetricsToken: token})
	get := func(path, auth string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, m.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("healthz", ""); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz: got %d %q", code, body)
	}
	if code, body := get("readyz", ""); code != http.StatusOK || body != "ready\n" {
		t.Errorf("/readyz: got %d %q", code, body)
	}
	if code, _ := get("metrics", ""); code != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: got %d, want 401", code)
	}
	code, body := get("metrics", "Bearer "+token)
	if code != http.StatusOK {
		t.Fatalf("/metrics with the token: got %d %q", code, body)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^parley_build_info\{version="[^"]+"\} 1$`),
		regexp.MustCompile(`(?m)^parley_http_requests_total\{route="GET /readyz",method="GET",code="200"\} 1$`),
		regexp.MustCompile(`(?m)^parley_http_requests_total\{route="GET /metrics",method="GET",code="401"\} 1$`),
		regexp.MustCompile(`(?m)^parley_db_open_connections\{pool="read"\} \d+$`),
		regexp.MustCompile(`(?m)^parley_db_open_connections\{pool="write"\} \d+$`),
		regexp.MustCompile(`(?m)^parley_audit_log_records [1-9]\d*$`),
		regexp.MustCompile(`(?m)^go_goroutines [1-9]\d*$`),
	} {
		if !want.MatchString(body) {
			t.Errorf("/metrics has no line matching %s:\n%s", want, body)
		}
	}

	// The last migration forgotten, as if the binary were newer than
	// the database.
	raw, err := sql.Open("sqlite", m.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)"); err != nil {
		t.Fatal(err)
	}
	if code, body := get("readyz", ""); code != http.StatusServiceUnavailable || !strings.Contains(body, "out of date") {
		t.Errorf("/readyz on an out-of-date schema: got %d %q, want 503 saying so", code, body)
	}
	if code, body := get("healthz", ""); code != http.StatusOK {
		t.Errorf("/healthz on an out-of-date schema: got %d %q, want 200: the process is alive", code, body)
	}
}

// TestServeOperationsFlags: the environment twins of the typed flags are
// read with the flags' parsers, and nonsense is refused.
func TestServeOperationsFlags(t *testing.T) {
	for _, tt := range []struct {
		env, value string
		args       []string
		want       string
	}{
		{"PARLEY_ACCESS_LOG", "perhaps", nil, "PARLEY_ACCESS_LOG"},
		{"PARLEY_SHUTDOWN_TIMEOUT", "ten", nil, "PARLEY_SHUTDOWN_TIMEOUT"},
		{"PARLEY_DRAIN_DELAY", "-1s", nil, "--drain-delay"},
		{"", "", []string{"--shutdown-timeout", "0s"}, "--shutdown-timeout"},
	} {
		if tt.env != "" {
			t.Setenv(tt.env, tt.value)
		}
		code, _, stderr := run(t, "", append([]string{"serve", "--demo", "--addr", "127.0.0.1:0"}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s=%q %v: got exit %d, %q; want 2 naming %s", tt.env, tt.value, tt.args, code, stderr, tt.want)
		}
		if tt.env != "" {
			os.Unsetenv(tt.env)
		}
	}
}
