package web

import (
	"net/url"

	"parley"
)

// partyForm is the form of a party.
var partyForm = &recordForm[parley.Party]{
	noun:  "party",
	intro: "A party is a side, a stakeholder or a mediator: a state, an organisation or an armed group.",
	start: inProcess(func(proc *parley.Process) *parley.Party {
		return &parley.Party{ProcessID: proc.ID, Kind: parley.State, Classification: inherit(proc.Classification)}
	}),
	store: func(svc parley.Services) recordStore[parley.Party] {
		return recordStore[parley.Party]{svc.Parties.FindPartyByID, svc.Parties.CreateParty, svc.Parties.UpdateParty}
	},
	target:  func(svc parley.Services, p *parley.Party, _ *choices) *shareTarget { return partyTarget(svc, p) },
	process: func(p *parley.Party) string { return p.ProcessID },
	name:    func(p *parley.Party) string { return p.Name },
	fields: func(p *parley.Party, ch *choices) []*field {
		return []*field{
			{Name: "name", Label: "Name", Type: "text", Value: p.Name, Required: true},
			{Name: "kind", Label: "Kind", Type: "select", Value: string(p.Kind),
				Options: choiceOptions(parley.State, parley.Organisation, parley.ArmedGroup, parley.Mediator)},
			classificationField(p.Classification, ch.parties, ""),
		}
	},
	read: func(vals url.Values, p *parley.Party, _ *choices) error {
		p.Name, p.Kind = formLine(vals, "name"), parley.PartyKind(formLine(vals, "kind"))
		p.Classification = formClassification(vals)
		return nil
	},
	done: func(p *parley.Party) string { return processURL(p.ProcessID) + "#parties" },
	back: func(p *parley.Party) string { return processURL(p.ProcessID) + "#parties" },
}
