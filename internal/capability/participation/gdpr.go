package participation

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/privacy"
)

// Retention of the participation's personal data, in days. Public
// messages stay as long as their debate: they are the collectivité's
// record of it, and their author may delete them with their account.
const (
	// PrivateDays: a conversation goes this long after its last message.
	PrivateDays = 365
	// NotificationDays: a notification, and the record of a digest sent,
	// goes this long after it was made.
	NotificationDays = 90
	// ModerationDays: a report, or an appeal, goes this long after its
	// decision.
	ModerationDays = 365
	// BallotDays: who answered a poll (not what: the answers are kept
	// apart) goes this long after the poll closed; its count stays.
	BallotDays = 365
)

// ErasedName is the author's name a deleted account's public messages
// keep.
const ErasedName = "Compte supprimé"

// exported is what a person's data export holds of their participation.
type exported struct {
	Messages      []exportedMessage      `json:"messages"`
	Reactions     []exportedReaction     `json:"reactions"`
	Follows       []exportedFollow       `json:"follows"`
	Reports       []exportedReport       `json:"reports"`
	Appeals       []exportedAppeal       `json:"appeals"`
	Ballots       []exportedBallot       `json:"ballots"`
	Blocks        []exportedBlock        `json:"blocks"`
	Conversations []exportedConversation `json:"private_messages"`
	Refused       []exportedRefusal      `json:"private_messages_refused"`
	Notifications []exportedNotification `json:"notifications"`
	Digests       []exportedDigest       `json:"digests_sent"`
	Settings      exportedSettings       `json:"settings"`
}

type exportedMessage struct {
	Thread    string    `json:"thread"`
	Kind      string    `json:"kind"`
	Opening   bool      `json:"opening"`
	Side      string    `json:"side,omitempty"`
	Text      string    `json:"text"`
	State     string    `json:"state"`
	Reason    string    `json:"reason,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

type exportedReaction struct {
	Thread    string    `json:"thread"`
	Message   string    `json:"message"`
	Kind      string    `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
}

type exportedFollow struct {
	Thread string    `json:"thread"`
	Since  time.Time `json:"since"`
}

type exportedReport struct {
	Thread     string     `json:"thread"`
	Reason     string     `json:"reason"`
	Comment    string     `json:"comment,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

type exportedAppeal struct {
	Thread    string     `json:"thread"`
	Text      string     `json:"text"`
	CreatedAt time.Time  `json:"created_at"`
	Decision  string     `json:"decision,omitempty"`
	Answer    string     `json:"answer,omitempty"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
}

// exportedBallot says which poll the person answered and when: their
// answers are kept apart from who cast them, and nothing ties them back.
type exportedBallot struct {
	Poll   string    `json:"poll"`
	CastAt time.Time `json:"cast_at"`
}

type exportedBlock struct {
	Reason    string    `json:"reason"`
	Until     time.Time `json:"until"`
	CreatedAt time.Time `json:"created_at"`
}

type exportedConversation struct {
	With      string                   `json:"with"`
	FromStaff bool                     `json:"from_the_mairie"`
	Subject   string                   `json:"subject"`
	Messages  []exportedPrivateMessage `json:"messages"`
}

