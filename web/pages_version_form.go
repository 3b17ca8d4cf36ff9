package web

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"parley"
	"parley/lineage"
	"parley/plantext"
)

// versionStart starts a version of the plan named by the path; it takes
// the plan's classification.
func versionStart(s *Server, r *http.Request, textUnknown bool) (*parley.Version, *parley.Plan, error) {
	plan, err := s.svc.Plans.FindPlanByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	return &parley.Version{PlanID: plan.ID, Status: parley.Draft, TextUnknown: textUnknown,
		Classification: inherit(plan.Classification)}, plan, nil
}

// versionFields are the inputs every version has, whether its text is
// known or not.
func versionFields(v *parley.Version, ch *choices) []*field {
	date := ""
	if !v.Date.IsZero() {
		date = v.Date.Format("2006-01-02")
	}
	return []*field{
		{Name: "label", Label: "Label", Type: "text", Value: v.Label, Required: true,
			Help: "How the version is known, such as “US 28-point plan” or “Geneva revision”."},
		{Name: "date", Label: "Date", Type: "date", Value: date, Required: true,
			Help: "The day the version was tabled, leaked or reported."},
		{Name: "status", Label: "Status", Type: "select", Value: string(v.Status),
			Options: choiceOptions(parley.Draft, parley.Tabled, parley.Agreed, parley.Superseded, parley.Leaked)},
		{Name: "author_party_id", Label: "Author", Type: "select", Value: v.AuthorPartyID, Options: partyOptions(ch.parties, "(unknown)")},
		{Name: "source_ids", Label: "Sources", Type: "checkboxes", Values: v.SourceIDs, Options: sourceOptions(ch.sources)},
		classificationField(v.Classification, ch.parties, ""),
	}
}

// readVersionFields reads the inputs every version has.
func readVersionFields(vals url.Values, v *parley.Version) error {
	v.Label, v.Status = formLine(vals, "label"), parley.VersionStatus(formLine(vals, "status"))
	v.AuthorPartyID, v.SourceIDs = formLine(vals, "author_party_id"), formIDs(vals, "source_ids")
	v.Classification = formClassification(vals)
	var err error
	v.Date, err = formDay(vals, "date", "the date")
	return err
}

// unknownVersionForm is the form of a version whose text is unknown: only
// its number of points and the changes reported about it.
var unknownVersionForm = &recordForm[parley.Version]{
	noun: "version whose text is unknown",
	intro: "Record a version that was reported but not published: its number of points and the changes reported. " +
		"It cannot be compared point by point.",
	start: func(s *Server, r *http.Request) (*parley.Version, string, error) {
		v, plan, err := versionStart(s, r, true)
		if err != nil {
			return nil, "", err
		}
		v.Status = parley.Tabled
		return v, plan.ProcessID, nil
	},
	store: func(svc parley.Services) recordStore[parley.Version] {
		return recordStore[parley.Version]{create: svc.Plans.CreateVersion} // versions never change
	},
	fields: func(v *parley.Version, ch *choices) []*field {
		count := ""
		if v.PointCount > 0 {
			count = strconv.Itoa(v.PointCount)
		}
		return append(versionFields(v, ch),
			&field{Name: "point_count", Label: "Number of points reported", Type: "number", Min: "1", Value: count, Required: true},
			&field{Name: "reported_changes", Label: "Changes reported", Type: "textarea", Rows: 6, Value: v.ReportedChanges,
				Help: "What the reports say changed, with the points they name."})
	},
	read: func(vals url.Values, v *parley.Version, _ *choices) error {
		fieldsErr := readVersionFields(vals, v)
		v.ReportedChanges = formText(vals, "reported_changes")
		var countErr error
		v.PointCount, countErr = formInt(vals, "point_count", "the number of points")
		return cmp.Or(fieldsErr, countErr)
	},
	done: func(v *parley.Version) string { return versionURL(v.ID) },
	back: func(v *parley.Version) string { return planURL(v.PlanID) },
}

// handlePlanPage shows a plan where it is listed: on its process's
// dashboard.
func (s *Server) handlePlanPage(w http.ResponseWriter, r *http.Request) {
	plan, err := s.svc.Plans.FindPlanByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	seeOther(w, r, processURL(plan.ProcessID)+"#plan-"+plan.ID)
}

