package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the integrity check reads the SQLite file itself
)

// The crash test kills a real parley serve with SIGKILL at random moments
// while writers send it records through the API, restarts it on the same
// database each time, and checks that no acknowledged write was lost, that
// no write is visible in part, that the database file is sound and that the
// audit log verifies. PARLEY_CRASH_POINTS sets the number of kills
// (default 12); scripts/crash runs 1,000.

// crashWriters is the number of concurrent writers.
const crashWriters = 8

// maxKillDelay bounds the random time between the start of the writes and
// the kill.
const maxKillDelay = 300 * time.Millisecond

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test kills and restarts a server many times; skipped under -short")
	}
	points := 12
	if v := os.Getenv("PARLEY_CRASH_POINTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("PARLEY_CRASH_POINTS=%q: want a positive whole number", v)
		}
		points = n
	}
	bin := filepath.Join(t.TempDir(), "parley")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "crash.db")
		runCrash(t, bin, path, points, func(t *testing.T) { sqliteCheck(t, path) })
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("PARLEY_TEST_POSTGRES_URL")
		if base == "" {
			t.Skip("PARLEY_TEST_POSTGRES_URL is not set: no PostgreSQL to crash on")
		}
		runCrash(t, bin, newPostgresDatabase(t, base), points, nil)
	})
}

