package db

import (
	"errors"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"

	"guichet"
)

// busyWindow is how long writes fail at once after one waited the whole
// busy timeout in vain, instead of queueing up for as long each.
const busyWindow = time.Second

// ErrBusy is returned when the database stays locked by another process
// longer than the busy timeout: the web layer answers 503 with a
// Retry-After, and the readiness check reports not ready.
var ErrBusy = guichet.Errorf(guichet.EUnavailable, "Le service est momentanément surchargé : réessayez dans quelques secondes.")

// busyError keeps SQLite's own error under ErrBusy.
type busyError struct{ err error }

func (e busyError) Error() string   { return "db: database locked: " + e.err.Error() }
func (e busyError) Unwrap() []error { return []error{ErrBusy, e.err} }

// isBusy reports whether err is SQLite's "database is locked" (BUSY, or
// LOCKED, with any extended code).
func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	primary := se.Code() & 0xff
	return primary == 5 || primary == 6
}

// busyGate makes the writer fail fast for busyWindow after it found the
// database locked; nil (the readers) only marks the errors.
type busyGate struct{ until atomic.Int64 }

// check returns ErrBusy while the window is open.
func (g *busyGate) check() error {
	if g != nil && time.Now().UnixNano() < g.until.Load() {
		return busyError{errors.New("locked a moment ago")}
	}
	return nil
}

// note marks a busy error as ErrBusy and opens the window.
func (g *busyGate) note(err error) error {
	if err == nil || !isBusy(err) {
		return err
	}
	if g != nil {
		g.until.Store(time.Now().Add(busyWindow).UnixNano())
	}
	return busyError{err}
}
