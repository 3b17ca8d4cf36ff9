package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"parley"
	"parley/demo"
	"parley/sqlite"
	"parley/web"
)

// The tests of hostile input (this file's fuzz targets and
// hostile_test.go's corpus) send bodies to every route that takes one, on
// a server over the demo case, and check that each answer is a success
// or a clear refusal of the sender's making, and that a refusal stored
// nothing.

// hostileEnv is a server over the demo case, in a database file the test
// reads itself to tell whether a request stored anything, acting for an
// administrator who mediates the demo process: signed in (a browser
// session) and with an API token.
type hostileEnv struct {
	*testEnv
	// raw reads the database file directly, for the fingerprint of what
	// is stored (see state).
	raw *sql.DB
	// secret is the operator's API token.
	secret string
	ids    hostileIDs
	// snapshots are the queries of state, prepared once per table.
	snapshots map[string]*sql.Stmt
	// known is what is stored as of the last refusal, which stored
	// nothing (see before); nil when unknown.
	known *storeState
}

// hostileIDs are the records of the demo the routes are tried on.
type hostileIDs struct {
	process, party, person, channel, contact, source, plan string
	version, point, positionParty                          string
	issue, prefsParty, region, line, provision             string
	regionCode                                             string
	// victim is another user, a member of the demo process whom the
	// routes of members and accounts change; victimToken one of the
	// operator's API tokens, which the revocation route revokes;
	// doomed are provisions the removal routes remove, one each.
	victim, victimName, victimToken string
	doomed                          [2]string
	// topic is a topic points may be tagged with.
	topic string
	// prefs is the stored preferences of prefsParty.
	prefs *parley.Preferences
	// provisionJSON is the stored provision as the API writes it.
	provisionJSON string
	issueName     string
	planTitle     string
}

// operatorName is the sign-in name of the account the hostile tests act
// as: one a fuzzed form could not name by chance (say, to demote it).
const operatorName = "operator-qx7"

