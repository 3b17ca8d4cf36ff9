package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"parley"
)

// ProcessService stores processes in the database.
type ProcessService struct{ db *DB }

// NewProcessService returns the process service of db.
func NewProcessService(db *DB) *ProcessService { return &ProcessService{db: db} }

var _ parley.ProcessService = (*ProcessService)(nil)

// FindProcessByID returns a process, or ENOTFOUND.
func (s *ProcessService) FindProcessByID(ctx context.Context, id string) (*parley.Process, error) {
	v, p, err := newView(ctx, s.db.read, id)
	if err != nil {
		return nil, err
	}
	if p.Classification.Level != parley.Public {
		if err := s.db.auditRead(ctx, v.processID, "process", []string{id}); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// FindProcesses returns the processes matching the filter that the actor
// may see, by name, and how many there are.
func (s *ProcessService) FindProcesses(ctx context.Context, filter parley.ProcessFilter) ([]*parley.Process, int, error) {
	a := parley.ActorFrom(ctx)
	offset, limit := filter.Offset, filter.Limit
	filter.Offset, filter.Limit = 0, 0
	all, _, err := findProcesses(ctx, s.db.read, filter)
	if err != nil {
		return nil, 0, err
	}
	var out []*parley.Process
	for _, p := range all {
		if acc := a.In(p.ID); acc.Member() && acc.Sees(p.Classification) {
			out = append(out, p)
		}
	}
	total := len(out)
	out = out[min(offset, total):]
	if limit > 0 {
		out = out[:min(limit, len(out))]
	}
	for _, p := range out {
		if p.Classification.Level != parley.Public {
			if err := s.db.auditRead(ctx, p.ID, "process", []string{p.ID}); err != nil {
				return nil, 0, err
			}
		}
	}
	return out, total, nil
}

// CreateProcess validates and stores a new process.
func (s *ProcessService) CreateProcess(ctx context.Context, p *parley.Process) error {
	if err := p.Validate(); err != nil {
		return err
	}
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if p.Classification.Level != parley.Public && p.Classification.Level != parley.ProcessWide && p.Classification.Level != parley.MediatorsOnly {
		return parley.FieldErrorf("classification", "a process is public, process-wide or for mediators only: it has no parties yet to share it with")
	}
	id := newID()
	now, err := s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO processes (id, name, summary, topics, classification, created, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, p.Name, p.Summary, encodeJSON(p.Topics), encodeClassification(p.Classification),
			formatTime(tx.now), formatTime(tx.now)); err != nil {
			return err
		}
		// Whoever opens a process mediates it until they say otherwise.
		if a.UserID != "" {
			if _, err := tx.ExecContext(ctx, "INSERT INTO memberships (user_id, process_id, role) VALUES ($1, $2, $3)",
				a.UserID, id, parley.RoleMediator); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, &parley.AuditRecord{Action: "create", ProcessID: id, Kind: "process", IDs: []string{id},
			Detail: p.Classification.String()})
	})
	if err != nil {
		return err
	}
	p.ID, p.Created, p.Updated, p.Revision = id, now, now, 0
	// The actor of this request mediates the process from now on.
	if a.UserID != "" {
		a.Memberships = append(a.Memberships, parley.Membership{UserID: a.UserID, ProcessID: id, Role: parley.RoleMediator})
	}
	return nil
}

// UpdateProcess replaces the mutable fields of process p.ID.
func (s *ProcessService) UpdateProcess(ctx context.Context, p *parley.Process) error {
	if err := p.Validate(); err != nil {
		return err
	}
	var old *parley.Process
	now, err := s.db.update(ctx, func(tx *Tx) error {
		v, stored, err := newView(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		old = stored
		if err := mayWrite(v.acc, "process", true, old.Classification); err != nil {
			return err
		}
		if err := checkClassificationRefs(ctx, tx, p.Classification, p.ID); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, changeRecord(p.ID, "process", p.ID, old.Classification, p.Classification)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE processes SET name = $1, summary = $2, topics = $3, classification = $4, updated = $5,
			revision = revision + 1 WHERE id = $6`,
			p.Name, p.Summary, encodeJSON(p.Topics), encodeClassification(p.Classification), formatTime(tx.now), p.ID)
		return err
	})
	if err != nil {
		return err
	}
	p.Created, p.Updated, p.Revision = old.Created, now, old.Revision+1
	return nil
}

// touch counts a write to a process and its records, in the write's
// transaction (see parley.Process.Revision).
//
// The revision is bookkeeping, not content: it is written past the count
// of changes (see changes.go), or every write would make every drawing of
// every page, which all read their process, stale. No cached drawing shows
// a process's revision or time of update.
func touch(ctx context.Context, tx *Tx, processID string) error {
	if _, err := tx.exec(ctx, "UPDATE processes SET revision = revision + 1 WHERE id = $1", processID); err != nil {
		return parley.Internal(err)
	}
	return nil
}

// querier is what both a pool and a transaction offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// findProcessByID reads one process, or reports ENOTFOUND.
func findProcessByID(ctx context.Context, q querier, id string) (*parley.Process, error) {
	ps, _, err := findProcesses(ctx, q, parley.ProcessFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, parley.Errorf(parley.ENOTFOUND, "process %q not found", id)
	}
	return ps[0], nil
}

// findProcesses reads the processes matching the filter and their count.
func findProcesses(ctx context.Context, q querier, filter parley.ProcessFilter) ([]*parley.Process, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if filter.ID != nil {
		args = append(args, *filter.ID)
		where = append(where, "id = $"+strconv.Itoa(len(args)))
	}
	if filter.Name != nil {
		args = append(args, *filter.Name)
		where = append(where, "name = $"+strconv.Itoa(len(args)))
	}
	query := `SELECT id, name, summary, topics, classification, created, updated, revision, count(*) OVER ()
		FROM processes WHERE ` + strings.Join(where, " AND ") + ` ORDER BY name, id`
	if filter.Limit > 0 {
		args = append(args, filter.Limit, filter.Offset)
		query += " LIMIT $" + strconv.Itoa(len(args)-1) + " OFFSET $" + strconv.Itoa(len(args))
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, parley.Internal(err)
	}
	defer rows.Close()
	var out []*parley.Process
	total := 0
	for rows.Next() {
		var p parley.Process
		var topics, class, created, updated string
		if err := rows.Scan(&p.ID, &p.Name, &p.Summary, &topics, &class, &created, &updated, &p.Revision, &total); err != nil {
			return nil, 0, parley.Internal(err)
		}
		if err := decodeJSON(topics, &p.Topics); err != nil {
			return nil, 0, parley.Internal(err)
		}
		if p.Classification, err = decodeClassification(class); err != nil {
			return nil, 0, parley.Internal(err)
		}
		if p.Created, err = parseTime(created); err != nil {
			return nil, 0, parley.Internal(err)
		}
		if p.Updated, err = parseTime(updated); err != nil {
			return nil, 0, parley.Internal(err)
		}
		out = append(out, &p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, parley.Internal(err)
	}
	return out, total, nil
}
