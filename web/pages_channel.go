package web

import (
	"net/url"

	"parley"
)

// channelForm is the form of a channel.
var channelForm = &recordForm[parley.Channel]{
	noun: "channel",
	intro: "A channel is a line of communication between parties: official talks, a backchannel or a multilateral format. " +
		"Its contacts are seen by whoever may see the channel, unless a contact says otherwise.",
	start: inProcess(func(proc *parley.Process) *parley.Channel {
		return &parley.Channel{ProcessID: proc.ID, Kind: parley.Official, Classification: inherit(proc.Classification)}
	}),
	store: func(svc parley.Services) recordStore[parley.Channel] {
		return recordStore[parley.Channel]{svc.Channels.FindChannelByID, svc.Channels.CreateChannel, svc.Channels.UpdateChannel}
	},
	target:  func(svc parley.Services, c *parley.Channel, _ *choices) *shareTarget { return channelTarget(svc, c) },
	process: func(c *parley.Channel) string { return c.ProcessID },
	name:    func(c *parley.Channel) string { return c.Name },
	fields: func(c *parley.Channel, ch *choices) []*field {
		return []*field{
			{Name: "name", Label: "Name", Type: "text", Value: c.Name, Required: true},
			{Name: "kind", Label: "Kind", Type: "select", Value: string(c.Kind),
				Options: choiceOptions(parley.Official, parley.Backchannel, parley.Multilateral)},
			{Name: "party_ids", Label: "Member parties", Type: "checkboxes", Values: c.PartyIDs, Options: partyOptions(ch.parties, "")},
			classificationField(c.Classification, ch.parties, ""),
		}
	},
	read: func(vals url.Values, c *parley.Channel, _ *choices) error {
		c.Name, c.Kind = formLine(vals, "name"), parley.ChannelKind(formLine(vals, "kind"))
		c.PartyIDs = formIDs(vals, "party_ids")
		c.Classification = formClassification(vals)
		return nil
	},
	done: func(c *parley.Channel) string { return processURL(c.ProcessID) + "#channels" },
	back: func(c *parley.Channel) string { return processURL(c.ProcessID) + "#channels" },
}
