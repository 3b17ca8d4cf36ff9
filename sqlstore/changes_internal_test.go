package sqlstore

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// TestReadsOf checks which tables queries of the store's own forms read,
// and whether by key.
func TestReadsOf(t *testing.T) {
	for _, tt := range []struct {
		query string
		want  map[string]bool // table → whole
	}{
		{"SELECT id, classification FROM sources WHERE process_id = $1", map[string]bool{"sources": true}},
		{"SELECT id, title FROM sources WHERE id = $1", map[string]bool{"sources": false}},
		{"SELECT id FROM sources WHERE process_id = $1 AND id IN ($2, $3)", map[string]bool{"sources": false}},
		{"SELECT count(*) FROM audit_log WHERE process_id = $1", map[string]bool{"audit_log": true}},
		{classQueries["contacts"].all(), map[string]bool{"contacts": true, "channels": false}},
		{classQueries["contacts"].some(2), map[string]bool{"contacts": false, "channels": false}},
		{classQueries["provisions"].all(), map[string]bool{"provisions": true, "versions": false, "plans": false}},
		{`SELECT v.id, v.label FROM versions v JOIN plans p ON p.id = v.plan_id WHERE v.id = $1`,
			map[string]bool{"versions": false, "plans": false}},
		{`SELECT pt.id FROM points pt JOIN versions AS v ON v.id = pt.version_id WHERE v.id = $1 ORDER BY pt.seq`,
			map[string]bool{"points": true, "versions": false}},
		{`SELECT s.kind, s.ref FROM search s WHERE s.process_id = $1 AND search MATCH $2`, map[string]bool{"search": true}},
		{`SELECT value FROM json_each($1) JOIN sources ON sources.id = value`, map[string]bool{"sources": false}},
		{`SELECT p.id FROM processes p WHERE p.id = $1 AND EXISTS (SELECT 1 FROM memberships m WHERE m.process_id = p.id)`,
			map[string]bool{"processes": false, "memberships": true}},
		{"SELECT id FROM processes WHERE name = $1", map[string]bool{"processes": true}},
	} {
		got := map[string]bool{}
		for _, r := range readsOf(tt.query) {
			got[r.table] = got[r.table] || r.whole
		}
		if !maps.Equal(got, tt.want) {
			t.Errorf("readsOf(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}

// TestChangesOf checks what statements of the store's own forms write.
func TestChangesOf(t *testing.T) {
	for _, tt := range []struct {
		query string
		want  []change
	}{
		{"SELECT 1", nil},
		{"INSERT INTO parties (id, name) VALUES ($1, $2)", []change{{table: "parties", added: true}}},
		{"\n\t\tUPDATE parties SET name = $1 WHERE id = $2", []change{{table: "parties", changed: true}}},
		{"INSERT INTO sources (id, title) VALUES ($1, $2)", []change{{table: "sources", added: true}, {table: "record_counts", added: true}}},
		{"DELETE FROM provisions WHERE version_id = $1", []change{{table: "provisions", changed: true}}},
		{`INSERT INTO "settings" (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			[]change{{table: "settings", added: true, changed: true}}},
		{"INSERT INTO settings (key) VALUES ($1) ON CONFLICT DO NOTHING", []change{{table: "settings", added: true}}},
		{"INSERT INTO settings (key, value) VALUES ($1, $2)\n\t\tON CONFLICT (key)\n\t\tDO UPDATE SET value = excluded.value",
			[]change{{table: "settings", added: true, changed: true}}},
		{"INSERT OR REPLACE INTO settings (key) VALUES ($1)", []change{{table: "settings", added: true, changed: true}}},
		{"INSERT OR IGNORE INTO settings (key) VALUES ($1)", []change{{table: "settings", added: true}}},
		{"REPLACE INTO settings (key) VALUES ($1)", []change{{table: "settings", added: true, changed: true}}},
		{"DELETE FROM sessions WHERE hash = $1 RETURNING user_id", []change{{table: "sessions", changed: true}}},
		{"INSERT INTO contacts (id) VALUES ($1)",
			[]change{{table: "contacts", added: true}, {table: "search", added: true}, {table: "record_counts", added: true}}},
		{"UPDATE contacts SET summary = $1 WHERE id = $2",
			[]change{{table: "contacts", changed: true}, {table: "search", added: true, changed: true}, {table: "record_counts", added: true, changed: true}}},
	} {
		if got := changesOf(tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("changesOf(%q) = %+v, want %+v", tt.query, got, tt.want)
		}
	}
}

// TestTriggered checks the tables triggers write, as triggered lists them,
// against the triggers of both stores' migrations: a trigger the list
// misses would let a cache serve a page drawn before the write.
func TestTriggered(t *testing.T) {
	// "DO UPDATE SET" of an upsert is no UPDATE of a table named SET.
	write := regexp.MustCompile(`(?i)\b(?:INSERT\s+INTO|DELETE\s+FROM)\s+([a-z_]+)|\bUPDATE\s+([a-z_]+)\s+SET\b`)
	for _, dir := range []string{"../sqlite/migrations", "../postgres/migrations"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no migrations in %s: %v", dir, err)
		}
		got := map[string][]string{}
		bodies := map[string]string{}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sql := string(b)
			// SQLite: the body is the trigger's (after its WHEN clause,
			// if any); PostgreSQL: the function's it executes, with the
			// bodies of the functions that one calls.
			for _, m := range regexp.MustCompile(`(?is)CREATE FUNCTION (\w+)\([^)]*\) RETURNS \w+[^;$]*?\$\$(.*?)\$\$`).FindAllStringSubmatch(sql, -1) {
				bodies[m[1]] = m[2]
			}
			for _, m := range regexp.MustCompile(`(?is)CREATE TRIGGER \w+ (?:AFTER|BEFORE|INSTEAD OF)[^;]*?\bON (\w+)(?:\s+WHEN[^;]*?)?(?:\s+BEGIN(.*?)\bEND;|[^;]*?EXECUTE (?:FUNCTION|PROCEDURE) (\w+)\(\))`).FindAllStringSubmatch(sql, -1) {
				body := m[2]
				if m[3] != "" {
					body = bodies[m[3]]
					for _, c := range regexp.MustCompile(`(?i)\bPERFORM (\w+)\(`).FindAllStringSubmatch(body, -1) {
						body += bodies[c[1]]
					}
				}
				for _, w := range write.FindAllStringSubmatch(body, -1) {
					if t := w[1] + w[2]; !slices.Contains(got[m[1]], t) {
						got[m[1]] = append(got[m[1]], t)
					}
				}
			}
		}
		if len(got) == 0 {
			t.Fatalf("%s: found no triggers; the test no longer reads them", dir)
		}
		if !maps.EqualFunc(got, triggered, slices.Equal) {
			t.Errorf("%s: triggers write %v; triggered says %v", dir, got, triggered)
		}
	}
}
