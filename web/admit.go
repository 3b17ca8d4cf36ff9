package web

import (
	"net/http"
	"runtime"
)

// admit lets at most limit requests be served at once; the others wait
// for their turn, first come first served, until their client gives up.
//
// Requests share the CPUs: served all at once, each takes as long as its
// own work times the number of requests in the server, and under load a
// request that costs a few times the average (a large page, a search)
// takes a few times as long as the others. Admitted in order of arrival,
// every request waits about as long as any other, and then runs among a
// few, so that its latency is the queue's plus its own work: under a
// load the machine can bear, the slowest requests take little more than
// the average. The health and metrics endpoints are never held back, so
// that a server under load still answers its monitors.
func (s *Server) admit(limit int, next http.Handler) http.Handler {
	if limit <= 0 {
		return next
	}
	turns := make(chan struct{}, limit)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			next.ServeHTTP(w, r)
			return
		}
		// Goroutines blocked sending on a channel are woken in the order
		// they came: the queue is first come, first served.
		select {
		case turns <- struct{}{}:
		case <-r.Context().Done():
			// The client has gone; the status is for the metrics and
			// the access log.
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		defer func() { <-turns }()
		next.ServeHTTP(w, r)
	})
}

// defaultAdmitted is how many requests a server serves at once unless
// told otherwise: a few per CPU, so that a request waiting for the disk
// (a write, an audit record) leaves the CPUs to others.
func defaultAdmitted() int { return 4 * runtime.GOMAXPROCS(0) }
