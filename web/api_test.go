package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// apiResponse is an API response, read whole.
type apiResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// apiErrorDetail is the "error" object of an API error response.
type apiErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

// apiSend sends a request with a raw body (none when nil) and the given
// Content-Type.
func apiSend(tb testing.TB, env *testEnv, method, path, contentType string, body []byte) *apiResponse {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, env.URL+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	env.sign(req)
	resp, err := env.client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: reading the response: %v", method, path, err)
	}
	return &apiResponse{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// apiCall sends a JSON request: body is nil for none, a string sent as is,
// or a value sent as its JSON.
func apiCall(tb testing.TB, env *testEnv, method, path string, body any) *apiResponse {
	tb.Helper()
	var b []byte
	switch v := body.(type) {
	case nil:
		return apiSend(tb, env, method, path, "", nil)
	case string:
		b = []byte(v)
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			tb.Fatal(err)
		}
	}
	return apiSend(tb, env, method, path, "application/json", b)
}

// want fails the test unless the response has the status and is JSON.
func (r *apiResponse) want(tb testing.TB, status int) {
	tb.Helper()
	if r.Status != status {
		tb.Fatalf("got status %d, want %d; body: %.500s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		tb.Fatalf("got Content-Type %q, want application/json; charset=utf-8", ct)
	}
}

// decode decodes the JSON body into v.
func (r *apiResponse) decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decoding %.500s: %v", r.Body, err)
	}
}

// record decodes the JSON body as an object.
func (r *apiResponse) record(tb testing.TB) map[string]any {
	tb.Helper()
	var m map[string]any
	r.decode(tb, &m)
	return m
}

// apiError checks that the response is a JSON error with the status and
// code and returns it.
func (r *apiResponse) apiError(tb testing.TB, status int, code string) apiErrorDetail {
	tb.Helper()
	r.want(tb, status)
	var body struct {
		Error apiErrorDetail `json:"error"`
	}
	r.decode(tb, &body)
	if body.Error.Code != code || body.Error.Message == "" {
		tb.Fatalf("got error %+v, want code %q and a message", body.Error, code)
	}
	return body.Error
}

// wantError checks the status, code and field of an error response and
// that the message mentions each of the given words.
func (r *apiResponse) wantError(tb testing.TB, status int, code, field string, words ...string) {
	tb.Helper()
	e := r.apiError(tb, status, code)
	if e.Field != field {
		tb.Errorf("got field %q, want %q (message %q)", e.Field, field, e.Message)
	}
	for _, w := range words {
		if !strings.Contains(e.Message, w) {
			tb.Errorf("got message %q, want it to mention %q", e.Message, w)
		}
	}
}

// errorCase is a request that must fail with the given status, code and
// field, with a message that mentions each of words.
type errorCase struct {
	name, method, path string
	body               string // "" for none
	status             int
	code, field        string
	words              []string
}

// runErrorCases runs each case as a subtest.
func runErrorCases(t *testing.T, env *testEnv, cases []errorCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var body any
			if tt.body != "" {
				body = tt.body
			}
			apiCall(t, env, tt.method, tt.path, body).wantError(t, tt.status, tt.code, tt.field, tt.words...)
		})
	}
}

// apiList is a list response.
type apiList[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// apiCreate posts body to path, wants 201 with a Location, and returns
// the created record.
func apiCreate(tb testing.TB, env *testEnv, path string, body any) map[string]any {
	tb.Helper()
	r := apiCall(tb, env, "POST", path, body)
	r.want(tb, http.StatusCreated)
	m := r.record(tb)
	id, _ := m["id"].(string)
	if id == "" {
		tb.Fatalf("created record has no id: %s", r.Body)
	}
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/api/v1/") || !strings.HasSuffix(loc, "/"+id) {
		tb.Fatalf("got Location %q, want /api/v1/…/%s", loc, id)
	}
	return m
}

// apiID creates a record and returns its ID.
func apiID(tb testing.TB, env *testEnv, path string, body any) string {
	tb.Helper()
	return apiCreate(tb, env, path, body)["id"].(string)
}

func TestAPIBuildVersion(t *testing.T) {
	env := newTestEnv(t)
	r := apiCall(t, env, "GET", "/api/v1/version", nil)
	r.want(t, http.StatusOK)
	if got := r.record(t)["version"]; got != "test" {
		t.Errorf("got version %v, want %q", got, "test")
	}
}

