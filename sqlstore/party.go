package sqlstore

import (
	"context"

	"parley"
)

// PartyService stores the parties of processes.
type PartyService struct{ db *DB }

// NewPartyService returns the party service of db.
func NewPartyService(db *DB) *PartyService { return &PartyService{db: db} }

var _ parley.PartyService = (*PartyService)(nil)

// FindPartyByID returns a party, or ENOTFOUND.
func (s *PartyService) FindPartyByID(ctx context.Context, id string) (*parley.Party, error) {
	return parties.read(ctx, s.db, id)
}

// FindParties returns the parties of a process, by name.
func (s *PartyService) FindParties(ctx context.Context, processID string) ([]*parley.Party, error) {
	return parties.readInProcess(ctx, s.db, processID)
}

// CreateParty validates and stores a new party.
func (s *PartyService) CreateParty(ctx context.Context, p *parley.Party) error {
	return parties.create(ctx, s.db, p)
}

// UpdateParty replaces the name, kind and classification of party p.ID.
func (s *PartyService) UpdateParty(ctx context.Context, p *parley.Party) error {
	return parties.update(ctx, s.db, p)
}

// parties is how parties are stored.
var parties = &recordKind[parley.Party]{
	what:     "party",
	table:    "parties",
	columns:  []string{"name", "kind", "classification"},
	order:    "name, id",
	keys:     func(p *parley.Party) (*string, *string) { return &p.ID, &p.ProcessID },
	validate: (*parley.Party).Validate,
	values: func(p *parley.Party) []any {
		return []any{p.Name, p.Kind, encodeClassification(p.Classification)}
	},
	scan: func(row scanner) (*parley.Party, error) {
		var p parley.Party
		var class string
		if err := row.Scan(&p.ID, &p.ProcessID, &p.Name, &p.Kind, &class); err != nil {
			return nil, err
		}
		var err error
		p.Classification, err = decodeClassification(class)
		return &p, err
	},
	class: func(_ context.Context, _ querier, p *parley.Party) (parley.Classification, error) {
		return p.Classification, nil
	},
	frame: true,
	refs: func(ctx context.Context, q querier, p *parley.Party, processID string) error {
		return checkClassificationRefs(ctx, q, p.Classification, processID)
	},
}
