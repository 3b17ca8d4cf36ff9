package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"parley"
)

// The session cookie's names. Over HTTPS the cookie takes the __Host-
// prefix, with which browsers accept it only when it is Secure, for the
// whole host and for no other (no Domain), so that a sibling subdomain or
// a plain-HTTP page cannot set or shadow it.
const (
	sessionCookieName    = "parley_session"
	sessionCookieNameTLS = "__Host-parley_session"
)

// maxCredential bounds a session token or API secret: anything longer is
// refused without asking the store.
const maxCredential = 512

// authenticate puts the actor of the request into its context, where the
// store finds it: the user of the API token in an Authorization: Bearer
// header or, without one, of the session cookie. A request for any route
// but the open ones (see Server.public) without a valid credential is
// refused: an API request with 401, a page with a redirect to the sign-in
// page that comes back here afterwards. Responses made for an actor are
// never stored by caches, since they show what that actor may see.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Open routes read no credential: signing in must work with a
		// stale cookie, and static files need no database.
		if _, pattern := s.mux.Handler(r); s.open[pattern] {
			next.ServeHTTP(w, r)
			return
		}
		a, err := s.credentials(w, r)
		switch {
		case err == nil && a != nil:
			w.Header().Set("Cache-Control", "no-store")
			next.ServeHTTP(w, r.WithContext(parley.WithActor(r.Context(), a)))
		case err == nil || parley.ErrorCode(err) == parley.EUNAUTHORIZED:
			s.unauthenticated(w, r, err)
		case isAPI(r):
			s.apiError(w, r, err)
		default:
			s.pageError(w, r, err)
		}
	})
}

// errAuthorization answers an Authorization header that is not a bearer
// token.
var errAuthorization = parley.Errorf(parley.EUNAUTHORIZED, "the Authorization header must be \"Bearer\" and an API token")

// errSessionEnded answers a session cookie that cannot be a session.
var errSessionEnded = parley.Errorf(parley.EUNAUTHORIZED, "your session has ended; sign in again")

// credentials returns the actor of the request's API token or session
// cookie: nil and no error when it has neither, EUNAUTHORIZED when the one
// it has is not valid. A session cookie that no longer works is dropped
// from the browser.
func (s *Server) credentials(w http.ResponseWriter, r *http.Request) (*parley.Actor, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		secret = strings.TrimSpace(secret)
		if !strings.EqualFold(scheme, "Bearer") || secret == "" || len(secret) > maxCredential {
			return nil, errAuthorization
		}
		return nonNil(s.svc.Auth.APIToken(ctx, secret))
	}
	c, err := r.Cookie(s.cookieName())
	if err != nil || c.Value == "" {
		return nil, nil
	}
	if len(c.Value) > maxCredential {
		s.clearSession(w)
		return nil, errSessionEnded
	}
	a, err := nonNil(s.svc.Auth.Session(ctx, c.Value))
	if parley.ErrorCode(err) == parley.EUNAUTHORIZED {
		s.clearSession(w)
	}
	return a, err
}

// nonNil turns a store's answer of no actor and no error, which would be
// a bug, into a refusal rather than a request without an actor.
func nonNil(a *parley.Actor, err error) (*parley.Actor, error) {
	if a == nil && err == nil {
		return nil, parley.Errorf(parley.EUNAUTHORIZED, "sign in first")
	}
	return a, err
}

// unauthenticated refuses a request without a valid credential: 401 with
// a Bearer challenge for the API, a redirect to the sign-in page for a
// page. An htmx request (a preview typed into a form) gets HX-Redirect
// instead, so that the whole page goes to the sign-in page, and comes
// back to the page the form is on rather than to the address htmx posted
// to.
func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		challenge := `Bearer realm="parley"`
		msg := "sign in first, or send an API token in an Authorization: Bearer header"
		if err != nil {
			if r.Header.Get("Authorization") != "" {
				challenge += `, error="invalid_token"`
			}
			msg = parley.ErrorMessage(err)
		}
		w.Header().Set("WWW-Authenticate", challenge)
		s.apiError(w, r, parley.Errorf(parley.EUNAUTHORIZED, "%s", msg))
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		back := "/"
		if u, err := url.Parse(r.Header.Get("HX-Current-URL")); err == nil {
			back = localPath(u.RequestURI())
		}
		w.Header().Set("HX-Redirect", signInURL(back))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	back := r.URL.RequestURI()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// A form posts to the address that shows it: come back to the
		// form, without what was in the body.
		back = r.URL.Path
	}
	http.Redirect(w, r, signInURL(localPath(back)), http.StatusSeeOther)
}

// signInURL is the address of the sign-in page that goes on to next.
func signInURL(next string) string {
	if next == "/" || next == "" {
		return "/signin"
	}
	return "/signin?" + url.Values{"next": {next}}.Encode()
}

// maxNext bounds the address the sign-in page goes on to.
const maxNext = 2048

// localPath returns next if it is a path on this server, and "/"
// otherwise, so that the sign-in page cannot be made to send a reader to
// another site (an open redirect, which phishing uses to borrow this
// site's name). Browsers read "//host", "/\host" and paths with tabs or
// line ends in them ("/\t/host") as other hosts, so those are refused;
// so are the sign-in and setup pages themselves.
func localPath(next string) string {
	if next == "" || len(next) > maxNext || next[0] != '/' || strings.HasPrefix(next, "//") ||
		strings.ContainsFunc(next, func(r rune) bool { return r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	switch u.Path {
	case "/signin", "/signout", "/setup":
		return "/"
	}
	return next
}

// cookieName is the name of the session cookie.
func (s *Server) cookieName() string {
	if s.tls {
		return sessionCookieNameTLS
	}
	return sessionCookieName
}

// sessionCookie is the session cookie with a value: sent back for every
// path of this host only, never readable by scripts, not sent with
// requests that other sites start except top-level navigation (Lax), and
// over HTTPS only when the server is reached over HTTPS. It has no
// expiry: the browser drops it when it closes, and the store ends the
// session after its idle and absolute limits whatever the browser does.
func (s *Server) sessionCookie(value string) *http.Cookie {
	return &http.Cookie{Name: s.cookieName(), Value: value, Path: "/", HttpOnly: true, Secure: s.tls, SameSite: http.SameSiteLaxMode}
}

// setSession gives the browser a session token.
func (s *Server) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, s.sessionCookie(token))
}

// clearSession makes the browser drop its session cookie.
func (s *Server) clearSession(w http.ResponseWriter) {
	c := s.sessionCookie("")
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// sessionToken returns the session token the browser sent, or "".
func (s *Server) sessionToken(r *http.Request) string {
	c, err := r.Cookie(s.cookieName())
	if err != nil || len(c.Value) > maxCredential {
		return ""
	}
	return c.Value
}

// clientAddress is the network address a request came from, which the
// store counts failed sign-ins by. Behind a proxy it is the proxy's: the
// proxy's forwarding headers are not trusted, since anyone may send them.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
