package storetest

import (
	"reflect"
	"testing"
	"time"
	_ "time/tzdata" // the zones of the tests, on machines without a zone database

	"parley"
)

func init() {
	suites["contacts"] = inParts(part{"records", testContactRecords}, part{"times", testContactTimes})
}

// contactRecords reaches contacts through the store's contact service.
func contactRecords(s *Store) records[parley.Contact] {
	k := newRecords("contact", s.Contacts.CreateContact, s.Contacts.UpdateContact, s.Contacts.FindContactByID,
		s.Contacts.FindContacts, func(c *parley.Contact) (*string, *string) { return &c.ID, &c.ProcessID })
	k.same = sameContact
	return k
}

// sameContact reports whether two contacts are equal, their starts by
// instant, zone name and offset: two loadings of a zone are equal but not
// identical.
func sameContact(a, b *parley.Contact) bool {
	x, y := *a, *b
	if !sameClock(x.Start, y.Start) {
		return false
	}
	x.Start, y.Start = time.Time{}, time.Time{}
	return reflect.DeepEqual(&x, &y)
}

// sameClock reports whether a and b are the same instant shown in the same
// zone.
func sameClock(a, b time.Time) bool {
	an, ao := a.Zone()
	bn, bo := b.Zone()
	return a.Equal(b) && a.Location().String() == b.Location().String() && an == bn && ao == bo
}

// mustZone loads a zone.
func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func testContactRecords(t *testing.T, s *Store) {
	ctx := asSystem()
	f := newFixture(t, s)
	mediator := must(t, s.People.CreatePerson, &parley.Person{ProcessID: f.other.ID, Name: "Mediator", Classification: public})
	cairo := must(t, s.Channels.CreateChannel, &parley.Channel{ProcessID: f.other.ID, Name: "Cairo talks", Kind: parley.Official, Classification: public})
	report := must(t, s.Sources.CreateSource, &parley.Source{ProcessID: f.other.ID, Title: "Report", Reliability: "C", Credibility: 3, Classification: public})
	witkoff := must(t, s.People.CreatePerson, &parley.Person{ProcessID: f.proc.ID, Name: "Steve Witkoff", PartyID: f.us.ID, Classification: public})
	dmitriev := must(t, s.People.CreatePerson, &parley.Person{ProcessID: f.proc.ID, Name: "Kirill Dmitriev", PartyID: f.russia.ID, Classification: public})
	back := must(t, s.Channels.CreateChannel, &parley.Channel{ProcessID: f.proc.ID, Name: "Witkoff–Dmitriev backchannel",
		Kind: parley.Backchannel, PartyIDs: []string{f.us.ID, f.russia.ID},
		Classification: parley.Classification{Level: parley.Shared, PartyIDs: []string{f.us.ID, f.russia.ID}}})
	leak := must(t, s.Sources.CreateSource, &parley.Source{ProcessID: f.proc.ID, URL: "https://www.bloomberg.com/news/witkoff-call",
		Outlet: "Bloomberg", Reliability: "B", Credibility: 2, Classification: public})
	moscow := mustZone(t, "Europe/Moscow")

	// The valid contact has no classification of its own: it is its
	// channel's, and must read back as nil, not as a copy.
	valid := func() *parley.Contact {
		return &parley.Contact{ProcessID: f.proc.ID, Kind: parley.Call, Status: parley.Held,
			Start: time.Date(2025, 10, 14, 10, 0, 0, 0, moscow), Minutes: 5, Place: "by telephone",
			PersonIDs: []string{witkoff.ID, dmitriev.ID}, ChannelID: back.ID,
			Summary: "How to present the plan to the Kremlin.", Transcript: "W: …", SourceIDs: []string{leak.ID}}
	}
	contactRecords(s).checkRules(t, valid, f.other.ID, []refusal[parley.Contact]{
		{name: "unknown kind", edit: func(c *parley.Contact) { c.Kind = "chat" }, field: "kind"},
		{name: "unknown status", edit: func(c *parley.Contact) { c.Status = "maybe" }, field: "status"},
		{name: "no start", edit: func(c *parley.Contact) { c.Start = time.Time{} }, field: "start"},
		{name: "negative duration", edit: func(c *parley.Contact) { c.Minutes = -1 }, field: "duration_minutes"},
		{name: "no channel, no classification", edit: func(c *parley.Contact) { c.ChannelID = "" }, field: "classification"},
		{name: "participant of another process", edit: func(c *parley.Contact) { c.PersonIDs = []string{witkoff.ID, mediator.ID} }, field: "person_ids"},
		{name: "missing participant", edit: func(c *parley.Contact) { c.PersonIDs = []string{"nosuchperson"} }, field: "person_ids"},
		{name: "channel of another process", edit: func(c *parley.Contact) { c.ChannelID = cairo.ID }, field: "channel_id"},
		{name: "missing channel", edit: func(c *parley.Contact) { c.ChannelID = "nosuchchannel" }, field: "channel_id"},
		{name: "source of another process", edit: func(c *parley.Contact) { c.SourceIDs = []string{leak.ID, report.ID} }, field: "source_ids"},
		{name: "confidential to a party of another process", field: "classification", edit: func(c *parley.Contact) {
			c.Classification = &parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.hamas.ID}}
		}},
		{name: "missing process", edit: func(c *parley.Contact) { c.ProcessID = "nosuchprocess" }, field: "process_id", createOnly: true},
	})

	meeting := must(t, s.Contacts.CreateContact, &parley.Contact{ProcessID: f.proc.ID, Kind: parley.Meeting, Status: parley.Planned,
		Start: time.Date(2025, 10, 24, 15, 0, 0, 0, moscow), ChannelID: back.ID})
	mediators := parley.Classification{Level: parley.MediatorsOnly}
	tests := []struct {
		name           string
		edit           func(c *parley.Contact)
		classification *parley.Classification
	}{
		{"held, classified", func(c *parley.Contact) { c.Status, c.Minutes, c.Classification = parley.Held, 90, &mediators }, &mediators},
		{"outside the channel", func(c *parley.Contact) { c.ChannelID, c.Classification = "", &mediators }, &mediators},
		{"back in the channel, its classification", func(c *parley.Contact) { c.ChannelID, c.Classification = back.ID, nil }, nil},
	}
	for _, tt := range tests {
		t.Run("update "+tt.name, func(t *testing.T) {
			u, err := s.Contacts.FindContactByID(ctx, meeting.ID)
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(u)
			if err := s.Contacts.UpdateContact(ctx, u); err != nil {
				t.Fatal(err)
			}
			got, err := s.Contacts.FindContactByID(ctx, meeting.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !sameContact(got, u) || !reflect.DeepEqual(got.Classification, tt.classification) {
				t.Errorf("got %+v, want %+v", got, u)
			}
		})
	}
}

