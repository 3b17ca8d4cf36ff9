package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"parley"
	"parley/compare"
	"parley/plantext"
)

// Addresses of the pages about positions.

// positionsURL is the address of the consensus matrix of a version.
func positionsURL(versionID string) string { return versionURL(versionID) + "/positions" }

// positionsCompareURL is the address of the change of positions between
// version fromID and version toID.
func positionsCompareURL(toID, fromID string) string {
	return positionsURL(toID) + "/compare?" + url.Values{"from": {fromID}}.Encode()
}

// positionFormURL is the address of the form that sets a party's position
// on a point; partyID may be empty.
func positionFormURL(versionID, pointID, partyID string) string {
	u := pointPageURL(versionID, pointID, "position")
	if partyID != "" {
		u += "?" + url.Values{"party": {partyID}}.Encode()
	}
	return u
}

// matrixRowAnchor is the id of a point's row in the matrix's table.
func matrixRowAnchor(pointID string) string { return "row-" + pointID }

// mayWritePositions says, for the reader's access to a process, whose
// positions the pages offer to set: every party's for a mediator, its own
// party's for a delegate, none for anyone else. It only decides which
// links and choices are shown; the store decides what is saved.
func mayWritePositions(acc parley.Access) func(partyID string) bool {
	return func(partyID string) bool {
		return acc.Mediator() || (acc.Role == parley.RoleDelegate && partyID != "" && acc.PartyID == partyID)
	}
}

// positionsPage is the data of a version's consensus matrix.
type positionsPage struct {
	view
	Plan    *parley.Plan
	Version *parley.Version // without text and points
	// Class is the version's classification badge.
	Class  template.HTML
	Matrix *matrix
	// SVG is the matrix drawn; empty when the version has no points.
	SVG    template.HTML
	Counts consensusCounts
	// Notes are the points with notes or counter-wordings, in order.
	Notes []pointNotes
	// Compare picks another version to compare the positions with; nil
	// when the process has no other version with a known text.
	Compare *versionChoice
	// Since is the version this one comes from, and SinceURL the
	// comparison of the positions on both; nil and "" for none.
	Since    *parley.Version
	SinceURL string
	// Hidden names the parties left out of the matrix: without a
	// position on this version that the reader may see (see
	// matrixParties).
	Hidden []string
}

// pointNotes are the notes and counter-wordings of the parties on one
// point.
type pointNotes struct {
	Point   *parley.Point
	Name    string // the point's label without its final dot
	URL     string
	Anchor  string
	Entries []noteEntry
}

// noteEntry is one party's note or counter-wording on a point.
type noteEntry struct {
	Party string
	Look  stanceLook
	Note  string
	// Counter is the counter-wording, as the point's text with the words
	// the party would change: deleted and inserted runs.
	Counter []diffRun
	Class   template.HTML
	// Edit is the address of the form, for a reader who may change the
	// position.
	Edit string
}

// versionChoice is the small form that picks a version to compare with.
type versionChoice struct {
	Action string
	Field  *field
}

