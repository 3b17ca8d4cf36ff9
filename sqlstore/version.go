package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"parley"
	"parley/lineage"
)

// versionColumns are the columns findVersions reads; text only on demand.
const versionColumns = `id, plan_id, label, date, coalesce(author_party_id, ''), status, text_unknown,
	point_count, reported_changes, source_ids, warnings, coalesce(previous_id, ''), classification, created`

// FindVersionByID returns a version with its text and points.
func (s *PlanService) FindVersionByID(ctx context.Context, id string) (*parley.Version, error) {
	ver, err := findVersionByID(ctx, s.db.read, id)
	if err != nil {
		return nil, err
	}
	v, err := versionView(ctx, s.db.read, ver)
	if err != nil {
		return nil, err
	}
	if err := v.scrubVersion(ver); err != nil {
		return nil, err
	}
	if !v.publicVersion {
		if err := s.db.auditRead(ctx, v.processID, "version", []string{id}); err != nil {
			return nil, err
		}
	}
	return ver, nil
}

// versionView returns the actor's view of the process of a version, or
// ENOTFOUND when the actor may not see the version.
// It decides from the version's and its plan's classifications alone, so
// that showing one version reads no other; v.publicVersion says whether
// both are public.
func versionView(ctx context.Context, q querier, ver *parley.Version) (*view, error) {
	notFound := parley.Errorf(parley.ENOTFOUND, "version %q not found", ver.ID)
	var processID, class string
	if err := q.QueryRowContext(ctx, "SELECT process_id, classification FROM plans WHERE id = $1", ver.PlanID).Scan(&processID, &class); err != nil {
		return nil, parley.Internal(err)
	}
	planClass, err := decodeClassification(class)
	if err != nil {
		return nil, parley.Internal(err)
	}
	v, _, err := newView(ctx, q, processID)
	if err != nil {
		return nil, notFound
	}
	if !v.acc.Sees(planClass) || !v.acc.Sees(ver.Classification) {
		return nil, notFound
	}
	v.publicVersion = planClass.Level == parley.Public && ver.Classification.Level == parley.Public
	return v, nil
}

func findVersionByID(ctx context.Context, q querier, id string) (*parley.Version, error) {
	vs, err := findVersions(ctx, q, true, "id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, parley.Errorf(parley.ENOTFOUND, "version %q not found", id)
	}
	v := vs[0]
	if v.Points, err = findPoints(ctx, q, v.ID); err != nil {
		return nil, err
	}
	return v, nil
}

