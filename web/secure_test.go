package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"parley"
	"parley/web"
)

// wantCSP is the Content Security Policy of every response.
const wantCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
	"frame-ancestors 'none'; object-src 'none'; base-uri 'none'"

// securityHeaders are the headers every response carries, whoever asks.
var securityHeaders = map[string]string{
	"Content-Security-Policy": wantCSP,
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "same-origin",
	"X-Frame-Options":         "DENY",
}

func TestSecurityHeaders(t *testing.T) {
	for _, tls := range []bool{false, true} {
		env := newTestEnvWith(t, web.Options{TLS: tls})
		anon := env.Anonymous()
		for _, tt := range []struct {
			name   string
			env    *testEnv
			method string
			path   string
			status int
		}{
			{"page", env, "GET", "/", http.StatusOK},
			{"redirect", anon, "GET", "/", http.StatusSeeOther},
			{"404 page", env, "GET", "/nope", http.StatusNotFound},
			{"405 page", env, "PUT", "/", http.StatusMethodNotAllowed},
			{"API", env, "GET", "/api/v1/processes", http.StatusOK},
			{"API error", env, "GET", "/api/v1/processes/nope", http.StatusNotFound},
			{"API refusal", anon, "GET", "/api/v1/processes", http.StatusUnauthorized},
			{"static file", anon, "GET", "/static/style.css", http.StatusOK},
			{"missing static file", anon, "GET", "/static/nope.js", http.StatusNotFound},
			{"sign-in page", anon, "GET", "/signin", http.StatusOK},
			{"failed sign-in", anon, "POST", "/signin", http.StatusBadRequest},
			{"mux redirect", env, "GET", "/static/../processes/x", http.StatusTemporaryRedirect},
		} {
			name := tt.name + map[bool]string{false: ", HTTP", true: ", HTTPS"}[tls]
			t.Run(name, func(t *testing.T) {
				req, err := http.NewRequest(tt.method, env.URL+tt.path, nil)
				must(t, err)
				req.URL.Opaque = tt.path // sent as written, unclean paths included
				if tt.method == "POST" {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				p := pageDo(t, tt.env, req)
				if p.Status != tt.status {
					t.Fatalf("got status %d, want %d", p.Status, tt.status)
				}
				for h, want := range securityHeaders {
					if got := p.Header.Get(h); got != want {
						t.Errorf("got %s %q, want %q", h, got, want)
					}
				}
				hsts := p.Header.Get("Strict-Transport-Security")
				switch {
				case tls && hsts != "max-age=63072000; includeSubDomains":
					t.Errorf("over HTTPS: got Strict-Transport-Security %q, want two years with subdomains", hsts)
				case !tls && hsts != "":
					t.Errorf("over HTTP: got Strict-Transport-Security %q, want none", hsts)
				}
			})
		}
	}
}

func TestNoStoreWhenSignedIn(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{
		"/", "/processes/" + f.process.ID, "/versions/" + f.us28.ID, "/compare?old=" + f.us28.ID + "&new=" + f.framework.ID,
		"/account/tokens", "/nope", "/api/v1/processes", "/api/v1/processes/" + f.process.ID, "/api/v1/versions/nope",
	} {
		t.Run(path, func(t *testing.T) {
			for i := range 3 { // drawn pages are kept after the first visits
				resp := f.env.Get(t, path)
				resp.Body.Close()
				if got := resp.Header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("visit %d: got Cache-Control %q, want no-store", i+1, got)
				}
			}
		})
	}
}

