package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"parley"
	"parley/web"
)

// signInForm is the sign-in form's body.
func signInForm(name, password, next string) url.Values {
	v := url.Values{"name": {name}, "password": {password}}
	if next != "" {
		v.Set("next", next)
	}
	return v
}

// cookies returns the cookies a response sets.
func cookies(p *page) []*http.Cookie {
	return (&http.Response{Header: p.Header}).Cookies()
}

// sessionCookie returns the session cookie a response sets, or nil.
func sessionCookie(env *testEnv, p *page) *http.Cookie {
	for _, c := range cookies(p) {
		if c.Name == env.CookieName() {
			return c
		}
	}
	return nil
}

// withCookie returns a request for path that sends a session token (and
// no other credential); a POST sends an empty form.
func withCookie(tb testing.TB, env *testEnv, method, path, token string) *http.Request {
	tb.Helper()
	req, err := http.NewRequest(method, env.URL+path, strings.NewReader(""))
	if err != nil {
		tb.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: env.CookieName(), Value: token})
	return req
}

// readAPI reads an API response whole.
func readAPI(tb testing.TB, resp *http.Response) *apiResponse {
	tb.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return &apiResponse{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// works reports whether a session token lets its holder read the list
// of processes.
func works(tb testing.TB, env *testEnv, token string) bool {
	tb.Helper()
	p := pageDo(tb, env.Anonymous(), withCookie(tb, env, http.MethodGet, "/", token))
	return p.Status == http.StatusOK
}

func TestPagesNeedSignIn(t *testing.T) {
	env := newTestEnv(t)
	anon := env.Anonymous()
	for _, tt := range []struct {
		name, method, path string
		want               string // Location
	}{
		{"list of processes", "GET", "/", "/signin"},
		{"a process", "GET", "/processes/abc", "/signin?next=%2Fprocesses%2Fabc"},
		{"with a query", "GET", "/compare?old=a&new=b", "/signin?next=%2Fcompare%3Fold%3Da%26new%3Db"},
		{"a form post", "POST", "/processes/new", "/signin?next=%2Fprocesses%2Fnew"},
		{"tokens", "GET", "/account/tokens", "/signin?next=%2Faccount%2Ftokens"},
		{"no such page", "GET", "/nope", "/signin?next=%2Fnope"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p *page
			if tt.method == "POST" {
				p = pagePost(t, anon, tt.path, url.Values{"name": {"Forged"}, "classification": {"public"}})
			} else {
				p = pageGet(t, anon, tt.path)
			}
			if p.Status != http.StatusSeeOther || p.Location != tt.want {
				t.Errorf("got %d to %q, want 303 to %q", p.Status, p.Location, tt.want)
			}
		})
	}
	_, n, err := env.Svc.Processes.FindProcesses(System, parley.ProcessFilter{})
	must(t, err)
	if n != 0 {
		t.Errorf("got %d processes after an anonymous post, want 0", n)
	}
}

func TestOpenPagesNeedNoSignIn(t *testing.T) {
	env := newTestEnv(t).Anonymous()
	for _, tt := range []struct {
		name, path string
		status     int
	}{
		{"sign-in page", "/signin", http.StatusOK},
		{"static file", "/static/style.css", http.StatusOK},
		{"missing static file", "/static/nope.css", http.StatusNotFound},
		{"setup once set up", "/setup?token=x", http.StatusConflict},
		{"build version", "/api/v1/version", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if p := pageGet(t, env, tt.path); p.Status != tt.status {
				t.Errorf("got %d, want %d", p.Status, tt.status)
			}
		})
	}
}

func TestSignInGoesBack(t *testing.T) {
	env := newTestEnv(t)
	proc := &parley.Process{Name: "Talks", Classification: parley.Classification{Level: parley.Public}}
	must(t, env.Svc.Processes.CreateProcess(env.Ctx, proc))
	anon := env.Anonymous()
	loc := pageGet(t, anon, "/processes/"+proc.ID).wantRedirect(t, "/signin?next=")
	u, err := url.Parse(loc)
	must(t, err)
	form := pageGet(t, anon, loc).want(t, http.StatusOK)
	form.has(t, `<input type="hidden" name="next" value="/processes/`+proc.ID+`">`)
	p := pagePost(t, anon, "/signin", signInForm("mediator", testPassword, u.Query().Get("next")))
	if got := p.wantRedirect(t, "/"); got != "/processes/"+proc.ID {
		t.Errorf("got redirect to %q, want the page asked for", got)
	}
	c := sessionCookie(env, p)
	if c == nil {
		t.Fatal("no session cookie after sign-in")
	}
	pageDo(t, anon, withCookie(t, env, "GET", "/processes/"+proc.ID, c.Value)).want(t, http.StatusOK).has(t, "Talks")
}

