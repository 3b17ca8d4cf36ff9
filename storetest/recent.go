package storetest

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"parley"
)

func init() {
	suites["recent"] = inParts(part{"order", testRecentOrder}, part{"access", testRecentAccess},
		part{"audit", testRecentAudit}, part{"many classifications", testRecentManyClasses},
		part{"counts follow changes", testRecentCountsFollow})
}

// recentKind reaches the latest records of one kind: FindRecentContacts
// or FindRecentSources, and the full list they must agree with.
type recentKind[T any] struct {
	what   string
	recent func(ctx context.Context, processID string, limit, offset int) ([]*T, int, error)
	list   func(ctx context.Context, processID string) ([]*T, error)
	id     func(*T) string
	// order compares two records as the latest come: negative when a
	// comes before b.
	order func(a, b *T) int
	same  func(a, b *T) bool
}

// recentContacts reaches the latest contacts: the latest to start first,
// contacts of one instant by ID, the greater first.
func recentContacts(s *Store) recentKind[parley.Contact] {
	return recentKind[parley.Contact]{what: "contact", recent: s.Contacts.FindRecentContacts, list: s.Contacts.FindContacts,
		id: func(c *parley.Contact) string { return c.ID }, same: sameContact, order: newestContact}
}

// newestContact orders contacts the latest to start first.
func newestContact(a, b *parley.Contact) int {
	return cmp.Or(b.Start.Compare(a.Start), cmp.Compare(b.ID, a.ID))
}

// recentSources reaches the latest sources: the latest published first,
// undated ones last, sources of one date by ID, the greater first.
func recentSources(s *Store) recentKind[parley.Source] {
	return recentKind[parley.Source]{what: "source", recent: s.Sources.FindRecentSources, list: s.Sources.FindSources,
		id: func(s *parley.Source) string { return s.ID }, order: newestSource,
		same: func(a, b *parley.Source) bool { return reflect.DeepEqual(a, b) }}
}

// newestSource orders sources the latest published first, undated ones
// last.
func newestSource(a, b *parley.Source) int {
	return cmp.Or(cmp.Compare(bool01(a.Published.IsZero()), bool01(b.Published.IsZero())),
		b.Published.Compare(a.Published), cmp.Compare(b.ID, a.ID))
}

func bool01(b bool) int {
	if b {
		return 1
	}
	return 0
}

// latest returns the records the actor of ctx may see in a process, as
// the full list has them, in the order of the latest.
func (k recentKind[T]) latest(t *testing.T, ctx context.Context, processID string) []*T {
	t.Helper()
	rs, err := k.list(ctx, processID)
	if err != nil {
		t.Fatalf("listing the %ss: %v", k.what, err)
	}
	return slices.SortedStableFunc(slices.Values(rs), k.order)
}

// ids returns the IDs of records.
func (k recentKind[T]) ids(rs []*T) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = k.id(r)
	}
	return out
}

// checkPages reads every page of every limit and offset given and wants
// the slice of want (the records the actor sees, in order) that each
// names, each record as the full list reads it (the same references
// removed), and the count of want.
func (k recentKind[T]) checkPages(t *testing.T, ctx context.Context, processID string, want []*T, limits, offsets []int) {
	t.Helper()
	for _, limit := range limits {
		for _, offset := range offsets {
			got, total, err := k.recent(ctx, processID, limit, offset)
			if err != nil {
				t.Errorf("%d %ss after %d: %v", limit, k.what, offset, err)
				continue
			}
			if total != len(want) {
				t.Errorf("%d %ss after %d: got a count of %d, want %d", limit, k.what, offset, total, len(want))
			}
			page := want[min(offset, len(want)):min(offset+limit, len(want))]
			if !slices.Equal(k.ids(got), k.ids(page)) {
				t.Errorf("%d %ss after %d: got %q, want %q", limit, k.what, offset, k.ids(got), k.ids(page))
				continue
			}
			for i := range got {
				if !k.same(got[i], page[i]) {
					t.Errorf("%d %ss after %d: got %+v, want %+v as the full list reads it", limit, k.what, offset, got[i], page[i])
				}
			}
		}
	}
}

