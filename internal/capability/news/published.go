package news

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/publishing"
)

// PublishedBetween returns the items public at to whose publication date
// is in [from, to], oldest first, at most limit, with their French body:
// what the capabilities carrying publications elsewhere read.
func (s *Store) PublishedBetween(ctx context.Context, tenantID string, from, to time.Time, limit int) ([]*News, error) {
	rows, err := s.DB().Query(ctx, `SELECT `+listColumns+`, body FROM content_news
		WHERE tenant_id = ? AND status = ? AND publish_at >= ? AND publish_at <= ?
		ORDER BY publish_at, id LIMIT ?`, tenantID, publishing.StatusPublished, from, to, limit)
	if err != nil {
		return nil, fmt.Errorf("news: published between: %w", err)
	}
	defer rows.Close()
	var out []*News
	for rows.Next() {
		n, err := scanFeed(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
