package appointmentweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: bookings by manage link, page
// and API, agendas, the agents' pages, blocks and settings.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin, session := kernel.AsAnonymous, kernel.AsVillageAdmin, kernel.AsTownSession
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	manage := func(suffix string) kernel.IsolationTarget {
		return c.townBooking(func(_ *tenant.Tenant, b *appointment.Booking) string {
			return "/rendez-vous/gerer/" + c.Store.ManageToken(b) + suffix
		})
	}
	confirm := c.townBooking(func(_ *tenant.Tenant, b *appointment.Booking) string {
		return "/rendez-vous/gerer/" + c.Store.ManageToken(b) + "/confirmer/" + c.Store.ConfirmCode(b)
	})
	api := c.townBooking(func(_ *tenant.Tenant, b *appointment.Booking) string {
		return "/api/v1/rendez-vous/reservations/" + c.Store.ManageToken(b)
	})
	path := kernel.Path
	return []kernel.IsolationRow{
		row("read a town booking by its link", anon, "GET", nil, manage(""), http.StatusNotFound, nil),
		row("download a town booking's .ics", anon, "GET", nil, manage("/calendrier.ics"), http.StatusNotFound, nil),
		row("cancel a town booking by its link", anon, "POST", nil, manage("/annuler"), http.StatusNotFound, c.townBookingIntact),
		row("open a town booking's confirmation link", anon, "GET", nil, confirm, http.StatusNotFound, nil),
		row("confirm a town booking by its link", anon, "POST", nil, confirm, http.StatusNotFound, c.townBookingIntact),
		row("move a town booking", session, "POST", url.Values{"debut": {"2030-01-07T08:00:00Z"}}, manage("/deplacer"),
			http.StatusNotFound, c.townBookingIntact),
		row("read a town booking by API", session, "GET", nil, api, http.StatusNotFound, nil),
		row("cancel a town booking by API", anon, "DELETE", nil, api, http.StatusNotFound, c.townBookingIntact),
		row("open a town agenda", anon, "GET", nil, path("/rendez-vous/passeports-cni", "Passeports et cartes"), http.StatusNotFound, nil),
		row("read a town agenda's slots by API", anon, "GET", nil,
			path("/api/v1/rendez-vous/agendas/passeports-cni/types/passeport-cni/creneaux"), http.StatusNotFound, nil),
		row("list the village's agendas by API", anon, "GET", nil, path("/api/v1/rendez-vous/agendas", "passeports-cni", "Conseil en urbanisme"),
			http.StatusOK, nil),
		row("book in a town agenda by API", session, "POST", nil, path("/api/v1/rendez-vous/reservations"), http.StatusUnprocessableEntity, nil),
		row("open a town agenda's day", admin, "GET", nil, path("/gestion/rendez-vous/passeports-cni/jour"), http.StatusNotFound, nil),
		row("the village's day shows no town booking", admin, "GET", nil, c.townBooking(func(town *tenant.Tenant, b *appointment.Booking) string {
			return "/gestion/rendez-vous/mairie/jour?date=" + b.Start.In(town.Location()).Format("2006-01-02")
		}), http.StatusOK, nil),
		row("mark a town booking as a no-show", admin, "POST", url.Values{"status": {"noshow"}},
			c.townBooking(func(_ *tenant.Tenant, b *appointment.Booking) string {
				return "/gestion/rendez-vous/mairie/reservations/" + b.ID + "/statut"
			}), http.StatusNotFound, c.townBookingIntact),
		row("block a town agenda", admin, "POST", url.Values{"day": {"2030-01-07"}, "kind": {"closed"}},
			path("/gestion/rendez-vous/passeports-cni/blocages"), http.StatusNotFound, nil),
		row("change a town agenda's settings", admin, "POST", url.Values{"name": {"Piraté"}},
			path("/gestion/rendez-vous/urbanisme/reglages"), http.StatusNotFound, c.townAgendaIntact),
		row("town session on the village's bookings", session, "GET", nil, path("/rendez-vous/mes-rendez-vous"), http.StatusSeeOther, nil),
		row("open a town station's hours", admin, "GET", nil, c.townStation("passeports-cni"), http.StatusNotFound, nil),
		row("set a town station's hours", admin, "POST", url.Values{"hours2": {"09:00-10:00"}}, c.townStation("passeports-cni"),
			http.StatusNotFound, c.townStationIntact),
		row("set a town station's hours in the village's agenda", admin, "POST", url.Values{"hours2": {"09:00-10:00"}},
			c.townStation("mairie"), http.StatusNotFound, c.townStationIntact),
		row("clear a town station's hours in the village's agenda", admin, "POST", url.Values{"action": {"clear"}},
			c.townStation("mairie"), http.StatusNotFound, c.townStationIntact),
	}
}

