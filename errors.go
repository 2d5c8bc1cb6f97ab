// Package guichet holds what every domain shares: typed errors whose codes
// the web layer maps once to HTTP statuses.
package guichet

import (
	"errors"
	"fmt"
)

// Error codes, in the style of WTF Dial: a few broad kinds, not one per case.
const (
	EConflict     = "conflict"
	EInternal     = "internal"
	EInvalid      = "invalid"
	ENotFound     = "not_found"
	EUnauthorized = "unauthorized"
	EForbidden    = "forbidden"
	ERateLimited  = "rate_limited"
	// ETooLarge is a request body over its route's limit.
	ETooLarge = "too_large"
	// EUnavailable is a momentary failure worth retrying (a locked database).
	EUnavailable = "unavailable"
)

// Error is a domain error: a code for machines and a message safe to show.
type Error struct {
	Code    string
	Message string
	// Fields holds per-field messages for form validation, keyed by field name.
	Fields map[string]string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EInternal for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// ErrorMessage returns the displayable message of err, a generic one for
// errors that are not *Error (their text may leak internals).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Une erreur interne est survenue."
}

// Invalid returns an EInvalid error carrying one message per field.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EInvalid, Message: "Le formulaire contient des erreurs.", Fields: fields}
}

// FieldErrors returns the per-field messages err carries, found through any
// wrapping (a transaction joins its rollback error to the cause), or nil
// when it carries none: the form is then shown again with them.
func FieldErrors(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields
	}
	return nil
}