// findVersions reads the versions matching where, in plan order (date,
// then order of addition), with their text when withText is set.
func findVersions(ctx context.Context, q querier, withText bool, where string, args ...any) ([]*parley.Version, error) {
	text := "''"
	if withText {
		text = "text"
	}
	rows, err := q.QueryContext(ctx, `SELECT `+versionColumns+`, `+text+` FROM versions WHERE `+where+`
		ORDER BY plan_id, date, seq`, args...)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer rows.Close()
	var out []*parley.Version
	for rows.Next() {
		var v parley.Version
		var date, sources, warnings, class, created string
		if err := rows.Scan(&v.ID, &v.PlanID, &v.Label, &date, &v.AuthorPartyID, &v.Status, &v.TextUnknown,
			&v.PointCount, &v.ReportedChanges, &sources, &warnings, &v.PreviousID, &class, &created, &v.Text); err != nil {
			return nil, parley.Internal(err)
		}
		err := errors.Join(decodeJSON(sources, &v.SourceIDs), decodeJSON(warnings, &v.Warnings))
		if err == nil {
			v.Classification, err = decodeClassification(class)
		}
		if err == nil {
			v.Date, err = parseTime(date)
		}
		if err == nil {
			v.Created, err = parseTime(created)
		}
		if err != nil {
			return nil, parley.Internal(err)
		}
		out = append(out, &v)
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return out, nil
}

// findPoints reads the points of a version in document order, with their
// lineage.
func findPoints(ctx context.Context, q querier, versionID string) ([]*parley.Point, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, label, heading, text, depth, origin_version, origin_point,
		tags, coalesce(proposed_by, ''), coalesce(contact_id, ''), source_ids
		FROM points WHERE version_id = $1 ORDER BY seq`, versionID)
	if err != nil {
		return nil, parley.Internal(err)
	}
	var out []*parley.Point
	byID := map[string]*parley.Point{}
	for rows.Next() {
		var p parley.Point
		var tags, sources string
		if err := rows.Scan(&p.ID, &p.Label, &p.Heading, &p.Text, &p.Depth, &p.Origin.VersionID, &p.Origin.PointID,
			&tags, &p.ProposedBy, &p.ContactID, &sources); err != nil {
			rows.Close()
			return nil, parley.Internal(err)
		}
		if err := errors.Join(decodeJSON(tags, &p.Tags), decodeJSON(sources, &p.SourceIDs)); err != nil {
			rows.Close()
			return nil, parley.Internal(err)
		}
		out = append(out, &p)
		byID[p.ID] = &p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	links, err := q.QueryContext(ctx, `SELECT point_id, from_version, from_point FROM point_links
		WHERE version_id = $1 ORDER BY point_id, ord`, versionID)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer links.Close()
	for links.Next() {
		var id string
		var ref parley.PointRef
		if err := links.Scan(&id, &ref.VersionID, &ref.PointID); err != nil {
			return nil, parley.Internal(err)
		}
		if p := byID[id]; p != nil {
			p.Lineage = append(p.Lineage, ref)
		}
	}
	if err := links.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return out, nil
}

// CreateVersion parses, links and stores a new version of a plan.
func (s *PlanService) CreateVersion(ctx context.Context, v *parley.Version) error {
	if err := v.Validate(); err != nil {
		return err
	}
	v.Date = v.Date.UTC()
	id := newID()
	var text *lineage.Text
	if !v.TextUnknown {
		var err error
		if text, err = lineage.Parse(id, v.Text); err != nil {
			return err
		}
	}
	var points []*parley.Point
	var warnings []string
	previous, count := "", v.PointCount
	var scrub *view
	now, err := s.db.update(ctx, func(tx *Tx) error {
		plan, err := findPlanByID(ctx, tx, v.PlanID)
		if err != nil {
			return err
		}
		view, _, err := newView(ctx, tx, plan.ProcessID)
		if err != nil {
			return parley.Errorf(parley.ENOTFOUND, "plan %q not found", v.PlanID)
		}
		if ok, err := view.sees("plans", plan.ID); err != nil || !ok {
			return errors.Join(err, parley.Errorf(parley.ENOTFOUND, "plan %q not found", v.PlanID))
		}
		if err := checkVersionRefs(ctx, tx, v, plan.ProcessID); err != nil {
			return err
		}
		if err := mayWrite(view.acc, "version", false, v.Classification); err != nil {
			return err
		}
		scrub = view
		if text != nil {
			points, warnings, count = text.Points, text.Warnings, text.TopLevel()
			prev, err := previousVersion(ctx, tx, plan, v.Date, view)
			if err != nil {
				return err
			}
			if prev != nil {
				previous = prev.ID
				if err := text.Link(prev); err != nil {
					return err
				}
			}
		}
		var seq int
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) + 1 FROM versions WHERE plan_id = $1", v.PlanID).Scan(&seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO versions (id, plan_id, seq, label, date, author_party_id, status, text,
			text_unknown, point_count, reported_changes, source_ids, warnings, previous_id, classification, created)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			id, v.PlanID, seq, v.Label, formatInstant(v.Date), nullable(v.AuthorPartyID), v.Status, v.Text, v.TextUnknown,
			count, v.ReportedChanges, encodeJSON(v.SourceIDs), encodeJSON(warnings), nullable(previous),
			encodeClassification(v.Classification), formatTime(tx.now)); err != nil {
			return err
		}
		if err := insertPoints(ctx, tx, id, points); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, &parley.AuditRecord{Action: "create", ProcessID: plan.ProcessID, Kind: "version",
			IDs: []string{id}, Detail: v.Classification.String()}); err != nil {
			return err
		}
		return touch(ctx, tx, plan.ProcessID)
	})
	if err != nil {
		return err
	}
	v.ID, v.Created, v.Points, v.Warnings, v.PreviousID, v.PointCount = id, now, points, warnings, previous, count
	// The new version comes from one its author may see, but a template's
	// points may come from hidden ones: the answer hides those links.
	scrub.q, scrub.visible = s.db.read, map[string]map[string]seen{}
	return scrub.scrubVersion(v)
}

// previousVersion returns, with its points, the version a new version of
// plan dated date is compared with: the plan's latest version with a known
// text dated on or before date that its author may see, or else the latest
// such version of the plan's template. It returns nil when there is none. A point never comes
// from a later version, here or in an imported archive.
func previousVersion(ctx context.Context, q querier, plan *parley.Plan, date time.Time, author *view) (*parley.Version, error) {
	var err error
	pick := func(vs []*parley.Version, until time.Time) string {
		for _, v := range slices.Backward(vs) {
			if v.TextUnknown || v.Date.After(until) {
				continue
			}
			// A version is drafted from what its author could read:
			// never from one hidden from them, whose points (and tags)
			// would pass into theirs.
			ok, serr := author.sees("versions", v.ID)
			if serr != nil {
				err = serr
				return ""
			}
			if ok {
				return v.ID
			}
		}
		return ""
	}
	id := pick(plan.Versions, date)
	if err != nil {
		return nil, err
	}
	if id == "" && plan.TemplateID != "" {
		tpl, err := findPlans(ctx, q, "id = $1", plan.TemplateID)
		if err != nil {
			return nil, err
		}
		if len(tpl) > 0 {
			id = pick(tpl[0].Versions, date)
		}
	}
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, nil
	}
	return findVersionByID(ctx, q, id)
}

// insertPoints stores the points of a version and their lineage.
func insertPoints(ctx context.Context, tx *Tx, versionID string, points []*parley.Point) error {
	for i, p := range points {
		if _, err := tx.ExecContext(ctx, `INSERT INTO points (version_id, id, seq, label, heading, text, depth,
			origin_version, origin_point, tags, proposed_by, contact_id, source_ids)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			versionID, p.ID, i, p.Label, p.Heading, p.Text, p.Depth, p.Origin.VersionID, p.Origin.PointID,
			encodeJSON(p.Tags), nullable(p.ProposedBy), nullable(p.ContactID), encodeJSON(p.SourceIDs)); err != nil {
			return parley.Internal(err)
		}
		if err := insertLinks(ctx, tx, versionID, p); err != nil {
			return err
		}
	}
	return nil
}

