package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"parley"
)

// badgeRE finds the classification badges of a page: their level and
// their words.
var badgeRE = regexp.MustCompile(`<span class="class-badge class-badge-([a-z]+)"><span class="visually-hidden">[^<]*</span>([^<]*)</span>`)

// badges returns the badges of a page, each as "level: words".
func (p *page) badges() []string {
	var out []string
	for _, m := range badgeRE.FindAllStringSubmatch(p.Body, -1) {
		out = append(out, m[1]+": "+html.UnescapeString(m[2]))
	}
	return out
}

// hasBadge fails unless the page shows a badge of level with the words.
func (p *page) hasBadge(tb testing.TB, level, words string) {
	tb.Helper()
	if got, want := p.badges(), level+": "+words; !slices.Contains(got, want) {
		tb.Errorf("got badges %q, want one %q", got, want)
	}
}

// accessFixture is the fixture with records of every classification and
// accounts of every role.
type accessFixture struct {
	*fixture
	person   *parley.Person  // process-wide
	channel  *parley.Channel // shared by Ukraine with Russia
	uaNote   *parley.Contact // confidential to Ukraine
	inherits *parley.Contact // in the shared channel, as its channel
	source   *parley.Source  // mediators only
	plan     *parley.Plan    // shared by Russia with Ukraine
	uaLine   *parley.Channel // confidential to Ukraine: a frame record
	// ukrainian and russian are delegates, observer an observer and
	// outsider no member at all (see withAccounts).
	ukrainian, russian, observer, outsider *testEnv
}

// newAccessFixture builds the access fixture in a fresh server.
func newAccessFixture(tb testing.TB) *accessFixture {
	tb.Helper()
	f := &accessFixture{fixture: newFixture(tb)}
	ctx, svc, in := f.env.Ctx, f.env.Svc, f.process.ID
	ua, ru := f.ukraine.ID, f.russia.ID
	f.person = &parley.Person{ProcessID: in, Name: "Rustem Umerov", PartyID: ua, Classification: parley.Classification{Level: parley.ProcessWide}}
	must(tb, svc.People.CreatePerson(ctx, f.person))
	f.channel = &parley.Channel{ProcessID: in, Name: "Quiet line", Kind: parley.Backchannel, PartyIDs: []string{ua, ru},
		Classification: parley.Classification{Level: parley.Shared, PartyIDs: []string{ua, ru}}}
	must(tb, svc.Channels.CreateChannel(ctx, f.channel))
	f.uaLine = &parley.Channel{ProcessID: in, Name: "Kyiv internal", Kind: parley.Official, PartyIDs: []string{ua},
		Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{ua}}}
	must(tb, svc.Channels.CreateChannel(ctx, f.uaLine))
	start := time.Date(2025, 11, 30, 12, 0, 0, 0, time.UTC)
	f.uaNote = &parley.Contact{ProcessID: in, Kind: parley.Document, Status: parley.Held, Start: start, Summary: "Red lines",
		Classification: &parley.Classification{Level: parley.Confidential, PartyIDs: []string{ua}}}
	must(tb, svc.Contacts.CreateContact(ctx, f.uaNote))
	f.inherits = &parley.Contact{ProcessID: in, Kind: parley.Call, Status: parley.Held, Start: start.Add(time.Hour), ChannelID: f.channel.ID}
	must(tb, svc.Contacts.CreateContact(ctx, f.inherits))
	f.source = &parley.Source{ProcessID: in, Title: "Mediators' notes", Reliability: "A", Credibility: 1,
		Classification: parley.Classification{Level: parley.MediatorsOnly}}
	must(tb, svc.Sources.CreateSource(ctx, f.source))
	f.plan = &parley.Plan{ProcessID: in, Title: "Prisoners", Classification: parley.Classification{Level: parley.Shared, PartyIDs: []string{ru, ua}}}
	must(tb, svc.Plans.CreatePlan(ctx, f.plan))
	_, err := svc.Plans.ClassifyVersion(ctx, f.framework.ID, parley.Classification{Level: parley.Confidential, PartyIDs: []string{ua}})
	must(tb, err)
	return f
}

