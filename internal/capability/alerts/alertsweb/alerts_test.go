package alertsweb_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/alerts/alertsweb"
	"guichet/internal/publishing"
)

var link = regexp.MustCompile(`http://montclair\.localhost(/\S+)`)

// TestAlertSubscriptionByEmail walks the whole subscription: double
// opt-in, an alert mailed at once with the RFC 8058 header fields, and
// the mail client's one-click unsubscription.
func TestAlertSubscriptionByEmail(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const who = "riveraine@courriel.localhost"
		b := e.Browser(e.Town)
		res := b.Post("/alertes/abonnement", url.Values{"email": {"pas-une-adresse"}})
		res.Want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, `href="#champ-topics"`) || !strings.Contains(res.Body, `href="#champ-email"`) {
			t.Errorf("field errors missing:\n%s", res.Body)
		}
		b.Post("/alertes/abonnement", url.Values{"email": {who}, "topics": {"eau", "travaux"}}).Want(t, http.StatusOK)
		confirm := e.Mail.WaitFor(t, who, 10*time.Second)
		m := link.FindStringSubmatch(confirm.Text)
		if m == nil || !strings.HasPrefix(m[1], "/alertes/confirmer/") {
			t.Fatalf("no confirmation link in:\n%s", confirm.Text)
		}
		// Not confirmed yet: an alert now reaches nobody.
		staff := e.Browser(e.Town).SignInDemo(t, "communication@montclair.localhost")
		tomorrow := e.App.Now().In(e.Town.Location()).AddDate(0, 0, 1).Format("2006-01-02")
		staff.Post("/gestion/alertes", url.Values{"title": {"Avant confirmation"}, "severity": {"info"}, "topic": {"eau"},
			"expires_date": {tomorrow}}).Want(t, http.StatusSeeOther)
		waitSent(t, e)
		// Opening the link (as a mail scanner does) only shows the
		// subscription; its button confirms it, once.
		b.Get(m[1]).Want(t, http.StatusOK).WantBody(t, "<h1>Confirmez votre abonnement aux alertes</h1>", who, "Eau, Travaux",
			"Tous les quartiers", `<form method="post" action="`+m[1]+`">`)
		if n, err := alertsweb.Of(e.App.Kernel).Store.SubscriberCount(t.Context(), e.Town.ID); err != nil || n != 0 {
			t.Fatalf("opening the link confirmed %d subscribers (%v)", n, err)
		}
		b.Post(m[1], nil).Want(t, http.StatusOK).WantBody(t, "<h1>Abonnement confirmé</h1>")
		b.Post(m[1], nil).Want(t, http.StatusOK).WantBody(t, "<h1>Abonnement déjà confirmé</h1>")
		b.Get(m[1]).Want(t, http.StatusOK).WantBody(t, "<h1>Abonnement déjà confirmé</h1>")
		// A subscriber browsing in English gets the emails in English.
		const english = "river-side@courriel.localhost"
		en := e.Browser(e.Town)
		en.SetCookie("lang", "en")
		en.Post("/alertes/abonnement", url.Values{"email": {english}, "topics": {"eau"}}).Want(t, http.StatusOK)
		enConfirm := e.Mail.WaitFor(t, english, 10*time.Second)
		if !strings.HasPrefix(enConfirm.Subject, "Confirm your subscription") {
			t.Errorf("English confirmation: %q", enConfirm.Subject)
		}
		if m := link.FindStringSubmatch(enConfirm.Text); m != nil {
			en.Get(m[1]).Want(t, http.StatusOK).WantBody(t, "<h1>Confirm your subscription to alerts</h1>", "Water", "Confirm the subscription")
			en.Post(m[1], nil).Want(t, http.StatusOK).WantBody(t, "<h1>Subscription confirmed</h1>")
			en.Post(m[1], nil).Want(t, http.StatusOK).WantBody(t, "<h1>Subscription already confirmed</h1>")
		} else {
			t.Fatalf("no confirmation link in:\n%s", enConfirm.Text)
		}
		staff.Post("/gestion/alertes", url.Values{"title": {"Coupure d'eau rue Haute"}, "severity": {"urgent"}, "topic": {"eau"},
			"expires_date": {tomorrow}}).Want(t, http.StatusSeeOther)
		alert := e.Mail.WaitFor(t, who, 10*time.Second)
		if !strings.Contains(alert.Subject, "Coupure d'eau rue Haute") {
			t.Fatalf("got %q, want the second alert (the first was sent before confirmation)", alert.Subject)
		}
		if enAlert := e.Mail.WaitFor(t, english, 10*time.Second); enAlert.Subject != "Urgent alert – Coupure d'eau rue Haute" ||
			!strings.Contains(enAlert.Text, "Unsubscribe in one click") {
			t.Errorf("English alert: %q\n%s", enAlert.Subject, enAlert.Text)
		}
		unsub := alert.Header.Get("List-Unsubscribe")
		if alert.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(unsub, "<http://montclair.localhost/alertes/desabonnement/") {
			t.Fatalf("RFC 8058 header fields: %q %q", unsub, alert.Header.Get("List-Unsubscribe-Post"))
		}
		// The banner shows on every page.
		if page := e.Browser(e.Town).Get("/vie-pratique"); !strings.Contains(page.Body, "Coupure d&#39;eau rue Haute") {
			t.Errorf("no banner on the page")
		}
		// The mail client's one-click POST: no cookie, no Origin.
		path := strings.TrimSuffix(strings.TrimPrefix(unsub, "<http://montclair.localhost"), ">")
		e.BrowserFor(e.Host(e.Town)).Post(path, url.Values{"List-Unsubscribe": {"One-Click"}}).Want(t, http.StatusOK)
		n, err := alertsweb.Of(e.App.Kernel).Store.SubscriberCount(t.Context(), e.Town.ID)
		if err != nil || n != 1 {
			t.Errorf("%d subscribers left, %v; want the English one", n, err)
		}
	}, apptest.WithMail(), apptest.WithDemoData())
}

// waitSent waits until the jobs have mailed every alert.
func waitSent(t *testing.T, e *apptest.Env) {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		list, _, err := alertsweb.Of(e.App.Kernel).Store.Recent(t.Context(), e.Town.ID, publishing.Cursor{}, 20)
		if err != nil {
			t.Fatal(err)
		}
		sent := 0
		for _, a := range list {
			if a.SentAt != nil {
				sent++
			}
		}
		if sent == len(list) {
			return
		}
	}
	t.Fatal("the alert was not sent within 10 s")
}
