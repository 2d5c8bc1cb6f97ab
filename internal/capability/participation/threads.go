package participation

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
)

// checkBody trims a message's text and checks its length.
func checkBody(body string) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		return "", guichet.Invalid(map[string]string{"body": "Écrivez votre message."})
	case n > MaxBody:
		return "", guichet.Invalid(map[string]string{"body": fmt.Sprintf("Votre message tient en %d caractères au plus.", MaxBody)})
	}
	return body, nil
}

const threadCols = `id, tenant_id, space_id, kind, title, author_id, by_staff, event_id, event_title, event_path, event_starts,
state, summary, closed_at, replies, created_at, last_activity_at`

func scanThread(row db.Row) (*Thread, error) {
	var t Thread
	var author *string
	var starts, closed *time.Time
	err := row.Scan(&t.ID, &t.TenantID, &t.SpaceID, &t.Kind, &t.Title, &author, &t.ByStaff, &t.EventID, &t.EventTitle,
		&t.EventPath, &starts, &t.State, &t.Summary, &closed, &t.Replies, &t.CreatedAt, &t.LastActivity)
	if err != nil {
		return nil, notFound("thread", err)
	}
	if author != nil {
		t.AuthorID = *author
	}
	if starts != nil {
		t.EventStarts = starts.UTC()
	}
	if closed != nil {
		c := closed.UTC()
		t.ClosedAt = &c
	}
	return &t, nil
}