func TestCrossSiteRefused(t *testing.T) {
	env := newTestEnv(t)
	proc := &parley.Process{Name: "Talks", Classification: parley.Classification{Level: parley.Public}}
	must(t, env.Svc.Processes.CreateProcess(env.Ctx, proc))
	form := url.Values{"name": {"Forged"}, "classification": {"public"}}.Encode()
	for _, tt := range []struct {
		name, method, path, contentType, body string
		header                                map[string]string
		status                                int
	}{
		{"form, cross-site", "POST", "/processes/new", "application/x-www-form-urlencoded", form,
			map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"form, same-site subdomain", "POST", "/processes/new", "application/x-www-form-urlencoded", form,
			map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"form, foreign origin", "POST", "/processes/new", "application/x-www-form-urlencoded", form,
			map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"sign-in, cross-site", "POST", "/signin", "application/x-www-form-urlencoded", signInForm("mediator", testPassword, "").Encode(),
			map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"sign-out, cross-site", "POST", "/signout", "application/x-www-form-urlencoded", "",
			map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"API create, cross-site", "POST", "/api/v1/processes", "application/json", `{"name": "Forged", "classification": {"level": "public"}}`,
			map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"API update, foreign origin", "PATCH", "/api/v1/processes/" + proc.ID, "application/json", `{"name": "Forged"}`,
			map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"form, same origin", "POST", "/processes/new", "application/x-www-form-urlencoded", form,
			map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
		{"form, own origin", "POST", "/processes/new", "application/x-www-form-urlencoded", form,
			map[string]string{"Origin": env.URL}, http.StatusSeeOther},
		{"API create, same origin", "POST", "/api/v1/processes", "application/json", `{"name": "Own", "classification": {"level": "public"}}`,
			map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusCreated},
		{"API create, no browser", "POST", "/api/v1/processes", "application/json", `{"name": "Script", "classification": {"level": "public"}}`,
			nil, http.StatusCreated},
		{"GET, cross-site", "GET", "/processes/" + proc.ID, "", "",
			map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, before, err := env.Svc.Processes.FindProcesses(System, parley.ProcessFilter{})
			must(t, err)
			req, err := http.NewRequest(tt.method, env.URL+tt.path, strings.NewReader(tt.body))
			must(t, err)
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			p := pageDo(t, env, req)
			if p.Status != tt.status {
				t.Fatalf("got status %d, want %d; body:\n%s", p.Status, tt.status, cutBody(p.Body))
			}
			_, after, err := env.Svc.Processes.FindProcesses(System, parley.ProcessFilter{})
			must(t, err)
			stored, _ := env.Svc.Processes.FindProcessByID(System, proc.ID)
			if tt.status == http.StatusForbidden {
				if after != before || stored.Name != "Talks" {
					t.Errorf("a refused request changed something: %d processes before, %d after; name %q", before, after, stored.Name)
				}
				if strings.HasPrefix(tt.path, "/api/") {
					(&apiResponse{Status: p.Status, Header: p.Header, Body: []byte(p.Body)}).apiError(t, http.StatusForbidden, parley.EFORBIDDEN)
				} else {
					p.has(t, "sent from another site")
				}
			}
		})
	}
	if !works(t, env, env.Token) {
		t.Errorf("a cross-site sign-out ended the session")
	}
}

