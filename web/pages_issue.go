package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"parley"
	"parley/analysis"
)

// issuesPage is the data of the page of a process's negotiation model:
// its issues in order with their options, which version settles which
// option, and the way to each party's preferences.
type issuesPage struct {
	view
	Issues []issueView
	// Settled is the table of versions × issues; nil without versions
	// or issues.
	Settled *settleTable
	// Preferences lead to the preferences forms the reader may fill in.
	Preferences []preferencesLink
	// Mediator: the reader may change the model.
	Mediator bool
	// Analysis is the address of the analysis, for a reader who may
	// read it.
	Analysis string
}

// issueView is an issue on the issues page.
type issueView struct {
	*parley.Issue
	Anchor  string
	Badge   template.HTML
	EditURL string
	Options []issueOptionView
	// DefaultLabel is the label of the option a version takes when it
	// says nothing of the issue; "" for none.
	DefaultLabel string
}

// issueOptionView is an option with the points it is tied to, as links.
type issueOptionView struct {
	ID, Label string
	Points    []tiedPoint
}

// tiedPoint is a link to a point of a version, named by the version.
type tiedPoint struct {
	Text, URL string
}

// settleTable shows which option each version takes: one row per
// version, one column per issue.
type settleTable struct {
	Issues []string // the issues' names, in order
	Rows   []settleRow
}

// settleRow is one version of the table; a cell is "" when the version
// leaves the issue unsettled.
type settleRow struct {
	Plan, Version, URL string
	Cells              []string
	// Whole: the version settles every issue, so it is a package.
	Whole bool
}

// preferencesLink is a party whose preferences the reader may set, with
// whether it has any yet.
type preferencesLink struct {
	Party, URL string
	// Set is when they were last saved; "" for none.
	Set string
}

// issueURL is the address of an issue's edit form.
func issueURL(id string) string { return "/issues/" + url.PathEscape(id) + "/edit" }

// issuesURL is the address of a process's issues page.
func issuesURL(processID string) string { return processURL(processID) + "/issues" }

// issueAnchor is the id of an issue's element on the issues page.
func issueAnchor(id string) string { return "issue-" + id }

