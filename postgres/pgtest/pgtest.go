// Package pgtest gives tests a fresh, empty PostgreSQL database of their
// own: a schema on the server PARLEY_TEST_POSTGRES_URL names, dropped at
// the end of the test. Without that variable, tests that ask for one skip.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// URL is the server the tests run on, from PARLEY_TEST_POSTGRES_URL;
// without it they skip.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("PARLEY_TEST_POSTGRES_URL")
	if u == "" {
		tb.Skip("PARLEY_TEST_POSTGRES_URL is not set: the PostgreSQL store is not tested (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return u
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// adminDB is one connection pool to the test server, for making and
// dropping the schemas each test runs in.
func adminDB(tb testing.TB) *sql.DB {
	tb.Helper()
	u := URL(tb)
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", u)
		if adminErr == nil {
			adminErr = admin.Ping()
		}
	})
	if adminErr != nil {
		tb.Fatalf("PARLEY_TEST_POSTGRES_URL: %v", adminErr)
	}
	return admin
}

// MustSchema makes a fresh schema on the test server, dropped at the end of
// the test, and returns the URL of a connection that works in it: each
// test gets an empty database of its own without the cost of creating
// one.
func MustSchema(tb testing.TB) string {
	tb.Helper()
	db := adminDB(tb)
	var b [6]byte
	rand.Read(b[:])
	schema := "parley_test_" + hex.EncodeToString(b[:])
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("dropping %s: %v", schema, err)
		}
	})
	u, err := url.Parse(URL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
