package parley

import (
	"errors"
	"fmt"
	"time"
)

// Application error codes. Each maps to one HTTP status in the web layer.
const (
	EINVALID      = "invalid"      // the request is malformed or breaks a rule
	ENOTFOUND     = "not_found"    // no such record, or not visible to the actor
	EFORBIDDEN    = "forbidden"    // visible but not allowed
	ECONFLICT     = "conflict"     // clashes with the current state
	EUNAUTHORIZED = "unauthorized" // no valid actor
	ETHROTTLED    = "throttled"    // too many failed attempts; try again later
	EINTERNAL     = "internal"     // a bug or an outage; the message is not shown
)

// Error is an application error: a code for programs and a message for
// people. Internal errors keep their cause for the logs.
type Error struct {
	Code    string
	Message string
	// Field names the input the message is about, when there is one.
	Field string
	// Fields holds a message for every invalid input of a record, when
	// more than one is: a form shows them all at once. Field and Message
	// are the first of them.
	Fields map[string]string
	// RetryAfter says when a throttled request may be tried again.
	RetryAfter time.Duration
	// Err is the underlying cause of an internal error.
	Err error
}

// Error returns the message, prefixed with the code for internal errors.
func (e *Error) Error() string {
	if e.Code == EINTERNAL && e.Err != nil {
		return fmt.Sprintf("parley: internal error: %v", e.Err)
	}
	return fmt.Sprintf("parley %s: %s", e.Code, e.Message)
}

// Unwrap returns the cause of an internal error.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an application error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID error about one input field.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected error; its cause is logged, never shown.
func Internal(err error) *Error {
	return &Error{Code: EINTERNAL, Message: "internal error", Err: err}
}

// ErrorCode returns the code of an application error, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message to show for err: an application
// error's message, or a generic one for anything else.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e) && e.Code != EINTERNAL:
		return e.Message
	}
	return "internal error"
}

// problems collects the invalid inputs of a record, so that Validate
// reports them all rather than the first alone.
type problems struct {
	first  *Error
	fields map[string]string
}

// add records err, an *Error about a field, unless nil; a field keeps its
// first message.
func (p *problems) add(err error) {
	var e *Error
	if !errors.As(err, &e) {
		if err != nil && p.first == nil {
			p.first = Internal(err)
		}
		return
	}
	if p.first == nil {
		p.first = e
	}
	if p.fields == nil {
		p.fields = map[string]string{}
	}
	if _, seen := p.fields[e.Field]; !seen {
		p.fields[e.Field] = e.Message
	}
}

// err returns the first problem, carrying all of them when there are
// several, or nil.
func (p *problems) err() error {
	if p.first == nil {
		return nil
	}
	e := *p.first
	if len(p.fields) > 1 {
		e.Fields = p.fields
	}
	return &e
}
