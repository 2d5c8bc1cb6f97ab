package oidc_test

import (
	"errors"

	"context"
	"guichet"
	"net/http"
	"net/url"
	"testing"

	"guichet/internal/identity/account"
	"guichet/internal/identity/oidc"
	"guichet/internal/identity/oidc/oidctest"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// fixture is a migrated database with two collectivités, a test provider
// and the FranceConnect configuration of collectivité a pointing at it.
type fixture struct {
	d     *db.DB
	users *account.Store
	svc   *oidc.Service
	op    *oidctest.Provider
	a, b  *tenant.Tenant
}

const callback = "http://alpha.localhost/connexion/franceconnect/retour"

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, account.Migrations, oidc.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := tenant.NewStore(d)
		mk := func(slug string) *tenant.Tenant {
			tn, err := ts.Create(ctx, tenant.Tenant{Slug: slug, Name: "Commune de " + slug, Kind: tenant.KindCommune,
				INSEE: "54084", SIRET: "21869900700017", TimeZone: "Europe/Paris"})
			if err != nil {
				t.Fatal(err)
			}
			return tn
		}
		op := oidctest.New()
		t.Cleanup(op.Close)
		users := account.NewStore(d)
		store := oidc.NewStore(d, "a-secret-key-of-at-least-32-characters!")
		users.RegisterExporter("oidc", store.Export)
		f := &fixture{d: d, users: users, op: op, a: mk("alpha"), b: mk("beta"),
			svc: oidc.NewService(store, users, nil)}
		f.configure(t, f.a)
		fn(t, f)
	})
}

// configure enables the test provider as FranceConnect on tn.
func (f *fixture) configure(t *testing.T, tn *tenant.Tenant) {
	t.Helper()
	p := oidc.NewProvider(tn.ID, oidc.FranceConnect)
	p.Issuer, p.ClientID, p.ClientSecret, p.Enabled = f.op.Issuer, f.op.ClientID, f.op.ClientSecret, true
	if err := f.svc.SaveProvider(context.Background(), &p); err != nil {
		t.Fatalf("save provider: %v", err)
	}
}

// authorize follows the authorization URL as a browser would and returns
// the query the provider sent back to the callback.
func (f *fixture) authorize(t *testing.T, start *oidc.Start) url.Values {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(start.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("authorize: %s, location %q", resp.Status, resp.Header.Get("Location"))
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != callback {
		t.Fatalf("provider redirected to %s, want %s", got, callback)
	}
	return loc.Query()
}

// signIn runs a whole sign-in on tenant a and returns its result.
func (f *fixture) signIn(t *testing.T) (*oidc.Result, error) {
	t.Helper()
	ctx := context.Background()
	start, err := f.svc.Begin(ctx, f.a.ID, oidc.FranceConnect, callback, "/compte")
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	back := f.authorize(t, start)
	return f.svc.Finish(ctx, f.a.ID, oidc.Callback{State: back.Get("state"), Code: back.Get("code"),
		BrowserSecret: start.BrowserSecret, RedirectURL: callback})
}

func (f *fixture) countUsers(t *testing.T, tn *tenant.Tenant, email string) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(context.Background(), `SELECT COUNT(*) FROM users WHERE tenant_id = ? AND email_key = ?`,
		tn.ID, email).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func asError(err error, target **guichet.Error) bool { return errors.As(err, target) }