// newPostgresDatabase creates an empty database on the server of base, for
// the test alone, drops it at the end, and returns its URL.
func newPostgresDatabase(t *testing.T, base string) string {
	t.Helper()
	if !slices.Contains(sql.Drivers(), "pgx") {
		t.Skip("this build has no PostgreSQL driver (pgx) registered with database/sql")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("parley_crash_%d_%d", os.Getpid(), rand.Uint32())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating the database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("dropping the database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// sqliteCheck checks the SQLite file of a server that is down: the
// integrity check says "ok" and no foreign key is broken.
func sqliteCheck(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("integrity check: %v", err)
	}
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("integrity check: %v", err)
	}
	if len(got) != 1 || got[0] != "ok" {
		t.Fatalf("PRAGMA integrity_check: got %q, want ok", got)
	}
	rows, err = db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatalf("foreign key check: %v", err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("PRAGMA foreign_key_check found a row whose reference is missing")
	}
}

// crashRun is the state of a crash test on one database.
type crashRun struct {
	t      *testing.T
	bin    string
	db     string
	token  string
	client *http.Client
	cycles []*crashCycle

	// figures for the summary
	acked, unackedPresent, unackedAbsent int
	starts                               []time.Duration
}

// crashCycle is one kill point: the records its writers sent.
type crashCycle struct {
	n                    int
	processID, planID    string
	partyID              string
	kill                 time.Duration
	mu                   sync.Mutex
	versions             map[string]*sentVersion // by label
	sources              map[string]*sentWrite   // by title
	positions            map[string][]*sentWrite // by version ID and point, in the order sent
	presentV, presentSrc []string                // found after the restart, sorted
}

// sentVersion is a version a writer sent.
type sentVersion struct {
	sentWrite
	points []string // the texts of its points, in order
}

// sentWrite is a write a writer sent: whether the server acknowledged it
// (a 2xx received whole) and the ID it answered with.
type sentWrite struct {
	key   string // the label, title or note that identifies it
	acked bool
	id    string
}

// runCrash runs the crash test on one database; check, when not nil,
// checks the database while the server is down.
func runCrash(t *testing.T, bin, db string, points int, check func(*testing.T)) {
	start := time.Now()
	r := &crashRun{t: t, bin: bin, db: db, client: &http.Client{Timeout: 30 * time.Second}}
	r.cli(nil, "migrate", "--db", db)
	r.cli(strings.NewReader("crash test password\n"), "user", "add", "crash", "--db", db)
	r.token = strings.TrimSpace(r.cli(nil, "token", "create", "crash", "writers", "--db", db))

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for i := range points {
		srv := r.start()
		if i > 0 {
			r.verify(srv, r.cycles[i-1])
		}
		c := r.setUp(srv, i)
		r.cycles = append(r.cycles, c)
		c.kill = time.Duration(rng.Int64N(int64(maxKillDelay)))
		r.write(srv, c, rng)
		r.offline(check)
		if t.Failed() {
			t.Fatalf("stopped after kill point %d of %d", i+1, points)
		}
	}
	srv := r.start()
	r.verify(srv, r.cycles[len(r.cycles)-1])
	r.recheck(srv)
	srv.stop(t)
	r.offline(check)

	slices.Sort(r.starts)
	at := func(q float64) int64 {
		return r.starts[min(len(r.starts)-1, int(q*float64(len(r.starts))))].Milliseconds()
	}
	t.Logf("crash figures: %d kill points, %d acknowledged writes checked, unacknowledged writes found present %d, absent %d; server start median %d ms, p99 %d ms, max %d ms; %.0f s",
		points, r.acked, r.unackedPresent, r.unackedAbsent, at(0.5), at(0.99), at(1), time.Since(start).Seconds())
}

// cli runs a parley command and returns its standard output; it fails
// the test when the command fails.
func (r *crashRun) cli(stdin io.Reader, args ...string) string {
	r.t.Helper()
	cmd := exec.Command(r.bin, args...)
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("parley %s: %v\n%s%s", strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.String()
}

// offline checks the database with the server down: the check of its
// store and the audit log.
func (r *crashRun) offline(check func(*testing.T)) {
	r.t.Helper()
	if check != nil {
		check(r.t)
	}
	if out := r.cli(nil, "audit", "verify", "--db", r.db); !strings.HasPrefix(out, "audit log verified") {
		r.t.Fatalf("parley audit verify: got %q", out)
	}
}

// crashServer is a running parley serve.
type crashServer struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
	log  *bytes.Buffer
}

// readyAt finds the address in the line parley serve prints when ready.
var readyAt = regexp.MustCompile(`^Parley is ready at (http://\S+?)/? `)

// start starts parley serve on the run's database and waits until it
// listens.
func (r *crashRun) start() *crashServer {
	r.t.Helper()
	s := &crashServer{done: make(chan struct{}), log: new(bytes.Buffer)}
	s.cmd = exec.Command(r.bin, "serve", "--db", r.db, "--addr", "127.0.0.1:0")
	s.cmd.Stderr = &lockedWriter{w: s.log}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		r.t.Fatal(err)
	}
	t0 := time.Now()
	if err := s.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := readyAt.FindStringSubmatch(sc.Text()); m != nil {
				ready <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { s.cmd.Wait(); close(s.done) }()
	select {
	case s.url = <-ready:
		r.starts = append(r.starts, time.Since(t0))
	case <-s.done:
		r.t.Fatalf("parley serve stopped before it was ready: %v\n%s", s.cmd.ProcessState, s.log)
	case <-time.After(time.Minute):
		s.cmd.Process.Kill()
		<-s.done
		r.t.Fatalf("parley serve was not ready after a minute\n%s", s.log)
	}
	return s
}

// lockedWriter is a writer that serialises writes, for a buffer written by
// exec's copying goroutine and read by the test.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// kill kills the server with SIGKILL and waits until it is gone.
func (s *crashServer) kill() {
	s.cmd.Process.Kill()
	<-s.done
}

// stop stops the server as Ctrl-C does.
func (s *crashServer) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.kill()
		t.Fatal("parley serve did not stop within 30 s of SIGINT")
	}
	if !s.cmd.ProcessState.Success() {
		t.Fatalf("parley serve stopped with %v\n%s", s.cmd.ProcessState, s.log)
	}
}

// call sends a JSON request with the run's API token. It returns the
// status and the body, or an error when no whole answer came.
func (r *crashRun) call(ctx context.Context, s *crashServer, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.url+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, b, nil
}

// must sends a request that has to succeed with status want, and decodes
// the answer into v.
func (r *crashRun) must(s *crashServer, method, path string, body any, want int, v any) {
	r.t.Helper()
	status, b, err := r.call(context.Background(), s, method, path, body)
	if err != nil {
		r.t.Fatalf("%s %s: %v\n%s", method, path, err, s.log)
	}
	if status != want {
		r.t.Fatalf("%s %s: got %d, want %d: %.500s", method, path, status, want, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			r.t.Fatalf("%s %s: decoding %.200s: %v", method, path, b, err)
		}
	}
}

