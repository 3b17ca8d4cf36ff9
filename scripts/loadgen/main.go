// Command loadgen measures a Parley server under a realistic load: it
// starts `parley serve --demo` on the database it is given, signs in as
// the demo's users, and drives the server over loopback with a fixed
// number of connections, each sending its next request as soon as the
// last is answered. The mix is 70% page reads (version, comparison and
// dashboard pages of the demo's versions), 20% searches (the search page
// and the search API, with words of the demo's plan texts) and 10% writes
// through the API with API tokens (positions set by the delegates,
// sources and contacts added by the mediator).
//
// Before the mix it measures, at the same concurrency, a static file of
// the same server (/static/style.css) as a reference for what the machine
// gives at that moment. While the mix runs it samples the server's
// resident memory (VmRSS in /proc/PID/status) every second.
//
// It prints a table of throughput and latency per kind of request, the
// memory figures and the targets, and exits 1 when one is missed: at
// least -min-rps requests/s (SQLite only), p99 under -max-p99, no error
// (any status other than 2xx and 3xx, or a transport error), and memory
// flat: the least-squares slope of VmRSS over the second half of the run,
// times that half's length, under max(5 MB, 5% of the half's mean).
//
// scripts/bench-load builds the binary and runs it; see there for usage.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "parley", "", "the parley `binary` to run (required)")
	flag.StringVar(&cfg.db, "db", "", "database: an SQLite `file` or a postgres:// URL of an empty database (default: a new SQLite file in a temporary directory)")
	flag.DurationVar(&cfg.duration, "d", 60*time.Second, "how long the mix runs")
	flag.DurationVar(&cfg.refDuration, "ref", 10*time.Second, "how long the reference (the static file) runs")
	flag.IntVar(&cfg.conns, "c", 64, "connections (each a client sending one request at a time)")
	flag.Float64Var(&cfg.minRPS, "min-rps", 2000, "target: requests/s of the mix at least this, on SQLite")
	flag.DurationVar(&cfg.maxP99, "max-p99", 50*time.Millisecond, "target: p99 latency of the mix under this")
	flag.Parse()
	if cfg.bin == "" || flag.NArg() > 0 || cfg.conns < 1 || cfg.duration < 2*time.Second {
		fmt.Fprintln(os.Stderr, "usage: loadgen -parley BINARY [-db FILE|postgres://...] [-d 60s] [-c 64] [-ref 10s]")
		os.Exit(2)
	}
	ok, err := run(cfg, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// config is what the flags set.
type config struct {
	bin, db               string
	duration, refDuration time.Duration
	conns                 int
	minRPS                float64
	maxP99                time.Duration
}

// demoPassword is the demo accounts' password for the run.
const demoPassword = "load test password only"

// run starts the server, measures, stops it and reports; it returns
// whether every target was met.
func run(cfg config, out io.Writer) (bool, error) {
	dir, err := os.MkdirTemp("", "parley-load-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)
	store := "PostgreSQL"
	if !strings.HasPrefix(cfg.db, "postgres://") && !strings.HasPrefix(cfg.db, "postgresql://") {
		store = "SQLite"
		if cfg.db == "" {
			cfg.db = filepath.Join(dir, "load.db")
		}
	}

	srv, err := startServer(cfg.bin, cfg.db, dir)
	if err != nil {
		return false, err
	}
	defer srv.stop()
	fmt.Fprintf(out, "parley serve --demo on %s (%s): ready in %d ms\n", store, redact(cfg.db), srv.ready.Milliseconds())

	client := newClient(cfg.conns)
	demo, err := discover(client, srv, cfg.bin, cfg.db)
	if err != nil {
		return false, fmt.Errorf("%w\n%s", err, srv.logTail())
	}
	fmt.Fprintf(out, "demo: %d users signed in, %d version pages, %d comparisons, %d search words, %d writable points for %d delegates\n",
		len(demo.readers), len(demo.versionIDs), len(demo.pairs), len(demo.words), demo.writablePoints(), len(demo.delegates))
	fmt.Fprintf(out, "load: %d connections; reference %s, then the mix for %s (70%% reads, 20%% searches, 10%% writes)\n\n",
		cfg.conns, cfg.refDuration, cfg.duration)

	ref := drive(client, cfg.conns, cfg.refDuration, func(*rand.Rand) request {
		return request{kind: kindStatic, method: http.MethodGet, url: srv.url + "/static/style.css"}
	}, nil)

	mem := &memSampler{pid: srv.cmd.Process.Pid}
	mix := drive(client, cfg.conns, cfg.duration, demo.next, mem)

	st := ref.stats(kindStatic)
	fmt.Fprintf(out, "%-28s %9s %9s %8s %8s %8s %8s %7s\n", "kind", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors")
	printRow(out, "static file (reference)", st)
	for _, k := range mixKinds {
		if s := mix.stats(k); s.n > 0 {
			printRow(out, k.String(), s)
		}
	}
	all := mix.stats(-1)
	printRow(out, "all of the mix", all)
	ratio := all.rps / st.rps
	fmt.Fprintf(out, "\nthroughput: %.0f req/s, %.2f of the static file's %.0f req/s at the same concurrency\n", all.rps, ratio, st.rps)

	window := max(time.Second, cfg.duration/6).Round(time.Second)
	fmt.Fprintf(out, "throughput by %s of the mix (req/s):", window)
	for _, w := range mix.windows(window) {
		fmt.Fprintf(out, " %.0f", w)
	}
	fmt.Fprintln(out)

	m := mem.summary()
	fmt.Fprintf(out, "memory (VmRSS, %d samples): first %.1f MB, max %.1f MB, last %.1f MB; second half %+.3f MB/s (%+.1f MB over %.0f s, flat when under %.1f MB)\n",
		m.n, m.first, m.max, m.last, m.slope, m.growth, m.span, m.allowed)
	fmt.Fprintln(out, "slowest requests of the mix (when into the mix, how long, who, what):")
	for _, sr := range mix.slowest {
		target := strings.TrimPrefix(sr.rq.url, demo.base)
		if len(sr.rq.body) > 0 {
			target += " " + string(sr.rq.body[:min(len(sr.rq.body), 60)])
		}
		fmt.Fprintf(out, "  %6.2f s %8.2f ms  %-8s %s %s\n", sr.at.Seconds(), ms(sr.took), sr.rq.who, sr.rq.method, target)
	}
	for _, e := range mix.errorSamples() {
		fmt.Fprintln(out, "error:", e)
	}

	fmt.Fprintln(out)
	ok := true
	check := func(met bool, what string, args ...any) {
		word := "ok    "
		if !met {
			word, ok = "MISSED", false
		}
		fmt.Fprintf(out, "%s %s\n", word, fmt.Sprintf(what, args...))
	}
	if store == "SQLite" {
		check(all.rps >= cfg.minRPS, "throughput %.0f req/s (target >= %.0f on SQLite)", all.rps, cfg.minRPS)
	} else {
		fmt.Fprintf(out, "info   throughput %.0f req/s (the %.0f req/s target is SQLite's)\n", all.rps, cfg.minRPS)
	}
	check(all.p99 < cfg.maxP99, "p99 %.2f ms (target < %s)", ms(all.p99), cfg.maxP99)
	check(all.errors == 0 && ref.stats(kindStatic).errors == 0, "%d errors (target 0)", all.errors+st.errors)
	check(m.n >= 4 && m.growth < m.allowed, "memory flat: %+.1f MB over the second half (target < %.1f MB)", m.growth, m.allowed)
	return ok, nil
}

// redact hides a password in a database URL before it is printed.
func redact(db string) string {
	if u, err := url.Parse(db); err == nil && u.User != nil {
		return u.Redacted()
	}
	return db
}

// server is a running parley serve.
type server struct {
	cmd     *exec.Cmd
	url     string // without the final slash
	ready   time.Duration
	logPath string
	done    chan struct{}
}

// readyLine is what parley serve prints when it listens.
var readyLine = regexp.MustCompile(`^Parley is ready at (https?://[^/\s]+)`)

// startServer starts parley serve --demo on db and waits until it is
// ready, for up to two minutes (loading the demo into an empty
// PostgreSQL database takes longer than into SQLite).
func startServer(bin, db, dir string) (*server, error) {
	logPath := filepath.Join(dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--db", db)
	cmd.Env = append(os.Environ(), "PARLEY_DEMO_PASSWORD="+demoPassword)
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := readyLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { cmd.Wait(); close(s.done) }()
	select {
	case u := <-found:
		s.url, s.ready = u, time.Since(start)
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("parley serve stopped before it was ready (%v)\n%s", cmd.ProcessState, s.logTail())
	case <-time.After(2 * time.Minute):
		s.stop()
		return nil, fmt.Errorf("parley serve was not ready within two minutes\n%s", s.logTail())
	}
}

// stop stops the server as Ctrl-C does, and kills it if it has not
// stopped after ten seconds.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// logTail returns the last lines the server logged.
func (s *server) logTail() string {
	b, _ := os.ReadFile(s.logPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return "server log: " + strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// newClient returns a client that keeps up to conns connections to the
// server open, asks for uncompressed responses (as wrk and the reference
// do) and does not follow redirects: a 3xx is an answer.
func newClient(conns int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			DisableCompression:  true,
			IdleConnTimeout:     time.Minute,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// kind is a kind of request, reported on its own row.
type kind int

const (
	kindStatic kind = iota
	kindVersion
	kindCompare
	kindDashboard
	kindSearchPage
	kindSearchAPI
	kindPosition
	kindSource
	kindContact
	nKinds
)

// mixKinds are the kinds of the mix, in the order of the table.
var mixKinds = []kind{kindVersion, kindCompare, kindDashboard, kindSearchPage, kindSearchAPI, kindPosition, kindSource, kindContact}

func (k kind) String() string {
	return [...]string{"static file", "read: version page", "read: compare page", "read: dashboard", "search: page", "search: API",
		"write: set a position", "write: add a source", "write: add a contact"}[k]
}

// request is one request of the load.
type request struct {
	kind        kind
	method, url string
	who         string // the demo user who sends it
	cookie      string // a session, for pages
	token       string // an API token, for writes
	body        []byte // JSON
}

// reader is a signed-in demo user and what it may read.
type reader struct {
	name, cookie string
	versionIDs   []string    // versions with a text
	pairs        [][2]string // comparisons of them
}

// delegate is a delegate's API token, its party and the points whose
// position it may set (those without a position or with one of its own).
type delegate struct {
	name, token, partyID string
	points               []versionPoint
}

// versionPoint names a point of a version.
type versionPoint struct{ versionID, pointID string }

// demoData is what the load reads and writes, found through the API.
type demoData struct {
	base, processID string
	readers         []reader
	versionIDs      []string    // every reader's, for the summary
	pairs           [][2]string // every reader's, for the summary
	words           []string
	delegates       []delegate
	mediatorToken   string
	seq             struct {
		sync.Mutex
		n int
	}
}

// writablePoints counts the points the delegates' writes set positions on.
func (d *demoData) writablePoints() int {
	n := 0
	for _, dl := range d.delegates {
		n += len(dl.points)
	}
	return n
}

// discover signs in as each demo user (but the administrator, who sees
// no content), makes API tokens for the mediator and the delegates, and
// finds the process, its versions, comparisons, words to search for and
// the points each delegate may set a position on.
func discover(c *http.Client, srv *server, bin, db string) (*demoData, error) {
	d := &demoData{base: srv.url}
	names := []string{"mediator", "us", "russia", "ukraine", "europe", "observer"}
	for _, name := range names {
		cookie, err := signIn(c, srv.url, name)
		if err != nil {
			return nil, err
		}
		d.readers = append(d.readers, reader{name: name, cookie: cookie})
	}
	var procs struct {
		Items []struct{ ID string }
	}
	if err := getJSON(c, srv.url+"/api/v1/processes", d.readers[0].cookie, &procs); err != nil {
		return nil, err
	}
	if len(procs.Items) != 1 {
		return nil, fmt.Errorf("want the demo's one process, got %d", len(procs.Items))
	}
	d.processID = procs.Items[0].ID

	seenV, seenP := map[string]bool{}, map[[2]string]bool{}
	for i := range d.readers {
		r := &d.readers[i]
		var plans struct {
			Items []struct {
				Versions []struct {
					ID          string `json:"id"`
					TextUnknown bool   `json:"text_unknown"`
				}
			}
		}
		if err := getJSON(c, srv.url+"/api/v1/processes/"+d.processID+"/plans", r.cookie, &plans); err != nil {
			return nil, err
		}
		for _, p := range plans.Items {
			for _, v := range p.Versions {
				if !v.TextUnknown {
					r.versionIDs = append(r.versionIDs, v.ID)
				}
			}
		}
		if len(r.versionIDs) < 2 {
			return nil, fmt.Errorf("%s sees %d versions with a text, want at least 2", r.name, len(r.versionIDs))
		}
		for a := range r.versionIDs {
			for b := a + 1; b < len(r.versionIDs); b++ {
				r.pairs = append(r.pairs, [2]string{r.versionIDs[a], r.versionIDs[b]})
			}
		}
		for _, v := range r.versionIDs {
			if !seenV[v] {
				seenV[v] = true
				d.versionIDs = append(d.versionIDs, v)
			}
		}
		for _, p := range r.pairs {
			if !seenP[p] {
				seenP[p] = true
				d.pairs = append(d.pairs, p)
			}
		}
	}

	// Words to search for: the most frequent longer words of the texts.
	type point struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}
	points := map[string][]point{}
	freq := map[string]int{}
	for _, v := range d.readers[0].versionIDs {
		var ver struct{ Points []point }
		if err := getJSON(c, srv.url+"/api/v1/versions/"+v, d.readers[0].cookie, &ver); err != nil {
			return nil, err
		}
		points[v] = ver.Points
		for _, p := range ver.Points {
			for _, w := range wordRE.FindAllString(strings.ToLower(p.Text), -1) {
				if len(w) >= 6 && !stopWords[w] {
					freq[w]++
				}
			}
		}
	}
	for w := range freq {
		d.words = append(d.words, w)
	}
	sort.Slice(d.words, func(i, j int) bool {
		if freq[d.words[i]] != freq[d.words[j]] {
			return freq[d.words[i]] > freq[d.words[j]]
		}
		return d.words[i] < d.words[j]
	})
	d.words = d.words[:min(40, len(d.words))]
	if len(d.words) == 0 {
		return nil, errors.New("found no words to search for in the demo's texts")
	}

	var err error
	if d.mediatorToken, err = makeToken(bin, db, "mediator"); err != nil {
		return nil, err
	}
	var parties struct {
		Items []struct{ ID, Name string }
	}
	if err := getJSON(c, srv.url+"/api/v1/processes/"+d.processID+"/parties", d.readers[0].cookie, &parties); err != nil {
		return nil, err
	}
	partyOf := map[string]string{"us": "United States", "russia": "Russia", "ukraine": "Ukraine", "europe": "E3"}
	for _, r := range d.readers {
		prefix, ok := partyOf[r.name]
		if !ok {
			continue
		}
		dl := delegate{name: r.name}
		for _, p := range parties.Items {
			if strings.HasPrefix(p.Name, prefix) {
				dl.partyID = p.ID
			}
		}
		if dl.partyID == "" {
			return nil, fmt.Errorf("no party for the delegate %s", r.name)
		}
		for _, v := range r.versionIDs {
			var pos struct {
				Items []struct {
					PointID        string `json:"point_id"`
					Classification struct {
						Level    string   `json:"level"`
						PartyIDs []string `json:"party_ids"`
					}
				}
			}
			if err := getJSON(c, srv.url+"/api/v1/versions/"+v+"/positions?party="+dl.partyID, r.cookie, &pos); err != nil {
				return nil, err
			}
			taken := map[string]bool{}
			for _, p := range pos.Items {
				own := (p.Classification.Level == "confidential" || p.Classification.Level == "shared") &&
					len(p.Classification.PartyIDs) > 0 && p.Classification.PartyIDs[0] == dl.partyID
				taken[p.PointID] = !own
			}
			for _, p := range points[v] {
				if !taken[p.ID] {
					dl.points = append(dl.points, versionPoint{v, p.ID})
				}
			}
		}
		if len(dl.points) == 0 {
			continue
		}
		if dl.token, err = makeToken(bin, db, r.name); err != nil {
			return nil, err
		}
		d.delegates = append(d.delegates, dl)
	}
	if len(d.delegates) == 0 {
		return nil, errors.New("no delegate may set a position on any point of the demo")
	}

	// Every read is tried once, so that a page that fails at once is
	// reported as such rather than as thousands of errors.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		rq := d.next(rng)
		if rq.method != http.MethodGet {
			continue
		}
		if _, err := do(c, rq); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// wordRE matches a word of letters.
var wordRE = regexp.MustCompile(`\p{L}+`)

// stopWords are frequent words no one searches for.
var stopWords = map[string]bool{"should": true, "within": true, "which": true, "their": true, "these": true, "would": true,
	"shall": true, "parties": true, "between": true, "after": true, "including": true, "other": true, "there": true}

// signIn signs in through the sign-in form and returns the session cookie.
func signIn(c *http.Client, base, name string) (string, error) {
	resp, err := c.PostForm(base+"/signin", url.Values{"name": {name}, "password": {demoPassword}})
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if strings.Contains(ck.Name, "session") && ck.Value != "" {
			return ck.Name + "=" + ck.Value, nil
		}
	}
	return "", fmt.Errorf("signing in as %s: %s and no session cookie", name, resp.Status)
}

// makeToken makes an API token for a user with parley token create, on
// the server's database.
func makeToken(bin, db, user string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "token", "create", "--db", db, user, "load test")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("parley token create %s: %v: %s", user, err, stderr.Bytes())
	}
	return strings.TrimSpace(stdout.String()), nil
}

// getJSON reads a JSON response with a session.
func getJSON(c *http.Client, u, cookie string, v any) error {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Cookie", cookie)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %.300s", u, resp.Status, b)
	}
	return json.Unmarshal(b, v)
}

// stances are the stances a delegate's writes choose from.
var stances = []string{"accepts", "accepts_with_changes", "rejects", "red_line", "no_position"}

// next chooses the next request of the mix.
func (d *demoData) next(rng *rand.Rand) request {
	r := d.readers[rng.IntN(len(d.readers))]
	x := rng.Float64()
	switch {
	case x < 0.70*0.40:
		return request{kind: kindVersion, method: http.MethodGet, url: d.base + "/versions/" + pick(rng, r.versionIDs), cookie: r.cookie, who: r.name}
	case x < 0.70*0.70:
		p := pick(rng, r.pairs)
		if rng.IntN(2) == 0 {
			p[0], p[1] = p[1], p[0]
		}
		return request{kind: kindCompare, method: http.MethodGet, url: d.base + "/compare?old=" + p[0] + "&new=" + p[1], cookie: r.cookie, who: r.name}
	case x < 0.70:
		return request{kind: kindDashboard, method: http.MethodGet, url: d.base + "/processes/" + d.processID, cookie: r.cookie, who: r.name}
	case x < 0.90:
		q := pick(rng, d.words)
		if rng.IntN(3) == 0 {
			q += " " + pick(rng, d.words)
		}
		if x < 0.80 {
			return request{kind: kindSearchPage, method: http.MethodGet, url: d.base + "/processes/" + d.processID + "/search?q=" + url.QueryEscape(q), cookie: r.cookie, who: r.name}
		}
		return request{kind: kindSearchAPI, method: http.MethodGet, url: d.base + "/api/v1/processes/" + d.processID + "/search?q=" + url.QueryEscape(q), cookie: r.cookie, who: r.name}
	}
	d.seq.Lock()
	d.seq.n++
	n := d.seq.n
	d.seq.Unlock()
	switch y := rng.Float64(); {
	case y < 0.5:
		dl := pick(rng, d.delegates)
		p := pick(rng, dl.points)
		body, _ := json.Marshal(map[string]any{"stance": pick(rng, stances), "note": fmt.Sprintf("Position noted during load run, write %d.", n),
			"classification": map[string]any{"level": "confidential", "party_ids": []string{dl.partyID}}})
		return request{kind: kindPosition, method: http.MethodPut, token: dl.token, who: dl.name, body: body,
			url: d.base + "/api/v1/versions/" + p.versionID + "/points/" + url.PathEscape(p.pointID) + "/positions/" + dl.partyID}
	case y < 0.75:
		body, _ := json.Marshal(map[string]any{"title": fmt.Sprintf("Briefing on the talks, note %d", n), "outlet": "Load test wire",
			"url": fmt.Sprintf("https://news.example/briefing/%d", n), "reliability": "B", "credibility": 2})
		return request{kind: kindSource, method: http.MethodPost, token: d.mediatorToken, who: "mediator", body: body,
			url: d.base + "/api/v1/processes/" + d.processID + "/sources"}
	default:
		start := time.Date(2025, 11, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute)
		body, _ := json.Marshal(map[string]any{"kind": "call", "status": "held", "start": start.Format(time.RFC3339),
			"summary": fmt.Sprintf("Call %d on the sequencing of the ceasefire and the exchange of prisoners.", n), "duration_minutes": 30,
			"classification": map[string]any{"level": "process"}})
		return request{kind: kindContact, method: http.MethodPost, token: d.mediatorToken, who: "mediator", body: body,
			url: d.base + "/api/v1/processes/" + d.processID + "/contacts"}
	}
}

// pick returns a random element of s.
func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

// do sends a request and reads the answer whole; a status other than 2xx
// or 3xx is an error.
func do(c *http.Client, rq request) (int, error) {
	var body io.Reader
	if rq.body != nil {
		body = bytes.NewReader(rq.body)
	}
	req, err := http.NewRequest(rq.method, rq.url, body)
	if err != nil {
		return 0, err
	}
	if rq.cookie != "" {
		req.Header.Set("Cookie", rq.cookie)
	}
	if rq.token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.token)
	}
	if rq.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", rq.method, rq.url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return resp.StatusCode, fmt.Errorf("%s %s: %s: %s", rq.method, rq.url, resp.Status, b)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: reading the response: %w", rq.method, rq.url, err)
	}
	return resp.StatusCode, nil
}

