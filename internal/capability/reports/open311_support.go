package reports

import (
	"context"
	"strings"

	"guichet/internal/kernel/db"
)

// FirstPhotos returns the first photo (in the report's order) of each
// confirmed report of ids that has one, by report id: Open311's media_url
// of a whole page of requests (1,000 at most) in one query.
func (s *Store) FirstPhotos(ctx context.Context, tenantID string, ids []string) (map[string]Photo, error) {
	out := map[string]Photo{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{tenantID, tenantID}
	for _, id := range ids {
		args = append(args, id)
	}
	q := `SELECT ` + photoCols + ` FROM report_photos p WHERE p.tenant_id = ? AND p.report_id IN (SELECT id FROM reports
		WHERE tenant_id = ? AND id IN (?` + strings.Repeat(", ?", len(ids)-1) + `) AND confirmed_at IS NOT NULL)
		ORDER BY p.report_id, p.position`
	err := db.Each(ctx, s.db, q, func(r db.Row) error {
		p, err := scanPhoto(r)
		if err != nil {
			return err
		}
		if _, seen := out[p.ReportID]; !seen {
			out[p.ReportID] = *p
		}
		return nil
	}, args...)
	return out, wrap("first photos", err)
}
