package storetest

import (
	"testing"

	"parley"
)

func init() {
	suites["parties"] = testParties
}

// partyRecords reaches parties through the store's party service.
func partyRecords(s *Store) records[parley.Party] {
	return newRecords("party", s.Parties.CreateParty, s.Parties.UpdateParty, s.Parties.FindPartyByID, s.Parties.FindParties,
		func(p *parley.Party) (*string, *string) { return &p.ID, &p.ProcessID })
}

func testParties(t *testing.T, open Opener) {
	ctx := asSystem()
	s := open(t)
	f := newFixture(t, s)

	valid := func() *parley.Party {
		return &parley.Party{ProcessID: f.proc.ID, Name: "European Union", Kind: parley.Organisation,
			Classification: parley.Classification{Level: parley.Shared, PartyIDs: []string{f.ukraine.ID, f.us.ID}}}
	}
	partyRecords(s).checkRules(t, valid, f.other.ID, []refusal[parley.Party]{
		{name: "blank name", edit: func(p *parley.Party) { p.Name = " " }, field: "name"},
		{name: "unknown kind", edit: func(p *parley.Party) { p.Kind = "nation" }, field: "kind"},
		{name: "no classification", edit: func(p *parley.Party) { p.Classification = parley.Classification{} }, field: "classification"},
		{name: "shared with a party of another process", field: "classification", edit: func(p *parley.Party) {
			p.Classification.PartyIDs = []string{f.ukraine.ID, f.hamas.ID}
		}},
		{name: "confidential to a missing party", field: "classification", edit: func(p *parley.Party) {
			p.Classification = parley.Classification{Level: parley.Confidential, PartyIDs: []string{"nosuchparty"}}
		}},
		{name: "missing process", edit: func(p *parley.Party) { p.ProcessID = "nosuchprocess" }, field: "process_id", createOnly: true},
	})

	t.Run("update", func(t *testing.T) {
		u := *f.ukraine
		u.Name, u.Kind = "Government of Ukraine", parley.Organisation
		u.Classification = parley.Classification{Level: parley.Confidential, PartyIDs: []string{f.ukraine.ID}}
		if err := s.Parties.UpdateParty(ctx, &u); err != nil {
			t.Fatal(err)
		}
		got, err := s.Parties.FindPartyByID(ctx, f.ukraine.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != u.Name || got.Kind != u.Kind || got.Classification.String() != u.Classification.String() {
			t.Errorf("got %+v, want %+v", got, u)
		}
	})

	partyRecords(s).checkOrder(t, f.proc.ID, func(p *parley.Party) string { return p.Name },
		[]string{"European Union", "Government of Ukraine", "Russia", "United States"})
}
