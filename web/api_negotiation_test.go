package web_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"parley"
)

func TestAPIIssues(t *testing.T) {
	f := newNegotiationFixture(t)
	in := "/api/v1/processes/" + f.process.ID
	var list struct {
		Items []parley.Issue `json:"items"`
		Total int            `json:"total"`
	}
	r := apiCall(t, f.env, http.MethodGet, in+"/issues", nil)
	r.want(t, http.StatusOK)
	r.decode(t, &list)
	if got := []string{list.Items[0].Name, list.Items[1].Name}; list.Total != 2 || !slices.Equal(got, []string{"Army cap", "Guarantee"}) {
		t.Fatalf("got %d issues %q, want Army cap and Guarantee in order", list.Total, got)
	}

	// Created without a classification, an issue takes its process's.
	r = apiCall(t, f.env, http.MethodPost, in+"/issues", map[string]any{"name": "Amnesty", "order": 3, "default": "none",
		"options": []map[string]any{{"id": "full", "label": "Full amnesty", "points": []map[string]string{{"version_id": f.us28.ID, "point_id": "26"}}},
			{"id": "none", "label": "No amnesty"}}})
	r.want(t, http.StatusCreated)
	var is parley.Issue
	r.decode(t, &is)
	if is.ID == "" || is.ProcessID != f.process.ID || is.Classification.Level != parley.Public || is.Default != "none" ||
		len(is.Options) != 2 || is.Options[0].Points[0].PointID != "26" {
		t.Errorf("got created issue %+v", is)
	}
	if loc := r.Header.Get("Location"); loc != "/api/v1/issues/"+is.ID {
		t.Errorf("got Location %q, want /api/v1/issues/%s", loc, is.ID)
	}
	r = apiCall(t, f.env, http.MethodPatch, "/api/v1/issues/"+is.ID, map[string]any{"name": "Amnesty for all"})
	r.want(t, http.StatusOK)
	var patched parley.Issue
	r.decode(t, &patched)
	if patched.Name != "Amnesty for all" || len(patched.Options) != 2 || patched.Order != 3 {
		t.Errorf("got patched issue %+v, want the new name and everything else kept", patched)
	}
	r = apiCall(t, f.env, http.MethodGet, "/api/v1/issues/"+is.ID, nil)
	r.want(t, http.StatusOK)

	two := []map[string]any{{"id": "a", "label": "A"}, {"id": "b", "label": "B"}}
	for _, c := range []errorCase{
		{"one option", "POST", in + "/issues", `{"name": "X", "options": [{"id": "a", "label": "A"}]}`, 400, "invalid", "options", []string{"at least two"}},
		{"no name", "POST", in + "/issues", mustJSON(t, map[string]any{"options": two}), 400, "invalid", "name", nil},
		{"unknown field", "POST", in + "/issues", `{"name": "X", "colour": "red"}`, 400, "invalid", "colour", []string{"unknown field"}},
		{"options not a list", "POST", in + "/issues", `{"name": "X", "options": "a, b"}`, 400, "invalid", "options", []string{"a list"}},
		{"bad option ID", "POST", in + "/issues", `{"name": "X", "options": [{"id": "a b", "label": "A"}, {"id": "b", "label": "B"}]}`, 400, "invalid", "options", []string{"option 1", "a b"}},
		{"point of no version", "POST", in + "/issues", `{"name": "X", "options": [{"id": "a", "label": "A", "points": [{"version_id": "nope", "point_id": "1"}]}, {"id": "b", "label": "B"}]}`, 400, "invalid", "options", []string{"option 1"}},
		{"default not an option", "PATCH", "/api/v1/issues/" + is.ID, `{"default": "partial"}`, 400, "invalid", "default", []string{"partial"}},
		{"invalid UTF-8", "POST", in + "/issues", "{\"name\": \"\xff\"}", 400, "invalid", "", []string{"UTF-8"}},
		{"unknown issue", "GET", "/api/v1/issues/nosuchissue", "", 404, "not_found", "", nil},
		{"unknown process", "GET", "/api/v1/processes/nosuchprocess/issues", "", 404, "not_found", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var body any
			if c.body != "" {
				body = c.body
			}
			apiCall(t, f.env, c.method, c.path, body).wantError(t, c.status, c.code, c.field, c.words...)
		})
	}

	// Only mediators write issues; a delegate reads them.
	apiCall(t, f.ua, http.MethodPost, in+"/issues", map[string]any{"name": "Mine", "options": two}).apiError(t, http.StatusForbidden, parley.EFORBIDDEN)
	apiCall(t, f.ru, http.MethodPatch, "/api/v1/issues/"+f.army.ID, map[string]any{"name": "Theirs"}).apiError(t, http.StatusForbidden, parley.EFORBIDDEN)
	apiCall(t, f.ru, http.MethodGet, "/api/v1/issues/"+f.army.ID, nil).want(t, http.StatusOK)
}

