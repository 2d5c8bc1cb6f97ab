package sharing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
)

// Window is how far back the periodic run looks for publications: a
// scheduled item appears at its date, and a run missed for a day or two
// (a stopped server) still finds what was published meanwhile.
const Window = 48 * time.Hour

// Every is how often the periodic run looks.
const Every = time.Minute

// SiteURL gives a collectivité's site address, for the posts' links.
type SiteURL func(ctx context.Context, tenantID string) (string, error)

// Collect asks each source for the items published in the window and
// queues one post per account carrying their kind for each item not
// queued yet; items published before an account was added are left
// alone. Running it twice queues nothing more (the posts' key is the
// tenant, account, kind and item).
func (s *Store) Collect(ctx context.Context, sources []kernel.PublicationSource, site SiteURL) (int, error) {
	accounts, err := s.activeAccounts(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	queued := 0
	for tenantID, list := range accounts {
		base, err := site(ctx, tenantID)
		if err != nil {
			return queued, err
		}
		for _, src := range sources {
			n, err := s.collectKind(ctx, tenantID, base, src, list, now)
			queued += n
			if err != nil {
				return queued, err
			}
		}
	}
	return queued, nil
}

// activeAccounts lists every collectivité's accounts, by collectivité:
// the one query that is not about one collectivité, since the run is
// about all of them.
func (s *Store) activeAccounts(ctx context.Context) (map[string][]*Account, error) {
	rows, err := s.db.Query(ctx, `SELECT `+accountCols+` FROM sharing_accounts ORDER BY tenant_id, created_at`)
	if err != nil {
		return nil, fmt.Errorf("sharing: accounts to collect for: %w", err)
	}
	defer rows.Close()
	out := map[string][]*Account{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out[a.TenantID] = append(out[a.TenantID], a)
	}
	return out, rows.Err()
}

func (s *Store) collectKind(ctx context.Context, tenantID, base string, src kernel.PublicationSource,
	accounts []*Account, now time.Time) (int, error) {
	from := now.Add(-Window)
	var carrying []*Account
	for _, a := range accounts {
		if a.Carries(src.Kind) {
			carrying = append(carrying, a)
		}
	}
	if len(carrying) == 0 || src.Published == nil {
		return 0, nil
	}
	items, err := src.Published(ctx, tenantID, from, now, 200)
	if err != nil {
		return 0, fmt.Errorf("sharing: %s published: %w", src.Kind, err)
	}
	n := 0
	for _, it := range items {
		for _, a := range carrying {
			if it.Published.Before(a.CreatedAt) {
				continue // the past is not queued for a new account
			}
			ok, err := s.Queue(ctx, a, it, base)
			if err != nil {
				return n, err
			}
			if ok {
				n++
			}
		}
	}
	return n, nil
}

// Queue adds the post of item for account, unless it exists; a post of
// an account without approval leaves at once, through the job queue.
func (s *Store) Queue(ctx context.Context, a *Account, it kernel.Publication, base string) (bool, error) {
	link := strings.TrimSuffix(base, "/") + it.Path
	p := &Post{ID: uuid.NewString(), TenantID: a.TenantID, AccountID: a.ID, Kind: it.Kind, ItemID: it.ID,
		Title: it.Title, Link: link, Text: Compose(a.Network, it.Title, it.Summary, link), Status: Pending}
	if !a.Approval {
		p.Status = Queued
	}
	now := s.now()
	added := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `INSERT INTO sharing_posts (id, tenant_id, account_id, kind, item_id, title, link, body, status,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, account_id, kind, item_id) DO NOTHING`,
			p.ID, p.TenantID, p.AccountID, p.Kind, p.ItemID, p.Title, p.Link, p.Text, p.Status, now, now)
		if err != nil {
			return fmt.Errorf("sharing: queue: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		added = true
		if p.Status == Queued {
			return s.deliverTx(ctx, tx, p.TenantID, p.ID)
		}
		return nil
	})
	return added, err
}
