package sqlite_test

import (
	"context"
	"database/sql"
	"maps"
	"path/filepath"
	"testing"

	"parley"
	"parley/demo"
	"parley/sqlite"
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
	want := countsOf(t, raw, `SELECT process_id, 'contacts', coalesce(classification, ''), coalesce(channel_id, ''), count(*)
		FROM contacts GROUP BY 1, 2, 3, 4 UNION ALL
		SELECT process_id, 'sources', classification, '', count(*) FROM sources GROUP BY 1, 2, 3, 4`)
	if got := countsOf(t, raw, "SELECT process_id, tbl, classification, channel_id, n FROM record_counts"); !maps.Equal(got, want) {
		t.Fatalf("the triggers counted %v; the records are %v", got, want)
	}
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
	if got := countsOf(t, raw, "SELECT process_id, tbl, classification, channel_id, n FROM record_counts"); !maps.Equal(got, want) {
		t.Errorf("the migration counted %v; the records are %v", got, want)
	}
}

// countsOf reads rows of a process, table, classification, channel and
// count.
func countsOf(t *testing.T, db *sql.DB, query string) map[[4]string]int {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[[4]string]int{}
	for rows.Next() {
		var k [4]string
		var n int
		if err := rows.Scan(&k[0], &k[1], &k[2], &k[3], &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no rows", query)
	}
	return out
}
