package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"parley"
	"parley/sqlite"
	"parley/web"
)

// opsRoutes are the matrix's entries for the operations endpoints, which
// answer everyone alike.
func (f *authzFixture) opsRoutes(rs map[string]route) {
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		rs["GET "+path] = route{probes: func(role) []probe {
			return []probe{{act: actOpen, call: getCall(path), ok: http.StatusOK}}
		}}
	}
}

// opsPaths are the paths of the operations endpoints for
// TestNoGetChangesAnything.
func opsPaths() map[string][]string {
	return map[string][]string{"GET /healthz": {"/healthz"}, "GET /readyz": {"/readyz"}, "GET /metrics": {"/metrics"}}
}

// dbHealth is the Health of a test environment's own database, which
// exists only once the server's options are given: set DB before the
// first request.
type dbHealth struct{ *sqlite.DB }

// newOpsEnv starts a test environment whose server asks its database for
// its health.
func newOpsEnv(tb testing.TB, opt web.Options) *testEnv {
	tb.Helper()
	h := &dbHealth{}
	opt.Health = h
	env := newTestEnvWith(tb, opt)
	h.DB = env.DB
	return env
}

// scrape reads /metrics from env without credentials, checks that it is
// well-formed, and returns it.
func scrape(tb testing.TB, env *testEnv) (*exposition, string) {
	tb.Helper()
	p := pageGet(tb, env.Anonymous(), "/metrics")
	if p.Status != http.StatusOK {
		tb.Fatalf("GET /metrics: got %d %q, want 200", p.Status, p.Body)
	}
	if ct := p.Header.Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		tb.Errorf("GET /metrics: Content-Type %q, want the text exposition format 0.0.4", ct)
	}
	e, err := parseExposition(p.Body)
	if err != nil {
		tb.Fatalf("GET /metrics: %v\n%s", err, p.Body)
	}
	return e, p.Body
}

func TestHealthzAndReadyzWithoutStore(t *testing.T) {
	env := newTestEnv(t).Anonymous()
	for _, tt := range []struct{ path, want string }{{"/healthz", "ok\n"}, {"/readyz", "ready\n"}} {
		p := pageGet(t, env, tt.path)
		if p.Status != http.StatusOK || p.Body != tt.want {
			t.Errorf("GET %s: got %d %q, want 200 %q", tt.path, p.Status, p.Body, tt.want)
		}
		if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("GET %s: Content-Type %q, want text/plain", tt.path, ct)
		}
		if cc := p.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", tt.path, cc)
		}
	}
}

// TestReadyz: /readyz asks the database, reports an out-of-date schema,
// and answers 503 while the server drains; /healthz answers all along.
func TestReadyz(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var logs logBuffer
	srv, err := web.New(db.Services(), web.Options{Health: db, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	get := func(path string) (int, string, bool) {
		t.Helper()
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Close
	}
	if code, body, _ := get("/readyz"); code != http.StatusOK || body != "ready\n" {
		t.Fatalf("a current database: got %d %q, want 200 ready", code, body)
	}

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var last string
	var applied any
	must(t, raw.QueryRow("SELECT name, applied FROM schema_migrations ORDER BY name DESC LIMIT 1").Scan(&last, &applied))
	if _, err := raw.Exec("DELETE FROM schema_migrations WHERE name = $1", last); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		code, body, _ := get("/readyz")
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "out of date") ||
			strings.Count(body, "\n") != 1 || !strings.HasSuffix(body, "\n") {
			t.Errorf("an out-of-date schema: got %d %q, want 503 and one line saying so", code, body)
		}
	}
	if n := strings.Count(logs.String(), "not ready"); n != 1 {
		t.Errorf("two failed probes logged %d times, want once:\n%s", n, logs.String())
	}
	if _, err := raw.Exec("INSERT INTO schema_migrations (name, applied) VALUES ($1, $2)", last, applied); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := get("/readyz"); code != http.StatusOK {
		t.Errorf("the schema current again: got %d %q, want 200", code, body)
	}
	if !strings.Contains(logs.String(), "ready again") {
		t.Errorf("the recovery is not logged:\n%s", logs.String())
	}

	srv.Drain()
	if code, body, _ := get("/readyz"); code != http.StatusServiceUnavailable || body != "shutting down\n" {
		t.Errorf("draining: got %d %q, want 503 \"shutting down\"", code, body)
	}
	code, body, closes := get("/healthz")
	if code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz while draining: got %d %q, want 200 ok", code, body)
	}
	if !closes {
		t.Error("a response while draining does not close the connection, so that clients reconnect elsewhere")
	}
}

