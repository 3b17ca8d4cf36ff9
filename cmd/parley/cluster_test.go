package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"parley/demo"
	"parley/postgres/pgtest"
)

// TestTwoServersOnePostgres runs two servers on one PostgreSQL database, as
// behind a load balancer: they start together on an empty database (one
// migrates, the other waits), a user signs in on one and works on the
// other, signing out on one ends the session on both, and failed sign-ins
// count against the account on both.
func TestTwoServersOnePostgres(t *testing.T) {
	db := pgtest.MustSchema(t)
	const password = "demo password for tests"
	a := &Main{DBPath: db, Demo: true, DemoPassword: password}
	b := &Main{DBPath: db}
	var wg sync.WaitGroup
	for _, m := range []*Main{a, b} {
		wg.Go(func() { MustServe(t, m) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, m := range []*Main{a, b} {
		if status, body := get(t, http.DefaultClient, m.URL+"readyz"); status != http.StatusOK {
			t.Fatalf("%sreadyz: %d %s", m.URL, status, body)
		}
	}

	// The cookie jar keys cookies by host, not port: the session made on
	// a goes to b as a browser's would go to either server behind one name.
	c := signIn(t, a, "mediator", password)
	page := b.URL + "processes/" + a.DemoProcessID
	if status, body := get(t, c, page); status != http.StatusOK || !strings.Contains(body, demo.Name) {
		t.Fatalf("the process page on the other server: %d, want 200 with %q", status, demo.Name)
	}
	// A write on b is read on a.
	src, _ := json.Marshal(map[string]any{"title": "Cluster test source", "reliability": "B", "credibility": 2,
		"classification": map[string]any{"level": "public"}})
	resp, err := c.Post(b.URL+"api/v1/processes/"+a.DemoProcessID+"/sources", "application/json", bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ID string }
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &created) != nil || created.ID == "" {
		t.Fatalf("creating a source on the other server: %s %s", resp.Status, body)
	}
	if status, body := get(t, c, a.URL+"api/v1/sources/"+created.ID); status != http.StatusOK || !strings.Contains(body, "Cluster test source") {
		t.Fatalf("the source made on b, read on a: %d %s", status, body)
	}
	// Signing out on b ends the session on a: the browser forgets the
	// cookie, and whoever kept a copy is refused.
	kept := c.Jar.Cookies(mustURL(t, a.URL))
	if len(kept) == 0 {
		t.Fatal("no session cookie after signing in")
	}
	if resp, err := c.PostForm(b.URL+"signout", nil); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	copyJar, _ := cookiejar.New(nil)
	copyJar.SetCookies(mustURL(t, a.URL), kept)
	replay := &http.Client{Jar: copyJar}
	if status, _ := get(t, replay, a.URL+"api/v1/processes"); status != http.StatusUnauthorized {
		t.Errorf("a session ended on b, used on a: got %d, want 401", status)
	}

	// Failed sign-ins on a throttle the account on b.
	for range 5 {
		resp, err := http.PostForm(a.URL+"signin", url.Values{"name": {"us"}, "password": {"wrong password, wrong"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err = http.PostForm(b.URL+"signin", url.Values{"name": {"us"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("sign-in on b after 5 failures on a: got %s, want 429", resp.Status)
	}
}

// TestExportImportAcrossStores moves the demo process from SQLite to
// PostgreSQL and back with parley export and import: the document is the
// same byte for byte at every step.
func TestExportImportAcrossStores(t *testing.T) {
	pg := pgtest.MustSchema(t)
	dir := t.TempDir()
	_, first := exportedDemo(t, dir)
	fromPG := filepath.Join(dir, "from-postgres.json")
	if err := os.WriteFile(fromPG, []byte(importExport(t, first, pg)), 0o600); err != nil {
		t.Fatal(err)
	}
	importExport(t, fromPG, filepath.Join(dir, "back.db"))
	// The password never shows in what the commands print.
	if code, stdout, _ := run(t, "", "migrate", "--db", strings.Replace(pg, "postgres@", "postgres:secret-word@", 1)); code == 0 && strings.Contains(stdout, "secret-word") {
		t.Errorf("migrate printed the password: %s", stdout)
	}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
