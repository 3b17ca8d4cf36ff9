package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"parley/postgres"
	"parley/sqlite"
	"parley/sqlstore"
)

const backupUsage = `Usage: parley backup FILE [--db parley.db]

Writes a consistent copy of an SQLite database to FILE while the server
goes on serving and writing: the copy is made from one snapshot, checked
with SQLite's integrity check, synced to disk, and only then renamed to
FILE, so FILE is never half written. parley restore puts it back.

A PostgreSQL database is backed up with PostgreSQL's own tools, online too:
  pg_dump --format=custom --file=FILE 'postgres://user@host/db'
and restored into an empty database with pg_restore --dbname=URL FILE
(see the README). parley export moves one process between any two stores.

Options:
`

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	db := dbFlag(fs)
	pos, code, ok := parseCommand(fs, backupUsage, args, []string{"FILE"}, stderr)
	if !ok {
		return code
	}
	if postgres.IsURL(*db) {
		fmt.Fprintf(stderr, "parley backup: %s is a PostgreSQL database; back it up with pg_dump --format=custom --file=%s 'URL' (parley backup -h says more)\n", dbLabel(*db), pos[0])
		return 2
	}
	err := withDB(ctx, *db, false, func(d *sqlstore.DB) error { return sqlite.Backup(ctx, d, pos[0]) })
	if err != nil {
		fmt.Fprintf(stderr, "parley backup: %s\n", message(err))
		return 2
	}
	st, _ := os.Stat(pos[0])
	fmt.Fprintf(stdout, "backed up %s to %s (%d KiB, integrity check ok)\n", *db, pos[0], st.Size()>>10)
	return 0
}

const restoreUsage = `Usage: parley restore BACKUP [--db parley.db] [--replace]

Puts an SQLite backup made by parley backup in place of the database,
after checking it with SQLite's integrity check. Stop the server first.
An existing database is refused unless --replace is given; it is then kept
beside the restored one as FILE.before-restore.

A PostgreSQL backup is restored with pg_restore (parley backup -h).

Options:
`

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	db := dbFlag(fs)
	replace := fs.Bool("replace", false, "replace an existing database, keeping it as FILE.before-restore")
	pos, code, ok := parseCommand(fs, restoreUsage, args, []string{"BACKUP"}, stderr)
	if !ok {
		return code
	}
	if postgres.IsURL(*db) {
		fmt.Fprintf(stderr, "parley restore: %s is a PostgreSQL database; restore a pg_dump backup with pg_restore --dbname='URL' %s\n", dbLabel(*db), pos[0])
		return 2
	}
	if err := sqlite.Restore(ctx, pos[0], *db, *replace); err != nil {
		fmt.Fprintf(stderr, "parley restore: %s\n", message(err))
		return 2
	}
	fmt.Fprintf(stdout, "restored %s from %s (integrity check ok)\n", *db, pos[0])
	return 0
}
