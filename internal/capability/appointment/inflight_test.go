package appointment_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/invalidate"
)

// TestInFlightBookingsSurviveAReload: a place claimed by a booking whose
// transaction has not ended stays busy in the free times when the
// occupancy is read again from the database meanwhile (as it is every
// busyTTL, or on another process's change), and is free again once the
// booking fails.
func TestInFlightBookingsSurviveAReload(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		bus := invalidate.New()
		e.s.Join(bus)
		day := appointment.DayOf(e.now, e.loc)
		typ := e.agenda.Type("passeport")
		freeAt := func(at time.Time) int {
			t.Helper()
			slots, _, err := e.s.Free(ctx, e.agenda, e.loc, typ, day, day)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range slots {
				if s.Start.Equal(at) {
					return s.FreeCount()
				}
			}
			return 0
		}
		slots, _, err := e.s.Free(ctx, e.agenda, e.loc, typ, day, day)
		if err != nil || len(slots) == 0 {
			t.Fatalf("no slot: %v", err)
		}
		at := slots[0].Start
		if n := freeAt(at); n != 2 {
			t.Fatalf("%d places at %s, want both counters", n, at)
		}
		b := &appointment.Booking{ID: "en-cours", TenantID: e.tenant.ID, AgendaID: e.agenda.ID, Start: at,
			End: at.Add(20 * time.Minute), BusyUntil: at.Add(20 * time.Minute)}
		if !e.s.Claim(b, e.agenda.Resources[0].ID) {
			t.Fatal("the claim was refused")
		}
		if n := freeAt(at); n != 1 {
			t.Fatalf("%d places while a booking is in flight, want 1", n)
		}
		bus.Receive(invalidate.Change{Kind: invalidate.Bookings, TenantID: e.tenant.ID, Key: e.agenda.ID})
		if n := freeAt(at); n != 1 {
			t.Fatalf("%d places after the occupancy was read again, want 1: the booking in flight was forgotten", n)
		}
		e.s.Unclaim(b, "")
		if n := freeAt(at); n != 2 {
			t.Fatalf("%d places once the booking failed, want 2", n)
		}
	})
}
