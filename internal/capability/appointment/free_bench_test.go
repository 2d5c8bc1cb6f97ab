package appointment_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// BenchmarkFreeWindow is what a page asks of the store for the free times
// of a 60-day window: an agenda of 10 resources filled by the generator
// (closures, resources with hours of their own, bookings), on SQLite.
// "kept" asks again with nothing changed (the slots computed on the
// occupancy's snapshot are kept); "after_a_change" asks after a booking
// was claimed and dropped, so that each time the 60 days are computed
// again from the cached occupancy.
func BenchmarkFreeWindow(b *testing.B) {
	ctx := context.Background()
	d := dbtest.Open(b, "sqlite:"+filepath.Join(b.TempDir(), "free.db"), sets)
	tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair",
		Kind: tenant.KindCommune, Email: "mairie@montclair.example"})
	if err != nil {
		b.Fatal(err)
	}
	s := appointment.NewStore(d, "un-secret-de-test-assez-long-pour-hmac")
	now := time.Date(2026, 2, 2, 8, 0, 0, 0, tn.Location()).UTC()
	s.Now = func() time.Time { return now }
	b.Cleanup(func() { s.Close() })
	if _, err := s.Generate(ctx, tn.ID, tn.Location(), appointment.GenerateOptions{Agendas: 1, Resources: 10, Days: 120,
		Bookings: 4000, Seed: 13}, func(int) {}); err != nil {
		b.Fatal(err)
	}
	list, err := s.Agendas(ctx, tn.ID, true)
	if err != nil || len(list) != 1 {
		b.Fatalf("agendas %v: %v", list, err)
	}
	a, err := s.Agenda(ctx, tn.ID, list[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	a.WindowDays = 60
	loc := tn.Location()
	typ := &a.Types[0]
	today := appointment.DayOf(now, loc)
	last := appointment.NewCalendar(a, loc, nil).LastDay(now)
	free := func() int {
		slots, _, err := s.Free(ctx, a, loc, typ, today, last)
		if err != nil {
			b.Fatal(err)
		}
		return len(slots)
	}
	n := free()
	change := &appointment.Booking{ID: "bench", TenantID: tn.ID, AgendaID: a.ID, Start: now.Add(24 * time.Hour),
		BusyUntil: now.Add(24*time.Hour + 20*time.Minute)}
	b.Run("kept", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			free()
		}
		b.ReportMetric(float64(n), "slots")
	})
	b.Run("after_a_change", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.Claim(change, a.Resources[0].ID)
			s.Unclaim(change, "")
			free()
		}
		b.ReportMetric(float64(n), "slots")
	})
}
