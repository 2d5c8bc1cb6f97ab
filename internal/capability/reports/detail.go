package reports

import (
	"context"

	"guichet/internal/kernel/db"
)

// Detail is a report with its category, public history and photos.
type Detail struct {
	*Report
	Category *Category
	Updates  []Update
	Photos   []Photo
}

// PublicReport returns a confirmed report as anyone sees it: never its
// author's contact.
func (s *Store) PublicReport(ctx context.Context, tenantID, id string) (*Detail, error) {
	d, err := s.detail(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	d.Report.private()
	return d, nil
}

// StaffReport returns a confirmed report as staff see it, with its
// author's contact.
func (s *Store) StaffReport(ctx context.Context, tenantID, id string) (*Detail, error) {
	return s.detail(ctx, tenantID, id)
}

func (s *Store) detail(ctx context.Context, tenantID, id string) (*Detail, error) {
	r, err := confirmedQ(ctx, s.db, tenantID, id)
	if err != nil {
		return nil, wrap("report", err)
	}
	d := &Detail{Report: r}
	if d.Category, err = categoryQ(ctx, s.db, tenantID, r.CategoryID); err != nil {
		return nil, wrap("report's category", err)
	}
	if d.Updates, err = updates(ctx, s.db, tenantID, id); err != nil {
		return nil, wrap("report's history", err)
	}
	d.Photos, err = photos(ctx, s.db, tenantID, id)
	return d, wrap("report's photos", err)
}

// MaxMapPoints is how many points one map answer carries at most.
const MaxMapPoints = 1000

// Point is a report on the map.
type Point struct {
	ID, Reference, CategoryID string
	Status                    Status
	Lat, Lon                  float64
}

// Box is the map's frame, in degrees.
type Box struct{ South, West, North, East float64 }

// MapPoints returns the reports the public list shows that lie in the
// box, newest first, of one category or all (""); more reports would fill
// it than MaxMapPoints when truncated is true.
func (s *Store) MapPoints(ctx context.Context, tenantID string, b Box, categoryID string) (pts []Point, truncated bool, err error) {
	q := `SELECT id, reference, category_id, status, lat, lon FROM reports WHERE tenant_id = ? AND lat BETWEEN ? AND ?
		AND lon BETWEEN ? AND ? AND confirmed_at IS NOT NULL
		AND (status IN (?, ?, ?) OR (status IN (?, ?) AND resolved_at >= ?))`
	args := []any{tenantID, b.South, b.North, b.West, b.East, New, Acknowledged, InProgress, Fixed, Closed,
		s.now().Add(-ListedFor)}
	if categoryID != "" {
		q, args = q+" AND category_id = ?", append(args, categoryID)
	}
	err = db.Each(ctx, s.db, q+" ORDER BY created_at DESC, id DESC LIMIT ?", func(r db.Row) error {
		var p Point
		err := r.Scan(&p.ID, &p.Reference, &p.CategoryID, &p.Status, &p.Lat, &p.Lon)
		pts = append(pts, p)
		return err
	}, append(args, MaxMapPoints+1)...)
	if len(pts) > MaxMapPoints {
		pts, truncated = pts[:MaxMapPoints], true
	}
	return pts, truncated, wrap("map points", err)
}