// TestMetricsCountsRoutes: requests are counted by route pattern, method
// and status, whatever answered them; no ID or path reaches the metrics.
func TestMetricsCountsRoutes(t *testing.T) {
	env := newOpsEnv(t, web.Options{})
	proc := &parley.Process{Name: "Counted", Classification: parley.Classification{Level: parley.Public}}
	must(t, env.Svc.Processes.CreateProcess(env.Ctx, proc))
	madeUp := "madeup" + strings.Repeat("x", 10)
	calls := []struct {
		env    *testEnv
		method string
		path   string
		want   int
	}{
		{env, "GET", "/processes/" + proc.ID, 200},
		{env, "GET", "/processes/" + proc.ID, 200},
		{env, "GET", "/processes/" + proc.ID + "/search?q=secretword", 200},
		{env, "GET", "/api/v1/processes/" + madeUp, 404},
		{env.Anonymous(), "GET", "/processes/" + proc.ID, 303},      // refused before the routes
		{env, "GET", "/no/such/" + madeUp, 404},                     // the pages' catch-all
		{env, "DELETE", "/api/v1/no/such/" + madeUp, 404},           // the API's catch-all
		{env, "BREW", "/processes/" + proc.ID, 405},                 // no such method
		{env, "POST", "/processes/" + proc.ID + "/edit", 400},       // an error
		{env.Anonymous(), "HEAD", "/healthz", 200},                  // HEAD by a GET route
		{env.Anonymous(), "GET", "/static/" + madeUp + ".css", 404}, // an open route
	}
	for _, c := range calls {
		req, err := http.NewRequest(c.method, env.URL+c.path, nil)
		must(t, err)
		if c.method == "POST" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if p := pageDo(t, c.env, req); p.Status != c.want {
			t.Fatalf("%s %s: got %d, want %d", c.method, c.path, p.Status, c.want)
		}
	}
	e, text := scrape(t, env)
	for _, tt := range []struct {
		route, method string
		code          int
		want          float64
	}{
		{"GET /processes/{id}", "GET", 200, 2},
		{"GET /processes/{id}/search", "GET", 200, 1},
		{"GET /api/v1/processes/{id}", "GET", 404, 1},
		{"GET /processes/{id}", "GET", 303, 1},
		{"unmatched", "GET", 404, 1},
		{"unmatched", "DELETE", 404, 1},
		{"unmatched", "other", 405, 1},
		{"POST /processes/{id}/edit", "POST", 400, 1},
		{"GET /healthz", "HEAD", 200, 1},
		{"GET /static/{file}", "GET", 404, 1},
		{"POST /signin", "POST", 303, 1}, // the environment's own sign-in
	} {
		key := series("parley_http_requests_total", "route", tt.route, "method", tt.method, "code", strconv.Itoa(tt.code))
		if got, ok := e.samples[key]; !ok || got != tt.want {
			t.Errorf("%s: got %v (present: %v), want %v", key, got, ok, tt.want)
		}
	}
	if got := e.samples[series("parley_http_request_duration_seconds_count", "route", "GET /processes/{id}")]; got != 3 {
		t.Errorf("duration count of GET /processes/{id}: got %v, want 3 (two answers and a refusal)", got)
	}
	if got := e.samples["parley_http_requests_in_flight"]; got != 1 {
		t.Errorf("requests in flight during the scrape: got %v, want 1, the scrape", got)
	}
	for _, leak := range []string{proc.ID, madeUp, "secretword", "/no/such", "BREW"} {
		if strings.Contains(text, leak) {
			t.Errorf("the metrics hold %q, which only a request's path or method holds", leak)
		}
	}
	// Every route label is a pattern of the route tables, or unmatched.
	routes := append(env.Server.Routes(), "unmatched")
	for key := range e.samples {
		if m := regexp.MustCompile(`route="([^"]*)"`).FindStringSubmatch(key); m != nil && !slices.Contains(routes, m[1]) {
			t.Errorf("%s: the route label is no route pattern", key)
		}
	}
}

