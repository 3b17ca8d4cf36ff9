package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"parley"
	"parley/demo"
	"parley/sqlstore"
	"parley/web"
)

// serveUsage documents parley serve.
const serveUsage = `Usage: parley serve [--addr localhost:8080] [--db parley.db] [--demo] [--migrate]
                    [--tls-cert FILE --tls-key FILE | --behind-tls]
                    [--access-log=false] [--metrics-token TOKEN]
                    [--shutdown-timeout 10s] [--drain-delay 0s]

Runs the Parley server: the web pages and the JSON API under /api/v1, on an
embedded SQLite database, or on PostgreSQL when --db is a postgres:// URL
(any number of servers may share one PostgreSQL database: sessions, sign-in
throttling and the audit log live in it). With --demo and no --db, it starts on a fresh
temporary database holding the 2025 Russia–Ukraine case, deleted on exit.
It stops cleanly on Ctrl-C (SIGINT) or SIGTERM: /readyz answers 503 at
once, the listener closes after --drain-delay, and requests in flight may
finish for up to --shutdown-timeout. /healthz, /readyz and /metrics serve
load balancers and monitoring without an account.

Everything but the sign-in page needs an account. On a database without
accounts, it prints a one-time link that creates the administrator. With
--demo it creates one account per role, with the password in
PARLEY_DEMO_PASSWORD or, when that is unset, one it prints.

Options:
`

// Main is a running server: its database and its HTTP server. Tests start
// one with Open and stop it with Close.
type Main struct {
	Addr    string       // address to listen on
	DBPath  string       // an SQLite file or a postgres:// URL; "" for a temporary SQLite database
	Demo    bool         // load the demo case
	Migrate bool         // apply pending migrations to an existing database
	Logger  *slog.Logger // nil means slog.Default()
	// TLSCert and TLSKey serve HTTPS; BehindTLS says a TLS-terminating
	// proxy stands in front. Either way cookies are Secure and HSTS is on.
	TLSCert, TLSKey string
	BehindTLS       bool
	// DemoPassword is the demo accounts' password; Open makes one up when
	// it is empty.
	DemoPassword string
	// AccessLog logs every request to Logger; MetricsToken, when set,
	// is the bearer token GET /metrics asks for.
	AccessLog    bool
	MetricsToken string
	// MaxInFlight is how many requests are served at once (web.Options).
	MaxInFlight int
	// DrainDelay is how long Close keeps serving after /readyz turns to
	// 503, so that load balancers notice before the listener closes;
	// ShutdownTimeout is how long it then waits for requests in flight
	// (0 means 10 seconds).
	DrainDelay, ShutdownTimeout time.Duration

	db      *sqlstore.DB
	srv     *web.Server
	wrap    func(http.Handler) http.Handler // tests only: wraps the server's handler
	tempDir string
	ln      net.Listener
	http    *http.Server
	// URL is where the server listens, set by Open.
	URL string
	// DemoProcessID is the demo process, set by Open with Demo.
	DemoProcessID string
	// DemoAccounts are the demo's accounts, set by Open with Demo.
	DemoAccounts     []demo.Account
	demoPasswordMade bool
	// SetupURL is the one-time link that creates the first
	// administrator, set by Open on a database without accounts.
	SetupURL   string
	setupToken string
}

// newDemoPassword makes a password for the demo accounts: four groups of
// four letters and digits, easy to type from the terminal.
func newDemoPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	rand.Read(b)
	var out []byte
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			out = append(out, '-')
		}
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out)
}

