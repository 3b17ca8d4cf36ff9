package sqlstore

import (
	"context"
	"strconv"
	"time"

	"parley"
)

// PositionService stores the parties' positions on the points of versions.
type PositionService struct{ db *DB }

// NewPositionService returns the position service of db.
func NewPositionService(db *DB) *PositionService { return &PositionService{db: db} }

var _ parley.PositionService = (*PositionService)(nil)

// A position is seen only by whoever sees its own classification, its
// party, and its version (the version's and its plan's classifications):
// a position on a hidden draft would otherwise tell what the draft says,
// and one of a hidden party would name it.

// positionColumns are the columns findPositions reads, followed by the
// classifications of the position's version, plan and party.
const positionColumns = `pos.id, pos.process_id, pos.party_id, pos.version_id, pos.point_id, pos.stance, pos.note,
	pos.counter, pos.classification, pos.updated, v.classification, pl.classification, pa.classification`

// positionOrder lists positions by version (its date, then its plan's
// title and its order of addition), then the point's order in its
// version, then the party's name: the order of a consensus matrix, cheap
// to read with the joins findPositions makes anyway.
const positionOrder = "v.date, pl.title, v.plan_id, v.seq, pt.seq, pa.name, pos.id"

// seenPosition is a position with what the actor may see of it.
type seenPosition struct {
	pos  *parley.Position
	seen seen
}

// findPositions reads the positions matching where (with args), in order,
// each judged by the actor's access acc.
func findPositions(ctx context.Context, q querier, acc parley.Access, where string, args ...any) ([]seenPosition, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+positionColumns+` FROM positions pos
		JOIN versions v ON v.id = pos.version_id
		JOIN plans pl ON pl.id = v.plan_id
		JOIN parties pa ON pa.id = pos.party_id
		JOIN points pt ON pt.version_id = pos.version_id AND pt.id = pos.point_id
		WHERE `+where+` ORDER BY `+positionOrder, args...)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer rows.Close()
	var out []seenPosition
	for rows.Next() {
		var p parley.Position
		var class, updated, versionClass, planClass, partyClass string
		if err := rows.Scan(&p.ID, &p.ProcessID, &p.PartyID, &p.VersionID, &p.PointID, &p.Stance, &p.Note, &p.Counter,
			&class, &updated, &versionClass, &planClass, &partyClass); err != nil {
			return nil, parley.Internal(err)
		}
		if p.Updated, err = parseTime(updated); err != nil {
			return nil, parley.Internal(err)
		}
		s := seen{ok: true, public: true}
		for i, c := range []string{class, versionClass, planClass, partyClass} {
			cl, err := decodeClassification(c)
			if err != nil {
				return nil, parley.Internal(err)
			}
			if i == 0 {
				p.Classification = cl
			}
			s.ok = s.ok && acc.Sees(cl)
			s.public = s.public && cl.Level == parley.Public
		}
		out = append(out, seenPosition{&p, s})
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return out, nil
}

// FindPositionByID returns a position the actor may see, or ENOTFOUND.
func (s *PositionService) FindPositionByID(ctx context.Context, id string) (*parley.Position, error) {
	notFound := parley.Errorf(parley.ENOTFOUND, "position %q not found", id)
	var processID string
	if err := s.db.read.QueryRowContext(ctx, "SELECT process_id FROM positions WHERE id = $1", id).Scan(&processID); err != nil {
		if errNoRows(err) {
			return nil, notFound
		}
		return nil, parley.Internal(err)
	}
	v, _, err := newView(ctx, s.db.read, processID)
	if err != nil {
		return nil, notFound
	}
	ps, err := findPositions(ctx, s.db.read, v.acc, "pos.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 || !ps[0].seen.ok {
		return nil, notFound
	}
	if !ps[0].seen.public {
		if err := s.db.auditRead(ctx, processID, "position", []string{id}); err != nil {
			return nil, err
		}
	}
	return ps[0].pos, nil
}

// FindPositions returns the positions of a process the actor may see, in
// the order of positionOrder, optionally of one version and one party.
// A version or party the actor may not see is not found, as a process is:
// an empty list would hide a wrong ID.
func (s *PositionService) FindPositions(ctx context.Context, f parley.PositionFilter) ([]*parley.Position, error) {
	v, _, err := newView(ctx, s.db.read, f.ProcessID)
	if err != nil {
		return nil, err
	}
	where, args := "pos.process_id = $1", []any{f.ProcessID}
	if f.VersionID != "" {
		if err := checkVersionRef(ctx, s.db.read, v.acc, "version_id", f.VersionID, f.ProcessID); err != nil {
			if parley.ErrorCode(err) == parley.EINVALID {
				return nil, parley.Errorf(parley.ENOTFOUND, "version %q not found", f.VersionID)
			}
			return nil, err
		}
		args = append(args, f.VersionID)
		where += " AND pos.version_id = $" + strconv.Itoa(len(args))
	}
	if f.PartyID != "" {
		if err := checkRef(ctx, s.db.read, "parties", "party_id", "party", f.PartyID, f.ProcessID); err != nil {
			if parley.ErrorCode(err) == parley.EINVALID {
				return nil, parley.Errorf(parley.ENOTFOUND, "party %q not found", f.PartyID)
			}
			return nil, err
		}
		args = append(args, f.PartyID)
		where += " AND pos.party_id = $" + strconv.Itoa(len(args))
	}
	ps, err := findPositions(ctx, s.db.read, v.acc, where, args...)
	if err != nil {
		return nil, err
	}
	var out []*parley.Position
	var logged []string
	for _, p := range ps {
		if !p.seen.ok {
			continue
		}
		out = append(out, p.pos)
		if !p.seen.public {
			logged = append(logged, p.pos.ID)
		}
	}
	if err := s.db.auditRead(ctx, f.ProcessID, "position", logged); err != nil {
		return nil, err
	}
	return out, nil
}