// result holds the latencies and errors of a run.
type result struct {
	elapsed   time.Duration
	latencies [nKinds][]time.Duration
	errors    [nKinds]int
	samples   []string // the first few errors
	perSecond []int    // requests answered in each second of the run
	slowest   []slowRequest
}

// slowRequest is one of the slowest requests of a run.
type slowRequest struct {
	at, took time.Duration // since the start of the run
	rq       request
}

// keepSlowest is how many of its slowest requests a run keeps, to print.
const keepSlowest = 8

// noteSlow keeps rq among the slowest requests if it is one of them.
func (r *result) noteSlow(s slowRequest) {
	if len(r.slowest) == keepSlowest && s.took <= r.slowest[keepSlowest-1].took {
		return
	}
	r.slowest = append(r.slowest, s)
	slices.SortFunc(r.slowest, func(a, b slowRequest) int { return cmp.Compare(b.took, a.took) })
	r.slowest = r.slowest[:min(len(r.slowest), keepSlowest)]
}

// drive runs conns clients for d, each sending next's requests one after
// the other, and samples the server's memory meanwhile when mem is set.
func drive(c *http.Client, conns int, d time.Duration, next func(*rand.Rand) request, mem *memSampler) *result {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	results := make([]*result, conns)
	var wg sync.WaitGroup
	start := time.Now()
	if mem != nil {
		wg.Go(func() { mem.run(ctx, start) })
	}
	for i := range conns {
		res := &result{}
		results[i] = res
		rng := rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))
		wg.Go(func() {
			for ctx.Err() == nil {
				rq := next(rng)
				t0 := time.Now()
				_, err := do(c, rq)
				took := time.Since(t0)
				res.latencies[rq.kind] = append(res.latencies[rq.kind], took)
				res.noteSlow(slowRequest{at: t0.Sub(start), took: took, rq: rq})
				sec := int(time.Since(start) / time.Second)
				for len(res.perSecond) <= sec {
					res.perSecond = append(res.perSecond, 0)
				}
				res.perSecond[sec]++
				if err != nil {
					res.errors[rq.kind]++
					if len(res.samples) < 3 {
						res.samples = append(res.samples, err.Error())
					}
				}
			}
		})
	}
	wg.Wait()
	all := &result{elapsed: time.Since(start)}
	for _, r := range results {
		for k := range nKinds {
			all.latencies[k] = append(all.latencies[k], r.latencies[k]...)
			all.errors[k] += r.errors[k]
		}
		all.samples = append(all.samples, r.samples...)
		for _, sr := range r.slowest {
			all.noteSlow(sr)
		}
		for len(all.perSecond) < len(r.perSecond) {
			all.perSecond = append(all.perSecond, 0)
		}
		for i, n := range r.perSecond {
			all.perSecond[i] += n
		}
	}
	return all
}

