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
	if code, _, _ := run(t, "", "restore", backup, "--db", restored, "--replace"); code != 0 {
		t.Errorf("restore --replace: exit %d", code)
	}
	if _, err := os.Stat(restored + ".before-restore"); err != nil {
		t.Errorf("the replaced database is not kept: %v", err)
	}
}
