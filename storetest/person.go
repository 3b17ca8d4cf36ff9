package storetest

import (
	"strings"
	"testing"

	"parley"
)

func init() {
	suites["people"] = testPeople
}

// personRecords reaches people through the store's person service.
func personRecords(s *Store) records[parley.Person] {
	return newRecords("person", s.People.CreatePerson, s.People.UpdatePerson, s.People.FindPersonByID, s.People.FindPeople,
		func(p *parley.Person) (*string, *string) { return &p.ID, &p.ProcessID })
}

func testPeople(t *testing.T, open Opener) {
	ctx := asSystem()
	s := open(t)
	f := newFixture(t, s)

	valid := func() *parley.Person {
		return &parley.Person{ProcessID: f.proc.ID, Name: "Rustem Umerov", PartyID: f.ukraine.ID,
			Role: "secretary of the National Security and Defence Council", Classification: public}
	}
	personRecords(s).checkRules(t, valid, f.other.ID, []refusal[parley.Person]{
		{name: "blank name", edit: func(p *parley.Person) { p.Name = "" }, field: "name"},
		{name: "role too long", edit: func(p *parley.Person) { p.Role = strings.Repeat("x", parley.MaxNameLen+1) }, field: "role"},
		{name: "party of another process", edit: func(p *parley.Person) { p.PartyID = f.hamas.ID }, field: "party_id"},
		{name: "missing party", edit: func(p *parley.Person) { p.PartyID = "nosuchparty" }, field: "party_id"},
		{name: "confidential to a party of another process", field: "classification", edit: func(p *parley.Person) {
			p.Classification = parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.hamas.ID}}
		}},
		{name: "missing process", edit: func(p *parley.Person) { p.ProcessID = "nosuchprocess" }, field: "process_id", createOnly: true},
	})

	witkoff := must(t, s.People.CreatePerson, &parley.Person{ProcessID: f.proc.ID, Name: "Steve Witkoff", PartyID: f.us.ID,
		Role: "special envoy", Classification: public})
	must(t, s.People.CreatePerson, &parley.Person{ProcessID: f.proc.ID, Name: "Kirill Dmitriev", Classification: public})

	tests := []struct {
		name    string
		partyID string
	}{
		{"without a party", ""},
		{"with another party", f.ukraine.ID},
		{"back with the first", f.us.ID},
	}
	for _, tt := range tests {
		t.Run("update "+tt.name, func(t *testing.T) {
			u := *witkoff
			u.PartyID, u.Role = tt.partyID, "envoy, "+tt.name
			if err := s.People.UpdatePerson(ctx, &u); err != nil {
				t.Fatal(err)
			}
			got, err := s.People.FindPersonByID(ctx, witkoff.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.PartyID != tt.partyID || got.Role != u.Role || got.Name != witkoff.Name {
				t.Errorf("got %+v, want %+v", got, u)
			}
		})
	}

	personRecords(s).checkOrder(t, f.proc.ID, func(p *parley.Person) string { return p.Name },
		[]string{"Kirill Dmitriev", "Rustem Umerov", "Steve Witkoff"})
}
