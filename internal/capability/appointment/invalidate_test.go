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

// TestChangesReachTheCaches checks that what the store's caches hold is
// dropped by the changes that touch it, announced here or elsewhere, and
// only by those.
func TestChangesReachTheCaches(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		bus := invalidate.New()
		e.s.Join(bus)
		day := appointment.DayOf(time.Date(2026, 2, 3, 12, 0, 0, 0, e.loc), e.loc)
		free := func() {
			t.Helper()
			if _, _, err := e.s.Free(ctx, e.agenda, e.loc, e.agenda.Type("passeport"), day, day); err != nil {
				t.Fatal(err)
			}
		}
		want := func(step string, agenda, busy, slots bool) {
			t.Helper()
			a, b, n := e.s.Cached(e.tenant.ID, e.agenda.ID)
			if a != agenda || b != busy || (n > 0) != slots {
				t.Fatalf("%s: agenda cached %v, occupancy fresh %v, slot lists %d; want %v, %v, any: %v",
					step, a, b, n, agenda, busy, slots)
			}
		}
		free()
		want("after a slot page", true, true, true)

		bus.Changed(ctx, invalidate.Change{Kind: invalidate.Agenda, TenantID: "another-collectivité"})
		bus.Receive(invalidate.Change{Kind: invalidate.Bookings, TenantID: e.tenant.ID, Key: "another-agenda"})
		want("after changes elsewhere", true, true, true)

		if _, err := e.s.Book(ctx, e.request("passeport", "09:00", 1)); err != nil {
			t.Fatal(err)
		}
		want("after a booking of this process, applied in place", true, true, true)

		bus.Receive(invalidate.Change{Kind: invalidate.Bookings, TenantID: e.tenant.ID, Key: e.agenda.ID})
		want("after a booking announced by another process", true, false, true)

		free()
		if err := e.s.AddException(ctx, e.tenant.ID, &appointment.Exception{AgendaID: e.agenda.ID, Day: day.String(),
			Start: 9 * 60, End: 10 * 60, Kind: appointment.Closed, Reason: "réunion"}); err != nil {
			t.Fatal(err)
		}
		want("after an exception", false, true, false)
	})
}
