// Package account holds residents and staff: sign-up, passwords, sessions,
// roles, two-factor authentication, OpenID Connect sign-in and the audit log.
package account

import (
	"context"
	"slices"
)

// Role is a staff role within one collectivité.
type Role string

// The staff roles. Operator exists only on the platform pseudo-tenant.
const (
	RoleAdmin     Role = "admin"
	RoleAgent     Role = "agent"
	RoleEditor    Role = "editor"
	RoleSecretary Role = "secretary"
	RoleModerator Role = "moderator"
	RoleOperator  Role = "operator"
)

// StaffRoles lists the roles an administrator may grant, in display order.
var StaffRoles = []Role{RoleAdmin, RoleAgent, RoleEditor, RoleSecretary, RoleModerator}

// Identity is who is behind a request: set by the session middleware, read
// by handlers and pages.
type Identity struct {
	UserID    string
	TenantID  string
	SessionID string
	Email     string
	Name      string
	Lang      string
	Roles     []Role
	Services  []string // services an agent is scoped to, e.g. "etat-civil"
	Title     string   // an elected official's title, e.g. "Maire adjoint"
	// SecondFactor is true once a staff member passed TOTP in this session.
	SecondFactor bool
	// NeedsSecondFactor is true for staff who must still pass TOTP in this
	// session: until then Roles stays empty.
	NeedsSecondFactor bool
	Prefs             Preferences
	// EmailVerified is true once the person proved they own Email.
	EmailVerified bool
}

// Preferences are a resident's display and accessibility choices.
type Preferences struct {
	TextSize     string `json:"text_size"`    // "", "large", "larger"
	LineSpacing  string `json:"line_spacing"` // "", "wide"
	HighContrast bool   `json:"high_contrast"`
}

// IsStaff reports whether the identity holds any staff role.
func (i *Identity) IsStaff() bool { return i != nil && len(i.Roles) > 0 }

// Has reports whether the identity holds role (administrators hold every
// role of their collectivité).
func (i *Identity) Has(role Role) bool {
	if i == nil {
		return false
	}
	return slices.Contains(i.Roles, role) || (role != RoleOperator && slices.Contains(i.Roles, RoleAdmin))
}

type ctxKey struct{}

// NewContext returns ctx carrying id.
func NewContext(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the request's identity, nil when signed out.
func FromContext(ctx context.Context) *Identity {
	id, _ := ctx.Value(ctxKey{}).(*Identity)
	return id
}
