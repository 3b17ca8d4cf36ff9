package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"parley"
	"parley/compare"
)

// historyPage is the data of a point's history.
type historyPage struct {
	view
	PointID string
	Version *parley.Version // the version the history was asked from
	Steps   []historyStep
}

// historyStep is one version in a point's history: the point or points
// that carry it there, and how their words changed since the step before.
type historyStep struct {
	Version *parley.Version
	Plan    string
	// Class is the version's classification badge.
	Class  template.HTML
	Points []historyPoint
	// Diff is the text with the words changed since the points it came
	// from; the plain text when it came from none in the history.
	Diff []diffRun
	// First: it came from no point of the history; Same: the words did
	// not change.
	First, Same bool
	// Since names the version it came from, when that is not the step
	// before (a counter-proposal and a later version may both come from
	// the same draft).
	Since string
}

// historyPoint is one point of a step.
type historyPoint struct {
	ID, Label, URL string
	// Asked: the point the history was asked for.
	Asked bool
}

// diffRun is a run of a text shown with its changes: common words, or
// words deleted or inserted.
type diffRun struct {
	Kind string // "", "del" or "ins"
	Text string
}

// handlePointHistory follows one point through every version, with the
// words that changed from each version to the next.
func (s *Server) handlePointHistory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	versionID, pointID := r.PathValue("id"), r.PathValue("point")
	steps, err := s.svc.Plans.FindPointHistory(ctx, versionID, pointID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if len(steps) == 0 { // a store returns at least the point's own version
		s.pageError(w, r, parley.Errorf(parley.ENOTFOUND, "version %q has no point %q", versionID, pointID))
		return
	}
	_, proc, err := s.findPlanInProcess(ctx, steps[0].Version.PlanID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	plans, err := s.svc.Plans.FindPlans(ctx, proc.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	// Parties are read only when a badge names one.
	var parties []*parley.Party
	if slices.ContainsFunc(steps, func(st *parley.PointStep) bool { return len(st.Version.Classification.PartyIDs) > 0 }) {
		if parties, err = s.svc.Parties.FindParties(ctx, proc.ID); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	n := newNames(parties, nil, nil, nil, nil, plans)
	pg := &historyPage{view: view{Title: "History of point " + pointID, Process: proc}, PointID: pointID}
	// Each step is compared with the points its points came from, not
	// with the step before it in time: versions of parallel plans (a
	// counter-proposal) come from the same draft, not from each other.
	seen := map[parley.PointRef]string{}
	for _, st := range steps {
		for _, p := range st.Points {
			seen[parley.PointRef{VersionID: st.Version.ID, PointID: p.ID}] = p.Text
		}
	}
	for k, st := range steps {
		hs := historyStep{Version: st.Version, Plan: n.VersionPlan(st.Version.ID), Class: classificationBadge(st.Version.Classification, n)}
		texts := make([]string, len(st.Points))
		var from, since []string
		fromSeen := map[parley.PointRef]bool{}
		for i, p := range st.Points {
			asked := st.Version.ID == versionID && p.ID == pointID
			hs.Points = append(hs.Points, historyPoint{ID: p.ID, Label: p.Label, URL: pointURL(st.Version.ID, p.ID), Asked: asked})
			texts[i] = p.Text
			for _, ref := range p.Lineage {
				if text, ok := seen[ref]; ok && !fromSeen[ref] {
					fromSeen[ref] = true
					from = append(from, text)
					if label := n.Version(ref.VersionID); !slices.Contains(since, label) {
						since = append(since, label)
					}
				}
			}
		}
		// Named unless the step came from the step before alone.
		if len(since) > 0 && !(k > 0 && len(since) == 1 && since[0] == n.Version(steps[k-1].Version.ID)) {
			hs.Since = strings.Join(since, " and ")
		}
		if st.Version.ID == versionID {
			pg.Version = st.Version
		}
		hs.First = len(from) == 0
		hs.Diff, hs.Same = wordRuns(strings.Join(from, "\n"), strings.Join(texts, "\n"), hs.First)
		pg.Steps = append(pg.Steps, hs)
	}
	if pg.Version != nil {
		pg.Title = "History of point " + pointID + " of " + pg.Version.Label
	}
	s.render(w, r, http.StatusOK, "history.html", pg)
}

// wordRuns cuts the new text into runs of common, deleted and inserted
// words against the old one; the whole text is one common run when first.
// Same reports that the words did not change.
func wordRuns(oldText, newText string, first bool) (runs []diffRun, same bool) {
	if first || oldText == newText {
		return []diffRun{{Text: newText}}, !first
	}
	changes, _ := compare.WordDiff(oldText, newText)
	add := func(kind, text string) {
		if text == "" {
			return
		}
		// Deleted words come from the other text, whose spaces are not
		// in the runs around them: keep them apart from their
		// neighbours.
		if n := len(runs); n > 0 && (kind == "del" || runs[n-1].Kind == "del") && needsSpace(runs[n-1].Text, text) {
			runs = append(runs, diffRun{Text: " "})
		}
		runs = append(runs, diffRun{Kind: kind, Text: text})
	}
	at := 0
	for _, c := range changes {
		add("", newText[at:c.NewAt])
		add("del", oldText[c.OldAt:c.OldEnd])
		add("ins", newText[c.NewAt:c.NewEnd])
		at = c.NewEnd
	}
	add("", newText[at:])
	return runs, false
}

// needsSpace reports whether two runs shown side by side need a space
// between them: neither has one at the joint, and the second does not
// start with punctuation that follows a word.
func needsSpace(left, right string) bool {
	l, _ := utf8.DecodeLastRuneInString(left)
	r, _ := utf8.DecodeRuneInString(right)
	return !unicode.IsSpace(l) && !unicode.IsSpace(r) && !strings.ContainsRune(",.;:!?)]}…", r)
}

// pointEdit is a point being annotated, with what its form offers.
type pointEdit struct {
	version *parley.Version
	point   *parley.Point
	ch      *choices
	// baseline is the version the point's lineage may point into.
	baseline *parley.Version
}

// loadPointEdit reads the point named by the path and what its form
// offers.
func (s *Server) loadPointEdit(ctx context.Context, r *http.Request) (*pointEdit, error) {
	v, err := s.svc.Plans.FindVersionByID(ctx, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	pointID := r.PathValue("point")
	k := slices.IndexFunc(v.Points, func(p *parley.Point) bool { return p.ID == pointID })
	if k < 0 {
		return nil, parley.Errorf(parley.ENOTFOUND, "version %q has no point %q", v.ID, pointID)
	}
	plan, err := s.svc.Plans.FindPlanByID(ctx, v.PlanID)
	if err != nil {
		return nil, err
	}
	pe := &pointEdit{version: v, point: v.Points[k]}
	if pe.ch, err = s.loadChoices(ctx, plan.ProcessID); err != nil {
		return nil, err
	}
	if v.PreviousID != "" {
		if pe.baseline, err = s.svc.Plans.FindVersionByID(ctx, v.PreviousID); err != nil {
			return nil, err
		}
	}
	return pe, nil
}

// lineageValue writes a point reference as the value of a checkbox.
func lineageValue(ref parley.PointRef) string { return ref.VersionID + " " + ref.PointID }

// fields are the inputs of a point's annotations.
func (pe *pointEdit) fields() []*field {
	p, ch := pe.point, pe.ch
	var tags []option
	for _, t := range slices.Concat(parley.Topics(), ch.process.Topics, p.Tags) {
		if !slices.ContainsFunc(tags, func(o option) bool { return o.Value == t }) {
			tags = append(tags, option{Value: t, Label: t})
		}
	}
	n := newNames(nil, nil, nil, nil, nil, ch.plans)
	var lineage []option
	var checked []string
	if b := pe.baseline; b != nil {
		for _, q := range b.Points {
			lineage = append(lineage, option{Value: lineageValue(parley.PointRef{VersionID: b.ID, PointID: q.ID}),
				Label: q.ID + " in " + b.Label + ": " + cut(q.Text, 110)})
		}
	}
	for _, ref := range p.Lineage {
		v := lineageValue(ref)
		checked = append(checked, v)
		if !slices.ContainsFunc(lineage, func(o option) bool { return o.Value == v }) {
			lineage = append(lineage, option{Value: v, Label: ref.PointID + " in " + n.Version(ref.VersionID)})
		}
	}
	contacts := []option{{Value: "", Label: "(none)"}}
	for _, c := range ch.contacts {
		contacts = append(contacts, option{Value: c.ID, Label: c.Title()})
	}
	lineageHelp := "The points of the version before that this point came from: several for a merge, none for a new point."
	if pe.baseline != nil {
		lineageHelp = "The points of " + pe.baseline.Label + " that this point came from: several for a merge, none for a new point."
	}
	return []*field{
		{Name: "tags", Label: "Topics", Type: "checkboxes", Values: p.Tags, Options: tags,
			Help: "Add topics of your own to the process to offer them here."},
		{Name: "lineage", Label: "Came from", Type: "checkboxes", Values: checked, Options: lineage, Help: lineageHelp},
		{Name: "proposed_by", Label: "Proposed by", Type: "select", Value: p.ProposedBy, Options: partyOptions(ch.parties, "(unknown)")},
		{Name: "contact_id", Label: "Proposed at", Type: "select", Value: p.ContactID, Options: contacts},
		{Name: "source_ids", Label: "Sources", Type: "checkboxes", Values: p.SourceIDs, Options: sourceOptions(ch.sources)},
	}
}

// read reads the annotations from the form; every annotation is set, so
// that unticking every box clears a list.
func readPointUpdate(vals url.Values) parley.PointUpdate {
	tags, sources := formIDs(vals, "tags"), formIDs(vals, "source_ids")
	var lineage []parley.PointRef
	for _, v := range formIDs(vals, "lineage") {
		vid, pid, _ := strings.Cut(v, " ")
		lineage = append(lineage, parley.PointRef{VersionID: vid, PointID: pid})
	}
	proposed, contact := formLine(vals, "proposed_by"), formLine(vals, "contact_id")
	return parley.PointUpdate{Tags: &tags, Lineage: &lineage, ProposedBy: &proposed, ContactID: &contact, SourceIDs: &sources}
}

// showPointForm draws the annotations form of a point, with err on it.
func (s *Server) showPointForm(w http.ResponseWriter, r *http.Request, pe *pointEdit, err error) {
	v, p := pe.version, pe.point
	f := &form{Action: r.URL.Path, Submit: "Save annotations", Cancel: pointURL(v.ID, p.ID), Fields: pe.fields()}
	if r.Method == http.MethodPost {
		f.keep(r.PostForm)
	}
	if err != nil {
		f.fail(err)
	}
	n := newNames(pe.ch.parties, nil, nil, nil, nil, nil)
	intro := "Point " + p.ID + " of " + v.Label + ": “" + cut(p.Text, 300) + "” Its text and label never change; " +
		"its topics, lineage and provenance can. A point is seen by whoever may see its version (" + n.Class(v.Classification) + ")."
	s.render(w, r, s.statusOfForm(r, err), "form.html", &formPage{
		view: view{Title: "Annotate point " + p.ID + " of " + v.Label, Process: pe.ch.process}, Intro: intro, Form: f,
		Badge: classificationBadge(v.Classification, n)})
}

// handlePointEdit shows the form of a point's annotations: topics,
// lineage, proposing party, contact and sources.
func (s *Server) handlePointEdit(w http.ResponseWriter, r *http.Request) {
	pe, err := s.loadPointEdit(r.Context(), r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showPointForm(w, r, pe, nil)
}

// handlePointUpdate saves a point's annotations.
func (s *Server) handlePointUpdate(w http.ResponseWriter, r *http.Request) {
	pe, err := s.loadPointEdit(r.Context(), r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err = parseForm(w, r, maxFormBody); err == nil {
		_, err = s.svc.Plans.UpdatePoint(r.Context(), pe.version.ID, pe.point.ID, readPointUpdate(r.PostForm))
	}
	if err != nil {
		if !isFormError(err) {
			s.pageError(w, r, err)
			return
		}
		s.showPointForm(w, r, pe, err)
		return
	}
	seeOther(w, r, pointURL(pe.version.ID, pe.point.ID))
}
