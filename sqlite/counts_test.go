package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"parley"
	"parley/demo"
	"parley/sqlite"
	"parley/storetest"
)

// TestCountsMigration: migration 0009 counts the contacts and sources a
// database already holds. The demo's records are stored, the counts and
// their triggers removed as if the database predated them, and opening it
// with migrations must count every record again, as grouping the records
// themselves counts them.
func TestCountsMigration(t *testing.T) {
	ctx := parley.WithActor(context.Background(), parley.System)
	path := filepath.Join(t.TempDir(), "parley.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, db.Services()); err != nil {
		t.Fatal(err)
	}
	db.Close()

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	storetest.WantRecordCounts(t, raw, "kept by the triggers")
	var contacts int
	if err := raw.QueryRow("SELECT count(*) FROM contacts WHERE channel_id IS NOT NULL AND classification IS NULL").Scan(&contacts); err != nil || contacts == 0 {
		t.Fatalf("the demo has %d contacts that take their channel's classification (%v); the test needs some", contacts, err)
	}
	for _, stmt := range []string{
		"DROP TABLE record_counts",
		"DROP TRIGGER contacts_count_insert", "DROP TRIGGER contacts_count_update", "DROP TRIGGER contacts_count_delete",
		"DROP TRIGGER sources_count_insert", "DROP TRIGGER sources_count_update", "DROP TRIGGER sources_count_delete",
		"DELETE FROM schema_migrations WHERE name = 'migrations/0009_counts.sql'",
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	raw.Close()

	db, err = sqlite.Open(ctx, path, sqlite.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err = sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.WantRecordCounts(t, raw, "counted by the migration")
}
