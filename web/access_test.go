package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"parley"
)

// demoRecords finds records of the demo by what they are.
type demoRecords struct {
	uaNote     *parley.Contact // confidential to Ukraine
	ruInternal *parley.Channel // confidential to Russia
	ru, ua     *parley.Party
	public     *parley.Party // a public party: Russia's record itself, in the demo
}

// findDemoRecords reads the demo process behind the server's back.
func findDemoRecords(tb testing.TB, d *demoEnv) *demoRecords {
	tb.Helper()
	a, err := d.Svc.Archive.ExportProcess(System, d.processID)
	must(tb, err)
	r := &demoRecords{}
	for _, p := range a.Parties {
		switch {
		case strings.Contains(p.Name, "Russia"):
			r.ru = p
		case strings.Contains(p.Name, "Ukraine"):
			r.ua = p
		}
	}
	for _, p := range a.Parties {
		if p.Classification.Level == parley.Public {
			r.public = p
			break
		}
	}
	for _, c := range a.Channels {
		if c.Name == "Russian internal" {
			r.ruInternal = c
		}
	}
	for _, c := range a.Contacts {
		if c.Classification != nil && c.Classification.Level == parley.Confidential && r.ua != nil &&
			slices.Equal(c.Classification.PartyIDs, []string{r.ua.ID}) {
			r.uaNote = c
		}
	}
	if r.ru == nil || r.ua == nil || r.public == nil || r.ruInternal == nil || r.uaNote == nil {
		tb.Fatalf("the demo lacks a record this test needs: %+v", r)
	}
	return r
}

// TestHiddenLooksLikeMissing: a record the reader may not see answers
// exactly as a record that does not exist, on pages and in the API.
func TestHiddenLooksLikeMissing(t *testing.T) {
	d := newDemoEnv(t)
	r := findDemoRecords(t, d)
	observer := d.NewAccount(t, "observer", false)
	d.Grant(t, observer, d.processID, parley.RoleObserver, "")
	russian := d.NewAccount(t, "russian", false)
	d.Grant(t, russian, d.processID, parley.RoleDelegate, r.ru.ID)
	outsider := d.NewAccount(t, "outsider", false)
	const missing = "doesnotexist"
	for _, tt := range []struct {
		name   string
		who    *Account
		hidden string // a path with the ID of a hidden record
		id     string
	}{
		{"observer, confidential contact", observer, "/contacts/{}", r.uaNote.ID},
		{"Russian delegate, Ukrainian note", russian, "/contacts/{}", r.uaNote.ID},
		{"Russian delegate, its edit form", russian, "/contacts/{}/edit", r.uaNote.ID},
		{"observer, confidential channel", observer, "/channels/{}/edit", r.ruInternal.ID},
		{"outsider, the process", outsider, "/processes/{}", d.processID},
		{"outsider, a public party", outsider, "/parties/{}/edit", r.public.ID},
		{"observer, API contact", observer, "/api/v1/contacts/{}", r.uaNote.ID},
		{"Russian delegate, API contact", russian, "/api/v1/contacts/{}", r.uaNote.ID},
		{"observer, API channel", observer, "/api/v1/channels/{}", r.ruInternal.ID},
		{"outsider, API process", outsider, "/api/v1/processes/{}", d.processID},
		{"outsider, API parties of the process", outsider, "/api/v1/processes/{}/parties", d.processID},
		{"outsider, search", outsider, "/processes/{}/search?q=ceasefire", d.processID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := d.As(tt.who)
			hidden := pageGet(t, env, strings.ReplaceAll(tt.hidden, "{}", tt.id))
			absent := pageGet(t, env, strings.ReplaceAll(tt.hidden, "{}", missing))
			if hidden.Status != http.StatusNotFound || absent.Status != http.StatusNotFound {
				t.Fatalf("got %d for the hidden record and %d for a missing one, want 404 for both", hidden.Status, absent.Status)
			}
			if got, want := strings.ReplaceAll(hidden.Body, tt.id, missing), absent.Body; got != want {
				t.Errorf("the hidden record's answer differs from a missing one's:\n%s\n---\n%s", cutBody(got), cutBody(want))
			}
			for _, h := range []string{"Content-Type", "Content-Length", "Cache-Control", "Location"} {
				if got, want := hidden.Header.Get(h), absent.Header.Get(h); got != want && h != "Content-Length" {
					t.Errorf("got %s %q for the hidden record, %q for a missing one", h, got, want)
				}
			}
		})
	}
}