// mustJSON writes v as JSON.
func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	must(tb, err)
	return string(b)
}

func TestAPIPreferences(t *testing.T) {
	f := newNegotiationFixture(t)
	in := "/api/v1/processes/" + f.process.ID
	ruPath := in + "/preferences/" + f.russia.ID
	body := map[string]any{"weights": map[string]int{f.army.ID: 50, f.guarantee.ID: 50},
		"ratings":     map[string]map[string]int{f.army.ID: {"600k": 90, "800k": 30}, f.guarantee.ID: {"reliable": 80, "art5": 10}},
		"reservation": 15, "never": []map[string]string{{"issue_id": f.guarantee.ID, "option_id": "art5"}}, "note": "Russia's numbers"}
	r := apiCall(t, f.ru, http.MethodPut, ruPath, body)
	r.want(t, http.StatusOK)
	var p parley.Preferences
	r.decode(t, &p)
	if p.ID == "" || p.PartyID != f.russia.ID || p.Classification.Level != parley.Confidential ||
		!slices.Equal(p.Classification.PartyIDs, []string{f.russia.ID}) || p.Weights[f.army.ID] != 50 || len(p.Never) != 1 || p.Updated.IsZero() {
		t.Errorf("got stored preferences %+v", p)
	}
	// What GET lists can be sent back as it is.
	var list struct {
		Items []json.RawMessage `json:"items"`
		Total int               `json:"total"`
	}
	r = apiCall(t, f.ru, http.MethodGet, in+"/preferences", nil)
	r.want(t, http.StatusOK)
	r.decode(t, &list)
	if list.Total != 1 || !strings.Contains(string(list.Items[0]), "Russia's numbers") {
		t.Fatalf("Russia's delegate lists %d preferences: %s; want its own alone", list.Total, r.Body)
	}
	apiCall(t, f.ru, http.MethodPut, ruPath, string(list.Items[0])).want(t, http.StatusOK)

	// Who lists whose: the mediator both, a delegate its own, an observer
	// none.
	for _, tt := range []struct {
		who  string
		env  *testEnv
		want []string
	}{{"the mediator", f.env, []string{"Illustrative numbers of Ukraine.", "Russia's numbers"}},
		{"Ukraine's delegate", f.ua, []string{"Illustrative numbers of Ukraine."}}, {"an observer", f.obs, nil}} {
		r := apiCall(t, tt.env, http.MethodGet, in+"/preferences", nil)
		r.want(t, http.StatusOK)
		r.decode(t, &list)
		if list.Total != len(tt.want) {
			t.Errorf("%s lists %d preferences, want %d: %s", tt.who, list.Total, len(tt.want), r.Body)
		}
		for _, note := range []string{"Illustrative numbers of Ukraine.", "Russia's numbers"} {
			if has, want := strings.Contains(string(r.Body), note), slices.Contains(tt.want, note); has != want {
				t.Errorf("%s: the list shows %q: %v, want %v", tt.who, note, has, want)
			}
		}
	}

	sum := map[string]any{"weights": map[string]int{f.army.ID: 50, f.guarantee.ID: 40}}
	rating := map[string]any{"weights": map[string]int{f.army.ID: 50, f.guarantee.ID: 50}, "ratings": map[string]map[string]int{f.army.ID: {"600k": 101}}}
	unknown := map[string]any{"weights": map[string]int{f.army.ID: 50, f.guarantee.ID: 50}, "ratings": map[string]map[string]int{f.army.ID: {"900k": 50}}}
	for _, c := range []errorCase{
		{"sum not 100", "PUT", ruPath, mustJSON(t, sum), 400, "invalid", "weights", []string{"sum to 90"}},
		{"rating out of range", "PUT", ruPath, mustJSON(t, rating), 400, "invalid", "ratings", []string{"101"}},
		{"unknown option", "PUT", ruPath, mustJSON(t, unknown), 400, "invalid", "ratings", []string{"900k"}},
		{"unknown field", "PUT", ruPath, `{"weights": {}, "budget": 100}`, 400, "invalid", "budget", []string{"unknown field"}},
		{"weights not numbers", "PUT", ruPath, `{"weights": {"x": "ten"}}`, 400, "invalid", "weights", nil},
		{"another party's ID", "PUT", ruPath, mustJSON(t, map[string]any{"party_id": f.ukraine.ID}), 400, "invalid", "party_id", []string{f.ukraine.ID}},
		{"shared", "PUT", ruPath, mustJSON(t, map[string]any{"weights": map[string]int{f.army.ID: 100},
			"classification": map[string]any{"level": "public"}}), 400, "invalid", "classification", []string{"confidential"}},
		{"not JSON", "PUT", ruPath, "weights=100", 400, "invalid", "", []string{"byte offset"}},
		{"unknown party", "PUT", in + "/preferences/nosuchparty", mustJSON(t, body), 404, "not_found", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			apiCall(t, f.ru, c.method, c.path, c.body).wantError(t, c.status, c.code, c.field, c.words...)
		})
	}
	// A delegate sets its own party's preferences alone; an observer none.
	apiCall(t, f.ru, http.MethodPut, in+"/preferences/"+f.ukraine.ID, body).apiError(t, http.StatusForbidden, parley.EFORBIDDEN)
	apiCall(t, f.obs, http.MethodPut, ruPath, body).apiError(t, http.StatusForbidden, parley.EFORBIDDEN)
	if got := mustPrefs(t, f, f.ukraine.ID); got.Note != "Illustrative numbers of Ukraine." {
		t.Errorf("a refused PUT changed Ukraine's preferences: %+v", got)
	}
}

