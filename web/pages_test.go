package web_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parley"
	"parley/examples"
)

// page is an answer to a request for a page.
type page struct {
	Status   int
	Header   http.Header
	Body     string
	Location string // of a redirect
}

// pageDo sends a request as env's account (unless it carries credentials
// of its own), without following redirects, so that tests see
// Post/Redirect/Get, and reads the answer.
func pageDo(tb testing.TB, env *testEnv, req *http.Request) *page {
	tb.Helper()
	env.sign(req)
	resp, err := env.client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return &page{Status: resp.StatusCode, Header: resp.Header, Body: string(b), Location: resp.Header.Get("Location")}
}

// pageGet fetches a page.
func pageGet(tb testing.TB, env *testEnv, path string) *page {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, env.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return pageDo(tb, env, req)
}

// pagePost posts a URL-encoded form.
func pagePost(tb testing.TB, env *testEnv, path string, form url.Values) *page {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, env.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return pageDo(tb, env, req)
}

// pagePostMultipart posts a multipart form with one file.
func pagePostMultipart(tb testing.TB, env *testEnv, path string, form url.Values, fileField, fileName string, file []byte) *page {
	tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if fileField != "" {
		fw, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, env.URL+path, &body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return pageDo(tb, env, req)
}

// want fails unless the page has the status.
func (p *page) want(tb testing.TB, status int) *page {
	tb.Helper()
	if p.Status != status {
		tb.Fatalf("got status %d, want %d; body:\n%s", p.Status, status, cutBody(p.Body))
	}
	return p
}

// wantRedirect fails unless the page redirects with 303 to an address
// that starts with prefix, and returns the address.
func (p *page) wantRedirect(tb testing.TB, prefix string) string {
	tb.Helper()
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, prefix) {
		tb.Fatalf("got status %d to %q, want 303 to %s…; body:\n%s", p.Status, p.Location, prefix, cutBody(p.Body))
	}
	return p.Location
}

// has fails unless the page holds every string.
func (p *page) has(tb testing.TB, want ...string) {
	tb.Helper()
	for _, w := range want {
		if !strings.Contains(p.Body, w) {
			tb.Errorf("the page lacks %q", w)
		}
	}
}

// hasText fails unless the page's text, with its character references
// decoded, holds every string.
func (p *page) hasText(tb testing.TB, want ...string) {
	tb.Helper()
	text := html.UnescapeString(p.Body)
	for _, w := range want {
		if !strings.Contains(text, w) {
			tb.Errorf("the page's text lacks %q", w)
		}
	}
}

// hasNot fails if the page holds any of the strings.
func (p *page) hasNot(tb testing.TB, unwanted ...string) {
	tb.Helper()
	for _, w := range unwanted {
		if strings.Contains(p.Body, w) {
			tb.Errorf("the page holds %q, which it should not", w)
		}
	}
}

// count counts the matches of a regular expression in the page.
func (p *page) count(re string) int {
	return len(regexp.MustCompile(re).FindAllStringIndex(p.Body, -1))
}

