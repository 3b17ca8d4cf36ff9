package web

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"parley"
)

// commonZones are suggested for the time zone of a contact: those of the
// places where talks are usually held.
var commonZones = []string{
	"UTC", "Europe/Moscow", "Europe/Kyiv", "America/New_York", "Europe/London", "Europe/Paris", "Europe/Berlin",
	"Europe/Zurich", "Europe/Istanbul", "Asia/Riyadh", "Asia/Qatar", "Asia/Dubai", "Asia/Jerusalem", "Africa/Cairo",
}

// localLayout is how a datetime-local input writes a time.
const localLayout = "2006-01-02T15:04"

// contactForm is the form of a contact.
var contactForm = &recordForm[parley.Contact]{
	noun: "contact",
	intro: "A contact is a call, a meeting, a summit, a message, a document or a leak. Give its time as it was where it " +
		"took place, with that place's time zone.",
	start: inProcess(func(proc *parley.Process) *parley.Contact {
		return &parley.Contact{ProcessID: proc.ID, Kind: parley.Meeting, Status: parley.Held}
	}),
	store: func(svc parley.Services) recordStore[parley.Contact] {
		return recordStore[parley.Contact]{svc.Contacts.FindContactByID, svc.Contacts.CreateContact, svc.Contacts.UpdateContact}
	},
	target: func(svc parley.Services, c *parley.Contact, ch *choices) *shareTarget {
		var channel *parley.Channel
		if k := slices.IndexFunc(ch.channels, func(x *parley.Channel) bool { return x.ID == c.ChannelID }); k >= 0 {
			channel = ch.channels[k]
		}
		return contactTarget(svc, c, channel)
	},
	process: func(c *parley.Contact) string { return c.ProcessID },
	name:    (*parley.Contact).Title,
	fields:  contactFields,
	read:    readContact,
	done:    func(c *parley.Contact) string { return contactURL(c.ID) },
	back: func(c *parley.Contact) string {
		if c.ID == "" {
			return processURL(c.ProcessID) + "#contacts"
		}
		return contactURL(c.ID)
	},
}

// contactFields are the inputs of a contact.
func contactFields(c *parley.Contact, ch *choices) []*field {
	start, zone := "", "UTC"
	if !c.Start.IsZero() {
		start, zone = c.Start.Format(localLayout), c.Start.Location().String()
	}
	channels := []option{{Value: "", Label: "(outside any channel)"}}
	for _, x := range ch.channels {
		channels = append(channels, option{Value: x.ID, Label: x.Name})
	}
	n := newNames(ch.parties, nil, nil, nil, nil, nil)
	var people []option
	for _, p := range ch.people {
		label := p.Name
		if p.PartyID != "" {
			label += " (" + n.Party(p.PartyID) + ")"
		}
		people = append(people, option{Value: p.ID, Label: label})
	}
	minutes := ""
	if c.Minutes > 0 {
		minutes = strconv.Itoa(c.Minutes)
	}
	class := parley.Classification{}
	if c.Classification != nil {
		class = *c.Classification
	}
	return []*field{
		{Name: "kind", Label: "Kind", Type: "select", Value: string(c.Kind),
			Options: choiceOptions(parley.Call, parley.Meeting, parley.Summit, parley.Message, parley.Document, parley.Leak)},
		{Name: "status", Label: "Status", Type: "select", Value: string(c.Status),
			Options: choiceOptions(parley.Held, parley.Planned, parley.Cancelled, parley.Shelved)},
		{Name: "start", Label: "Local date and time", Type: "datetime-local", Value: start, Required: true},
		{Name: "start_zone", Label: "Time zone", Type: "text", Value: zone, List: "zones", Suggest: commonZones,
			Help: "An IANA name such as Europe/Moscow or America/New_York, or UTC."},
		{Name: "duration_minutes", Label: "Duration in minutes", Type: "number", Min: "0", Value: minutes},
		{Name: "place", Label: "Place", Type: "text", Value: c.Place},
		{Name: "channel_id", Label: "Channel", Type: "select", Value: c.ChannelID, Options: channels},
		{Name: "person_ids", Label: "Participants", Type: "checkboxes", Values: c.PersonIDs, Options: people},
		{Name: "summary", Label: "Summary", Type: "textarea", Rows: 4, Value: c.Summary},
		{Name: "transcript", Label: "Transcript", Type: "textarea", Rows: 8, Value: c.Transcript},
		{Name: "source_ids", Label: "Sources", Type: "checkboxes", Values: c.SourceIDs, Options: sourceOptions(ch.sources)},
		classificationField(class, ch.parties, "As its channel"),
	}
}

