package appointment_test

import (
	"context"
	"fmt"
	"testing"

	"guichet"
	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestSeedRush: the rush's agenda offers exactly the places asked, on one
// day, all of which guests can book, and not one more; sizes that cannot
// be laid out are refused.
func TestSeedRush(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		r, err := e.s.SeedRush(ctx, e.tenant.ID, e.loc, appointment.RushOptions{Places: 60, Stations: 4})
		if err != nil {
			t.Fatal(err)
		}
		today := appointment.DayOf(e.now, e.loc)
		window := func() []appointment.Slot {
			t.Helper()
			slots, _, err := e.s.Free(ctx, r.Agenda, e.loc, r.Type, today, today.AddDays(r.Agenda.WindowDays))
			if err != nil {
				t.Fatal(err)
			}
			return slots
		}
		places := 0
		for _, s := range window() {
			if appointment.DayOf(s.Start, e.loc) != r.Day {
				t.Errorf("a time on %s, not on the rush's day %s", s.Start, r.Day)
			}
			places += s.FreeCount()
		}
		if places != 60 || len(window()) != 15 {
			t.Fatalf("%d places in %d times, want 60 in 15", places, len(window()))
		}
		for i := 0; ; i++ {
			free := window()
			if len(free) == 0 {
				if i != 60 {
					t.Fatalf("%d guests booked, want 60", i)
				}
				break
			}
			_, err := e.s.Book(ctx, &appointment.Request{Agenda: r.Agenda, Type: r.Type, Loc: e.loc, Start: free[0].Start,
				Name: fmt.Sprintf("Invité %d", i), Email: fmt.Sprintf("invite%d@courriel.localhost", i), Phone: "06 11 22 33 44",
				ANTS: fmt.Sprintf("RUEE%06d", i), Lang: "fr", BookedBy: "guest", SiteURL: "http://montclair.localhost"})
			if err != nil {
				t.Fatalf("guest %d: %v", i, err)
			}
		}
		if _, err := e.s.SeedRush(ctx, e.tenant.ID, e.loc, appointment.RushOptions{Places: 60, Stations: 4}); err != nil {
			t.Errorf("a second rush agenda on the same database: %v", err)
		}
		for _, o := range []appointment.RushOptions{{Places: 61, Stations: 4}, {Places: 0, Stations: 4}, {Places: 40, Stations: 0},
			{Places: 1001, Stations: 1}, {Places: 37, Stations: 1}, {Places: 200, Stations: 65}} {
			if err := o.Validate(); guichet.ErrorCode(err) != guichet.EInvalid {
				t.Errorf("%+v: %v, want refused", o, err)
			}
		}
	})
}
