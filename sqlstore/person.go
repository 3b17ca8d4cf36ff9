package sqlstore

import (
	"context"
	"database/sql"

	"parley"
)

// PersonService stores the people of processes: envoys, advisers, leaders.
type PersonService struct{ db *DB }

// NewPersonService returns the person service of db.
func NewPersonService(db *DB) *PersonService { return &PersonService{db: db} }

var _ parley.PersonService = (*PersonService)(nil)

// FindPersonByID returns a person, or ENOTFOUND.
func (s *PersonService) FindPersonByID(ctx context.Context, id string) (*parley.Person, error) {
	return people.read(ctx, s.db, id)
}

// FindPeople returns the people of a process, by name.
func (s *PersonService) FindPeople(ctx context.Context, processID string) ([]*parley.Person, error) {
	return people.readInProcess(ctx, s.db, processID)
}

// CreatePerson validates and stores a new person.
func (s *PersonService) CreatePerson(ctx context.Context, p *parley.Person) error {
	return people.create(ctx, s.db, p)
}

// UpdatePerson replaces the name, party, role and classification of
// person p.ID.
func (s *PersonService) UpdatePerson(ctx context.Context, p *parley.Person) error {
	return people.update(ctx, s.db, p)
}

// people is how people are stored.
var people = &recordKind[parley.Person]{
	what:     "person",
	table:    "people",
	columns:  []string{"name", "party_id", "role", "classification"},
	order:    "name, id",
	keys:     func(p *parley.Person) (*string, *string) { return &p.ID, &p.ProcessID },
	validate: (*parley.Person).Validate,
	values: func(p *parley.Person) []any {
		return []any{p.Name, nullable(p.PartyID), p.Role, encodeClassification(p.Classification)}
	},
	scan: func(row scanner) (*parley.Person, error) {
		var p parley.Person
		var party sql.NullString
		var class string
		if err := row.Scan(&p.ID, &p.ProcessID, &p.Name, &party, &p.Role, &class); err != nil {
			return nil, err
		}
		p.PartyID = party.String
		var err error
		p.Classification, err = decodeClassification(class)
		return &p, err
	},
	class: func(_ context.Context, _ querier, p *parley.Person) (parley.Classification, error) {
		return p.Classification, nil
	},
	frame: true,
	scrub: func(v *view, p *parley.Person) (err error) {
		p.PartyID, err = v.ref("parties", p.PartyID)
		return err
	},
	refs: func(ctx context.Context, q querier, p *parley.Person, processID string) error {
		if err := checkOptionalRef(ctx, q, "parties", "party_id", "party", p.PartyID, processID); err != nil {
			return err
		}
		return checkClassificationRefs(ctx, q, p.Classification, processID)
	},
}