// fieldError returns the error shown next to the input of a field, or "".
func (p *page) fieldError(name string) string {
	m := regexp.MustCompile(`<p class="error" id="f-` + regexp.QuoteMeta(name) + `-error">([^<]*)</p>`).FindStringSubmatch(p.Body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// cutBody shortens a body for a failure message.
func cutBody(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// svgOf returns the first inline SVG of a page, parsed as XML: the
// timeline must be well-formed XML to be an SVG at all.
func svgOf(tb testing.TB, p *page) *svgNode {
	tb.Helper()
	start, end := strings.Index(p.Body, "<svg"), strings.Index(p.Body, "</svg>")
	if start < 0 || end < start {
		tb.Fatalf("the page has no SVG")
	}
	var n svgNode
	if err := xml.Unmarshal([]byte(p.Body[start:end+len("</svg>")]), &n); err != nil {
		tb.Fatalf("the SVG is not well-formed: %v", err)
	}
	return &n
}

// svgNode is an element of an SVG with its attributes and children.
type svgNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []svgNode  `xml:",any"`
	Text     string     `xml:",chardata"`
}

// attr returns an attribute's value.
func (n *svgNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// all returns the elements below n (n included) for which keep is true.
func (n *svgNode) all(keep func(*svgNode) bool) []*svgNode {
	var out []*svgNode
	if keep(n) {
		out = append(out, n)
	}
	for k := range n.Children {
		out = append(out, n.Children[k].all(keep)...)
	}
	return out
}

// fixture is a process made through the services, for the tests of
// pages: two parties, a person, two channels, a source, contacts of every
// status, and a plan with the two example versions.
type fixture struct {
	env                 *testEnv
	process             *parley.Process
	russia, ukraine     *parley.Party
	envoy               *parley.Person
	official, back      *parley.Channel
	source              *parley.Source
	contacts            []*parley.Contact
	plan                *parley.Plan
	us28, framework     *parley.Version
	unknown             *parley.Version // text unknown
	otherProcessVersion *parley.Version
}

// exampleText reads an example plan.
func exampleText(tb testing.TB, name string) string {
	tb.Helper()
	b, err := examples.Files.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// must fails the test on an error.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// newFixture builds the fixture in a fresh server.
func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	env := newTestEnv(tb)
	ctx := env.Ctx // the mediator of what the fixture creates
	svc := env.Svc
	pub := parley.Classification{Level: parley.Public}
	f := &fixture{env: env}
	f.process = &parley.Process{Name: "Talks <&> “peace”", Summary: "A process for tests.", Topics: []string{"water"}, Classification: pub}
	must(tb, svc.Processes.CreateProcess(ctx, f.process))
	f.russia = &parley.Party{ProcessID: f.process.ID, Name: "Russia", Kind: parley.State, Classification: pub}
	must(tb, svc.Parties.CreateParty(ctx, f.russia))
	f.ukraine = &parley.Party{ProcessID: f.process.ID, Name: "Ukraine", Kind: parley.State, Classification: pub}
	must(tb, svc.Parties.CreateParty(ctx, f.ukraine))
	f.envoy = &parley.Person{ProcessID: f.process.ID, Name: "Yuri Ushakov", PartyID: f.russia.ID, Role: "adviser", Classification: pub}
	must(tb, svc.People.CreatePerson(ctx, f.envoy))
	f.official = &parley.Channel{ProcessID: f.process.ID, Name: "Official track", Kind: parley.Official,
		PartyIDs: []string{f.russia.ID, f.ukraine.ID}, Classification: pub}
	must(tb, svc.Channels.CreateChannel(ctx, f.official))
	f.back = &parley.Channel{ProcessID: f.process.ID, Name: "Backchannel", Kind: parley.Backchannel, Classification: pub}
	must(tb, svc.Channels.CreateChannel(ctx, f.back))
	f.source = &parley.Source{ProcessID: f.process.ID, URL: "https://example.org/report", Title: "A report", Outlet: "Daily",
		Reliability: "B", Credibility: 2, Classification: pub}
	must(tb, svc.Sources.CreateSource(ctx, f.source))
	moscow, err := time.LoadLocation("Europe/Moscow")
	must(tb, err)
	for k, st := range []parley.ContactStatus{parley.Held, parley.Planned, parley.Cancelled, parley.Shelved} {
		c := &parley.Contact{ProcessID: f.process.ID, Kind: parley.Call, Status: st,
			Start: time.Date(2025, 10, 14+k*9, 10, 0, 0, 0, moscow), Minutes: 90, Place: "Moscow",
			PersonIDs: []string{f.envoy.ID}, ChannelID: f.back.ID, Summary: "Call " + string(st) + " <b>bold</b>",
			SourceIDs: []string{f.source.ID}}
		if k == 3 { // one contact outside any channel
			c.ChannelID, c.Classification = "", &pub
		}
		must(tb, svc.Contacts.CreateContact(ctx, c))
		f.contacts = append(f.contacts, c)
	}
	f.plan = &parley.Plan{ProcessID: f.process.ID, Title: "Peace plan", Classification: pub}
	must(tb, svc.Plans.CreatePlan(ctx, f.plan))
	f.us28 = &parley.Version{PlanID: f.plan.ID, Label: "US 28 points", Date: time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC),
		Status: parley.Tabled, AuthorPartyID: f.ukraine.ID, SourceIDs: []string{f.source.ID},
		Text: exampleText(tb, "us-28-points.txt"), Classification: pub}
	must(tb, svc.Plans.CreateVersion(ctx, f.us28))
	f.unknown = &parley.Version{PlanID: f.plan.ID, Label: "Geneva revision", Date: time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC),
		Status: parley.Tabled, TextUnknown: true, PointCount: 19, ReportedChanges: "Points 27 and 28 were dropped.", Classification: pub}
	must(tb, svc.Plans.CreateVersion(ctx, f.unknown))
	f.framework = &parley.Version{PlanID: f.plan.ID, Label: "Framework", Date: time.Date(2025, 12, 24, 0, 0, 0, 0, time.UTC),
		Status: parley.Tabled, Text: exampleText(tb, "framework-20-points.txt"), Classification: pub}
	must(tb, svc.Plans.CreateVersion(ctx, f.framework))

	other := &parley.Process{Name: "Other", Classification: pub}
	must(tb, svc.Processes.CreateProcess(ctx, other))
	otherPlan := &parley.Plan{ProcessID: other.ID, Title: "Other plan", Classification: pub}
	must(tb, svc.Plans.CreatePlan(ctx, otherPlan))
	f.otherProcessVersion = &parley.Version{PlanID: otherPlan.ID, Label: "Other", Date: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Status: parley.Draft, Text: "1. One.\n2. Two.\n", Classification: pub}
	must(tb, svc.Plans.CreateVersion(ctx, f.otherProcessVersion))
	return f
}

func TestProcessListPage(t *testing.T) {
	f := newFixture(t)
	p := pageGet(t, f.env, "/").want(t, http.StatusOK)
	p.has(t, `<a href="/processes/`+f.process.ID+`">Talks &lt;&amp;&gt; “peace”</a>`, `action="/processes/new"`,
		`<label for="f-name">Name`, `name="classification"`, "Parley test") // the footer shows the build
	p.hasNot(t, "<&>")
	if ct := p.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("got Content-Type %q, want text/html; charset=utf-8", ct)
	}
}