// StartThread opens a thread t (its SpaceID, Kind, Title and optional
// event set) in sp with a's opening message body, both screened as one:
// the thread shows once its opening message does.
func (s *Store) StartThread(ctx context.Context, sp *Space, t *Thread, a Author, body string) (*Message, error) {
	t.Title = strings.TrimSpace(t.Title)
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(t.Title); {
	case n == 0:
		fields["title"] = "Donnez un titre."
	case n > MaxTitle:
		fields["title"] = fmt.Sprintf("Le titre tient en %d caractères au plus.", MaxTitle)
	}
	body, err := checkBody(body)
	if err != nil {
		for k, v := range guichet.FieldErrors(err) {
			fields[k] = v
		}
	}
	if t.Kind != Discussion && t.Kind != Debate {
		fields["kind"] = "Choisissez une discussion ou un débat."
	}
	if len(fields) > 0 {
		return nil, guichet.Invalid(fields)
	}
	now := s.now()
	t.ID, t.TenantID, t.SpaceID, t.AuthorID, t.ByStaff = uuid.NewString(), sp.TenantID, sp.ID, a.ID, a.Staff
	t.CreatedAt, t.LastActivity = now, now
	m := &Message{ID: uuid.NewString(), TenantID: sp.TenantID, ThreadID: t.ID, AuthorID: a.ID, AuthorName: a.Name,
		ByStaff: a.Staff, Opener: true, Body: body, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		hash := bodyHash(t.Title + "\n" + body)
		v, err := s.screen(ctx, tx, sp.TenantID, sp, a, t.Title+"\n"+body, hash)
		if err != nil {
			return err
		}
		t.State, m.State, m.SpamScore = v.State, v.State, v.Score
		var starts any
		if !t.EventStarts.IsZero() {
			starts = t.EventStarts.UTC()
		}
		if _, err := tx.Exec(ctx, `INSERT INTO participation_threads (`+threadCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', NULL, 0, ?, ?)`,
			t.ID, t.TenantID, t.SpaceID, t.Kind, t.Title, nullable(a.ID), a.Staff, t.EventID, t.EventTitle, t.EventPath, starts,
			t.State, now, now); err != nil {
			return fmt.Errorf("participation: start thread: %w", err)
		}
		if err := s.insertMessage(ctx, tx, m, hash); err != nil {
			return err
		}
		return s.follow(ctx, tx, t.TenantID, t.ID, a.ID)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Reply adds a's message to thread t (side set for a debate's argument),
// screened; a visible one counts in the thread and brings it up.
func (s *Store) Reply(ctx context.Context, sp *Space, t *Thread, a Author, side, body string) (*Message, error) {
	if t.Closed() {
		return nil, ErrClosed
	}
	body, err := checkBody(body)
	if err != nil {
		return nil, err
	}
	if t.Kind == Debate && side != For && side != Against {
		return nil, guichet.Invalid(map[string]string{"side": "Dites si votre argument est pour ou contre."})
	}
	if t.Kind != Debate {
		side = ""
	}
	now := s.now()
	m := &Message{ID: uuid.NewString(), TenantID: t.TenantID, ThreadID: t.ID, AuthorID: a.ID, AuthorName: a.Name,
		ByStaff: a.Staff, Side: side, Body: body, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		hash := bodyHash(body)
		v, err := s.screen(ctx, tx, t.TenantID, sp, a, body, hash)
		if err != nil {
			return err
		}
		m.State, m.SpamScore = v.State, v.Score
		var closed *time.Time
		if err := tx.QueryRow(ctx, `SELECT closed_at FROM participation_threads WHERE tenant_id = ? AND id = ?`,
			t.TenantID, t.ID).Scan(&closed); err != nil {
			return notFound("reply", err)
		}
		if closed != nil {
			return ErrClosed
		}
		if err := s.insertMessage(ctx, tx, m, hash); err != nil {
			return err
		}
		if err := s.follow(ctx, tx, t.TenantID, t.ID, a.ID); err != nil || m.State != Visible {
			return err
		}
		if err := s.countIn(ctx, tx, t.TenantID, t.ID, 1, now); err != nil {
			return err
		}
		return s.announce(ctx, tx, t, m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// countIn adds delta to a thread's visible replies, bringing it up to at
// when at is not zero.
func (s *Store) countIn(ctx context.Context, tx *db.Tx, tenantID, threadID string, delta int, at time.Time) error {
	q := `UPDATE participation_threads SET replies = replies + ? WHERE tenant_id = ? AND id = ?`
	args := []any{delta, tenantID, threadID}
	if !at.IsZero() {
		q = `UPDATE participation_threads SET replies = replies + ?, last_activity_at = ? WHERE tenant_id = ? AND id = ?`
		args = []any{delta, at, tenantID, threadID}
	}
	if _, err := tx.Exec(ctx, q, args...); err != nil {
		return fmt.Errorf("participation: count reply: %w", err)
	}
	return nil
}

func (s *Store) insertMessage(ctx context.Context, tx *db.Tx, m *Message, hash string) error {
	_, err := tx.Exec(ctx, `INSERT INTO participation_messages (id, tenant_id, thread_id, author_id, author_name, by_staff,
		opener, side, body, body_hash, state, spam_score, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.TenantID, m.ThreadID, nullable(m.AuthorID), m.AuthorName, m.ByStaff, m.Opener, m.Side, m.Body, hash,
		m.State, m.SpamScore, m.CreatedAt)
	if err != nil {
		return fmt.Errorf("participation: message: %w", err)
	}
	return nil
}

// follow makes userID follow a thread (nothing when they already do).
func (s *Store) follow(ctx context.Context, tx *db.Tx, tenantID, threadID, userID string) error {
	if userID == "" {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO participation_follows (thread_id, user_id, tenant_id, since) VALUES (?, ?, ?, ?)
		ON CONFLICT (thread_id, user_id) DO NOTHING`, threadID, userID, tenantID, s.now())
	if err != nil {
		return fmt.Errorf("participation: follow: %w", err)
	}
	return nil
}

// nullable is nil for an empty id, for the columns that reference users.
func nullable(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// Thread returns one thread by id.
func (s *Store) Thread(ctx context.Context, tenantID, id string) (*Thread, error) {
	return scanThread(s.db.QueryRow(ctx, `SELECT `+threadCols+` FROM participation_threads WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Threads lists a space's threads of kind ("" for both) that readers
// see, the latest active first, at most limit.
func (s *Store) Threads(ctx context.Context, tenantID, spaceID, kind string, limit int) ([]*Thread, error) {
	q := `SELECT ` + threadCols + ` FROM participation_threads WHERE tenant_id = ? AND state = ?`
	args := []any{tenantID, Visible}
	if spaceID != "" {
		q += ` AND space_id = ?`
		args = append(args, spaceID)
	}
	if kind != "" {
		q += ` AND kind = ?`
		args = append(args, kind)
	}
	q += ` ORDER BY last_activity_at DESC, id LIMIT ?`
	rows, err := s.db.Query(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("participation: threads: %w", err)
	}
	defer rows.Close()
	var list []*Thread
	for rows.Next() {
		t, err := scanThread(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, t)
	}
	return list, rows.Err()
}

const messageCols = `id, tenant_id, thread_id, author_id, author_name, by_staff, opener, side, body, state, reason, spam_score,
supports, moderated_at, created_at`

func scanMessage(row db.Row) (*Message, error) {
	var m Message
	var author *string
	var moderated *time.Time
	err := row.Scan(&m.ID, &m.TenantID, &m.ThreadID, &author, &m.AuthorName, &m.ByStaff, &m.Opener, &m.Side, &m.Body,
		&m.State, &m.Reason, &m.SpamScore, &m.Supports, &moderated, &m.CreatedAt)
	if err != nil {
		return nil, notFound("message", err)
	}
	if author != nil {
		m.AuthorID = *author
	}
	if moderated != nil {
		t := moderated.UTC()
		m.ModeratedAt = &t
	}
	return &m, nil
}

// Message returns one message by id.
func (s *Store) Message(ctx context.Context, tenantID, id string) (*Message, error) {
	return scanMessage(s.db.QueryRow(ctx, `SELECT `+messageCols+` FROM participation_messages WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Messages lists a thread's messages as viewerID reads them, oldest
// first: the visible ones, the hidden ones (whose page shows the reason
// instead of the text), and the viewer's own held ones.
func (s *Store) Messages(ctx context.Context, tenantID, threadID, viewerID string) ([]*Message, error) {
	rows, err := s.db.Query(ctx, `SELECT `+messageCols+` FROM participation_messages
		WHERE tenant_id = ? AND thread_id = ? AND (state <> ? OR author_id = ?) ORDER BY created_at, id`,
		tenantID, threadID, Pending, viewerID)
	if err != nil {
		return nil, fmt.Errorf("participation: messages: %w", err)
	}
	defer rows.Close()
	var list []*Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	return list, rows.Err()
}