// windows returns the throughput in each window of the run, in
// requests/s; a last window shorter than half of one is left out.
func (r *result) windows(w time.Duration) []float64 {
	secs := max(1, int(w/time.Second))
	var out []float64
	for i := 0; i < len(r.perSecond); i += secs {
		part := r.perSecond[i:min(i+secs, len(r.perSecond))]
		span := min(float64(secs), r.elapsed.Seconds()-float64(i))
		if span < float64(secs)/2 {
			break
		}
		sum := 0
		for _, n := range part {
			sum += n
		}
		out = append(out, float64(sum)/span)
	}
	return out
}

// errorSamples returns up to five of the errors.
func (r *result) errorSamples() []string { return r.samples[:min(5, len(r.samples))] }

// stats are the figures of one row of the table.
type stats struct {
	n, errors          int
	rps                float64
	p50, p90, p99, max time.Duration
}

// stats returns the figures of kind k, or of every kind for -1.
func (r *result) stats(k kind) stats {
	var lat []time.Duration
	var s stats
	for kk := range nKinds {
		if k < 0 || kk == k {
			lat = append(lat, r.latencies[kk]...)
			s.errors += r.errors[kk]
		}
	}
	s.n = len(lat)
	if s.n == 0 {
		return s
	}
	slices.Sort(lat)
	at := func(q float64) time.Duration { return lat[min(len(lat)-1, int(math.Ceil(q*float64(len(lat))))-1)] }
	s.rps = float64(s.n) / r.elapsed.Seconds()
	s.p50, s.p90, s.p99, s.max = at(0.50), at(0.90), at(0.99), lat[len(lat)-1]
	return s
}

