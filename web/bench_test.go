package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"parley"
	"parley/plangen"
)

// largeProcess is a process with 50 versions of a 300-point plan.
type largeProcess struct {
	env       *testEnv
	processID string
	versions  []string
}

// mustLarge builds the large process: 50 versions, each a generated
// 300-point text (a new pair every other version, so that consecutive
// versions are edits of each other and the rest are unrelated drafts).
func mustLarge(b *testing.B) *largeProcess {
	env := newTestEnv(b)
	ctx := env.Ctx
	pub := parley.Classification{Level: parley.Public}
	proc := &parley.Process{Name: "Large", Classification: pub}
	if err := env.Svc.Processes.CreateProcess(ctx, proc); err != nil {
		b.Fatal(err)
	}
	plan := &parley.Plan{ProcessID: proc.ID, Title: "A long plan", Classification: pub}
	if err := env.Svc.Plans.CreatePlan(ctx, plan); err != nil {
		b.Fatal(err)
	}
	l := &largeProcess{env: env, processID: proc.ID}
	day := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 50 {
		pair := plangen.Generate(plangen.Options{Seed: int64(i / 2), Points: 300})
		text := pair.Old
		if i%2 == 1 {
			text = pair.New
		}
		v := &parley.Version{PlanID: plan.ID, Label: fmt.Sprintf("Draft %d", i+1), Date: day.AddDate(0, 0, i),
			Status: parley.Draft, Text: string(text), Classification: pub}
		if err := env.Svc.Plans.CreateVersion(ctx, v); err != nil {
			b.Fatal(err)
		}
		l.versions = append(l.versions, v.ID)
	}
	return l
}

// get fetches a path as env's account and fails unless it answers 200.
func get(b *testing.B, env *testEnv, path string) {
	resp := env.Get(b, path)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %s", path, resp.Status)
	}
}

// pairOf returns the i-th of the 2,450 ordered pairs of different versions
// among 50: consecutive iterations compare pairs never compared before
// (until all have been), so that no kept report or page is reused.
func pairOf(versions []string, i int) (string, string) {
	n := len(versions)
	i %= n * (n - 1)
	old := i % n
	return versions[old], versions[(old+1+i/n)%n]
}

// benchLarge times GET requests on the large process, the i-th to the
// address path(l, i) returns.
func benchLarge(b *testing.B, path func(l *largeProcess, i int) string) {
	l := mustLarge(b)
	i := 0
	for b.Loop() {
		get(b, l.env, path(l, i))
		i++
	}
}

// comparePath compares the i-th pair of versions never compared before, so
// that neither a report nor a page is kept from an earlier request: the
// cost of a first visit.
func comparePath(prefix string) func(l *largeProcess, i int) string {
	return func(l *largeProcess, i int) string {
		old, new := pairOf(l.versions, i)
		return prefix + "?old=" + old + "&new=" + new
	}
}

// searchPath searches words common in generated plans, in turn.
func searchPath(prefix string) func(l *largeProcess, i int) string {
	return func(l *largeProcess, i int) string {
		return prefix + "/processes/" + l.processID + "/search?q=" + url.QueryEscape(largeQueries[i%len(largeQueries)])
	}
}

// largeQueries are words common in generated plans.
var largeQueries = []string{"forces", "withdraw", "sanctions relief", `"the parties"`, "guarant"}

// BenchmarkLargeCompareAPI compares two versions through the API.
func BenchmarkLargeCompareAPI(b *testing.B) { benchLarge(b, comparePath("/api/v1/compare")) }

// BenchmarkLargeComparePage draws the compare page of two versions.
func BenchmarkLargeComparePage(b *testing.B) { benchLarge(b, comparePath("/compare")) }

// BenchmarkLargeSearchPage searches through the search page.
func BenchmarkLargeSearchPage(b *testing.B) { benchLarge(b, searchPath("")) }

// BenchmarkLargeSearchAPI searches through the API.
func BenchmarkLargeSearchAPI(b *testing.B) { benchLarge(b, searchPath("/api/v1")) }
