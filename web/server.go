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
}

// Server serves the API and the pages.
type Server struct {
	svc  parley.Services
	log  *slog.Logger
	ver  string
	mux  *http.ServeMux
	page *pages // parsed templates and static files
}

// New returns a server over the given services. It parses the embedded
// templates and fails if any is broken.
func New(svc parley.Services, opt Options) (*Server, error) {
	s := &Server{svc: svc, log: opt.Logger, ver: opt.Version, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.Default()
	}
	var err error
	if s.page, err = loadPages(); err != nil {
		return nil, err
	}
	s.apiRoutes(s.mux)
	s.pageRoutes(s.mux)
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }
