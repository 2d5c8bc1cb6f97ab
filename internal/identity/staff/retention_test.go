package staff_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
)

// TestOldInvitationsGo: an invitation expired or accepted one day inside
// InvitationDays stays, one day past goes.
func TestOldInvitationsGo(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		day0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		ttl := int(staff.InvitationTTL.Hours() / 24)
		invite := func(email string, expiredDaysAgo int) string {
			f.staff.Now = func() time.Time { return day0.AddDate(0, 0, -expiredDaysAgo-ttl) }
			inv, _, err := f.staff.Invite(ctx, f.a.ID, email, "Camille Martin", staff.Grant{Roles: []account.Role{account.RoleEditor}}, "")
			if err != nil {
				t.Fatal(err)
			}
			return inv.ID
		}
		inside := invite("dedans@exemple.fr", staff.InvitationDays-1)
		invite("dehors@exemple.fr", staff.InvitationDays+1)
		acceptedInside := invite("acceptee@exemple.fr", 0)
		acceptedPast := invite("acceptee-avant@exemple.fr", 0)
		for id, daysAgo := range map[string]int{acceptedInside: staff.InvitationDays - 1, acceptedPast: staff.InvitationDays + 1} {
			if _, err := f.d.Exec(ctx, `UPDATE staff_invitations SET accepted_at = ? WHERE id = ?`, day0.AddDate(0, 0, -daysAgo), id); err != nil {
				t.Fatal(err)
			}
		}
		f.staff.Now = func() time.Time { return day0 }
		n, err := f.staff.PurgeInvitations(ctx)
		if err != nil || n != 2 {
			t.Fatalf("purged %d, %v; want 2", n, err)
		}
		rows, err := f.d.Query(ctx, `SELECT id FROM staff_invitations ORDER BY email`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var left []string
		for rows.Next() {
			var id string
			_ = rows.Scan(&id)
			left = append(left, id)
		}
		if len(left) != 2 || left[0] != acceptedInside || left[1] != inside {
			t.Errorf("left %v, want %s and %s", left, acceptedInside, inside)
		}
	})
}
