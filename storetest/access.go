package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"parley"
)

func init() {
	suites["access"] = inParts(part{"reads", testAccessReads}, part{"writes", testAccessWrites},
		part{"revocation", testAccessRevocation})
}

// The actors of the access fixture, by the name of their user.
const (
	mediator   = "mediator"
	delegateUA = "delegate-ua"
	delegateRU = "delegate-ru"
	observer   = "observer"
	admin      = "admin"
	outsider   = "outsider"
)

// actorNames lists the fixture's actors, the widest view first.
var actorNames = []string{mediator, delegateUA, delegateRU, observer, admin, outsider}

// accessFixture is a process seen differently by each of its users: three
// parties; a US–Russia backchannel shared by the two and a public channel;
// a call in the backchannel that inherits its classification, a meeting
// confidential to Ukraine with its own classification, and a public one; a
// public plan whose public first version was redrafted in a version
// confidential to Ukraine, from which a later public version was derived;
// and a plan confidential to Ukraine with a public version. Every record
// is known by a name, and each user signs in with a password.
type accessFixture struct {
	s    *Store
	proc *parley.Process
	// ids maps the name of every record to its ID; kinds maps it to its
	// kind ("party", "contact", ...).
	ids, kinds map[string]string
	users      map[string]*parley.User
	passwords  map[string]string
	// actors holds a signed-in context for each user, tokens their
	// sessions.
	actors map[string]context.Context
	tokens map[string]string
}

// id returns the ID of the record with the given name.
func (f *accessFixture) id(name string) string {
	id, ok := f.ids[name]
	if !ok {
		panic("storetest: no record named " + name)
	}
	return id
}

// visibleTo is what each actor of the fixture may see, by record name.
var visibleTo = map[string][]string{
	mediator: {"process", "us", "ru", "ua", "witkoff", "dmitriev", "umerov", "backchannel", "istanbul",
		"axios", "memo", "back-call", "ua-meeting", "public-meeting", "plan", "red-lines", "v1", "v2", "v3", "rl1"},
	delegateUA: {"process", "us", "ru", "ua", "witkoff", "umerov", "istanbul", "axios", "memo",
		"ua-meeting", "public-meeting", "plan", "red-lines", "v1", "v2", "v3", "rl1"},
	delegateRU: {"process", "us", "ru", "ua", "witkoff", "dmitriev", "backchannel", "istanbul", "axios",
		"back-call", "public-meeting", "plan", "v1", "v3"},
	observer: {"process", "us", "ru", "ua", "witkoff", "istanbul", "axios", "public-meeting", "plan", "v1", "v3"},
	admin:    nil,
	outsider: nil,
}

// sees reports whether actor may see the named record.
func sees(actor, name string) bool { return slices.Contains(visibleTo[actor], name) }

// The texts of the fixture's plan. Each unusual word is in one record
// only, so that a search for it finds that record or nothing.
const (
	textV1 = "1. The parties agree to a ceasefire along the line of contact.\n" +
		"2. Sanctions are lifted in stages.\n" +
		"3. Elections are held within 100 days.\n"
	textV2 = "1. The parties agree to a ceasefire along the line of contact.\n" +
		"2. Sanctions are lifted only after full withdrawal, the obsidian clause.\n" +
		"3. Elections are held within 100 days.\n" +
		"4. Security guarantees equivalent to Article 5.\n"
	textV3 = "1. The parties agree to a ceasefire along the line of contact.\n" +
		"2. Sanctions are lifted only after full withdrawal.\n" +
		"3. Security guarantees equivalent to Article 5.\n"
	textRL1 = "1. No recognition of occupied territory, on basalt terms.\n"
)

