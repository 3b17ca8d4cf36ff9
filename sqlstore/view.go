package sqlstore

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"parley"
)

// view is what the actor of a request sees of one process: its access
// there and, read lazily, which records of each table it may see. Every
// read of the store goes through a view, which filters the records and
// removes references to records the actor may not see, so that not even
// an ID of a hidden record leaves the store.
type view struct {
	ctx       context.Context
	q         querier
	acc       parley.Access
	processID string
	// visible maps a table to what the actor may see of each record
	// looked up so far; complete marks the tables loaded whole.
	visible  map[string]map[string]seen
	complete map[string]bool
	// judged caches what the actor may see of each classification met.
	judged map[string]seen
	// publicVersion is set by versionView when the version it was made
	// for, and its plan, are public.
	publicVersion bool
}

// seen is what the actor may see of one record: whether it may see it at
// all, and whether the record is public (a read of anything else is
// logged).
type seen struct {
	ok, public bool
}

// newView returns the actor's view of a process, or ENOTFOUND (the same
// as for a process that does not exist) when the actor may not see it.
func newView(ctx context.Context, q querier, processID string) (*view, *parley.Process, error) {
	acc := parley.ActorFrom(ctx).In(processID)
	p, err := findProcessByID(ctx, q, processID)
	if err != nil && parley.ErrorCode(err) != parley.ENOTFOUND {
		return nil, nil, parley.Internal(err) // the database failed: not a 404
	}
	if err != nil || !acc.Member() || !acc.Sees(p.Classification) {
		return nil, nil, parley.Errorf(parley.ENOTFOUND, "process %q not found", processID)
	}
	return &view{ctx: ctx, q: q, acc: acc, processID: processID, visible: map[string]map[string]seen{}}, p, nil
}

// all reports whether the actor sees every record of the process, so that
// nothing needs filtering.
func (v *view) all() bool { return v.acc.Mediator() }

// classQueries read the ID and the effective classification of records
// of a table: a contact's is its channel's unless it has its own, and a
// version is seen only where its plan is too, so it takes the narrower of
// the two (both are checked); a provision is seen only where its version
// and plan are too. Every classification a query returns must be seen.
var classQueries = map[string]classQuery{
	"parties":     {"id, classification", "parties", "process_id", "id"},
	"people":      {"id, classification", "people", "process_id", "id"},
	"channels":    {"id, classification", "channels", "process_id", "id"},
	"sources":     {"id, classification", "sources", "process_id", "id"},
	"plans":       {"id, classification", "plans", "process_id", "id"},
	"issues":      {"id, classification", "issues", "process_id", "id"},
	"preferences": {"id, classification", "preferences", "process_id", "id"},
	"contacts": {"c.id, coalesce(c.classification, ch.classification)",
		"contacts c LEFT JOIN channels ch ON ch.id = c.channel_id", "c.process_id", "c.id"},
	"versions": {"v.id, v.classification, p.classification", "versions v JOIN plans p ON p.id = v.plan_id", "p.process_id", "v.id"},
	"regions":  {"id, classification", "regions", "process_id", "id"},
	"lines":    {"id, classification", "lines", "process_id", "id"},
	"provisions": {"pr.id, pr.classification, v.classification, p.classification",
		"provisions pr JOIN versions v ON v.id = pr.version_id JOIN plans p ON p.id = v.plan_id", "pr.process_id", "pr.id"},
}

// classQuery is how the classifications of a table's records are read:
// the columns (the ID, then the classifications), the tables, and the
// columns of the process and of the ID.
type classQuery struct{ columns, from, process, id string }

// all returns the query of every record of a process ($1).
func (q classQuery) all() string {
	return "SELECT " + q.columns + " FROM " + q.from + " WHERE " + q.process + " = $1"
}

// some returns the query of the records with n IDs ($1 to $n), with
// their process last. The process is checked on the rows read, not in
// the query: asked for both, SQLite reads the process's whole index
// rather than the few rows the IDs name.
func (q classQuery) some(n int) string {
	marks := make([]string, n)
	for k := range n {
		marks[k] = "$" + strconv.Itoa(k+1)
	}
	return "SELECT " + q.columns + ", " + q.process + " FROM " + q.from + " WHERE " + q.id + " IN (" + strings.Join(marks, ", ") + ")"
}

