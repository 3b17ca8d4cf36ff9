package web

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"parley"
	"parley/analysis"
	"parley/bargain"
)

// preferencesURL is the address of a party's preferences form.
func preferencesURL(processID, partyID string) string {
	return processURL(processID) + "/preferences/" + url.PathEscape(partyID)
}

// preferencesClass is the classification of a party's preferences: they
// are always confidential to the party (and the mediators).
func preferencesClass(partyID string) parley.Classification {
	return parley.Classification{Level: parley.Confidential, PartyIDs: []string{partyID}}
}

// Names of the inputs of the preferences form that are not one per issue
// or option.
const (
	prefsWeights     = "weights" // the sum of the weights, where its error is shown
	prefsRatings     = "ratings"
	prefsNever       = "never"
	prefsReservation = "reservation"
	prefsNote        = "note"
)

// weightInput and ratingInput name the inputs of an issue's weight and
// an option's rating. Option IDs hold no ":", so the names read back.
func weightInput(issueID string) string           { return "weight:" + issueID }
func ratingInput(issueID, optionID string) string { return "rating:" + issueID + ":" + optionID }

// preferencesPage is the data of a party's preferences form and of the
// check of its numbers.
type preferencesPage struct {
	view
	Party *parley.Party
	// Badge says who sees the preferences, and Intro why.
	Badge template.HTML
	Intro string
	// Form holds every input, for the summary of errors; the page draws
	// them issue by issue.
	Form   *form
	Issues []prefsIssue
	// Weights, Ratings and Never show errors about the weights as a
	// whole, the ratings and the never-list; Reservation and Note are
	// inputs.
	Weights, Ratings, Never, Reservation, Note *field
	// Sum is the sum of the weights submitted; Submitted says there was
	// a submission to sum.
	Sum       int
	Submitted bool
	// Saved is when the stored preferences were saved; "" for none.
	Saved string
	// Check ranks packages by the numbers of the form: the stored ones,
	// or those submitted to be checked. Nil when there is nothing to
	// rank.
	Check *preferencesCheck
	// Back is the issues page.
	Back string
}

// prefsIssue is an issue of the preferences form.
type prefsIssue struct {
	*parley.Issue
	Weight  *field
	Options []prefsOption
}

// prefsOption is an option of the preferences form: its rating, and
// whether the party will never accept it.
type prefsOption struct {
	ID, Label string
	Rating    *field
	// Never is the value of the option's "never" checkbox ("issue:option")
	// and NeverID its id; Refused says it is ticked.
	Never, NeverID string
	Refused        bool
}

// preferencesTarget is what the preferences pages are about: a party of
// a process the reader may set the preferences of.
type preferencesTarget struct {
	process *parley.Process
	party   *parley.Party
	issues  []*parley.Issue
}

// loadPreferencesTarget reads the process and party of the path, and the
// process's issues. A reader who may not set the party's preferences (a
// delegate of another party, an observer) is refused: they may neither
// see nor change them, and the form would only be refused when sent.
func (s *Server) loadPreferencesTarget(ctx context.Context, processID, partyID string) (*preferencesTarget, error) {
	proc, err := s.svc.Processes.FindProcessByID(ctx, processID)
	if err != nil {
		return nil, err
	}
	party, err := s.svc.Parties.FindPartyByID(ctx, partyID)
	if err != nil {
		return nil, err
	}
	if party.ProcessID != proc.ID {
		return nil, parley.Errorf(parley.ENOTFOUND, "The process has no party %q.", partyID)
	}
	if !parley.ActorFrom(ctx).In(proc.ID).Owns(preferencesClass(party.ID)) {
		return nil, parley.Errorf(parley.EFORBIDDEN, "Only the delegates of %s and the mediators may see and set its preferences.", party.Name)
	}
	issues, err := s.svc.Negotiation.FindIssues(ctx, proc.ID)
	if err != nil {
		return nil, err
	}
	// A party's preferences speak only of the issues it may see (the
	// store refuses the others): a mediator filling them in for the
	// party is shown those alone.
	partyAccess := parley.PartyAccess(party.ID)
	issues = slices.DeleteFunc(issues, func(is *parley.Issue) bool { return !partyAccess.Sees(is.Classification) })
	return &preferencesTarget{process: proc, party: party, issues: issues}, nil
}

