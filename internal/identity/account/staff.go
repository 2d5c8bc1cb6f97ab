package account

import "context"

// SecondFactorPath is where staff who must still pass TOTP are sent after
// signing in with their password.
const SecondFactorPath = "/connexion/deuxieme-facteur"

// StaffInfo is what the staff domain says about a user of a tenant.
type StaffInfo struct {
	Roles                []Role
	Services             []string
	Title                string
	SecondFactorRequired bool
}

// StaffSource tells whether a user is staff; it returns nil, nil for a
// resident. The staff domain implements it.
type StaffSource interface {
	StaffOf(ctx context.Context, tenantID, userID string) (*StaffInfo, error)
}
