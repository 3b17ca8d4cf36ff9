// Package sqlstore is Parley's store on a relational database: every
// service of the domain in SQL that SQLite and PostgreSQL both run, with
// the few statements that differ chosen by dialect. The adapters (sqlite/
// and postgres/) open the connections, bring the driver and the dialect's
// migrations, and hand them to Open.
package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"parley"
)

// Dialect names the database a store runs on, for the statements that
// differ between them.
type Dialect string

// The dialects a store runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// writeLockKey is the PostgreSQL advisory lock every write transaction
// takes first, so that writes follow one another as they do on SQLite:
// the audit log's sequence, revisions and checks of what is already stored
// all rely on seeing every earlier write and no concurrent one.
const writeLockKey = 0x7061726c6579 // "parley"

// migrateLockKey is the PostgreSQL advisory lock a server holds while it
// checks and applies migrations.
const migrateLockKey = writeLockKey + 1

// DB is an open Parley database.
type DB struct {
	dialect Dialect
	write   *sql.DB // writes: one connection on SQLite, a few on PostgreSQL
	read    *pool   // a pool for readers
	// migrations are the dialect's numbered migration files.
	migrations fs.FS
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// reads gathers the audit records of concurrent reads, to commit
	// them together (see auditRead).
	reads readLog
	// wstmts keeps the statements of writes prepared (SQLite; nil on
	// PostgreSQL, whose driver keeps them itself).
	wstmts *stmtCache
	// writes holds the writes waiting for the next group commit (see
	// group.go).
	writes writeQueue
	// beforeClose runs before the pools close (SQLite folds its WAL into
	// the database file).
	beforeClose func(*sql.DB) error
}

// Config is what an adapter hands to Open.
type Config struct {
	Dialect Dialect
	// Write runs the write transactions; Read the reads. They are pools
	// of their own, so that writers waiting their turn never hold every
	// connection a reader needs. Open takes them over: Close closes them.
	Write, Read *sql.DB
	// Migrations holds the dialect's migrations, numbered .sql files at
	// its root, applied in name order, each in its own transaction.
	Migrations fs.FS
	// Migrate applies pending migrations; without it, Open refuses a
	// database whose schema is out of date. A new, empty database is
	// always brought up to date.
	Migrate bool
	// BeforeClose, when set, runs on the write pool before Close closes
	// the pools.
	BeforeClose func(*sql.DB) error
}

// Open makes a store of the pools in c, after bringing the schema up to
// date or checking that it is. On an error it closes the pools.
func Open(ctx context.Context, c Config) (*DB, error) {
	db := &DB{dialect: c.Dialect, write: c.Write, read: &pool{DB: c.Read}, migrations: c.Migrations, Now: time.Now, beforeClose: c.BeforeClose}
	if c.Dialect == SQLite {
		db.read.prepared, db.wstmts = &stmtCache{db: c.Read}, &stmtCache{db: c.Write, later: true}
	}
	if err := db.migrate(ctx, c.Migrate); err != nil {
		db.closePools()
		return nil, err
	}
	return db, nil
}

// Dialect returns the database the store runs on.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes the database. On SQLite it first folds the write-ahead log
// into the database file, so that the file alone holds everything.
func (db *DB) Close() error {
	var cerr error
	if db.beforeClose != nil {
		cerr = db.beforeClose(db.write)
	}
	err := db.closePools()
	if err == nil && cerr != nil {
		err = fmt.Errorf("%s: on close: %w", db.dialect, cerr)
	}
	return err
}

func (db *DB) closePools() error {
	db.wstmts.close()
	err := db.read.Close()
	if werr := db.write.Close(); err == nil {
		err = werr
	}
	return err
}

// ExecRaw runs one SQL statement on the database directly, past the
// services, their checks and the audit log: for tests (the conformance
// suite tampers with the audit log through it to see that verification
// notices) and repair tools only.
func (db *DB) ExecRaw(ctx context.Context, query string, args ...any) error {
	// In a transaction of its own, so that the write is counted like any
	// other (see changes.go) and caches do not serve what it changed.
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t := &Tx{Tx: tx}
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return err
	}
	t.noteWrite(query)
	if err := t.countChanges(ctx); err != nil {
		return err
	}
	return tx.Commit()
}

