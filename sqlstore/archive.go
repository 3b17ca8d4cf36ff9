package sqlstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"parley"
	"parley/lineage"
)

// ArchiveService exports and imports whole processes.
type ArchiveService struct{ db *DB }

// NewArchiveService returns the archive service of db.
func NewArchiveService(db *DB) *ArchiveService { return &ArchiveService{db: db} }

var _ parley.ArchiveService = (*ArchiveService)(nil)

// ExportProcess reads a process and every record in it that the actor may
// see, in one read transaction so that the archive is a consistent
// snapshot. References to records the actor may not see are dropped, so
// that the archive is whole for what it holds and imports as it is.
func (s *ArchiveService) ExportProcess(ctx context.Context, id string) (*parley.Archive, error) {
	tx, err := s.db.snapshot(ctx)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer tx.Rollback()
	a := &parley.Archive{Schema: parley.ArchiveSchema}
	v, p, err := newView(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	a.Process = p
	var hidden []string
	if a.Parties, err = exportAll(v, parties, &hidden); err == nil {
		if a.People, err = exportAll(v, people, &hidden); err == nil {
			if a.Channels, err = exportAll(v, channels, &hidden); err == nil {
				if a.Sources, err = exportAll(v, sources, &hidden); err == nil {
					a.Contacts, err = exportAll(v, contacts, &hidden)
				}
			}
		}
	}
	if err != nil {
		return nil, err
	}
	plans, err := findPlans(ctx, tx, "process_id = $1", id)
	if err != nil {
		return nil, err
	}
	for _, pl := range plans {
		if ok, err := v.sees("plans", pl.ID); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		if pl.TemplateID, err = v.ref("plans", pl.TemplateID); err != nil {
			return nil, err
		}
		if err := notePublic(v, "plans", pl.ID, &hidden); err != nil {
			return nil, err
		}
		for _, summary := range pl.Versions {
			if ok, err := v.sees("versions", summary.ID); err != nil || !ok {
				if err != nil {
					return nil, err
				}
				continue
			}
			ver, err := findVersionByID(ctx, tx, summary.ID)
			if err != nil {
				return nil, err
			}
			if err := v.scrubVersion(ver); err != nil {
				return nil, err
			}
			if err := notePublic(v, "versions", ver.ID, &hidden); err != nil {
				return nil, err
			}
			a.Versions = append(a.Versions, ver)
		}
		pl.Versions = nil
		a.Plans = append(a.Plans, pl)
	}
	if err := exportNegotiation(v, a, &hidden); err != nil {
		return nil, err
	}
	if p.Classification.Level != parley.Public {
		hidden = append(hidden, id)
	}
	if len(hidden) > 0 {
		if _, err := s.db.update(ctx, func(tx *Tx) error {
			return appendAudit(ctx, tx, &parley.AuditRecord{Action: "export", ProcessID: id, Kind: "records", IDs: hidden})
		}); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// exportNegotiation adds to an archive the positions, issues,
// preferences, regions, lines and provisions the actor may see through v,
// noting those not public in hidden.
func exportNegotiation(v *view, a *parley.Archive, hidden *[]string) error {
	ps, err := findPositions(v.ctx, v.q, v.acc, "pos.process_id = $1", v.processID)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if !p.seen.ok {
			continue
		}
		a.Positions = append(a.Positions, p.pos)
		if !p.seen.public {
			*hidden = append(*hidden, p.pos.ID)
		}
	}
	if a.Issues, err = exportAll(v, issues, hidden); err != nil {
		return err
	}
	if a.Preferences, err = exportAll(v, preferences, hidden); err != nil {
		return err
	}
	if a.Regions, err = exportAll(v, regions, hidden); err != nil {
		return err
	}
	if a.Lines, err = exportAll(v, lines, hidden); err != nil {
		return err
	}
	if a.Provisions, err = exportAll(v, provisions, hidden); err != nil {
		return err
	}
	// Without the regions or line hidden from the reader, a provision may
	// name no area at all: it would make an archive that cannot be
	// imported, so it is left out.
	a.Provisions = slices.DeleteFunc(a.Provisions, func(p *parley.Provision) bool { return p.Validate() != nil })
	return nil
}

// exportAll reads the records of one kind that the actor may see through
// v, without references to hidden ones, noting those not public in hidden.
func exportAll[T any](v *view, k *recordKind[T], hidden *[]string) ([]*T, error) {
	rs, err := k.find(v.ctx, v.q, "process_id = $1", v.processID)
	if err != nil {
		return nil, err
	}
	var out []*T
	for _, r := range rs {
		id, _ := k.keys(r)
		if ok, err := v.sees(k.table, *id); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		if k.scrub != nil {
			if err := k.scrub(v, r); err != nil {
				return nil, err
			}
		}
		if err := notePublic(v, k.table, *id, hidden); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// notePublic adds id to hidden unless the record is public.
func notePublic(v *view, table, id string, hidden *[]string) error {
	pub, err := v.public(table, id)
	if err == nil && !pub {
		*hidden = append(*hidden, id)
	}
	return err
}

// ImportProcess stores every record of an archive under its own IDs, in
// one transaction. Each record is validated and its references checked
// as it is stored, so that an error names the record; the versions' points
// must be those their text parses to.
func (s *ArchiveService) ImportProcess(ctx context.Context, a *parley.Archive) error {
	if a.Schema != parley.ArchiveSchema {
		return parley.FieldErrorf("schema", "unknown archive schema %q (want %s)", a.Schema, parley.ArchiveSchema)
	}
	if a.Process == nil {
		return parley.FieldErrorf("process", "the archive has no process")
	}
	actor, err := signedIn(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Lineage may point to versions stored later in the archive; the links
	// are checked below, and the database checks every key at commit.
	deferKeys := "PRAGMA defer_foreign_keys = ON"
	if s.db.dialect == Postgres {
		deferKeys = "SET CONSTRAINTS ALL DEFERRED" // every key is declared DEFERRABLE
	}
	if _, err := tx.ExecContext(ctx, deferKeys); err != nil {
		return writeError(err)
	}
	if err := importProcess(ctx, tx, a.Process); err != nil {
		return err
	}
	pid := a.Process.ID
	// Whoever imports a process mediates it, as whoever opens one.
	if actor.UserID != "" {
		if _, err := tx.ExecContext(ctx, "INSERT INTO memberships (user_id, process_id, role) VALUES ($1, $2, $3)",
			actor.UserID, pid, parley.RoleMediator); err != nil {
			return writeError(err)
		}
	}
	if err := appendAudit(ctx, tx, &parley.AuditRecord{Action: "import", ProcessID: pid, Kind: "process", IDs: []string{pid},
		Detail: fmt.Sprintf("%d versions, %d contacts", len(a.Versions), len(a.Contacts))}); err != nil {
		return writeError(err)
	}
	// In the order records refer to each other, stopping at the first
	// bad one.
	for _, step := range []func() error{
		func() error { return importAll(ctx, tx, parties, "parties", a.Parties, pid) },
		func() error { return importAll(ctx, tx, people, "people", a.People, pid) },
		func() error { return importAll(ctx, tx, channels, "channels", a.Channels, pid) },
		func() error { return importAll(ctx, tx, sources, "sources", a.Sources, pid) },
		func() error { return importAll(ctx, tx, contacts, "contacts", a.Contacts, pid) },
		func() error { return importPlans(ctx, tx, a.Plans, pid) },
		func() error { return importVersions(ctx, tx, a.Versions, a.Plans) },
		func() error { return importAll(ctx, tx, issues, "issues", a.Issues, pid) },
		func() error { return importPositions(ctx, tx, a.Positions, pid) },
		func() error { return importAll(ctx, tx, preferences, "preferences", a.Preferences, pid) },
		func() error { return importAll(ctx, tx, regions, "regions", a.Regions, pid) },
		func() error { return importAll(ctx, tx, lines, "lines", a.Lines, pid) },
		func() error { return importAll(ctx, tx, provisions, "provisions", a.Provisions, pid) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	if err := tx.commit(); err != nil {
		return parley.Errorf(parley.EINVALID, "the archive's records do not refer to each other consistently: %v", err)
	}
	if actor.UserID != "" {
		actor.Memberships = append(actor.Memberships, parley.Membership{UserID: actor.UserID, ProcessID: pid, Role: parley.RoleMediator})
	}
	return nil
}

// inRecord prefixes an error's message with the record it is about
// ("contacts[3]: ..."), keeping its code and field.
func inRecord(err error, list string, i int) error {
	var e *parley.Error
	if !errors.As(err, &e) || e.Code == parley.EINTERNAL {
		return err
	}
	return &parley.Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("%s[%d]: %s", list, i, e.Message)}
}

// exists checks an imported record's ID: EINVALID unless it is short and
// URL-safe like the IDs Parley makes (an ID goes into URLs and keys),
// ECONFLICT when table has a record with it.
func exists(ctx context.Context, q querier, table, what, id string) error {
	if !validID(id) {
		return parley.FieldErrorf("id", "the %s's ID %q is not 1 to 64 letters, digits, '-' or '_'", what, id)
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE id = $1", id).Scan(&n); err != nil {
		return writeError(err)
	}
	if n > 0 {
		return parley.Errorf(parley.ECONFLICT, "there is already a %s with the ID %q", what, id)
	}
	return nil
}

// validID reports whether id is 1 to 64 ASCII letters, digits, '-' or '_'.
func validID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func importProcess(ctx context.Context, tx *Tx, p *parley.Process) error {
	if err := p.Validate(); err != nil {
		return inRecord(err, "process", 0)
	}
	if err := exists(ctx, tx, "processes", "process", p.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO processes (id, name, summary, topics, classification, created, updated, revision)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.ID, p.Name, p.Summary, encodeJSON(p.Topics),
		encodeClassification(p.Classification), formatTime(p.Created), formatTime(p.Updated), p.Revision); err != nil {
		return inRecord(writeError(err), "process", 0)
	}
	return nil
}

// importAll stores records of one kind under their own IDs, after checking
// each as create would.
func importAll[T any](ctx context.Context, tx *Tx, k *recordKind[T], list string, rs []*T, processID string) error {
	for i, r := range rs {
		if err := k.insert(ctx, tx, r, processID); err != nil {
			return inRecord(err, list, i)
		}
	}
	return nil
}

// insert checks r and stores it with its own ID in process processID.
func (k *recordKind[T]) insert(ctx context.Context, tx *Tx, r *T, processID string) error {
	if err := k.validate(r); err != nil {
		return err
	}
	id, pid := k.keys(r)
	if *pid != processID {
		return parley.FieldErrorf("process_id", "the %s belongs to process %q, not to the archive's %q", k.what, *pid, processID)
	}
	if err := exists(ctx, tx, k.table, k.what, *id); err != nil {
		return err
	}
	if err := k.checkRefs(ctx, tx, r, processID); err != nil {
		return err
	}
	if err := k.insertRow(ctx, tx, r, *id, processID); err != nil {
		return writeError(err)
	}
	return nil
}

// importPositions stores positions under their own IDs, after checking
// each as SetPosition would, with one position per party and point.
func importPositions(ctx context.Context, tx *Tx, ps []*parley.Position, processID string) error {
	for i, p := range ps {
		if err := importPosition(ctx, tx, p, processID); err != nil {
			return inRecord(err, "positions", i)
		}
	}
	return nil
}

func importPosition(ctx context.Context, tx *Tx, p *parley.Position, processID string) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.ProcessID != processID {
		return parley.FieldErrorf("process_id", "the position belongs to process %q, not to the archive's %q", p.ProcessID, processID)
	}
	if err := exists(ctx, tx, "positions", "position", p.ID); err != nil {
		return err
	}
	if err := checkPositionRefs(ctx, tx, p, processID); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM positions WHERE party_id = $1 AND version_id = $2 AND point_id = $3",
		p.PartyID, p.VersionID, p.PointID).Scan(&n); err != nil {
		return writeError(err)
	}
	if n > 0 {
		return parley.FieldErrorf("point_id", "party %q has a position on point %q of version %q already", p.PartyID, p.PointID, p.VersionID)
	}
	if err := insertPosition(ctx, tx, p, p.ID, p.Updated); err != nil {
		return writeError(err)
	}
	return nil
}

// importPlans stores plans, templates before the plans modelled on them.
func importPlans(ctx context.Context, tx *Tx, plans []*parley.Plan, processID string) error {
	done := map[string]bool{}
	for len(done) < len(plans) {
		progress := false
		for i, p := range plans {
			if done[p.ID] || (p.TemplateID != "" && !done[p.TemplateID] && slices.ContainsFunc(plans, func(q *parley.Plan) bool { return q.ID == p.TemplateID })) {
				continue
			}
			if err := importPlan(ctx, tx, p, processID); err != nil {
				return inRecord(err, "plans", i)
			}
			done[p.ID], progress = true, true
		}
		if !progress {
			return parley.FieldErrorf("template_id", "the archive's plans are each other's templates in a loop")
		}
	}
	return nil
}

func importPlan(ctx context.Context, tx *Tx, p *parley.Plan, processID string) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.ProcessID != processID {
		return parley.FieldErrorf("process_id", "the plan belongs to process %q, not to the archive's %q", p.ProcessID, processID)
	}
	if err := exists(ctx, tx, "plans", "plan", p.ID); err != nil {
		return err
	}
	if err := checkPlanRefs(ctx, tx, p); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO plans (id, process_id, title, template_id, classification, created)
		VALUES ($1, $2, $3, $4, $5, $6)`, p.ID, p.ProcessID, p.Title, nullable(p.TemplateID),
		encodeClassification(p.Classification), formatTime(p.Created)); err != nil {
		return writeError(err)
	}
	return nil
}

// importVersions stores the versions in the order they were created, each
// with the points its text parses to and the annotations of the archive.
func importVersions(ctx context.Context, tx *Tx, versions []*parley.Version, plans []*parley.Plan) error {
	processOf := map[string]string{}
	for _, p := range plans {
		processOf[p.ID] = p.ProcessID
	}
	// The points of the archive, each with its version's date: a point
	// may come only from a point of a version dated no later than its own.
	points := map[parley.PointRef]time.Time{}
	for _, v := range versions {
		for _, p := range v.Points {
			points[parley.PointRef{VersionID: v.ID, PointID: p.ID}] = v.Date
		}
	}
	order := make([]int, len(versions))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return versions[a].Created.Compare(versions[b].Created) })
	seq := map[string]int{}
	for _, i := range order {
		v := versions[i]
		processID, ok := processOf[v.PlanID]
		if !ok {
			return inRecord(parley.FieldErrorf("plan_id", "plan %q is not in the archive", v.PlanID), "versions", i)
		}
		seq[v.PlanID]++
		if err := importVersion(ctx, tx, v, processID, seq[v.PlanID], points); err != nil {
			return inRecord(err, "versions", i)
		}
	}
	return nil
}

func importVersion(ctx context.Context, tx *Tx, v *parley.Version, processID string, seq int, known map[parley.PointRef]time.Time) error {
	if err := v.Validate(); err != nil {
		return err
	}
	if err := exists(ctx, tx, "versions", "version", v.ID); err != nil {
		return err
	}
	if err := checkVersionRefs(ctx, tx, v, processID); err != nil {
		return err
	}
	if !v.TextUnknown {
		if err := samePoints(v); err != nil {
			return err
		}
	} else if len(v.Points) > 0 {
		return parley.FieldErrorf("points", "a version whose text is unknown has no points")
	}
	for _, p := range v.Points {
		if err := checkProvenance(ctx, tx, p.ProposedBy, p.ContactID, p.SourceIDs, processID); err != nil {
			return err
		}
		for _, ref := range append(slices.Clone(p.Lineage), p.Origin) {
			date, ok := known[ref]
			switch {
			case !ok:
				return parley.FieldErrorf("lineage", "point %s refers to point %s of version %s, which is not in the archive",
					p.ID, ref.PointID, ref.VersionID)
			case date.After(v.Date):
				return parley.FieldErrorf("lineage", "point %s comes from point %s of version %s, which is dated later",
					p.ID, ref.PointID, ref.VersionID)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO versions (id, plan_id, seq, label, date, author_party_id, status, text,
		text_unknown, point_count, reported_changes, source_ids, warnings, previous_id, classification, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		v.ID, v.PlanID, seq, v.Label, formatInstant(v.Date), nullable(v.AuthorPartyID), v.Status, v.Text, v.TextUnknown,
		v.PointCount, v.ReportedChanges, encodeJSON(v.SourceIDs), encodeJSON(v.Warnings), nullable(v.PreviousID),
		encodeClassification(v.Classification), formatTime(v.Created)); err != nil {
		return writeError(err)
	}
	return insertPoints(ctx, tx, v.ID, v.Points)
}

// samePoints checks that a version's points are those its text parses to,
// so that an edited archive cannot make a version say what its text does
// not.
func samePoints(v *parley.Version) error {
	text, err := lineage.Parse(v.ID, v.Text)
	if err != nil {
		return err
	}
	if len(text.Points) != len(v.Points) {
		return parley.FieldErrorf("points", "the text has %d points, the archive lists %d", len(text.Points), len(v.Points))
	}
	for i, want := range text.Points {
		got := v.Points[i]
		if cmp.Or(cmp.Compare(got.ID, want.ID), cmp.Compare(got.Label, want.Label), cmp.Compare(got.Text, want.Text),
			cmp.Compare(got.Heading, want.Heading), cmp.Compare(got.Depth, want.Depth)) != 0 {
			return parley.FieldErrorf("points", "point %q (number %d in order) differs from what the version's text says there", got.ID, i+1)
		}
	}
	if v.PointCount != text.TopLevel() {
		return parley.FieldErrorf("point_count", "the text has %d top-level points, the archive says %d", text.TopLevel(), v.PointCount)
	}
	return nil
}
