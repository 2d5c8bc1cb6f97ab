package appointmentweb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// AccessRows implements kernel.Guarded: the booking pages, the manage
// link and the API for residents, and the agents' pages of an agenda,
// scoped by its service (the passport agenda is the état civil's).
func (c *Capability) AccessRows() []access.Row {
	public, holders := access.Public(), access.TokenHolders()
	agenda := access.Named("agenda", "agenda")
	agendaType := func(f access.Fixtures) access.Params {
		return access.Params{"agenda": f.Get("agenda"), "type": "passeport-cni"}
	}
	agendaResource := func(f access.Fixtures) access.Params {
		return access.Params{"agenda": f.Get("agenda"), "resource": f.Get("resource")}
	}
	shared := access.Named("token", "booking-token")
	takeBooking := access.Taken("token", "booking-token")
	// A held booking is "token code", the two secrets of its emailed link.
	held := func(v string) access.Params {
		token, code, _ := strings.Cut(v, " ")
		return access.Params{"token": token, "code": code}
	}
	heldShared := func(f access.Fixtures) access.Params { return held(f.Get("held")) }
	takeHeld := func(f access.Fixtures) access.Call { return access.Call{Params: held(f.Take("held"))} }
	slot := func(form url.Values) access.Build {
		return func(f access.Fixtures) access.Call {
			return access.Call{Params: agendaType(f), Query: url.Values{"debut": {f.Get("slot")}}, Form: form}
		}
	}
	// Finding 8: an agent reads and changes only the agendas of their services.
	civil := access.OfService("etat-civil", account.RoleAgent)
	return []access.Row{
		access.For("site GET /rendez-vous", public, nil),
		access.For("site GET /rendez-vous/mes-rendez-vous", access.SignedInOnly(), nil),
		access.For("site GET /rendez-vous/gerer/{token}", holders, access.Fixed(shared)).Secret("token"),
		access.For("site GET /rendez-vous/gerer/{token}/calendrier.ics", holders, access.Fixed(shared)).Secret("token"),
		access.For("site POST /rendez-vous/gerer/{token}/annuler", holders, takeBooking).Renewed().Secret("token"),
		// Accepting is for a slot offered from the waiting list: the booking's own answer is a refusal (409).
		access.For("site POST /rendez-vous/gerer/{token}/accepter", holders, access.Posting(shared, nil)).Secret("token"),
		// Confirming a guest's held booking takes the code of the emailed link too.
		access.For("site GET /rendez-vous/gerer/{token}/confirmer/{code}", holders, access.Fixed(heldShared)).Secret("code"),
		access.For("site POST /rendez-vous/gerer/{token}/confirmer/{code}", holders, takeHeld).Renewed().Secret("code"),
		access.For("site GET /rendez-vous/gerer/{token}/deplacer", holders, access.Fixed(shared)).Secret("token"),
		access.For("site POST /rendez-vous/gerer/{token}/deplacer", holders,
			access.Posting(shared, url.Values{"debut": {"demain"}})).Secret("token"),
		access.For("site GET /rendez-vous/{agenda}", public, access.Fixed(agenda)),
		access.For("site GET /rendez-vous/{agenda}/{type}", public, access.Fixed(agendaType)),
		access.For("site GET /rendez-vous/{agenda}/{type}/coordonnees", public, slot(nil)),
		access.For("site POST /rendez-vous/{agenda}/{type}/coordonnees", public, slot(url.Values{"name": {""}})),
		access.For("site GET /rendez-vous/{agenda}/{type}/liste-attente", public, access.Fixed(agendaType)),
		access.For("site POST /rendez-vous/{agenda}/{type}/liste-attente", public, access.Posting(agendaType, url.Values{"name": {""}})),

		access.For("site GET /gestion/rendez-vous", access.StaffOnly(account.RoleAgent), nil),
		access.For("site GET /gestion/rendez-vous/{agenda}/jour", civil, access.Fixed(agenda)),
		access.For("site GET /gestion/rendez-vous/{agenda}/semaine", civil, access.Fixed(agenda)),
		access.For("site GET /gestion/rendez-vous/{agenda}/impression", civil, access.Fixed(agenda)),
		access.For("site GET /gestion/rendez-vous/{agenda}/reserver", civil, access.Fixed(agenda)),
		access.For("site POST /gestion/rendez-vous/{agenda}/reserver", civil, access.Posting(agenda, url.Values{"name": {""}})),
		access.For("site POST /gestion/rendez-vous/{agenda}/reservations/{id}/statut", civil,
			access.Posting(func(f access.Fixtures) access.Params {
				return access.Params{"agenda": f.Get("agenda"), "id": f.Get("booking")}
			}, url.Values{"status": {"inconnu"}})),
		access.For("site GET /gestion/rendez-vous/{agenda}/blocages", civil, access.Fixed(agenda)),
		access.For("site POST /gestion/rendez-vous/{agenda}/blocages", civil, access.Posting(agenda, url.Values{"start": {"midi"}})),
		access.For("site POST /gestion/rendez-vous/{agenda}/blocages/{id}/supprimer", civil, func(f access.Fixtures) access.Call {
			return access.Call{Params: access.Params{"agenda": f.Get("agenda"), "id": f.Take("block")}}
		}).Renewed(),
		access.For("site GET /gestion/rendez-vous/{agenda}/reglages", civil, access.Fixed(agenda)),
		access.For("site POST /gestion/rendez-vous/{agenda}/reglages", civil, access.Posting(agenda, url.Values{"step": {"souvent"}})),
		access.For("site GET /gestion/rendez-vous/{agenda}/ressources/{resource}/horaires", civil, access.Fixed(agendaResource)),
		access.For("site POST /gestion/rendez-vous/{agenda}/ressources/{resource}/horaires", civil,
			access.Posting(agendaResource, url.Values{"hours2": {"le matin"}})),
		access.For("site GET /gestion/rendez-vous/{agenda}/chiffres", civil, access.Fixed(agenda)),

		access.For("site GET /api/v1/rendez-vous/agendas", public, nil),
		access.For("site GET /api/v1/rendez-vous/agendas/{agenda}/types/{type}/creneaux", public, access.Fixed(agendaType)),
		access.For("site POST /api/v1/rendez-vous/reservations", public, func(access.Fixtures) access.Call {
			return access.Call{JSON: "{}"}
		}),
		access.For("site GET /api/v1/rendez-vous/reservations/{token}", holders, access.Fixed(shared)).Secret("token"),
		access.For("site DELETE /api/v1/rendez-vous/reservations/{token}", holders, takeBooking).Renewed().Secret("token"),
		access.For("site PATCH /api/v1/rendez-vous/reservations/{token}", holders, func(f access.Fixtures) access.Call {
			return access.Call{Params: shared(f), JSON: `{"start": "demain"}`}
		}).Secret("token"),
	}
}