// Open opens the database, loads the demo if asked, and starts listening.
func (m *Main) Open(ctx context.Context) error {
	if m.Logger == nil {
		m.Logger = slog.Default()
	}
	// Setting up (the demo, the first-run link) is the server acting for
	// itself; requests act for the user of their session.
	ctx = parley.WithActor(ctx, parley.System)
	if m.DBPath == "" {
		dir, err := os.MkdirTemp("", "parley-")
		if err != nil {
			return err
		}
		m.tempDir, m.DBPath = dir, filepath.Join(dir, "parley.db")
	}
	var err error
	if m.db, err = openStore(ctx, m.DBPath, m.Migrate); err != nil {
		return err
	}
	svc := m.db.Services()
	if m.Demo {
		if m.DemoProcessID, err = demo.Load(ctx, svc); err != nil {
			return fmt.Errorf("loading the demo: %w", err)
		}
		if m.DemoPassword == "" {
			m.DemoPassword, m.demoPasswordMade = newDemoPassword(), true
		}
		if m.DemoAccounts, err = demo.Accounts(ctx, svc, m.DemoProcessID, m.DemoPassword); err != nil {
			return fmt.Errorf("demo accounts: %w", err)
		}
	} else if n, err := svc.Users.CountUsers(ctx); err != nil {
		return err
	} else if n == 0 {
		if m.setupToken, err = svc.Auth.SetupToken(ctx); err != nil {
			return err
		}
	}
	admitted := m.MaxInFlight
	if admitted == 0 && m.db.Dialect() == sqlstore.SQLite {
		// SQLite's reads need only the CPUs, and a request waiting for
		// the disk lends its turn: one request per CPU serves the most,
		// and the slowest soonest (web.Options.MaxInFlight).
		admitted = runtime.GOMAXPROCS(0)
	}
	m.srv, err = web.New(svc, web.Options{Logger: m.Logger, Version: buildVersion(), TLS: m.TLSCert != "" || m.BehindTLS,
		Health: m.db, AccessLog: m.AccessLog, MetricsToken: m.MetricsToken,
		MaxInFlight: admitted})
	if err != nil {
		return err
	}
	var handler http.Handler = m.srv
	if m.wrap != nil {
		handler = m.wrap(handler)
	}
	if m.ln, err = net.Listen("tcp", m.Addr); err != nil {
		return err
	}
	scheme := "http://"
	if m.TLSCert != "" {
		scheme = "https://"
	}
	m.URL = scheme + m.ln.Addr().String() + "/"
	if m.setupToken != "" {
		m.SetupURL = m.URL + "setup?token=" + m.setupToken
	}
	m.http = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	srvHTTP, ln := m.http, m.ln
	cert, key := m.TLSCert, m.TLSKey
	go func() {
		serve := func() error { return srvHTTP.Serve(ln) }
		if cert != "" {
			serve = func() error { return srvHTTP.ServeTLS(ln, cert, key) }
		}
		if err := serve(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("server stopped", "err", err)
		}
	}()
	return nil
}

