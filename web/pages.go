package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"parley"
	"parley/territory"
)

// templateFiles are the page templates: layout.html and forms.html hold
// what every page shares, each other file is one page.
//
//go:embed templates/*.html
var templateFiles embed.FS

// pages holds what the HTML pages need that is built once, at start-up:
// the parsed templates, the static files and the caches.
type pages struct {
	tmpl   map[string]*template.Template // by file name, each with the shared templates
	static *staticFiles
	// reports holds comparisons of versions, which never change.
	reports *lru[reportKey, *cachedReport]
	// drawn holds recently drawn pages, with the digest of their data.
	drawn *lru[drawnKey, *drawnPage]
	// homes holds the process of each page drawn, so that a reader's
	// access to it is known before the page is looked up.
	homes *lru[pageKey, string]
	// keptStats counts the visits of kept pages, for the metrics.
	keptStats map[string]*keptStat
	// heads holds the title lines and preambles of versions' texts, by
	// version ID.
	heads *lru[string, textHead]
	// territories holds versions' territories as resolved for readers
	// (see Server.resolve).
	territories *lru[string, *territory.Territory]
	// changes holds the comparisons of kept territories.
	changes *lru[territoryPair, []*territory.Change]
}

// loadPages parses the embedded templates and reads the static files,
// failing fast: a broken template stops the server from starting rather
// than the first request that uses it.
func loadPages() (*pages, error) {
	static, err := loadStatic()
	if err != nil {
		return nil, err
	}
	pg := &pages{
		tmpl:        map[string]*template.Template{},
		static:      static,
		reports:     newReportCache(),
		drawn:       newDrawnCache(),
		homes:       newLRU[pageKey](maxDrawnPages, maxDrawnPages, func(string) int { return 1 }),
		keptStats:   newKeptStats(),
		heads:       newLRU[string](maxTitles, maxTitleBytes, func(h textHead) int { return len(h.Title) + len(h.Preamble) }),
		territories: newLRU[string](maxTerritories, maxTerritoryBytes, territorySize),
		changes:     newLRU[territoryPair](maxTerritories, maxTerritoryBytes, changesSize),
	}
	base, err := template.New("").Funcs(templateFuncs(static)).ParseFS(templateFiles, "templates/layout.html", "templates/forms.html", "templates/tables.html")
	if err != nil {
		return nil, fmt.Errorf("web: parsing the page templates: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		file := path.Base(name)
		if file == "layout.html" || file == "forms.html" || file == "tables.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, name)
		if err != nil {
			return nil, fmt.Errorf("web: parsing the page templates: %w", err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("web: page template %s defines no \"content\"", file)
		}
		pg.tmpl[file] = t
	}
	return pg, nil
}

// pageRoutes is the route table of the HTML pages. Every form posts to
// the address that shows it, so that a refused form is shown again where
// it was; a form that succeeds redirects (Post/Redirect/Get). No GET
// changes anything. Every page but signing in, the first-run setup and
// static files needs a signed-in reader (see authenticate); POSTs from
// other sites are refused for all (see crossOrigin).
func (s *Server) pageRoutes(mux *router) {
	post := func(pattern string, h http.HandlerFunc) { mux.HandleFunc("POST "+pattern, h) }
	s.public(mux, "GET /signin", s.handleSignInPage)
	s.public(mux, "POST /signin", s.handleSignIn)
	s.public(mux, "POST /signout", s.handleSignOut)
	s.public(mux, "GET /setup", s.handleSetupPage)
	s.public(mux, "POST /setup", s.handleSetup)
	mux.HandleFunc("GET /account/tokens", s.handleTokenList)
	post("/account/tokens", s.handleTokenCreate)
	post("/account/tokens/{id}/revoke", s.handleTokenRevoke)

	mux.HandleFunc("GET /{$}", s.handleProcessList)
	mux.HandleFunc("GET /processes/new", newRecordPage(s, processForm))
	post("/processes/new", createRecordPage(s, processForm))
	mux.HandleFunc("GET /processes/{id}", s.handleProcessPage)
	mux.HandleFunc("GET /processes/{id}/edit", editRecordPage(s, processForm))
	post("/processes/{id}/edit", updateRecordPage(s, processForm))
	mux.HandleFunc("GET /processes/{id}/search", s.handleSearch)

	// The negotiation model, the parties' preferences and the analysis.
	mux.HandleFunc("GET /processes/{id}/issues", s.handleIssuesPage)
	mux.HandleFunc("GET /processes/{id}/issues/new", s.handleIssueNew)
	post("/processes/{id}/issues/new", s.handleIssueCreate)
	mux.HandleFunc("GET /issues/{id}/edit", s.handleIssueEdit)
	post("/issues/{id}/edit", s.handleIssueUpdate)
	mux.HandleFunc("GET /processes/{id}/preferences/{party}", s.handlePreferencesPage)
	post("/processes/{id}/preferences/{party}", s.handlePreferencesSave)
	mux.HandleFunc("GET /processes/{id}/analysis", s.handleAnalysisPage)

	mux.HandleFunc("GET /processes/{id}/parties/new", newRecordPage(s, partyForm))
	post("/processes/{id}/parties/new", createRecordPage(s, partyForm))
	mux.HandleFunc("GET /parties/{id}/edit", editRecordPage(s, partyForm))
	post("/parties/{id}/edit", updateRecordPage(s, partyForm))

	mux.HandleFunc("GET /processes/{id}/people/new", newRecordPage(s, personForm))
	post("/processes/{id}/people/new", createRecordPage(s, personForm))
	mux.HandleFunc("GET /people/{id}/edit", editRecordPage(s, personForm))
	post("/people/{id}/edit", updateRecordPage(s, personForm))

	mux.HandleFunc("GET /processes/{id}/channels/new", newRecordPage(s, channelForm))
	post("/processes/{id}/channels/new", createRecordPage(s, channelForm))
	mux.HandleFunc("GET /channels/{id}/edit", editRecordPage(s, channelForm))
	post("/channels/{id}/edit", updateRecordPage(s, channelForm))

	mux.HandleFunc("GET /processes/{id}/contacts", s.handleContactList)
	mux.HandleFunc("GET /processes/{id}/contacts/new", newRecordPage(s, contactForm))
	post("/processes/{id}/contacts/new", createRecordPage(s, contactForm))
	mux.HandleFunc("GET /contacts/{id}", s.handleContactPage)
	mux.HandleFunc("GET /contacts/{id}/edit", editRecordPage(s, contactForm))
	post("/contacts/{id}/edit", updateRecordPage(s, contactForm))

	mux.HandleFunc("GET /processes/{id}/sources", s.handleSourceList)
	mux.HandleFunc("GET /processes/{id}/sources/new", newRecordPage(s, sourceForm))
	post("/processes/{id}/sources/new", createRecordPage(s, sourceForm))
	mux.HandleFunc("GET /sources/{id}/edit", editRecordPage(s, sourceForm))
	post("/sources/{id}/edit", updateRecordPage(s, sourceForm))

	mux.HandleFunc("GET /processes/{id}/plans/new", newRecordPage(s, planForm))
	post("/processes/{id}/plans/new", createRecordPage(s, planForm))
	mux.HandleFunc("GET /plans/{id}", s.handlePlanPage)
	mux.HandleFunc("GET /plans/{id}/edit", editRecordPage(s, planForm))
	post("/plans/{id}/edit", updateRecordPage(s, planForm))

	mux.HandleFunc("GET /plans/{id}/versions/new", s.handleVersionNew)
	post("/plans/{id}/versions/new", s.handleVersionCreate)
	post("/plans/{id}/versions/preview", s.handleVersionPreview)
	mux.HandleFunc("GET /plans/{id}/versions/new-unknown", newRecordPage(s, unknownVersionForm))
	post("/plans/{id}/versions/new-unknown", createRecordPage(s, unknownVersionForm))
	mux.HandleFunc("GET /versions/{id}", s.handleVersionPage)
	mux.HandleFunc("GET /versions/{id}/points/{point}/edit", s.handlePointEdit)
	post("/versions/{id}/points/{point}/edit", s.handlePointUpdate)
	mux.HandleFunc("GET /versions/{id}/points/{point}/history", s.handlePointHistory)
	mux.HandleFunc("GET /versions/{id}/positions", s.handlePositionMatrix)
	mux.HandleFunc("GET /versions/{id}/positions/compare", s.handlePositionCompare)
	mux.HandleFunc("GET /versions/{id}/points/{point}/position", s.handlePositionForm)
	post("/versions/{id}/points/{point}/position", s.handlePositionSave)
	s.territoryRoutes(mux, post)

	mux.HandleFunc("GET /compare", s.handleCompare)
	s.accessRoutes(mux, post)

	s.public(mux, "GET /static/{file}", s.handleStatic)
	mux.HandleFunc("/", s.handlePageNoRoute)
}

// Bounds of the cache of resolved territories.
const (
	maxTerritories    = 64
	maxTerritoryBytes = 64 << 20
)

// Bounds of the cache of versions' title lines.
const (
	maxTitles     = 1024
	maxTitleBytes = 4 << 20
)

// view is what the layout of every page shows besides the page's own
// content. Page data embeds it.
type view struct {
	// Title is the page's title, in the tab and as its heading.
	Title string
	// Process is the process the page belongs to, for the navigation;
	// nil on pages outside a process.
	Process *parley.Process
	// Build is the version of the running build, for the footer.
	Build string
	// Searched is the search the page shows, kept in the navigation's
	// search box.
	Searched string
	// Actor is who is signed in, shown with the button that signs out;
	// nil on the pages that need no one.
	Actor *parley.Actor
	// Drawn, when set, is the page's content drawn earlier (see
	// serveDrawn), which the layout shows instead of drawing it.
	Drawn template.HTML
}

// base returns the view, so that render can fill in what every page
// shows.
func (v *view) base() *view { return v }

// viewer is page data: a struct embedding view.
type viewer interface{ base() *view }

// bufferPool recycles the buffers pages are rendered into: a page is
// rendered whole before it is sent, so that a failing template can still
// answer with an error page rather than half a page.
var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer is the largest buffer put back in the pool; a rare huge
// page should not pin its memory for ever.
const maxPooledBuffer = 1 << 20

// render writes the page of template file name with data, with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data viewer) {
	s.frame(r, data)
	s.execute(w, r, status, name, "layout", data)
}

// frame fills in what the layout shows around every page's content.
func (s *Server) frame(r *http.Request, data viewer) {
	v := data.base()
	v.Build, v.Actor = s.ver, parley.ActorFrom(r.Context())
}

// renderFragment writes one named template of a page file alone, as the
// answer to an htmx request that replaces part of a page.
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, name, fragment string, data any) {
	s.execute(w, r, http.StatusOK, name, fragment, data)
}

