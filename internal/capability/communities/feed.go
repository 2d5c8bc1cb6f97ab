package communities

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
)

// Kinds of feed item.
const (
	ItemAnnouncement = "announcement"
	ItemNews         = "news"
	ItemEvent        = "event"
	ItemAlert        = "alert"
)

// Item is one entry of a feed: an announcement, an attached news item or
// event, or an alert of a neighbourhood's area. An item several of the
// communities share is one item naming each of them.
type Item struct {
	Kind string
	// ID is the announcement's, or the publication's in its capability.
	ID             string
	Title, Summary string
	// Body is an announcement's Markdown.
	Body string
	// Path is the item's page on the collectivité's site.
	Path string
	// At is when the item came into the communities' feeds: an
	// announcement's publication, a publication's attachment, an alert's
	// start.
	At time.Time
	// Starts and Ends are an event's first date or an alert's period.
	Starts, Ends    time.Time
	Place, Severity string
	// ByStaff is true for an announcement the mairie wrote.
	ByStaff     bool
	Communities []*Community
}

// Window bounds a feed to the items that came in after From (the
// beginning when zero) until To.
type Window struct{ From, To time.Time }

func (w Window) holds(t time.Time) bool {
	return (w.From.IsZero() || t.After(w.From)) && !t.After(w.To)
}

// alertsRead bounds the alerts read for a feed, of every area.
const alertsRead = 200

// Feed merges the items of communities cs in window w, the latest first,
// at most limit: their announcements, the publications attached to them
// and, for neighbourhoods, the alerts of their areas. An item two of them
// share comes once, naming both (by name).
func (s *Store) Feed(ctx context.Context, tenantID string, cs []*Community, w Window, limit int) ([]*Item, error) {
	if len(cs) == 0 || limit <= 0 {
		return nil, nil
	}
	byID := make(map[string]*Community, len(cs))
	ids := make([]any, 0, len(cs))
	for _, c := range cs {
		if _, dup := byID[c.ID]; !dup {
			byID[c.ID] = c
			ids = append(ids, c.ID)
		}
	}
	items := map[string]*Item{}
	add := func(it *Item, c *Community) {
		key := it.Kind + ":" + it.ID
		if had, ok := items[key]; ok {
			if !slices.Contains(had.Communities, c) {
				had.Communities = append(had.Communities, c)
			}
			if it.At.After(had.At) {
				had.At = it.At
			}
			return
		}
		it.Communities = []*Community{c}
		items[key] = it
	}
	from := w.From
	in := placeholders(len(ids))
	args := append(append([]any{tenantID}, ids...), from, w.To, limit)
	err := db.Each(ctx, s.db, `SELECT id, community_id, title, body, by_staff, published_at FROM communities_posts
		WHERE tenant_id = ? AND community_id IN (`+in+`) AND published_at > ? AND published_at <= ?
		ORDER BY published_at DESC, id LIMIT ?`, func(row db.Row) error {
		it := &Item{Kind: ItemAnnouncement}
		var community string
		if err := row.Scan(&it.ID, &community, &it.Title, &it.Body, &it.ByStaff, &it.At); err != nil {
			return err
		}
		c := byID[community]
		it.Path = c.Path() + "#annonce-" + it.ID
		add(it, c)
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("communities: feed's announcements: %w", err)
	}
	err = db.Each(ctx, s.db, `SELECT community_id, kind, item_id, title, summary, path, place, starts_at, attached_at
		FROM communities_links WHERE tenant_id = ? AND community_id IN (`+in+`) AND attached_at > ? AND attached_at <= ?
		ORDER BY attached_at DESC, id LIMIT ?`, func(row db.Row) error {
		it := &Item{}
		var community string
		var starts sql.NullTime
		if err := row.Scan(&community, &it.Kind, &it.ID, &it.Title, &it.Summary, &it.Path, &it.Place, &starts, &it.At); err != nil {
			return err
		}
		it.Starts = starts.Time
		add(it, byID[community])
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("communities: feed's publications: %w", err)
	}
	if err := s.addAlerts(ctx, tenantID, cs, w, add); err != nil {
		return nil, err
	}
	out := make([]*Item, 0, len(items))
	for _, it := range items {
		byName(it.Communities)
		out = append(out, it)
	}
	slices.SortFunc(out, func(a, b *Item) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		if a.Kind != b.Kind {
			if a.Kind < b.Kind {
				return -1
			}
			return 1
		}
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// addAlerts adds the alerts of the neighbourhoods' areas in w.
func (s *Store) addAlerts(ctx context.Context, tenantID string, cs []*Community, w Window, add func(*Item, *Community)) error {
	if s.Alerts == nil {
		return nil
	}
	areas := map[string][]*Community{}
	for _, c := range cs {
		if c.TakesArea() && c.Area != "" {
			areas[c.Area] = append(areas[c.Area], c)
		}
	}
	if len(areas) == 0 {
		return nil
	}
	var err error
	var list []kernel.Publication
	switch {
	case w.From.IsZero() && s.Alerts.Recent != nil:
		list, err = s.Alerts.Recent(ctx, tenantID, w.To, alertsRead)
	case !w.From.IsZero() && s.Alerts.Published != nil:
		list, err = s.Alerts.Published(ctx, tenantID, w.From, w.To, alertsRead)
	}
	if err != nil {
		return fmt.Errorf("communities: feed's alerts: %w", err)
	}
	for _, a := range list {
		if !w.holds(a.Published) {
			continue
		}
		for _, c := range areas[a.Area] {
			add(&Item{Kind: ItemAlert, ID: a.ID, Title: a.Title, Summary: a.Summary, Path: a.Path, At: a.Published,
				Starts: a.Starts, Ends: a.Ends, Severity: a.Severity}, c)
		}
	}
	return nil
}
