package participation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
)

// Kinds of notification.
const (
	KindReply      = "reponse"    // a new message in a thread the person follows
	KindMention    = "mention"    // "@Prénom Nom" in a message of a thread they wrote in
	KindModeration = "moderation" // a moderator's decision about what they wrote
	KindMessage    = "message"    // a private message
)

// NotificationKinds are the kinds, in the settings' order.
var NotificationKinds = []string{KindReply, KindMention, KindMessage, KindModeration}

// How a person hears of a kind of notification by email.
const (
	ModeImmediate = "immediat"     // one mail each, under ImmediateLimit
	ModeDaily     = "quotidien"    // the daily digest
	ModeWeekly    = "hebdomadaire" // the weekly digest, on Mondays
	ModeNever     = "aucun"        // the notification centre only
)

// NotifyModes are the modes, in the settings' order.
var NotifyModes = []string{ModeImmediate, ModeDaily, ModeWeekly, ModeNever}

// How a notification reaches the mailbox, decided when it is made.
const (
	DeliverNow    = "immediat"
	DeliverDigest = "recapitulatif"
	DeliverNone   = "aucun"
)

// The notification centre's addresses, which the mails link to.
const (
	CentrePath         = "/compte/notifications"
	NotifySettingsPath = CentrePath + "/reglages"
)

// ImmediateLimit is how many immediate mails a person gets in an hour at
// most: beyond, notifications wait for their next digest, whatever their
// setting, so that a lively thread floods nobody.
const ImmediateLimit = 4

// DigestHour is the local hour of the digests: every day, or on Mondays.
const DigestHour = 7

// DigestLines bounds the lines of one digest (a thread's notifications
// make one line); the rest is counted, and listed in the centre.
const DigestLines = 50

// DigestEvery is how often the digests' run looks for digests due: one
// indexed query when none is.
const DigestEvery = 10 * time.Minute

// digestBatch is how many people one query of the run reads.
const digestBatch = 500

// excerptLength bounds a message's text in an immediate mail.
const excerptLength = 280

// Notification is one line of a person's notification centre.
type Notification struct {
	ID, TenantID, UserID, Kind string
	// ThreadID, MessageID and SpaceID name what it is about, when a
	// thread's; CommunityID is the space's community (empty for a
	// topic's), whose setting applies.
	ThreadID, MessageID, SpaceID, CommunityID string
	// SpaceName is the space's, filled by lists.
	SpaceName string
	// Actor is who wrote; Title and Path what the centre shows and
	// links to.
	Actor, Title, Path string
	// Excerpt is the message's text for an immediate mail; not kept.
	Excerpt string
	// Delivery is DeliverNow, DeliverDigest or DeliverNone.
	Delivery         string
	CreatedAt        time.Time
	ReadAt, MailedAt *time.Time
}

// Unread reports whether the person has not read it yet.
func (n *Notification) Unread() bool { return n.ReadAt == nil }

// defaultMode is a kind's mode when the person chose nothing: replies
// wait for the daily digest, the rest is worth a mail at once.
func defaultMode(kind string) string {
	if kind == KindReply {
		return ModeDaily
	}
	return ModeImmediate
}

// NotifySettings are a person's choices: a mode per kind, for every
// space (scope "") or a community's.
type NotifySettings struct {
	modes map[[2]string]string
}

// Mode returns how the person hears of kind in scope (a community's id,
// or "" for every space): the community's choice, else the general one,
// else the default.
func (ns NotifySettings) Mode(kind, scope string) string {
	if m, ok := ns.modes[[2]string{kind, scope}]; ok && scope != "" {
		return m
	}
	if m, ok := ns.modes[[2]string{kind, ""}]; ok {
		return m
	}
	return defaultMode(kind)
}

// Chosen returns the mode chosen for kind in scope exactly, "" when none
// is (the general choice or the default holds).
func (ns NotifySettings) Chosen(kind, scope string) string { return ns.modes[[2]string{kind, scope}] }

// NotifySetting is one choice: kind's Mode in Scope.
type NotifySetting struct {
	Kind, Scope, Mode string
}

// NotificationSettings returns a person's notification choices.
func (s *Store) NotificationSettings(ctx context.Context, tenantID, userID string) (NotifySettings, error) {
	return s.settings(ctx, s.db, tenantID, userID)
}

