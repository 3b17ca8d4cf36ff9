package storetest

import (
	"database/sql"
	"maps"
	"testing"
)

// RecordCounts reads from a database of either store the counts of
// contacts and sources that the triggers keep in record_counts, and the
// same counted from the records themselves: by process, table,
// classification and channel ("" for none), for the tests of the
// migration that fills the table.
func RecordCounts(tb testing.TB, db *sql.DB) (kept, counted map[[4]string]int) {
	tb.Helper()
	kept = countRows(tb, db, "SELECT process_id, tbl, classification, channel_id, n FROM record_counts")
	counted = countRows(tb, db, `SELECT process_id, 'contacts', coalesce(classification, ''), coalesce(channel_id, ''), count(*)
		FROM contacts GROUP BY 1, 2, 3, 4 UNION ALL
		SELECT process_id, 'sources', classification, '', count(*) FROM sources GROUP BY 1, 2, 3, 4`)
	return kept, counted
}

// WantRecordCounts fails the test unless record_counts keeps what the
// records themselves count; when says at which step.
func WantRecordCounts(tb testing.TB, db *sql.DB, when string) {
	tb.Helper()
	if kept, counted := RecordCounts(tb, db); !maps.Equal(kept, counted) {
		tb.Fatalf("%s: record_counts keeps %v; the records are %v", when, kept, counted)
	}
}

// countRows reads rows of a process, table, classification, channel and
// count; there must be some.
func countRows(tb testing.TB, db *sql.DB, query string) map[[4]string]int {
	tb.Helper()
	rows, err := db.Query(query)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	out := map[[4]string]int{}
	for rows.Next() {
		var k [4]string
		var n int
		if err := rows.Scan(&k[0], &k[1], &k[2], &k[3], &n); err != nil {
			tb.Fatal(err)
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(out) == 0 {
		tb.Fatalf("%s: no rows", query)
	}
	return out
}
