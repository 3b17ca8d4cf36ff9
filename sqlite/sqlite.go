// Package sqlite is Parley's store on SQLite, the embedded default: one file,
// a pure-Go driver, WAL with full syncs, foreign keys on, one connection
// for writes and a pool for reads.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"parley"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// minVersion is the oldest SQLite accepted: older ones have a bug that can
// corrupt a WAL database when it is reset.
const minVersion = "3.51.3"

// DB is an open Parley database.
type DB struct {
	write *sql.DB // one connection: SQLite has one writer at a time
	read  *sql.DB // a pool for readers
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// reads gathers the audit records of concurrent reads, to commit
	// them together (see auditRead).
	reads readLog
}

// Options tune Open.
type Options struct {
	// Migrate applies pending migrations; without it, Open refuses a
	// database whose schema is out of date. A new, empty database is
	// always brought up to date.
	Migrate bool
	// NoSync turns off syncing to disk (synchronous=OFF): a crash of the
	// machine may then lose or corrupt the latest writes. For tests that
	// write a great deal to a throw-away database only; never for data
	// that matters.
	NoSync bool
}

// Open opens (or creates) the database at path.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	sync := "FULL"
	if opt.NoSync {
		sync = "OFF"
	}
	dsn := "file:" + url.PathEscape(path) + "?" + strings.Join([]string{
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(" + sync + ")",
		"_pragma=foreign_keys(1)",
		"_pragma=busy_timeout(5000)",
		"_txlock=immediate",
	}, "&")
	db := &DB{Now: time.Now}
	var err error
	if db.write, err = sql.Open("sqlite", dsn); err != nil {
		return nil, err
	}
	db.write.SetMaxOpenConns(1)
	if db.read, err = sql.Open("sqlite", dsn+"&mode=ro"); err != nil {
		db.write.Close()
		return nil, err
	}
	// Readers run in Go on the CPUs: more connections than a few per CPU
	// only queue, and keeping them all idle spares reopening a connection
	// (and its page cache) under load.
	readers := 4 * runtime.GOMAXPROCS(0)
	db.read.SetMaxOpenConns(readers)
	db.read.SetMaxIdleConns(readers)
	if err := db.checkVersion(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.migrate(ctx, opt.Migrate); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database, first folding the write-ahead log into the
// database file, so that the file alone holds everything (a copy or a
// link of it is whole).
func (db *DB) Close() error {
	_, cerr := db.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	err := db.read.Close()
	if werr := db.write.Close(); err == nil {
		err = werr
	}
	if err == nil && cerr != nil {
		err = fmt.Errorf("sqlite: checkpoint on close: %w", cerr)
	}
	return err
}

// ExecRaw runs one SQL statement on the database directly, past the
// services, their checks and the audit log: for tests (the conformance
// suite tampers with the audit log through it to see that verification
// notices) and repair tools only.
func (db *DB) ExecRaw(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return err
}

// checkVersion refuses an SQLite older than minVersion.
func (db *DB) checkVersion(ctx context.Context) error {
	var v string
	if err := db.write.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if versionLess(v, minVersion) {
		return fmt.Errorf("sqlite: version %s is older than %s, which fixes a bug that can corrupt databases in WAL mode", v, minVersion)
	}
	return nil
}

// versionLess compares dotted version numbers.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// migrate applies the embedded migrations not yet recorded, each in its
// own transaction, or, unless apply is set or the database is new, refuses
// to go on when any is pending.
func (db *DB) migrate(ctx context.Context, apply bool) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: cannot record migrations: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var applied int
	if err := db.write.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&applied); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if applied == 0 {
		apply = true // a new database: nothing in it to protect
	}
	for _, name := range names {
		var n int
		if err := db.write.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE name = $1", name).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
		if n > 0 {
			continue
		}
		if !apply {
			return fmt.Errorf("sqlite: the database schema is out of date (%s is not applied); run parley migrate", name)
		}
		if err := db.applyMigration(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, name string) error {
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied) VALUES ($1, $2)",
		name, formatTime(db.Now())); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	return tx.Commit()
}