// execute runs template tmpl of file name into a pooled buffer and sends
// it.
func (s *Server) execute(w http.ResponseWriter, r *http.Request, status int, name, tmpl string, data any) {
	buf := bufferPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer putBuffer(buf)
	t := s.page.tmpl[name]
	if t == nil {
		s.pageError(w, r, parley.Internal(fmt.Errorf("no page template %q", name)))
		return
	}
	if err := t.ExecuteTemplate(buf, tmpl, data); err != nil {
		if name == "error.html" { // do not loop when the error page itself fails
			s.log.Error("rendering the error page", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		s.pageError(w, r, parley.Internal(fmt.Errorf("rendering %s: %w", name, err)))
		return
	}
	s.writePage(w, r, status, buf.Bytes())
}

// putBuffer returns a buffer to the pool, unless it grew too large to
// keep.
func putBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledBuffer {
		bufferPool.Put(buf)
	}
}

// writePage sends a drawn page.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	// Pages show records that change and that may be confidential:
	// neither shared caches nor the browser should keep them.
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if _, err := w.Write(body); err != nil {
		s.log.Debug("writing a page", "path", r.URL.Path, "err", err)
	}
}

// errorPage is the data of the error page.
type errorPage struct {
	view
	Status  int
	Message string
}

// pageError answers with the error page: the status of err's code, and
// its message unless the error is internal (then it is logged instead).
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status := s.errorStatus(r, err)
	setRetryAfter(w, err)
	msg := parley.ErrorMessage(err)
	switch {
	case status == http.StatusInternalServerError:
		msg = "Something went wrong on the server. The error has been logged; please try again later."
	case status == http.StatusNotFound && msg == "":
		msg = "There is no such page."
	}
	title := errorTitles[status]
	if title == "" {
		title = http.StatusText(status)
	}
	s.render(w, r, status, "error.html", &errorPage{view: view{Title: title}, Status: status, Message: msg})
}