func (s *Store) settings(ctx context.Context, q db.Querier, tenantID, userID string) (NotifySettings, error) {
	ns := NotifySettings{modes: map[[2]string]string{}}
	err := db.Each(ctx, q, `SELECT kind, scope, mode FROM participation_notify_settings WHERE tenant_id = ? AND user_id = ?`,
		func(row db.Row) error {
			var kind, scope, mode string
			if err := row.Scan(&kind, &scope, &mode); err != nil {
				return err
			}
			ns.modes[[2]string{kind, scope}] = mode
			return nil
		}, tenantID, userID)
	if err != nil {
		return ns, fmt.Errorf("participation: notification settings: %w", err)
	}
	return ns, nil
}

// SaveNotificationSettings replaces a person's choices with list; a choice whose Mode
// is empty leaves the scope to the general choice.
func (s *Store) SaveNotificationSettings(ctx context.Context, tenantID, userID string, list []NotifySetting) error {
	fields := map[string]string{}
	for _, st := range list {
		if st.Mode == "" && st.Scope != "" {
			continue
		}
		if !slices.Contains(NotifyModes, st.Mode) || !slices.Contains(NotificationKinds, st.Kind) {
			key := "mode_" + st.Kind
			if st.Scope != "" {
				key = "scope_" + st.Scope
			}
			fields[key] = "Choisissez l'une des fréquences proposées."
		}
	}
	if len(fields) > 0 {
		return guichet.Invalid(fields)
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM participation_notify_settings WHERE tenant_id = ? AND user_id = ?`,
			tenantID, userID); err != nil {
			return fmt.Errorf("participation: notification settings: %w", err)
		}
		for _, st := range list {
			if st.Mode == "" {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO participation_notify_settings (tenant_id, user_id, kind, scope, mode)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, user_id, kind, scope) DO UPDATE SET mode = excluded.mode`,
				tenantID, userID, st.Kind, st.Scope, st.Mode); err != nil {
				return fmt.Errorf("participation: notification settings: %w", err)
			}
		}
		return nil
	})
}

// notifyRecipient is who a notification goes to, as the outbox needs
// them.
type notifyRecipient struct {
	email, lang string
	verified    bool
}

// Notify adds n (its TenantID, UserID, Kind, Title and what it is about
// set) to the person's centre inside tx, and decides how it reaches
// their mailbox: a mail queued now when their mode is immediate and they
// got fewer than ImmediateLimit in the last hour, else their next
// digest, or nothing when they chose none. Nothing happens for an
// account the collectivité does not hold.
func (s *Store) Notify(ctx context.Context, tx *db.Tx, n *Notification) error {
	return s.notifyAll(ctx, tx, n.TenantID, []*Notification{n})
}

// notifyBatch bounds the accounts one query of notifyAll reads.
const notifyBatch = 400

