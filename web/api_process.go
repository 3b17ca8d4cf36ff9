package web

import (
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
	limit, err := intParam(r, "limit", 0, 1, maxSearchLimit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	hits, err := s.svc.Search.Search(r.Context(), parley.SearchQuery{ProcessID: r.PathValue("id"), Text: q, Limit: limit})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeList(s, w, r, hits, len(hits))
}
