package tenant_test

import (
	"context"
	"errors"
	"testing"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// TestResolverHearsOfChanges checks that the resolver's cached answers,
// kept 10 s, give way at once to a change written through the store:
// settings, a new host name once unknown, a suspension, an old host.
func TestResolverHearsOfChanges(t *testing.T) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := tenant.NewStore(d)
		r := tenant.NewResolver(s, "localhost")
		c, err := s.Create(ctx, sample("delta"))
		if err != nil {
			t.Fatal(err)
		}
		resolve := func(host string) *tenant.Tenant {
			t.Helper()
			got, err := r.Resolve(ctx, host)
			if errors.Is(err, tenant.ErrNotFound) {
				return nil
			}
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := resolve("delta.localhost"); got == nil || got.Name != c.Name {
			t.Fatalf("before any change: %+v", got)
		}
		if resolve("mairie-delta.example") != nil {
			t.Fatal("an unknown host resolved")
		}
		c.Name, c.Hosts = "Ville de Delta", []string{"mairie-delta.example"}
		if _, err := s.Update(ctx, *c); err != nil {
			t.Fatal(err)
		}
		if got := resolve("delta.localhost"); got == nil || got.Name != "Ville de Delta" {
			t.Fatalf("after a new name: %+v", got)
		}
		if got := resolve("mairie-delta.example"); got == nil || got.ID != c.ID {
			t.Fatalf("a host cached as unknown, then given: %+v", got)
		}
		if err := s.SetStatus(ctx, c.ID, tenant.StatusSuspended); err != nil {
			t.Fatal(err)
		}
		if got := resolve("mairie-delta.example"); got == nil || got.Active() {
			t.Fatalf("after a suspension: %+v", got)
		}
		c.Hosts = nil
		if _, err := s.Update(ctx, *c); err != nil {
			t.Fatal(err)
		}
		if got := resolve("mairie-delta.example"); got != nil {
			t.Fatalf("a host taken away still resolves to %+v", got)
		}
	})
}
