package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"parley"
)

// plainAddress refuses a request whose path or query holds a NUL character
// or bytes that are not UTF-8, before any handler looks a record up by it:
// no record's ID, name or text holds them (the stores refuse them), and
// PostgreSQL cannot even compare them.
func (s *Server) plainAddress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !plainText(r.URL.Path) || !plainQuery(r.URL.RawQuery) {
			err := parley.Errorf(parley.EINVALID, "the address holds a NUL character or bytes that are not UTF-8")
			if isAPI(r) {
				s.apiError(w, r, err)
			} else {
				s.pageError(w, r, err)
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

// plainText reports whether s is UTF-8 without a NUL character.
func plainText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// plainQuery reports whether every key and value of a raw query decodes to
// plain text; a pair that does not decode is left to the handler's parsing.
func plainQuery(raw string) bool {
	values, _ := url.ParseQuery(raw) // the pairs that decode
	for k, vs := range values {
		if !plainText(k) {
			return false
		}
		for _, v := range vs {
			if !plainText(v) {
				return false
			}
		}
	}
	return true
}