// setUp creates the process, party and plan cycle n writes into, each
// cycle its own, so that what a cycle finds after its restart is its own.
func (r *crashRun) setUp(s *crashServer, n int) *crashCycle {
	r.t.Helper()
	c := &crashCycle{n: n, versions: map[string]*sentVersion{}, sources: map[string]*sentWrite{}, positions: map[string][]*sentWrite{}}
	var rec struct{ ID string }
	r.must(s, "POST", "/api/v1/processes", map[string]any{"name": fmt.Sprintf("Crash cycle %d", n),
		"classification": map[string]string{"level": "process"}}, http.StatusCreated, &rec)
	c.processID = rec.ID
	r.must(s, "POST", "/api/v1/processes/"+c.processID+"/parties", map[string]any{"name": "Party of the crash test", "kind": "state"},
		http.StatusCreated, &rec)
	c.partyID = rec.ID
	r.must(s, "POST", "/api/v1/processes/"+c.processID+"/plans", map[string]any{"title": fmt.Sprintf("Plan of cycle %d", n)},
		http.StatusCreated, &rec)
	c.planID = rec.ID
	return c
}

// write runs the writers against the server and kills it after the
// cycle's delay. Each writer sends one request at a time: versions of 1 to
// 60 points (one transaction each), sources, and positions on the points
// of its own acknowledged versions.
func (r *crashRun) write(s *crashServer, c *crashCycle, rng *rand.Rand) {
	var killed atomic.Bool
	var wg sync.WaitGroup
	var failure atomic.Value
	for w := range crashWriters {
		wrng := rand.New(rand.NewPCG(rng.Uint64(), uint64(w)))
		wg.Go(func() {
			var mine []*sentVersion
			for seq := 0; !killed.Load(); seq++ {
				key := fmt.Sprintf("c%d w%d n%d", c.n, w, seq)
				var err error
				switch x := wrng.IntN(10); {
				case x < 5 || len(mine) == 0:
					var v *sentVersion
					if v, err = r.sendVersion(s, c, key, 1+wrng.IntN(60)); v != nil && v.acked {
						mine = append(mine, v)
					}
				case x < 8:
					err = r.sendSource(s, c, key)
				default:
					v := mine[wrng.IntN(len(mine))]
					err = r.sendPosition(s, c, v, 1+wrng.IntN(len(v.points)), key)
				}
				if err != nil && !killed.Load() {
					failure.CompareAndSwap(nil, err)
					return
				}
			}
		})
	}
	time.Sleep(c.kill)
	killed.Store(true)
	s.kill()
	wg.Wait()
	if err, _ := failure.Load().(error); err != nil {
		r.t.Errorf("cycle %d: a write failed before the kill: %v\n%s", c.n, err, s.log)
	}
}

// errStatus is an answer that is not a success: before the kill, a failure
// of the test.
type errStatus struct {
	status int
	body   []byte
}

func (e *errStatus) Error() string { return fmt.Sprintf("status %d: %.300s", e.status, e.body) }

// send sends a write and records whether it was acknowledged, and with
// which ID.
func (r *crashRun) send(s *crashServer, method, path string, body any, w *sentWrite) error {
	status, b, err := r.call(context.Background(), s, method, path, body)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return &errStatus{status, b}
	}
	var rec struct{ ID string }
	if err := json.Unmarshal(b, &rec); err != nil || rec.ID == "" {
		return fmt.Errorf("%s %s: an answer without an ID: %.200s", method, path, b)
	}
	w.acked, w.id = true, rec.ID
	return nil
}

// sendVersion sends a version of n points.
func (r *crashRun) sendVersion(s *crashServer, c *crashCycle, label string, n int) (*sentVersion, error) {
	v := &sentVersion{sentWrite: sentWrite{key: label}}
	var text strings.Builder
	for i := 1; i <= n; i++ {
		p := fmt.Sprintf("Point %d of version %s, which the crash test expects whole.", i, label)
		v.points = append(v.points, p)
		fmt.Fprintf(&text, "%d. %s\n", i, p)
	}
	c.mu.Lock()
	c.versions[label] = v
	c.mu.Unlock()
	err := r.send(s, "POST", "/api/v1/plans/"+c.planID+"/versions",
		map[string]any{"label": label, "date": "2025-11-20", "text": text.String()}, &v.sentWrite)
	return v, err
}

