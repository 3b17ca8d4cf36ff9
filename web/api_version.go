package web

import (
	"bytes"
	"net/http"
	"time"

	"parley"
)

// versionInput is the body of POST /api/v1/plans/{id}/versions: the
// fields of a version a client gives. Everything else (points, warnings,
// lineage) is computed from the text.
type versionInput struct {
	Label         string               `json:"label"`
	Date          apiDate              `json:"date"`
	Text          string               `json:"text"`
	Status        parley.VersionStatus `json:"status"`
	AuthorPartyID string               `json:"author_party_id"`
	SourceIDs     []string             `json:"source_ids"`
	// Classification, when omitted, is the plan's.
	Classification  *parley.Classification `json:"classification"`
	TextUnknown     bool                   `json:"text_unknown"`
	PointCount      int                    `json:"point_count"`
	ReportedChanges string                 `json:"reported_changes"`
}

// apiDate is a date given as a day ("2025-11-20", read as midnight UTC) or
// as an RFC 3339 time: a version is usually known by its day alone.
type apiDate struct{ time.Time }

// UnmarshalJSON reads a day or an RFC 3339 time; null leaves the date
// unset.
func (d *apiDate) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	bad := parley.FieldErrorf("date", "date must be a day such as \"2025-11-20\" or an RFC 3339 time such as \"2025-11-20T10:00:00Z\", not %s", b)
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return bad
	}
	s := string(b[1 : len(b)-1])
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			d.Time = t
			return nil
		}
	}
	return bad
}

// handleAPIVersionCreate adds a version to a plan from its text, and
// answers with the version, its points and the parser's warnings.
func (s *Server) handleAPIVersionCreate(w http.ResponseWriter, r *http.Request) {
	plan, err := s.svc.Plans.FindPlanByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in versionInput
	if err := decodeBody(w, r, maxVersionBody, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	v := &parley.Version{PlanID: plan.ID, Label: in.Label, Date: in.Date.Time, Text: in.Text, Status: in.Status,
		AuthorPartyID: in.AuthorPartyID, SourceIDs: in.SourceIDs, TextUnknown: in.TextUnknown,
		PointCount: in.PointCount, ReportedChanges: in.ReportedChanges, Classification: inherit(plan.Classification)}
	if v.Status == "" {
		v.Status = parley.Draft
	}
	if in.Classification != nil {
		v.Classification = *in.Classification
	}
	if err := s.svc.Plans.CreateVersion(r.Context(), v); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeCreated(w, r, "versions", v.ID, v)
}

// handleAPIVersionGet returns a version with its text and points.
func (s *Server) handleAPIVersionGet(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.Plans.FindVersionByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, v)
}

// handleAPIPointUpdate changes the annotations of a point (tags, lineage,
// provenance); the fields the body leaves out stay.
func (s *Server) handleAPIPointUpdate(w http.ResponseWriter, r *http.Request) {
	var upd parley.PointUpdate
	if err := decodeBody(w, r, maxBody, &upd); err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.svc.Plans.UpdatePoint(r.Context(), r.PathValue("id"), r.PathValue("point"), upd)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, p)
}

// handleAPIPointHistory lists the versions a point passed through, one
// step per version, in date order.
func (s *Server) handleAPIPointHistory(w http.ResponseWriter, r *http.Request) {
	steps, err := s.svc.Plans.FindPointHistory(r.Context(), r.PathValue("id"), r.PathValue("point"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeList(s, w, r, steps, len(steps))
}