func TestDashboard(t *testing.T) {
	f := newFixture(t)
	p := pageGet(t, f.env, "/processes/"+f.process.ID).want(t, http.StatusOK)
	p.has(t, "A process for tests.", "Russia", "Ukraine", "Yuri Ushakov", "adviser",
		"Official track", "Russia, Ukraine", // a channel with its member parties
		"A report", "https://example.org/report",
		"Peace plan", "US 28 points", "Framework", "Geneva revision", "text unknown",
		"20 November 2025", "tabled",
		`href="/compare?new=`+f.framework.ID+`&amp;old=`+f.us28.ID+`"`, // compare with the version before, past the unknown one
		`<form class="quick-compare" action="/compare" method="get">`,
		`/plans/`+f.plan.ID+`/versions/new`, `/plans/`+f.plan.ID+`/versions/new-unknown`,
		`/processes/`+f.process.ID+`/plans/new?template=`+f.plan.ID,
		`action="/processes/`+f.process.ID+`/search"`) // the navigation searches this process
	p.hasNot(t, "<b>bold</b>")
}

// TestTimeline checks the SVG timeline: a lane per channel, one for
// contacts outside any channel and one for the plan versions, one mark per
// contact and per version linking to it with a tooltip, and marks that
// differ by status.
func TestTimeline(t *testing.T) {
	f := newFixture(t)
	svg := svgOf(t, pageGet(t, f.env, "/processes/"+f.process.ID).want(t, http.StatusOK))
	lanes := svg.all(func(n *svgNode) bool { return n.XMLName.Local == "g" && n.attr("class") == "lane" })
	var names []string
	for _, l := range lanes {
		for _, c := range l.Children {
			if c.XMLName.Local == "text" {
				names = append(names, strings.TrimSpace(c.Text))
			}
		}
	}
	want := []string{"Backchannel", "Official track", "Outside any channel", "Plan versions"} // channels by name
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("got lanes %q, want %q", names, want)
	}
	marks := svg.all(func(n *svgNode) bool { return n.XMLName.Local == "a" && n.attr("class") == "mark" })
	plans, err := f.env.Svc.Plans.FindPlans(System, f.process.ID)
	if err != nil {
		t.Fatal(err)
	}
	versions := 0
	for _, p := range plans {
		versions += len(p.Versions)
	}
	if len(marks) != len(f.contacts)+versions {
		t.Fatalf("got %d marks, want one per contact (%d) and per version (%d)", len(marks), len(f.contacts), versions)
	}
	for _, m := range marks[len(f.contacts):] {
		if !strings.HasPrefix(m.attr("href"), "/versions/") || len(m.Children) == 0 || !strings.Contains(m.Children[0].Text, "·") {
			t.Errorf("a version's mark links to %q, want a version page and a tooltip", m.attr("href"))
		}
	}
	marks = marks[:len(f.contacts)]
	looks := map[string]string{}
	for k, m := range marks {
		c := f.contacts[k] // contacts are drawn in the order they started
		if href := m.attr("href"); href != "/contacts/"+c.ID {
			t.Errorf("mark %d links to %q, want /contacts/%s", k, href, c.ID)
		}
		if len(m.Children) == 0 || m.Children[0].XMLName.Local != "title" || !strings.Contains(m.Children[0].Text, string(c.Status)) {
			t.Errorf("mark %d has no tooltip naming its status %q", k, c.Status)
		}
		var look []string
		for _, ch := range m.Children[1:] {
			look = append(look, ch.attr("fill")+"/"+ch.attr("stroke-dasharray"))
		}
		looks[strings.Join(look, "+")] = string(c.Status)
	}
	if len(looks) != 4 {
		t.Errorf("got %d distinct looks for 4 statuses: %v", len(looks), looks)
	}
	// The contact outside any channel is drawn in its lane, the one
	// above the versions'.
	box := lanes[len(lanes)-2].Children[0]
	var x, y, top, height float64
	fmt.Sscanf(marks[3].Children[1].attr("d"), "M%g %g", &x, &y)
	fmt.Sscanf(box.attr("y"), "%g", &top)
	fmt.Sscanf(box.attr("height"), "%g", &height)
	if y < top || y > top+height {
		t.Errorf("the mark outside any channel is at y=%g, not in its lane (%g to %g)", y, top, top+height)
	}
	legend := svg.all(func(n *svgNode) bool { return n.XMLName.Local == "g" && n.attr("class") == "legend" })
	if len(legend) != 1 {
		t.Fatalf("got %d legends, want 1", len(legend))
	}
	var words []string
	for _, c := range legend[0].Children {
		if c.XMLName.Local == "text" {
			words = append(words, c.Text)
		}
	}
	for _, w := range []string{"held", "planned", "cancelled", "shelved", "call", "meeting", "summit", "leak"} {
		if !strings.Contains(strings.Join(words, " "), w) {
			t.Errorf("the legend lacks %q: %q", w, words)
		}
	}
	for _, month := range []string{"Oct 2025", "Nov", "Dec"} {
		found := false
		for _, c := range svg.Children {
			if c.XMLName.Local == "text" && c.Text == month {
				found = true
			}
		}
		if !found {
			t.Errorf("the axis has no tick %q", month)
		}
	}
}

