package staff_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
)

func TestGrantNormalize(t *testing.T) {
	t.Parallel()
	rows := []struct {
		name     string
		tenantID string
		in       staff.Grant
		field    string // the field in error, "" when valid
		roles    []account.Role
		services []string
	}{
		{"orders and dedups roles", "t", staff.Grant{Roles: []account.Role{"moderator", "admin", "admin"}}, "",
			[]account.Role{"admin", "moderator"}, nil},
		{"agent needs a service", "t", staff.Grant{Roles: []account.Role{"agent"}}, "services", nil, nil},
		{"agent services sorted", "t", staff.Grant{Roles: []account.Role{"agent"}, Services: []string{"urbanisme", "etat-civil", "urbanisme"}}, "",
			[]account.Role{"agent"}, []string{"etat-civil", "urbanisme"}},
		{"services dropped for non-agents", "t", staff.Grant{Roles: []account.Role{"editor"}, Services: []string{"urbanisme"}}, "",
			[]account.Role{"editor"}, nil},
		{"bad service slug", "t", staff.Grant{Roles: []account.Role{"agent"}, Services: []string{"État civil"}}, "services", nil, nil},
		{"no role", "t", staff.Grant{}, "roles", nil, nil},
		{"unknown role", "t", staff.Grant{Roles: []account.Role{"mayor"}}, "roles", nil, nil},
		{"operator only on the platform", "t", staff.Grant{Roles: []account.Role{"operator"}}, "roles", nil, nil},
		{"platform takes operators", tenant.PlatformID, staff.Grant{Roles: []account.Role{"operator"}}, "",
			[]account.Role{"operator"}, nil},
		{"platform refuses admins", tenant.PlatformID, staff.Grant{Roles: []account.Role{"admin"}}, "roles", nil, nil},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			g := row.in
			err := g.Normalize(row.tenantID)
			if row.field != "" {
				e, ok := err.(*guichet.Error)
				if !ok || e.Fields[row.field] == "" {
					t.Fatalf("want an error on %q, got %v", row.field, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(g.Roles, row.roles) || !slices.Equal(g.Services, row.services) {
				t.Fatalf("got %v %v, want %v %v", g.Roles, g.Services, row.roles, row.services)
			}
		})
	}
}

func TestMembers(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.member(t, f.a.ID, "admin@alpha.fr", account.RoleAdmin)
		agent := f.member(t, f.a.ID, "agent@alpha.fr", account.RoleAgent)
		resident := f.user(t, f.a.ID, "habitant@alpha.fr")

		info, err := f.staff.StaffOf(ctx, f.a.ID, agent.ID)
		if err != nil || info == nil {
			t.Fatalf("StaffOf agent = %v, %v", info, err)
		}
		if !slices.Equal(info.Services, []string{"etat-civil"}) || !info.SecondFactorRequired {
			t.Fatalf("agent info = %+v", info)
		}
		if info, err := f.staff.StaffOf(ctx, f.a.ID, resident.ID); info != nil || err != nil {
			t.Fatalf("StaffOf resident = %v, %v; want nil, nil", info, err)
		}

		list, err := f.staff.List(ctx, f.a.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("List = %d members, %v", len(list), err)
		}
		m, err := f.staff.Get(ctx, f.a.ID, admin.ID)
		if err != nil || m.Email != "admin@alpha.fr" || !m.Has(account.RoleAdmin) {
			t.Fatalf("Get admin = %+v, %v", m, err)
		}

		// The only administrator can be neither demoted nor removed.
		wantCode(t, f.staff.Update(ctx, f.a.ID, admin.ID, staff.Grant{Roles: []account.Role{account.RoleEditor}}), guichet.EConflict)
		wantCode(t, f.staff.Remove(ctx, f.a.ID, admin.ID), guichet.EConflict)
		if err := f.staff.Update(ctx, f.a.ID, agent.ID, staff.Grant{Roles: []account.Role{account.RoleAdmin}}); err != nil {
			t.Fatal(err)
		}
		if err := f.staff.Update(ctx, f.a.ID, admin.ID, staff.Grant{Roles: []account.Role{account.RoleEditor}, Title: "  Adjointe   au maire "}); err != nil {
			t.Fatal(err)
		}
		if info, _ := f.staff.StaffOf(ctx, f.a.ID, admin.ID); info == nil || info.Title != "Adjointe au maire" {
			t.Fatalf("title not kept: %+v", info)
		}
		if err := f.staff.Remove(ctx, f.a.ID, admin.ID); err != nil {
			t.Fatal(err)
		}
		if info, _ := f.staff.StaffOf(ctx, f.a.ID, admin.ID); info != nil {
			t.Fatalf("removed member still staff: %+v", info)
		}
	})
}

func TestSecondFactorSetting(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.member(t, f.a.ID, "admin@alpha.fr", account.RoleAdmin)
		editor := f.member(t, f.a.ID, "editor@alpha.fr", account.RoleEditor)
		if err := f.staff.SaveSettings(ctx, f.a.ID, staff.Settings{SecondFactorOptional: true}); err != nil {
			t.Fatal(err)
		}
		if info, _ := f.staff.StaffOf(ctx, f.a.ID, editor.ID); info.SecondFactorRequired {
			t.Fatal("relaxed setting ignored for an editor")
		}
		if info, _ := f.staff.StaffOf(ctx, f.a.ID, admin.ID); !info.SecondFactorRequired {
			t.Fatal("administrators must always pass the second factor")
		}
		if c, _ := f.staff.Settings(ctx, f.b.ID); c.SecondFactorOptional {
			t.Fatal("setting leaked to another tenant")
		}
	})
}

func TestMembersIsolation(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		adminA := f.member(t, f.a.ID, "admin@alpha.fr", account.RoleAdmin)
		f.member(t, f.b.ID, "admin@beta.fr", account.RoleAdmin)
		userB := f.user(t, f.b.ID, "someone@beta.fr")

		if info, err := f.staff.StaffOf(ctx, f.b.ID, adminA.ID); info != nil || err != nil {
			t.Fatalf("admin of A is staff of B: %v, %v", info, err)
		}
		// A user of B cannot be made staff of A.
		wantCode(t, f.staff.Add(ctx, f.a.ID, userB.ID, staff.Grant{Roles: []account.Role{account.RoleEditor}}), guichet.ENotFound)
		if _, err := f.staff.Get(ctx, f.b.ID, adminA.ID); !errors.Is(err, staff.ErrNotFound) {
			t.Fatalf("Get across tenants = %v", err)
		}
		wantCode(t, f.staff.Update(ctx, f.b.ID, adminA.ID, staff.Grant{Roles: []account.Role{account.RoleEditor}}), guichet.ENotFound)
		wantCode(t, f.staff.Remove(ctx, f.b.ID, adminA.ID), guichet.ENotFound)
		list, _ := f.staff.List(ctx, f.b.ID)
		if len(list) != 1 || list[0].Email != "admin@beta.fr" {
			t.Fatalf("List of B = %+v", list)
		}
	})
}

func TestOperator(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		op := f.member(t, tenant.PlatformID, "ops@plateforme.fr", account.RoleOperator)
		info, err := f.staff.StaffOf(ctx, tenant.PlatformID, op.ID)
		if err != nil || info == nil || !slices.Equal(info.Roles, []account.Role{account.RoleOperator}) || !info.SecondFactorRequired {
			t.Fatalf("operator info = %+v, %v", info, err)
		}
	})
}
