package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"guichet/internal/app"
	"guichet/internal/identity/account"
	"guichet/internal/identity/oidc"
	"guichet/internal/identity/oidc/oidctest"
	"guichet/internal/identity/oidc/oidcweb"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// Rows of the foundation: accounts, the back office and the team, the
// portal, accessibility, FranceConnect, the operator's console and the
// routes every host answers.
func init() {
	fixtureSetups = append(fixtureSetups, foundationFixtures)
	admin := staffOnly(account.RoleAdmin)
	both := func(pattern string, r rule, build func(*testing.T, *fixtures) call) []authzRow {
		return []authzRow{row("site "+pattern, r, build), row("platform "+pattern, r, build)}
	}
	signInAs := func(home string) func(*testing.T, *fixtures) call {
		return func(*testing.T, *fixtures) call {
			return call{form: url.Values{"email": {throwAwayAccount(home)}, "password": {app.DemoPassword}}}
		}
	}
	query := func(name, key string) func(*testing.T, *fixtures) call {
		return func(_ *testing.T, f *fixtures) call { return call{query: url.Values{key: {f.get(name)}}} }
	}
	badProfile := posting(nil, url.Values{"name": {""}})
	wrongCurrent := posting(nil, url.Values{"current_password": {"pas-le-bon-mot-de-passe"}})
	authzRows = append(authzRows,
		// Accounts. A session before the second factor reaches none of
		// the account's pages (finding 9): only the second-factor pages,
		// sign-out and the public pages.
		row("site GET /connexion", public(), nil),
		row("platform GET /connexion", public(), nil),
		row("site POST /connexion", public(), signInAs("town")).ownSession(),
		row("platform POST /connexion", public(), signInAs("platform")).ownSession(),
		row("site POST /deconnexion", public(), nil).ownSession(),
		row("platform POST /deconnexion", public(), nil).ownSession(),
		row("site GET /compte", signedInOnly(), nil),
		row("platform GET /compte", signedInOnly(), nil),
		row("site POST /compte", signedInOnly(), badProfile),
		row("platform POST /compte", signedInOnly(), badProfile),
		row("site GET /compte/mot-de-passe", signedInOnly(), nil),
		row("platform GET /compte/mot-de-passe", signedInOnly(), nil),
		row("site POST /compte/mot-de-passe", signedInOnly(), wrongCurrent),
		row("platform POST /compte/mot-de-passe", signedInOnly(), wrongCurrent),
		row("site GET /api/v1/me", signedInOnly(), nil),
		row("platform GET /api/v1/me", signedInOnly(), nil),
		row("site GET /inscription", public(), nil),
		row("site POST /inscription", public(), posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		row("site GET /compte/verification", tokenHolders(), query("verify-token", "jeton")).secret("jeton"),
		row("site POST /compte/verification", tokenHolders(), func(_ *testing.T, f *fixtures) call {
			return call{form: url.Values{"jeton": {f.take("verify-token")}}}
		}).renewed().secret("jeton"),
		row("site POST /compte/verification/renvoyer", signedInOnly(), nil),
		row("site GET /mot-de-passe-oublie", public(), nil),
		row("site POST /mot-de-passe-oublie", public(), posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		row("site GET /mot-de-passe/nouveau", tokenHolders(), query("reset-token", "jeton")).secret("jeton"),
		row("site POST /mot-de-passe/nouveau", tokenHolders(), func(_ *testing.T, f *fixtures) call {
			return call{form: url.Values{"jeton": {f.get("reset-token")}, "password": {"trop-court"}, "password_confirm": {"autre"}}}
		}).secret("jeton"),
		row("site GET /compte/donnees", signedInOnly(), nil),
		row("site GET /compte/supprimer", signedInOnly(), nil),
		row("site POST /compte/supprimer", signedInOnly(), posting(nil, url.Values{"password": {"pas-le-bon-mot-de-passe"}})),
		row("site GET /api/v1/me/data", signedInOnly(), nil),

		// The portal.
		row("site GET /{$}", public(), nil),
		row("site GET /theme.css", public(), nil),
		row("site GET /robots.txt", public(), nil),
		row("platform GET /robots.txt", public(), nil),
		row("site GET /sitemap.xml", public(), nil),
		row("platform GET /{$}", public(), nil),
		row("site GET /logo", public(), nil),
	)
	for _, pattern := range []string{"GET /mentions-legales", "GET /donnees-personnelles", "GET /plan-du-site",
		"GET " + web.OpenAPIPath, "GET /preferences", "GET /composants", "GET /accessibilite"} {
		authzRows = append(authzRows, both(pattern, public(), nil)...)
	}
	lang := fixed(func(*fixtures) wild { return wild{"lang": "en"} })
	authzRows = append(authzRows, both("GET /langue/{lang}", public(), lang)...)
	authzRows = append(authzRows, both("POST /preferences", public(), posting(nil, url.Values{"text_size": {"large"}}))...)

	// The back office, on both hosts, and the team of a collectivité.
	authzRows = append(authzRows, both("GET /gestion", anyStaff(), nil)...)
	authzRows = append(authzRows, both("GET /gestion/securite", anyStaff(), nil)...)
	authzRows = append(authzRows, both("POST /gestion/securite/codes", anyStaff(), nil)...)
	authzRows = append(authzRows, both("GET "+account.SecondFactorPath, secondFactorPages(), nil)...)
	authzRows = append(authzRows, both("POST "+account.SecondFactorPath, secondFactorPages(),
		posting(nil, url.Values{"code": {""}}))...)
	authzRows = append(authzRows, both("POST "+account.SecondFactorPath+"/activation", secondFactorPages(),
		posting(nil, url.Values{"code": {""}}))...)
	member := func(name string) func(*fixtures) wild {
		return func(f *fixtures) wild { return wild{"user": f.get(name)} }
	}
	takeMember := func(_ *testing.T, f *fixtures) call { return call{params: wild{"user": f.take("member")}} }
	authzRows = append(authzRows,
		row("site GET /gestion/equipe", admin, nil),
		row("site POST /gestion/equipe/reglages", admin, nil),
		row("site GET /gestion/equipe/inviter", admin, nil),
		row("site POST /gestion/equipe/inviter", admin, posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		row("site POST /gestion/equipe/invitations/{id}/annuler", admin, func(_ *testing.T, f *fixtures) call {
			return call{params: wild{"id": f.take("invitation")}}
		}).renewed(),
		row("site GET /gestion/equipe/{user}", admin, fixed(member("agent"))),
		row("site POST /gestion/equipe/{user}", admin, posting(member("member"), url.Values{"roles": {"roi"}})),
		row("site POST /gestion/equipe/{user}/retirer", admin, takeMember).renewed(),
		row("site POST /gestion/equipe/{user}/deuxieme-facteur", admin, takeMember).renewed(),
		row("site GET /gestion/journal", admin, nil),
		row("site GET /gestion/journal/export.csv", admin, nil),
		row("site GET /gestion/journal/export.jsonl", admin, nil),
		row("site POST /gestion/journal/verification", admin, nil),
		row("platform GET /gestion/journal", operatorOnly(), nil),
		row("platform GET /gestion/journal/export.csv", operatorOnly(), nil),
		row("platform GET /gestion/journal/export.jsonl", operatorOnly(), nil),
		row("platform POST /gestion/journal/verification", operatorOnly(), nil),
		row("site GET /invitation/{token}", tokenHolders(), fixed(func(f *fixtures) wild {
			return wild{"token": f.get("invitation-token")}
		})).secret("token"),
		row("site POST /invitation/{token}", tokenHolders(), posting(func(f *fixtures) wild {
			return wild{"token": f.get("invitation-token")}
		}, url.Values{"name": {""}})).secret("token"),

		// Accessibility.
		row("site GET /gestion/accessibilite", admin, nil),
		row("site POST /gestion/accessibilite", admin, posting(nil, url.Values{"audited_on": {"pas-une-date"}})),

		// FranceConnect: the round trip is the state's holder's.
		row("site GET /connexion/franceconnect", public(), nil),
		// The provider sends the browser back by GET (OpenID Connect's code flow): the state is single use and bound to the browser.
		row("site GET /connexion/franceconnect/retour", tokenHolders(), oidcReturn).renewed().ownSession().secret("state").writesOnGET(),
		row("site GET /connexion/franceconnect/deconnexion", public(), nil),
		row("site GET /gestion/franceconnect", admin, nil),
		row("site POST /gestion/franceconnect", admin, posting(nil, url.Values{"issuer": {"pas une adresse"}, "enabled": {"1"}})),

		// The operator's console.
		row("platform GET /console", operatorOnly(), nil),
		row("platform GET /console/collectivites/nouvelle", operatorOnly(), nil),
		row("platform POST /console/collectivites", operatorOnly(), posting(nil, url.Values{"slug": {"!"}})),
		row("platform GET /console/collectivites/{id}", operatorOnly(), fixed(townID)),
		row("platform POST /console/collectivites/{id}", operatorOnly(), posting(townID, url.Values{"slug": {"!"}})),
		row("platform POST /console/collectivites/{id}/statut", operatorOnly(), posting(townID, url.Values{"status": {"inconnu"}})),
		row("platform GET /console/courriels", operatorOnly(), nil),
		row("platform GET /console/limites", operatorOnly(), nil),
		row("platform POST /console/courriels/test", operatorOnly(), posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		row("platform GET /console/courriels/{tenant}/{id}", operatorOnly(), fixed(func(f *fixtures) wild {
			return wild{"tenant": f.town.ID, "id": f.get("mail")}
		})),

		// Every host, before any collectivité is known. The metrics answer
		// the loopback only, which the matrix's requests come from.
		row("ops GET /healthz", public(), nil),
		row("ops GET /readyz", public(), nil),
		row("ops GET /metrics", public(), nil),
		row("ops GET /static/", public(), func(_ *testing.T, f *fixtures) call {
			return call{path: f.e.App.Web.Render.Static.Path("css/guichet.css")}
		}),
	)
}

func townID(f *fixtures) wild { return wild{"id": f.town.ID} }

// throwAwayAccount is the account the sign-in rows sign in with.
func throwAwayAccount(home string) string { return "connexion-" + home + "@courriel.localhost" }

func foundationFixtures(f *fixtures) {
	a := f.e.App
	f.verifiedAccount(f.town, throwAwayAccount("town"))
	f.verifiedAccount(f.platform, throwAwayAccount("platform"))
	unverified, err := a.Accounts.Register(ctx, f.town.ID, "a-verifier@courriel.localhost", "À vérifier", app.DemoPassword)
	f.fatal("unverified account", err)
	newToken := func(purpose string) func() string {
		return func() string {
			tok, err := a.Accounts.NewToken(ctx, f.town.ID, unverified.ID, purpose, time.Hour)
			f.fatal("token", err)
			return tok
		}
	}
	f.set("verify-token", newToken(account.PurposeVerify)())
	f.set("reset-token", newToken(account.PurposeReset)())
	f.fill("verify-token", uses, newToken(account.PurposeVerify))

	f.set("agent", f.userID(f.town, townAgent))
	f.set("member", f.staffMember("membre@montclair.localhost", staff.Grant{Roles: roles(account.RoleEditor)}))
	f.fill("member", 2*uses, func() string {
		return f.staffMember(fmt.Sprintf("membre-%d@montclair.localhost", f.next()), staff.Grant{Roles: roles(account.RoleEditor)})
	})
	admin := f.userID(f.town, "admin@montclair.localhost")
	invite := func() (string, string) {
		inv, tok, err := a.Staff.Invite(ctx, f.town.ID, fmt.Sprintf("recrue-%d@courriel.localhost", f.next()), "Recrue",
			staff.Grant{Roles: roles(account.RoleEditor)}, admin)
		f.fatal("invitation", err)
		return inv.ID, tok
	}
	_, tok := invite()
	f.set("invitation-token", tok)
	f.fill("invitation", uses, func() string { id, _ := invite(); return id })

	path, err := tenant.NewLogos(a.Config.DataDir).Save(f.town.ID, pngPixel)
	f.fatal("logo", err)
	f.fatal("logo", a.Tenants.SetLogo(ctx, f.town.ID, path))

	f.fatal("mail", a.Mail.Enqueue(ctx, mail.Message{TenantID: f.town.ID, To: townResident, Template: mail.TestTemplate,
		Lang: "fr", Data: map[string]any{"Link": "http://montclair.localhost/"}}))
	entries, _, err := a.Mail.List(ctx, f.town.ID, 0, 1)
	f.fatal("mail", err)
	if len(entries) == 0 {
		f.t.Fatal("fixture mail: the outbox is empty")
	}
	f.set("mail", entries[0].ID)

	op := oidctest.New()
	f.t.Cleanup(op.Close)
	p := oidc.NewProvider(f.town.ID, oidc.FranceConnect)
	p.Issuer, p.ClientID, p.ClientSecret, p.Enabled = op.Issuer, op.ClientID, op.ClientSecret, true
	f.fatal("FranceConnect", a.OIDC.SaveProvider(ctx, &p))
}

// oidcReturn goes to FranceConnect and back as a browser would, up to the
// return to Guichet: the state and code of the query, and the cookie
// binding them to this browser.
func oidcReturn(t *testing.T, f *fixtures) call {
	b := f.e.Browser(f.town)
	start := b.Get(oidcweb.StartPath)
	if start.Status != http.StatusSeeOther {
		t.Fatalf("FranceConnect start: %d", start.Status)
	}
	res, err := noRedirect.Get(start.Location)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || back.Query().Get("code") == "" {
		t.Fatalf("FranceConnect answered %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	u, _ := url.Parse(b.URL(oidcweb.CallbackPath))
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == "guichet_oidc" {
			return call{query: back.Query(), cookies: map[string]string{c.Name: c.Value}}
		}
	}
	t.Fatal("FranceConnect start: no browser cookie")
	return call{}
}

// noRedirect reaches the test provider without following its redirects.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