// TestMetricsStore: the store's pools and audit log, and the build's
// version with characters the format escapes.
func TestMetricsStore(t *testing.T) {
	version := "v1 \"quoted\" back\\slash\nnext line"
	env := newOpsEnv(t, web.Options{Version: version})
	proc := &parley.Process{Name: "Audited", Classification: parley.Classification{Level: parley.Public}}
	must(t, env.Svc.Processes.CreateProcess(env.Ctx, proc))
	records, err := env.DB.AuditSize(context.Background())
	must(t, err)
	e, _ := scrape(t, env)
	if got := e.samples[series("parley_build_info", "version", version)]; got != 1 {
		t.Errorf("parley_build_info of version %q: got %v, want 1; series: %v", version, got, e.names())
	}
	if got := e.samples["parley_audit_log_records"]; records == 0 || got != float64(records) {
		t.Errorf("parley_audit_log_records: got %v, want %d", got, records)
	}
	pools := env.DB.Pools()
	for name, st := range pools {
		for _, f := range []struct {
			family string
			want   float64
		}{
			{"parley_db_open_connections", -1},
			{"parley_db_in_use_connections", -1},
			{"parley_db_idle_connections", -1},
			{"parley_db_max_open_connections", float64(st.MaxOpenConnections)},
			{"parley_db_wait_count_total", -1},
			{"parley_db_wait_seconds_total", -1},
		} {
			got, ok := e.samples[series(f.family, "pool", name)]
			if !ok || got < 0 || (f.want >= 0 && got != f.want) {
				t.Errorf("%s{pool=%q}: got %v (present: %v), want %v", f.family, name, got, ok, f.want)
			}
		}
	}
	if len(pools) == 0 {
		t.Fatal("the store reports no pools")
	}
	for _, name := range []string{"go_goroutines", "go_heap_objects_bytes", "go_memory_mapped_bytes", "go_gc_cycles_total"} {
		if got, ok := e.samples[name]; !ok || (name != "go_gc_cycles_total" && got <= 0) {
			t.Errorf("%s: got %v (present: %v), want a figure", name, got, ok)
		}
	}
}

// TestMetricsWithoutStore: with no Health, /metrics has no store figures.
func TestMetricsWithoutStore(t *testing.T) {
	e, _ := scrape(t, newTestEnv(t))
	for _, name := range e.names() {
		if strings.HasPrefix(name, "parley_db_") || strings.HasPrefix(name, "parley_audit_") {
			t.Errorf("%s without a store", name)
		}
	}
	if _, ok := e.types["parley_http_requests_total"]; !ok {
		t.Error("no parley_http_requests_total")
	}
}

func TestMetricsToken(t *testing.T) {
	const token = "scrape-token-0123456789"
	env := newTestEnvWith(t, web.Options{MetricsToken: token})
	anon := env.Anonymous()
	for _, tt := range []struct {
		name, auth string
		want       int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"wrong token", "Bearer not-the-token", http.StatusUnauthorized},
		{"a prefix of the token", "Bearer " + token[:10], http.StatusUnauthorized},
		{"the token and more", "Bearer " + token + "x", http.StatusUnauthorized},
		{"another scheme", "Basic " + token, http.StatusUnauthorized},
		{"no scheme", token, http.StatusUnauthorized},
		{"the token", "Bearer " + token, http.StatusOK},
		{"the scheme in lower case", "bearer " + token, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, env.URL+"/metrics", nil)
			must(t, err)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			p := pageDo(t, anon, req)
			if p.Status != tt.want {
				t.Fatalf("got %d %q, want %d", p.Status, p.Body, tt.want)
			}
			if tt.want == http.StatusUnauthorized {
				if !strings.HasPrefix(p.Header.Get("WWW-Authenticate"), "Bearer") || strings.Contains(p.Body, "parley_") {
					t.Errorf("a refusal: WWW-Authenticate %q, body %q", p.Header.Get("WWW-Authenticate"), p.Body)
				}
			} else if _, err := parseExposition(p.Body); err != nil {
				t.Error(err)
			}
		})
	}
	// A session is not the metrics token.
	if p := pageGet(t, env, "/metrics"); p.Status != http.StatusUnauthorized {
		t.Errorf("signed in, without the token: got %d, want 401", p.Status)
	}
	// The other operations endpoints stay open.
	for _, path := range []string{"/healthz", "/readyz"} {
		if p := pageGet(t, anon, path); p.Status != http.StatusOK {
			t.Errorf("GET %s with a metrics token set: got %d, want 200", path, p.Status)
		}
	}
}

