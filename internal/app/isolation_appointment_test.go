package app_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/kernel/tenant"
)

// Rows of appointments: bookings by manage link, page and API, agendas,
// the agents' pages, blocks and settings.
func init() {
	anon, admin, session := "anonymous", "village-admin", "town-session"
	row := func(name, as, method string, form url.Values, target func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string),
		want int, unchanged func(*testing.T, *apptest.Env, *tenant.Tenant)) isolationRow {
		return isolationRow{name: name, as: as, method: method, form: form, target: target, want: want, unchanged: unchanged}
	}
	manage := func(suffix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
		return townBooking(func(e *apptest.Env, b *appointment.Booking) string {
			return "/rendez-vous/gerer/" + appointmentweb.Of(e.App.Kernel).Store.ManageToken(b) + suffix
		})
	}
	confirm := townBooking(func(e *apptest.Env, b *appointment.Booking) string {
		return "/rendez-vous/gerer/" + appointmentweb.Of(e.App.Kernel).Store.ManageToken(b) + "/confirmer/" + appointmentweb.Of(e.App.Kernel).Store.ConfirmCode(b)
	})
	api := townBooking(func(e *apptest.Env, b *appointment.Booking) string {
		return "/api/v1/rendez-vous/reservations/" + appointmentweb.Of(e.App.Kernel).Store.ManageToken(b)
	})
	isolationRows = append(isolationRows,
		row("read a town booking by its link", anon, "GET", nil, manage(""), http.StatusNotFound, nil),
		row("download a town booking's .ics", anon, "GET", nil, manage("/calendrier.ics"), http.StatusNotFound, nil),
		row("cancel a town booking by its link", anon, "POST", nil, manage("/annuler"), http.StatusNotFound, townBookingIntact),
		row("open a town booking's confirmation link", anon, "GET", nil, confirm, http.StatusNotFound, nil),
		row("confirm a town booking by its link", anon, "POST", nil, confirm, http.StatusNotFound, townBookingIntact),
		row("move a town booking", session, "POST", url.Values{"debut": {"2030-01-07T08:00:00Z"}}, manage("/deplacer"),
			http.StatusNotFound, townBookingIntact),
		row("read a town booking by API", session, "GET", nil, api, http.StatusNotFound, nil),
		row("cancel a town booking by API", anon, "DELETE", nil, api, http.StatusNotFound, townBookingIntact),
		row("open a town agenda", anon, "GET", nil, path("/rendez-vous/passeports-cni", "Passeports et cartes"), http.StatusNotFound, nil),
		row("read a town agenda's slots by API", anon, "GET", nil,
			path("/api/v1/rendez-vous/agendas/passeports-cni/types/passeport-cni/creneaux"), http.StatusNotFound, nil),
		row("list the village's agendas by API", anon, "GET", nil, path("/api/v1/rendez-vous/agendas", "passeports-cni", "Conseil en urbanisme"),
			http.StatusOK, nil),
		row("book in a town agenda by API", session, "POST", nil, path("/api/v1/rendez-vous/reservations"), http.StatusUnprocessableEntity, nil),
		row("open a town agenda's day", admin, "GET", nil, path("/gestion/rendez-vous/passeports-cni/jour"), http.StatusNotFound, nil),
		row("the village's day shows no town booking", admin, "GET", nil, townBooking(func(e *apptest.Env, b *appointment.Booking) string {
			return "/gestion/rendez-vous/mairie/jour?date=" + b.Start.In(e.Town.Location()).Format("2006-01-02")
		}), http.StatusOK, nil),
		row("mark a town booking as a no-show", admin, "POST", url.Values{"status": {"noshow"}},
			townBooking(func(_ *apptest.Env, b *appointment.Booking) string {
				return "/gestion/rendez-vous/mairie/reservations/" + b.ID + "/statut"
			}), http.StatusNotFound, townBookingIntact),
		row("block a town agenda", admin, "POST", url.Values{"day": {"2030-01-07"}, "kind": {"closed"}},
			path("/gestion/rendez-vous/passeports-cni/blocages"), http.StatusNotFound, nil),
		row("change a town agenda's settings", admin, "POST", url.Values{"name": {"Piraté"}},
			path("/gestion/rendez-vous/urbanisme/reglages"), http.StatusNotFound, townAgendaIntact),
		row("town session on the village's bookings", session, "GET", nil, path("/rendez-vous/mes-rendez-vous"), http.StatusSeeOther, nil),
		row("open a town station's hours", admin, "GET", nil, townStation("passeports-cni"), http.StatusNotFound, nil),
		row("set a town station's hours", admin, "POST", url.Values{"hours2": {"09:00-10:00"}}, townStation("passeports-cni"),
			http.StatusNotFound, townStationIntact),
		row("set a town station's hours in the village's agenda", admin, "POST", url.Values{"hours2": {"09:00-10:00"}},
			townStation("mairie"), http.StatusNotFound, townStationIntact),
		row("clear a town station's hours in the village's agenda", admin, "POST", url.Values{"action": {"clear"}},
			townStation("mairie"), http.StatusNotFound, townStationIntact),
	)
}

// townStation targets the hours page of the town's first fingerprint
// station under the agenda slug; the town's station keeps hours of its own.
func townStation(slug string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		a := townStationAgenda(t, e, town)
		if a.Resources[0].Hours == nil {
			if err := appointmentweb.Of(e.App.Kernel).Store.SetResourceHours(context.Background(), town.ID, a.ID, a.Resources[0].ID,
				townStationHours); err != nil {
				t.Fatal(err)
			}
		}
		return "/gestion/rendez-vous/" + slug + "/ressources/" + a.Resources[0].ID + "/horaires", []string{a.Resources[0].Name}
	}
}

var townStationHours = []appointment.Hours{{Weekday: time.Monday, Start: 8 * 60, End: 11 * 60}}

func townStationAgenda(t *testing.T, e *apptest.Env, town *tenant.Tenant) *appointment.Agenda {
	t.Helper()
	a, err := appointmentweb.Of(e.App.Kernel).Store.Agenda(context.Background(), town.ID, "passeports-cni")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func townStationIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	if got := townStationAgenda(t, e, town).Resources[0].Hours; !slices.Equal(got, townStationHours) {
		t.Errorf("the town's station hours changed: %v", got)
	}
}

const townBookingName = "Réservation de la ville témoin"

// townBooking books (once per environment) a town appointment whose
// person's name only it carries.
func townBooking(p func(*apptest.Env, *appointment.Booking) string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		b := findTownBooking(t, e, town)
		return p(e, b), []string{townBookingName, b.Reference}
	}
}

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

func townBookingIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	b := findTownBooking(t, e, town)
	if b.Status != appointment.StatusBooked || b.Sequence != 0 {
		t.Errorf("the town's booking changed: status %s, sequence %d", b.Status, b.Sequence)
	}
}

func townAgendaIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	a, err := appointmentweb.Of(e.App.Kernel).Store.Agenda(context.Background(), town.ID, "urbanisme")
	if err != nil || a.Name != "Conseil en urbanisme" {
		t.Errorf("the town's agenda changed: %v %v", a, err)
	}
}
