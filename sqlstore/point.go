package sqlstore

import (
	"context"
	"slices"

	"parley"
)

// pointContext is a point with the version, plan and process it belongs to.
type pointContext struct {
	point     *parley.Point
	version   *parley.Version
	processID string
	// view is the actor's view of the process, when the point is being
	// changed: lineage may name only versions the actor sees.
	view *view
}

// findPoint reads one point of a version with its context, or ENOTFOUND.
func findPoint(ctx context.Context, q querier, versionID, pointID string) (*pointContext, error) {
	v, err := findVersionByID(ctx, q, versionID)
	if err != nil {
		return nil, err
	}
	p := v.Point(pointID)
	if p == nil {
		return nil, parley.Errorf(parley.ENOTFOUND, "version %q has no point %q", versionID, pointID)
	}
	pc := &pointContext{point: p, version: v}
	if err := q.QueryRowContext(ctx, "SELECT process_id FROM plans WHERE id = $1", v.PlanID).Scan(&pc.processID); err != nil {
		return nil, parley.Internal(err)
	}
	return pc, nil
}

// UpdatePoint changes the annotations of a point. When its lineage
// changes, the origin of the point and of every point that came from it
// is recomputed.
func (s *PlanService) UpdatePoint(ctx context.Context, versionID, pointID string, upd parley.PointUpdate) (*parley.Point, error) {
	var p *parley.Point
	var version *parley.Version
	_, err := s.db.update(ctx, func(tx *Tx) error {
		pc, err := findPoint(ctx, tx, versionID, pointID)
		if err != nil {
			return err
		}
		if pc.view, err = versionView(ctx, tx, pc.version); err != nil {
			return err
		}
		if err := mayWrite(pc.view.acc, "point of a version", false, pc.version.Classification); err != nil {
			return err
		}
		p, version = pc.point, pc.version
		if err := applyPointUpdate(ctx, tx, pc, upd); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, &parley.AuditRecord{Action: "update", ProcessID: pc.processID, Kind: "point",
			IDs: []string{versionID + "/" + pointID}}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE points SET tags = $1, proposed_by = $2, contact_id = $3, source_ids = $4
			WHERE version_id = $5 AND id = $6`, encodeJSON(p.Tags), nullable(p.ProposedBy), nullable(p.ContactID),
			encodeJSON(p.SourceIDs), versionID, pointID); err != nil {
			return err
		}
		if upd.Lineage != nil {
			if err := relink(ctx, tx, versionID, p); err != nil {
				return err
			}
		}
		return touch(ctx, tx, pc.processID)
	})
	if err != nil {
		return nil, err
	}
	v, err := versionView(ctx, s.db.read, version)
	if err != nil {
		return nil, err
	}
	if err := v.scrubPoint(versionID, p); err != nil {
		return nil, err
	}
	return p, nil
}

// relink replaces the stored lineage of point p of a version with
// p.Lineage, recomputes the origins downstream and reads p's own back.
func relink(ctx context.Context, tx *Tx, versionID string, p *parley.Point) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM point_links WHERE version_id = $1 AND point_id = $2", versionID, p.ID); err != nil {
		return err
	}
	if err := insertLinks(ctx, tx, versionID, p); err != nil {
		return err
	}
	if err := refreshOrigins(ctx, tx, parley.PointRef{VersionID: versionID, PointID: p.ID}); err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, "SELECT origin_version, origin_point FROM points WHERE version_id = $1 AND id = $2",
		versionID, p.ID).Scan(&p.Origin.VersionID, &p.Origin.PointID)
}

// applyPointUpdate checks the update against the point's process and
// applies it to the point in memory.
func applyPointUpdate(ctx context.Context, tx *Tx, pc *pointContext, upd parley.PointUpdate) error {
	p, processID := pc.point, pc.processID
	if upd.Tags != nil {
		proc, err := findProcessByID(ctx, tx, processID)
		if err != nil {
			return parley.Internal(err)
		}
		var tags []string
		for _, t := range *upd.Tags {
			if !proc.IsTopic(t) {
				return parley.FieldErrorf("tags", "unknown topic %q (add it to the process's topics first)", t)
			}
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
		p.Tags = tags
	}
	// Only what the update sets is checked: the actor may not see every
	// reference the point has, and those it cannot see stay as they are
	// (see view.keepHidden).
	v := pc.view
	var err error
	if upd.ProposedBy != nil {
		if err := checkOptionalRef(ctx, tx, "parties", "proposed_by", "party", *upd.ProposedBy, processID); err != nil {
			return err
		}
		if p.ProposedBy, err = v.keepHiddenRef("parties", p.ProposedBy, *upd.ProposedBy); err != nil {
			return err
		}
	}
	if upd.ContactID != nil {
		if err := checkOptionalRef(ctx, tx, "contacts", "contact_id", "contact", *upd.ContactID, processID); err != nil {
			return err
		}
		if p.ContactID, err = v.keepHiddenRef("contacts", p.ContactID, *upd.ContactID); err != nil {
			return err
		}
	}
	if upd.SourceIDs != nil {
		if err := checkRefs(ctx, tx, "sources", "source_ids", "source", *upd.SourceIDs, processID); err != nil {
			return err
		}
		if p.SourceIDs, err = v.keepHidden("sources", p.SourceIDs, *upd.SourceIDs); err != nil {
			return err
		}
	}
	if upd.Lineage != nil {
		if err := checkLineage(ctx, tx, pc, *upd.Lineage); err != nil {
			return err
		}
		lineage := slices.Clone(*upd.Lineage)
		if !v.all() {
			for _, ref := range p.Lineage {
				ok, err := v.sees("versions", ref.VersionID)
				if err != nil {
					return err
				}
				if !ok && !slices.Contains(lineage, ref) {
					lineage = append(lineage, ref)
				}
			}
		}
		p.Lineage = lineage
	}
	return nil
}

// checkProvenance checks that a point's proposing party, contact and
// sources are records of its process.
func checkProvenance(ctx context.Context, q querier, proposedBy, contactID string, sourceIDs []string, processID string) error {
	if err := checkOptionalRef(ctx, q, "parties", "proposed_by", "party", proposedBy, processID); err != nil {
		return err
	}
	if err := checkOptionalRef(ctx, q, "contacts", "contact_id", "contact", contactID, processID); err != nil {
		return err
	}
	return checkRefs(ctx, q, "sources", "source_ids", "source", sourceIDs, processID)
}

// checkLineage checks hand-made lineage: each point exists in another
// version of the same process, dated no later than this one, and the
// links make no loop.
func checkLineage(ctx context.Context, tx *Tx, pc *pointContext, refs []parley.PointRef) error {
	seen := map[parley.PointRef]bool{}
	for _, ref := range refs {
		if seen[ref] {
			return parley.FieldErrorf("lineage", "point %s of version %s is listed twice", ref.PointID, ref.VersionID)
		}
		seen[ref] = true
		if ref.VersionID == pc.version.ID {
			return parley.FieldErrorf("lineage", "a point cannot come from a point of its own version")
		}
		from, err := findPoint(ctx, tx, ref.VersionID, ref.PointID)
		hidden := false
		if err == nil && pc.view != nil && from.processID == pc.processID {
			ok, verr := pc.view.sees("versions", ref.VersionID)
			if verr != nil {
				return verr
			}
			hidden = !ok
		}
		if parley.ErrorCode(err) == parley.ENOTFOUND || (err == nil && from.processID != pc.processID) || hidden {
			return parley.FieldErrorf("lineage", "no point %s in version %s of this process", ref.PointID, ref.VersionID)
		}
		if err != nil {
			return err
		}
		if from.version.Date.After(pc.version.Date) {
			return parley.FieldErrorf("lineage", "point %s of %s is dated after this version, so this point cannot come from it",
				ref.PointID, from.version.Label)
		}
		self := parley.PointRef{VersionID: pc.version.ID, PointID: pc.point.ID}
		ancestors, err := walkLinks(ctx, tx, []parley.PointRef{ref}, backward)
		if err != nil {
			return err
		}
		if slices.Contains(ancestors, self) {
			return parley.FieldErrorf("lineage", "point %s of version %s already comes from this point", ref.PointID, ref.VersionID)
		}
	}
	return nil
}

// direction is the way walkLinks follows lineage.
type direction bool

const (
	backward direction = false // to the points a point came from
	forward  direction = true  // to the points that came from a point
)

// maxWalk bounds a walk through lineage, whatever the data.
const maxWalk = 100_000

// walkLinks returns the points reachable from start along lineage links
// in the given direction, start included, in the order they are reached.
func walkLinks(ctx context.Context, q querier, start []parley.PointRef, dir direction) ([]parley.PointRef, error) {
	query := "SELECT from_version, from_point FROM point_links WHERE version_id = $1 AND point_id = $2"
	if dir == forward {
		query = "SELECT version_id, point_id FROM point_links WHERE from_version = $1 AND from_point = $2"
	}
	seen := map[parley.PointRef]bool{}
	var out []parley.PointRef
	queue := slices.Clone(start)
	for len(queue) > 0 && len(out) < maxWalk {
		ref := queue[0]
		queue = queue[1:]
		if seen[ref] {
			continue
		}
		seen[ref] = true
		out = append(out, ref)
		rows, err := q.QueryContext(ctx, query, ref.VersionID, ref.PointID)
		if err != nil {
			return nil, parley.Internal(err)
		}
		for rows.Next() {
			var next parley.PointRef
			if err := rows.Scan(&next.VersionID, &next.PointID); err != nil {
				rows.Close()
				return nil, parley.Internal(err)
			}
			queue = append(queue, next)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, parley.Internal(err)
		}
	}
	return out, nil
}

// refreshOrigins recomputes the origin of a point from its first lineage
// link, then of every point that came from it, in the order reached.
func refreshOrigins(ctx context.Context, tx *Tx, from parley.PointRef) error {
	refs, err := walkLinks(ctx, tx, []parley.PointRef{from}, forward)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		origin := ref
		err := tx.QueryRowContext(ctx, `SELECT p.origin_version, p.origin_point FROM point_links l
			JOIN points p ON p.version_id = l.from_version AND p.id = l.from_point
			WHERE l.version_id = $1 AND l.point_id = $2 ORDER BY l.ord LIMIT 1`, ref.VersionID, ref.PointID).
			Scan(&origin.VersionID, &origin.PointID)
		if err != nil && !errNoRows(err) {
			return parley.Internal(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE points SET origin_version = $1, origin_point = $2
			WHERE version_id = $3 AND id = $4`, origin.VersionID, origin.PointID, ref.VersionID, ref.PointID); err != nil {
			return parley.Internal(err)
		}
	}
	return nil
}

