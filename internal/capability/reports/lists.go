package reports

import (
	"context"
	"slices"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// ListedFor is how long a fixed or closed report stays in the public list
// and on the map.
const ListedFor = 30 * 24 * time.Hour

// ListedStatuses are the statuses the public list shows (a duplicate
// only by its own page).
var ListedStatuses = []Status{New, Acknowledged, InProgress, Fixed, Closed}

// page is one page (of 20 reports unless limit says 1 to 100) of a list of confirmed reports, read as one walk of
// the (tenant, [category,] status, created_at, id) index per status.
type page struct {
	statuses []Status
	where    string // more conditions, "" for none
	args     []any
	// resolvedSince, when set, keeps only the fixed and closed reports
	// resolved since then.
	resolvedSince *time.Time
	after         publishing.Cursor
	limit         int
	oldestFirst   bool
}

// list returns a page and the cursor of the next one (zero at the end).
func (s *Store) list(ctx context.Context, tenantID string, p page) ([]*Report, publishing.Cursor, error) {
	if p.limit <= 0 || p.limit > 100 {
		p.limit = 20
	}
	out, err := s.walk(ctx, tenantID, p)
	if err != nil {
		return nil, publishing.Cursor{}, err
	}
	var next publishing.Cursor
	if len(out) > p.limit {
		out = out[:p.limit]
		next = publishing.Cursor{At: out[p.limit-1].CreatedAt, ID: out[p.limit-1].ID}
	}
	return out, next, nil
}

// walk returns up to p.limit+1 reports of each status, in p's order.
func (s *Store) walk(ctx context.Context, tenantID string, p page) ([]*Report, error) {
	query, args := p.sql(tenantID)
	var out []*Report
	err := db.Each(ctx, s.db, query, func(r db.Row) error {
		rp, err := scanReport(r)
		if err == nil {
			out = append(out, rp)
		}
		return err
	}, args...)
	if err != nil {
		return nil, wrap("list", err)
	}
	slices.SortFunc(out, p.compare)
	return out, nil
}

// sql is a UNION ALL of one ordered, limited query per status.
func (p page) sql(tenantID string) (string, []any) {
	dir, cmp := "DESC", "<"
	if p.oldestFirst {
		dir, cmp = "ASC", ">"
	}
	var parts []string
	var args []any
	for i, st := range p.statuses {
		q := `SELECT * FROM (SELECT ` + reportCols + ` FROM reports WHERE tenant_id = ? AND status = ? AND confirmed_at IS NOT NULL`
		args = append(args, tenantID, st)
		if p.where != "" {
			q += " AND " + p.where
			args = append(args, p.args...)
		}
		if p.resolvedSince != nil && (st == Fixed || st == Closed) {
			q += " AND resolved_at >= ?"
			args = append(args, *p.resolvedSince)
		}
		if p.after.ID != "" {
			q += " AND (created_at " + cmp + " ? OR (created_at = ? AND id " + cmp + " ?))"
			args = append(args, p.after.At, p.after.At, p.after.ID)
		}
		parts = append(parts, q+" ORDER BY created_at "+dir+", id "+dir+" LIMIT ?) AS s"+string(rune('a'+i)))
		args = append(args, p.limit+1)
	}
	return strings.Join(parts, " UNION ALL "), args
}

func (p page) compare(a, b *Report) int {
	c := a.CreatedAt.Compare(b.CreatedAt)
	if c == 0 {
		c = strings.Compare(a.ID, b.ID)
	}
	if p.oldestFirst {
		return c
	}
	return -c
}

// PublicFilter narrows the public list.
type PublicFilter struct {
	CategoryID string
	// Status is one of ListedStatuses, or "" for all of them.
	Status Status
	After  publishing.Cursor
	Limit  int
}

// PublicList returns confirmed reports newest first, without their
// authors: the open ones and those fixed or closed in the last
// ListedFor.
func (s *Store) PublicList(ctx context.Context, tenantID string, f PublicFilter) ([]*Report, publishing.Cursor, error) {
	p := page{statuses: ListedStatuses, after: f.After, limit: f.Limit}
	if f.Status != "" {
		if !slices.Contains(ListedStatuses, f.Status) {
			return nil, publishing.Cursor{}, guichet.Invalid(map[string]string{"status": "Choisissez un état de la liste."})
		}
		p.statuses = []Status{f.Status}
	}
	if f.CategoryID != "" {
		p.where, p.args = "category_id = ?", []any{f.CategoryID}
	}
	since := s.now().Add(-ListedFor)
	p.resolvedSince = &since
	out, next, err := s.list(ctx, tenantID, p)
	for _, r := range out {
		r.private()
	}
	return out, next, err
}

// Scope is the categories a staff member deals with: those routed to
// their services, or every one for an administrator (All).
type Scope struct {
	Services []string
	All      bool
}

// sql is the condition on a report's category, "" for all.
func (sc Scope) sql(tenantID string) (string, []any) {
	if sc.All {
		return "", nil
	}
	if len(sc.Services) == 0 {
		return "1 = 0", nil
	}
	args := []any{tenantID}
	for _, s := range sc.Services {
		args = append(args, s)
	}
	return `category_id IN (SELECT id FROM report_categories WHERE tenant_id = ? AND service IN (?` +
		strings.Repeat(", ?", len(sc.Services)-1) + `))`, args
}

// QueueFilter narrows the staff queue.
type QueueFilter struct {
	Scope
	// Status is one status, or "" for the open ones.
	Status     Status
	CategoryID string
	After      publishing.Cursor
	Limit      int
}

// Queue returns the confirmed reports of the staff member's scope, with
// their authors' contact, oldest first: those waiting longest on top.
func (s *Store) Queue(ctx context.Context, tenantID string, f QueueFilter) ([]*Report, publishing.Cursor, error) {
	p := page{statuses: OpenStatuses, after: f.After, limit: f.Limit, oldestFirst: true}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, publishing.Cursor{}, guichet.Invalid(map[string]string{"status": "Choisissez un état de la liste."})
		}
		p.statuses = []Status{f.Status}
	}
	var conds []string
	if where, args := f.Scope.sql(tenantID); where != "" {
		conds, p.args = append(conds, where), args
	}
	if f.CategoryID != "" {
		conds, p.args = append(conds, "category_id = ?"), append(p.args, f.CategoryID)
	}
	p.where = strings.Join(conds, " AND ")
	return s.list(ctx, tenantID, p)
}