// preview is the parse of a text, shown before the text is saved.
type preview struct {
	// Empty: there is no text to parse yet.
	Empty bool
	// Error says why the text cannot be saved, with its line and column.
	Error    string
	Title    string
	Warnings []plantext.Warning
	Groups   []previewGroup
	// TopLevel and All count the points without and with sub-points.
	TopLevel, All int
}

// previewGroup is a run of top-level points under one heading.
type previewGroup struct {
	Heading string
	Points  []*plantext.Point
}

// parsePreview parses a text as the store will when it is saved, within
// the same limits, and describes the result.
func parsePreview(text string) *preview {
	pv := &preview{}
	if text == "" {
		pv.Empty = true
		return pv
	}
	if n := utf8.RuneCountInString(text); n > parley.MaxTextLen {
		pv.Error = "The text is " + strconv.Itoa(n) + " characters long, more than " + strconv.Itoa(parley.MaxTextLen) + "."
		return pv
	}
	lim := plantext.DefaultLimits()
	lim.MaxPoints = lineage.MaxPoints
	doc, err := plantext.ParseLimits([]byte(text), lim)
	if err != nil {
		pv.Error = err.Error()
		return pv
	}
	pv.Title, pv.Warnings, pv.TopLevel = doc.Title, doc.Warnings, len(doc.Points)
	for _, p := range doc.Points {
		if len(pv.Groups) == 0 || pv.Groups[len(pv.Groups)-1].Heading != p.Heading {
			pv.Groups = append(pv.Groups, previewGroup{Heading: p.Heading})
		}
		g := &pv.Groups[len(pv.Groups)-1]
		g.Points = append(g.Points, p)
	}
	doc.Walk(func(*plantext.Point) bool { pv.All++; return true })
	if pv.TopLevel == 0 {
		pv.Error = "The text has no numbered points: a point starts a line with a label such as “1.”, “(a)” or “Point 1:”."
	}
	return pv
}

// versionForm draws the form of a version given by its text, with the
// preview of the text when shown is set.
func versionForm(v *parley.Version, ch *choices, plan *parley.Plan) *form {
	preview := planURL(plan.ID) + "/versions/preview"
	f := &form{Action: planURL(plan.ID) + "/versions/new", Submit: "Save version", Cancel: planURL(plan.ID), Multipart: true,
		Preview: preview}
	f.Fields = append(versionFields(v, ch),
		&field{Name: "text", Label: "Text", Type: "textarea", Rows: 22, Value: v.Text,
			Help: "Paste the numbered text, or upload it below. Labels such as “1.”, “(a)”, “iv)” and “Point 3:” start points; " +
				"“## Security”, a line in capitals or a short line ending in a colon heads a group of points.",
			Live: preview, Trigger: "input changed delay:600ms"},
		&field{Name: "file", Label: "Or upload a text file", Type: "file", Accept: ".txt,.md,text/plain,text/markdown",
			Help: "UTF-8 plain text or Markdown; it replaces the text above.", Live: preview, Trigger: "change"})
	return f
}

// readVersionText reads the text of a version: the uploaded file when
// there is one, else the text area.
func readVersionText(r *http.Request) (string, error) {
	text := formText(r.PostForm, "text")
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return text, nil
	}
	fh := r.MultipartForm.File["file"][0]
	if fh.Size == 0 {
		return text, nil
	}
	f, err := fh.Open()
	if err != nil {
		return "", parley.Internal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return "", parley.Internal(err)
	}
	if err := plantext.CheckEncoding(b); err != nil {
		return "", parley.FieldErrorf("file", "%s: %v", fh.Filename, err)
	}
	return string(b), nil
}

// versionFormPage gathers what the form of a new version needs.
func (s *Server) versionFormPage(r *http.Request) (*parley.Version, *parley.Plan, *choices, error) {
	v, plan, err := versionStart(s, r, false)
	if err != nil {
		return nil, nil, nil, err
	}
	ch, err := s.loadChoices(r.Context(), plan.ProcessID)
	if err != nil {
		return nil, nil, nil, err
	}
	return v, plan, ch, nil
}

