package web

import (
	"context"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"time"

	"parley"
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
		turn := &turnWriter{ResponseWriter: w, q: q, state: holding}
		defer turn.end()
		next.ServeHTTP(turn, r.WithContext(parley.WithWaiter(r.Context(), turn)))
	})
}

// maxAdmitWait is how long a request waits for its turn at most.
const maxAdmitWait = 10 * time.Second

// defaultAdmitted is how many requests a server serves at once unless
// told otherwise: a few per CPU, so that a request waiting for something
// but the disk (a database across the network) leaves the CPUs to others.
// A request waiting for the disk to store a write lends its turn
// meanwhile (see turnWriter.Pause); a store whose reads need only the
// CPUs (SQLite) is best served one request per CPU.
func defaultAdmitted() int { return 4 * runtime.GOMAXPROCS(0) }

// admission hands out turns, first come first served, but to requests
// that lent theirs while they waited for the disk first.
type admission struct {
	mu      sync.Mutex
	free    int
	waiting []chan struct{} // closed when their turn comes, oldest first
	// resuming are the requests that lent their turn and want one back.
	resuming []chan struct{}
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

// acquireFirst waits for a turn ahead of every request that waits for
// its first, for a request that lent its turn and goes on.
func (a *admission) acquireFirst() {
	a.mu.Lock()
	if a.free > 0 {
		a.free--
		a.mu.Unlock()
		return
	}
	turn := make(chan struct{})
	a.resuming = append(a.resuming, turn)
	a.mu.Unlock()
	<-turn
}

// release ends a turn: the oldest request that lent its turn gets it, or
// else the oldest waiting request.
func (a *admission) release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.resuming) > 0 {
		close(a.resuming[0])
		a.resuming = a.resuming[1:]
		return
	}
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
// handler returns, and lends it while the request waits for the disk (a
// parley.Waiter).
type turnWriter struct {
	http.ResponseWriter
	q      *admission
	mu     sync.Mutex
	state  turnState
	pauses int  // waits under way (a handler may wait on several goroutines)
	taking bool // a Resume waits for a turn back
}

// turnState is what a request has of its turn.
type turnState int

const (
	holding turnState = iota // it works
	lent                     // it waits for the disk, and another works
	ended                    // its answer has started
)

// end ends the turn, once.
func (t *turnWriter) end() {
	t.mu.Lock()
	st := t.state
	t.state = ended
	t.mu.Unlock()
	if st == holding {
		t.q.release()
	}
}

// Pause lends the turn to the next request while this one waits.
func (t *turnWriter) Pause() {
	t.mu.Lock()
	t.pauses++
	lend := t.pauses == 1 && t.state == holding
	if lend {
		t.state = lent
	}
	t.mu.Unlock()
	if lend {
		t.q.release()
	}
}

// Resume takes a turn back, ahead of the requests waiting for their
// first, when the last wait is over and no other Resume is taking one.
func (t *turnWriter) Resume() {
	t.mu.Lock()
	t.pauses--
	take := t.pauses == 0 && t.state == lent && !t.taking
	t.taking = t.taking || take
	t.mu.Unlock()
	if !take {
		return
	}
	t.q.acquireFirst()
	t.mu.Lock()
	t.taking = false
	if t.state == lent && t.pauses == 0 {
		t.state = holding
		t.mu.Unlock()
		return
	}
	// The answer started, or another wait began, meanwhile: the turn is
	// not needed now (the other wait's Resume takes one back).
	t.mu.Unlock()
	t.q.release()
}

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
