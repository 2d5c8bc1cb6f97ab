package events

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/publishing"
)

// PublishedBetween returns the events public at to whose publication
// date is in [from, to], oldest first, at most limit: what the
// capabilities carrying publications elsewhere read.
func (s *Store) PublishedBetween(ctx context.Context, tenantID string, from, to time.Time, limit int) ([]*Event, error) {
	return s.publishedWhere(ctx, `tenant_id = ? AND status = ? AND publish_at >= ? AND publish_at <= ? ORDER BY publish_at, id LIMIT ?`,
		tenantID, publishing.StatusPublished, from, to, limit)
}

// LatestPublished returns the events public at now, last published
// first, at most limit (what an editor picks from).
func (s *Store) LatestPublished(ctx context.Context, tenantID string, now time.Time, limit int) ([]*Event, error) {
	return s.publishedWhere(ctx, `tenant_id = ? AND status = ? AND publish_at <= ? ORDER BY publish_at DESC, id DESC LIMIT ?`,
		tenantID, publishing.StatusPublished, now, limit)
}

func (s *Store) publishedWhere(ctx context.Context, where string, args ...any) ([]*Event, error) {
	rows, err := s.DB().Query(ctx, `SELECT `+eventColumns+` FROM content_events WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("events: published: %w", err)
	}
	defer rows.Close()
	var out []*Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
