package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"parley"
	"parley/demo"
	"parley/geo"
)

// canaryPassword is the demo accounts' password in these tests.
const canaryPassword = "canary demo password"

// canaryRE finds canaries: the marker CANARY- and a word that names the
// record it was put in.
var canaryRE = regexp.MustCompile(`CANARY-[a-z0-9]+`)

// canaryDemo is the demo case with a canary in a text of every record
// that is not public, extra records of the kinds the demo keeps public
// (people, sources, plans, versions, a party) at other classifications,
// each with a canary, and one canary in a public record; every demo
// account signed in through the sign-in form.
type canaryDemo struct {
	env       *testEnv
	processID string
	accounts  []demo.Account
	partyIDs  map[string]string // by name
	records   []*canaryRecord
	byCanary  map[string]*canaryRecord
	as        map[string]*testEnv // by account name
	users     map[string]*parley.User
	// public is a public version, to compare with; publicContact a
	// public contact with a canary.
	public, publicContact string
	// telling are the points, as "version/point", whose pages could show
	// something hidden: points of versions that are not public, points
	// whose provenance or lineage names a record that is not public, and
	// every point linked to those by lineage, however far.
	telling map[string]bool
}

// canaryRecord is a record of the demo process and the classifications
// that must all let a reader see it: a contact's own or its channel's; a
// version's and its plan's.
type canaryRecord struct {
	kind    string // process, party, person, channel, contact, source, plan, version
	id      string
	classes []parley.Classification
	canary  string // "" for a record without one
}

// readRule is who reads what, from the README's table of roles, by level:
// "yes", "listed" (a shared record that lists the delegate's party) or
// "own" (a confidential record of the delegate's party). A level missing
// from a role's row is hidden from it; an administrator without a
// membership has no row.
var readRule = map[parley.Role]map[parley.Level]string{
	parley.RoleObserver: {parley.Public: "yes"},
	parley.RoleDelegate: {parley.Public: "yes", parley.ProcessWide: "yes", parley.Shared: "listed", parley.Confidential: "own"},
	parley.RoleMediator: {parley.Public: "yes", parley.ProcessWide: "yes", parley.Shared: "yes", parley.Confidential: "yes", parley.MediatorsOnly: "yes"},
}

