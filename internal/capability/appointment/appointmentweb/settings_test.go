package appointmentweb_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
)

// TestResourceHours starts from the town's second fingerprint station
// following the agenda's hours, gives it hours of its own, checks that
// residents' slots follow them at once, then clears them.
func TestResourceHours(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		s := appointmentweb.Of(e.App.Kernel).Store
		agent := e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost")
		base := "/gestion/rendez-vous/passeports-cni"
		a, err := s.Agenda(ctx, e.Town.ID, "passeports-cni") // cached from here on
		if err != nil {
			t.Fatal(err)
		}
		station := a.Resources[1]
		if err := s.SetResourceHours(ctx, e.Town.ID, a.ID, station.ID, nil); err != nil { // the demo gives it some
			t.Fatal(err)
		}
		page := base + "/ressources/" + station.ID + "/horaires"

		settings := agent.Get(base+"/reglages").Want(t, http.StatusOK).WantBody(t, "Horaires par guichet", `href="`+page+`"`)
		if !strings.Contains(settings.Body, "Horaires de l&#39;agenda") {
			t.Errorf("the settings do not say that the station follows the agenda's hours")
		}
		agent.Get(page).Want(t, http.StatusOK).WantBody(t, "Horaires de Station biométrique 2",
			"suit aujourd&#39;hui les horaires de l&#39;agenda", "Agenda : 08:30-12:00, 13:30-17:00", "Agenda : fermé")
		agent.Get(base+"/ressources/inconnue/horaires").Want(t, http.StatusNotFound)

		// Errors are said per field, in French and in English.
		bad := url.Values{"hours2": {"9h-12h"}, "hours4": {"10:00-09:00"}, "hours5": {"09:00-09:07"}}
		res := agent.Post(page, bad).Want(t, http.StatusUnprocessableEntity)
		for _, field := range []string{"hours2", "hours4", "hours5"} {
			res.WantBody(t, `href="#champ-`+field+`"`, `id="champ-`+field+`-error"`)
		}
		res.WantBody(t, "Indiquez des plages comme 09:00-12:00", `value="9h-12h"`)
		if strings.Contains(res.Body, `id="champ-hours1-error"`) {
			t.Errorf("an empty day is reported in error")
		}
		agent.SetCookie("lang", "en")
		agent.Post(page, bad).Want(t, http.StatusUnprocessableEntity).WantBody(t, "Enter ranges such as 09:00-12:00")
		agent.SetCookie("lang", "fr")

		// Tuesday mornings only.
		agent.Post(page, url.Values{"hours2": {"09:00-12:00"}}).WantRedirect(t, page+"?fait=enregistre")
		agent.Get(page+"?fait=enregistre").WantBody(t, "Les horaires de « Station biométrique 2 » sont enregistrés.",
			`value="09:00-12:00"`, "Revenir aux horaires de l&#39;agenda")
		agent.Get(base+"/reglages").WantBody(t, "Mardi 09:00-12:00")
		a, err = s.Agenda(ctx, e.Town.ID, "passeports-cni")
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Resources[1].Hours; !slices.Equal(got, []appointment.Hours{{Weekday: time.Tuesday, Start: 9 * 60, End: 12 * 60}}) {
			t.Fatalf("the cached agenda still has the station's hours %v", got)
		}
		loc := e.Town.Location()
		tuesday := appointment.DayOf(s.Now(), loc).AddDays(1)
		for tuesday.Weekday() != time.Tuesday || appointment.NewCalendar(a, loc, nil).HolidayName(tuesday) != "" {
			tuesday = tuesday.AddDays(1)
		}
		station2 := func(day appointment.Day) (morning, other int) {
			slots, _, err := s.Free(ctx, a, loc, a.Type("passeport-cni"), day, day)
			if err != nil {
				t.Fatal(err)
			}
			for _, sl := range slots {
				if sl.Free&2 == 0 {
					continue
				}
				if h := sl.Start.In(loc).Hour(); h >= 9 && h < 12 {
					morning++
				} else {
					other++
				}
			}
			return morning, other
		}
		if morning, other := station2(tuesday); morning == 0 || other != 0 {
			t.Errorf("Tuesday %s: the station is free in %d morning and %d other slots", tuesday, morning, other)
		}
		if morning, other := station2(tuesday.AddDays(1)); morning+other != 0 {
			t.Errorf("Wednesday: the station is free in %d slots", morning+other)
		}

		// Cleared with the button: the station follows the agenda again.
		agent.Post(page, url.Values{"action": {"clear"}}).WantRedirect(t, page+"?fait=efface")
		agent.Get(page+"?fait=efface").WantBody(t, "suit de nouveau les horaires de l&#39;agenda")
		if a, _ = s.Agenda(ctx, e.Town.ID, "passeports-cni"); a.Resources[1].Hours != nil {
			t.Fatalf("hours left after clearing: %v", a.Resources[1].Hours)
		}
		if _, other := station2(tuesday.AddDays(1)); other == 0 {
			t.Errorf("Wednesday: the station is still closed after clearing its hours")
		}
		// Every day left empty clears them too.
		agent.Post(page, url.Values{"hours6": {"09:00-10:00"}}).WantRedirect(t, page)
		agent.Post(page, url.Values{"hours6": {""}}).WantRedirect(t, page+"?fait=efface")

		resident := e.Browser(e.Town).SignInDemo(t, "habitante@courriel.localhost")
		resident.Get(page).Want(t, http.StatusForbidden)
		resident.Post(page, url.Values{"hours2": {"09:00-12:00"}}).Want(t, http.StatusForbidden)
	}, apptest.WithDemoData())
}
