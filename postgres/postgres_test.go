package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"parley"
	"parley/postgres"
	"parley/postgres/pgtest"
	"parley/sqlstore"
	"parley/storetest"
)

// MustOpen opens a migrated store in a fresh schema, closed at the end of
// the test.
func MustOpen(tb testing.TB) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), pgtest.MustSchema(tb), postgres.Options{Migrate: true, MaxConns: 8})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestConformance runs the conformance suite, each store in a schema of
// its own.
func TestConformance(t *testing.T) {
	storetest.Run(t, conformanceStore)
}

func conformanceStore(t *testing.T) *storetest.Store {
	t.Helper()
	db := MustOpen(t)
	services := db.Services()
	auth := services.Auth.(*sqlstore.AuthService)
	return &storetest.Store{
		Services: services,
		SetNow:   func(now func() time.Time) { db.Now = now },
		Sessions: auth.Sessions,
		Throttle: auth.Throttle,
		Tamper: func(query string, args ...any) error {
			return db.ExecRaw(context.Background(), query, args...)
		},
		Scratch: conformanceStore,
		// Every write of the random worlds crosses the loopback: 500 of
		// them take about as long as SQLite's 10,000.
		Worlds: 500,
	}
}

func TestOpenRefusesOutOfDateSchema(t *testing.T) {
	ctx := context.Background()
	u := pgtest.MustSchema(t)
	db, err := postgres.Open(ctx, u, postgres.Options{})
	if err != nil {
		t.Fatalf("a new database is created up to date: %v", err)
	}
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("a new database is ready: %v", err)
	}
	// Pretend the last migration is new since the database was made.
	if err := db.ExecRaw(ctx, "DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)"); err != nil {
		t.Fatal(err)
	}
	if err := db.Ready(ctx); err == nil || !strings.Contains(err.Error(), "out of date") {
		t.Errorf("Ready: got %v, want an out-of-date schema error", err)
	}
	db.Close()
	if _, err := postgres.Open(ctx, u, postgres.Options{}); err == nil || !strings.Contains(err.Error(), "out of date") {
		t.Fatalf("got %v, want an out-of-date schema error", err)
	}
	// Its tables exist already, so applying it fails: the error names it.
	if db, err = postgres.Open(ctx, u, postgres.Options{Migrate: true}); err == nil || !strings.Contains(err.Error(), "migration migrations/0") {
		if db != nil {
			db.Close()
		}
		t.Fatalf("re-applying a migration over its own tables: got %v, want an error naming the migration", err)
	}
}

func TestOpenUnreachable(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", postgres.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "postgres: ") {
		t.Fatalf("got %v, want an error saying the server cannot be reached", err)
	}
}

// FuzzSearch checks that no query, however odd, is a tsquery syntax error.
func FuzzSearch(f *testing.F) { storetest.FuzzSearch(f, MustOpen(f).Services()) }

// TestWritersWaitingDoNotStarveReads holds the write lock from another
// connection, as a second server in a long write would, and starts more
// writers than the server has connections: reads and exports (which read
// in a transaction and then write their audit record) still answer at
// once, and the writers all finish once the lock is released.
func TestWritersWaitingDoNotStarveReads(t *testing.T) {
	u := pgtest.MustSchema(t)
	ctx := parley.WithActor(context.Background(), parley.System)
	db, err := postgres.Open(ctx, u, postgres.Options{Migrate: true, MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := db.Services()
	proc := &parley.Process{Name: "Starvation", Classification: parley.Classification{Level: parley.Public}}
	if err := svc.Processes.CreateProcess(ctx, proc); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lockTx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockTx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(0x7061726c6579)); err != nil {
		t.Fatal(err)
	}
	var writers sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		writers.Go(func() {
			errs <- svc.Parties.CreateParty(ctx, &parley.Party{ProcessID: proc.ID, Name: fmt.Sprintf("Party %d", i), Kind: parley.State,
				Classification: parley.Classification{Level: parley.Public}})
		})
	}
	time.Sleep(200 * time.Millisecond) // the writers queue for the lock
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := svc.Processes.FindProcessByID(rctx, proc.ID); err != nil {
		t.Errorf("a read while writers wait: %v", err)
	}
	if err := db.Ready(rctx); err != nil {
		t.Errorf("ready while writers wait: %v", err)
	}
	lockTx.Rollback()
	writers.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a writer: %v", err)
		}
	}
	// Exports hold a read transaction and then write: more of them at
	// once than read connections must not wait on one another.
	var exports sync.WaitGroup
	for range 8 {
		exports.Go(func() {
			ectx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			if _, err := svc.Archive.ExportProcess(ectx, proc.ID); err != nil {
				t.Errorf("export: %v", err)
			}
		})
	}
	exports.Wait()
}
