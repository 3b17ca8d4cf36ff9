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
	match := matchExpr(sq.Text)
	if s.db.dialect == Postgres {
		match = tsQuery(sq.Text)
	}
	if match == "" {
		return nil, nil
	}
	limit := sq.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, parley.MaxSearchLimit)
	// Hits come best first with their classifications, and those the
	// actor may not see are skipped, so that hidden records count neither
	// in the hits nor against the limit: a reader who may not see some
	// reads a few more, page after page, until the limit is reached or
	// the hits run out. Judging the few distinct classifications of the
	// hits costs far less than listing every record the reader may see.
	fetch := limit
	if !v.all() {
		fetch = 2*limit + 10
	}
	var hits []*parley.SearchHit
	seenHit := map[[3]string]bool{}
	for offset := 0; ; {
		n, err := s.searchPage(ctx, v, sq.ProcessID, match, fetch, offset, limit, &hits, seenHit)
		if err != nil {
			return nil, err
		}
		if len(hits) >= limit || n < fetch {
			break
		}
		offset += n
		fetch *= 2
	}
	if err := logHits(v, s.db, hits); err != nil {
		return nil, err
	}
	return hits, nil
}

// searchPage reads up to fetch hits from offset on and adds those the
// actor may see to hits, up to limit, skipping any already there (a write
// between two pages may move a hit); it returns how many it read.
func (s *SearchService) searchPage(ctx context.Context, v *view, processID, match string, fetch, offset, limit int,
	hits *[]*parley.SearchHit, seenHit map[[3]string]bool) (int, error) {
	query := `
		SELECT s.kind, s.ref, s.point_id, snippet(search, 0, $1, $2, '…', 24),
			coalesce(pl.title || ': ' || v.label || ', point ' || s.point_id, ''),
			coalesce(c.kind, ''), coalesce(c.place, ''), coalesce(v.date, c.start_utc, ''),
			coalesce(c.start_zone, ''), coalesce(c.start_offset, 0),
			v.classification, pl.classification, coalesce(c.classification, ch.classification), coalesce(v.id, c.id, '')
		FROM search s
		LEFT JOIN versions v ON s.kind = 'point' AND v.id = s.ref
		LEFT JOIN plans pl ON pl.id = v.plan_id
		LEFT JOIN contacts c ON s.kind = 'contact' AND c.id = s.ref
		LEFT JOIN channels ch ON ch.id = c.channel_id
		WHERE search MATCH $3 AND s.process_id = $4
		ORDER BY rank LIMIT $5 OFFSET $6`
	if s.db.dialect == Postgres {
		// The same, in PostgreSQL's terms: ts_rank for bm25 (higher is
		// better), ts_headline for the snippet. PostgreSQL's parser takes
		// "<b>" for markup and "&amp;" for an entity, and the snippet would
		// lose them: they pass through as private-use characters
		// (U+E000, U+E001), which the parser takes for letters.
		query = `
		SELECT s.kind, s.ref, s.point_id,
			replace(replace(ts_headline('simple', replace(replace(s.body, '&', chr(57345)), '<', chr(57344)), q,
				'StartSel=' || $1::text || ', StopSel=' || $2::text || ', MaxWords=24, MinWords=12'),
				chr(57344), '<'), chr(57345), '&'),
			coalesce(pl.title || ': ' || v.label || ', point ' || s.point_id, ''),
			coalesce(c.kind, ''), coalesce(c.place, ''), coalesce(v.date, c.start_utc, ''),
			coalesce(c.start_zone, ''), coalesce(c.start_offset, 0),
			v.classification, pl.classification, coalesce(c.classification, ch.classification), coalesce(v.id, c.id, '')
		FROM search s CROSS JOIN to_tsquery('simple', lower(public.unaccent('public.unaccent'::regdictionary, $3::text))) q
		LEFT JOIN versions v ON s.kind = 'point' AND v.id = s.ref
		LEFT JOIN plans pl ON pl.id = v.plan_id
		LEFT JOIN contacts c ON s.kind = 'contact' AND c.id = s.ref
		LEFT JOIN channels ch ON ch.id = c.channel_id
		WHERE s.doc @@ q AND s.process_id = $4
		ORDER BY ts_rank(s.doc, q) DESC, s.kind DESC, s.ref, s.point_id LIMIT $5 OFFSET $6`
	}
	rows, err := s.db.read.QueryContext(ctx, query, markOpen, markClose, match, processID, fetch, offset)
	if err != nil {
		if sqlState(err) == "42601" {
			// PostgreSQL folds a few letters to punctuation ("ŉ" to "'n",
			// "½" to " 1/2"), which tsquery reads as its own syntax.
			return 0, parley.FieldErrorf("q", "the search holds letters it cannot match (such as ŉ or ½); leave them out")
		}
		return 0, parley.Internal(fmt.Errorf("search: %w", err))
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		var h parley.SearchHit
		var ref, snippet, kind, place, date, zone string
		var offset int
		var vClass, plClass, cClass *string
		var found string
		if err := rows.Scan(&h.Kind, &ref, &h.PointID, &snippet, &h.Title, &kind, &place, &date, &zone, &offset,
			&vClass, &plClass, &cClass, &found); err != nil {
			return n, parley.Internal(err)
		}
		if found == "" {
			continue // an entry of the index without its record: nothing to show
		}
		table, classes := "contacts", []*string{cClass}
		if h.Kind == "point" {
			table, classes = "versions", []*string{vClass, plClass}
		}
		see, err := v.judge(classes...)
		if err != nil {
			return n, err
		}
		// The view learns the hit's record, so that logging the read
		// needs no lookup.
		v.know(table, ref, see)
		if !see.ok || seenHit[[3]string{h.Kind, ref, h.PointID}] || len(*hits) >= limit {
			continue
		}
		seenHit[[3]string{h.Kind, ref, h.PointID}] = true
		h.Date, _ = parseTime(date)
		if h.Kind == "point" {
			h.VersionID = ref
		} else {
			// Named as everywhere else: on its day where it took place.
			c := parley.Contact{Kind: parley.ContactKind(kind), Place: place, Start: inZone(h.Date, zone, offset)}
			h.ContactID, h.PointID, h.Date, h.Title = ref, "", c.Start, c.Title()
		}
		h.Snippet = snippetRuns(snippet)
		*hits = append(*hits, &h)
	}
	if err := rows.Err(); err != nil {
		return n, parley.Internal(err)
	}
	return n, nil
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

// searchTerms cuts what a person typed into the terms of a query: every
// bare word, and every "quoted phrase" as its words; operators and
// punctuation are text. lastBare says the last term is a bare word, which
// matches as a prefix, so that "sanct" finds "sanctions".
func searchTerms(text string) (terms [][]string, lastBare bool) {
	words := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	}
	for i, part := range strings.Split(text, `"`) {
		ws := words(part)
		if len(ws) == 0 {
			continue
		}
		if i%2 == 1 { // inside quotes: a phrase
			terms, lastBare = append(terms, ws), false
			continue
		}
		for _, w := range ws {
			terms = append(terms, []string{w})
		}
		lastBare = true
	}
	return terms, lastBare
}

// matchExpr turns what a person typed into an FTS5 query that cannot be
// a syntax error: every term a quoted string, all of them required, the
// last bare word a prefix.
func matchExpr(text string) string {
	terms, lastBare := searchTerms(text)
	var out []string
	for _, t := range terms {
		out = append(out, `"`+strings.Join(t, " ")+`"`) // letters and digits only: nothing to escape
	}
	if len(out) == 0 {
		return ""
	}
	if lastBare {
		out[len(out)-1] += "*"
	}
	return strings.Join(out, " ")
}

// tsQuery is matchExpr for PostgreSQL: the same terms as a tsquery of
// quoted lexemes, a phrase's joined by <->. The database folds its words
// as it folds the texts (parley_fold).
func tsQuery(text string) string {
	terms, lastBare := searchTerms(text)
	var out []string
	for _, t := range terms {
		out = append(out, "'"+strings.Join(t, "' <-> '")+"'")
	}
	if len(out) == 0 {
		return ""
	}
	if lastBare {
		out[len(out)-1] += ":*"
	}
	return strings.Join(out, " & ")
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