func TestContactPage(t *testing.T) {
	f := newFixture(t)
	c := f.contacts[0]
	p := pageGet(t, f.env, "/contacts/"+c.ID).want(t, http.StatusOK)
	p.hasText(t, "Tuesday 14 October 2025, 10:00 MSK (UTC+03:00, Europe/Moscow)")
	p.has(t, "1 h 30 min", "Moscow",
		"Yuri Ushakov", "Backchannel", "held", "Call held &lt;b&gt;bold&lt;/b&gt;", "A report", "B2",
		`href="/contacts/`+c.ID+`/edit"`)
	p = pageGet(t, f.env, "/contacts/"+f.contacts[3].ID).want(t, http.StatusOK)
	p.has(t, "outside any channel", "shelved")
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t)
	p := pageGet(t, f.env, "/processes/"+f.process.ID+"/search?q=guarantee").want(t, http.StatusOK)
	p.has(t, "<mark>guarantee</mark>", `href="/versions/`+f.us28.ID+`#p-10"`, "Peace plan")
	// Contacts match too, and their text is escaped around the marks.
	p = pageGet(t, f.env, "/processes/"+f.process.ID+"/search?q=bold").want(t, http.StatusOK)
	p.has(t, "&lt;b&gt;<mark>bold</mark>&lt;/b&gt;", `href="/contacts/`)
	p.hasNot(t, "<b>bold")
	p = pageGet(t, f.env, "/processes/"+f.process.ID+"/search?q=zzzzqqq").want(t, http.StatusOK)
	p.has(t, "Nothing matches.")
	p = pageGet(t, f.env, "/processes/"+f.process.ID+"/search?q="+strings.Repeat("a", parley.MaxQueryLen+1)).want(t, http.StatusBadRequest)
	p.has(t, `<p class="error" id="q-error">`, "more than 500")
	pageGet(t, f.env, "/processes/nope/search?q=x").want(t, http.StatusNotFound)
}

