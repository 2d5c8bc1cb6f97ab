package staff_test

import (
	"context"
	"fmt"
	"testing"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
)

func TestAuditRecordAndPages(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		admin := f.member(t, f.a.ID, "admin@alpha.fr", account.RoleAdmin)
		ctx := account.NewContext(context.Background(), &account.Identity{UserID: admin.ID, TenantID: f.a.ID, Email: admin.Email})
		ctx = staff.WithOrigin(ctx, "192.0.2.7", "Firefox")
		for i := range 7 {
			if err := f.staff.Record(ctx, "test.action", fmt.Sprintf("cible-%d", i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.staff.RecordEntry(context.Background(), staff.Entry{TenantID: f.b.ID, Actor: "cli", Action: "test.other"}); err != nil {
			t.Fatal(err)
		}
		if err := f.staff.Record(context.Background(), "no.tenant", ""); err == nil {
			t.Fatal("an entry without tenant was accepted")
		}

		var seen []string
		cursor := ""
		for page := 0; ; page++ {
			entries, next, err := f.staff.Audit(context.Background(), f.a.ID, cursor, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.TenantID != f.a.ID || e.ActorID != admin.ID || e.Actor != "admin@alpha.fr" || e.IP != "192.0.2.7" || e.UserAgent != "Firefox" {
					t.Fatalf("entry = %+v", e)
				}
				seen = append(seen, e.Target)
			}
			if next == "" {
				break
			}
			if page > 5 {
				t.Fatal("pagination does not end")
			}
			cursor = next
		}
		want := []string{"cible-6", "cible-5", "cible-4", "cible-3", "cible-2", "cible-1", "cible-0"}
		if fmt.Sprint(seen) != fmt.Sprint(want) {
			t.Fatalf("pages gave %v, want %v", seen, want)
		}
		entries, _, _ := f.staff.Audit(context.Background(), f.b.ID, "", 50)
		if len(entries) != 1 || entries[0].Action != "test.other" {
			t.Fatalf("tenant B sees %+v", entries)
		}
	})
}