// storedPreferences returns the party's stored preferences, or nil.
func (s *Server) storedPreferences(ctx context.Context, t *preferencesTarget) (*parley.Preferences, error) {
	all, err := s.svc.Negotiation.FindPreferences(ctx, t.process.ID)
	if err != nil {
		return nil, err
	}
	if k := slices.IndexFunc(all, func(p *parley.Preferences) bool { return p.PartyID == t.party.ID }); k >= 0 {
		return all[k], nil
	}
	return nil, nil
}

// preferencesForm builds the form of p's numbers (blank for nil).
func preferencesForm(t *preferencesTarget, p *parley.Preferences, action string) *preferencesPage {
	pg := &preferencesPage{
		view:  view{Title: "Preferences of " + t.party.Name, Process: t.process},
		Party: t.party, Back: issuesURL(t.process.ID), Intro: preferencesIntro,
		Badge:   classBadge(parley.Confidential, "Confidential to "+t.party.Name),
		Form:    &form{Action: action, Submit: "Save"},
		Weights: &field{Name: prefsWeights, Label: "Importance points"},
		Ratings: &field{Name: prefsRatings, Label: "Ratings"},
		Never:   &field{Name: prefsNever, Label: "Never"},
		Reservation: &field{Name: prefsReservation, Label: "Reservation level", Type: "number", Min: "0", Max: "100",
			Help: "The utility (0–100) below which the party would rather walk away than agree."},
		Note: &field{Name: prefsNote, Label: "Note", Type: "textarea", Rows: 3,
			Help: "Where the numbers come from (“illustrative”, “from the delegation's briefing of 3 December”)."},
	}
	if p != nil {
		pg.Reservation.Value = strconv.Itoa(p.Reservation)
		pg.Note.Value = p.Note
	}
	f := pg.Form
	f.Fields = append(f.Fields, pg.Weights)
	for _, is := range t.issues {
		pi := prefsIssue{Issue: is, Weight: &field{Name: weightInput(is.ID), Label: "Importance of " + is.Name, Type: "number", Min: "0", Max: "100"}}
		if w, ok := prefWeight(p, is.ID); ok {
			pi.Weight.Value = strconv.Itoa(w)
		}
		f.Fields = append(f.Fields, pi.Weight)
		for _, o := range is.Options {
			ref := parley.OptionRef{IssueID: is.ID, OptionID: o.ID}
			po := prefsOption{ID: o.ID, Label: o.Label, Never: ref.String(), NeverID: "never-" + is.ID + "-" + o.ID,
				Rating: &field{Name: ratingInput(is.ID, o.ID), Label: "Rating of " + o.Label + " (" + is.Name + ")", Type: "number", Min: "0", Max: "100"}}
			if r, ok := prefRating(p, is.ID, o.ID); ok {
				po.Rating.Value = strconv.Itoa(r)
			}
			po.Refused = p != nil && slices.Contains(p.Never, ref)
			f.Fields = append(f.Fields, po.Rating)
			pi.Options = append(pi.Options, po)
		}
		pg.Issues = append(pg.Issues, pi)
	}
	f.Fields = append(f.Fields, pg.Ratings, pg.Never, pg.Reservation, pg.Note)
	return pg
}

// prefWeight returns an issue's weight in p, which may be nil.
func prefWeight(p *parley.Preferences, issueID string) (int, bool) {
	if p == nil {
		return 0, false
	}
	w, ok := p.Weights[issueID]
	return w, ok
}

// prefRating returns an option's rating in p, which may be nil.
func prefRating(p *parley.Preferences, issueID, optionID string) (int, bool) {
	if p == nil {
		return 0, false
	}
	r, ok := p.Ratings[issueID][optionID]
	return r, ok
}

