package appointment_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// TestServiceKeysAndANTSNumbersMigrated starts from the schema before
// agendas had a staff service: each agenda's free-text service maps to a
// service key, and of two active bookings sharing a pre-application
// number, the first keeps it.
func TestServiceKeysAndANTSNumbersMigrated(t *testing.T) {
	t.Parallel()
	before := fstest.MapFS{}
	for _, name := range []string{"0001_appointments.sql", "0002_resource_hours.sql", "0003_confirm_outbox.sql"} {
		body, err := fs.ReadFile(appointment.Migrations.Files, name)
		if err != nil {
			t.Fatal(err)
		}
		before[name] = &fstest.MapFile{Data: body}
	}
	old := db.Migrations{Domain: appointment.Migrations.Domain, Files: before}
	dbtest.Each(t, []db.Migrations{tenant.Migrations, old}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC)
		services := map[string]string{"État civil": "etat-civil", "Urbanisme": "urbanisme", "Secrétariat de mairie": "accueil",
			"Action sociale": "social", "Élections": "elections"}
		i := 0
		for service := range services {
			i++
			if _, err := d.Exec(ctx, `INSERT INTO appointment_agendas (id, tenant_id, slug, service, name, step_minutes,
				window_days, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 20, 30, ?, ?)`,
				service, tn.ID, "agenda-"+string(rune('a'+i)), service, service, now, now); err != nil {
				t.Fatal(err)
			}
		}
		for k, status := range []string{"booked", "booked", "cancelled"} {
			if _, err := d.Exec(ctx, `INSERT INTO appointment_bookings (id, tenant_id, agenda_id, type_id, resource_id,
				reference, manage_hash, starts_at, ends_at, busy_until, status, name, ants_number, booked_by, created_at, updated_at)
				VALUES (?, ?, 'État civil', 't', 'r', ?, ?, ?, ?, ?, ?, 'Personne', 'AB12CD34EF', 'guest', ?, ?)`,
				string(rune('a'+k)), tn.ID, "RDV-"+string(rune('A'+k)), string(rune('a'+k)), now.Add(time.Hour),
				now.Add(2*time.Hour), now.Add(2*time.Hour), status, now.Add(time.Duration(k)*time.Minute), now); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Migrate(ctx, []db.Migrations{appointment.Migrations}); err != nil {
			t.Fatal(err)
		}
		s := appointment.NewStore(d, "un-secret-de-test-assez-long-pour-hmac")
		for service, key := range services {
			a, err := s.Agenda(ctx, tn.ID, service)
			if err != nil {
				t.Fatal(err)
			}
			if a.ServiceKey != key || a.Service != service || a.ConfirmHold != appointment.DefaultConfirmHold ||
				a.GuestsPerDay != appointment.DefaultGuestsPerDay {
				t.Errorf("%q: key %q, shown %q, hold %v, guests %d; want key %q", service, a.ServiceKey, a.Service,
					a.ConfirmHold, a.GuestsPerDay, key)
			}
		}
		for id, want := range map[string]bool{"a": true, "b": false, "c": false} {
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings WHERE id = ? AND ants_key = 'AB12CD34EF' AND guest`,
				id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if (n == 1) != want {
				t.Errorf("booking %s holds the number: %v, want %v", id, n == 1, want)
			}
		}
	})
}
