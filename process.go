package parley

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds on user input, checked by Validate methods.
const (
	MaxNameLen    = 200     // names, titles, labels, places
	MaxSummaryLen = 20_000  // summaries and notes
	MaxTextLen    = 4 << 20 // a version's text, a transcript
	MaxURLLen     = 2000    // a source's URL
	MaxRefs       = 1000    // IDs in one list (members, participants, sources)
)

// checkRefs bounds a list of IDs.
func checkRefs(field string, ids []string) error {
	if len(ids) > MaxRefs {
		return FieldErrorf(field, "%s lists %d records, more than %d", field, len(ids), MaxRefs)
	}
	return nil
}

// Process is a peace process: the frame every other record belongs to.
type Process struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Summary string `json:"summary,omitempty"`
	// Topics are the process's own point tags, beside the built-in ones.
	Topics         []string       `json:"topics,omitempty"`
	Classification Classification `json:"classification"`
	Created        time.Time      `json:"created"`
	Updated        time.Time      `json:"updated"`
	// Revision counts the writes to the process and to every record in
	// it. Stores set it; anything drawn from the process's records at one
	// revision is still right while the revision is the same.
	Revision int64 `json:"revision"`
}

// IsTopic reports whether tag is a built-in topic or one of the process's.
func (p *Process) IsTopic(tag string) bool { return IsTopic(tag) || slices.Contains(p.Topics, tag) }

// Validate checks a process before it is stored.
func (p *Process) Validate() error {
	var errs problems
	errs.add(checkName("name", p.Name))
	errs.add(checkLen("summary", p.Summary, MaxSummaryLen))
	for _, t := range p.Topics {
		errs.add(checkName("topics", t))
	}
	errs.add(p.Classification.Validate())
	return errs.err()
}

// PartyKind is what kind of actor a party is.
type PartyKind string

// The kinds of party.
const (
	State        PartyKind = "state"
	Organisation PartyKind = "organisation"
	ArmedGroup   PartyKind = "armed_group"
	Mediator     PartyKind = "mediator"
)

// Party is a side, a stakeholder or a mediator in a process.
type Party struct {
	ID             string         `json:"id"`
	ProcessID      string         `json:"process_id"`
	Name           string         `json:"name"`
	Kind           PartyKind      `json:"kind"`
	Classification Classification `json:"classification"`
}

// Validate checks a party before it is stored.
func (p *Party) Validate() error {
	var errs problems
	errs.add(checkName("name", p.Name))
	errs.add(checkOneOf("kind", "kind of party", p.Kind, State, Organisation, ArmedGroup, Mediator))
	errs.add(p.Classification.Validate())
	return errs.err()
}

// Person is an envoy, adviser or leader.
type Person struct {
	ID             string         `json:"id"`
	ProcessID      string         `json:"process_id"`
	Name           string         `json:"name"`
	PartyID        string         `json:"party_id,omitempty"`
	Role           string         `json:"role,omitempty"`
	Classification Classification `json:"classification"`
}

// Validate checks a person before it is stored.
func (p *Person) Validate() error {
	var errs problems
	errs.add(checkName("name", p.Name))
	errs.add(checkLen("role", p.Role, MaxNameLen))
	errs.add(p.Classification.Validate())
	return errs.err()
}

// ChannelKind is how a channel works.
type ChannelKind string

// The kinds of channel.
const (
	Official     ChannelKind = "official"
	Backchannel  ChannelKind = "backchannel"
	Multilateral ChannelKind = "multilateral"
)

// Channel is a line of communication between parties. Its contacts
// inherit its classification unless told otherwise.
type Channel struct {
	ID             string         `json:"id"`
	ProcessID      string         `json:"process_id"`
	Name           string         `json:"name"`
	Kind           ChannelKind    `json:"kind"`
	PartyIDs       []string       `json:"party_ids"`
	Classification Classification `json:"classification"`
}

// Validate checks a channel before it is stored.
func (c *Channel) Validate() error {
	var errs problems
	errs.add(checkName("name", c.Name))
	errs.add(checkOneOf("kind", "kind of channel", c.Kind, Official, Backchannel, Multilateral))
	errs.add(checkRefs("party_ids", c.PartyIDs))
	errs.add(c.Classification.Validate())
	return errs.err()
}

// ContactKind is what happened.
type ContactKind string

// The kinds of contact.
const (
	Call     ContactKind = "call"
	Meeting  ContactKind = "meeting"
	Summit   ContactKind = "summit"
	Message  ContactKind = "message"
	Document ContactKind = "document"
	Leak     ContactKind = "leak"
)

// ContactStatus is whether a contact took place.
type ContactStatus string

// The statuses of a contact.
const (
	Planned   ContactStatus = "planned"
	Held      ContactStatus = "held"
	Cancelled ContactStatus = "cancelled"
	Shelved   ContactStatus = "shelved"
)

