package appointmentweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
)

// dayStarts returns the free starts of the passport type, by local day,
// read from the API, and the days in order.
func dayStarts(t *testing.T, e *apptest.Env, b *apptest.Browser) (map[string][]string, []string) {
	t.Helper()
	var list struct {
		Slots []struct {
			Start time.Time `json:"start"`
		} `json:"slots"`
	}
	decode(t, b.Get("/api/v1/rendez-vous/agendas/passeports-cni/types/passeport-cni/creneaux").Want(t, http.StatusOK).Body, &list)
	byDay := map[string][]string{}
	var order []string
	for _, s := range list.Slots {
		d := s.Start.In(e.Town.Location()).Format("2006-01-02")
		if byDay[d] == nil {
			order = append(order, d)
		}
		byDay[d] = append(byDay[d], s.Start.UTC().Format(time.RFC3339))
	}
	return byDay, order
}

// TestGuestsPerDayAndPreApplicationNumbers: with one guest a day, a second
// guest that day is refused by page and by API while a resident with a
// verified address still books; a pre-application number, however
// written, holds one active booking, by page and by API.
func TestGuestsPerDayAndPreApplicationNumbers(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		settings := "/gestion/rendez-vous/passeports-cni/reglages"
		f := formValues(admin.Get(settings).Want(t, http.StatusOK).Body)
		if f.Get("guests_per_day") != "10" || f.Get("confirm_hold") != "30" {
			t.Errorf("default guest settings: %q per day, %q minutes", f.Get("guests_per_day"), f.Get("confirm_hold"))
		}
		f.Set("guests_per_day", "0")
		admin.Post(settings, f).Want(t, http.StatusUnprocessableEntity).WantBody(t, "entre 1 et 1000")
		f.Set("guests_per_day", "1")
		admin.Post(settings, f).WantRedirect(t, settings+"?enregistre=1")

		byDay, days := dayStarts(t, e, e.Browser(e.Town))
		var day string
		for _, d := range days {
			if len(byDay[d]) >= 3 {
				day = d
				break
			}
		}
		if day == "" {
			t.Fatal("no day with three free times")
		}
		base := "/rendez-vous/passeports-cni/passeport-cni/coordonnees"
		first := guest("1")
		first.Set("debut", byDay[day][0])
		e.Browser(e.Town).Post(base, first).WantRedirect(t, "/rendez-vous/gerer/")

		second := guest("2")
		second.Set("debut", byDay[day][1])
		e.Browser(e.Town).Post(base, second).Want(t, http.StatusConflict).WantBody(t, "sans compte vérifié sont complets ce jour-là")
		english := e.Browser(e.Town)
		english.SetCookie("lang", "en")
		english.Post(base, second).Want(t, http.StatusConflict).WantBody(t, "without a verified account are full that day")
		api := `{"agenda":"passeports-cni","type":"passeport-cni","start":"` + byDay[day][1] +
			`","name":"Invité 3","email":"invite3@courriel.localhost","phone":"0611223344","ants_number":"AB12CD34E3"}`
		post(e.Browser(e.Town), api).Want(t, http.StatusConflict).WantBody(t, `"code":"conflict"`, "complets ce jour-là")

		// A resident whose address is verified is not counted among guests.
		e.Resident(e.Town, "verifiee@courriel.localhost", "Résidente vérifiée")
		resident := e.Browser(e.Town)
		resident.SignIn(t, "verifiee@courriel.localhost", apptest.Password)
		mine := url.Values{"debut": {byDay[day][1]}, "name": {"Résidente vérifiée"}, "ants": {"VERIF00001"}}
		res := resident.Post(base, mine).WantRedirect(t, "/rendez-vous/gerer/")
		resident.Get(res.Location).Want(t, http.StatusOK).WantBody(t, "Rendez-vous confirmé")

		// The first guest's number, written otherwise, on another day.
		other := days[len(days)-1]
		reuse := guest("4")
		reuse.Set("debut", byDay[other][0])
		reuse.Set("ants", " ab12-cd34 e1 ")
		e.Browser(e.Town).Post(base, reuse).Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "Ce numéro de pré-demande a déjà un rendez-vous à venir", `href="#champ-ants"`)
		api = `{"agenda":"passeports-cni","type":"passeport-cni","start":"` + byDay[other][0] +
			`","name":"Invité 4","email":"invite4@courriel.localhost","phone":"0611223344","ants_number":"ab12cd34e1"}`
		post(e.Browser(e.Town), api).Want(t, http.StatusUnprocessableEntity).WantBody(t, `"ants":"Ce numéro de pré-demande`)
		// By API, a new number that other day: held for the guest.
		api = strings.Replace(api, "ab12cd34e1", "AB12CD34E4", 1)
		var held struct {
			Status    string
			HoldUntil *time.Time `json:"hold_until"`
		}
		decode(t, post(e.Browser(e.Town), api).Want(t, http.StatusCreated).Body, &held)
		if held.Status != "pending" || held.HoldUntil == nil {
			t.Errorf("a guest's booking by API: %+v", held)
		}
	}, apptest.WithDemoData())
}

