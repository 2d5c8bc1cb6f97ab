package account_test

import (
	"context"
	"errors"
	"testing"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

func asError(err error, target **guichet.Error) bool { return errors.As(err, target) }

// fixture is a migrated database with two collectivités.
type fixture struct {
	d     *db.DB
	store *account.Store
	a, b  *tenant.Tenant
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, account.Migrations}, func(t *testing.T, d *db.DB) {
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
		store := account.NewStore(d)
		store.Now = dbtest.Clock(t)
		fn(t, &fixture{d: d, store: store, a: mk("alpha"), b: mk("beta")})
	})
}

const goodPassword = "Tr4in!Bleu#9"

func (f *fixture) register(t *testing.T, tn *tenant.Tenant, email string) *account.User {
	t.Helper()
	u, err := f.store.Register(context.Background(), tn.ID, email, "Camille Martin", goodPassword)
	if err != nil {
		t.Fatalf("register %s: %v", email, err)
	}
	return u
}