// sees reports whether the actor may see record id of table.
func (v *view) sees(table, id string) (bool, error) {
	if v.all() {
		return true, nil
	}
	ids, err := v.lookup(table, []string{id})
	if err != nil {
		return false, err
	}
	return ids[id].ok, nil
}

// load reads what the actor may see of every record of a table, for a
// list of them; a record looked up by ID needs only lookup.
func (v *view) load(table string) (map[string]seen, error) {
	if v.complete[table] {
		return v.visible[table], nil
	}
	ids := map[string]seen{}
	if err := v.judgeRows(ids, false, classQueries[table].all(), v.processID); err != nil {
		return nil, err
	}
	v.visible[table] = ids
	if v.complete == nil {
		v.complete = map[string]bool{}
	}
	v.complete[table] = true
	return ids, nil
}

// lookup returns what the actor may see of the records of a table, at
// least of those with the given IDs, reading those not yet known: the
// cost follows the records a read shows, not the size of the process. An
// ID not in the process's table is not seen.
func (v *view) lookup(table string, ids []string) (map[string]seen, error) {
	known := v.visible[table]
	if known == nil {
		known = map[string]seen{}
		v.visible[table] = known
	}
	if v.complete[table] {
		return known, nil
	}
	var missing []string
	for _, id := range ids {
		if _, ok := known[id]; !ok && id != "" && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	for len(missing) > 0 {
		n := min(len(missing), maxLookup)
		chunk := missing[:n]
		missing = missing[n:]
		// The number of placeholders is a power of two, the chunk
		// padded with its first ID, so that few distinct statements are
		// prepared.
		size := 1
		for size < n {
			size *= 2
		}
		args := make([]any, size)
		for k := range size {
			args[k] = chunk[min(k, n-1)]
		}
		if err := v.judgeRows(known, true, classQueries[table].some(size), args...); err != nil {
			return nil, err
		}
		for _, id := range chunk {
			if _, ok := known[id]; !ok {
				known[id] = seen{} // not in this process
			}
		}
	}
	return known, nil
}

// judge returns what the actor may see of a record whose visibility
// takes all the given classifications (a nil one is no limit). A process
// has a handful of distinct classifications over many records: each is
// decoded and judged once per view.
func (v *view) judge(classes ...*string) (seen, error) {
	s := seen{ok: true, public: true}
	for _, c := range classes {
		if c == nil {
			continue
		}
		j, ok := v.judged[*c]
		if !ok {
			cl, err := decodeClassification(*c)
			if err != nil {
				return seen{}, parley.Internal(err)
			}
			j = seen{ok: v.acc.Sees(cl), public: cl.Level == parley.Public}
			if v.judged == nil {
				v.judged = map[string]seen{}
			}
			v.judged[*c] = j
		}
		s.ok = s.ok && j.ok
		s.public = s.public && j.public
	}
	return s, nil
}

// maxLookup is how many IDs lookup reads in one query.
const maxLookup = 64

// judgeRows runs a query of classQueries and adds what the actor may see
// of each record it returns to ids; withProcess says the last column is
// the record's process, and a record of another process is left out.
func (v *view) judgeRows(ids map[string]seen, withProcess bool, query string, args ...any) error {
	// Every use of what is read looks records up by ID, so what is drawn
	// from it depends on those records only, not on which others the
	// table has (see readByKey).
	rows, err := v.q.QueryContext(readByKey(v.ctx), query, args...)
	if err != nil {
		return parley.Internal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return parley.Internal(err)
	}
	nclass := len(cols) - 1
	var process string
	if withProcess {
		nclass--
	}
	classes := make([]*string, nclass)
	dest := make([]any, len(cols))
	for k := range classes {
		dest[k+1] = &classes[k]
	}
	if withProcess {
		dest[len(cols)-1] = &process
	}
	for rows.Next() {
		var id string
		dest[0] = &id
		if err := rows.Scan(dest...); err != nil {
			return parley.Internal(err)
		}
		if withProcess && process != v.processID {
			continue // not of this process: not seen
		}
		s, err := v.judge(classes...)
		if err != nil {
			return err
		}
		ids[id] = s
	}
	if err := rows.Err(); err != nil {
		return parley.Internal(err)
	}
	return nil
}

// keep returns the IDs of ids that the actor may see in table.
func (v *view) keep(table string, ids []string) ([]string, error) {
	if v.all() || len(ids) == 0 {
		return ids, nil
	}
	seen, err := v.lookup(table, ids)
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !seen[id].ok })
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// ref returns id if the actor may see it in table, else "".
func (v *view) ref(table, id string) (string, error) {
	if id == "" || v.all() {
		return id, nil
	}
	ok, err := v.sees(table, id)
	if !ok {
		return "", err
	}
	return id, err
}