// townStation targets the hours page of the town's first fingerprint
// station under the agenda slug; the town's station keeps hours of its own.
func (c *Capability) townStation(slug string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		a, err := c.Store.Agenda(ctx, town.ID, "passeports-cni")
		if err != nil {
			return "", nil, err
		}
		if a.Resources[0].Hours == nil {
			if err := c.Store.SetResourceHours(ctx, town.ID, a.ID, a.Resources[0].ID, townStationHours); err != nil {
				return "", nil, err
			}
		}
		return "/gestion/rendez-vous/" + slug + "/ressources/" + a.Resources[0].ID + "/horaires", []string{a.Resources[0].Name}, nil
	}
}

var townStationHours = []appointment.Hours{{Weekday: time.Monday, Start: 8 * 60, End: 11 * 60}}

func (c *Capability) townStationIntact(ctx context.Context, town *tenant.Tenant) error {
	a, err := c.Store.Agenda(ctx, town.ID, "passeports-cni")
	if err != nil {
		return err
	}
	if got := a.Resources[0].Hours; !slices.Equal(got, townStationHours) {
		return fmt.Errorf("the town's station hours changed: %v", got)
	}
	return nil
}

const townBookingName = "Réservation de la ville témoin"

// townBooking books (once per database) a town appointment whose person's
// name only it carries.
func (c *Capability) townBooking(p func(*tenant.Tenant, *appointment.Booking) string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		b, err := c.findTownBooking(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return p(town, b), []string{townBookingName, b.Reference}, nil
	}
}

func (c *Capability) findTownBooking(ctx context.Context, town *tenant.Tenant) (*appointment.Booking, error) {
	s := c.Store
	a, err := s.Agenda(ctx, town.ID, "passeports-cni")
	if err != nil {
		return nil, err
	}
	loc := town.Location()
	today := appointment.DayOf(s.Now(), loc)
	list, err := s.Bookings(ctx, a, loc, today, today.AddDays(60))
	if err != nil {
		return nil, err
	}
	for _, b := range list {
		if b.Name == townBookingName {
			return b, nil
		}
	}
	slots, _, err := s.Free(ctx, a, loc, a.Type("passeport-cni"), today.AddDays(1), today.AddDays(30))
	if err != nil || len(slots) == 0 {
		return nil, fmt.Errorf("no free slot in the town: %v", err)
	}
	return s.Book(ctx, &appointment.Request{Agenda: a, Type: a.Type("passeport-cni"), Loc: loc, Start: slots[len(slots)/2].Start,
		Name: townBookingName, Email: "temoin@courriel.localhost", Phone: "06 00 00 00 99", ANTS: "TEMOIN0001", Lang: "fr",
		BookedBy: "guest", SiteURL: "http://montclair.localhost", Verified: true})
}

func (c *Capability) townBookingIntact(ctx context.Context, town *tenant.Tenant) error {
	b, err := c.findTownBooking(ctx, town)
	if err != nil {
		return err
	}
	if b.Status != appointment.StatusBooked || b.Sequence != 0 {
		return fmt.Errorf("the town's booking changed: status %s, sequence %d", b.Status, b.Sequence)
	}
	return nil
}

func (c *Capability) townAgendaIntact(ctx context.Context, town *tenant.Tenant) error {
	a, err := c.Store.Agenda(ctx, town.ID, "urbanisme")
	if err != nil || a.Name != "Conseil en urbanisme" {
		return fmt.Errorf("the town's agenda changed: %v %v", a, err)
	}
	return nil
}