// sendSource sends a source.
func (r *crashRun) sendSource(s *crashServer, c *crashCycle, title string) error {
	w := &sentWrite{key: title}
	c.mu.Lock()
	c.sources[title] = w
	c.mu.Unlock()
	return r.send(s, "POST", "/api/v1/processes/"+c.processID+"/sources",
		map[string]any{"title": title, "outlet": "Crash test", "reliability": "C", "credibility": 3}, w)
}

// sendPosition sets the party's position on point p of version v, with the
// key as its note.
func (r *crashRun) sendPosition(s *crashServer, c *crashCycle, v *sentVersion, p int, note string) error {
	w := &sentWrite{key: note}
	k := v.id + "/" + strconv.Itoa(p)
	c.mu.Lock()
	c.positions[k] = append(c.positions[k], w)
	c.mu.Unlock()
	return r.send(s, "PUT", "/api/v1/versions/"+v.id+"/points/"+strconv.Itoa(p)+"/positions/"+c.partyID,
		map[string]any{"stance": "accepts", "note": note}, w)
}

// verify checks, after a restart, what the server holds of a cycle's
// writes: every acknowledged write is there whole, every version found
// has all the points it was sent with, and nothing is there that was not
// sent.
func (r *crashRun) verify(s *crashServer, c *crashCycle) {
	r.t.Helper()
	var plan struct {
		Versions []struct{ ID, Label string }
	}
	r.must(s, "GET", "/api/v1/plans/"+c.planID, nil, http.StatusOK, &plan)
	found := map[string]string{}
	for _, fv := range plan.Versions {
		sent := c.versions[fv.Label]
		switch {
		case sent == nil:
			r.t.Errorf("cycle %d: version %q (%s) was never sent", c.n, fv.Label, fv.ID)
			continue
		case sent.acked && sent.id != fv.ID:
			r.t.Errorf("cycle %d: version %q is %s, but was acknowledged as %s", c.n, fv.Label, fv.ID, sent.id)
		case found[fv.Label] != "":
			r.t.Errorf("cycle %d: version %q is there twice", c.n, fv.Label)
		}
		found[fv.Label] = fv.ID
		r.checkVersion(s, c, fv.ID, sent)
		c.presentV = append(c.presentV, fv.ID)
	}
	var sources struct {
		Items []struct{ ID, Title string }
	}
	r.must(s, "GET", "/api/v1/processes/"+c.processID+"/sources", nil, http.StatusOK, &sources)
	foundSrc := map[string]string{}
	for _, fs := range sources.Items {
		sent := c.sources[fs.Title]
		switch {
		case sent == nil:
			r.t.Errorf("cycle %d: source %q (%s) was never sent", c.n, fs.Title, fs.ID)
		case sent.acked && sent.id != fs.ID:
			r.t.Errorf("cycle %d: source %q is %s, but was acknowledged as %s", c.n, fs.Title, fs.ID, sent.id)
		case foundSrc[fs.Title] != "":
			r.t.Errorf("cycle %d: source %q is there twice", c.n, fs.Title)
		}
		foundSrc[fs.Title] = fs.ID
		c.presentSrc = append(c.presentSrc, fs.ID)
	}
	for _, v := range c.versions {
		r.count(c, "version "+v.key, v.acked, found[v.key] != "")
	}
	for _, w := range c.sources {
		r.count(c, "source "+w.key, w.acked, foundSrc[w.key] != "")
	}
	r.verifyPositions(s, c, found)
	slices.Sort(c.presentV)
	slices.Sort(c.presentSrc)
}

// count counts a write for the figures, and fails the test when an
// acknowledged one is missing.
func (r *crashRun) count(c *crashCycle, what string, acked, present bool) {
	switch {
	case acked && !present:
		r.t.Errorf("cycle %d: %s was acknowledged but is missing after the restart", c.n, what)
	case acked:
		r.acked++
	case present:
		r.unackedPresent++
	default:
		r.unackedAbsent++
	}
}

