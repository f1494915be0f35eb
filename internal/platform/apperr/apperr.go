// Package apperr is fazhi's one error vocabulary. Services return *Error values;
// the HTTP layer maps Code to a status in one table (see Status) and renders
// {code, message, fields} with the Chinese message. Anything that is not an
// *Error is treated as internal and its text never reaches a client.
package apperr

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Code classifies an error for clients and for the HTTP status mapping.
type Code string

const (
	Invalid         Code = "invalid"         // bad input; Fields says which
	NotFound        Code = "not_found"       // no such record (or not visible to the actor)
	Conflict        Code = "conflict"        // stale version, duplicate key, wrong state
	Forbidden       Code = "forbidden"       // the actor may not do this
	Unauthenticated Code = "unauthenticated" // no valid session
	DeadlinePassed  Code = "deadline_passed" // a statutory or configured time limit has run out
	Precondition    Code = "precondition"    // a procedure gate is closed (a required step is missing)
	TooLarge        Code = "too_large"       // body or file over the limit
	RateLimited     Code = "rate_limited"    // throttled
	Locked          Code = "locked"          // account locked
	Unavailable     Code = "unavailable"     // a dependency (database) does not answer
	Internal        Code = "internal"        // a bug or an unexpected failure
)

// FieldError names one bad field (JSON name, or "sheet!row:col" for imports)
// with a Chinese message a user can act on.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one error type services return.
type Error struct {
	Code    Code
	Message string // Chinese, shown to users
	Fields  []FieldError
	Err     error // cause, logged but never sent to clients
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	b.WriteString(": ")
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// New makes an error with a Chinese message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap keeps cause for the logs while the client sees message.
func Wrap(cause error, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// Field returns an Invalid error for a single field.
func Field(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: Invalid, Message: msg, Fields: []FieldError{{Field: field, Message: msg}}}
}

// As returns the *Error inside err, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// CodeOf returns the code of err; Internal for foreign errors, "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	if e := As(err); e != nil {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// Fields collects field errors during validation:
//
//	var v apperr.Fields
//	if in.Title == "" { v.Add("title", "标题不能为空") }
//	if err := v.Err(); err != nil { return err }
type Fields []FieldError

// Add records a problem with one field.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when nothing was added, otherwise an Invalid error whose
// message lists every field problem.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	msgs := make([]string, len(f))
	for i, fe := range f {
		msgs[i] = fe.Message
	}
	return &Error{Code: Invalid, Message: "输入有误：" + strings.Join(msgs, "；"), Fields: append([]FieldError(nil), f...)}
}

// Status maps a code to its HTTP status: the one table in the program.
func Status(code Code) int {
	switch code {
	case Invalid:
		return http.StatusUnprocessableEntity
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case Forbidden:
		return http.StatusForbidden
	case Unauthenticated:
		return http.StatusUnauthorized
	case DeadlinePassed, Precondition:
		return http.StatusUnprocessableEntity
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	case RateLimited, Locked:
		return http.StatusTooManyRequests
	case Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}
