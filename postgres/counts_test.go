package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"parley"
	"parley/demo"
	"parley/postgres"
	"parley/postgres/pgtest"
	"parley/storetest"
)

// TestCountsMigration: migration 0009 counts the contacts and sources a
// database already holds, as on SQLite (sqlite/counts_test.go): the
// demo's records are stored, the counts and their triggers removed as if
// the database predated them, and opening it with migrations must count
// every record again, as grouping the records themselves counts them.
func TestCountsMigration(t *testing.T) {
	ctx := parley.WithActor(context.Background(), parley.System)
	u := pgtest.MustSchema(t)
	db, err := postgres.Open(ctx, u, postgres.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, db.Services()); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	storetest.WantRecordCounts(t, raw, "kept by the triggers")
	for _, stmt := range []string{
		"DROP TABLE record_counts",
		"DROP TRIGGER contacts_count ON contacts", "DROP TRIGGER contacts_count_update ON contacts",
		"DROP TRIGGER sources_count ON sources", "DROP TRIGGER sources_count_update ON sources",
		"DROP FUNCTION contacts_count()", "DROP FUNCTION sources_count()", "DROP FUNCTION count_record(TEXT, TEXT, TEXT, TEXT, INTEGER)",
		"DELETE FROM schema_migrations WHERE name = 'migrations/0009_counts.sql'",
	} {
		if err := db.ExecRaw(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	db.Close()

	db, err = postgres.Open(ctx, u, postgres.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	storetest.WantRecordCounts(t, raw, "counted by the migration")
}