// TestMetricsConcurrent: requests counted from many goroutines at once
// are all counted (run with -race).
func TestMetricsConcurrent(t *testing.T) {
	env := newTestEnv(t)
	const workers, each = 8, 50
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				rec := httptest.NewRecorder()
				env.Server.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/healthz?w=%d", w), nil))
				if rec.Code != http.StatusOK {
					t.Errorf("got %d", rec.Code)
					return
				}
			}
		})
	}
	wg.Wait()
	e, _ := scrape(t, env)
	key := series("parley_http_requests_total", "route", "GET /healthz", "method", "GET", "code", "200")
	if got := e.samples[key]; got != workers*each {
		t.Errorf("%s: got %v, want %d", key, got, workers*each)
	}
}

// logBuffer is a buffer that a server logs into while a test reads it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// accessRecord is a record of the access log as the JSON handler writes
// it.
type accessRecord struct {
	Level      string   `json:"level"`
	Msg        string   `json:"msg"`
	Method     string   `json:"method"`
	Route      string   `json:"route"`
	Path       string   `json:"path"`
	Status     int      `json:"status"`
	Bytes      int64    `json:"bytes"`
	DurationMS *float64 `json:"duration_ms"`
	Remote     string   `json:"remote"`
	User       *string  `json:"user"`
	RequestID  string   `json:"request_id"`
}

// accessLog returns the access log records in buf.
func accessLog(tb testing.TB, buf *logBuffer) []accessRecord {
	tb.Helper()
	var out []accessRecord
	for line := range strings.Lines(buf.String()) {
		var r accessRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			tb.Fatalf("%v: %q", err, line)
		}
		if r.Msg == "request" {
			out = append(out, r)
		}
	}
	return out
}

