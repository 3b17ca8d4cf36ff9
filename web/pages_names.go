package web

import (
	"strings"

	"parley"
)

// names finds the names of a process's records from their IDs, for pages
// that show references: "proposed by Russia" rather than an ID. A record
// that is not listed (not loaded, or not visible to the reader) is shown
// by its ID.
type names struct {
	parties  map[string]*parley.Party
	people   map[string]*parley.Person
	channels map[string]*parley.Channel
	sources  map[string]*parley.Source
	contacts map[string]*parley.Contact
	versions map[string]versionName
}

// versionName names a version: its label and its plan's title.
type versionName struct {
	Label, Plan string
}

// byID indexes records by ID.
func byID[T any](recs []*T, id func(*T) string) map[string]*T {
	m := make(map[string]*T, len(recs))
	for _, r := range recs {
		m[id(r)] = r
	}
	return m
}

// newNames indexes the lists it is given; any may be nil.
func newNames(parties []*parley.Party, people []*parley.Person, channels []*parley.Channel,
	sources []*parley.Source, contacts []*parley.Contact, plans []*parley.Plan) *names {
	n := &names{
		parties:  byID(parties, func(p *parley.Party) string { return p.ID }),
		people:   byID(people, func(p *parley.Person) string { return p.ID }),
		channels: byID(channels, func(c *parley.Channel) string { return c.ID }),
		sources:  byID(sources, func(s *parley.Source) string { return s.ID }),
		contacts: byID(contacts, func(c *parley.Contact) string { return c.ID }),
		versions: map[string]versionName{},
	}
	n.addPlans(plans...)
	return n
}

// addPlans adds the names of the plans' versions.
func (n *names) addPlans(plans ...*parley.Plan) {
	for _, p := range plans {
		for _, v := range p.Versions {
			n.versions[v.ID] = versionName{Label: v.Label, Plan: p.Title}
		}
	}
}

// Party names a party.
func (n *names) Party(id string) string {
	if p := n.parties[id]; p != nil {
		return p.Name
	}
	return id
}

// Parties names parties, joined by commas.
func (n *names) Parties(ids []string) string {
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = n.Party(id)
	}
	return strings.Join(out, ", ")
}

// Person names a person.
func (n *names) Person(id string) string {
	if p := n.people[id]; p != nil {
		return p.Name
	}
	return id
}

// Channel names a channel.
func (n *names) Channel(id string) string {
	if c := n.channels[id]; c != nil {
		return c.Name
	}
	return id
}

// Source returns a source, or a stand-in that shows its ID.
func (n *names) Source(id string) *parley.Source {
	if s := n.sources[id]; s != nil {
		return s
	}
	return &parley.Source{ID: id, Title: id}
}

// SourceName names a source by its title and outlet.
func (n *names) SourceName(id string) string { return sourceName(n.Source(id)) }

// Contact names a contact by its kind, day and place: "Meeting, 23
// November 2025 (Geneva)".
func (n *names) Contact(id string) string {
	c := n.contacts[id]
	if c == nil {
		return id
	}
	return c.Title()
}

// Version names a version by its label.
func (n *names) Version(id string) string {
	if v, ok := n.versions[id]; ok {
		return v.Label
	}
	return id
}

// VersionPlan names the plan of a version, or "".
func (n *names) VersionPlan(id string) string { return n.versions[id].Plan }

// Class says who may see a record of classification c, naming the
// parties.
func (n *names) Class(c parley.Classification) string {
	switch c.Level {
	case parley.Shared:
		return "shared with " + n.Parties(c.PartyIDs)
	case parley.Confidential:
		return "confidential to " + n.Parties(c.PartyIDs)
	case parley.ProcessWide:
		return "process participants"
	case parley.MediatorsOnly:
		return "mediators only"
	}
	return string(c.Level)
}

// capitalize upper-cases the first letter of an ASCII word.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
