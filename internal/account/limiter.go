package account

import (
	"time"

	"guichet/internal/abuse"
)

// Limiter counts failures per key in fixed windows, in memory, with a
// bounded map. It is abuse.Counter; the web modules go through the abuse
// limits (abuse.Limits), which count by address /64, email, account and
// collectivité and record refusals for the operator.
type Limiter = abuse.Counter

// NewLimiter allows max failures per key within window, remembering at
// most capacity keys.
func NewLimiter(max int, window time.Duration, capacity int) *Limiter {
	return abuse.NewCounter(max, window, capacity)
}
