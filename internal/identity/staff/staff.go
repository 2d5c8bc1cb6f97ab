// Package staff holds a collectivité's team: roles per tenant, invitations,
// TOTP two-factor authentication with recovery codes, and the audit log of
// staff actions that every domain writes to.
package staff

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
)

// Services are the departments an agent can be scoped to, in display order.
var Services = []string{"accueil", "etat-civil", "urbanisme", "elections", "social", "scolaire", "technique", "vie-locale"}

// Member is one staff member of a collectivité.
type Member struct {
	TenantID string
	UserID   string
	Email    string
	Name     string
	Roles    []account.Role
	Services []string
	Title    string // an elected official's title, e.g. "Adjointe à la communication"
	// TOTPEnrolled is true once the member confirmed an authenticator.
	TOTPEnrolled bool
	CreatedAt    time.Time
}

// Has reports whether the member holds role.
func (m *Member) Has(role account.Role) bool { return slices.Contains(m.Roles, role) }

// Grant is what an administrator gives someone: roles, services, a title.
type Grant struct {
	Roles    []account.Role
	Services []string
	Title    string
}

var serviceRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Normalize sorts, deduplicates and checks g for tenantID: roles known for
// that kind of tenant, at least one service for an agent, a short title.
func (g *Grant) Normalize(tenantID string) error {
	fields := map[string]string{}
	allowed := account.StaffRoles
	if tenantID == tenant.PlatformID {
		allowed = []account.Role{account.RoleOperator}
	}
	var roles []account.Role
	for _, r := range allowed { // keeps the display order
		if slices.Contains(g.Roles, r) {
			roles = append(roles, r)
		}
	}
	if len(roles) != len(uniqueRoles(g.Roles)) {
		fields["roles"] = "Un des rôles choisis n'existe pas."
	} else if len(roles) == 0 {
		fields["roles"] = "Choisissez au moins un rôle."
	}
	g.Roles = roles
	var services []string
	for _, s := range g.Services {
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(services, s) {
			continue
		}
		if !serviceRe.MatchString(s) || len(s) > 40 {
			fields["services"] = "Un des services choisis n'est pas valable."
		}
		services = append(services, s)
	}
	if !slices.Contains(roles, account.RoleAgent) {
		services = nil // services scope agents only
	} else if len(services) == 0 {
		fields["services"] = "Choisissez au moins un service pour un agent."
	}
	slices.Sort(services)
	g.Services = services
	g.Title = strings.Join(strings.Fields(g.Title), " ")
	if len([]rune(g.Title)) > 100 {
		fields["title"] = "Le titre ne doit pas dépasser 100 caractères."
	}
	if len(fields) > 0 {
		return guichet.Invalid(fields)
	}
	return nil
}

func uniqueRoles(roles []account.Role) []account.Role {
	var out []account.Role
	for _, r := range roles {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func joinRoles(roles []account.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func splitRoles(s string) []account.Role {
	var out []account.Role
	for _, r := range splitList(s) {
		out = append(out, account.Role(r))
	}
	return out
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// ErrNotFound is returned for someone who is not staff of the tenant.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Membre de l'équipe introuvable.")