// FindPointHistory follows a point through every version: back to the
// points it came from, then forward to every point that came from those,
// so that a split shows all its parts and a merge all its sources.
func (s *PlanService) FindPointHistory(ctx context.Context, versionID, pointID string) ([]*parley.PointStep, error) {
	q := s.db.read
	pc, err := findPoint(ctx, q, versionID, pointID)
	if err != nil {
		return nil, err
	}
	v, err := versionView(ctx, q, pc.version)
	if err != nil {
		return nil, err
	}
	roots, err := walkLinks(ctx, q, []parley.PointRef{{VersionID: versionID, PointID: pointID}}, backward)
	if err != nil {
		return nil, err
	}
	all, err := walkLinks(ctx, q, roots, forward)
	if err != nil {
		return nil, err
	}
	wanted := map[string]map[string]bool{}
	for _, ref := range all {
		if wanted[ref.VersionID] == nil {
			wanted[ref.VersionID] = map[string]bool{}
		}
		wanted[ref.VersionID][ref.PointID] = true
	}
	return s.db.seeSteps(v, wanted)
}

// pointSteps reads the wanted points (version ID → point IDs), one step
// per version, in the order of the versions' dates.
func pointSteps(ctx context.Context, q querier, wanted map[string]map[string]bool) ([]*parley.PointStep, error) {
	var steps []*parley.PointStep
	for vid, ids := range wanted {
		v, err := findVersionByID(ctx, q, vid)
		if err != nil {
			return nil, err
		}
		step := &parley.PointStep{Version: v}
		for _, p := range v.Points {
			if ids[p.ID] {
				step.Points = append(step.Points, p)
			}
		}
		v.Points, v.Text = nil, ""
		steps = append(steps, step)
	}
	slices.SortFunc(steps, func(a, b *parley.PointStep) int {
		if c := a.Version.Date.Compare(b.Version.Date); c != 0 {
			return c
		}
		return a.Version.Created.Compare(b.Version.Created)
	})
	return steps, nil
}