// printRow prints a row of the table.
func printRow(w io.Writer, name string, s stats) {
	fmt.Fprintf(w, "%-28s %9d %9.0f %8.2f %8.2f %8.2f %8.2f %7d\n", name, s.n, s.rps, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), s.errors)
}

// ms returns d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// memSampler samples a process's resident memory every second.
type memSampler struct {
	pid      int
	t, rssMB []float64
}

// run samples until ctx ends, with times counted from start.
func (m *memSampler) run(ctx context.Context, start time.Time) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		if rss, err := vmRSS(m.pid); err == nil {
			m.t = append(m.t, time.Since(start).Seconds())
			m.rssMB = append(m.rssMB, rss)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// vmRSS reads the resident memory of a process, in MB.
func vmRSS(pid int) (float64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			kb, err := strconv.ParseFloat(f[0], 64)
			return kb / 1024, err
		}
	}
	return 0, errors.New("no VmRSS in /proc/PID/status")
}

// memSummary sums up the samples.
type memSummary struct {
	n                     int
	first, max, last      float64 // MB
	slope                 float64 // MB/s over the second half
	span, growth, allowed float64 // the second half's seconds, the growth over it by the slope, and the growth allowed
}

// summary returns the first, largest and last samples and the least-squares
// slope over the second half of the run. Memory is flat when that slope,
// times the second half's length, is under max(5 MB, 5% of the mean).
func (m *memSampler) summary() memSummary {
	s := memSummary{n: len(m.rssMB)}
	if s.n == 0 {
		return s
	}
	s.first, s.last, s.max = m.rssMB[0], m.rssMB[s.n-1], slices.Max(m.rssMB)
	t, y := m.t[s.n/2:], m.rssMB[s.n/2:]
	if len(t) < 2 {
		return s
	}
	var mt, my float64
	for i := range t {
		mt += t[i]
		my += y[i]
	}
	mt /= float64(len(t))
	my /= float64(len(t))
	var num, den float64
	for i := range t {
		num += (t[i] - mt) * (y[i] - my)
		den += (t[i] - mt) * (t[i] - mt)
	}
	if den > 0 {
		s.slope = num / den
	}
	s.span = t[len(t)-1] - t[0]
	s.growth = s.slope * s.span
	s.allowed = max(5, 0.05*my)
	return s
}