// readContact reads a contact's form.
func readContact(vals url.Values, c *parley.Contact, _ *choices) error {
	c.Kind, c.Status = parley.ContactKind(formLine(vals, "kind")), parley.ContactStatus(formLine(vals, "status"))
	c.Place, c.ChannelID = formLine(vals, "place"), formLine(vals, "channel_id")
	c.PersonIDs, c.SourceIDs = formIDs(vals, "person_ids"), formIDs(vals, "source_ids")
	c.Summary, c.Transcript = formText(vals, "summary"), formText(vals, "transcript")
	var minutesErr, startErr error
	c.Minutes, minutesErr = formInt(vals, "duration_minutes", "the duration")
	c.Start, startErr = formLocalTime(vals, "start", "start_zone")
	c.Classification = nil
	if class := formClassification(vals); class.Level != "" {
		c.Classification = &class
	}
	return cmp.Or(minutesErr, startErr)
}

// formLocalTime reads a local time and the IANA name of its zone; zero
// when the time is empty.
func formLocalTime(vals url.Values, name, zoneName string) (time.Time, error) {
	zone := formLine(vals, zoneName)
	if zone == "" {
		zone = "UTC"
	}
	// "Local" is the server's zone, which means nothing to the reader.
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "Local" {
		return time.Time{}, parley.FieldErrorf(zoneName, "unknown time zone %q: give an IANA name such as Europe/Moscow, or UTC", zone)
	}
	v := formLine(vals, name)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{localLayout, "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	// Often only the day is known: noon, local time, as the demo does.
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return t.Add(12 * time.Hour), nil
	}
	// A date in the right form that does not exist (month 13) says so.
	if len(v) >= len(time.DateOnly) {
		if _, err := time.Parse(time.DateOnly, v[:len(time.DateOnly)]); err != nil && v[4] == '-' && v[7] == '-' {
			return time.Time{}, parley.FieldErrorf(name, "%q is not a day of the calendar", v[:len(time.DateOnly)])
		}
	}
	return time.Time{}, parley.FieldErrorf(name, "the date and time must be given as 2025-11-20T10:00 (or only the day, 2025-11-20, for noon), not %q", v)
}

// contactPage is the data of a contact's page.
type contactPage struct {
	view
	Contact *parley.Contact
	Names   *names
	// Channel is the contact's channel, or nil.
	Channel *parley.Channel
	// Class says who may see the contact.
	Class template.HTML
	// Share changes who may see it; nil for a reader who may not.
	Share   *embeddedShare
	Sources []*parley.Source
	// Raised are the points whose provenance names this contact, by
	// version.
	Raised []*parley.PointStep
}

// handleContactPage shows a contact: its kind, status, time in its zone,
// duration, place, participants, channel, summary, transcript and
// sources.
func (s *Server) handleContactPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Contacts.FindContactByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ch, err := s.loadChoices(r.Context(), c.ProcessID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	n := newNames(ch.parties, ch.people, ch.channels, ch.sources, nil, nil)
	pg := &contactPage{view: view{Title: c.Title(), Process: ch.process}, Contact: c, Names: n, Channel: n.channels[c.ChannelID]}
	for _, id := range c.SourceIDs {
		pg.Sources = append(pg.Sources, n.Source(id))
	}
	if pg.Raised, err = s.svc.Plans.FindPointsByContact(r.Context(), c.ID); err != nil {
		s.pageError(w, r, err)
		return
	}
	pg.Class = contactBadge(c, n)
	pg.Share = embedShare(r.Context(), contactTarget(s.svc, c, pg.Channel), ch.parties)
	s.render(w, r, http.StatusOK, "contact.html", pg)
}
