package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"parley"
)

// ContactService stores the contacts of processes: calls, meetings,
// summits, messages, documents and leaks.
type ContactService struct{ db *DB }

// NewContactService returns the contact service of db.
func NewContactService(db *DB) *ContactService { return &ContactService{db: db} }

var _ parley.ContactService = (*ContactService)(nil)

// FindContactByID returns a contact, or ENOTFOUND.
func (s *ContactService) FindContactByID(ctx context.Context, id string) (*parley.Contact, error) {
	return contacts.read(ctx, s.db, id)
}

// FindContacts returns the contacts of a process in the order they
// started, whatever the time zones they are recorded in.
func (s *ContactService) FindContacts(ctx context.Context, processID string) ([]*parley.Contact, error) {
	return contacts.readInProcess(ctx, s.db, processID)
}

// FindRecentContacts returns limit of the contacts of a process the actor
// may see, the latest to start first, after the first offset of them, and
// how many the actor may see in all.
func (s *ContactService) FindRecentContacts(ctx context.Context, processID string, limit, offset int) ([]*parley.Contact, int, error) {
	return contacts.readRecent(ctx, s.db, processID, recentContacts, limit, offset)
}

// recentContacts reads contacts the latest to start first, judged by
// their own classification or else their channel's, as the view judges
// them. A contact keeps no time it was recorded at: contacts that start
// at the same instant follow their IDs.
var recentContacts = recentQuery{
	from:  "contacts r LEFT JOIN channels ch ON ch.id = r.channel_id",
	class: "coalesce(r.classification, ch.classification)",
	order: "r.start_utc DESC, r.id DESC",
	count: `SELECT coalesce(nullif(g.classification, ''), ch.classification), sum(g.n) FROM record_counts g
		LEFT JOIN channels ch ON ch.id = g.channel_id WHERE g.process_id = $1 AND g.tbl = 'contacts'
		GROUP BY coalesce(nullif(g.classification, ''), ch.classification)`,
}

// CreateContact validates and stores a new contact.
func (s *ContactService) CreateContact(ctx context.Context, c *parley.Contact) error {
	return contacts.create(ctx, s.db, c)
}

// UpdateContact replaces everything but the ID and process of contact c.ID.
func (s *ContactService) UpdateContact(ctx context.Context, c *parley.Contact) error {
	return contacts.update(ctx, s.db, c)
}

