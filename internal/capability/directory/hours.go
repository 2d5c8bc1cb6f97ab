package directory

import (
	"sync"
	"time"

	"guichet/internal/capability/directory/openinghours"
)

// CheckHours reads opening hours as staff or a manager type them and
// returns them in OpenStreetMap's normalised form; the error says in
// French what is wrong.
func CheckHours(s string) (string, error) {
	h, err := openinghours.Parse(s)
	if err != nil {
		return "", err
	}
	return h.String(), nil
}

// parsed keeps the hours read lately: the list reads every entry's on
// each visit, and they seldom change.
var parsed = struct {
	sync.Mutex
	m map[string]*openinghours.Hours
}{m: map[string]*openinghours.Hours{}}

// Hours returns the entry's opening hours read, nil when it has none or
// they do not read (written before a stricter reader).
func (e *Entry) Hours() *openinghours.Hours {
	if e.OpeningHours == "" {
		return nil
	}
	parsed.Lock()
	defer parsed.Unlock()
	if h, ok := parsed.m[e.OpeningHours]; ok {
		return h
	}
	h, err := openinghours.Parse(e.OpeningHours)
	if err != nil {
		h = nil
	}
	if len(parsed.m) >= 4096 {
		clear(parsed.m)
	}
	parsed.m[e.OpeningHours] = h
	return h
}

// Status is whether a place is open at a time, and when that changes.
type Status struct {
	// Known is false when the entry has no opening hours.
	Known, Open bool
	// Next is when the place opens or closes next; zero when not within
	// eight days.
	Next time.Time
}

// statuses keeps each opening hours' status of the current minute: the
// list shows every entry's, and reading hours at a time costs tens of
// microseconds.
var statuses = struct {
	sync.Mutex
	m map[statusKey]Status
}{m: map[statusKey]Status{}}

type statusKey struct {
	hours         string
	minute        time.Time
	zone          string
	alsaceMoselle bool
}

// StatusAt returns the entry's status at t, in the place's zone.
func (e *Entry) StatusAt(t time.Time, alsaceMoselle bool) Status {
	h := e.Hours()
	if h == nil {
		return Status{}
	}
	key := statusKey{e.OpeningHours, t.Truncate(time.Minute), t.Location().String(), alsaceMoselle}
	statuses.Lock()
	st, ok := statuses.m[key]
	statuses.Unlock()
	// Within the minute the state is the same, unless it changes in it.
	if ok && (st.Next.IsZero() || t.Before(st.Next)) {
		return st
	}
	open, next := h.At(t, alsaceMoselle)
	st = Status{Known: true, Open: open, Next: next}
	statuses.Lock()
	if len(statuses.m) >= 8192 {
		clear(statuses.m)
	}
	statuses.m[key] = st
	statuses.Unlock()
	return st
}

// Week returns the entry's openings of the n days from t's; nil without
// opening hours.
func (e *Entry) Week(t time.Time, n int, alsaceMoselle bool) []openinghours.Day {
	h := e.Hours()
	if h == nil {
		return nil
	}
	return h.Days(t, n, alsaceMoselle)
}