func TestAPIAnalysis(t *testing.T) {
	f := newNegotiationFixture(t)
	f.russiaPrefs(t)
	path := "/api/v1/processes/" + f.process.ID + "/analysis?version=" + f.framework.ID + "&previous=" + f.us28.ID
	r := apiCall(t, f.env, http.MethodGet, path, nil)
	r.want(t, http.StatusOK)
	var a parley.Analysis
	r.decode(t, &a)
	if a.Tentative == nil || a.Tentative.Utility[f.ukraine.ID] != 96 || a.Tentative.Utility[f.russia.ID] != 20 || !a.Exact ||
		len(a.Frontier) != 4 || len(a.Fair) != 4 || !a.NoImprovement || len(a.Concessions) != 4 {
		t.Errorf("got the mediator's analysis %s", r.Body)
	}

	// A delegate's analysis holds its own party's numbers alone.
	for _, tt := range []struct {
		who        string
		env        *testEnv
		own, other string
	}{{"Ukraine's delegate", f.ua, f.ukraine.ID, f.russia.ID}, {"Russia's delegate", f.ru, f.russia.ID, f.ukraine.ID}} {
		r := apiCall(t, tt.env, http.MethodGet, path, nil)
		r.want(t, http.StatusOK)
		var a parley.Analysis
		r.decode(t, &a)
		if a.Viewer != tt.own {
			t.Errorf("%s: got viewer %q, want %q", tt.who, a.Viewer, tt.own)
		}
		var packages []*parley.AnalysedPackage
		packages = append(packages, a.Tentative)
		packages = append(packages, a.Frontier...)
		packages = append(packages, a.Improvements...)
		for _, fp := range a.Fair {
			packages = append(packages, fp.Package)
		}
		for k, p := range packages {
			if p == nil {
				continue
			}
			if _, ok := p.Utility[tt.own]; len(p.Utility) != 1 || !ok {
				t.Errorf("%s: package %d has the utilities %v, want %s's alone", tt.who, k, p.Utility, tt.own)
			}
		}
		for name, m := range map[string]map[string]float64{"ideal": a.Ideal, "distance": a.Distance} {
			if _, ok := m[tt.own]; len(m) != 1 || !ok {
				t.Errorf("%s: got %s %v, want %s's alone", tt.who, name, m, tt.own)
			}
		}
		for _, c := range a.Concessions {
			if c.PartyID != tt.own {
				t.Errorf("%s: got a concession of %s", tt.who, c.PartyID)
			}
		}
		if strings.Contains(string(r.Body), `"`+tt.other+`":`) {
			t.Errorf("%s: the analysis has numbers keyed by the other party: %s", tt.who, r.Body)
		}
	}

	in := "/api/v1/processes/" + f.process.ID
	apiCall(t, f.obs, http.MethodGet, in+"/analysis", nil).apiError(t, http.StatusForbidden, parley.EFORBIDDEN)
	for _, c := range []errorCase{
		{"unknown parameter", "GET", in + "/analysis?versoin=" + f.us28.ID, "", 400, "invalid", "versoin", []string{"version and previous"}},
		{"unknown version", "GET", in + "/analysis?version=nosuchversion", "", 404, "not_found", "", nil},
		{"unknown process", "GET", "/api/v1/processes/nosuchprocess/analysis", "", 404, "not_found", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			apiCall(t, f.env, c.method, c.path, nil).wantError(t, c.status, c.code, c.field, c.words...)
		})
	}
}
