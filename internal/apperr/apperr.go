// Package apperr holds the application error codes shared by every domain
// package. An *Error carries a code that the web layer maps to an HTTP status
// in one table, and a message in Vietnamese first and English second.
package apperr

import (
	"errors"
	"fmt"
)

// Error codes. They are stable strings: clients of the JSON API switch on them.
const (
	EINVALID      = "invalid"      // the input is malformed or breaks a rule
	ENOTFOUND     = "not_found"    // no such thing, or the caller may not know it exists
	ECONFLICT     = "conflict"     // the thing changed under the caller, or its state forbids the action
	EFORBIDDEN    = "forbidden"    // the caller is known but may not do this
	EUNAUTHORIZED = "unauthorized" // the caller is not signed in
	ETOOLARGE     = "too_large"    // the request body or an upload is over its limit
	EINTERNAL     = "internal"     // a bug or an outage: never the caller's fault
)

// ETOOMANY: too many attempts from this address or on this account; the
// caller waits and retries.
const ETOOMANY = "too_many_requests"

// EUNAVAILABLE: a service outside the product that the request needs (the
// national population database) does not answer, or is not configured; the
// caller may retry later.
const EUNAVAILABLE = "unavailable"

// Error is an application error with a bilingual message.
type Error struct {
	Code      string
	Message   string // Vietnamese, shown first
	MessageEn string // English
	Field     string // optional: the input field at fault
}

func (e *Error) Error() string {
	if e.MessageEn != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.MessageEn)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// New returns an error with the code and the two messages.
func New(code, vi, en string) *Error { return &Error{Code: code, Message: vi, MessageEn: en} }

// Invalid returns an EINVALID error about one field.
func Invalid(field, vi, en string) *Error {
	return &Error{Code: EINVALID, Message: vi, MessageEn: en, Field: field}
}

// Conflict returns an ECONFLICT error.
func Conflict(vi, en string) *Error { return New(ECONFLICT, vi, en) }

// Forbidden returns an EFORBIDDEN error.
func Forbidden(vi, en string) *Error { return New(EFORBIDDEN, vi, en) }

// NotFound returns an ENOTFOUND error.
func NotFound(vi, en string) *Error { return New(ENOTFOUND, vi, en) }

// Code returns the code of err, EINTERNAL for errors that are not *Error and
// "" for nil.
func Code(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// As returns err as *Error, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
