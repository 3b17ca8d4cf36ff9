package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"parley"
)

// Health is what the operations endpoints ask of the store.
type Health interface {
	// Ready returns nil when the database answers and its schema is
	// current.
	Ready(ctx context.Context) error
	// Pools returns the figures of the connection pools by name ("read",
	// "write").
	Pools() map[string]sql.DBStats
	// AuditSize returns the number of records in the audit log.
	AuditSize(ctx context.Context) (int64, error)
}

// healthTimeout bounds how long /readyz and /metrics wait for the store:
// a load balancer's probe gives up after a few seconds, and a scrape must
// not hang on a stuck database.
const healthTimeout = 2 * time.Second

// durationBuckets are the upper bounds, in seconds, of the buckets of the
// request duration histogram: from 1 ms, well below a page served from
// memory, to 10 s, well above what any request should take.
var durationBuckets = [...]float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Bounds of what the access log takes from a request, whose method and
// path are the client's to choose.
const (
	maxLoggedMethod = 16
	maxLoggedPath   = 1024
)

// operations is the state of the operations endpoints and of the
// middleware that counts and logs every request.
type operations struct {
	health    Health
	token     *[sha256.Size]byte // the metrics token's hash; nil leaves /metrics open
	accessLog bool
	draining  atomic.Bool
	// unready remembers that the last readiness check failed, so that a
	// failure is logged once rather than at every probe.
	unready  atomic.Bool
	inFlight atomic.Int64

	// mu guards the maps; the counters in them are atomic, so that
	// counting takes only the read lock once a series exists.
	mu        sync.RWMutex
	requests  map[requestKey]*atomic.Uint64
	durations map[string]*histogram
}

// requestKey is a series of parley_http_requests_total.
type requestKey struct {
	route, method string
	code          int
}

// histogram is the request durations of one route: counts per bucket
// (not cumulative: each request adds to one bucket only) and their sum.
type histogram struct {
	counts   [len(durationBuckets) + 1]atomic.Uint64 // the last one is +Inf
	sumNanos atomic.Int64
}

// observe adds a request that took d.
func (h *histogram) observe(d time.Duration) {
	// The first bucket whose bound is at least d: le means "less than
	// or equal".
	i, _ := slices.BinarySearch(durationBuckets[:], d.Seconds())
	h.counts[i].Add(1)
	h.sumNanos.Add(int64(d))
}

// newOperations returns the operations state for opt.
func newOperations(opt Options) *operations {
	o := &operations{health: opt.Health, accessLog: opt.AccessLog,
		requests: map[requestKey]*atomic.Uint64{}, durations: map[string]*histogram{}}
	if opt.MetricsToken != "" {
		sum := sha256.Sum256([]byte(opt.MetricsToken))
		o.token = &sum
	}
	return o
}

// record counts a request of route and method answered with code in d.
func (o *operations) record(route, method string, code int, d time.Duration) {
	k := requestKey{route, method, code}
	o.mu.RLock()
	c, h := o.requests[k], o.durations[route]
	o.mu.RUnlock()
	if c == nil || h == nil {
		o.mu.Lock()
		if c = o.requests[k]; c == nil {
			c = new(atomic.Uint64)
			o.requests[k] = c
		}
		if h = o.durations[route]; h == nil {
			h = new(histogram)
			o.durations[route] = h
		}
		o.mu.Unlock()
	}
	c.Add(1)
	h.observe(d)
}

// opsRoutes is the route table of the operations endpoints, served
// without an actor, for load balancers and monitoring.
func (s *Server) opsRoutes(mux *router) {
	s.public(mux, "GET /healthz", s.handleHealthz)
	s.public(mux, "GET /readyz", s.handleReadyz)
	s.public(mux, "GET /metrics", s.handleMetrics)
}

// Drain starts a graceful shutdown: from now on /readyz answers 503
// "shutting down", so that load balancers send no new requests here, and
// every response asks its client to close the connection, so that
// keep-alive clients reconnect elsewhere. Requests are still served until
// the listener closes. It cannot be undone.
func (s *Server) Drain() {
	if !s.ops.draining.Swap(true) {
		s.log.Info("draining: /readyz answers 503 from now on")
	}
}

// handleHealthz answers that the process serves requests. It asks the
// database nothing: a process whose database is down is alive, merely
// not ready, and restarting it would not help.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writePlain(w, http.StatusOK, "ok\n")
}

// handleReadyz answers whether the server should receive requests: not
// while it drains, nor while the database does not answer or its schema
// is out of date. The reason is one line of plain text.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if s.ops.draining.Load() {
		writePlain(w, http.StatusServiceUnavailable, "shutting down\n")
		return
	}
	if s.ops.health != nil {
		ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
		err := s.ops.health.Ready(ctx)
		cancel()
		if err != nil {
			if !s.ops.unready.Swap(true) {
				s.log.Warn("not ready", "err", err)
			}
			writePlain(w, http.StatusServiceUnavailable, "not ready: "+oneLine(err.Error())+"\n")
			return
		}
		if s.ops.unready.Swap(false) {
			s.log.Info("ready again")
		}
	}
	writePlain(w, http.StatusOK, "ready\n")
}

