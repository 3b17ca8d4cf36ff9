package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parley"
	"parley/sqlite"
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

func TestProcessService(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	now := time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	s := sqlite.NewProcessService(db)

	p := &parley.Process{Name: "Russia–Ukraine 2025", Summary: "The 2025 peace track.",
		Classification: parley.Classification{Level: parley.Public}}
	if err := s.CreateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	if len(p.ID) != 12 || !p.Created.Equal(now) {
		t.Fatalf("got ID %q created %v, want a 12-character ID and %v", p.ID, p.Created, now)
	}
	got, err := s.FindProcessByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != p.Name || got.Summary != p.Summary || got.Classification.Level != parley.Public || !got.Created.Equal(now) {
		t.Errorf("got %+v, want %+v", got, p)
	}

	if _, err := s.FindProcessByID(ctx, "nope"); parley.ErrorCode(err) != parley.ENOTFOUND {
		t.Errorf("missing process: got %v, want not found", err)
	}
	bad := &parley.Process{Name: "", Classification: parley.Classification{Level: parley.Public}}
	if err := s.CreateProcess(ctx, bad); parley.ErrorCode(err) != parley.EINVALID || bad.ID != "" {
		t.Errorf("invalid process: got %v (ID %q), want invalid and nothing stored", err, bad.ID)
	}

	for _, name := range []string{"Gaza 2025", "Armenia–Azerbaijan"} {
		if err := s.CreateProcess(ctx, &parley.Process{Name: name, Classification: parley.Classification{Level: parley.Public}}); err != nil {
			t.Fatal(err)
		}
	}
	list, total, err := s.FindProcesses(ctx, parley.ProcessFilter{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || len(list) != 2 || list[0].Name != "Armenia–Azerbaijan" || list[1].Name != "Gaza 2025" {
		t.Errorf("got %d of %d: %v, want the first 2 of 3 by name", len(list), total, names(list))
	}

	later := now.Add(time.Hour)
	db.Now = func() time.Time { return later }
	name := "Russia–Ukraine peace track"
	upd := *p
	upd.Name, upd.Topics = name, []string{"prisoner exchanges"}
	if err := s.UpdateProcess(ctx, &upd); err != nil {
		t.Fatal(err)
	}
	got, _ = s.FindProcessByID(ctx, p.ID)
	if got.Name != name || got.Summary != p.Summary || !got.Updated.Equal(later) || !got.Created.Equal(now) ||
		len(got.Topics) != 1 || !got.IsTopic("prisoner exchanges") || !got.IsTopic("ceasefire") {
		t.Errorf("after update got %+v", got)
	}
	blank := *got
	blank.Name = " "
	if err := s.UpdateProcess(ctx, &blank); parley.ErrorCode(err) != parley.EINVALID {
		t.Errorf("blank name: got %v, want invalid", err)
	}
	missing := *got
	missing.ID = "nosuchprocess"
	if err := s.UpdateProcess(ctx, &missing); parley.ErrorCode(err) != parley.ENOTFOUND {
		t.Errorf("missing process: got %v, want not found", err)
	}
	if got, _ := s.FindProcessByID(ctx, p.ID); got.Name != name {
		t.Errorf("a refused update changed the name to %q", got.Name)
	}
}

func names(ps []*parley.Process) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}
