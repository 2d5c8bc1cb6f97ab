package participation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
)

// Conversation is a private exchange between two people: a resident and
// another who accepts private messages, or a member of staff writing for
// the mairie (ByStaff) and a resident of the collectivité.
type Conversation struct {
	ID, TenantID string
	// AID started it; BID received its first message.
	AID, BID string
	ByStaff  bool
	Subject  string
	// CreatedAt is its first message's date, LastAt its last one's.
	CreatedAt, LastAt time.Time
	// Filled for the reader: the other participant and the messages
	// they wrote that the reader has not opened yet.
	WithID, WithName string
	// FromMairie: the other participant writes for the mairie.
	FromMairie bool
	Unread     int
}

// PrivateMessage is one message of a conversation.
type PrivateMessage struct {
	ID, TenantID, ConversationID, SenderID string
	ByStaff                                bool
	Body                                   string
	CreatedAt                              time.Time
	// ReadAt is when its recipient opened it (nil: not yet).
	ReadAt *time.Time
	// Mine: the reader wrote it (filled for the reader).
	Mine bool
}

// Errors of private messages.
var (
	ErrPrivateRefused = guichet.Errorf(guichet.EForbidden, "Cette personne n'accepte pas de messages privés.")
	ErrPrivateSelf    = guichet.Invalid(map[string]string{"body": "Vous ne pouvez pas vous écrire à vous-même."})
)

// AcceptsPrivate reports whether userID lets other residents write to
// them: off until they say so.
func (s *Store) AcceptsPrivate(ctx context.Context, tenantID, userID string) (bool, error) {
	var allow bool
	err := s.db.QueryRow(ctx, `SELECT allow FROM participation_pm_settings WHERE tenant_id = ? AND user_id = ?`,
		tenantID, userID).Scan(&allow)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("participation: private settings: %w", err)
	}
	return allow, nil
}

// SetAcceptsPrivate records whether userID accepts private messages from
// other residents.
func (s *Store) SetAcceptsPrivate(ctx context.Context, tenantID, userID string, allow bool) error {
	_, err := s.db.Exec(ctx, `INSERT INTO participation_pm_settings (tenant_id, user_id, allow, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, user_id) DO UPDATE SET allow = excluded.allow, updated_at = excluded.updated_at`,
		tenantID, userID, allow, s.now())
	if err != nil {
		return fmt.Errorf("participation: private settings: %w", err)
	}
	return nil
}

// BlockPrivate stops blockedID's private messages to userID, in the
// conversations they share too; UnblockPrivate lifts it.
func (s *Store) BlockPrivate(ctx context.Context, tenantID, userID, blockedID string) error {
	if userID == blockedID {
		return nil
	}
	_, err := s.db.Exec(ctx, `INSERT INTO participation_pm_blocks (tenant_id, user_id, blocked_id, created_at)
		SELECT ?, ?, id, ? FROM users WHERE tenant_id = ? AND id = ?
		ON CONFLICT (tenant_id, user_id, blocked_id) DO NOTHING`, tenantID, userID, s.now(), tenantID, blockedID)
	if err != nil {
		return fmt.Errorf("participation: block private: %w", err)
	}
	return nil
}

// UnblockPrivate lets blockedID write to userID again.
func (s *Store) UnblockPrivate(ctx context.Context, tenantID, userID, blockedID string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM participation_pm_blocks WHERE tenant_id = ? AND user_id = ? AND blocked_id = ?`,
		tenantID, userID, blockedID)
	if err != nil {
		return fmt.Errorf("participation: unblock private: %w", err)
	}
	return nil
}

// BlocksPrivate reports whether userID refuses blockedID's private
// messages.
func (s *Store) BlocksPrivate(ctx context.Context, tenantID, userID, blockedID string) (bool, error) {
	return blocksPrivate(ctx, s.db, tenantID, userID, blockedID)
}

func blocksPrivate(ctx context.Context, q db.Querier, tenantID, userID, blockedID string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM participation_pm_blocks WHERE tenant_id = ? AND user_id = ? AND blocked_id = ?`,
		tenantID, userID, blockedID).Scan(&n); err != nil {
		return false, fmt.Errorf("participation: private blocks: %w", err)
	}
	return n > 0, nil
}