func TestAPIProcess(t *testing.T) {
	env := newTestEnv(t)
	created := apiCreate(t, env, "/api/v1/processes", `{"name": "Gaza", "summary": "Ceasefire talks",
		"classification": {"level": "public"}, "id": "mine", "created": "2000-01-01T00:00:00Z"}`)
	id := created["id"].(string)
	if id == "mine" || created["created"] == "2000-01-01T00:00:00Z" {
		t.Errorf("the body set the id or creation time: %v", created)
	}
	apiCreate(t, env, "/api/v1/processes", map[string]any{"name": "Ukraine", "classification": map[string]any{"level": "process"}})

	r := apiCall(t, env, "GET", "/api/v1/processes/"+id, nil)
	r.want(t, http.StatusOK)
	if got := r.record(t)["summary"]; got != "Ceasefire talks" {
		t.Errorf("got summary %v, want %q", got, "Ceasefire talks")
	}

	var list apiList[map[string]any]
	r = apiCall(t, env, "GET", "/api/v1/processes?limit=1&offset=1", nil)
	r.want(t, http.StatusOK)
	r.decode(t, &list)
	if list.Total != 2 || len(list.Items) != 1 || list.Items[0]["name"] != "Ukraine" {
		t.Errorf("got page %+v, want total 2 and the second process, Ukraine", list)
	}

	r = apiCall(t, env, "PATCH", "/api/v1/processes/"+id, `{"name": "Gaza 2025", "id": "other", "created": "2000-01-01T00:00:00Z"}`)
	r.want(t, http.StatusOK)
	patched := r.record(t)
	if patched["name"] != "Gaza 2025" || patched["summary"] != "Ceasefire talks" || patched["id"] != id || patched["created"] != created["created"] {
		t.Errorf("got %v after a PATCH of the name, want the new name and everything else as before", patched)
	}
	r = apiCall(t, env, "PATCH", "/api/v1/processes/"+id, `{"summary": null}`)
	r.want(t, http.StatusOK)
	if got, ok := r.record(t)["summary"]; ok {
		t.Errorf("got summary %v after a PATCH with null, want it cleared", got)
	}

	runErrorCases(t, env, []errorCase{
		{"create without name", "POST", "/api/v1/processes", `{"classification": {"level": "public"}}`, 400, "invalid", "name", nil},
		{"create without classification", "POST", "/api/v1/processes", `{"name": "X"}`, 400, "invalid", "classification", nil},
		{"get missing", "GET", "/api/v1/processes/nope", "", 404, "not_found", "", nil},
		{"patch missing", "PATCH", "/api/v1/processes/nope", `{"name": "X"}`, 404, "not_found", "", nil},
		{"patch invalid", "PATCH", "/api/v1/processes/" + id, `{"name": ""}`, 400, "invalid", "name", nil},
		{"patch unknown field", "PATCH", "/api/v1/processes/" + id, `{"nmae": "X"}`, 400, "invalid", "nmae", []string{"unknown field"}},
		{"patch with null", "PATCH", "/api/v1/processes/" + id, `null`, 400, "invalid", "", []string{"JSON object"}},
		{"patch wrong type", "PATCH", "/api/v1/processes/" + id, `{"topics": "security"}`, 400, "invalid", "topics", []string{"a list", "string"}},
		{"limit not a number", "GET", "/api/v1/processes?limit=ten", "", 400, "invalid", "limit", nil},
		{"negative offset", "GET", "/api/v1/processes?offset=-1", "", 400, "invalid", "offset", nil},
	})
	r = apiCall(t, env, "GET", "/api/v1/processes/"+id, nil)
	if got := r.record(t)["name"]; got != "Gaza 2025" {
		t.Errorf("got name %v after failed PATCHes, want %q", got, "Gaza 2025")
	}
}

