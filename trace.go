package parley

import (
	"context"
	"maps"
	"sync"
)

// A Trace records what a request read of a store, so that what the
// request drew from it can be served again for as long as nothing it read
// has changed: the tables it read, each either by the rows it asked for
// by key or whole (a list, a search, a count, which an added row changes
// too), and the audit records of its reads of records that are not
// public, which serving the drawing again must append again. It is safe
// for concurrent use.
type Trace struct {
	mu     sync.Mutex
	tables map[string]bool // table → read whole
	reads  []Read
	opaque bool
}

// Read is the audit record of a read of records that are not public: the
// process, the kind of record and their IDs.
type Read struct {
	ProcessID, Kind string
	IDs             []string
}

// NewTrace returns an empty trace.
func NewTrace() *Trace { return &Trace{tables: map[string]bool{}} }

type traceKey struct{}

// WithTrace returns a context whose reads the store records in t.
func WithTrace(ctx context.Context, t *Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, t)
}

// TraceFrom returns the trace in the context, or nil.
func TraceFrom(ctx context.Context) *Trace {
	t, _ := ctx.Value(traceKey{}).(*Trace)
	return t
}

// Table records a read of a table: whole when it depends on which rows
// the table has, not only on the rows it asked for by key.
func (t *Trace) Table(name string, whole bool) {
	t.mu.Lock()
	t.tables[name] = t.tables[name] || whole
	t.mu.Unlock()
}

// Logged records the audit record of a read.
func (t *Trace) Logged(r Read) {
	t.mu.Lock()
	t.reads = append(t.reads, r)
	t.mu.Unlock()
}

// Opaque marks the trace as one that cannot say what it read (a read the
// store does not track): what the request drew is not to be served again.
func (t *Trace) Opaque() {
	t.mu.Lock()
	t.opaque = true
	t.mu.Unlock()
}

// Tables returns the tables read, each with whether it was read whole,
// and false when the trace is opaque.
func (t *Trace) Tables() (map[string]bool, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return maps.Clone(t.tables), !t.opaque
}

// Reads returns the audit records of the reads.
func (t *Trace) Reads() []Read {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Read(nil), t.reads...)
}

// Changes counts the writes to each table of a store since it was made:
// rows added, and rows changed or removed. A drawing that read a table by
// key is as current as the table's Changed count; one that read it whole,
// as both counts.
type Changes map[string]TableChanges

// TableChanges are the counts of one table.
type TableChanges struct {
	Added, Changed int64
}

// Same reports whether the tables read, as Trace.Tables returns them,
// are as they were in c when they are as they are in d.
func (c Changes) Same(d Changes, tables map[string]bool) bool {
	for name, whole := range tables {
		a, b := c[name], d[name]
		if a.Changed != b.Changed || whole && a.Added != b.Added {
			return false
		}
	}
	return true
}

// ChangeService tells what has changed in a store, for caches of what was
// drawn from it, and logs the reads of what such a cache serves again.
type ChangeService interface {
	// Changes returns the counts of writes to every table, as of now.
	// Every server of one database sees the same counts.
	Changes(ctx context.Context) (Changes, error)
	// LogReads appends the audit records of reads that a cache serves
	// again, for the actor of ctx, as the store does for its own reads.
	LogReads(ctx context.Context, reads []Read) error
}
