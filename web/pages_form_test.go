package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"parley"
)

// TestRecordForms runs the form of every kind of record through create,
// a refusal with the message next to the input it names, and edit.
func TestRecordForms(t *testing.T) {
	f := newFixture(t)
	in := "/processes/" + f.process.ID
	tests := []struct {
		name string
		// newPath shows and takes the form of a new record; done is the
		// start of where a saved record leads.
		newPath, done string
		valid         url.Values
		// shown is on the page done leads to once the record is saved.
		shown string
		// invalid changes valid so that field is refused with message.
		invalid        url.Values
		field, message string
		// edit returns the address of the stored record's form.
		edit func(t *testing.T) string
		// rename changes valid for the edit; renamed is then shown.
		rename  url.Values
		renamed string
	}{
		{
			name: "process", newPath: "/processes/new", done: "/processes/",
			valid: url.Values{"name": {"Sudan talks"}, "summary": {"Jeddah and after."}, "topics": {"water\r\nwater\r\nborders"}, "classification": {"public"}},
			shown: "Jeddah and after.", invalid: url.Values{"name": {"  "}}, field: "name", message: "name is required",
			edit: func(t *testing.T) string {
				name := "Sudan talks"
				ps, _, err := f.env.Svc.Processes.FindProcesses(System, parley.ProcessFilter{Name: &name})
				must(t, err)
				if len(ps) != 1 || strings.Join(ps[0].Topics, ",") != "water,borders" {
					t.Fatalf("got %+v, want one process with the topics water and borders", ps)
				}
				return "/processes/" + ps[0].ID + "/edit"
			},
			rename: url.Values{"name": {"Sudan talks (Jeddah)"}}, renamed: "Sudan talks (Jeddah)",
		},
		{
			name: "party", newPath: in + "/parties/new", done: in + "#parties",
			valid: url.Values{"name": {"Qatar"}, "kind": {"mediator"}, "classification": {"public"}},
			shown: "Qatar", invalid: url.Values{"kind": {"wizard"}}, field: "kind", message: `unknown kind of party "wizard"`,
			edit:   func(t *testing.T) string { return "/parties/" + findParty(t, f, "Qatar").ID + "/edit" },
			rename: url.Values{"name": {"State of Qatar"}}, renamed: "State of Qatar",
		},
		{
			name: "person", newPath: in + "/people/new", done: in + "#people",
			valid: url.Values{"name": {"Kirill Dmitriev"}, "party_id": {f.russia.ID}, "role": {"envoy"}, "classification": {"public"}},
			shown: "Kirill Dmitriev", invalid: url.Values{"name": {""}}, field: "name", message: "name is required",
			edit: func(t *testing.T) string {
				people, err := f.env.Svc.People.FindPeople(System, f.process.ID)
				must(t, err)
				k := slices.IndexFunc(people, func(p *parley.Person) bool { return p.Name == "Kirill Dmitriev" })
				if k < 0 || people[k].PartyID != f.russia.ID || people[k].Role != "envoy" {
					t.Fatalf("the person was not stored as posted: %+v", people)
				}
				return "/people/" + people[k].ID + "/edit"
			},
			rename: url.Values{"role": {"special envoy"}}, renamed: "special envoy",
		},
		{
			name: "channel", newPath: in + "/channels/new", done: in + "#channels",
			valid: url.Values{"name": {"Miami talks"}, "kind": {"backchannel"}, "party_ids": {f.russia.ID, f.ukraine.ID}, "classification": {"public"}},
			shown: "Miami talks", invalid: url.Values{"classification": {"shared"}}, field: "classification", message: "names the parties",
			edit: func(t *testing.T) string {
				chans, err := f.env.Svc.Channels.FindChannels(System, f.process.ID)
				must(t, err)
				k := slices.IndexFunc(chans, func(c *parley.Channel) bool { return c.Name == "Miami talks" })
				if k < 0 || len(chans[k].PartyIDs) != 2 {
					t.Fatalf("the channel was not stored with its members: %+v", chans)
				}
				return "/channels/" + chans[k].ID + "/edit"
			},
			rename: url.Values{"name": {"Miami and Geneva"}}, renamed: "Miami and Geneva",
		},
		{
			name: "source", newPath: in + "/sources/new", done: in + "#sources",
			valid: url.Values{"url": {"https://example.org/leak"}, "title": {"The leak"}, "outlet": {"Axios"}, "published": {"2025-11-19"},
				"reliability": {"C"}, "credibility": {"3"}, "classification": {"public"}},
			shown: "The leak", invalid: url.Values{"url": {"ftp://example.org"}}, field: "url", message: "is not an http or https URL",
			edit: func(t *testing.T) string {
				srcs, err := f.env.Svc.Sources.FindSources(System, f.process.ID)
				must(t, err)
				k := slices.IndexFunc(srcs, func(s *parley.Source) bool { return s.Title == "The leak" })
				if k < 0 || srcs[k].Credibility != 3 || srcs[k].Published.Format("2006-01-02") != "2025-11-19" {
					t.Fatalf("the source was not stored as posted: %+v", srcs)
				}
				return "/sources/" + srcs[k].ID + "/edit"
			},
			rename: url.Values{"outlet": {"Axios (leaked)"}}, renamed: "Axios (leaked)",
		},
		{
			name: "contact", newPath: in + "/contacts/new", done: "/contacts/",
			valid: url.Values{"kind": {"meeting"}, "status": {"held"}, "start": {"2025-11-23T14:30"}, "start_zone": {"Europe/Zurich"},
				"duration_minutes": {"120"}, "place": {"Geneva"}, "channel_id": {f.official.ID}, "person_ids": {f.envoy.ID},
				"summary": {"Talks on the 28 points."}, "source_ids": {f.source.ID}, "classification": {""}},
			shown: "Sunday 23 November 2025, 14:30 CET", invalid: url.Values{"start_zone": {"Mars/Olympus"}}, field: "start_zone", message: "unknown time zone",
			edit: func(t *testing.T) string {
				cs, err := f.env.Svc.Contacts.FindContacts(System, f.process.ID)
				must(t, err)
				k := slices.IndexFunc(cs, func(c *parley.Contact) bool { return c.Place == "Geneva" })
				if k < 0 || cs[k].Classification != nil || cs[k].Minutes != 120 || cs[k].Start.Location().String() != "Europe/Zurich" {
					t.Fatalf("the contact was not stored as posted: %+v", cs)
				}
				return "/contacts/" + cs[k].ID + "/edit"
			},
			rename: url.Values{"place": {"Geneva, Intercontinental"}}, renamed: "Geneva, Intercontinental",
		},
		{
			name: "plan", newPath: in + "/plans/new", done: "/plans/",
			valid: url.Values{"title": {"E3 counter-proposal"}, "template_id": {""}, "classification": {"public"}},
			shown: "New version of E3 counter-proposal", invalid: url.Values{"title": {""}}, field: "title", message: "title is required",
			edit: func(t *testing.T) string {
				plans, err := f.env.Svc.Plans.FindPlans(System, f.process.ID)
				must(t, err)
				k := slices.IndexFunc(plans, func(p *parley.Plan) bool { return p.Title == "E3 counter-proposal" })
				if k < 0 {
					t.Fatalf("the plan was not stored")
				}
				return "/plans/" + plans[k].ID + "/edit"
			},
			rename: url.Values{"title": {"European counter-proposal"}}, renamed: "European counter-proposal",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := pageGet(t, f.env, tc.newPath).want(t, http.StatusOK)
			p.has(t, `<form class="record" method="post" action="`+tc.newPath+`"`, `<label for="f-classification-level">Level</label>`)

			bad := merge(tc.valid, tc.invalid)
			p = pagePost(t, f.env, tc.newPath, bad).want(t, http.StatusBadRequest)
			if msg := p.fieldError(tc.field); !strings.Contains(msg, tc.message) {
				t.Errorf("got %q next to %s, want %q", msg, tc.field, tc.message)
			}
			p.has(t, `<div class="error-summary" role="alert">`, `href="#f-`+tc.field+`"`, "autofocus")

			to := pagePost(t, f.env, tc.newPath, tc.valid).wantRedirect(t, tc.done)
			pageGet(t, f.env, to).want(t, http.StatusOK).hasText(t, tc.shown)

			edit := tc.edit(t)
			p = pageGet(t, f.env, edit).want(t, http.StatusOK)
			p.has(t, "<h1>Edit ")
			to = pagePost(t, f.env, edit, merge(tc.valid, tc.rename)).wantRedirect(t, "/")
			if strings.Contains(to, "/versions/new") { // a plan with no version still leads to its first
				to = "/processes/" + f.process.ID
			}
			pageGet(t, f.env, to).want(t, http.StatusOK).hasText(t, tc.renamed)
			pagePost(t, f.env, edit, bad).want(t, http.StatusBadRequest)
		})
	}
}