// newAccessFixture stores the fixture as the system, creates its users
// and their memberships, and signs each user in.
func newAccessFixture(t *testing.T, s *Store) *accessFixture {
	t.Helper()
	ctx := asSystem()
	f := &accessFixture{s: s, ids: map[string]string{}, kinds: map[string]string{}, users: map[string]*parley.User{},
		passwords: map[string]string{}, actors: map[string]context.Context{}, tokens: map[string]string{}}
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("fixture: %s: %v", what, err)
		}
	}
	name := func(n, kind, id string) { f.ids[n], f.kinds[n] = id, kind }
	shared := func(parties ...string) parley.Classification {
		return parley.Classification{Level: parley.Shared, PartyIDs: parties}
	}
	confidential := func(party string) parley.Classification {
		return parley.Classification{Level: parley.Confidential, PartyIDs: []string{party}}
	}

	f.proc = &parley.Process{Name: "Access fixture", Classification: public}
	check("process", s.Processes.CreateProcess(ctx, f.proc))
	name("process", "process", f.proc.ID)
	pid := f.proc.ID
	party := func(n, full string, kind parley.PartyKind) *parley.Party {
		p := &parley.Party{ProcessID: pid, Name: full, Kind: kind, Classification: public}
		check(n, s.Parties.CreateParty(ctx, p))
		name(n, "party", p.ID)
		return p
	}
	us, ru, ua := party("us", "United States", parley.Mediator), party("ru", "Russia", parley.State), party("ua", "Ukraine", parley.State)
	person := func(n, full, partyID string, c parley.Classification) *parley.Person {
		p := &parley.Person{ProcessID: pid, Name: full, PartyID: partyID, Classification: c}
		check(n, s.People.CreatePerson(ctx, p))
		name(n, "person", p.ID)
		return p
	}
	person("witkoff", "Steve Witkoff", us.ID, public)
	person("dmitriev", "Kirill Dmitriev", ru.ID, shared(us.ID, ru.ID))
	umerov := person("umerov", "Rustem Umerov", ua.ID, confidential(ua.ID))
	channel := func(n, full string, kind parley.ChannelKind, parties []string, c parley.Classification) *parley.Channel {
		ch := &parley.Channel{ProcessID: pid, Name: full, Kind: kind, PartyIDs: parties, Classification: c}
		check(n, s.Channels.CreateChannel(ctx, ch))
		name(n, "channel", ch.ID)
		return ch
	}
	back := channel("backchannel", "US–Russia backchannel", parley.Backchannel, []string{us.ID, ru.ID}, shared(us.ID, ru.ID))
	istanbul := channel("istanbul", "Istanbul talks", parley.Official, []string{ru.ID, ua.ID, us.ID}, public)
	source := func(n, title string, c parley.Classification) *parley.Source {
		src := &parley.Source{ProcessID: pid, Title: title, Outlet: "Fixture", Reliability: "B", Credibility: 2, Classification: c}
		check(n, s.Sources.CreateSource(ctx, src))
		name(n, "source", src.ID)
		return src
	}
	source("axios", "Axios report", public)
	memo := source("memo", "Ukrainian memo", confidential(ua.ID))
	contact := func(n string, c *parley.Contact) *parley.Contact {
		c.ProcessID, c.Kind, c.Status = pid, parley.Meeting, parley.Held
		check(n, s.Contacts.CreateContact(ctx, c))
		name(n, "contact", c.ID)
		return c
	}
	backCall := contact("back-call", &parley.Contact{Start: day(10, 14), ChannelID: back.ID,
		Summary: "The envoys discussed a wolfram arrangement for the plants."})
	uaMeeting := contact("ua-meeting", &parley.Contact{Start: day(11, 22), ChannelID: istanbul.ID,
		PersonIDs: []string{umerov.ID}, SourceIDs: []string{memo.ID}, Classification: &parley.Classification{Level: parley.Confidential, PartyIDs: []string{ua.ID}},
		Summary: "The delegation drafted its quartz counterproposal."})
	publicMeeting := contact("public-meeting", &parley.Contact{Start: day(12, 20), ChannelID: istanbul.ID,
		Summary: "An exchange of prisoners was agreed in the granite hall."})

	plan := &parley.Plan{ProcessID: pid, Title: "Peace plan", Classification: public}
	check("plan", s.Plans.CreatePlan(ctx, plan))
	name("plan", "plan", plan.ID)
	redLines := &parley.Plan{ProcessID: pid, Title: "Ukrainian red lines", Classification: confidential(ua.ID)}
	check("red-lines", s.Plans.CreatePlan(ctx, redLines))
	name("red-lines", "plan", redLines.ID)
	version := func(n, planID, label string, v *parley.Version) *parley.Version {
		v.PlanID, v.Label, v.Status = planID, label, parley.Draft
		check(n, s.Plans.CreateVersion(ctx, v))
		name(n, "version", v.ID)
		return v
	}
	v1 := version("v1", plan.ID, "US 28-point plan", &parley.Version{Date: day(11, 20), Text: textV1, AuthorPartyID: us.ID, Classification: public})
	v2 := version("v2", plan.ID, "Ukrainian counter-draft", &parley.Version{Date: day(11, 23), Text: textV2, AuthorPartyID: ua.ID,
		SourceIDs: []string{memo.ID}, Classification: confidential(ua.ID)})
	v3 := version("v3", plan.ID, "Framework", &parley.Version{Date: day(12, 24), Text: textV3, Classification: public})
	version("rl1", redLines.ID, "Red lines", &parley.Version{Date: day(11, 21), Text: textRL1, Classification: public})
	// The lineage the rest relies on: v1.1 → v2.1 → v3.1.
	if got := findPoint(t, v2, "1").Lineage; !slices.Equal(got, []parley.PointRef{{VersionID: v1.ID, PointID: "1"}}) {
		t.Fatalf("fixture: v2 point 1 came from %v, want v1 point 1", got)
	}
	if got := findPoint(t, v3, "1").Lineage; !slices.Equal(got, []parley.PointRef{{VersionID: v2.ID, PointID: "1"}}) {
		t.Fatalf("fixture: v3 point 1 came from %v, want v2 point 1", got)
	}
	annotate := func(v *parley.Version, point string, upd parley.PointUpdate) {
		_, err := s.Plans.UpdatePoint(ctx, v.ID, point, upd)
		check("annotating point "+point, err)
	}
	annotate(v1, "1", parley.PointUpdate{ProposedBy: &us.ID, ContactID: &backCall.ID})
	annotate(v2, "2", parley.PointUpdate{ProposedBy: &ua.ID, ContactID: &uaMeeting.ID, SourceIDs: &[]string{memo.ID}})
	annotate(v3, "1", parley.PointUpdate{ContactID: &publicMeeting.ID})

	memberships := map[string]parley.Membership{
		mediator:   {Role: parley.RoleMediator},
		delegateUA: {Role: parley.RoleDelegate, PartyID: ua.ID},
		delegateRU: {Role: parley.RoleDelegate, PartyID: ru.ID},
		observer:   {Role: parley.RoleObserver},
	}
	for _, n := range actorNames {
		u := &parley.User{Name: n, Admin: n == admin}
		f.passwords[n] = "correct horse battery " + n
		check("user "+n, s.Users.CreateUser(ctx, u, f.passwords[n]))
		f.users[n] = u
		if m, ok := memberships[n]; ok {
			m.UserID, m.ProcessID = u.ID, pid
			check("membership of "+n, s.Users.SetMembership(ctx, &m))
		}
	}
	for _, n := range actorNames {
		f.signIn(t, n)
	}
	return f
}

// signIn signs user n in and keeps their session and actor.
func (f *accessFixture) signIn(t *testing.T, n string) {
	t.Helper()
	token, a, err := f.s.Auth.SignIn(context.Background(), n, f.passwords[n], "192.0.2.1")
	if err != nil {
		t.Fatalf("signing %s in: %v", n, err)
	}
	f.tokens[n], f.actors[n] = token, parley.WithActor(context.Background(), a)
}

// session returns a context with the actor of user n's session as it
// stands now, as a server builds one per request.
func (f *accessFixture) session(n string) (context.Context, error) {
	a, err := f.s.Auth.Session(context.Background(), f.tokens[n])
	if err != nil {
		return nil, err
	}
	return parley.WithActor(context.Background(), a), nil
}

// hiddenFrom returns the names of the records actor may not see, by ID.
func (f *accessFixture) hiddenFrom(actor string) map[string]string {
	hidden := map[string]string{}
	for n, id := range f.ids {
		if !sees(actor, n) {
			hidden[id] = n
		}
	}
	return hidden
}