// TestNoGetChangesAnything visits every GET route of the route table,
// as a mediator, and checks that the process (every record, with its
// revision), the accounts, the memberships and the API tokens are as they
// were. A route missing from the table below fails the test: a new route
// must be visited too.
func TestNoGetChangesAnything(t *testing.T) {
	f := newFixture(t)
	env := f.env
	_, _, err := env.Svc.Auth.CreateAPIToken(env.Ctx, env.User.ID, "kept")
	must(t, err)
	in := "/processes/" + f.process.ID
	paths := map[string][]string{
		"GET /api/v1/version":                              {"/api/v1/version"},
		"GET /api/v1/processes":                            {"/api/v1/processes"},
		"GET /api/v1/processes/{id}":                       {"/api/v1" + in},
		"GET /api/v1/processes/{id}/search":                {"/api/v1" + in + "/search?q=ceasefire"},
		"GET /api/v1/processes/{id}/parties":               {"/api/v1" + in + "/parties"},
		"GET /api/v1/parties/{id}":                         {"/api/v1/parties/" + f.russia.ID},
		"GET /api/v1/processes/{id}/people":                {"/api/v1" + in + "/people"},
		"GET /api/v1/people/{id}":                          {"/api/v1/people/" + f.envoy.ID},
		"GET /api/v1/processes/{id}/channels":              {"/api/v1" + in + "/channels"},
		"GET /api/v1/channels/{id}":                        {"/api/v1/channels/" + f.back.ID},
		"GET /api/v1/processes/{id}/contacts":              {"/api/v1" + in + "/contacts"},
		"GET /api/v1/contacts/{id}":                        {"/api/v1/contacts/" + f.contacts[0].ID},
		"GET /api/v1/processes/{id}/sources":               {"/api/v1" + in + "/sources"},
		"GET /api/v1/sources/{id}":                         {"/api/v1/sources/" + f.source.ID},
		"GET /api/v1/processes/{id}/plans":                 {"/api/v1" + in + "/plans"},
		"GET /api/v1/plans/{id}":                           {"/api/v1/plans/" + f.plan.ID},
		"GET /api/v1/versions/{id}":                        {"/api/v1/versions/" + f.us28.ID},
		"GET /api/v1/versions/{id}/points/{point}/history": {"/api/v1/versions/" + f.framework.ID + "/points/4/history"},
		"GET /api/v1/compare":                              {"/api/v1/compare?old=" + f.us28.ID + "&new=" + f.framework.ID},
		"GET /signin":                                      {"/signin?next=/"},
		"GET /setup":                                       {"/setup?token=x"},
		"GET /account/tokens":                              {"/account/tokens"},
		"GET /{$}":                                         {"/"},
		"GET /processes/new":                               {"/processes/new"},
		"GET /processes/{id}":                              {in},
		"GET /processes/{id}/edit":                         {in + "/edit"},
		"GET /processes/{id}/search":                       {in + "/search?q=ceasefire"},
		"GET /processes/{id}/parties/new":                  {in + "/parties/new"},
		"GET /parties/{id}/edit":                           {"/parties/" + f.russia.ID + "/edit"},
		"GET /processes/{id}/people/new":                   {in + "/people/new"},
		"GET /people/{id}/edit":                            {"/people/" + f.envoy.ID + "/edit"},
		"GET /processes/{id}/channels/new":                 {in + "/channels/new"},
		"GET /channels/{id}/edit":                          {"/channels/" + f.back.ID + "/edit"},
		"GET /processes/{id}/contacts":                     {in + "/contacts", in + "/contacts?page=1"},
		"GET /processes/{id}/contacts/new":                 {in + "/contacts/new"},
		"GET /contacts/{id}":                               {"/contacts/" + f.contacts[0].ID},
		"GET /contacts/{id}/edit":                          {"/contacts/" + f.contacts[0].ID + "/edit"},
		"GET /processes/{id}/sources":                      {in + "/sources", in + "/sources?page=1"},
		"GET /processes/{id}/sources/new":                  {in + "/sources/new"},
		"GET /sources/{id}/edit":                           {"/sources/" + f.source.ID + "/edit"},
		"GET /processes/{id}/plans/new":                    {in + "/plans/new", in + "/plans/new?template=" + f.plan.ID},
		"GET /plans/{id}":                                  {"/plans/" + f.plan.ID},
		"GET /plans/{id}/edit":                             {"/plans/" + f.plan.ID + "/edit"},
		"GET /plans/{id}/versions/new":                     {"/plans/" + f.plan.ID + "/versions/new"},
		"GET /plans/{id}/versions/new-unknown":             {"/plans/" + f.plan.ID + "/versions/new-unknown"},
		"GET /versions/{id}":                               {"/versions/" + f.us28.ID, "/versions/" + f.framework.ID},
		"GET /versions/{id}/points/{point}/edit":           {"/versions/" + f.us28.ID + "/points/1/edit"},
		"GET /versions/{id}/points/{point}/history":        {"/versions/" + f.framework.ID + "/points/4/history"},
		"GET /compare":                                     {"/compare?old=" + f.us28.ID + "&new=" + f.framework.ID},
		"GET /static/{file}":                               {"/static/style.css"},
		"GET /api/":                                        {"/api/v1/nope"},
		"GET /processes/{id}/share":                        {in + "/share"},
		"GET /parties/{id}/share":                          {"/parties/" + f.russia.ID + "/share"},
		"GET /people/{id}/share":                           {"/people/" + f.envoy.ID + "/share"},
		"GET /channels/{id}/share":                         {"/channels/" + f.back.ID + "/share"},
		"GET /contacts/{id}/share":                         {"/contacts/" + f.contacts[0].ID + "/share"},
		"GET /sources/{id}/share":                          {"/sources/" + f.source.ID + "/share"},
		"GET /plans/{id}/share":                            {"/plans/" + f.plan.ID + "/share"},
		"GET /versions/{id}/share":                         {"/versions/" + f.us28.ID + "/share"},
		"GET /processes/{id}/audit":                        {in + "/audit", in + "/audit?page=2"},
		"GET /processes/{id}/members":                      {in + "/members"},
		"GET /admin/users":                                 {"/admin/users"},
	}
	for pattern, list := range negotiationPaths(t, f) {
		paths[pattern] = list
	}
	for pattern, list := range positionPaths(t, f) {
		paths[pattern] = list
	}
	for pattern, list := range territoryPaths(t, f) {
		paths[pattern] = list
	}
	for pattern, list := range opsPaths() {
		paths[pattern] = list
	}
	// The routes that answer these GETs with an error, by design: the
	// mediator is no administrator.
	refusals := map[string]int{"GET /setup": http.StatusConflict, "GET /api/": http.StatusNotFound, "GET /admin/users": http.StatusForbidden}
	state := func() string {
		a, err := env.Svc.Archive.ExportProcess(System, f.process.ID)
		must(t, err)
		users, err := env.Svc.Users.FindUsers(System)
		must(t, err)
		members, err := env.Svc.Users.FindMemberships(System, f.process.ID)
		must(t, err)
		tokens, err := env.Svc.Auth.FindAPITokens(System, env.User.ID)
		must(t, err)
		for _, tok := range tokens {
			tok.LastUsed = tok.Created // when a token was last used is not state a GET may not touch
		}
		_, processes, err := env.Svc.Processes.FindProcesses(System, parley.ProcessFilter{})
		must(t, err)
		b, err := json.Marshal([]any{a, users, members, tokens, processes})
		must(t, err)
		return string(b)
	}
	before := state()
	visited := 0
	for _, pattern := range env.Server.Routes() {
		if !strings.HasPrefix(pattern, "GET ") {
			continue
		}
		t.Run(pattern, func(t *testing.T) {
			list, ok := paths[pattern]
			if !ok {
				t.Fatalf("no path to visit for %s: add one to the table of this test", pattern)
			}
			for _, path := range list {
				p := pageGet(t, env, path)
				if want, refused := refusals[pattern]; refused && p.Status != want {
					t.Errorf("GET %s: got %d, want %d", path, p.Status, want)
				} else if !refused && p.Status >= 400 {
					t.Errorf("GET %s: got %d, want a page", path, p.Status)
				}
				visited++
			}
		})
	}
	if visited < len(paths) {
		t.Errorf("visited %d paths, want at least %d", visited, len(paths))
	}
	if after := state(); after != before {
		t.Errorf("GETs changed what is stored:\nbefore: %.2000s\nafter:  %.2000s", before, after)
	}
	if !works(t, env, env.Token) {
		t.Errorf("the GETs ended the session")
	}
}

