package appointment_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

func TestResourceHoursStored(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		second := e.agenda.Resources[1]
		tuesday := []appointment.Hours{{Weekday: time.Tuesday, Start: 10 * 60, End: 11 * 60}}
		if err := e.s.SetResourceHours(ctx, e.tenant.ID, e.agenda.ID, second.ID, tuesday); err != nil {
			t.Fatal(err)
		}
		// The agenda read before was cached: the change must show at once.
		a, err := e.s.Agenda(ctx, e.tenant.ID, "passeports")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Resources[1].Hours, tuesday) || a.Resources[0].Hours != nil {
			t.Fatalf("hours read back: %v and %v", a.Resources[0].Hours, a.Resources[1].Hours)
		}
		e.agenda = a

		// At 09:00 only the first counter is open; at 10:00 both.
		if _, err := e.s.Book(ctx, e.request("passeport", "09:00", 1)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Book(ctx, e.request("passeport", "09:00", 2)); !errors.Is(err, appointment.ErrSlotTaken) {
			t.Errorf("second booking at 09:00: %v, want the slot taken", err)
		}
		var got []string
		for i := 3; i <= 4; i++ {
			b, err := e.s.Book(ctx, e.request("passeport", "10:00", i))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, b.ResourceID)
		}
		if slices.Sort(got); !slices.Equal(got, []string{min(a.Resources[0].ID, second.ID), max(a.Resources[0].ID, second.ID)}) {
			t.Errorf("10:00 booked on %v, want both counters", got)
		}

		for name, hours := range map[string][]appointment.Hours{
			"end before start":  {{Weekday: time.Monday, Start: 12 * 60, End: 9 * 60}},
			"off the 5 minutes": {{Weekday: time.Monday, Start: 9*60 + 2, End: 10 * 60}},
			"past midnight":     {{Weekday: time.Monday, Start: 23 * 60, End: 25 * 60}},
			"no such weekday":   {{Weekday: 7, Start: 9 * 60, End: 10 * 60}},
		} {
			err := e.s.SetResourceHours(ctx, e.tenant.ID, e.agenda.ID, second.ID, hours)
			if guichet.ErrorCode(err) != guichet.EInvalid {
				t.Errorf("%s: %v, want invalid", name, err)
			}
		}
		for name, ids := range map[string][2]string{
			"unknown resource":               {e.agenda.ID, "absente"},
			"resource of another agenda":     {"autre-agenda", second.ID},
			"agenda of another collectivité": {e.agenda.ID, second.ID},
		} {
			tenantID := e.tenant.ID
			if name == "agenda of another collectivité" {
				tenantID = "autre-collectivite"
			}
			err := e.s.SetResourceHours(ctx, tenantID, ids[0], ids[1], tuesday)
			if guichet.ErrorCode(err) != guichet.ENotFound {
				t.Errorf("%s: %v, want not found", name, err)
			}
		}

		// Cleared, the second counter follows the agenda again.
		if err := e.s.SetResourceHours(ctx, e.tenant.ID, e.agenda.ID, second.ID, nil); err != nil {
			t.Fatal(err)
		}
		if e.agenda, err = e.s.Agenda(ctx, e.tenant.ID, "passeports"); err != nil || e.agenda.Resources[1].Hours != nil {
			t.Fatalf("hours after clearing: %v, %v", e.agenda.Resources[1].Hours, err)
		}
		if _, err := e.s.Book(ctx, e.request("passeport", "09:00", 2)); err != nil {
			t.Errorf("09:00 on the second counter after clearing: %v", err)
		}
	})
}

func TestCreateAgendaWithResourceHours(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		mornings := []appointment.Hours{{Weekday: time.Tuesday, Start: 9 * 60, End: 12 * 60},
			{Weekday: time.Thursday, Start: 9 * 60, End: 12 * 60}}
		a := &appointment.Agenda{TenantID: e.tenant.ID, Slug: "stations", ServiceKey: "etat-civil", Service: "État civil", Name: "Stations",
			Step: 20 * time.Minute, WindowDays: 30, Hold: time.Hour, Active: true,
			Hours:     []appointment.Hours{{Weekday: time.Monday, Start: 9 * 60, End: 17 * 60}},
			Resources: []appointment.Resource{{Name: "Guichet"}, {Name: "Station", Kind: "fingerprint", Position: 1, Hours: mornings}}}
		if err := e.s.CreateAgenda(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Agenda(ctx, e.tenant.ID, "stations")
		if err != nil {
			t.Fatal(err)
		}
		if got.Resources[0].Hours != nil || !slices.Equal(got.Resources[1].Hours, mornings) {
			t.Errorf("hours read back: %v and %v", got.Resources[0].Hours, got.Resources[1].Hours)
		}
		bad := *a
		bad.Slug, bad.Resources = "invalide", []appointment.Resource{{Name: "Station", Hours: []appointment.Hours{{Weekday: time.Monday, Start: 10 * 60, End: 9 * 60}}}}
		if err := e.s.CreateAgenda(ctx, &bad); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Errorf("a resource's invalid hours: %v, want invalid", err)
		}
	})
}
