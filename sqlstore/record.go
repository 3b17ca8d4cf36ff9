package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// class returns the record's effective classification (a contact's
	// may be its channel's).
	class func(ctx context.Context, q querier, r *T) (parley.Classification, error)
	// frame marks the kinds that frame a process (parties, people,
	// channels): only mediators change them.
	frame bool
	// nested marks the kinds whose records sit in others (a provision in
	// its version): one is seen only where those are seen too, as the
	// kind's class query says, not by its own classification alone.
	nested bool
	// stamp sets the time of the write on a record that keeps one; nil
	// for kinds that do not.
	stamp func(r *T, now time.Time)
	// scrub removes the record's references to records the actor may not
	// see; nil when it has none.
	scrub func(v *view, r *T) error
	// keep adds back to r, which is to replace old, the references of old
	// that the actor may not see (see view.keepHidden); nil when the kind
	// has none that a delegate could save.
	keep func(v *view, old, r *T) error
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

// notFound is the answer for a record that does not exist and for one the
// actor may not see alike.
func (k *recordKind[T]) notFound(id string) error {
	return parley.Errorf(parley.ENOTFOUND, "%s %q not found", k.what, id)
}

// read returns a record the actor may see, without references to records
// it may not, and logs the read when the record is not public; ENOTFOUND
// otherwise.
func (k *recordKind[T]) read(ctx context.Context, db *DB, id string) (*T, error) {
	r, err := k.findByID(ctx, db.read, id)
	if err != nil {
		return nil, err
	}
	_, processID := k.keys(r)
	v, _, err := newView(ctx, db.read, *processID)
	if err != nil {
		return nil, k.notFound(id)
	}
	// One record is judged by its own classification: no need to read
	// every record of its table, as a list does.
	c, err := k.class(ctx, db.read, r)
	if err != nil {
		return nil, err
	}
	public := c.Level == parley.Public
	if k.nested {
		ok, err := v.sees(k.table, id)
		if err != nil {
			return nil, err
		}
		if public, err = v.public(k.table, id); err != nil {
			return nil, err
		}
		if !ok {
			return nil, k.notFound(id)
		}
	}
	if !v.acc.Sees(c) {
		return nil, k.notFound(id)
	}
	if k.scrub != nil {
		if err := k.scrub(v, r); err != nil {
			return nil, err
		}
	}
	if !public {
		if err := db.auditRead(ctx, *processID, k.what, []string{id}); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// readInProcess returns the records of a process the actor may see, or
// reports ENOTFOUND when there is no such process (or the actor may not
// see it): an empty list would hide a wrong ID.
func (k *recordKind[T]) readInProcess(ctx context.Context, db *DB, processID string) ([]*T, error) {
	return k.readInProcessWhere(ctx, db, processID, "")
}

// readInProcessWhere is readInProcess for the records that also meet
// cond, a condition on the table's columns whose arguments are $2
// onwards; "" for none.
func (k *recordKind[T]) readInProcessWhere(ctx context.Context, db *DB, processID, cond string, args ...any) ([]*T, error) {
	v, _, err := newView(ctx, db.read, processID)
	if err != nil {
		return nil, err
	}
	where := "process_id = $1"
	if cond != "" {
		where += " AND " + cond
	}
	rs, err := k.find(ctx, db.read, where, append([]any{processID}, args...)...)
	if err != nil {
		return nil, err
	}
	if !v.all() {
		seen, err := v.load(k.table)
		if err != nil {
			return nil, err
		}
		rs = slices.DeleteFunc(rs, func(r *T) bool { id, _ := k.keys(r); return !seen[*id].ok })
	}
	if err := k.finish(v, db, rs); err != nil {
		return nil, err
	}
	return rs, nil
}

// finish scrubs the records read through v and logs the read.
func (k *recordKind[T]) finish(v *view, db *DB, rs []*T) error {
	ids := make([]string, len(rs))
	for i, r := range rs {
		if k.scrub != nil {
			if err := k.scrub(v, r); err != nil {
				return err
			}
		}
		id, _ := k.keys(r)
		ids[i] = *id
	}
	return v.logRead(db, k.what, k.table, ids)
}

// mayWrite checks that the actor may write a record of classification c
// in a process it sees with access acc: mediators write everything;
// delegates only their party's own material, never the frame of the
// process; observers nothing.
func (k *recordKind[T]) mayWrite(acc parley.Access, c parley.Classification) error {
	return mayWrite(acc, k.what, k.frame, c)
}

// mayWrite is recordKind.mayWrite for any kind of record.
func mayWrite(acc parley.Access, what string, frame bool, c parley.Classification) error {
	switch {
	case acc.Mediator():
		return nil
	case acc.Role == parley.RoleObserver:
		return parley.Errorf(parley.EFORBIDDEN, "observers cannot change records")
	case frame:
		return parley.Errorf(parley.EFORBIDDEN, "only mediators change the %ss of a process", what)
	case !acc.Owns(c):
		return parley.Errorf(parley.EFORBIDDEN, "a delegate may only write records confidential to their party or shared by it (listed first), not a %s %s", c, what)
	}
	return nil
}

// writeAccess returns the actor's access to a process it is writing to,
// or ENOTFOUND when it may not see the process.
func writeAccess(ctx context.Context, q querier, processID string) (parley.Access, error) {
	v, _, err := newView(ctx, q, processID)
	if err != nil {
		if parley.ErrorCode(err) == parley.ENOTFOUND {
			return parley.Access{}, parley.FieldErrorf("process_id", "no process %q", processID)
		}
		return parley.Access{}, err
	}
	return v.acc, nil
}

// create validates r, checks its process and references, and stores it
// under a new ID; r gets the ID once it is committed.
func (k *recordKind[T]) create(ctx context.Context, db *DB, r *T) error {
	return k.createAll(ctx, db, []*T{r})
}

// createAll is create for several records of one process, in one
// transaction: all are stored, or none. Each is checked after the ones
// before it are inserted, so that checks against what is stored (a code
// used twice, a bound on a count) see the whole batch.
func (k *recordKind[T]) createAll(ctx context.Context, db *DB, rs []*T) error {
	if len(rs) == 0 {
		return nil
	}
	for i, r := range rs {
		if err := k.validate(r); err != nil {
			return batchError(len(rs), i, err)
		}
	}
	_, processID := k.keys(rs[0])
	ids := make([]string, len(rs))
	_, err := db.update(ctx, func(tx *Tx) error {
		acc, err := writeAccess(ctx, tx, *processID)
		if err != nil {
			return err
		}
		// Only mediators write the frame: anyone else is refused before
		// the references are checked, whose messages would tell of
		// records hidden from them (a region code in use).
		if k.frame && !acc.Mediator() {
			return k.mayWrite(acc, parley.Classification{})
		}
		for i, r := range rs {
			ids[i] = newID()
			if _, pid := k.keys(r); *pid != *processID {
				return batchError(len(rs), i, parley.FieldErrorf("process_id", "all records of a batch are of one process"))
			}
			if err := k.checkRefs(ctx, tx, r, *processID); err != nil {
				return batchError(len(rs), i, err)
			}
			c, err := k.class(ctx, tx, r)
			if err != nil {
				return err
			}
			if err := k.mayWrite(acc, c); err != nil {
				return err
			}
			if k.stamp != nil {
				k.stamp(r, tx.now)
			}
			if err := k.insertRow(ctx, tx, r, ids[i], *processID); err != nil {
				return err
			}
			if err := appendAudit(ctx, tx, &parley.AuditRecord{Action: "create", ProcessID: *processID, Kind: k.what,
				IDs: []string{ids[i]}, Detail: c.String()}); err != nil {
				return err
			}
		}
		return touch(ctx, tx, *processID)
	})
	if err != nil {
		return err
	}
	for i, r := range rs {
		idp, _ := k.keys(r)
		*idp = ids[i]
	}
	return nil
}

// batchError says which record of a batch err is about, when there are
// several.
func batchError(n, i int, err error) error {
	var e *parley.Error
	if n == 1 || !errors.As(err, &e) || e.Code == parley.EINTERNAL {
		return err
	}
	c := *e
	c.Message = fmt.Sprintf("record %d: %s", i+1, e.Message)
	return &c
}

// update validates r and replaces the stored columns of record r's ID. A
// record never moves to another process: r's process ID is ignored and,
// once the update is committed, set to the stored one.
func (k *recordKind[T]) update(ctx context.Context, db *DB, r *T) error {
	idp, processID := k.keys(r)
	var stored string
	// A delegate saves a record as it was shown, without the references
	// hidden from it, and may so break a rule that a hidden reference
	// meets (a side of a line it may not see): for kinds that keep hidden
	// references, a record refused here is judged again once they are
	// back in it.
	invalid := k.validate(r)
	if invalid != nil && k.keep == nil {
		return invalid
	}
	_, err := db.update(ctx, func(tx *Tx) error {
		old, err := k.findByID(ctx, tx, *idp)
		if err != nil {
			return err
		}
		_, oldProcessID := k.keys(old)
		stored = *oldProcessID
		v, _, err := newView(ctx, tx, stored)
		if err != nil {
			return k.notFound(*idp)
		}
		if ok, err := v.sees(k.table, *idp); err != nil || !ok {
			return errors.Join(err, k.notFound(*idp))
		}
		if k.frame && !v.acc.Mediator() {
			return k.mayWrite(v.acc, parley.Classification{})
		}
		if err := k.checkRefs(ctx, tx, r, stored); err != nil {
			return err
		}
		if k.keep != nil {
			if err := k.keep(v, old, r); err != nil {
				return err
			}
		}
		if invalid != nil {
			if err := k.validate(r); err != nil {
				return err
			}
		}
		oldClass, err := k.class(ctx, tx, old)
		if err != nil {
			return err
		}
		newClass, err := k.class(ctx, tx, r)
		if err != nil {
			return err
		}
		if err := k.mayWrite(v.acc, oldClass); err != nil {
			return err
		}
		if err := k.mayWrite(v.acc, newClass); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, changeRecord(stored, k.what, *idp, oldClass, newClass)); err != nil {
			return err
		}
		if k.stamp != nil {
			k.stamp(r, tx.now)
		}
		if err := k.updateRow(ctx, tx, r, *idp); err != nil {
			return err
		}
		return touch(ctx, tx, stored)
	})
	if err != nil {
		return err
	}
	*processID = stored
	// What was kept back stays hidden from the actor in the answer.
	if k.scrub != nil {
		v, _, err := newView(ctx, db.read, stored)
		if err != nil {
			return err
		}
		return k.scrub(v, r)
	}
	return nil
}

// changeRecord is the audit record of an update: a "share" when the
// classification changed, naming the old and the new.
func changeRecord(processID, kind, id string, old, new parley.Classification) *parley.AuditRecord {
	r := &parley.AuditRecord{Action: "update", ProcessID: processID, Kind: kind, IDs: []string{id}}
	if old.String() != new.String() {
		r.Action, r.Detail = "share", "from "+old.String()+" to "+new.String()
	}
	return r
}

// updateRow replaces the columns of record id with r's, as it is: the
// caller has checked it.
func (k *recordKind[T]) updateRow(ctx context.Context, tx *Tx, r *T, id string) error {
	set := make([]string, len(k.columns))
	for i, c := range k.columns {
		set[i] = c + " = $" + strconv.Itoa(i+1)
	}
	args := append(k.values(r), id)
	_, err := tx.ExecContext(ctx, "UPDATE "+k.table+" SET "+strings.Join(set, ", ")+
		" WHERE id = $"+strconv.Itoa(len(args)), args...)
	return err
}

// insertRow stores r as record id of process processID, as it is: the
// caller has checked it.
func (k *recordKind[T]) insertRow(ctx context.Context, tx *Tx, r *T, id, processID string) error {
	args := append([]any{id, processID}, k.values(r)...)
	_, err := tx.ExecContext(ctx, "INSERT INTO "+k.table+" (id, process_id, "+strings.Join(k.columns, ", ")+
		") VALUES ("+placeholders(len(args), 1)+")", args...)
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

// recentQuery says how the latest records of a kind are read: from where,
// judged by which classification, in which order.
type recentQuery struct {
	// from is the kind's table as r, joined to what its classification
	// needs.
	from string
	// class is a record's effective classification, as the view's class
	// query of the table reads it; NULL, which that query skips, is seen
	// by all and public.
	class string
	// order sorts the records of a process the latest first. It ends on
	// r.id, so that pages neither overlap nor skip a record.
	order string
	// count counts the records of a process ($1) by effective
	// classification: rows of the classification and the count. It
	// reads the counts the triggers keep (record_counts), which grow
	// with the classifications of a process, not with its records.
	count string
}

// maxClassFilter bounds the classifications a read of the latest records
// lists in its SQL filter. A process has a handful; past the bound, the
// records are read in batches, the latest first, and judged one
// classification at a time in Go.
const maxClassFilter = 64

// The batches of such a read start at firstBatch records and double up to
// lastBatch: a page near the start costs a query or two, one far from it
// few more.
const (
	firstBatch = 50
	lastBatch  = 1600
)

// readRecent returns limit of the records of a process the actor may see,
// the latest first, after the first offset of them, and how many the
// actor may see in all. It sees, scrubs and logs as readInProcess does,
// but reads only the page and, to count, the number of records of each
// distinct classification, each judged once: what Go reads and judges
// follows the page, not the process, and SQL alone goes through the
// process's records, to count them and, where no index gives the order,
// to sort them.
func (k *recordKind[T]) readRecent(ctx context.Context, db *DB, processID string, q recentQuery, limit, offset int) ([]*T, int, error) {
	if limit < 0 || offset < 0 {
		return nil, 0, parley.Errorf(parley.EINVALID, "the limit and the offset of a list are 0 or more, not %d and %d", limit, offset)
	}
	v, _, err := newView(ctx, db.read, processID)
	if err != nil {
		return nil, 0, err
	}
	c := &classCount{}
	if v.all() {
		// A mediator sees every record: the count needs no
		// classification.
		if err := db.read.QueryRowContext(ctx, "SELECT coalesce(sum(n), 0) FROM record_counts WHERE process_id = $1 AND tbl = $2",
			processID, k.table).Scan(&c.total); err != nil {
			return nil, 0, parley.Internal(err)
		}
	} else if err := c.count(ctx, db.read, v, q, processID); err != nil {
		return nil, 0, err
	}
	if limit == 0 || offset >= c.total {
		return nil, c.total, nil
	}
	var rs []*T
	var classes []sql.NullString
	switch {
	case c.hidden == 0:
		rs, classes, err = k.findRecent(ctx, db.read, q, processID, "", nil, limit, offset)
	case len(c.shown) <= maxClassFilter:
		var cond []string
		if len(c.shown) > 0 {
			cond = append(cond, q.class+" IN ("+placeholders(len(c.shown), 2)+")")
		}
		if c.shownNull {
			cond = append(cond, q.class+" IS NULL")
		}
		rs, classes, err = k.findRecent(ctx, db.read, q, processID, "("+strings.Join(cond, " OR ")+")", anys(c.shown), limit, offset)
	default:
		rs, classes, err = k.findRecentInBatches(ctx, db.read, q, processID, c, v, limit, offset)
	}
	if err != nil {
		return nil, 0, err
	}
	// A record written since the count may be of a classification it did
	// not judge: judged now, it stays out unless the actor may see it. The
	// view learns what the actor may see of the records read, so that it
	// need not look them up again to log the read.
	out := rs[:0]
	for i, r := range rs {
		s, err := c.judge(v, classes[i])
		if err != nil {
			return nil, 0, err
		}
		if s.ok {
			out = append(out, r)
			id, _ := k.keys(r)
			v.know(k.table, *id, s)
		}
	}
	if err := k.finish(v, db, out); err != nil {
		return nil, 0, err
	}
	return out, c.total, nil
}

// classCount is what the actor may see of the records of a process, told
// by their classifications.
type classCount struct {
	// total counts the records the actor may see; hidden the
	// classifications it may not.
	total, hidden int
	// shown are the classifications the actor may see but NULL, which
	// shownNull tells.
	shown     []string
	shownNull bool
}

// judge returns what the actor of v may see of a record of classification
// cl (NULL: no limit); the view judges each distinct classification once.
func (c *classCount) judge(v *view, cl sql.NullString) (seen, error) {
	if !cl.Valid {
		return v.judge()
	}
	return v.judge(&cl.String)
}

// count counts the records of a process of each classification in SQL and
// judges each classification once.
func (c *classCount) count(ctx context.Context, qr querier, v *view, q recentQuery, processID string) error {
	rows, err := qr.QueryContext(ctx, q.count, processID)
	if err != nil {
		return parley.Internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var cl sql.NullString
		var n int64
		if err := rows.Scan(&cl, &n); err != nil {
			return parley.Internal(err)
		}
		s, err := c.judge(v, cl)
		if err != nil {
			return err
		}
		switch {
		case !s.ok:
			c.hidden++
		case cl.Valid:
			c.shown = append(c.shown, cl.String)
			c.total += int(n)
		default:
			c.shownNull = true
			c.total += int(n)
		}
	}
	if err := rows.Err(); err != nil {
		return parley.Internal(err)
	}
	return nil
}

// know records in v what the actor may see of record id of table, judged
// by a read that has its classification in hand.
func (v *view) know(table, id string, s seen) {
	if v.visible[table] == nil {
		v.visible[table] = map[string]seen{}
	}
	v.visible[table][id] = s
}

// findRecent reads limit records of a process that meet cond (whose
// arguments are $2 onwards; "" for none) after the first offset, in the
// order of q, each with its effective classification.
func (k *recordKind[T]) findRecent(ctx context.Context, qr querier, q recentQuery, processID, cond string, args []any,
	limit, offset int) ([]*T, []sql.NullString, error) {
	cols := make([]string, len(k.columns))
	for i, c := range k.columns {
		cols[i] = "r." + c
	}
	where := "r.process_id = $1"
	if cond != "" {
		where += " AND " + cond
	}
	n := len(args) + 2
	rows, err := qr.QueryContext(ctx, "SELECT r.id, r.process_id, "+strings.Join(cols, ", ")+", "+q.class+
		" FROM "+q.from+" WHERE "+where+" ORDER BY "+q.order+
		" LIMIT $"+strconv.Itoa(n)+" OFFSET $"+strconv.Itoa(n+1),
		append(append([]any{processID}, args...), limit, offset)...)
	if err != nil {
		return nil, nil, parley.Internal(err)
	}
	defer rows.Close()
	var rs []*T
	var classes []sql.NullString
	for rows.Next() {
		var c sql.NullString
		r, err := k.scan(withClass{rows, &c})
		if err != nil {
			return nil, nil, parley.Internal(err)
		}
		rs, classes = append(rs, r), append(classes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, parley.Internal(err)
	}
	return rs, classes, nil
}

// findRecentInBatches is findRecent for the records the actor of v may
// see, read in batches the latest first and judged in Go by c: for a
// process with too many classifications to list in SQL.
func (k *recordKind[T]) findRecentInBatches(ctx context.Context, qr querier, q recentQuery, processID string,
	c *classCount, v *view, limit, offset int) ([]*T, []sql.NullString, error) {
	var out []*T
	var classes []sql.NullString
	skipped := 0
	for from, size := 0, firstBatch; len(out) < limit; from, size = from+size, min(2*size, lastBatch) {
		rs, cs, err := k.findRecent(ctx, qr, q, processID, "", nil, size, from)
		if err != nil {
			return nil, nil, err
		}
		for i, r := range rs {
			s, err := c.judge(v, cs[i])
			if err != nil {
				return nil, nil, err
			}
			if !s.ok || len(out) == limit {
				continue
			}
			if skipped < offset {
				skipped++
				continue
			}
			out, classes = append(out, r), append(classes, cs[i])
		}
		if len(rs) < size {
			break
		}
	}
	return out, classes, nil
}

// withClass reads a record's row followed by its effective classification.
type withClass struct {
	rows  *sql.Rows
	class *sql.NullString
}

// Scan reads the row's columns into dest and the classification after
// them.
func (w withClass) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.class)...) }