// handleMetrics writes the metrics in the Prometheus text exposition
// format 0.0.4. With a metrics token set, it asks for the token.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if !s.metricsAllowed(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="parley metrics"`)
		writePlain(w, http.StatusUnauthorized, "the metrics need the metrics token in an Authorization: Bearer header\n")
		return
	}
	var b bytes.Buffer
	s.writeMetrics(r.Context(), &b)
	h := w.Header()
	h.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}

// metricsAllowed reports whether r may read the metrics: always without a
// metrics token, else with it as a bearer token. Hashes of equal length
// are compared in constant time, so that neither the token nor its length
// can be found by timing.
func (s *Server) metricsAllowed(r *http.Request) bool {
	if s.ops.token == nil {
		return true
	}
	scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return subtle.ConstantTimeCompare(sum[:], s.ops.token[:]) == 1 && strings.EqualFold(scheme, "Bearer")
}

// writePlain writes a short plain-text answer that no cache keeps.
func writePlain(w http.ResponseWriter, status int, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	io.WriteString(w, text)
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// requestInfo is what the middleware learns of a request on its way
// through: the routes' request (on which the mux sets the pattern) and
// the actor, which only exist inside the outer middleware.
type requestInfo struct {
	id     string
	routed *http.Request // the request as the mux got it; nil if refused before
	user   string        // the signed-in user's ID, or ""
}

// requestInfoKey is the context key of a request's *requestInfo.
type requestInfoKey struct{}

// observe is the outermost middleware: it counts every request in the
// metrics and, when the access log is on, logs it, with whatever answered
// it (a route, a refusal, a redirect, an error or a panic). Each response
// carries a random request ID in X-Request-Id, also in the access log.
func (s *Server) observe(next http.Handler) http.Handler {
	o := s.ops
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		o.inFlight.Add(1)
		info := &requestInfo{id: newRequestID()}
		w.Header().Set("X-Request-Id", info.id)
		if o.draining.Load() {
			w.Header().Set("Connection", "close")
		}
		rec := &recorder{ResponseWriter: w}
		completed := false
		// Deferred, so that a request whose handler panics is counted
		// too (as 500 when nothing was sent), and leaves the in-flight
		// gauge.
		defer func() {
			d := time.Since(start)
			o.inFlight.Add(-1)
			status := rec.status
			if status == 0 {
				status = http.StatusOK // what net/http sends for an empty answer
				if !completed {
					status = http.StatusInternalServerError
				}
			}
			route := s.routeOf(r, info)
			o.record(route, methodLabel(r.Method), status, d)
			if o.accessLog {
				s.logRequest(r, info, route, status, rec.bytes, d)
			}
		}()
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
		completed = true
	})
}

// requestID returns the ID observe gave the request (sent back in
// X-Request-Id), so that a log line about it can be matched to the user's
// report and to the access log; "" outside observe.
func requestID(r *http.Request) string {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		return info.id
	}
	return ""
}

// noteRoute is the innermost middleware: it tells observe who the
// request acts for, and hands it the request the mux sets the route's
// pattern on.
func noteRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.routed = r
			if a := parley.ActorFrom(r.Context()); a != nil {
				info.user = a.UserID
			}
		}
		next.ServeHTTP(w, r)
	})
}

// unmatchedRoute is the route label of requests that no route serves.
const unmatchedRoute = "unmatched"

// routeOf returns the route label of a request: its route's pattern
// ("GET /versions/{id}"), never its path, so that no record ID or search
// text reaches the metrics. A request refused before it reached the
// routes is labelled with the route it asked for. The catch-all patterns
// that answer 404 or 405 for addresses without a route ("/" and
// "METHOD /api/", see handlePageNoRoute and handleAPINoRoute) are
// unmatched.
func (s *Server) routeOf(r *http.Request, info *requestInfo) string {
	var pattern string
	if info.routed != nil {
		pattern = info.routed.Pattern
	} else {
		_, pattern = s.mux.Handler(r)
	}
	if pattern == "" || pattern == "/" || strings.HasSuffix(pattern, " /api/") {
		return unmatchedRoute
	}
	return pattern
}

// methodLabel is the method label of a request: the standard methods by
// name, any other as "other", since a client may send any token as a
// method and each would make a new series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

// newRequestID returns 16 random hexadecimal digits. Request IDs tie a
// response to its access log record; they need not be secret, only
// unlikely to repeat.
func newRequestID() string {
	var raw [8]byte
	binary.LittleEndian.PutUint64(raw[:], rand.Uint64())
	var out [16]byte
	hex.Encode(out[:], raw[:])
	return string(out[:])
}

