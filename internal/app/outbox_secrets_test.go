package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/kernel/mail"
)

// outboxText returns every text column of the outbox as stored.
func outboxText(t *testing.T, e *apptest.Env) string {
	t.Helper()
	rows, err := e.App.DB.Query(context.Background(), `SELECT id, recipient, template, data, subject, attachments, last_error FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var cols [7]string
		if err := rows.Scan(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5], &cols[6]); err != nil {
			t.Fatal(err)
		}
		b.WriteString(strings.Join(cols[:], "\n") + "\n")
	}
	return b.String()
}

// consoleMessage returns the operator console's page of the latest
// message to addr.
func consoleMessage(t *testing.T, e *apptest.Env, op *apptest.Browser, addr string) *apptest.Response {
	t.Helper()
	list, _, err := e.App.Mail.ListAll(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.To == addr {
			return op.Get("/console/courriels/"+m.TenantID+"/"+m.ID).Want(t, http.StatusOK)
		}
	}
	t.Fatalf("no message to %s in the outbox", addr)
	return nil
}

// After a password reset request and the start of a case without an
// account, neither the outbox rows nor the operator console hold a usable
// token, and the links the recipients received still work.
func TestOutboxHoldsNoUsableSecretLink(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const email = "marc@exemple.fr"
		e.Resident(e.Town, email, "Marc")
		b := e.Browser(e.Town)
		b.Post("/mot-de-passe-oublie", url.Values{"email": {email}}).Want(t, http.StatusOK)
		reset := e.Mail.WaitFor(t, email, 10*time.Second).Link("/mot-de-passe/nouveau?jeton=")
		u, err := url.Parse(reset)
		if err != nil || len(u.Query().Get("jeton")) < 20 {
			t.Fatalf("reset link %q", reset)
		}
		resetToken := u.Query().Get("jeton")
		b.Post("/demarches/acte-de-naissance/commencer", url.Values{"name": {"Camille Roux"}, "email": {"camille@exemple.fr"}}).
			Want(t, http.StatusOK)
		access := e.Mail.WaitFor(t, "camille@exemple.fr", 10*time.Second).Link("/acces/")
		accessToken := access[strings.LastIndex(access, "/")+1:]

		stored := outboxText(t, e)
		op := e.Browser(e.Platform).SignInDemo(t, "operateur@guichet.localhost")
		pages := consoleMessage(t, e, op, email).Body + consoleMessage(t, e, op, "camille@exemple.fr").Body +
			op.Get("/console/courriels").Body
		for name, token := range map[string]string{"reset": resetToken, "case access": accessToken} {
			if strings.Contains(stored, token) {
				t.Errorf("the outbox rows hold the %s token", name)
			}
			if strings.Contains(pages, token) {
				t.Errorf("the console shows the %s token", name)
			}
		}
		if !strings.Contains(pages, "jeton=•••") || !strings.Contains(pages, "/acces/•••") || !strings.Contains(pages, "sont masqués") {
			t.Error("the console does not show where it masked the links")
		}

		// The links received work.
		b.Get(u.RequestURI()).Want(t, http.StatusOK)
		const fresh = "Nouvelle-Cle-2026!"
		b.Post("/mot-de-passe/nouveau", url.Values{"jeton": {resetToken}, "password": {fresh}, "password_confirm": {fresh}}).
			WantRedirect(t, "/connexion?ok=mot-de-passe")
		e.Browser(e.Town).SignIn(t, email, fresh)
		a, _ := url.Parse(access)
		opener := e.Browser(e.Town)
		opener.Get(a.RequestURI()).Want(t, http.StatusOK).WantBody(t, "Ouvrir votre dossier")
		opener.Post(a.RequestURI(), nil).WantRedirect(t, "/dossiers/")

		// A day after sending, the bodies are gone; the console says so.
		now := e.App.Now
		e.App.Mail.Now = func() time.Time { return now().Add(mail.KeepSentBody + time.Hour) }
		if n, err := e.App.Mail.EraseBodies(context.Background()); err != nil || n < 2 {
			t.Fatalf("erased %d bodies, %v", n, err)
		}
		consoleMessage(t, e, op, email).WantBody(t, "a été effacé")
	}, apptest.WithDemoData(), apptest.WithMail())
}

// In demo mode mail never leaves, and the console shows its links in full,
// saying so, for demo users to follow them.
func TestDemoConsoleShowsLinksInFull(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const email = "marc@exemple.fr"
		e.Resident(e.Town, email, "Marc")
		e.Browser(e.Town).Post("/mot-de-passe-oublie", url.Values{"email": {email}}).Want(t, http.StatusOK)
		op := e.Browser(e.Platform).SignInDemo(t, "operateur@guichet.localhost")
		page := consoleMessage(t, e, op, email).Body
		if !strings.Contains(page, "Mode démonstration") || strings.Contains(page, "jeton=•••") || !strings.Contains(page, "/mot-de-passe/nouveau?jeton=") {
			t.Fatalf("the demo console does not show the link in full:\n%s", page)
		}
		if strings.Contains(outboxText(t, e), "jeton") {
			t.Error("the demo outbox rows hold the link")
		}
		if !e.App.Mail.Holding() {
			t.Error("demo mail leaves")
		}
	}, apptest.WithDemoData(), apptest.WithConfig(func(c *app.Config) { c.Demo = true }))
}
