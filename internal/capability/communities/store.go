package communities

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
)

// Store keeps a collectivité's communities, memberships, animators,
// announcements and attached publications; every query filters by
// tenant_id, except the digest run's list of residents due and the
// retention.
type Store struct {
	db *db.DB
	// Now is the clock every rule reads.
	Now clock.Clock
	// Alerts lists the alerts, whose area puts them in a neighbourhood's
	// feed; nil when no capability publishes alerts.
	Alerts *kernel.PublicationSource
	// Mail queues the digests, in the transaction that records them.
	Mail mail.TxEnqueuer
	// TokenKey signs the digests' unsubscribe links.
	TokenKey []byte
}

// NewStore returns the store.
func NewStore(d *db.DB) *Store { return &Store{db: d, Now: clock.System} }

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return s.Now().UTC() }

const communityCols = `id, tenant_id, slug, kind, name, description, area, entry_id, created_at, updated_at`

func scanCommunity(row db.Row) (*Community, error) {
	var c Community
	err := row.Scan(&c.ID, &c.TenantID, &c.Slug, &c.Kind, &c.Name, &c.Description, &c.Area, &c.EntryID, &c.CreatedAt, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("communities: community: %w", err)
	}
	return &c, nil
}

// Create adds a community; its slug is derived from its name when empty.
func (s *Store) Create(ctx context.Context, c *Community) error {
	if err := c.normalize(); err != nil {
		return err
	}
	now := s.now()
	c.ID, c.CreatedAt, c.UpdatedAt = uuid.NewString(), now, now
	_, err := s.db.Exec(ctx, `INSERT INTO communities (`+communityCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.TenantID, c.Slug, c.Kind, c.Name, c.Description, c.Area, c.EntryID, now, now)
	if db.IsUniqueViolation(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("communities: create: %w", err)
	}
	return nil
}

