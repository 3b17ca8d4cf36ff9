package web

import (
	"net/http"

	"parley"
)

// issueAPI describes issues to the generic handlers: an issue without a
// classification takes its process's.
func (s *Server) issueAPI() record[parley.Issue] {
	x := s.svc.Negotiation
	return record[parley.Issue]{collection: "issues", find: x.FindIssueByID, list: x.FindIssues, create: x.CreateIssue,
		update: x.UpdateIssue, fields: func(v *parley.Issue) recordFields {
			return recordFields{id: &v.ID, processID: &v.ProcessID, classification: &v.Classification}
		}}
}

// handleAPIIssueList lists the issues of a process, in order.
func (s *Server) handleAPIIssueList(w http.ResponseWriter, r *http.Request) {
	listRecords(s, w, r, s.issueAPI())
}

// handleAPIIssueCreate creates an issue in a process.
func (s *Server) handleAPIIssueCreate(w http.ResponseWriter, r *http.Request) {
	createRecord(s, w, r, s.issueAPI())
}

// handleAPIIssueGet returns an issue.
func (s *Server) handleAPIIssueGet(w http.ResponseWriter, r *http.Request) {
	getRecord(s, w, r, s.issueAPI())
}

// handleAPIIssueUpdate changes the fields of an issue given in the body.
func (s *Server) handleAPIIssueUpdate(w http.ResponseWriter, r *http.Request) {
	patchRecord(s, w, r, s.issueAPI())
}

// handleAPIPreferencesList lists the preferences of a process the reader
// may see: every party's for a mediator, its own party's for a delegate,
// none for an observer.
func (s *Server) handleAPIPreferencesList(w http.ResponseWriter, r *http.Request) {
	listRecords(s, w, r, record[parley.Preferences]{list: s.svc.Negotiation.FindPreferences})
}

// handleAPIPreferencesSet stores a party's preferences, replacing the ones
// it had. The body is the preferences as GET lists them; the process and
// the party are the path's, and the classification is always
// confidential to the party (the only one preferences may have).
func (s *Server) handleAPIPreferencesSet(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	proc, err := s.svc.Processes.FindProcessByID(ctx, r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	party, err := s.svc.Parties.FindPartyByID(ctx, r.PathValue("party"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if party.ProcessID != proc.ID {
		s.apiError(w, r, parley.Errorf(parley.ENOTFOUND, "the process has no party %q", r.PathValue("party")))
		return
	}
	var p parley.Preferences
	if err := decodeBody(w, r, maxBody, &p); err != nil {
		s.apiError(w, r, err)
		return
	}
	switch {
	case p.ProcessID != "" && p.ProcessID != proc.ID:
		s.apiError(w, r, parley.FieldErrorf("process_id", "process_id is %q, not the process of the address, %q", p.ProcessID, proc.ID))
		return
	case p.PartyID != "" && p.PartyID != party.ID:
		s.apiError(w, r, parley.FieldErrorf("party_id", "party_id is %q, not the party of the address, %q", p.PartyID, party.ID))
		return
	}
	p.ID, p.ProcessID, p.PartyID = "", proc.ID, party.ID
	if p.Classification.Level == "" && len(p.Classification.PartyIDs) == 0 {
		p.Classification = preferencesClass(party.ID)
	}
	if err := s.svc.Negotiation.SetPreferences(ctx, &p); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, &p)
}

// handleAPIAnalysis analyses a process's negotiation model at a version
// (none when version is empty), measuring concessions against previous
// (the version before it when empty): every party's utilities for a
// mediator, the reader's own party's for a delegate. Observers are
// refused.
func (s *Server) handleAPIAnalysis(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	proc, err := s.svc.Processes.FindProcessByID(ctx, r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	q := r.URL.Query()
	for name := range q {
		if name != "version" && name != "previous" {
			s.apiError(w, r, parley.FieldErrorf(name, "unknown parameter %q: the analysis takes version and previous", name))
			return
		}
	}
	a, err := s.svc.Negotiation.Analyse(ctx, parley.AnalysisQuery{ProcessID: proc.ID, VersionID: q.Get("version"), PreviousID: q.Get("previous")})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, a)
}
