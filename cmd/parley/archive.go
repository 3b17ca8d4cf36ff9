package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"parley"
	"parley/postgres"
	"parley/sqlstore"
)

// maxArchive bounds an archive read by parley import.
const maxArchive = 512 << 20

// dbFlag adds the --db flag shared by the database commands.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", envOr("PARLEY_DB", "parley.db"), dbHelp)
}

// parseCommand parses a command's flags and wants exactly the named
// arguments, printing the usage otherwise; it returns the exit status to
// use when it returns false.
func parseCommand(fs *flag.FlagSet, usage string, args []string, names []string, stderr io.Writer) ([]string, int, bool) {
	pos, code, ok := parseArgs(fs, usage, args, stderr)
	switch {
	case !ok:
		return nil, code, false
	case len(pos) < len(names):
		fmt.Fprintf(stderr, "parley %s: missing %s\n", fs.Name(), strings.Join(names[len(pos):], " and "))
		fs.Usage()
		return nil, 2, false
	case len(pos) > len(names):
		fmt.Fprintf(stderr, "parley %s: unexpected argument %q\n", fs.Name(), pos[len(names)])
		fs.Usage()
		return nil, 2, false
	}
	return pos, 0, true
}

// parseArgs parses a command's flags, wherever they are among its
// arguments, and returns the arguments; it returns the exit status to use
// when it returns false.
func parseArgs(fs *flag.FlagSet, usage string, args []string, stderr io.Writer) ([]string, int, bool) {
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, 0, false
	case err != nil:
		return nil, 2, false
	}
	return pos, 0, true
}

const importUsage = `Usage: parley import FILE [--db parley.db]

Loads a process exported with parley export (FILE "-" reads standard input)
into the database, keeping every ID. Nothing is stored unless everything is.

Options:
`

func runImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	db := dbFlag(fs)
	pos, code, ok := parseCommand(fs, importUsage, args, []string{"FILE"}, stderr)
	if !ok {
		return code
	}
	src, err := readInput(pos[0], stdin)
	if err == nil && len(src) > maxArchive {
		err = fmt.Errorf("%s is larger than %d MiB", inputLabel(pos[0]), maxArchive>>20)
	}
	var a *parley.Archive
	if err == nil {
		a, err = decodeArchive(src)
		if err != nil {
			err = fmt.Errorf("%s: %w", inputLabel(pos[0]), err)
		}
	}
	if err == nil {
		importInto := func(d *sqlstore.DB) error { return sqlstore.NewArchiveService(d).ImportProcess(ctx, a) }
		if _, statErr := os.Stat(*db); os.IsNotExist(statErr) && !postgres.IsURL(*db) {
			err = withNewDB(ctx, *db, importInto)
		} else {
			err = withDB(ctx, *db, true, importInto)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "parley import: %s\n", message(err))
		return 2
	}
	fmt.Fprintf(stdout, "imported %q (%s): %d parties, %d people, %d channels, %d sources, %d contacts, %d plans, %d versions\n",
		a.Process.Name, a.Process.ID, len(a.Parties), len(a.People), len(a.Channels), len(a.Sources), len(a.Contacts),
		len(a.Plans), len(a.Versions))
	return 0
}

// decodeArchive reads an archive strictly: unknown fields, trailing data
// and another schema are errors.
func decodeArchive(src []byte) (*parley.Archive, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	var a parley.Archive
	if err := dec.Decode(&a); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("not valid JSON at byte %d: %v", se.Offset, err)
		}
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("unexpected data after the archive")
	}
	if a.Schema != parley.ArchiveSchema {
		return nil, fmt.Errorf("schema %q, want %q", a.Schema, parley.ArchiveSchema)
	}
	if a.Process == nil {
		return nil, errors.New("the archive has no process")
	}
	return &a, nil
}

const exportUsage = `Usage: parley export PROCESS [--db parley.db] [-o FILE]

Writes a process (its ID or its exact name) and every record in it as one
JSON document, which parley import reads back.

Options:
`

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	db := dbFlag(fs)
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	pos, code, ok := parseCommand(fs, exportUsage, args, []string{"PROCESS"}, stderr)
	if !ok {
		return code
	}
	var buf bytes.Buffer
	err := withDB(ctx, *db, false, func(d *sqlstore.DB) error {
		id, err := findProcess(ctx, sqlstore.NewProcessService(d), pos[0])
		if err != nil {
			return err
		}
		a, err := sqlstore.NewArchiveService(d).ExportProcess(ctx, id)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		return enc.Encode(a)
	})
	if err == nil {
		err = writeOutput(*out, stdout, buf.Bytes())
	}
	if err != nil {
		fmt.Fprintf(stderr, "parley export: %s\n", message(err))
		return 2
	}
	return 0
}

// message is what to print for an error: an application error's own
// message (its code is for programs), or the error itself.
func message(err error) string {
	var e *parley.Error
	if errors.As(err, &e) && e.Code != parley.EINTERNAL {
		return e.Message
	}
	return err.Error()
}

// withNewDB makes a new database at path with fn, which fills it: in a
// file of its own beside path, put in place only when fn succeeded and
// only if nothing has appeared at path meanwhile. A refused import thus
// leaves no empty database behind, and never touches one another command
// made while it ran.
func withNewDB(ctx context.Context, path string, fn func(*sqlstore.DB) error) error {
	dir, err := os.MkdirTemp(filepath.Dir(path), ".parley-new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "parley.db")
	if err := withDB(ctx, tmp, true, fn); err != nil {
		return err
	}
	// Closing the database folded its log into the file, which is now
	// whole. A hard link puts it in place unless something is there.
	if st, err := os.Stat(tmp + "-wal"); err == nil && st.Size() > 0 {
		return fmt.Errorf("the new database at %s could not be completed", path)
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s was created by something else meanwhile; nothing was written to it", path)
		}
		return err
	}
	return nil
}

// findProcess finds a process by ID, else by exact name.
func findProcess(ctx context.Context, s parley.ProcessService, key string) (string, error) {
	if p, err := s.FindProcessByID(ctx, key); err == nil {
		return p.ID, nil
	}
	ps, _, err := s.FindProcesses(ctx, parley.ProcessFilter{Name: &key})
	if err != nil {
		return "", err
	}
	switch len(ps) {
	case 0:
		return "", fmt.Errorf("no process with the ID or name %q (names must match exactly, dashes included; parley serve lists them)", key)
	case 1:
		return ps[0].ID, nil
	}
	return "", fmt.Errorf("%d processes are named %q; give the ID of the one to export", len(ps), key)
}

// writeOutput writes b to the named file (replacing it only once complete)
// or, when name is empty, to stdout.
func writeOutput(name string, stdout io.Writer, b []byte) error {
	if name == "" {
		_, err := stdout.Write(b)
		return err
	}
	f, err := createTemp(name)
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	return commitTemp(f, name, werr)
}

const migrateUsage = `Usage: parley migrate [--db parley.db]

Applies the pending schema migrations to a database, each in its own
transaction. parley serve refuses a database whose schema is out of date.

Options:
`

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	db := dbFlag(fs)
	if _, code, ok := parseCommand(fs, migrateUsage, args, nil, stderr); !ok {
		return code
	}
	if err := withDB(ctx, *db, true, func(*sqlstore.DB) error { return nil }); err != nil {
		fmt.Fprintf(stderr, "parley migrate: %s\n", message(err))
		return 2
	}
	fmt.Fprintf(stdout, "%s: schema up to date\n", dbLabel(*db))
	return 0
}
