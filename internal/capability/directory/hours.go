package directory

import (
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

// Hours returns the entry's opening hours read, nil when it has none or
// they do not read (written before a stricter reader).
func (e *Entry) Hours() *openinghours.Hours {
	if e.OpeningHours == "" {
		return nil
	}
	return e.memo.hours(e.OpeningHours, func() *openinghours.Hours {
		h, err := openinghours.Parse(e.OpeningHours)
		if err != nil {
			return nil
		}
		return h
	})
}

// Status is whether a place is open at a time, and when that changes.
type Status struct {
	// Known is false when the entry has no opening hours.
	Known, Open bool
	// Next is when the place opens or closes next; zero when not within
	// eight days.
	Next time.Time
}

// StatusAt returns the entry's status at t, in the place's zone.
func (e *Entry) StatusAt(t time.Time, alsaceMoselle bool) Status {
	h := e.Hours()
	if h == nil {
		return Status{}
	}
	return e.memo.status(statusKey{e.OpeningHours, t.Truncate(time.Minute), t.Location().String(), alsaceMoselle}, t,
		func() Status {
			open, next := h.At(t, alsaceMoselle)
			return Status{Known: true, Open: open, Next: next}
		})
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
