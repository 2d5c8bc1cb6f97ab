package queueweb_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/queue"
	"guichet/internal/capability/queue/queueweb"
)

var (
	kioskLink  = regexp.MustCompile(`href="(/borne/[^"]+)"`)
	ticketLink = regexp.MustCompile(`^/ticket/[A-Za-z0-9._-]+$`)
	counterID  = regexp.MustCompile(`action="/gestion/accueil/guichets/([^/"]+)/ouvrir"`)
)

// kioskOf returns the demo kiosk's address, as its administrator sees it.
func kioskOf(t *testing.T, e *apptest.Env) string {
	t.Helper()
	admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
	site, err := queueweb.Of(e.App.Kernel).Store.Site(t.Context(), e.Town.ID, "mairie")
	if err != nil {
		t.Fatal(err)
	}
	res := admin.Get(queueweb.AdminPath+"/"+site.ID).Want(t, http.StatusOK)
	m := kioskLink.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no kiosk address on the site's page:\n%s", res.Body)
	}
	return m[1]
}

// TestRemoteTicketAndCounter: a phone joins the queue, follows its place,
// is called by an agent at a counter, and the board and the ticket say so.
func TestRemoteTicketAndCounter(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		phone := e.Browser(e.Town)
		site := phone.Get("/file-attente/mairie").Want(t, http.StatusOK)
		site.WantBody(t, "Passeports et cartes d&#39;identité", "Prendre un ticket")
		store := queueweb.Of(e.App.Kernel).Store
		s, err := store.Site(t.Context(), e.Town.ID, "mairie")
		if err != nil {
			t.Fatal(err)
		}
		social := s.Services[2]
		phone.Post("/file-attente/mairie/tickets", url.Values{"email": {"pas-une-adresse"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-service"`, `href="#champ-email"`)
		res := phone.Post("/file-attente/mairie/tickets", url.Values{"service": {social.ID}, "email": {"visiteuse@courriel.localhost"}})
		res.Want(t, http.StatusSeeOther)
		if !ticketLink.MatchString(res.Location) {
			t.Fatalf("taken ticket sent to %q", res.Location)
		}
		ticket := res.Location
		page := phone.Get(ticket).Want(t, http.StatusOK)
		page.WantBody(t, "<h1>Ticket C00", "personnes avant vous", "<svg", "Annuler mon ticket")
		// No counter serves the social service yet: no estimate.
		var st struct{ State, Text, Detail string }
		if err := json.Unmarshal([]byte(phone.Get(ticket+"/etat").Want(t, http.StatusOK).Body), &st); err != nil {
			t.Fatal(err)
		}
		if st.State != queue.Waiting || !strings.Contains(st.Detail, "aucun guichet ouvert") {
			t.Fatalf("state %+v", st)
		}
		// An urban planning agent opens Guichet 2 for the social service
		// and calls until the phone's ticket comes.
		agent := e.Browser(e.Town).SignInDemo(t, "urbanisme@montclair.localhost")
		home := agent.Get(queueweb.ConsolePath).Want(t, http.StatusOK)
		ids := counterID.FindAllStringSubmatch(home.Body, -1)
		if len(ids) == 0 {
			t.Fatalf("no closed counter to open:\n%s", home.Body)
		}
		counter := "/gestion/accueil/guichets/" + ids[0][1]
		agent.Post(counter+"/ouvrir", url.Values{}).Want(t, http.StatusUnprocessableEntity).WantBody(t, "Choisissez au moins un service.")
		agent.Post(counter+"/ouvrir", url.Values{"services": {social.ID}}).WantRedirect(t, counter)
		label := ""
		for range 10 {
			agent.Post(counter+"/appeler", nil)
			if err := json.Unmarshal([]byte(phone.Get(ticket+"/etat").Body), &st); err != nil {
				t.Fatal(err)
			}
			if st.State == queue.Called {
				break
			}
		}
		if st.State != queue.Called || !strings.Contains(st.Text, "Guichet") {
			t.Fatalf("the ticket was never called: %+v", st)
		}
		console := agent.Get(counter).Want(t, http.StatusOK)
		label = regexp.MustCompile(`<p class="console-ticket">([A-Z]+\d+)</p>`).FindStringSubmatch(console.Body)[1]
		var board struct {
			Calls []queue.Call `json:"calls"`
		}
		if err := json.Unmarshal([]byte(e.Browser(e.Town).Get("/file-attente/mairie/ecran/etat").Want(t, http.StatusOK).Body), &board); err != nil {
			t.Fatal(err)
		}
		if len(board.Calls) == 0 || board.Calls[0].Label != label {
			t.Fatalf("the board shows %+v, want %s first", board.Calls, label)
		}
		agent.Post(counter+"/terminer", url.Values{"outcome": {"oriente"}}).WantRedirect(t, counter)
		phone.Get(ticket).Want(t, http.StatusOK).WantBody(t, "Votre passage au guichet est terminé")
		// A finished ticket cannot be cancelled; another agent cannot use the counter.
		phone.Post(ticket+"/annuler", nil).WantRedirect(t, ticket)
		other := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		other.Post(counter+"/appeler", nil).WantRedirect(t, queueweb.ConsolePath)
		agent.Post(counter+"/fermer", nil).WantRedirect(t, queueweb.ConsolePath)
		// Another phone cancels its ticket.
		res = e.Browser(e.Town).Post("/file-attente/mairie/tickets", url.Values{"service": {social.ID}})
		other.Post(res.Location+"/annuler", nil).WantRedirect(t, res.Location)
		other.Get(res.Location).WantBody(t, "Ce ticket est annulé.")
		phone.Get("/ticket/inconnu.AAAA").Want(t, http.StatusNotFound)
	}, apptest.WithDemoData())
}

// TestKioskTicketAndCheckIn: the kiosk gives a ticket to print or scan,
// and checks in today's appointment, which is called before people who
// came earlier.
func TestKioskTicketAndCheckIn(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		kiosk := kioskOf(t, e)
		b := e.Browser(e.Town)
		home := b.Get(kiosk).Want(t, http.StatusOK)
		home.WantBody(t, `class="kiosk"`, "Touchez le service", "J&#39;ai rendez-vous aujourd&#39;hui", `data-idle="90"`, "English")
		store := queueweb.Of(e.App.Kernel).Store
		s, _ := store.Site(t.Context(), e.Town.ID, "mairie")
		passports := s.Services[1]
		b.Post(kiosk+"/tickets", url.Values{"service": {"inconnu"}}).Want(t, http.StatusUnprocessableEntity)
		taken := b.Post(kiosk+"/tickets", url.Values{"service": {passports.ID}, "priority": {"1"}}).Want(t, http.StatusOK)
		taken.WantBody(t, `<p class="kiosk-number">B00`, "<svg", "Scannez ce code", "Imprimer le ticket")
		b.Get(kiosk+"x").Want(t, http.StatusNotFound)
		b.Get(kiosk+"/informations").Want(t, http.StatusOK).WantBody(t, "ascenseur", "Samedi : 9 h")

		// Today's appointment at the état civil's agenda, just due.
		now := e.App.Now()
		start := now.Add(-time.Minute)
		if start.In(e.Town.Location()).Day() != now.In(e.Town.Location()).Day() {
			start = now
		}
		// today moves the n-th booking of the état civil's agenda to now, in
		// the agenda of service.
		today := func(n int, service string) string {
			t.Helper()
			var ref string
			if err := e.App.DB.QueryRow(t.Context(), `SELECT b.reference FROM appointment_bookings b JOIN appointment_agendas a ON a.id = b.agenda_id
				WHERE b.tenant_id = ? AND a.service_key = 'etat-civil' ORDER BY b.starts_at, b.id LIMIT 1 OFFSET ?`, e.Town.ID, n).Scan(&ref); err != nil {
				t.Fatal(err)
			}
			if _, err := e.App.DB.Exec(t.Context(), `UPDATE appointment_bookings SET starts_at = ?, ends_at = ?, status = 'booked',
				agenda_id = (SELECT id FROM appointment_agendas WHERE tenant_id = ? AND service_key = ? ORDER BY slug LIMIT 1)
				WHERE tenant_id = ? AND reference = ?`, start.UTC(), start.Add(20*time.Minute).UTC(), e.Town.ID, service, e.Town.ID, ref); err != nil {
				t.Fatal(err)
			}
			return ref
		}
		status := func(ref string) string {
			t.Helper()
			var st string
			if err := e.App.DB.QueryRow(t.Context(), `SELECT status FROM appointment_bookings WHERE tenant_id = ? AND reference = ?`, e.Town.ID, ref).Scan(&st); err != nil {
				t.Fatal(err)
			}
			return st
		}
		// An urban planning appointment is not received at the town hall's
		// reception: refused, and left as it was.
		elsewhere := today(1, "urbanisme")
		b.Post(kiosk+"/rendez-vous", url.Values{"reference": {elsewhere}}).Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "Ce rendez-vous n&#39;est pas pris sur ce site")
		if st := status(elsewhere); st != "booked" {
			t.Fatalf("the refused check-in left the booking %s", st)
		}
		ref := today(0, "etat-civil")
		b.Post(kiosk+"/rendez-vous", url.Values{"reference": {"RDV-2026-ZZZZZZ"}}).Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "Aucun rendez-vous d&#39;aujourd&#39;hui ne porte cette référence")
		done := b.Post(kiosk+"/rendez-vous", url.Values{"reference": {" " + strings.ToLower(ref) + " "}}).Want(t, http.StatusOK)
		done.WantBody(t, "Votre arrivée est enregistrée", "Vous serez appelé en priorité")
		b.Post(kiosk+"/rendez-vous", url.Values{"reference": {ref}}).Want(t, http.StatusUnprocessableEntity).WantBody(t, "déjà enregistré")
		if st := status(ref); st != "arrived" {
			t.Fatalf("the booking is %q, want arrived", st)
		}
		// The demo's état civil agent holds Guichet 1 for A and B: their
		// next call is the appointment, before the priority ticket.
		agent := e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost")
		s, _ = store.Site(t.Context(), e.Town.ID, "mairie")
		counter := "/gestion/accueil/guichets/" + s.Counters[0].ID
		agent.Post(counter+"/appeler", nil).WantRedirect(t, counter)
		agent.Get(counter).Want(t, http.StatusOK).WantBody(t, "rendez-vous "+ref)
	}, apptest.WithDemoData())
}
