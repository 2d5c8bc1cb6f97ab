package staffweb_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
)

func TestSecondFactorRows(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		admin := e.person(e.town, "admin@montclair.localhost", grant(account.RoleAdmin))
		b := e.browser(e.town).signIn(e.town, admin, false)

		// Signed in with the password only: the back office sends to the second factor.
		r := b.get("/gestion")
		want(t, r, 303)
		if r.location != account.SecondFactorPath+"?suite=%2Fgestion" {
			t.Fatalf("redirect to %q", r.location)
		}
		want(t, b.get("/gestion/equipe"), 303)
		want(t, b.post("/gestion/equipe/inviter", url.Values{"email": {"x@y.fr"}}), 403)
		want(t, b.get(account.SecondFactorPath+"?suite=%2Fgestion"), 200, `name="code"`, `autocomplete="one-time-code"`)

		// A wrong code is refused, and access stays closed.
		wrong := "000000"
		if wrong == e.code(e.now) {
			wrong = "111111"
		}
		want(t, b.post(account.SecondFactorPath, url.Values{"code": {wrong}, "suite": {"/gestion"}}), 422,
			`aria-invalid="true"`, `href="#champ-code"`)
		want(t, b.get("/gestion"), 303)

		// The right code grants access, under a new session id.
		before := b.cookie
		r = b.post(account.SecondFactorPath, url.Values{"code": {e.code(e.now)}, "suite": {"/gestion"}})
		want(t, r, 303)
		if r.location != "/gestion" {
			t.Fatalf("after the code: redirect to %q", r.location)
		}
		if b.cookie == before {
			t.Fatal("the session id was not renewed when the second factor passed")
		}
		want(t, b.get("/gestion"), 200, "/gestion/equipe", "/gestion/journal")
		old := &browser{e: e, host: b.host, cookie: before}
		want(t, old.get("/gestion"), 303)

		// The same code, replayed within its step from another session, is refused.
		b2 := e.browser(e.town).signIn(e.town, admin, false)
		want(t, b2.post(account.SecondFactorPath, url.Values{"code": {e.code(e.now)}}), 422)
		want(t, b2.get("/gestion"), 303)
		// The next step's code works.
		e.now = e.now.Add(30 * time.Second)
		want(t, b2.post(account.SecondFactorPath, url.Values{"code": {e.code(e.now)}}), 303)
		want(t, b2.get("/gestion"), 200)

		// An OpenID Connect sign-in keeps its provider and token for logout.
		b3 := e.browser(e.town).signInWith(e.town, admin, account.SignInOptions{Provider: "franceconnect", IDToken: "jeton"})
		e.now = e.now.Add(30 * time.Second)
		want(t, b3.post(account.SecondFactorPath, url.Values{"code": {e.code(e.now)}}), 303)
		want(t, b3.get("/gestion"), 200)
		var n int
		if err := e.d.QueryRow(context.Background(), `SELECT COUNT(*) FROM sessions WHERE tenant_id = ? AND user_id = ?
			AND second_factor = ? AND provider = 'franceconnect' AND id_token = 'jeton'`, e.town.ID, admin.ID, true).Scan(&n); err != nil || n != 1 {
			t.Fatalf("elevated OpenID Connect sessions: %d, %v", n, err)
		}
	})
}

var (
	secretRe = regexp.MustCompile(`<code>([A-Z2-7 ]{20,})</code>`)
	codeRe   = regexp.MustCompile(`<li><code>([a-z2-7]{4}(?:-[a-z2-7]{4}){5})</code></li>`)
)

func TestEnrolmentAndRecoveryCodes(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		agent := e.person(e.town, "etat-civil@montclair.localhost", staff.Grant{Roles: []account.Role{account.RoleAgent}, Services: []string{"etat-civil"}})
		if err := e.staff.ResetSecondFactor(ctx, e.town.ID, agent.ID); err != nil { // not enrolled yet
			t.Fatal(err)
		}
		b := e.browser(e.town).signIn(e.town, agent, false)

		// Enrolment: the secret as text and as a QR code image with a text alternative.
		r := b.get(account.SecondFactorPath)
		want(t, r, 200, `src="data:image/png;base64,`, `alt="`, "etat-civil@montclair.localhost")
		if r.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("enrolment page cacheable: %q", r.header.Get("Cache-Control"))
		}
		m := secretRe.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatal("secret not shown as text")
		}
		key := strings.ReplaceAll(m[1], " ", "")
		first, err := totp.GenerateCodeCustom(key, e.now, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			t.Fatal(err)
		}
		want(t, b.post(account.SecondFactorPath+"/activation", url.Values{"code": {"12345"}}), 422, `href="#champ-code"`,
			`action="/connexion/deuxieme-facteur/activation"`, m[1])
		want(t, b.get("/gestion"), 303)

		r = b.post(account.SecondFactorPath+"/activation", url.Values{"code": {first}, "suite": {"/gestion"}})
		want(t, r, 200)
		codes := codeRe.FindAllStringSubmatch(r.body, -1)
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes shown", len(codes))
		}
		if r.header.Get("Cache-Control") != "no-store" {
			t.Fatal("recovery codes page cacheable")
		}
		want(t, b.get("/gestion"), 200)
		want(t, b.get("/gestion/securite"), 200, "10")

		// A recovery code works once.
		b2 := e.browser(e.town).signIn(e.town, agent, false)
		r = b2.post(account.SecondFactorPath, url.Values{"code": {codes[0][1]}})
		want(t, r, 303)
		want(t, b2.get("/gestion"), 200)
		b3 := e.browser(e.town).signIn(e.town, agent, false)
		want(t, b3.post(account.SecondFactorPath, url.Values{"code": {codes[0][1]}}), 422)
		want(t, b3.get("/gestion"), 303)

		entries, _, _ := e.staff.Audit(ctx, e.town.ID, "", 50)
		var actions []string
		for _, en := range entries {
			actions = append(actions, en.Action)
		}
		for _, a := range []string{"staff.totp_enrolled", "staff.recovery_code_used", "staff.second_factor_failed"} {
			if !strings.Contains(strings.Join(actions, " "), a) {
				t.Fatalf("audit lacks %s: %v", a, actions)
			}
		}
	})
}

func TestOperatorSecondFactor(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		op := e.person(e.platform, "ops@guichet.localhost", grant(account.RoleOperator))
		b := e.browser(e.platform).signIn(e.platform, op, false)
		want(t, b.get("/gestion"), 303)
		r := b.post(account.SecondFactorPath, url.Values{"code": {e.code(e.now)}})
		want(t, r, 303)
		if r.location != "/console" {
			t.Fatalf("operator sent to %q", r.location)
		}
		want(t, b.get("/gestion"), 200, `href="/console"`)
	})
}