// migrationNames lists the dialect's migrations in the order they apply.
func (db *DB) migrationNames() ([]string, error) {
	names, err := fs.Glob(db.migrations, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// migrate applies the embedded migrations not yet recorded, each in its
// own transaction, or, unless apply is set or the database is new, refuses
// to go on when any is pending.
func (db *DB) migrate(ctx context.Context, apply bool) error {
	if db.dialect == Postgres {
		// Servers starting together on one database migrate one after
		// the other: the first applies what is pending, the others then
		// find it applied. The lock is the connection's, held across the
		// migrations' own transactions.
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", db.dialect, err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLockKey)); err != nil {
			return fmt.Errorf("%s: waiting for another server's migrations: %w", db.dialect, err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrateLockKey))
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("%s: cannot record migrations: %w", db.dialect, err)
	}
	names, err := db.migrationNames()
	if err != nil {
		return err
	}
	var applied int
	if err := db.write.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&applied); err != nil {
		return fmt.Errorf("%s: %w", db.dialect, err)
	}
	if applied == 0 {
		apply = true // a new database: nothing in it to protect
	}
	if err := db.refuseNewer(ctx, names); err != nil {
		return err
	}
	for _, name := range names {
		var n int
		if err := db.write.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE name = $1", migrationRecord(name)).Scan(&n); err != nil {
			return fmt.Errorf("%s: %w", db.dialect, err)
		}
		if n > 0 {
			continue
		}
		if !apply {
			return fmt.Errorf("%s: the database schema is out of date (%s is not applied); run parley migrate", db.dialect, migrationRecord(name))
		}
		if err := db.applyMigration(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// refuseNewer refuses a database that a newer binary migrated: servers
// of one database must run the same version, since each counts its writes
// for the others' caches (see changes.go) as its own version knows how.
func (db *DB) refuseNewer(ctx context.Context, names []string) error {
	known := map[string]bool{}
	for _, n := range names {
		known[migrationRecord(n)] = true
	}
	rows, err := db.write.QueryContext(ctx, "SELECT name FROM schema_migrations ORDER BY name")
	if err != nil {
		return fmt.Errorf("%s: %w", db.dialect, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("%s: %w", db.dialect, err)
		}
		if !known[name] {
			return fmt.Errorf("%s: the database schema is newer than this binary (%s is applied, which it does not know); run the version of parley that migrated it", db.dialect, name)
		}
	}
	return rows.Err()
}

// migrationRecord is the name a migration is recorded under: its path as
// the first databases recorded it.
func migrationRecord(name string) string { return "migrations/" + name }

func (db *DB) applyMigration(ctx context.Context, name string) error {
	body, err := fs.ReadFile(db.migrations, name)
	if err != nil {
		return err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", db.dialect, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("%s: migration %s: %w", db.dialect, migrationRecord(name), err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied) VALUES ($1, $2)",
		migrationRecord(name), formatTime(db.Now())); err != nil {
		return fmt.Errorf("%s: migration %s: %w", db.dialect, migrationRecord(name), err)
	}
	return tx.Commit()
}

// Tx is a write transaction with the time it started, stamped once so that
// every record it writes carries the same time.
type Tx struct {
	*sql.Tx
	now time.Time
	// changes are the tables written, counted when the transaction
	// commits (see changes.go).
	changes map[string]change
	// prepared keeps the statements of writes prepared; nil on
	// PostgreSQL, whose driver keeps them itself.
	prepared *stmtCache
}

// snapshot starts a read-only transaction whose every statement sees the
// database as it was at its first: SQLite's read transactions do so
// already (WAL); PostgreSQL's default, READ COMMITTED, gives each
// statement the latest data, so it is asked for REPEATABLE READ.
func (db *DB) snapshot(ctx context.Context) (*sql.Tx, error) {
	if t := parley.TraceFrom(ctx); t != nil {
		t.Opaque() // its reads are not recorded
	}
	var opt *sql.TxOptions
	if db.dialect == Postgres {
		opt = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return db.read.DB.BeginTx(ctx, opt)
}

// begin starts a write transaction.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, parley.Internal(err)
	}
	if db.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(writeLockKey)); err != nil {
			tx.Rollback()
			return nil, parley.Internal(err)
		}
	}
	return &Tx{Tx: tx, now: db.Now().UTC().Truncate(time.Microsecond), prepared: db.wstmts}, nil
}

// commit counts the transaction's writes and commits it, reporting a
// failure as internal.
func (tx *Tx) commit() error {
	if err := tx.countChanges(context.Background()); err != nil {
		return parley.Internal(err)
	}
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
		panic("sqlstore: encoding " + fmt.Sprintf("%T", v) + ": " + err.Error()) // only our own plain types are stored
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
		Changes:     NewChangeService(db),
		Audit:       NewAuditService(db),
	}
}

// Ready returns nil when the database answers and its schema is current:
// every embedded migration is recorded as applied. /readyz asks it.
func (db *DB) Ready(ctx context.Context) error {
	names, err := db.migrationNames()
	if err != nil {
		return err
	}
	var applied int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&applied); err != nil {
		return fmt.Errorf("%s: database unreachable: %w", db.dialect, err)
	}
	if applied < len(names) {
		return fmt.Errorf("%s: the database schema is out of date (%d of %d migrations applied)", db.dialect, applied, len(names))
	}
	return nil
}

// Pools returns the figures of the database's connection pools, "read"
// and "write", for the metrics.
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

// File returns the path of an SQLite database's file ("" for one in
// memory, and on PostgreSQL).
func (db *DB) File(ctx context.Context) (string, error) {
	if db.dialect != SQLite {
		return "", nil
	}
	var file string
	err := db.read.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file)
	return file, err
}

// VacuumInto writes a consistent copy of an SQLite database to path, a
// file that must not exist, while writes go on: it reads one snapshot on a
// reader's connection and never blocks the writer. PostgreSQL has its own
// tools for this (pg_dump).
func (db *DB) VacuumInto(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return fmt.Errorf("%s: copy the database with pg_dump instead", db.dialect)
	}
	_, err := db.read.ExecContext(ctx, "VACUUM INTO $1", path)
	return err
}