func TestOpenRedirectRefused(t *testing.T) {
	env := newTestEnv(t)
	anon := env.Anonymous()
	for _, tt := range []struct {
		name, next, want string
	}{
		{"protocol-relative", "//evil.example", "/"},
		{"protocol-relative with path", "//evil.example/processes", "/"},
		{"absolute", "https://evil.example", "/"},
		{"absolute http", "http://evil.example/x", "/"},
		{"backslash", `/\evil.example`, "/"},
		{"backslashes", `\\evil.example`, "/"},
		{"tab", "/\t/evil.example", "/"},
		{"new line", "/\n/evil.example", "/"},
		{"scheme without slashes", "https:evil.example", "/"},
		{"javascript", "javascript:alert(1)", "/"},
		{"relative", "processes", "/"},
		{"user info", "//user@evil.example", "/"},
		{"sign-in page", "/signin", "/"},
		{"empty", "", "/"},
		{"local", "/processes/abc", "/processes/abc"},
		{"local with query", "/compare?old=a&new=b", "/compare?old=a&new=b"},
		{"escaped slashes", "/%2F%2Fevil.example", "/%2F%2Fevil.example"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pagePost(t, anon, "/signin", signInForm("mediator", testPassword, tt.next))
			if p.Status != http.StatusSeeOther || p.Location != tt.want {
				t.Errorf("next=%q: got %d to %q, want 303 to %q", tt.next, p.Status, p.Location, tt.want)
			}
			shown := pageGet(t, anon, "/signin?"+url.Values{"next": {tt.next}}.Encode()).want(t, http.StatusOK)
			if tt.want == "/" && tt.next != "" && tt.next != "/" {
				shown.has(t, `name="next" value="/"`)
			}
		})
	}
}

func TestWrongNameOrPasswordLookAlike(t *testing.T) {
	env := newTestEnv(t)
	anon := env.Anonymous()
	wrongPassword := pagePost(t, anon, "/signin", signInForm("mediator", "not the password at all", ""))
	wrongName := pagePost(t, anon, "/signin", signInForm("nobody", "not the password at all", ""))
	for _, p := range []*page{wrongPassword, wrongName} {
		p.want(t, http.StatusUnauthorized).has(t, "Wrong name or password.")
		if c := sessionCookie(env, p); c != nil && c.Value != "" {
			t.Errorf("a failed sign-in set the session cookie %q", c.Value)
		}
	}
	// The pages differ only in the name typed, which is kept.
	if got, want := strings.ReplaceAll(wrongName.Body, "nobody", "mediator"), wrongPassword.Body; got != want {
		t.Errorf("a wrong name and a wrong password get different pages:\n%s\n---\n%s", cutBody(got), cutBody(want))
	}
	pagePost(t, anon, "/signin", signInForm("", "", "")).want(t, http.StatusBadRequest).has(t, "Enter your name and your password.")
}

func TestSignInThrottled(t *testing.T) {
	env := newTestEnv(t)
	anon := env.Anonymous()
	limit := parley.DefaultThrottle.PerAccount
	for i := range limit {
		pagePost(t, anon, "/signin", signInForm("mediator", "wrong password number "+strconv.Itoa(i), "")).want(t, http.StatusUnauthorized)
	}
	// Now even the right password is refused until the window passes.
	p := pagePost(t, anon, "/signin", signInForm("mediator", testPassword, ""))
	p.want(t, http.StatusTooManyRequests).has(t, "Too many failed sign-ins")
	secs, err := strconv.Atoi(p.Header.Get("Retry-After"))
	if err != nil || secs <= 0 || time.Duration(secs)*time.Second > parley.DefaultThrottle.Window+time.Second {
		t.Errorf("got Retry-After %q, want whole seconds within the throttle's window", p.Header.Get("Retry-After"))
	}
	if c := sessionCookie(env, p); c != nil && c.Value != "" {
		t.Errorf("a throttled sign-in set the session cookie")
	}
}

