package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"parley"
	"parley/sqlite"
)

// importSeeds are archives for the fuzz targets of the import: whole
// ones, broken ones, and the hostile input the server is tried with
// (deep nesting, keys twice, NUL, bytes that are not UTF-8, injections,
// paths for IDs, overlong text, numbers out of range, trailing data).
func importSeeds() []string {
	const head = `{"schema": "parley.process/v1", "process": {"id": "p1", "name": "P", "classification": {"level": "public"}}`
	return []string{
		head + `}`,
		`{"schema": "parley.process/v1", "process": {"id": "p2", "name": "P", "classification": {"level": "public"}},
		"parties": [{"id": "a", "process_id": "p2", "name": "A", "kind": "state", "classification": {"level": "public"}}],
		"plans": [{"id": "pl", "process_id": "p2", "title": "T", "classification": {"level": "public"}}],
		"versions": [{"id": "v", "plan_id": "pl", "label": "L", "date": "2025-11-20T00:00:00Z", "status": "draft",
			"text": "1. One.\n", "point_count": 1, "classification": {"level": "public"},
			"points": [{"id": "1", "label": "1.", "text": "One.", "depth": 0, "origin": {"version_id": "v", "point_id": "1"}}]}]}`,
		`{"schema": "parley.process/v1", "process": null}`,
		`[]`,
		`{"schema": "parley.process/v1", "process": {"id": "", "name": "P", "classification": {"level": "shared"}}}`,
		`{"schema": "parley.process/v1", "process": ` + strings.Repeat(`{"a":`, 100_000) + strings.Repeat("}", 100_000) + `}`,
		`{"schema": "parley.process/v1", "process": {"id": "p3", "name": "A", "name": "B", "classification": {"level": "public"}}}`,
		"{\"schema\": \"parley.process/v1\", \"process\": {\"id\": \"p4\", \"name\": \"a\\u0000b \xff\", \"classification\": {\"level\": \"public\"}}}",
		`{"schema": "parley.process/v1", "process": {"id": "'; DROP TABLE points; --", "name": "<script>alert(1)</script>", "classification": {"level": "public"}}}`,
		`{"schema": "parley.process/v1", "process": {"id": "../../etc/passwd", "name": "\" OR 1=1", "classification": {"level": "public"}}}`,
		`{"schema": "parley.process/v1", "process": {"id": "p5", "name": "` + strings.Repeat("x", 300) + `", "classification": {"level": "public"}}}`,
		head + `, "sources": [{"id": "s", "process_id": "p1", "url": "https://example.org", "reliability": "A", "credibility": 1e999, "classification": {"level": "public"}}]}`,
		head + `} trailing`,
	}
}

// tableRows counts the rows of every table of the database at path,
// read directly: a refused import must leave every count as it was.
func tableRows(tb testing.TB, raw *sql.DB) string {
	tb.Helper()
	rows, err := raw.Query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		tb.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			tb.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	for _, t := range tables {
		var n int
		if err := raw.QueryRow("SELECT count(*) FROM " + t).Scan(&n); err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d\n", t, n)
	}
	return b.String()
}

// openImportDB opens a fresh database for a fuzz target of the import,
// and a second, read-only connection to its file that counts its rows.
func openImportDB(tb testing.TB) (path string, db *sqlite.DB, raw *sql.DB) {
	tb.Helper()
	path = filepath.Join(tb.TempDir(), "parley.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{Migrate: true, NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	raw, err = sql.Open("sqlite", "file:"+url.PathEscape(path)+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close() })
	return path, db, raw
}

// FuzzImport feeds archives to the import: whatever the input, it is
// refused with a clear error that stores nothing, or stored whole (an
// export of the process holds as many records of each kind as the
// archive), never a panic nor an internal error.
func FuzzImport(f *testing.F) {
	for _, s := range importSeeds() {
		f.Add(s)
	}
	_, db, raw := openImportDB(f)
	ctx := parley.WithActor(context.Background(), parley.System) // as parley import acts
	archive := db.Services().Archive
	f.Fuzz(func(t *testing.T, src string) {
		a, err := decodeArchive([]byte(src))
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatalf("decoding %q: an error without a message", src)
			}
			return
		}
		before := tableRows(t, raw)
		err = archive.ImportProcess(ctx, a)
		switch code := parley.ErrorCode(err); {
		case code == parley.EINTERNAL:
			t.Fatalf("import of %q: internal error %v", src, err)
		case err != nil:
			if strings.TrimSpace(parley.ErrorMessage(err)) == "" {
				t.Fatalf("import of %q: refused without a message (%v)", src, err)
			}
			if after := tableRows(t, raw); after != before {
				t.Fatalf("import of %q was refused (%v) but stored something:\nbefore:\n%safter:\n%s", src, err, before, after)
			}
		default:
			got, err := archive.ExportProcess(ctx, a.Process.ID)
			if err != nil {
				t.Fatalf("import of %q succeeded, but the process does not export: %v", src, err)
			}
			wantSameCounts(t, a, got)
		}
	})
}

// wantSameCounts fails unless an export holds as many records of each
// kind as the archive that was imported, and each version as many points.
func wantSameCounts(t *testing.T, imported, exported *parley.Archive) {
	t.Helper()
	in, out := reflect.ValueOf(imported).Elem(), reflect.ValueOf(exported).Elem()
	for i := range in.NumField() {
		if in.Field(i).Kind() != reflect.Slice {
			continue
		}
		if n, m := in.Field(i).Len(), out.Field(i).Len(); n != m {
			t.Errorf("imported %d %s, the export holds %d", n, in.Type().Field(i).Name, m)
		}
	}
	points := map[string]int{}
	for _, v := range exported.Versions {
		points[v.ID] = len(v.Points)
	}
	for _, v := range imported.Versions {
		if points[v.ID] != len(v.Points) {
			t.Errorf("version %s: imported %d points, the export holds %d", v.ID, len(v.Points), points[v.ID])
		}
	}
}

// FuzzImportCommand runs parley import on arbitrary input from standard
// input, into a database that exists: exit status 0 and the summary, or
// 2 and one line that says what is wrong, with nothing stored.
func FuzzImportCommand(f *testing.F) {
	for _, s := range importSeeds() {
		f.Add(s)
	}
	path, _, raw := openImportDB(f)
	f.Fuzz(func(t *testing.T, src string) {
		before := tableRows(t, raw)
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), []string{"import", "-", "--db", path}, strings.NewReader(src), &stdout, &stderr)
		switch code {
		case 0:
			if !strings.HasPrefix(stdout.String(), "imported ") {
				t.Fatalf("import of %q: status 0, but it printed %q", src, stdout.String())
			}
		case 2:
			msg := strings.TrimPrefix(stderr.String(), "parley import: ")
			if msg == stderr.String() || strings.TrimSpace(msg) == "" || strings.Count(strings.TrimSuffix(msg, "\n"), "\n") > 0 {
				t.Fatalf("import of %q: status 2, want one line saying what is wrong, got %q", src, stderr.String())
			}
			if strings.Contains(msg, "internal error") {
				t.Fatalf("import of %q: %s", src, msg)
			}
			if after := tableRows(t, raw); after != before {
				t.Fatalf("import of %q was refused (%s) but stored something:\nbefore:\n%safter:\n%s", src, msg, before, after)
			}
		default:
			t.Fatalf("import of %q: exit status %d, want 0 or 2; stderr %q", src, code, stderr.String())
		}
	})
}
