package web

import (
	"net/http"

	"parley"
)

// personAPI describes people to the generic handlers.
func (s *Server) personAPI() record[parley.Person] {
	x := s.svc.People
	return record[parley.Person]{collection: "people", find: x.FindPersonByID, list: x.FindPeople, create: x.CreatePerson,
		update: x.UpdatePerson, fields: func(v *parley.Person) recordFields {
			return recordFields{id: &v.ID, processID: &v.ProcessID, classification: &v.Classification}
		}}
}

// handleAPIPersonList lists the people of a process.
func (s *Server) handleAPIPersonList(w http.ResponseWriter, r *http.Request) {
	listRecords(s, w, r, s.personAPI())
}

// handleAPIPersonCreate creates a person in a process.
func (s *Server) handleAPIPersonCreate(w http.ResponseWriter, r *http.Request) {
	createRecord(s, w, r, s.personAPI())
}

// handleAPIPersonGet returns a person.
func (s *Server) handleAPIPersonGet(w http.ResponseWriter, r *http.Request) {
	getRecord(s, w, r, s.personAPI())
}

// handleAPIPersonUpdate changes the fields of a person given in the body.
func (s *Server) handleAPIPersonUpdate(w http.ResponseWriter, r *http.Request) {
	patchRecord(s, w, r, s.personAPI())
}
