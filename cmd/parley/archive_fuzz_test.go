package main

import (
	"context"
	"path/filepath"
	"testing"

	"parley"
	"parley/sqlite"
)

// FuzzImport feeds archives to the import: whatever the input, it is
// refused with a clear error or stored whole, never a panic nor an
// internal error.
func FuzzImport(f *testing.F) {
	f.Add(`{"schema": "parley.process/v1", "process": {"id": "p1", "name": "P", "classification": {"level": "public"}}}`)
	f.Add(`{"schema": "parley.process/v1", "process": {"id": "p2", "name": "P", "classification": {"level": "public"}},
		"parties": [{"id": "a", "process_id": "p2", "name": "A", "kind": "state", "classification": {"level": "public"}}],
		"plans": [{"id": "pl", "process_id": "p2", "title": "T", "classification": {"level": "public"}}],
		"versions": [{"id": "v", "plan_id": "pl", "label": "L", "date": "2025-11-20T00:00:00Z", "status": "draft",
			"text": "1. One.\n", "point_count": 1, "classification": {"level": "public"},
			"points": [{"id": "1", "label": "1.", "text": "One.", "depth": 0, "origin": {"version_id": "v", "point_id": "1"}}]}]}`)
	f.Add(`{"schema": "parley.process/v1", "process": null}`)
	f.Add(`[]`)
	f.Add(`{"schema": "parley.process/v1", "process": {"id": "", "name": "P", "classification": {"level": "shared"}}}`)
	db, err := sqlite.Open(context.Background(), filepath.Join(f.TempDir(), "parley.db"), sqlite.Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	archive := db.Services().Archive
	f.Fuzz(func(t *testing.T, src string) {
		a, err := decodeArchive([]byte(src))
		if err != nil {
			return
		}
		err = archive.ImportProcess(context.Background(), a)
		if code := parley.ErrorCode(err); code == parley.EINTERNAL {
			t.Fatalf("import of %q: internal error %v", src, err)
		}
	})
}
