package sqlite

import (
	"context"
	"strconv"
	"strings"

	"parley"
)

// recordKind says how one kind of process record (party, person, channel,
// contact, source) is stored, so that the five services share one way of
// finding, creating and updating records: they differ in their columns and
// references, not in how a write is checked and committed.
type recordKind[T any] struct {
	// what names the record in messages ("party %q not found").
	what  string
	table string
	// columns are the columns besides id and process_id, in the order in
	// which values returns them and scan reads them.
	columns []string
	// order sorts the records of a process.
	order string
	// keys returns where the record keeps its ID and its process's ID.
	keys     func(r *T) (id, processID *string)
	validate func(r *T) error
	// values returns the stored values of columns.
	values func(r *T) []any
	// scan reads a row of id, process_id and columns.
	scan func(row scanner) (*T, error)
	// refs checks the record's references to other records of process
	// processID; nil when it has none.
	refs func(ctx context.Context, q querier, r *T, processID string) error
}

// scanner is a row to read: what *sql.Row and *sql.Rows share.
type scanner interface {
	Scan(dest ...any) error
}

// find reads the records matching where (with args), in order.
func (k *recordKind[T]) find(ctx context.Context, q querier, where string, args ...any) ([]*T, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, process_id, "+strings.Join(k.columns, ", ")+
		" FROM "+k.table+" WHERE "+where+" ORDER BY "+k.order, args...)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		r, err := k.scan(rows)
		if err != nil {
			return nil, parley.Internal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return out, nil
}

// findByID reads one record, or reports ENOTFOUND naming it.
func (k *recordKind[T]) findByID(ctx context.Context, q querier, id string) (*T, error) {
	rs, err := k.find(ctx, q, "id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, parley.Errorf(parley.ENOTFOUND, "%s %q not found", k.what, id)
	}
	return rs[0], nil
}

// findInProcess reads the records of a process, or reports ENOTFOUND when
// there is no such process: an empty list would hide a wrong ID.
func (k *recordKind[T]) findInProcess(ctx context.Context, q querier, processID string) ([]*T, error) {
	if _, err := findProcessByID(ctx, q, processID); err != nil {
		return nil, err
	}
	return k.find(ctx, q, "process_id = $1", processID)
}

// create validates r, checks its process and references, and stores it
// under a new ID; r gets the ID once it is committed.
func (k *recordKind[T]) create(ctx context.Context, db *DB, r *T) error {
	idp, processID := k.keys(r)
	id := newID()
	err := k.write(ctx, db, r, func(tx *Tx) error {
		if err := checkProcessRef(ctx, tx, *processID); err != nil {
			return err
		}
		if err := k.checkRefs(ctx, tx, r, *processID); err != nil {
			return err
		}
		if err := k.insertRow(ctx, tx, r, id, *processID); err != nil {
			return err
		}
		return touch(ctx, tx, *processID)
	})
	if err != nil {
		return err
	}
	*idp = id
	return nil
}

// update validates r and replaces the stored columns of record r's ID. A
// record never moves to another process: r's process ID is ignored and,
// once the update is committed, set to the stored one.
func (k *recordKind[T]) update(ctx context.Context, db *DB, r *T) error {
	idp, processID := k.keys(r)
	var stored string
	err := k.write(ctx, db, r, func(tx *Tx) error {
		old, err := k.findByID(ctx, tx, *idp)
		if err != nil {
			return err
		}
		_, oldProcessID := k.keys(old)
		stored = *oldProcessID
		if err := k.checkRefs(ctx, tx, r, stored); err != nil {
			return err
		}
		set := make([]string, len(k.columns))
		for i, c := range k.columns {
			set[i] = c + " = $" + strconv.Itoa(i+1)
		}
		args := append(k.values(r), *idp)
		if _, err = tx.ExecContext(ctx, "UPDATE "+k.table+" SET "+strings.Join(set, ", ")+
			" WHERE id = $"+strconv.Itoa(len(args)), args...); err != nil {
			return err
		}
		return touch(ctx, tx, stored)
	})
	if err != nil {
		return err
	}
	*processID = stored
	return nil
}

// insertRow stores r as record id of process processID, as it is: the
// caller has checked it.
func (k *recordKind[T]) insertRow(ctx context.Context, tx *Tx, r *T, id, processID string) error {
	args := append([]any{id, processID}, k.values(r)...)
	_, err := tx.ExecContext(ctx, "INSERT INTO "+k.table+" (id, process_id, "+strings.Join(k.columns, ", ")+
		") VALUES ("+placeholders(len(args), 1)+")", args...)
	return err
}

// write validates r, then runs fn in a write transaction and commits it,
// so that a write either succeeds whole or stores nothing. Errors of fn
// that are not application errors are reported as internal.
func (k *recordKind[T]) write(ctx context.Context, db *DB, r *T, fn func(tx *Tx) error) error {
	if err := k.validate(r); err != nil {
		return err
	}
	_, err := db.update(ctx, fn)
	return err
}

// checkRefs runs the kind's reference checks, if it has any.
func (k *recordKind[T]) checkRefs(ctx context.Context, q querier, r *T, processID string) error {
	if k.refs == nil {
		return nil
	}
	return k.refs(ctx, q, r, processID)
}

// checkClassificationRefs checks that the parties a classification names
// are parties of the process: a record shared with, or confidential to, a
// party of another process would be visible to no one it was meant for.
func checkClassificationRefs(ctx context.Context, q querier, c parley.Classification, processID string) error {
	return checkRefs(ctx, q, "parties", "classification", "party", c.PartyIDs, processID)
}

// checkOptionalRef checks a reference that may be empty with checkRef.
func checkOptionalRef(ctx context.Context, q querier, table, field, what, id, processID string) error {
	if id == "" {
		return nil
	}
	return checkRef(ctx, q, table, field, what, id, processID)
}
