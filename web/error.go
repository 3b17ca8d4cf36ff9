package web

import (
	"net/http"

	"parley"
)

// statusOf is the one table from application error codes to HTTP statuses.
var statusOf = map[string]int{
	parley.EINVALID:      http.StatusBadRequest,
	parley.ENOTFOUND:     http.StatusNotFound,
	parley.EFORBIDDEN:    http.StatusForbidden,
	parley.ECONFLICT:     http.StatusConflict,
	parley.EUNAUTHORIZED: http.StatusUnauthorized,
	parley.EINTERNAL:     http.StatusInternalServerError,
}

// errorStatus returns the HTTP status for err, logging internal errors
// (whose cause is never shown).
func (s *Server) errorStatus(r *http.Request, err error) int {
	code := parley.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return status
}
