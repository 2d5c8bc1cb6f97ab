package communities

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/privacy"
)

// DigestLogDays is how long the record of a digest sent is kept: long
// enough to answer "why did I receive this?".
const DigestLogDays = 90

// exported is what a data export shows of a resident's communities.
type exported struct {
	Memberships   []exportedMembership   `json:"memberships"`
	Digest        *exportedSettings      `json:"digest,omitempty"`
	DigestsSent   []exportedDigest       `json:"digests_sent"`
	Animates      []exportedAnimation    `json:"animates"`
	Announcements []exportedAnnouncement `json:"announcements"`
}

type exportedMembership struct {
	Community string    `json:"community"`
	Kind      string    `json:"kind"`
	Notify    string    `json:"notifications"`
	JoinedAt  time.Time `json:"joined_at"`
}

type exportedSettings struct {
	Frequency string    `json:"frequency"`
	NextAt    time.Time `json:"next_at"`
}

type exportedDigest struct {
	Period string    `json:"period"`
	Items  int       `json:"items"`
	SentAt time.Time `json:"sent_at"`
}

type exportedAnimation struct {
	Community string    `json:"community"`
	NamedAt   time.Time `json:"named_at"`
}

type exportedAnnouncement struct {
	Community   string    `json:"community"`
	Title       string    `json:"title"`
	PublishedAt time.Time `json:"published_at"`
}

// Export returns a resident's memberships, digest settings and log, the
// communities they animate and the announcements they wrote.
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	out := exported{Memberships: []exportedMembership{}, DigestsSent: []exportedDigest{}, Animates: []exportedAnimation{},
		Announcements: []exportedAnnouncement{}}
	if p.UserID == "" {
		return out, nil
	}
	ms, err := s.Memberships(ctx, p.TenantID, p.UserID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		out.Memberships = append(out.Memberships, exportedMembership{Community: m.Community.Name, Kind: m.Community.Kind,
			Notify: m.Notify, JoinedAt: m.JoinedAt})
	}
	if st, ok, err := s.Settings(ctx, p.TenantID, p.UserID); err != nil {
		return nil, err
	} else if ok {
		out.Digest = &exportedSettings{Frequency: st.Frequency, NextAt: st.NextAt}
	}
	err = db.Each(ctx, s.db, `SELECT period, items, sent_at FROM communities_digests WHERE tenant_id = ? AND user_id = ?
		ORDER BY sent_at`, func(row db.Row) error {
		var d exportedDigest
		if err := row.Scan(&d.Period, &d.Items, &d.SentAt); err != nil {
			return err
		}
		out.DigestsSent = append(out.DigestsSent, d)
		return nil
	}, p.TenantID, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("communities: export digests: %w", err)
	}
	err = db.Each(ctx, s.db, `SELECT c.name, a.named_at FROM communities_animators a JOIN communities c ON c.id = a.community_id
		WHERE a.tenant_id = ? AND a.user_id = ? ORDER BY c.name`, func(row db.Row) error {
		var a exportedAnimation
		if err := row.Scan(&a.Community, &a.NamedAt); err != nil {
			return err
		}
		out.Animates = append(out.Animates, a)
		return nil
	}, p.TenantID, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("communities: export animators: %w", err)
	}
	err = db.Each(ctx, s.db, `SELECT c.name, p.title, p.published_at FROM communities_posts p JOIN communities c ON c.id = p.community_id
		WHERE p.tenant_id = ? AND p.author_id = ? ORDER BY p.published_at`, func(row db.Row) error {
		var a exportedAnnouncement
		if err := row.Scan(&a.Community, &a.Title, &a.PublishedAt); err != nil {
			return err
		}
		out.Announcements = append(out.Announcements, a)
		return nil
	}, p.TenantID, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("communities: export announcements: %w", err)
	}
	return out, nil
}

// Eraser says what erasing a person does to their communities: their
// memberships, choices, digest log and animations are deleted; the
// announcements they wrote stay in their community, no longer tied to
// them.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "communities", Effect: "communities.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	if p.UserID == "" {
		return nil
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, q := range []string{
			`DELETE FROM communities_members WHERE tenant_id = ? AND user_id = ?`,
			`DELETE FROM communities_animators WHERE tenant_id = ? AND user_id = ?`,
			`DELETE FROM communities_settings WHERE tenant_id = ? AND user_id = ?`,
			`DELETE FROM communities_digests WHERE tenant_id = ? AND user_id = ?`,
			`UPDATE communities_posts SET author_id = NULL WHERE tenant_id = ? AND author_id = ?`,
		} {
			if _, err := tx.Exec(ctx, q, p.TenantID, p.UserID); err != nil {
				return fmt.Errorf("communities: erase: %w", err)
			}
		}
		return nil
	})
}

// PurgeDigestLog deletes the records of digests sent more than
// DigestLogDays ago.
func (s *Store) PurgeDigestLog(ctx context.Context) (int64, error) {
	n, err := db.Affected(ctx, s.db, `DELETE FROM communities_digests WHERE sent_at < ?`, privacy.Cutoff(s.now(), DigestLogDays))
	if err != nil {
		return 0, fmt.Errorf("communities: retention: %w", err)
	}
	return n, nil
}

// RetentionRules returns the rule the periodic retention job applies;
// memberships, choices and animations end with the account (or when the
// resident leaves), which the eraser and the tables' keys see to.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "communities.digests", Apply: s.PurgeDigestLog}}
}

// Processing returns the register's line of the memberships; its texts
// are in the communities web module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	const k = "communities.privacy.members."
	return []privacy.Activity{{Key: "communities.members", Order: 240, Bases: []privacy.Basis{privacy.Consent},
		Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"), People: privacy.T(k + "people"),
		Data: privacy.T(k + "data"), Retention: privacy.T(k+"retention", DigestLogDays), Recipients: privacy.T(k + "recipients"),
		InUse: s.InUse}}
}

// InUse reports whether the collectivité has a community.
func (s *Store) InUse(ctx context.Context, tenantID string) (bool, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM communities WHERE tenant_id = ?`, tenantID).Scan(&n); err != nil {
		return false, fmt.Errorf("communities: in use: %w", err)
	}
	return n > 0, nil
}
