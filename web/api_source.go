package web

import (
	"net/http"

	"parley"
)

// sourceAPI describes sources to the generic handlers.
func (s *Server) sourceAPI() record[parley.Source] {
	x := s.svc.Sources
	return record[parley.Source]{collection: "sources", find: x.FindSourceByID, list: x.FindSources, create: x.CreateSource,
		update: x.UpdateSource, fields: func(v *parley.Source) recordFields {
			return recordFields{id: &v.ID, processID: &v.ProcessID, classification: &v.Classification}
		}}
}

// handleAPISourceList lists the sources of a process.
func (s *Server) handleAPISourceList(w http.ResponseWriter, r *http.Request) {
	listRecords(s, w, r, s.sourceAPI())
}

// handleAPISourceCreate creates a source in a process.
func (s *Server) handleAPISourceCreate(w http.ResponseWriter, r *http.Request) {
	createRecord(s, w, r, s.sourceAPI())
}

// handleAPISourceGet returns a source.
func (s *Server) handleAPISourceGet(w http.ResponseWriter, r *http.Request) {
	getRecord(s, w, r, s.sourceAPI())
}

// handleAPISourceUpdate changes the fields of a source given in the body.
func (s *Server) handleAPISourceUpdate(w http.ResponseWriter, r *http.Request) {
	patchRecord(s, w, r, s.sourceAPI())
}