// insertLinks stores the lineage of one point.
func insertLinks(ctx context.Context, tx *Tx, versionID string, p *parley.Point) error {
	for k, ref := range p.Lineage {
		if _, err := tx.ExecContext(ctx, `INSERT INTO point_links (version_id, point_id, ord, from_version, from_point)
			VALUES ($1, $2, $3, $4, $5)`, versionID, p.ID, k, ref.VersionID, ref.PointID); err != nil {
			return parley.Internal(err)
		}
	}
	return nil
}

// errNoRows tells a missing row from a failure.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// checkVersionRefs checks that a version's author, sources and
// classification's parties belong to its process.
func checkVersionRefs(ctx context.Context, q querier, v *parley.Version, processID string) error {
	if err := checkOptionalRef(ctx, q, "parties", "author_party_id", "party", v.AuthorPartyID, processID); err != nil {
		return err
	}
	if err := checkRefs(ctx, q, "sources", "source_ids", "source", v.SourceIDs, processID); err != nil {
		return err
	}
	return checkClassificationRefs(ctx, q, v.Classification, processID)
}

// ClassifyVersion changes a version's classification: sharing a draft with
// a party, or withdrawing it. The actor must own both the old and the new
// classification, as for any other record.
func (s *PlanService) ClassifyVersion(ctx context.Context, versionID string, c parley.Classification) (*parley.Version, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	_, err := s.db.update(ctx, func(tx *Tx) error {
		vs, err := findVersions(ctx, tx, false, "id = $1", versionID)
		if err != nil {
			return err
		}
		if len(vs) == 0 {
			return parley.Errorf(parley.ENOTFOUND, "version %q not found", versionID)
		}
		old := vs[0]
		v, err := versionView(ctx, tx, old)
		if err != nil {
			return err
		}
		if err := checkClassificationRefs(ctx, tx, c, v.processID); err != nil {
			return err
		}
		if err := mayWrite(v.acc, "version", false, old.Classification); err != nil {
			return err
		}
		if err := mayWrite(v.acc, "version", false, c); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE versions SET classification = $1 WHERE id = $2", encodeClassification(c), versionID); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, changeRecord(v.processID, "version", versionID, old.Classification, c)); err != nil {
			return err
		}
		return touch(ctx, tx, v.processID)
	})
	if err != nil {
		return nil, err
	}
	vs, err := findVersions(ctx, s.db.read, false, "id = $1", versionID)
	if err != nil || len(vs) == 0 {
		return nil, errors.Join(err, parley.Errorf(parley.ENOTFOUND, "version %q not found", versionID))
	}
	ver := vs[0]
	v, err := versionView(ctx, s.db.read, ver)
	if err != nil {
		// Withdrawn from the actor's own sight is not possible (they must
		// own the new classification), but say so plainly if it happens.
		return nil, err
	}
	return ver, v.scrubVersion(ver)
}