// FindPointsByContact returns the points raised at a contact, by version.
func (s *PlanService) FindPointsByContact(ctx context.Context, contactID string) ([]*parley.PointStep, error) {
	q := s.db.read
	c, err := contacts.read(ctx, s.db, contactID)
	if err != nil {
		return nil, err
	}
	v, _, err := newView(ctx, q, c.ProcessID)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT version_id, id FROM points WHERE contact_id = $1", contactID)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer rows.Close()
	wanted := map[string]map[string]bool{}
	for rows.Next() {
		var ref parley.PointRef
		if err := rows.Scan(&ref.VersionID, &ref.PointID); err != nil {
			return nil, parley.Internal(err)
		}
		if wanted[ref.VersionID] == nil {
			wanted[ref.VersionID] = map[string]bool{}
		}
		wanted[ref.VersionID][ref.PointID] = true
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return s.db.seeSteps(v, wanted)
}

// seeSteps reads the wanted points (version ID → point IDs) of the
// versions the actor may see through v, as pointSteps does, without
// references to hidden records, and logs the read.
func (db *DB) seeSteps(v *view, wanted map[string]map[string]bool) ([]*parley.PointStep, error) {
	for id := range wanted {
		if ok, err := v.sees("versions", id); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			delete(wanted, id)
		}
	}
	steps, err := pointSteps(v.ctx, v.q, wanted)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(steps))
	for i, st := range steps {
		if err := v.scrubVersion(st.Version); err != nil {
			return nil, err
		}
		for _, p := range st.Points {
			if err := v.scrubPoint(st.Version.ID, p); err != nil {
				return nil, err
			}
		}
		ids[i] = st.Version.ID
	}
	return steps, v.logRead(db, "version", "versions", ids)
}
