// Package sqlite is Parley's store on SQLite, the embedded default: one file,
// a pure-Go driver, WAL with full syncs, foreign keys on, one connection
// for writes and a pool for reads. The services themselves are sqlstore's.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"parley/sqlstore"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// minVersion is the oldest SQLite accepted: older ones have a bug that can
// corrupt a WAL database when it is reset.
const minVersion = "3.51.3"

// DB is an open Parley database on SQLite.
type DB = sqlstore.DB

// AuthService is the store's sign-in service, with its session and
// throttle settings.
type AuthService = sqlstore.AuthService

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

// Migrations returns SQLite's migrations, numbered .sql files at the root.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		panic(err) // the directory is embedded
	}
	return sub
}

// busyTimeout is how long a connection waits for a lock another holds.
const busyTimeout = 5 * time.Second

// dsn is the driver's name for the database at path, whose connections
// wait busy for a lock. (The driver runs the pragmas of a name in an order
// of its own: a pragma set twice in one name is set to either value, so a
// name cannot be changed by appending to it.)
func dsn(path, sync string, busy time.Duration) string {
	return "file:" + url.PathEscape(path) + "?" + strings.Join([]string{
		"_pragma=busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(" + sync + ")",
		"_pragma=foreign_keys(1)",
		"_pragma=journal_size_limit(" + strconv.Itoa(journalLimit) + ")",
		"_txlock=immediate",
	}, "&")
}

// Open opens (or creates) the database at path.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	sync := "FULL"
	if opt.NoSync {
		sync = "OFF"
	}
	name := dsn(path, sync, busyTimeout)
	// The writer leaves checkpoints to the checkpointer (checkpoint.go).
	write, err := sql.Open("sqlite", name+"&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", name+"&mode=ro")
	if err != nil {
		write.Close()
		return nil, err
	}
	// Readers run in Go on the CPUs: more connections than a few per CPU
	// only queue, and keeping them all idle spares reopening a connection
	// (and its page cache) under load.
	readers := 4 * runtime.GOMAXPROCS(0)
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	if err := checkVersion(ctx, write); err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	ckpt, err := startCheckpointer(dsn(path, sync, restartWait))
	if err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{
		Dialect:    sqlstore.SQLite,
		Write:      write,
		Read:       read,
		Migrations: Migrations(),
		Migrate:    opt.Migrate,
		// Fold the write-ahead log into the database file, so that the
		// file alone holds everything (a copy or a link of it is whole).
		BeforeClose: func(w *sql.DB) error {
			cerr := ckpt.close()
			_, err := w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
			return errors.Join(err, cerr)
		},
	})
	if err != nil {
		ckpt.close()
	}
	return db, err
}

// checkVersion refuses an SQLite older than minVersion.
func checkVersion(ctx context.Context, db *sql.DB) error {
	var v string
	if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
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