// TestUnconfirmedHoldIsReleased: once the hold's time is up, the guest's
// page says the slot was released, its link no longer confirms, and the
// time is offered again, before any sweep.
func TestUnconfirmedHoldIsReleased(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		s := appointmentweb.Of(e.App.Kernel).Store
		b := e.Browser(e.Town)
		free := func(start string) int {
			t.Helper()
			var list struct {
				Slots []struct {
					Start string `json:"start"`
					Free  int    `json:"free"`
				} `json:"slots"`
			}
			decode(t, b.Get("/api/v1/rendez-vous/agendas/urbanisme/types/conseil/creneaux").Want(t, http.StatusOK).Body, &list)
			for _, sl := range list.Slots {
				if sl.Start == start {
					return sl.Free
				}
			}
			return 0
		}
		// A time still bookable once the hold has ended: past the agenda's
		// minimum notice by more than the hold.
		a, err := s.Agenda(ctx, e.Town.ID, "urbanisme")
		if err != nil {
			t.Fatal(err)
		}
		start := firstWithPlacesAfter(t, b, "urbanisme", "conseil", 1, s.Now().Add(a.MinNotice+a.ConfirmHold+time.Hour))
		form := url.Values{"debut": {start}, "name": {"Porteur de projet"}, "email": {"projet@courriel.localhost"},
			"phone": {"06 11 22 33 44"}}
		res := b.Post("/rendez-vous/urbanisme/conseil/coordonnees", form).WantRedirect(t, "/rendez-vous/gerer/")
		manage := strings.TrimSuffix(res.Location, "?confirme=1")
		if n := free(start); n != 0 {
			t.Fatalf("the held time still has %d places", n)
		}
		token := manage[strings.LastIndex(manage, "/")+1:]
		booking, err := s.ByToken(ctx, e.Town.ID, token)
		if err != nil || booking.Status != appointment.StatusPending || booking.AgendaID != a.ID {
			t.Fatalf("held booking: %+v %v", booking, err)
		}
		confirm := manage + "/confirmer/" + s.ConfirmCode(booking)
		b.Get(manage+"/confirmer/"+strings.Repeat("x", 43)).Want(t, http.StatusNotFound)
		b.Get(confirm).Want(t, http.StatusOK).WantBody(t, "Confirmez votre rendez-vous")

		real := s.Now
		t.Cleanup(func() { s.Now = real })
		s.Now = func() time.Time { return real().Add(a.ConfirmHold + time.Minute) }
		b.Get(manage).Want(t, http.StatusOK).WantBody(t, "Libéré faute de confirmation")
		b.Get(confirm).Want(t, http.StatusConflict).WantBody(t, "Le délai de confirmation est dépassé")
		b.Post(confirm, nil).Want(t, http.StatusConflict).WantBody(t, "Le délai de confirmation est dépassé")
		if n := free(start); n != 1 {
			t.Errorf("after the hold ended, the time has %d places, want 1", n)
		}
		// Someone else books it at once, before any sweep.
		other := url.Values{"debut": {start}, "name": {"Voisine"}}
		neighbour := e.Browser(e.Town)
		e.Resident(e.Town, "voisine@courriel.localhost", "Voisine")
		neighbour.SignIn(t, "voisine@courriel.localhost", apptest.Password)
		neighbour.Post("/rendez-vous/urbanisme/conseil/coordonnees", other).WantRedirect(t, "/rendez-vous/gerer/")
	}, apptest.WithDemoData())
}

// TestSignedInWithoutVerifiedAddress: signed in, a resident whose address
// is not verified, or one who gives another address, confirms by email
// too; with the verified address of their account, they book at once.
func TestSignedInWithoutVerifiedAddress(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		if _, err := e.App.Accounts.Register(ctx, e.Town.ID, "nonverifiee@courriel.localhost", "Non vérifiée", apptest.Password); err != nil {
			t.Fatal(err)
		}
		e.Resident(e.Town, "verifie@courriel.localhost", "Vérifié")
		byDay, days := dayStarts(t, e, e.Browser(e.Town))
		base := "/rendez-vous/passeports-cni/passeport-cni/coordonnees"
		cases := []struct {
			who, email, ants, want string
		}{
			{"nonverifiee@courriel.localhost", "", "NONVERIF01", "Vérifiez votre messagerie"},
			{"verifie@courriel.localhost", "autre.adresse@courriel.localhost", "AUTREADR01", "Vérifiez votre messagerie"},
		}
		var held string
		for i, c := range cases {
			b := e.Browser(e.Town)
			b.SignIn(t, c.who, apptest.Password)
			form := url.Values{"debut": {byDay[days[i]][0]}, "name": {"Personne connectée"}, "email": {c.email}, "ants": {c.ants}}
			res := b.Post(base, form).WantRedirect(t, "/rendez-vous/gerer/")
			b.Get(res.Location).Want(t, http.StatusOK).WantBody(t, c.want)
			held = strings.TrimSuffix(res.Location, "?confirme=1")
		}
		b := e.Browser(e.Town)
		b.SignIn(t, "verifie@courriel.localhost", apptest.Password)
		// The same type again is refused: the held booking keeps their turn.
		form := url.Values{"debut": {byDay[days[2]][0]}, "name": {"Vérifié"}, "email": {"verifie@courriel.localhost"}, "ants": {"VERIFIE001"}}
		b.Post(base, form).Want(t, http.StatusConflict).WantBody(t, "déjà un rendez-vous de ce type")
		b.Post(held+"/annuler", nil).Want(t, http.StatusOK)
		res := b.Post(base, form).WantRedirect(t, "/rendez-vous/gerer/")
		b.Get(res.Location).Want(t, http.StatusOK).WantBody(t, "Rendez-vous confirmé")
	}, apptest.WithDemoData())
}
