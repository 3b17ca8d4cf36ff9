package web

import (
	"net/url"

	"parley"
)

// personForm is the form of a person.
var personForm = &recordForm[parley.Person]{
	noun:  "person",
	intro: "A person is an envoy, an adviser or a leader, usually of one party.",
	start: inProcess(func(proc *parley.Process) *parley.Person {
		return &parley.Person{ProcessID: proc.ID, Classification: inherit(proc.Classification)}
	}),
	store: func(svc parley.Services) recordStore[parley.Person] {
		return recordStore[parley.Person]{svc.People.FindPersonByID, svc.People.CreatePerson, svc.People.UpdatePerson}
	},
	target:  func(svc parley.Services, p *parley.Person, _ *choices) *shareTarget { return personTarget(svc, p) },
	process: func(p *parley.Person) string { return p.ProcessID },
	name:    func(p *parley.Person) string { return p.Name },
	fields: func(p *parley.Person, ch *choices) []*field {
		return []*field{
			{Name: "name", Label: "Name", Type: "text", Value: p.Name, Required: true},
			{Name: "party_id", Label: "Party", Type: "select", Value: p.PartyID, Options: partyOptions(ch.parties, "(no party)")},
			{Name: "role", Label: "Role", Type: "text", Value: p.Role, Help: "Such as special envoy, national security adviser."},
			classificationField(p.Classification, ch.parties, ""),
		}
	},
	read: func(vals url.Values, p *parley.Person, _ *choices) error {
		p.Name, p.PartyID, p.Role = formLine(vals, "name"), formLine(vals, "party_id"), formLine(vals, "role")
		p.Classification = formClassification(vals)
		return nil
	},
	done: func(p *parley.Person) string { return processURL(p.ProcessID) + "#people" },
	back: func(p *parley.Person) string { return processURL(p.ProcessID) + "#people" },
}