func TestAccessLog(t *testing.T) {
	var buf logBuffer
	env := newTestEnvWith(t, web.Options{AccessLog: true, Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	proc := &parley.Process{Name: "Logged", Classification: parley.Classification{Level: parley.Public}}
	must(t, env.Svc.Processes.CreateProcess(env.Ctx, proc))
	n := len(accessLog(t, &buf))

	search := pageGet(t, env, "/processes/"+proc.ID+"/search?q=confidential+talks")
	refused := pageGet(t, env.Anonymous(), "/processes/"+proc.ID+"?q=confidential+talks")
	recs := accessLog(t, &buf)[n:]
	if len(recs) != 2 {
		t.Fatalf("got %d access log records for 2 requests: %+v", len(recs), recs)
	}
	got := recs[0]
	if got.Level != "INFO" || got.Method != "GET" || got.Route != "GET /processes/{id}/search" ||
		got.Path != "/processes/"+proc.ID+"/search" || got.Status != search.Status || got.Bytes != int64(len(search.Body)) ||
		got.DurationMS == nil || *got.DurationMS < 0 || !strings.HasPrefix(got.Remote, "127.0.0.1:") ||
		got.User == nil || *got.User != env.User.ID {
		t.Errorf("the search's record: got %+v, want level INFO, GET, its route, its path without the query, status %d, %d bytes, "+
			"a duration, the client's address and user %s", got, search.Status, len(search.Body), env.User.ID)
	}
	if got.RequestID == "" || got.RequestID != search.Header.Get("X-Request-Id") {
		t.Errorf("request ID %q in the log, %q in X-Request-Id; want the same", got.RequestID, search.Header.Get("X-Request-Id"))
	}
	anon := recs[1]
	if anon.User != nil || anon.Status != http.StatusSeeOther || anon.Route != "GET /processes/{id}" || anon.RequestID == got.RequestID {
		t.Errorf("the refused request's record: got %+v, want no user, 303, its route and a request ID of its own", anon)
	}
	if refused.Header.Get("X-Request-Id") != anon.RequestID {
		t.Errorf("a refusal's X-Request-Id %q, its record's %q", refused.Header.Get("X-Request-Id"), anon.RequestID)
	}
	if strings.Contains(buf.String(), "confidential") {
		t.Errorf("the log holds the query string:\n%s", buf.String())
	}
}

func TestAccessLogOff(t *testing.T) {
	var buf logBuffer
	env := newTestEnvWith(t, web.Options{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	p := pageGet(t, env, "/healthz")
	if recs := accessLog(t, &buf); len(recs) != 0 {
		t.Errorf("without AccessLog: got %d records", len(recs))
	}
	if len(p.Header.Get("X-Request-Id")) != 16 {
		t.Errorf("X-Request-Id %q, want 16 hexadecimal digits", p.Header.Get("X-Request-Id"))
	}
}

// TestObserveWriter: a handler behind the middleware can flush and reach
// the connection through http.ResponseController; what it sent is
// counted, and a panic is counted as 500.
func TestObserveWriter(t *testing.T) {
	var buf logBuffer
	env := newTestEnvWith(t, web.Options{AccessLog: true, Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /flush/{id}", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline through the middleware: %v", err)
		}
		if err := rc.Flush(); err != nil {
			t.Errorf("Flush through the middleware: %v", err)
		}
		w.(http.Flusher).Flush()
		io.WriteString(w, "flushed")
	})
	mux.HandleFunc("GET /created", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) })
	ts := httptest.NewServer(env.Server.Instrument(mux))
	t.Cleanup(ts.Close)
	// A new connection each time: the client would send a GET again on a
	// kept-alive connection that the panic closes.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for _, tt := range []struct {
		path string
		want int
	}{{"/flush/x1", 200}, {"/created", 201}, {"/panic", 0}} {
		resp, err := client.Get(ts.URL + tt.path)
		if tt.want == 0 {
			if err == nil {
				resp.Body.Close()
				t.Errorf("GET %s: got %s, want the connection cut", tt.path, resp.Status)
			}
			continue
		}
		must(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("GET %s: got %d %q, want %d", tt.path, resp.StatusCode, b, tt.want)
		}
	}
	e, _ := scrape(t, env)
	for _, tt := range []struct {
		route string
		code  int
	}{{"GET /flush/{id}", 200}, {"GET /created", 201}, {"GET /panic", 500}} {
		key := series("parley_http_requests_total", "route", tt.route, "method", "GET", "code", strconv.Itoa(tt.code))
		if e.samples[key] != 1 {
			t.Errorf("%s: got %v, want 1", key, e.samples[key])
		}
	}
	var flushed bool
	for _, r := range accessLog(t, &buf) {
		if r.Route == "GET /flush/{id}" {
			flushed = r.Bytes == int64(len("flushed")) && r.Status == 200
		}
	}
	if !flushed {
		t.Errorf("no record of the flushed response with its 7 bytes:\n%s", buf.String())
	}
}

// BenchmarkObserve measures what the middleware adds to a request: the
// same handler bare, counted, and counted and logged (to a JSON handler
// that discards its output).
func BenchmarkObserve(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /versions/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "version "+r.PathValue("id"))
	})
	discard := slog.New(slog.NewJSONHandler(io.Discard, nil))
	counted, err := web.New(parley.Services{}, web.Options{Logger: discard})
	if err != nil {
		b.Fatal(err)
	}
	logged, err := web.New(parley.Services{}, web.Options{Logger: discard, AccessLog: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name string
		h    http.Handler
	}{{"bare", mux}, {"metrics", counted.Instrument(mux)}, {"metrics+log", logged.Instrument(mux)}} {
		b.Run(bb.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/versions/abc123", nil)
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				bb.h.ServeHTTP(w, req)
			}
		})
	}
}

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// exposition is a parsed text exposition: the type of each family and
// the value of each series, keyed as series writes them.
type exposition struct {
	types   map[string]string
	samples map[string]float64
}

