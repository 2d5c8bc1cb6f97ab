package app_test

import (
	"context"
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
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/web"
)

// kernelRows are the rows of the foundation: accounts, the back office
// and the team, the portal, FranceConnect, the operator's console and the
// routes every host answers. Capabilities declare their own
// (kernel.Guarded).
func kernelRows() []access.Row {
	public, holders, signedIn := access.Public(), access.TokenHolders(), access.SignedInOnly()
	admin, operator := access.StaffOnly(account.RoleAdmin), access.OperatorOnly()
	fixed, posting := access.Fixed, access.Posting
	both := func(pattern string, r access.Rule, build access.Build) []access.Row {
		return []access.Row{access.For("site "+pattern, r, build), access.For("platform "+pattern, r, build)}
	}
	signInAs := func(home string) access.Build {
		return func(access.Fixtures) access.Call {
			return access.Call{Form: url.Values{"email": {throwAwayAccount(home)}, "password": {app.DemoPassword}}}
		}
	}
	query := func(name, key string) access.Build {
		return func(f access.Fixtures) access.Call { return access.Call{Query: url.Values{key: {f.Get(name)}}} }
	}
	badProfile := posting(nil, url.Values{"name": {""}})
	wrongCurrent := posting(nil, url.Values{"current_password": {"pas-le-bon-mot-de-passe"}})
	rows := []access.Row{
		// The site search, over what every capability publishes.
		access.For("site GET /recherche", public, func(access.Fixtures) access.Call {
			return access.Call{Query: url.Values{"q": {"matrice"}}}
		}),
		access.For("site GET /recherche/suggestions", public, func(access.Fixtures) access.Call {
			return access.Call{Query: url.Values{"q": {"matr"}}}
		}),
		// Accounts. A session before the second factor reaches none of
		// the account's pages (finding 9): only the second-factor pages,
		// sign-out and the public pages.
		access.For("site GET /connexion", public, nil),
		access.For("platform GET /connexion", public, nil),
		access.For("site POST /connexion", public, signInAs("town")).OwnSession(),
		access.For("platform POST /connexion", public, signInAs("platform")).OwnSession(),
		access.For("site POST /deconnexion", public, nil).OwnSession(),
		access.For("platform POST /deconnexion", public, nil).OwnSession(),
		access.For("site GET /compte", signedIn, nil),
		access.For("platform GET /compte", signedIn, nil),
		access.For("site POST /compte", signedIn, badProfile),
		access.For("platform POST /compte", signedIn, badProfile),
		access.For("site GET /compte/mot-de-passe", signedIn, nil),
		access.For("platform GET /compte/mot-de-passe", signedIn, nil),
		access.For("site POST /compte/mot-de-passe", signedIn, wrongCurrent),
		access.For("platform POST /compte/mot-de-passe", signedIn, wrongCurrent),
		access.For("site GET /api/v1/me", signedIn, nil),
		access.For("platform GET /api/v1/me", signedIn, nil),
		access.For("site GET /inscription", public, nil),
		access.For("site POST /inscription", public, posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		access.For("site GET /compte/verification", holders, query("verify-token", "jeton")).Secret("jeton"),
		access.For("site POST /compte/verification", holders, func(f access.Fixtures) access.Call {
			return access.Call{Form: url.Values{"jeton": {f.Take("verify-token")}}}
		}).Renewed().Secret("jeton"),
		access.For("site POST /compte/verification/renvoyer", signedIn, nil),
		access.For("site GET /mot-de-passe-oublie", public, nil),
		access.For("site POST /mot-de-passe-oublie", public, posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		access.For("site GET /mot-de-passe/nouveau", holders, query("reset-token", "jeton")).Secret("jeton"),
		access.For("site POST /mot-de-passe/nouveau", holders, func(f access.Fixtures) access.Call {
			return access.Call{Form: url.Values{"jeton": {f.Get("reset-token")}, "password": {"trop-court"}, "password_confirm": {"autre"}}}
		}).Secret("jeton"),
		access.For("site GET /compte/donnees", signedIn, nil),
		access.For("site GET /compte/supprimer", signedIn, nil),
		access.For("site POST /compte/supprimer", signedIn, posting(nil, url.Values{"password": {"pas-le-bon-mot-de-passe"}})),
		access.For("site GET /api/v1/me/data", signedIn, nil),

		// The portal.
		access.For("site GET /{$}", public, nil),
		access.For("site GET /theme.css", public, nil),
		access.For("site GET /robots.txt", public, nil),
		access.For("platform GET /robots.txt", public, nil),
		access.For("site GET /sitemap.xml", public, nil),
		access.For("platform GET /{$}", public, nil),
		access.For("site GET /logo", public, nil),
	}
	for _, pattern := range []string{"GET /mentions-legales", "GET /plan-du-site", "GET " + web.OpenAPIPath} {
		rows = append(rows, both(pattern, public, nil)...)
	}
	lang := fixed(func(access.Fixtures) access.Params { return access.Params{"lang": "en"} })
	rows = append(rows, both("GET /langue/{lang}", public, lang)...)

	// The back office, on both hosts, and the team of a collectivité.
	rows = append(rows, both("GET /gestion", access.AnyStaff(), nil)...)
	rows = append(rows, both("GET /gestion/securite", access.AnyStaff(), nil)...)
	rows = append(rows, both("POST /gestion/securite/codes", access.AnyStaff(), nil)...)
	rows = append(rows, both("GET "+account.SecondFactorPath, access.SecondFactorPages(), nil)...)
	rows = append(rows, both("POST "+account.SecondFactorPath, access.SecondFactorPages(),
		posting(nil, url.Values{"code": {""}}))...)
	rows = append(rows, both("POST "+account.SecondFactorPath+"/activation", access.SecondFactorPages(),
		posting(nil, url.Values{"code": {""}}))...)
	member := access.Named("user", "member")
	takeMember := access.Taken("user", "member")
	invitation := access.Named("token", "invitation-token")
	rows = append(rows,
		access.For("site GET /gestion/equipe", admin, nil),
		access.For("site POST /gestion/equipe/reglages", admin, nil),
		access.For("site GET /gestion/equipe/inviter", admin, nil),
		access.For("site POST /gestion/equipe/inviter", admin, posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		access.For("site POST /gestion/equipe/invitations/{id}/annuler", admin, access.Taken("id", "invitation")).Renewed(),
		access.For("site GET /gestion/equipe/{user}", admin, fixed(access.Named("user", "agent"))),
		access.For("site POST /gestion/equipe/{user}", admin, posting(member, url.Values{"roles": {"roi"}})),
		access.For("site POST /gestion/equipe/{user}/retirer", admin, takeMember).Renewed(),
		access.For("site POST /gestion/equipe/{user}/deuxieme-facteur", admin, takeMember).Renewed(),
		access.For("site GET /gestion/journal", admin, nil),
		access.For("site GET /gestion/journal/export.csv", admin, nil),
		access.For("site GET /gestion/journal/export.jsonl", admin, nil),
		access.For("site POST /gestion/journal/verification", admin, nil),
		access.For("platform GET /gestion/journal", operator, nil),
		access.For("platform GET /gestion/journal/export.csv", operator, nil),
		access.For("platform GET /gestion/journal/export.jsonl", operator, nil),
		access.For("platform POST /gestion/journal/verification", operator, nil),
		access.For("site GET /invitation/{token}", holders, fixed(invitation)).Secret("token"),
		access.For("site POST /invitation/{token}", holders, posting(invitation, url.Values{"name": {""}})).Secret("token"),

		// FranceConnect: the round trip is the state's holder's.
		access.For("site GET /connexion/franceconnect", public, nil),
		// The provider sends the browser back by GET (OpenID Connect's code flow): the state is single use and bound to the browser.
		access.For("site GET /connexion/franceconnect/retour", holders, withEnv(oidcReturn)).
			Renewed().OwnSession().Secret("state").WritesOnGET(),
		access.For("site GET /connexion/franceconnect/deconnexion", public, nil),
		access.For("site GET /gestion/franceconnect", admin, nil),
		access.For("site POST /gestion/franceconnect", admin, posting(nil, url.Values{"issuer": {"pas une adresse"}, "enabled": {"1"}})),

		// The operator's console.
		access.For("platform GET /console", operator, nil),
		access.For("platform GET /console/collectivites/nouvelle", operator, nil),
		access.For("platform POST /console/collectivites", operator, posting(nil, url.Values{"slug": {"!"}})),
		access.For("platform GET /console/collectivites/{id}", operator, fixed(townID)),
		access.For("platform POST /console/collectivites/{id}", operator, posting(townID, url.Values{"slug": {"!"}})),
		access.For("platform POST /console/collectivites/{id}/statut", operator, posting(townID, url.Values{"status": {"inconnu"}})),
		access.For("platform GET /console/collectivites/{id}/quotas", operator, fixed(townID)),
		access.For("platform POST /console/collectivites/{id}/quotas", operator, posting(townID, url.Values{"storage_mb": {"0"}})),
		access.For("platform GET /console/courriels", operator, nil),
		access.For("platform GET /console/limites", operator, nil),
		access.For("platform POST /console/courriels/test", operator, posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		access.For("platform GET /console/courriels/{tenant}/{id}", operator, fixed(func(f access.Fixtures) access.Params {
			return access.Params{"tenant": f.Get("town"), "id": f.Get("mail")}
		})),

		// Every host, before any collectivité is known. The metrics answer
		// the loopback only, which the matrix's requests come from.
		access.For("ops GET /healthz", public, nil),
		access.For("ops GET /readyz", public, nil),
		access.For("ops GET /metrics", public, nil),
		access.For("ops GET /static/", public, withEnv(func(_ *testing.T, f *fixtures) access.Call {
			return access.Call{Path: f.e.App.Web.Render.Static.Path("css/guichet.css")}
		})),
	)
	return rows
}

// withEnv gives a kernel row's build the row's test and the environment.
func withEnv(build func(t *testing.T, f *fixtures) access.Call) access.Build {
	return func(f access.Fixtures) access.Call {
		fx := f.(*fixtures)
		return build(fx.t, fx)
	}
}

func townID(f access.Fixtures) access.Params { return access.Params{"id": f.Get("town")} }

// throwAwayAccount is the account the sign-in rows sign in with.
func throwAwayAccount(home string) string { return "connexion-" + home + "@courriel.localhost" }

func foundationFixtures(f *fixtures) {
	a := f.e.App
	f.Set("town", f.town.ID)
	f.verifiedAccount(f.town, throwAwayAccount("town"))
	f.verifiedAccount(f.platform, throwAwayAccount("platform"))
	unverified, err := a.Accounts.Register(ctx, f.town.ID, "a-verifier@courriel.localhost", "À vérifier", app.DemoPassword)
	f.fatal("unverified account", err)
	newToken := func(purpose string) func() (string, error) {
		return func() (string, error) {
			return a.Accounts.NewToken(ctx, f.town.ID, unverified.ID, purpose, time.Hour)
		}
	}
	token := func(purpose string) string {
		tok, err := newToken(purpose)()
		f.fatal("token", err)
		return tok
	}
	f.Set("verify-token", token(account.PurposeVerify))
	f.Set("reset-token", token(account.PurposeReset))
	f.fatal("verify-token", f.Fill("verify-token", uses, newToken(account.PurposeVerify)))

	f.Set("agent", f.userID(f.town, townAgent))
	f.Set("member", f.staffMember("membre@montclair.localhost", staff.Grant{Roles: roles(account.RoleEditor)}))
	f.fatal("member", f.Fill("member", 2*uses, func() (string, error) {
		email := fmt.Sprintf("membre-%d@montclair.localhost", f.Next())
		return f.staffMember(email, staff.Grant{Roles: roles(account.RoleEditor)}), nil
	}))
	admin := f.userID(f.town, "admin@montclair.localhost")
	invite := func() (id, token string, err error) {
		inv, tok, err := a.Staff.Invite(ctx, f.town.ID, fmt.Sprintf("recrue-%d@courriel.localhost", f.Next()), "Recrue",
			staff.Grant{Roles: roles(account.RoleEditor)}, admin)
		if err != nil {
			return "", "", err
		}
		return inv.ID, tok, nil
	}
	_, tok, err := invite()
	f.fatal("invitation", err)
	f.Set("invitation-token", tok)
	f.fatal("invitation", f.Fill("invitation", uses, func() (string, error) {
		id, _, err := invite()
		return id, err
	}))

	path, err := a.Logos().Save(context.Background(), f.town.ID, pngPixel)
	f.fatal("logo", err)
	f.fatal("logo", a.Tenants.SetLogo(ctx, f.town.ID, path))

	f.fatal("mail", a.Mail.Enqueue(ctx, mail.Message{TenantID: f.town.ID, To: townResident, Template: mail.TestTemplate,
		Lang: "fr", Data: map[string]any{"Link": "http://montclair.localhost/"}}))
	entries, _, err := a.Mail.List(ctx, f.town.ID, 0, 1)
	f.fatal("mail", err)
	if len(entries) == 0 {
		f.t.Fatal("fixture mail: the outbox is empty")
	}
	f.Set("mail", entries[0].ID)

	op := oidctest.New()
	f.t.Cleanup(op.Close)
	p := oidc.NewProvider(f.town.ID, oidc.FranceConnect)
	p.Issuer, p.ClientID, p.ClientSecret, p.Enabled = op.Issuer, op.ClientID, op.ClientSecret, true
	f.fatal("FranceConnect", a.OIDC.SaveProvider(ctx, &p))
}

// oidcReturn goes to FranceConnect and back as a browser would, up to the
// return to Guichet: the state and code of the query, and the cookie
// binding them to this browser.
func oidcReturn(t *testing.T, f *fixtures) access.Call {
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
			return access.Call{Query: back.Query(), Cookies: map[string]string{c.Name: c.Value}}
		}
	}
	t.Fatal("FranceConnect start: no browser cookie")
	return access.Call{}
}

// noRedirect reaches the test provider without following its redirects.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
