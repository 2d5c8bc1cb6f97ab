package app

import (
	"context"
	"fmt"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// Demo sign-ins share one password (it meets the CNIL rules) and staff
// share one fixed TOTP secret, printed at start so that testers and
// browser tests can compute codes.
const (
	DemoPassword   = "Guichet-Demo-2026!"
	DemoTOTPSecret = "GUICHETDEMOSECRETTOTP234"
)

// demoPerson is one demo account; no roles means a resident.
type demoPerson struct {
	tenant, email, name string
	grant               staff.Grant
}

func roles(r ...account.Role) []account.Role { return r }

// demoPeople are demo accounts named after their role: a team for every role in the town, a small
// team in the village, residents, and a platform operator.
var demoPeople = []demoPerson{
	{demo.Town, "admin@montclair.localhost", "Direction générale des services", staff.Grant{Roles: roles(account.RoleAdmin)}},
	{demo.Town, "etat-civil@montclair.localhost", "Service état civil",
		staff.Grant{Roles: roles(account.RoleAgent), Services: []string{"etat-civil"}}},
	{demo.Town, "urbanisme@montclair.localhost", "Service urbanisme",
		staff.Grant{Roles: roles(account.RoleAgent), Services: []string{"urbanisme"}}},
	{demo.Town, "communication@montclair.localhost", "Service communication", staff.Grant{Roles: roles(account.RoleEditor)}},
	{demo.Town, "elue@montclair.localhost", "Élue à la communication",
		staff.Grant{Roles: roles(account.RoleEditor), Title: "Adjointe à la communication"}},
	{demo.Town, "secretariat@montclair.localhost", "Secrétariat du conseil", staff.Grant{Roles: roles(account.RoleSecretary)}},
	{demo.Town, "moderation@montclair.localhost", "Modération des échanges", staff.Grant{Roles: roles(account.RoleModerator)}},
	{demo.Town, "vie-locale@montclair.localhost", "Service vie locale",
		staff.Grant{Roles: roles(account.RoleAgent), Services: []string{"vie-locale"}}},
	// He handles the problem reports.
	{demo.Town, "technique@montclair.localhost", "Services techniques",
		staff.Grant{Roles: roles(account.RoleAgent), Services: []string{"technique"}}},
	{demo.Town, "habitante@courriel.localhost", "Habitante de démonstration", staff.Grant{}},
	{demo.Town, "habitant@courriel.localhost", "Habitant de démonstration", staff.Grant{}},
	// She manages her association's directory entry and network ties.
	{demo.Town, "association@courriel.localhost", "Présidente de l'Amicale des Tilleuls", staff.Grant{}},
	{demo.Village, "mairie@sauvigny.localhost", "Secrétariat de mairie",
		staff.Grant{Roles: roles(account.RoleAdmin, account.RoleSecretary), Title: "Secrétaire de mairie"}},
	{demo.Village, "habitante@sauvigny.localhost", "Habitante de démonstration", staff.Grant{}},
	{tenant.PlatformID, "operateur@guichet.localhost", "Équipe d'exploitation", staff.Grant{Roles: roles(account.RoleOperator)}},
}

// demoHost is the host a demo account signs in on.
func (a *App) demoHost(t *tenant.Tenant) string {
	if t.IsPlatform() {
		return a.Config.BaseDomain
	}
	return t.Slug + "." + a.Config.BaseDomain
}

// seedStaff creates the demo accounts and returns their sign-ins.
func (a *App) seedStaff(ctx context.Context, tenants map[string]*tenant.Tenant) ([]SignIn, error) {
	var out []SignIn
	for _, p := range demoPeople {
		t := tenants[p.tenant]
		if p.tenant == tenant.PlatformID {
			var err error
			if t, err = a.Tenants.Get(ctx, tenant.PlatformID); err != nil {
				return nil, err
			}
		}
		if t == nil {
			return nil, fmt.Errorf("demo: no collectivité %q", p.tenant)
		}
		u, err := a.Accounts.CreateVerified(ctx, t.ID, p.email, p.name)
		if err != nil {
			return nil, fmt.Errorf("demo: account %s: %w", p.email, err)
		}
		if err := a.Accounts.SetPassword(ctx, t.ID, u.ID, DemoPassword); err != nil {
			return nil, fmt.Errorf("demo: password of %s: %w", p.email, err)
		}
		s := SignIn{Where: a.demoHost(t), Role: "resident", Email: p.email, Password: DemoPassword}
		if len(p.grant.Roles) > 0 {
			s.Role = string(p.grant.Roles[0])
			if err := a.Staff.Add(ctx, t.ID, u.ID, p.grant); err != nil {
				return nil, fmt.Errorf("demo: roles of %s: %w", p.email, err)
			}
			if err := a.Staff.EnrolWithSecret(ctx, t.ID, u.ID, DemoTOTPSecret); err != nil {
				return nil, fmt.Errorf("demo: TOTP of %s: %w", p.email, err)
			}
			s.TOTPSecret = DemoTOTPSecret
		}
		out = append(out, s)
	}
	return out, nil
}