// SetPosition stores p as its party's position on a point of a version,
// replacing the one there was under the same ID. A delegate sets only its
// own party's positions, and only those it owns (confidential to its
// party, or shared by it); mediators set any party's.
func (s *PositionService) SetPosition(ctx context.Context, p *parley.Position) error {
	if err := p.Validate(); err != nil {
		return err
	}
	var id string
	now, err := s.db.update(ctx, func(tx *Tx) error {
		acc, err := writeAccess(ctx, tx, p.ProcessID)
		if err != nil {
			return err
		}
		if err := checkPositionRefs(ctx, tx, p, p.ProcessID); err != nil {
			return err
		}
		if acc.Role == parley.RoleDelegate && p.PartyID != acc.PartyID {
			return parley.Errorf(parley.EFORBIDDEN, "a delegate sets only its own party's positions")
		}
		if err := mayWrite(acc, "position", false, p.Classification); err != nil {
			return err
		}
		var oldClass string
		err = tx.QueryRowContext(ctx, "SELECT id, classification FROM positions WHERE party_id = $1 AND version_id = $2 AND point_id = $3",
			p.PartyID, p.VersionID, p.PointID).Scan(&id, &oldClass)
		switch {
		case errNoRows(err):
			id = newID()
			if err := insertPosition(ctx, tx, p, id, tx.now); err != nil {
				return err
			}
			if err := appendAudit(ctx, tx, &parley.AuditRecord{Action: "create", ProcessID: p.ProcessID, Kind: "position",
				IDs: []string{id}, Detail: p.Classification.String()}); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			old, err := decodeClassification(oldClass)
			if err != nil {
				return err
			}
			if err := mayWrite(acc, "position", false, old); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE positions SET stance = $1, note = $2, counter = $3, classification = $4,
				updated = $5 WHERE id = $6`, p.Stance, p.Note, p.Counter, encodeClassification(p.Classification),
				formatTime(tx.now), id); err != nil {
				return err
			}
			if err := appendAudit(ctx, tx, changeRecord(p.ProcessID, "position", id, old, p.Classification)); err != nil {
				return err
			}
		}
		return touch(ctx, tx, p.ProcessID)
	})
	if err != nil {
		return err
	}
	p.ID, p.Updated = id, now
	return nil
}

// insertPosition stores p as position id, updated at the given time, as it
// is: the caller has checked it.
func insertPosition(ctx context.Context, tx *Tx, p *parley.Position, id string, updated time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO positions (id, process_id, party_id, version_id, point_id, stance, note, counter,
		classification, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, id, p.ProcessID, p.PartyID, p.VersionID,
		p.PointID, p.Stance, p.Note, p.Counter, encodeClassification(p.Classification), formatTime(updated))
	return err
}

// checkPositionRefs checks that a position's party, version and point are
// of process processID and visible to the actor (a hidden one is reported
// as a made-up one is), and that its classification is one a party's
// position may have.
func checkPositionRefs(ctx context.Context, q querier, p *parley.Position, processID string) error {
	if err := checkRef(ctx, q, "parties", "party_id", "party", p.PartyID, processID); err != nil {
		return err
	}
	if err := checkVersionRef(ctx, q, parley.ActorFrom(ctx).In(processID), "version_id", p.VersionID, processID); err != nil {
		return err
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM points WHERE version_id = $1 AND id = $2", p.VersionID, p.PointID).Scan(&n); err != nil {
		return parley.Internal(err)
	}
	if n == 0 {
		return parley.FieldErrorf("point_id", "version %q has no point %q", p.VersionID, p.PointID)
	}
	if err := checkPositionClass(p); err != nil {
		return err
	}
	return checkClassificationRefs(ctx, q, p.Classification, processID)
}

// checkPositionClass checks that a position is confidential to its own
// party, shared by it (its party listed first), process-wide or public: a
// position is its party's statement, never another party's secret nor the
// mediators' alone.
func checkPositionClass(p *parley.Position) error {
	c := p.Classification
	switch c.Level {
	case parley.Public, parley.ProcessWide:
		return nil
	case parley.Confidential, parley.Shared:
		if len(c.PartyIDs) > 0 && c.PartyIDs[0] == p.PartyID {
			return nil
		}
	}
	return parley.FieldErrorf("classification",
		"a position is confidential to its own party, shared by it (listed first), process-wide or public, not %s", c)
}

// checkVersionRef checks that versionID names a version of process
// processID that acc may see (when acc is a member's), reporting field as
// invalid otherwise, with one message for a hidden and a made-up version.
func checkVersionRef(ctx context.Context, q querier, acc parley.Access, field, versionID, processID string) error {
	missing := parley.FieldErrorf(field, "no version %q in this process", versionID)
	var pid, versionClass, planClass string
	err := q.QueryRowContext(ctx, `SELECT pl.process_id, v.classification, pl.classification FROM versions v
		JOIN plans pl ON pl.id = v.plan_id WHERE v.id = $1`, versionID).Scan(&pid, &versionClass, &planClass)
	switch {
	case errNoRows(err):
		return missing
	case err != nil:
		return parley.Internal(err)
	case pid != processID:
		return missing
	}
	if acc.Member() && !acc.Mediator() {
		for _, c := range []string{versionClass, planClass} {
			cl, err := decodeClassification(c)
			if err != nil {
				return parley.Internal(err)
			}
			if !acc.Sees(cl) {
				return missing
			}
		}
	}
	return nil
}
