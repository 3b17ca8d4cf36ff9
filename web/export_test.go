package web

import (
	"net/http"
	"slices"
)

// Routes returns the patterns of every route, for tests that visit every
// one.
func (s *Server) Routes() []string { return slices.Clone(s.routes) }

// Instrument wraps h in the middleware that counts and logs requests, as
// the server's routes are, for tests and benchmarks of the middleware.
func (s *Server) Instrument(h http.Handler) http.Handler { return s.observe(noteRoute(h)) }
