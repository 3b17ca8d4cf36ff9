package web

import "slices"

// Routes returns the patterns of every route, for tests that visit every
// one.
func (s *Server) Routes() []string { return slices.Clone(s.routes) }
