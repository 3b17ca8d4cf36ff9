package web

import (
	"net/http"

	"parley"
)

// contactAPI describes contacts to the generic handlers.
func (s *Server) contactAPI() record[parley.Contact] {
	x := s.svc.Contacts
	return record[parley.Contact]{collection: "contacts", find: x.FindContactByID, list: x.FindContacts, create: x.CreateContact,
		update: x.UpdateContact, fields: func(v *parley.Contact) recordFields {
			return recordFields{id: &v.ID, processID: &v.ProcessID}
		}}
}

// handleAPIContactList lists the contacts of a process.
func (s *Server) handleAPIContactList(w http.ResponseWriter, r *http.Request) {
	listRecords(s, w, r, s.contactAPI())
}

// handleAPIContactCreate creates a contact in a process.
func (s *Server) handleAPIContactCreate(w http.ResponseWriter, r *http.Request) {
	createRecord(s, w, r, s.contactAPI())
}

// handleAPIContactGet returns a contact.
func (s *Server) handleAPIContactGet(w http.ResponseWriter, r *http.Request) {
	getRecord(s, w, r, s.contactAPI())
}

// handleAPIContactUpdate changes the fields of a contact given in the body.
func (s *Server) handleAPIContactUpdate(w http.ResponseWriter, r *http.Request) {
	patchRecord(s, w, r, s.contactAPI())
}