// leaks returns the names of the hidden records (ID → name) whose IDs
// appear anywhere in v, marshalled to JSON.
func leaks(tb testing.TB, v any, hidden map[string]string) []string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("marshalling %T: %v", v, err)
	}
	var out []string
	for id, n := range hidden {
		if strings.Contains(string(b), id) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// noLeaks fails when an ID of a record hidden from actor appears in v.
func (f *accessFixture) noLeaks(t *testing.T, actor, what string, v any) {
	t.Helper()
	if l := leaks(t, v, f.hiddenFrom(actor)); len(l) > 0 {
		t.Errorf("%s: %s got the IDs of hidden records %q", actor, what, l)
	}
}

// madeUpID is an ID no record has, shaped like the IDs of the store.
const madeUpID = "zzzzzzzzzzzz"

// wantHidden checks that err is what a lookup of a record that does not
// exist returns: the code, field and message of madeUp, an error about
// madeUpID, with id in its place.
func wantHidden(t *testing.T, what string, err error, id string, madeUp error) {
	t.Helper()
	var got, want *parley.Error
	if !errors.As(err, &got) || !errors.As(madeUp, &want) {
		t.Errorf("%s: got %v, want %v with %q for %q", what, err, madeUp, id, madeUpID)
		return
	}
	wantMsg := strings.ReplaceAll(want.Message, madeUpID, id)
	if got.Code != want.Code || got.Field != want.Field || got.Message != wantMsg {
		t.Errorf("%s: got %s %q (field %q), want %s %q (field %q), as for a record that does not exist",
			what, got.Code, got.Message, got.Field, want.Code, wantMsg, want.Field)
	}
	if want.Code != parley.ENOTFOUND && want.Code != parley.EINVALID {
		t.Errorf("%s: a missing record is %s, want not found or invalid", what, want.Code)
	}
}

// byID reads one record of each kind by ID.
func byID(s *Store) map[string]func(ctx context.Context, id string) (any, error) {
	return map[string]func(ctx context.Context, id string) (any, error){
		"process": func(ctx context.Context, id string) (any, error) { return s.Processes.FindProcessByID(ctx, id) },
		"party":   func(ctx context.Context, id string) (any, error) { return s.Parties.FindPartyByID(ctx, id) },
		"person":  func(ctx context.Context, id string) (any, error) { return s.People.FindPersonByID(ctx, id) },
		"channel": func(ctx context.Context, id string) (any, error) { return s.Channels.FindChannelByID(ctx, id) },
		"contact": func(ctx context.Context, id string) (any, error) { return s.Contacts.FindContactByID(ctx, id) },
		"source":  func(ctx context.Context, id string) (any, error) { return s.Sources.FindSourceByID(ctx, id) },
		"plan":    func(ctx context.Context, id string) (any, error) { return s.Plans.FindPlanByID(ctx, id) },
		"version": func(ctx context.Context, id string) (any, error) { return s.Plans.FindVersionByID(ctx, id) },
	}
}

// lists reads the records of each kind in a process, as IDs.
func lists(s *Store) map[string]func(ctx context.Context, processID string) ([]string, any, error) {
	ids := func(n int, id func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id(i)
		}
		return out
	}
	return map[string]func(ctx context.Context, processID string) ([]string, any, error){
		"party": func(ctx context.Context, pid string) ([]string, any, error) {
			rs, err := s.Parties.FindParties(ctx, pid)
			return ids(len(rs), func(i int) string { return rs[i].ID }), rs, err
		},
		"person": func(ctx context.Context, pid string) ([]string, any, error) {
			rs, err := s.People.FindPeople(ctx, pid)
			return ids(len(rs), func(i int) string { return rs[i].ID }), rs, err
		},
		"channel": func(ctx context.Context, pid string) ([]string, any, error) {
			rs, err := s.Channels.FindChannels(ctx, pid)
			return ids(len(rs), func(i int) string { return rs[i].ID }), rs, err
		},
		"contact": func(ctx context.Context, pid string) ([]string, any, error) {
			rs, err := s.Contacts.FindContacts(ctx, pid)
			return ids(len(rs), func(i int) string { return rs[i].ID }), rs, err
		},
		"source": func(ctx context.Context, pid string) ([]string, any, error) {
			rs, err := s.Sources.FindSources(ctx, pid)
			return ids(len(rs), func(i int) string { return rs[i].ID }), rs, err
		},
		"plan": func(ctx context.Context, pid string) ([]string, any, error) {
			rs, err := s.Plans.FindPlans(ctx, pid)
			return ids(len(rs), func(i int) string { return rs[i].ID }), rs, err
		},
	}
}

// names returns the names of the records with the given IDs, sorted.
func (f *accessFixture) names(ids []string) []string {
	byID := map[string]string{}
	for n, id := range f.ids {
		byID[id] = n
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
		if out[i] == "" {
			out[i] = "unknown " + id
		}
	}
	slices.Sort(out)
	return out
}

