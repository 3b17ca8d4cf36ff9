package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"parley"

	"parley/demo"
)

// demoEnv is a server over the demo case, with the IDs of its 28-point
// plan and of the 20-point framework.
type demoEnv struct {
	*testEnv
	processID string
	us28      string // the US 28-point plan
	framework string // the 20-point framework
}

// newDemoEnv loads the demo case into a fresh server.
func newDemoEnv(tb testing.TB) *demoEnv {
	tb.Helper()
	env := newTestEnv(tb)
	ctx := env.Ctx // the mediator of the demo process
	id, err := demo.Load(ctx, env.Svc)
	if err != nil {
		tb.Fatal(err)
	}
	d := &demoEnv{testEnv: env, processID: id}
	plans, err := env.Svc.Plans.FindPlans(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range plans {
		for _, v := range p.Versions {
			switch {
			case strings.Contains(v.Label, "28-point"):
				d.us28 = v.ID
			case strings.Contains(v.Label, "20-point framework"):
				d.framework = v.ID
			}
		}
	}
	if d.us28 == "" || d.framework == "" {
		tb.Fatalf("the demo has no 28-point plan or no framework: %+v", plans)
	}
	return d
}

// observer returns the demo environment acting for a new observer of the
// demo process, who sees its public records only.
func (d *demoEnv) observer(tb testing.TB, name string) *testEnv {
	tb.Helper()
	a := d.NewAccount(tb, name, false)
	d.Grant(tb, a, d.processID, parley.RoleObserver, "")
	return d.As(a)
}

// BenchmarkVersionPage serves the page of the 28-point version: to an
// observer, from the kept pages after the first requests; to a mediator,
// drawn anew every time (and logged, as the version is read).
func BenchmarkVersionPage(b *testing.B) {
	d := newDemoEnv(b)
	path := "/versions/" + d.us28
	for _, reader := range []struct {
		name string
		env  *testEnv
	}{{"observer", d.observer(b, "observer")}, {"mediator", d.testEnv}} {
		b.Run(reader.name, func(b *testing.B) {
			for b.Loop() {
				pageGet(b, reader.env, path).want(b, http.StatusOK)
			}
		})
	}
}

// BenchmarkVersionPageDrawn draws the page of the 28-point version anew
// at every request, as after any write in its process: the cost of a page
// that is not kept. The write itself is not timed.
func BenchmarkVersionPageDrawn(b *testing.B) {
	d := newDemoEnv(b)
	ctx := System
	path := "/versions/" + d.us28
	proc, err := d.Svc.Processes.FindProcessByID(ctx, d.processID)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		if err := d.Svc.Processes.UpdateProcess(ctx, proc); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		pageGet(b, d.testEnv, path).want(b, http.StatusOK)
	}
}

// BenchmarkComparePage serves the comparison of the 28 points with the
// framework; after the first request the report comes from the cache.
func BenchmarkComparePage(b *testing.B) {
	d := newDemoEnv(b)
	path := "/compare?old=" + d.us28 + "&new=" + d.framework
	for b.Loop() {
		pageGet(b, d.testEnv, path).want(b, http.StatusOK)
	}
}

