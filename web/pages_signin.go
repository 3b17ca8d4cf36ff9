package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"parley"
)

// signInPage is the data of the sign-in page.
type signInPage struct {
	view
	// Next is the address to go on to once signed in: a local path.
	Next string
	// Name is the name typed, kept when the sign-in fails.
	Name string
	// Error says why the sign-in failed.
	Error string
}

// maxSignInForm bounds the sign-in and setup forms: a name, a password or
// two and an address.
const maxSignInForm = 16 << 10

// errWrongSignIn is the one answer to a wrong name or a wrong password,
// whatever the store says, so that the page cannot tell which names
// exist.
const errWrongSignIn = "Wrong name or password."

// handleSignInPage shows the sign-in form, which goes on to the local
// address in parameter next.
func (s *Server) handleSignInPage(w http.ResponseWriter, r *http.Request) {
	s.renderSignIn(w, r, http.StatusOK, &signInPage{Next: localPath(r.URL.Query().Get("next"))})
}

// renderSignIn shows the sign-in form with status.
func (s *Server) renderSignIn(w http.ResponseWriter, r *http.Request, status int, pg *signInPage) {
	pg.Title = "Sign in"
	s.render(w, r, status, "signin.html", pg)
}

// handleSignIn checks a name and password and starts a new session: a
// new token at every sign-in, never the one the browser had (which is
// ended), so that a token planted in a browser before sign-in is worth
// nothing after it. A wrong name and a wrong password get one answer;
// too many failures get 429 with Retry-After.
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r, maxSignInForm); err != nil {
		s.pageError(w, r, err)
		return
	}
	pg := &signInPage{Next: localPath(r.PostForm.Get("next")), Name: signInName(r.PostForm.Get("name"))}
	password := r.PostForm.Get("password")
	if pg.Name == "" || password == "" {
		pg.Error = "Enter your name and your password."
		s.renderSignIn(w, r, http.StatusBadRequest, pg)
		return
	}
	token, _, err := s.svc.Auth.SignIn(r.Context(), pg.Name, password, clientAddress(r))
	if err != nil {
		s.signInFailed(w, r, pg, err)
		return
	}
	if old := s.sessionToken(r); old != "" && old != token {
		if err := s.svc.Auth.SignOut(r.Context(), old); err != nil {
			s.log.Warn("ending the session replaced at sign-in", "err", err)
		}
	}
	s.setSession(w, token)
	seeOther(w, r, pg.Next)
}

// signInFailed shows the sign-in form again with why it failed.
func (s *Server) signInFailed(w http.ResponseWriter, r *http.Request, pg *signInPage, err error) {
	var e *parley.Error
	switch code := parley.ErrorCode(err); code {
	case parley.EUNAUTHORIZED, parley.ENOTFOUND, parley.EINVALID:
		pg.Error = errWrongSignIn
		s.renderSignIn(w, r, http.StatusUnauthorized, pg)
	case parley.ETHROTTLED:
		errors.As(err, &e)
		setRetryAfter(w, err)
		pg.Error = "Too many failed sign-ins. Try again " + inAbout(e.RetryAfter) + "."
		s.renderSignIn(w, r, http.StatusTooManyRequests, pg)
	default:
		s.pageError(w, r, err)
	}
}

// inAbout says when to try again, in words: "in 14 minutes".
func inAbout(d time.Duration) string {
	switch {
	case d <= time.Minute:
		return "in a minute"
	case d < time.Hour:
		return fmt.Sprintf("in %d minutes", int((d+time.Minute-1)/time.Minute))
	}
	return fmt.Sprintf("in %d hours", int((d+time.Hour-1)/time.Hour))
}

// signInName returns a typed sign-in name as stored: sign-in names are
// lower-case, and phones capitalise the first letter of what is typed.
func signInName(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, strings.TrimSpace(s))
}

// handleSignOut ends the session in the store, so that its token is
// worth nothing from now on, wherever a copy of it is, and makes the
// browser drop the cookie. It is a POST: a link or an image on another
// site cannot sign a reader out.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	if token := s.sessionToken(r); token != "" {
		if err := s.svc.Auth.SignOut(r.Context(), token); err != nil {
			// The cookie stays, so that signing out can be tried again:
			// dropping it would leave a live session behind the reader's
			// back.
			s.pageError(w, r, err)
			return
		}
	}
	s.clearSession(w)
	seeOther(w, r, "/signin")
}