// TestAPIDecoding checks how every create endpoint reads a request body:
// the same rules and messages everywhere.
func TestAPIDecoding(t *testing.T) {
	env := newTestEnv(t)
	pid := apiID(t, env, "/api/v1/processes", `{"name": "P", "classification": {"level": "public"}}`)
	plan := apiID(t, env, "/api/v1/processes/"+pid+"/plans", `{"title": "Plan"}`)
	paths := []string{"/api/v1/processes", "/api/v1/plans/" + plan + "/versions"}
	for _, c := range []string{"parties", "people", "channels", "contacts", "sources", "plans"} {
		paths = append(paths, "/api/v1/processes/"+pid+"/"+c)
	}
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		code, field string
		words       []string
	}{
		{"no content type", "", `{}`, 415, "unsupported_media_type", "", []string{"application/json"}},
		{"form content type", "application/x-www-form-urlencoded", `name=x`, 415, "unsupported_media_type", "", nil},
		{"latin-1 charset", "application/json; charset=iso-8859-1", `{}`, 415, "unsupported_media_type", "", nil},
		{"empty body", "application/json", ``, 400, "invalid", "", []string{"empty"}},
		{"syntax error", "application/json", `{"classification": {"level": "public",}}`, 400, "invalid", "", []string{"byte offset 38"}},
		{"truncated", "application/json", `{"classification": `, 400, "invalid", "", []string{"ends early"}},
		{"not an object", "application/json", `["public"]`, 400, "invalid", "", []string{"JSON object", "array"}},
		{"null", "application/json", ` null`, 400, "invalid", "", []string{"JSON object", "null"}},
		{"trailing data", "application/json", `{} {}`, 400, "invalid", "", []string{"after the JSON object", "byte offset 3"}},
		{"unknown field", "application/json", `{"colour": "blue"}`, 400, "invalid", "colour", []string{"unknown field"}},
		{"wrong type", "application/json", `{"classification": "public"}`, 400, "invalid", "classification", []string{"an object", "string"}},
		{"wrong nested type", "application/json", `{"classification": {"level": 3}}`, 400, "invalid", "classification.level", []string{"a string", "number"}},
		{"invalid UTF-8", "application/json", "{\"classification\": {\"level\": \"pub\xfflic\"}}", 400, "invalid", "", []string{"UTF-8", "byte offset 33"}},
		{"charset utf-8 accepted", "application/json; charset=UTF-8", `{"colour": 1}`, 400, "invalid", "colour", nil},
	}
	for _, tt := range tests {
		for _, path := range paths {
			t.Run(tt.name+" "+path, func(t *testing.T) {
				r := apiSend(t, env, "POST", path, tt.contentType, []byte(tt.body))
				r.wantError(t, tt.status, tt.code, tt.field, tt.words...)
			})
		}
	}
}

func TestAPIBodyTooLarge(t *testing.T) {
	env := newTestEnv(t)
	pid := apiID(t, env, "/api/v1/processes", `{"name": "P", "classification": {"level": "public"}}`)
	plan := apiID(t, env, "/api/v1/processes/"+pid+"/plans", `{"title": "Plan"}`)
	// padded returns a valid JSON object of n bytes or more.
	padded := func(n int) []byte { return []byte(`{"summary": "` + strings.Repeat("x", n) + `"}`) }
	tests := []struct {
		name, method, path string
		body               []byte
		chunked            bool
	}{
		{"process", "POST", "/api/v1/processes", padded(1 << 20), false},
		{"process, length unknown", "POST", "/api/v1/processes", padded(1 << 20), true},
		{"patch", "PATCH", "/api/v1/processes/" + pid, padded(1 << 20), false},
		{"party", "POST", "/api/v1/processes/" + pid + "/parties", padded(1 << 20), true},
		{"version", "POST", "/api/v1/plans/" + plan + "/versions", padded(8 << 20), false},
		{"version, length unknown", "POST", "/api/v1/plans/" + plan + "/versions", padded(8 << 20), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rd io.Reader = bytes.NewReader(tt.body)
			if tt.chunked {
				rd = io.MultiReader(rd) // hides the length: the body is sent chunked
			}
			req, err := http.NewRequest(tt.method, env.URL+tt.path, rd)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			resp := env.Do(t, req)
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			r := &apiResponse{Status: resp.StatusCode, Header: resp.Header, Body: b}
			r.wantError(t, http.StatusRequestEntityTooLarge, "too_large", "", "limit")
		})
	}
	// Just under the version limit is accepted: the limit is the
	// version's, not the general one.
	text := "1. " + strings.Repeat("word ", (2<<20)/5) + "\n2. End.\n"
	r := apiCall(t, env, "POST", "/api/v1/plans/"+plan+"/versions", map[string]any{"label": "Long", "date": "2025-11-20", "text": text})
	r.want(t, http.StatusCreated)
}

func TestAPINoRoute(t *testing.T) {
	env := newTestEnv(t)
	tests := []struct {
		name, method, path string
		status             int
		code, allow        string
	}{
		{"unknown path", "GET", "/api/v1/nothing", 404, "not_found", ""},
		{"unknown version of the API", "GET", "/api/v2/processes", 404, "not_found", ""},
		{"wrong method on a collection", "PUT", "/api/v1/processes", 405, "method_not_allowed", "GET, POST"},
		{"wrong method on a record", "DELETE", "/api/v1/parties/x", 405, "method_not_allowed", "GET, PATCH"},
		{"wrong method on compare", "POST", "/api/v1/compare", 405, "method_not_allowed", "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := apiCall(t, env, tt.method, tt.path, "{}")
			r.apiError(t, tt.status, tt.code)
			if got := r.Header.Get("Allow"); got != tt.allow {
				t.Errorf("got Allow %q, want %q", got, tt.allow)
			}
		})
	}
}