// errorTitles head the error page, in words for readers rather than
// HTTP's.
var errorTitles = map[int]string{
	http.StatusBadRequest:            "The request cannot be served",
	http.StatusNotFound:              "Not found",
	http.StatusUnauthorized:          "Sign in first",
	http.StatusForbidden:             "Not allowed",
	http.StatusTooManyRequests:       "Too many attempts",
	http.StatusConflict:              "In conflict with what is stored",
	http.StatusRequestEntityTooLarge: "Too large",
	http.StatusMethodNotAllowed:      "Not allowed here",
	http.StatusInternalServerError:   "Server error",
}

// pageMethods are the methods page routes answer.
var pageMethods = []string{http.MethodGet, http.MethodPost}

// handlePageNoRoute answers a request that matches no page: 405 with an
// Allow header when the path exists for another method, 404 otherwise.
func (s *Server) handlePageNoRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range pageMethods {
		_, pattern := s.mux.Handler(&http.Request{Method: m, URL: r.URL, Host: r.Host})
		if pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		s.pageError(w, r, parley.Errorf(parley.ENOTFOUND, "There is no page at %s.", r.URL.Path))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.pageError(w, r, parley.Errorf(codeMethodNotAllowed, "%s is not allowed here (allowed: %s).", r.Method, strings.Join(allow, ", ")))
}

