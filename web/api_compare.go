package web

import (
	"context"
	"errors"
	"fmt"
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
	q := r.URL.Query()
	c, err := s.comparedVersions(r.Context(), q.Get("old"), q.Get("new"))
	var e *parley.Error
	if errors.As(err, &e) && e.Code == parley.ENOTFOUND && e.Field != "" {
		// In the API a missing version is a bad parameter, like any other.
		err = parley.FieldErrorf(e.Field, "%s", e.Message)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	oldV, newV := c.old, c.new
	report := compare.Compare(c.oldDoc, c.newDoc, opt)
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

// comparison is two versions of one process, ready to compare.
type comparison struct {
	old, new       *parley.Version
	processID      string
	oldDoc, newDoc *plantext.Document
}

// comparedVersions loads two versions to compare (the API's and the
// compare page's parameters old and new) and parses their texts. Each
// must exist (ENOTFOUND) and have a known text (EINVALID), and both must
// belong to one process (EINVALID); the error names the parameter at
// fault. Nothing is parsed before everything is checked.
func (s *Server) comparedVersions(ctx context.Context, oldID, newID string) (*comparison, error) {
	c := &comparison{}
	var processes [2]string
	for k, param := range []string{"old", "new"} {
		id := []string{oldID, newID}[k]
		v, processID, err := s.comparedVersion(ctx, param, id)
		if err != nil {
			return nil, err
		}
		processes[k] = processID
		if k == 0 {
			c.old = v
		} else {
			c.new = v
		}
	}
	if processes[0] != processes[1] {
		return nil, parley.FieldErrorf("new", "versions %q and %q belong to different processes; only versions of one process can be compared",
			c.old.Label, c.new.Label)
	}
	c.processID = processes[0]
	var err error
	if c.oldDoc, err = plantext.Parse([]byte(c.old.Text)); err != nil {
		return nil, parley.Internal(err) // stored texts were parsed once already
	}
	if c.newDoc, err = plantext.Parse([]byte(c.new.Text)); err != nil {
		return nil, parley.Internal(err)
	}
	return c, nil
}

// comparedVersion loads the version id named by parameter param and the
// process it belongs to.
func (s *Server) comparedVersion(ctx context.Context, param, id string) (*parley.Version, string, error) {
	if id == "" {
		return nil, "", parley.FieldErrorf(param, "%s is required: the ID of a version", param)
	}
	notFound := func(err error) error {
		if parley.ErrorCode(err) == parley.ENOTFOUND {
			return &parley.Error{Code: parley.ENOTFOUND, Field: param, Message: fmt.Sprintf("no version %q", id)}
		}
		return err
	}
	v, err := s.svc.Plans.FindVersionByID(ctx, id)
	if err != nil {
		return nil, "", notFound(err)
	}
	if v.TextUnknown {
		return nil, "", parley.FieldErrorf(param, "version %q cannot be compared: its text is unknown, only its number of points and the changes reported", v.Label)
	}
	plan, err := s.svc.Plans.FindPlanByID(ctx, v.PlanID)
	if err != nil {
		return nil, "", notFound(err)
	}
	return v, plan.ProcessID, nil
}
