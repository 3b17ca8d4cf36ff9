package web

import (
	"bytes"
	"context"
	"html/template"
	"net/http"

	"parley"
	"parley/compare"
)

// comparePage is the data of the compare page.
type comparePage struct {
	view
	Old, New         *parley.Version // without text and points
	OldPlan, NewPlan *parley.Plan
	// OldClass and NewClass are the versions' classification badges.
	OldClass, NewClass template.HTML
	// Report is the comparison, drawn by package compare.
	Report template.HTML
	// Choice picks two other versions to compare.
	Choice  *compareChoice
	JSONURL string
}

// handleCompare compares two versions of any plans of one process
// (parameters old and new) and shows the report: the summary counts, the
// pairs of points with what happened to them, moves and word changes.
func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	key := reportKey{old: q.Get("old"), new: q.Get("new")}
	switch {
	case key.old == "":
		s.pageError(w, r, parley.FieldErrorf("old", "Choose the old version to compare (parameter old)."))
		return
	case key.new == "":
		s.pageError(w, r, parley.FieldErrorf("new", "Choose the new version to compare (parameter new)."))
		return
	}
	r, at, served := s.serveDrawn(w, r, "compare.html", drawnKey{page: "compare", a: key.old, b: key.new})
	if served {
		return
	}
	ctx := r.Context()
	// Versions never change, so neither does their comparison: a cached
	// report needs only a check that the reader may still see both
	// versions, which the process's list of plans answers. A reader who
	// may see more than public records reads both versions all the same,
	// so that the store logs what they read.
	if e, ok := s.page.reports.get(key); ok {
		if !publicOnly(parley.ActorFrom(ctx).In(e.processID)) {
			for k, param := range []string{"old", "new"} {
				if _, _, err := s.comparedVersion(ctx, param, []string{key.old, key.new}[k]); err != nil {
					s.pageError(w, r, err)
					return
				}
			}
		}
		plans, err := s.svc.Plans.FindPlans(ctx, e.processID)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		if pg := newComparePage(plans, key, e.html); pg != nil {
			s.renderCompare(w, r, e.processID, pg, at)
			return
		}
	}
	pg, processID, err := s.compareVersions(ctx, key)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderCompare(w, r, processID, pg, at)
}

// renderCompare shows a compare page in its process.
func (s *Server) renderCompare(w http.ResponseWriter, r *http.Request, processID string, pg *comparePage, at drawAt) {
	proc, err := s.svc.Processes.FindProcessByID(r.Context(), processID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg.Process = proc
	// Parties are read only when a badge names one.
	var parties []*parley.Party
	if len(pg.Old.Classification.PartyIDs)+len(pg.New.Classification.PartyIDs) > 0 {
		if parties, err = s.svc.Parties.FindParties(r.Context(), processID); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	n := newNames(parties, nil, nil, nil, nil, nil)
	pg.OldClass, pg.NewClass = classificationBadge(pg.Old.Classification, n), classificationBadge(pg.New.Classification, n)
	s.renderCached(w, r, "compare.html", drawnKey{page: "compare", a: pg.Old.ID, b: pg.New.ID}, processID, at, pg)
}

// compareVersions reads, parses and compares two versions, and caches
// the report.
func (s *Server) compareVersions(ctx context.Context, key reportKey) (*comparePage, string, error) {
	c, err := s.comparedVersions(ctx, key.old, key.new)
	if err != nil {
		return nil, "", err
	}
	oldV, newV := c.old, c.new
	plans, err := s.svc.Plans.FindPlans(ctx, c.processID)
	if err != nil {
		return nil, "", err
	}
	report := compare.Compare(c.oldDoc, c.newDoc, compare.Options{})
	var buf bytes.Buffer
	// Only what never changes goes into the cached fragment: the
	// versions' labels and IDs, not the plans' titles.
	opt := compare.FragmentOptions{
		Names:   compare.Names{OldName: oldV.Label, NewName: newV.Label},
		OldLink: func(id string) string { return pointURL(oldV.ID, id) },
		NewLink: func(id string) string { return pointURL(newV.ID, id) },
	}
	if err := compare.WriteHTMLFragment(&buf, report, opt); err != nil {
		return nil, "", parley.Internal(err)
	}
	html := template.HTML(buf.String()) // written by html/template, so escaped
	pg := newComparePage(plans, key, html)
	if pg == nil { // both were found in the process a moment ago
		return nil, "", parley.Errorf(parley.ENOTFOUND, "version %q or %q is no longer in its process", key.old, key.new)
	}
	s.page.reports.put(key, &cachedReport{processID: c.processID, html: html})
	return pg, c.processID, nil
}

// newComparePage finds the two versions of key among the plans of a
// process; nil when either is not there.
func newComparePage(plans []*parley.Plan, key reportKey, html template.HTML) *comparePage {
	pg := &comparePage{Report: html, JSONURL: "/api/v1" + compareURL(key.old, key.new), Choice: newCompareChoice(plans, key.old, key.new)}
	for _, p := range plans {
		for _, v := range p.Versions {
			if v.ID == key.old {
				pg.Old, pg.OldPlan = v, p
			}
			if v.ID == key.new {
				pg.New, pg.NewPlan = v, p
			}
		}
	}
	if pg.Old == nil || pg.New == nil {
		return nil
	}
	pg.Title = "Comparison: " + pg.Old.Label + " → " + pg.New.Label
	return pg
}

// Bounds of the cache of comparisons: a few dozen reports of ordinary
// plans, and never more than a few megabytes however long the plans.
const (
	maxCachedReports     = 64
	maxCachedReportBytes = 16 << 20
)

// reportKey names a comparison by its two versions.
type reportKey struct{ old, new string }

// cachedReport is a comparison drawn as HTML, and the process of its
// versions.
type cachedReport struct {
	processID string
	html      template.HTML
}

// newReportCache returns an empty cache of comparisons.
func newReportCache() *lru[reportKey, *cachedReport] {
	return newLRU[reportKey](maxCachedReports, maxCachedReportBytes, func(e *cachedReport) int { return len(e.html) })
}
