package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley"
	"parley/postgres"
	"parley/postgres/pgtest"
	"parley/sqlite"
	"parley/sqlstore"
	"parley/web"
)

// testEnv is a server over a real SQLite database, listening on a local
// port: the API and the pages are tested through real HTTP. Requests made
// through the helpers act for one signed-in account, a mediator unless
// the test says otherwise (see As).
type testEnv struct {
	// URL is the server's base URL, without a trailing slash.
	URL    string
	Svc    parley.Services
	Server *web.Server
	DB     *sqlstore.DB
	// TLS says that the server serves HTTPS (with a test certificate).
	TLS bool
	// Account is who the helpers' requests act for.
	*Account
	// client does not follow redirects, so that tests see them.
	client *http.Client
}

// Account is a user of a test server, signed in.
type Account struct {
	User     *parley.User
	Password string
	// Token is the session token, sent as the session cookie.
	Token string
	// Ctx carries the account's actor, for calling the services
	// directly as that user.
	Ctx context.Context
}

// testPassword is every test account's password.
const testPassword = "correct horse battery staple"

// System is a context that acts for the server itself, with every right:
// for what a test prepares or checks behind the server's back.
var System = parley.WithActor(context.Background(), parley.System)

// newTestEnv starts a server over a fresh, migrated database in
// tb.TempDir(), with one account, "mediator", signed in through the
// sign-in form; the processes it creates, it mediates. Server and
// database are closed when the test ends. Internal errors are logged to
// the test's output.
func newTestEnv(tb testing.TB) *testEnv {
	tb.Helper()
	return newTestEnvWith(tb, web.Options{})
}

// newTestEnvWith is newTestEnv with options; with opt.TLS the server
// serves HTTPS.
func newTestEnvWith(tb testing.TB, opt web.Options) *testEnv {
	tb.Helper()
	env := newBareEnv(tb, opt)
	env.Account = env.NewAccount(tb, "mediator", false)
	return env
}

// openTestDB opens a fresh, migrated database for a test server, closed at
// the end of the test: SQLite in tb.TempDir(), or, when PARLEY_TEST_STORE
// is "postgres", a schema of its own on the PostgreSQL server
// PARLEY_TEST_POSTGRES_URL names, so that the whole web suite runs on
// either store. noSync spares SQLite's syncs to disk, for tests that write
// thousands of records to a database they throw away.
func openTestDB(tb testing.TB, noSync bool) *sqlstore.DB {
	tb.Helper()
	var db *sqlstore.DB
	var err error
	switch store := os.Getenv("PARLEY_TEST_STORE"); store {
	case "", "sqlite":
		db, err = sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "parley.db"), sqlite.Options{Migrate: true, NoSync: noSync})
	case "postgres":
		db, err = postgres.Open(context.Background(), pgtest.MustSchema(tb), postgres.Options{Migrate: true, MaxConns: 8})
	default:
		tb.Fatalf("PARLEY_TEST_STORE=%q: want sqlite or postgres", store)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// newBareEnv starts a server with no account at all, as on its first
// run. Each change, if any, alters the services the server is given (not
// those of the environment): to make one fail on purpose.
func newBareEnv(tb testing.TB, opt web.Options, change ...func(*parley.Services)) *testEnv {
	tb.Helper()
	db := openTestDB(tb, false)
	svc := db.Services()
	served := svc
	for _, c := range change {
		c(&served)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if opt.Version == "" {
		opt.Version = "test"
	}
	srv, err := web.New(served, opt)
	if err != nil {
		tb.Fatal(err)
	}
	var ts *httptest.Server
	if opt.TLS {
		ts = httptest.NewTLSServer(srv)
	} else {
		ts = httptest.NewServer(srv)
	}
	// Cleanups run last-in first-out: the server stops (waiting for the
	// requests in flight) before the database closes (openTestDB).
	tb.Cleanup(ts.Close)
	client := &http.Client{
		Transport:     ts.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &testEnv{URL: ts.URL, Svc: svc, Server: srv, DB: db, TLS: opt.TLS, client: client, Account: &Account{Ctx: context.Background()}}
}

// NewAccount creates a user (an administrator when admin is set) and
// signs them in through the sign-in form. Memberships are the test's to
// give (see Grant); a user who creates a process mediates it.
func (env *testEnv) NewAccount(tb testing.TB, name string, admin bool) *Account {
	tb.Helper()
	u := &parley.User{Name: name, Admin: admin}
	if err := env.Svc.Users.CreateUser(System, u, testPassword); err != nil {
		tb.Fatalf("creating user %s: %v", name, err)
	}
	token := env.SignIn(tb, name, testPassword)
	a, err := env.Svc.Auth.Session(context.Background(), token)
	if err != nil {
		tb.Fatalf("the session of %s: %v", name, err)
	}
	return &Account{User: u, Password: testPassword, Token: token, Ctx: parley.WithActor(context.Background(), a)}
}

// SignIn signs in through the sign-in form and returns the session token
// the server set.
func (env *testEnv) SignIn(tb testing.TB, name, password string) string {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, env.URL+"/signin",
		strings.NewReader(url.Values{"name": {name}, "password": {password}}.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := env.client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("signing in as %s: got status %d, want 303", name, resp.StatusCode)
	}
	for _, c := range resp.Cookies() {
		if c.Name == env.CookieName() && c.Value != "" {
			return c.Value
		}
	}
	tb.Fatalf("signing in as %s: no %s cookie in %q", name, env.CookieName(), resp.Header.Values("Set-Cookie"))
	return ""
}

// Grant gives an account a role in a process (and, for a delegate, a
// party), and refreshes the account's actor.
func (env *testEnv) Grant(tb testing.TB, a *Account, processID string, role parley.Role, partyID string) {
	tb.Helper()
	m := &parley.Membership{UserID: a.User.ID, ProcessID: processID, Role: role, PartyID: partyID}
	if err := env.Svc.Users.SetMembership(System, m); err != nil {
		tb.Fatalf("granting %s to %s: %v", role, a.User.Name, err)
	}
	actor, err := env.Svc.Auth.Session(context.Background(), a.Token)
	if err != nil {
		tb.Fatal(err)
	}
	a.Ctx = parley.WithActor(context.Background(), actor)
}

// As returns the environment acting for another account.
func (env *testEnv) As(a *Account) *testEnv {
	e := *env
	e.Account = a
	return &e
}

// Anonymous returns the environment acting for no one.
func (env *testEnv) Anonymous() *testEnv {
	return env.As(&Account{Ctx: context.Background()})
}

// CookieName is the name of the session cookie.
func (env *testEnv) CookieName() string {
	if env.TLS {
		return "__Host-parley_session"
	}
	return "parley_session"
}

// sign adds the account's session cookie to a request that carries no
// credential of its own.
func (env *testEnv) sign(req *http.Request) {
	if env.Account == nil || env.Token == "" || req.Header.Get("Authorization") != "" || req.Header.Get("Cookie") != "" {
		return
	}
	req.AddCookie(&http.Cookie{Name: env.CookieName(), Value: env.Token})
}

// Do sends a request as the account (unless it carries credentials of
// its own), without following redirects. The caller closes the body.
func (env *testEnv) Do(tb testing.TB, req *http.Request) *http.Response {
	tb.Helper()
	env.sign(req)
	resp, err := env.client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return resp
}

// Get fetches a path as the account. The caller closes the body.
func (env *testEnv) Get(tb testing.TB, path string) *http.Response {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, env.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return env.Do(tb, req)
}
