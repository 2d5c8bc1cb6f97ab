package events

import (
	"testing"
	"time"
)

// zones are time zones of French collectivités, mainland and overseas.
var zones = []string{"Europe/Paris", "America/Cayenne", "America/Martinique", "Indian/Reunion", "Indian/Mayotte",
	"Pacific/Noumea", "Pacific/Tahiti", "America/Miquelon", "UTC"}

// FuzzOccurrences checks the dates of recurring events: at most a year of
// them, in order, each as long as the first unless a change of time falls
// inside, never past the last date asked, at the first one's wall-clock
// time whenever that time exists on the day.
func FuzzOccurrences(f *testing.F) {
	market := time.Date(2026, 3, 7, 8, 0, 0, 0, time.UTC).Unix() // a Saturday market at 9:00 in Paris
	f.Add(market, int64(5*3600), uint8(1), int64(200*24*3600), uint8(0))
	f.Add(time.Date(2026, 1, 31, 17, 0, 0, 0, time.UTC).Unix(), int64(7200), uint8(2), int64(-1), uint8(0))
	f.Add(time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC).Unix(), int64(3600), uint8(1), int64(0), uint8(0))
	f.Add(time.Date(2024, 2, 29, 9, 0, 0, 0, time.UTC).Unix(), int64(0), uint8(2), int64(400*24*3600), uint8(5))
	f.Fuzz(func(t *testing.T, start, length int64, kind uint8, until int64, zone uint8) {
		loc, err := time.LoadLocation(zones[int(zone)%len(zones)])
		if err != nil {
			t.Fatal(err)
		}
		const span = 4000 * 365 * 24 * 3600 // the years a form's dates can name
		start = start % span
		length = max(0, length%int64(maxEventLength/time.Second))
		e := &Event{Start: time.Unix(start, 0).UTC(), Recurrence: []string{RepeatNone, RepeatWeekly, RepeatMonthly}[kind%3]}
		e.End = e.Start.Add(time.Duration(length) * time.Second)
		if until >= 0 {
			u := e.Start.Add(time.Duration(until%(2*366*24*3600)) * time.Second)
			e.RecurrenceUntil = &u
		}
		occ := e.Occurrences(loc)
		if len(occ) == 0 || len(occ) > maxOccurrences || occ[0].Start != e.Start || occ[0].End != e.End {
			t.Fatalf("%d dates, first %+v", len(occ), occ)
		}
		if e.Recurrence == RepeatNone && len(occ) != 1 {
			t.Fatalf("an event without repetition has %d dates", len(occ))
		}
		last := e.Start.AddDate(1, 0, 0)
		if e.RecurrenceUntil != nil && e.RecurrenceUntil.Before(last) {
			last = *e.RecurrenceUntil
		}
		first := e.Start.In(loc)
		for i, o := range occ[1:] {
			prev := occ[i]
			if !o.Start.After(prev.Start) || o.Start.After(last) {
				t.Fatalf("date %d %v after %v (last %v)", i+1, o.Start, prev.Start, last)
			}
			if d := o.End.Sub(o.Start) - e.End.Sub(e.Start); d < -3*time.Hour || d > 3*time.Hour || o.End.Before(o.Start) {
				t.Fatalf("date %d lasts %v, the first %v", i+1, o.End.Sub(o.Start), e.End.Sub(e.Start))
			}
			local := o.Start.In(loc)
			y, m, d := local.Date()
			wall := time.Date(y, m, d, first.Hour(), first.Minute(), first.Second(), 0, loc)
			exists := wall.Hour() == first.Hour() && wall.Minute() == first.Minute()
			if exists && (local.Hour() != first.Hour() || local.Minute() != first.Minute()) {
				t.Fatalf("date %d at %v, the first at %v", i+1, local, first)
			}
			if e.Recurrence == RepeatMonthly && local.Day() != first.Day() {
				t.Fatalf("monthly date %d on day %d, the first on day %d", i+1, local.Day(), first.Day())
			}
		}
	})
}