// TestDemoPages renders every page of the demo case: lineage across
// plans (the Ukraine plan was modelled on the Gaza plan), a version whose
// text is unknown, contacts in several time zones.
func TestDemoPages(t *testing.T) {
	d := newDemoEnv(t)
	ctx := System
	dash := pageGet(t, d.testEnv, "/processes/"+d.processID).want(t, http.StatusOK)
	dash.has(t, "Gaza: the 20-point plan", "Modelled on Gaza: the 20-point plan", "text unknown", `<a href="/contacts/`)
	plans, err := d.Svc.Plans.FindPlans(ctx, d.processID)
	must(t, err)
	for _, p := range plans {
		for _, v := range p.Versions {
			pageGet(t, d.testEnv, "/versions/"+v.ID).want(t, http.StatusOK).has(t, "<h1>"+v.Label+"</h1>")
		}
	}
	// The first version of the Ukraine plan came from the Gaza plan.
	us := pageGet(t, d.testEnv, "/versions/"+d.us28).want(t, http.StatusOK)
	us.has(t, "in Gaza 20-point plan</a>", `title="Gaza: the 20-point plan"`, "proposed by")
	pageGet(t, d.testEnv, "/compare?old="+d.us28+"&new="+d.framework).want(t, http.StatusOK).has(t, "28 → 20 points")
	// Versions of two plans of the process compare too: the Gaza plan
	// with the Ukraine plan modelled on it.
	for _, p := range plans {
		if strings.HasPrefix(p.Title, "Gaza") {
			pageGet(t, d.testEnv, "/compare?old="+p.Versions[0].ID+"&new="+d.us28).want(t, http.StatusOK).
				has(t, "Gaza: the 20-point plan", "Peace plan for Ukraine", "20 → 28 points")
		}
	}
	pageGet(t, d.testEnv, "/versions/"+d.framework+"/points/4/history").want(t, http.StatusOK).has(t, "<del>", "<ins>")
	contacts, err := d.Svc.Contacts.FindContacts(ctx, d.processID)
	must(t, err)
	for _, c := range contacts {
		pageGet(t, d.testEnv, "/contacts/"+c.ID).want(t, http.StatusOK)
	}
	pageGet(t, d.testEnv, "/processes/"+d.processID+"/search?q=Zaporizhzhia").want(t, http.StatusOK).has(t, "<mark>Zaporizhzhia</mark>")
}

// TestDrawnPagesFollowWrites checks that the version and compare pages,
// which are kept once drawn (for observers), show every change in their
// process at the next request, to observers and mediators alike.
func TestDrawnPagesFollowWrites(t *testing.T) {
	for _, role := range []string{"observer", "mediator"} {
		t.Run(role, func(t *testing.T) {
			d := newDemoEnv(t)
			env := d.testEnv
			if role == "observer" {
				env = d.observer(t, "observer")
			}
			testDrawnPagesFollowWrites(t, d, env)
		})
	}
}

// testDrawnPagesFollowWrites is TestDrawnPagesFollowWrites for one
// reader.
func testDrawnPagesFollowWrites(t *testing.T, d *demoEnv, env *testEnv) {
	ctx := System
	version := "/versions/" + d.us28
	compare := "/compare?old=" + d.us28 + "&new=" + d.framework
	for range 3 { // the first visit learns the process, the second keeps the page
		pageGet(t, env, version).want(t, http.StatusOK).hasNot(t, "prisoner exchanges")
		pageGet(t, env, compare).want(t, http.StatusOK).hasNot(t, "Renamed for the test")
	}
	proc, err := d.Svc.Processes.FindProcessByID(ctx, d.processID)
	if err != nil {
		t.Fatal(err)
	}
	proc.Topics = append(proc.Topics, "prisoner exchanges")
	proc.Name = "Renamed for the test"
	if err := d.Svc.Processes.UpdateProcess(ctx, proc); err != nil {
		t.Fatal(err)
	}
	tags := []string{"prisoner exchanges"}
	if _, err := d.Svc.Plans.UpdatePoint(ctx, d.us28, "1", parley.PointUpdate{Tags: &tags}); err != nil {
		t.Fatal(err)
	}
	pageGet(t, env, version).want(t, http.StatusOK).has(t, "prisoner exchanges")
	pageGet(t, env, compare).want(t, http.StatusOK).has(t, "Renamed for the test")
}

// TestDashboardTellsTheStory checks the dashboard's order and defaults: the
// plans in the order of their first versions (the Gaza template first),
// and the compare form set on the latest version and the one it came from.
func TestDashboardTellsTheStory(t *testing.T) {
	d := newDemoEnv(t)
	pg := pageGet(t, d.testEnv, "/processes/"+d.processID).want(t, http.StatusOK)
	gaza, ukraine, e3 := strings.Index(pg.Body, "Gaza: the 20-point plan</h3>"), strings.Index(pg.Body, "Peace plan for Ukraine</h3>"),
		strings.Index(pg.Body, "European counter-proposal</h3>")
	if gaza < 0 || ukraine < 0 || e3 < 0 || !(gaza < ukraine && ukraine < e3) {
		t.Errorf("plans at %d (Gaza), %d (Ukraine), %d (E3); want them in the order of their first versions", gaza, ukraine, e3)
	}
	pg.has(t, `<option value="`+d.us28+`" selected>`, `<option value="`+d.framework+`" selected>`)
}

