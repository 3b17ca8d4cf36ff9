package sqlite

import (
	"context"
	"maps"
	"slices"

	"parley"
	"parley/analysis"
)

// Analyse runs the analysis of a process's negotiation model at a version
// and returns what the actor may see of it (see analysis.Redact). The
// analysis weighs every party's preferences, so it reads the whole model
// with the system's rights, in one read transaction: the numbers never
// leave the store but as the reader's own utilities. Observers may not
// ask (EFORBIDDEN); non-members, and readers of a version they may not
// see, get ENOTFOUND as for a made-up ID. The previous version is the
// one given, or else the version's previous one when the actor sees it.
// Each analysis appends one audit record naming the preferences read.
func (s *NegotiationService) Analyse(ctx context.Context, q parley.AnalysisQuery) (*parley.Analysis, error) {
	in, v, err := s.readModel(ctx, q)
	if err != nil {
		return nil, err
	}
	a, err := analysis.Run(*in)
	if err != nil {
		return nil, err
	}
	out := analysis.Redact(a, v.acc)
	if out == nil {
		return nil, parley.Errorf(parley.EFORBIDDEN, "only mediators and delegates analyse the negotiation")
	}
	if err := hideFromAnalysis(v, out); err != nil {
		return nil, err
	}
	ids := make([]string, len(in.Preferences))
	for i, p := range in.Preferences {
		ids[i] = p.ID
	}
	detail := ""
	if q.VersionID != "" {
		detail = "version " + q.VersionID
	}
	if _, err := s.db.update(ctx, func(tx *Tx) error {
		return appendAudit(ctx, tx, &parley.AuditRecord{Action: "analyse", ProcessID: q.ProcessID, Kind: "preferences",
			IDs: ids, Detail: detail})
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// readModel checks that the actor may analyse the process and reads, in
// one read transaction, the versions of the query as the actor may see
// them and the whole model with the system's rights. The view it returns
// is the actor's, over the pool, for judging what the answer may name.
func (s *NegotiationService) readModel(ctx context.Context, q parley.AnalysisQuery) (*analysis.Input, *view, error) {
	tx, err := s.db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, parley.Internal(err)
	}
	defer tx.Rollback()
	v, _, err := newView(ctx, tx, q.ProcessID)
	if err != nil {
		return nil, nil, err
	}
	if !v.acc.Mediator() && v.acc.Role != parley.RoleDelegate {
		return nil, nil, parley.Errorf(parley.EFORBIDDEN, "observers cannot analyse the negotiation: it weighs the parties' confidential preferences")
	}
	in := &analysis.Input{ProcessID: q.ProcessID}
	if q.VersionID != "" {
		if in.Version, err = analysedVersion(ctx, tx, q.ProcessID, q.VersionID); err != nil {
			return nil, nil, err
		}
	}
	previous := q.PreviousID
	if previous == "" && in.Version != nil {
		// The version's previous one, unless it is hidden from the actor:
		// its package would tell what the hidden draft says.
		if previous, err = v.ref("versions", in.Version.PreviousID); err != nil {
			return nil, nil, err
		}
	}
	if previous != "" {
		if in.Previous, err = analysedVersion(ctx, tx, q.ProcessID, previous); err != nil {
			return nil, nil, err
		}
	}
	if in.Parties, err = parties.find(ctx, tx, "process_id = $1", q.ProcessID); err != nil {
		return nil, nil, err
	}
	if in.Issues, err = issues.find(ctx, tx, "process_id = $1", q.ProcessID); err != nil {
		return nil, nil, err
	}
	if in.Preferences, err = preferences.find(ctx, tx, "process_id = $1", q.ProcessID); err != nil {
		return nil, nil, err
	}
	// The answer is judged after the transaction, through a view of its
	// own: the transaction's view cannot outlive it.
	v.q = s.db.read
	v.visible = map[string]map[string]seen{}
	return in, v, nil
}

// analysedVersion reads a version of a process with its points, or
// reports ENOTFOUND when there is none or the actor may not see it.
func analysedVersion(ctx context.Context, q querier, processID, id string) (*parley.Version, error) {
	ver, err := findVersionByID(ctx, q, id)
	if err != nil {
		return nil, err
	}
	v, err := versionView(ctx, q, ver)
	if err != nil {
		return nil, err
	}
	if v.processID != processID {
		return nil, parley.Errorf(parley.ENOTFOUND, "version %q not found", id)
	}
	return ver, nil
}

// hideFromAnalysis removes from an analysis the IDs of the parties and
// issues the actor may not see: the analysis weighs them all, but names
// only what the reader could read anyway.
func hideFromAnalysis(v *view, a *parley.Analysis) error {
	if v.all() {
		return nil
	}
	var err error
	if a.Parties, err = v.keep("parties", a.Parties); err != nil {
		return err
	}
	if a.Missing, err = v.keep("parties", a.Missing); err != nil {
		return err
	}
	seen, err := v.load("issues")
	if err != nil {
		return err
	}
	hidden := func(id string) bool { return !seen[id].ok }
	a.Issues = slices.DeleteFunc(a.Issues, hidden)
	a.Unsettled = slices.DeleteFunc(a.Unsettled, hidden)
	a.Concessions = slices.DeleteFunc(a.Concessions, func(c parley.Concession) bool { return hidden(c.IssueID) })
	a.Vetoes = slices.DeleteFunc(a.Vetoes, func(vt parley.Veto) bool { return hidden(vt.IssueID) })
	packages := slices.Concat(a.Frontier, a.Improvements, []*parley.AnalysedPackage{a.Tentative})
	for _, f := range a.Fair {
		packages = append(packages, f.Package)
	}
	for _, p := range packages {
		if p != nil {
			maps.DeleteFunc(p.Choice, func(id, _ string) bool { return hidden(id) })
			maps.DeleteFunc(p.Shares, func(id string, _ map[string]string) bool { return hidden(id) })
		}
	}
	if a.Parties == nil {
		a.Parties = []string{}
	}
	if a.Issues == nil {
		a.Issues = []string{}
	}
	return nil
}
