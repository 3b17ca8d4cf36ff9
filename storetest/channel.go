package storetest

import (
	"slices"
	"testing"

	"parley"
)

func init() {
	suites["channels"] = testChannels
}

// channelRecords reaches channels through the store's channel service.
func channelRecords(s *Store) records[parley.Channel] {
	return newRecords("channel", s.Channels.CreateChannel, s.Channels.UpdateChannel, s.Channels.FindChannelByID,
		s.Channels.FindChannels, func(c *parley.Channel) (*string, *string) { return &c.ID, &c.ProcessID })
}

func testChannels(t *testing.T, open Opener) {
	ctx := asSystem()
	s := open(t)
	f := newFixture(t, s)

	// The members are listed Russia first, which is not the order of
	// their IDs or names, so that reading back checks the order is kept.
	valid := func() *parley.Channel {
		return &parley.Channel{ProcessID: f.proc.ID, Name: "Witkoff–Dmitriev backchannel", Kind: parley.Backchannel,
			PartyIDs:       []string{f.russia.ID, f.us.ID},
			Classification: parley.Classification{Level: parley.Shared, PartyIDs: []string{f.us.ID, f.russia.ID}}}
	}
	channelRecords(s).checkRules(t, valid, f.other.ID, []refusal[parley.Channel]{
		{name: "blank name", edit: func(c *parley.Channel) { c.Name = "\t" }, field: "name"},
		{name: "unknown kind", edit: func(c *parley.Channel) { c.Kind = "secret" }, field: "kind"},
		{name: "member of another process", edit: func(c *parley.Channel) { c.PartyIDs = []string{f.us.ID, f.hamas.ID} }, field: "party_ids"},
		{name: "missing member", edit: func(c *parley.Channel) { c.PartyIDs = []string{"nosuchparty", f.us.ID} }, field: "party_ids"},
		{name: "shared with a party of another process", field: "classification", edit: func(c *parley.Channel) {
			c.Classification.PartyIDs = []string{f.hamas.ID}
		}},
		{name: "missing process", edit: func(c *parley.Channel) { c.ProcessID = "nosuchprocess" }, field: "process_id", createOnly: true},
	})

	istanbul := must(t, s.Channels.CreateChannel, &parley.Channel{ProcessID: f.proc.ID, Name: "Istanbul talks", Kind: parley.Official,
		PartyIDs: []string{f.russia.ID, f.ukraine.ID}, Classification: public})
	tests := []struct {
		name     string
		kind     parley.ChannelKind
		partyIDs []string
	}{
		{"with a third member", parley.Multilateral, []string{f.russia.ID, f.ukraine.ID, f.us.ID}},
		{"without members", parley.Official, nil},
		{"members in another order", parley.Official, []string{f.ukraine.ID, f.russia.ID}},
	}
	for _, tt := range tests {
		t.Run("update "+tt.name, func(t *testing.T) {
			u := *istanbul
			u.Kind, u.PartyIDs = tt.kind, tt.partyIDs
			if err := s.Channels.UpdateChannel(ctx, &u); err != nil {
				t.Fatal(err)
			}
			got, err := s.Channels.FindChannelByID(ctx, istanbul.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != tt.kind || !slices.Equal(got.PartyIDs, tt.partyIDs) || got.Name != istanbul.Name {
				t.Errorf("got %+v, want %+v", got, u)
			}
		})
	}

	must(t, s.Channels.CreateChannel, &parley.Channel{ProcessID: f.proc.ID, Name: "Geneva talks", Kind: parley.Official,
		PartyIDs: []string{f.us.ID, f.ukraine.ID}, Classification: public})
	channelRecords(s).checkOrder(t, f.proc.ID, func(c *parley.Channel) string { return c.Name },
		[]string{"Geneva talks", "Istanbul talks", "Witkoff–Dmitriev backchannel"})
}
