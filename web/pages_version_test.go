package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parley"
)

func TestVersionPage(t *testing.T) {
	f := newFixture(t)
	p := pageGet(t, f.env, "/versions/"+f.framework.ID).want(t, http.StatusOK)
	p.has(t,
		"<h1>Framework</h1>", `<p class="title-line">Framework for peace: the 20 points (24 December 2025)</p>`, "Peace plan", "24 December 2025", "tabled",
		`<h2 class="group">Sovereignty and security</h2>`, `<h2 class="group">Economy and reconstruction</h2>`,
		`<li class="point" id="p-1">`, `>1.</a> The sovereignty of Ukraine is confirmed.`,
		// Lineage back to the version before, at the point's anchor.
		`from <a href="/versions/`+f.us28.ID+`#p-1" title="Peace plan">1 in US 28 points</a>`,
		`href="/versions/`+f.framework.ID+`/points/1/history"`, `href="/versions/`+f.framework.ID+`/points/1/edit"`,
		// Compare with the version before whose text is known.
		`href="/compare?new=`+f.framework.ID+`&amp;old=`+f.us28.ID+`"`,
		`rel="prev">← Geneva revision</a>`)
	// Sub-points nest inside their point.
	if p.count(`<ol class="points">`) < 2 {
		t.Errorf("got no nested list of sub-points")
	}

	p = pageGet(t, f.env, "/versions/"+f.us28.ID).want(t, http.StatusOK)
	p.has(t, "Ukraine", "A report", "B2", "28 points", `id="p-10.b"`, ">b)</a>") // author, sources, a sub-point
	p.hasNot(t, "Compare with")                                                  // the first version has nothing to compare with

	p = pageGet(t, f.env, "/versions/"+f.unknown.ID).want(t, http.StatusOK)
	p.has(t, "Text unknown", "<strong>19 points</strong>", "Points 27 and 28 were dropped.")
	p.hasNot(t, `class="point"`, "Compare with")
}

// TestVersionPageShowsAnnotations checks that a point's annotations show
// on its version's page as soon as they change, although the drawing of
// the points is cached.
func TestVersionPageShowsAnnotations(t *testing.T) {
	f := newFixture(t)
	path := "/versions/" + f.framework.ID
	pageGet(t, f.env, path).want(t, http.StatusOK).hasNot(t, "proposed by Russia")
	tags := []string{"water"}
	proposer, contact, sources := f.russia.ID, f.contacts[0].ID, []string{f.source.ID}
	_, err := f.env.Svc.Plans.UpdatePoint(System, f.framework.ID, "4",
		parley.PointUpdate{Tags: &tags, ProposedBy: &proposer, ContactID: &contact, SourceIDs: &sources})
	must(t, err)
	p := pageGet(t, f.env, path).want(t, http.StatusOK)
	p.has(t, `<span class="tag">water</span>`, "proposed by Russia", `at <a href="/contacts/`+contact+`">Call, 14 October 2025 (Moscow)</a>`)
	// A renamed party shows with its new name.
	f.russia.Name = "Russian Federation"
	must(t, f.env.Svc.Parties.UpdateParty(System, f.russia))
	pageGet(t, f.env, path).want(t, http.StatusOK).has(t, "proposed by Russian Federation")
}