// Contact is a call, meeting, summit, message, document or leak.
type Contact struct {
	ID        string        `json:"id"`
	ProcessID string        `json:"process_id"`
	Kind      ContactKind   `json:"kind"`
	Status    ContactStatus `json:"status"`
	// Start keeps its time zone: a call at 10:00 in Moscow is not one at
	// 10:00 in Washington.
	Start time.Time `json:"start"`
	// Minutes is how long it lasted, when known.
	Minutes int    `json:"duration_minutes,omitempty"`
	Place   string `json:"place,omitempty"`
	// PersonIDs are the participants.
	PersonIDs  []string `json:"person_ids,omitempty"`
	ChannelID  string   `json:"channel_id,omitempty"`
	Summary    string   `json:"summary,omitempty"`
	Transcript string   `json:"transcript,omitempty"`
	SourceIDs  []string `json:"source_ids,omitempty"`
	// Classification, when nil, is the channel's.
	Classification *Classification `json:"classification,omitempty"`
}

// Validate checks a contact before it is stored.
func (c *Contact) Validate() error {
	var errs problems
	errs.add(checkOneOf("kind", "kind of contact", c.Kind, Call, Meeting, Summit, Message, Document, Leak))
	errs.add(checkOneOf("status", "status", c.Status, Planned, Held, Cancelled, Shelved))
	if c.Start.IsZero() {
		errs.add(FieldErrorf("start", "start time is required"))
	}
	if y := c.Start.UTC().Year(); y < 1800 || y > 9999 {
		errs.add(FieldErrorf("start", "start year %d is out of range (1800 to 9999)", y))
	}
	errs.add(checkRefs("person_ids", c.PersonIDs))
	errs.add(checkRefs("source_ids", c.SourceIDs))
	if c.Minutes < 0 {
		errs.add(FieldErrorf("duration_minutes", "duration cannot be negative"))
	}
	errs.add(checkLen("place", c.Place, MaxNameLen))
	errs.add(checkLen("summary", c.Summary, MaxSummaryLen))
	errs.add(checkLen("transcript", c.Transcript, MaxTextLen))
	if c.Classification == nil {
		if c.ChannelID == "" {
			errs.add(FieldErrorf("classification", "a contact outside a channel needs its own classification"))
		}
		return errs.err()
	}
	errs.add(c.Classification.Validate())
	return errs.err()
}

// Title names a contact by its kind, its day where it took place, and its
// place: "Call, 14 October 2025 (Telephone)".
func (c *Contact) Title() string {
	kind := string(c.Kind)
	if kind != "" {
		kind = strings.ToUpper(kind[:1]) + kind[1:]
	}
	title := kind + ", " + c.Start.Format("2 January 2006")
	if c.Place != "" {
		title += " (" + c.Place + ")"
	}
	return title
}

// Source is where a fact comes from: a URL or a document, rated with the
// Admiralty code (reliability of the source A–F, credibility of the
// information 1–6).
type Source struct {
	ID          string    `json:"id"`
	ProcessID   string    `json:"process_id"`
	URL         string    `json:"url,omitempty"`
	Title       string    `json:"title,omitempty"`
	Outlet      string    `json:"outlet,omitempty"`
	Published   time.Time `json:"published,omitzero"`
	Reliability string    `json:"reliability"` // "A" (reliable) to "F" (cannot be judged)
	Credibility int       `json:"credibility"` // 1 (confirmed) to 6 (cannot be judged)
	// Classification says who may see the source itself.
	Classification Classification `json:"classification"`
}

// Validate checks a source before it is stored.
func (s *Source) Validate() error {
	var errs problems
	if s.URL == "" && s.Title == "" {
		errs.add(FieldErrorf("url", "a source needs a URL or a document title"))
	}
	if len(s.URL) > MaxURLLen {
		errs.add(FieldErrorf("url", "the URL is %d bytes long, more than %d", len(s.URL), MaxURLLen))
	}
	if s.URL != "" {
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs.add(FieldErrorf("url", "%q is not an http or https URL", s.URL))
		}
	}
	for _, f := range []struct{ name, v string }{{"title", s.Title}, {"outlet", s.Outlet}} {
		errs.add(checkLen(f.name, f.v, MaxNameLen))
	}
	if len(s.Reliability) != 1 || s.Reliability[0] < 'A' || s.Reliability[0] > 'F' {
		errs.add(FieldErrorf("reliability", "reliability is a letter from A (reliable) to F (cannot be judged), not %q", s.Reliability))
	}
	if s.Credibility < 1 || s.Credibility > 6 {
		errs.add(FieldErrorf("credibility", "credibility is a number from 1 (confirmed) to 6 (cannot be judged), not %d", s.Credibility))
	}
	errs.add(s.Classification.Validate())
	return errs.err()
}

// checkName checks a required short text.
func checkName(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return FieldErrorf(field, "%s is required", field)
	}
	return checkLen(field, v, MaxNameLen)
}

// checkLen checks that v is UTF-8 of at most max characters.
func checkLen(field, v string, max int) error {
	if !utf8.ValidString(v) {
		return FieldErrorf(field, "%s is not valid UTF-8 text", field)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return FieldErrorf(field, "%s is %d characters long, more than %d", field, n, max)
	}
	return nil
}

// checkOneOf checks that v is one of the allowed values, naming them all
// when it is not ("unknown status "final" (want draft, tabled or agreed)").
func checkOneOf[T ~string](field, what string, v T, allowed ...T) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	names := make([]string, len(allowed))
	for k, a := range allowed {
		names[k] = string(a)
	}
	list := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	return FieldErrorf(field, "unknown %s %q (want %s)", what, v, list)
}