// checkRefusals wants the reads a store refuses refused: a negative limit
// or offset, and a process that does not exist or that the actor may not
// see, the latter two as the full list refuses them.
func (k recentKind[T]) checkRefusals(t *testing.T, ctx context.Context, processID string) {
	t.Helper()
	for _, lo := range [][2]int{{-1, 0}, {10, -1}} {
		_, _, err := k.recent(ctx, processID, lo[0], lo[1])
		wantCode(t, fmt.Sprintf("%d %ss after %d", lo[0], k.what, lo[1]), err, parley.EINVALID, "")
	}
	for _, pid := range []string{"nosuchprocess", processID} {
		_, listErr := k.list(ctx, pid)
		if listErr == nil {
			continue // the actor sees this process
		}
		rs, total, err := k.recent(ctx, pid, 10, 0)
		if parley.ErrorCode(err) != parley.ErrorCode(listErr) || parley.ErrorMessage(err) != parley.ErrorMessage(listErr) {
			t.Errorf("the latest %ss of process %q: got %v, want %v as the full list says", k.what, pid, err, listErr)
		}
		if len(rs) != 0 || total != 0 {
			t.Errorf("the latest %ss of process %q: got %d and a count of %d, want nothing", k.what, pid, len(rs), total)
		}
	}
}

// testRecentOrder checks the order, the limits, the offsets and the counts
// of the latest records, with contacts that start at one instant in
// different zones, a fraction of a second apart, and sources of one date,
// undated, and a fraction of a second apart.
func testRecentOrder(t *testing.T, s *Store) {
	ctx := asSystem()
	f := newFixture(t, s)
	pid := f.proc.ID
	moscow, washington := mustZone(t, "Europe/Moscow"), mustZone(t, "America/New_York")
	talks := must(t, s.Channels.CreateChannel, &parley.Channel{ProcessID: pid, Name: "Talks", Kind: parley.Official, Classification: public})
	var made []*parley.Contact
	for i := range 23 {
		start := time.Date(2025, 3, 1+i%9, 10, 0, 0, 0, moscow)
		switch i % 4 {
		case 1: // the same instant on another clock
			start = start.In(washington)
		case 2: // half a second later
			start = start.Add(500 * time.Millisecond)
		}
		c := &parley.Contact{ProcessID: pid, Kind: parley.Call, Status: parley.Held, Start: start, ChannelID: talks.ID}
		if i%3 == 0 {
			c.ChannelID, c.Classification = "", &public
		}
		made = append(made, must(t, s.Contacts.CreateContact, c))
	}
	var sources []*parley.Source
	for i := range 23 {
		src := &parley.Source{ProcessID: pid, Title: fmt.Sprint("Report ", i), Reliability: "B", Credibility: 2, Classification: public}
		switch i % 4 {
		case 0: // undated
		case 1:
			src.Published = day(time.April, 1+i%5)
		case 2:
			src.Published = day(time.April, 1+i%5).Add(500 * time.Millisecond)
		case 3:
			src.Published = day(time.April, 1+i%5).Add(250 * time.Millisecond)
		}
		sources = append(sources, must(t, s.Sources.CreateSource, src))
	}
	// Records of another process count for nothing.
	must(t, s.Contacts.CreateContact, &parley.Contact{ProcessID: f.other.ID, Kind: parley.Call, Status: parley.Held,
		Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Classification: &public})
	must(t, s.Sources.CreateSource, &parley.Source{ProcessID: f.other.ID, Title: "Elsewhere", Published: day(time.December, 1),
		Reliability: "A", Credibility: 1, Classification: public})

	limits, offsets := []int{0, 1, 5, 15, 23, 40}, []int{0, 1, 7, 15, 22, 23, 100}
	t.Run("contacts", func(t *testing.T) {
		k := recentContacts(s)
		want := k.latest(t, ctx, pid)
		// The order is checked against the records as they were made, not
		// only as the store lists them.
		if got, made := k.ids(want), k.ids(slices.SortedStableFunc(slices.Values(made), newestContact)); !slices.Equal(got, made) {
			t.Fatalf("the full list in the order of the latest is %q, want %q", got, made)
		}
		k.checkPages(t, ctx, pid, want, limits, offsets)
		k.checkRefusals(t, ctx, pid)
	})
	t.Run("sources", func(t *testing.T) {
		k := recentSources(s)
		want := k.latest(t, ctx, pid)
		if got, made := k.ids(want), k.ids(slices.SortedStableFunc(slices.Values(sources), newestSource)); !slices.Equal(got, made) {
			t.Fatalf("the full list in the order of the latest is %q, want %q", got, made)
		}
		// Half a second after noon comes before a quarter after it, and
		// both before noon itself; undated sources come last.
		if w := want[0].Published; w.Nanosecond() != 500_000_000 || !want[len(want)-1].Published.IsZero() {
			t.Fatalf("the fixture does not order the fractions of a second: %v first", w)
		}
		k.checkPages(t, ctx, pid, want, limits, offsets)
		k.checkRefusals(t, ctx, pid)
	})
}