// testContactTimes checks that a contact's start keeps its zone and that
// contacts are listed by instant, not by the wall clock they show.
func testContactTimes(t *testing.T, s *Store) {
	ctx := asSystem()
	proc := mustProcess(t, s, "Russia–Ukraine 2025")
	moscow, london, washington := mustZone(t, "Europe/Moscow"), mustZone(t, "Europe/London"), mustZone(t, "America/New_York")
	tests := []struct {
		name  string
		start time.Time
		clock string // the wall clock and zone it must read back with
	}{
		{"IANA zone", time.Date(2025, 11, 20, 10, 0, 0, 0, moscow), "10:00 Europe/Moscow MSK+0300"},
		{"IANA zone on summer time", time.Date(2025, 7, 1, 10, 0, 0, 0, washington), "10:00 America/New_York EDT-0400"},
		{"fixed zone", time.Date(2025, 11, 20, 10, 0, 0, 0, time.FixedZone("MSK", 3*3600)), "10:00 MSK MSK+0300"},
		// IANA's CET is on summer time in July: the fixed zone must not
		// turn into it.
		{"fixed zone named like an IANA zone", time.Date(2025, 7, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600)), "10:00 CET CET+0100"},
		{"UTC", time.Date(2025, 11, 20, 10, 0, 0, 0, time.UTC), "10:00 UTC UTC+0000"},
		{"fraction of a second", time.Date(2025, 11, 20, 10, 0, 0, 500_000_000, london), "10:00 Europe/London GMT+0000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &parley.Contact{ProcessID: proc.ID, Kind: parley.Call, Status: parley.Held, Start: tt.start, Classification: &public}
			if err := s.Contacts.CreateContact(ctx, c); err != nil {
				t.Fatal(err)
			}
			got, err := s.Contacts.FindContactByID(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			clock := got.Start.Format("15:04 ") + got.Start.Location().String() + got.Start.Format(" MST-0700")
			if clock != tt.clock || !got.Start.Equal(tt.start) {
				t.Errorf("got %s (%v), want %s (%v)", clock, got.Start.UTC(), tt.clock, tt.start.UTC())
			}
		})
	}

	// By wall clock these would go Washington, London, Moscow; by instant
	// Moscow's 10:00 (07:00 UTC) comes first, and 10:00:00 before
	// 10:00:00.5, which text order of trimmed fractions would invert.
	order := mustProcess(t, s, "Armenia–Azerbaijan")
	for _, start := range []time.Time{
		time.Date(2025, 11, 20, 8, 0, 0, 0, washington),
		time.Date(2025, 11, 20, 9, 0, 0, 0, london),
		time.Date(2025, 11, 20, 10, 0, 0, 500_000_000, moscow),
		time.Date(2025, 11, 20, 10, 0, 0, 0, moscow),
	} {
		must(t, s.Contacts.CreateContact, &parley.Contact{ProcessID: order.ID, Kind: parley.Meeting, Status: parley.Held,
			Start: start, Classification: &public})
	}
	contactRecords(s).checkOrder(t, order.ID, func(c *parley.Contact) string { return c.Start.Format("15:04:05.0 MST") }, []string{
		"10:00:00.0 MSK", "10:00:00.5 MSK", "09:00:00.0 GMT", "08:00:00.0 EST",
	})
}
