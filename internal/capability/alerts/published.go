package alerts

import (
	"context"
	"time"
)

// StartedBetween returns the alerts showing at to that began in
// [from, to], oldest first, at most limit: what the capabilities carrying
// publications elsewhere read.
func (s *Store) StartedBetween(ctx context.Context, tenantID string, from, to time.Time, limit int) ([]*Alert, error) {
	return s.alerts(ctx, `WHERE tenant_id = ? AND starts_at >= ? AND starts_at <= ? AND expires_at > ? AND withdrawn = ?
		ORDER BY starts_at, id LIMIT ?`, tenantID, from, to, to, false, limit)
}

// LatestStarted returns the alerts begun at now, the last first, at most
// limit, withdrawn or expired ones included (an editor may quote them).
func (s *Store) LatestStarted(ctx context.Context, tenantID string, now time.Time, limit int) ([]*Alert, error) {
	return s.alerts(ctx, `WHERE tenant_id = ? AND starts_at <= ? AND withdrawn = ? ORDER BY starts_at DESC, id DESC LIMIT ?`,
		tenantID, now, false, limit)
}
