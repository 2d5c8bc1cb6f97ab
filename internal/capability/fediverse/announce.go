package fediverse

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
)

// Window is how far back each run looks for publications: a scheduled
// item whose time came while the server was stopped is still announced.
const Window = 48 * time.Hour

// perRun bounds the items of one kind announced per collectivité and run.
const perRun = 200

// Announce announces, for every collectivité, what it published within
// Window and has not announced yet. Run every minute by the queue; tests
// call it directly.
func (s *Store) Announce(ctx context.Context) error {
	if s.Tenants == nil {
		return nil
	}
	ids, err := s.Tenants(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.AnnounceTenant(ctx, id); err != nil {
			return fmt.Errorf("fediverse: announce for %s: %w", id, err)
		}
	}
	return nil
}

// AnnounceTenant announces a collectivité's new publications and returns
// how many deliveries it queued. Each item is kept once (by
// collectivité, kind and id), so that a run again announces nothing
// twice; an item published before the actor existed is kept for the
// outbox but delivered to nobody, so that the first run does not flood
// the first followers with the past.
func (s *Store) AnnounceTenant(ctx context.Context, tenantID string) (int, error) {
	actor, err := s.Actor(ctx, tenantID)
	if err != nil {
		return 0, err
	}
	base, loc, err := s.Site(ctx, tenantID)
	if err != nil {
		return 0, err
	}
	now := s.now()
	queued := 0
	var inboxes []string
	loaded := false
	for _, src := range s.Sources() {
		if !slices.Contains(Kinds, src.Kind) || !actor.Publish[src.Kind] || src.Published == nil {
			continue
		}
		list, err := src.Published(ctx, tenantID, now.Add(-Window), now, perRun)
		if err != nil {
			return queued, err
		}
		for _, p := range list {
			if p.Kind == "" {
				p.Kind = src.Kind
			}
			known, err := s.announced(ctx, tenantID, p.Kind, p.ID)
			if err != nil || known {
				if err != nil {
					return queued, err
				}
				continue
			}
			if !loaded {
				if inboxes, err = s.inboxes(ctx, tenantID); err != nil {
					return queued, err
				}
				loaded = true
			}
			object := Object(base, p, loc)
			raw, err := json.Marshal(object)
			if err != nil {
				return queued, err
			}
			deliver := !p.Published.Before(actor.CreatedAt)
			err = s.db.InTx(ctx, func(tx *db.Tx) error {
				res, err := tx.Exec(ctx, `INSERT INTO fediverse_items (tenant_id, kind, item_id, title, url, object_json, published_at, delivered, announced_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, kind, item_id) DO NOTHING`,
					tenantID, p.Kind, p.ID, truncate(p.Title, 500), base+p.Path, string(raw), p.Published.UTC(), deliver, now)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 || !deliver {
					return nil // another run took it, or it is the past
				}
				n, err := s.queueDelivery(ctx, tx, tenantID, Create(base, object), inboxes)
				queued += n
				return err
			})
			if err != nil {
				return queued, err
			}
		}
	}
	return queued, nil
}

func (s *Store) announced(ctx context.Context, tenantID, kind, id string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM fediverse_items WHERE tenant_id = ? AND kind = ? AND item_id = ?`,
		tenantID, kind, id).Scan(&n)
	return n > 0, err
}

// inboxes lists where to deliver to every follower: each server's shared
// inbox once, or the follower's own inbox.
func (s *Store) inboxes(ctx context.Context, tenantID string) ([]string, error) {
	list, err := s.Followers(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range list {
		in := f.Inbox
		if f.SharedInbox != "" {
			in = f.SharedInbox
		}
		if !slices.Contains(out, in) {
			out = append(out, in)
		}
	}
	return out, nil
}

// Keep records a publication as announced without delivering it: the
// demo's past, and the tests' fixtures.
func (s *Store) Keep(ctx context.Context, tenantID string, p kernel.Publication) error {
	base, loc, err := s.Site(ctx, tenantID)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(Object(base, p, loc))
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `INSERT INTO fediverse_items (tenant_id, kind, item_id, title, url, object_json, published_at, delivered, announced_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, kind, item_id) DO NOTHING`,
		tenantID, p.Kind, p.ID, truncate(p.Title, 500), base+p.Path, string(raw), p.Published.UTC(), false, s.now())
	return err
}

// AddDemoFollower records a follower as if it had followed (the demo's,
// on made-up servers nothing is delivered to).
func (s *Store) AddDemoFollower(ctx context.Context, tenantID string, f Follower) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error { return s.AddFollower(ctx, tx, tenantID, f) })
}
