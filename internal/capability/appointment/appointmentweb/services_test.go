package appointmentweb_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
)

// TestAgentsManageOnlyTheirServices: the urbanism agent gets 403 on every
// agent page and action of the passport agenda, sees none of its people
// and changes nothing of it; the état civil agent still manages it, and
// the administrator manages every agenda.
func TestAgentsManageOnlyTheirServices(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		s := appointmentweb.Of(e.App.Kernel).Store
		loc := e.Town.Location()
		a, err := s.Agenda(ctx, e.Town.ID, "passeports-cni")
		if err != nil {
			t.Fatal(err)
		}
		today := appointment.DayOf(s.Now(), loc)
		list, err := s.Bookings(ctx, a, loc, today, today.AddDays(30))
		if err != nil || len(list) == 0 {
			t.Fatalf("no demo booking in the passport agenda: %v", err)
		}
		booking := list[0]
		day := appointment.DayOf(booking.Start, loc).String()
		closure := &appointment.Exception{AgendaID: a.ID, Day: today.AddDays(40).String(), Start: 0, End: 1440,
			Kind: appointment.Closed, Reason: "Fermeture témoin"}
		if err := s.AddException(ctx, e.Town.ID, closure); err != nil {
			t.Fatal(err)
		}
		base := "/gestion/rendez-vous/passeports-cni"
		station := base + "/ressources/" + a.Resources[0].ID + "/horaires"
		block := url.Values{"kind": {"closed"}, "day": {today.AddDays(41).String()}, "reason": {"Fermeture d'un autre service"}}
		routes := []struct {
			method, path string
			form         url.Values
		}{
			{"GET", base + "/jour?date=" + day, nil},
			{"GET", base + "/semaine?semaine=" + day, nil},
			{"GET", base + "/impression?date=" + day, nil},
			{"GET", base + "/reserver?type=passeport-cni&date=" + day, nil},
			{"POST", base + "/reserver", url.Values{"type": {"passeport-cni"}, "date": {day}, "debut": {booking.Start.Format("2006-01-02T15:04:05Z")},
				"name": {"Appelant d'un autre service"}, "phone": {"05 49 00 00 00"}, "ants": {"AUTRE00001"}}},
			{"POST", base + "/reservations/" + booking.ID + "/statut", url.Values{"status": {"noshow"}}},
			{"POST", base + "/reservations/" + booking.ID + "/statut", url.Values{"status": {"cancelled"}}},
			{"GET", base + "/blocages", nil},
			{"POST", base + "/blocages", block},
			{"POST", base + "/blocages/" + closure.ID + "/supprimer", nil},
			{"GET", base + "/reglages", nil},
			{"POST", base + "/reglages", url.Values{"name": {"Agenda détourné"}, "service_key": {"urbanisme"}}},
			{"GET", station, nil},
			{"POST", station, url.Values{"hours2": {"09:00-10:00"}}},
			{"GET", base + "/chiffres", nil},
		}
		planner := e.Browser(e.Town).SignInDemo(t, "urbanisme@montclair.localhost")
		for _, rt := range routes {
			res := planner.Do(rt.method, rt.path, rt.form, nil).Want(t, http.StatusForbidden)
			for _, secret := range []string{booking.Name, booking.Phone, booking.Email, booking.ANTS} {
				if secret != "" && strings.Contains(res.Body, secret) {
					t.Errorf("%s %s shows %q to the urbanism agent", rt.method, rt.path, secret)
				}
			}
		}
		home := planner.Get("/gestion/rendez-vous").Want(t, http.StatusOK).WantBody(t, "Conseil en urbanisme")
		if strings.Contains(home.Body, "passeports-cni") {
			t.Error("the urbanism agent's home lists the passport agenda")
		}
		planner.Get("/gestion/rendez-vous/urbanisme/jour").Want(t, http.StatusOK)

		// Nothing of the passport agenda changed.
		reasons := func() []string {
			t.Helper()
			exc, err := s.Exceptions(ctx, e.Town.ID, a.ID, today, today.AddDays(60))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, x := range exc {
				out = append(out, x.Reason)
			}
			return out
		}
		if got := reasons(); !slices.Equal(got, []string{"Fermeture témoin"}) {
			t.Errorf("closures after the urbanism agent: %q", got)
		}
		if b, _ := s.Get(ctx, e.Town.ID, booking.ID); b.Status != appointment.StatusBooked {
			t.Errorf("the booking's status changed to %s", b.Status)
		}
		if now, _ := s.Agenda(ctx, e.Town.ID, a.ID); now.Name != a.Name || now.ServiceKey != "etat-civil" ||
			now.Resources[0].Hours != nil {
			t.Errorf("the agenda changed: %q, %q, %v", now.Name, now.ServiceKey, now.Resources[0].Hours)
		}

		// The état civil agent still manages it: closures added and removed.
		civil := e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost")
		home = civil.Get("/gestion/rendez-vous").Want(t, http.StatusOK).WantBody(t, "Passeports et cartes")
		if strings.Contains(home.Body, "/gestion/rendez-vous/urbanisme/") {
			t.Error("the état civil agent's home lists the urbanism agenda")
		}
		civil.Get("/gestion/rendez-vous/urbanisme/jour").Want(t, http.StatusForbidden)
		civil.Get(base+"/jour?date="+day).Want(t, http.StatusOK).WantBody(t, booking.Name)
		civil.Post(base+"/blocages", block).WantRedirect(t, base+"/blocages")
		civil.Post(base+"/blocages/"+closure.ID+"/supprimer", nil).WantRedirect(t, base+"/blocages")
		if got := reasons(); !slices.Equal(got, []string{"Fermeture d'un autre service"}) {
			t.Errorf("closures after the état civil agent: %q", got)
		}
		// An agent gives the agenda only to one of their services.
		f := formValues(civil.Get(base+"/reglages").Want(t, http.StatusOK).Body)
		f.Set("service_key", "urbanisme")
		civil.Post(base+"/reglages", f).Want(t, http.StatusUnprocessableEntity).WantBody(t, "Choisissez un service de la liste.")

		// The administrator manages both, and may hand an agenda to another service.
		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		admin.Get("/gestion/rendez-vous").Want(t, http.StatusOK).WantBody(t, "/gestion/rendez-vous/passeports-cni/",
			"/gestion/rendez-vous/urbanisme/")
		settings := admin.Get(base+"/reglages").Want(t, http.StatusOK).
			WantBody(t, `<option value="etat-civil" selected>État civil</option>`, `<option value="urbanisme">Urbanisme</option>`)
		f = formValues(settings.Body)
		f.Set("service_key", "accueil")
		admin.Post(base+"/reglages", f).WantRedirect(t, base+"/reglages?enregistre=1")
		civil.Get(base+"/jour").Want(t, http.StatusForbidden)
		admin.Get(base+"/jour").Want(t, http.StatusOK)
	}, apptest.WithDemoData())
}