// scriptTag and inlineCode find what a Content Security Policy without
// 'unsafe-inline' blocks: scripts without src, style elements and
// attributes, event handler attributes and javascript: URLs.
var (
	scriptTag  = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	inlineCode = regexp.MustCompile(`(?i)<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:`)
)

// wantNoInlineCode fails if a page holds anything the Content Security
// Policy would block.
func wantNoInlineCode(tb testing.TB, path string, p *page) {
	tb.Helper()
	for _, m := range scriptTag.FindAllString(p.Body, -1) {
		if !strings.Contains(m, " src=") {
			tb.Errorf("%s holds an inline script %q, which the Content Security Policy blocks", path, m)
		}
	}
	for _, m := range inlineCode.FindAllString(p.Body, 3) {
		tb.Errorf("%s holds %q, which the Content Security Policy blocks", path, m)
	}
}

func TestNoInlineCode(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/", "/processes/" + f.process.ID, "/versions/" + f.us28.ID,
		"/compare?old=" + f.us28.ID + "&new=" + f.framework.ID, "/plans/" + f.plan.ID + "/versions/new", "/account/tokens"} {
		wantNoInlineCode(t, path, pageGet(t, f.env, path).want(t, http.StatusOK))
	}
	wantNoInlineCode(t, "/signin", pageGet(t, f.env.Anonymous(), "/signin").want(t, http.StatusOK))
	layout := pageGet(t, f.env, "/").want(t, http.StatusOK)
	var config map[string]any
	m := regexp.MustCompile(`<meta name="htmx-config" content='([^']*)'>`).FindStringSubmatch(layout.Body)
	if m == nil {
		t.Fatal("the layout sets no htmx configuration")
	}
	must(t, json.Unmarshal([]byte(m[1]), &config))
	for k, want := range map[string]any{"includeIndicatorStyles": false, "allowEval": false, "allowScriptTags": false, "historyCacheSize": 0.0} {
		if got := config[k]; !reflect.DeepEqual(got, want) {
			t.Errorf("got htmx config %s = %v, want %v", k, got, want)
		}
	}
}

// TestPlainAddress refuses paths and queries holding a NUL or bytes that
// are not UTF-8, with a 400 that says so, for pages and the API alike.
func TestPlainAddress(t *testing.T) {
	env := newTestEnv(t)
	for _, tt := range []struct{ path, want string }{
		{"/versions/%00", "NUL"},
		{"/api/v1/versions/ab%00cd", "NUL"},
		{"/api/v1/processes?name=%ff", "UTF-8"},
		{"/search?q=a%00b", "NUL"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			resp := env.Get(t, tt.path)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), tt.want) {
				t.Errorf("got %d %.200s, want 400 naming %s", resp.StatusCode, body, tt.want)
			}
		})
	}
	resp := env.Get(t, "/api/v1/processes?name=caf%C3%A9")
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a plain UTF-8 query: got %d, want 200", resp.StatusCode)
	}
}