// withAccounts makes the fixture's accounts: the Ukrainian and Russian
// delegates, the observer and the outsider (signing in takes a while,
// so tests that need none make none).
func (f *accessFixture) withAccounts(tb testing.TB) *accessFixture {
	tb.Helper()
	member := func(name string, role parley.Role, party string) *testEnv {
		a := f.env.NewAccount(tb, name, false)
		if role != "" {
			f.env.Grant(tb, a, f.process.ID, role, party)
		}
		return f.env.As(a)
	}
	f.ukrainian = member("kyiv", parley.RoleDelegate, f.ukraine.ID)
	f.russian = member("moscow", parley.RoleDelegate, f.russia.ID)
	f.observer = member("watcher", parley.RoleObserver, "")
	f.outsider = member("outsider", "", "")
	return f
}

// TestClassificationBadges: every page that shows a record marks its
// classification, in words, with the parties named.
func TestClassificationBadges(t *testing.T) {
	f := newAccessFixture(t)
	in := "/processes/" + f.process.ID
	point := f.framework.ID + "/points/4"
	for _, tt := range []struct {
		name, path, level, words string
	}{
		{"process", in, "public", "Public"},
		{"process form", in + "/edit", "public", "Public"},
		{"party in the dashboard", in, "public", "Public"},
		{"party form", "/parties/" + f.russia.ID + "/edit", "public", "Public"},
		{"person in the dashboard", in, "process", "Process-wide"},
		{"person form", "/people/" + f.person.ID + "/edit", "process", "Process-wide"},
		{"channel in the dashboard", in, "shared", "Shared with Ukraine, Russia"},
		{"channel form", "/channels/" + f.channel.ID + "/edit", "shared", "Shared with Ukraine, Russia"},
		{"contact", "/contacts/" + f.uaNote.ID, "confidential", "Confidential to Ukraine"},
		{"contact in the dashboard", in, "confidential", "Confidential to Ukraine"},
		{"contact form", "/contacts/" + f.uaNote.ID + "/edit", "confidential", "Confidential to Ukraine"},
		{"contact as its channel", "/contacts/" + f.inherits.ID, "shared", "As its channel: Shared with Ukraine, Russia"},
		{"contact as its channel in the dashboard", in, "shared", "As its channel: Shared with Ukraine, Russia"},
		{"source in the dashboard", in, "mediators", "Mediators only"},
		{"source form", "/sources/" + f.source.ID + "/edit", "mediators", "Mediators only"},
		{"plan in the dashboard", in, "shared", "Shared with Russia, Ukraine"},
		{"plan form", "/plans/" + f.plan.ID + "/edit", "shared", "Shared with Russia, Ukraine"},
		{"version", "/versions/" + f.framework.ID, "confidential", "Confidential to Ukraine"},
		{"version in the dashboard", in, "confidential", "Confidential to Ukraine"},
		{"point's history", "/versions/" + point + "/history", "confidential", "Confidential to Ukraine"},
		{"point's annotations", "/versions/" + point + "/edit", "confidential", "Confidential to Ukraine"},
		{"comparison", "/compare?old=" + f.us28.ID + "&new=" + f.framework.ID, "confidential", "Confidential to Ukraine"},
		{"sharing form", "/contacts/" + f.uaNote.ID + "/share", "confidential", "Confidential to Ukraine"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pageGet(t, f.env, tt.path).want(t, http.StatusOK).hasBadge(t, tt.level, tt.words)
		})
	}
}

// shareValues is a sharing form's input: a level and parties, in the
// order ticked.
func shareValues(level parley.Level, parties ...string) url.Values {
	return url.Values{"classification": {string(level)}, "classification_parties": parties}
}

