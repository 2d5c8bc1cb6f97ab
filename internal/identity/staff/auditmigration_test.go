package staff_test

import (
	"context"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// A database with entries written before the chain is upgraded: the
// migration numbers them in their order, and SealLegacy, run once after
// it, signs them so that the whole log verifies.
func TestAuditChainMigrationKeepsOlderEntries(t *testing.T) {
	t.Parallel()
	first, err := os.ReadFile("migrations/0001_staff.sql")
	if err != nil {
		t.Fatal(err)
	}
	before := db.Migrations{Domain: "staff", Files: fstest.MapFS{"0001_staff.sql": {Data: first}}}
	dbtest.Each(t, []db.Migrations{tenant.Migrations, account.Migrations, before}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := &fixture{d: d, staff: staff.NewStore(d, testKey)}
		f.a, f.b = f.tenant(t, "alpha"), f.tenant(t, "beta")
		at := time.Date(2026, 1, 5, 14, 0, 0, 0, time.UTC)
		for i, row := range []struct{ id, tenant string }{
			{"01940000-0000-7000-8000-000000000003", f.a.ID}, {"01940000-0000-7000-8000-000000000001", f.a.ID},
			{"01940000-0000-7000-8000-000000000002", f.b.ID}, {"01940000-0000-7000-8000-000000000004", f.a.ID},
		} {
			f.exec(t, `INSERT INTO audit_log (id, tenant_id, actor, action, target, at) VALUES (?, ?, 'cli', 'staff.user_created', ?, ?)`,
				row.id, row.tenant, row.id, at.Add(time.Duration(i)*time.Second))
		}
		if !staff.ChainPending(ctx, d) {
			t.Fatal("the chain migration is not reported pending")
		}
		if err := d.Migrate(ctx, []db.Migrations{staff.Migrations}); err != nil {
			t.Fatal(err)
		}
		if staff.ChainPending(ctx, d) {
			t.Fatal("the chain migration is still reported pending")
		}
		if err := f.staff.SealLegacy(ctx); err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, e := range f.entries(t, f.a.ID) {
			order = append(order, e.Target[len(e.Target)-1:])
		}
		if got := order; len(got) != 3 || got[0] != "1" || got[1] != "3" || got[2] != "4" {
			t.Fatalf("alpha's entries in chain order: %v, want their ids' order 1 3 4", got)
		}
		f.chainOf(t, f.a.ID, 1)
		for _, tn := range []string{f.a.ID, f.b.ID} {
			if st := f.verify(t, tn); !st.Intact() || st.First != 1 {
				t.Fatalf("upgraded chain of %s: %+v", tn, st)
			}
		}
		if st := f.verify(t, f.a.ID); st.Entries != 4 {
			t.Fatalf("alpha's chain has %d entries, want 4", st.Entries)
		}
	})
}
