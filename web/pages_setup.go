package web

import (
	"fmt"
	"net/http"
	"net/url"

	"parley"
)

// setupForm is the form that creates the first administrator, posting
// to the setup link it came from.
func setupForm(token string) *form {
	return &form{Action: "/setup?" + url.Values{"token": {token}}.Encode(), Submit: "Create the administrator", Fields: []*field{
		{Name: "name", Label: "Sign-in name", Type: "text", Required: true, Focus: true,
			Help: "Lower-case letters, digits, “.”, “-” and “_”, starting with a letter or a digit."},
		{Name: "display_name", Label: "Name shown on pages", Type: "text"},
		{Name: "password", Label: "Password", Type: "password", Required: true,
			Help: fmt.Sprintf("At least %d characters: a passphrase of a few words is best.", parley.MinPasswordLen)},
		{Name: "password2", Label: "The password again", Type: "password", Required: true},
	}}
}

// setupIntro says what the setup page is for.
const setupIntro = "This Parley has no accounts yet. Create the first administrator: they run the instance " +
	"(accounts and memberships) and see the content of a process only once they are a member of it. " +
	"This link works once."

// handleSetupPage shows the form that creates the first administrator,
// reached by the one-time link that parley serve prints on its first
// run; once any account exists it says so instead.
func (s *Server) handleSetupPage(w http.ResponseWriter, r *http.Request) {
	if s.setUpAlready(w, r) {
		return
	}
	token := r.URL.Query().Get("token")
	if token == "" || len(token) > maxCredential {
		s.pageError(w, r, parley.Errorf(parley.EINVALID, "This address needs the setup link that parley serve printed when it started."))
		return
	}
	s.render(w, r, http.StatusOK, "form.html", &formPage{view: view{Title: "Set up Parley"}, Intro: setupIntro, Form: setupForm(token)})
}

// handleSetup creates the first administrator with the one-time token of
// the link, and signs them in.
func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) {
	if s.setUpAlready(w, r) {
		return
	}
	token := r.URL.Query().Get("token")
	if err := parseForm(w, r, maxSignInForm); err != nil {
		s.pageError(w, r, err)
		return
	}
	vals := r.PostForm
	u := &parley.User{Name: signInName(vals.Get("name")), DisplayName: formLine(vals, "display_name")}
	password := vals.Get("password")
	var err error
	if password != vals.Get("password2") {
		err = parley.FieldErrorf("password2", "The two passwords differ.")
	} else {
		err = s.svc.Auth.Setup(r.Context(), token, u, password)
	}
	switch parley.ErrorCode(err) {
	case "":
		s.log.Info("first administrator created", "name", u.Name)
		signed, _, err := s.svc.Auth.SignIn(r.Context(), u.Name, password, clientAddress(r))
		if err != nil {
			s.log.Warn("signing in the first administrator", "err", err)
			seeOther(w, r, "/signin")
			return
		}
		s.setSession(w, signed)
		seeOther(w, r, "/")
	case parley.ECONFLICT:
		s.renderSetUpAlready(w, r)
	case parley.EINVALID, parley.EFORBIDDEN:
		f := setupForm(token)
		f.keep(vals)
		// A password is never sent back in a page.
		f.field("password").Value, f.field("password2").Value = "", ""
		f.fail(err)
		f.also(u)
		s.render(w, r, s.errorStatus(r, err), "form.html", &formPage{view: view{Title: "Set up Parley"}, Intro: setupIntro, Form: f})
	default:
		s.pageError(w, r, err)
	}
}

// setUpAlready answers, and reports true, when an account exists: the
// setup page then has nothing to do.
func (s *Server) setUpAlready(w http.ResponseWriter, r *http.Request) bool {
	n, err := s.svc.Users.CountUsers(r.Context())
	switch {
	case err != nil:
		s.pageError(w, r, err)
		return true
	case n > 0:
		s.renderSetUpAlready(w, r)
		return true
	}
	return false
}

// renderSetUpAlready says that the instance is set up (409).
func (s *Server) renderSetUpAlready(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusConflict, "error.html", &errorPage{view: view{Title: "Parley is set up already"}, Status: http.StatusConflict,
		Message: "An administrator exists already, so this setup link does nothing any more. Sign in with your account."})
}