// notifyAll is Notify for the notifications of one collectivité, each
// to a different person: the recipients, their settings and their
// immediate mails of the hour read in a few queries, however many
// follow a thread.
func (s *Store) notifyAll(ctx context.Context, tx *db.Tx, tenantID string, list []*Notification) error {
	for start := 0; start < len(list); start += notifyBatch {
		if err := s.notifyBatch(ctx, tx, tenantID, list[start:min(start+notifyBatch, len(list))]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) notifyBatch(ctx context.Context, tx *db.Tx, tenantID string, list []*Notification) error {
	args := []any{tenantID}
	for _, n := range list {
		if !slices.Contains(NotificationKinds, n.Kind) {
			return fmt.Errorf("participation: notify: unknown kind %q", n.Kind)
		}
		if n.TenantID != tenantID {
			return fmt.Errorf("participation: notify: a notification of another collectivité")
		}
		args = append(args, n.UserID)
	}
	in := inList(len(list))
	people := map[string]notifyRecipient{}
	err := db.Each(ctx, tx, `SELECT id, email, lang, email_verified_at IS NOT NULL FROM users
		WHERE tenant_id = ? AND id IN (`+in+`)`, func(row db.Row) error {
		var id string
		var r notifyRecipient
		if err := row.Scan(&id, &r.email, &r.lang, &r.verified); err != nil {
			return err
		}
		people[id] = r
		return nil
	}, args...)
	if err != nil {
		return fmt.Errorf("participation: notify: %w", err)
	}
	settings := map[string]NotifySettings{}
	err = db.Each(ctx, tx, `SELECT user_id, kind, scope, mode FROM participation_notify_settings
		WHERE tenant_id = ? AND user_id IN (`+in+`)`, func(row db.Row) error {
		var id, kind, scope, mode string
		if err := row.Scan(&id, &kind, &scope, &mode); err != nil {
			return err
		}
		ns, ok := settings[id]
		if !ok {
			ns = NotifySettings{modes: map[[2]string]string{}}
			settings[id] = ns
		}
		ns.modes[[2]string{kind, scope}] = mode
		return nil
	}, args...)
	if err != nil {
		return fmt.Errorf("participation: notify: %w", err)
	}
	now := s.now()
	sent := map[string]int{}
	err = db.Each(ctx, tx, `SELECT user_id, COUNT(*) FROM participation_notifications
		WHERE tenant_id = ? AND user_id IN (`+in+`) AND delivery = ? AND mailed_at > ? GROUP BY user_id`, func(row db.Row) error {
		var id string
		var n int
		if err := row.Scan(&id, &n); err != nil {
			return err
		}
		sent[id] = n
		return nil
	}, append(args, DeliverNow, now.Add(-time.Hour))...)
	if err != nil {
		return fmt.Errorf("participation: notify: %w", err)
	}
	url, loc, err := s.siteOf(ctx, tenantID)
	if err != nil {
		return err
	}
	for _, n := range list {
		r, ok := people[n.UserID]
		if !ok {
			continue
		}
		n.ID, n.CreatedAt, n.ReadAt, n.MailedAt = uuid.NewString(), now, nil, nil
		n.Title = clipText(n.Title, MaxTitle)
		mode := settings[n.UserID].Mode(n.Kind, n.CommunityID)
		var digestAt *time.Time
		switch {
		case mode == ModeNever || !r.verified:
			n.Delivery = DeliverNone
		case mode == ModeImmediate && sent[n.UserID] < ImmediateLimit:
			n.Delivery, n.MailedAt = DeliverNow, &now
			sent[n.UserID]++
		case mode == ModeImmediate: // over the limit: the person's next digest, whichever it is
			var next *time.Time
			err := tx.QueryRow(ctx, `SELECT digest_at FROM participation_notifications
				WHERE tenant_id = ? AND user_id = ? AND digest_at IS NOT NULL ORDER BY digest_at LIMIT 1`,
				tenantID, n.UserID).Scan(&next)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("participation: notify: %w", err)
			}
			if next == nil {
				t := NextDigest(ModeDaily, now, loc)
				next = &t
			}
			n.Delivery, digestAt = DeliverDigest, next
		default:
			t := NextDigest(mode, now, loc)
			n.Delivery, digestAt = DeliverDigest, &t
		}
		if _, err := tx.Exec(ctx, `INSERT INTO participation_notifications (id, tenant_id, user_id, kind, thread_id,
			message_id, space_id, community_id, actor, title, path, delivery, digest_at, created_at, mailed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.ID, n.TenantID, n.UserID, n.Kind, n.ThreadID, n.MessageID, n.SpaceID, n.CommunityID, n.Actor, n.Title, n.Path,
			n.Delivery, digestAt, now, n.MailedAt); err != nil {
			return fmt.Errorf("participation: notify: %w", err)
		}
		if n.Delivery != DeliverNow || s.Mail == nil {
			continue
		}
		if err := s.Mail.EnqueueTx(ctx, tx, mail.Message{TenantID: n.TenantID, To: r.email, Lang: mail.NormalizeLang(r.lang),
			Template: "participation/notification", Data: map[string]any{"Kind": n.Kind, "Actor": n.Actor, "Title": n.Title,
				"Excerpt": clipText(n.Excerpt, excerptLength), "URL": url + n.Path, "CentreURL": url + CentrePath,
				"SettingsURL": url + NotifySettingsPath}}); err != nil {
			return err
		}
	}
	return nil
}

// siteOf returns a collectivité's address and zone: none and UTC without
// Links.
func (s *Store) siteOf(ctx context.Context, tenantID string) (string, *time.Location, error) {
	if s.Links == nil {
		return "", time.UTC, nil
	}
	url, loc, err := s.Links(ctx, tenantID)
	if err != nil {
		return "", nil, fmt.Errorf("participation: the collectivité's site: %w", err)
	}
	if loc == nil {
		loc = time.UTC
	}
	return url, loc, nil
}

// NextDigest returns when a digest of mode (ModeDaily or ModeWeekly) is
// due next after now: the next DigestHour o'clock in loc, a Monday's for
// a weekly one.
func NextDigest(mode string, now time.Time, loc *time.Location) time.Time {
	return clock.NextAt(now, loc, DigestHour, mode == ModeWeekly)
}

const notificationCols = `n.id, n.tenant_id, n.user_id, n.kind, n.thread_id, n.message_id, n.space_id, n.community_id,
COALESCE(sp.name, ''), n.actor, n.title, n.path, n.delivery, n.created_at, n.read_at, n.mailed_at`

const notificationFrom = ` FROM participation_notifications n
LEFT JOIN participation_spaces sp ON sp.id = n.space_id AND sp.tenant_id = n.tenant_id`

func scanNotification(row db.Row) (*Notification, error) {
	var n Notification
	var read, mailed *time.Time
	if err := row.Scan(&n.ID, &n.TenantID, &n.UserID, &n.Kind, &n.ThreadID, &n.MessageID, &n.SpaceID, &n.CommunityID,
		&n.SpaceName, &n.Actor, &n.Title, &n.Path, &n.Delivery, &n.CreatedAt, &read, &mailed); err != nil {
		return nil, notFound("notification", err)
	}
	n.CreatedAt = n.CreatedAt.UTC()
	if read != nil {
		t := read.UTC()
		n.ReadAt = &t
	}
	if mailed != nil {
		t := mailed.UTC()
		n.MailedAt = &t
	}
	return &n, nil
}

// Notifications lists a person's notifications, the unread first, the
// newest first within each, at most limit.
func (s *Store) Notifications(ctx context.Context, tenantID, userID string, limit int) ([]*Notification, error) {
	var list []*Notification
	err := db.Each(ctx, s.db, `SELECT `+notificationCols+notificationFrom+`
		WHERE n.tenant_id = ? AND n.user_id = ?
		ORDER BY CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END, n.created_at DESC, n.id LIMIT ?`, func(row db.Row) error {
		n, err := scanNotification(row)
		if err != nil {
			return err
		}
		list = append(list, n)
		return nil
	}, tenantID, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("participation: notifications: %w", err)
	}
	return list, nil
}

// Unread counts a person's unread notifications.
func (s *Store) Unread(ctx context.Context, tenantID, userID string) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM participation_notifications
		WHERE tenant_id = ? AND user_id = ? AND read_at IS NULL`, tenantID, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("participation: unread notifications: %w", err)
	}
	return n, nil
}

// MarkRead marks a person's notification id read, or all of them when id
// is empty; another person's is not found.
func (s *Store) MarkRead(ctx context.Context, tenantID, userID, id string) error {
	q := `UPDATE participation_notifications SET read_at = ? WHERE tenant_id = ? AND user_id = ? AND read_at IS NULL`
	args := []any{s.now(), tenantID, userID}
	if id != "" {
		var n int
		if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM participation_notifications WHERE tenant_id = ? AND user_id = ? AND id = ?`,
			tenantID, userID, id).Scan(&n); err != nil {
			return fmt.Errorf("participation: mark read: %w", err)
		}
		if n == 0 {
			return ErrNotFound
		}
		q += ` AND id = ?`
		args = append(args, id)
	}
	if _, err := s.db.Exec(ctx, q, args...); err != nil {
		return fmt.Errorf("participation: mark read: %w", err)
	}
	return nil
}

// DigestLine is one line of a digest: a thread's notifications together,
// or one notification of another kind.
type DigestLine struct {
	Kind, Title, Space, URL string
	// Replies and Mentions count a thread's notifications; Actors names
	// who wrote (three at most, then "…").
	Replies, Mentions int
	// SeveralReplies and SeveralMentions choose the plural.
	SeveralReplies, SeveralMentions bool
	Actors                          string
}

// SendDigests sends every person whose digest is due one mail listing
// their notifications waiting for it, grouped by thread, and marks them
// mailed in the same transaction: a run again sends nothing twice. links
// gives each collectivité's site and zone. It returns how many digests it
// queued.
func (s *Store) SendDigests(ctx context.Context, links kernel.Links) (int, error) {
	sites := map[string]string{}
	sent := 0
	for range 16 {
		now := s.now()
		type person struct{ tenantID, userID string }
		var due []person
		err := db.Each(ctx, s.db, `SELECT tenant_id, user_id FROM participation_notifications WHERE digest_at <= ?
			GROUP BY tenant_id, user_id ORDER BY MIN(digest_at), user_id LIMIT ?`, func(row db.Row) error {
			var p person
			if err := row.Scan(&p.tenantID, &p.userID); err != nil {
				return err
			}
			due = append(due, p)
			return nil
		}, now, digestBatch)
		if err != nil {
			return sent, fmt.Errorf("participation: digests due: %w", err)
		}
		for _, p := range due {
			url, ok := sites[p.tenantID]
			if !ok && links != nil {
				if url, _, err = links(ctx, p.tenantID); err != nil {
					return sent, fmt.Errorf("participation: digest's site: %w", err)
				}
				sites[p.tenantID] = url
			}
			ok, err := s.sendDigest(ctx, p.tenantID, p.userID, url, now)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
		if len(due) < digestBatch {
			break
		}
	}
	return sent, nil
}

// errServed rolls back a digest another run is sending.
var errServed = errors.New("participation: digest served by another run")

// sendDigest sends one person's digest; it reports whether it queued it.
func (s *Store) sendDigest(ctx context.Context, tenantID, userID, url string, now time.Time) (bool, error) {
	queued := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		queued = false
		var list []*Notification
		err := db.Each(ctx, tx, `SELECT `+notificationCols+notificationFrom+`
			WHERE n.tenant_id = ? AND n.user_id = ? AND n.digest_at <= ? ORDER BY n.created_at, n.id`, func(row db.Row) error {
			n, err := scanNotification(row)
			if err != nil {
				return err
			}
			list = append(list, n)
			return nil
		}, tenantID, userID, now)
		if err != nil || len(list) == 0 {
			return err
		}
		var r notifyRecipient
		if err := tx.QueryRow(ctx, `SELECT email, lang, email_verified_at IS NOT NULL FROM users WHERE tenant_id = ? AND id = ?`,
			tenantID, userID).Scan(&r.email, &r.lang, &r.verified); err != nil {
			return fmt.Errorf("participation: digest's notifyRecipient: %w", err)
		}
		mailed := any(now)
		if !r.verified { // nowhere to send it: the centre keeps them
			mailed = nil
		}
		ids := make([]any, 0, len(list)+3)
		ids = append(ids, mailed, tenantID, userID)
		for _, n := range list {
			ids = append(ids, n.ID)
		}
		done, err := db.Affected(ctx, tx, `UPDATE participation_notifications SET digest_at = NULL, mailed_at = ?
			WHERE tenant_id = ? AND user_id = ? AND digest_at IS NOT NULL AND id IN (`+inList(len(list))+`)`, ids...)
		if err != nil {
			return fmt.Errorf("participation: digest: %w", err)
		}
		if done != int64(len(list)) {
			return errServed
		}
		if !r.verified || s.Mail == nil {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO participation_digests (tenant_id, user_id, items, sent_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, tenantID, userID, len(list), now); err != nil {
			return fmt.Errorf("participation: digest: %w", err)
		}
		lines := digestLines(list, url)
		more := 0
		if len(lines) > DigestLines {
			lines, more = lines[:DigestLines], len(lines)-DigestLines
		}
		queued = true
		return s.Mail.EnqueueTx(ctx, tx, mail.Message{TenantID: tenantID, To: r.email, Lang: mail.NormalizeLang(r.lang),
			Template: "participation/digest", Data: map[string]any{"Lines": lines, "Count": len(list),
				"Several": len(list) > 1, "More": more, "CentreURL": url + CentrePath, "SettingsURL": url + NotifySettingsPath}})
	})
	if errors.Is(err, errServed) {
		return false, nil
	}
	return queued, err
}

// digestLines groups a thread's notifications into one line, in the
// order they came.
func digestLines(list []*Notification, url string) []*DigestLine {
	var lines []*DigestLine
	byThread := map[string]*DigestLine{}
	actors := map[*DigestLine][]string{}
	for _, n := range list {
		l := byThread[n.ThreadID]
		if l == nil || n.ThreadID == "" || n.Kind == KindModeration || n.Kind == KindMessage {
			l = &DigestLine{Kind: n.Kind, Title: n.Title, Space: n.SpaceName, URL: url + n.Path}
			lines = append(lines, l)
			if n.ThreadID != "" && (n.Kind == KindReply || n.Kind == KindMention) {
				byThread[n.ThreadID] = l
			}
		}
		switch n.Kind {
		case KindReply:
			l.Replies++
		case KindMention:
			l.Mentions++
			l.URL = url + n.Path // the mention's message, rather than the first reply's
		}
		if n.Actor != "" && !slices.Contains(actors[l], n.Actor) {
			actors[l] = append(actors[l], n.Actor)
		}
	}
	for _, l := range lines {
		names := actors[l]
		if len(names) > 3 {
			names = append(names[:3:3], "…")
		}
		l.Actors = strings.Join(names, ", ")
		l.SeveralReplies, l.SeveralMentions = l.Replies > 1, l.Mentions > 1
	}
	return lines
}

// inList returns n question marks, comma-separated.
func inList(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// clipText shortens s to about n characters, on a word, with an ellipsis.
func clipText(s string, n int) string {
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
