package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a copy of db to dest while the server goes on writing:
// VACUUM INTO a temporary file beside dest, an integrity check of the
// copy, a sync to disk, then a rename, so that dest is either the old file
// or a whole, checked copy. dest must not be the database itself.
func Backup(ctx context.Context, db *DB, dest string) error {
	if err := notTheDatabase(ctx, db, dest); err != nil {
		return err
	}
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

// notTheDatabase refuses a backup onto the database itself or its log: the
// rename would put the copy in place of the file the server writes to,
// and lose every write after it.
func notTheDatabase(ctx context.Context, db *DB, dest string) error {
	main, err := db.File(ctx)
	if err != nil || main == "" {
		return err
	}
	st, err := os.Stat(dest)
	if err != nil {
		return nil // nothing there yet
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if other, err := os.Stat(main + suffix); err == nil && os.SameFile(st, other) {
			return fmt.Errorf("%s is the database itself; back it up to another file", dest)
		}
	}
	return nil
}

// Check opens the database file at path read-only and runs SQLite's
// integrity check on it: nil when it reports "ok".
func Check(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	c, err := sql.Open("sqlite", "file:"+url.PathEscape(filepath.ToSlash(path))+"?mode=ro&_pragma=busy_timeout(5000)")
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
// is refused unless replace is set; it is then kept as dest + ".before-restore"
// (or ".before-restore-2" and on, never over an earlier one), and its
// write-ahead log with it, so that no stale log is replayed onto the
// restored file. The restored file takes the old one's permissions.
func Restore(ctx context.Context, src, dest string, replace bool) error {
	if err := Check(ctx, src); err != nil {
		return err
	}
	old, err := os.Stat(dest)
	if err == nil && !replace {
		return fmt.Errorf("%s exists; stop the server and give --replace to restore over it (it is kept beside it)", dest)
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
	if err == nil && old != nil {
		err = tmp.Chmod(old.Mode().Perm()) // the server opens it as it opened the old one
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if old != nil {
		kept := dest + ".before-restore"
		for i := 2; ; i++ {
			if _, err := os.Lstat(kept); errors.Is(err, os.ErrNotExist) {
				break
			}
			kept = fmt.Sprintf("%s.before-restore-%d", dest, i) // an earlier restore's is kept too
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(dest+suffix, kept+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
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
