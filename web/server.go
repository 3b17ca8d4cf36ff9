// Package web is Parley's HTTP surface: the JSON API under /api/v1 and the
// server-rendered HTML pages, with their templates and static files
// embedded. It works through the domain's service interfaces and never
// imports a store.
package web

import (
	"log/slog"
	"net/http"

	"parley"
)

// Options configure a server.
type Options struct {
	// Logger receives internal errors and request failures; nil means
	// slog.Default().
	Logger *slog.Logger
	// Version is the build's version, shown in the page footer and by
	// GET /api/v1/version.
	Version string
	// TLS says that the server is reached over HTTPS, whether it serves
	// HTTPS itself or sits behind a proxy that ends TLS. Its cookies are
	// then Secure and __Host- prefixed, and its responses ask browsers
	// to use HTTPS only (Strict-Transport-Security).
	TLS bool
	// Health is asked by GET /readyz whether the database is ready, and
	// by GET /metrics for its pools and audit log; nil means no store
	// figures, and /readyz then says only that the process is up.
	Health Health
	// MetricsToken, when set, is the bearer token GET /metrics asks for;
	// empty leaves /metrics open.
	MetricsToken string
	// AccessLog logs one record per request to Logger, at Info: method,
	// route, path without the query, status, bytes, duration, remote
	// address, user and request ID.
	AccessLog bool
	// MaxInFlight is how many requests are served at once, the others
	// waiting their turn in order of arrival (see admit); 0 means four
	// per CPU, and a negative number no limit.
	MaxInFlight int
}

// Server serves the API and the pages.
type Server struct {
	svc  parley.Services
	log  *slog.Logger
	ver  string
	tls  bool
	mux  *http.ServeMux
	page *pages // parsed templates and static files
	// open holds the route patterns served without an actor: signing in
	// and out, the first-run setup, static files and the build version.
	open map[string]bool
	// routes are the patterns of every route, in the order of the
	// route tables.
	routes []string
	// handler is mux behind the middleware (see handler).
	handler http.Handler
	// ops is what the operations endpoints and the counting and logging
	// of requests share (see ops.go).
	ops *operations
	// admission hands out the turns of requests (see admit); nil when
	// they are not limited.
	admission *admission
}

// New returns a server over the given services. It parses the embedded
// templates and fails if any is broken.
func New(svc parley.Services, opt Options) (*Server, error) {
	s := &Server{svc: svc, log: opt.Logger, ver: opt.Version, tls: opt.TLS, mux: http.NewServeMux(), open: map[string]bool{},
		ops: newOperations(opt)}
	if s.log == nil {
		s.log = slog.Default()
	}
	var err error
	if s.page, err = loadPages(); err != nil {
		return nil, err
	}
	rt := &router{ServeMux: s.mux}
	s.opsRoutes(rt)
	s.apiRoutes(rt)
	s.pageRoutes(rt)
	s.routes = rt.patterns
	admitted := opt.MaxInFlight
	if admitted == 0 {
		admitted = defaultAdmitted()
	}
	s.handler = s.observe(s.admit(admitted, s.chain(s.mux)))
	return s, nil
}

// chain wraps the routes in the middleware every request goes through
// once admitted (New puts observe, which counts every request in the
// metrics and writes the access log, and admit, which lets a few in at a
// time, around it), outermost first:
//
//  1. securityHeaders, before anything can write, so that every response
//     carries them: errors, redirects and refusals included;
//  2. plainAddress, which refuses a path or query holding a NUL or bytes
//     that are not UTF-8, which no record is named by;
//  3. crossOrigin, which refuses unsafe methods (POST, PATCH, ...) sent
//     by a browser from another site, before anyone is signed in, so
//     that no other site can sign a browser in or act for it;
//  4. authenticate, which puts the actor of the session or API token in
//     the request's context, or refuses the request;
//  5. noteRoute, which tells observe the route's pattern and the actor,
//     both known only inside.
func (s *Server) chain(h http.Handler) http.Handler {
	return s.securityHeaders(s.plainAddress(s.crossOrigin(s.authenticate(noteRoute(h)))))
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// router is the mux as the route tables see it: it remembers every
// pattern, so that tests can visit every route.
type router struct {
	*http.ServeMux
	patterns []string
}

// HandleFunc registers a handler function for pattern.
func (rt *router) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	rt.patterns = append(rt.patterns, pattern)
	rt.ServeMux.HandleFunc(pattern, h)
}

// public registers a route that is served without an actor.
func (s *Server) public(mux *router, pattern string, h http.HandlerFunc) {
	s.open[pattern] = true
	mux.HandleFunc(pattern, h)
}
