package staffweb_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/identity/account"
)

// New recovery codes are issued only to a member who proves again who
// they are, by their password or a code of their app (ASVS 7.5.1): a
// session left open does not hand out a way in. Refusals change nothing.
func TestNewRecoveryCodesAskForProof(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		agent := e.person(e.town, "etat-civil@montclair.localhost", grant(account.RoleEditor))
		b := e.browser(e.town).signIn(e.town, agent, true)
		// Enrolled without codes (all used, or made before they were
		// strengthened): the home page and the security page say so.
		want(t, b.get("/gestion"), 200, "Vous n&#39;avez plus de code de secours", `href="/gestion/securite"`)
		want(t, b.get("/gestion/securite"), 200, `name="proof"`, `autocomplete="current-password"`, "Codes de secours restants : 0.")

		left := func() int {
			n, err := e.staff.RecoveryCodesLeft(ctx, e.town.ID, agent.ID)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		want(t, b.post("/gestion/securite/codes", nil), 422, `href="#champ-proof"`)
		want(t, b.post("/gestion/securite/codes", url.Values{"proof": {"pas le bon mot de passe"}}), 422,
			"Le mot de passe ou le code est incorrect.")
		want(t, b.post("/gestion/securite/codes", url.Values{"proof": {"000000"}}), 422,
			"Le mot de passe ou le code est incorrect.")
		if n := left(); n != 0 {
			t.Fatalf("%d codes issued without proof", n)
		}

		r := b.post("/gestion/securite/codes", url.Values{"proof": {password}})
		want(t, r, 200, "Notez ces codes maintenant")
		first := codeRe.FindAllStringSubmatch(r.body, -1)
		if len(first) != 10 || left() != 10 {
			t.Fatalf("%d codes shown, %d kept", len(first), left())
		}
		if body := b.get("/gestion").body; strings.Contains(body, "plus de code de secours") {
			t.Fatal("the home page still warns of missing codes")
		}

		e.now = e.now.Add(time.Minute)
		r = b.post("/gestion/securite/codes", url.Values{"proof": {e.code(e.now)}})
		want(t, r, 200, "Notez ces codes maintenant")
		second := codeRe.FindAllStringSubmatch(r.body, -1)
		if len(second) != 10 || second[0][1] == first[0][1] {
			t.Fatal("the second set repeats the first")
		}
		// The first set no longer signs in; the second does.
		b2 := e.browser(e.town).signIn(e.town, agent, false)
		want(t, b2.post(account.SecondFactorPath, url.Values{"code": {first[1][1]}}), 422)
		want(t, b2.post(account.SecondFactorPath, url.Values{"code": {second[1][1]}}), 303)

		entries, _, _ := e.staff.Audit(ctx, e.town.ID, "", 50)
		renewed := 0
		for _, en := range entries {
			if en.Action == "staff.recovery_codes_renewed" {
				renewed++
			}
		}
		if renewed != 2 {
			t.Fatalf("%d renewals audited, want 2", renewed)
		}
	})
}
