package app_test

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/identity/account"
)

// Rows of appointments: the booking pages, the manage link and the API
// for residents, and the agents' pages of an agenda, scoped by its
// service (the passport agenda is the état civil's).
func init() {
	fixtureSetups = append(fixtureSetups, appointmentFixtures)
	settlers = append(settlers, confirmationsQueued)
	agenda := func(f *fixtures) wild { return wild{"agenda": f.get("agenda")} }
	agendaType := func(f *fixtures) wild { return wild{"agenda": f.get("agenda"), "type": "passeport-cni"} }
	shared := func(f *fixtures) wild { return wild{"token": f.get("booking-token")} }
	takeBooking := func(_ *testing.T, f *fixtures) call { return call{params: wild{"token": f.take("booking-token")}} }
	// A held booking is "token code", the two secrets of its emailed link.
	held := func(v string) wild {
		token, code, _ := strings.Cut(v, " ")
		return wild{"token": token, "code": code}
	}
	heldShared := func(f *fixtures) wild { return held(f.get("held")) }
	takeHeld := func(_ *testing.T, f *fixtures) call { return call{params: held(f.take("held"))} }
	slot := func(form url.Values) func(*testing.T, *fixtures) call {
		return func(_ *testing.T, f *fixtures) call {
			return call{params: agendaType(f), query: url.Values{"debut": {f.get("slot")}}, form: form}
		}
	}
	// Finding 8: an agent reads and changes only the agendas of their services.
	civil := ofService("etat-civil", account.RoleAgent)
	authzRows = append(authzRows,
		row("site GET /rendez-vous", public(), nil),
		row("site GET /rendez-vous/mes-rendez-vous", signedInOnly(), nil),
		row("site GET /rendez-vous/gerer/{token}", tokenHolders(), fixed(shared)).secret("token"),
		row("site GET /rendez-vous/gerer/{token}/calendrier.ics", tokenHolders(), fixed(shared)).secret("token"),
		row("site POST /rendez-vous/gerer/{token}/annuler", tokenHolders(), takeBooking).renewed().secret("token"),
		// Accepting is for a slot offered from the waiting list: the booking's own answer is a refusal (409).
		row("site POST /rendez-vous/gerer/{token}/accepter", tokenHolders(), posting(shared, nil)).secret("token"),
		// Confirming a guest's held booking takes the code of the emailed link too.
		row("site GET /rendez-vous/gerer/{token}/confirmer/{code}", tokenHolders(), fixed(heldShared)).secret("code"),
		row("site POST /rendez-vous/gerer/{token}/confirmer/{code}", tokenHolders(), takeHeld).renewed().secret("code"),
		row("site GET /rendez-vous/gerer/{token}/deplacer", tokenHolders(), fixed(shared)).secret("token"),
		row("site POST /rendez-vous/gerer/{token}/deplacer", tokenHolders(), posting(shared, url.Values{"debut": {"demain"}})).secret("token"),
		row("site GET /rendez-vous/{agenda}", public(), fixed(agenda)),
		row("site GET /rendez-vous/{agenda}/{type}", public(), fixed(agendaType)),
		row("site GET /rendez-vous/{agenda}/{type}/coordonnees", public(), slot(nil)),
		row("site POST /rendez-vous/{agenda}/{type}/coordonnees", public(), slot(url.Values{"name": {""}})),
		row("site GET /rendez-vous/{agenda}/{type}/liste-attente", public(), fixed(agendaType)),
		row("site POST /rendez-vous/{agenda}/{type}/liste-attente", public(), posting(agendaType, url.Values{"name": {""}})),

		row("site GET /gestion/rendez-vous", staffOnly(account.RoleAgent), nil),
		row("site GET /gestion/rendez-vous/{agenda}/jour", civil, fixed(agenda)),
		row("site GET /gestion/rendez-vous/{agenda}/semaine", civil, fixed(agenda)),
		row("site GET /gestion/rendez-vous/{agenda}/impression", civil, fixed(agenda)),
		row("site GET /gestion/rendez-vous/{agenda}/reserver", civil, fixed(agenda)),
		row("site POST /gestion/rendez-vous/{agenda}/reserver", civil, posting(agenda, url.Values{"name": {""}})),
		row("site POST /gestion/rendez-vous/{agenda}/reservations/{id}/statut", civil, posting(func(f *fixtures) wild {
			return wild{"agenda": f.get("agenda"), "id": f.get("booking")}
		}, url.Values{"status": {"inconnu"}})),
		row("site GET /gestion/rendez-vous/{agenda}/blocages", civil, fixed(agenda)),
		row("site POST /gestion/rendez-vous/{agenda}/blocages", civil, posting(agenda, url.Values{"start": {"midi"}})),
		row("site POST /gestion/rendez-vous/{agenda}/blocages/{id}/supprimer", civil, func(_ *testing.T, f *fixtures) call {
			return call{params: wild{"agenda": f.get("agenda"), "id": f.take("block")}}
		}).renewed(),
		row("site GET /gestion/rendez-vous/{agenda}/reglages", civil, fixed(agenda)),
		row("site POST /gestion/rendez-vous/{agenda}/reglages", civil, posting(agenda, url.Values{"step": {"souvent"}})),
		row("site GET /gestion/rendez-vous/{agenda}/ressources/{resource}/horaires", civil, fixed(agendaResource)),
		row("site POST /gestion/rendez-vous/{agenda}/ressources/{resource}/horaires", civil,
			posting(agendaResource, url.Values{"hours2": {"le matin"}})),
		row("site GET /gestion/rendez-vous/{agenda}/chiffres", civil, fixed(agenda)),

		row("site GET /api/v1/rendez-vous/agendas", public(), nil),
		row("site GET /api/v1/rendez-vous/agendas/{agenda}/types/{type}/creneaux", public(), fixed(agendaType)),
		row("site POST /api/v1/rendez-vous/reservations", public(), func(*testing.T, *fixtures) call { return call{json: "{}"} }),
		row("site GET /api/v1/rendez-vous/reservations/{token}", tokenHolders(), fixed(shared)).secret("token"),
		row("site DELETE /api/v1/rendez-vous/reservations/{token}", tokenHolders(), takeBooking).renewed().secret("token"),
		row("site PATCH /api/v1/rendez-vous/reservations/{token}", tokenHolders(), func(_ *testing.T, f *fixtures) call {
			return call{params: shared(f), json: `{"start": "demain"}`}
		}).secret("token"),
	)
}