// AccessFixtures implements kernel.AccessFixtured: the demo's passport
// agenda and one of its free slots, a booking, throw-away bookings for the
// requests that cancel theirs, guests' bookings held until confirmed, and
// closures to remove.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	s, loc := c.Store, town.Location()
	a, err := s.Agenda(ctx, town.ID, "passeports-cni")
	if err != nil {
		return fmt.Errorf("agenda: %w", err)
	}
	f.Set("agenda", a.Slug)
	f.Set("resource", a.Resources[0].ID)
	today := appointment.DayOf(s.Now(), loc)
	free, _, err := s.Free(ctx, a, loc, a.Type("passeport-cni"), today.AddDays(1), today.AddDays(30))
	if err != nil {
		return fmt.Errorf("free slots: %w", err)
	}
	if len(free) == 0 {
		return errors.New("slot: the passport agenda has no free time")
	}
	f.Set("slot", free[len(free)-1].Start.Format(time.RFC3339))
	siteURL, _, err := c.k.Links(ctx, town.ID)
	if err != nil {
		return err
	}
	if err := c.bookingFixtures(ctx, town, a, siteURL, f); err != nil {
		return err
	}
	// A booking's confirmation is queued a moment later, in the background:
	// let it pass, so that no write lands while the matrix compares tables.
	if err := c.SettleAccess(ctx); err != nil {
		return err
	}
	far := today.AddDays(200).String()
	return f.Fill("block", f.Uses(), func() (string, error) {
		e := &appointment.Exception{AgendaID: a.ID, Day: far, Start: 9 * 60, End: 10 * 60, Kind: appointment.Closed,
			Reason: fmt.Sprintf("Fermeture %d de la matrice", f.Next())}
		return e.ID, s.AddException(ctx, town.ID, e)
	})
}

