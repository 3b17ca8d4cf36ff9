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
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	p.ID, p.Created, p.Updated = newID(), tx.now, tx.now
	if _, err := tx.ExecContext(ctx, `INSERT INTO processes (id, name, summary, classification, created, updated)
		VALUES ($1, $2, $3, $4, $5, $6)`, p.ID, p.Name, p.Summary, encodeClassification(p.Classification),
		formatTime(p.Created), formatTime(p.Updated)); err != nil {
		return parley.Internal(err)
	}
	if err := tx.Commit(); err != nil {
		return parley.Internal(err)
	}
	return nil
}

// UpdateProcess changes the fields set in upd.
func (s *ProcessService) UpdateProcess(ctx context.Context, id string, upd parley.ProcessUpdate) (*parley.Process, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := findProcessByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if upd.Name != nil {
		p.Name = *upd.Name
	}
	if upd.Summary != nil {
		p.Summary = *upd.Summary
	}
	if upd.Classification != nil {
		p.Classification = *upd.Classification
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.Updated = tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE processes SET name = $1, summary = $2, classification = $3, updated = $4 WHERE id = $5`,
		p.Name, p.Summary, encodeClassification(p.Classification), formatTime(p.Updated), p.ID); err != nil {
		return nil, parley.Internal(err)
	}
	if err := tx.Commit(); err != nil {
		return nil, parley.Internal(err)
	}
	return p, nil
}

// querier is what both a pool and a transaction offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
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
	query := `SELECT id, name, summary, classification, created, updated, count(*) OVER ()
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
		var class, created, updated string
		if err := rows.Scan(&p.ID, &p.Name, &p.Summary, &class, &created, &updated, &total); err != nil {
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