// throttledTokens is an AuthService whose API tokens are all throttled:
// a store may throttle guessed tokens as it throttles passwords.
type throttledTokens struct{ parley.AuthService }

func (throttledTokens) APIToken(context.Context, string) (*parley.Actor, error) {
	return nil, &parley.Error{Code: parley.ETHROTTLED, Message: "too many unknown tokens; try again later", RetryAfter: 90500 * time.Millisecond}
}

func TestAPIThrottled(t *testing.T) {
	env := newBareEnv(t, web.Options{}, func(s *parley.Services) { s.Auth = throttledTokens{s.Auth} })
	req, err := http.NewRequest(http.MethodGet, env.URL+"/api/v1/processes", nil)
	must(t, err)
	req.Header.Set("Authorization", "Bearer parley_whatever")
	resp := env.Do(t, req)
	defer resp.Body.Close()
	r := readAPI(t, resp)
	r.wantError(t, http.StatusTooManyRequests, parley.ETHROTTLED, "", "try again")
	if got := r.Header.Get("Retry-After"); got != "91" {
		t.Errorf("got Retry-After %q, want 91 (90.5 s rounded up)", got)
	}
}

func TestAPIAuthentication(t *testing.T) {
	env := newTestEnv(t)
	_, secret, err := env.Svc.Auth.CreateAPIToken(env.Ctx, env.User.ID, "test")
	must(t, err)
	for _, tt := range []struct {
		name, authorization, cookie string
		status                      int
		challenge                   string // WWW-Authenticate, for 401
	}{
		{"no credentials", "", "", http.StatusUnauthorized, `Bearer realm="parley"`},
		{"unknown token", "Bearer parley_not-a-token", "", http.StatusUnauthorized, `Bearer realm="parley", error="invalid_token"`},
		{"not bearer", "Basic bWVkaWF0b3I6eA==", "", http.StatusUnauthorized, `Bearer realm="parley", error="invalid_token"`},
		{"empty bearer", "Bearer ", "", http.StatusUnauthorized, `Bearer realm="parley", error="invalid_token"`},
		{"huge bearer", "Bearer " + strings.Repeat("x", 10000), "", http.StatusUnauthorized, `Bearer realm="parley", error="invalid_token"`},
		{"unknown session", "", "not-a-session", http.StatusUnauthorized, `Bearer realm="parley"`},
		{"good token", "Bearer " + secret, "", http.StatusOK, ""},
		{"good token, scheme in lower case", "bearer " + secret, "", http.StatusOK, ""},
		{"good session", "", env.Token, http.StatusOK, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, env.URL+"/api/v1/processes", nil)
			must(t, err)
			if tt.authorization != "" {
				req.Header.Set("Authorization", tt.authorization)
			}
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: env.CookieName(), Value: tt.cookie})
			}
			resp := env.Anonymous().Do(t, req)
			defer resp.Body.Close()
			r := readAPI(t, resp)
			if tt.status != http.StatusOK {
				r.apiError(t, tt.status, parley.EUNAUTHORIZED)
			} else {
				r.want(t, tt.status)
			}
			if got := r.Header.Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("got WWW-Authenticate %q, want %q", got, tt.challenge)
			}
		})
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	for _, tt := range []struct {
		name   string
		tls    bool
		cookie string
	}{
		{"HTTP", false, "parley_session"},
		{"HTTPS", true, "__Host-parley_session"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnvWith(t, web.Options{TLS: tt.tls})
			p := pagePost(t, env.Anonymous(), "/signin", signInForm("mediator", testPassword, ""))
			p.wantRedirect(t, "/")
			raw := p.Header.Get("Set-Cookie")
			c := sessionCookie(env, p)
			switch {
			case c == nil:
				t.Fatalf("got Set-Cookie %q, want a cookie named %s", raw, tt.cookie)
			case c.Name != tt.cookie:
				t.Errorf("got cookie %q, want %q", c.Name, tt.cookie)
			case c.Path != "/":
				t.Errorf("got Path %q, want /", c.Path)
			case !c.HttpOnly:
				t.Errorf("got a cookie without HttpOnly: %q", raw)
			case c.SameSite != http.SameSiteLaxMode:
				t.Errorf("got SameSite %v, want Lax: %q", c.SameSite, raw)
			case c.Secure != tt.tls:
				t.Errorf("got Secure %v, want %v: %q", c.Secure, tt.tls, raw)
			case c.Domain != "":
				t.Errorf("got Domain %q, want none: %q", c.Domain, raw)
			case c.Value == "" || c.MaxAge != 0 || !c.Expires.IsZero():
				t.Errorf("got %q, want a token that lasts the browser's session", raw)
			}
			if !works(t, env, c.Value) {
				t.Errorf("the cookie set at sign-in does not work over %s", tt.name)
			}
		})
	}
}

