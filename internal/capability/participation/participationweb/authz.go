package participationweb

import (
	"context"

	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

var (
	_ kernel.Guarded        = (*Capability)(nil)
	_ kernel.AccessFixtured = (*Capability)(nil)
	_ kernel.Isolated       = (*Capability)(nil)
)

// AccessRows implements kernel.Guarded: each part's routes.
func (c *Capability) AccessRows() []access.Row {
	rows := []access.Row{access.For("site GET "+HomePath, access.Public(), nil)}
	for _, part := range [][]access.Row{c.discussionRows(), c.debateRows(), c.pollRows(), c.moderationRows(), c.notificationRows(),
		c.privateRows()} {
		rows = append(rows, part...)
	}
	return rows
}

// AccessFixtures implements kernel.AccessFixtured.
func (c *Capability) AccessFixtures(ctx context.Context, town, village *tenant.Tenant, f access.Fixtures) error {
	fixtures := []func(context.Context, *tenant.Tenant, access.Fixtures) error{c.discussionFixtures, c.debateFixtures,
		c.pollFixtures, c.moderationFixtures, c.notificationFixtures, c.privateFixtures}
	for _, fix := range fixtures {
		if err := fix(ctx, town, f); err != nil {
			return err
		}
	}
	return nil
}

// IsolationRows implements kernel.Isolated.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	var rows []kernel.IsolationRow
	for _, part := range [][]kernel.IsolationRow{c.discussionIsolation(), c.debateIsolation(), c.pollIsolation(),
		c.moderationIsolation(), c.notificationIsolation(), c.privateIsolation()} {
		rows = append(rows, part...)
	}
	return rows
}
