package oidc

import (
	"context"

	"guichet/internal/kernel/privacy"
)

// Processing returns the register's line of sign-in through an identity
// provider; its texts are in the oidcweb module's catalogue. Unfinished
// sign-in flows are deleted once expired by their own periodic job.
func (s *Store) Processing() []privacy.Activity {
	return []privacy.Activity{{
		Key: "oidc.identities", Order: 20, InUse: s.hasEnabled,
		Name: privacy.T("oidc.privacy.name"), Purpose: privacy.T("oidc.privacy.purpose"),
		Bases: []privacy.Basis{privacy.PublicTask}, Law: privacy.T("oidc.privacy.law"),
		People: privacy.T("oidc.privacy.people"), Data: privacy.T("oidc.privacy.data"),
		Retention: privacy.T("oidc.privacy.retention", int(flowTTL.Minutes())), Recipients: privacy.T("oidc.privacy.recipients"),
	}}
}

func (s *Store) hasEnabled(ctx context.Context, tenantID string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM oidc_providers WHERE tenant_id = ? AND enabled = ?`, tenantID, true).Scan(&n)
	return n > 0, err
}
