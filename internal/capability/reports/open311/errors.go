package open311

import (
	"net/http"
	"slices"

	"guichet"
)

// statusOf maps guichet's error codes to the HTTP statuses the
// specification asks for: 404 for what does not exist, 403 for the API
// key, 400 for any other refusal; limits and failures keep theirs.
var statusOf = map[string]int{
	guichet.EInvalid:      http.StatusBadRequest,
	guichet.EConflict:     http.StatusBadRequest,
	guichet.ENotFound:     http.StatusNotFound,
	guichet.EUnauthorized: http.StatusForbidden,
	guichet.EForbidden:    http.StatusForbidden,
	guichet.ETooLarge:     http.StatusRequestEntityTooLarge,
	guichet.ERateLimited:  http.StatusTooManyRequests,
	guichet.EUnavailable:  http.StatusServiceUnavailable,
	guichet.EInternal:     http.StatusInternalServerError,
}

// Errors returns the HTTP status and the error list that answer err: one
// entry per field of a guichet.Invalid error (named "field : message",
// in the fields' order), else one with err's displayable message.
func Errors(err error) (int, []Error) {
	status, ok := statusOf[guichet.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
	}
	fields := guichet.FieldErrors(err)
	if len(fields) == 0 {
		return status, []Error{{Code: status, Description: guichet.ErrorMessage(err)}}
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	list := make([]Error, len(names))
	for i, name := range names {
		list[i] = Error{Code: status, Description: name + "\u00a0: " + fields[name]}
	}
	return status, list
}