// recentFixture is a process in which a delegate may not see the latest
// records: the newest contacts and sources are confidential to another
// party, for the mediators alone, or in a channel the delegate's party is
// not in, and older ones are public, process-wide, the delegate's own or
// shared with its party; some of those name hidden people, sources and
// channels.
type recentFixture struct {
	proc *parley.Process
	// actors are the signed-in mediator "mia", delegate of Ukraine
	// "uma", observer "obi" and user of no process "nemo".
	actors map[string]context.Context
	// hiddenFromUma are the records uma may not see.
	hiddenFromUma map[string]bool
	// contacts and sources are the process's, in the order they were
	// made.
	contacts []*parley.Contact
	sources  []*parley.Source
}

func newRecentFixture(t *testing.T, s *Store) *recentFixture {
	t.Helper()
	ctx := asSystem()
	f := &recentFixture{proc: mustProcess(t, s, "Recent"), actors: map[string]context.Context{}, hiddenFromUma: map[string]bool{}}
	pid := f.proc.ID
	party := func(name string) *parley.Party {
		return must(t, s.Parties.CreateParty, &parley.Party{ProcessID: pid, Name: name, Kind: parley.State, Classification: public})
	}
	us, ru, ua := party("United States"), party("Russia"), party("Ukraine")
	conf := func(p *parley.Party) parley.Classification {
		return parley.Classification{Level: parley.Confidential, PartyIDs: []string{p.ID}}
	}
	shared := func(ps ...*parley.Party) parley.Classification {
		c := parley.Classification{Level: parley.Shared}
		for _, p := range ps {
			c.PartyIDs = append(c.PartyIDs, p.ID)
		}
		return c
	}
	mediators := parley.Classification{Level: parley.MediatorsOnly}
	process := parley.Classification{Level: parley.ProcessWide}
	backchannel := must(t, s.Channels.CreateChannel, &parley.Channel{ProcessID: pid, Name: "US–Russia", Kind: parley.Backchannel,
		PartyIDs: []string{us.ID, ru.ID}, Classification: shared(us, ru)})
	official := must(t, s.Channels.CreateChannel, &parley.Channel{ProcessID: pid, Name: "Official", Kind: parley.Official, Classification: public})
	dmitriev := must(t, s.People.CreatePerson, &parley.Person{ProcessID: pid, Name: "Kirill Dmitriev", PartyID: ru.ID, Classification: conf(ru)})
	witkoff := must(t, s.People.CreatePerson, &parley.Person{ProcessID: pid, Name: "Steve Witkoff", PartyID: us.ID, Classification: public})
	f.hiddenFromUma[backchannel.ID], f.hiddenFromUma[dmitriev.ID] = true, true

	// Sources, the oldest first: visible ones, then hidden ones, then one
	// visible, then the newest, hidden.
	classes := []struct {
		c      parley.Classification
		hidden bool
	}{
		{public, false}, {process, false}, {conf(ua), false}, {shared(ru, ua), false}, {public, false},
		{conf(ua), false}, {mediators, true}, {conf(ru), true}, {public, false}, {shared(us, ru), true},
		{mediators, true}, {conf(ru), true},
	}
	for i, cl := range classes {
		src := must(t, s.Sources.CreateSource, &parley.Source{ProcessID: pid, Title: fmt.Sprint("Source ", i), Reliability: "C",
			Credibility: 3, Published: day(time.May, 1+i), Classification: cl.c})
		f.sources = append(f.sources, src)
		f.hiddenFromUma[src.ID] = cl.hidden
	}
	hiddenSource, visibleSource := f.sources[7], f.sources[2]
	// Contacts, the oldest first, alike; a contact in the backchannel
	// without its own classification is the channel's, hidden from uma.
	for i, cl := range classes {
		c := &parley.Contact{ProcessID: pid, Kind: parley.Meeting, Status: parley.Held, Start: day(time.June, 1+i),
			Classification: &cl.c, ChannelID: official.ID}
		switch i % 3 {
		case 0: // names what uma may not see, besides what it may
			c.PersonIDs, c.SourceIDs = []string{dmitriev.ID, witkoff.ID}, []string{hiddenSource.ID, visibleSource.ID}
			c.ChannelID = backchannel.ID
		case 1:
			if cl.hidden {
				c.ChannelID, c.Classification = backchannel.ID, nil
			}
		}
		must(t, s.Contacts.CreateContact, c)
		f.contacts = append(f.contacts, c)
		f.hiddenFromUma[c.ID] = cl.hidden
	}
	roles := map[string]parley.Membership{
		"mia": {Role: parley.RoleMediator},
		"uma": {Role: parley.RoleDelegate, PartyID: ua.ID},
		"obi": {Role: parley.RoleObserver},
	}
	for _, n := range []string{"mia", "uma", "obi", "nemo"} {
		u := mustUser(t, s, n, false)
		if m, ok := roles[n]; ok {
			m.UserID, m.ProcessID = u.ID, pid
			if err := s.Users.SetMembership(ctx, &m); err != nil {
				t.Fatal(err)
			}
		}
		_, f.actors[n] = signedIn(t, s, n)
	}
	return f
}

