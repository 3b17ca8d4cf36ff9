package web

import (
	"context"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"time"
)

// admit lets at most limit requests be served at once; the others wait
// for their turn, first come first served.
//
// Requests share the CPUs: served all at once, each takes as long as its
// own work times the number of requests in the server, and under load a
// request that costs a few times the average (a large page, a search)
// takes a few times as long as the others. Admitted in order of arrival,
// every request waits about as long as any other, and then runs among a
// few, so that its latency is the queue's plus its own work: under a
// load the machine can bear, the slowest requests take little more than
// the average.
//
// A turn is for the work, not for the network: it ends when the handler
// starts to send its answer (pages are drawn whole before they are sent),
// so that a client slow to read does not hold one; and requests with a
// body are not held back at all, so that a client slow to send one does
// not either (writes follow one another in the store anyway). A request
// that waits longer than maxAdmitWait is answered 503, and the health and
// metrics endpoints never wait, so that a server under load still
// answers its monitors.
func (s *Server) admit(limit int, next http.Handler) http.Handler {
	if limit <= 0 {
		return next
	}
	q := newAdmission(limit)
	s.admission = q
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics",
			r.ContentLength != 0: // a body, or one of unknown length
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), maxAdmitWait)
		admitted := q.acquire(ctx)
		cancel()
		if !admitted {
			// The client has gone, or the server is too busy to serve
			// it soon; the status is for both, the metrics and the
			// access log.
			w.Header().Set("Retry-After", "1")
			http.Error(w, "the server is busy; try again", http.StatusServiceUnavailable)
			return
		}
		turn := &turnWriter{ResponseWriter: w, release: q.release}
		defer turn.end()
		next.ServeHTTP(turn, r)
	})
}

// maxAdmitWait is how long a request waits for its turn at most.
const maxAdmitWait = 10 * time.Second

// defaultAdmitted is how many requests a server serves at once unless
// told otherwise: a few per CPU, so that a request waiting for the disk
// (a write, an audit record) leaves the CPUs to others.
func defaultAdmitted() int { return 4 * runtime.GOMAXPROCS(0) }

// admission hands out turns, first come first served.
type admission struct {
	mu      sync.Mutex
	free    int
	waiting []chan struct{} // closed when their turn comes, oldest first
}

func newAdmission(limit int) *admission { return &admission{free: limit} }

// acquire waits for a turn and reports whether it got one before ctx
// ended.
func (a *admission) acquire(ctx context.Context) bool {
	a.mu.Lock()
	if a.free > 0 && len(a.waiting) == 0 {
		a.free--
		a.mu.Unlock()
		return true
	}
	turn := make(chan struct{})
	a.waiting = append(a.waiting, turn)
	a.mu.Unlock()
	select {
	case <-turn:
		return true
	case <-ctx.Done():
	}
	a.mu.Lock()
	if i := slices.Index(a.waiting, turn); i >= 0 {
		a.waiting = slices.Delete(a.waiting, i, i+1)
		a.mu.Unlock()
		return false
	}
	a.mu.Unlock()
	a.release() // given a turn as it gave up: handed on
	return false
}

// release ends a turn: the oldest waiting request gets it.
func (a *admission) release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.waiting) > 0 {
		close(a.waiting[0])
		a.waiting = a.waiting[1:]
		return
	}
	a.free++
}

// queued returns how many requests wait for a turn.
func (a *admission) queued() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.waiting)
}

// turnWriter ends a request's turn when its answer starts, or when its
// handler returns.
type turnWriter struct {
	http.ResponseWriter
	release func()
	once    sync.Once
}

func (t *turnWriter) end() { t.once.Do(t.release) }

// WriteHeader ends the turn and sends the status.
func (t *turnWriter) WriteHeader(code int) {
	t.end()
	t.ResponseWriter.WriteHeader(code)
}

// Write ends the turn and sends b.
func (t *turnWriter) Write(b []byte) (int, error) {
	t.end()
	return t.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the writer underneath.
func (t *turnWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
