package appointment_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestFreeSlotsFollowEveryChange checks the free times this process keeps
// between changes against a computation from the database alone, after
// each booking, cancellation, move, exception and tick of the clock.
func TestFreeSlotsFollowEveryChange(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		day := appointment.DayOf(time.Date(2026, 2, 3, 12, 0, 0, 0, e.loc), e.loc)
		check := func(step string) {
			t.Helper()
			for _, slug := range []string{"passeport", "famille"} {
				typ := e.agenda.Type(slug)
				got, _, err := e.s.Free(ctx, e.agenda, e.loc, typ, day, day)
				if err != nil {
					t.Fatal(err)
				}
				exc, err := e.s.Exceptions(ctx, e.tenant.ID, e.agenda.ID, day, day)
				if err != nil {
					t.Fatal(err)
				}
				busy, err := e.s.BusyBetween(ctx, e.agenda, day.Time(e.loc), day.AddDays(1).Time(e.loc))
				if err != nil {
					t.Fatal(err)
				}
				want := appointment.NewCalendar(e.agenda, e.loc, exc).Slots(typ, day, day, e.now, busy)
				if !slices.Equal(got, want) {
					t.Fatalf("%s, %s: free %v, want %v", step, slug, got, want)
				}
			}
		}
		check("at first")
		check("asked again")
		b1, err := e.s.Book(ctx, e.request("passeport", "09:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		check("after a booking")
		b2, err := e.s.Book(ctx, e.request("famille", "10:00", 2))
		if err != nil {
			t.Fatal(err)
		}
		check("after a family booking")
		if err := e.s.Cancel(ctx, b1, "resident"); err != nil {
			t.Fatal(err)
		}
		check("after a cancellation")
		if err := e.s.Move(ctx, b2, e.request("famille", "11:00", 2)); err != nil {
			t.Fatal(err)
		}
		check("after a move")
		if err := e.s.AddException(ctx, e.tenant.ID, &appointment.Exception{AgendaID: e.agenda.ID, Day: day.String(),
			Start: 9*60 + 20, End: 10 * 60, Kind: appointment.Closed, Reason: "réunion"}); err != nil {
			t.Fatal(err)
		}
		if e.agenda, err = e.s.Agenda(ctx, e.tenant.ID, e.agenda.Slug); err != nil {
			t.Fatal(err)
		}
		check("after a closure")
		e.now = time.Date(2026, 2, 3, 8, 30, 0, 0, e.loc).UTC()
		check("on the day, inside the minimum notice of the first times")
		e.now = e.now.Add(time.Hour)
		check("an hour later")
	})
}
