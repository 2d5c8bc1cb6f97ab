package dbtest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"guichet/internal/kernel/clock"
)

// DefaultStart is the instant tests start at when GUICHET_TEST_CLOCK is
// unset: an ordinary weekday morning, so that a plain `go test` gives the
// same answers whatever the day it runs. scripts/test runs the date-bound
// tests again at harder instants (a Sunday evening, a Friday before a
// public holiday, the night of a change to summer time).
const DefaultStart = "2027-03-09T09:40:00+01:00"

// Start returns the instant tests start at: GUICHET_TEST_CLOCK (RFC 3339)
// when set, else DefaultStart.
func Start(t testing.TB) time.Time {
	t.Helper()
	at, err := StartInstant()
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// StartInstant is Start for code without a testing.TB (a TestMain).
func StartInstant() (time.Time, error) {
	s := os.Getenv("GUICHET_TEST_CLOCK")
	if s == "" {
		s = DefaultStart
	}
	at, err := clock.Parse(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("GUICHET_TEST_CLOCK: %w", err)
	}
	return at, nil
}

// Clock returns a clock that starts at Start and runs at real speed.
func Clock(t testing.TB) clock.Clock { return clock.Starting(Start(t)) }
