package web

import (
	"math"
	"net/http"
	"strconv"

	"parley"
	"parley/compare"
	"parley/plantext"
)

// handleAPICompare compares two versions of the same process
// (parameters old, new and threshold) and writes the parley.compare/v1
// report.
func (s *Server) handleAPICompare(w http.ResponseWriter, r *http.Request) {
	opt, err := compareOptions(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	oldV, oldProcess, err := s.comparedVersion(r, "old")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	newV, newProcess, err := s.comparedVersion(r, "new")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if oldProcess != newProcess {
		s.apiError(w, r, parley.FieldErrorf("new", "version %q belongs to another process than version %q", newV.ID, oldV.ID))
		return
	}
	oldDoc, err := plantext.Parse([]byte(oldV.Text))
	if err != nil {
		s.apiError(w, r, parley.Internal(err)) // stored texts were parsed once already
		return
	}
	newDoc, err := plantext.Parse([]byte(newV.Text))
	if err != nil {
		s.apiError(w, r, parley.Internal(err))
		return
	}
	report := compare.Compare(oldDoc, newDoc, opt)
	setJSONHeaders(w)
	w.WriteHeader(http.StatusOK)
	// The report streams: past this point a failure can only be logged.
	if err := compare.WriteJSON(w, report); err != nil {
		s.log.Warn("writing a comparison", "old", oldV.ID, "new", newV.ID, "err", err)
	}
}

// compareOptions reads the optional threshold parameter.
func compareOptions(r *http.Request) (compare.Options, error) {
	var opt compare.Options
	if v := r.URL.Query().Get("threshold"); v != "" {
		t, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(t) || t <= 0 || t > 1 {
			return opt, parley.FieldErrorf("threshold", "threshold must be a number above 0 and at most 1, not %q", v)
		}
		opt.Threshold = t
	}
	return opt, nil
}

// comparedVersion loads the version named by query parameter param and
// the process it belongs to. A version that does not exist, or whose text
// is unknown, is an invalid parameter.
func (s *Server) comparedVersion(r *http.Request, param string) (*parley.Version, string, error) {
	id := r.URL.Query().Get(param)
	if id == "" {
		return nil, "", parley.FieldErrorf(param, "%s is required: the ID of a version", param)
	}
	notFound := func(err error) error {
		if parley.ErrorCode(err) == parley.ENOTFOUND {
			return parley.FieldErrorf(param, "no version %q", id)
		}
		return err
	}
	v, err := s.svc.Plans.FindVersionByID(r.Context(), id)
	if err != nil {
		return nil, "", notFound(err)
	}
	if v.TextUnknown {
		return nil, "", parley.FieldErrorf(param, "version %q cannot be compared: its text is unknown", id)
	}
	plan, err := s.svc.Plans.FindPlanByID(r.Context(), v.PlanID)
	if err != nil {
		return nil, "", notFound(err)
	}
	return v, plan.ProcessID, nil
}
