package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"parley"
)

// Writes are committed in groups. A commit waits for the disk (fsync),
// which takes longer than most writes take to run; writes follow one
// another anyway (one writer on SQLite, the write lock on PostgreSQL). So
// the writes that arrive while a group commits wait, and then run one
// after the other in one transaction, each in a savepoint of its own, and
// commit together: one wait for the disk for all of them. Each write is
// still whole or absent: a write that fails is rolled back to its
// savepoint, alone, and a group whose commit fails reports the failure to
// every write in it. No write is acknowledged before its group commits.

// pendingWrite is a write waiting for its group.
type pendingWrite struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan writeResult
}

// writeResult is what became of a write: its time, or why it failed.
type writeResult struct {
	now time.Time
	err error
}

// writeQueue holds the writes waiting for the next group.
type writeQueue struct {
	mu      sync.Mutex
	pending []*pendingWrite
	running bool // a goroutine is committing
}

// maxGroup bounds the writes of one group, so that a burst of writes does
// not make one transaction of unbounded size.
const maxGroup = 128

// update runs fn in a write transaction and commits it, so that a write is
// stored whole or not at all. Errors of fn that are not application
// errors, and a failed commit, are reported as internal. It returns the
// write's time, which fn sees as tx.now. The write may share its
// transaction with others (see above), each in a savepoint.
func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) (time.Time, error) {
	w := &pendingWrite{ctx: ctx, fn: fn, done: make(chan writeResult, 1)}
	q := &db.writes
	q.mu.Lock()
	q.pending = append(q.pending, w)
	if !q.running {
		q.running = true
		go db.commitWrites()
	}
	q.mu.Unlock()
	// Waited for whatever happens to the request: once the write runs,
	// only its group's commit tells whether it is stored. The request
	// needs no CPU meanwhile (see parley.Waiter).
	r := parley.Wait(ctx, func() writeResult { return <-w.done })
	return r.now, r.err
}

// commitWrites runs and commits the waiting writes, group after group,
// until none is left.
func (db *DB) commitWrites() {
	q := &db.writes
	for {
		q.mu.Lock()
		n := min(len(q.pending), maxGroup)
		group := q.pending[:n:n]
		q.pending = q.pending[n:]
		if n == 0 {
			q.running = false
			q.pending = nil
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		db.commitGroup(group)
		// Between groups the connection is free to prepare what the
		// group ran unprepared.
		db.wstmts.prepareLater()
	}
}

// commitGroup runs a group of writes in one transaction and commits it.
func (db *DB) commitGroup(group []*pendingWrite) {
	fail := func(ws []*pendingWrite, err error) {
		for _, w := range ws {
			w.done <- writeResult{err: err}
		}
	}
	tx, err := db.begin(context.Background())
	if err != nil {
		fail(group, err)
		return
	}
	defer tx.Rollback()
	var (
		ran   []*pendingWrite
		times []time.Time
	)
	for k, w := range group {
		if err := w.ctx.Err(); err != nil {
			w.done <- writeResult{err: err} // its request has gone: not run
			continue
		}
		now, err := db.runInSavepoint(tx, w)
		if errors.Is(err, errBrokenGroup) {
			// The transaction cannot go on: nothing of it commits.
			fail(append(ran, group[k:]...), parley.Internal(err))
			return
		}
		if err != nil {
			w.done <- writeResult{err: err}
			continue
		}
		ran, times = append(ran, w), append(times, now)
	}
	if len(ran) == 0 {
		return // rolled back: nothing to commit
	}
	if err := tx.Commit(); err != nil {
		fail(ran, parley.Internal(err))
		return
	}
	for k, w := range ran {
		w.done <- writeResult{now: times[k]}
	}
}

// errBrokenGroup reports a transaction that a failed write left unable to
// go on: its savepoint could not be rolled back to or released.
var errBrokenGroup = errors.New("the write transaction cannot go on")

// runInSavepoint runs one write of a group in a savepoint of tx, with its
// own time and count of changes, and rolls back to the savepoint when the
// write fails.
func (db *DB) runInSavepoint(tx *Tx, w *pendingWrite) (time.Time, error) {
	tx.now = db.Now().UTC().Truncate(time.Microsecond)
	tx.changes = nil
	bg := context.Background()
	if _, err := tx.Tx.ExecContext(bg, "SAVEPOINT write"); err != nil {
		return time.Time{}, fmt.Errorf("%w: %v", errBrokenGroup, err)
	}
	err := runWrite(tx, w.fn)
	if err == nil {
		// The counts are part of the write: rolled back with it.
		err = tx.countChanges(bg)
	}
	if err != nil {
		if _, rerr := tx.Tx.ExecContext(bg, "ROLLBACK TO SAVEPOINT write"); rerr != nil {
			return time.Time{}, fmt.Errorf("%w: %v (after %v)", errBrokenGroup, rerr, err)
		}
	}
	if _, rerr := tx.Tx.ExecContext(bg, "RELEASE SAVEPOINT write"); rerr != nil {
		return time.Time{}, fmt.Errorf("%w: %v", errBrokenGroup, rerr)
	}
	if err != nil {
		return time.Time{}, writeError(err)
	}
	return tx.now, nil
}

// runWrite runs a write's function and reports a panic in it as an error:
// it runs on the goroutine that commits the group, where a panic would
// end the server and every write waiting in the group, not one request.
func runWrite(tx *Tx, fn func(tx *Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("a write panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(tx)
}

// writeError reports an error of a write, or of a statement of an import:
// the store's own refusals as they are, text no store keeps (see
// errBadText) as such, so that the writer learns what is wrong, and
// anything else as internal.
func writeError(err error) error {
	var e *parley.Error
	switch {
	case errors.As(err, &e):
		return err
	case badTextError(err):
		return errBadText
	}
	return parley.Internal(err)
}

// QueryContext runs a query in the transaction. A write runs to its end
// whatever happens to the request that asked for it (its group holds
// other writes, which an interrupted statement could roll back too), so
// the request's cancellation does not reach the database.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx.noteWrite(query) // a write that returns rows (RETURNING) counts too
	ctx = context.WithoutCancel(ctx)
	if s := tx.prepared.get(ctx, query); s != nil {
		return tx.Tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query for one row in the transaction; see
// QueryContext.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.noteWrite(query)
	ctx = context.WithoutCancel(ctx)
	if s := tx.prepared.get(ctx, query); s != nil {
		return tx.Tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// exec runs a statement in the transaction as it is: no check of its text
// and no note of what it writes (see Tx.ExecContext).
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = context.WithoutCancel(ctx)
	if s := tx.prepared.get(ctx, query); s != nil {
		return tx.Tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}