// readPreferences reads the submitted form into pg's fields, to be shown
// again as typed, and into preferences of the party. An input that is
// not a whole number from 0 to 100 is marked, and so are the weights
// when they do not sum to 100; ok reports that none is.
func readPreferences(vals url.Values, t *preferencesTarget, pg *preferencesPage) (p *parley.Preferences, ok bool) {
	p = &parley.Preferences{ProcessID: t.process.ID, PartyID: t.party.ID, Weights: map[string]int{},
		Ratings: map[string]map[string]int{}, Classification: preferencesClass(t.party.ID)}
	pg.Submitted = true
	ok = true
	number := func(f *field, what string) (int, bool) {
		f.Value = formLine(vals, f.Name)
		if f.Value == "" {
			return 0, false
		}
		n, err := strconv.Atoi(f.Value)
		switch {
		case err != nil:
			f.Error, ok = fmt.Sprintf("%s must be a whole number from 0 to 100, not %q.", what, cut(f.Value, 20)), false
		case n < 0 || n > 100:
			f.Error, ok = fmt.Sprintf("%s is %d, not 0–100.", what, n), false
		default:
			return n, true
		}
		return 0, false
	}
	for _, pi := range pg.Issues {
		if w, set := number(pi.Weight, "The importance of "+pi.Name); set {
			p.Weights[pi.ID] = w
			pg.Sum += w
		} else if pi.Weight.Value == "" {
			p.Weights[pi.ID] = 0 // left blank: the issue does not matter
		}
		rs := map[string]int{}
		for k := range pi.Options {
			po := &pi.Options[k]
			if r, set := number(po.Rating, "The rating of "+po.Label); set {
				rs[po.ID] = r
			}
			ref := parley.OptionRef{IssueID: pi.ID, OptionID: po.ID}
			po.Refused = slices.Contains(vals[prefsNever], ref.String())
			if po.Refused {
				p.Never = append(p.Never, ref)
			}
		}
		p.Ratings[pi.ID] = rs
	}
	if ok && len(pg.Issues) > 0 && pg.Sum != 100 {
		pg.Weights.Error, ok = fmt.Sprintf("The importance points sum to %d, not 100.", pg.Sum), false
	}
	if r, set := number(pg.Reservation, "The reservation level"); set {
		p.Reservation = r
	}
	pg.Note.Value = formText(vals, prefsNote)
	p.Note = pg.Note.Value
	for _, f := range pg.Form.Fields {
		if f.Error != "" {
			f.Focus = true
			break
		}
	}
	return p, ok
}

// preferencesCheck is the check of a party's numbers: how they rank a few
// whole packages, with sentences that say it plainly.
type preferencesCheck struct {
	// Unsaved: the numbers checked are those of the form, not stored.
	Unsaved bool
	Ranked  []rankedRow
	// Says are the sentences: "Your numbers rank A above B: 64 vs 41."
	Says []string
	// Reservation is the party's walk-away utility, to compare with.
	Reservation int
}

// rankedRow is one ranked package.
type rankedRow struct {
	analysis.Ranked
	Rank int // from 1
	// Shown is the utility as printed.
	Shown string
}

// checkPreferences ranks, by p's numbers, the package of every version
// of the process that settles an issue, and the party's own best and
// worst packages.
func (s *Server) checkPreferences(ctx context.Context, t *preferencesTarget, p *parley.Preferences) (*preferencesCheck, error) {
	if len(t.issues) == 0 {
		return nil, nil
	}
	plans, err := s.svc.Plans.FindPlans(ctx, t.process.ID)
	if err != nil {
		return nil, err
	}
	versions, err := s.settlingVersions(ctx, plans, t.issues)
	if err != nil {
		return nil, err
	}
	labels := map[string]int{}
	for _, v := range versions {
		labels[v.Label]++
	}
	named := map[string]bargain.Package{}
	whole := map[string]bool{}
	for _, v := range versions {
		pkg, unsettled := analysis.PackageOf(v.Version, t.issues)
		if len(pkg) == 0 {
			continue
		}
		label := v.Label
		if labels[label] > 1 {
			label = v.Plan + ": " + v.Label
		}
		named[label] = pkg
		whole[label] = len(unsettled) == 0
	}
	c := &preferencesCheck{Reservation: p.Reservation}
	var versionRows []rankedRow
	for _, r := range analysis.Ranking(t.issues, p, named) {
		row := rankedRow{Ranked: r, Rank: len(c.Ranked) + 1, Shown: formatUtility(r.Utility)}
		c.Ranked = append(c.Ranked, row)
		if r.Kind == analysis.KindNamed && whole[r.Label] {
			versionRows = append(versionRows, row)
		}
	}
	for k := 1; k < len(versionRows); k++ {
		a, b := versionRows[k-1], versionRows[k]
		if a.Shown == b.Shown {
			c.Says = append(c.Says, fmt.Sprintf("Your numbers value %s and %s alike: %s each.", a.Label, b.Label, a.Shown))
		} else {
			c.Says = append(c.Says, fmt.Sprintf("Your numbers rank %s above %s: %s vs %s.", a.Label, b.Label, a.Shown, b.Shown))
		}
	}
	for _, r := range versionRows {
		if r.Below {
			c.Says = append(c.Says, fmt.Sprintf("%s is below your reservation level: %s < %d; your numbers say you would rather walk away.", r.Label, r.Shown, p.Reservation))
		}
		if len(r.Never) > 0 {
			c.Says = append(c.Says, fmt.Sprintf("%s holds what you never accept: %s.", r.Label, strings.Join(r.Never, "; ")))
		}
	}
	return c, nil
}