// StatusCounts returns how many confirmed reports of the scope are in
// each status (statuses with none are absent).
func (s *Store) StatusCounts(ctx context.Context, tenantID string, sc Scope) (map[Status]int, error) {
	where, args := sc.sql(tenantID)
	if where != "" {
		where = " AND " + where
	}
	out := map[Status]int{}
	err := db.Each(ctx, s.db, `SELECT status, COUNT(*) FROM reports WHERE tenant_id = ? AND confirmed_at IS NOT NULL`+where+
		` GROUP BY status`, func(r db.Row) error {
		var st Status
		var n int
		err := r.Scan(&st, &n)
		out[st] = n
		return err
	}, append([]any{tenantID}, args...)...)
	return out, wrap("status counts", err)
}

// Mine returns the reports an account made, confirmed or not, newest
// first, at most limit.
func (s *Store) Mine(ctx context.Context, tenantID, accountID string, limit int) ([]*Report, error) {
	if accountID == "" {
		return nil, nil
	}
	var out []*Report
	err := db.Each(ctx, s.db, `SELECT `+reportCols+` FROM reports WHERE tenant_id = ? AND account_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, func(r db.Row) error {
		rp, err := scanReport(r)
		if err == nil {
			out = append(out, rp)
		}
		return err
	}, tenantID, accountID, min(max(limit, 1), 100))
	return out, wrap("mine", err)
}
