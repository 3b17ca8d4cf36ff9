package sqlstore

import (
	"context"
	"fmt"
	"math"
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
// best first (FTS5's bm25 rank). When more than parley.MaxRanked records
// the actor may see match, it ranks the parley.MaxRanked written last.
func (s *SearchService) Search(ctx context.Context, sq parley.SearchQuery) (*parley.SearchResult, error) {
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
	q := searchSQL{dialect: s.db.dialect, match: matchExpr(sq.Text)}
	if s.db.dialect == Postgres {
		q.match = tsQuery(sq.Text)
	}
	if q.match == "" {
		return &parley.SearchResult{}, nil
	}
	limit := sq.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, parley.MaxSearchLimit)
	res := &parley.SearchResult{}
	w, err := s.rankWindow(ctx, v, q, sq.ProcessID, res)
	if err != nil || w.none {
		return res, err
	}
	// Hits come best first with their classifications, and those the
	// actor may not see are skipped, so that hidden records count neither
	// in the hits nor against the limit: a reader who may not see some
	// reads a few more, page after page, until the limit is reached or
	// the hits run out (in one page when the window's hidden entries are
	// counted). Judging the few distinct classifications of the hits costs
	// far less than listing every record the reader may see.
	fetch := limit
	switch {
	case w.judged:
		// In one page when few are hidden; else page after page, as
		// every hit read costs its snippet.
		fetch = limit + min(w.hidden, limit+10)
	case !v.all():
		fetch = 2*limit + 10
	}
	seenHit := map[[3]string]bool{}
	for offset := 0; ; {
		n, err := s.searchPage(ctx, v, q, sq.ProcessID, w, fetch, offset, limit, &res.Hits, seenHit)
		if err != nil {
			return nil, err
		}
		if len(res.Hits) >= limit || n < fetch {
			break
		}
		offset += n
		fetch *= 2
	}
	if err := logHits(v, s.db, res.Hits); err != nil {
		return nil, err
	}
	return res, nil
}

// searchSQL is a search's query in the terms of a dialect: its match
// expression ($1) and what finds the entries of the index matching it in
// a process ($2).
type searchSQL struct {
	dialect Dialect
	match   string
}

// from is the index as s, with the query as q on PostgreSQL.
func (q searchSQL) from() string {
	if q.dialect == Postgres {
		return `search s CROSS JOIN to_tsquery('simple', lower(public.unaccent('public.unaccent'::regdictionary, $1::text))) q`
	}
	return "search s"
}

// where keeps the entries of process $2 that match.
func (q searchSQL) where() string {
	if q.dialect == Postgres {
		return "s.doc @@ q AND s.process_id = $2"
	}
	return "search MATCH $1 AND s.process_id = $2"
}

// order is the column that numbers the entries of the index in the order
// they were written.
func (q searchSQL) order() string {
	if q.dialect == Postgres {
		return "s.seq"
	}
	return "s.rowid"
}

// searchClasses joins an entry of the index to its record and reads the
// classifications that say who may see it: a version's and its plan's, or
// a contact's (its channel's when it has none of its own), and the
// record's ID, empty for an entry whose record is gone.
const searchClasses = `
		LEFT JOIN versions v ON s.kind = 'point' AND v.id = s.ref
		LEFT JOIN plans pl ON pl.id = v.plan_id
		LEFT JOIN contacts c ON s.kind = 'contact' AND c.id = s.ref
		LEFT JOIN channels ch ON ch.id = c.channel_id`

// searchClassColumns are the columns searchClasses reads.
const searchClassColumns = `v.classification, pl.classification, coalesce(c.classification, ch.classification), coalesce(v.id, c.id, '')`

// rankWindow is the range of entries of the index a search ranks, by
// their numbers in the order they were written (see searchSQL.order).
type rankWindow struct {
	from, to int64 // to 0: no end
	// judged says the entries of the window were all judged: hidden
	// counts those the actor may not see (or that have lost their
	// record), and none says the actor may see none.
	judged bool
	hidden int
	none   bool
}

// rankWindow returns the entries of the index a search ranks: all of them
// when no more than parley.MaxRanked the actor may see match, else the
// parley.MaxRanked written last, which it then says in res. Whether more
// match is judged on what the actor may see alone, so that the answer
// says nothing of hidden records.
//
// The common case costs one query of the entries' numbers: at most
// parley.MaxRanked match, hidden ones included, and all are ranked.
// Otherwise, for a reader who may not see everything, the matches are
// judged, the latest first, until one past the parley.MaxRanked-th the
// actor may see or the last; the window then spans the first to the last
// the actor may see, and the ranking knows how many hidden entries it
// holds, which sizes its first page.
func (s *SearchService) rankWindow(ctx context.Context, v *view, q searchSQL, processID string, res *parley.SearchResult) (rankWindow, error) {
	last, err := s.entries(ctx, q, processID, 2, parley.MaxRanked-1, math.MaxInt64)
	if err != nil || len(last) < 2 {
		return rankWindow{}, err // at most parley.MaxRanked match: all are ranked
	}
	if v.all() {
		res.Narrowed = true
		return rankWindow{from: last[0].num}, nil
	}
	// The classifications of the entries' records are looked up by ID, a
	// batch at a time, rather than joined to each entry. A batch starts
	// below the last one's oldest entry: an entry written meanwhile (an
	// edited contact's) is newer than the window, neither skipped nor
	// counted twice.
	var nums []int64   // of the entries seen, the latest first
	var hidden []int64 // of the hidden entries
	before := int64(math.MaxInt64)
	for size := parley.MaxRanked + 1; ; size = min(2*size, 8*parley.MaxRanked) {
		entries, err := s.entries(ctx, q, processID, size, 0, before)
		if err != nil {
			return rankWindow{}, err
		}
		refs := map[string][]string{}
		for _, e := range entries {
			refs[e.table()] = append(refs[e.table()], e.ref)
		}
		seenOf := map[string]map[string]seen{}
		for table, ids := range refs {
			if seenOf[table], err = v.lookup(table, ids); err != nil {
				return rankWindow{}, err
			}
		}
		for _, e := range entries {
			if !seenOf[e.table()][e.ref].ok {
				hidden = append(hidden, e.num)
				continue
			}
			if len(nums) == parley.MaxRanked {
				res.Narrowed = true
				return window(nums, hidden), nil
			}
			nums = append(nums, e.num)
		}
		if len(entries) < size {
			return window(nums, hidden), nil
		}
		before = entries[len(entries)-1].num
	}
}

