package reports

import (
	"context"
	"slices"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
)

// RequestFilter selects public reports as Open311's GET requests does:
// by ids (then nothing else counts), or by categories, statuses and a
// window of creation times.
type RequestFilter struct {
	IDs         []string
	CategoryIDs []string // any of them; every category when empty
	Statuses    []Status // any of them; every status when empty
	From, To    time.Time
	Limit       int // 1 to 1,000; 100 when out of range
}

// MaxRequestIDs is how many ids one lookup names at most.
const MaxRequestIDs = 100

// Requests returns the confirmed reports f selects, newest first, without
// their authors: each status one walk of its index over the window.
func (s *Store) Requests(ctx context.Context, tenantID string, f RequestFilter) ([]*Report, error) {
	if len(f.IDs) > 0 {
		return s.byIDs(ctx, tenantID, f.IDs)
	}
	p := page{statuses: f.Statuses, limit: f.Limit, where: "created_at >= ? AND created_at <= ?", args: []any{f.From.UTC(), f.To.UTC()}}
	if p.limit <= 0 || p.limit > 1000 {
		p.limit = 100
	}
	if len(p.statuses) == 0 {
		p.statuses = Statuses
	}
	if slices.ContainsFunc(p.statuses, func(st Status) bool { return !st.Valid() }) {
		return nil, guichet.Invalid(map[string]string{"status": "Choisissez un état de la liste."})
	}
	if len(f.CategoryIDs) > 0 {
		p.where += " AND category_id IN (?" + strings.Repeat(", ?", len(f.CategoryIDs)-1) + ")"
		for _, c := range f.CategoryIDs {
			p.args = append(p.args, c)
		}
	}
	out, err := s.walk(ctx, tenantID, p)
	for _, r := range out {
		r.private()
	}
	return out[:min(len(out), p.limit)], err
}

// byIDs returns the confirmed reports of the ids, newest first.
func (s *Store) byIDs(ctx context.Context, tenantID string, ids []string) ([]*Report, error) {
	if len(ids) > MaxRequestIDs {
		return nil, guichet.Invalid(map[string]string{"service_request_id": "Demandez 100 signalements au plus à la fois."})
	}
	args := []any{tenantID}
	for _, id := range ids {
		args = append(args, id)
	}
	out, err := s.publicReports(ctx, `SELECT `+reportCols+` FROM reports WHERE tenant_id = ? AND id IN (?`+
		strings.Repeat(", ?", len(ids)-1)+`) AND confirmed_at IS NOT NULL`, args...)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, page{}.compare)
	return out, nil
}

// publicReports runs a query of reportCols and empties the authors.
func (s *Store) publicReports(ctx context.Context, query string, args ...any) ([]*Report, error) {
	var out []*Report
	err := db.Each(ctx, s.db, query, func(r db.Row) error {
		rp, err := scanReport(r)
		if err == nil {
			out = append(out, rp.private())
		}
		return err
	}, args...)
	return out, wrap("requests", err)
}
