package staff_test

import (
	"context"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// fixture is a migrated database with two collectivités.
type fixture struct {
	d        *db.DB
	accounts *account.Store
	staff    *staff.Store
	a, b     *tenant.Tenant
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, account.Migrations, staff.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := tenant.NewStore(d)
		if err := ts.EnsurePlatform(ctx); err != nil {
			t.Fatal(err)
		}
		f := &fixture{d: d, accounts: account.NewStore(d), staff: staff.NewStore(d, testKey)}
		f.a, f.b = f.tenant(t, "alpha"), f.tenant(t, "beta")
		fn(t, f)
	})
}

// testKey is the server key of the fixture's store.
const testKey = "test-secret-key-of-32-characters!!"

// tenant creates a collectivité named after slug.
func (f *fixture) tenant(t *testing.T, slug string) *tenant.Tenant {
	t.Helper()
	tn, err := tenant.NewStore(f.d).Create(context.Background(), tenant.Tenant{Slug: slug, Name: "Commune de " + slug,
		Kind: tenant.KindCommune, INSEE: "54084", SIRET: "21869900700017", TimeZone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

func (f *fixture) user(t *testing.T, tenantID, email string) *account.User {
	t.Helper()
	u, err := f.accounts.CreateVerified(context.Background(), tenantID, email, "Camille Martin")
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func (f *fixture) member(t *testing.T, tenantID, email string, roles ...account.Role) *account.User {
	t.Helper()
	u := f.user(t, tenantID, email)
	g := staff.Grant{Roles: roles}
	if len(roles) > 0 && roles[0] == account.RoleAgent {
		g.Services = []string{"etat-civil"}
	}
	if err := f.staff.Add(context.Background(), tenantID, u.ID, g); err != nil {
		t.Fatalf("add %s: %v", email, err)
	}
	return u
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := guichet.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}
