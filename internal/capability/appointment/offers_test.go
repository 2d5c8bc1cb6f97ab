package appointment_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestOffers: a time of the agenda's grid inside its window is offered,
// taken or not; a time off the grid, on a closed day, in the past or past
// the window is not.
func TestOffers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		for i := range 2 { // both counters: 09:00 on Tuesday is taken
			if _, err := e.s.Book(ctx, e.request("passeport", "09:00", i)); err != nil {
				t.Fatal(err)
			}
		}
		at := func(day, hhmm string) time.Time {
			v, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, e.loc)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		for _, tc := range []struct {
			name  string
			start time.Time
			want  bool
		}{
			{"a free time", at("2026-02-03", "09:20"), true},
			{"a taken time", at("2026-02-03", "09:00"), true},
			{"off the 20-minute grid", at("2026-02-03", "09:10"), false},
			{"after closing", at("2026-02-03", "12:00"), false},
			{"a Saturday", at("2026-02-07", "09:00"), false},
			{"in the past", at("2026-01-30", "09:00"), false},
			{"past the 30-day window", at("2026-03-17", "09:00"), false},
		} {
			got, err := e.s.Offers(ctx, e.agenda, e.loc, e.agenda.Type("passeport"), tc.start)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%s (%s): offered %v, want %v", tc.name, tc.start, got, tc.want)
			}
		}
	})
}