// handleIssuesPage shows the negotiation model of a process.
func (s *Server) handleIssuesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	proc, err := s.svc.Processes.FindProcessByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	issues, err := s.svc.Negotiation.FindIssues(ctx, proc.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	parties, err := s.svc.Parties.FindParties(ctx, proc.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	plans, err := s.svc.Plans.FindPlans(ctx, proc.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	acc := parley.ActorFrom(ctx).In(proc.ID)
	pg := &issuesPage{view: view{Title: "Negotiation model of " + proc.Name, Process: proc}, Mediator: acc.Mediator()}
	if acc.Mediator() || acc.Role == parley.RoleDelegate {
		pg.Analysis = analysisURL(proc.ID, "")
	}
	n := newNames(parties, nil, nil, nil, nil, plans)
	for _, is := range issues {
		pg.Issues = append(pg.Issues, newIssueView(is, n))
	}
	versions, err := s.settlingVersions(ctx, plans, issues)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg.Settled = newSettleTable(versions, issues)
	if pg.Preferences, err = s.preferencesLinks(ctx, proc.ID, parties, acc); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "issues.html", pg)
}

// newIssueView resolves an issue's tied points into links.
func newIssueView(is *parley.Issue, n *names) issueView {
	iv := issueView{Issue: is, Anchor: issueAnchor(is.ID), Badge: classificationBadge(is.Classification, n), EditURL: issueURL(is.ID)}
	if o := is.Option(is.Default); o != nil {
		iv.DefaultLabel = o.Label
	}
	for _, o := range is.Options {
		ov := issueOptionView{ID: o.ID, Label: o.Label}
		for _, ref := range o.Points {
			ov.Points = append(ov.Points, tiedPoint{Text: "point " + ref.PointID + " of " + n.Version(ref.VersionID),
				URL: pointURL(ref.VersionID, ref.PointID)})
		}
		iv.Options = append(iv.Options, ov)
	}
	return iv
}

// settlingVersion is a version with the plan it belongs to.
type settlingVersion struct {
	*parley.Version
	Plan string
}

// settlingVersions returns the versions of the plans in the order of the
// story, each read with its points when an option of the issues is tied
// to one of them: the others settle nothing, and need not be read.
func (s *Server) settlingVersions(ctx context.Context, plans []*parley.Plan, issues []*parley.Issue) ([]settlingVersion, error) {
	tied := map[string]bool{}
	for _, is := range issues {
		for _, o := range is.Options {
			for _, ref := range o.Points {
				tied[ref.VersionID] = true
			}
		}
	}
	var out []settlingVersion
	for _, p := range storyOrder(plans) {
		for _, v := range p.Versions {
			if tied[v.ID] {
				full, err := s.svc.Plans.FindVersionByID(ctx, v.ID)
				if err != nil {
					return nil, err
				}
				v = full
			}
			out = append(out, settlingVersion{Version: v, Plan: p.Title})
		}
	}
	return out, nil
}

// settlement returns, by issue ID, the option a version takes, and
// whether it settles every issue.
func settlement(v *parley.Version, issues []*parley.Issue) (map[string]string, bool) {
	pkg, unsettled := analysis.PackageOf(v, issues)
	out := make(map[string]string, len(pkg))
	for id, c := range pkg {
		out[id] = c.Option
	}
	return out, len(unsettled) == 0 && len(issues) > 0
}

// newSettleTable builds the table of versions × issues; nil when there
// is nothing to show.
func newSettleTable(versions []settlingVersion, issues []*parley.Issue) *settleTable {
	if len(versions) == 0 || len(issues) == 0 {
		return nil
	}
	t := &settleTable{}
	for _, is := range issues {
		t.Issues = append(t.Issues, is.Name)
	}
	for _, v := range versions {
		taken, whole := settlement(v.Version, issues)
		row := settleRow{Plan: v.Plan, Version: v.Label, URL: versionURL(v.ID), Whole: whole}
		for _, is := range issues {
			cell := ""
			if o := is.Option(taken[is.ID]); o != nil {
				cell = o.Label
			}
			row.Cells = append(row.Cells, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// preferencesLinks lists the parties whose preferences the reader may
// set (a delegate its own party, a mediator every party), with when each
// party's were last saved.
func (s *Server) preferencesLinks(ctx context.Context, processID string, parties []*parley.Party, acc parley.Access) ([]preferencesLink, error) {
	var mine []*parley.Party
	for _, p := range parties {
		if acc.Owns(preferencesClass(p.ID)) {
			mine = append(mine, p)
		}
	}
	if len(mine) == 0 {
		return nil, nil
	}
	prefs, err := s.svc.Negotiation.FindPreferences(ctx, processID)
	if err != nil {
		return nil, err
	}
	var out []preferencesLink
	for _, p := range mine {
		l := preferencesLink{Party: p.Name, URL: preferencesURL(processID, p.ID)}
		if k := slices.IndexFunc(prefs, func(x *parley.Preferences) bool { return x.PartyID == p.ID }); k >= 0 {
			l.Set = formatDay(prefs[k].Updated)
			if l.Set == "" {
				l.Set = "yes"
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// Bounds of the issue form: how many blank rows it offers for new
// options, and how many rows it reads at most.
const (
	blankOptionRows = 3
	maxOptionRows   = parley.MaxIssueOptions + blankOptionRows
)

// issueFormPage is the data of the form of an issue.
type issueFormPage struct {
	view
	Intro string
	// Form holds the issue's own inputs (name, order, divisible, who may
	// see it) and the errors of all of them.
	Form *form
	// Options is the input of the options, drawn as rows.
	Options *field
	Rows    []*optionRow
	// Pick chooses the version whose points the rows offer in a list
	// (a form of its own, sent with GET); Picked is that version, nil
	// when there is none.
	Pick   *field
	Picked *parley.Version
	Points []option // the points of Picked
	// Versions list the versions of the process with their IDs, for
	// tying points of other versions.
	Versions []option
}

// optionRow is one option of the issue form, as typed.
type optionRow struct {
	N                 int // from 1
	ID, Label, Others string
	// Picked are the tied points of the chosen version, as
	// "VERSION_ID#POINT_ID".
	Picked []string
	// Error marks the row an error of the options is about.
	Error bool
}

// Has reports whether a point of the chosen version is tied.
func (r *optionRow) Has(ref string) bool { return slices.Contains(r.Picked, ref) }

// pointRefText writes a tied point as the form shows it.
func pointRefText(ref parley.PointRef) string { return ref.VersionID + "#" + ref.PointID }

// parsePointRef reads "VERSION_ID#POINT_ID".
func parsePointRef(s string) (parley.PointRef, bool) {
	v, p, ok := strings.Cut(s, "#")
	v, p = strings.TrimSpace(v), strings.TrimSpace(p)
	return parley.PointRef{VersionID: v, PointID: p}, ok && v != "" && p != ""
}

// issueEdit is an issue being edited, with what its form offers.
type issueEdit struct {
	issue   *parley.Issue
	process *parley.Process
	parties []*parley.Party
	plans   []*parley.Plan
	// picked is the version whose points the rows list.
	picked *parley.Version
}

// loadIssueEdit reads what the form of issue is needs: the parties and
// plans of its process, and the version whose points to offer, chosen
// by versionID or, when that is empty, the version most of the issue's
// points are tied to, else the latest version with a text.
func (s *Server) loadIssueEdit(ctx context.Context, is *parley.Issue, proc *parley.Process, versionID string) (*issueEdit, error) {
	ie := &issueEdit{issue: is, process: proc}
	var err error
	if ie.parties, err = s.svc.Parties.FindParties(ctx, proc.ID); err != nil {
		return nil, err
	}
	if ie.plans, err = s.svc.Plans.FindPlans(ctx, proc.ID); err != nil {
		return nil, err
	}
	if versionID == "" {
		versionID = defaultPickedVersion(is, ie.plans)
	}
	if versionID != "" {
		v, err := s.svc.Plans.FindVersionByID(ctx, versionID)
		switch {
		case parley.ErrorCode(err) == parley.ENOTFOUND:
			// A version that is gone, or was never there, offers no
			// points; the form still works.
		case err != nil:
			return nil, err
		case s.versionInProcess(v, ie.plans):
			ie.picked = v
		}
	}
	return ie, nil
}

// versionInProcess reports whether v is a version of one of the plans.
func (s *Server) versionInProcess(v *parley.Version, plans []*parley.Plan) bool {
	return slices.ContainsFunc(plans, func(p *parley.Plan) bool { return p.ID == v.PlanID })
}

// defaultPickedVersion is the version the issue's points are mostly
// tied to, else the latest version with a known text.
func defaultPickedVersion(is *parley.Issue, plans []*parley.Plan) string {
	count := map[string]int{}
	best := ""
	for _, o := range is.Options {
		for _, ref := range o.Points {
			count[ref.VersionID]++
			if count[ref.VersionID] > count[best] {
				best = ref.VersionID
			}
		}
	}
	if best != "" {
		return best
	}
	var latest *parley.Version
	for _, p := range plans {
		for _, v := range p.Versions {
			if !v.TextUnknown && (latest == nil || !v.Date.Before(latest.Date)) {
				latest = v
			}
		}
	}
	if latest == nil {
		return ""
	}
	return latest.ID
}

// rows returns the option rows of the stored issue, and blank rows for
// new options.
func (ie *issueEdit) rows() []*optionRow {
	var out []*optionRow
	for k, o := range ie.issue.Options {
		row := &optionRow{N: k + 1, ID: o.ID, Label: o.Label}
		var others []string
		for _, ref := range o.Points {
			if ie.picked != nil && ref.VersionID == ie.picked.ID {
				row.Picked = append(row.Picked, pointRefText(ref))
			} else {
				others = append(others, pointRefText(ref))
			}
		}
		row.Others = strings.Join(others, "\n")
		out = append(out, row)
	}
	return addBlankRows(out)
}

// addBlankRows adds the blank rows for new options.
func addBlankRows(rows []*optionRow) []*optionRow {
	for range blankOptionRows {
		rows = append(rows, &optionRow{N: len(rows) + 1})
	}
	return rows
}

// fields are the issue's own inputs.
func (ie *issueEdit) fields() []*field {
	is := ie.issue
	divisible := []string(nil)
	if is.Divisible {
		divisible = []string{"yes"}
	}
	order := ""
	if is.Order != 0 || is.ID != "" {
		order = strconv.Itoa(is.Order)
	}
	return []*field{
		{Name: "name", Label: "Name", Type: "text", Value: is.Name, Required: true,
			Help: "The question the options answer: “Army cap”, “Line of control”, “Security guarantee”."},
		{Name: "order", Label: "Order", Type: "number", Value: order, Min: "0",
			Help: "Where the issue comes among the issues of the process: lower first."},
		{Name: "divisible", Label: "Divisible", Type: "checkboxes", Values: divisible,
			Options: []option{{Value: "yes", Label: "The issue may be settled by shares of a total (assets, say)"}}},
		{Name: "default", Label: "When a version says nothing of it", Type: "text", Value: is.Default, List: "option-ids", Suggest: optionIDs(is),
			Help: "The ID of the option a version takes when none of its points is tied to an option of the issue: " +
				"what silence means (no cap on the army when no point sets one). Leave it blank to leave such a version's issue unsettled."},
		classificationField(is.Classification, ie.parties, ""),
	}
}

// optionIDs lists the IDs of an issue's options.
func optionIDs(is *parley.Issue) []string {
	out := make([]string, len(is.Options))
	for k, o := range is.Options {
		out[k] = o.ID
	}
	return out
}

// textVersionOptions lists the versions of the plans with a known text, by
// plan, labelled with their IDs.
func textVersionOptions(plans []*parley.Plan, withID bool) []option {
	var out []option
	for _, p := range storyOrder(plans) {
		for _, v := range p.Versions {
			if v.TextUnknown {
				continue
			}
			label := v.Label + " (" + formatDay(v.Date) + ")"
			if withID {
				label += ": " + v.ID
			}
			out = append(out, option{Value: v.ID, Label: label, Group: p.Title})
		}
	}
	return out
}

// pointOptions lists the points of a version, each with its first words.
func pointOptions(v *parley.Version) []option {
	if v == nil {
		return nil
	}
	out := make([]option, 0, len(v.Points))
	for _, p := range v.Points {
		out = append(out, option{Value: pointRefText(parley.PointRef{VersionID: v.ID, PointID: p.ID}),
			Label: cmpLabel(p) + " " + cut(p.Text, 70)})
	}
	return out
}

// cmpLabel is a point's label, or its ID when it has none.
func cmpLabel(p *parley.Point) string {
	if p.Label != "" {
		return p.Label
	}
	return p.ID
}

// readIssue reads the issue form into is: every input it can, then the
// first error, with the row of the option it is about.
func readIssue(vals url.Values, is *parley.Issue) ([]*optionRow, error) {
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	is.Name = formLine(vals, "name")
	order, err := formInt(vals, "order", "The order")
	fail(err)
	is.Order = order
	is.Divisible = slices.Contains(formIDs(vals, "divisible"), "yes")
	is.Default = formLine(vals, "default")
	is.Classification = formClassification(vals)
	is.Options = nil
	var rows []*optionRow
	for k := range maxOptionRows {
		key := strconv.Itoa(k)
		if !vals.Has("option_id_"+key) && !vals.Has("option_label_"+key) {
			continue
		}
		row := &optionRow{ID: formLine(vals, "option_id_"+key), Label: formLine(vals, "option_label_"+key),
			Others: formText(vals, "option_points_"+key), Picked: formIDs(vals, "option_pick_"+key)}
		if row.ID == "" && row.Label == "" && strings.TrimSpace(row.Others) == "" && len(row.Picked) == 0 {
			continue // a blank row
		}
		row.N = len(rows) + 1
		rows = append(rows, row)
		o := parley.IssueOption{ID: row.ID, Label: row.Label}
		seen := map[parley.PointRef]bool{}
		add := func(ref parley.PointRef) {
			if !seen[ref] {
				seen[ref] = true
				o.Points = append(o.Points, ref)
			}
		}
		for _, v := range row.Picked {
			if ref, ok := parsePointRef(v); ok {
				add(ref)
			}
		}
		line := 0
		for text := range strings.Lines(row.Others) {
			line++
			text = strings.TrimSpace(text)
			if text == "" {
				continue
			}
			ref, ok := parsePointRef(text)
			if !ok {
				row.Error = true
				fail(parley.FieldErrorf("options", "option %d: line %d of the other tied points, %q, is not VERSION_ID#POINT_ID", row.N, line, cut(text, 60)))
				continue
			}
			add(ref)
		}
		is.Options = append(is.Options, o)
	}
	return rows, first
}

// optionErrorRE finds the option an error of the options is about.
var optionErrorRE = regexp.MustCompile(`^option (\d+):`)

// markOptionRow marks the row an error of the options names.
func markOptionRow(rows []*optionRow, msg string) {
	m := optionErrorRE.FindStringSubmatch(msg)
	if m == nil {
		return
	}
	n, _ := strconv.Atoi(m[1])
	for _, r := range rows {
		if r.N == n {
			r.Error = true
		}
	}
}

// issueIntro says what an issue is, above its form.
const issueIntro = "An issue is one question of the negotiation model; its options are the answers a plan may give. " +
	"Tie each option to the points whose wording means it: a version in which one of those points appears takes the option. " +
	"Only mediators change the model."

// showIssueForm draws the form of ie's issue with status, and err on it;
// rows are what was typed, nil to draw the stored issue.
func (s *Server) showIssueForm(w http.ResponseWriter, r *http.Request, ie *issueEdit, title, submit string, rows []*optionRow, err error) {
	is := ie.issue
	cancel := issuesURL(ie.process.ID)
	if is.ID != "" {
		cancel += "#" + issueAnchor(is.ID)
	}
	f := &form{Action: r.URL.Path, Submit: submit, Cancel: cancel, Fields: ie.fields()}
	opts := &field{Name: "options", Label: "Options", Type: "options",
		Help: "At least two options, each with a short ID (letters, digits, “.”, “_” or “-”, such as 600k) and a label. " +
			"Leave a row blank to drop it."}
	f.Fields = append(f.Fields, opts)
	if rows == nil {
		rows = ie.rows()
	} else {
		rows = addBlankRows(rows)
	}
	if r.Method == http.MethodPost {
		f.keep(r.PostForm)
	}
	if err != nil {
		f.fail(err)
		if isFormError(err) {
			f.also(is)
		}
		markOptionRow(rows, opts.Error)
	}
	pg := &issueFormPage{view: view{Title: title, Process: ie.process}, Intro: issueIntro, Form: f, Options: opts, Rows: rows,
		Picked: ie.picked, Points: pointOptions(ie.picked), Versions: textVersionOptions(ie.plans, true)}
	pg.Pick = &field{Name: "version", Label: "Offer the points of", Type: "select", Options: textVersionOptions(ie.plans, false)}
	if ie.picked != nil {
		pg.Pick.Value = ie.picked.ID
	}
	s.render(w, r, s.statusOfForm(r, err), "issue_form.html", pg)
}

// issueNew returns a new issue of the process of the path, after the
// process's issues.
func (s *Server) issueNew(ctx context.Context, processID string) (*parley.Issue, *parley.Process, error) {
	proc, err := s.svc.Processes.FindProcessByID(ctx, processID)
	if err != nil {
		return nil, nil, err
	}
	issues, err := s.svc.Negotiation.FindIssues(ctx, proc.ID)
	if err != nil {
		return nil, nil, err
	}
	order := 0
	for _, is := range issues {
		order = max(order, is.Order+1)
	}
	return &parley.Issue{ProcessID: proc.ID, Order: order, Classification: inherit(proc.Classification)}, proc, nil
}

// issueStored returns the issue of the path and its process.
func (s *Server) issueStored(ctx context.Context, id string) (*parley.Issue, *parley.Process, error) {
	is, err := s.svc.Negotiation.FindIssueByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	proc, err := s.svc.Processes.FindProcessByID(ctx, is.ProcessID)
	if err != nil {
		return nil, nil, err
	}
	return is, proc, nil
}

// handleIssueNew shows the form of a new issue.
func (s *Server) handleIssueNew(w http.ResponseWriter, r *http.Request) {
	is, proc, err := s.issueNew(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ie, err := s.loadIssueEdit(r.Context(), is, proc, r.URL.Query().Get("version"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showIssueForm(w, r, ie, "New issue", "Create issue", nil, nil)
}

// handleIssueCreate creates an issue from its form, or shows the form
// again with what is wrong.
func (s *Server) handleIssueCreate(w http.ResponseWriter, r *http.Request) {
	is, proc, err := s.issueNew(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.saveIssueForm(w, r, is, proc, "New issue", "Create issue", s.svc.Negotiation.CreateIssue)
}

// handleIssueEdit shows the form of a stored issue.
func (s *Server) handleIssueEdit(w http.ResponseWriter, r *http.Request) {
	is, proc, err := s.issueStored(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ie, err := s.loadIssueEdit(r.Context(), is, proc, r.URL.Query().Get("version"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showIssueForm(w, r, ie, "Edit issue “"+is.Name+"”", "Save changes", nil, nil)
}

// handleIssueUpdate saves the form of a stored issue.
func (s *Server) handleIssueUpdate(w http.ResponseWriter, r *http.Request) {
	is, proc, err := s.issueStored(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.saveIssueForm(w, r, is, proc, "Edit issue “"+is.Name+"”", "Save changes", s.svc.Negotiation.UpdateIssue)
}

// saveIssueForm reads a posted issue form into is and saves it, then
// goes to the issue on the issues page; or shows the form again with
// what is wrong, as it was typed.
func (s *Server) saveIssueForm(w http.ResponseWriter, r *http.Request, is *parley.Issue, proc *parley.Process, title, submit string,
	save func(context.Context, *parley.Issue) error) {
	ctx := r.Context()
	var rows []*optionRow
	err := parseForm(w, r, maxFormBody)
	if err == nil {
		if rows, err = readIssue(r.PostForm, is); err == nil {
			err = save(ctx, is)
		}
	}
	switch {
	case err == nil:
		seeOther(w, r, issuesURL(proc.ID)+"#"+issueAnchor(is.ID))
		return
	case !isFormError(err):
		s.pageError(w, r, err)
		return
	}
	ie, lerr := s.loadIssueEdit(ctx, is, proc, formLine(r.PostForm, "version"))
	if lerr != nil {
		s.pageError(w, r, lerr)
		return
	}
	s.showIssueForm(w, r, ie, title, submit, rows, err)
}
