package sqlite

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
	return findProcessByID(ctx, s.db.read, id)
}

// FindProcesses returns the processes matching the filter, by name.
func (s *ProcessService) FindProcesses(ctx context.Context, filter parley.ProcessFilter) ([]*parley.Process, int, error) {
	return findProcesses(ctx, s.db.read, filter)
}

// CreateProcess validates and stores a new process.
func (s *ProcessService) CreateProcess(ctx context.Context, p *parley.Process) error {
	if err := p.Validate(); err != nil {
		return err
	}
	id := newID()
	now, err := s.db.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO processes (id, name, summary, topics, classification, created, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, p.Name, p.Summary, encodeJSON(p.Topics), encodeClassification(p.Classification),
			formatTime(tx.now), formatTime(tx.now))
		return err
	})
	if err != nil {
		return err
	}
	p.ID, p.Created, p.Updated, p.Revision = id, now, now, 0
	return nil
}

// UpdateProcess replaces the mutable fields of process p.ID.
func (s *ProcessService) UpdateProcess(ctx context.Context, p *parley.Process) error {
	if err := p.Validate(); err != nil {
		return err
	}
	var old *parley.Process
	now, err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if old, err = findProcessByID(ctx, tx, p.ID); err != nil {
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
func touch(ctx context.Context, tx *Tx, processID string) error {
	if _, err := tx.ExecContext(ctx, "UPDATE processes SET revision = revision + 1 WHERE id = $1", processID); err != nil {
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
