package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"parley"
	"path/filepath"
	"testing"

	"parley/sqlite"
	"parley/web"
)

// testEnv is a server over a real SQLite database, listening on a local
// port: the API and the pages are tested through real HTTP.
type testEnv struct {
	// URL is the server's base URL, without a trailing slash.
	URL    string
	Svc    parley.Services
	Server *web.Server
	DB     *sqlite.DB
}

// newTestEnv starts a server over a fresh, migrated database in
// tb.TempDir(); both are closed when the test ends. Internal errors are
// logged to the test's output.
func newTestEnv(tb testing.TB) *testEnv {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "parley.db"), sqlite.Options{Migrate: true})
	if err != nil {
		tb.Fatal(err)
	}
	svc := db.Services()
	logger := slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := web.New(svc, web.Options{Logger: logger, Version: "test"})
	if err != nil {
		db.Close()
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	// Cleanups run last-in first-out: the server stops (waiting for the
	// requests in flight) before the database closes.
	tb.Cleanup(func() { db.Close() })
	tb.Cleanup(ts.Close)
	return &testEnv{URL: ts.URL, Svc: svc, Server: srv, DB: db}
}
