// Package postgres is Parley's store on PostgreSQL, for deployments where
// several app servers share one database. The services are sqlstore's; this
// package brings the driver (pgx, through database/sql), PostgreSQL's
// migrations and its connection settings.
//
// Writes take one advisory lock for the length of their transaction, so
// that they follow one another as on SQLite, whichever server makes them;
// reads run side by side. PostgreSQL 14 or later is needed, with the
// unaccent extension (shipped with PostgreSQL, and trusted: the owner of the
// database may create it).
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"time"

	"parley/sqlstore"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// minVersion is the oldest PostgreSQL accepted (server_version_num): the
// migrations use SQL-standard function bodies, new in 14.
const minVersion = 140000

// DB is an open Parley database on PostgreSQL.
type DB = sqlstore.DB

// Options tune Open.
type Options struct {
	// Migrate applies pending migrations; without it, Open refuses a
	// database whose schema is out of date. A new, empty database is
	// always brought up to date.
	Migrate bool
	// MaxConns bounds the connections this server opens for reading; 0
	// means four per CPU, and at least 8. Writes have three more.
	MaxConns int
}

// IsURL reports whether name is a PostgreSQL connection URL rather than a
// file name: "postgres://..." or "postgresql://...".
func IsURL(name string) bool {
	return strings.HasPrefix(name, "postgres://") || strings.HasPrefix(name, "postgresql://")
}

// Migrations returns PostgreSQL's migrations, numbered .sql files at the
// root.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		panic(err) // the directory is embedded
	}
	return sub
}

// Open connects to the database at url (postgres://user@host/db?...).
//
// Reads and writes have pools of their own. Writes wait for the advisory
// lock while holding a connection: in a shared pool, writers queued behind
// another server's long write would take every connection and starve the
// reads, and a read transaction that writes its audit record (an export)
// could wait on itself.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	read, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	n := opt.MaxConns
	if n <= 0 {
		n = max(8, 4*runtime.GOMAXPROCS(0))
	}
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(5 * time.Minute)
	if err := checkVersion(ctx, read); err != nil {
		read.Close()
		return nil, err
	}
	write, err := sql.Open("pgx", url)
	if err != nil {
		read.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// Writes follow one another anyway: one connection writes, one waits
	// at the lock to follow at once, and a third serves the migrations'
	// lock while the others apply them.
	write.SetMaxOpenConns(writeConns)
	write.SetMaxIdleConns(writeConns)
	write.SetConnMaxIdleTime(5 * time.Minute)
	return sqlstore.Open(ctx, sqlstore.Config{
		Dialect:    sqlstore.Postgres,
		Write:      write,
		Read:       read,
		Migrations: Migrations(),
		Migrate:    opt.Migrate,
	})
}

// writeConns is the size of a server's pool of write connections.
const writeConns = 3

// checkVersion refuses a server older than minVersion, and says so when
// the server cannot be reached.
func checkVersion(ctx context.Context, db *sql.DB) error {
	var v int
	if err := db.QueryRowContext(ctx, "SELECT current_setting('server_version_num')::int").Scan(&v); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if v < minVersion {
		return fmt.Errorf("postgres: server version %d.%d is older than 14", v/10000, v%10000)
	}
	return nil
}