// testRecentAccess checks what each reader sees of the latest records: the
// mediator all of them, the delegate a full page of those it may see
// though the newest are hidden from it, counted without the hidden ones,
// with references to hidden records removed; the observer the public
// ones; a user of no process nothing, as for a process that does not
// exist.
func testRecentAccess(t *testing.T, s *Store) {
	f := newRecentFixture(t, s)
	pid := f.proc.ID
	limits, offsets := []int{1, 3, 5, 100}, []int{0, 2, 5, 8, 12}
	t.Run("contacts", func(t *testing.T) {
		k := recentContacts(s)
		for _, name := range []string{"mia", "uma", "obi"} {
			t.Run(name, func(t *testing.T) {
				ctx := f.actors[name]
				want := k.latest(t, ctx, pid)
				k.checkPages(t, ctx, pid, want, limits, offsets)
				k.checkRefusals(t, ctx, pid)
			})
		}
		checkDelegateView(t, f, k, f.contacts)
		k.checkRefusals(t, f.actors["nemo"], pid)
	})
	t.Run("sources", func(t *testing.T) {
		k := recentSources(s)
		for _, name := range []string{"mia", "uma", "obi"} {
			t.Run(name, func(t *testing.T) {
				ctx := f.actors[name]
				want := k.latest(t, ctx, pid)
				k.checkPages(t, ctx, pid, want, limits, offsets)
			})
		}
		checkDelegateView(t, f, k, f.sources)
		k.checkRefusals(t, f.actors["nemo"], pid)
	})
}