// Recipient returns the name of the resident toID of the collectivité
// and whether from may start a conversation with them: staff may write
// to anyone; a resident to one who accepts private messages, has not
// blocked them, while no moderator's block stands against them.
func (s *Store) Recipient(ctx context.Context, tenantID string, from Author, toID string) (string, error) {
	return s.recipient(ctx, s.db, tenantID, from, toID)
}

func (s *Store) recipient(ctx context.Context, q db.Querier, tenantID string, from Author, toID string) (string, error) {
	var name string
	if err := q.QueryRow(ctx, `SELECT name FROM users WHERE tenant_id = ? AND id = ?`, tenantID, toID).Scan(&name); err != nil {
		return "", notFound("recipient", err)
	}
	if from.ID == toID {
		return name, ErrPrivateSelf
	}
	if from.Staff {
		return name, nil
	}
	var allow bool
	err := q.QueryRow(ctx, `SELECT allow FROM participation_pm_settings WHERE tenant_id = ? AND user_id = ?`,
		tenantID, toID).Scan(&allow)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return name, fmt.Errorf("participation: private settings: %w", err)
	}
	if !allow {
		return name, ErrPrivateRefused
	}
	if blocked, err := blocksPrivate(ctx, q, tenantID, toID, from.ID); err != nil || blocked {
		if err == nil {
			err = ErrPrivateRefused
		}
		return name, err
	}
	return name, s.writeBlocked(ctx, q, tenantID, from.ID)
}