// seeOther redirects after a successful form (Post/Redirect/Get).
func seeOther(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// Addresses of pages, built in one place so that templates and handlers
// agree on them. IDs are escaped as path segments.

func processURL(id string) string { return "/processes/" + url.PathEscape(id) }
func versionURL(id string) string { return "/versions/" + url.PathEscape(id) }
func contactURL(id string) string { return "/contacts/" + url.PathEscape(id) }

// pointAnchor is the id of a point's element on its version's page.
func pointAnchor(pointID string) string { return "p-" + pointID }

// pointURL is the address of a point on its version's page.
func pointURL(versionID, pointID string) string {
	return versionURL(versionID) + "#" + url.PathEscape(pointAnchor(pointID))
}

// pointPageURL is the address of a page about one point: its history or
// its annotations form (what is "history" or "edit").
func pointPageURL(versionID, pointID, what string) string {
	return versionURL(versionID) + "/points/" + url.PathEscape(pointID) + "/" + what
}

// compareURL is the address of the comparison of two versions.
func compareURL(oldID, newID string) string {
	return "/compare?" + url.Values{"old": {oldID}, "new": {newID}}.Encode()
}

// templateFuncs are the functions the templates call, bound once at
// parse time.
func templateFuncs(static *staticFiles) template.FuncMap {
	return template.FuncMap{
		"static":      static.url,
		"processURL":  processURL,
		"versionURL":  versionURL,
		"contactURL":  contactURL,
		"pointURL":    pointURL,
		"pointAnchor": pointAnchor,
		"historyURL":  func(v, p string) string { return pointPageURL(v, p, "history") },
		"pointEditURL": func(v, p string) string {
			return pointPageURL(v, p, "edit")
		},
		"compareURL":     compareURL,
		"tokenRevokeURL": tokenRevokeURL,
		"userStateURL":   userStateURL,
		"day":            formatDay,
		"when":           formatWhen,
		"minutes":        formatMinutes,
		"plural":         plural,
		"cut":            cut,
		"maxRanked":      func() string { return thousands(parley.MaxRanked) },

		// The badges of classifications (see pages_class.go).
		"classification":        classificationBadge,
		"contactClassification": contactBadge,
	}
}

// formatDay writes a date as "20 November 2025".
func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}

// formatWhen writes a time in its own zone, as "Thursday 20 November
// 2025, 10:00 MSK (UTC+03:00, Europe/Moscow)": a contact is read in the
// time of the place it happened.
func formatWhen(t time.Time) string {
	abbr, offset := t.Zone()
	sign := '+'
	if offset < 0 {
		sign, offset = '-', -offset
	}
	zone := fmt.Sprintf("UTC%c%02d:%02d", sign, offset/3600, offset%3600/60)
	name := t.Location().String()
	var extra []string
	if name != abbr && name != "UTC" && name != "Local" {
		extra = append(extra, name)
	}
	if abbr != "UTC" {
		zone = abbr + " (" + strings.Join(append([]string{zone}, extra...), ", ") + ")"
	}
	return t.Format("Monday 2 January 2006, 15:04") + " " + zone
}

// formatMinutes writes a duration given in minutes, as "1 h 30 min".
func formatMinutes(m int) string {
	switch {
	case m <= 0:
		return ""
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// plural writes a count with its noun, as "1 point" or "28 points".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