func TestSignInRotatesToken(t *testing.T) {
	env := newTestEnv(t)
	before := env.Token
	req, err := http.NewRequest(http.MethodPost, env.URL+"/signin", strings.NewReader(signInForm("mediator", testPassword, "").Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p := pageDo(t, env, req) // with the session of the first sign-in
	p.wantRedirect(t, "/")
	after := sessionCookie(env, p)
	if after == nil || after.Value == "" {
		t.Fatal("no session cookie at the second sign-in")
	}
	if after.Value == before {
		t.Errorf("the second sign-in kept the token %q, want a new one", before)
	}
	if works(t, env, before) {
		t.Errorf("the token of the first sign-in still works after the second")
	}
	if !works(t, env, after.Value) {
		t.Errorf("the token of the second sign-in does not work")
	}
}

func TestSignInIgnoresPlantedCookie(t *testing.T) {
	env := newTestEnv(t)
	const planted = "planted-by-someone-else"
	req, err := http.NewRequest(http.MethodPost, env.URL+"/signin", strings.NewReader(signInForm("mediator", testPassword, "").Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: env.CookieName(), Value: planted})
	p := pageDo(t, env, req)
	p.wantRedirect(t, "/")
	c := sessionCookie(env, p)
	if c == nil || c.Value == planted || c.Value == "" {
		t.Fatalf("got session cookie %v after signing in with %q planted, want a new token", c, planted)
	}
	if works(t, env, planted) {
		t.Errorf("the planted token works after sign-in")
	}
}

func TestSignOutEndsSession(t *testing.T) {
	env := newTestEnv(t)
	token := env.Token
	p := pageDo(t, env, withCookie(t, env, http.MethodPost, "/signout", token))
	if got := p.wantRedirect(t, "/signin"); got != "/signin" {
		t.Errorf("got redirect to %q, want /signin", got)
	}
	c := sessionCookie(env, p)
	if c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("got Set-Cookie %q, want the session cookie dropped", p.Header.Get("Set-Cookie"))
	}
	if _, err := env.Svc.Auth.Session(context.Background(), token); parley.ErrorCode(err) != parley.EUNAUTHORIZED {
		t.Errorf("the store still knows the session after sign-out: got %v, want %s", err, parley.EUNAUTHORIZED)
	}
	pageDo(t, env, withCookie(t, env, http.MethodGet, "/", token)).wantRedirect(t, "/signin")
	req := withCookie(t, env, http.MethodGet, "/api/v1/processes", token)
	resp := env.Do(t, req)
	defer resp.Body.Close()
	readAPI(t, resp).apiError(t, http.StatusUnauthorized, parley.EUNAUTHORIZED)
}

func TestStolenCookieUselessAfterSignOut(t *testing.T) {
	env := newTestEnv(t)
	stolen := env.Token // a copy taken while the session is live
	if !works(t, env, stolen) {
		t.Fatal("the copied cookie does not work before sign-out")
	}
	pageDo(t, env, withCookie(t, env, http.MethodPost, "/signout", env.Token)).wantRedirect(t, "/signin")
	thief := env.Anonymous()
	for _, path := range []string{"/", "/account/tokens", "/api/v1/processes"} {
		p := pageDo(t, thief, withCookie(t, env, http.MethodGet, path, stolen))
		if p.Status == http.StatusOK {
			t.Errorf("GET %s with the cookie copied before sign-out: got 200, want it refused", path)
		}
		if c := sessionCookie(env, p); c == nil || c.MaxAge >= 0 {
			t.Errorf("GET %s with an ended session: got Set-Cookie %q, want the cookie dropped", path, p.Header.Get("Set-Cookie"))
		}
	}
	p := pageDo(t, thief, withCookie(t, env, http.MethodPost, "/processes/new", stolen))
	p.wantRedirect(t, "/signin")
}

func TestHeaderShowsWhoIsSignedIn(t *testing.T) {
	env := newTestEnv(t)
	p := pageGet(t, env, "/").want(t, http.StatusOK)
	p.has(t, `Signed in as <strong>mediator</strong>`, `<form class="account" method="post" action="/signout">`,
		`<button type="submit">Sign out</button>`, `<a href="/account/tokens">`)
	pageGet(t, env.Anonymous(), "/signin").want(t, http.StatusOK).hasNot(t, "Signed in as", `action="/signout"`)
	// Signing out is a POST: a GET changes nothing.
	if p := pageGet(t, env, "/signout"); p.Status != http.StatusMethodNotAllowed {
		t.Errorf("GET /signout: got %d, want 405", p.Status)
	}
	if !works(t, env, env.Token) {
		t.Errorf("GET /signout ended the session")
	}
}

func TestHTMXUnauthenticated(t *testing.T) {
	env := newTestEnv(t)
	req, err := http.NewRequest(http.MethodPost, env.URL+"/plans/abc/versions/preview", strings.NewReader("text=1.+One"))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Current-URL", env.URL+"/plans/abc/versions/new")
	p := pageDo(t, env.Anonymous(), req)
	if p.Status != http.StatusUnauthorized {
		t.Errorf("got %d, want 401", p.Status)
	}
	if got, want := p.Header.Get("HX-Redirect"), "/signin?next=%2Fplans%2Fabc%2Fversions%2Fnew"; got != want {
		t.Errorf("got HX-Redirect %q, want %q", got, want)
	}
}

func TestSetup(t *testing.T) {
	env := newBareEnv(t, web.Options{})
	anon := env.Anonymous()
	token, err := env.Svc.Auth.SetupToken(context.Background())
	must(t, err)
	path := "/setup?" + url.Values{"token": {token}}.Encode()
	pageGet(t, anon, path).want(t, http.StatusOK).has(t, `type="password"`, `name="password2"`)
	pageGet(t, anon, "/setup").want(t, http.StatusBadRequest).has(t, "setup link")
	form := url.Values{"name": {"Admin"}, "display_name": {"The administrator"}, "password": {testPassword}, "password2": {testPassword + "!"}}
	p := pagePost(t, anon, path, form).want(t, http.StatusBadRequest)
	if got := p.fieldError("password2"); !strings.Contains(got, "differ") {
		t.Errorf("got error %q next to the second password, want that they differ", got)
	}
	p.hasNot(t, testPassword)
	wrong := "/setup?token=not-the-token"
	form.Set("password2", testPassword)
	pagePost(t, anon, wrong, form).want(t, http.StatusForbidden).hasNot(t, testPassword)
	p = pagePost(t, anon, path, form)
	if got := p.wantRedirect(t, "/"); got != "/" {
		t.Errorf("got redirect to %q after setup, want /", got)
	}
	c := sessionCookie(env, p)
	if c == nil || c.Value == "" {
		t.Fatal("not signed in after setup")
	}
	pageDo(t, anon, withCookie(t, env, "GET", "/", c.Value)).want(t, http.StatusOK).has(t, "Signed in as <strong>admin</strong>")
	u, err := env.Svc.Users.FindUserByName(System, "admin")
	must(t, err)
	if !u.Admin {
		t.Errorf("the user made at setup is not an administrator")
	}
}

func TestSetupOnce(t *testing.T) {
	env := newBareEnv(t, web.Options{})
	anon := env.Anonymous()
	token, err := env.Svc.Auth.SetupToken(context.Background())
	must(t, err)
	path := "/setup?" + url.Values{"token": {token}}.Encode()
	form := url.Values{"name": {"admin"}, "password": {testPassword}, "password2": {testPassword}}
	pagePost(t, anon, path, form).wantRedirect(t, "/")
	form.Set("name", "second")
	for _, p := range []*page{pageGet(t, anon, path), pagePost(t, anon, path, form)} {
		p.want(t, http.StatusConflict).has(t, "set up already")
	}
	n, err := env.Svc.Users.CountUsers(context.Background())
	must(t, err)
	if n != 1 {
		t.Errorf("got %d users after using the setup link twice, want 1", n)
	}
}

func TestAPITokensPage(t *testing.T) {
	env := newTestEnv(t)
	pageGet(t, env, "/account/tokens").want(t, http.StatusOK).has(t, "You have no API tokens.")
	pagePost(t, env, "/account/tokens", url.Values{"name": {""}}).want(t, http.StatusBadRequest)
	p := pagePost(t, env, "/account/tokens", url.Values{"name": {"laptop CLI"}}).want(t, http.StatusOK)
	tokens, err := env.Svc.Auth.FindAPITokens(env.Ctx, env.User.ID)
	must(t, err)
	if len(tokens) != 1 || tokens[0].Name != "laptop CLI" {
		t.Fatalf("got tokens %+v, want one named laptop CLI", tokens)
	}
	start := strings.Index(p.Body, `<code class="secret-value">`)
	if start < 0 {
		t.Fatalf("the page does not show the new token's secret")
	}
	secret := p.Body[start+len(`<code class="secret-value">`):]
	secret = secret[:strings.Index(secret, "<")]
	bearer := func() int {
		req, err := http.NewRequest(http.MethodGet, env.URL+"/api/v1/processes", nil)
		must(t, err)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp := env.Do(t, req)
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := bearer(); got != http.StatusOK {
		t.Errorf("the new token: got %d, want 200", got)
	}
	list := pageGet(t, env, "/account/tokens").want(t, http.StatusOK)
	list.has(t, "laptop CLI", "active")
	list.hasNot(t, secret)
	pagePost(t, env, "/account/tokens/"+tokens[0].ID+"/revoke", nil).wantRedirect(t, "/account/tokens")
	if got := bearer(); got != http.StatusUnauthorized {
		t.Errorf("a revoked token: got %d, want 401", got)
	}
	pageGet(t, env, "/account/tokens").want(t, http.StatusOK).has(t, "revoked")
	// Another user cannot revoke it, and learns nothing of it.
	other := env.NewAccount(t, "other", false)
	p = pagePost(t, env.As(other), "/account/tokens/"+tokens[0].ID+"/revoke", nil)
	if p.Status != http.StatusNotFound {
		t.Errorf("another user revoking a token: got %d, want 404", p.Status)
	}
}

// FuzzSignIn posts any name, password and next to the sign-in form: it
// answers with the form (400, 401 or 429) or a redirect to a local path,
// never a server error.
func FuzzSignIn(f *testing.F) {
	env := newTestEnv(f)
	anon := env.Anonymous()
	for _, seed := range [][3]string{
		{"mediator", testPassword, "/processes/x"},
		{"mediator", testPassword, "//evil.example"},
		{"Mediator", testPassword, "https://evil.example/"},
		{"mediator", testPassword, "/\\evil.example"},
		{"mediator", "wrong", "/"},
		{"", "", ""},
		{"\x00", "\xff\xfe", "\r\n/evil"},
		{strings.Repeat("m", 100), strings.Repeat("p", 2000), strings.Repeat("/a", 2000)},
		{"mediator", testPassword, "/%0d%0aSet-Cookie:%20x=y"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, name, password, next string) {
		p := pagePost(t, anon, "/signin", signInForm(name, password, next))
		switch p.Status {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusTooManyRequests:
		case http.StatusSeeOther:
			if l := p.Location; !strings.HasPrefix(l, "/") || strings.HasPrefix(l, "//") || strings.ContainsAny(l, "\\\r\n\t") {
				t.Errorf("next=%q: redirected to %q, not a local path", next, l)
			}
		default:
			t.Errorf("name=%q password=%q next=%q: got %d", name, password, next, p.Status)
		}
	})
}
