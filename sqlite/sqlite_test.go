package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parley/sqlite"
	"parley/storetest"
)

// MustOpen opens a migrated database in a fresh file, closed at the end of
// the test.
func MustOpen(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "parley.db"), sqlite.Options{Migrate: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestOpenRefusesOutOfDateSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parley.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatalf("a new database is created up to date: %v", err)
	}
	db.Close()
	// Pretend the last migration is new since the database was made.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := sqlite.Open(ctx, path, sqlite.Options{}); err == nil || !strings.Contains(err.Error(), "out of date") {
		t.Fatalf("got %v, want an out-of-date schema error", err)
	}
	// Its tables exist already, so applying it fails: the error names it.
	if db, err = sqlite.Open(ctx, path, sqlite.Options{Migrate: true}); err == nil || !strings.Contains(err.Error(), "migration migrations/0") {
		if db != nil {
			db.Close()
		}
		t.Fatalf("re-applying a migration over its own tables: got %v, want an error naming the migration", err)
	}
}

// TestOpenRefusesNewerSchema: a database migrated by a newer binary is
// refused, with or without --migrate, naming the migration it does not
// know.
func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parley.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("INSERT INTO schema_migrations (name, applied) VALUES ('migrations/9999_future.sql', '2030-01-01T00:00:00Z')"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	for _, migrate := range []bool{false, true} {
		db, err := sqlite.Open(ctx, path, sqlite.Options{Migrate: migrate})
		if err == nil || !strings.Contains(err.Error(), "newer than this binary") || !strings.Contains(err.Error(), "9999_future") {
			if db != nil {
				db.Close()
			}
			t.Errorf("migrate %v: got %v, want the newer schema refused, naming the migration", migrate, err)
		}
	}
}

// TestConformance runs the conformance suite on fresh database files.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *storetest.Store { return conformanceStore(t, sqlite.Options{Migrate: true}) })
}

// conformanceStore opens a fresh database file with opt as a store under
// test; its Scratch opens another without syncing to disk.
func conformanceStore(t *testing.T, opt sqlite.Options) *storetest.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "parley.db"), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	services := db.Services()
	auth := services.Auth.(*sqlite.AuthService)
	return &storetest.Store{
		Services: services,
		SetNow:   func(now func() time.Time) { db.Now = now },
		Sessions: auth.Sessions,
		Throttle: auth.Throttle,
		Tamper: func(query string, args ...any) error {
			return db.ExecRaw(context.Background(), query, args...)
		},
		Scratch: func(t *testing.T) *storetest.Store {
			return conformanceStore(t, sqlite.Options{Migrate: true, NoSync: true})
		},
	}
}
