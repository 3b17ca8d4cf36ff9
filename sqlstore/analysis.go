package sqlstore

import (
	"context"
	"maps"
	"slices"
	"sync"

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
	in, v, revision, err := s.readModel(ctx, q)
	if err != nil {
		return nil, err
	}
	key := analysisKey{process: q.ProcessID, revision: revision}
	if in.Version != nil {
		key.version = in.Version.ID
	}
	if in.Previous != nil {
		key.previous = in.Previous.ID
	}
	a := s.analyses.get(key)
	if a == nil {
		if a, err = analysis.Run(*in); err != nil {
			return nil, err
		}
		s.analyses.put(key, a)
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
// is the actor's, over the pool, for judging what the answer may name;
// the revision is the process's as read, which dates the model.
func (s *NegotiationService) readModel(ctx context.Context, q parley.AnalysisQuery) (*analysis.Input, *view, int64, error) {
	tx, err := s.db.snapshot(ctx)
	if err != nil {
		return nil, nil, 0, parley.Internal(err)
	}
	defer tx.Rollback()
	v, proc, err := newView(ctx, tx, q.ProcessID)
	if err != nil {
		return nil, nil, 0, err
	}
	if !v.acc.Mediator() && v.acc.Role != parley.RoleDelegate {
		return nil, nil, 0, parley.Errorf(parley.EFORBIDDEN, "observers cannot analyse the negotiation: it weighs the parties' confidential preferences")
	}
	in := &analysis.Input{ProcessID: q.ProcessID}
	if q.VersionID != "" {
		if in.Version, err = analysedVersion(ctx, tx, q.ProcessID, q.VersionID); err != nil {
			return nil, nil, 0, err
		}
	}
	previous := q.PreviousID
	if previous == "" && in.Version != nil {
		// The version's previous one, unless it is hidden from the actor:
		// its package would tell what the hidden draft says.
		if previous, err = v.ref("versions", in.Version.PreviousID); err != nil {
			return nil, nil, 0, err
		}
	}
	if previous != "" {
		if in.Previous, err = analysedVersion(ctx, tx, q.ProcessID, previous); err != nil {
			return nil, nil, 0, err
		}
	}
	if in.Parties, err = parties.find(ctx, tx, "process_id = $1", q.ProcessID); err != nil {
		return nil, nil, 0, err
	}
	if in.Issues, err = issues.find(ctx, tx, "process_id = $1", q.ProcessID); err != nil {
		return nil, nil, 0, err
	}
	if in.Preferences, err = preferences.find(ctx, tx, "process_id = $1", q.ProcessID); err != nil {
		return nil, nil, 0, err
	}
	// The answer is judged after the transaction, through a view of its
	// own: the transaction's view cannot outlive it.
	v.q = s.db.read
	v.visible = map[string]map[string]seen{}
	return in, v, proc.Revision, nil
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

// analysisKey names what an analysis was run on: the process at one
// revision (every write to the process or its records counts, so the
// model, the preferences and the versions are what they were) and the
// versions analysed.
type analysisKey struct {
	process           string
	revision          int64
	version, previous string
}

// maxCachedAnalyses bounds the analyses kept.
const maxCachedAnalyses = 32

// analysisCache keeps the latest whole analyses, so that readers of an
// unchanged model share one run of the engine; each is redacted for its
// reader, and logged, on every request. Redact copies what it keeps, so
// a kept analysis is never changed.
type analysisCache struct {
	mu      sync.Mutex
	entries map[analysisKey]*parley.Analysis
	order   []analysisKey // oldest first
}

// get returns the analysis kept for key, or nil.
func (c *analysisCache) get(key analysisKey) *parley.Analysis {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[key]
}

// put keeps an analysis, forgetting the oldest beyond the bound.
func (c *analysisCache) put(key analysisKey, a *parley.Analysis) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[analysisKey]*parley.Analysis{}
	}
	if _, ok := c.entries[key]; ok {
		return
	}
	c.entries[key] = a
	c.order = append(c.order, key)
	if len(c.order) > maxCachedAnalyses {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}
