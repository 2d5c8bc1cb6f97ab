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
	"guichet/internal/kernel/clock"
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
// due: one indexed query when none is.
const Every = 5 * time.Minute

// DigestBatch is how many residents due one query reads.
const DigestBatch = 500

// DigestItems bounds the items of one digest; the rest are on the
// resident's page.
const DigestItems = 30

// NextDigest returns when a digest of frequency is due next after now:
// the next DigestHour o'clock in loc, a Monday's for a weekly one.
func NextDigest(frequency string, now time.Time, loc *time.Location) time.Time {
	return clock.NextAt(now, loc, DigestHour, frequency == Weekly)
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

// SendDigests sends every resident whose digest is due one email
// gathering the new items of the communities they chose, since their last
// digest; nothing when nothing is new. Each resident's next time, the
// digest's record and the message are written in one transaction, so a
// run again in the same period sends nothing twice. It serves residents
// by batches of DigestBatch, MaxBatches at most (the next run goes on);
// links gives each collectivité's site and zone. It returns how many
// digests it queued.
func (s *Store) SendDigests(ctx context.Context, links kernel.Links) (int, error) {
	sites := map[string]site{}
	sent := 0
	for range MaxBatches {
		n, full, err := s.digestBatch(ctx, links, sites)
		sent += n
		if err != nil || !full {
			return sent, err
		}
	}
	return sent, nil
}

// MaxBatches bounds the batches of one run: 8,000 residents, 8 to 20 s
// through the outbox on a busy two-core machine (docs/PERFORMANCE.md,
// "Communities"), under the job queue's minute; a run every five minutes
// serves 96,000 residents an hour.
const MaxBatches = 16

// site is a collectivité's address and zone, read once per run.
type site struct {
	url string
	loc *time.Location
}

// digestBatch serves the residents due first, DigestBatch at most; full
// reports whether there may be more.
func (s *Store) digestBatch(ctx context.Context, links kernel.Links, sites map[string]site) (sent int, full bool, err error) {
	now := s.now()
	var list []due
	err = db.Each(ctx, s.db, `SELECT st.tenant_id, st.user_id, st.frequency, st.since, st.next_at, u.email, u.lang,
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
		return 0, false, fmt.Errorf("communities: digests due: %w", err)
	}
	for start := 0; start < len(list); start += DigestCommit {
		chunk := list[start:min(start+DigestCommit, len(list))]
		ready := make([]prepared, 0, len(chunk))
		for _, d := range chunk {
			st, ok := sites[d.tenantID]
			if !ok {
				u, loc, err := links(ctx, d.tenantID)
				if err != nil {
					return sent, false, fmt.Errorf("communities: digest's site: %w", err)
				}
				st = site{u, loc}
				sites[d.tenantID] = st
			}
			p, err := s.prepare(ctx, d, st, now)
			if err != nil {
				return sent, false, err
			}
			ready = append(ready, p)
		}
		queued := 0
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			queued = 0
			for _, p := range ready {
				ok, err := s.write(ctx, tx, p, now)
				if err != nil {
					return err
				}
				if ok {
					queued++
				}
			}
			return nil
		})
		if err != nil {
			return sent, false, fmt.Errorf("communities: digest: %w", err)
		}
		sent += queued
	}
	return sent, len(list) == DigestBatch, nil
}

// DigestCommit is how many residents one transaction serves: each
// resident's writes are all or nothing, and fewer commits let a run serve
// more residents in its minute.
const DigestCommit = 50

// prepared is a resident's digest, read and ready to write.
type prepared struct {
	d      due
	items  []*Item
	period string
	next   time.Time
	site   site
}

// prepare reads the new items of the resident's communities since their
// last digest.
func (s *Store) prepare(ctx context.Context, d due, st site, now time.Time) (prepared, error) {
	p := prepared{d: d, period: Period(d.frequency, now, st.loc), next: NextDigest(d.frequency, now, st.loc), site: st}
	if !d.verified {
		return p, nil
	}
	cs, err := s.digestCommunities(ctx, d.tenantID, d.userID)
	if err != nil {
		return p, err
	}
	p.items, err = s.Feed(ctx, d.tenantID, cs, Window{From: d.since, To: now}, DigestItems)
	return p, err
}

// write records the resident's next time and, when something is new, the
// period's digest and its message, in tx; it reports whether it queued
// the message.
func (s *Store) write(ctx context.Context, tx *db.Tx, p prepared, now time.Time) (bool, error) {
	d := p.d
	n, err := db.Affected(ctx, tx, `UPDATE communities_settings SET since = ?, next_at = ?
		WHERE tenant_id = ? AND user_id = ? AND next_at = ?`, now, p.next, d.tenantID, d.userID, d.nextAt)
	if err != nil || n == 0 || len(p.items) == 0 { // another run served the resident, or nothing is new
		return false, err
	}
	n, err = db.Affected(ctx, tx, `INSERT INTO communities_digests (tenant_id, user_id, period, items, sent_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, d.tenantID, d.userID, p.period, len(p.items), now)
	if err != nil {
		return false, err
	}
	if n == 0 { // the period's digest left already: these items wait for the next
		_, err := tx.Exec(ctx, `UPDATE communities_settings SET since = ? WHERE tenant_id = ? AND user_id = ?`,
			d.since, d.tenantID, d.userID)
		return false, err
	}
	return true, s.Mail.EnqueueTx(ctx, tx, s.digestMessage(d, p.items, p.site.url, p.site.loc))
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