// names returns the names of the series, sorted.
func (e *exposition) names() []string {
	var out []string
	for k := range e.samples {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// series is the key of a series: its name and its labels, name and value
// in turn, in the order given.
func series(name string, labels ...string) string {
	if len(labels) == 0 {
		return name
	}
	var b strings.Builder
	b.WriteString(name + "{")
	for i := 0; i+1 < len(labels); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%q", labels[i], labels[i+1])
	}
	b.WriteString("}")
	return b.String()
}

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*`)
)

// parseExposition reads the text exposition format 0.0.4 strictly, as
// Parley writes it: every family has one HELP and one TYPE line before its
// samples, which follow each other; label values are quoted and escaped
// as the format says; no series twice; counters are named _total and not
// negative; a histogram's buckets are cumulative, end with +Inf and agree
// with its count.
func parseExposition(text string) (*exposition, error) {
	e := &exposition{types: map[string]string{}, samples: map[string]float64{}}
	if !strings.HasSuffix(text, "\n") {
		return nil, errors.New("the exposition does not end with a line end")
	}
	helps := map[string]bool{}
	done := map[string]bool{} // families whose samples are over
	current := ""
	type bucketSeries struct {
		les    []float64
		counts []float64
	}
	buckets := map[string]*bucketSeries{} // by family and labels without le
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		fail := func(format string, args ...any) error {
			return fmt.Errorf("line %d %q: %s", i+1, line, fmt.Sprintf(format, args...))
		}
		enter := func(family string) error {
			if family != current {
				if done[family] {
					return fail("family %s comes back after another", family)
				}
				if current != "" {
					done[current] = true
				}
				current = family
			}
			return nil
		}
		switch {
		case line == "":
			return nil, fail("an empty line")
		case strings.HasPrefix(line, "# HELP "):
			name, help, ok := strings.Cut(strings.TrimPrefix(line, "# HELP "), " ")
			if !ok || !metricName.MatchString(name) || help == "" {
				return nil, fail("a HELP line needs a metric name and a text")
			}
			if helps[name] {
				return nil, fail("a second HELP for %s", name)
			}
			if _, err := unescape(help, false); err != nil {
				return nil, fail("%v", err)
			}
			if err := enter(name); err != nil {
				return nil, err
			}
			helps[name] = true
		case strings.HasPrefix(line, "# TYPE "):
			name, typ, ok := strings.Cut(strings.TrimPrefix(line, "# TYPE "), " ")
			if !ok || !metricName.MatchString(name) || !slices.Contains([]string{"counter", "gauge", "histogram", "summary", "untyped"}, typ) {
				return nil, fail("a TYPE line needs a metric name and a type")
			}
			if _, dup := e.types[name]; dup {
				return nil, fail("a second TYPE for %s", name)
			}
			if typ == "counter" && !strings.HasSuffix(name, "_total") {
				return nil, fail("counter %s is not named _total", name)
			}
			if err := enter(name); err != nil {
				return nil, err
			}
			e.types[name] = typ
		case strings.HasPrefix(line, "#"):
			return nil, fail("a comment that is neither HELP nor TYPE")
		default:
			name, labels, value, err := parseSample(line)
			if err != nil {
				return nil, fail("%v", err)
			}
			family, suffix := name, ""
			if _, ok := e.types[name]; !ok {
				for _, s := range []string{"_bucket", "_sum", "_count"} {
					if base, ok := strings.CutSuffix(name, s); ok && e.types[base] == "histogram" {
						family, suffix = base, s
					}
				}
			}
			typ, ok := e.types[family]
			if !ok {
				return nil, fail("sample of %s, which has no TYPE", name)
			}
			if typ == "histogram" && suffix == "" {
				return nil, fail("histogram %s sample without _bucket, _sum or _count", name)
			}
			if !helps[family] {
				return nil, fail("sample of %s, which has no HELP", family)
			}
			if family != current {
				return nil, fail("sample of %s among those of %s", family, current)
			}
			if typ == "counter" && !(value >= 0) {
				return nil, fail("counter %s is %v", name, value)
			}
			var keyLabels, rest []string
			le := ""
			for j := 0; j < len(labels); j += 2 {
				keyLabels = append(keyLabels, labels[j], labels[j+1])
				if labels[j] == "le" && suffix == "_bucket" {
					le = labels[j+1]
				} else {
					rest = append(rest, labels[j], labels[j+1])
				}
			}
			key := series(name, keyLabels...)
			if _, dup := e.samples[key]; dup {
				return nil, fail("series %s twice", key)
			}
			e.samples[key] = value
			if suffix == "_bucket" {
				bound, err := parseValue(le)
				if le == "" || err != nil {
					return nil, fail("a bucket needs an le label with a number")
				}
				k := series(family, rest...)
				bs := buckets[k]
				if bs == nil {
					bs = &bucketSeries{}
					buckets[k] = bs
				}
				if n := len(bs.les); n > 0 && (bound <= bs.les[n-1] || value < bs.counts[n-1]) {
					return nil, fail("buckets out of order or not cumulative")
				}
				bs.les, bs.counts = append(bs.les, bound), append(bs.counts, value)
			}
		}
	}
	for k, bs := range buckets {
		family, labels, _ := strings.Cut(k, "{")
		if labels != "" {
			labels = "{" + labels
		}
		n := len(bs.les)
		if !math.IsInf(bs.les[n-1], 1) {
			return nil, fmt.Errorf("histogram %s has no +Inf bucket", k)
		}
		count, ok := e.samples[family+"_count"+labels]
		if !ok || count != bs.counts[n-1] {
			return nil, fmt.Errorf("histogram %s: count %v, +Inf bucket %v", k, count, bs.counts[n-1])
		}
		if _, ok := e.samples[family+"_sum"+labels]; !ok {
			return nil, fmt.Errorf("histogram %s has no sum", k)
		}
	}
	return e, nil
}

// parseSample reads a sample line: a name, labels in braces (name and
// value in turn, unescaped) and a value, with no timestamp.
func parseSample(line string) (name string, labels []string, value float64, err error) {
	end := strings.IndexAny(line, "{ ")
	if end < 0 {
		return "", nil, 0, errors.New("no value")
	}
	name, rest := line[:end], line[end:]
	if !metricName.MatchString(name) {
		return "", nil, 0, fmt.Errorf("metric name %q", name)
	}
	if strings.HasPrefix(rest, "{") {
		rest = rest[1:]
		seen := map[string]bool{}
		for {
			ln := labelName.FindString(rest)
			if ln == "" || !strings.HasPrefix(rest[len(ln):], `="`) {
				return "", nil, 0, fmt.Errorf("label syntax at %q", rest)
			}
			if seen[ln] {
				return "", nil, 0, fmt.Errorf("label %s twice", ln)
			}
			seen[ln] = true
			rest = rest[len(ln)+2:]
			closing := -1
			for j := 0; j < len(rest); j++ {
				if rest[j] == '\\' {
					j++
					continue
				}
				if rest[j] == '"' {
					closing = j
					break
				}
			}
			if closing < 0 {
				return "", nil, 0, errors.New("label value without its closing quote")
			}
			v, err := unescape(rest[:closing], true)
			if err != nil {
				return "", nil, 0, err
			}
			labels = append(labels, ln, v)
			rest = rest[closing+1:]
			if strings.HasPrefix(rest, ",") {
				rest = rest[1:]
				continue
			}
			if !strings.HasPrefix(rest, "}") {
				return "", nil, 0, fmt.Errorf("label syntax at %q", rest)
			}
			rest = rest[1:]
			break
		}
	}
	v, ok := strings.CutPrefix(rest, " ")
	if !ok || strings.Contains(v, " ") {
		return "", nil, 0, fmt.Errorf("want one space and a value, no timestamp, at %q", rest)
	}
	value, err = parseValue(v)
	return name, labels, value, err
}

