package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"parley"
)

func init() {
	suites["hidden references"] = inParts(part{"kept on save", testKeepHidden}, part{"drafted from visible versions", testDraftFromVisible})
}

// testKeepHidden checks that a delegate who saves a record as it was shown
// to them, without the references hidden from them, does not remove those
// references: a contact's hidden source and participant, a point's hidden
// contact and lineage. The answer to the save still hides them.
func testKeepHidden(t *testing.T, s *Store) {
	ctx := asSystem()
	p := mustProcess(t, s, "Hidden references")
	ua, ru := mustPublicParty(t, s, p.ID, "Ukraine"), mustPublicParty(t, s, p.ID, "Russia")
	confidential := func(pt *parley.Party) parley.Classification {
		return parley.Classification{Level: parley.Confidential, PartyIDs: []string{pt.ID}}
	}
	src := &parley.Source{ProcessID: p.ID, Title: "Russian memo", Reliability: "B", Credibility: 2, Classification: confidential(ru)}
	if err := s.Sources.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	envoy := &parley.Person{ProcessID: p.ID, Name: "Russian envoy", PartyID: ru.ID, Classification: confidential(ru)}
	if err := s.People.CreatePerson(ctx, envoy); err != nil {
		t.Fatal(err)
	}
	cl := confidential(ua)
	c := &parley.Contact{ProcessID: p.ID, Kind: parley.Meeting, Status: parley.Held, Start: time.Date(2025, 11, 20, 12, 0, 0, 0, time.UTC),
		Summary: "Ukraine's meeting", PersonIDs: []string{envoy.ID}, SourceIDs: []string{src.ID}, Classification: &cl}
	if err := s.Contacts.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	asUA := mustDelegate(t, s, "ua-delegate", p.ID, ua.ID)

	shown, err := s.Contacts.FindContactByID(asUA, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(shown.SourceIDs) != 0 || len(shown.PersonIDs) != 0 {
		t.Fatalf("Ukraine's delegate is shown sources %v and people %v, want none of Russia's", shown.SourceIDs, shown.PersonIDs)
	}
	shown.Summary = "Ukraine's meeting, with notes"
	if err := s.Contacts.UpdateContact(asUA, shown); err != nil {
		t.Fatal(err)
	}
	if len(shown.SourceIDs) != 0 || len(shown.PersonIDs) != 0 {
		t.Errorf("the answer to the save shows sources %v and people %v, want them hidden still", shown.SourceIDs, shown.PersonIDs)
	}
	stored, err := s.Contacts.FindContactByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Summary != "Ukraine's meeting, with notes" || !slices.Equal(stored.SourceIDs, []string{src.ID}) || !slices.Equal(stored.PersonIDs, []string{envoy.ID}) {
		t.Errorf("stored %q with sources %v and people %v; want the new summary and the hidden source and person kept",
			stored.Summary, stored.SourceIDs, stored.PersonIDs)
	}

	// A point of Ukraine's version raised at a contact hidden from
	// Ukraine keeps it when Ukraine's delegate changes its tags.
	ruContact := &parley.Contact{ProcessID: p.ID, Kind: parley.Call, Status: parley.Held, Start: time.Date(2025, 11, 19, 12, 0, 0, 0, time.UTC),
		Summary: "Russia's call", Classification: ptrTo(confidential(ru))}
	if err := s.Contacts.CreateContact(ctx, ruContact); err != nil {
		t.Fatal(err)
	}
	plan := &parley.Plan{ProcessID: p.ID, Title: "Ukraine's plan", Classification: cl}
	if err := s.Plans.CreatePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	v := &parley.Version{PlanID: plan.ID, Label: "draft", Date: time.Date(2025, 11, 21, 0, 0, 0, 0, time.UTC),
		Status: parley.Draft, Text: "1. A ceasefire.\n", Classification: cl}
	if err := s.Plans.CreateVersion(ctx, v); err != nil {
		t.Fatal(err)
	}
	contactID := ruContact.ID
	if _, err := s.Plans.UpdatePoint(ctx, v.ID, "1", parley.PointUpdate{ContactID: &contactID}); err != nil {
		t.Fatal(err)
	}
	tags := []string{"ceasefire"}
	pt, err := s.Plans.UpdatePoint(asUA, v.ID, "1", parley.PointUpdate{Tags: &tags, ContactID: new(string)})
	if err != nil {
		t.Fatalf("Ukraine's delegate tagging a point raised at a contact it cannot see: %v", err)
	}
	if pt.ContactID != "" {
		t.Errorf("the answer shows contact %s, hidden from Ukraine", pt.ContactID)
	}
	after, err := s.Plans.FindVersionByID(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := after.Point("1"); got.ContactID != ruContact.ID || !slices.Equal(got.Tags, tags) {
		t.Errorf("stored contact %q and tags %v, want %q kept and %v", got.ContactID, got.Tags, ruContact.ID, tags)
	}
}

func ptrTo[T any](v T) *T { return &v }

// testDraftFromVisible checks that a delegate's new version is linked to
// the latest version its author may see, so that nothing (tags
// included) passes from a version hidden from them into theirs.
func testDraftFromVisible(t *testing.T, s *Store) {
	ctx := asSystem()
	p := mustProcess(t, s, "Drafts")
	ua, ru := mustPublicParty(t, s, p.ID, "Ukraine"), mustPublicParty(t, s, p.ID, "Russia")
	plan := mustPlan(t, s, p.ID, "Plan", "")
	public := mustVersion(t, s, plan.ID, "public", time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), "1. A ceasefire along the line.\n")
	hidden := &parley.Version{PlanID: plan.ID, Label: "Ukraine's draft", Date: time.Date(2025, 11, 2, 0, 0, 0, 0, time.UTC),
		Status: parley.Draft, Text: "1. A ceasefire along the line.\n", Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{ua.ID}}}
	if err := s.Plans.CreateVersion(ctx, hidden); err != nil {
		t.Fatal(err)
	}
	tags := []string{"nuclear"}
	if _, err := s.Plans.UpdatePoint(ctx, hidden.ID, "1", parley.PointUpdate{Tags: &tags}); err != nil {
		t.Fatal(err)
	}
	asRU := mustDelegate(t, s, "ru-delegate", p.ID, ru.ID)
	v := &parley.Version{PlanID: plan.ID, Label: "Russia's draft", Date: time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC),
		Status: parley.Draft, Text: "1. A ceasefire along the line.\n", Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{ru.ID}}}
	if err := s.Plans.CreateVersion(asRU, v); err != nil {
		t.Fatal(err)
	}
	stored, err := s.Plans.FindVersionByID(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	pt := stored.Point("1")
	if stored.PreviousID != public.ID || len(pt.Lineage) != 1 || pt.Lineage[0].VersionID != public.ID || len(pt.Tags) != 0 {
		t.Errorf("Russia's draft follows %s, its point comes from %v with tags %v; want the public version %s, and no tag of Ukraine's hidden draft",
			stored.PreviousID, pt.Lineage, pt.Tags, public.ID)
	}
}

// mustPublicParty stores a public party of a process.
func mustPublicParty(t *testing.T, s *Store, processID, name string) *parley.Party {
	t.Helper()
	pt := &parley.Party{ProcessID: processID, Name: name, Kind: parley.State, Classification: parley.Classification{Level: parley.Public}}
	if err := s.Parties.CreateParty(asSystem(), pt); err != nil {
		t.Fatal(err)
	}
	return pt
}

// mustDelegate makes a user who is a delegate of a party in a process and
// returns a context signed in as them.
func mustDelegate(t *testing.T, s *Store, name, processID, partyID string) context.Context {
	t.Helper()
	u := mustUser(t, s, name, false)
	if err := s.Users.SetMembership(asSystem(), &parley.Membership{UserID: u.ID, ProcessID: processID, Role: parley.RoleDelegate, PartyID: partyID}); err != nil {
		t.Fatal(err)
	}
	_, ctx := signedIn(t, s, name)
	return ctx
}