// scrubPoint removes a point's references to records the actor may not
// see: lineage into hidden versions (the origin becomes the point itself
// when its version is hidden), and hidden provenance.
func (v *view) scrubPoint(versionID string, p *parley.Point) error {
	if v.all() {
		return nil
	}
	refs := []string{p.Origin.VersionID}
	for _, r := range p.Lineage {
		refs = append(refs, r.VersionID)
	}
	versions, err := v.lookup("versions", refs)
	if err != nil {
		return err
	}
	p.Lineage = slices.DeleteFunc(p.Lineage, func(r parley.PointRef) bool { return !versions[r.VersionID].ok })
	if len(p.Lineage) == 0 {
		p.Lineage = nil
	}
	if !versions[p.Origin.VersionID].ok {
		p.Origin = parley.PointRef{VersionID: versionID, PointID: p.ID}
	}
	if p.ProposedBy, err = v.ref("parties", p.ProposedBy); err != nil {
		return err
	}
	if p.ContactID, err = v.ref("contacts", p.ContactID); err != nil {
		return err
	}
	p.SourceIDs, err = v.keep("sources", p.SourceIDs)
	return err
}

// scrubVersion removes a version's references to hidden records, its
// points' included.
func (v *view) scrubVersion(ver *parley.Version) error {
	if v.all() {
		return nil
	}
	var err error
	if ver.PreviousID, err = v.ref("versions", ver.PreviousID); err != nil {
		return err
	}
	if ver.AuthorPartyID, err = v.ref("parties", ver.AuthorPartyID); err != nil {
		return err
	}
	if ver.SourceIDs, err = v.keep("sources", ver.SourceIDs); err != nil {
		return err
	}
	for _, p := range ver.Points {
		if err := v.scrubPoint(ver.ID, p); err != nil {
			return err
		}
	}
	return nil
}

// public reports whether record id of table is public, so that reading it
// needs no audit record.
func (v *view) public(table, id string) (bool, error) {
	ids, err := v.lookup(table, []string{id})
	if err != nil {
		return false, err
	}
	return ids[id].public, nil
}

// logRead records the actor's read of those of ids in table that are not
// public; see DB.auditRead.
func (v *view) logRead(db *DB, kind, table string, ids []string) error {
	if _, err := v.lookup(table, ids); err != nil { // all at once
		return err
	}
	var hidden []string
	for _, id := range ids {
		pub, err := v.public(table, id)
		if err != nil {
			return err
		}
		if !pub {
			hidden = append(hidden, id)
		}
	}
	return db.auditRead(v.ctx, v.processID, kind, hidden)
}

// keepHidden returns ids with the IDs of old that the actor may not see
// added back: a delegate saves a record as it was shown, without the
// references hidden from it, and those must not be lost by the save.
func (v *view) keepHidden(table string, old, ids []string) ([]string, error) {
	if v.all() {
		return ids, nil
	}
	out := slices.Clone(ids)
	for _, id := range old {
		ok, err := v.sees(table, id)
		if err != nil {
			return nil, err
		}
		if !ok && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// keepHiddenRef returns id, or old when id is empty and old is hidden from
// the actor (see keepHidden).
func (v *view) keepHiddenRef(table, old, id string) (string, error) {
	if id != "" || old == "" || v.all() {
		return id, nil
	}
	ok, err := v.sees(table, old)
	if err != nil || ok {
		return id, err
	}
	return old, nil
}