// window is the window of entries from the oldest to the latest of those
// seen (nums, the latest first), with the hidden ones among them.
func window(nums, hidden []int64) rankWindow {
	if len(nums) == 0 {
		return rankWindow{judged: true, none: true}
	}
	w := rankWindow{from: nums[len(nums)-1], to: nums[0], judged: true}
	for _, n := range hidden {
		if n >= w.from && n <= w.to {
			w.hidden++
		}
	}
	return w
}

// indexEntry is an entry of the search index: its number (in the order
// entries were written), kind and record.
type indexEntry struct {
	num       int64
	kind, ref string
}

// table is the table of the entry's record.
func (e indexEntry) table() string {
	if e.kind == "point" {
		return "versions"
	}
	return "contacts"
}

// entries reads the entries of a process matching a search, the latest
// first, limit of them after offset, of those numbered below before.
func (s *SearchService) entries(ctx context.Context, q searchSQL, processID string, limit, offset int, before int64) ([]indexEntry, error) {
	rows, err := s.db.read.QueryContext(ctx, "SELECT "+q.order()+", s.kind, s.ref FROM "+q.from()+" WHERE "+q.where()+
		" AND "+q.order()+" < $5 ORDER BY "+q.order()+" DESC LIMIT $3 OFFSET $4", q.match, processID, limit, offset, before)
	if err != nil {
		return nil, searchError(err)
	}
	defer rows.Close()
	var out []indexEntry
	for rows.Next() {
		var e indexEntry
		if err := rows.Scan(&e.num, &e.kind, &e.ref); err != nil {
			return nil, parley.Internal(err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return out, nil
}

// hitClasses are the classifications that say who may see an entry of
// the index of a kind, of those searchClasses reads.
func hitClasses(kind string, vClass, plClass, cClass *string) []*string {
	if kind == "point" {
		return []*string{vClass, plClass}
	}
	return []*string{cClass}
}

// searchError is the error of a search query that failed.
func searchError(err error) error {
	if sqlState(err) == "42601" {
		// PostgreSQL folds a few letters to punctuation ("ŉ" to "'n",
		// "½" to " 1/2"), which tsquery reads as its own syntax.
		return parley.FieldErrorf("q", "the search holds letters it cannot match (such as ŉ or ½); leave them out")
	}
	return parley.Internal(fmt.Errorf("search: %w", err))
}

// searchPage reads up to fetch hits from offset on, of the entries of
// the window, and adds those the actor may see to hits, up to
// limit, skipping any already there (a write between two pages may move
// a hit); it returns how many it read.
func (s *SearchService) searchPage(ctx context.Context, v *view, q searchSQL, processID string, w rankWindow, fetch, offset, limit int,
	hits *[]*parley.SearchHit, seenHit map[[3]string]bool) (int, error) {
	query := `
		SELECT s.kind, s.ref, s.point_id, snippet(search, 0, $3, $4, '…', 24),
			coalesce(pl.title || ': ' || v.label || ', point ' || s.point_id, ''),
			coalesce(c.kind, ''), coalesce(c.place, ''), coalesce(v.date, c.start_utc, ''),
			coalesce(c.start_zone, ''), coalesce(c.start_offset, 0), ` + searchClassColumns + `
		FROM ` + q.from() + searchClasses + `
		WHERE ` + q.where() + ` AND ` + q.order() + ` BETWEEN $7 AND $8
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
				'StartSel=' || $3::text || ', StopSel=' || $4::text || ', MaxWords=24, MinWords=12'),
				chr(57344), '<'), chr(57345), '&'),
			coalesce(pl.title || ': ' || v.label || ', point ' || s.point_id, ''),
			coalesce(c.kind, ''), coalesce(c.place, ''), coalesce(v.date, c.start_utc, ''),
			coalesce(c.start_zone, ''), coalesce(c.start_offset, 0), ` + searchClassColumns + `
		FROM ` + q.from() + searchClasses + `
		WHERE ` + q.where() + ` AND ` + q.order() + ` BETWEEN $7 AND $8
		ORDER BY ts_rank(s.doc, q) DESC, s.kind DESC, s.ref, s.point_id LIMIT $5 OFFSET $6`
	}
	to := w.to
	if to == 0 {
		to = math.MaxInt64
	}
	rows, err := s.db.read.QueryContext(ctx, query, q.match, processID, markOpen, markClose, fetch, offset, w.from, to)
	if err != nil {
		return 0, searchError(err)
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
		table := indexEntry{kind: h.Kind}.table()
		see, err := v.judge(hitClasses(h.Kind, vClass, plClass, cClass)...)
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
