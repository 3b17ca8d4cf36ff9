package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"parley"
)

// Codes of errors that arise in HTTP itself rather than in the domain; they
// share the table below with the domain's codes so that a status is found
// in one place.
const (
	codeTooLarge         = "too_large"              // the request body exceeds its limit
	codeUnsupportedMedia = "unsupported_media_type" // the request body is not JSON
	codeMethodNotAllowed = "method_not_allowed"     // the path exists, the method does not
)

// statusOf is the one table from application error codes to HTTP statuses.
var statusOf = map[string]int{
	parley.EINVALID:      http.StatusBadRequest,
	parley.ENOTFOUND:     http.StatusNotFound,
	parley.EFORBIDDEN:    http.StatusForbidden,
	parley.ECONFLICT:     http.StatusConflict,
	parley.EUNAUTHORIZED: http.StatusUnauthorized,
	parley.ETHROTTLED:    http.StatusTooManyRequests,
	parley.EINTERNAL:     http.StatusInternalServerError,
	codeTooLarge:         http.StatusRequestEntityTooLarge,
	codeUnsupportedMedia: http.StatusUnsupportedMediaType,
	codeMethodNotAllowed: http.StatusMethodNotAllowed,
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
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "request_id", requestID(r), "err", err)
	}
	return status
}

// setRetryAfter tells the client when to try a throttled request again,
// in whole seconds rounded up, when err says.
func setRetryAfter(w http.ResponseWriter, err error) {
	var e *parley.Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(e.RetryAfter.Seconds())), 10))
	}
}