func TestNotFound(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{
		"/nope", "/processes/nope", "/processes/nope/edit", "/versions/nope", "/contacts/nope", "/parties/nope/edit",
		"/plans/nope/versions/new", "/versions/" + f.us28.ID + "/points/999/history", "/versions/" + f.us28.ID + "/points/999/edit",
		"/compare?old=nope&new=" + f.us28.ID, "/static/nope.js",
	} {
		p := pageGet(t, f.env, path)
		if p.Status != http.StatusNotFound {
			t.Errorf("GET %s: got %d, want 404", path, p.Status)
			continue
		}
		p.has(t, "<h1>Not found</h1>", `<a href="/">`)
	}
	p := pagePost(t, f.env, "/versions/"+f.us28.ID, url.Values{})
	if p.Status != http.StatusMethodNotAllowed || p.Header.Get("Allow") != "GET" {
		t.Errorf("POST to a version page: got %d with Allow %q, want 405 with Allow GET", p.Status, p.Header.Get("Allow"))
	}
}

func TestStaticFiles(t *testing.T) {
	env := newTestEnv(t)
	home := pageGet(t, env, "/").want(t, http.StatusOK)
	m := regexp.MustCompile(`<script src="(/static/htmx\.min\.js\?v=[0-9a-f]+)" defer></script>`).FindStringSubmatch(home.Body)
	if m == nil {
		t.Fatalf("the page does not load htmx from /static/ with a version")
	}
	home.hasNot(t, "<script>", "<style", "unpkg", "cdn")
	p := pageGet(t, env, html.UnescapeString(m[1])).want(t, http.StatusOK)
	if cc := p.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
		t.Errorf("got Cache-Control %q, want a year, immutable", cc)
	}
	if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("got Content-Type %q, want JavaScript", p.Header.Get("Content-Type"))
	}
	if !strings.Contains(p.Body, `version:"2.0.11"`) {
		t.Errorf("the vendored htmx is not 2.0.11")
	}
	css := pageGet(t, env, "/static/style.css").want(t, http.StatusOK)
	css.has(t, "@media print")
	if cc := css.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
		t.Errorf("an address without the version is cached for good: %q", cc)
	}
	req, _ := http.NewRequest(http.MethodGet, env.URL+"/static/style.css", nil)
	req.Header.Set("If-None-Match", css.Header.Get("ETag"))
	pageDo(t, env, req).want(t, http.StatusNotModified)
}
