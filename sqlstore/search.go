package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"parley"
)

// SearchService searches point texts and contact summaries with FTS5.
type SearchService struct{ db *DB }

// NewSearchService returns the search service of db.
func NewSearchService(db *DB) *SearchService { return &SearchService{db: db} }

var _ parley.SearchService = (*SearchService)(nil)

// Snippet markers: control characters that cannot occur in stored text
// (the parser normalises them away), so they cannot be confused with it.
const (
	markOpen  = "\x02"
	markClose = "\x03"
)

// Search returns the points and contacts of a process matching the query,
// best first (FTS5's bm25 rank).
func (s *SearchService) Search(ctx context.Context, sq parley.SearchQuery) ([]*parley.SearchHit, error) {
	if !utf8.ValidString(sq.Text) {
		return nil, parley.FieldErrorf("q", "the search is not valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(sq.Text); n > parley.MaxQueryLen {
		return nil, parley.FieldErrorf("q", "the search is %d characters long, more than %d", n, parley.MaxQueryLen)
	}
	v, _, err := newView(ctx, s.db.read, sq.ProcessID)
	if err != nil {
		return nil, err
	}
	// Only what the actor may see is searched, so that hidden records
	// count neither in the hits nor against the limit.
	visible := "1 = 1"
	var refs string
	if !v.all() {
		var ids []string
		for _, table := range []string{"versions", "contacts"} {
			seen, err := v.load(table)
			if err != nil {
				return nil, err
			}
			for id, s := range seen {
				if s.ok {
					ids = append(ids, id)
				}
			}
		}
		visible, refs = "s.ref IN (SELECT value FROM json_each($6))", encodeJSON(ids)
	}
	match := matchExpr(sq.Text)
	if match == "" {
		return nil, nil
	}
	limit := sq.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, parley.MaxSearchLimit)
	args := []any{markOpen, markClose, match, sq.ProcessID, limit}
	if refs != "" {
		args = append(args, refs)
	}
	rows, err := s.db.read.QueryContext(ctx, `
		SELECT s.kind, s.ref, s.point_id, snippet(search, 0, $1, $2, '…', 24),
			coalesce(pl.title || ': ' || v.label || ', point ' || s.point_id, ''),
			coalesce(c.kind, ''), coalesce(c.place, ''), coalesce(v.date, c.start_utc, ''),
			coalesce(c.start_zone, ''), coalesce(c.start_offset, 0)
		FROM search s
		LEFT JOIN versions v ON s.kind = 'point' AND v.id = s.ref
		LEFT JOIN plans pl ON pl.id = v.plan_id
		LEFT JOIN contacts c ON s.kind = 'contact' AND c.id = s.ref
		WHERE search MATCH $3 AND s.process_id = $4 AND `+visible+`
		ORDER BY rank LIMIT $5`, args...)
	if err != nil {
		return nil, parley.Internal(fmt.Errorf("search %q: %w", match, err))
	}
	defer rows.Close()
	var hits []*parley.SearchHit
	for rows.Next() {
		var h parley.SearchHit
		var ref, snippet, kind, place, date, zone string
		var offset int
		if err := rows.Scan(&h.Kind, &ref, &h.PointID, &snippet, &h.Title, &kind, &place, &date, &zone, &offset); err != nil {
			return nil, parley.Internal(err)
		}
		h.Date, _ = parseTime(date)
		if h.Kind == "point" {
			h.VersionID = ref
		} else {
			// Named as everywhere else: on its day where it took place.
			c := parley.Contact{Kind: parley.ContactKind(kind), Place: place, Start: inZone(h.Date, zone, offset)}
			h.ContactID, h.PointID, h.Date, h.Title = ref, "", c.Start, c.Title()
		}
		h.Snippet = snippetRuns(snippet)
		hits = append(hits, &h)
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	if err := logHits(v, s.db, hits); err != nil {
		return nil, err
	}
	return hits, nil
}

// logHits records the read of the hidden records a search showed.
func logHits(v *view, db *DB, hits []*parley.SearchHit) error {
	var versions, contacts []string
	for _, h := range hits {
		if h.Kind == "point" {
			versions = append(versions, h.VersionID)
		} else {
			contacts = append(contacts, h.ContactID)
		}
	}
	if err := v.logRead(db, "version", "versions", slices.Compact(slices.Sorted(slices.Values(versions)))); err != nil {
		return err
	}
	return v.logRead(db, "contact", "contacts", contacts)
}

// matchExpr turns what a person typed into an FTS5 query that cannot be
// a syntax error: every word and "quoted phrase" becomes a quoted string,
// all of them required, and the last bare word matches as a prefix, so
// that "sanct" finds "sanctions". Operators and punctuation are text.
func matchExpr(text string) string {
	var terms []string
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	words := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	}
	lastBare := false
	for i, part := range strings.Split(text, `"`) {
		ws := words(part)
		if len(ws) == 0 {
			continue
		}
		if i%2 == 1 { // inside quotes: a phrase
			terms = append(terms, quote(strings.Join(ws, " ")))
			lastBare = false
			continue
		}
		for _, w := range ws {
			terms = append(terms, quote(w))
		}
		lastBare = true
	}
	if len(terms) == 0 {
		return ""
	}
	if lastBare {
		terms[len(terms)-1] += "*"
	}
	return strings.Join(terms, " ")
}

// snippetRuns cuts a snippet marked with markOpen and markClose into runs.
func snippetRuns(s string) []parley.SnippetRun {
	var runs []parley.SnippetRun
	for s != "" {
		i := strings.Index(s, markOpen)
		if i < 0 {
			runs = append(runs, parley.SnippetRun{Text: s})
			break
		}
		if i > 0 {
			runs = append(runs, parley.SnippetRun{Text: s[:i]})
		}
		s = s[i+len(markOpen):]
		j := strings.Index(s, markClose)
		if j < 0 {
			j = len(s)
		}
		runs = append(runs, parley.SnippetRun{Text: s[:j], Match: true})
		s = strings.TrimPrefix(s[j:], markClose)
	}
	return runs
}