// TestSearchSaysWhenThereIsMore checks that a search cut at its limit says
// so, in the API and on the page.
func TestSearchSaysWhenThereIsMore(t *testing.T) {
	d := newDemoEnv(t)
	resp := d.Get(t, "/api/v1/processes/"+d.processID+"/search?q=the&limit=2")
	defer resp.Body.Close()
	var got struct {
		Items []json.RawMessage
		Total int
		More  bool
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 2 || got.Total != 2 || !got.More {
		t.Errorf("got %d items, total %d, more %v; want 2, 2, true", len(got.Items), got.Total, got.More)
	}
	pageGet(t, d.testEnv, "/processes/"+d.processID+"/search?q=the").want(t, http.StatusOK).has(t, "The first 50 matches")
	pageGet(t, d.testEnv, "/processes/"+d.processID+"/search?q=Donetsk").want(t, http.StatusOK).hasNot(t, "The first")
}

// TestSearchSaysWhenItWasNarrowed checks that a search of a word more
// records hold than a search ranks (parley.MaxRanked) says that it ranked
// those written last, in the API and on the page, and that one of a rarer
// word does not.
func TestSearchSaysWhenItWasNarrowed(t *testing.T) {
	d := newDemoEnv(t)
	var wg sync.WaitGroup
	work := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range work {
				c := &parley.Contact{ProcessID: d.processID, Kind: parley.Call, Status: parley.Held,
					Start:   time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
					Summary: fmt.Sprintf("Call %d on the exchange of prisoners.", i), Classification: &parley.Classification{Level: parley.ProcessWide}}
				if err := d.Svc.Contacts.CreateContact(System, c); err != nil {
					t.Errorf("contact %d: %v", i, err)
				}
			}
		})
	}
	for i := range parley.MaxRanked + 1 {
		work <- i
	}
	close(work)
	wg.Wait()
	for q, want := range map[string]bool{"prisoners": true, "Donetsk": false} {
		resp := d.Get(t, "/api/v1/processes/"+d.processID+"/search?q="+q)
		var got struct{ Narrowed *bool }
		err := json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil || got.Narrowed == nil || *got.Narrowed != want {
			t.Errorf("searching %s: got narrowed %v (%v), want %v", q, got.Narrowed, err, want)
		}
		pg := pageGet(t, d.testEnv, "/processes/"+d.processID+"/search?q="+q).want(t, http.StatusOK)
		if want {
			pg.has(t, "More than 1,000 points and contacts match: these are the best 50 of the 1,000 written last.")
		} else {
			pg.hasNot(t, "More than 1,000")
		}
	}
}

// TestHistoryComparesWithTheSource checks that each step of a point's
// history shows the words changed since the point it came from: the
// framework's army cap came from the 28 points, not from the European
// counter-proposal dated between them.
func TestHistoryComparesWithTheSource(t *testing.T) {
	d := newDemoEnv(t)
	pg := pageGet(t, d.testEnv, "/versions/"+d.framework+"/points/4/history").want(t, http.StatusOK)
	pg.has(t, "compared with US 28-point plan", "<del>limited to 600,000</del>", "<ins>kept at 800,000</ins>")
}

// TestVersionPageShowsItsPreamble checks that the caveat a text opens with
// (a paraphrase, not the official text) and the text itself are shown.
func TestVersionPageShowsItsPreamble(t *testing.T) {
	d := newDemoEnv(t)
	pg := pageGet(t, d.testEnv, "/versions/"+d.us28).want(t, http.StatusOK)
	pg.has(t, `<p class="preamble">`, "a paraphrase, not the official text", "<summary>The text as given</summary>")
}

// TestContactPageShowsPointsRaised: the page of the October call lists the
// points of the 28 whose provenance names it.
func TestContactPageShowsPointsRaised(t *testing.T) {
	d := newDemoEnv(t)
	ctx := System
	v, err := d.Svc.Plans.FindVersionByID(ctx, d.us28)
	if err != nil {
		t.Fatal(err)
	}
	contact := ""
	if p := v.Point("27"); p != nil {
		contact = p.ContactID
	}
	if contact == "" {
		t.Fatal("point 27 of the 28 names no contact in the demo")
	}
	pageGet(t, d.testEnv, "/contacts/"+contact).want(t, http.StatusOK).
		has(t, "Points raised here", `href="/versions/`+d.us28+`#p-27"`, "Peace Council")
}
