package web

import (
	"context"
	"net/http"
	"strings"

	"parley"
)

// processAPI describes processes to the generic handlers. A process has
// no parent: its classification is required.
func (s *Server) processAPI() record[parley.Process] {
	p := s.svc.Processes
	return record[parley.Process]{collection: "processes", find: p.FindProcessByID, create: p.CreateProcess,
		update: p.UpdateProcess, fields: func(v *parley.Process) recordFields {
			return recordFields{id: &v.ID, created: &v.Created}
		}}
}

// handleAPIProcessList lists the processes, by name, a page at a time.
func (s *Server) handleAPIProcessList(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := page(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	items, total, err := s.svc.Processes.FindProcesses(r.Context(), parley.ProcessFilter{Offset: offset, Limit: limit})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeList(s, w, r, items, total)
}

// handleAPIProcessCreate creates a process.
func (s *Server) handleAPIProcessCreate(w http.ResponseWriter, r *http.Request) {
	var p parley.Process
	if err := decodeBody(w, r, maxBody, &p); err != nil {
		s.apiError(w, r, err)
		return
	}
	p.ID = ""
	if err := s.svc.Processes.CreateProcess(r.Context(), &p); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeCreated(w, r, "processes", p.ID, &p)
}

// handleAPIProcessGet returns a process.
func (s *Server) handleAPIProcessGet(w http.ResponseWriter, r *http.Request) {
	getRecord(s, w, r, s.processAPI())
}

// handleAPIProcessUpdate changes the fields of a process given in the body.
func (s *Server) handleAPIProcessUpdate(w http.ResponseWriter, r *http.Request) {
	patchRecord(s, w, r, s.processAPI())
}

// maxSearchLimit is the most hits a search returns.
const maxSearchLimit = 500

// handleAPIProcessSearch searches the point texts and contacts of a
// process (parameters q and limit).
func (s *Server) handleAPIProcessSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		s.apiError(w, r, parley.FieldErrorf("q", "q is required: the words to search for"))
		return
	}
	limit, err := intParam(r, "limit", defaultSearchLimit, 1, maxSearchLimit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	found, err := s.search(r.Context(), r.PathValue("id"), q, limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if found.Hits == nil {
		found.Hits = []*parley.SearchHit{}
	}
	s.writeJSON(w, r, http.StatusOK, searchList{Items: found.Hits, Total: len(found.Hits), More: found.more, Narrowed: found.Narrowed})
}

// searchList is the answer to a search: the hits, best first, how many,
// whether more matched than the limit let through, and whether more
// matched than a search ranks (parley.MaxRanked), so that the hits are
// the best of those written last.
type searchList struct {
	Items    []*parley.SearchHit `json:"items"`
	Total    int                 `json:"total"`
	More     bool                `json:"more"`
	Narrowed bool                `json:"narrowed"`
}

// defaultSearchLimit is how many hits a search shows unless told.
const defaultSearchLimit = 50

// searchFound is what a search found, and whether more matched than
// its limit let through.
type searchFound struct {
	*parley.SearchResult
	more bool
}

// search runs a search for at most limit hits, asking for one more to
// learn whether there are more.
func (s *Server) search(ctx context.Context, processID, q string, limit int) (searchFound, error) {
	res, err := s.svc.Search.Search(ctx, parley.SearchQuery{ProcessID: processID, Text: q, Limit: limit + 1})
	if err != nil {
		return searchFound{}, err
	}
	f := searchFound{SearchResult: res}
	if len(res.Hits) > limit {
		f.Hits, f.more = res.Hits[:limit], true
	}
	return f, nil
}
