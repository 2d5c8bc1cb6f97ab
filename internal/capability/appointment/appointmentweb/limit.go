package appointmentweb

import (
	"net/http"

	"guichet/internal/kernel/abuse"
)

// allow counts one attempt at a (abuse.Booking, abuse.WaitingList) by the
// request's client: its address, its account when signed in, email (the
// guest's address, which the booking mails) and the collectivité. Over
// any limit it returns a 429 error with Retry-After.
func (m *Module) allow(r *http.Request, a abuse.Action, email string) error {
	return m.s.Limit(r, a, email)
}