// checkDelegateView checks uma's latest records against the fixture rather
// than the full list: the newest visible ones fill the page though the
// two newest are hidden, the count leaves out every hidden record, and no
// page names a hidden record, nor refers to one.
func checkDelegateView[T any](t *testing.T, f *recentFixture, k recentKind[T], made []*T) {
	t.Helper()
	var visible []string
	for i := len(made) - 1; i >= 0; i-- { // made oldest first
		if id := k.id(made[i]); !f.hiddenFromUma[id] {
			visible = append(visible, id)
		}
	}
	if !f.hiddenFromUma[k.id(made[len(made)-1])] || !f.hiddenFromUma[k.id(made[len(made)-2])] {
		t.Fatal("the fixture's newest records are visible to the delegate")
	}
	got, total, err := k.recent(f.actors["uma"], f.proc.ID, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(k.ids(got), visible[:5]) || total != len(visible) {
		t.Errorf("the delegate's latest %ss: got %q of %d, want %q of %d", k.what, k.ids(got), total, visible[:5], len(visible))
	}
	all, mediated, err := k.recent(f.actors["mia"], f.proc.ID, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	if mediated != len(made) || k.id(all[0]) != k.id(made[len(made)-1]) {
		t.Errorf("the mediator's latest %ss: got %q of %d, want the newest first of %d", k.what, k.ids(all), mediated, len(made))
	}
	for offset := 0; offset < total; offset += 3 {
		page, _, err := k.recent(f.actors["uma"], f.proc.ID, 3, offset)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range hiddenIDsIn(page, f.hiddenFromUma) {
			t.Errorf("the delegate's page after %d names hidden record %q", offset, id)
		}
	}
}

// hiddenIDsIn returns the IDs of hidden records that v holds anywhere, in
// any field.
func hiddenIDsIn(v any, hidden map[string]bool) []string {
	var out []string
	var walk func(r reflect.Value)
	walk = func(r reflect.Value) {
		switch r.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !r.IsNil() {
				walk(r.Elem())
			}
		case reflect.Struct:
			for i := range r.NumField() {
				if r.Type().Field(i).IsExported() {
					walk(r.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range r.Len() {
				walk(r.Index(i))
			}
		case reflect.String:
			if hidden[r.String()] {
				out = append(out, r.String())
			}
		}
	}
	walk(reflect.ValueOf(v))
	return out
}

// testRecentAudit checks that a read of the latest records logs the
// records on the page that are not public, as the full lists do, and only
// those: not the rest of the process, nor public ones.
func testRecentAudit(t *testing.T, s *Store) {
	f := newRecentFixture(t, s)
	pid := f.proc.ID
	public := map[string]bool{}
	for _, c := range f.contacts {
		public[c.ID] = c.Classification != nil && c.Classification.Level == parley.Public
	}
	for _, src := range f.sources {
		public[src.ID] = src.Classification.Level == parley.Public
	}
	read := map[string]func(ctx context.Context, limit, offset int) ([]string, error){
		"contact": func(ctx context.Context, limit, offset int) ([]string, error) {
			rs, _, err := s.Contacts.FindRecentContacts(ctx, pid, limit, offset)
			return recentContacts(s).ids(rs), err
		},
		"source": func(ctx context.Context, limit, offset int) ([]string, error) {
			rs, _, err := s.Sources.FindRecentSources(ctx, pid, limit, offset)
			return recentSources(s).ids(rs), err
		},
	}
	for _, kind := range []string{"contact", "source"} {
		for _, name := range []string{"mia", "uma", "obi"} {
			for _, lo := range [][2]int{{3, 0}, {4, 3}, {100, 0}, {5, 100}} {
				t.Run(fmt.Sprintf("%s %s %d after %d", kind, name, lo[0], lo[1]), func(t *testing.T) {
					before := auditTotal(t, s, pid)
					ids, err := read[kind](f.actors[name], lo[0], lo[1])
					if err != nil {
						t.Fatal(err)
					}
					var want []string
					for _, id := range ids {
						if !public[id] {
							want = append(want, id)
						}
					}
					var logged []string
					for _, r := range auditSince(t, s, pid, before) {
						if r.Action != "read" || r.Kind != kind || r.Actor != name {
							t.Errorf("got audit record %+v, want a read of %ss by %s", r, kind, name)
						}
						logged = append(logged, r.IDs...)
					}
					slices.Sort(logged)
					slices.Sort(want)
					if !slices.Equal(logged, want) {
						t.Errorf("got reads of %q logged, want %q (the page's records that are not public)", logged, want)
					}
					if name == "obi" && len(ids) == 0 && lo[1] == 0 {
						t.Error("the observer sees no public record")
					}
				})
			}
		}
	}
}

// testRecentManyClasses checks the latest records of a process with more
// distinct classifications than a store may list in one query (one for
// each order of the parties a record is shared with): the same pages,
// counts and audit records as with few.
func testRecentManyClasses(t *testing.T, s *Store) {
	ctx := asSystem()
	pid := mustProcess(t, s, "Many classifications").ID
	var parties []string
	for i := range 6 {
		p := must(t, s.Parties.CreateParty, &parley.Party{ProcessID: pid, Name: fmt.Sprint("Party ", i), Kind: parley.State, Classification: public})
		parties = append(parties, p.ID)
	}
	own := parties[0]
	// Every order of own and one or two others (5 + 5 + 20 + 20 + 20 = 70
	// classifications) is visible to own's delegate; the 20 orders of two
	// others alone are not.
	var visible, hidden [][]string
	others := parties[1:]
	for _, x := range others {
		visible = append(visible, []string{own, x}, []string{x, own})
		for _, y := range others {
			if x != y {
				visible = append(visible, []string{own, x, y}, []string{x, own, y}, []string{x, y, own})
				hidden = append(hidden, []string{x, y})
			}
		}
	}
	if len(visible) <= 64 {
		t.Fatalf("only %d visible classifications", len(visible))
	}
	all := append(slices.Clone(visible), hidden...)
	// Shuffled by a fixed stride, so that hidden records fall among the
	// newest and visible ones among the oldest.
	n := len(all)
	for i := range n {
		cl := parley.Classification{Level: parley.Shared, PartyIDs: all[i*37%n]}
		must(t, s.Sources.CreateSource, &parley.Source{ProcessID: pid, Title: fmt.Sprint("Source ", i), Reliability: "C", Credibility: 3,
			Published: day(time.January, 1).Add(time.Duration(i) * time.Hour), Classification: cl})
		must(t, s.Contacts.CreateContact, &parley.Contact{ProcessID: pid, Kind: parley.Call, Status: parley.Held,
			Start: day(time.February, 1).Add(time.Duration(i) * time.Hour), Classification: &cl})
	}
	m := &parley.Membership{UserID: mustUser(t, s, "uma", false).ID, ProcessID: pid, Role: parley.RoleDelegate, PartyID: own}
	if err := s.Users.SetMembership(ctx, m); err != nil {
		t.Fatal(err)
	}
	_, uma := signedIn(t, s, "uma")
	limits, offsets := []int{1, 15, 100}, []int{0, 14, 49, 50, 69, 70}
	for _, who := range []struct {
		name  string
		ctx   context.Context
		count int
	}{{"delegate", uma, len(visible)}, {"system", ctx, n}} {
		t.Run(who.name, func(t *testing.T) {
			t.Run("contacts", func(t *testing.T) {
				k := recentContacts(s)
				want := k.latest(t, who.ctx, pid)
				if len(want) != who.count {
					t.Fatalf("the full list holds %d contacts, want %d", len(want), who.count)
				}
				k.checkPages(t, who.ctx, pid, want, limits, offsets)
			})
			t.Run("sources", func(t *testing.T) {
				k := recentSources(s)
				want := k.latest(t, who.ctx, pid)
				if len(want) != who.count {
					t.Fatalf("the full list holds %d sources, want %d", len(want), who.count)
				}
				k.checkPages(t, who.ctx, pid, want, limits, offsets)
			})
		})
	}
	before := auditTotal(t, s, pid)
	rs, _, err := s.Sources.FindRecentSources(uma, pid, 10, 30)
	if err != nil {
		t.Fatal(err)
	}
	var logged []string
	for _, r := range auditSince(t, s, pid, before) {
		logged = append(logged, r.IDs...)
	}
	if ids := recentSources(s).ids(rs); !slices.Equal(slices.Sorted(slices.Values(logged)), slices.Sorted(slices.Values(ids))) {
		t.Errorf("got reads of %q logged, want the page's %q", logged, ids)
	}
}

// testRecentCountsFollow checks the counts of the latest records after the
// writes that move a record from one classification to another: a
// contact's or source's own classification changed, a contact moved to
// another channel or made to take its channel's classification, and a
// channel's classification changed under the contacts that take it. After
// each, every reader's count and pages must agree with the full list.
func testRecentCountsFollow(t *testing.T, s *Store) {
	f := newRecentFixture(t, s)
	pid, ctx := f.proc.ID, asSystem()
	check := func(step string) {
		t.Helper()
		for _, name := range []string{"mia", "uma", "obi"} {
			actor := f.actors[name]
			kc, ks := recentContacts(s), recentSources(s)
			kc.checkPages(t, actor, pid, kc.latest(t, actor, pid), []int{3, 100}, []int{0, 4})
			ks.checkPages(t, actor, pid, ks.latest(t, actor, pid), []int{3, 100}, []int{0, 4})
			if t.Failed() {
				t.Fatalf("after %s, as %s", step, name)
			}
		}
	}
	check("the fixture")

	// The contacts of the backchannel that take its classification.
	var inherit []*parley.Contact
	var backchannel, official string
	for _, c := range f.contacts {
		switch {
		case c.Classification == nil:
			inherit, backchannel = append(inherit, c), c.ChannelID
		case c.ChannelID != "" && official == "" && !f.hiddenFromUma[c.ChannelID]:
			official = c.ChannelID
		}
	}
	if len(inherit) == 0 || official == "" {
		t.Fatalf("the fixture has %d contacts that take their channel's classification and official channel %q", len(inherit), official)
	}
	// Each its own copy, which a write may normalise.
	classOf := func(l parley.Level) *parley.Classification { return &parley.Classification{Level: l} }
	update := func(step string, c *parley.Contact) {
		t.Helper()
		if err := s.Contacts.UpdateContact(ctx, c); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		check(step)
	}
	c := f.contacts[len(f.contacts)-1]
	c.Classification = classOf(parley.Public)
	update("a hidden contact made public", c)
	c.Classification = classOf(parley.MediatorsOnly)
	update("a public contact made the mediators'", c)
	c = inherit[0]
	c.ChannelID = official
	update("a contact that takes its channel's classification moved to a public channel", c)
	c.Classification, c.ChannelID = classOf(parley.Public), backchannel
	update("a contact given its own classification", c)
	c.Classification = nil
	update("a contact made to take its channel's classification again", c)

	ch, err := s.Channels.FindChannelByID(ctx, backchannel)
	if err != nil {
		t.Fatal(err)
	}
	ch.Classification = public
	if err := s.Channels.UpdateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	check("the backchannel made public")

	src := f.sources[len(f.sources)-1]
	src.Classification = public
	if err := s.Sources.UpdateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	check("a hidden source made public")
	src.Classification = *classOf(parley.MediatorsOnly)
	if err := s.Sources.UpdateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	check("a public source made the mediators'")
}
