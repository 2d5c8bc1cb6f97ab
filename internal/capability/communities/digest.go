package communities

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"guichet"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
	"guichet/internal/publishing"
)

// Addresses the digest links to, on the collectivité's site.
const (
	// SettingsPath is the resident's page of their communities, where
	// they choose their notifications.
	SettingsPath = "/mon-espace/communautes"
	// UnsubscribePrefix starts the digest's one-click unsubscription.
	UnsubscribePrefix = SettingsPath + "/desabonnement/"
)

// Every is how often the digest run looks for residents whose digest is
// due.
const Every = 15 * time.Minute

// DigestBatch bounds the residents one run serves; the next run goes on
// with the others.
const DigestBatch = 500

// DigestItems bounds the items of one digest; the rest are on the
// resident's page.
const DigestItems = 30

// NextDigest returns when a digest of frequency is due next after now:
// the next DigestHour o'clock in loc, a Monday's for a weekly one.
func NextDigest(frequency string, now time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	l := now.In(loc)
	step, day := 1, l.Day()
	if frequency == Weekly {
		step, day = 7, day-(int(l.Weekday())+6)%7 // back to Monday
	}
	t := time.Date(l.Year(), l.Month(), day, DigestHour, 0, 0, 0, loc)
	for !t.After(now) {
		t = time.Date(t.Year(), t.Month(), t.Day()+step, DigestHour, 0, 0, 0, loc)
	}
	return t.UTC()
}

// Period names the day ("2026-12-08") or the ISO week ("2026-W50") in loc
// a digest of frequency sent at t belongs to: one digest per period.
func Period(frequency string, t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	if frequency == Weekly {
		y, w := l.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	}
	return l.Format("2006-01-02")
}

// UnsubscribeToken is the secret of a resident's unsubscription link: a
// MAC of their account, so that nothing is stored to look it up.
func (s *Store) UnsubscribeToken(tenantID, userID string) string {
	return userID + "." + s.mac(tenantID, userID)
}

// TokenUser returns the account an unsubscription token names, and false
// when the token is not one the store made for the collectivité.
func (s *Store) TokenUser(tenantID, token string) (string, bool) {
	userID, sum, ok := strings.Cut(token, ".")
	if !ok || userID == "" || len(s.TokenKey) == 0 {
		return "", false
	}
	return userID, hmac.Equal([]byte(sum), []byte(s.mac(tenantID, userID)))
}

