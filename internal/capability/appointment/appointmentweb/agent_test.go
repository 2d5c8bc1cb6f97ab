package appointmentweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment/appointmentweb"
)

func TestAgentPages(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		agent := e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost")
		loc := e.Town.Location()
		base := "/gestion/rendez-vous/passeports-cni"
		agent.Get("/gestion").Want(t, http.StatusOK).WantBody(t, `href="/gestion/rendez-vous"`)
		agent.Get("/gestion/rendez-vous").Want(t, http.StatusOK).WantBody(t, "Passeports et cartes")
		// The demo bookings are in the coming two weeks: find one on the week views.
		now := appointmentweb.Of(e.App.Kernel).Store.Now().In(loc)
		week := agent.Get(base+"/semaine").Want(t, http.StatusOK)
		next := agent.Get(base+"/semaine?semaine="+now.AddDate(0, 0, 7).Format("2006-01-02")).Want(t, http.StatusOK)
		if !strings.Contains(week.Body+next.Body, "Usager invité") && !strings.Contains(week.Body+next.Body, "démonstration") {
			t.Errorf("the week views show no demo booking")
		}

		// Book for a caller, inside the minimum notice, on the next day with
		// a time free (not a Sunday nor a public holiday).
		var ds, m string
		for i := 1; i <= 14 && m == ""; i++ {
			ds = now.AddDate(0, 0, i).Format("2006-01-02")
			form := agent.Get(base+"/reserver?type=passeport-cni&date="+ds).Want(t, http.StatusOK)
			m = regexpFind(form.Body, `name="debut" value="([^"]+)"`)
		}
		if m == "" {
			t.Fatal("no time offered to the agent in two weeks")
		}
		res := agent.Post(base+"/reserver", url.Values{"type": {"passeport-cni"}, "date": {ds}, "debut": {m},
			"name": {"Appelant au téléphone"}, "phone": {"05 49 00 00 00"}, "ants": {"TEL0000001"}})
		res.WantRedirect(t, base+"/jour?date="+ds)
		dayPage := agent.Get(res.Location).Want(t, http.StatusOK).WantBody(t, "Appelant au téléphone", "TEL0000001")
		id := regexpFind(dayPage.Body, `reservations/([0-9a-f-]+)/statut`)
		agent.Get(base+"/impression?date="+ds).Want(t, http.StatusOK).WantBody(t, "Appelant au téléphone")

		// Arrived, then no-show: the figures count it.
		agent.Post(base+"/reservations/"+id+"/statut", url.Values{"status": {"arrived"}}).WantRedirect(t, base+"/jour")
		agent.Post(base+"/reservations/"+id+"/statut", url.Values{"status": {"noshow"}}).WantRedirect(t, base+"/jour")
		agent.Get(base+"/jour?date="+ds).WantBody(t, "Absent")
		// Figures are written the French way: a decimal comma, a non-breaking space before %.
		agent.Get(base+"/chiffres").Want(t, http.StatusOK).WantBody(t, "Taux d", ",0\u00a0%</td>")

		// Block the rest of that day on every station: the resident sees no time that day.
		agent.Get(base+"/blocages").Want(t, http.StatusOK)
		agent.Post(base+"/blocages", url.Values{"kind": {"closed"}, "day": {ds}, "reason": {"Panne du réseau ANTS"}}).
			WantRedirect(t, base+"/blocages")
		agent.Get(base+"/blocages").WantBody(t, "Panne du réseau ANTS")
		agent.Get(base+"/reserver?type=passeport-cni&date="+ds).WantBody(t, "Aucun horaire libre ce jour-là")

		// Settings: invalid hours are refused, valid ones saved.
		settings := agent.Get(base+"/reglages").Want(t, http.StatusOK)
		f := formValues(settings.Body)
		f.Set("hours1", "9h-12h")
		agent.Post(base+"/reglages", f).Want(t, http.StatusUnprocessableEntity).WantBody(t, "09:00-12:00, 13:30-17:00")
		f.Set("hours1", "08:30-12:00, 13:30-18:00")
		f.Set("reminders", "24")
		agent.Post(base+"/reglages", f).WantRedirect(t, base+"/reglages?enregistre=1")
		agent.Get(base+"/reglages").WantBody(t, "13:30-18:00")

		// A resident is not an agent.
		resident := e.Browser(e.Town).SignInDemo(t, "habitante@courriel.localhost")
		resident.Get(base+"/jour").Want(t, http.StatusForbidden)
	}, apptest.WithDemoData())
}