// visibleOfKind returns the names of the records of a kind actor sees, sorted.
func (f *accessFixture) visibleOfKind(actor, kind string) []string {
	var out []string
	for n, k := range f.kinds {
		if k == kind && sees(actor, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func testAccessReads(t *testing.T, s *Store) {
	f := newAccessFixture(t, s)
	find := byID(s)
	names := slices.Sorted(maps.Keys(f.ids))

	t.Run("by ID", func(t *testing.T) {
		for _, actor := range actorNames {
			ctx := f.actors[actor]
			for _, n := range names {
				kind := f.kinds[n]
				t.Run(actor+"/"+n, func(t *testing.T) {
					got, err := find[kind](ctx, f.id(n))
					if !sees(actor, n) {
						_, missing := find[kind](ctx, madeUpID)
						wantHidden(t, "reading "+n, err, f.id(n), missing)
						return
					}
					if err != nil {
						t.Fatalf("got %v, want the %s", err, kind)
					}
					f.noLeaks(t, actor, "reading "+n, got)
				})
			}
		}
	})

	t.Run("no actor", func(t *testing.T) {
		for _, n := range names {
			kind := f.kinds[n]
			_, err := find[kind](context.Background(), f.id(n))
			if code := parley.ErrorCode(err); code != parley.ENOTFOUND && code != parley.EUNAUTHORIZED {
				t.Errorf("reading %s without an actor: got %v, want not found or unauthorized", n, err)
			}
		}
		if ps, total, err := s.Processes.FindProcesses(context.Background(), parley.ProcessFilter{}); err == nil && (len(ps) > 0 || total > 0) {
			t.Errorf("listing processes without an actor: got %d of %d, want none", len(ps), total)
		}
		if _, err := s.Archive.ExportProcess(context.Background(), f.proc.ID); err == nil {
			t.Errorf("exporting without an actor: got the archive, want an error")
		}
	})

	t.Run("processes", func(t *testing.T) {
		for _, actor := range actorNames {
			ps, total, err := s.Processes.FindProcesses(f.actors[actor], parley.ProcessFilter{})
			if err != nil {
				t.Fatalf("%s: %v", actor, err)
			}
			want := 0
			if sees(actor, "process") {
				want = 1
			}
			if len(ps) != want || total != want {
				t.Errorf("%s: got %d processes of %d, want %d of %d", actor, len(ps), total, want, want)
			}
		}
	})

	t.Run("lists", func(t *testing.T) {
		for kind, list := range lists(s) {
			for _, actor := range actorNames {
				ids, rs, err := list(f.actors[actor], f.proc.ID)
				if !sees(actor, "process") {
					_, _, missing := list(f.actors[actor], madeUpID)
					wantHidden(t, actor+" listing "+kind, err, f.proc.ID, missing)
					continue
				}
				if err != nil {
					t.Errorf("%s listing %s: %v", actor, kind, err)
					continue
				}
				if got, want := f.names(ids), f.visibleOfKind(actor, kind); !slices.Equal(got, want) {
					t.Errorf("%s listing %s: got %q, want %q", actor, kind, got, want)
				}
				f.noLeaks(t, actor, "listing "+kind, rs)
			}
		}
	})

	t.Run("plans list visible versions", func(t *testing.T) {
		for _, actor := range actorNames[:4] {
			plans, err := s.Plans.FindPlans(f.actors[actor], f.proc.ID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range plans {
				for _, v := range p.Versions {
					ids = append(ids, v.ID)
				}
			}
			if got, want := f.names(ids), f.visibleOfKind(actor, "version"); !slices.Equal(got, want) {
				t.Errorf("%s: got versions %q in the plans, want %q", actor, got, want)
			}
		}
	})

	t.Run("scrubbed references", func(t *testing.T) {
		// Delegate RU sees v3 but not v2, which v3 was compared with.
		v3, err := s.Plans.FindVersionByID(f.actors[delegateRU], f.id("v3"))
		if err != nil {
			t.Fatal(err)
		}
		if v3.PreviousID != "" {
			t.Errorf("delegate-ru: got v3's previous version %q, want none (v2 is hidden)", v3.PreviousID)
		}
		if p := findPoint(t, v3, "1"); len(p.Lineage) != 0 {
			t.Errorf("delegate-ru: got v3 point 1 from %v, want no visible lineage", p.Lineage)
		}
		// Delegate UA sees v3 come from v2, and v1's point without the
		// backchannel call it was raised in.
		v3, err = s.Plans.FindVersionByID(f.actors[delegateUA], f.id("v3"))
		if err != nil {
			t.Fatal(err)
		}
		if v3.PreviousID != f.id("v2") {
			t.Errorf("delegate-ua: got v3's previous version %q, want v2 %q", v3.PreviousID, f.id("v2"))
		}
		v1, err := s.Plans.FindVersionByID(f.actors[delegateUA], f.id("v1"))
		if err != nil {
			t.Fatal(err)
		}
		if p := findPoint(t, v1, "1"); p.ContactID != "" || p.ProposedBy != f.id("us") {
			t.Errorf("delegate-ua: got v1 point 1 raised at %q by %q, want no contact (hidden) by us %q", p.ContactID, p.ProposedBy, f.id("us"))
		}
		v1, err = s.Plans.FindVersionByID(f.actors[delegateRU], f.id("v1"))
		if err != nil {
			t.Fatal(err)
		}
		if p := findPoint(t, v1, "1"); p.ContactID != f.id("back-call") {
			t.Errorf("delegate-ru: got v1 point 1 raised at %q, want the backchannel call %q", p.ContactID, f.id("back-call"))
		}
		// The observer sees the public meeting in the public channel,
		// and Witkoff's party; not Dmitriev, who is shared.
		c, err := s.Contacts.FindContactByID(f.actors[observer], f.id("public-meeting"))
		if err != nil {
			t.Fatal(err)
		}
		if c.ChannelID != f.id("istanbul") {
			t.Errorf("observer: got channel %q, want istanbul %q", c.ChannelID, f.id("istanbul"))
		}
		// Delegate RU sees the UA meeting's channel, but neither the
		// meeting nor its participant.
		c, err = s.Contacts.FindContactByID(f.actors[delegateUA], f.id("ua-meeting"))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.PersonIDs, []string{f.id("umerov")}) || !slices.Equal(c.SourceIDs, []string{f.id("memo")}) {
			t.Errorf("delegate-ua: got participants %q and sources %q, want umerov and memo", c.PersonIDs, c.SourceIDs)
		}
	})

	t.Run("search", func(t *testing.T) {
		tests := []struct {
			word string
			in   string // the record the word is in
		}{
			{"wolfram", "back-call"},
			{"quartz", "ua-meeting"},
			{"granite", "public-meeting"},
			{"obsidian", "v2"},
			{"basalt", "rl1"},
		}
		for _, tt := range tests {
			for _, actor := range actorNames {
				t.Run(tt.word+"/"+actor, func(t *testing.T) {
					hits, err := searchHits(s.Search, f.actors[actor], parley.SearchQuery{ProcessID: f.proc.ID, Text: tt.word})
					if !sees(actor, "process") {
						_, missing := s.Search.Search(f.actors[actor], parley.SearchQuery{ProcessID: madeUpID, Text: tt.word})
						wantHidden(t, "searching", err, f.proc.ID, missing)
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, h := range hits {
						got = append(got, cmpOr(h.ContactID, h.VersionID))
					}
					var want []string
					if sees(actor, tt.in) {
						want = []string{f.id(tt.in)}
					}
					if !slices.Equal(got, want) {
						t.Errorf("got hits in %q, want in %q", f.names(got), f.names(want))
					}
					f.noLeaks(t, actor, "searching", hits)
				})
			}
		}
	})

	t.Run("export", func(t *testing.T) {
		for _, actor := range actorNames {
			a, err := s.Archive.ExportProcess(f.actors[actor], f.proc.ID)
			if !sees(actor, "process") {
				_, missing := s.Archive.ExportProcess(f.actors[actor], madeUpID)
				wantHidden(t, actor+" exporting", err, f.proc.ID, missing)
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", actor, err)
			}
			var ids []string
			ids = append(ids, a.Process.ID)
			for _, r := range a.Parties {
				ids = append(ids, r.ID)
			}
			for _, r := range a.People {
				ids = append(ids, r.ID)
			}
			for _, r := range a.Channels {
				ids = append(ids, r.ID)
			}
			for _, r := range a.Sources {
				ids = append(ids, r.ID)
			}
			for _, r := range a.Contacts {
				ids = append(ids, r.ID)
			}
			for _, r := range a.Plans {
				ids = append(ids, r.ID)
			}
			for _, r := range a.Versions {
				ids = append(ids, r.ID)
			}
			want := slices.Clone(visibleTo[actor])
			slices.Sort(want)
			if got := f.names(ids); !slices.Equal(got, want) {
				t.Errorf("%s: got %q in the export, want %q", actor, got, want)
			}
			f.noLeaks(t, actor, "exporting", a)
		}
	})

	t.Run("point history", func(t *testing.T) {
		tests := []struct {
			version, point string
			want           []string // versions, by date, for an actor who sees them all
		}{
			{"v1", "1", []string{"v1", "v2", "v3"}},
			{"v3", "1", []string{"v1", "v2", "v3"}},
			{"v2", "4", []string{"v2", "v3"}},
			{"rl1", "1", []string{"rl1"}},
		}
		for _, tt := range tests {
			for _, actor := range actorNames {
				t.Run(tt.version+"."+tt.point+"/"+actor, func(t *testing.T) {
					steps, err := s.Plans.FindPointHistory(f.actors[actor], f.id(tt.version), tt.point)
					if !sees(actor, tt.version) {
						_, missing := s.Plans.FindPointHistory(f.actors[actor], madeUpID, tt.point)
						wantHidden(t, "history", err, f.id(tt.version), missing)
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					got := stepVersions(f, steps)
					var want []string
					for _, v := range tt.want {
						if sees(actor, v) {
							want = append(want, v)
						}
					}
					if !slices.Equal(got, want) {
						t.Errorf("got steps in %q, want %q", got, want)
					}
					f.noLeaks(t, actor, "history", steps)
				})
			}
		}
	})

	t.Run("points by contact", func(t *testing.T) {
		tests := []struct {
			contact string
			want    []string // versions with points raised there, for an actor who sees them all
		}{
			{"back-call", []string{"v1"}},
			{"ua-meeting", []string{"v2"}},
			{"public-meeting", []string{"v3"}},
		}
		for _, tt := range tests {
			for _, actor := range actorNames {
				t.Run(tt.contact+"/"+actor, func(t *testing.T) {
					steps, err := s.Plans.FindPointsByContact(f.actors[actor], f.id(tt.contact))
					if !sees(actor, tt.contact) {
						_, missing := s.Plans.FindPointsByContact(f.actors[actor], madeUpID)
						wantHidden(t, "points by contact", err, f.id(tt.contact), missing)
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					var want []string
					for _, v := range tt.want {
						if sees(actor, v) {
							want = append(want, v)
						}
					}
					if got := stepVersions(f, steps); !slices.Equal(got, want) {
						t.Errorf("got steps in %q, want %q", got, want)
					}
					f.noLeaks(t, actor, "points by contact", steps)
				})
			}
		}
	})
}

// stepVersions returns the names of the versions of steps, in order.
func stepVersions(f *accessFixture, steps []*parley.PointStep) []string {
	var out []string
	for _, st := range steps {
		n := f.names([]string{st.Version.ID})[0]
		out = append(out, n)
	}
	return out
}

// cmpOr returns the first of its arguments that is not empty.
func cmpOr(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// outcome is what a write may come to: done, forbidden, not found (as
// for a record that does not exist) or invalid (as for a reference to a
// record that does not exist).
type outcome string

const (
	allowed   outcome = "allowed"
	forbidden outcome = parley.EFORBIDDEN
	notFound  outcome = parley.ENOTFOUND
	invalid   outcome = parley.EINVALID
)

func testAccessWrites(t *testing.T, s *Store) {
	f := newAccessFixture(t, s)
	pid := f.proc.ID
	shared := func(parties ...string) *parley.Classification {
		c := parley.Classification{Level: parley.Shared}
		for _, p := range parties {
			c.PartyIDs = append(c.PartyIDs, f.id(p))
		}
		return &c
	}
	confidential := func(party string) *parley.Classification {
		return &parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.id(party)}}
	}
	pub := &parley.Classification{Level: parley.Public}
	sys := asSystem()
	contactAs := func(name string) *parley.Contact {
		c, err := s.Contacts.FindContactByID(sys, f.id(name))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	planAs := func(name string) *parley.Plan {
		p, err := s.Plans.FindPlanByID(sys, f.id(name))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	newContact := func(channel string, c *parley.Classification) *parley.Contact {
		ch := ""
		if channel != "" {
			ch = f.id(channel)
		}
		return &parley.Contact{ProcessID: pid, Kind: parley.Call, Status: parley.Held, Start: day(12, 1), ChannelID: ch, Classification: c}
	}
	newVersion := func(plan string, c *parley.Classification) *parley.Version {
		return &parley.Version{PlanID: f.id(plan), Label: "Draft", Date: day(12, 30), Status: parley.Draft,
			Text: "1. A new draft point.\n", Classification: *c}
	}
	point := func(version, id string, upd parley.PointUpdate) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := s.Plans.UpdatePoint(ctx, f.id(version), id, upd)
			return err
		}
	}
	tests := []struct {
		name  string
		actor string
		write func(ctx context.Context) error
		want  outcome
		// madeUp, for a write that fails as if a record did not exist,
		// is the same write naming a record that does not exist.
		madeUp func(ctx context.Context) error
		id     string // the hidden record's name, whose ID the error names
	}{
		// The frame of the process: mediators only.
		{name: "mediator renames the process", actor: mediator, want: allowed, write: func(ctx context.Context) error {
			p := *f.proc
			p.Name = "Access fixture, renamed"
			return s.Processes.UpdateProcess(ctx, &p)
		}},
		{name: "delegate renames the process", actor: delegateUA, want: forbidden, write: func(ctx context.Context) error {
			p := *f.proc
			p.Name = "Renamed by UA"
			return s.Processes.UpdateProcess(ctx, &p)
		}},
		{name: "observer renames the process", actor: observer, want: forbidden, write: func(ctx context.Context) error {
			p := *f.proc
			return s.Processes.UpdateProcess(ctx, &p)
		}},
		{name: "admin renames the process", actor: admin, want: notFound, id: "process", write: func(ctx context.Context) error {
			p := *f.proc
			return s.Processes.UpdateProcess(ctx, &p)
		}, madeUp: func(ctx context.Context) error {
			p := *f.proc
			p.ID = madeUpID
			return s.Processes.UpdateProcess(ctx, &p)
		}},
		{name: "mediator adds a party", actor: mediator, want: allowed, write: func(ctx context.Context) error {
			return s.Parties.CreateParty(ctx, &parley.Party{ProcessID: pid, Name: "EU", Kind: parley.Organisation, Classification: public})
		}},
		{name: "delegate adds a party", actor: delegateRU, want: forbidden, write: func(ctx context.Context) error {
			return s.Parties.CreateParty(ctx, &parley.Party{ProcessID: pid, Name: "Belarus", Kind: parley.State, Classification: *confidential("ru")})
		}},
		{name: "outsider adds a party", actor: outsider, want: invalid, id: "process", write: func(ctx context.Context) error {
			return s.Parties.CreateParty(ctx, &parley.Party{ProcessID: pid, Name: "X", Kind: parley.State, Classification: public})
		}, madeUp: func(ctx context.Context) error {
			return s.Parties.CreateParty(ctx, &parley.Party{ProcessID: madeUpID, Name: "X", Kind: parley.State, Classification: public})
		}},
		{name: "delegate adds a person", actor: delegateUA, want: forbidden, write: func(ctx context.Context) error {
			return s.People.CreatePerson(ctx, &parley.Person{ProcessID: pid, Name: "Adviser", PartyID: f.id("ua"), Classification: *confidential("ua")})
		}},
		{name: "delegate changes its backchannel", actor: delegateRU, want: forbidden, write: func(ctx context.Context) error {
			ch, err := s.Channels.FindChannelByID(sys, f.id("backchannel"))
			if err != nil {
				return err
			}
			ch.Classification = *shared("ru", "us")
			return s.Channels.UpdateChannel(ctx, ch)
		}},
		{name: "delegate changes a hidden channel", actor: delegateUA, want: notFound, id: "backchannel", write: func(ctx context.Context) error {
			ch, err := s.Channels.FindChannelByID(sys, f.id("backchannel"))
			if err != nil {
				return err
			}
			return s.Channels.UpdateChannel(ctx, ch)
		}, madeUp: func(ctx context.Context) error {
			ch, err := s.Channels.FindChannelByID(sys, f.id("backchannel"))
			if err != nil {
				return err
			}
			ch.ID = madeUpID
			return s.Channels.UpdateChannel(ctx, ch)
		}},
		// Contacts: a delegate writes its party's own material.
		{name: "delegate records a confidential call", actor: delegateUA, want: allowed, write: func(ctx context.Context) error {
			return s.Contacts.CreateContact(ctx, newContact("istanbul", confidential("ua")))
		}},
		{name: "delegate records a call it shares first", actor: delegateUA, want: allowed, write: func(ctx context.Context) error {
			return s.Contacts.CreateContact(ctx, newContact("istanbul", shared("ua", "us")))
		}},
		{name: "delegate records a call another shares", actor: delegateUA, want: forbidden, write: func(ctx context.Context) error {
			return s.Contacts.CreateContact(ctx, newContact("istanbul", shared("us", "ua")))
		}},
		{name: "delegate records a public call", actor: delegateUA, want: forbidden, write: func(ctx context.Context) error {
			return s.Contacts.CreateContact(ctx, newContact("istanbul", nil))
		}},
		{name: "delegate records a call confidential to another party", actor: delegateUA, want: forbidden, write: func(ctx context.Context) error {
			return s.Contacts.CreateContact(ctx, newContact("", confidential("ru")))
		}},
		{name: "delegate records a call in its backchannel shared by another", actor: delegateRU, want: forbidden, write: func(ctx context.Context) error {
			return s.Contacts.CreateContact(ctx, newContact("backchannel", nil))
		}},
		{name: "delegate records a call in a hidden channel", actor: delegateUA, want: invalid, id: "backchannel", write: func(ctx context.Context) error {
			return s.Contacts.CreateContact(ctx, newContact("backchannel", confidential("ua")))
		}, madeUp: func(ctx context.Context) error {
			c := newContact("", confidential("ua"))
			c.ChannelID = madeUpID
			return s.Contacts.CreateContact(ctx, c)
		}},
		{name: "delegate cites a hidden source", actor: delegateRU, want: invalid, id: "memo", write: func(ctx context.Context) error {
			c := newContact("", confidential("ru"))
			c.SourceIDs = []string{f.id("memo")}
			return s.Contacts.CreateContact(ctx, c)
		}, madeUp: func(ctx context.Context) error {
			c := newContact("", confidential("ru"))
			c.SourceIDs = []string{madeUpID}
			return s.Contacts.CreateContact(ctx, c)
		}},
		{name: "delegate names a hidden participant", actor: delegateRU, want: invalid, id: "umerov", write: func(ctx context.Context) error {
			c := newContact("", confidential("ru"))
			c.PersonIDs = []string{f.id("umerov")}
			return s.Contacts.CreateContact(ctx, c)
		}, madeUp: func(ctx context.Context) error {
			c := newContact("", confidential("ru"))
			c.PersonIDs = []string{madeUpID}
			return s.Contacts.CreateContact(ctx, c)
		}},
		{name: "observer records a call", actor: observer, want: forbidden, write: func(ctx context.Context) error {
			return s.Contacts.CreateContact(ctx, newContact("istanbul", nil))
		}},
		{name: "delegate edits its own meeting", actor: delegateUA, want: allowed, write: func(ctx context.Context) error {
			c := contactAs("ua-meeting")
			c.Place = "Geneva"
			return s.Contacts.UpdateContact(ctx, c)
		}},
		{name: "delegate makes its own meeting public", actor: delegateUA, want: forbidden, write: func(ctx context.Context) error {
			c := contactAs("ua-meeting")
			c.Classification = pub
			return s.Contacts.UpdateContact(ctx, c)
		}},
		{name: "delegate edits the public meeting", actor: delegateUA, want: forbidden, write: func(ctx context.Context) error {
			c := contactAs("public-meeting")
			c.Classification = confidential("ua")
			return s.Contacts.UpdateContact(ctx, c)
		}},
		{name: "delegate edits a call shared by another", actor: delegateRU, want: forbidden, write: func(ctx context.Context) error {
			c := contactAs("back-call")
			c.Classification = confidential("ru")
			return s.Contacts.UpdateContact(ctx, c)
		}},
		{name: "delegate edits a hidden call", actor: delegateUA, want: notFound, id: "back-call", write: func(ctx context.Context) error {
			c := contactAs("back-call")
			c.Classification = confidential("ua")
			c.ChannelID = ""
			return s.Contacts.UpdateContact(ctx, c)
		}, madeUp: func(ctx context.Context) error {
			c := contactAs("back-call")
			c.ID, c.Classification, c.ChannelID = madeUpID, confidential("ua"), ""
			return s.Contacts.UpdateContact(ctx, c)
		}},
		{name: "observer edits the public meeting", actor: observer, want: forbidden, write: func(ctx context.Context) error {
			return s.Contacts.UpdateContact(ctx, contactAs("public-meeting"))
		}},
		{name: "mediator edits the hidden call", actor: mediator, want: allowed, write: func(ctx context.Context) error {
			c := contactAs("back-call")
			c.Place = "Miami"
			return s.Contacts.UpdateContact(ctx, c)
		}},
		// Sources.
		{name: "delegate adds a confidential source", actor: delegateRU, want: allowed, write: func(ctx context.Context) error {
			return s.Sources.CreateSource(ctx, &parley.Source{ProcessID: pid, Title: "Kremlin note", Reliability: "C", Credibility: 3, Classification: *confidential("ru")})
		}},
		{name: "delegate adds a public source", actor: delegateRU, want: forbidden, write: func(ctx context.Context) error {
			return s.Sources.CreateSource(ctx, &parley.Source{ProcessID: pid, Title: "TASS", Reliability: "C", Credibility: 3, Classification: public})
		}},
		{name: "delegate edits a hidden source", actor: delegateRU, want: notFound, id: "memo", write: func(ctx context.Context) error {
			return s.Sources.UpdateSource(ctx, &parley.Source{ID: f.id("memo"), ProcessID: pid, Title: "Memo", Reliability: "C", Credibility: 3, Classification: *confidential("ru")})
		}, madeUp: func(ctx context.Context) error {
			return s.Sources.UpdateSource(ctx, &parley.Source{ID: madeUpID, ProcessID: pid, Title: "Memo", Reliability: "C", Credibility: 3, Classification: *confidential("ru")})
		}},
		// Plans and versions.
		{name: "delegate opens a confidential plan", actor: delegateRU, want: allowed, write: func(ctx context.Context) error {
			return s.Plans.CreatePlan(ctx, &parley.Plan{ProcessID: pid, Title: "Russian memorandum", Classification: *confidential("ru")})
		}},
		{name: "delegate opens a public plan", actor: delegateRU, want: forbidden, write: func(ctx context.Context) error {
			return s.Plans.CreatePlan(ctx, &parley.Plan{ProcessID: pid, Title: "Public memorandum", Classification: public})
		}},
		{name: "delegate models a plan on a hidden one", actor: delegateRU, want: invalid, id: "red-lines", write: func(ctx context.Context) error {
			return s.Plans.CreatePlan(ctx, &parley.Plan{ProcessID: pid, Title: "Copy", TemplateID: f.id("red-lines"), Classification: *confidential("ru")})
		}, madeUp: func(ctx context.Context) error {
			return s.Plans.CreatePlan(ctx, &parley.Plan{ProcessID: pid, Title: "Copy", TemplateID: madeUpID, Classification: *confidential("ru")})
		}},
		{name: "delegate retitles its own plan", actor: delegateUA, want: allowed, write: func(ctx context.Context) error {
			p := planAs("red-lines")
			p.Title = "Red lines, revised"
			return s.Plans.UpdatePlan(ctx, p)
		}},
		{name: "delegate retitles the public plan", actor: delegateUA, want: forbidden, write: func(ctx context.Context) error {
			p := planAs("plan")
			p.Title = "Renamed"
			return s.Plans.UpdatePlan(ctx, p)
		}},
		{name: "delegate retitles a hidden plan", actor: delegateRU, want: notFound, id: "red-lines", write: func(ctx context.Context) error {
			p := planAs("red-lines")
			p.Classification = *confidential("ru")
			return s.Plans.UpdatePlan(ctx, p)
		}, madeUp: func(ctx context.Context) error {
			p := planAs("red-lines")
			p.ID, p.Classification = madeUpID, *confidential("ru")
			return s.Plans.UpdatePlan(ctx, p)
		}},
		{name: "delegate adds a confidential version", actor: delegateUA, want: allowed, write: func(ctx context.Context) error {
			return s.Plans.CreateVersion(ctx, newVersion("plan", confidential("ua")))
		}},
		{name: "delegate adds a public version", actor: delegateUA, want: forbidden, write: func(ctx context.Context) error {
			return s.Plans.CreateVersion(ctx, newVersion("plan", pub))
		}},
		{name: "delegate adds a version to a hidden plan", actor: delegateRU, want: notFound, id: "red-lines", write: func(ctx context.Context) error {
			return s.Plans.CreateVersion(ctx, newVersion("red-lines", confidential("ru")))
		}, madeUp: func(ctx context.Context) error {
			v := newVersion("red-lines", confidential("ru"))
			v.PlanID = madeUpID
			return s.Plans.CreateVersion(ctx, v)
		}},
		{name: "observer adds a version", actor: observer, want: forbidden, write: func(ctx context.Context) error {
			return s.Plans.CreateVersion(ctx, newVersion("plan", pub))
		}},
		// Points of versions.
		{name: "delegate tags a point of its own version", actor: delegateUA, want: allowed,
			write: point("v2", "4", parley.PointUpdate{Tags: &[]string{"security guarantees"}})},
		{name: "delegate tags a point of a public version", actor: delegateUA, want: forbidden,
			write: point("v1", "1", parley.PointUpdate{Tags: &[]string{"ceasefire"}})},
		{name: "delegate tags a point of a hidden version", actor: delegateRU, want: notFound, id: "v2",
			write: point("v2", "4", parley.PointUpdate{Tags: &[]string{"ceasefire"}}),
			madeUp: func(ctx context.Context) error {
				_, err := s.Plans.UpdatePoint(ctx, madeUpID, "4", parley.PointUpdate{Tags: &[]string{"ceasefire"}})
				return err
			}},
		{name: "delegate raises its point at a hidden call", actor: delegateUA, want: invalid, id: "back-call",
			write: point("v2", "4", parley.PointUpdate{ContactID: ptr(f.id("back-call"))}),
			madeUp: func(ctx context.Context) error {
				return point("v2", "4", parley.PointUpdate{ContactID: ptr(madeUpID)})(ctx)
			}},
		{name: "mediator annotates any point", actor: mediator, want: allowed,
			write: point("v1", "2", parley.PointUpdate{ProposedBy: ptr(f.id("us"))})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := f.actors[tt.actor]
			err := tt.write(ctx)
			if tt.want == allowed {
				if err != nil {
					t.Errorf("got %v, want it allowed", err)
				}
				return
			}
			if code := parley.ErrorCode(err); code != string(tt.want) {
				t.Errorf("got %v, want a %s error", err, tt.want)
				return
			}
			if tt.madeUp != nil {
				wantHidden(t, tt.name, err, f.id(tt.id), tt.madeUp(ctx))
			}
		})
	}

	t.Run("no actor", func(t *testing.T) {
		none := context.Background()
		p := &parley.Process{Name: "Anonymous", Classification: public}
		wantCode(t, "creating a process", s.Processes.CreateProcess(none, p), parley.EUNAUTHORIZED, "")
		party := &parley.Party{ProcessID: pid, Name: "Anonymous", Kind: parley.State, Classification: public}
		err := s.Parties.CreateParty(none, party)
		if code := parley.ErrorCode(err); code != parley.EUNAUTHORIZED && code != parley.ENOTFOUND && code != parley.EINVALID {
			t.Errorf("creating a party: got %v, want it refused", err)
		}
		c := contactAs("public-meeting")
		c.Place = "Nowhere"
		if err := s.Contacts.UpdateContact(none, c); err == nil {
			t.Errorf("updating a contact: got it done, want it refused")
		}
		if p.ID != "" || party.ID != "" || contactAs("public-meeting").Place == "Nowhere" {
			t.Errorf("writes without an actor stored something")
		}
	})

	t.Run("creator mediates", func(t *testing.T) {
		ctx := f.actors[outsider]
		p := &parley.Process{Name: "Outsider's own", Classification: parley.Classification{Level: parley.MediatorsOnly}}
		if err := s.Processes.CreateProcess(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Processes.FindProcessByID(ctx, p.ID); err != nil {
			t.Errorf("the creator reads the process: %v", err)
		}
		next, err := f.session(outsider)
		if err != nil {
			t.Fatal(err)
		}
		if acc := parley.ActorFrom(next).In(p.ID); !acc.Mediator() {
			t.Errorf("the creator's next session: got access %+v, want a mediator", acc)
		}
		if _, err := s.Processes.FindProcessByID(f.actors[admin], p.ID); parley.ErrorCode(err) != parley.ENOTFOUND {
			t.Errorf("an administrator reads another's process: got %v, want not found", err)
		}
	})
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

func testAccessRevocation(t *testing.T, s *Store) {
	f := newAccessFixture(t, s)
	med := f.actors[mediator]
	readV2 := func(n string) error {
		ctx, err := f.session(n)
		if err != nil {
			return err
		}
		_, err = s.Plans.FindVersionByID(ctx, f.id("v2"))
		return err
	}
	readProcess := func(n string) error {
		ctx, err := f.session(n)
		if err != nil {
			return err
		}
		_, err = s.Processes.FindProcessByID(ctx, f.proc.ID)
		return err
	}

	t.Run("downgrade", func(t *testing.T) {
		if err := readV2(delegateUA); err != nil {
			t.Fatalf("before: %v", err)
		}
		m := &parley.Membership{UserID: f.users[delegateUA].ID, ProcessID: f.proc.ID, Role: parley.RoleObserver}
		if err := s.Users.SetMembership(med, m); err != nil {
			t.Fatal(err)
		}
		if err := readV2(delegateUA); parley.ErrorCode(err) != parley.ENOTFOUND {
			t.Errorf("after becoming an observer: got %v, want not found", err)
		}
		if err := readProcess(delegateUA); err != nil {
			t.Errorf("an observer reads the public process: %v", err)
		}
	})

	t.Run("removal", func(t *testing.T) {
		if err := s.Users.RemoveMembership(med, f.users[delegateUA].ID, f.proc.ID); err != nil {
			t.Fatal(err)
		}
		if err := readProcess(delegateUA); parley.ErrorCode(err) != parley.ENOTFOUND {
			t.Errorf("after removal: got %v, want not found", err)
		}
		ctx, err := f.session(delegateUA)
		if err != nil {
			t.Fatal(err)
		}
		if ps, total, err := s.Processes.FindProcesses(ctx, parley.ProcessFilter{}); err != nil || len(ps) != 0 || total != 0 {
			t.Errorf("after removal: got %d processes of %d (%v), want none", len(ps), total, err)
		}
	})

	t.Run("disabled", func(t *testing.T) {
		if err := readProcess(delegateRU); err != nil {
			t.Fatalf("before: %v", err)
		}
		if err := s.Users.SetDisabled(f.actors[admin], f.users[delegateRU].ID, true); err != nil {
			t.Fatal(err)
		}
		if err := readProcess(delegateRU); parley.ErrorCode(err) != parley.EUNAUTHORIZED {
			t.Errorf("after disabling: got %v, want unauthorized", err)
		}
		if _, _, err := s.Auth.SignIn(context.Background(), delegateRU, f.passwords[delegateRU], "192.0.2.1"); parley.ErrorCode(err) != parley.EUNAUTHORIZED {
			t.Errorf("signing in disabled: got %v, want unauthorized", err)
		}
		if err := s.Users.SetDisabled(f.actors[admin], f.users[delegateRU].ID, false); err != nil {
			t.Fatal(err)
		}
		f.signIn(t, delegateRU)
	})

	t.Run("share withdrawn", func(t *testing.T) {
		ru := f.actors[delegateRU]
		if _, err := s.Contacts.FindContactByID(ru, f.id("back-call")); err != nil {
			t.Fatalf("before: %v", err)
		}
		c, err := s.Contacts.FindContactByID(med, f.id("back-call"))
		if err != nil {
			t.Fatal(err)
		}
		c.Classification = &parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.id("us")}}
		if err := s.Contacts.UpdateContact(med, c); err != nil {
			t.Fatal(err)
		}
		_, err = s.Contacts.FindContactByID(ru, f.id("back-call"))
		_, missing := s.Contacts.FindContactByID(ru, madeUpID)
		wantHidden(t, "reading the withdrawn call", err, f.id("back-call"), missing)
		hits, err := searchHits(s.Search, ru, parley.SearchQuery{ProcessID: f.proc.ID, Text: "wolfram"})
		if err != nil || len(hits) != 0 {
			t.Errorf("searching the withdrawn call: got %d hits (%v), want none", len(hits), err)
		}
		v1, err := s.Plans.FindVersionByID(ru, f.id("v1"))
		if err != nil {
			t.Fatal(err)
		}
		if p := findPoint(t, v1, "1"); p.ContactID != "" {
			t.Errorf("got v1 point 1 raised at %q, want no contact: the call is withdrawn", p.ContactID)
		}
		// The channel itself is still shared: withdrawing the call's
		// share leaves it.
		if _, err := s.Channels.FindChannelByID(ru, f.id("backchannel")); err != nil {
			t.Errorf("reading the backchannel: %v", err)
		}
		ch, err := s.Channels.FindChannelByID(med, f.id("backchannel"))
		if err != nil {
			t.Fatal(err)
		}
		ch.Classification = parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.id("us")}}
		if err := s.Channels.UpdateChannel(med, ch); err != nil {
			t.Fatal(err)
		}
		_, err = s.Channels.FindChannelByID(ru, f.id("backchannel"))
		_, missing = s.Channels.FindChannelByID(ru, madeUpID)
		wantHidden(t, "reading the withdrawn channel", err, f.id("backchannel"), missing)
	})
}
