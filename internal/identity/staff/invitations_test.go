package staff_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
)

func TestInvitations(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.member(t, f.a.ID, "admin@alpha.fr", account.RoleAdmin)
		g := staff.Grant{Roles: []account.Role{account.RoleAgent}, Services: []string{"urbanisme"}}

		_, _, err := f.staff.Invite(ctx, f.a.ID, "pas-une-adresse", "", g, admin.ID)
		if e, ok := err.(*guichet.Error); !ok || e.Fields["email"] == "" || e.Fields["name"] == "" {
			t.Fatalf("invalid invitation: %v", err)
		}
		if _, _, err := f.staff.Invite(ctx, f.a.ID, "ADMIN@alpha.fr", "Déjà là", g, admin.ID); guichet.ErrorCode(err) != guichet.EConflict {
			t.Fatalf("inviting a member: %v", err)
		}

		_, oldToken, err := f.staff.Invite(ctx, f.a.ID, "agent@alpha.fr", "Agent Urbanisme", g, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		inv, token, err := f.staff.Invite(ctx, f.a.ID, "agent@alpha.fr", "Agent Urbanisme", g, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.staff.Invitation(ctx, f.a.ID, oldToken); !errors.Is(err, staff.ErrInvitationInvalid) {
			t.Fatalf("a replaced invitation still works: %v", err)
		}
		if pending, _ := f.staff.Pending(ctx, f.a.ID); len(pending) != 1 || pending[0].ID != inv.ID {
			t.Fatalf("pending = %+v", pending)
		}
		// The token is unknown on another tenant.
		if _, err := f.staff.Invitation(ctx, f.b.ID, token); !errors.Is(err, staff.ErrInvitationInvalid) {
			t.Fatalf("invitation across tenants: %v", err)
		}
		got, err := f.staff.Invitation(ctx, f.a.ID, token)
		if err != nil || got.Email != "agent@alpha.fr" || !slices.Equal(got.Grant.Services, []string{"urbanisme"}) {
			t.Fatalf("Invitation = %+v, %v", got, err)
		}

		u := f.user(t, f.a.ID, "agent@alpha.fr")
		if _, err := f.staff.Accept(ctx, f.a.ID, token, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.staff.Accept(ctx, f.a.ID, token, u.ID); !errors.Is(err, staff.ErrInvitationInvalid) {
			t.Fatalf("invitation used twice: %v", err)
		}
		info, _ := f.staff.StaffOf(ctx, f.a.ID, u.ID)
		if info == nil || !slices.Equal(info.Roles, []account.Role{account.RoleAgent}) {
			t.Fatalf("accepted invitation gave %+v", info)
		}
		if pending, _ := f.staff.Pending(ctx, f.a.ID); len(pending) != 0 {
			t.Fatalf("accepted invitation still pending: %+v", pending)
		}

		inv2, _, err := f.staff.Invite(ctx, f.a.ID, "editor@alpha.fr", "Rédaction", staff.Grant{Roles: []account.Role{account.RoleEditor}}, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.staff.Cancel(ctx, f.b.ID, inv2.ID); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Fatalf("cancel across tenants: %v", err)
		}
		if _, err := f.staff.Cancel(ctx, f.a.ID, inv2.ID); err != nil {
			t.Fatal(err)
		}
	})
}