// showVersionForm draws the form of a new version with status, err on it
// and, when pv is set, the preview.
func (s *Server) showVersionForm(w http.ResponseWriter, r *http.Request, v *parley.Version, plan *parley.Plan, ch *choices, pv *preview, err error) {
	f := versionForm(v, ch, plan)
	if r.Method == http.MethodPost {
		f.keep(r.PostForm)
		f.field("text").Value = v.Text // the uploaded file's, when there was one
	}
	if err != nil {
		f.fail(err)
		if isFormError(err) {
			f.also(v) // readVersionFields and readVersionText read every field
		}
	}
	f.Shown = pv
	title := "New version of " + plan.Title
	s.render(w, r, s.statusOfForm(r, err), "form.html", &formPage{view: view{Title: title, Process: ch.process},
		Intro: "Paste or upload the text; “Preview” shows how it is read, point by point, before anything is saved.", Form: f})
}

// handleVersionNew shows the form of a new version. The first version of
// a plan modelled on another starts from the structure of that plan's
// latest version.
func (s *Server) handleVersionNew(w http.ResponseWriter, r *http.Request) {
	v, plan, ch, err := s.versionFormPage(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var pv *preview
	if len(plan.Versions) == 0 && plan.TemplateID != "" {
		if v.Text, err = s.templateText(r.Context(), plan); err != nil {
			s.pageError(w, r, err)
			return
		}
		if v.Text != "" {
			pv = parsePreview(v.Text)
		}
	}
	s.showVersionForm(w, r, v, plan, ch, pv, nil)
}

// templateText returns the skeleton of a plan's first version from the
// latest version of its template, or "" when that has no text.
func (s *Server) templateText(ctx context.Context, plan *parley.Plan) (string, error) {
	tpl, err := s.svc.Plans.FindPlanByID(ctx, plan.TemplateID)
	if err != nil {
		return "", err
	}
	latest := latestText(tpl)
	if latest == nil {
		return "", nil
	}
	full, err := s.svc.Plans.FindVersionByID(ctx, latest.ID)
	if err != nil {
		return "", err
	}
	return parley.TemplateText(plan.Title, full), nil
}

// handleVersionCreate saves a new version from its text or, when the
// Preview button was pressed, shows the form again with the preview and
// saves nothing.
func (s *Server) handleVersionCreate(w http.ResponseWriter, r *http.Request) {
	s.postVersionForm(w, r, false)
}

// handleVersionPreview parses a text and shows the preview without
// saving anything: for htmx, the preview alone, to replace the one on the
// page; for a plain form post, the whole form with it.
func (s *Server) handleVersionPreview(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("HX-Request") != "true" {
		s.postVersionForm(w, r, true)
		return
	}
	if _, err := s.svc.Plans.FindPlanByID(r.Context(), r.PathValue("id")); err != nil {
		s.pageError(w, r, err)
		return
	}
	pv := &preview{}
	if err := parseForm(w, r, maxVersionForm); err != nil {
		pv.Error = parley.ErrorMessage(err)
	} else if text, err := readVersionText(r); err != nil {
		pv.Error = parley.ErrorMessage(err)
	} else {
		pv = parsePreview(text)
	}
	s.renderFragment(w, r, "form.html", "preview", pv)
}

// postVersionForm reads the form of a new version and saves the version
// or, when only a preview is asked for, shows the form again with the
// preview.
func (s *Server) postVersionForm(w http.ResponseWriter, r *http.Request, previewOnly bool) {
	v, plan, ch, err := s.versionFormPage(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := parseForm(w, r, maxVersionForm); err != nil {
		s.showVersionForm(w, r, v, plan, ch, nil, err)
		return
	}
	err = readVersionFields(r.PostForm, v) // reported when saving, not when previewing
	text, textErr := readVersionText(r)
	v.Text = text
	if textErr != nil {
		s.showVersionForm(w, r, v, plan, ch, nil, textErr)
		return
	}
	if previewOnly || r.PostForm.Get("action") == "preview" {
		s.showVersionForm(w, r, v, plan, ch, parsePreview(v.Text), nil)
		return
	}
	if err == nil {
		err = s.svc.Plans.CreateVersion(r.Context(), v)
	}
	if err != nil {
		if !isFormError(err) {
			s.pageError(w, r, err)
			return
		}
		var pv *preview
		if e := (*parley.Error)(nil); errors.As(err, &e) && e.Field == "text" {
			pv = parsePreview(v.Text) // shows where the text goes wrong
		}
		s.showVersionForm(w, r, v, plan, ch, pv, err)
		return
	}
	seeOther(w, r, versionURL(v.ID))
}