// checkVersion checks that a version holds exactly the points it was sent
// with.
func (r *crashRun) checkVersion(s *crashServer, c *crashCycle, id string, sent *sentVersion) {
	r.t.Helper()
	var v struct {
		Label  string
		Points []struct{ ID, Text string }
	}
	r.must(s, "GET", "/api/v1/versions/"+id, nil, http.StatusOK, &v)
	if len(v.Points) != len(sent.points) {
		r.t.Errorf("cycle %d: version %q has %d points, want the %d it was sent with", c.n, v.Label, len(v.Points), len(sent.points))
		return
	}
	for i, p := range v.Points {
		if p.ID != strconv.Itoa(i+1) || p.Text != sent.points[i] {
			r.t.Errorf("cycle %d: version %q point %d is %s %q, want %d %q", c.n, v.Label, i+1, p.ID, p.Text, i+1, sent.points[i])
			return
		}
	}
}

// verifyPositions checks the positions of a cycle: on each point, the
// note stored is that of the last acknowledged write or of one sent after
// it, and there is none only when no write to the point was acknowledged.
func (r *crashRun) verifyPositions(s *crashServer, c *crashCycle, found map[string]string) {
	r.t.Helper()
	stored := map[string]string{} // version/point: note
	for _, id := range found {
		var list struct {
			Items []struct {
				PointID string `json:"point_id"`
				PartyID string `json:"party_id"`
				Note    string `json:"note"`
			}
		}
		r.must(s, "GET", "/api/v1/versions/"+id+"/positions", nil, http.StatusOK, &list)
		for _, p := range list.Items {
			k := id + "/" + p.PointID
			if _, twice := stored[k]; twice {
				r.t.Errorf("cycle %d: two positions of one party on %s", c.n, k)
			}
			stored[k] = p.Note
			if c.positions[k] == nil {
				r.t.Errorf("cycle %d: a position on %s was never sent", c.n, k)
			}
		}
	}
	for k, ws := range c.positions {
		note, present := stored[k]
		last := -1
		for i, w := range ws {
			if w.acked {
				last = i
			}
		}
		if last >= 0 && !present {
			r.t.Errorf("cycle %d: the position on %s was acknowledged (%s) but is missing", c.n, k, ws[last].key)
			continue
		}
		ok := !present
		for i, w := range ws {
			if i >= max(last, 0) && w.key == note {
				ok = true
			}
		}
		if !ok {
			r.t.Errorf("cycle %d: the position on %s has the note %q, want %q or one sent after it", c.n, k, note, ws[max(last, 0)].key)
		}
		// For the figures: an acknowledged write the next one replaced
		// was checked as well as the last; the fate of an unacknowledged
		// one says something only when no acknowledged write follows it.
		for i, w := range ws {
			switch {
			case w.acked:
				r.acked++
			case i > last && w.key == note:
				r.unackedPresent++
			case i > last:
				r.unackedAbsent++
			}
		}
	}
}

// recheck checks, at the end, that every cycle still holds what it held
// after its own restart: later crashes lost nothing, and every version is
// still whole.
func (r *crashRun) recheck(s *crashServer) {
	r.t.Helper()
	for _, c := range r.cycles {
		var plan struct{ Versions []struct{ ID, Label string } }
		r.must(s, "GET", "/api/v1/plans/"+c.planID, nil, http.StatusOK, &plan)
		var ids []string
		for _, v := range plan.Versions {
			ids = append(ids, v.ID)
			if sent := c.versions[v.Label]; sent != nil {
				r.checkVersion(s, c, v.ID, sent)
			}
		}
		slices.Sort(ids)
		if !slices.Equal(ids, c.presentV) {
			r.t.Errorf("cycle %d: at the end the plan has versions %v, after its restart it had %v", c.n, ids, c.presentV)
		}
		var sources struct{ Items []struct{ ID string } }
		r.must(s, "GET", "/api/v1/processes/"+c.processID+"/sources", nil, http.StatusOK, &sources)
		ids = ids[:0]
		for _, src := range sources.Items {
			ids = append(ids, src.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, c.presentSrc) {
			r.t.Errorf("cycle %d: at the end the process has sources %v, after its restart it had %v", c.n, ids, c.presentSrc)
		}
	}
}