// parseValue reads a sample value.
func parseValue(s string) (float64, error) {
	switch s {
	case "+Inf":
		return math.Inf(1), nil
	case "-Inf":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	if s == "" || strings.ContainsAny(s, "_xXpP") || strings.EqualFold(s, "inf") || strings.EqualFold(s, "infinity") {
		return 0, fmt.Errorf("value %q", s)
	}
	return strconv.ParseFloat(s, 64)
}

// unescape undoes the format's escapes: \\ and \n, and in label values
// \" too; a bare line end, or in label values a bare double quote, is an
// error.
func unescape(s string, label bool) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n' || (label && c == '"'):
			return "", fmt.Errorf("unescaped %q in %q", c, s)
		case c != '\\':
			b.WriteByte(c)
		case i+1 == len(s):
			return "", fmt.Errorf("a lone backslash ends %q", s)
		default:
			i++
			switch s[i] {
			case '\\':
				b.WriteByte('\\')
			case 'n':
				b.WriteByte('\n')
			case '"':
				if !label {
					return "", fmt.Errorf(`\" in HELP text %q`, s)
				}
				b.WriteByte('"')
			default:
				return "", fmt.Errorf("unknown escape \\%c in %q", s[i], s)
			}
		}
	}
	return b.String(), nil
}