// newHostileEnv loads the demo into a fresh server, on SQLite, whose file
// the fingerprint of what is stored reads. The database is not synced to
// disk: nothing checked depends on the disk, and fuzzing writes a great
// deal.
func newHostileEnv(tb testing.TB) *hostileEnv {
	tb.Helper()
	if os.Getenv("PARLEY_TEST_STORE") == "postgres" {
		tb.Skip("the hostile tests run on SQLite, whose file their fingerprint reads: the suite's pass on SQLite runs them")
	}
	path := filepath.Join(tb.TempDir(), "parley.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{Migrate: true, NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := web.New(db.Services(), web.Options{Version: "test",
		Logger: slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		db.Close()
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	tb.Cleanup(func() { db.Close() })
	tb.Cleanup(ts.Close) // first: the server stops before the database closes
	raw, err := sql.Open("sqlite", "file:"+url.PathEscape(path)+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	raw.SetMaxOpenConns(1) // on which state's queries are prepared once
	tb.Cleanup(func() { raw.Close() })
	client := &http.Client{Transport: ts.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	env := &testEnv{URL: ts.URL, Svc: db.Services(), Server: srv, DB: db, client: client, Account: &Account{Ctx: context.Background()}}
	env.Account = env.NewAccount(tb, operatorName, true)
	h := &hostileEnv{testEnv: env, raw: raw}
	h.ids.process, err = demo.Load(env.Ctx, env.Svc) // its creator mediates it
	must(tb, err)
	_, h.secret, err = env.Svc.Auth.CreateAPIToken(env.Ctx, env.User.ID, "hostile")
	must(tb, err)
	h.findIDs(tb)
	return h
}

// findIDs picks the demo's records the routes are tried on, and makes
// the victims.
func (h *hostileEnv) findIDs(tb testing.TB) {
	tb.Helper()
	ctx, svc, id := System, h.Svc, &h.ids
	first := func(n int, err error) {
		tb.Helper()
		must(tb, err)
		if n == 0 {
			tb.Fatal("the demo lacks a kind of record the hostile tests need")
		}
	}
	parties, err := svc.Parties.FindParties(ctx, id.process)
	first(len(parties), err)
	id.party = parties[0].ID
	people, err := svc.People.FindPeople(ctx, id.process)
	first(len(people), err)
	id.person = people[0].ID
	channels, err := svc.Channels.FindChannels(ctx, id.process)
	first(len(channels), err)
	id.channel = channels[0].ID
	contacts, err := svc.Contacts.FindContacts(ctx, id.process)
	first(len(contacts), err)
	id.contact = contacts[0].ID
	sources, err := svc.Sources.FindSources(ctx, id.process)
	first(len(sources), err)
	id.source = sources[0].ID
	plans, err := svc.Plans.FindPlans(ctx, id.process)
	first(len(plans), err)
	for _, p := range plans {
		for _, v := range p.Versions {
			if strings.Contains(v.Label, "28-point") {
				id.plan, id.version, id.planTitle = p.ID, v.ID, p.Title
			}
		}
	}
	if id.version == "" {
		tb.Fatal("the demo has no 28-point plan")
	}
	id.point = "1"
	issues, err := svc.Negotiation.FindIssues(ctx, id.process)
	first(len(issues), err)
	id.issue, id.issueName = issues[0].ID, issues[0].Name
	prefs, err := svc.Negotiation.FindPreferences(ctx, id.process)
	first(len(prefs), err)
	id.prefs, id.prefsParty = prefs[0], prefs[0].PartyID
	id.positionParty = id.prefsParty
	regions, err := svc.Territory.FindRegions(ctx, id.process)
	first(len(regions), err)
	id.region, id.regionCode = regions[0].ID, regions[0].Code
	lines, err := svc.Territory.FindLines(ctx, id.process)
	first(len(lines), err)
	id.line = lines[0].ID
	provisions, err := svc.Territory.FindProvisions(ctx, parley.ProvisionFilter{ProcessID: id.process, VersionID: id.version})
	first(len(provisions), err)
	id.provision = provisions[0].ID
	b, err := json.Marshal(provisions[0])
	must(tb, err)
	id.provisionJSON = string(b)
	for k := range id.doomed {
		doomed := *provisions[0]
		doomed.ID, doomed.Label = "", "Doomed provision "+strconv.Itoa(k)
		must(tb, svc.Territory.CreateProvisions(ctx, []*parley.Provision{&doomed}))
		id.doomed[k] = doomed.ID
	}
	id.topic = parley.Topics()[0]
	victim := &parley.User{Name: "victim"}
	must(tb, svc.Users.CreateUser(ctx, victim, testPassword))
	must(tb, svc.Users.SetMembership(ctx, &parley.Membership{UserID: victim.ID, ProcessID: id.process, Role: parley.RoleObserver}))
	id.victim, id.victimName = victim.ID, victim.Name
	tok, _, err := svc.Auth.CreateAPIToken(ctx, h.User.ID, "to revoke")
	must(tb, err)
	id.victimToken = tok.ID
}

// bodyKind is how a route reads its body.
type bodyKind int

const (
	jsonBody bodyKind = iota // a JSON object (the API)
	geoBody                  // GeoJSON or TopoJSON (the API's map imports)
	formBody                 // a form, URL-encoded or multipart
	noBody                   // none: whatever is sent is not read
)

// bodyRoute is one route that takes a body, or that is sent one all the
// same, as the hostile tests try it.
type bodyRoute struct {
	pattern string // as in the route tables
	method  string
	path    string
	kind    bodyKind
	// valid is a body the route accepts, as sent with the route's
	// content type (URL-encoded for forms).
	valid string
	// upload, for forms that take a file, is the file's input; the
	// valid body's upload field (see uploadField) goes in it.
	upload string
	// anonymous routes are tried without credentials: signing in with
	// the operator's session would end it.
	anonymous bool
	// ok are the statuses of success.
	ok []int
}

// api reports whether the route is the API's, which answers in JSON.
func (rt *bodyRoute) api() bool { return strings.HasPrefix(rt.path, "/api/") }

// contentType is the content type the route's valid body is sent with.
func (rt *bodyRoute) contentType() string {
	switch rt.kind {
	case jsonBody:
		return "application/json"
	case geoBody:
		return "application/geo+json"
	case formBody:
		return "application/x-www-form-urlencoded"
	}
	return ""
}

// mustJSONString is the JSON of v.
func mustJSONString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// regionGeoJSON is a region to import: a square a degree wide far from
// the demo's map.
func regionGeoJSON(code string, lon int) string {
	return fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":%q,"name":"Fuzzed region"},`+
		`"geometry":{"type":"Polygon","coordinates":[[[%d,-40],[%d,-40],[%d,-39],[%d,-39],[%d,-40]]]}}]}`, code, lon, lon+1, lon+1, lon, lon)
}

// lineGeoJSON is a line to import.
const lineGeoJSON = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Fuzzed line","left_label":"north","right_label":"south"},` +
	`"geometry":{"type":"LineString","coordinates":[[120,-39.5],[121,-39.5]]}}]}`

// routes returns every route of the route tables that takes a body, or
// that may be sent one, with how to try it on the demo.
func (h *hostileEnv) routes() []*bodyRoute {
	id := h.ids
	in := "/api/v1/processes/" + id.process
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	provisionGeo := mustJSONString(map[string]any{"type": "FeatureCollection", "features": []map[string]any{{"type": "Feature", "geometry": nil,
		"properties": map[string]any{"label": "Fuzzed provision", "status": "frozen", "point": "1", "regions": []string{id.regionCode}}}}})
	var weights []string
	for issue, w := range id.prefs.Weights {
		weights = append(weights, "weight:"+issue, strconv.Itoa(w))
	}
	for issue, rs := range id.prefs.Ratings {
		for opt, r := range rs {
			weights = append(weights, "rating:"+issue+":"+opt, strconv.Itoa(r))
		}
	}
	for _, ref := range id.prefs.Never {
		weights = append(weights, "never", ref.String())
	}
	prefsForm := form(append(weights, "reservation", strconv.Itoa(id.prefs.Reservation), "note", id.prefs.Note, "action", "save")...)
	prefsJSON := mustJSONString(map[string]any{"weights": id.prefs.Weights, "ratings": id.prefs.Ratings, "reservation": id.prefs.Reservation,
		"never": id.prefs.Never, "note": id.prefs.Note})
	class := []string{"classification", "public"}
	rs := []*bodyRoute{
		// The JSON API.
		{pattern: "POST /api/v1/processes", path: "/api/v1/processes", valid: `{"name":"Fuzzed process","classification":{"level":"public"}}`},
		{pattern: "PATCH /api/v1/processes/{id}", path: in, valid: `{"summary":"Patched by the hostile tests"}`},
		{pattern: "POST /api/v1/processes/{id}/issues", path: in + "/issues",
			valid: `{"name":"Fuzzed issue","options":[{"id":"a","label":"A"},{"id":"b","label":"B"}]}`},
		{pattern: "PATCH /api/v1/issues/{id}", path: "/api/v1/issues/" + id.issue, valid: mustJSONString(map[string]string{"name": id.issueName})},
		{pattern: "PUT /api/v1/processes/{id}/preferences/{party}", path: in + "/preferences/" + id.prefsParty, valid: prefsJSON},
		{pattern: "POST /api/v1/processes/{id}/parties", path: in + "/parties", valid: `{"name":"Fuzzed party","kind":"state"}`},
		{pattern: "PATCH /api/v1/parties/{id}", path: "/api/v1/parties/" + id.party, valid: `{"kind":"state"}`},
		{pattern: "POST /api/v1/processes/{id}/people", path: in + "/people", valid: `{"name":"Fuzzed envoy","party_id":"` + id.party + `"}`},
		{pattern: "PATCH /api/v1/people/{id}", path: "/api/v1/people/" + id.person, valid: `{"role":"Envoy"}`},
		{pattern: "POST /api/v1/processes/{id}/channels", path: in + "/channels", valid: `{"name":"Fuzzed channel","kind":"official","party_ids":[]}`},
		{pattern: "PATCH /api/v1/channels/{id}", path: "/api/v1/channels/" + id.channel, valid: `{"kind":"backchannel"}`},
		{pattern: "POST /api/v1/processes/{id}/contacts", path: in + "/contacts",
			valid: `{"kind":"call","status":"held","start":"2025-11-20T10:00:00+03:00","summary":"Fuzzed call","classification":{"level":"public"}}`},
		{pattern: "PATCH /api/v1/contacts/{id}", path: "/api/v1/contacts/" + id.contact, valid: `{"place":"Geneva"}`},
		{pattern: "POST /api/v1/processes/{id}/sources", path: in + "/sources",
			valid: `{"url":"https://example.org/fuzz","title":"Fuzzed source","reliability":"B","credibility":2}`},
		{pattern: "PATCH /api/v1/sources/{id}", path: "/api/v1/sources/" + id.source, valid: `{"outlet":"Example"}`},
		{pattern: "POST /api/v1/processes/{id}/plans", path: in + "/plans", valid: `{"title":"Fuzzed plan"}`},
		{pattern: "PATCH /api/v1/plans/{id}", path: "/api/v1/plans/" + id.plan, valid: mustJSONString(map[string]string{"title": id.planTitle})},
		{pattern: "POST /api/v1/plans/{id}/versions", path: "/api/v1/plans/" + id.plan + "/versions",
			valid: `{"label":"Fuzzed version","date":"2025-11-20","text":"1. One.\n2. Two.\n"}`},
		{pattern: "PATCH /api/v1/versions/{id}/points/{point}", path: "/api/v1/versions/" + id.version + "/points/" + id.point,
			valid: mustJSONString(map[string][]string{"tags": {id.topic}})},
		{pattern: "PUT /api/v1/versions/{id}/points/{point}/positions/{party}",
			path:  "/api/v1/versions/" + id.version + "/points/" + id.point + "/positions/" + id.positionParty,
			valid: `{"stance":"accepts_with_changes","note":"Fuzzed note"}`},
		{pattern: "POST /api/v1/versions/{id}/territory", path: "/api/v1/versions/" + id.version + "/territory", kind: geoBody, valid: provisionGeo},
		{pattern: "PUT /api/v1/provisions/{id}", path: "/api/v1/provisions/" + id.provision, valid: id.provisionJSON},
		{pattern: "DELETE /api/v1/provisions/{id}", path: "/api/v1/provisions/" + id.doomed[0], kind: noBody},
		{pattern: "POST /api/v1/processes/{id}/regions", path: in + "/regions?source=fuzz", kind: geoBody, valid: regionGeoJSON("FUZZ-1", 120)},
		{pattern: "POST /api/v1/processes/{id}/lines", path: in + "/lines?source=fuzz", kind: geoBody, valid: lineGeoJSON},
		// Anything else under /api/ has no route, with or without a
		// body.
		{pattern: "POST /api/", path: "/api/v1/nowhere", kind: noBody, ok: []int{404}},
		{pattern: "PATCH /api/", path: "/api/v1/nowhere", kind: noBody, ok: []int{404}},
		{pattern: "PUT /api/", path: in, kind: noBody, ok: []int{405}},
		{pattern: "DELETE /api/", path: in, kind: noBody, ok: []int{405}},

		// Signing in and out, and the first-run setup, which is done.
		{pattern: "POST /signin", path: "/signin", kind: formBody, anonymous: true, valid: form("name", operatorName, "password", testPassword)},
		{pattern: "POST /signout", path: "/signout", kind: formBody, anonymous: true},
		{pattern: "POST /setup", path: "/setup?token=x", kind: formBody, anonymous: true,
			valid: form("name", "root", "password", testPassword, "password2", testPassword), ok: []int{409}},
		{pattern: "POST /account/tokens", path: "/account/tokens", kind: formBody, valid: form("name", "fuzzed"), ok: []int{200}},
		{pattern: "POST /account/tokens/{id}/revoke", path: "/account/tokens/" + id.victimToken + "/revoke", kind: noBody},

		// The forms of records.
		{pattern: "POST /processes/new", path: "/processes/new", kind: formBody, valid: form("name", "Fuzzed process", "summary", "S", "topics", "t", "classification", "public")},
		{pattern: "POST /processes/{id}/edit", path: "/processes/" + id.process + "/edit", kind: formBody,
			valid: form("name", demo.Name, "summary", "Edited by the hostile tests", "topics", "ceasefire", "classification", "public")},
		{pattern: "POST /processes/{id}/issues/new", path: "/processes/" + id.process + "/issues/new", kind: formBody,
			valid: form(append([]string{"name", "Fuzzed issue", "order", "9", "option_id_0", "a", "option_label_0", "A", "option_id_1", "b", "option_label_1", "B"}, class...)...)},
		{pattern: "POST /issues/{id}/edit", path: "/issues/" + id.issue + "/edit", kind: formBody, valid: h.issueForm()},
		{pattern: "POST /processes/{id}/preferences/{party}", path: "/processes/" + id.process + "/preferences/" + id.prefsParty, kind: formBody, valid: prefsForm},
		{pattern: "POST /processes/{id}/parties/new", path: "/processes/" + id.process + "/parties/new", kind: formBody,
			valid: form(append([]string{"name", "Fuzzed party", "kind", "state"}, class...)...)},
		{pattern: "POST /parties/{id}/edit", path: "/parties/" + id.party + "/edit", kind: formBody, valid: h.partyForm()},
		{pattern: "POST /processes/{id}/people/new", path: "/processes/" + id.process + "/people/new", kind: formBody,
			valid: form(append([]string{"name", "Fuzzed envoy", "party_id", id.party, "role", "Envoy"}, class...)...)},
		{pattern: "POST /people/{id}/edit", path: "/people/" + id.person + "/edit", kind: formBody, valid: h.personForm()},
		{pattern: "POST /processes/{id}/channels/new", path: "/processes/" + id.process + "/channels/new", kind: formBody,
			valid: form(append([]string{"name", "Fuzzed channel", "kind", "official", "party_ids", id.party}, class...)...)},
		{pattern: "POST /channels/{id}/edit", path: "/channels/" + id.channel + "/edit", kind: formBody, valid: h.channelForm()},
		{pattern: "POST /processes/{id}/contacts/new", path: "/processes/" + id.process + "/contacts/new", kind: formBody,
			valid: form(append([]string{"kind", "call", "status", "held", "start", "2025-10-14T10:00", "start_zone", "Europe/Moscow",
				"duration_minutes", "30", "summary", "Fuzzed call"}, class...)...)},
		{pattern: "POST /contacts/{id}/edit", path: "/contacts/" + id.contact + "/edit", kind: formBody, valid: h.contactForm()},
		{pattern: "POST /processes/{id}/sources/new", path: "/processes/" + id.process + "/sources/new", kind: formBody,
			valid: form(append([]string{"url", "https://example.org/fuzz", "title", "Fuzzed source", "reliability", "B", "credibility", "2",
				"published", "2025-11-20"}, class...)...)},
		{pattern: "POST /sources/{id}/edit", path: "/sources/" + id.source + "/edit", kind: formBody, valid: h.sourceForm()},
		{pattern: "POST /processes/{id}/plans/new", path: "/processes/" + id.process + "/plans/new", kind: formBody,
			valid: form(append([]string{"title", "Fuzzed plan"}, class...)...)},
		{pattern: "POST /plans/{id}/edit", path: "/plans/" + id.plan + "/edit", kind: formBody, valid: h.planForm()},

		// Versions and points.
		{pattern: "POST /plans/{id}/versions/new", path: "/plans/" + id.plan + "/versions/new", kind: formBody, upload: "file",
			valid: form(append([]string{"label", "Fuzzed version", "date", "2025-11-20", "status", "draft", "text", "1. One.\n2. Two.\n"}, class...)...)},
		{pattern: "POST /plans/{id}/versions/preview", path: "/plans/" + id.plan + "/versions/preview", kind: formBody, upload: "file",
			valid: form("text", "1. One.\n   a) sub\n2. Two.\n"), ok: []int{200}},
		{pattern: "POST /plans/{id}/versions/new-unknown", path: "/plans/" + id.plan + "/versions/new-unknown", kind: formBody,
			valid: form(append([]string{"label", "Fuzzed report", "date", "2025-11-21", "status", "tabled", "point_count", "3",
				"reported_changes", "Reported."}, class...)...)},
		{pattern: "POST /versions/{id}/points/{point}/edit", path: "/versions/" + id.version + "/points/" + id.point + "/edit", kind: formBody,
			valid: form("tags", id.topic, "source_ids", id.source)},
		{pattern: "POST /versions/{id}/points/{point}/position", path: "/versions/" + id.version + "/points/" + id.point + "/position",
			kind: formBody, valid: form("party", id.positionParty, "stance", "rejects", "note", "Fuzzed", "classification", "confidential")},

		// The territory.
		{pattern: "POST /processes/{id}/map/base/{key}", path: "/processes/" + id.process + "/map/base/ukraine-adm1", kind: noBody},
		{pattern: "POST /processes/{id}/regions/import", path: "/processes/" + id.process + "/regions/import", kind: formBody, upload: "file",
			valid: form("source", "Drawn for the hostile tests", "geojson", regionGeoJSON("FUZZ-2", 122))},
		{pattern: "POST /processes/{id}/lines/import", path: "/processes/" + id.process + "/lines/import", kind: formBody, upload: "file",
			valid: form("source", "Drawn for the hostile tests", "geojson", lineGeoJSON)},
		{pattern: "POST /regions/{id}/edit", path: "/regions/" + id.region + "/edit", kind: formBody, valid: h.regionForm()},
		{pattern: "POST /lines/{id}/edit", path: "/lines/" + id.line + "/edit", kind: formBody, valid: h.lineForm()},
		{pattern: "POST /versions/{id}/territory/import", path: "/versions/" + id.version + "/territory/import", kind: formBody, upload: "file",
			valid: form("geojson", provisionGeo)},
		{pattern: "POST /versions/{id}/provisions/new", path: "/versions/" + id.version + "/provisions/new", kind: formBody,
			valid: form(append([]string{"point_id", "1", "label", "Fuzzed provision", "region_ids", id.region, "status", "frozen",
				"drawn", ""}, class...)...)},
		{pattern: "POST /provisions/{id}/edit", path: "/provisions/" + id.provision + "/edit", kind: formBody, valid: h.provisionForm()},
		{pattern: "POST /provisions/{id}/delete", path: "/provisions/" + id.doomed[1] + "/delete", kind: noBody},

		// Members and accounts.
		{pattern: "POST /processes/{id}/members", path: "/processes/" + id.process + "/members", kind: formBody,
			valid: form("user", id.victimName, "role", "observer")},
		{pattern: "POST /processes/{id}/members/{user}/remove", path: "/processes/" + id.process + "/members/" + id.victim + "/remove", kind: noBody},
		{pattern: "POST /admin/users", path: "/admin/users", kind: formBody, valid: form("name", "fuzzed-user", "password", testPassword)},
		{pattern: "POST /admin/users/{id}/disable", path: "/admin/users/" + id.victim + "/disable", kind: noBody},
		{pattern: "POST /admin/users/{id}/enable", path: "/admin/users/" + id.victim + "/enable", kind: noBody},

		// No page here.
		{pattern: "/", method: http.MethodPost, path: "/nowhere", kind: formBody, ok: []int{404}},
	}
	// Who may see a record: one form per kind of record.
	for kind, rid := range map[string]string{"processes": id.process, "parties": id.party, "people": id.person, "channels": id.channel,
		"contacts": id.contact, "sources": id.source, "plans": id.plan, "versions": id.version} {
		rs = append(rs, &bodyRoute{pattern: "POST /" + kind + "/{id}/share", path: "/" + kind + "/" + rid + "/share", kind: formBody,
			valid: form("classification", "public")})
	}
	slices.SortFunc(rs, func(a, b *bodyRoute) int { return strings.Compare(a.pattern, b.pattern) })
	for _, rt := range rs {
		if rt.method == "" {
			rt.method, _, _ = strings.Cut(rt.pattern, " ")
		}
		if rt.ok == nil {
			switch {
			case rt.api() && rt.method == http.MethodPost:
				rt.ok = []int{http.StatusCreated}
			case rt.api() && rt.method == http.MethodDelete:
				rt.ok = []int{http.StatusNoContent}
			case rt.api():
				rt.ok = []int{http.StatusOK}
			default:
				rt.ok = []int{http.StatusSeeOther}
			}
		}
	}
	return rs
}

// The bodies of the edit forms: each record as it is stored.

func (h *hostileEnv) classValues(v url.Values, c parley.Classification) string {
	v.Set("classification", string(c.Level))
	for _, p := range c.PartyIDs {
		v.Add("classification_parties", p)
	}
	return v.Encode()
}

func (h *hostileEnv) partyForm() string {
	p, err := h.Svc.Parties.FindPartyByID(System, h.ids.party)
	if err != nil {
		panic(err)
	}
	return h.classValues(url.Values{"name": {p.Name}, "kind": {string(p.Kind)}}, p.Classification)
}

func (h *hostileEnv) personForm() string {
	p, err := h.Svc.People.FindPersonByID(System, h.ids.person)
	if err != nil {
		panic(err)
	}
	return h.classValues(url.Values{"name": {p.Name}, "party_id": {p.PartyID}, "role": {p.Role}}, p.Classification)
}

func (h *hostileEnv) channelForm() string {
	c, err := h.Svc.Channels.FindChannelByID(System, h.ids.channel)
	if err != nil {
		panic(err)
	}
	return h.classValues(url.Values{"name": {c.Name}, "kind": {string(c.Kind)}, "party_ids": c.PartyIDs}, c.Classification)
}

func (h *hostileEnv) contactForm() string {
	c, err := h.Svc.Contacts.FindContactByID(System, h.ids.contact)
	if err != nil {
		panic(err)
	}
	v := url.Values{"kind": {string(c.Kind)}, "status": {string(c.Status)}, "place": {c.Place}, "channel_id": {c.ChannelID},
		"person_ids": c.PersonIDs, "source_ids": c.SourceIDs, "summary": {c.Summary}, "transcript": {c.Transcript},
		"start": {c.Start.Format("2006-01-02T15:04")}, "start_zone": {c.Start.Location().String()}}
	if c.Minutes > 0 {
		v.Set("duration_minutes", strconv.Itoa(c.Minutes))
	}
	if c.Classification == nil {
		v.Set("classification", "")
		return v.Encode()
	}
	return h.classValues(v, *c.Classification)
}

func (h *hostileEnv) sourceForm() string {
	s, err := h.Svc.Sources.FindSourceByID(System, h.ids.source)
	if err != nil {
		panic(err)
	}
	v := url.Values{"url": {s.URL}, "title": {s.Title}, "outlet": {s.Outlet}, "reliability": {s.Reliability},
		"credibility": {strconv.Itoa(s.Credibility)}}
	if !s.Published.IsZero() {
		v.Set("published", s.Published.Format("2006-01-02"))
	}
	return h.classValues(v, s.Classification)
}

func (h *hostileEnv) planForm() string {
	p, err := h.Svc.Plans.FindPlanByID(System, h.ids.plan)
	if err != nil {
		panic(err)
	}
	return h.classValues(url.Values{"title": {p.Title}, "template_id": {p.TemplateID}}, p.Classification)
}

func (h *hostileEnv) issueForm() string {
	is, err := h.Svc.Negotiation.FindIssueByID(System, h.ids.issue)
	if err != nil {
		panic(err)
	}
	v := url.Values{"name": {is.Name}, "order": {strconv.Itoa(is.Order)}, "default": {is.Default}}
	if is.Divisible {
		v.Set("divisible", "yes")
	}
	for k, o := range is.Options {
		key := strconv.Itoa(k)
		v.Set("option_id_"+key, o.ID)
		v.Set("option_label_"+key, o.Label)
	}
	return h.classValues(v, is.Classification)
}

func (h *hostileEnv) regionForm() string {
	r, err := h.Svc.Territory.FindRegionByID(System, h.ids.region)
	if err != nil {
		panic(err)
	}
	return h.classValues(url.Values{"name": {r.Name}, "code": {r.Code}, "de_jure_id": {r.DeJureID}, "de_facto_id": {r.DeFactoID},
		"source": {r.Source}}, r.Classification)
}

func (h *hostileEnv) lineForm() string {
	l, err := h.Svc.Territory.FindLineByID(System, h.ids.line)
	if err != nil {
		panic(err)
	}
	return h.classValues(url.Values{"name": {l.Name}, "left_label": {l.LeftLabel}, "right_label": {l.RightLabel}, "source": {l.Source}},
		l.Classification)
}

func (h *hostileEnv) provisionForm() string {
	p, err := h.Svc.Territory.FindProvisionByID(System, h.ids.provision)
	if err != nil {
		panic(err)
	}
	buffer := ""
	if p.BufferKm > 0 {
		buffer = strconv.FormatFloat(p.BufferKm, 'f', -1, 64)
	}
	return h.classValues(url.Values{"point_id": {p.PointID}, "label": {p.Label}, "region_ids": p.RegionIDs, "line_id": {p.LineID},
		"side": {string(p.Side)}, "buffer_km": {buffer}, "status": {string(p.Status)}, "de_jure_id": {p.DeJureID},
		"de_facto_id": {p.DeFactoID}, "note": {p.Note}}, p.Classification)
}

// credential is who a hostile request is sent as.
type credential int

const (
	asToken   credential = iota // the operator's API token
	asBrowser                   // the operator's session cookie, from a page of the server
	asNobody                    // no credential
)

func (c credential) String() string { return [...]string{"API token", "browser session", "no one"}[c] }

// answer is a response to a hostile request, read whole.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// send sends a request with body (nil for none), of content type ctype,
// as who: a browser says it comes from a page of the server, as the
// pages' protection against other sites wants.
func (h *hostileEnv) send(tb testing.TB, who credential, method, path, ctype string, body io.Reader, size int64) *answer {
	tb.Helper()
	req, err := http.NewRequest(method, h.URL+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.ContentLength = size
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	switch who {
	case asToken:
		req.Header.Set("Authorization", "Bearer "+h.secret)
	case asBrowser:
		req.AddCookie(&http.Cookie{Name: h.CookieName(), Value: h.Token})
		req.Header.Set("Origin", h.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := h.client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s as %s: %v", method, path, who, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s as %s: reading the answer: %v", method, path, who, err)
	}
	return &answer{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// sendBody sends a body held in memory to a route.
func (h *hostileEnv) sendBody(tb testing.TB, rt *bodyRoute, who credential, ctype string, body []byte) *answer {
	tb.Helper()
	if rt.anonymous {
		who = asNobody
	}
	return h.send(tb, who, rt.method, rt.path, ctype, bytes.NewReader(body), int64(len(body)))
}

// multipartBody is a multipart form of the URL-encoded fields (the
// valid body of a route, say) and, when file is not empty, a file of
// that name in the input upload.
func multipartBody(tb testing.TB, fields, upload, file string, content []byte) (ctype string, body []byte) {
	tb.Helper()
	vals, _ := url.ParseQuery(fields) // a fuzzed body that does not parse sends what did
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		for _, v := range vals[k] {
			must(tb, mw.WriteField(k, v))
		}
	}
	if upload != "" {
		fw, err := mw.CreateFormFile(upload, file)
		must(tb, err)
		_, err = fw.Write(content)
		must(tb, err)
	}
	must(tb, mw.Close())
	return mw.FormDataContentType(), buf.Bytes()
}

// storeState is a fingerprint of what the database stores: a hash of
// every table but those that change with reads or sign-ins (the audit
// log, sessions, failed sign-ins, the time a token was last used), and
// where the audit log ends.
type storeState struct {
	hash  string
	audit int64
}

// volatile are the tables a request may change without storing anything
// (see storeState), the counts of writes among them: the audit records of
// reads count as writes to the log.
var volatile = map[string]bool{"audit_log": true, "audit_hashes": true, "sessions": true, "signin_failures": true, "changes": true}

// readActions are the audit records appended by reads, which a refused
// request may append (the reads it made before it was refused).
var readActions = map[string]bool{"read": true, "export": true, "analyse": true}

// state reads the fingerprint of what is stored. Virtual tables (the
// search index) are left out: their content is in tables of their own.
func (h *hostileEnv) state(tb testing.TB) storeState {
	tb.Helper()
	ctx := context.Background()
	if h.snapshots == nil {
		h.prepareSnapshots(tb)
	}
	tx, err := h.raw.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // one snapshot
	must(tb, err)
	defer tx.Rollback()
	sum := sha256.New()
	for _, table := range slices.Sorted(maps.Keys(h.snapshots)) {
		rows, err := tx.StmtContext(ctx, h.snapshots[table]).QueryContext(ctx)
		must(tb, err)
		cols, err := rows.Columns()
		must(tb, err)
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		fmt.Fprintf(sum, "%s\x00", table)
		var buf []byte
		for rows.Next() {
			must(tb, rows.Scan(ptrs...))
			for _, v := range vals {
				switch v := v.(type) {
				case []byte:
					buf = append(strconv.AppendInt(append(buf[:0], 'b'), int64(len(v)), 10), ':')
					buf = append(buf, v...)
				case string:
					buf = append(strconv.AppendInt(append(buf[:0], 's'), int64(len(v)), 10), ':')
					buf = append(buf, v...)
				case int64:
					buf = strconv.AppendInt(append(buf[:0], 'i'), v, 10)
				default:
					buf = fmt.Appendf(buf[:0], "%T:%v", v, v)
				}
				sum.Write(append(buf, 0))
			}
		}
		must(tb, rows.Err())
	}
	var st storeState
	must(tb, tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM audit_log").Scan(&st.audit))
	st.hash = hex.EncodeToString(sum.Sum(nil))
	return st
}

// before returns the fingerprint of what is stored before a request:
// as the last refusal left it, or read anew after a success.
func (h *hostileEnv) before(tb testing.TB) storeState {
	tb.Helper()
	if h.known == nil {
		st := h.state(tb)
		h.known = &st
	}
	return *h.known
}

// prepareSnapshots prepares the query of every table state reads.
func (h *hostileEnv) prepareSnapshots(tb testing.TB) {
	tb.Helper()
	h.snapshots = map[string]*sql.Stmt{}
	rows, err := h.raw.Query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
	must(tb, err)
	var tables []string
	for rows.Next() {
		var name string
		must(tb, rows.Scan(&name))
		if !volatile[name] {
			tables = append(tables, name)
		}
	}
	must(tb, rows.Err())
	for _, table := range tables {
		q := "SELECT * FROM " + table
		if table == "api_tokens" {
			q = "SELECT id, user_id, name, hash, created, revoked FROM api_tokens"
		}
		st, err := h.raw.Prepare(q + " ORDER BY rowid")
		if err != nil { // a table without rowid, such as the search index's: in key order
			st, err = h.raw.Prepare(q)
		}
		must(tb, err)
		h.snapshots[table] = st
	}
}

// unchanged fails unless nothing was stored since before: the tables
// are as they were, and the audit log grew by reads only.
func (h *hostileEnv) unchanged(tb testing.TB, before storeState, what string) {
	tb.Helper()
	after := h.state(tb)
	h.known = &after
	if after.hash != before.hash {
		tb.Errorf("%s: the refusal stored something (the database's content changed)", what)
	}
	rows, err := h.raw.Query("SELECT action, kind FROM audit_log WHERE seq > $1", before.audit)
	must(tb, err)
	defer rows.Close()
	for rows.Next() {
		var action, kind string
		must(tb, rows.Scan(&action, &kind))
		if !readActions[action] {
			tb.Errorf("%s: the refusal was audited as a write: %s %s", what, action, kind)
		}
	}
	must(tb, rows.Err())
}

// pageMessage finds the message of a page that refuses a request: an
// error page's, a form's errors, or the sign-in form's.
var pageMessage = regexp.MustCompile(`<p class="message">[^<\s][^<]*</p>|role="alert"|<p class="error"[^>]*>[^<\s]`)

// wantAnswer checks the answer to a request of route rt: never a server
// error; a success of the route's, or a refusal of the client's making
// (4xx) that says what is wrong, in JSON for the API, and stored nothing
// (see unchanged); and no markup of the sender's on a page.
func (h *hostileEnv) wantAnswer(tb testing.TB, rt *bodyRoute, a *answer, before storeState, what string) {
	tb.Helper()
	where := rt.method + " " + rt.path + " " + what
	if a.Status < 400 {
		h.known = nil // it may have stored something
	}
	switch {
	case a.Status >= 500:
		tb.Fatalf("%s: status %d, a server error; body: %.500s", where, a.Status, a.Body)
	case a.Status >= 400:
		h.unchanged(tb, before, where)
	case !slices.Contains(rt.ok, a.Status):
		tb.Fatalf("%s: status %d, want a success (%v) or a refusal (4xx); body: %.500s", where, a.Status, rt.ok, a.Body)
	}
	if rt.api() {
		wantJSONAnswer(tb, where, a)
		return
	}
	if a.Status == http.StatusSeeOther {
		if loc := a.Header.Get("Location"); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
			tb.Errorf("%s: redirected to %q, which is not a page of the server", where, loc)
		}
		return
	}
	if ct := a.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		tb.Errorf("%s: Content-Type %q, want a page", where, ct)
	}
	if a.Status >= 400 && !pageMessage.Match(a.Body) {
		tb.Errorf("%s: status %d without a message saying what is wrong: %s", where, a.Status, cutBody(string(a.Body)))
	}
	wantOnlyOwnMarkup(tb, where, a.Body)
}

// wantJSONAnswer checks an API answer: JSON (GeoJSON for maps), and for
// an error, an object with a code and a message.
func wantJSONAnswer(tb testing.TB, where string, a *answer) {
	tb.Helper()
	if a.Status == http.StatusNoContent {
		return
	}
	ct := a.Header.Get("Content-Type")
	if ct != "application/json; charset=utf-8" && ct != "application/geo+json; charset=utf-8" {
		tb.Errorf("%s: Content-Type %q, want JSON", where, ct)
	}
	if !json.Valid(a.Body) {
		tb.Fatalf("%s: the answer is not JSON: %.500s", where, a.Body)
	}
	if a.Status < 400 {
		return
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(a.Body, &e); err != nil || e.Error.Code == "" || strings.TrimSpace(e.Error.Message) == "" {
		tb.Errorf("%s: status %d without an error code and message: %.500s", where, a.Status, a.Body)
	}
}

// ownTags are the names of the elements the server itself draws: every
// name that follows a "<" in its templates and in the Go source of the
// packages that draw HTML and SVG. A page holding an element by any
// other name holds markup it was sent.
var ownTags = sync.OnceValues(func() (map[string]bool, error) {
	names := map[string]bool{}
	tag := regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)`)
	for _, dir := range []string{".", "templates", "../territory", "../compare", "../geo", "../bargain", "../plantext"} {
		files, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if f.IsDir() || !(strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), ".html")) || strings.HasSuffix(f.Name(), "_test.go") {
				continue
			}
			b, err := fs.ReadFile(os.DirFS(dir), f.Name())
			if err != nil {
				return nil, err
			}
			for _, m := range tag.FindAllSubmatch(b, -1) {
				names[strings.ToLower(string(m[1]))] = true
			}
		}
	}
	return names, nil
})

// pageTag finds the start tags of a page; quotedValue the quoted values
// of attributes, which html/template always quotes.
var (
	pageTag     = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>`)
	quotedValue = regexp.MustCompile(`"[^"]*"|'[^']*'`)
	handlerAttr = regexp.MustCompile(`(?i)\s(on[a-z]+|style)\s*=`)
)

// wantOnlyOwnMarkup fails if a page holds an element the server does not
// draw, an inline script, or an event handler or style attribute: markup
// that came from a request rather than from the templates.
func wantOnlyOwnMarkup(tb testing.TB, where string, body []byte) {
	tb.Helper()
	own, err := ownTags()
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range pageTag.FindAllSubmatch(body, -1) {
		name, attrs := strings.ToLower(string(m[1])), quotedValue.ReplaceAll(m[2], nil)
		switch {
		case !own[name]:
			tb.Errorf("%s: the page holds a <%s> element, which the server never draws: %.200s", where, name, m[0])
		case name == "script" && !bytes.Contains(m[2], []byte(` src="/static/`)):
			tb.Errorf("%s: the page holds an inline script: %.200s", where, m[0])
		case handlerAttr.Match(attrs):
			tb.Errorf("%s: the page holds an element with an event handler or style attribute: %.200s", where, m[0])
		}
	}
}

// hostileSeeds are bodies that have broken parsers elsewhere, added to
// every route's seeds.
func hostileSeeds() []string {
	return []string{
		strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
		`{"a":` + strings.Repeat(`{"a":`, 20000) + `1` + strings.Repeat("}", 20001),
		`{"name":"a","name":"b"}`,
		`{"name":"x"} trailing`,
		`{"credibility":1e999,"order":-9223372036854775809,"buffer_km":1e400}`,
		"{\"name\":\"\xff\xfe\"}",
		"{\"name\":\"a\x00b\"}",
		`{"name":"a\u0000b","summary":"\ud800"}`,
		`{"name":"'; DROP TABLE points; --","title":"\" OR 1=1"}`,
		`{"name":"<script>alert(1)</script>","label":"<img src=x onerror=alert(1)>"}`,
		"name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&title=%27%3B+DROP+TABLE+points%3B+--&label=%22+OR+1%3D1",
		"name=a%00b&text=1.+a%00b&geojson=%00",
		"name=%ff%fe&summary=%e2%82",
		"a=%zz&b=%",
		"label=" + strings.Repeat("x", 5000),
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[1e999,0],[0,0]]]}}]}`,
		`{"type":"Topology","objects":{"a":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[99999]]}]}},"arcs":[]}`,
		"",
		"null",
		"[]",
	}
}

// FuzzBodies sends arbitrary bodies to every route that takes one, each
// with its own content type, the API as the token user and the pages as
// the browser session: never a server error; a refusal says what is
// wrong and stores nothing; no page carries markup it was sent.
func FuzzBodies(f *testing.F) {
	h := newHostileEnv(f)
	routes := h.routes()
	for k, rt := range routes {
		f.Add(uint8(k), []byte(rt.valid))
	}
	for k, s := range hostileSeeds() {
		f.Add(uint8(k*7), []byte(s))
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		rt := routes[int(route)%len(routes)]
		who := asBrowser
		if rt.api() {
			who = asToken
		}
		before := h.before(t)
		a := h.sendBody(t, rt, who, rt.contentType(), body)
		h.wantAnswer(t, rt, a, before, fmt.Sprintf("with body %.200q", body))
	})
}

// FuzzUploads sends arbitrary files, under arbitrary names, to the forms
// that take a file (plan texts and GeoJSON), beside the form's other
// inputs: the same properties as FuzzBodies.
func FuzzUploads(f *testing.F) {
	h := newHostileEnv(f)
	var routes []*bodyRoute
	for _, rt := range h.routes() {
		if rt.upload != "" {
			routes = append(routes, rt)
		}
	}
	for k, rt := range routes {
		v, _ := url.ParseQuery(rt.valid)
		content := v.Get("text") + v.Get("geojson")
		f.Add(uint8(k), "upload.txt", []byte(content))
		f.Add(uint8(k), "../../etc/passwd", []byte(content))
	}
	for k, s := range hostileSeeds() {
		f.Add(uint8(k), "<script>alert(1)</script>.json", []byte(s))
	}
	f.Add(uint8(0), "a\x00b.txt", []byte("\xef\xbb\xbf1. BOM\r\n2. CRLF\r\n"))
	f.Add(uint8(1), "plan.txt", []byte("1. \xff\xfe"))
	f.Fuzz(func(t *testing.T, route uint8, name string, content []byte) {
		rt := routes[int(route)%len(routes)]
		// Without the pasted text, so that the file is what is read.
		v, _ := url.ParseQuery(rt.valid)
		v.Del("text")
		v.Del("geojson")
		ctype, body := multipartBody(t, v.Encode(), rt.upload, name, content)
		before := h.before(t)
		a := h.sendBody(t, rt, asBrowser, ctype, body)
		h.wantAnswer(t, rt, a, before, fmt.Sprintf("with file %q: %.200q", name, content))
	})
}
