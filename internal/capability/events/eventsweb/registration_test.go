package eventsweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/apptest"
	"guichet/internal/capability/events"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/publishing"
)

// TestRegisterForADate: a weekly workshop's page offers its dates with
// their seats; a resident browsing in English registers for the second
// date and gets an English email naming it; the waiting list is per date.
func TestRegisterForADate(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		loc := e.Town.Location()
		day := e.App.Now().In(loc).AddDate(0, 0, 3)
		start := time.Date(day.Year(), day.Month(), day.Day(), 18, 0, 0, 0, loc)
		ev := &events.Event{TenantID: e.Town.ID, Category: "culture", Title: "Atelier couture", Place: "Maison des associations",
			Start: start.UTC(), End: start.Add(2 * time.Hour).UTC(), Recurrence: events.RepeatWeekly, Registration: true,
			Capacity: 1, Status: publishing.StatusPublished}
		if err := eventsweb.Of(e.App.Kernel).Store.Save(ctx, ev, loc, "Rédaction", "published"); err != nil {
			t.Fatal(err)
		}
		second := start.AddDate(0, 0, 7)
		value := strconv.FormatInt(second.Unix(), 10)
		b := e.Browser(e.Town)
		b.Get(ev.URL()).Want(t, http.StatusOK).WantBody(t, `name="date"`, `value="`+value+`"`, ": 1 place restante sur 1")

		// A date not offered: an error on the field.
		b.Post(ev.URL()+"/inscription", url.Values{"name": {"Dan"}, "email": {"dan@exemple.fr"}, "date": {"12"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-date"`, "Choisissez une des dates proposées.")

		b.SetCookie("lang", "en")
		b.Post(ev.URL()+"/inscription", url.Values{"name": {"Alice"}, "email": {"alice@exemple.fr"}, "date": {value}}).
			Want(t, http.StatusOK)
		m := e.Mail.WaitFor(t, "alice@exemple.fr", 10*time.Second)
		if !strings.HasPrefix(m.Subject, "Registration confirmed") ||
			!strings.Contains(m.Text, "Date: "+strconv.Itoa(second.Day())+" "+second.Month().String()) {
			t.Errorf("confirmation: %q\n%s", m.Subject, m.Text)
		}
		cancel := m.Link("/inscriptions/")
		b.Get(ev.URL()).WantBody(t, guichet.Date(second, "en")) // dates in the page's language

		b.SetCookie("lang", "fr")
		b.Post(ev.URL()+"/inscription", url.Values{"name": {"Bob"}, "email": {"bob@exemple.fr"}, "date": {value}}).
			Want(t, http.StatusOK).WantBody(t, "liste d&#39;attente")
		e.Mail.WaitFor(t, "bob@exemple.fr", 10*time.Second)
		b.Get(ev.URL()).WantBody(t, "complet, liste d&#39;attente (1 personne)", ": 1 place restante sur 1")

		u, err := url.Parse(cancel)
		if err != nil {
			t.Fatal(err)
		}
		b.SetCookie("lang", "en") // Alice cancels in English; Bob registered in French
		b.Post(u.Path, nil).Want(t, http.StatusOK)
		promoted := e.Mail.WaitFor(t, "bob@exemple.fr", 10*time.Second)
		if !strings.Contains(promoted.Subject, "Une place s'est libérée") || !strings.Contains(promoted.Text, "Date\u00a0: "+guichet.Date(second, "fr")) {
			t.Errorf("promotion: %q\n%s", promoted.Subject, promoted.Text)
		}
	}, apptest.WithMail())
}