// logRequest writes the access log record of a request. The path is
// logged without its query string, which may hold confidential search
// text.
func (s *Server) logRequest(r *http.Request, info *requestInfo, route string, status int, n int64, d time.Duration) {
	ctx := r.Context()
	if !s.log.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs,
		slog.String("method", clip(r.Method, maxLoggedMethod)),
		slog.String("route", route),
		slog.String("path", clip(r.URL.Path, maxLoggedPath)),
		slog.Int("status", status),
		slog.Int64("bytes", n),
		slog.Float64("duration_ms", math.Round(float64(d)/1e3)/1e3),
		slog.String("remote", r.RemoteAddr),
	)
	if info.user != "" {
		attrs = append(attrs, slog.String("user", info.user))
	}
	attrs = append(attrs, slog.String("request_id", info.id))
	s.log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
}

// clip cuts s to at most n bytes.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// recorder is the ResponseWriter that observe hands on: it notes the
// status and counts the bytes of the body. It flushes, and unwraps for
// http.ResponseController.
type recorder struct {
	http.ResponseWriter
	status int   // the final status sent, 0 before any
	bytes  int64 // bytes of the body written
}

// WriteHeader notes the status and sends it. Informational statuses (1xx)
// other than 101 come before the final one and are not it.
func (w *recorder) WriteHeader(code int) {
	if w.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write writes to the body, which sends 200 if nothing was sent before.
func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Flush sends what is buffered, which sends 200 if nothing was sent
// before.
func (w *recorder) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap returns the ResponseWriter underneath, for
// http.ResponseController.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeMetrics writes every metric family to b, each with its HELP and
// TYPE lines, its series in a stable order.
func (s *Server) writeMetrics(ctx context.Context, b *bytes.Buffer) {
	e := exposition{b}
	o := s.ops

	e.family("parley_build_info", "gauge", "The running build, by version; always 1.")
	e.sample("parley_build_info", 1, "version", s.ver)

	// The requests, copied under the lock and written after.
	type count struct {
		requestKey
		n uint64
	}
	type durations struct {
		route    string
		buckets  [len(durationBuckets) + 1]uint64
		sumNanos int64
	}
	o.mu.RLock()
	counts := make([]count, 0, len(o.requests))
	for k, c := range o.requests {
		counts = append(counts, count{k, c.Load()})
	}
	hists := make([]durations, 0, len(o.durations))
	for route, h := range o.durations {
		d := durations{route: route, sumNanos: h.sumNanos.Load()}
		for i := range h.counts {
			d.buckets[i] = h.counts[i].Load()
		}
		hists = append(hists, d)
	}
	o.mu.RUnlock()
	slices.SortFunc(counts, func(a, b count) int {
		if c := strings.Compare(a.route, b.route); c != 0 {
			return c
		}
		if c := strings.Compare(a.method, b.method); c != 0 {
			return c
		}
		return a.code - b.code
	})
	slices.SortFunc(hists, func(a, b durations) int { return strings.Compare(a.route, b.route) })

	e.family("parley_http_requests_total", "counter", "HTTP requests answered, by route pattern, method and status code.")
	for _, c := range counts {
		e.sample("parley_http_requests_total", float64(c.n), "route", c.route, "method", c.method, "code", strconv.Itoa(c.code))
	}
	e.family("parley_http_request_duration_seconds", "histogram", "Time to answer HTTP requests, by route pattern.")
	for _, h := range hists {
		// The count is the cumulative count of the +Inf bucket, so
		// that the two agree even if requests end while this is read.
		var cum uint64
		for i, n := range h.buckets {
			cum += n
			le := "+Inf"
			if i < len(durationBuckets) {
				le = strconv.FormatFloat(durationBuckets[i], 'g', -1, 64)
			}
			e.sample("parley_http_request_duration_seconds_bucket", float64(cum), "route", h.route, "le", le)
		}
		e.sample("parley_http_request_duration_seconds_sum", time.Duration(h.sumNanos).Seconds(), "route", h.route)
		e.sample("parley_http_request_duration_seconds_count", float64(cum), "route", h.route)
	}
	e.family("parley_http_requests_in_flight", "gauge", "HTTP requests being answered, this one included.")
	e.sample("parley_http_requests_in_flight", float64(o.inFlight.Load()))
	e.family("parley_kept_pages_total", "counter", "Pages kept once drawn (see serveDrawn), by page and by whether they were served again or drawn.")
	for _, page := range keptPages {
		st := s.page.keptStats[page]
		e.sample("parley_kept_pages_total", float64(st.served.Load()), "page", page, "result", "served")
		e.sample("parley_kept_pages_total", float64(st.drawn.Load()), "page", page, "result", "drawn")
	}

	if o.health != nil {
		s.writeStoreMetrics(ctx, e)
	}
	writeRuntimeMetrics(e)
}

// writeStoreMetrics writes the figures of the database's connection pools
// and the size of the audit log.
func (s *Server) writeStoreMetrics(ctx context.Context, e exposition) {
	pools := s.ops.health.Pools()
	names := make([]string, 0, len(pools))
	for name := range pools {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, f := range []struct {
		name, typ, help string
		value           func(sql.DBStats) float64
	}{
		{"parley_db_open_connections", "gauge", "Connections open, in use or idle, by pool.",
			func(st sql.DBStats) float64 { return float64(st.OpenConnections) }},
		{"parley_db_in_use_connections", "gauge", "Connections in use, by pool.",
			func(st sql.DBStats) float64 { return float64(st.InUse) }},
		{"parley_db_idle_connections", "gauge", "Idle connections, by pool.",
			func(st sql.DBStats) float64 { return float64(st.Idle) }},
		{"parley_db_max_open_connections", "gauge", "The most connections a pool opens (0: no limit), by pool.",
			func(st sql.DBStats) float64 { return float64(st.MaxOpenConnections) }},
		{"parley_db_wait_count_total", "counter", "Times a request waited for a connection, by pool.",
			func(st sql.DBStats) float64 { return float64(st.WaitCount) }},
		{"parley_db_wait_seconds_total", "counter", "Time spent waiting for a connection, by pool.",
			func(st sql.DBStats) float64 { return st.WaitDuration.Seconds() }},
	} {
		e.family(f.name, f.typ, f.help)
		for _, name := range names {
			e.sample(f.name, f.value(pools[name]), "pool", name)
		}
	}
	e.family("parley_audit_log_records", "gauge", "Records in the audit log.")
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	if n, err := s.ops.health.AuditSize(ctx); err != nil {
		// Left out rather than reported as 0, which would look like a
		// truncated log.
		s.log.Warn("metrics: the audit log's size", "err", err)
	} else {
		e.sample("parley_audit_log_records", float64(n))
	}
}

// runtimeMetrics are the Go runtime's figures that /metrics shows.
var runtimeMetrics = []struct {
	source, name, typ, help string
}{
	{"/sched/goroutines:goroutines", "go_goroutines", "gauge", "Goroutines that currently exist."},
	{"/memory/classes/heap/objects:bytes", "go_heap_objects_bytes", "gauge", "Bytes of heap memory occupied by objects, live or not yet swept."},
	{"/memory/classes/total:bytes", "go_memory_mapped_bytes", "gauge", "Bytes of memory mapped by the Go runtime."},
	{"/gc/cycles/total:gc-cycles", "go_gc_cycles_total", "counter", "Completed garbage collection cycles."},
}

// writeRuntimeMetrics writes the Go runtime's figures, read without
// stopping the world.
func writeRuntimeMetrics(e exposition) {
	samples := make([]metrics.Sample, len(runtimeMetrics))
	for i, m := range runtimeMetrics {
		samples[i].Name = m.source
	}
	metrics.Read(samples)
	for i, m := range runtimeMetrics {
		if samples[i].Value.Kind() != metrics.KindUint64 {
			continue // not in this Go release
		}
		e.family(m.name, m.typ, m.help)
		e.sample(m.name, float64(samples[i].Value.Uint64()))
	}
}

// exposition writes the Prometheus text exposition format 0.0.4.
type exposition struct{ b *bytes.Buffer }

// Escapes of the format: in HELP text backslashes and line ends, in label
// values double quotes too.
var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// family writes the HELP and TYPE lines of a metric family.
func (e exposition) family(name, typ, help string) {
	e.b.WriteString("# HELP " + name + " " + helpEscaper.Replace(help) + "\n")
	e.b.WriteString("# TYPE " + name + " " + typ + "\n")
}

// sample writes one sample: its name, its labels (name and value in
// turn) and its value.
func (e exposition) sample(name string, v float64, labels ...string) {
	e.b.WriteString(name)
	for i := 0; i+1 < len(labels); i += 2 {
		if i == 0 {
			e.b.WriteByte('{')
		} else {
			e.b.WriteByte(',')
		}
		e.b.WriteString(labels[i] + `="` + labelEscaper.Replace(labels[i+1]) + `"`)
	}
	if len(labels) > 0 {
		e.b.WriteByte('}')
	}
	e.b.WriteByte(' ')
	e.b.WriteString(formatValue(v))
	e.b.WriteByte('\n')
}

// formatValue writes a sample value as the format wants it: integers
// without exponent or point, +Inf, -Inf and NaN by those names.
func formatValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	case v == math.Trunc(v) && math.Abs(v) < 1<<53:
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