// Tx is a write transaction with the time it started, stamped once so that
// every record it writes carries the same time.
type Tx struct {
	*sql.Tx
	now time.Time
}

// begin starts a write transaction.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, parley.Internal(err)
	}
	return &Tx{Tx: tx, now: db.Now().UTC().Truncate(time.Microsecond)}, nil
}

// update runs fn in one write transaction and commits it, so that a write
// is stored whole or not at all. Errors of fn that are not application
// errors, and a failed commit, are reported as internal. It returns the
// transaction's time, which fn sees as tx.now.
func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) (time.Time, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return time.Time{}, err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		var e *parley.Error
		if !errors.As(err, &e) {
			return time.Time{}, parley.Internal(err)
		}
		return time.Time{}, err
	}
	return tx.now, tx.commit()
}

// commit commits the transaction, reporting a failure as internal.
func (tx *Tx) commit() error {
	if err := tx.Commit(); err != nil {
		return parley.Internal(err)
	}
	return nil
}

// newID returns a short, URL-safe, unguessable ID: 60 random bits in
// lower-case base32.
func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))[:12]
}

// formatTime and parseTime store times as RFC 3339 text in UTC.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// encodeClassification and decodeClassification store a classification as
// JSON text: a level and a short list of parties, read whole with the
// record.
func encodeClassification(c parley.Classification) string {
	b, _ := json.Marshal(c) // a struct of a string and strings cannot fail
	return string(b)
}

func decodeClassification(s string) (parley.Classification, error) {
	var c parley.Classification
	err := json.Unmarshal([]byte(s), &c)
	return c, err
}

// encodeJSON and decodeJSON store small lists and structures (IDs, tags,
// lineage) as JSON text in one column, read whole with their record. A nil
// slice is stored as "[]" and read back as nil, so that records round-trip.
func encodeJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("sqlite: encoding " + fmt.Sprintf("%T", v) + ": " + err.Error()) // only our own plain types are stored
	}
	if string(b) == "null" {
		return "[]"
	}
	return string(b)
}

func decodeJSON[T any](s string, v *[]T) error {
	if s == "" || s == "[]" {
		*v = nil
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

// Services returns every service of the store.
func (db *DB) Services() parley.Services {
	return parley.Services{
		Processes: NewProcessService(db),
		Parties:   NewPartyService(db),
		People:    NewPersonService(db),
		Channels:  NewChannelService(db),
		Contacts:  NewContactService(db),
		Sources:   NewSourceService(db),
		Plans:     NewPlanService(db),
		Positions: NewPositionService(db),
		// Negotiation holds the issues and preferences, and analyses them.
		Negotiation: NewNegotiationService(db),
		Territory:   NewTerritoryService(db),
		Search:      NewSearchService(db),
		Archive:     NewArchiveService(db),
		Users:       NewUserService(db),
		Auth:        NewAuthService(db),
		Audit:       NewAuditService(db),
	}
}

// Ready returns nil when the database answers and its schema is current:
// every embedded migration is recorded as applied. /readyz asks it.
func (db *DB) Ready(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	var applied int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&applied); err != nil {
		return fmt.Errorf("sqlite: database unreachable: %w", err)
	}
	if applied < len(names) {
		return fmt.Errorf("sqlite: the database schema is out of date (%d of %d migrations applied)", applied, len(names))
	}
	return nil
}

// Pools returns the figures of the database's connection pools by name
// ("read" and "write"), for the metrics.
func (db *DB) Pools() map[string]sql.DBStats {
	return map[string]sql.DBStats{"read": db.read.Stats(), "write": db.write.Stats()}
}

// AuditSize returns the number of records in the audit log, for the
// metrics.
func (db *DB) AuditSize(ctx context.Context) (int64, error) {
	var n int64
	err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM audit_log").Scan(&n)
	return n, err
}