// TestObserverCannotChange: a record the reader sees but may not change
// is refused with 403, on a page form and in the API, and not changed.
func TestObserverCannotChange(t *testing.T) {
	d := newDemoEnv(t)
	r := findDemoRecords(t, d)
	observer := d.NewAccount(t, "observer", false)
	d.Grant(t, observer, d.processID, parley.RoleObserver, "")
	env := d.As(observer)
	edit := "/parties/" + r.public.ID + "/edit"
	pageGet(t, env, edit).want(t, http.StatusOK)
	p := pagePost(t, env, edit, url.Values{"name": {"Renamed"}, "kind": {string(r.public.Kind)}, "classification": {"public"}})
	p.want(t, http.StatusForbidden).has(t, "<h1>Not allowed</h1>")
	apiCall(t, env, "PATCH", "/api/v1/parties/"+r.public.ID, `{"name": "Renamed"}`).apiError(t, http.StatusForbidden, parley.EFORBIDDEN)
	apiCall(t, env, "POST", "/api/v1/processes/"+d.processID+"/parties",
		`{"name": "New", "kind": "state", "classification": {"level": "public"}}`).apiError(t, http.StatusForbidden, parley.EFORBIDDEN)
	stored, err := d.Svc.Parties.FindPartyByID(System, r.public.ID)
	must(t, err)
	if stored.Name != r.public.Name {
		t.Errorf("an observer renamed %q to %q", r.public.Name, stored.Name)
	}
}

// reads counts the audit log's reads of a record.
func reads(tb testing.TB, env *testEnv, processID, id string) int {
	tb.Helper()
	records, _, err := env.Svc.Audit.FindAuditRecords(System, parley.AuditFilter{ProcessID: processID, Limit: 10000})
	must(tb, err)
	n := 0
	for _, r := range records {
		if r.Action == "read" && slices.Contains(r.IDs, id) {
			n++
		}
	}
	return n
}

// TestDrawnPagesLogEveryRead: the version and compare pages are kept once
// drawn, and every time one is served again the read of the non-public
// version it shows is logged anew.
func TestDrawnPagesLogEveryRead(t *testing.T) {
	f := newFixture(t)
	env := f.env
	plan := &parley.Plan{ProcessID: f.process.ID, Title: "Working draft", Classification: parley.Classification{Level: parley.ProcessWide}}
	must(t, env.Svc.Plans.CreatePlan(env.Ctx, plan))
	v := &parley.Version{PlanID: plan.ID, Label: "Draft 1", Date: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), Status: parley.Draft,
		Text: "1. One.\n2. Two.\n", Classification: parley.Classification{Level: parley.ProcessWide}}
	must(t, env.Svc.Plans.CreateVersion(env.Ctx, v))
	w := &parley.Version{PlanID: plan.ID, Label: "Draft 2", Date: time.Date(2025, 12, 2, 0, 0, 0, 0, time.UTC), Status: parley.Draft,
		Text: "1. One.\n2. Two, changed.\n", Classification: parley.Classification{Level: parley.ProcessWide}}
	must(t, env.Svc.Plans.CreateVersion(env.Ctx, w))
	for _, path := range []string{"/versions/" + v.ID, "/compare?old=" + v.ID + "&new=" + w.ID} {
		t.Run(path, func(t *testing.T) {
			for i := range 4 { // the first visits learn the process and would keep the page
				before := reads(t, env, f.process.ID, v.ID)
				pageGet(t, env, path).want(t, http.StatusOK).has(t, "Draft 1")
				if after := reads(t, env, f.process.ID, v.ID); after <= before {
					t.Errorf("visit %d: the read of a process-wide version was not logged (%d reads before, %d after)", i+1, before, after)
				}
			}
		})
	}
}

// TestDrawnPagesNameTheirReader: a page kept for observers names, in its
// header, the observer who reads it, not the one it was drawn for; and a
// mediator is never served an observer's page.
func TestDrawnPagesNameTheirReader(t *testing.T) {
	f := newFixture(t)
	env := f.env
	amy := env.NewAccount(t, "amy", false)
	env.Grant(t, amy, f.process.ID, parley.RoleObserver, "")
	bob := env.NewAccount(t, "bob", false)
	env.Grant(t, bob, f.process.ID, parley.RoleObserver, "")
	for _, path := range []string{"/versions/" + f.us28.ID, "/compare?old=" + f.us28.ID + "&new=" + f.framework.ID} {
		t.Run(path, func(t *testing.T) {
			var first string
			for range 3 {
				p := pageGet(t, env.As(amy), path).want(t, http.StatusOK)
				p.has(t, "Signed in as <strong>amy</strong>")
				first = p.Body
			}
			p := pageGet(t, env.As(bob), path).want(t, http.StatusOK)
			p.has(t, "Signed in as <strong>bob</strong>")
			p.hasNot(t, "amy")
			if got := strings.ReplaceAll(p.Body, "bob", "amy"); got != first {
				t.Errorf("two observers get different pages:\n%s\n---\n%s", cutBody(got), cutBody(first))
			}
			pageGet(t, env, path).want(t, http.StatusOK).has(t, "Signed in as <strong>mediator</strong>")
		})
	}
}
