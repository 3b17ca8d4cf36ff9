package web

import (
	"net/http"
	"net/url"

	"parley"
)

// usersPage is the data of the administrator's page of accounts.
type usersPage struct {
	view
	Users []*parley.User
	// Self is the administrator reading the page, who cannot disable
	// their own account.
	Self string
	// Form creates an account.
	Form *form
}

// usersURL is the address of the page of accounts.
const usersURL = "/admin/users"

// userStateURL is the address that disables or enables (what) an account.
func userStateURL(id, what string) string { return usersURL + "/" + url.PathEscape(id) + "/" + what }

// userForm is the form that creates an account.
func userForm() *form {
	return &form{Action: usersURL, Submit: "Create the account", Fields: []*field{
		{Name: "name", Label: "Sign-in name", Type: "text", Required: true,
			Help: "Lower-case letters, digits, '.', '-' and '_', starting with a letter or digit."},
		{Name: "display_name", Label: "Name shown on pages", Type: "text", Help: "Leave empty to show the sign-in name."},
		{Name: "password", Label: "Password", Type: "password", Required: true,
			Help: "At least 12 characters; a passphrase of several words is best. Tell it to its holder by a safe way."},
		{Name: "admin", Label: "Administrator", Type: "checkboxes",
			Options: []option{{Value: "yes", Label: "Runs this instance: accounts and memberships (sees no process by right)"}}},
	}}
}

// handleUsersPage lists the accounts, with the forms that disable and
// enable them and the form that creates one: administrators only, as the
// store decides.
func (s *Server) handleUsersPage(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, userForm())
}

// renderUsers draws the page of accounts with status and the form f.
func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, f *form) {
	users, err := s.svc.Users.FindUsers(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg := &usersPage{view: view{Title: "Accounts"}, Users: users, Form: f}
	if a := parley.ActorFrom(r.Context()); a != nil {
		pg.Self = a.UserID
	}
	s.render(w, r, status, "users.html", pg)
}

// handleUserCreate creates an account with a password, then shows the
// accounts again (Post/Redirect/Get), or the form with what is wrong.
// A refused form never shows the password again.
func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r, maxFormBody); err != nil {
		s.pageError(w, r, err)
		return
	}
	vals := r.PostForm
	u := &parley.User{Name: formLine(vals, "name"), DisplayName: formLine(vals, "display_name"), Admin: vals.Get("admin") == "yes"}
	err := s.svc.Users.CreateUser(r.Context(), u, vals.Get("password"))
	switch {
	case err == nil:
		seeOther(w, r, usersURL)
	case isFormError(err):
		f := userForm()
		f.keep(vals)
		f.field("password").Value = ""
		f.fail(err)
		s.renderUsers(w, r, s.statusOfForm(r, err), f)
	default:
		s.pageError(w, r, err)
	}
}

// handleUserDisabled disables an account (its sessions end and its API
// tokens stop working at once) or enables it again.
func (s *Server) handleUserDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.svc.Users.SetDisabled(r.Context(), r.PathValue("id"), disabled); err != nil {
			s.pageError(w, r, err)
			return
		}
		seeOther(w, r, usersURL)
	}
}