// Update saves a community's fields.
func (s *Store) Update(ctx context.Context, c *Community) error {
	if err := c.normalize(); err != nil {
		return err
	}
	c.UpdatedAt = s.now()
	n, err := db.Affected(ctx, s.db, `UPDATE communities SET slug = ?, kind = ?, name = ?, description = ?, area = ?, entry_id = ?,
		updated_at = ? WHERE tenant_id = ? AND id = ?`,
		c.Slug, c.Kind, c.Name, c.Description, c.Area, c.EntryID, c.UpdatedAt, c.TenantID, c.ID)
	if db.IsUniqueViolation(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("communities: update: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Delete removes a community with its memberships, animators,
// announcements and attached publications.
func (s *Store) Delete(ctx context.Context, tenantID, id string) error {
	n, err := db.Affected(ctx, s.db, `DELETE FROM communities WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return fmt.Errorf("communities: delete: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Get returns one community.
func (s *Store) Get(ctx context.Context, tenantID, id string) (*Community, error) {
	return s.one(ctx, `WHERE tenant_id = ? AND id = ?`, tenantID, id)
}

// BySlug returns the community at /communautes/slug.
func (s *Store) BySlug(ctx context.Context, tenantID, slug string) (*Community, error) {
	return s.one(ctx, `WHERE tenant_id = ? AND slug = ?`, tenantID, slug)
}

func (s *Store) one(ctx context.Context, where string, args ...any) (*Community, error) {
	c, err := scanCommunity(s.db.QueryRow(ctx, `SELECT `+communityCols+` FROM communities `+where, args...))
	if err != nil {
		return nil, err
	}
	return c, s.db.QueryRow(ctx, `SELECT COUNT(*) FROM communities_members WHERE tenant_id = ? AND community_id = ?`,
		c.TenantID, c.ID).Scan(&c.Members)
}

// List returns the collectivité's communities by name, with their member
// counts.
func (s *Store) List(ctx context.Context, tenantID string) ([]*Community, error) {
	var out []*Community
	err := db.Each(ctx, s.db, `SELECT `+prefixed("c.", communityCols)+`, COUNT(m.user_id) FROM communities c
		LEFT JOIN communities_members m ON m.community_id = c.id
		WHERE c.tenant_id = ? GROUP BY `+prefixed("c.", communityCols)+` ORDER BY c.name, c.id`, func(row db.Row) error {
		var c Community
		if err := row.Scan(&c.ID, &c.TenantID, &c.Slug, &c.Kind, &c.Name, &c.Description, &c.Area, &c.EntryID,
			&c.CreatedAt, &c.UpdatedAt, &c.Members); err != nil {
			return err
		}
		out = append(out, &c)
		return nil
	}, tenantID)
	if err != nil {
		return nil, fmt.Errorf("communities: list: %w", err)
	}
	byName(out)
	return out, nil
}

// prefixed qualifies each column of cols with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

// Join makes a resident a member of a community, their news going into
// the digest, and starts the resident's digest settings (weekly) the first
// time; loc is the collectivité's zone. Joining again changes nothing. It
// reports whether the resident was not a member yet.
func (s *Store) Join(ctx context.Context, tenantID, communityID, userID string, loc *time.Location) (bool, error) {
	var joined bool
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM communities WHERE tenant_id = ? AND id = ?`, tenantID, communityID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		now := s.now()
		added, err := db.Affected(ctx, tx, `INSERT INTO communities_members (community_id, user_id, tenant_id, notify, joined_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, communityID, userID, tenantID, NotifyDigest, now)
		if err != nil {
			return err
		}
		joined = added > 0
		_, err = tx.Exec(ctx, `INSERT INTO communities_settings (tenant_id, user_id, frequency, since, next_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, tenantID, userID, Weekly, now, NextDigest(Weekly, now, loc))
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return false, fmt.Errorf("communities: join: %w", err)
	}
	return joined, err
}

// Leave ends a membership; leaving a community one is not in changes
// nothing.
func (s *Store) Leave(ctx context.Context, tenantID, communityID, userID string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM communities_members WHERE tenant_id = ? AND community_id = ? AND user_id = ?`,
		tenantID, communityID, userID); err != nil {
		return fmt.Errorf("communities: leave: %w", err)
	}
	return nil
}

// IsMember reports whether the resident belongs to the community.
func (s *Store) IsMember(ctx context.Context, tenantID, communityID, userID string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM communities_members WHERE tenant_id = ? AND community_id = ? AND user_id = ?`,
		tenantID, communityID, userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("communities: member: %w", err)
	}
	return n > 0, nil
}

// Memberships lists a resident's communities by name, with their member
// counts.
func (s *Store) Memberships(ctx context.Context, tenantID, userID string) ([]*Membership, error) {
	var out []*Membership
	err := db.Each(ctx, s.db, `SELECT `+prefixed("c.", communityCols)+`, m.notify, m.joined_at,
		(SELECT COUNT(*) FROM communities_members o WHERE o.community_id = c.id)
		FROM communities_members m JOIN communities c ON c.id = m.community_id AND c.tenant_id = m.tenant_id
		WHERE m.tenant_id = ? AND m.user_id = ? ORDER BY c.name, c.id`, func(row db.Row) error {
		var c Community
		ms := Membership{Community: &c}
		if err := row.Scan(&c.ID, &c.TenantID, &c.Slug, &c.Kind, &c.Name, &c.Description, &c.Area, &c.EntryID,
			&c.CreatedAt, &c.UpdatedAt, &ms.Notify, &ms.JoinedAt, &c.Members); err != nil {
			return err
		}
		out = append(out, &ms)
		return nil
	}, tenantID, userID)
	if err != nil {
		return nil, fmt.Errorf("communities: memberships: %w", err)
	}
	slices.SortStableFunc(out, func(a, b *Membership) int {
		return strings.Compare(sortKey(a.Community.Name), sortKey(b.Community.Name))
	})
	return out, nil
}

// Settings returns a resident's digest settings; ok is false before they
// first joined a community.
func (s *Store) Settings(ctx context.Context, tenantID, userID string) (st Settings, ok bool, err error) {
	err = s.db.QueryRow(ctx, `SELECT frequency, since, next_at FROM communities_settings WHERE tenant_id = ? AND user_id = ?`,
		tenantID, userID).Scan(&st.Frequency, &st.Since, &st.NextAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{Frequency: Weekly}, false, nil
	}
	if err != nil {
		return Settings{}, false, fmt.Errorf("communities: settings: %w", err)
	}
	return st, true, nil
}

// ErrFrequency refuses a frequency other than daily or weekly.
var ErrFrequency = guichet.Invalid(map[string]string{"frequency": "Choisissez un résumé quotidien ou hebdomadaire."})

// SetNotifications saves a resident's choices: for each of their
// communities (by id) whether its news go into the digest, and the
// digest's frequency; the next digest is then due at the frequency's next
// time. Communities the resident is not in are ignored.
func (s *Store) SetNotifications(ctx context.Context, tenantID, userID string, digest map[string]bool, frequency string, loc *time.Location) error {
	if frequency != Daily && frequency != Weekly {
		return ErrFrequency
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var ids []string
		if err := db.Each(ctx, tx, `SELECT community_id FROM communities_members WHERE tenant_id = ? AND user_id = ?`,
			func(row db.Row) error {
				var id string
				if err := row.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
				return nil
			}, tenantID, userID); err != nil {
			return err
		}
		for _, id := range ids {
			notify := NotifyNone
			if digest[id] {
				notify = NotifyDigest
			}
			if _, err := tx.Exec(ctx, `UPDATE communities_members SET notify = ? WHERE tenant_id = ? AND user_id = ? AND community_id = ?`,
				notify, tenantID, userID, id); err != nil {
				return err
			}
		}
		now := s.now()
		_, err := tx.Exec(ctx, `INSERT INTO communities_settings (tenant_id, user_id, frequency, since, next_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, user_id) DO UPDATE SET frequency = excluded.frequency,
				next_at = CASE WHEN communities_settings.frequency = excluded.frequency
					THEN communities_settings.next_at ELSE excluded.next_at END`,
			tenantID, userID, frequency, now, NextDigest(frequency, now, loc))
		return err
	})
	if err != nil {
		return fmt.Errorf("communities: notifications: %w", err)
	}
	return nil
}

// StopDigest takes every community of the resident out of their digest
// (the digest's one-click unsubscription).
func (s *Store) StopDigest(ctx context.Context, tenantID, userID string) error {
	if _, err := s.db.Exec(ctx, `UPDATE communities_members SET notify = ? WHERE tenant_id = ? AND user_id = ?`,
		NotifyNone, tenantID, userID); err != nil {
		return fmt.Errorf("communities: stop digest: %w", err)
	}
	return nil
}

// NameAnimator makes a resident (found by their address in the
// collectivité) an animator of the community.
func (s *Store) NameAnimator(ctx context.Context, tenantID, communityID, email string) (*Animator, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil, guichet.Invalid(map[string]string{"email": "Indiquez l'adresse du compte de l'animateur ou de l'animatrice."})
	}
	var a Animator
	// Only a proven address names its holder: anyone may register an
	// address they do not own and wait for staff to type it.
	err := s.db.QueryRow(ctx, `SELECT id, name, email FROM users WHERE tenant_id = ? AND LOWER(email) = ?
		AND email_verified_at IS NOT NULL`, tenantID, email).
		Scan(&a.UserID, &a.Name, &a.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoResident
	}
	if err != nil {
		return nil, fmt.Errorf("communities: animator: %w", err)
	}
	if _, err := s.Get(ctx, tenantID, communityID); err != nil {
		return nil, err
	}
	a.NamedAt = s.now()
	if _, err := s.db.Exec(ctx, `INSERT INTO communities_animators (community_id, user_id, tenant_id, named_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, communityID, a.UserID, tenantID, a.NamedAt); err != nil {
		return nil, fmt.Errorf("communities: name animator: %w", err)
	}
	return &a, nil
}

// RemoveAnimator ends a resident's animation of the community.
func (s *Store) RemoveAnimator(ctx context.Context, tenantID, communityID, userID string) error {
	n, err := db.Affected(ctx, s.db, `DELETE FROM communities_animators WHERE tenant_id = ? AND community_id = ? AND user_id = ?`,
		tenantID, communityID, userID)
	if err != nil {
		return fmt.Errorf("communities: remove animator: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Animators lists the residents named to animate the community, by name.
func (s *Store) Animators(ctx context.Context, tenantID, communityID string) ([]*Animator, error) {
	var out []*Animator
	err := db.Each(ctx, s.db, `SELECT u.id, u.name, u.email, a.named_at FROM communities_animators a
		JOIN users u ON u.id = a.user_id AND u.tenant_id = a.tenant_id
		WHERE a.tenant_id = ? AND a.community_id = ? ORDER BY u.name, u.id`, func(row db.Row) error {
		var a Animator
		if err := row.Scan(&a.UserID, &a.Name, &a.Email, &a.NamedAt); err != nil {
			return err
		}
		out = append(out, &a)
		return nil
	}, tenantID, communityID)
	if err != nil {
		return nil, fmt.Errorf("communities: animators: %w", err)
	}
	return out, nil
}

// IsAnimator reports whether staff named the resident an animator of the
// community.
func (s *Store) IsAnimator(ctx context.Context, tenantID, communityID, userID string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM communities_animators WHERE tenant_id = ? AND community_id = ? AND user_id = ?`,
		tenantID, communityID, userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("communities: animator: %w", err)
	}
	return n > 0, nil
}

// Animated lists the communities a resident animates: those staff named
// them to, and those tied to one of entries (the directory entries they
// manage).
func (s *Store) Animated(ctx context.Context, tenantID, userID string, entries []string) ([]*Community, error) {
	where, args := `c.tenant_id = ? AND c.id IN (SELECT community_id FROM communities_animators WHERE tenant_id = ? AND user_id = ?)`,
		[]any{tenantID, tenantID, userID}
	if len(entries) > 0 {
		where += ` OR (c.tenant_id = ? AND c.entry_id IN (` + placeholders(len(entries)) + `))`
		args = append(args, tenantID)
		for _, e := range entries {
			args = append(args, e)
		}
	}
	var out []*Community
	err := db.Each(ctx, s.db, `SELECT `+prefixed("c.", communityCols)+` FROM communities c WHERE `+where+` ORDER BY c.name, c.id`,
		func(row db.Row) error {
			c, err := scanCommunity(row)
			if err != nil {
				return err
			}
			out = append(out, c)
			return nil
		}, args...)
	if err != nil {
		return nil, fmt.Errorf("communities: animated: %w", err)
	}
	byName(out)
	return out, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// AddPost publishes an announcement in a community.
func (s *Store) AddPost(ctx context.Context, p *Post) error {
	if err := p.normalize(); err != nil {
		return err
	}
	p.ID, p.PublishedAt = uuid.NewString(), s.now()
	var author any
	if p.AuthorID != "" {
		author = p.AuthorID
	}
	_, err := s.db.Exec(ctx, `INSERT INTO communities_posts (id, tenant_id, community_id, title, body, author_id, by_staff, published_at)
		SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM communities WHERE tenant_id = ? AND id = ?)`,
		p.ID, p.TenantID, p.CommunityID, p.Title, p.Body, author, p.ByStaff, p.PublishedAt, p.TenantID, p.CommunityID)
	if err != nil {
		return fmt.Errorf("communities: post: %w", err)
	}
	return nil
}

// DeletePost withdraws an announcement of the community.
func (s *Store) DeletePost(ctx context.Context, tenantID, communityID, postID string) error {
	n, err := db.Affected(ctx, s.db, `DELETE FROM communities_posts WHERE tenant_id = ? AND community_id = ? AND id = ?`,
		tenantID, communityID, postID)
	if err != nil {
		return fmt.Errorf("communities: delete post: %w", err)
	}
	if n == 0 {
		return ErrPostNotFound
	}
	return nil
}

// Attach puts a news item or an event in a community's feed, as it reads
// now.
func (s *Store) Attach(ctx context.Context, tenantID, communityID string, it kernel.Publication) error {
	if it.Kind != "news" && it.Kind != "event" {
		return guichet.Invalid(map[string]string{"publication": "Choisissez une actualité ou un événement."})
	}
	var starts any
	if !it.Starts.IsZero() {
		starts = it.Starts.UTC()
	}
	n, err := db.Affected(ctx, s.db, `INSERT INTO communities_links (id, tenant_id, community_id, kind, item_id, title, summary, path,
		place, published_at, starts_at, attached_at)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM communities WHERE tenant_id = ? AND id = ?)`,
		uuid.NewString(), tenantID, communityID, it.Kind, it.ID, it.Title, it.Summary, it.Path, it.Place, it.Published.UTC(), starts,
		s.now(), tenantID, communityID)
	if db.IsUniqueViolation(err) {
		return ErrAlreadyLinked
	}
	if err != nil {
		return fmt.Errorf("communities: attach: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Detach takes an attached publication out of the community's feed.
func (s *Store) Detach(ctx context.Context, tenantID, communityID, linkID string) error {
	n, err := db.Affected(ctx, s.db, `DELETE FROM communities_links WHERE tenant_id = ? AND community_id = ? AND id = ?`,
		tenantID, communityID, linkID)
	if err != nil {
		return fmt.Errorf("communities: detach: %w", err)
	}
	if n == 0 {
		return ErrLinkNotFound
	}
	return nil
}

// Link is a publication attached to a community, for the animators' page.
type Link struct {
	ID, Kind, ItemID, Title, Path string
	AttachedAt                    time.Time
}

// Links lists the publications attached to a community, the latest
// first.
func (s *Store) Links(ctx context.Context, tenantID, communityID string, limit int) ([]*Link, error) {
	var out []*Link
	err := db.Each(ctx, s.db, `SELECT id, kind, item_id, title, path, attached_at FROM communities_links
		WHERE tenant_id = ? AND community_id = ? ORDER BY attached_at DESC, id LIMIT ?`, func(row db.Row) error {
		var l Link
		if err := row.Scan(&l.ID, &l.Kind, &l.ItemID, &l.Title, &l.Path, &l.AttachedAt); err != nil {
			return err
		}
		out = append(out, &l)
		return nil
	}, tenantID, communityID, limit)
	if err != nil {
		return nil, fmt.Errorf("communities: links: %w", err)
	}
	return out, nil
}
