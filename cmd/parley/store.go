package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"parley/postgres"
	"parley/sqlite"
	"parley/sqlstore"
)

// dbHelp describes the --db flag of every command that opens a database.
const dbHelp = "SQLite database `file`, or a PostgreSQL URL postgres://user@host/db (env PARLEY_DB)"

// openStore opens the database name names: a PostgreSQL URL
// (postgres://...) or an SQLite file. migrate applies pending migrations.
func openStore(ctx context.Context, name string, migrate bool) (*sqlstore.DB, error) {
	if err := notKeywordDSN(name); err != nil {
		return nil, err
	}
	if postgres.IsURL(name) {
		return postgres.Open(ctx, name, postgres.Options{Migrate: migrate})
	}
	return sqlite.Open(ctx, name, sqlite.Options{Migrate: migrate})
}

// dbLabel names a database in messages: an SQLite file as given, a
// PostgreSQL URL without its password.
func dbLabel(name string) string {
	if !postgres.IsURL(name) {
		return name
	}
	u, err := url.Parse(name)
	if err != nil {
		return "the PostgreSQL database (its URL does not parse)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// notKeywordDSN refuses a PostgreSQL connection string in keyword=value
// form ("host=db password=..."), which would otherwise be taken for the
// name of an SQLite file and created as one, without repeating it: it may
// hold a password.
func notKeywordDSN(name string) error {
	if postgres.IsURL(name) {
		return nil
	}
	for _, key := range []string{"host=", "dbname=", "user=", "password=", "port=", "sslmode="} {
		if strings.Contains(name, key) {
			return errors.New("--db looks like a PostgreSQL connection string in keyword=value form; give it as a URL, such as postgres://user:password@host:5432/dbname")
		}
	}
	return nil
}

// withDB opens the database name names, runs fn and closes it. An SQLite
// file that does not exist is an error unless migrate is set (import and
// migrate may create one).
func withDB(ctx context.Context, name string, migrate bool, fn func(*sqlstore.DB) error) error {
	if err := notKeywordDSN(name); err != nil {
		return err
	}
	if !migrate && !postgres.IsURL(name) {
		if _, err := os.Stat(name); err != nil {
			return fmt.Errorf("no database at %s", name)
		}
	}
	db, err := openStore(ctx, name, migrate)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}
