package appointment_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestGenerate runs the generator at a small size and checks what it
// wrote: the counts it reports, units matching every active booking and
// no other, no two bookings of a resource overlapping (buffers included),
// every booking on a slot its agenda offers (resource hours, closures and
// holidays), and agendas that still take ordinary bookings.
func TestGenerate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		o := appointment.GenerateOptions{Agendas: 4, Resources: 3, Days: 40, Bookings: 700, Seed: 7}
		var calls, last int
		got, err := e.s.Generate(ctx, e.tenant.ID, e.loc, o, func(done int) { calls++; last = done })
		if err != nil {
			t.Fatal(err)
		}
		if got.Agendas != 4 || got.Resources != 12 || got.Bookings != 700 || got.Room < 700 || last != 700 || calls == 0 {
			t.Fatalf("generated %+v, progress %d in %d calls", got, last, calls)
		}
		agendas, err := e.s.Agendas(ctx, e.tenant.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		var bookings []*appointment.Booking
		statuses := map[string]int{}
		units := 0
		for _, listed := range agendas {
			if listed.Slug == "passeports" {
				continue
			}
			a, err := e.s.Agenda(ctx, e.tenant.ID, listed.Slug)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Resources) != 3 || a.Resources[2].Hours == nil || a.Resources[0].Hours != nil {
				t.Errorf("%s: resources %+v; want the third alone with hours of its own", a.Slug, a.Resources)
			}
			today := appointment.DayOf(e.now, e.loc)
			list, err := e.s.Bookings(ctx, a, e.loc, today.AddDays(-o.Days), today.AddDays(o.Days))
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range list {
				statuses[b.Status]++
			}
			units += checkGenerated(t, e, d, a, list)
			bookings = append(bookings, list...)
		}
		if len(bookings) != got.Bookings || statuses[appointment.StatusCancelled] != got.Cancelled {
			t.Errorf("%d bookings of which %d cancelled in the database, %d and %d reported", len(bookings),
				statuses[appointment.StatusCancelled], got.Bookings, got.Cancelled)
		}
		for _, s := range []string{appointment.StatusBooked, appointment.StatusDone, appointment.StatusNoShow, appointment.StatusCancelled} {
			if statuses[s] == 0 {
				t.Errorf("no booking %s among %v", s, statuses)
			}
		}
		var inDB int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_units WHERE tenant_id = ?`, e.tenant.ID).Scan(&inDB); err != nil {
			t.Fatal(err)
		}
		if units != got.Units || inDB != got.Units {
			t.Errorf("%d units for the active bookings, %d in the database, %d reported", units, inDB, got.Units)
		}

		// A second run adds agendas of its own beside the first's.
		again, err := e.s.Generate(ctx, e.tenant.ID, e.loc, appointment.GenerateOptions{Agendas: 1, Resources: 1, Days: 3, Bookings: 5}, nil)
		if err != nil || again.Agendas != 1 {
			t.Fatalf("second run: %+v, %v", again, err)
		}
		if _, err := e.s.Generate(ctx, e.tenant.ID, e.loc, appointment.GenerateOptions{Agendas: 1, Resources: 65, Days: 3}, nil); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Errorf("65 resources: %v, want invalid", err)
		}
	})
}

// checkGenerated checks one generated agenda's bookings and returns the
// units its active bookings hold.
func checkGenerated(t *testing.T, e *env, d *db.DB, a *appointment.Agenda, list []*appointment.Booking) int {
	t.Helper()
	ctx := context.Background()
	exc, err := e.s.Exceptions(ctx, a.TenantID, a.ID, appointment.DayOf(e.now, e.loc).AddDays(-400), appointment.DayOf(e.now, e.loc).AddDays(400))
	if err != nil {
		t.Fatal(err)
	}
	// Slots as offered to an agent long before, with no notice and a long window.
	offered := *a
	offered.MinNotice, offered.WindowDays = 0, 366
	c := appointment.NewCalendar(&offered, e.loc, exc)
	before := e.now.AddDate(0, 0, -60)
	busyUntil := map[string]time.Time{}
	units := 0
	for _, b := range list { // by start
		day := appointment.DayOf(b.Start, e.loc)
		i := slices.IndexFunc(a.Resources, func(r appointment.Resource) bool { return r.ID == b.ResourceID })
		slots := c.Slots(a.Type(b.TypeID), day, day, before, nil)
		if k := slices.IndexFunc(slots, func(s appointment.Slot) bool { return s.Start.Equal(b.Start) }); k < 0 || slots[k].Free&(1<<i) == 0 {
			t.Errorf("%s: booking at %s on resource %d, where no slot is offered", a.Slug, b.Start.In(e.loc), i)
		}
		if b.BusyUntil.Sub(b.End) != a.Buffer || b.End.Sub(b.Start) != a.Type(b.TypeID).Duration {
			t.Errorf("%s: booking %s–%s busy until %s", a.Slug, b.Start, b.End, b.BusyUntil)
		}
		want := 0
		if b.Active() {
			if prev, ok := busyUntil[b.ResourceID]; ok && b.Start.Before(prev) {
				t.Errorf("%s: booking at %s overlaps the one before, busy until %s", a.Slug, b.Start, prev)
			}
			busyUntil[b.ResourceID] = b.BusyUntil
			want = int(b.BusyUntil.Sub(b.Start) / appointment.Unit)
			units += want
		}
		if (b.Status == appointment.StatusCancelled) != (b.CancelledAt != nil) {
			t.Errorf("%s: status %s, cancelled at %v", a.Slug, b.Status, b.CancelledAt)
		}
		past := b.Start.Before(e.now)
		if past && b.Status == appointment.StatusBooked || !past && (b.Status == appointment.StatusDone || b.Status == appointment.StatusNoShow) {
			t.Errorf("%s: status %s at %s", a.Slug, b.Status, b.Start)
		}
		var n int
		var lo, hi int64
		if err := d.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MIN(unit_start), 0), COALESCE(MAX(unit_start), 0) FROM appointment_units
			WHERE tenant_id = ? AND booking_id = ? AND resource_id = ?`, a.TenantID, b.ID, b.ResourceID).Scan(&n, &lo, &hi); err != nil {
			t.Fatal(err)
		}
		if n != want || want > 0 && (lo != b.Start.Unix() || hi != b.BusyUntil.Unix()-int64(appointment.Unit/time.Second)) {
			t.Errorf("%s: booking %s (%s) holds %d units from %d to %d, want %d", a.Slug, b.Start, b.Status, n, lo, hi, want)
		}
	}
	// The generated people's details are valid ones, and the agenda takes
	// a booking on a slot left free but refuses one on a taken unit.
	for _, b := range list {
		if b.Status != appointment.StatusBooked {
			continue
		}
		r := &appointment.Request{Agenda: a, Type: a.Type(b.TypeID), Loc: e.loc, Start: b.Start, ResourceID: b.ResourceID,
			Name: b.Name, Email: "autre." + b.Email, Phone: b.Phone, ANTS: b.ANTS, Lang: b.Lang, BookedBy: "agent", Agent: true}
		if err := r.Validate(); err != nil {
			t.Fatalf("%s: generated details refused: %v", a.Slug, err)
		}
		if _, err := e.s.Book(ctx, r); !errors.Is(err, appointment.ErrSlotTaken) {
			t.Errorf("%s: booking over %s at %s: %v, want the slot taken", a.Slug, b.Name, b.Start, err)
		}
		break
	}
	if !strings.HasPrefix(a.Slug, "charge-") {
		t.Errorf("generated agenda's slug %q", a.Slug)
	}
	return units
}
