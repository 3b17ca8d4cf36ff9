package sqlite_test

import (
	"testing"

	"parley/storetest"
)

// FuzzSearch checks that no query, however odd, is an FTS5 syntax error.
func FuzzSearch(f *testing.F) { storetest.FuzzSearch(f, MustOpen(f).Services()) }
