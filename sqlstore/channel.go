package sqlstore

import (
	"context"
	"errors"

	"parley"
)

// ChannelService stores the channels of processes.
type ChannelService struct{ db *DB }

// NewChannelService returns the channel service of db.
func NewChannelService(db *DB) *ChannelService { return &ChannelService{db: db} }

var _ parley.ChannelService = (*ChannelService)(nil)

// FindChannelByID returns a channel, or ENOTFOUND.
func (s *ChannelService) FindChannelByID(ctx context.Context, id string) (*parley.Channel, error) {
	return channels.read(ctx, s.db, id)
}

// FindChannels returns the channels of a process, by name.
func (s *ChannelService) FindChannels(ctx context.Context, processID string) ([]*parley.Channel, error) {
	return channels.readInProcess(ctx, s.db, processID)
}

// CreateChannel validates and stores a new channel.
func (s *ChannelService) CreateChannel(ctx context.Context, c *parley.Channel) error {
	return channels.create(ctx, s.db, c)
}

// UpdateChannel replaces the name, kind, member parties and
// classification of channel c.ID.
func (s *ChannelService) UpdateChannel(ctx context.Context, c *parley.Channel) error {
	return channels.update(ctx, s.db, c)
}

// channels is how channels are stored. The member parties are a short
// list read whole with the channel, so they are kept as JSON in one column.
var channels = &recordKind[parley.Channel]{
	what:     "channel",
	table:    "channels",
	columns:  []string{"name", "kind", "party_ids", "classification"},
	order:    "name, id",
	keys:     func(c *parley.Channel) (*string, *string) { return &c.ID, &c.ProcessID },
	validate: (*parley.Channel).Validate,
	values: func(c *parley.Channel) []any {
		return []any{c.Name, c.Kind, encodeJSON(c.PartyIDs), encodeClassification(c.Classification)}
	},
	scan: func(row scanner) (*parley.Channel, error) {
		var c parley.Channel
		var partyIDs, class string
		if err := row.Scan(&c.ID, &c.ProcessID, &c.Name, &c.Kind, &partyIDs, &class); err != nil {
			return nil, err
		}
		var err error
		c.Classification, err = decodeClassification(class)
		return &c, errors.Join(err, decodeJSON(partyIDs, &c.PartyIDs))
	},
	class: func(_ context.Context, _ querier, c *parley.Channel) (parley.Classification, error) {
		return c.Classification, nil
	},
	frame: true,
	scrub: func(v *view, c *parley.Channel) (err error) {
		c.PartyIDs, err = v.keep("parties", c.PartyIDs)
		return err
	},
	refs: func(ctx context.Context, q querier, c *parley.Channel, processID string) error {
		if err := checkRefs(ctx, q, "parties", "party_ids", "party", c.PartyIDs, processID); err != nil {
			return err
		}
		return checkClassificationRefs(ctx, q, c.Classification, processID)
	},
}
