package web

import (
	"net/http"
	"net/url"

	"parley"
)

// tokensPage is the data of the page of the signed-in user's API tokens.
type tokensPage struct {
	view
	Tokens []*parley.APIToken
	// Made is the token just made, and Secret its secret, shown this
	// once: the store keeps only a hash of it.
	Made   *parley.APIToken
	Secret string
	Form   *form
}

// tokenForm is the form that makes a token.
func tokenForm() *form {
	return &form{Action: "/account/tokens", Submit: "Make a token", Fields: []*field{
		{Name: "name", Label: "What the token is for", Type: "text", Required: true,
			Help: "For instance “laptop CLI” or “nightly export”, to know later what uses it."},
	}}
}

// tokenRevokeURL is the address that revokes a token.
func tokenRevokeURL(id string) string { return "/account/tokens/" + url.PathEscape(id) + "/revoke" }

// handleTokenList shows the signed-in user's API tokens and the form
// that makes one.
func (s *Server) handleTokenList(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, &tokensPage{Form: tokenForm()})
}

// renderTokens shows the tokens page with status.
func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, pg *tokensPage) {
	a := parley.ActorFrom(r.Context())
	tokens, err := s.svc.Auth.FindAPITokens(r.Context(), a.UserID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg.Title, pg.Tokens = "Your API tokens", tokens
	s.render(w, r, status, "tokens.html", pg)
}

// handleTokenCreate makes a token for the signed-in user and shows its
// secret, once. The page is not a redirect, so that the secret is in no
// address and in no later page.
func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r, maxFormBody); err != nil {
		s.pageError(w, r, err)
		return
	}
	a := parley.ActorFrom(r.Context())
	t, secret, err := s.svc.Auth.CreateAPIToken(r.Context(), a.UserID, formLine(r.PostForm, "name"))
	switch {
	case isFormError(err):
		f := tokenForm()
		f.keep(r.PostForm)
		f.fail(err)
		s.renderTokens(w, r, s.statusOfForm(r, err), &tokensPage{Form: f})
	case err != nil:
		s.pageError(w, r, err)
	default:
		s.renderTokens(w, r, http.StatusOK, &tokensPage{Form: tokenForm(), Made: t, Secret: secret})
	}
}

// handleTokenRevoke revokes one of the signed-in user's tokens: it stops
// working at once.
func (s *Server) handleTokenRevoke(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Auth.RevokeAPIToken(r.Context(), r.PathValue("id")); err != nil {
		s.pageError(w, r, err)
		return
	}
	seeOther(w, r, "/account/tokens")
}