type exportedPrivateMessage struct {
	Mine      bool       `json:"mine"`
	Text      string     `json:"text"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

type exportedRefusal struct {
	Person    string    `json:"person"`
	CreatedAt time.Time `json:"created_at"`
}

type exportedNotification struct {
	Kind      string     `json:"kind"`
	Actor     string     `json:"actor,omitempty"`
	Title     string     `json:"title"`
	Path      string     `json:"path,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

type exportedDigest struct {
	Items  int       `json:"items"`
	SentAt time.Time `json:"sent_at"`
}

type exportedSettings struct {
	AcceptsPrivate bool                    `json:"accepts_private_messages"`
	Notifications  []exportedNotifySetting `json:"notifications"`
}

type exportedNotifySetting struct {
	Kind  string `json:"kind"`
	Scope string `json:"scope,omitempty"`
	Mode  string `json:"mode"`
}

// Export returns what a person wrote and did in the participation
// (RGPD right of access): their messages with their state and a
// moderator's reason, reactions and supports, follows, reports, appeals,
// which polls they answered and when, the blocks on them, their private
// conversations, notifications and settings.
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	out := exported{Messages: []exportedMessage{}, Reactions: []exportedReaction{}, Follows: []exportedFollow{},
		Reports: []exportedReport{}, Appeals: []exportedAppeal{}, Ballots: []exportedBallot{}, Blocks: []exportedBlock{},
		Conversations: []exportedConversation{}, Refused: []exportedRefusal{}, Notifications: []exportedNotification{},
		Digests: []exportedDigest{}, Settings: exportedSettings{Notifications: []exportedNotifySetting{}}}
	if p.UserID == "" {
		return out, nil
	}
	t, u := p.TenantID, p.UserID
	steps := []struct {
		what, query string
		each        func(db.Row) error
	}{
		{"messages", `SELECT t.title, t.kind, m.opener, m.side, m.body, m.state, m.reason, m.created_at FROM participation_messages m
			JOIN participation_threads t ON t.id = m.thread_id AND t.tenant_id = m.tenant_id
			WHERE m.tenant_id = ? AND m.author_id = ? ORDER BY m.created_at, m.id`, func(row db.Row) error {
			var e exportedMessage
			err := row.Scan(&e.Thread, &e.Kind, &e.Opening, &e.Side, &e.Text, &e.State, &e.Reason, &e.CreatedAt)
			out.Messages = append(out.Messages, e)
			return err
		}},
		{"reactions", `SELECT t.title, m.body, r.kind, r.created_at FROM participation_reactions r
			JOIN participation_messages m ON m.id = r.message_id AND m.tenant_id = r.tenant_id
			JOIN participation_threads t ON t.id = m.thread_id AND t.tenant_id = m.tenant_id
			WHERE r.tenant_id = ? AND r.user_id = ? ORDER BY r.created_at, r.message_id, r.kind`, func(row db.Row) error {
			var e exportedReaction
			err := row.Scan(&e.Thread, &e.Message, &e.Kind, &e.CreatedAt)
			e.Message = clipText(e.Message, excerptLength)
			out.Reactions = append(out.Reactions, e)
			return err
		}},
		{"follows", `SELECT t.title, f.since FROM participation_follows f
			JOIN participation_threads t ON t.id = f.thread_id AND t.tenant_id = f.tenant_id
			WHERE f.tenant_id = ? AND f.user_id = ? ORDER BY f.since, f.thread_id`, func(row db.Row) error {
			var e exportedFollow
			err := row.Scan(&e.Thread, &e.Since)
			out.Follows = append(out.Follows, e)
			return err
		}},
		{"reports", `SELECT t.title, r.reason, r.comment, r.created_at, r.resolved_at FROM participation_reports r
			JOIN participation_messages m ON m.id = r.message_id AND m.tenant_id = r.tenant_id
			JOIN participation_threads t ON t.id = m.thread_id AND t.tenant_id = m.tenant_id
			WHERE r.tenant_id = ? AND r.reporter_id = ? ORDER BY r.created_at, r.id`, func(row db.Row) error {
			var e exportedReport
			var resolved *time.Time
			err := row.Scan(&e.Thread, &e.Reason, &e.Comment, &e.CreatedAt, &resolved)
			e.ResolvedAt = utc(resolved)
			out.Reports = append(out.Reports, e)
			return err
		}},
		{"appeals", `SELECT t.title, a.text, a.created_at, a.decision, a.answer, a.decided_at FROM participation_appeals a
			JOIN participation_messages m ON m.id = a.message_id AND m.tenant_id = a.tenant_id
			JOIN participation_threads t ON t.id = m.thread_id AND t.tenant_id = m.tenant_id
			WHERE a.tenant_id = ? AND a.author_id = ? ORDER BY a.created_at, a.id`, func(row db.Row) error {
			var e exportedAppeal
			var decided *time.Time
			err := row.Scan(&e.Thread, &e.Text, &e.CreatedAt, &e.Decision, &e.Answer, &decided)
			e.DecidedAt = utc(decided)
			out.Appeals = append(out.Appeals, e)
			return err
		}},
		{"ballots", `SELECT p.title, b.cast_at FROM participation_ballots b
			JOIN participation_polls p ON p.id = b.poll_id AND p.tenant_id = b.tenant_id
			WHERE b.tenant_id = ? AND b.voter_id = ? ORDER BY b.cast_at, b.poll_id`, func(row db.Row) error {
			var e exportedBallot
			err := row.Scan(&e.Poll, &e.CastAt)
			out.Ballots = append(out.Ballots, e)
			return err
		}},
		{"blocks", `SELECT reason, until, created_at FROM participation_blocks WHERE tenant_id = ? AND user_id = ?
			ORDER BY created_at`, func(row db.Row) error {
			var e exportedBlock
			err := row.Scan(&e.Reason, &e.Until, &e.CreatedAt)
			out.Blocks = append(out.Blocks, e)
			return err
		}},
		{"private blocks", `SELECT u.name, b.created_at FROM participation_pm_blocks b
			JOIN users u ON u.id = b.blocked_id AND u.tenant_id = b.tenant_id
			WHERE b.tenant_id = ? AND b.user_id = ? ORDER BY b.created_at, u.name`, func(row db.Row) error {
			var e exportedRefusal
			err := row.Scan(&e.Person, &e.CreatedAt)
			out.Refused = append(out.Refused, e)
			return err
		}},
		{"notifications", `SELECT kind, actor, title, path, created_at, read_at FROM participation_notifications
			WHERE tenant_id = ? AND user_id = ? ORDER BY created_at, id`, func(row db.Row) error {
			var e exportedNotification
			var read *time.Time
			err := row.Scan(&e.Kind, &e.Actor, &e.Title, &e.Path, &e.CreatedAt, &read)
			e.ReadAt = utc(read)
			out.Notifications = append(out.Notifications, e)
			return err
		}},
		{"digests", `SELECT items, sent_at FROM participation_digests WHERE tenant_id = ? AND user_id = ? ORDER BY sent_at`,
			func(row db.Row) error {
				var e exportedDigest
				err := row.Scan(&e.Items, &e.SentAt)
				out.Digests = append(out.Digests, e)
				return err
			}},
		{"notification settings", `SELECT kind, scope, mode FROM participation_notify_settings WHERE tenant_id = ? AND user_id = ?
			ORDER BY kind, scope`, func(row db.Row) error {
			var e exportedNotifySetting
			err := row.Scan(&e.Kind, &e.Scope, &e.Mode)
			out.Settings.Notifications = append(out.Settings.Notifications, e)
			return err
		}},
	}
	for _, st := range steps {
		if err := db.Each(ctx, s.db, st.query, st.each, t, u); err != nil {
			return nil, fmt.Errorf("participation: export %s: %w", st.what, err)
		}
	}
	var err error
	if out.Settings.AcceptsPrivate, err = s.AcceptsPrivate(ctx, t, u); err != nil {
		return nil, err
	}
	convs, err := s.Conversations(ctx, t, u)
	if err != nil {
		return nil, err
	}
	for _, c := range convs {
		e := exportedConversation{With: c.WithName, FromStaff: c.FromMairie, Subject: c.Subject, Messages: []exportedPrivateMessage{}}
		err := db.Each(ctx, s.db, `SELECT sender_id, body, created_at, read_at FROM participation_private_messages
			WHERE tenant_id = ? AND conversation_id = ? ORDER BY created_at, id`, func(row db.Row) error {
			var m exportedPrivateMessage
			var sender string
			var read *time.Time
			err := row.Scan(&sender, &m.Text, &m.CreatedAt, &read)
			m.Mine, m.ReadAt = sender == u, utc(read)
			e.Messages = append(e.Messages, m)
			return err
		}, t, c.ID)
		if err != nil {
			return nil, fmt.Errorf("participation: export private messages: %w", err)
		}
		out.Conversations = append(out.Conversations, e)
	}
	return out, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Erase carries out a person's erasure in one transaction: their
// reactions go (the supports they gave no longer count), with their
// follows, settings, notifications, refusals, ballots' link to them (the
// answers, anonymous, stay in the results), the blocks on them, and
// their private conversations with the messages of both sides; their
// reports and appeals stay for the moderation's record without them;
// their public messages stay in the debates they belong to under
// ErasedName, no longer tied to them, as do the threads they opened.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	if p.UserID == "" {
		return nil
	}
	t, u := p.TenantID, p.UserID
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE participation_messages SET supports = supports - 1 WHERE tenant_id = ? AND supports > 0 AND id IN
				(SELECT message_id FROM participation_reactions WHERE tenant_id = ? AND user_id = ? AND kind = ?)`,
				[]any{t, t, u, KindSupport}},
			{`DELETE FROM participation_reactions WHERE tenant_id = ? AND user_id = ?`, []any{t, u}},
			{`DELETE FROM participation_follows WHERE tenant_id = ? AND user_id = ?`, []any{t, u}},
			{`UPDATE participation_reports SET reporter_id = NULL WHERE tenant_id = ? AND reporter_id = ?`, []any{t, u}},
			{`UPDATE participation_appeals SET author_id = NULL WHERE tenant_id = ? AND author_id = ?`, []any{t, u}},
			{`DELETE FROM participation_ballots WHERE tenant_id = ? AND voter_id = ?`, []any{t, u}},
			{`DELETE FROM participation_blocks WHERE tenant_id = ? AND user_id = ?`, []any{t, u}},
			// What a moderator among the staff did stays, without them.
			{`UPDATE participation_blocks SET blocked_by = '' WHERE tenant_id = ? AND blocked_by = ?`, []any{t, u}},
			{`UPDATE participation_messages SET moderated_by = '' WHERE tenant_id = ? AND moderated_by = ?`, []any{t, u}},
			{`DELETE FROM participation_pm_settings WHERE tenant_id = ? AND user_id = ?`, []any{t, u}},
			{`DELETE FROM participation_pm_blocks WHERE tenant_id = ? AND (user_id = ? OR blocked_id = ?)`, []any{t, u, u}},
			// The others' notifications of their conversations go with them,
			// and those of their public messages lose their name.
			{`DELETE FROM participation_notifications WHERE tenant_id = ? AND kind = ? AND path IN
				(SELECT ? || id FROM participation_conversations WHERE tenant_id = ? AND (a_id = ? OR b_id = ?))`,
				[]any{t, KindMessage, ConversationsPath + "/", t, u, u}},
			{`UPDATE participation_notifications SET actor = ? WHERE tenant_id = ? AND message_id IN
				(SELECT id FROM participation_messages WHERE tenant_id = ? AND author_id = ?)`, []any{ErasedName, t, t, u}},
			{`DELETE FROM participation_notifications WHERE tenant_id = ? AND user_id = ?`, []any{t, u}},
			{`DELETE FROM participation_notify_settings WHERE tenant_id = ? AND user_id = ?`, []any{t, u}},
			{`DELETE FROM participation_digests WHERE tenant_id = ? AND user_id = ?`, []any{t, u}},
			{`DELETE FROM participation_private_messages WHERE tenant_id = ? AND conversation_id IN
				(SELECT id FROM participation_conversations WHERE tenant_id = ? AND (a_id = ? OR b_id = ?))`, []any{t, t, u, u}},
			{`DELETE FROM participation_conversations WHERE tenant_id = ? AND (a_id = ? OR b_id = ?)`, []any{t, u, u}},
			{`UPDATE participation_messages SET author_id = NULL, author_name = ? WHERE tenant_id = ? AND author_id = ?`,
				[]any{ErasedName, t, u}},
			{`UPDATE participation_threads SET author_id = NULL WHERE tenant_id = ? AND author_id = ?`, []any{t, u}},
		} {
			if _, err := tx.Exec(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("participation: erase: %w", err)
	}
	return nil
}

// purge runs queries, each deleting in every collectivité the records
// older than the cutoff days before now (now itself for 0), in one
// transaction, and returns how many went.
func (s *Store) purge(ctx context.Context, queries []string, days int) (int64, error) {
	cutoff := s.now()
	if days > 0 {
		cutoff = privacy.Cutoff(cutoff, days)
	}
	var total int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, q := range queries {
			n, err := db.Affected(ctx, tx, q, cutoff)
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("participation: retention: %w", err)
	}
	return total, nil
}

// PurgeConversations deletes the conversations whose last message is
// older than PrivateDays, with their messages.
func (s *Store) PurgeConversations(ctx context.Context) (int64, error) {
	return s.purge(ctx, []string{`DELETE FROM participation_private_messages WHERE conversation_id IN
			(SELECT id FROM participation_conversations WHERE last_at < ?)`,
		`DELETE FROM participation_conversations WHERE last_at < ?`}, PrivateDays)
}

// PurgeNotifications deletes the notifications and the digests' record
// older than NotificationDays.
func (s *Store) PurgeNotifications(ctx context.Context) (int64, error) {
	return s.purge(ctx, []string{`DELETE FROM participation_notifications WHERE created_at < ?`,
		`DELETE FROM participation_digests WHERE sent_at < ?`}, NotificationDays)
}

// PurgeModeration deletes the reports and appeals decided more than
// ModerationDays ago.
func (s *Store) PurgeModeration(ctx context.Context) (int64, error) {
	return s.purge(ctx, []string{`DELETE FROM participation_reports WHERE resolved_at < ?`,
		`DELETE FROM participation_appeals WHERE decided_at < ?`}, ModerationDays)
}

// PurgeBallots deletes who answered the polls closed more than
// BallotDays ago; the polls keep their count and their anonymous answers.
func (s *Store) PurgeBallots(ctx context.Context) (int64, error) {
	return s.purge(ctx, []string{`DELETE FROM participation_ballots WHERE poll_id IN
			(SELECT id FROM participation_polls WHERE closes_at < ?)`}, BallotDays)
}

// PurgeBlocks deletes the blocks that have ended.
func (s *Store) PurgeBlocks(ctx context.Context) (int64, error) {
	return s.purge(ctx, []string{`DELETE FROM participation_blocks WHERE until <= ?`}, 0)
}

// RetentionRules returns the rules the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "participation.private", Apply: s.PurgeConversations},
		{Key: "participation.notifications", Apply: s.PurgeNotifications},
		{Key: "participation.moderation", Apply: s.PurgeModeration},
		{Key: "participation.blocks", Apply: s.PurgeBlocks},
		{Key: "participation.ballots", Apply: s.PurgeBallots}}
}

// Processing returns the register's lines; their texts are in the web
// module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	line := func(key string, order int, args ...any) privacy.Activity {
		k := "participation.privacy." + key + "."
		return privacy.Activity{Key: "participation." + key, Order: order, Bases: []privacy.Basis{privacy.PublicTask},
			Law: privacy.T("participation.privacy.law"), Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"),
			People: privacy.T(k + "people"), Data: privacy.T(k + "data"), Retention: privacy.T(k+"retention", args...),
			Recipients: privacy.T(k + "recipients"), InUse: s.InUse}
	}
	return []privacy.Activity{
		line("contributions", 250, BallotDays),
		line("moderation", 251, ModerationDays),
		line("private", 252, PrivateDays, NotificationDays),
	}
}

// InUse reports whether the collectivité has a discussion space or a
// poll.
func (s *Store) InUse(ctx context.Context, tenantID string) (bool, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM participation_spaces WHERE tenant_id = ?) +
		(SELECT COUNT(*) FROM participation_polls WHERE tenant_id = ?)`, tenantID, tenantID).Scan(&n); err != nil {
		return false, fmt.Errorf("participation: in use: %w", err)
	}
	return n > 0, nil
}
