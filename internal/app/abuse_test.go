package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// behindProxy makes the test server's loopback a trusted proxy, so that
// each request's X-Forwarded-For stands for its client's address.
func behindProxy() apptest.Option {
	return apptest.WithConfig(func(c *app.Config) { c.TrustedProxies = "127.0.0.1, ::1" })
}

// from sends form to path as a visitor at addr.
func from(b *apptest.Browser, addr, path string, form url.Values) *apptest.Response {
	return b.Do(http.MethodPost, path, form, http.Header{"X-Forwarded-For": {addr}})
}

func question(i int, email string) url.Values {
	return url.Values{"question": {fmt.Sprintf("Quand ouvre la piscine, question %d ?", i)}, "email": {email}}
}

// outboxSize counts the messages queued for a collectivité.
func outboxSize(t *testing.T, e *apptest.Env, tn *tenant.Tenant) int {
	t.Helper()
	_, total, err := e.App.Mail.List(context.Background(), tn.ID, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// Twelve questions in a row from one address: the last two are refused
// (429, Retry-After, in the reader's language) and send nothing, and the
// operator console shows who hit the limit.
func TestQuestionFloodFromOneAddressIsCut(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		before := outboxSize(t, e, e.Town)
		for i := 1; i <= 10; i++ {
			from(b, "203.0.113.7", "/questions/poser", question(i, fmt.Sprintf("personne%d@exemple.fr", i))).Want(t, http.StatusOK)
		}
		for i := 11; i <= 12; i++ {
			res := from(b, "203.0.113.7", "/questions/poser", question(i, fmt.Sprintf("personne%d@exemple.fr", i)))
			res.Want(t, http.StatusTooManyRequests).WantBody(t, "Trop de demandes depuis votre connexion : réessayez dans 60 min.")
			// The hour counts from the first question: the seconds a loaded
			// machine took since then come off it.
			if wait, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || wait < 3590 || wait > 3600 {
				t.Errorf("Retry-After %q, want 3590 to 3600 seconds", res.Header.Get("Retry-After"))
			}
		}
		b.SetCookie("lang", "en")
		from(b, "203.0.113.7", "/questions/poser", question(13, "someone@example.org")).
			Want(t, http.StatusTooManyRequests).WantBody(t, "Too many requests from your connection: try again in 60 min.")
		if n := outboxSize(t, e, e.Town) - before; n != 10 {
			t.Errorf("%d messages queued, want 10", n)
		}
		// Another address is not affected.
		from(e.Browser(e.Town), "203.0.113.8", "/questions/poser", question(14, "autre@exemple.fr")).Want(t, http.StatusOK)

		op := e.Browser(e.Platform).SignInDemo(t, "operateur@guichet.localhost")
		page := op.Get("/console/limites").Want(t, http.StatusOK)
		page.WantBody(t, "<td>Question à la mairie</td>", "<td>par adresse de connexion</td>", "<td>203.0.113.7</td>",
			"<td>p•••@exemple.fr</td>", "<td>"+e.Town.Name+"</td>", "(1 au total)")
		op.Get("/console").WantBody(t, `href="/console/limites"`)
		if res := e.Browser(e.Platform).Get("/console/limites"); res.Status != http.StatusSeeOther || strings.Contains(res.Body, "203.0.113.7") {
			t.Errorf("signed-out visitor: status %d, want a redirect to sign in", res.Status)
		}
	}, apptest.WithDemoData(), behindProxy())
}

// Mail to one recipient is cut after a few messages, from however many
// addresses the requests come.
func TestMailToOneRecipientFromManyAddressesIsCut(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		subscribe := url.Values{"email": {"Cible@Exemple.fr"}, "topics": {"travaux"}}
		for i := range 3 {
			from(b, fmt.Sprintf("198.51.100.%d", i+1), "/alertes/abonnement", subscribe).Want(t, http.StatusOK)
		}
		from(b, "198.51.100.50", "/alertes/abonnement", subscribe).Want(t, http.StatusTooManyRequests).
			WantBody(t, "Trop de demandes pour cette adresse électronique")
		for i := range 5 {
			from(b, fmt.Sprintf("192.0.2.%d", i+1), "/questions/poser", question(i, "cible@exemple.fr")).Want(t, http.StatusOK)
		}
		from(b, "192.0.2.99", "/questions/poser", question(9, "CIBLE@exemple.fr")).Want(t, http.StatusTooManyRequests)
		list, _, err := e.App.Mail.List(context.Background(), e.Town.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 8 {
			t.Fatalf("%d messages queued, want 8", len(list))
		}
		refusals, _, err := e.App.Refusals.Recent(context.Background(), 0, 10)
		if err != nil || len(refusals) != 2 || refusals[0].Kind != "email" || refusals[0].Email != "c•••@exemple.fr" {
			t.Fatalf("refusals %+v, %v", refusals, err)
		}
	}, behindProxy())
}

