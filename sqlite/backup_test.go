package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parley"
	"parley/sqlite"
)

// TestBackupUnderLoad backs a database up while writers add sources to it
// as fast as they can. The copy passes the integrity check, its audit log
// verifies, and it holds exactly the database as it was after one write:
// its audit log is the source's up to some record N, and its sources are
// those the first N records created, with the same content, whose hash is
// compared. A restore of it is the same file, byte for byte in content.
func TestBackupUnderLoad(t *testing.T) {
	ctx := parley.WithActor(context.Background(), parley.System)
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "live.db"), sqlite.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := db.Services()
	proc := &parley.Process{Name: "Backup under load", Classification: parley.Classification{Level: parley.Public}}
	if err := svc.Processes.CreateProcess(ctx, proc); err != nil {
		t.Fatal(err)
	}
	var (
		stop    atomic.Bool
		written atomic.Int64
		wg      sync.WaitGroup
	)
	for w := range 4 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				src := &parley.Source{ProcessID: proc.ID, Title: fmt.Sprintf("writer %d, source %d", w, i), Reliability: "C", Credibility: 3,
					Classification: parley.Classification{Level: parley.Public}}
				if err := svc.Sources.CreateSource(ctx, src); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				written.Add(1)
			}
		})
	}
	for written.Load() < 200 {
		time.Sleep(time.Millisecond)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := sqlite.Backup(ctx, db, backup); err != nil {
		t.Fatal(err)
	}
	atBackup := written.Load()
	for written.Load() < atBackup+200 {
		time.Sleep(time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()

	b, err := sqlite.Open(ctx, backup, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	report, err := b.Services().Audit.VerifyAudit(ctx, "")
	if err != nil {
		t.Fatalf("the backup's audit log: %v", err)
	}
	b.Close()
	n := report.Size
	live := rawOpen(t, filepath.Join(dir, "live.db"))
	copyDB := rawOpen(t, backup)
	liveN := count(t, live, "audit_log")
	if n <= 200 || n >= liveN {
		t.Fatalf("the backup holds %d audit records of %d: want a copy taken mid-load", n, liveN)
	}
	// The audit log and its hashes up to N, and the sources the first N
	// records made, are the same in both.
	for _, q := range []string{
		"SELECT seq, time, user_id, actor, action, process_id, kind, ids, detail FROM audit_log WHERE seq < %d ORDER BY seq",
		"SELECT s.* FROM sources s WHERE s.id IN (SELECT value FROM audit_log a, json_each(a.ids) WHERE a.kind = 'source' AND a.seq < %d) ORDER BY s.id",
		"SELECT id, name, summary, classification, created FROM processes ORDER BY id",
	} {
		if strings.Contains(q, "%d") {
			q = fmt.Sprintf(q, n)
		}
		if got, want := tableHash(t, copyDB, q), tableHash(t, live, q); got != want {
			t.Errorf("%s: backup %s, live %s", q, got, want)
		}
	}
	if got, want := count(t, copyDB, "sources"), count(t, live, fmt.Sprintf("audit_log WHERE kind = 'source' AND seq < %d", n)); got != want {
		t.Errorf("the backup has %d sources, want the %d its audit log records", got, want)
	}
	t.Logf("backed up %d of %d audit records (%d sources written in all, %d before the backup began)", n, liveN, written.Load(), atBackup)

	// Restored, it is the backup again.
	restored := filepath.Join(dir, "restored.db")
	if err := sqlite.Restore(ctx, backup, restored, false); err != nil {
		t.Fatal(err)
	}
	if got, want := dbHash(t, rawOpen(t, restored)), dbHash(t, copyDB); got != want {
		t.Errorf("restored content %s, backup %s", got, want)
	}
	if err := sqlite.Restore(ctx, backup, restored, false); err == nil || !strings.Contains(err.Error(), "--replace") {
		t.Errorf("restoring over a database without replace: got %v", err)
	}
}

func TestRestoreRefusesDamage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	db, err := sqlite.Open(ctx, good, sqlite.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, _ := os.ReadFile(good)
	for name, content := range map[string][]byte{
		"not a database": []byte("hello"),
		"truncated":      raw[:len(raw)/2],
		"empty":          {},
	} {
		t.Run(name, func(t *testing.T) {
			bad := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".db")
			os.WriteFile(bad, content, 0o600)
			dest := filepath.Join(dir, "dest-"+filepath.Base(bad))
			if err := sqlite.Restore(ctx, bad, dest, false); err == nil {
				t.Fatal("restored a damaged backup")
			}
			if _, err := os.Stat(dest); err == nil {
				t.Error("a refused restore left a database behind")
			}
		})
	}
}

func rawOpen(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, from string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM " + from).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// tableHash hashes the rows a query returns, in its order.
func tableHash(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	h := sha256.New()
	var n int
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(vals)
		h.Write(append(b, '\n'))
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil))[:16])
}

// dbHash hashes every table of a database: row counts and content.
func dbHash(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'search%' AND name NOT LIKE 'sqlite%'")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	slices.Sort(tables)
	var parts []string
	for _, table := range tables {
		parts = append(parts, table+": "+tableHash(t, db, "SELECT * FROM "+table+" ORDER BY 1"))
	}
	return strings.Join(parts, "; ")
}