// writeBlocked is ErrBlocked while a moderator's block on userID stands.
func (s *Store) writeBlocked(ctx context.Context, q db.Querier, tenantID, userID string) error {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM participation_blocks WHERE tenant_id = ? AND user_id = ? AND until > ?`,
		tenantID, userID, s.now()).Scan(&n); err != nil {
		return fmt.Errorf("participation: blocks: %w", err)
	}
	if n > 0 {
		return ErrBlocked
	}
	return nil
}

// StartConversation opens a conversation from from to toID with its
// subject and first message, under Recipient's rules; from.Staff makes
// it the mairie's.
func (s *Store) StartConversation(ctx context.Context, tenantID string, from Author, toID, subject, body string) (*Conversation, error) {
	subject = strings.TrimSpace(subject)
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(subject); {
	case n == 0:
		fields["subject"] = "Donnez un objet à votre message."
	case n > MaxTitle:
		fields["subject"] = fmt.Sprintf("L'objet tient en %d caractères au plus.", MaxTitle)
	}
	body, err := checkBody(body)
	if err != nil {
		for k, v := range guichet.FieldErrors(err) {
			fields[k] = v
		}
	}
	if len(fields) > 0 {
		return nil, guichet.Invalid(fields)
	}
	now := s.now()
	c := &Conversation{ID: uuid.NewString(), TenantID: tenantID, AID: from.ID, BID: toID, ByStaff: from.Staff, Subject: subject,
		CreatedAt: now, LastAt: now}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		name, err := s.recipient(ctx, tx, tenantID, from, toID)
		if err != nil {
			return err
		}
		c.WithID, c.WithName = toID, name
		if _, err := tx.Exec(ctx, `INSERT INTO participation_conversations (id, tenant_id, a_id, b_id, by_staff, subject,
			created_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, tenantID, from.ID, toID, from.Staff, subject, now, now); err != nil {
			return fmt.Errorf("participation: start conversation: %w", err)
		}
		_, err = s.addPrivate(ctx, tx, c, from, toID, body, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// AnswerPrivate adds from's message to conversation id, of which they
// must be a participant (ENotFound otherwise). In the mairie's
// conversations the staff side writes for the mairie and the resident
// answers always; between residents, one who blocked the other, or a
// moderator's block, stops them.
func (s *Store) AnswerPrivate(ctx context.Context, tenantID, id string, from Author, body string) (*PrivateMessage, error) {
	var m *PrivateMessage
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		// Who is not in it learns nothing, not even that the text is wrong.
		c, err := conversation(ctx, tx, tenantID, id, from.ID)
		if err != nil {
			return err
		}
		if body, err = checkBody(body); err != nil {
			return err
		}
		to := c.BID
		if from.ID == c.BID {
			to = c.AID
		}
		if !c.ByStaff {
			if blocked, err := blocksPrivate(ctx, tx, tenantID, to, from.ID); err != nil || blocked {
				if err == nil {
					err = ErrPrivateRefused
				}
				return err
			}
			if err := s.writeBlocked(ctx, tx, tenantID, from.ID); err != nil {
				return err
			}
		}
		now := s.now()
		if _, err := tx.Exec(ctx, `UPDATE participation_conversations SET last_at = ? WHERE tenant_id = ? AND id = ?`,
			now, tenantID, id); err != nil {
			return fmt.Errorf("participation: answer: %w", err)
		}
		sender := from
		sender.Staff = c.ByStaff && from.ID == c.AID
		m, err = s.addPrivate(ctx, tx, c, sender, to, body, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// addPrivate writes a message of c from from to to, and tells to.
func (s *Store) addPrivate(ctx context.Context, tx *db.Tx, c *Conversation, from Author, to, body string, at time.Time) (*PrivateMessage, error) {
	m := &PrivateMessage{ID: uuid.NewString(), TenantID: c.TenantID, ConversationID: c.ID, SenderID: from.ID, ByStaff: from.Staff,
		Body: body, CreatedAt: at, Mine: true}
	if _, err := tx.Exec(ctx, `INSERT INTO participation_private_messages (id, tenant_id, conversation_id, sender_id, by_staff,
		body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, m.ID, m.TenantID, m.ConversationID, m.SenderID, m.ByStaff, m.Body, at); err != nil {
		return nil, fmt.Errorf("participation: private message: %w", err)
	}
	return m, s.notifyPrivate(ctx, tx, c, m, to)
}

const conversationCols = `c.id, c.tenant_id, c.a_id, c.b_id, c.by_staff, c.subject, c.created_at, c.last_at`

// conversation reads conversation id as userID, one of its participants.
func conversation(ctx context.Context, q db.Querier, tenantID, id, userID string) (*Conversation, error) {
	var c Conversation
	err := q.QueryRow(ctx, `SELECT `+conversationCols+` FROM participation_conversations c
		WHERE c.tenant_id = ? AND c.id = ? AND (c.a_id = ? OR c.b_id = ?)`, tenantID, id, userID, userID).
		Scan(&c.ID, &c.TenantID, &c.AID, &c.BID, &c.ByStaff, &c.Subject, &c.CreatedAt, &c.LastAt)
	if err != nil {
		return nil, notFound("conversation", err)
	}
	c.WithID, c.FromMairie = c.BID, false
	if userID == c.BID {
		c.WithID, c.FromMairie = c.AID, c.ByStaff
	}
	if err := q.QueryRow(ctx, `SELECT name FROM users WHERE tenant_id = ? AND id = ?`, tenantID, c.WithID).Scan(&c.WithName); err != nil {
		return nil, notFound("conversation", err)
	}
	return &c, nil
}

// Conversations lists userID's conversations: those with messages they
// have not opened first, then the latest.
func (s *Store) Conversations(ctx context.Context, tenantID, userID string) ([]*Conversation, error) {
	var list []*Conversation
	// The count is read in a derived table: PostgreSQL sorts by an
	// output column's name only when it stands alone.
	err := db.Each(ctx, s.db, `SELECT * FROM (SELECT `+conversationCols+`, u.name,
		(SELECT COUNT(*) FROM participation_private_messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id
			AND m.sender_id <> ? AND m.read_at IS NULL) AS unread
		FROM participation_conversations c
		JOIN users u ON u.tenant_id = c.tenant_id AND u.id = CASE WHEN c.a_id = ? THEN c.b_id ELSE c.a_id END
		WHERE c.tenant_id = ? AND (c.a_id = ? OR c.b_id = ?)) x
		ORDER BY CASE WHEN x.unread > 0 THEN 0 ELSE 1 END, x.last_at DESC, x.id`, func(row db.Row) error {
		var c Conversation
		if err := row.Scan(&c.ID, &c.TenantID, &c.AID, &c.BID, &c.ByStaff, &c.Subject, &c.CreatedAt, &c.LastAt, &c.WithName,
			&c.Unread); err != nil {
			return err
		}
		c.WithID = c.BID
		if userID == c.BID {
			c.WithID, c.FromMairie = c.AID, c.ByStaff
		}
		list = append(list, &c)
		return nil
	}, userID, userID, tenantID, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("participation: conversations: %w", err)
	}
	return list, nil
}

// UnreadPrivate counts the messages written to userID they have not
// opened.
func (s *Store) UnreadPrivate(ctx context.Context, tenantID, userID string) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM participation_private_messages m
		JOIN participation_conversations c ON c.id = m.conversation_id AND c.tenant_id = m.tenant_id
		WHERE m.tenant_id = ? AND (c.a_id = ? OR c.b_id = ?) AND m.sender_id <> ? AND m.read_at IS NULL`,
		tenantID, userID, userID, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("participation: unread private: %w", err)
	}
	return n, nil
}

// ReadConversation returns conversation id and its messages, oldest
// first, to userID, one of its participants (ENotFound for anyone
// else), and marks the messages written to them read.
func (s *Store) ReadConversation(ctx context.Context, tenantID, id, userID string) (*Conversation, []*PrivateMessage, error) {
	var c *Conversation
	var list []*PrivateMessage
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if c, err = conversation(ctx, tx, tenantID, id, userID); err != nil {
			return err
		}
		err = db.Each(ctx, tx, `SELECT id, tenant_id, conversation_id, sender_id, by_staff, body, created_at, read_at
			FROM participation_private_messages WHERE tenant_id = ? AND conversation_id = ? ORDER BY created_at, id`,
			func(row db.Row) error {
				var m PrivateMessage
				var read *time.Time
				if err := row.Scan(&m.ID, &m.TenantID, &m.ConversationID, &m.SenderID, &m.ByStaff, &m.Body, &m.CreatedAt, &read); err != nil {
					return err
				}
				if read != nil {
					r := read.UTC()
					m.ReadAt = &r
				}
				m.Mine = m.SenderID == userID
				list = append(list, &m)
				return nil
			}, tenantID, id)
		if err != nil {
			return fmt.Errorf("participation: private messages: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE participation_private_messages SET read_at = ?
			WHERE tenant_id = ? AND conversation_id = ? AND sender_id <> ? AND read_at IS NULL`, s.now(), tenantID, id, userID)
		if err != nil {
			return fmt.Errorf("participation: mark read: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return c, list, nil
}

// ConversationsPath is where a person reads their conversations, which
// the notifications link to.
const ConversationsPath = "/compte/messages"

// notifyPrivate tells to that m arrived in c, inside tx, in their
// notification centre: from the mairie's name when staff wrote it.
func (s *Store) notifyPrivate(ctx context.Context, tx *db.Tx, c *Conversation, m *PrivateMessage, to string) error {
	var actor string
	if m.ByStaff {
		var name string
		if err := tx.QueryRow(ctx, `SELECT name FROM tenants WHERE id = ?`, c.TenantID).Scan(&name); err != nil {
			return fmt.Errorf("participation: notify private: %w", err)
		}
		actor = "Mairie de " + (&tenant.Tenant{Name: name}).PlaceName()
	} else if err := tx.QueryRow(ctx, `SELECT name FROM users WHERE tenant_id = ? AND id = ?`, c.TenantID, m.SenderID).
		Scan(&actor); err != nil {
		return fmt.Errorf("participation: notify private: %w", err)
	}
	return s.Notify(ctx, tx, &Notification{TenantID: c.TenantID, UserID: to, Kind: KindMessage, Actor: actor,
		Title: c.Subject, Path: ConversationsPath + "/" + c.ID, Excerpt: m.Body})
}

// InConversation returns ErrNotFound unless userID takes part in the
// conversation id: a check that changes nothing, made before any limit
// counts the request.
func (s *Store) InConversation(ctx context.Context, tenantID, id, userID string) error {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM participation_conversations WHERE tenant_id = ? AND id = ?
		AND (a_id = ? OR b_id = ?)`, tenantID, id, userID, userID).Scan(&n); err != nil {
		return fmt.Errorf("participation: conversation: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