// merge returns a copy of a with the values of b.
func merge(a, b url.Values) url.Values {
	out := url.Values{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// findParty finds a party of the fixture's process by name.
func findParty(t *testing.T, f *fixture, name string) *parley.Party {
	t.Helper()
	parties, err := f.env.Svc.Parties.FindParties(System, f.process.ID)
	must(t, err)
	k := slices.IndexFunc(parties, func(p *parley.Party) bool { return p.Name == name })
	if k < 0 {
		t.Fatalf("no party %q in %+v", name, parties)
	}
	return parties[k]
}

// TestContactOutsideChannelNeedsClassification: a contact takes its
// channel's classification, so one outside any channel must have its own.
func TestContactOutsideChannelNeedsClassification(t *testing.T) {
	f := newFixture(t)
	p := pagePost(t, f.env, "/processes/"+f.process.ID+"/contacts/new", url.Values{"kind": {"call"}, "status": {"held"},
		"start": {"2025-10-16T18:00"}, "start_zone": {"UTC"}, "classification": {""}}).want(t, http.StatusBadRequest)
	if msg := p.fieldError("classification"); !strings.Contains(msg, "needs its own classification") {
		t.Errorf("got %q next to the classification", msg)
	}
	p.has(t, `value="2025-10-16T18:00"`) // what was typed stays
}

// TestFormsChangeNothingOnGet fetches every form and checks that no
// record appeared.
func TestFormsChangeNothingOnGet(t *testing.T) {
	f := newFixture(t)
	ctx := System
	count := func() int {
		plans, err := f.env.Svc.Plans.FindPlans(ctx, f.process.ID)
		must(t, err)
		parties, err := f.env.Svc.Parties.FindParties(ctx, f.process.ID)
		must(t, err)
		contacts, err := f.env.Svc.Contacts.FindContacts(ctx, f.process.ID)
		must(t, err)
		_, procs, err := f.env.Svc.Processes.FindProcesses(ctx, parley.ProcessFilter{})
		must(t, err)
		n := len(parties) + len(contacts) + procs
		for _, p := range plans {
			n += 1 + len(p.Versions)
		}
		return n
	}
	before := count()
	in := "/processes/" + f.process.ID
	for _, path := range []string{"/", "/processes/new", in + "/edit", in + "/parties/new", in + "/people/new", in + "/channels/new",
		in + "/contacts/new", in + "/sources/new", in + "/plans/new", in + "/plans/new?template=" + f.plan.ID,
		"/plans/" + f.plan.ID + "/versions/new", "/plans/" + f.plan.ID + "/versions/new-unknown", "/plans/" + f.plan.ID + "/edit",
		"/versions/" + f.us28.ID + "/points/1/edit", "/contacts/" + f.contacts[0].ID + "/edit"} {
		pageGet(t, f.env, path).want(t, http.StatusOK)
	}
	if after := count(); after != before {
		t.Errorf("GETs changed the number of records from %d to %d", before, after)
	}
}

// TestFormsRefuseOtherSites: a form posted from another site's page is
// refused, and nothing is stored.
func TestFormsRefuseOtherSites(t *testing.T) {
	env := newTestEnv(t)
	req, err := http.NewRequest(http.MethodPost, env.URL+"/processes/new", strings.NewReader("name=Forged&classification=public"))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	pageDo(t, env, req).want(t, http.StatusForbidden).has(t, "sent from another site")
	_, n, err := env.Svc.Processes.FindProcesses(System, parley.ProcessFilter{})
	must(t, err)
	if n != 0 {
		t.Errorf("got %d processes after a forged post, want 0", n)
	}
}

// TestContactStartForms: a contact whose day only is known starts at noon
// local time; a date that does not exist is named as such.
func TestContactStartForms(t *testing.T) {
	f := newFixture(t)
	form := func(start string) url.Values {
		return url.Values{"kind": {"call"}, "status": {"held"}, "start": {start}, "start_zone": {"Europe/Kyiv"},
			"classification": {"public"}}
	}
	loc := pagePost(t, f.env, "/processes/"+f.process.ID+"/contacts/new", form("2026-02-03")).wantRedirect(t, "/contacts/")
	c, err := f.env.Svc.Contacts.FindContactByID(System, strings.TrimPrefix(loc, "/contacts/"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Start.Format("2006-01-02 15:04 MST"); got != "2026-02-03 12:00 EET" {
		t.Errorf("a day alone starts at %s, want noon in Kyiv", got)
	}
	p := pagePost(t, f.env, "/processes/"+f.process.ID+"/contacts/new", form("2026-13-45T10:00")).want(t, http.StatusBadRequest)
	if msg := p.fieldError("start"); !strings.Contains(msg, "not a day of the calendar") {
		t.Errorf("got %q next to the start, want it to say the date does not exist", msg)
	}
}

// TestFormShowsEveryError: one submission marks every invalid input, not
// only the first; the API lists them too.
func TestFormShowsEveryError(t *testing.T) {
	f := newFixture(t)
	p := pagePost(t, f.env, "/processes/"+f.process.ID+"/sources/new", url.Values{"url": {"ftp://example.org"},
		"reliability": {"Z"}, "credibility": {"9"}, "classification": {"public"}}).want(t, http.StatusBadRequest)
	for _, field := range []string{"url", "reliability", "credibility"} {
		if p.fieldError(field) == "" {
			t.Errorf("no error next to %s", field)
		}
	}
	req, err := http.NewRequest(http.MethodPost, f.env.URL+"/api/v1/processes/"+f.process.ID+"/parties",
		strings.NewReader(`{"name": "", "kind": "nation"}`))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp := f.env.Do(t, req)
	defer resp.Body.Close()
	var body struct {
		Error struct {
			Field  string
			Fields map[string]string
		}
	}
	must(t, json.NewDecoder(resp.Body).Decode(&body))
	if body.Error.Field != "name" || body.Error.Fields["name"] == "" || body.Error.Fields["kind"] == "" {
		t.Errorf("got %+v, want errors about name and kind", body.Error)
	}
}

// TestRecordFormShowsEveryError: an input that cannot be read (a start
// that is not a date) and the record's own invalid inputs are marked
// together.
func TestRecordFormShowsEveryError(t *testing.T) {
	f := newFixture(t)
	p := pagePost(t, f.env, "/processes/"+f.process.ID+"/contacts/new", url.Values{"kind": {"visit"}, "status": {"held"},
		"start": {"soon"}, "start_zone": {"UTC"}, "duration_minutes": {"-5"}, "classification": {"public"}}).want(t, http.StatusBadRequest)
	for _, field := range []string{"start", "kind", "duration_minutes"} {
		if p.fieldError(field) == "" {
			t.Errorf("no error next to %s", field)
		}
	}
	if msg := p.fieldError("start"); !strings.Contains(msg, "2025-11-20T10:00") {
		t.Errorf("the start says %q, want how to write it", msg)
	}
}
