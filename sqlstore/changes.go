package sqlstore

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"parley"
)

// The store counts the writes to each table in the table "changes", in
// the transaction of each write, and records in a request's parley.Trace
// which tables its reads read: a cache of what a request drew is current
// while the counts of those tables are what they were when it read them
// (parley.Changes.Same). Both sides are found from the SQL text itself,
// so that no read or write can be forgotten: every statement names its
// tables after FROM, JOIN, INSERT INTO, UPDATE or DELETE FROM.
//
// The counts are of the whole database, not of a process: a write to a
// process's sources makes every drawing that read sources whole stale, in
// every process. That is coarser than it could be and never wrong.

// triggered are the tables that triggers write when a table is written:
// the search index follows points and contacts, and the counts of
// records follow contacts and sources (see the migrations; a test checks
// this list against the triggers of both stores).
var triggered = map[string][]string{
	"points":   {"search"},
	"contacts": {"search", "record_counts"},
	"sources":  {"record_counts"},
}

// tableRE finds a table after FROM or JOIN, its alias if any, and a "("
// after the name, which makes it a function (json_each(...)) rather than
// a table.
var tableRE = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+"?([a-z_][a-z0-9_]*)"?(\s*\()?(?:\s+(?:AS\s+)?([a-z_][a-z0-9_]*))?`)

// notAlias are the words that may follow a table's name without being its
// alias.
var notAlias = map[string]bool{"where": true, "join": true, "left": true, "right": true, "inner": true, "outer": true,
	"full": true, "cross": true, "natural": true, "on": true, "using": true, "order": true, "group": true, "limit": true,
	"offset": true, "having": true, "window": true, "union": true, "except": true, "intersect": true, "set": true,
	"values": true, "returning": true, "as": true}

// tableRead is a table a query reads, by key or whole.
type tableRead struct {
	table string
	whole bool
}

// readsOf returns the tables query reads. A table is read by key when the
// query picks its rows by ID (alias.id = ..., alias.id IN ..., or id = ...
// in a query of one table), which includes a join to the row a reference
// names; otherwise it is read whole.
func readsOf(query string) []tableRead {
	var out []tableRead
	ms := tableRE.FindAllStringSubmatch(query, -1)
	for _, m := range ms {
		if m[2] != "" {
			continue // a function
		}
		table := strings.ToLower(m[1])
		alias := strings.ToLower(m[3])
		if alias == "" || notAlias[alias] {
			alias = table
		}
		byKey := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(alias) + `\.id\s*(=|IN\b)`).MatchString(query)
		if !byKey && len(ms) == 1 {
			byKey = idRE.MatchString(query)
		}
		out = append(out, tableRead{table, !byKey})
	}
	return out
}

// idRE matches a test of a row's ID in a query of one table.
var idRE = regexp.MustCompile(`(?i)\b(WHERE|AND)\s+id\s*(=|IN\b)`)

// writeRE finds the table a statement writes.
var writeRE = regexp.MustCompile(`(?is)^\s*(INSERT\s+(?:OR\s+(?:REPLACE|IGNORE|ABORT|FAIL|ROLLBACK)\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z_][a-z0-9_]*)`)

// upsertRE matches an insert that may replace or update rows.
var upsertRE = regexp.MustCompile(`(?is)\bON\s+CONFLICT\b.*\bDO\s+UPDATE\b|^\s*INSERT\s+OR\s+REPLACE\b`)

// change is a write to a table: rows added, or rows changed or removed.
type change struct {
	table   string
	added   bool
	changed bool
}

// changesOf returns what a statement writes, if anything: an insert adds
// rows (and changes them too when it may update on a conflict), an update
// or a delete changes them; the tables triggers write change too.
func changesOf(query string) []change {
	m := writeRE.FindStringSubmatch(query)
	if m == nil {
		return nil
	}
	table := strings.ToLower(m[2])
	c := change{table: table}
	switch verb := strings.ToUpper(m[1]); {
	case strings.HasPrefix(verb, "REPLACE"):
		c.added, c.changed = true, true
	case strings.HasPrefix(verb, "I"):
		c.added = true
		c.changed = upsertRE.MatchString(query)
	default:
		c.changed = true
	}
	out := []change{c}
	// A trigger adds rows for rows added, and changes or replaces them
	// for rows changed.
	for _, t := range triggered[table] {
		out = append(out, change{table: t, added: true, changed: c.changed})
	}
	return out
}

// analysed caches what readsOf and changesOf found for each statement:
// the statements are the store's own, a bounded set.
var analysed struct {
	reads, writes sync.Map // string → []tableRead, []change
}

func cachedReads(query string) []tableRead {
	if v, ok := analysed.reads.Load(query); ok {
		return v.([]tableRead)
	}
	r := readsOf(query)
	analysed.reads.Store(query, r)
	return r
}

func cachedChanges(query string) []change {
	if v, ok := analysed.writes.Load(query); ok {
		return v.([]change)
	}
	c := changesOf(query)
	analysed.writes.Store(query, c)
	return c
}

// byKeyKey marks a context whose queries read their tables by key
// whatever their text says; see readByKey.
type byKeyKey struct{}

// readByKey returns a context in whose queries the tables count as read
// by key: for a query that reads a whole table only to look rows up in
// it by ID (a view's classifications), so that what is drawn from it
// depends on those rows only.
func readByKey(ctx context.Context) context.Context {
	if parley.TraceFrom(ctx) == nil {
		return ctx
	}
	return context.WithValue(ctx, byKeyKey{}, true)
}

// noteRead records in the context's trace, if any, the tables query reads.
func noteRead(ctx context.Context, query string) {
	t := parley.TraceFrom(ctx)
	if t == nil {
		return
	}
	byKey, _ := ctx.Value(byKeyKey{}).(bool)
	for _, r := range cachedReads(query) {
		t.Table(r.table, r.whole && !byKey)
	}
}

// pool is a pool of connections that records the reads of traced
// requests and, on SQLite, keeps each query prepared (see stmtCache).
type pool struct {
	*sql.DB
	prepared *stmtCache // nil: nothing kept prepared
}

// stmtCache keeps the statements of a pool prepared: parsing a statement
// costs SQLite more than running most of the store's. database/sql
// prepares a kept statement again on each connection that runs it, once.
type stmtCache struct {
	db     *sql.DB
	stmts  sync.Map // string → *sql.Stmt
	nstmts atomic.Int32
	// later, when set, defers preparing: get notes the statements it
	// lacks, and prepareLater prepares them. Preparing takes a
	// connection of the pool, which a cache of the one connection that
	// writes cannot have while a write transaction holds it.
	later  bool
	mu     sync.Mutex
	wanted []string
}

// maxStmts bounds the statements a cache keeps prepared.
const maxStmts = 1000

// get returns query prepared, or nil when the cache is nil or full, or
// the statement does not prepare (running it unprepared reports why), or
// is yet to be prepared.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if s, ok := c.stmts.Load(query); ok {
		return s.(*sql.Stmt)
	}
	if c.nstmts.Load() >= maxStmts {
		return nil
	}
	if c.later {
		c.mu.Lock()
		if !slices.Contains(c.wanted, query) {
			c.wanted = append(c.wanted, query)
		}
		c.mu.Unlock()
		return nil
	}
	return c.prepare(ctx, query)
}

// prepare prepares query and keeps it.
func (c *stmtCache) prepare(ctx context.Context, query string) *sql.Stmt {
	s, err := c.db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	if prev, loaded := c.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sql.Stmt)
	}
	c.nstmts.Add(1)
	return s
}

// prepareLater prepares the statements get lacked, when no transaction
// holds the connection.
func (c *stmtCache) prepareLater() {
	if c == nil {
		return
	}
	c.mu.Lock()
	wanted := c.wanted
	c.wanted = nil
	c.mu.Unlock()
	for _, q := range wanted {
		if c.nstmts.Load() < maxStmts {
			c.prepare(context.Background(), q)
		}
	}
}

// close closes the kept statements.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.stmts.Range(func(_, s any) bool {
		s.(*sql.Stmt).Close()
		return true
	})
}

// stmt returns query prepared, or nil.
func (p *pool) stmt(ctx context.Context, query string) *sql.Stmt { return p.prepared.get(ctx, query) }

// QueryContext runs a query, recording its reads in the context's trace.
func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	noteRead(ctx, query)
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query for one row, recording its reads in the
// context's trace.
func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	noteRead(ctx, query)
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

// Close closes the prepared statements and the pool.
func (p *pool) Close() error {
	p.prepared.close()
	return p.DB.Close()
}

// noteWrite records what a statement of tx writes, to be counted when it
// commits.
func (tx *Tx) noteWrite(query string) {
	for _, c := range cachedChanges(query) {
		if tx.changes == nil {
			tx.changes = map[string]change{}
		}
		old := tx.changes[c.table]
		tx.changes[c.table] = change{table: c.table, added: old.added || c.added, changed: old.changed || c.changed}
	}
}

// countChanges adds the transaction's writes to the counts, in the
// transaction, just before it commits.
func (tx *Tx) countChanges(ctx context.Context) error {
	tables := make([]string, 0, len(tx.changes))
	for t := range tx.changes {
		tables = append(tables, t)
	}
	slices.Sort(tables) // the same order in every transaction
	for _, t := range tables {
		c := tx.changes[t]
		if _, err := tx.exec(ctx, `INSERT INTO changes (tbl, added, changed) VALUES ($1, $2, $3)
			ON CONFLICT (tbl) DO UPDATE SET added = changes.added + excluded.added, changed = changes.changed + excluded.changed`,
			t, b2i(c.added), b2i(c.changed)); err != nil {
			return err
		}
	}
	return nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// ChangeService tells what has changed in the store (parley.ChangeService).
type ChangeService struct{ db *DB }

// NewChangeService returns the change service of db.
func NewChangeService(db *DB) *ChangeService { return &ChangeService{db: db} }

var _ parley.ChangeService = (*ChangeService)(nil)

// Changes returns the counts of writes to every table.
func (s *ChangeService) Changes(ctx context.Context) (parley.Changes, error) {
	// Past the trace: the counts are read before and after a drawing,
	// not as part of it.
	const query = "SELECT tbl, added, changed FROM changes"
	var rows *sql.Rows
	var err error
	if stmt := s.db.read.stmt(ctx, query); stmt != nil {
		rows, err = stmt.QueryContext(ctx)
	} else {
		rows, err = s.db.read.DB.QueryContext(ctx, query)
	}
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer rows.Close()
	out := parley.Changes{}
	for rows.Next() {
		var t string
		var c parley.TableChanges
		if err := rows.Scan(&t, &c.Added, &c.Changed); err != nil {
			return nil, parley.Internal(err)
		}
		out[t] = c
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return out, nil
}

// LogReads appends the audit records of reads served again from a cache.
func (s *ChangeService) LogReads(ctx context.Context, reads []parley.Read) error {
	if err := s.db.auditReads(ctx, reads); err != nil {
		return parley.Internal(err)
	}
	return nil
}