// bookingFixtures makes the bookings of the agenda's withdrawals: agents'
// ones, whose manage links the rows use, and guests' ones held until
// their emailed link is confirmed.
func (c *Capability) bookingFixtures(ctx context.Context, town *tenant.Tenant, a *appointment.Agenda, siteURL string,
	f access.Fixtures) error {
	s, loc := c.Store, town.Location()
	today := appointment.DayOf(s.Now(), loc)
	retrait := a.Type("retrait")
	slots, _, err := s.Free(ctx, a, loc, retrait, today.AddDays(1), today.AddDays(30))
	if err != nil {
		return fmt.Errorf("free slots: %w", err)
	}
	book := func() (*appointment.Booking, error) {
		for len(slots) > 0 {
			start := slots[0].Start
			b, err := s.Book(ctx, &appointment.Request{Agenda: a, Type: retrait, Loc: loc, Start: start, Name: "Usager de test",
				Email: fmt.Sprintf("usager-%d@courriel.localhost", f.Next()), Lang: "fr", BookedBy: "agent", Agent: true,
				SiteURL: siteURL})
			if errors.Is(err, appointment.ErrSlotTaken) {
				slots = slots[1:]
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("booking: %w", err)
			}
			return b, nil
		}
		return nil, errors.New("booking: no free time left")
	}
	first, err := book()
	if err != nil {
		return err
	}
	f.Set("booking", first.ID)
	f.Set("booking-token", s.ManageToken(first))
	err = f.Fill("booking-token", 2*f.Uses(), func() (string, error) {
		b, err := book()
		if err != nil {
			return "", err
		}
		return s.ManageToken(b), nil
	})
	if err != nil {
		return err
	}
	// Guests' bookings: no more than the agenda's guests a day, so they
	// spread over the days.
	hold := func() (string, error) {
		for len(slots) > 0 {
			start := slots[0].Start
			slots = slots[1:]
			b, err := s.Book(ctx, &appointment.Request{Agenda: a, Type: retrait, Loc: loc, Start: start, Name: "Invité de test",
				Email: fmt.Sprintf("invite-%d@courriel.localhost", f.Next()), Phone: "06 11 22 33 44", Lang: "fr",
				BookedBy: "guest", SiteURL: siteURL})
			if errors.Is(err, appointment.ErrSlotTaken) || errors.Is(err, appointment.ErrGuestLimit) {
				continue
			}
			if err != nil {
				return "", fmt.Errorf("held booking: %w", err)
			}
			return s.ManageToken(b) + " " + s.ConfirmCode(b), nil
		}
		return "", errors.New("held booking: no free time left")
	}
	if err := f.Fill("held", 2*f.Uses()+1, hold); err != nil {
		return err
	}
	f.Set("held", f.Take("held"))
	return nil
}

// SettleAccess implements kernel.AccessSettled: it waits until the
// confirmation of every booking made so far is queued, which is written a
// moment after the booking, in the background.
func (c *Capability) SettleAccess(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		var flagged int
		if err := c.k.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings WHERE confirm_pending`).Scan(&flagged); err != nil {
			return fmt.Errorf("confirmations: %w", err)
		}
		if flagged == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d bookings still wait for their confirmation to be queued", flagged)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
