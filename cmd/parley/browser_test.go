package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"parley"
)

// newBrowser starts the Chromium named by PARLEY_TEST_BROWSER, headless,
// or skips the test saying how to run it.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := os.Getenv("PARLEY_TEST_BROWSER")
	if exe == "" {
		t.Skip("browser tests need PARLEY_TEST_BROWSER naming a Chromium binary (e.g. /usr/bin/chromium); .ci/run sets it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// text returns the visible text of the page's body.
func text(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// wantText fails unless the page shows every string.
func wantText(t *testing.T, ctx context.Context, where string, want ...string) {
	t.Helper()
	got := text(t, ctx)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: the page does not show %q", where, w)
		}
	}
}

// arrived waits until the browser has loaded a page whose path starts
// with prefix: a click that navigates returns before the new page is in,
// and asking the page during the navigation fails, so it asks again.
func arrived(prefix string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		check := chromedp.Evaluate[bool](`document.readyState === "complete" && location.pathname.startsWith(` + strconv.Quote(prefix) + `)`)
		for {
			if ok, err := check(ctx, t); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for a page under %s: %w", prefix, ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
}

// until waits until a JavaScript expression is true on the page, asking
// again while a navigation is under way.
func until(cond string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		check := chromedp.Evaluate[bool](`document.readyState === "complete" && (` + cond + `)`)
		for {
			if ok, err := check(ctx, t); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w", cond, ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
}

// consoleErrors starts collecting what the page reports as errors on
// its console: uncaught exceptions, calls of console.error, and the
// browser's own entries of level error, among them every breach of the
// content security policy and every resource that failed to load, but
// the icon the browser asks for on its own (Parley serves none). The
// func it returns stops and returns them.
func consoleErrors(ctx context.Context) func() []string {
	ctx, cancel := context.WithCancel(ctx)
	var mu sync.Mutex
	var got []string
	done := make(chan struct{})
	messages := chromedp.Console(ctx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if strings.HasSuffix(m.URL, "/favicon.ico") {
				continue
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				mu.Lock()
				got = append(got, m.String()+" ("+m.URL+")")
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return got
	}
}

// TestBrowserDemoWalk opens the demo in a real browser as a newcomer
// would: the list of processes, the dashboard and its timeline, a version,
// the comparison of the 28 points with the framework, the positions and
// the analysis, the territory of the 28 points in two pictures; then it
// pastes a new version, previews it, and saves it. No page reports an
// error on the console.
func TestBrowserDemoWalk(t *testing.T) {
	ctx := newBrowser(t)
	m := MustServe(t, &Main{Demo: true, DemoPassword: "demo password for tests"})
	system := parley.WithActor(context.Background(), parley.System)
	plans, err := m.db.Services().Plans.FindPlans(system, m.DemoProcessID)
	if err != nil {
		t.Fatal(err)
	}
	var ukraine *parley.Plan
	for _, p := range plans {
		if strings.Contains(p.Title, "Ukraine") && !strings.Contains(p.Title, "counter") {
			ukraine = p
		}
	}
	if ukraine == nil {
		t.Fatal("the demo has no plan for Ukraine")
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	location := func() string {
		t.Helper()
		url, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return url
	}

	// No page of the walk reports an error or breaks the content security
	// policy (see the end).
	errs := consoleErrors(ctx)
	// Every page needs an account: the start page sends the newcomer to
	// the sign-in form, which comes back to it.
	do("signing in",
		chromedp.Navigate(m.URL),
		arrived(`/signin`),
		chromedp.SetValue(chromedp.CSS(`#f-name`), "mediator"),
		chromedp.SetValue(chromedp.CSS(`#f-password`), "demo password for tests"),
		chromedp.Submit(chromedp.CSS(`#f-password`)),
		arrived(`/`),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/processes/`+m.DemoProcessID+`"]`)),
	)
	// The start page lists the demo process; its link opens the dashboard.
	do("opening the dashboard",
		chromedp.Navigate(m.URL),
		chromedp.Click(chromedp.CSS(`a[href="/processes/`+m.DemoProcessID+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg`)),
	)
	wantText(t, ctx, "dashboard", "Russia–Ukraine 2025", "US–Russia backchannel", "US 28-point plan", "20-point framework", "text unknown")
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg a").length`))
	if err != nil {
		t.Fatal(err)
	}
	if marks < 10 {
		t.Errorf("the timeline links %d contacts, want the demo's 11 or more", marks)
	}

	// The dashboard links the 28-point version; its page shows the points
	// and where the Peace Council came from.
	do("opening the 28-point version",
		chromedp.Click(chromedp.Search(`//a[normalize-space()="US 28-point plan"]`)),
		arrived(`/versions/`),
	)
	if url := location(); !strings.Contains(url, "/versions/"+ukraine.Versions[0].ID) {
		t.Errorf("the version link went to %s", url)
	}
	wantText(t, ctx, "version page", "Peace Council", "Gaza", "600,000")

	// The dashboard's compare form compares the 28 points with the
	// framework: a split and a move, with the words that changed.
	us, fw := ukraine.Versions[0].ID, ukraine.Versions[len(ukraine.Versions)-1].ID
	do("comparing",
		chromedp.Navigate(m.URL+"processes/"+m.DemoProcessID),
		chromedp.SetValue(chromedp.CSS(`select[name="old"]`), us),
		chromedp.SetValue(chromedp.CSS(`select[name="new"]`), fw),
		chromedp.Submit(chromedp.CSS(`select[name="old"]`)),
		arrived(`/compare`),
	)
	if url := location(); !strings.Contains(url, "old="+us) || !strings.Contains(url, "new="+fw) {
		t.Fatalf("the compare form went to %s, want the comparison of %s with %s", url, us, fw)
	}
	wantText(t, ctx, "compare page", "split", "moved", "ratified by the Duma")

	// The 28-point version's consensus matrix, reached from its page, and
	// the analysis of the negotiation, reached from the dashboard: both
	// drawn as SVG under the content security policy.
	do("opening the positions on the 28 points",
		chromedp.Navigate(m.URL+"versions/"+us),
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Positions of the parties"]`)),
		arrived(`/versions/`+us+`/positions`),
		chromedp.WaitVisible(chromedp.CSS(`svg`)),
	)
	wantText(t, ctx, "positions page", "21 of 28 points accepted by all parties", "Red lines", "Kept word for word in the European counter-proposal")
	do("opening the analysis",
		chromedp.Navigate(m.URL+"processes/"+m.DemoProcessID),
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Analysis"]`)),
		arrived(`/processes/`+m.DemoProcessID+`/analysis`),
		chromedp.WaitVisible(chromedp.CSS(`figure.frontier svg`)),
	)
	wantText(t, ctx, "analysis page", "The frontier", "Nash", "Kalai–Smorodinsky", "Who concedes what", "Ukraine")

	// The territory of the 28 points, reached from the version's page:
	// the map drawn inline with its legend, in the proposed status; the
	// switch draws it again as who controls it in fact.
	do("opening the territory of the 28 points",
		chromedp.Navigate(m.URL+"versions/"+us),
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Map and areas"]`)),
		arrived(`/versions/`+us+`/territory`),
		chromedp.WaitVisible(chromedp.CSS(`figure.territory-map svg`)),
	)
	mapText := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("figure.territory-map svg") || {}).textContent || ""`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	current := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('nav.picture-switch [aria-current="page"]') || {}).textContent || ""`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	byStatus := mapText()
	for _, want := range []string{"Proposed status", "recognised de facto", "demilitarised buffer zone", "Line of contact"} {
		if !strings.Contains(byStatus, want) {
			t.Errorf("the map of the 28 points does not say %q (its subtitle or legend)", want)
		}
	}
	if got := current(); got != "Proposed status" {
		t.Errorf("the picture marked current is %q, want Proposed status", got)
	}
	wantText(t, ctx, "territory page", "Provisions", "By proposed status", "By party", "km²")
	do("switching to who controls it in fact",
		chromedp.Click(chromedp.Search(`//nav[contains(@class, "picture-switch")]//a[normalize-space()="Who controls it in fact"]`)),
		until(`location.search.includes("picture=de_facto")`),
		chromedp.WaitVisible(chromedp.CSS(`figure.territory-map svg`)),
	)
	if url := location(); !strings.Contains(url, "/versions/"+us+"/territory") || !strings.Contains(url, "picture=de_facto") {
		t.Errorf("the switch went to %s, want the territory page with picture=de_facto", url)
	}
	byFact := mapText()
	if byFact == byStatus || !strings.Contains(byFact, "Who controls it in fact") || !strings.Contains(byFact, "controlled in fact: Russia") {
		t.Errorf("the map in the de facto picture does not say who controls what in fact: %.300s", byFact)
	}
	if got := current(); got != "Who controls it in fact" {
		t.Errorf("after the switch, the picture marked current is %q", got)
	}

	// A new version, pasted: the preview shows how it is read and warns
	// of the gap in the numbering, and stores nothing; saving it shows the
	// version's page.
	pasted := "Revised draft\n\n1. A ceasefire along the line of contact.\n2. All prisoners are exchanged.\n4. Elections within 100 days.\n"
	do("previewing a pasted version",
		chromedp.Navigate(m.URL+"plans/"+ukraine.ID+"/versions/new"),
		chromedp.SetValue(chromedp.CSS(`#f-label`), "Browser draft"),
		chromedp.SetValue(chromedp.CSS(`#f-date`), "2026-01-15"),
		chromedp.SetValue(chromedp.CSS(`#f-text`), pasted),
		chromedp.Click(chromedp.CSS(`button[value="preview"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#preview .preview-count`)),
	)
	preview, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#preview`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 points", "Line 5", "Elections within 100 days"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview %q does not show %q", preview, want)
		}
	}
	if p, _ := m.db.Services().Plans.FindPlanByID(system, ukraine.ID); len(p.Versions) != len(ukraine.Versions) {
		t.Errorf("the preview stored a version: %d versions, want %d", len(p.Versions), len(ukraine.Versions))
	}
	do("saving the version",
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		arrived(`/versions/`),
	)
	if url := location(); !strings.Contains(url, "/versions/") {
		t.Fatalf("saving went to %s, want the new version's page", url)
	}
	wantText(t, ctx, "new version", "Browser draft", "All prisoners are exchanged.", "Elections within 100 days.")
	if p, _ := m.db.Services().Plans.FindPlanByID(system, ukraine.ID); len(p.Versions) != len(ukraine.Versions)+1 {
		t.Errorf("after saving: %d versions, want %d", len(p.Versions), len(ukraine.Versions)+1)
	}
	if got := errs(); len(got) > 0 {
		t.Errorf("the walk reported %d errors on the console: %q", len(got), got)
	}
}