// formatUtility writes a utility with at most two decimals, as the
// command line does: "64", "41.5", "64.85". Utilities are multiples of
// 1/100 unless a divisible issue is split.
func formatUtility(u float64) string {
	return strconv.FormatFloat(math.Round(u*100)/100, 'f', -1, 64)
}

// preferencesIntro says what the form is for and who sees it.
const preferencesIntro = "These numbers are confidential to the party and the mediators: no other party sees them, " +
	"nor the utilities the analysis computes from them."

// showPreferences draws the preferences page with status.
func (s *Server) showPreferences(w http.ResponseWriter, r *http.Request, status int, pg *preferencesPage) {
	s.render(w, r, status, "preferences.html", pg)
}

// handlePreferencesPage shows a party's preferences form and the check of
// its stored numbers.
func (s *Server) handlePreferencesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := s.loadPreferencesTarget(ctx, r.PathValue("id"), r.PathValue("party"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	stored, err := s.storedPreferences(ctx, t)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg := preferencesForm(t, stored, r.URL.Path)
	if stored != nil {
		pg.Saved = formatDay(stored.Updated)
		for _, w := range stored.Weights {
			pg.Sum += w
		}
		if pg.Check, err = s.checkPreferences(ctx, t, stored); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	s.showPreferences(w, r, http.StatusOK, pg)
}

// handlePreferencesSave saves a party's preferences from the form, then
// shows them again (Post/Redirect/Get); or, with "Check without saving",
// shows the check of the numbers typed without storing them. Errors are
// shown at the inputs, with what was typed.
func (s *Server) handlePreferencesSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := s.loadPreferencesTarget(ctx, r.PathValue("id"), r.PathValue("party"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := parseForm(w, r, maxFormBody); err != nil {
		s.pageError(w, r, err)
		return
	}
	pg := preferencesForm(t, nil, r.URL.Path)
	if r.PostForm.Get("action") == "check" {
		pg.Form.Unsaved = "Not checked: the numbers do not hold together yet."
	}
	// What is stored stays as it was, whatever this submit does: say so.
	stored, err := s.storedPreferences(ctx, t)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if stored != nil {
		pg.Saved = formatDay(stored.Updated)
	}
	p, ok := readPreferences(r.PostForm, t, pg)
	if !ok {
		s.showPreferences(w, r, http.StatusBadRequest, pg)
		return
	}
	if r.PostForm.Get("action") == "check" {
		err = p.Validate()
		if err == nil {
			err = p.CheckAgainst(t.issues)
		}
		if err != nil {
			pg.Form.fail(err)
			s.showPreferences(w, r, http.StatusBadRequest, pg)
			return
		}
		if pg.Check, err = s.checkPreferences(ctx, t, p); err != nil {
			s.pageError(w, r, err)
			return
		}
		if pg.Check != nil {
			pg.Check.Unsaved = true
		}
		s.showPreferences(w, r, http.StatusOK, pg)
		return
	}
	switch err := s.svc.Negotiation.SetPreferences(ctx, p); {
	case err == nil:
		seeOther(w, r, preferencesURL(t.process.ID, t.party.ID))
	case isFormError(err):
		pg.Form.fail(err)
		s.showPreferences(w, r, http.StatusBadRequest, pg)
	default:
		s.pageError(w, r, err)
	}
}
