package web

import (
	"net/http"

	"parley"
)

// searchPage is the data of the search page.
type searchPage struct {
	view
	Query string
	Hits  []searchHit
	// More: more matched than are shown. Narrowed: more matched than a
	// search ranks, and the hits are the best of those written last.
	More, Narrowed bool
	// Error says what is wrong with the query.
	Error string
}

// searchHit is one match, with the address of what matched.
type searchHit struct {
	*parley.SearchHit
	URL string
}

// handleSearch searches the points and contacts of a process (parameter
// q) and shows the matches best first, with the matching words marked.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	proc, err := s.svc.Processes.FindProcessByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	q := r.URL.Query().Get("q")
	pg := &searchPage{view: view{Title: "Search " + proc.Name, Process: proc, Searched: q}, Query: q}
	if q == "" {
		s.render(w, r, http.StatusOK, "search.html", pg)
		return
	}
	pg.Title = "Search for “" + q + "”"
	found, err := s.search(r.Context(), proc.ID, q, defaultSearchLimit)
	if err != nil {
		if parley.ErrorCode(err) != parley.EINVALID {
			s.pageError(w, r, err)
			return
		}
		pg.Error = parley.ErrorMessage(err)
		s.render(w, r, http.StatusBadRequest, "search.html", pg)
		return
	}
	pg.More, pg.Narrowed = found.more, found.Narrowed
	for _, h := range found.Hits {
		hit := searchHit{SearchHit: h}
		switch h.Kind {
		case "point":
			hit.URL = pointURL(h.VersionID, h.PointID)
		case "contact":
			hit.URL = contactURL(h.ContactID)
		}
		pg.Hits = append(pg.Hits, hit)
	}
	s.render(w, r, http.StatusOK, "search.html", pg)
}
