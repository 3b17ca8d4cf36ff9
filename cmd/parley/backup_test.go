package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/demo"
)

// TestBackupRestoreCommands backs up the demo database with parley backup,
// restores it elsewhere with parley restore, and finds the same process.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "live.db")
	m := MustServe(t, &Main{DBPath: src, Demo: true})
	backup := filepath.Join(dir, "backup.db")
	// Online: the server is still running.
	code, stdout, stderr := run(t, "", "backup", backup, "--db", src)
	if code != 0 || !strings.Contains(stdout, "integrity check ok") {
		t.Fatalf("backup: exit %d: %s%s", code, stdout, stderr)
	}
	m.Close()
	restored := filepath.Join(dir, "restored.db")
	if code, stdout, stderr := run(t, "", "restore", backup, "--db", restored); code != 0 || !strings.Contains(stdout, "restored") {
		t.Fatalf("restore: exit %d: %s%s", code, stdout, stderr)
	}
	_, want, _ := run(t, "", "export", demo.Name, "--db", src)
	if code, got, stderr := run(t, "", "export", demo.Name, "--db", restored); code != 0 || got != want || want == "" {
		t.Fatalf("the restored database's export differs from the live one's (exit %d: %s)", code, stderr)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"over a database", []string{"restore", backup, "--db", restored}, "--replace"},
		{"not a database", []string{"restore", filepath.Join(dir, "junk"), "--db", filepath.Join(dir, "x.db")}, "not a database"},
		{"postgres backup", []string{"backup", "x", "--db", "postgres://u:pw@h/db"}, "pg_dump"},
		{"postgres restore", []string{"restore", "x", "--db", "postgres://u:pw@h/db"}, "pg_restore"},
		{"no file", []string{"backup", "--db", src}, "missing FILE"},
		{"no database", []string{"backup", filepath.Join(dir, "b2.db"), "--db", filepath.Join(dir, "none.db")}, "no database"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.WriteFile(filepath.Join(dir, "junk"), []byte("junk"), 0o600)
			code, _, stderr := run(t, "", tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, ":pw@") {
				t.Errorf("exit %d, %q; want 2 and %q, without the password", code, stderr, tt.want)
			}
		})
	}
	// Each replaced database is kept, never one over another.
	for _, kept := range []string{".before-restore", ".before-restore-2"} {
		if code, _, _ := run(t, "", "restore", backup, "--db", restored, "--replace"); code != 0 {
			t.Errorf("restore --replace: exit %d", code)
		}
		if _, err := os.Stat(restored + kept); err != nil {
			t.Errorf("the replaced database is not kept: %v", err)
		}
	}
	// A backup onto the database itself would lose the writes after it.
	if code, _, stderr := run(t, "", "backup", restored, "--db", restored); code != 2 || !strings.Contains(stderr, "the database itself") {
		t.Errorf("backup onto the database: exit %d, %q", code, stderr)
	}
	// A name that is not a plain file name is escaped, not read as a URL.
	odd := filepath.Join(dir, "b#1?.db")
	if code, _, stderr := run(t, "", "backup", odd, "--db", restored); code != 0 {
		t.Errorf("backup to %s: exit %d, %s", odd, code, stderr)
	} else if _, err := os.Stat(odd); err != nil {
		t.Error(err)
	}
}

// TestDatabaseNamesKeepPasswords checks that no command repeats a
// PostgreSQL password it was given, in a URL or in keyword=value form,
// and that the latter is not taken for an SQLite file name.
func TestDatabaseNamesKeepPasswords(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, db := range []string{"host=127.0.0.1 user=parley password=s3cret-word dbname=parley",
		"postgres://parley@127.0.0.1:1/parley?password=s3cret-word&connect_timeout=1",
		"postgres://parley:s3cret-word@127.0.0.1:1/parley?connect_timeout=1"} {
		for _, cmd := range [][]string{{"migrate"}, {"export", "x"}, {"backup", "b.db"}} {
			code, stdout, stderr := run(t, "", append(cmd, "--db", db)...)
			if code == 0 || strings.Contains(stdout+stderr, "s3cret") {
				t.Errorf("%v --db %q: exit %d, printed %q", cmd, db, code, stdout+stderr)
			}
		}
		if entries, _ := os.ReadDir("."); len(entries) > 0 {
			t.Errorf("--db %q made a file: %s", db, entries[0].Name())
		}
	}
}
