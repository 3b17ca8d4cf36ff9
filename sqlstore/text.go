package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"parley"
)

// errBadText refuses text that a store could not keep the same on every
// database: PostgreSQL's text holds neither the NUL character nor bytes
// that are not UTF-8, so neither store keeps them, and what one store
// accepts the other does too.
var errBadText = parley.Errorf(parley.EINVALID, "the text contains a NUL character (U+0000) or bytes that are not UTF-8, which cannot be stored")

// checkText returns errBadText when a string among args contains a NUL
// character or is not valid UTF-8.
func checkText(args []any) error {
	for _, a := range args {
		if s, ok := a.(string); ok && (strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s)) {
			return errBadText
		}
	}
	return nil
}

// ExecContext runs a statement in the transaction, refusing text no store
// keeps (see errBadText), and notes what it writes (see changes.go).
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := checkText(args); err != nil {
		return nil, err
	}
	tx.noteWrite(query)
	return tx.exec(ctx, query, args...)
}

// badTextError reports whether err is PostgreSQL refusing a parameter's
// text (SQLSTATE 22021, "invalid byte sequence"): a NUL or a byte that is
// not UTF-8 in a value looked up, such as a reference to check, which can
// name nothing stored.
func badTextError(err error) bool { return sqlState(err) == "22021" }

// sqlState returns the SQLSTATE of a PostgreSQL error, or "" for any other
// error: the driver's error type is the adapter's, so it is asked for by
// its method.
func sqlState(err error) string {
	var state interface{ SQLState() string }
	if errors.As(err, &state) {
		return state.SQLState()
	}
	return ""
}