// TestParseExpositionRefuses: the test's parser refuses what the format
// does not allow, so that the tests above could fail.
func TestParseExpositionRefuses(t *testing.T) {
	good := "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2\n"
	if _, err := parseExposition(good); err != nil {
		t.Fatalf("a good exposition: %v", err)
	}
	for _, bad := range []string{
		"a_total 1\n", // no TYPE
		"# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2",                                        // no final line end
		"# HELP a_total A.\n# TYPE a_total counter\na_total{x=1} 2\n",                                          // unquoted
		"# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"a\"b\"} 2\n",                                   // bare quote
		"# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"a\\tb\"} 2\n",                                  // unknown escape
		"# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\",x=\"2\"} 2\n",                              // label twice
		"# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2\na_total{x=\"1\"} 3\n",                  // series twice
		"# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\",} 2\n",                                     // trailing comma
		"# HELP a_total A.\n# TYPE a_total counter\na_total{1x=\"1\"} 2\n",                                     // label name
		"# HELP a_total A.\n# TYPE a_total counter\na_total -1\n",                                              // negative counter
		"# HELP a_total A.\n# TYPE a_total counter\na_total 1 1700000000\n",                                    // timestamp
		"# HELP a A.\n# TYPE a counter\na 1\n",                                                                 // counter not _total
		"# HELP a A.\n# TYPE a gauge\n# HELP b B.\n# TYPE b gauge\nb 1\na 1\n",                                 // interleaved
		"# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", // not cumulative
		"# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",                          // no +Inf
		"# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",                       // count differs
	} {
		if _, err := parseExposition(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// brokenProcesses is a ProcessService whose reads fail as a lost database
// would.
type brokenProcesses struct{ parley.ProcessService }

func (brokenProcesses) FindProcesses(context.Context, parley.ProcessFilter) ([]*parley.Process, int, error) {
	return nil, 0, parley.Internal(errors.New("the database went away"))
}

// TestInternalErrorLogCarriesRequestID checks that the log line of an
// internal error names the request's ID, as sent to the client, so that a
// user's report of one can be found in the log.
func TestInternalErrorLogCarriesRequestID(t *testing.T) {
	var logged bytes.Buffer
	env := newBareEnv(t, web.Options{Logger: slog.New(slog.NewJSONHandler(&logged, nil))},
		func(s *parley.Services) { s.Processes = brokenProcesses{s.Processes} })
	env.Account = env.NewAccount(t, "mediator", false)
	resp := env.Get(t, "/api/v1/processes")
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != http.StatusInternalServerError || id == "" {
		t.Fatalf("got %d with request ID %q, want 500 with one", resp.StatusCode, id)
	}
	var line struct {
		Msg       string `json:"msg"`
		RequestID string `json:"request_id"`
	}
	for l := range strings.SplitSeq(logged.String(), "\n") {
		if json.Unmarshal([]byte(l), &line) == nil && line.Msg == "internal error" {
			break
		}
	}
	if line.Msg != "internal error" || line.RequestID != id {
		t.Errorf("internal error logged with request_id %q, want %q; log:\n%s", line.RequestID, id, logged.String())
	}
}
