package web

import (
	"net/http"

	"parley"
)

// partyAPI describes parties to the generic handlers.
func (s *Server) partyAPI() record[parley.Party] {
	x := s.svc.Parties
	return record[parley.Party]{collection: "parties", find: x.FindPartyByID, list: x.FindParties, create: x.CreateParty,
		update: x.UpdateParty, fields: func(v *parley.Party) recordFields {
			return recordFields{id: &v.ID, processID: &v.ProcessID, classification: &v.Classification}
		}}
}

// handleAPIPartyList lists the parties of a process.
func (s *Server) handleAPIPartyList(w http.ResponseWriter, r *http.Request) {
	listRecords(s, w, r, s.partyAPI())
}

// handleAPIPartyCreate creates a party in a process.
func (s *Server) handleAPIPartyCreate(w http.ResponseWriter, r *http.Request) {
	createRecord(s, w, r, s.partyAPI())
}

// handleAPIPartyGet returns a party.
func (s *Server) handleAPIPartyGet(w http.ResponseWriter, r *http.Request) {
	getRecord(s, w, r, s.partyAPI())
}

// handleAPIPartyUpdate changes the fields of a party given in the body.
func (s *Server) handleAPIPartyUpdate(w http.ResponseWriter, r *http.Request) {
	patchRecord(s, w, r, s.partyAPI())
}
