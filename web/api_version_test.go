package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"parley"
	"parley/compare"
)

// readExample reads an example plan text from the repository.
func readExample(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile("../examples/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// postVersion creates a version and returns it.
func postVersion(tb testing.TB, env *testEnv, planID string, body map[string]any) *parley.Version {
	tb.Helper()
	r := apiCall(tb, env, "POST", "/api/v1/plans/"+planID+"/versions", body)
	r.want(tb, http.StatusCreated)
	var v parley.Version
	r.decode(tb, &v)
	if want := "/api/v1/versions/" + v.ID; r.Header.Get("Location") != want {
		tb.Errorf("got Location %q, want %q", r.Header.Get("Location"), want)
	}
	return &v
}

// examplePlan creates a plan in process A of the fixture with two
// versions: the US 28-point plan of 20 November and the 20-point framework
// of 24 December.
func examplePlan(tb testing.TB, env *testEnv, f *recordFixture) (planID string, us, fw *parley.Version) {
	tb.Helper()
	planID = apiID(tb, env, "/api/v1/processes/"+f.A+"/plans", `{"title": "Ukraine"}`)
	us = postVersion(tb, env, planID, map[string]any{"label": "US", "date": "2025-11-20", "text": readExample(tb, "us-28-points.txt")})
	fw = postVersion(tb, env, planID, map[string]any{"label": "Framework", "date": "2025-12-24", "text": readExample(tb, "framework-20-points.txt")})
	return planID, us, fw
}

func TestAPIVersionCreate(t *testing.T) {
	env := newTestEnv(t)
	f := newRecordFixture(t, env)
	shared := map[string]any{"level": "shared", "party_ids": []string{f.PartyA}}
	planID := apiID(t, env, "/api/v1/processes/"+f.A+"/plans", map[string]any{"title": "Ukraine", "classification": shared})

	v := postVersion(t, env, planID, map[string]any{"label": "US 28 points", "date": "2025-11-20",
		"text": readExample(t, "us-28-points.txt"), "author_party_id": f.PartyA, "source_ids": []string{f.SourceA}})
	if v.Status != parley.Draft {
		t.Errorf("got status %q, want draft by default", v.Status)
	}
	if v.Classification.Level != parley.Shared || !slices.Equal(v.Classification.PartyIDs, []string{f.PartyA}) {
		t.Errorf("got classification %v, want the plan's", v.Classification)
	}
	if v.Date.Format("2006-01-02T15:04:05Z07:00") != "2025-11-20T00:00:00Z" {
		t.Errorf("got date %v, want the start of 20 November 2025, UTC", v.Date)
	}
	if v.PointCount != 28 || len(v.Points) < 28 || v.Points[0].ID != "1" {
		t.Errorf("got %d points (%d with sub-points), want 28 starting with 1", v.PointCount, len(v.Points))
	}

	w := postVersion(t, env, planID, map[string]any{"label": "Gapped", "date": "2025-11-21T18:30:00+02:00",
		"text": "1. The sovereignty of Ukraine is confirmed.\n3. Third.\n", "status": "leaked", "classification": map[string]any{"level": "public"}})
	if w.Status != parley.Leaked || w.Classification.Level != parley.Public {
		t.Errorf("got status %q and classification %v, want the body's leaked and public", w.Status, w.Classification)
	}
	if len(w.Warnings) == 0 || !strings.Contains(w.Warnings[0], "line 2") {
		t.Errorf("got warnings %q, want one about the gap at line 2", w.Warnings)
	}
	if w.PreviousID != v.ID || len(w.Points[0].Lineage) == 0 {
		t.Errorf("got previous version %q and lineage %v, want the first version and point 1's lineage", w.PreviousID, w.Points[0].Lineage)
	}

	u := postVersion(t, env, planID, map[string]any{"label": "Geneva 19", "date": "2025-11-23", "text_unknown": true,
		"point_count": 19, "reported_changes": "Points on amnesty and army size dropped."})
	if !u.TextUnknown || u.PointCount != 19 || len(u.Points) != 0 {
		t.Errorf("got %+v, want a version whose text is unknown with 19 points reported", u)
	}

	versions := "/api/v1/plans/" + planID + "/versions"
	runErrorCases(t, env, []errorCase{
		{"missing plan", "POST", "/api/v1/plans/nope/versions", `{"label": "X", "date": "2025-11-20", "text": "1. A."}`, 404, "not_found", "", nil},
		{"no label", "POST", versions, `{"date": "2025-11-20", "text": "1. A."}`, 400, "invalid", "label", nil},
		{"no date", "POST", versions, `{"label": "X", "text": "1. A."}`, 400, "invalid", "date", nil},
		{"date in another form", "POST", versions, `{"label": "X", "date": "20/11/2025", "text": "1. A."}`, 400, "invalid", "date", []string{"2025-11-20"}},
		{"date not a string", "POST", versions, `{"label": "X", "date": 20251120, "text": "1. A."}`, 400, "invalid", "date", nil},
		{"unknown status", "POST", versions, `{"label": "X", "date": "2025-11-20", "text": "1. A.", "status": "final"}`, 400, "invalid", "status", []string{"draft"}},
		{"no text", "POST", versions, `{"label": "X", "date": "2025-11-20"}`, 400, "invalid", "text", nil},
		{"no points", "POST", versions, `{"label": "X", "date": "2025-11-20", "text": "Just prose, no numbers."}`, 400, "invalid", "text", []string{"no numbered points"}},
		{"NUL in text", "POST", versions, `{"label": "X", "date": "2025-11-20", "text": "1. A.\n2. B\u0000."}`, 400, "invalid", "text", []string{"line 2, column 5"}},
		{"unknown text with no count", "POST", versions, `{"label": "X", "date": "2025-11-20", "text_unknown": true}`, 400, "invalid", "point_count", nil},
		{"points are computed", "POST", versions, `{"label": "X", "date": "2025-11-20", "text": "1. A.", "points": []}`, 400, "invalid", "points", []string{"unknown field"}},
		{"missing author", "POST", versions, `{"label": "X", "date": "2025-11-20", "text": "1. A.", "author_party_id": "nope"}`, 400, "invalid", "author_party_id", nil},
		{"bad classification", "POST", versions, `{"label": "X", "date": "2025-11-20", "text": "1. A.", "classification": {"level": "secret"}}`, 400, "invalid", "classification", nil},
	})
	r := apiCall(t, env, "GET", "/api/v1/plans/"+planID, nil)
	r.want(t, http.StatusOK)
	var plan parley.Plan
	r.decode(t, &plan)
	if len(plan.Versions) != 3 {
		t.Errorf("got %d versions after the failed creates, want the 3 created", len(plan.Versions))
	}
}

func TestAPIVersionAndPoints(t *testing.T) {
	env := newTestEnv(t)
	f := newRecordFixture(t, env)
	_, v1, v2 := examplePlan(t, env, f)

	r := apiCall(t, env, "GET", "/api/v1/versions/"+v1.ID, nil)
	r.want(t, http.StatusOK)
	var got parley.Version
	r.decode(t, &got)
	if got.Text != readExample(t, "us-28-points.txt") || len(got.Points) != len(v1.Points) {
		t.Errorf("got a version with %d bytes of text and %d points, want the text as posted and %d points", len(got.Text), len(got.Points), len(v1.Points))
	}

	point := "/api/v1/versions/" + v1.ID + "/points/10.b"
	r = apiCall(t, env, "PATCH", point, fmt.Sprintf(`{"tags": ["security guarantees"], "proposed_by": %q, "source_ids": [%q]}`, f.PartyA, f.SourceA))
	r.want(t, http.StatusOK)
	var p parley.Point
	r.decode(t, &p)
	if p.ID != "10.b" || !slices.Equal(p.Tags, []string{"security guarantees"}) || p.ProposedBy != f.PartyA {
		t.Errorf("got point %+v, want 10.b tagged and proposed by party A", p)
	}
	r = apiCall(t, env, "PATCH", point, `{"tags": []}`)
	r.want(t, http.StatusOK)
	p = parley.Point{}
	r.decode(t, &p)
	if len(p.Tags) != 0 || p.ProposedBy != f.PartyA {
		t.Errorf("got tags %v and proposer %q, want no tags and the proposer kept", p.Tags, p.ProposedBy)
	}

	r = apiCall(t, env, "GET", "/api/v1/versions/"+v2.ID+"/points/8/history", nil)
	r.want(t, http.StatusOK)
	var steps apiList[parley.PointStep]
	r.decode(t, &steps)
	if steps.Total != 2 || len(steps.Items) != 2 || steps.Items[0].Version.ID != v1.ID || steps.Items[0].Points[0].ID != "12" {
		t.Errorf("got history %+v, want point 12 of the US plan, then point 8 of the framework", steps)
	}

	runErrorCases(t, env, []errorCase{
		{"missing version", "GET", "/api/v1/versions/nope", "", 404, "not_found", "", nil},
		{"missing point", "PATCH", "/api/v1/versions/" + v1.ID + "/points/99", `{"tags": []}`, 404, "not_found", "", nil},
		{"point of missing version", "PATCH", "/api/v1/versions/nope/points/1", `{"tags": []}`, 404, "not_found", "", nil},
		{"unknown topic", "PATCH", point, `{"tags": ["weather"]}`, 400, "invalid", "tags", nil},
		{"proposer of another process", "PATCH", point, fmt.Sprintf(`{"proposed_by": %q}`, f.PartyB), 400, "invalid", "proposed_by", nil},
		{"label cannot change", "PATCH", point, `{"label": "11"}`, 400, "invalid", "label", nil},
		{"tags not a list", "PATCH", point, `{"tags": "ceasefire"}`, 400, "invalid", "tags", nil},
		{"lineage to a later version", "PATCH", point, fmt.Sprintf(`{"lineage": [{"version_id": %q, "point_id": "1"}]}`, v2.ID), 400, "invalid", "lineage", nil},
		{"history of missing point", "GET", "/api/v1/versions/" + v1.ID + "/points/99/history", "", 404, "not_found", "", nil},
		{"history of missing version", "GET", "/api/v1/versions/nope/points/1/history", "", 404, "not_found", "", nil},
	})
}

// TestAPIPointIDInPath checks that a point ID with characters that must be
// escaped in a URL ("#2") reaches the store unescaped.
func TestAPIPointIDInPath(t *testing.T) {
	env := newTestEnv(t)
	f := newRecordFixture(t, env)
	v := postVersion(t, env, f.PlanA, map[string]any{"label": "Bullets", "date": "2025-11-20", "text": "1. Main.\n   - first\n   - second\n"})
	r := apiCall(t, env, "PATCH", "/api/v1/versions/"+v.ID+"/points/"+url.PathEscape("1.#2"), `{"tags": ["ceasefire"]}`)
	r.want(t, http.StatusOK)
	var p parley.Point
	r.decode(t, &p)
	if p.ID != "1.#2" || p.Text != "second" {
		t.Errorf("got point %q (%q), want 1.#2 (second)", p.ID, p.Text)
	}
}

func TestAPICompare(t *testing.T) {
	env := newTestEnv(t)
	f := newRecordFixture(t, env)
	planID, us, fw := examplePlan(t, env, f)
	unknown := postVersion(t, env, planID, map[string]any{"label": "Geneva", "date": "2025-11-23", "text_unknown": true, "point_count": 19})
	other := postVersion(t, env, f.PlanB, map[string]any{"label": "B", "date": "2025-11-20", "text": "1. A."})

	r := apiCall(t, env, "GET", "/api/v1/compare?old="+us.ID+"&new="+fw.ID, nil)
	r.want(t, http.StatusOK)
	var rep compare.Report
	r.decode(t, &rep)
	if rep.Schema != "parley.compare/v1" {
		t.Errorf("got schema %q, want parley.compare/v1", rep.Schema)
	}
	split := slices.IndexFunc(rep.Pairs, func(p compare.Pair) bool { return p.Op == compare.Split && slices.Equal(p.Old, []string{"12"}) })
	if split < 0 || !slices.Equal(rep.Pairs[split].New, []string{"8", "9"}) {
		t.Errorf("got no split of point 12 into 8 and 9 among %+v", rep.Pairs)
	}
	if rep.Summary.Threshold != 0.5 || rep.Summary.OldPoints != len(us.Points) {
		t.Errorf("got summary %+v, want threshold 0.5 and %d old points", rep.Summary, len(us.Points))
	}
	r = apiCall(t, env, "GET", "/api/v1/compare?old="+us.ID+"&new="+fw.ID+"&threshold=0.9", nil)
	r.want(t, http.StatusOK)
	r.decode(t, &rep)
	if rep.Summary.Threshold != 0.9 {
		t.Errorf("got threshold %v, want 0.9", rep.Summary.Threshold)
	}

	// bad is a comparison refused for its parameter field.
	bad := func(name, query, field string) errorCase {
		return errorCase{name, "GET", "/api/v1/compare?" + query, "", 400, "invalid", field, nil}
	}
	both := "old=" + us.ID + "&new=" + fw.ID
	runErrorCases(t, env, []errorCase{
		bad("no old", "new="+fw.ID, "old"),
		bad("no new", "old="+us.ID, "new"),
		bad("missing old", "old=nope&new="+fw.ID, "old"),
		bad("missing new", "old="+us.ID+"&new=nope", "new"),
		bad("old text unknown", "old="+unknown.ID+"&new="+fw.ID, "old"),
		bad("new text unknown", "old="+us.ID+"&new="+unknown.ID, "new"),
		bad("versions of two processes", "old="+us.ID+"&new="+other.ID, "new"),
		bad("threshold not a number", both+"&threshold=high", "threshold"),
		bad("threshold zero", both+"&threshold=0", "threshold"),
		bad("threshold above one", both+"&threshold=1.5", "threshold"),
		bad("threshold NaN", both+"&threshold=NaN", "threshold"),
	})
}

func TestAPISearch(t *testing.T) {
	env := newTestEnv(t)
	f := newRecordFixture(t, env)
	v := postVersion(t, env, f.PlanA, map[string]any{"label": "US", "date": "2025-11-20", "text": readExample(t, "us-28-points.txt")})
	search := "/api/v1/processes/" + f.A + "/search?q="
	r := apiCall(t, env, "GET", search+url.QueryEscape("Zaporizh"), nil)
	r.want(t, http.StatusOK)
	var hits apiList[parley.SearchHit]
	r.decode(t, &hits)
	if hits.Total == 0 || hits.Total != len(hits.Items) || hits.Items[0].VersionID != v.ID {
		t.Fatalf("got %+v, want hits in version %s", hits, v.ID)
	}
	r = apiCall(t, env, "GET", search+"the&limit=2", nil)
	r.want(t, http.StatusOK)
	r.decode(t, &hits)
	if hits.Total != 2 {
		t.Errorf("got %d hits with limit 2, want 2", hits.Total)
	}
	r = apiCall(t, env, "GET", "/api/v1/processes/"+f.B+"/search?q=Zaporizhzhia", nil)
	r.want(t, http.StatusOK)
	r.decode(t, &hits)
	if hits.Total != 0 || hits.Items == nil {
		t.Errorf("got %+v in process B, want an empty list: the text is in A", hits)
	}

	runErrorCases(t, env, []errorCase{
		{"no query", "GET", "/api/v1/processes/" + f.A + "/search", "", 400, "invalid", "q", nil},
		{"blank query", "GET", search + "%20%20", "", 400, "invalid", "q", nil},
		{"query too long", "GET", search + strings.Repeat("a", parley.MaxQueryLen+1), "", 400, "invalid", "q", nil},
		{"limit zero", "GET", search + "peace&limit=0", "", 400, "invalid", "limit", nil},
		{"limit too high", "GET", search + "peace&limit=501", "", 400, "invalid", "limit", nil},
		{"missing process", "GET", "/api/v1/processes/nope/search?q=peace", "", 404, "not_found", "", nil},
	})
}