// shareParties returns the parties a sharing form offers, in order.
func shareParties(p *page) []string {
	var out []string
	for _, m := range regexp.MustCompile(`name="classification_parties" value="([^"]*)"`).FindAllStringSubmatch(p.Body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestDelegateSharesAndWithdraws: a delegate shares its party's
// confidential contact with another party, whose delegate then sees it;
// the mediator finds the share in the audit log; once withdrawn, the
// other delegate no longer finds the contact.
func TestDelegateSharesAndWithdraws(t *testing.T) {
	f := newAccessFixture(t).withAccounts(t)
	ua, ru := f.ukraine.ID, f.russia.ID
	contact := "/contacts/" + f.uaNote.ID
	share := contact + "/share"

	pageGet(t, f.russian, contact).want(t, http.StatusNotFound)
	p := pageGet(t, f.ukrainian, contact).want(t, http.StatusOK)
	p.has(t, `action="`+share+`"`)
	if got := shareParties(p); len(got) != 2 || got[0] != ua {
		t.Errorf("got parties %q on the Ukrainian delegate's form, want Ukraine (%s) first", got, ua)
	}

	// A confidential record belongs to one party: the form says so and
	// nothing changes.
	refused := pagePost(t, f.ukrainian, share, shareValues(parley.Confidential, ua, ru)).want(t, http.StatusBadRequest)
	refused.has(t, "Nothing was saved", `action="`+share+`"`)
	pageGet(t, f.russian, contact).want(t, http.StatusNotFound)

	pagePost(t, f.ukrainian, share, shareValues(parley.Shared, ua, ru)).wantRedirect(t, contact)
	seen := pageGet(t, f.russian, contact).want(t, http.StatusOK)
	seen.has(t, "Red lines")
	seen.hasBadge(t, "shared", "Shared with Ukraine, Russia")
	seen.hasNot(t, `action="`+share+`"`) // Russia may see it, not share it

	audit := pageGet(t, f.env, "/processes/"+f.process.ID+"/audit").want(t, http.StatusOK)
	audit.has(t, `<span class="audit-action audit-share">share</span>`, `href="`+contact+`"`)
	audit.hasText(t, "from confidential to [Ukraine] to shared with [Ukraine Russia]")

	pagePost(t, f.ukrainian, share, shareValues(parley.Confidential, ua)).wantRedirect(t, contact)
	pageGet(t, f.russian, contact).want(t, http.StatusNotFound)
	stored, err := f.env.Svc.Contacts.FindContactByID(System, f.uaNote.ID)
	must(t, err)
	if got := stored.Classification.String(); got != "confidential to ["+ua+"]" {
		t.Errorf("got %s after the withdrawal, want confidential to Ukraine", got)
	}
}

// TestSharingRefused: a reader who may not change who sees a record is
// offered no sharing form, and a forged one is refused (403, or 404 when
// the reader cannot see the record) and changes nothing.
func TestSharingRefused(t *testing.T) {
	f := newAccessFixture(t).withAccounts(t)
	svc := f.env.Svc
	public := f.contacts[3] // public, outside any channel
	classOf := map[string]func() (parley.Classification, error){
		"public contact": func() (parley.Classification, error) {
			c, err := svc.Contacts.FindContactByID(System, public.ID)
			return *c.Classification, err
		},
		"Ukraine's note": func() (parley.Classification, error) {
			c, err := svc.Contacts.FindContactByID(System, f.uaNote.ID)
			return *c.Classification, err
		},
		"Ukraine's channel": func() (parley.Classification, error) {
			c, err := svc.Channels.FindChannelByID(System, f.uaLine.ID)
			return c.Classification, err
		},
		"shared plan": func() (parley.Classification, error) {
			p, err := svc.Plans.FindPlanByID(System, f.plan.ID)
			return p.Classification, err
		},
		"version": func() (parley.Classification, error) {
			v, err := svc.Plans.FindVersionByID(System, f.us28.ID)
			return v.Classification, err
		},
	}
	for _, tt := range []struct {
		name   string
		who    *testEnv
		record string // a key of classOf
		page   string // where the form would be, or a link to it
		share  string
		status int
	}{
		{"observer, public contact", f.observer, "public contact", "/contacts/" + public.ID, "/contacts/" + public.ID + "/share", http.StatusForbidden},
		{"delegate, public contact", f.russian, "public contact", "/contacts/" + public.ID, "/contacts/" + public.ID + "/share", http.StatusForbidden},
		{"delegate, another party's note", f.russian, "Ukraine's note", "", "/contacts/" + f.uaNote.ID + "/share", http.StatusNotFound},
		{"outsider, public contact", f.outsider, "public contact", "", "/contacts/" + public.ID + "/share", http.StatusNotFound},
		{"delegate, own party's channel", f.ukrainian, "Ukraine's channel", "/channels/" + f.uaLine.ID + "/edit", "/channels/" + f.uaLine.ID + "/share", http.StatusForbidden},
		{"delegate, plan shared by another", f.ukrainian, "shared plan", "/processes/" + f.process.ID, "/plans/" + f.plan.ID + "/share", http.StatusForbidden},
		{"observer, version", f.observer, "version", "/versions/" + f.us28.ID, "/versions/" + f.us28.ID + "/share", http.StatusForbidden},
		{"delegate, public version", f.ukrainian, "version", "/versions/" + f.us28.ID, "/versions/" + f.us28.ID + "/share", http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, err := classOf[tt.record]()
			must(t, err)
			if tt.page != "" {
				pageGet(t, tt.who, tt.page).want(t, http.StatusOK).hasNot(t, `"`+tt.share+`"`)
			}
			if tt.status == http.StatusForbidden {
				pageGet(t, tt.who, tt.share).want(t, http.StatusOK).hasNot(t, `action="`+tt.share+`"`, `name="classification"`)
			} else {
				pageGet(t, tt.who, tt.share).want(t, tt.status)
			}
			pagePost(t, tt.who, tt.share, shareValues(parley.Public)).want(t, tt.status)
			pagePost(t, tt.who, tt.share, shareValues(parley.Shared, f.russia.ID, f.ukraine.ID)).want(t, tt.status)
			after, err := classOf[tt.record]()
			must(t, err)
			if before.String() != after.String() {
				t.Errorf("got %s after a refused share, want %s as before", after, before)
			}
		})
	}
}

// TestMediatorShares: a mediator may change who sees any record, from
// the links of the dashboard and the record forms.
func TestMediatorShares(t *testing.T) {
	f := newAccessFixture(t)
	dash := pageGet(t, f.env, "/processes/"+f.process.ID).want(t, http.StatusOK)
	inheritsClass := func() (parley.Classification, error) {
		c, err := f.env.Svc.Contacts.FindContactByID(System, f.inherits.ID)
		if err != nil || c.Classification == nil {
			return parley.Classification{Level: "as its channel"}, err
		}
		return *c.Classification, nil
	}
	for _, tt := range []struct {
		name, share, back string
		values            url.Values
		class             func() (parley.Classification, error)
		want              string
	}{
		{"process", "/processes/" + f.process.ID + "/share", "/processes/" + f.process.ID, shareValues(parley.ProcessWide),
			func() (parley.Classification, error) {
				p, err := f.env.Svc.Processes.FindProcessByID(System, f.process.ID)
				return p.Classification, err
			}, "process"},
		{"party", "/parties/" + f.russia.ID + "/share", "/processes/" + f.process.ID + "#parties", shareValues(parley.Confidential, f.russia.ID),
			func() (parley.Classification, error) {
				p, err := f.env.Svc.Parties.FindPartyByID(System, f.russia.ID)
				return p.Classification, err
			}, "confidential to [" + f.russia.ID + "]"},
		{"source", "/sources/" + f.source.ID + "/share", "/processes/" + f.process.ID + "#sources", shareValues(parley.Public),
			func() (parley.Classification, error) {
				s, err := f.env.Svc.Sources.FindSourceByID(System, f.source.ID)
				return s.Classification, err
			}, "public"},
		{"version", "/versions/" + f.framework.ID + "/share", "/versions/" + f.framework.ID, shareValues(parley.Shared, f.ukraine.ID, f.russia.ID),
			func() (parley.Classification, error) {
				v, err := f.env.Svc.Plans.FindVersionByID(System, f.framework.ID)
				return v.Classification, err
			}, "shared with [" + f.ukraine.ID + " " + f.russia.ID + "]"},
		{"contact in a channel, its own", "/contacts/" + f.inherits.ID + "/share", "/contacts/" + f.inherits.ID, shareValues(parley.Confidential, f.ukraine.ID),
			inheritsClass, "confidential to [" + f.ukraine.ID + "]"},
		{"contact back to its channel's", "/contacts/" + f.inherits.ID + "/share", "/contacts/" + f.inherits.ID, shareValues(""),
			inheritsClass, "as its channel"},
		{"contact outside any channel, without a classification", "/contacts/" + f.uaNote.ID + "/share", "/contacts/" + f.uaNote.ID, shareValues(""),
			func() (parley.Classification, error) { return parley.Classification{}, nil }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name != "version" && !strings.HasPrefix(tt.name, "contact") {
				dash.has(t, `href="`+tt.share+`"`)
			}
			pageGet(t, f.env, tt.share).want(t, http.StatusOK).has(t, `action="`+tt.share+`"`)
			p := pagePost(t, f.env, tt.share, tt.values)
			if tt.want == "" { // a contact outside any channel needs its own
				p.want(t, http.StatusBadRequest).has(t, "Nothing was saved", "classification is required")
				return
			}
			p.wantRedirect(t, tt.back)
			c, err := tt.class()
			must(t, err)
			if got := c.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestAuditPage: the audit log is the mediators'; other members are
// refused, and non-members find nothing.
func TestAuditPage(t *testing.T) {
	f := newAccessFixture(t).withAccounts(t)
	in := "/processes/" + f.process.ID
	for k := range 20 { // more than a page of the log
		src := &parley.Source{ProcessID: f.process.ID, Title: "Cable " + strconv.Itoa(k), Reliability: "C", Credibility: 3,
			Classification: parley.Classification{Level: parley.Public}}
		must(t, f.env.Svc.Sources.CreateSource(f.env.Ctx, src))
	}
	pageGet(t, f.env, "/contacts/"+f.uaNote.ID).want(t, http.StatusOK) // a read to log
	for _, tt := range []struct {
		name   string
		who    *testEnv
		path   string
		status int
	}{
		{"mediator", f.env, in + "/audit", http.StatusOK},
		{"mediator, page 2", f.env, in + "/audit?page=2", http.StatusOK},
		{"mediator, page 0", f.env, in + "/audit?page=0", http.StatusBadRequest},
		{"mediator, no number", f.env, in + "/audit?page=x", http.StatusBadRequest},
		{"delegate", f.ukrainian, in + "/audit", http.StatusForbidden},
		{"observer", f.observer, in + "/audit", http.StatusForbidden},
		{"non-member", f.outsider, in + "/audit", http.StatusNotFound},
		{"no such process", f.env, "/processes/nope/audit", http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pageGet(t, tt.who, tt.path).want(t, tt.status)
		})
	}
	p := pageGet(t, f.env, in+"/audit").want(t, http.StatusOK)
	p.has(t, `<span class="audit-action audit-read">read</span>`, `<span class="audit-action audit-create">create</span>`,
		`href="/contacts/`+f.uaNote.ID+`"`, `<td class="short">mediator</td>`, `href="`+in+`/audit?page=2"`, "Page 1 of")
	if got := p.count(`<tr>`) - 1; got != 50 {
		t.Errorf("got %d records on the first page, want 50", got)
	}
	dash := pageGet(t, f.env, in).want(t, http.StatusOK)
	dash.has(t, `href="`+in+`/audit"`, `href="`+in+`/members"`)
	for _, who := range []*testEnv{f.ukrainian, f.observer} {
		pageGet(t, who, in).want(t, http.StatusOK).hasNot(t, `href="`+in+`/audit"`, `href="`+in+`/members"`)
	}
}

// TestMembersPage: a mediator adds a delegate, who can then sign in and
// see the process, changes their role, and removes them: their next
// request finds nothing.
func TestMembersPage(t *testing.T) {
	f := newFixture(t)
	env := f.env
	in := "/processes/" + f.process.ID
	members := in + "/members"
	u := &parley.User{Name: "kyiv"}
	must(t, env.Svc.Users.CreateUser(System, u, testPassword))

	for _, tt := range []struct {
		name   string
		values url.Values
		field  string
		words  string
	}{
		{"no such user", url.Values{"user": {"nobody"}, "role": {"observer"}}, "user", "no user named"},
		{"no user", url.Values{"role": {"observer"}}, "user", "name the user"},
		{"a delegate without a party", url.Values{"user": {"kyiv"}, "role": {"delegate"}}, "party_id", "speaks for a party"},
		{"no such role", url.Values{"user": {"kyiv"}, "role": {"king"}}, "role", "unknown role"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pagePost(t, env, members, tt.values).want(t, http.StatusBadRequest)
			if got := p.fieldError(tt.field); !strings.Contains(got, tt.words) {
				t.Errorf("got error %q on %s, want one saying %q", got, tt.field, tt.words)
			}
		})
	}

	pagePost(t, env, members, url.Values{"user": {"kyiv"}, "role": {"delegate"}, "party_id": {f.ukraine.ID}}).wantRedirect(t, members)
	list := pageGet(t, env, members).want(t, http.StatusOK)
	list.has(t, "kyiv", `action="`+members+`/`+u.ID+`/remove"`)
	if !regexp.MustCompile(`<th scope="row">kyiv</th>\s*<td>delegate</td>\s*<td>Ukraine</td>`).MatchString(list.Body) {
		t.Errorf("the members page does not list kyiv as a delegate of Ukraine:\n%s", cutBody(list.Body))
	}

	kyiv := env.As(&Account{User: u, Token: env.SignIn(t, "kyiv", testPassword)})
	pageGet(t, kyiv, in).want(t, http.StatusOK)
	pageGet(t, kyiv, members).want(t, http.StatusForbidden)
	pagePost(t, kyiv, members, url.Values{"user": {"kyiv"}, "role": {"mediator"}}).want(t, http.StatusForbidden)

	pagePost(t, env, members, url.Values{"user": {"kyiv"}, "role": {"observer"}, "party_id": {f.ukraine.ID}}).wantRedirect(t, members)
	ms, err := env.Svc.Users.FindMemberships(System, f.process.ID)
	must(t, err)
	if k := slices.IndexFunc(ms, func(m *parley.Membership) bool { return m.UserID == u.ID }); k < 0 || ms[k].Role != parley.RoleObserver || ms[k].PartyID != "" {
		t.Errorf("got memberships %+v, want kyiv an observer of no party", ms)
	}

	// An administrator manages the members of a process they do not
	// belong to, and sees nothing else of it.
	admin := env.As(env.NewAccount(t, "root", true))
	pageGet(t, admin, members).want(t, http.StatusOK).has(t, "kyiv", "Members of process "+f.process.ID)
	pageGet(t, admin, in).want(t, http.StatusNotFound)

	pagePost(t, env, members+"/"+u.ID+"/remove", nil).wantRedirect(t, members)
	pageGet(t, kyiv, in).want(t, http.StatusNotFound)
	pageGet(t, env, members).want(t, http.StatusOK).hasNot(t, "kyiv")
	pagePost(t, env, members+"/"+u.ID+"/remove", nil).want(t, http.StatusNotFound) // no longer a member
}

// TestAccountsPage: administrators list, make, disable and enable
// accounts; no one else may.
func TestAccountsPage(t *testing.T) {
	env := newTestEnv(t)
	admin := env.As(env.NewAccount(t, "root", true))
	pageGet(t, env, "/admin/users").want(t, http.StatusForbidden)
	pagePost(t, env, "/admin/users", url.Values{"name": {"forged"}, "password": {testPassword}}).want(t, http.StatusForbidden)

	p := pageGet(t, admin, "/admin/users").want(t, http.StatusOK)
	p.has(t, `<th scope="row">mediator</th>`, `<th scope="row">root</th>`, `href="/admin/users"`)

	short := pagePost(t, admin, "/admin/users", url.Values{"name": {"amy"}, "password": {"short"}}).want(t, http.StatusBadRequest)
	if got := short.fieldError("password"); !strings.Contains(got, "at least 12") {
		t.Errorf("got password error %q, want one asking for 12 characters", got)
	}
	short.hasNot(t, `value="short"`)

	pagePost(t, admin, "/admin/users", url.Values{"name": {"amy"}, "display_name": {"Amy"}, "password": {testPassword}}).wantRedirect(t, "/admin/users")
	amy, err := env.Svc.Users.FindUserByName(System, "amy")
	must(t, err)
	token := env.SignIn(t, "amy", testPassword)
	if !works(t, env, token) {
		t.Fatal("the new account cannot sign in")
	}
	pagePost(t, admin, "/admin/users/"+amy.ID+"/disable", nil).wantRedirect(t, "/admin/users")
	if works(t, env, token) {
		t.Error("a disabled account's session still works")
	}
	pagePost(t, admin, "/admin/users/"+amy.ID+"/enable", nil).wantRedirect(t, "/admin/users")
	if !works(t, env, env.SignIn(t, "amy", testPassword)) {
		t.Error("an enabled account cannot sign in")
	}
}
