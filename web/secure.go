package web

import (
	"net/http"
	"strings"

	"parley"
)

// contentSecurityPolicy lets pages load scripts, styles and images from
// this server only: no inline script or style, no plugin, no framing, and
// forms post here only. An injected <script> or style attribute does
// nothing. Images may be data: URLs, as SVG drawn on the server is inline
// anyway.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'"

// hstsPolicy asks browsers to reach the server over HTTPS only, for two
// years; sent only when the server is reached over HTTPS.
const hstsPolicy = "max-age=63072000; includeSubDomains"

// securityHeaders sets the headers that protect every response, before
// the request goes further, so that no answer (an error, a redirect, a
// static file, a refusal) goes out without them.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		// Addresses name confidential records; they are not told to
		// other sites.
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if s.tls {
			h.Set("Strict-Transport-Security", hstsPolicy)
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses requests with unsafe methods that a browser sends
// on behalf of another site (by Sec-Fetch-Site, or an Origin that is not
// this host), pages and API alike: one policy, so that a cookie-signed-in
// browser cannot be made to post a form, sign in, sign out or call the
// API from elsewhere. Scripts and the CLI, which send neither header, are
// not affected; GET, HEAD and OPTIONS change nothing and pass.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r) {
			s.apiError(w, r, parley.Errorf(parley.EFORBIDDEN, "cross-origin request refused: %s %s was sent from another site", r.Method, r.URL.Path))
			return
		}
		s.pageError(w, r, parley.Errorf(parley.EFORBIDDEN, "This form was sent from another site, so it was refused."))
	}))
	return cop.Handler(next)
}

// isAPI reports whether a request is for the JSON API, which answers in
// JSON, errors included.
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/")
}