// contacts is how contacts are stored. The start is kept twice over: the
// instant in UTC, so that contacts sort by when they happened, and the
// zone it was recorded in, so that a call at 10:00 in Moscow reads back
// as 10:00 in Moscow. A nil classification (the channel's) is NULL.
var contacts = &recordKind[parley.Contact]{
	what:  "contact",
	table: "contacts",
	columns: []string{"kind", "status", "start_utc", "start_zone", "start_offset", "minutes", "place",
		"person_ids", "channel_id", "summary", "transcript", "source_ids", "classification"},
	order:    "start_utc, id",
	keys:     func(c *parley.Contact) (*string, *string) { return &c.ID, &c.ProcessID },
	validate: (*parley.Contact).Validate,
	values: func(c *parley.Contact) []any {
		var class any
		if c.Classification != nil {
			class = encodeClassification(*c.Classification)
		}
		zone, offset := zoneOf(c.Start)
		return []any{c.Kind, c.Status, formatInstant(c.Start), zone, offset, c.Minutes, c.Place,
			encodeJSON(c.PersonIDs), nullable(c.ChannelID), c.Summary, c.Transcript, encodeJSON(c.SourceIDs), class}
	},
	scan: func(row scanner) (*parley.Contact, error) {
		var c parley.Contact
		var start, zone, personIDs, sourceIDs string
		var offset int
		var channel, class sql.NullString
		if err := row.Scan(&c.ID, &c.ProcessID, &c.Kind, &c.Status, &start, &zone, &offset, &c.Minutes, &c.Place,
			&personIDs, &channel, &c.Summary, &c.Transcript, &sourceIDs, &class); err != nil {
			return nil, err
		}
		instant, err := parseTime(start)
		if err != nil {
			return nil, err
		}
		c.Start, c.ChannelID = inZone(instant, zone, offset), channel.String
		if class.Valid {
			cl, err := decodeClassification(class.String)
			if err != nil {
				return nil, err
			}
			c.Classification = &cl
		}
		return &c, errors.Join(decodeJSON(personIDs, &c.PersonIDs), decodeJSON(sourceIDs, &c.SourceIDs))
	},
	class: contactClass,
	keep: func(v *view, old, c *parley.Contact) (err error) {
		if c.PersonIDs, err = v.keepHidden("people", old.PersonIDs, c.PersonIDs); err != nil {
			return err
		}
		if c.SourceIDs, err = v.keepHidden("sources", old.SourceIDs, c.SourceIDs); err != nil {
			return err
		}
		c.ChannelID, err = v.keepHiddenRef("channels", old.ChannelID, c.ChannelID)
		return err
	},
	scrub: func(v *view, c *parley.Contact) (err error) {
		if c.PersonIDs, err = v.keep("people", c.PersonIDs); err != nil {
			return err
		}
		if c.SourceIDs, err = v.keep("sources", c.SourceIDs); err != nil {
			return err
		}
		c.ChannelID, err = v.ref("channels", c.ChannelID)
		return err
	},
	refs: func(ctx context.Context, q querier, c *parley.Contact, processID string) error {
		if err := checkRefs(ctx, q, "people", "person_ids", "person", c.PersonIDs, processID); err != nil {
			return err
		}
		if err := checkOptionalRef(ctx, q, "channels", "channel_id", "channel", c.ChannelID, processID); err != nil {
			return err
		}
		if err := checkRefs(ctx, q, "sources", "source_ids", "source", c.SourceIDs, processID); err != nil {
			return err
		}
		if c.Classification == nil {
			return nil
		}
		return checkClassificationRefs(ctx, q, *c.Classification, processID)
	},
}

// instantLayout writes an instant in UTC with all nine digits of the
// fraction, so that text order is time order: RFC 3339 with trimmed
// fractions would sort 10:00:00.5 before 10:00:00.
const instantLayout = "2006-01-02T15:04:05.000000000Z"

// formatInstant returns t in UTC in instantLayout.
func formatInstant(t time.Time) string { return t.UTC().Format(instantLayout) }

// zoneOf returns the name and offset (seconds east of UTC) of the zone t
// is in. "Local" would mean another zone on another machine, so the zone's
// abbreviation stands for it.
func zoneOf(t time.Time) (string, int) {
	abbr, offset := t.Zone()
	name := t.Location().String()
	if name == "Local" {
		name = abbr
	}
	return name, offset
}

// inZone returns instant t in the zone stored as name and offset: the IANA
// zone of that name when there is one and it agrees on the offset at t,
// else a fixed zone. The check keeps what was recorded when the name is
// only an abbreviation that is also an IANA name (a fixed "CET" in July is
// not IANA's CET, which is then on summer time) or when the zone's rules
// have changed since.
func inZone(t time.Time, name string, offset int) time.Time {
	if loc, err := time.LoadLocation(name); err == nil {
		if local := t.In(loc); zoneOffset(local) == offset {
			return local
		}
	}
	return t.In(time.FixedZone(name, offset))
}

// zoneOffset returns the offset of t's zone in seconds east of UTC.
func zoneOffset(t time.Time) int {
	_, offset := t.Zone()
	return offset
}

// contactClass returns a contact's classification: its own, or else its
// channel's.
func contactClass(ctx context.Context, q querier, c *parley.Contact) (parley.Classification, error) {
	if c.Classification != nil {
		return *c.Classification, nil
	}
	var class string
	if err := q.QueryRowContext(ctx, "SELECT classification FROM channels WHERE id = $1", c.ChannelID).Scan(&class); err != nil {
		if errNoRows(err) {
			return parley.Classification{}, parley.FieldErrorf("channel_id", "no channel %q in this process", c.ChannelID)
		}
		return parley.Classification{}, parley.Internal(err)
	}
	cl, err := decodeClassification(class)
	if err != nil {
		return parley.Classification{}, parley.Internal(err)
	}
	return cl, nil
}
