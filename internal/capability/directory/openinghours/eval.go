package openinghours

import (
	"time"

	"guichet"
)

const minutesPerDay = 24 * 60

// horizon is how far ahead At looks for the next change.
const horizon = 8 * 24 * time.Hour

// Day is one calendar day's opening: its spans in order, a span past
// midnight ending on the next day (and left out of that day's list).
type Day struct {
	Date    time.Time // midnight, in the zone of the time given to Days
	Spans   []Span
	Holiday string // the public holiday's name, "" on an ordinary day
}

// Span is one time the place is open.
type Span struct{ From, To time.Time }

// civil is a calendar day, at midnight UTC, for date arithmetic.
type civil = time.Time

func dateOf(t time.Time) civil {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// wall is a day's minute in the place's zone as an instant: the first of
// the two when the clock goes back, the time after the gap when it goes
// forward (as the reference implementation does).
func wall(d civil, minute int, loc *time.Location) time.Time {
	t := time.Date(d.Year(), d.Month(), d.Day(), 0, minute, 0, 0, loc)
	if earlier := t.Add(-time.Hour); earlier.Hour() == t.Hour() && earlier.Minute() == t.Minute() {
		return earlier
	}
	return t
}

func (r *rule) matches(d civil, alsaceMoselle bool) bool {
	if r.always {
		return true
	}
	if len(r.months) > 0 {
		m, in := int(d.Month()), false
		for _, mr := range r.months {
			if mr.from <= mr.to && m >= mr.from && m <= mr.to || mr.from > mr.to && (m >= mr.from || m <= mr.to) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	if len(r.days) == 0 && !r.holidays {
		return true
	}
	if r.holidays && guichet.HolidayName(d, alsaceMoselle) != "" {
		return true
	}
	wd := (int(d.Weekday()) + 6) % 7
	for _, dr := range r.days {
		if dr.from <= dr.to && wd >= dr.from && wd <= dr.to || dr.from > dr.to && (wd >= dr.from || wd <= dr.to) {
			return true
		}
	}
	return false
}

// spansOf are the rule's spans, the whole day when it names no time.
func (r *rule) spansOf() []span {
	if len(r.spans) == 0 {
		return []span{{0, minutesPerDay}}
	}
	return r.spans
}

func (r *rule) passesMidnight() bool {
	for _, s := range r.spans {
		if s.to > minutesPerDay {
			return true
		}
	}
	return false
}

// day is the state of each minute of day d in wall-clock time.
func (h *Hours) day(d civil, alsaceMoselle bool) *[minutesPerDay]state {
	var st [minutesPerDay]state
	yesterday := d.AddDate(0, 0, -1)
	paint := func(r *rule, from, to int) {
		for m := max(from, 0); m < min(to, minutesPerDay); m++ {
			if r.sep == fallback && st[m] == stOpen {
				continue
			}
			st[m] = r.state
		}
	}
	for i := range h.rules {
		r := &h.rules[i]
		today := r.matches(d, alsaceMoselle)
		spill := r.passesMidnight() && r.matches(yesterday, alsaceMoselle)
		if !today && !spill {
			continue
		}
		if today && r.sep == normal && r.state != stClosed {
			st = [minutesPerDay]state{}
		}
		for _, s := range r.spansOf() {
			if today {
				paint(r, s.from, s.to)
			}
			if spill && s.to > minutesPerDay {
				paint(r, 0, s.to-minutesPerDay)
			}
		}
	}
	return &st
}

// run is a stretch of one state, between two instants.
type run struct {
	from, to time.Time
	open     bool
}

// runs gathers the open and closed stretches of consecutive days, each run
// as long as possible.
type runs struct {
	list          []run
	loc           *time.Location
	alsaceMoselle bool
}

func (rs *runs) add(from, to time.Time, o bool) {
	if n := len(rs.list); n > 0 {
		last := &rs.list[n-1]
		if from.Before(last.to) { // a wall-clock time skipped by a change of time
			from = last.to
		}
		if !to.After(from) {
			return
		}
		if last.open == o {
			last.to = to
			return
		}
	}
	rs.list = append(rs.list, run{from, to, o})
}

// addDay appends day d's stretches.
func (rs *runs) addDay(h *Hours, d civil) {
	st := h.day(d, rs.alsaceMoselle)
	start := 0
	for m := 1; m <= minutesPerDay; m++ {
		if m == minutesPerDay || (st[m] == stOpen) != (st[start] == stOpen) {
			rs.add(wall(d, start, rs.loc), wall(d, m, rs.loc), st[start] == stOpen)
			start = m
		}
	}
}

// At tells whether the place is open at t, given in the place's zone, and
// when that changes next: the zero time when it does not within 8 days.
func (h *Hours) At(t time.Time, alsaceMoselle bool) (open bool, next time.Time) {
	rs := runs{loc: t.Location(), alsaceMoselle: alsaceMoselle}
	today := dateOf(t)
	rs.addDay(h, today.AddDate(0, 0, -1))
	// Day by day until the stretch holding t ends, from today to 8 days on.
	for i := 0; i <= int(horizon/(24*time.Hour)); i++ {
		rs.addDay(h, today.AddDate(0, 0, i))
		for k, r := range rs.list {
			if t.Before(r.from) || !t.Before(r.to) {
				continue
			}
			if k < len(rs.list)-1 {
				if r.to.Sub(t) > horizon {
					return r.open, time.Time{}
				}
				return r.open, r.to
			}
			open = r.open
		}
	}
	return open, time.Time{}
}

// Days lists the openings of n days from the calendar day of from, in
// from's zone.
func (h *Hours) Days(from time.Time, n int, alsaceMoselle bool) []Day {
	if n <= 0 {
		return nil
	}
	loc := from.Location()
	first := dateOf(from)
	// Each day's open minutes, one more day to finish a span past the last
	// midnight.
	byDay := make([][]span, n+1)
	for i := range byDay {
		st := h.day(first.AddDate(0, 0, i), alsaceMoselle)
		for m := 0; m < minutesPerDay; m++ {
			if st[m] != stOpen {
				continue
			}
			if k := len(byDay[i]); k > 0 && byDay[i][k-1].to == m {
				byDay[i][k-1].to = m + 1
			} else {
				byDay[i] = append(byDay[i], span{m, m + 1})
			}
		}
	}
	// A span reaching midnight goes on with the next day's span from
	// midnight, unless that one lasts the whole day.
	for i := range n {
		spans := byDay[i]
		if k := len(spans); k > 0 && spans[k-1].to == minutesPerDay {
			if nx := byDay[i+1]; len(nx) > 0 && nx[0].from == 0 && nx[0].to < minutesPerDay {
				spans[k-1].to += nx[0].to
				byDay[i+1] = nx[1:]
			}
		}
	}
	out := make([]Day, n)
	for i := range n {
		d := first.AddDate(0, 0, i)
		day := Day{Date: wall(d, 0, loc), Holiday: guichet.HolidayName(d, alsaceMoselle)}
		for _, s := range byDay[i] {
			f, t := wall(d, s.from, loc), wall(d, s.to, loc)
			if t.After(f) {
				day.Spans = append(day.Spans, Span{f, t})
			}
		}
		out[i] = day
	}
	return out
}
