package sharing

import (
	"context"
	"fmt"

	"guichet/internal/kernel/privacy"
)

// Retention of the posts' rows: a year for those sent (what the
// collectivité said where), three months for those failed or cancelled.
const (
	SentDays    = 365
	DroppedDays = 90
)

// PurgePosts deletes the posts past their retention.
func (s *Store) PurgePosts(ctx context.Context) (int64, error) {
	now := s.now()
	res, err := s.db.Exec(ctx, `DELETE FROM sharing_posts WHERE (status = ? AND updated_at < ?) OR (status IN (?, ?) AND updated_at < ?)`,
		Sent, privacy.Cutoff(now, SentDays), Failed, Cancelled, privacy.Cutoff(now, DroppedDays))
	if err != nil {
		return 0, fmt.Errorf("sharing: retention: %w", err)
	}
	return res.RowsAffected()
}

// RetentionRules returns the rule the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "sharing.posts", Apply: s.PurgePosts}}
}

// Processing returns the register's line: the accounts are the
// collectivité's and the posts carry what it published, no personal data
// beyond what its publications already hold; the line says so.
func (s *Store) Processing() []privacy.Activity {
	const k = "sharing.privacy.posts."
	return []privacy.Activity{{Key: "sharing.posts", Order: 260, Bases: []privacy.Basis{privacy.PublicTask},
		Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"), People: privacy.T(k + "people"),
		Data: privacy.T(k + "data"), Retention: privacy.T(k+"retention", SentDays, DroppedDays), Recipients: privacy.T(k + "recipients"),
		InUse: s.InUse}}
}

// InUse reports whether the collectivité has configured an account.
func (s *Store) InUse(ctx context.Context, tenantID string) (bool, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM sharing_accounts WHERE tenant_id = ?`, tenantID).Scan(&n); err != nil {
		return false, fmt.Errorf("sharing: in use: %w", err)
	}
	return n > 0, nil
}
