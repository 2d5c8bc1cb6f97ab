package app_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/capability/events"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/capability/procedure"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// Records of the demo town that the audit and authorization tables act on.

func procedureStore(t *testing.T, e *apptest.Env) *procedure.Store {
	storage, err := files.NewLocal(filepath.Join(e.App.Config.DataDir, "fichiers"))
	if err != nil {
		t.Fatal(err)
	}
	s := procedure.NewStore(e.App.DB, storage)
	s.Now = e.App.Now
	return s
}

// townCases returns the demo resident's filed cases in the town.
func townCases(t *testing.T, e *apptest.Env, town *tenant.Tenant) []*procedure.Case {
	ctx := context.Background()
	u, err := e.App.Accounts.ByEmail(ctx, town.ID, townResident)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := procedureStore(t, e).MyCases(ctx, town.ID, u.ID)
	if err != nil || len(cases) == 0 {
		t.Fatalf("no demo case in the town: %v", err)
	}
	return cases
}

const townBookingName = "Réservation de la ville témoin"

// findTownBooking books (once per environment) a town appointment whose
// person's name only it carries.
func findTownBooking(t *testing.T, e *apptest.Env, town *tenant.Tenant) *appointment.Booking {
	t.Helper()
	ctx := context.Background()
	s := appointmentweb.Of(e.App.Kernel).Store
	a, err := s.Agenda(ctx, town.ID, "passeports-cni")
	if err != nil {
		t.Fatal(err)
	}
	loc := town.Location()
	today := appointment.DayOf(s.Now(), loc)
	list, err := s.Bookings(ctx, a, loc, today, today.AddDays(60))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range list {
		if b.Name == townBookingName {
			return b
		}
	}
	slots, _, err := s.Free(ctx, a, loc, a.Type("passeport-cni"), today.AddDays(1), today.AddDays(30))
	if err != nil || len(slots) == 0 {
		t.Fatalf("no free slot in the town: %v", err)
	}
	b, err := s.Book(ctx, &appointment.Request{Agenda: a, Type: a.Type("passeport-cni"), Loc: loc, Start: slots[len(slots)/2].Start,
		Name: townBookingName, Email: "temoin@courriel.localhost", Phone: "06 00 00 00 99", ANTS: "TEMOIN0001", Lang: "fr",
		BookedBy: "guest", SiteURL: "http://montclair.localhost", Verified: true})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pngPixel is the smallest valid PNG image.
var pngPixel = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func townProcedure(suffix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		p, err := procedureStore(t, e).ProcedureBySlug(context.Background(), town.ID, "inscription-scolaire")
		if err != nil {
			t.Fatal(err)
		}
		return "/gestion/demarches/" + p.ID + suffix, []string{p.Title}
	}
}

func townExport(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	path, leak := townProcedure("")(t, e, town)
	return "/gestion/dossiers/export?demarche=" + path[len("/gestion/demarches/"):], leak
}

// townOnly marks records that exist in the town alone (the demo gives
// both collectivités the same pages and slugs).
const townOnly = "réservé à Montclair"

func firstTownEvent(t *testing.T, e *apptest.Env, town *tenant.Tenant) *events.Event {
	ctx := context.Background()
	list, _, err := eventsweb.Of(e.App.Kernel).Store.ListStaff(ctx, town.ID, publishing.ListFilter{Query: townOnly})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) > 0 {
		return list[0]
	}
	start := e.App.Now().Add(72 * time.Hour).Truncate(time.Hour)
	ev := &events.Event{TenantID: town.ID, Category: "culture", Title: "Soirée " + townOnly, Place: "Salle des fêtes",
		Start: start, End: start.Add(2 * time.Hour), Registration: true, Capacity: 10, Status: publishing.StatusPublished}
	if err := eventsweb.Of(e.App.Kernel).Store.Save(ctx, ev, town.Location(), "test", "published"); err != nil {
		t.Fatal(err)
	}
	return ev
}
