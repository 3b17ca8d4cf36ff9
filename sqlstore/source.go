package sqlstore

import (
	"context"
	"database/sql"

	"parley"
)

// SourceService stores the sources of processes.
type SourceService struct{ db *DB }

// NewSourceService returns the source service of db.
func NewSourceService(db *DB) *SourceService { return &SourceService{db: db} }

var _ parley.SourceService = (*SourceService)(nil)

// FindSourceByID returns a source, or ENOTFOUND.
func (s *SourceService) FindSourceByID(ctx context.Context, id string) (*parley.Source, error) {
	return sources.read(ctx, s.db, id)
}

// FindSources returns the sources of a process, by outlet and title.
func (s *SourceService) FindSources(ctx context.Context, processID string) ([]*parley.Source, error) {
	return sources.readInProcess(ctx, s.db, processID)
}

// FindRecentSources returns limit of the sources of a process the actor
// may see, the latest published first and those of unknown date last,
// after the first offset of them, and how many the actor may see in all.
func (s *SourceService) FindRecentSources(ctx context.Context, processID string, limit, offset int) ([]*parley.Source, int, error) {
	return sources.readRecent(ctx, s.db, processID, recentSources, limit, offset)
}

// recentSources reads sources the latest published first. A source keeps
// no time it was recorded at, so its publication date, the date it adds to
// the story, orders it; undated ones come last, and sources of one date
// follow their IDs. The date is RFC 3339 text in UTC with a trimmed
// fraction, which sorts 10:00:00.5Z before 10:00:00Z; without its Z it
// sorts as time does.
var recentSources = recentQuery{
	from:  "sources r",
	class: "r.classification",
	order: "replace(r.published, 'Z', '') DESC NULLS LAST, r.id DESC",
	count: "SELECT classification, n FROM record_counts WHERE process_id = $1 AND tbl = 'sources'",
}

// CreateSource validates and stores a new source.
func (s *SourceService) CreateSource(ctx context.Context, src *parley.Source) error {
	return sources.create(ctx, s.db, src)
}

// UpdateSource replaces the citation, ratings and classification of
// source src.ID.
func (s *SourceService) UpdateSource(ctx context.Context, src *parley.Source) error {
	return sources.update(ctx, s.db, src)
}

// sources is how sources are stored. An unknown publication date is NULL
// rather than the zero time, so that it reads back as unknown.
var sources = &recordKind[parley.Source]{
	what:  "source",
	table: "sources",
	columns: []string{"url", "title", "outlet", "published", "reliability", "credibility",
		"classification"},
	order:    "outlet, title, id",
	keys:     func(s *parley.Source) (*string, *string) { return &s.ID, &s.ProcessID },
	validate: (*parley.Source).Validate,
	values: func(s *parley.Source) []any {
		var published any
		if !s.Published.IsZero() {
			published = formatTime(s.Published)
		}
		return []any{s.URL, s.Title, s.Outlet, published, s.Reliability, s.Credibility,
			encodeClassification(s.Classification)}
	},
	scan: func(row scanner) (*parley.Source, error) {
		var s parley.Source
		var published sql.NullString
		var class string
		if err := row.Scan(&s.ID, &s.ProcessID, &s.URL, &s.Title, &s.Outlet, &published, &s.Reliability,
			&s.Credibility, &class); err != nil {
			return nil, err
		}
		var err error
		if published.Valid {
			if s.Published, err = parseTime(published.String); err != nil {
				return nil, err
			}
		}
		s.Classification, err = decodeClassification(class)
		return &s, err
	},
	class: func(_ context.Context, _ querier, s *parley.Source) (parley.Classification, error) {
		return s.Classification, nil
	},
	refs: func(ctx context.Context, q querier, s *parley.Source, processID string) error {
		return checkClassificationRefs(ctx, q, s.Classification, processID)
	},
}
