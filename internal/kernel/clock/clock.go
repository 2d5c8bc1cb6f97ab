// Package clock is the time every part of Guichet reads. The application
// receives one Clock at start and hands it to each store, job and page, so
// that a test can set the date and hour and every rule follows.
package clock

import (
	"fmt"
	"time"
)

// Clock returns the current instant, in UTC.
type Clock func() time.Time

// System reads the machine's clock.
func System() time.Time { return time.Now().UTC() }

// Starting returns a clock that reads start now and then runs at real
// speed, so that timeouts, holds and delays behave as in production.
func Starting(start time.Time) Clock {
	origin := time.Now()
	start = start.UTC()
	return func() time.Time { return start.Add(time.Since(origin)) }
}

// Parse reads an instant written in RFC 3339 with its offset
// ("2026-12-06T19:30:00+01:00").
func Parse(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("clock: %q is not an RFC 3339 instant such as 2026-12-06T19:30:00+01:00", s)
	}
	return t, nil
}

// Or returns c, or the system clock when c is nil.
func Or(c Clock) Clock {
	if c == nil {
		return System
	}
	return c
}

// NextAt returns the first hour o'clock in loc after now, every day, or
// every Monday when weekly: when a daily or weekly digest is due next.
func NextAt(now time.Time, loc *time.Location, hour int, weekly bool) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	l := now.In(loc)
	step, day := 1, l.Day()
	if weekly {
		step, day = 7, day-(int(l.Weekday())+6)%7 // back to Monday
	}
	t := time.Date(l.Year(), l.Month(), day, hour, 0, 0, 0, loc)
	for !t.After(now) {
		t = time.Date(t.Year(), t.Month(), t.Day()+step, hour, 0, 0, 0, loc)
	}
	return t.UTC()
}
