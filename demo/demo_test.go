package demo_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"parley"
	"parley/demo"
	"parley/sqlite"
)

// MustOpen opens a migrated SQLite database in a fresh file, closed at the
// end of the test, and returns the services the demo writes through.
func MustOpen(tb testing.TB) parley.Services {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "parley.db"), sqlite.Options{Migrate: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db.Services()
}

// MustLoad loads the demo and returns its process ID.
func MustLoad(tb testing.TB, s parley.Services) string {
	tb.Helper()
	id, err := demo.Load(asSystem(), s)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// counts are how many records of each kind a process holds.
type counts struct{ parties, people, channels, contacts, sources, plans, versions int }

func mustCount(t *testing.T, s parley.Services, processID string) counts {
	t.Helper()
	ctx := asSystem()
	var c counts
	parties, err1 := s.Parties.FindParties(ctx, processID)
	people, err2 := s.People.FindPeople(ctx, processID)
	channels, err3 := s.Channels.FindChannels(ctx, processID)
	contacts, err4 := s.Contacts.FindContacts(ctx, processID)
	sources, err5 := s.Sources.FindSources(ctx, processID)
	plans, err6 := s.Plans.FindPlans(ctx, processID)
	if err := errors.Join(err1, err2, err3, err4, err5, err6); err != nil {
		t.Fatal(err)
	}
	c.parties, c.people, c.channels, c.contacts, c.sources, c.plans =
		len(parties), len(people), len(channels), len(contacts), len(sources), len(plans)
	for _, p := range plans {
		c.versions += len(p.Versions)
	}
	return c
}

// theCase is what the case file's timeline and plans add up to, with the
// three parties' internal notes among the contacts.
var theCase = counts{parties: 4, people: 9, channels: 5, contacts: 14, sources: 14, plans: 3, versions: 5}

// fixture is a loaded demo and the records the tests look at.
type fixture struct {
	s         parley.Services
	processID string
	parties   map[string]*parley.Party   // by name
	plans     map[string]*parley.Plan    // by title
	versions  map[string]*parley.Version // by label, with text and points
}

func mustFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := asSystem()
	f := &fixture{s: MustOpen(t), parties: map[string]*parley.Party{}, plans: map[string]*parley.Plan{},
		versions: map[string]*parley.Version{}}
	f.processID = MustLoad(t, f.s)
	parties, err := f.s.Parties.FindParties(ctx, f.processID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parties {
		f.parties[p.Name] = p
	}
	plans, err := f.s.Plans.FindPlans(ctx, f.processID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		f.plans[p.Title] = p
		for _, v := range p.Versions {
			full, err := f.s.Plans.FindVersionByID(ctx, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			f.versions[v.Label] = full
		}
	}
	return f
}

func (f *fixture) version(t *testing.T, label string) *parley.Version {
	t.Helper()
	v := f.versions[label]
	if v == nil {
		t.Fatalf("no version labelled %q among %v", label, keys(f.versions))
	}
	return v
}

func (f *fixture) party(t *testing.T, name string) *parley.Party {
	t.Helper()
	p := f.parties[name]
	if p == nil {
		t.Fatalf("no party named %q among %v", name, keys(f.parties))
	}
	return p
}

// point returns a point of a version, failing the test when there is none.
func point(t *testing.T, v *parley.Version, id string) *parley.Point {
	t.Helper()
	p := v.Point(id)
	if p == nil {
		t.Fatalf("%s has no point %s", v.Label, id)
	}
	return p
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestLoadCounts(t *testing.T) {
	f := mustFixture(t)
	if got := mustCount(t, f.s, f.processID); got != theCase {
		t.Errorf("got %+v, want %+v", got, theCase)
	}
	p, err := f.s.Processes.FindProcessByID(asSystem(), f.processID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != demo.Name || p.Classification.Level != parley.Public || len(p.Summary) < 200 {
		t.Errorf("process %q, %v, summary of %d bytes; want %q, public, a summary that tells the story",
			p.Name, p.Classification, len(p.Summary), demo.Name)
	}
}

func TestLoadTwiceStoresNothingNew(t *testing.T) {
	s := MustOpen(t)
	first := MustLoad(t, s)
	before := mustCount(t, s, first)
	second := MustLoad(t, s)
	if second != first {
		t.Errorf("second load returned process %s, want the first one, %s", second, first)
	}
	if after := mustCount(t, s, first); after != before {
		t.Errorf("after a second load: %+v, want %+v", after, before)
	}
	if _, total, err := s.Processes.FindProcesses(asSystem(), parley.ProcessFilter{}); err != nil || total != 1 {
		t.Errorf("got %d processes (%v), want 1", total, err)
	}
}

// failingContacts refuses to store contacts after the first few, as a
// store that fails half-way through a load would.
type failingContacts struct {
	parley.ContactService
	left int
}

func (f *failingContacts) CreateContact(ctx context.Context, c *parley.Contact) error {
	if f.left == 0 {
		return errors.New("disk full")
	}
	f.left--
	return f.ContactService.CreateContact(ctx, c)
}

func TestLoadAfterFailedLoad(t *testing.T) {
	ctx := asSystem()
	s := MustOpen(t)
	broken := s
	broken.Contacts = &failingContacts{ContactService: s.Contacts, left: 3}
	if _, err := demo.Load(ctx, broken); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v, want the store's error", err)
	}
	id := MustLoad(t, s)
	if got := mustCount(t, s, id); got != theCase {
		t.Errorf("a load after a failed one: got %+v, want the whole case %+v", got, theCase)
	}
	name := demo.Name
	if list, _, err := s.Processes.FindProcesses(ctx, parley.ProcessFilter{Name: &name}); err != nil || len(list) != 1 || list[0].ID != id {
		t.Errorf("processes named %q: %d (%v), want only the complete one", name, len(list), err)
	}
}

func TestEverythingCitesASource(t *testing.T) {
	f := mustFixture(t)
	contacts, err := f.s.Contacts.FindContacts(asSystem(), f.processID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range contacts {
		// The parties' internal notes are illustrative: no source has them.
		internal := c.Classification != nil && c.Classification.Level == parley.Confidential
		if len(c.SourceIDs) == 0 && !internal {
			t.Errorf("contact %s of %s cites no source", c.Kind, c.Start.Format("2 Jan"))
		}
	}
	for label, v := range f.versions {
		if len(v.SourceIDs) == 0 {
			t.Errorf("version %q cites no source", label)
		}
	}
}

func TestContacts(t *testing.T) {
	f := mustFixture(t)
	ctx := asSystem()
	contacts, err := f.s.Contacts.FindContacts(ctx, f.processID)
	if err != nil {
		t.Fatal(err)
	}
	channels, err := f.s.Channels.FindChannels(ctx, f.processID)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*parley.Channel{}
	for _, c := range channels {
		byName[c.Name] = c
	}
	us, ru := f.party(t, "United States"), f.party(t, "Russia")
	if us.Kind != parley.Mediator {
		t.Errorf("the United States is a %s, want a mediator", us.Kind)
	}
	back := byName["US–Russia backchannel"]
	if back == nil || back.Kind != parley.Backchannel || back.Classification.Level != parley.Shared ||
		!sameSet(back.Classification.PartyIDs, []string{us.ID, ru.ID}) || !sameSet(back.PartyIDs, []string{us.ID, ru.ID}) {
		t.Errorf("backchannel: %+v; want a backchannel of the US and Russia, shared with them", back)
	}
	internal := byName["Russian internal"]
	if internal == nil || internal.Classification.Level != parley.Confidential || !slices.Equal(internal.Classification.PartyIDs, []string{ru.ID}) {
		t.Errorf("Russian internal channel: %+v; want it confidential to Russia", internal)
	}

	var budapest, call14 *parley.Contact
	for i, c := range contacts {
		if i > 0 && c.Start.Before(contacts[i-1].Start) {
			t.Errorf("contact %d starts before the one listed before it", i)
		}
		if zone := c.Start.Location().String(); !strings.Contains(zone, "/") {
			t.Errorf("contact of %s is in zone %q, want a local IANA zone", c.Start.Format("2 Jan"), zone)
		}
		if c.Start.Hour() != 12 || !strings.Contains(c.Summary, "noon") && !strings.Contains(c.Summary, "No date") {
			t.Errorf("contact of %s: starts at %s; only its day is known, so want noon and a summary that says so",
				c.Start.Format("2 Jan"), c.Start.Format("15:04"))
		}
		if c.Kind == parley.Summit {
			budapest = c
		}
		if c.ChannelID == back.ID && c.Kind == parley.Call {
			call14 = c
		}
	}
	if budapest == nil || budapest.Status != parley.Shelved || budapest.Place != "Budapest" {
		t.Errorf("Budapest summit: %+v; want it shelved", budapest)
	}
	if call14 == nil || call14.Minutes != 5 || call14.Start.Location().String() != "Europe/Moscow" || call14.Classification != nil {
		t.Errorf("the 14 October call: %+v; want 5 minutes, Moscow time, the backchannel's classification", call14)
	}
}

func TestVersions(t *testing.T) {
	f := mustFixture(t)
	gaza, ukraine, e3 := f.plans["Gaza: the 20-point plan"], f.plans["Peace plan for Ukraine"], f.plans["European counter-proposal"]
	if gaza == nil || ukraine == nil || e3 == nil {
		t.Fatalf("plans %v; want the Gaza plan, the Ukraine plan and the European counter-proposal", keys(f.plans))
	}
	if ukraine.TemplateID != gaza.ID || e3.TemplateID != ukraine.ID {
		t.Errorf("templates: Ukraine %q, E3 %q; want the Gaza plan and the Ukraine plan", ukraine.TemplateID, e3.TemplateID)
	}
	var labels []string
	for _, v := range ukraine.Versions {
		labels = append(labels, v.Label)
	}
	if want := []string{"US 28-point plan", "Geneva revision (19 points)", "20-point framework"}; !slices.Equal(labels, want) {
		t.Errorf("versions of the Ukraine plan: %q, want %q", labels, want)
	}

	geneva := f.version(t, "Geneva revision (19 points)")
	if !geneva.TextUnknown || geneva.PointCount != 19 || len(geneva.Points) != 0 || !strings.Contains(geneva.ReportedChanges, "amnesty") {
		t.Errorf("Geneva: text unknown %v, %d points counted, %d parsed, changes %q; want an unknown text of 19 points with its reported changes",
			geneva.TextUnknown, geneva.PointCount, len(geneva.Points), geneva.ReportedChanges)
	}
	for label, want := range map[string]int{"Gaza 20-point plan": 20, "US 28-point plan": 28, "E3 counter-proposal": 27, "20-point framework": 20} {
		v := f.version(t, label)
		top := 0
		for _, p := range v.Points {
			if p.Depth == 0 {
				top++
			}
		}
		if top != want || v.PointCount != want {
			t.Errorf("%s: %d top-level points (count %d), want %d", label, top, v.PointCount, want)
		}
	}
	if v := f.version(t, "E3 counter-proposal"); v.AuthorPartyID != f.party(t, "E3 (France, Germany, United Kingdom)").ID {
		t.Errorf("the E3 counter-proposal is by %q, want the E3", v.AuthorPartyID)
	}
}

func TestTags(t *testing.T) {
	f := mustFixture(t)
	for label, v := range f.versions {
		for _, p := range v.Points {
			if len(p.Tags) == 0 {
				t.Errorf("%s, point %s has no topic", label, p.ID)
			}
			for _, tag := range p.Tags {
				if !parley.IsTopic(tag) {
					t.Errorf("%s, point %s: %q is not a topic", label, p.ID, tag)
				}
			}
		}
	}
	if got := point(t, f.version(t, "20-point framework"), "8").Tags; !slices.Equal(got, []string{"reconstruction"}) {
		t.Errorf("framework 8 (from 28-point 12): tags %q, want those of its origin", got)
	}
}

func TestLineage(t *testing.T) {
	f := mustFixture(t)
	gaza, us := f.version(t, "Gaza 20-point plan"), f.version(t, "US 28-point plan")
	e3, fw := f.version(t, "E3 counter-proposal"), f.version(t, "20-point framework")
	board := parley.PointRef{VersionID: gaza.ID, PointID: "9"}
	council := point(t, us, "27")
	if !slices.Equal(council.Lineage, []parley.PointRef{board}) || council.Origin != board {
		t.Errorf("the Peace Council (28-point 27): lineage %v, origin %v; want the Board of Peace, Gaza 9", council.Lineage, council.Origin)
	}
	if council.ProposedBy != f.party(t, "United States").ID || council.ContactID == "" {
		t.Errorf("the Peace Council: proposed by %q in contact %q; want the United States, in the call of 14 October",
			council.ProposedBy, council.ContactID)
	}
	// The origin travels down both lines drawn from the 28 points.
	for _, p := range []*parley.Point{point(t, e3, "26"), point(t, fw, "19")} {
		if p.Origin != board {
			t.Errorf("%s: origin %v, want the Board of Peace", p.Text, p.Origin)
		}
	}
	// Rewritten European points are linked to the points they replace.
	territory := point(t, e3, "21")
	if want := []parley.PointRef{{VersionID: us.ID, PointID: "21"}}; !slices.Equal(territory.Lineage, want) ||
		!slices.Contains(territory.Tags, "territory") || territory.ProposedBy != f.party(t, "E3 (France, Germany, United Kingdom)").ID {
		t.Errorf("E3 21: lineage %v, tags %q, proposed by %q; want from 28-point 21, about territory, by the E3",
			territory.Lineage, territory.Tags, territory.ProposedBy)
	}
	if p := point(t, fw, "10"); len(p.Lineage) != 0 {
		t.Errorf("framework 10 (free trade) is new, but comes from %v", p.Lineage)
	}
}

func TestHistorySplit(t *testing.T) {
	f := mustFixture(t)
	ctx := asSystem()
	us, fw := f.version(t, "US 28-point plan"), f.version(t, "20-point framework")
	steps, err := f.s.Plans.FindPointHistory(ctx, us.ID, "12")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, st := range steps {
		if st.Version.ID == fw.ID {
			for _, p := range st.Points {
				ids = append(ids, p.ID)
			}
		}
	}
	if !slices.Equal(ids, []string{"8", "9"}) {
		t.Errorf("28-point 12 becomes framework %q, want the split into 8 and 9", ids)
	}
	if steps[0].Version.ID != us.ID {
		t.Errorf("the history of 28-point 12 starts at %q, want the 28 points", steps[0].Version.Label)
	}
	// The points reported dropped have no successor in the framework.
	for _, id := range []string{"3", "4", "7", "8", "9", "13", "14", "15", "17", "26"} {
		steps, err := f.s.Plans.FindPointHistory(ctx, us.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range steps {
			if st.Version.ID == fw.ID {
				t.Errorf("28-point %s, reported dropped, continues as framework %s", id, st.Points[0].ID)
			}
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// BenchmarkLoad measures a load into a fresh database, as `parley serve
// --demo` does at every start (target: well under 300 ms).
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s := MustOpen(b)
		b.StartTimer()
		MustLoad(b, s)
	}
}

// asSystem returns a context acting as the system, as the server does
// when it loads the demo.
func asSystem() context.Context { return parley.WithActor(context.Background(), parley.System) }

func TestAccounts(t *testing.T) {
	f := mustFixture(t)
	accounts, err := demo.Accounts(asSystem(), f.s, f.processID, "a demo password of some length")
	if err != nil {
		t.Fatal(err)
	}
	roles := map[parley.Role]int{}
	for _, a := range accounts {
		roles[a.Role]++
	}
	if roles[parley.RoleMediator] != 1 || roles[parley.RoleDelegate] != 4 || roles[parley.RoleObserver] != 1 {
		t.Errorf("got roles %v, want one mediator, a delegate for each of the 4 parties, one observer", roles)
	}
	// Idempotent: a second call keeps the accounts and their passwords.
	if _, err := demo.Accounts(asSystem(), f.s, f.processID, "another password entirely"); err != nil {
		t.Fatalf("second call: %v", err)
	}
	if _, _, err := f.s.Auth.SignIn(context.Background(), "ukraine", "a demo password of some length", "127.0.0.1"); err != nil {
		t.Fatalf("the first password no longer works: %v", err)
	}
	// Ukraine's delegate sees Ukraine's note, not Russia's internal call
	// or the backchannel's calls.
	_, ua, err := f.s.Auth.SignIn(context.Background(), "ukraine", "a demo password of some length", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	all, err := f.s.Contacts.FindContacts(asSystem(), f.processID)
	if err != nil {
		t.Fatal(err)
	}
	seen, err := f.s.Contacts.FindContacts(parley.WithActor(context.Background(), ua), f.processID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(seen), len(all)-5; got != want {
		t.Errorf("Ukraine's delegate sees %d of %d contacts, want %d (not the 2 backchannel calls, the Russian internal call, the US and E3 notes)", got, len(all), want)
	}
}
