package abuse

import (
	"time"

	"guichet"
)

// Refused is the error of an attempt over a limit. It unwraps to a
// guichet.ERateLimited error whose message says, in French, what was
// limited and how long to wait.
type Refused struct {
	Action string
	Kind   Kind
	// RetryAfter is how long until the limit's window ends.
	RetryAfter time.Duration
	err        *guichet.Error
}

func newRefused(action string, kind Kind, wait time.Duration) *Refused {
	wait = max(wait, time.Second)
	minutes := int((wait + time.Minute - 1) / time.Minute)
	var err *guichet.Error
	switch kind {
	case ByEmail, ByEmailFromAddress:
		err = guichet.Errorf(guichet.ERateLimited, "Trop de demandes pour cette adresse électronique : réessayez dans %d min.", minutes)
	case ByAccount:
		err = guichet.Errorf(guichet.ERateLimited, "Trop de demandes de votre part : réessayez dans %d min.", minutes)
	case ByTenant:
		err = guichet.Errorf(guichet.ERateLimited, "Ce service reçoit trop de demandes en ce moment : réessayez dans %d min.", minutes)
	default:
		err = guichet.Errorf(guichet.ERateLimited, "Trop de demandes depuis votre connexion : réessayez dans %d min.", minutes)
	}
	return &Refused{Action: action, Kind: kind, RetryAfter: wait, err: err}
}

// Error implements error.
func (e *Refused) Error() string { return e.err.Error() }

// Unwrap returns the guichet.Error the web layer maps to 429.
func (e *Refused) Unwrap() error { return e.err }

// RetryAfterSeconds is the Retry-After header's value.
func (e *Refused) RetryAfterSeconds() int {
	return int((e.RetryAfter + time.Second - 1) / time.Second)
}
