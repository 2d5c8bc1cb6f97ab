package kernel

import (
	"context"

	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// Guarded is a capability's rows of the authorisation matrix: who may use
// each route it registers, and how to call it (see internal/app's
// TestAuthorisationMatrix). Every route of the server has exactly one row.
type Guarded interface {
	AccessRows() []access.Row
}

// AccessFixtured is a guarded capability whose rows name records that
// must exist first: AccessFixtures makes them in the demo collectivités
// and names them in f, where the rows' builds read them.
type AccessFixtured interface {
	AccessFixtures(ctx context.Context, town, village *tenant.Tenant, f access.Fixtures) error
}

// AccessSettled is a guarded capability whose requests set background
// work going: SettleAccess waits until it is done, so that none of it
// lands while the matrix compares the database before and after a row.
type AccessSettled interface {
	SettleAccess(ctx context.Context) error
}