func agendaResource(f *fixtures) wild {
	return wild{"agenda": f.get("agenda"), "resource": f.get("resource")}
}

// confirmationsQueued waits until the confirmation of every booking made
// so far is queued: it is written a moment after the booking, in the
// background, and must not land while the matrix compares tables.
func confirmationsQueued(f *fixtures) {
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var flagged int
		err := f.e.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings WHERE confirm_pending`).Scan(&flagged)
		f.fatal("confirmations", err)
		if flagged == 0 {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("%d bookings still wait for their confirmation to be queued", flagged)
		}
	}
}

func appointmentFixtures(f *fixtures) {
	s, town := appointmentweb.Of(f.e.App.Kernel).Store, f.town
	a, err := s.Agenda(ctx, town.ID, "passeports-cni")
	f.fatal("agenda", err)
	f.set("agenda", a.Slug)
	f.set("resource", a.Resources[0].ID)
	loc := town.Location()
	today := appointment.DayOf(s.Now(), loc)
	free, _, err := s.Free(ctx, a, loc, a.Type("passeport-cni"), today.AddDays(1), today.AddDays(30))
	f.fatal("free slots", err)
	if len(free) == 0 {
		f.t.Fatal("fixture slot: the passport agenda has no free time")
	}
	f.set("slot", free[len(free)-1].Start.Format(time.RFC3339))

	// Throw-away bookings, for the requests that cancel theirs.
	retrait := a.Type("retrait")
	slots, _, err := s.Free(ctx, a, loc, retrait, today.AddDays(1), today.AddDays(30))
	f.fatal("free slots", err)
	book := func() (*appointment.Booking, error) {
		for len(slots) > 0 {
			start := slots[0].Start
			b, err := s.Book(ctx, &appointment.Request{Agenda: a, Type: retrait, Loc: loc, Start: start, Name: "Usager de test",
				Email: fmt.Sprintf("usager-%d@courriel.localhost", f.next()), Lang: "fr", BookedBy: "agent", Agent: true,
				SiteURL: "http://montclair.localhost"})
			if errors.Is(err, appointment.ErrSlotTaken) {
				slots = slots[1:]
				continue
			}
			return b, err
		}
		return nil, errors.New("no free time left")
	}
	first, err := book()
	f.fatal("booking", err)
	f.set("booking", first.ID)
	f.set("booking-token", s.ManageToken(first))
	f.fill("booking-token", 2*uses, func() string {
		b, err := book()
		f.fatal("booking", err)
		return s.ManageToken(b)
	})
	// Guests' bookings, held until their emailed link is confirmed: no more
	// than the agenda's guests a day, so they spread over the days.
	hold := func() (*appointment.Booking, error) {
		for len(slots) > 0 {
			start := slots[0].Start
			slots = slots[1:]
			b, err := s.Book(ctx, &appointment.Request{Agenda: a, Type: retrait, Loc: loc, Start: start, Name: "Invité de test",
				Email: fmt.Sprintf("invite-%d@courriel.localhost", f.next()), Phone: "06 11 22 33 44", Lang: "fr",
				BookedBy: "guest", SiteURL: "http://montclair.localhost"})
			if errors.Is(err, appointment.ErrSlotTaken) || errors.Is(err, appointment.ErrGuestLimit) {
				continue
			}
			return b, err
		}
		return nil, errors.New("no free time left")
	}
	f.fill("held", 2*uses+1, func() string {
		b, err := hold()
		f.fatal("held booking", err)
		return s.ManageToken(b) + " " + s.ConfirmCode(b)
	})
	f.set("held", f.take("held"))
	// A booking's confirmation is queued a moment later, in the background:
	// let it pass, so that no write lands while the matrix compares tables.
	confirmationsQueued(f)

	far := today.AddDays(200).String()
	f.fill("block", uses, func() string {
		e := &appointment.Exception{AgendaID: a.ID, Day: far, Start: 9 * 60, End: 10 * 60, Kind: appointment.Closed,
			Reason: fmt.Sprintf("Fermeture %d de la matrice", f.next())}
		f.fatal("block", s.AddException(ctx, town.ID, e))
		return e.ID
	})
}
