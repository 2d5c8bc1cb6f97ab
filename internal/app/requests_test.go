package app_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/mailtest"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/privacy/privacyweb"
	"guichet/internal/kernel/tenant"
)

var confirmLink = regexp.MustCompile(`http://[^/\s]+(/donnees-personnelles/demande/confirmer/\S+)`)

// TestErasureRequestWithoutSigningIn: someone files an erasure request
// with their address, confirms it from the email; the administrator sees
// it with its due date (flagged once overdue), takes it on, erases the
// person's data and answers; the person is mailed at each step and each
// action is in the audit log.
func TestErasureRequestWithoutSigningIn(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		u := e.Resident(e.Town, erasable.email, erasable.name)
		booking, _ := createEveryRecord(t, e, u)

		visitor := e.Browser(e.Town)
		visitor.Get("/donnees-personnelles").Want(t, http.StatusOK).WantBody(t, `href="/donnees-personnelles/demande"`)
		visitor.Get("/donnees-personnelles/demande").Want(t, http.StatusOK)
		visitor.Post("/donnees-personnelles/demande", url.Values{"kind": {"erasure"}, "name": {erasable.name},
			"email": {erasable.email}}).Want(t, http.StatusOK).WantBody(t, "Confirmez votre adresse")
		link := waitForLink(t, e, erasable.email)
		// Opening the link (as a mail scanner does) only shows what
		// confirming does, in either language.
		visitor.Get(link).Want(t, http.StatusOK).WantBody(t, "<h1>Confirmez votre demande</h1>", "Effacement", erasable.email,
			"y compris le compte qu&#39;elle ouvre", `<form method="post" action="`+link+`">`)
		english := e.Browser(e.Town)
		english.Get("/langue/en?suite=/")
		english.Get(link).Want(t, http.StatusOK).WantBody(t, "<h1>Confirm your request</h1>", "Erasure", "Confirm and send the request")
		if open, _, err := privacyweb.Of(e.App.Kernel).Requests.List(ctx, e.Town.ID); err != nil || slices.ContainsFunc(open, func(r *privacy.Request) bool {
			return r.Email == erasable.email
		}) {
			t.Fatalf("opening the link confirmed the request (%v)", err)
		}
		visitor.Post(link, nil).Want(t, http.StatusOK).WantBody(t, "Demande reçue")
		mailAbout(t, e, erasable.email, "reçue")
		visitor.Post(link, nil).Want(t, http.StatusOK).WantBody(t, "<h1>Demande déjà confirmée</h1>")
		english.Get(link).Want(t, http.StatusOK).WantBody(t, "<h1>Request already confirmed</h1>")
		req := openRequestOf(t, e, e.Town, erasable.email)

		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		list := admin.Get("/gestion/donnees-personnelles").Want(t, http.StatusOK)
		list.WantBody(t, req.Reference)
		if n := strings.Count(list.Body, "En retard"); n != 1 {
			t.Errorf("%d requests flagged overdue, want the demo's one only", n)
		}
		clock := privacyweb.Of(e.App.Kernel).Requests.Now
		privacyweb.Of(e.App.Kernel).Requests.Now = func() time.Time { return clock().AddDate(0, 1, 2) }
		if late := admin.Get("/gestion/donnees-personnelles").Want(t, http.StatusOK); strings.Count(late.Body, "En retard") != 3 ||
			!strings.Contains(late.Body, "3 demandes ont dépassé") {
			t.Error("a month and two days later, the requests are not all flagged overdue")
		}
		privacyweb.Of(e.App.Kernel).Requests.Now = clock

		path := "/gestion/donnees-personnelles/" + req.ID
		admin.Get(path).Want(t, http.StatusOK).WantBody(t, "Effacer définitivement")
		admin.Post(path, url.Values{"action": {"in_progress"}}).Want(t, http.StatusSeeOther)
		mailAbout(t, e, erasable.email, "en cours")
		admin.Post(path+"/effacer", nil).Want(t, http.StatusSeeOther)
		if _, err := e.App.Accounts.ByEmail(ctx, e.Town.ID, erasable.email); !errors.Is(err, account.ErrNotFound) {
			t.Errorf("the person's account stayed: %v", err)
		}
		if b, err := appointmentweb.Of(e.App.Kernel).Store.Get(ctx, e.Town.ID, booking.ID); err != nil || b.Name != "" {
			t.Errorf("the person's booking stayed: %+v, %v", b, err)
		}
		admin.Post(path, url.Values{"action": {"answered"}}).Want(t, http.StatusUnprocessableEntity)
		admin.Post(path, url.Values{"action": {"answered"}, "text": {"Vos données sont effacées."}}).Want(t, http.StatusSeeOther)
		if m := mailAbout(t, e, erasable.email, "Réponse"); !strings.Contains(m.Text, "Vos données sont effacées.") {
			t.Errorf("answer: %q", m.Text)
		}
		for _, action := range []string{"privacy.request.in_progress", "privacy.request.erased", "privacy.request.answered"} {
			var n int
			if err := e.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE tenant_id = ? AND action = ? AND target = ?
				AND actor = ?`, e.Town.ID, action, req.Reference, "admin@montclair.localhost").Scan(&n); err != nil || n != 1 {
				t.Errorf("audit entries %s: %d, %v", action, n, err)
			}
		}
		// Answered, the request no longer takes an erasure.
		admin.Post(path+"/effacer", nil).Want(t, http.StatusConflict)
	}, apptest.WithDemoData(), apptest.WithMail())
}

// TestAccessRequestFromAnAccount: a signed-in resident's request counts at
// once; the administrator downloads everything held about them.
func TestAccessRequestFromAnAccount(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		resident := e.Browser(e.Town).SignInDemo(t, townResident)
		resident.Post("/donnees-personnelles/demande", url.Values{"kind": {"access"}}).Want(t, http.StatusOK).
			WantBody(t, "Demande reçue")
		req := openRequestOf(t, e, e.Town, townResident)
		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		res := admin.Get("/gestion/donnees-personnelles/"+req.ID+"/donnees").Want(t, http.StatusOK)
		for _, want := range []string{townResident, `"procedures"`, "DEMO000001"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the person's data lacks %s", want)
			}
		}
		if strings.Contains(res.Body, "DEMO000002") {
			t.Error("the person's data holds another resident's booking")
		}
		// The resident's own export lists the request too.
		resident.Get("/compte/donnees").Want(t, http.StatusOK).WantBody(t, req.Reference)
	}, apptest.WithDemoData())
}

// openRequestOf returns the only open request from email.
func openRequestOf(t *testing.T, e *apptest.Env, tn *tenant.Tenant, email string) *privacy.Request {
	t.Helper()
	open, _, err := privacyweb.Of(e.App.Kernel).Requests.List(context.Background(), tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	var found []*privacy.Request
	for _, r := range open {
		if r.Email == email {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d open requests from %s", len(found), email)
	}
	return found[0]
}

// mailAbout waits for the next message to "to" whose subject holds
// subject, passing over the others (confirmations of bookings…).
func mailAbout(t *testing.T, e *apptest.Env, to, subject string) *mailtest.Message {
	t.Helper()
	for {
		if m := e.Mail.WaitFor(t, to, 10*time.Second); strings.Contains(m.Subject, subject) {
			return m
		}
	}
}

func waitForLink(t *testing.T, e *apptest.Env, to string) string {
	t.Helper()
	m := mailAbout(t, e, to, "Confirmez votre demande")
	found := confirmLink.FindStringSubmatch(m.Text)
	if found == nil {
		t.Fatalf("no confirmation link in %q", m.Text)
	}
	return found[1]
}