// Close drains the server (/readyz answers 503), waits DrainDelay, closes
// the listener and finishes the requests in flight (for up to
// ShutdownTimeout, then cuts them off), then closes the database and
// removes a temporary one. Closing twice is harmless.
func (m *Main) Close() error {
	var errs []error
	if m.http != nil {
		m.srv.Drain()
		time.Sleep(m.DrainDelay)
		timeout := cmp.Or(m.ShutdownTimeout, 10*time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		if err := m.http.Shutdown(ctx); err != nil {
			// Not to close the database under them.
			errs = append(errs, fmt.Errorf("requests still running after %s were cut off: %w", timeout, err), m.http.Close())
		}
		cancel()
		m.http = nil
	} else if m.ln != nil {
		errs = append(errs, m.ln.Close())
	}
	m.ln = nil
	if m.db != nil {
		errs = append(errs, m.db.Close())
		m.db = nil
	}
	if m.tempDir != "" {
		errs = append(errs, os.RemoveAll(m.tempDir))
		m.tempDir = ""
	}
	return errors.Join(errs...)
}

// serverGCPercent is when a server collects garbage unless GOGC says
// otherwise: when its heap has grown fivefold since the last collection,
// not twofold (Go's default). Its live heap is small, a few tens of
// megabytes, and under load collecting took a twentieth of its CPU; the
// load script's mix gained a tenth in throughput for some 40 MB more.
const serverGCPercent = 400

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	m := &Main{}
	fs.StringVar(&m.Addr, "addr", envOr("PARLEY_ADDR", "localhost:8080"), "`address` to listen on (env PARLEY_ADDR)")
	fs.StringVar(&m.DBPath, "db", envOr("PARLEY_DB", ""), "SQLite database `file`, or a PostgreSQL URL postgres://user@host/db (env PARLEY_DB; default parley.db, or a temporary file with --demo)")
	fs.BoolVar(&m.Demo, "demo", envOr("PARLEY_DEMO", "") != "", "load the 2025 Russia–Ukraine demo case (env PARLEY_DEMO)")
	fs.BoolVar(&m.Migrate, "migrate", false, "apply pending database migrations before starting")
	fs.StringVar(&m.TLSCert, "tls-cert", envOr("PARLEY_TLS_CERT", ""), "serve HTTPS with this certificate `file` (env PARLEY_TLS_CERT)")
	fs.StringVar(&m.TLSKey, "tls-key", envOr("PARLEY_TLS_KEY", ""), "the certificate's key `file` (env PARLEY_TLS_KEY)")
	fs.BoolVar(&m.BehindTLS, "behind-tls", envOr("PARLEY_BEHIND_TLS", "") != "", "a TLS-terminating proxy serves Parley over HTTPS (env PARLEY_BEHIND_TLS)")
	fs.StringVar(&m.MetricsToken, "metrics-token", envOr("PARLEY_METRICS_TOKEN", ""), "bearer `token` that GET /metrics asks for; empty leaves it open (env PARLEY_METRICS_TOKEN)")
	fs.BoolVar(&m.AccessLog, "access-log", true, "log every request: method, route, path, status, bytes, duration, address, user, request ID (env PARLEY_ACCESS_LOG)")
	fs.IntVar(&m.MaxInFlight, "max-in-flight", 0, "how many requests to serve at once, the others waiting their turn in order; 0 means one per CPU on SQLite and four per CPU on PostgreSQL, -1 no limit (env PARLEY_MAX_IN_FLIGHT)")
	fs.DurationVar(&m.DrainDelay, "drain-delay", 0, "on stopping, how long to serve on with /readyz at 503 before closing the listener (env PARLEY_DRAIN_DELAY)")
	fs.DurationVar(&m.ShutdownTimeout, "shutdown-timeout", 10*time.Second, "on stopping, how long requests in flight may take to finish (env PARLEY_SHUTDOWN_TIMEOUT)")
	// Typed flags read their environment twins with the flag's parser.
	for _, f := range [][3]string{{"access-log", "PARLEY_ACCESS_LOG", "true or false"}, {"max-in-flight", "PARLEY_MAX_IN_FLIGHT", "a whole number"},
		{"drain-delay", "PARLEY_DRAIN_DELAY", "a duration such as 5s"}, {"shutdown-timeout", "PARLEY_SHUTDOWN_TIMEOUT", "a duration such as 10s"}} {
		if v := envOr(f[1], ""); v != "" && fs.Set(f[0], strings.TrimSpace(v)) != nil {
			fmt.Fprintf(stderr, "parley serve: %s=%q: want %s, as for --%s\n", f[1], v, f[2], f[0])
			return 2
		}
	}
	m.DemoPassword = os.Getenv("PARLEY_DEMO_PASSWORD")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), serveUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "parley serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if m.DrainDelay < 0 || m.ShutdownTimeout <= 0 {
		fmt.Fprintln(stderr, "parley serve: --drain-delay may not be negative, and --shutdown-timeout must be positive")
		return 2
	}
	if (m.TLSCert == "") != (m.TLSKey == "") {
		fmt.Fprintln(stderr, "parley serve: --tls-cert and --tls-key go together")
		return 2
	}
	if m.DBPath == "" && !m.Demo {
		m.DBPath = "parley.db"
	}
	m.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
	start := time.Now()
	if err := m.Open(ctx); err != nil {
		fmt.Fprintf(stderr, "parley serve: %v\n", err)
		if errors.Is(err, syscall.EADDRINUSE) {
			fmt.Fprintf(stderr, "parley serve: another program listens on %s; choose another address with --addr, such as --addr localhost:8181\n", m.Addr)
		}
		m.Close()
		return 1
	}
	where := m.URL
	if m.DemoProcessID != "" {
		where += "processes/" + m.DemoProcessID
	}
	fmt.Fprintf(stdout, "Parley is ready at %s (database %s, started in %d ms)\n", where, dbLabel(m.DBPath), time.Since(start).Milliseconds())
	if m.SetupURL != "" {
		fmt.Fprintf(stdout, "No account exists yet. Create the administrator, once, at:\n  %s\n", m.SetupURL)
	}
	if len(m.DemoAccounts) > 0 {
		pw := "the password in PARLEY_DEMO_PASSWORD"
		if m.demoPasswordMade {
			pw = "the password " + m.DemoPassword + " (set PARLEY_DEMO_PASSWORD to choose one)"
		}
		fmt.Fprintf(stdout, "Sign in with one of these demo accounts, each with %s:\n", pw)
		for _, a := range m.DemoAccounts {
			role := string(a.Role)
			switch {
			case a.Admin:
				role = "administrator: accounts only, no content"
			case a.Party != "":
				role += " for " + a.Party
			}
			fmt.Fprintf(stdout, "  %-10s %s\n", a.Name, role)
		}
	}
	<-ctx.Done()
	fmt.Fprintln(stdout, "Parley is stopping")
	if err := m.Close(); err != nil {
		fmt.Fprintf(stderr, "parley serve: %v\n", err)
		return 1
	}
	return 0
}