// mustSee applies readRule: whether the demo account a must see rec.
func (d *canaryDemo) mustSee(a demo.Account, rec *canaryRecord) bool {
	party := d.partyIDs[a.Party]
	for _, c := range rec.classes {
		switch readRule[a.Role][c.Level] {
		case "yes":
		case "listed":
			if !slices.Contains(c.PartyIDs, party) {
				return false
			}
		case "own":
			if len(c.PartyIDs) != 1 || c.PartyIDs[0] != party {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// newCanaryDemo loads the demo, adds the canaries as the system through
// the services, and signs every demo account in.
func newCanaryDemo(tb testing.TB) *canaryDemo {
	tb.Helper()
	env := newThrowAwayEnv(tb)
	ctx, svc := System, env.Svc
	id, err := demo.Load(ctx, svc)
	must(tb, err)
	accounts, err := demo.Accounts(ctx, svc, id, canaryPassword)
	must(tb, err)
	d := &canaryDemo{env: env, processID: id, accounts: accounts, partyIDs: map[string]string{}, byCanary: map[string]*canaryRecord{},
		as: map[string]*testEnv{}, users: map[string]*parley.User{}}
	a, err := svc.Archive.ExportProcess(ctx, id)
	must(tb, err)
	// A canary starts the text it is put in, so that a text cut short
	// where it is listed keeps it whole.
	canary := func(id string) string { return "CANARY-" + id + " " }
	hidden := func(c parley.Classification) bool { return c.Level != parley.Public }
	channelClass := map[string]parley.Classification{}
	for _, c := range a.Channels {
		channelClass[c.ID] = c.Classification
		if hidden(c.Classification) {
			c.Name = canary(c.ID) + c.Name
			must(tb, svc.Channels.UpdateChannel(ctx, c))
		}
	}
	for _, c := range a.Contacts {
		cl := channelClass[c.ChannelID]
		if c.Classification != nil {
			cl = *c.Classification
		}
		// The canary goes into the summary and the place, which names
		// the contact wherever it is listed.
		if hidden(cl) || d.publicContact == "" && c.Kind == parley.Document {
			if !hidden(cl) {
				d.publicContact = c.ID
			}
			c.Summary = canary(c.ID) + c.Summary
			c.Place = canary(c.ID) + c.Place
			must(tb, svc.Contacts.UpdateContact(ctx, c))
		}
	}
	var parties []*parley.Party
	for _, p := range a.Parties {
		d.partyIDs[p.Name] = p.ID
		parties = append(parties, p)
		if hidden(p.Classification) {
			p.Name = canary(p.ID) + p.Name
			must(tb, svc.Parties.UpdateParty(ctx, p))
		}
	}
	var framework, ukraine string // the framework's text and plan
	for _, v := range a.Versions {
		if strings.Contains(v.Label, "20-point framework") {
			framework, ukraine = v.Text, v.PlanID
		}
		if v.Classification.Level == parley.Public && d.public == "" && !v.TextUnknown {
			d.public = v.ID
		}
	}
	// The confidential readings of the framework start with its first
	// three points, so that those points' histories lead to them.
	var opening string
	for line := range strings.Lines(framework) {
		for _, label := range []string{"1. ", "2. ", "3. "} {
			if strings.HasPrefix(line, label) && !strings.Contains(opening, "\n"+label) && !strings.HasPrefix(opening, label) {
				opening += line
			}
		}
	}
	if strings.Count(opening, "\n") != 3 {
		tb.Fatalf("the demo's 20-point framework does not start with points 1 to 3: %q", opening)
	}
	// The records the demo keeps public, at other classifications: for
	// each party, an adviser confidential to it, a paper it shares with
	// the next party, a plan of its own with a public version (seen only
	// where the plan is), and a version of the Ukraine plan confidential
	// to it, each built on the one before, so that lineage runs across
	// parties. Then a process-wide party, a person and a contact for the
	// mediators only, and a process-wide source.
	shared := func(level parley.Level, ids ...string) parley.Classification {
		return parley.Classification{Level: level, PartyIDs: ids}
	}
	for i, p := range parties {
		next := parties[(i+1)%len(parties)]
		person := &parley.Person{ProcessID: id, Name: "Adviser to " + p.Name, PartyID: p.ID, Role: "Adviser",
			Classification: shared(parley.Confidential, p.ID)}
		must(tb, svc.People.CreatePerson(ctx, person))
		person.Role = canary(person.ID) + person.Role
		must(tb, svc.People.UpdatePerson(ctx, person))
		src := &parley.Source{ProcessID: id, Title: "Paper of " + p.Name, Reliability: "A", Credibility: 1,
			Classification: shared(parley.Shared, p.ID, next.ID)}
		must(tb, svc.Sources.CreateSource(ctx, src))
		src.Title = canary(src.ID) + src.Title
		must(tb, svc.Sources.UpdateSource(ctx, src))
		plan := &parley.Plan{ProcessID: id, Title: "Options of " + p.Name, Classification: shared(parley.Confidential, p.ID)}
		must(tb, svc.Plans.CreatePlan(ctx, plan))
		plan.Title = canary(plan.ID) + plan.Title
		must(tb, svc.Plans.UpdatePlan(ctx, plan))
		// Versions never change: their canaries are written in at once.
		for _, v := range []*parley.Version{
			{PlanID: plan.ID, Label: "First options", Text: "1. " + canary(plan.ID+"v") + "An option.\n2. Another option.\n",
				Classification: parley.Classification{Level: parley.Public}},
			{PlanID: ukraine, Label: "Internal reading of " + p.Name, Text: opening + "4. " + canary(ukraine+"p"+p.ID) + "A line of its own.\n",
				Classification: shared(parley.Confidential, p.ID)},
		} {
			v.Date, v.Status, v.SourceIDs = time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC), parley.Draft, []string{src.ID}
			must(tb, svc.Plans.CreateVersion(ctx, v))
		}
	}
	frame := &parley.Party{ProcessID: id, Name: "Monitoring mission", Kind: parley.Organisation, Classification: parley.Classification{Level: parley.ProcessWide}}
	must(tb, svc.Parties.CreateParty(ctx, frame))
	frame.Name = canary(frame.ID) + frame.Name
	must(tb, svc.Parties.UpdateParty(ctx, frame))
	mediators := parley.Classification{Level: parley.MediatorsOnly}
	envoy := &parley.Person{ProcessID: id, Name: "Quiet envoy", Role: "Go-between", Classification: mediators}
	must(tb, svc.People.CreatePerson(ctx, envoy))
	envoy.Role = canary(envoy.ID) + envoy.Role
	must(tb, svc.People.UpdatePerson(ctx, envoy))
	memo := &parley.Contact{ProcessID: id, Kind: parley.Message, Status: parley.Held, Start: time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC),
		PersonIDs: []string{envoy.ID}, Summary: "Mediators' memo", Classification: &mediators}
	must(tb, svc.Contacts.CreateContact(ctx, memo))
	memo.Summary = canary(memo.ID) + memo.Summary
	memo.Place = canary(memo.ID) + "Vienna"
	must(tb, svc.Contacts.UpdateContact(ctx, memo))
	// A public plan modelled on the first party's own, and the first
	// party's reading of the framework raised at a public contact.
	var firstPlan, firstReading string
	for _, p := range mustPlans(tb, svc, id) {
		for _, v := range p.Versions {
			if v.Label == "Internal reading of "+parties[0].Name {
				firstReading = v.ID
			}
		}
		if strings.HasSuffix(p.Title, "Options of "+parties[0].Name) {
			firstPlan = p.ID
		}
	}
	heir := &parley.Plan{ProcessID: id, Title: "Options for everyone", TemplateID: firstPlan, Classification: parley.Classification{Level: parley.Public}}
	must(tb, svc.Plans.CreatePlan(ctx, heir))
	raisedAt, by := d.publicContact, parties[0].ID
	_, err = svc.Plans.UpdatePoint(ctx, firstReading, "4", parley.PointUpdate{ContactID: &raisedAt, ProposedBy: &by})
	must(tb, err)
	wide := &parley.Source{ProcessID: id, Title: "Participants' digest", Reliability: "B", Credibility: 2,
		Classification: parley.Classification{Level: parley.ProcessWide}}
	must(tb, svc.Sources.CreateSource(ctx, wide))
	wide.Title = canary(wide.ID) + wide.Title
	must(tb, svc.Sources.UpdateSource(ctx, wide))
	canaryPoint := d.addPositionCanaries(tb, parties)
	d.addPreferencesCanaries(tb)
	d.addTerritoryCanaries(tb, parties)
	d.collect(tb)
	d.telling[canaryPoint] = true
	for _, acc := range accounts {
		token := env.SignIn(tb, acc.Name, canaryPassword)
		actor, err := svc.Auth.Session(context.Background(), token)
		must(tb, err)
		u, err := svc.Users.FindUserByName(ctx, acc.Name)
		must(tb, err)
		d.users[acc.Name] = u
		d.as[acc.Name] = env.As(&Account{User: u, Password: canaryPassword, Token: token, Ctx: parley.WithActor(context.Background(), actor)})
	}
	return d
}

// collect reads every record of the demo process as the system, with its
// classifications and canary.
func (d *canaryDemo) collect(tb testing.TB) {
	tb.Helper()
	a, err := d.env.Svc.Archive.ExportProcess(System, d.processID)
	must(tb, err)
	d.records, d.telling = nil, map[string]bool{}
	add := func(kind, id string, v any, classes ...parley.Classification) {
		b, err := json.Marshal(v)
		must(tb, err)
		rec := &canaryRecord{kind: kind, id: id, classes: classes}
		found := canaryRE.FindAllString(string(b), -1)
		slices.Sort(found)
		if found = slices.Compact(found); len(found) > 1 {
			tb.Fatalf("%s %s holds %d canaries: %v", kind, id, len(found), found)
		}
		if len(found) == 1 {
			rec.canary = found[0]
			d.byCanary[found[0]] = rec
		}
		d.records = append(d.records, rec)
	}
	add("process", a.Process.ID, a.Process, a.Process.Classification)
	channels := map[string]parley.Classification{}
	for _, x := range a.Parties {
		add("party", x.ID, x, x.Classification)
	}
	for _, x := range a.People {
		add("person", x.ID, x, x.Classification)
	}
	for _, x := range a.Channels {
		channels[x.ID] = x.Classification
		add("channel", x.ID, x, x.Classification)
	}
	for _, x := range a.Sources {
		add("source", x.ID, x, x.Classification)
	}
	for _, x := range a.Contacts {
		cl := channels[x.ChannelID]
		if x.Classification != nil {
			cl = *x.Classification
		}
		add("contact", x.ID, x, cl)
	}
	plans := map[string]parley.Classification{}
	for _, x := range a.Plans {
		plans[x.ID] = x.Classification
		add("plan", x.ID, parley.Plan{ID: x.ID, Title: x.Title, Classification: x.Classification}, x.Classification)
	}
	hidden := map[string]bool{}
	for _, x := range a.Versions {
		add("version", x.ID, x, x.Classification, plans[x.PlanID])
	}
	for _, x := range a.Positions {
		add("position", x.ID, x, positionSeenBy(a, x)...)
	}
	for _, x := range a.Issues {
		add("issue", x.ID, x, x.Classification)
	}
	for _, x := range a.Preferences {
		add("preferences", x.ID, x, x.Classification)
	}
	for _, x := range a.Regions {
		add("region", x.ID, x, x.Classification)
	}
	for _, x := range a.Lines {
		add("line", x.ID, x, x.Classification)
	}
	versions := map[string]*parley.Version{}
	for _, v := range a.Versions {
		versions[v.ID] = v
	}
	for _, x := range a.Provisions {
		v := versions[x.VersionID]
		add("provision", x.ID, x, x.Classification, v.Classification, plans[v.PlanID])
	}
	for _, rec := range d.records {
		for _, c := range rec.classes {
			hidden[rec.id] = hidden[rec.id] || c.Level != parley.Public
		}
	}
	for _, x := range a.Versions {
		for _, p := range x.Points {
			refs := append([]string{x.ID, p.ContactID, p.ProposedBy}, p.SourceIDs...)
			for _, l := range p.Lineage {
				refs = append(refs, l.VersionID)
				if hidden[x.ID] {
					d.telling[l.VersionID+"/"+l.PointID] = true
				}
			}
			if slices.ContainsFunc(refs, func(id string) bool { return hidden[id] }) {
				d.telling[x.ID+"/"+p.ID] = true
			}
		}
	}
	// A point's history follows its lineage both ways, however far: every
	// point linked to a telling one is telling too.
	links := map[string][]string{}
	for _, x := range a.Versions {
		for _, p := range x.Points {
			for _, l := range p.Lineage {
				from, to := l.VersionID+"/"+l.PointID, x.ID+"/"+p.ID
				links[from], links[to] = append(links[from], to), append(links[to], from)
			}
		}
	}
	var queue []string
	for k := range d.telling {
		queue = append(queue, k)
	}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, next := range links[k] {
			if !d.telling[next] {
				d.telling[next] = true
				queue = append(queue, next)
			}
		}
	}
}

// hiddenFrom returns the records the account must not see.
func (d *canaryDemo) hiddenFrom(a demo.Account) []*canaryRecord {
	var out []*canaryRecord
	for _, rec := range d.records {
		if !d.mustSee(a, rec) {
			out = append(out, rec)
		}
	}
	return out
}

// TestDemoConfidentiality checks the demo case, with a canary in every
// record that is not public, as each of the demo's accounts: a hidden
// record answers as a made-up ID does, a crawl of every page and of the
// API shows no canary and no ID of a record the account must not see,
// and a share withdrawn or an account disabled takes effect at the next
// request.
func TestDemoConfidentiality(t *testing.T) {
	if testing.Short() {
		t.Skip("a crawl of thousands of requests: run without -short (go test ./... does; .ci/run's race pass uses -short)")
	}
	d := newCanaryDemo(t)
	t.Run("HiddenLooksLikeMadeUp", func(t *testing.T) { testHiddenLooksLikeMadeUp(t, d) })
	t.Run("CanaryCrawl", func(t *testing.T) { testCanaryCrawl(t, d) })
	t.Run("Negotiation", func(t *testing.T) { testNegotiationCanaries(t, d) })
	t.Run("Revocation", func(t *testing.T) { testRevocation(t, d) })
}

// collections maps the first segment of an address (after /api/v1/ for
// the API) to the kind of record its {id} names.
var collections = map[string]string{"processes": "process", "parties": "party", "people": "person", "channels": "channel",
	"contacts": "contact", "sources": "source", "plans": "plan", "versions": "version", "positions": "position",
	"regions": "region", "lines": "line", "provisions": "provision"}

// testHiddenLooksLikeMadeUp tries every route of the route tables whose
// address names a record, with every method the tables serve there and
// with DELETE and PUT, which they do not: for each account and each record
// it must not see, the answer is the one for a made-up ID, status, body
// (but for the ID itself) and headers alike.
func testHiddenLooksLikeMadeUp(t *testing.T, d *canaryDemo) {
	tried := map[string]int{}
	cells := 0
	for _, pattern := range d.env.Server.Routes() {
		if _, ok := recordRoute(pattern); ok {
			tried[pattern] = 0
		}
	}
	for _, acc := range d.accounts {
		env := d.as[acc.Name]
		perKind := map[string]int{}
		for _, rec := range d.hiddenFrom(acc) {
			// An administrator sees nothing: a few of each kind will do.
			if perKind[rec.kind]++; acc.Admin && perKind[rec.kind] > 2 {
				continue
			}
			for _, c := range hiddenCalls(d, env, rec) {
				if acc.Admin && strings.Contains(c.pattern, "/members") {
					// Administrators manage the members of every
					// process, without seeing it.
					tried[c.pattern]++
					continue
				}
				cells++
				if c.pattern != "" {
					tried[c.pattern]++
				}
				compareWithMadeUp(t, env, acc.Name, rec, c.call)
			}
		}
	}
	for pattern, n := range tried {
		if n == 0 {
			t.Errorf("route %s was not tried on any hidden record: the demo has no hidden record of its kind, or hiddenCalls does not know the route", pattern)
		}
	}
	t.Logf("hidden and made-up IDs: %d comparisons over %d routes", cells, len(tried))
}

// recordRoute reports whether a route pattern's address names a record by
// {id}, and the kind of that record.
func recordRoute(pattern string) (string, bool) {
	_, path, ok := strings.Cut(pattern, " ")
	if !ok || !strings.Contains(path, "{id}") {
		return "", false
	}
	seg := strings.Split(strings.TrimPrefix(strings.TrimPrefix(path, "/api/v1"), "/"), "/")[0]
	kind, ok := collections[seg]
	return kind, ok
}

// patternCall is a call built from a route pattern.
type patternCall struct {
	pattern string // "" for calls that no route serves
	call    call
}

// hiddenCalls returns every call of the route tables on record rec, and
// DELETE and PUT on its addresses.
func hiddenCalls(d *canaryDemo, env *testEnv, rec *canaryRecord) []patternCall {
	var out []patternCall
	fill := strings.NewReplacer("{id}", rec.id, "{point}", "1", "{user}", env.User.ID, "{file}", "x", "{key}", "ukraine-adm1")
	for _, pattern := range d.env.Server.Routes() {
		kind, ok := recordRoute(pattern)
		if !ok || kind != rec.kind {
			continue
		}
		method, path, _ := strings.Cut(pattern, " ")
		api := strings.HasPrefix(path, "/api/v1/")
		c := call{method: method, path: fill.Replace(path)}
		switch {
		case method == http.MethodGet:
		case api:
			c.ctype, c.body = "application/json", "{}"
		default:
			c.ctype = "application/x-www-form-urlencoded"
		}
		out = append(out, patternCall{pattern, c})
		if method == http.MethodGet && strings.HasSuffix(path, "/{id}") { // the record's own address
			for _, m := range []string{http.MethodDelete, http.MethodPut} {
				out = append(out, patternCall{"", call{method: m, path: c.path}})
			}
		}
	}
	if rec.kind == "version" {
		for _, prefix := range []string{"/api/v1", ""} {
			for _, q := range []string{"?old=" + rec.id + "&new=" + d.public, "?old=" + d.public + "&new=" + rec.id} {
				out = append(out, patternCall{"GET " + prefix + "/compare", getCall(prefix + "/compare" + q)})
			}
		}
		// The territory of a hidden version, compared either way.
		for _, path := range []string{"/territory/compare", "/territory/diff.svg"} {
			out = append(out,
				patternCall{"GET /versions/{id}" + path, getCall("/versions/" + rec.id + path + "?with=" + d.public)},
				patternCall{"GET /versions/{id}" + path, getCall("/versions/" + d.public + path + "?with=" + rec.id)})
		}
	}
	return out
}

// compareWithMadeUp sends a call about a hidden record and the same call
// about a made-up ID, and wants the same answer.
func compareWithMadeUp(t *testing.T, env *testEnv, who string, rec *canaryRecord, c call) {
	t.Helper()
	hidden, made := send(t, env, c), send(t, env, c.replace(rec.id, madeUp))
	where := fmt.Sprintf("%s %s as %s (a hidden %s)", c.method, c.path, who, rec.kind)
	if hidden.Status < 400 {
		t.Errorf("%s: got %d, want a refusal: %s", where, hidden.Status, gist(hidden.Body))
	}
	if body := strings.ReplaceAll(hidden.Body, rec.id, madeUp); hidden.Status != made.Status || body != made.Body {
		t.Errorf("%s: got %d, want %d as for a made-up ID:\n%s\n---\n%s", where, hidden.Status, made.Status, gist(body), gist(made.Body))
	}
	for _, h := range []string{"Content-Type", "Content-Length", "Allow", "Location", "WWW-Authenticate", "Cache-Control", "Retry-After"} {
		if a, b := strings.ReplaceAll(hidden.Header.Get(h), rec.id, madeUp), made.Header.Get(h); a != b {
			t.Errorf("%s: got %s %q, want %q as for a made-up ID", where, h, a, b)
		}
	}
}

// testCanaryCrawl crawls, as each demo account, every page reachable by
// links from the list of processes and the dashboard, and the API: the
// lists of the demo process, every record of it by ID, the history of
// points, and a search for the canaries. No answer may hold a canary or
// an ID of a record the account must not see, and every canary it must
// see is found somewhere.
func testCanaryCrawl(t *testing.T, d *canaryDemo) {
	for _, acc := range d.accounts {
		t.Run(acc.Name, func(t *testing.T) {
			t.Parallel()
			c := &canaryCrawl{d: d, acc: acc, env: d.as[acc.Name], seen: map[string]int{}, hidden: map[string]bool{}}
			for _, rec := range d.hiddenFrom(acc) {
				c.hidden[rec.id] = true
			}
			c.pages(t)
			c.api(t)
			var want, missed []string
			for _, rec := range d.records {
				if rec.canary != "" && d.mustSee(acc, rec) {
					want = append(want, rec.canary)
					if c.seen[rec.canary] == 0 {
						missed = append(missed, rec.kind+" "+rec.canary)
					}
				}
			}
			if len(missed) > 0 {
				t.Errorf("%s must see %d canaries, but %d were nowhere: %v", acc.Name, len(want), len(missed), missed)
			}
			hits := 0
			for _, n := range c.seen {
				hits += n
			}
			t.Logf("%s: %d pages (%d pages of points like others left out, %d links to no page) and %d API requests; %d canaries to see, %d distinct seen, %d hits in all; %d hidden records, none shown",
				acc.Name, c.pageCount, c.skipped, len(c.broken), c.apiCount, len(want), len(c.seen), hits, len(c.hidden))
			if len(c.broken) > 0 {
				t.Logf("%s: links to no page: %.300v", acc.Name, c.broken)
			}
			switch {
			case acc.Admin && acc.Role == "":
				// An administrator without a membership sees no process:
				// there is no canary to find, so the crawl must at least
				// have been let in.
				if c.pageCount < 2 || c.apiCount < 2 {
					t.Errorf("the administrator's crawl reached %d pages and %d API answers, want the list of processes and the tokens page at least", c.pageCount, c.apiCount)
				}
			case len(want) == 0:
				t.Errorf("%s has no canary to see: the test would not notice a crawl that sees nothing", acc.Name)
			}
		})
	}
}

// canaryCrawl is one account's crawl.
type canaryCrawl struct {
	d                   *canaryDemo
	acc                 demo.Account
	env                 *testEnv
	hidden              map[string]bool // IDs of the records the account must not see
	seen                map[string]int  // canaries seen, with their hits
	pageCount, apiCount int
	skipped             int      // point pages left out
	broken              []string // links that led to no page
}

// pointPage matches the address of a page about one point.
var pointPage = regexp.MustCompile(`^/versions/([^/]+)/points/([^/]+)/(history|edit|position)(?:\?.*)?$`)

// maxCrawl bounds the pages of one crawl.
const maxCrawl = 2500

// look checks one answer: every canary in it is one the account must see,
// and no word of it is the ID of a record it must not see, unless it sent
// that ID itself.
func (c *canaryCrawl) look(t *testing.T, where string, p *page, sent string) {
	t.Helper()
	text := p.Body + " " + p.Location
	for _, m := range canaryRE.FindAllString(text, -1) {
		rec := c.d.byCanary[m]
		switch {
		case rec == nil:
			t.Errorf("%s as %s: unknown canary %s", where, c.acc.Name, m)
		case !c.d.mustSee(c.acc, rec):
			i := strings.Index(text, m)
			t.Errorf("%s as %s: LEAK of the canary of a %s it must not see (%v): …%s…", where, c.acc.Name, rec.kind, rec.classes,
				text[max(0, i-200):min(len(text), i+100)])
		default:
			c.seen[m]++
		}
	}
	if w := leak(c.hidden, text, sent); w != "" {
		i := strings.Index(text, w)
		t.Errorf("%s as %s: LEAK of the ID %s of a record it must not see: …%s…", where, c.acc.Name, w, text[max(0, i-200):min(len(text), i+100)])
	}
}

// pages crawls the pages by their links.
func (c *canaryCrawl) pages(t *testing.T) {
	t.Helper()
	start := []string{"/", "/processes/" + c.d.processID, "/processes/" + c.d.processID + "/search?q=CANARY", "/account/tokens"}
	seen := map[string]bool{}
	sampled := map[string]int{}
	queue := slices.Clone(start)
	for len(queue) > 0 && len(seen) < maxCrawl {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		// A version has a page of history and one of annotations per
		// point, drawn alike: all are visited for the telling points,
		// two of each for the others.
		if m := pointPage.FindStringSubmatch(path); m != nil && !c.d.telling[m[1]+"/"+m[2]] {
			if sampled[m[1]+m[3]]++; sampled[m[1]+m[3]] > 2 {
				c.skipped++
				continue
			}
		}
		p := pageGet(t, c.env, path)
		c.pageCount++
		c.look(t, "GET "+path, p, path)
		switch {
		case p.Status == http.StatusSeeOther && strings.HasPrefix(p.Location, "/") && !strings.HasPrefix(p.Location, "/signin"):
			to, _, _ := strings.Cut(p.Location, "#")
			queue = append(queue, to)
			continue
		case p.Status != http.StatusOK:
			// A link that leads nowhere is TestCrawlDemo's to find; here
			// it is only counted (a link to a hidden record shows as the
			// hidden ID in the page that holds it).
			if !slices.Contains(start, path) {
				c.broken = append(c.broken, path)
			}
			continue
		}
		for _, m := range hrefs.FindAllStringSubmatch(p.Body, -1) {
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			if !seen[link] && !strings.HasPrefix(link, "/static/") {
				queue = append(queue, link)
			}
		}
	}
	if len(seen) >= maxCrawl {
		t.Errorf("the crawl as %s stopped at %d pages", c.acc.Name, maxCrawl)
	}
}

// api reads the API: the processes, the lists of the demo process, every
// record of it by ID (those it must not see included), the first points'
// history of every version, and a search for the canaries.
func (c *canaryCrawl) api(t *testing.T) {
	t.Helper()
	get := func(path string) *page {
		p := pageGet(t, c.env, path)
		c.apiCount++
		c.look(t, "GET "+path, p, path)
		return p
	}
	in := "/api/v1/processes/" + c.d.processID
	get("/api/v1/processes")
	for _, path := range []string{"", "/parties", "/people", "/channels", "/contacts", "/sources", "/plans", "/search?q=CANARY&limit=500",
		"/issues", "/preferences", "/analysis", "/regions", "/lines"} {
		get(in + path)
	}
	for _, rec := range c.d.records {
		coll := map[string]string{"process": "processes", "party": "parties", "person": "people", "channel": "channels",
			"contact": "contacts", "source": "sources", "plan": "plans", "version": "versions", "issue": "issues", "position": "positions",
			"provision": "provisions"}[rec.kind]
		if coll == "" { // a party's preferences, regions and lines have no address of their own in the API
			continue
		}
		p := get("/api/v1/" + coll + "/" + rec.id)
		want := http.StatusNotFound
		if c.d.mustSee(c.acc, rec) {
			want = http.StatusOK
		}
		if p.Status != want {
			t.Errorf("GET /api/v1/%s/%s as %s: got %d, want %d", coll, rec.id, c.acc.Name, p.Status, want)
		}
		if rec.kind == "version" && p.Status == http.StatusOK {
			var v parley.Version
			must(t, json.Unmarshal([]byte(p.Body), &v))
			get("/api/v1/versions/" + v.ID + "/positions")
			// The version's territory, and its comparison with the public
			// version, which the pages reach only through a form.
			get("/api/v1/versions/" + v.ID + "/territory")
			if v.ID != c.d.public {
				get("/versions/" + v.ID + "/territory/compare?with=" + c.d.public)
				get("/versions/" + c.d.public + "/territory/compare?picture=de_facto&with=" + v.ID)
				get("/versions/" + v.ID + "/territory/diff.svg?with=" + c.d.public)
			}
			for _, pt := range v.Points {
				if pt.ID == "1" || c.d.telling[v.ID+"/"+pt.ID] {
					get("/api/v1/versions/" + v.ID + "/points/" + url.PathEscape(pt.ID) + "/history")
				}
			}
		}
	}
}

// testRevocation: a share withdrawn hides the record from the next
// request of the party it was withdrawn from; a disabled account's
// session and API token stop working at once.
func testRevocation(t *testing.T, d *canaryDemo) {
	mediator, ukraine, russia := d.as["mediator"], d.as["ukraine"], d.as["russia"]
	ua, ru := d.partyIDs["Ukraine"], d.partyIDs["Russia"]
	if ukraine == nil || russia == nil || ua == "" || ru == "" {
		t.Fatalf("the demo has no Ukrainian or Russian delegate: %v", d.partyIDs)
	}
	in := "/api/v1/processes/" + d.processID
	r := apiCall(t, mediator, http.MethodPost, in+"/contacts", map[string]any{"kind": "call", "status": "held", "start": "2025-11-26T10:00:00Z",
		"summary": "Prisoner exchange hotline revokedword", "classification": map[string]any{"level": "shared", "party_ids": []string{ua, ru}}})
	r.want(t, http.StatusCreated)
	id := r.record(t)["id"].(string)
	reads := func(env *testEnv, who string, want int) {
		t.Helper()
		for _, path := range []string{"/api/v1/contacts/" + id, "/contacts/" + id} {
			if got := pageGet(t, env, path); got.Status != want {
				t.Errorf("GET %s as %s: got %d, want %d", path, who, got.Status, want)
			}
		}
		for _, path := range []string{in + "/contacts", in + "/search?q=revokedword", "/processes/" + d.processID, "/processes/" + d.processID + "/search?q=revokedword"} {
			if has := strings.Contains(pageGet(t, env, path).Body, id); has != (want == http.StatusOK) {
				t.Errorf("GET %s as %s: lists the contact: %v, want %v", path, who, has, want == http.StatusOK)
			}
		}
	}
	reads(ukraine, "the Ukrainian delegate", http.StatusOK)
	apiCall(t, mediator, http.MethodPatch, "/api/v1/contacts/"+id,
		map[string]any{"classification": map[string]any{"level": "confidential", "party_ids": []string{ru}}}).want(t, http.StatusOK)
	reads(ukraine, "the Ukrainian delegate, once the share is withdrawn", http.StatusNotFound)
	reads(russia, "the Russian delegate", http.StatusOK)
	rec := &canaryRecord{kind: "contact", id: id}
	compareWithMadeUp(t, ukraine, "the Ukrainian delegate", rec, getCall("/api/v1/contacts/"+id))
	compareWithMadeUp(t, ukraine, "the Ukrainian delegate", rec, getCall("/contacts/"+id))

	// Disabling the account ends its session and its tokens.
	u := d.users["ukraine"]
	_, secret, err := d.env.Svc.Auth.CreateAPIToken(ukraine.Ctx, u.ID, "script")
	must(t, err)
	bearer := func() int {
		req, err := http.NewRequest(http.MethodGet, d.env.URL+in, nil)
		must(t, err)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp := d.env.Anonymous().Do(t, req)
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := bearer(); got != http.StatusOK {
		t.Fatalf("the Ukrainian delegate's new API token: got %d, want 200", got)
	}
	pageGet(t, ukraine, "/processes/"+d.processID).want(t, http.StatusOK)
	must(t, d.env.Svc.Users.SetDisabled(System, u.ID, true))
	if p := pageGet(t, ukraine, "/processes/"+d.processID); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/signin") {
		t.Errorf("a page with the session of a disabled account: got %d to %q, want 303 to /signin", p.Status, p.Location)
	}
	if p := pageGet(t, ukraine, in); p.Status != http.StatusUnauthorized {
		t.Errorf("the API with the session of a disabled account: got %d, want 401", p.Status)
	}
	if got := bearer(); got != http.StatusUnauthorized {
		t.Errorf("the API token of a disabled account: got %d, want 401", got)
	}
	// Enabling it again does not bring the ended session back.
	must(t, d.env.Svc.Users.SetDisabled(System, u.ID, false))
	if p := pageGet(t, ukraine, "/processes/"+d.processID); p.Status != http.StatusSeeOther {
		t.Errorf("the session ended by disabling, once the account is enabled again: got %d, want 303 to /signin", p.Status)
	}
}

// mustPlans returns the plans of a process, as the system.
func mustPlans(tb testing.TB, svc parley.Services, processID string) []*parley.Plan {
	tb.Helper()
	plans, err := svc.Plans.FindPlans(System, processID)
	must(tb, err)
	return plans
}

// addTerritoryCanaries puts a canary in the note of every provision of
// the canary demo that is not public, and adds territory of its own, each
// with a canary at the start of its label or name: on the public version,
// for each party a provision confidential to it and one it shares with
// the next party, then one process-wide and one for the mediators only;
// a public provision on each party's confidential reading of the
// framework, seen only where that version is; a region confidential to
// the first party and a line for the mediators only.
func (d *canaryDemo) addTerritoryCanaries(tb testing.TB, parties []*parley.Party) {
	tb.Helper()
	ctx, svc := System, d.env.Svc
	a, err := svc.Archive.ExportProcess(ctx, d.processID)
	must(tb, err)
	for _, p := range a.Provisions {
		if p.Classification.Level != parley.Public {
			p.Note = "CANARY-" + p.ID + " " + p.Note
			must(tb, svc.Territory.UpdateProvision(ctx, p))
		}
	}
	zone := func(k int) geo.MultiPolygon { // small squares west of Kyiv, apart
		lon := 28 + 0.3*float64(k)
		return geo.MultiPolygon{{{{lon, 50.2}, {lon + 0.2, 50.2}, {lon + 0.2, 50.4}, {lon, 50.4}, {lon, 50.2}}}}
	}
	level := func(l parley.Level, ids ...string) parley.Classification {
		return parley.Classification{Level: l, PartyIDs: ids}
	}
	var ps []*parley.Provision
	add := func(versionID, label string, c parley.Classification) {
		ps = append(ps, &parley.Provision{ProcessID: d.processID, VersionID: versionID, Label: label, Status: parley.StatusBufferZone,
			Drawn: zone(len(ps)), Classification: c})
	}
	readings := map[string]string{} // each party's confidential reading, by party
	for _, v := range a.Versions {
		for _, p := range parties {
			if v.Label == "Internal reading of "+p.Name {
				readings[p.ID] = v.ID
			}
		}
	}
	for i, p := range parties {
		next := parties[(i+1)%len(parties)]
		add(d.public, "Zone kept by "+p.Name, level(parley.Confidential, p.ID))
		add(d.public, "Zone shared by "+p.Name, level(parley.Shared, p.ID, next.ID))
		if readings[p.ID] == "" {
			tb.Fatalf("the canary demo has no internal reading of %s", p.Name)
		}
		add(readings[p.ID], "Zone of "+p.Name+"'s reading", level(parley.Public))
	}
	add(d.public, "Zone for the participants", level(parley.ProcessWide))
	add(d.public, "Zone for the mediators", level(parley.MediatorsOnly))
	must(tb, svc.Territory.CreateProvisions(ctx, ps))
	for _, p := range ps {
		p.Label = "CANARY-" + p.ID + " " + p.Label
		p.Note = "CANARY-" + p.ID + " What the reading says of it."
		must(tb, svc.Territory.UpdateProvision(ctx, p))
	}
	// Regions of a map may not overlap: this one lies far from Ukraine's.
	region := &parley.Region{Code: "XQ-1", Name: "Quiet region", Area: zone(len(ps) + 250), Source: "Drawn for the tests",
		Classification: level(parley.Confidential, parties[0].ID)}
	must(tb, svc.Territory.CreateRegions(ctx, d.processID, []*parley.Region{region}))
	region.Name = "CANARY-" + region.ID + " " + region.Name
	must(tb, svc.Territory.UpdateRegion(ctx, region))
	line := &parley.Line{Name: "Quiet line", Path: geo.Line{{28, 50.1}, {31, 50.1}}, LeftLabel: "north", RightLabel: "south",
		Classification: level(parley.MediatorsOnly)}
	must(tb, svc.Territory.CreateLines(ctx, d.processID, []*parley.Line{line}))
	line.Name = "CANARY-" + line.ID + " " + line.Name
	must(tb, svc.Territory.UpdateLine(ctx, line))
	tb.Logf("territory canaries: %d provisions, a region and a line", len(ps))
}
