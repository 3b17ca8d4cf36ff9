package web

import "net/http"

// apiRoutes is the route table of the JSON API.
func (s *Server) apiRoutes(mux *http.ServeMux) {
}