// handlePositionMatrix shows the consensus matrix of a version: its
// points by the parties the reader may see, each cell the stance of the
// party on the point as far as the reader may see it, with the counts of
// what is accepted by all, each party's stances, the red lines, and the
// notes and counter-wordings.
func (s *Server) handlePositionMatrix(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v, err := s.svc.Plans.FindVersionByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	plan, proc, err := s.findPlanInProcess(ctx, v.PlanID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	parties, err := s.svc.Parties.FindParties(ctx, proc.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	positions, err := s.svc.Positions.FindPositions(ctx, parley.PositionFilter{ProcessID: proc.ID, VersionID: v.ID})
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
	cols := matrixParties(parties, acc, positions)
	ix := indexPositions(positions)
	n := newNames(parties, nil, nil, nil, nil, nil)
	shown := *v
	shown.Points, shown.Text = nil, ""
	pg := &positionsPage{view: view{Title: "Positions on " + v.Label, Process: proc}, Plan: plan, Version: &shown,
		Class:  classificationBadge(v.Classification, n),
		Matrix: newMatrix(v, cols, ix, mayWritePositions(acc)), Counts: countConsensus(v, cols, ix)}
	for _, p := range parties {
		if !slices.Contains(cols, p) {
			pg.Hidden = append(pg.Hidden, p.Name)
		}
	}
	if len(v.Points) > 0 {
		pg.SVG = pg.Matrix.svg()
	}
	pg.Notes = positionNotesOf(v, cols, ix, n, mayWritePositions(acc))
	pg.Compare = newVersionChoice(plans, v, "")
	if from := defaultFrom(plans, v); from != "" {
		for _, p := range plans {
			for _, x := range p.Versions {
				if x.ID == from {
					pg.Since, pg.SinceURL = x, positionsCompareURL(v.ID, from)
				}
			}
		}
	}
	s.render(w, r, http.StatusOK, "positions.html", pg)
}

// positionNotesOf lists, point by point, the parties' notes and
// counter-wordings, each counter-wording as a word diff against the
// point's text.
func positionNotesOf(v *parley.Version, parties []*parley.Party, ix positionIndex, n *names, mayWrite func(string) bool) []pointNotes {
	var out []pointNotes
	for _, pt := range v.Points {
		pn := pointNotes{Point: pt, Name: pointName(pt), URL: pointURL(v.ID, pt.ID), Anchor: "notes-" + pt.ID}
		for _, party := range parties {
			pos := ix.at(pt.ID, party.ID)
			if pos == nil || (strings.TrimSpace(pos.Note) == "" && strings.TrimSpace(pos.Counter) == "") {
				continue
			}
			e := noteEntry{Party: party.Name, Look: lookOf(pos), Note: pos.Note, Class: classificationBadge(pos.Classification, n)}
			if strings.TrimSpace(pos.Counter) != "" {
				e.Counter, _ = wordRuns(pt.Text, pos.Counter, false)
			}
			if mayWrite(party.ID) {
				e.Edit = positionFormURL(v.ID, pt.ID, party.ID)
			}
			pn.Entries = append(pn.Entries, e)
		}
		if len(pn.Entries) > 0 {
			out = append(out, pn)
		}
	}
	return out
}

// newVersionChoice is the select of the process's other versions with a
// known text, grouped by plan, to compare the positions on v with;
// selected is chosen, or when empty the version v comes from. Nil when
// there is no other version.
func newVersionChoice(plans []*parley.Plan, v *parley.Version, selected string) *versionChoice {
	var opts []option
	for _, p := range storyOrder(plans) {
		for _, x := range p.Versions {
			if !x.TextUnknown && x.ID != v.ID {
				opts = append(opts, option{Value: x.ID, Label: x.Label + " (" + formatDay(x.Date) + ")", Group: p.Title})
			}
		}
	}
	if len(opts) == 0 {
		return nil
	}
	if selected == "" {
		selected = defaultFrom(plans, v)
	}
	return &versionChoice{Action: positionsURL(v.ID) + "/compare",
		Field: &field{Name: "from", Label: "Compare with the positions on", Type: "select", Options: opts, Value: selected}}
}

// defaultFrom is the version the positions on v are compared with when
// the reader names none: the one its lineage was computed against, else
// the latest version before it in its plan with a known text; "" when
// there is neither.
func defaultFrom(plans []*parley.Plan, v *parley.Version) string {
	var before string
	for _, p := range plans {
		at := slices.IndexFunc(p.Versions, func(x *parley.Version) bool { return x.ID == v.ID })
		if at < 0 {
			continue
		}
		for _, x := range slices.Backward(p.Versions[:at]) {
			if !x.TextUnknown {
				before = x.ID
				break
			}
		}
	}
	for _, p := range plans {
		for _, x := range p.Versions {
			if x.ID == v.PreviousID && !x.TextUnknown {
				return x.ID
			}
		}
	}
	return before
}

// positionsComparePage is the data of the change of positions between
// two versions.
type positionsComparePage struct {
	view
	From, To         *parley.Version // without text and points
	FromPlan, ToPlan string
	Parties          []*parley.Party
	// Totals are the counts before → after; AcceptedByAll is the first
	// that matters.
	Totals        []countChange
	AcceptedByAll countChange
	PerParty      []partyChange
	// Changes count the marks of every kind, in the order of
	// changeKinds.
	Changes []countChange
	Rows    []positionsCompareRow
	// ChangedRows counts the rows where some stance changed.
	ChangedRows int
	// OneSided names the parties with positions on only one of the two
	// versions (that the reader may see): their stances are shown, not
	// compared.
	OneSided []string
	// Added and Dropped count the points added and dropped.
	Added, Dropped int
	Compare        *versionChoice
	// MatrixURL and FromMatrixURL are the two versions' matrices.
	MatrixURL, FromMatrixURL string
	// Missing says that no version was chosen and there is none to
	// default to.
	Missing bool
	// Legend explains the letters and colours.
	Legend []stanceLook
}

// countChange is one count before and after.
type countChange struct {
	What          string
	Before, After int
}

// Delta is the change of a count as "+4" or "−2"; "" when there is
// none.
func (c countChange) Delta() string {
	switch d := c.After - c.Before; {
	case d > 0:
		return fmt.Sprintf("+%d", d)
	case d < 0:
		return fmt.Sprintf("−%d", -d)
	}
	return ""
}

// partyChange is one party's counts before and after.
type partyChange struct {
	Party                      string
	Accepted, Rejects, RedLine countChange
}

// positionsCompareRow is one aligned pair of points and each party's
// stances on both sides.
type positionsCompareRow struct {
	// Op is what happened to the point, in words ("reworded").
	Op       string
	From, To []pointLink
	// Text is the first words of the point, as it reads after (before,
	// for a dropped point).
	Text    string
	Cells   []compareCell
	Changed bool
	// Kind is the comparison's operation, for the row's style.
	Kind compare.Op
}

// pointLink is a point of one side of a pair, linked.
type pointLink struct {
	Name, URL string
}

// compareCell is one party's stances on one aligned pair: one per point
// on each side (several for a merge or a split), and what changed.
type compareCell struct {
	Party         string
	Before, After []stanceLook
	Marks         []string
	Changed       bool
}

// The kinds of change the compare page marks, in the order it counts
// them.
const (
	markAccepted   = "newly accepted"
	markRejected   = "newly rejected"
	markRedLine    = "new red line"
	markRedDropped = "red line dropped"
	markDropped    = "position dropped"
	markChanged    = "stance changed"
)

// changeKinds lists the marks in the order the page counts them.
var changeKinds = []string{markAccepted, markRejected, markRedLine, markRedDropped, markDropped, markChanged}

// opWords says what happened to a point between two versions.
var opWords = map[compare.Op]string{
	compare.Unchanged: "unchanged", compare.Renumbered: "renumbered", compare.Moved: "moved", compare.Edited: "reworded",
	compare.Merged: "merged", compare.Split: "split", compare.Added: "added", compare.Dropped: "dropped",
}

// sideStances sums up one party's stances on the points of one side of
// a pair.
type sideStances struct {
	recorded, accepted, rejected, redLine bool
}

// sumStances sums up looks: accepted when every point is recorded and
// accepted; rejected or a red line when any point is.
func sumStances(looks []stanceLook) sideStances {
	s := sideStances{accepted: len(looks) > 0}
	for _, l := range looks {
		s.recorded = s.recorded || l.Stance != ""
		s.accepted = s.accepted && l.Stance.Accepted()
		s.rejected = s.rejected || l.Stance == parley.Rejects
		s.redLine = s.redLine || l.Stance == parley.RedLine
	}
	return s
}

// stanceMarks says what changed between a party's stances before and
// after: the kinds of change that matter to a mediator, or "stance
// changed" for any other difference.
func stanceMarks(before, after []stanceLook) []string {
	b, a := sumStances(before), sumStances(after)
	var marks []string
	if !b.accepted && a.accepted {
		marks = append(marks, markAccepted)
	}
	if a.rejected && !b.rejected && !b.redLine {
		marks = append(marks, markRejected)
	}
	if a.redLine && !b.redLine {
		marks = append(marks, markRedLine)
	}
	if b.redLine && !a.redLine && a.recorded {
		marks = append(marks, markRedDropped)
	}
	if b.recorded && !a.recorded {
		marks = append(marks, markDropped)
	}
	same := slices.EqualFunc(before, after, func(x, y stanceLook) bool { return x.Stance == y.Stance })
	if len(marks) == 0 && !same && (b.recorded || a.recorded) && !allSame(before, after) {
		marks = append(marks, markChanged)
	}
	return marks
}

// allSame reports whether every stance on both sides is the same one (a
// split point that keeps its party's stance on every part).
func allSame(before, after []stanceLook) bool {
	all := slices.Concat(before, after)
	for _, l := range all {
		if l.Stance != all[0].Stance {
			return false
		}
	}
	return true
}

// handlePositionCompare shows how the parties' positions changed between
// two versions of one process (parameter from, the earlier one, and the
// version of the path): the versions' points aligned as the compare page
// aligns them, each party's stance before → after with the changes
// marked, the points added and dropped, and the counts before → after.
// Without from, the version the path's version comes from is taken.
func (s *Server) handlePositionCompare(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	to, processID, err := s.comparedVersion(ctx, "id", r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	proc, err := s.svc.Processes.FindProcessByID(ctx, processID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	plans, err := s.svc.Plans.FindPlans(ctx, processID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	fromID := r.URL.Query().Get("from")
	if fromID == "" {
		fromID = defaultFrom(plans, to)
	}
	pg := &positionsComparePage{view: view{Title: "Positions: what changed in " + to.Label, Process: proc},
		To: withoutText(to), MatrixURL: positionsURL(to.ID), Compare: newVersionChoice(plans, to, fromID), Legend: stanceLegend()}
	pg.ToPlan = planTitle(plans, to.PlanID)
	if fromID == "" {
		pg.Missing = true
		s.render(w, r, http.StatusOK, "positions_compare.html", pg)
		return
	}
	from, fromProcess, err := s.comparedVersion(ctx, "from", fromID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if fromProcess != processID {
		s.pageError(w, r, parley.FieldErrorf("from", "Version %q belongs to another process; only versions of one process can be compared.", from.Label))
		return
	}
	if err := s.fillPositionsCompare(ctx, pg, plans, from, to); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "positions_compare.html", pg)
}

// withoutText returns a copy of a version without its text and points,
// for a page that shows only its facts.
func withoutText(v *parley.Version) *parley.Version {
	c := *v
	c.Text, c.Points = "", nil
	return &c
}

// planTitle returns the title of a plan among plans, or "".
func planTitle(plans []*parley.Plan, id string) string {
	for _, p := range plans {
		if p.ID == id {
			return p.Title
		}
	}
	return ""
}

// fillPositionsCompare aligns the points of from and to, reads the
// positions on both, and fills in the rows and counts of the page.
func (s *Server) fillPositionsCompare(ctx context.Context, pg *positionsComparePage, plans []*parley.Plan, from, to *parley.Version) error {
	processID := pg.Process.ID
	fromDoc, err := plantext.Parse([]byte(from.Text))
	if err != nil {
		return parley.Internal(err) // stored texts were parsed once already
	}
	toDoc, err := plantext.Parse([]byte(to.Text))
	if err != nil {
		return parley.Internal(err)
	}
	parties, err := s.svc.Parties.FindParties(ctx, processID)
	if err != nil {
		return err
	}
	before, err := s.svc.Positions.FindPositions(ctx, parley.PositionFilter{ProcessID: processID, VersionID: from.ID})
	if err != nil {
		return err
	}
	after, err := s.svc.Positions.FindPositions(ctx, parley.PositionFilter{ProcessID: processID, VersionID: to.ID})
	if err != nil {
		return err
	}
	pg.From, pg.FromPlan, pg.FromMatrixURL = withoutText(from), planTitle(plans, from.PlanID), positionsURL(from.ID)
	pg.Title = "Positions: " + from.Label + " → " + to.Label
	pg.Parties = matrixParties(parties, parley.ActorFrom(ctx).In(processID), before, after)
	fromIx, toIx := indexPositions(before), indexPositions(after)
	report := compare.Compare(fromDoc, toDoc, compare.Options{})
	// Only the parties with positions on both versions are compared: a
	// party that has said nothing yet on one of them has not dropped or
	// taken every position at once.
	var both []string
	for _, party := range pg.Parties {
		if slices.ContainsFunc(before, func(p *parley.Position) bool { return p.PartyID == party.ID }) &&
			slices.ContainsFunc(after, func(p *parley.Position) bool { return p.PartyID == party.ID }) {
			both = append(both, party.ID)
		} else {
			pg.OneSided = append(pg.OneSided, party.Name)
		}
	}
	changes := map[string]int{}
	for _, pair := range report.Pairs {
		row := positionsCompareRow{Op: opWords[pair.Op], Kind: pair.Op}
		for _, id := range pair.Old {
			row.From = append(row.From, pointLink{Name: pointLabel(from, id), URL: pointURL(from.ID, id)})
		}
		for _, id := range pair.New {
			row.To = append(row.To, pointLink{Name: pointLabel(to, id), URL: pointURL(to.ID, id)})
		}
		switch {
		case len(pair.New) > 0:
			row.Text = firstWords(pointText(to, pair.New[0]), 110)
		case len(pair.Old) > 0:
			row.Text = firstWords(pointText(from, pair.Old[0]), 110)
		}
		for _, party := range pg.Parties {
			cell := compareCell{Party: party.Name}
			compared := slices.Contains(both, party.ID)
			for _, id := range pair.Old {
				cell.Before = append(cell.Before, lookOf(fromIx.at(id, party.ID)))
			}
			for _, id := range pair.New {
				cell.After = append(cell.After, lookOf(toIx.at(id, party.ID)))
			}
			// A point added or dropped is marked as such on its row;
			// only the stances on linked points change.
			if compared && len(pair.Old) > 0 && len(pair.New) > 0 {
				cell.Marks = stanceMarks(cell.Before, cell.After)
				for _, m := range cell.Marks {
					changes[m]++
				}
			}
			cell.Changed = len(cell.Marks) > 0
			row.Changed = row.Changed || cell.Changed
			row.Cells = append(row.Cells, cell)
		}
		if row.Changed {
			pg.ChangedRows++
		}
		pg.Rows = append(pg.Rows, row)
	}
	for _, k := range changeKinds {
		if changes[k] > 0 {
			pg.Changes = append(pg.Changes, countChange{What: k, After: changes[k]})
		}
	}
	pg.Totals, pg.PerParty = compareCounts(countConsensus(from, pg.Parties, fromIx), countConsensus(to, pg.Parties, toIx))
	pg.Added, pg.Dropped = report.Summary.Counts[compare.Added], report.Summary.Counts[compare.Dropped]
	pg.AcceptedByAll = pg.Totals[1]
	return nil
}

// compareCounts sets the counts of two versions side by side.
func compareCounts(b, a consensusCounts) ([]countChange, []partyChange) {
	totals := []countChange{
		{"Points", b.Points, a.Points},
		{"Accepted by all", b.AcceptedByAll, a.AcceptedByAll},
		{"Accepted by all without changes", b.Unchanged, a.Unchanged},
		{"Red lines (points that are one for some party)", b.RedLinePoints, a.RedLinePoints},
	}
	per := make([]partyChange, len(a.Parties))
	for k := range a.Parties {
		pb, pa := b.Parties[k], a.Parties[k]
		per[k] = partyChange{Party: pa.Party.Name,
			Accepted: countChange{"accepts", pb.Accepted, pa.Accepted},
			Rejects:  countChange{"rejects", pb.Rejects, pa.Rejects},
			RedLine:  countChange{"red lines", pb.RedLines, pa.RedLines}}
	}
	return totals, per
}

// pointLabel names a point of a version by its label, or its ID.
func pointLabel(v *parley.Version, id string) string {
	if p := v.Point(id); p != nil {
		return pointName(p)
	}
	return id
}

// pointText returns the text of a point of a version, or "".
func pointText(v *parley.Version, id string) string {
	if p := v.Point(id); p != nil {
		return p.Text
	}
	return ""
}

// positionEdit is a party's position on a point being set, with what its
// form offers.
type positionEdit struct {
	version *parley.Version
	plan    *parley.Plan
	process *parley.Process
	point   *parley.Point
	parties []*parley.Party
	acc     parley.Access
	// party is the party whose position the form shows; "" when the
	// reader has none to choose.
	party string
	// stored is the party's position as stored; nil when there is none
	// the reader may see.
	stored *parley.Position
}

// loadPositionEdit reads the point named by the path, the parties to
// choose from and the stored position of party: for a delegate its own
// party's, whatever party says; else the first party's when party is
// empty.
func (s *Server) loadPositionEdit(ctx context.Context, r *http.Request, party string) (*positionEdit, error) {
	v, err := s.svc.Plans.FindVersionByID(ctx, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	pointID := r.PathValue("point")
	pt := v.Point(pointID)
	if pt == nil {
		return nil, parley.Errorf(parley.ENOTFOUND, "version %q has no point %q", v.ID, pointID)
	}
	plan, proc, err := s.findPlanInProcess(ctx, v.PlanID)
	if err != nil {
		return nil, err
	}
	parties, err := s.svc.Parties.FindParties(ctx, proc.ID)
	if err != nil {
		return nil, err
	}
	pe := &positionEdit{version: v, plan: plan, process: proc, point: pt, parties: parties, acc: parley.ActorFrom(ctx).In(proc.ID)}
	switch {
	case pe.acc.Role == parley.RoleDelegate:
		party = pe.acc.PartyID // whatever was asked: its party is fixed
	case party == "" && len(parties) > 0:
		party = parties[0].ID
	}
	pe.party = party
	if party == "" || !slices.ContainsFunc(parties, func(p *parley.Party) bool { return p.ID == party }) {
		return pe, nil
	}
	positions, err := s.svc.Positions.FindPositions(ctx, parley.PositionFilter{ProcessID: proc.ID, VersionID: v.ID, PartyID: party})
	if err != nil {
		return nil, err
	}
	for _, p := range positions {
		if p.PointID == pt.ID && p.PartyID == party {
			pe.stored = p
		}
	}
	return pe, nil
}

// stanceLabels label the stance's radio buttons.
var stanceLabels = map[parley.Stance]string{
	parley.Accepts:            "Accepts the point as it stands",
	parley.AcceptsWithChanges: "Accepts it with changes (give the wording below)",
	parley.Rejects:            "Rejects it",
	parley.RedLine:            "Red line: will not accept it in any form",
	parley.NoPosition:         "No position (says so on purpose)",
}

// positionLevels are the classifications a position may have, with what
// each means for it; a position is never for the mediators alone, since
// it is its party's.
var positionLevels = []option{
	{Value: string(parley.Confidential), Label: "Confidential: the party alone (and the mediators)"},
	{Value: string(parley.Shared), Label: "Shared: the party and the parties ticked below (and the mediators)"},
	{Value: string(parley.ProcessWide), Label: "Process: every participant of the process"},
	{Value: string(parley.Public), Label: "Public: anyone with access to the process"},
}

// fields are the inputs of the position form: the party (a choice for a
// mediator, fixed for a delegate), the stance, the note, the
// counter-wording (the point's text when there is none yet) and who may
// see the position (confidential to the party unless it says otherwise).
func (pe *positionEdit) fields() []*field {
	p := pe.stored
	if p == nil {
		p = &parley.Position{Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{pe.party}}}
	}
	var party *field
	if pe.acc.Role == parley.RoleDelegate {
		party = &field{Name: "party", Label: "Party", Type: "fixed", Value: pe.acc.PartyID, Help: "A delegate sets the positions of their own party."}
		for _, x := range pe.parties {
			if x.ID == pe.acc.PartyID {
				party.Options = []option{{Value: x.ID, Label: x.Name}}
			}
		}
		if party.Options == nil {
			party.Options = []option{{Value: pe.acc.PartyID, Label: pe.acc.PartyID}}
		}
	} else {
		party = &field{Name: "party", Label: "Party", Type: "select", Value: pe.party, Options: partyOptions(pe.parties, ""), Required: true,
			Help: "The party whose position this is. The form shows the stored position of the party it was opened for."}
	}
	stance := &field{Name: "stance", Label: "Stance", Type: "radios", Value: string(p.Stance)}
	for _, st := range parley.Stances() {
		stance.Options = append(stance.Options, option{Value: string(st), Label: stanceLabels[st]})
	}
	counter := p.Counter
	if strings.TrimSpace(counter) == "" {
		counter = pe.point.Text
	}
	level := string(p.Classification.Level)
	var shared []string
	if p.Classification.Level == parley.Shared {
		shared = slices.DeleteFunc(slices.Clone(p.Classification.PartyIDs), func(id string) bool { return id == p.PartyID })
	}
	class := &field{Name: "classification", Label: "Who may see this position", Type: "classification", Value: level, Values: shared,
		Options: slices.Clone(positionLevels),
		Help:    "A position is confidential to its party unless it is shared. A shared position is shared by its party with the parties ticked."}
	if pe.acc.Role == parley.RoleDelegate {
		// A delegate keeps its party's positions to itself or shares
		// them; only a mediator makes one process-wide or public (the
		// store refuses a delegate the other levels).
		class.Options = slices.DeleteFunc(class.Options, func(o option) bool {
			l := parley.Level(o.Value)
			return l != parley.Confidential && l != parley.Shared && l != p.Classification.Level
		})
		class.Help += " Only a mediator makes a position process-wide or public."
	}
	for _, x := range pe.parties {
		class.Parties = append(class.Parties, option{Value: x.ID, Label: x.Name})
	}
	return []*field{
		party, stance,
		{Name: "note", Label: "Note", Type: "textarea", Rows: 4, Value: p.Note,
			Help: "Why, on what conditions, or what was said; seen by whoever may see the position."},
		{Name: "counter", Label: "Counter-wording", Type: "textarea", Rows: 5, Value: counter,
			Help: "The wording the party would accept instead. It starts as the point's text: change the words, or leave it as it is for none."},
		class,
	}
}

// readPosition reads the position from the form. A counter-wording that
// is the point's text unchanged is no counter-wording; the party the
// position is shared by is always its own.
func (pe *positionEdit) readPosition(vals url.Values) *parley.Position {
	party := formLine(vals, "party")
	if party == "" && pe.acc.Role == parley.RoleDelegate {
		party = pe.acc.PartyID
	}
	counter := formText(vals, "counter")
	if strings.Join(strings.Fields(counter), " ") == strings.Join(strings.Fields(pe.point.Text), " ") {
		counter = ""
	}
	c := parley.Classification{Level: parley.Level(formLine(vals, "classification"))}
	switch c.Level {
	case parley.Confidential:
		c.PartyIDs = []string{party}
	case parley.Shared:
		c.PartyIDs = append([]string{party}, slices.DeleteFunc(formIDs(vals, "classification_parties"), func(id string) bool { return id == party })...)
	}
	return &parley.Position{ProcessID: pe.process.ID, PartyID: party, VersionID: pe.version.ID, PointID: pe.point.ID,
		Stance: parley.Stance(formLine(vals, "stance")), Note: formText(vals, "note"), Counter: counter, Classification: c}
}

// positionFormPage is the data of the position form.
type positionFormPage struct {
	view
	Version *parley.Version // without text and points
	Point   *parley.Point
	Form    *form
	// Stored is the position as stored, with its badge; nil for none.
	Stored *parley.Position
	Badge  template.HTML
	Look   stanceLook
	// Parties lead to the form of each party, for a mediator.
	Parties   []partyLink
	MatrixURL string
	PointURL  string
	// Observer: the reader sets no position.
	Observer bool
}

// partyLink leads to the position form of one party.
type partyLink struct {
	Name, URL string
	// Current: the party whose position the form shows.
	Current bool
}

// showPositionForm draws the position form with err on it.
func (s *Server) showPositionForm(w http.ResponseWriter, r *http.Request, pe *positionEdit, err error) {
	v, pt := pe.version, pe.point
	matrix := positionsURL(v.ID) + "#" + url.PathEscape(matrixRowAnchor(pt.ID))
	f := &form{Action: r.URL.Path, Submit: "Save the position", Cancel: matrix, Fields: pe.fields()}
	if r.Method == http.MethodPost {
		f.keep(r.PostForm)
		if pe.acc.Role == parley.RoleDelegate {
			// A delegate's party is fixed: shown as the one it speaks
			// for, whatever was sent.
			f.field("party").Value = pe.acc.PartyID
		}
	}
	if err != nil {
		f.fail(positionFieldError(err))
		f.Error = partyNamer(pe.parties).Replace(f.Error)
	}
	n := newNames(pe.parties, nil, nil, nil, nil, nil)
	title := "Position on point " + pointName(pt) + " of " + v.Label
	pg := &positionFormPage{view: view{Title: title, Process: pe.process}, Version: withoutText(v), Point: pt, Form: f,
		Stored: pe.stored, MatrixURL: matrix, PointURL: pointURL(v.ID, pt.ID),
		Observer: !pe.acc.Mediator() && pe.acc.Role != parley.RoleDelegate}
	if pe.stored != nil {
		pg.Badge, pg.Look = classificationBadge(pe.stored.Classification, n), lookOf(pe.stored)
	}
	if pe.acc.Mediator() {
		for _, x := range pe.parties {
			pg.Parties = append(pg.Parties, partyLink{Name: x.Name, URL: positionFormURL(v.ID, pt.ID, x.ID), Current: x.ID == pe.party})
		}
	}
	s.render(w, r, s.statusOfForm(r, err), "position_form.html", pg)
}

// positionFieldError names the inputs of the form in an error about a
// position: the store names the party "party_id".
func positionFieldError(err error) error {
	var e *parley.Error
	if !errors.As(err, &e) {
		return err
	}
	rename := func(name string) string {
		if name == "party_id" {
			return "party"
		}
		return name
	}
	c := *e
	c.Field = rename(e.Field)
	if e.Fields != nil {
		c.Fields = make(map[string]string, len(e.Fields))
		for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
			c.Fields[rename(k)] = e.Fields[k]
		}
	}
	return &c
}

// handlePositionForm shows the form that sets a party's position on a
// point (parameter party, for a mediator; a delegate's is its own).
func (s *Server) handlePositionForm(w http.ResponseWriter, r *http.Request) {
	pe, err := s.loadPositionEdit(r.Context(), r, r.URL.Query().Get("party"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showPositionForm(w, r, pe, nil)
}

// handlePositionSave sets a party's position on a point and goes back to
// the version's matrix; or shows the form again with what is wrong. The
// store decides who may set whose position: a delegate who sends another
// party's is refused (403), on the form.
func (s *Server) handlePositionSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := parseForm(w, r, maxFormBody); err != nil {
		pe, lerr := s.loadPositionEdit(ctx, r, "")
		if lerr != nil {
			s.pageError(w, r, lerr)
			return
		}
		s.showPositionForm(w, r, pe, err)
		return
	}
	pe, err := s.loadPositionEdit(ctx, r, formLine(r.PostForm, "party"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := pe.readPosition(r.PostForm)
	err = s.svc.Positions.SetPosition(ctx, p)
	switch {
	case err == nil:
		seeOther(w, r, positionsURL(pe.version.ID)+"#"+url.PathEscape(matrixRowAnchor(pe.point.ID)))
	case isFormError(err):
		s.showPositionForm(w, r, pe, err)
	case parley.ErrorCode(err) == parley.EFORBIDDEN && (pe.acc.Mediator() || pe.acc.Role == parley.RoleDelegate):
		// A reader who sets positions but chose one they may not (a
		// delegate another party's, or a level it may not give)
		// corrects it on the form.
		s.showPositionForm(w, r, pe, err)
	default:
		s.pageError(w, r, err)
	}
}