func (s *Store) mac(tenantID, userID string) string {
	m := hmac.New(sha256.New, s.TokenKey)
	m.Write([]byte(tenantID + "\n" + userID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// due is a resident whose digest is due.
type due struct {
	tenantID, userID, frequency string
	since, nextAt               time.Time
	email, lang                 string
	verified                    bool
}

// SendDigests sends every resident whose digest is due (DigestBatch at
// most) one email gathering the new items of the communities they chose,
// since their last digest; nothing when nothing is new. Each resident's
// next time, the digest's record and the message are written in one
// transaction, so a run again in the same period sends nothing twice.
// links gives each collectivité's site and zone. It returns how many
// digests it queued.
func (s *Store) SendDigests(ctx context.Context, links kernel.Links) (int, error) {
	now := s.now()
	var list []due
	err := db.Each(ctx, s.db, `SELECT st.tenant_id, st.user_id, st.frequency, st.since, st.next_at, u.email, u.lang,
		u.email_verified_at IS NOT NULL FROM communities_settings st
		JOIN users u ON u.id = st.user_id AND u.tenant_id = st.tenant_id
		WHERE st.next_at <= ? ORDER BY st.next_at, st.user_id LIMIT ?`, func(row db.Row) error {
		var d due
		if err := row.Scan(&d.tenantID, &d.userID, &d.frequency, &d.since, &d.nextAt, &d.email, &d.lang, &d.verified); err != nil {
			return err
		}
		list = append(list, d)
		return nil
	}, now, DigestBatch)
	if err != nil {
		return 0, fmt.Errorf("communities: digests due: %w", err)
	}
	type site struct {
		url string
		loc *time.Location
	}
	sites := map[string]site{}
	sent := 0
	for _, d := range list {
		st, ok := sites[d.tenantID]
		if !ok {
			u, loc, err := links(ctx, d.tenantID)
			if err != nil {
				return sent, fmt.Errorf("communities: digest's site: %w", err)
			}
			st = site{u, loc}
			sites[d.tenantID] = st
		}
		queued, err := s.digest(ctx, d, st.url, st.loc, now)
		if err != nil {
			return sent, err
		}
		if queued {
			sent++
		}
	}
	return sent, nil
}

// digest serves one resident.
func (s *Store) digest(ctx context.Context, d due, site string, loc *time.Location, now time.Time) (bool, error) {
	var items []*Item
	if d.verified {
		cs, err := s.digestCommunities(ctx, d.tenantID, d.userID)
		if err != nil {
			return false, err
		}
		if items, err = s.Feed(ctx, d.tenantID, cs, Window{From: d.since, To: now}, DigestItems); err != nil {
			return false, err
		}
	}
	period := Period(d.frequency, now, loc)
	queued := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		n, err := db.Affected(ctx, tx, `UPDATE communities_settings SET since = ?, next_at = ?
			WHERE tenant_id = ? AND user_id = ? AND next_at = ?`,
			now, NextDigest(d.frequency, now, loc), d.tenantID, d.userID, d.nextAt)
		if err != nil || n == 0 || len(items) == 0 { // another run served the resident, or nothing is new
			return err
		}
		n, err = db.Affected(ctx, tx, `INSERT INTO communities_digests (tenant_id, user_id, period, items, sent_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, d.tenantID, d.userID, period, len(items), now)
		if err != nil {
			return err
		}
		if n == 0 { // the period's digest left already: these items wait for the next
			_, err := tx.Exec(ctx, `UPDATE communities_settings SET since = ? WHERE tenant_id = ? AND user_id = ?`,
				d.since, d.tenantID, d.userID)
			return err
		}
		queued = true
		return s.Mail.EnqueueTx(ctx, tx, s.digestMessage(d, items, site, loc))
	})
	if err != nil {
		return false, fmt.Errorf("communities: digest: %w", err)
	}
	return queued, nil
}

// digestCommunities are the resident's communities whose news go into
// their digest.
func (s *Store) digestCommunities(ctx context.Context, tenantID, userID string) ([]*Community, error) {
	var out []*Community
	err := db.Each(ctx, s.db, `SELECT `+prefixed("c.", communityCols)+` FROM communities_members m
		JOIN communities c ON c.id = m.community_id AND c.tenant_id = m.tenant_id
		WHERE m.tenant_id = ? AND m.user_id = ? AND m.notify = ? ORDER BY c.name, c.id`, func(row db.Row) error {
		c, err := scanCommunity(row)
		if err != nil {
			return err
		}
		out = append(out, c)
		return nil
	}, tenantID, userID, NotifyDigest)
	if err != nil {
		return nil, fmt.Errorf("communities: digest's communities: %w", err)
	}
	return out, nil
}

// DigestLine is one item of a digest email.
type DigestLine struct {
	Kind, Title, Summary, URL string
	// Date is when it came in, Starts an event's first day, in the
	// recipient's language.
	Date, Starts, Place string
	// Communities names the communities it came from.
	Communities string
}

// summaryLength bounds an announcement's text in a digest.
const summaryLength = 240

func (s *Store) digestMessage(d due, items []*Item, site string, loc *time.Location) mail.Message {
	lang := mail.NormalizeLang(d.lang)
	lines := make([]DigestLine, len(items))
	var names []string
	for i, it := range items {
		l := DigestLine{Kind: it.Kind, Title: it.Title, Summary: it.Summary, URL: site + it.Path,
			Date: guichet.Date(it.At.In(loc), lang), Place: it.Place}
		if it.Kind == ItemAnnouncement {
			l.Summary = cut(publishing.PlainText(it.Body), summaryLength)
		}
		if it.Kind == ItemEvent && !it.Starts.IsZero() {
			l.Starts = guichet.LongDate(it.Starts.In(loc), lang)
		}
		cs := make([]string, len(it.Communities))
		for j, c := range it.Communities {
			cs[j] = c.Name
			if !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
		}
		l.Communities = strings.Join(cs, ", ")
		lines[i] = l
	}
	return mail.Message{TenantID: d.tenantID, To: d.email, Lang: lang, Template: "communities/digest",
		Data: map[string]any{"Items": lines, "Count": len(lines), "Several": len(lines) > 1, "Daily": d.frequency == Daily,
			"Communities": strings.Join(names, ", "), "SettingsURL": site + SettingsPath,
			"UnsubscribeURL": site + UnsubscribePrefix + s.UnsubscribeToken(d.tenantID, d.userID)}}
}

// cut shortens s to about n characters, on a word, with an ellipsis.
func cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}