func TestComparePage(t *testing.T) {
	f := newFixture(t)
	path := "/compare?old=" + f.us28.ID + "&new=" + f.framework.ID
	p := pageGet(t, f.env, path).want(t, http.StatusOK)
	p.has(t, "Comparison: US 28 points → Framework", `href="/static/compare.css?v=`,
		"28 → 20 points", `<li class="badge op-moved">`, `<li class="badge op-split">`,
		`<tr class="op-split">`, `moved from 16`, `<del>`, `<ins>`,
		// The points link to their anchors on the versions' pages.
		`<a class="id" href="/versions/`+f.us28.ID+`#p-1">1</a>`, `<a class="id" href="/versions/`+f.framework.ID+`#p-1">1</a>`,
		`href="/api/v1/compare?new=`+f.framework.ID+`&amp;old=`+f.us28.ID+`"`,
		`<form class="quick-compare" action="/compare" method="get">`)
	// The second request is served from the cache, alike.
	again := pageGet(t, f.env, path).want(t, http.StatusOK)
	if again.Body != p.Body {
		t.Errorf("the cached comparison differs from the first")
	}
	// A renamed plan shows its new title on a cached comparison too.
	f.plan.Title = "Renamed plan"
	must(t, f.env.Svc.Plans.UpdatePlan(System, f.plan))
	pageGet(t, f.env, path).want(t, http.StatusOK).has(t, "Renamed plan")

	for _, tc := range []struct {
		name, query string
		status      int
		message     string
	}{
		{"no old", "?new=" + f.us28.ID, http.StatusBadRequest, "Choose the old version"},
		{"no new", "?old=" + f.us28.ID, http.StatusBadRequest, "Choose the new version"},
		{"unknown version", "?old=nope&new=" + f.us28.ID, http.StatusNotFound, `no version "nope"`},
		{"text unknown", "?old=" + f.unknown.ID + "&new=" + f.us28.ID, http.StatusBadRequest, "its text is unknown"},
		{"other process", "?old=" + f.us28.ID + "&new=" + f.otherProcessVersion.ID, http.StatusBadRequest, "different processes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := pageGet(t, f.env, "/compare"+tc.query)
			if p.Status != tc.status {
				t.Fatalf("got %d, want %d", p.Status, tc.status)
			}
			p.hasText(t, tc.message)
		})
	}
}

func TestPointHistoryPage(t *testing.T) {
	f := newFixture(t)
	// Point 4 of the framework came from point 6 of the 28 points:
	// 600,000 became 800,000.
	p := pageGet(t, f.env, "/versions/"+f.framework.ID+"/points/4/history").want(t, http.StatusOK)
	p.has(t, "History of point 4 of Framework",
		`<a href="/versions/`+f.us28.ID+`">US 28 points</a>`, `<a href="/versions/`+f.framework.ID+`">Framework</a>`,
		`href="/versions/`+f.us28.ID+`#p-6"`, `aria-current="true" class="asked">4</a>`,
		"<del>limited to 600,000</del>", "<ins>kept at 800,000</ins>")
	if strings.Index(p.Body, "US 28 points") > strings.Index(p.Body, ">Framework<") {
		t.Errorf("the history is not in date order")
	}
}

func TestPointAnnotationForm(t *testing.T) {
	f := newFixture(t)
	path := "/versions/" + f.framework.ID + "/points/4/edit"
	p := pageGet(t, f.env, path).want(t, http.StatusOK)
	p.has(t, `name="tags" value="military limits">`, `name="tags" value="water"`, // built-in and the process's topics
		`name="lineage" value="`+f.us28.ID+` 6" checked`, `name="proposed_by"`, `name="contact_id"`, `name="source_ids"`)

	form := url.Values{"tags": {"water", "territory"}, "lineage": {f.us28.ID + " 6", f.us28.ID + " 7"},
		"proposed_by": {f.ukraine.ID}, "contact_id": {f.contacts[0].ID}, "source_ids": {f.source.ID}}
	pagePost(t, f.env, path, form).wantRedirect(t, "/versions/"+f.framework.ID+"#p-4")
	v, err := f.env.Svc.Plans.FindVersionByID(System, f.framework.ID)
	must(t, err)
	got := v.Point("4")
	if got == nil {
		t.Fatal("the framework lost its point 4")
	}
	if strings.Join(got.Tags, ",") != "water,territory" || got.ProposedBy != f.ukraine.ID || got.ContactID != f.contacts[0].ID ||
		len(got.Lineage) != 2 || len(got.SourceIDs) != 1 {
		t.Errorf("got point %+v, want the annotations posted", got)
	}
	// An unknown topic is refused next to the topics, and nothing changes.
	form.Set("tags", "no such topic")
	p = pagePost(t, f.env, path, form).want(t, http.StatusBadRequest)
	if msg := p.fieldError("tags"); !strings.Contains(msg, "unknown topic") {
		t.Errorf("got the error %q next to the topics, want unknown topic", msg)
	}
	p.has(t, `name="lineage" value="`+f.us28.ID+` 7" checked`) // what was posted stays on screen
	// Unticking every box clears the lists.
	pagePost(t, f.env, path, url.Values{}).wantRedirect(t, "/versions/")
	v, err = f.env.Svc.Plans.FindVersionByID(System, f.framework.ID)
	must(t, err)
	if pt := v.Point("4"); pt == nil || len(pt.Tags) != 0 || len(pt.Lineage) != 0 || pt.ProposedBy != "" {
		t.Errorf("got point %+v, want point 4 with its annotations cleared", pt)
	}
}