// An IPv6 client that changes the last 64 bits of its address still
// counts as one: limits go by the /64.
func TestIPv6ClientSharesOneBucketPer64(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		for i := 1; i <= 10; i++ {
			addr := fmt.Sprintf("2001:db8:1:2:%x:%x:%x:%x", i, i*7, i*13, i*31)
			from(b, addr, "/questions/poser", question(i, fmt.Sprintf("p%d@exemple.fr", i))).Want(t, http.StatusOK)
		}
		from(b, "2001:db8:1:2:ffff:ffff:ffff:fffe", "/questions/poser", question(11, "p11@exemple.fr")).Want(t, http.StatusTooManyRequests)
		from(b, "2001:db8:1:3::1", "/questions/poser", question(12, "p12@exemple.fr")).Want(t, http.StatusOK)
		refusals, _, err := e.App.Refusals.Recent(context.Background(), 0, 10)
		if err != nil || len(refusals) != 1 || refusals[0].Address != "2001:db8:1:2::/64" {
			t.Fatalf("refusals %+v, %v", refusals, err)
		}
		// Sign-in failures too: five wrong passwords from five addresses of
		// one /64, then the sixth address of that /64 is refused.
		for i := 1; i <= 20; i++ {
			res := from(e.Browser(e.Town), fmt.Sprintf("2001:db8:9:9::%x", i), "/connexion",
				url.Values{"email": {fmt.Sprintf("x%d@exemple.fr", i)}, "password": {"Mauvais-mot-de-passe-1"}})
			res.Want(t, http.StatusUnauthorized)
		}
		from(e.Browser(e.Town), "2001:db8:9:9:abcd::1", "/connexion",
			url.Values{"email": {"y@exemple.fr"}, "password": {"Mauvais-mot-de-passe-1"}}).Want(t, http.StatusTooManyRequests)
	}, behindProxy())
}

// A message to an address nobody has proven yet carries none of the text
// the visitor typed: otherwise the site relays it to anyone.
func TestMailToUnprovenAddressCarriesNoVisitorText(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const spam = "pilules-pas-cheres.example"
		b := e.Browser(e.Town)
		b.Post("/inscription", url.Values{"name": {"Achetez sur " + spam}, "email": {"inscription@exemple.fr"},
			"password": {apptest.Password}, "password_confirm": {apptest.Password}}).Want(t, http.StatusOK)
		b.Post("/questions/poser", url.Values{"question": {"Visitez " + spam + " ?"}, "details": {spam},
			"name": {spam}, "email": {"question@exemple.fr"}}).Want(t, http.StatusOK)
		b.Post("/demarches/acte-de-naissance/commencer", url.Values{"name": {"Promo " + spam},
			"email": {"demarche@exemple.fr"}}).Want(t, http.StatusOK)
		ctx := context.Background()
		list, _, err := e.App.Mail.List(ctx, e.Town.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, m := range list {
			if !strings.HasSuffix(m.To, "@exemple.fr") || !strings.Contains("inscription question demarche", strings.TrimSuffix(m.To, "@exemple.fr")) {
				continue
			}
			seen[m.To] = true
			r, err := e.App.Mail.Preview(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(r.Subject+r.Text+r.HTML, spam) {
				t.Errorf("the message to %s repeats the visitor's text:\n%s", m.To, r.Text)
			}
		}
		if len(seen) != 3 {
			t.Fatalf("messages to %v, want the three addresses", seen)
		}
	}, apptest.WithDemoData())
}

// Failed sign-ins can no longer keep an account's owner out (ASVS 6.1.1),
// while guessing stays held: a stranger gets five guesses from one
// address, strangers on many addresses ten in all, the right password
// refused with them; the owner still signs in from home, and from
// anywhere with a browser they signed in from before. The console shows
// both limits.
func TestStrangersCannotLockTheOwnerOut(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const email, wrong = "marc@exemple.fr", "Mauvais-mot-de-passe-1"
		e.Resident(e.Town, email, "Marc")
		signIn := func(b *apptest.Browser, addr, password string) *apptest.Response {
			return from(b, addr, "/connexion", url.Values{"email": {email}, "password": {password}})
		}
		owner := e.Browser(e.Town)
		signIn(owner, "198.51.100.7", apptest.Password).Want(t, http.StatusSeeOther)

		stranger := e.Browser(e.Town)
		for range 5 {
			signIn(stranger, "203.0.113.50", wrong).Want(t, http.StatusUnauthorized)
		}
		signIn(stranger, "203.0.113.50", apptest.Password).Want(t, http.StatusTooManyRequests).
			WantBody(t, "Trop de tentatives de connexion")
		// The owner at home, even in a new browser, is not affected.
		signIn(e.Browser(e.Town), "198.51.100.7", apptest.Password).Want(t, http.StatusSeeOther)

		for i := range 5 {
			signIn(e.Browser(e.Town), fmt.Sprintf("203.0.113.%d", 60+i), wrong).Want(t, http.StatusUnauthorized)
		}
		res := signIn(e.Browser(e.Town), "203.0.113.99", apptest.Password).Want(t, http.StatusTooManyRequests)
		if res.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After on a refused sign-in")
		}
		// The owner's own browser, on the move, still gets in.
		signIn(owner, "192.0.2.44", apptest.Password).Want(t, http.StatusSeeOther)
		if owner.Cookie(web.DeviceCookie) == "" || strings.Contains(owner.Cookie(web.DeviceCookie), "marc") {
			t.Errorf("device cookie %q: want a MAC, not the address", owner.Cookie(web.DeviceCookie))
		}

		op := e.Browser(e.Platform).SignInDemo(t, "operateur@guichet.localhost")
		op.Get("/console/limites").Want(t, http.StatusOK).WantBody(t, "<td>Connexion (échecs)</td>",
			"<td>par adresse électronique depuis une même adresse de connexion</td>", "<td>203.0.113.50</td>",
			"<td>par adresse électronique</td>", "<td>203.0.113.99</td>", "<td>m•••@exemple.fr</td>",
			"sauf depuis un navigateur où le compte s&#39;est déjà connecté")
	}, apptest.WithDemoData(), behindProxy())
}
