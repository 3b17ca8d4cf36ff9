package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a copy of db to dest while the server goes on writing:
// VACUUM INTO a temporary file beside dest, an integrity check of the
// copy, a sync to disk, then a rename, so that dest is either the old file
// or a whole, checked copy. dest must not be the database itself.
func Backup(ctx context.Context, db *DB, dest string) error {
	dir := filepath.Dir(dest)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dest)+".tmp-")
	if err != nil {
		return err
	}
	// VACUUM INTO wants a file that does not exist, or is empty.
	tmp.Close()
	defer os.Remove(tmp.Name())
	if err := db.VacuumInto(ctx, tmp.Name()); err != nil {
		return fmt.Errorf("copying the database: %w", err)
	}
	if err := Check(ctx, tmp.Name()); err != nil {
		return err
	}
	if err := syncFile(tmp.Name()); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return err
	}
	return syncFile(dir)
}

// Check opens the database file at path read-only and runs SQLite's
// integrity check on it: nil when it reports "ok".
func Check(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	c, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer c.Close()
	rows, err := c.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("%s is not a database Parley can read: %w", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: integrity check: %w", path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s fails the integrity check: %s", path, strings.Join(problems, "; "))
	}
	var n int
	if err := c.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		return fmt.Errorf("%s is not a Parley database: %w", path, err)
	}
	return nil
}

// Restore puts a copy of the backup at src in place of the database at
// dest, after checking it: copied to a temporary file beside dest, synced,
// then renamed over it. The server must be stopped. An existing database
// is refused unless replace is set; it is then kept as dest + ".before-restore",
// and its write-ahead log with it, so that no stale log is replayed onto
// the restored file.
func Restore(ctx context.Context, src, dest string, replace bool) error {
	if err := Check(ctx, src); err != nil {
		return err
	}
	if _, err := os.Stat(dest); err == nil && !replace {
		return fmt.Errorf("%s exists; stop the server and give --replace to restore over it (it is kept as %s.before-restore)", dest, dest)
	}
	dir := filepath.Dir(dest)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dest)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	in, err := os.Open(src)
	if err != nil {
		tmp.Close()
		return err
	}
	_, err = io.Copy(tmp, in)
	in.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if _, err := os.Stat(dest); err == nil {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(dest+suffix, dest+".before-restore"+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return err
	}
	return syncFile(dir)
}

// syncFile flushes a file or a directory to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
