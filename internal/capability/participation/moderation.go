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
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
)

// The reasons a reader gives when reporting a message, as stored.
const (
	ReasonInsult   = "injure"
	ReasonSpam     = "spam"
	ReasonOffTopic = "hors-sujet"
	ReasonPersonal = "donnees"
	ReasonOther    = "autre"
)

// ReportReasons lists the reasons in the order the form shows them.
var ReportReasons = []string{ReasonInsult, ReasonSpam, ReasonOffTopic, ReasonPersonal, ReasonOther}

// Decisions on an appeal.
const (
	Restored = "retabli"
	Upheld   = "maintenu"
)

// Limits of what readers and moderators write.
const (
	MaxReason  = 500
	MaxComment = 1000
	MaxAppeal  = 2000
	// QueueSize bounds each section of the queue: the oldest come first
	// and the rest wait their turn.
	QueueSize = 100
)

// Paths the mails link to, which the web layer serves.
const (
	CharterPath = BasePath + "/charte"
)

// AppealPath is the page where a hidden message's author reads the
// reason and appeals.
func AppealPath(messageID string) string { return BasePath + "/messages/" + messageID + "/appel" }

// Errors of the moderation.
var (
	ErrReported     = guichet.Errorf(guichet.EConflict, "Vous avez déjà signalé ce message : les modérateurs vont l'examiner.")
	ErrOwnMessage   = guichet.Errorf(guichet.EForbidden, "Vous ne pouvez pas signaler votre propre message.")
	ErrAppealed     = guichet.Errorf(guichet.EConflict, "Vous avez déjà fait appel de cette décision.")
	ErrNotModerable = guichet.Errorf(guichet.EConflict, "Ce message a déjà été traité par un autre modérateur.")
)

// MessageReport is a reader's report of a message.
type MessageReport struct {
	ID, MessageID, ReporterID string
	Reason, Comment           string
	CreatedAt                 time.Time
}

// QueueItem is a message waiting for a moderator, with its thread.
type QueueItem struct {
	Message *Message
	Thread  *Thread
	// Reports are the open reports of a visible message, oldest first.
	Reports []MessageReport
}

// Reasons counts the item's reports by reason, in ReportReasons' order.
func (q *QueueItem) Reasons() []ReasonCount {
	var out []ReasonCount
	for _, r := range ReportReasons {
		n := 0
		for _, rep := range q.Reports {
			if rep.Reason == r {
				n++
			}
		}
		if n > 0 {
			out = append(out, ReasonCount{Reason: r, Count: n})
		}
	}
	return out
}

// ReasonCount is how many reports gave a reason.
type ReasonCount struct {
	Reason string
	Count  int
}

// Appeal is an author's appeal against a hidden message.
type Appeal struct {
	ID, TenantID, MessageID, AuthorID string
	Text                              string
	// Decision is Restored, Upheld or empty while the appeal waits.
	Decision, Answer string
	CreatedAt        time.Time
	DecidedAt        *time.Time
	// Message and Thread are filled by the queue.
	Message *Message
	Thread  *Thread
}

// Open reports whether the appeal waits for a decision.
func (a *Appeal) Open() bool { return a.DecidedAt == nil }

// Queue is what waits for the moderators, each section oldest or most
// reported first, with its full count.
type Queue struct {
	Held, Reported                 []*QueueItem
	Appeals                        []*Appeal
	HeldCount, ReportedCount, Open int
}

// Block is a resident a moderator stopped from writing until a date.
type Block struct {
	UserID, Name, Email string
	Reason              string
	Until, CreatedAt    time.Time
	BlockedBy           string
}

// Report records reporterID's report of a visible message; one per
// reader and message, never of one's own.
func (s *Store) Report(ctx context.Context, tenantID, messageID, reporterID, reason, comment string) error {
	comment = strings.TrimSpace(comment)
	fields := map[string]string{}
	if !slices.Contains(ReportReasons, reason) {
		fields["reason"] = "Choisissez la raison de votre signalement."
	}
	if utf8.RuneCountInString(comment) > MaxComment {
		fields["comment"] = fmt.Sprintf("Votre commentaire tient en %d caractères au plus.", MaxComment)
	}
	m, err := s.Message(ctx, tenantID, messageID)
	if err != nil {
		return err
	}
	if m.State != Visible {
		return ErrNotFound
	}
	if m.AuthorID == reporterID {
		return ErrOwnMessage
	}
	if len(fields) > 0 {
		return guichet.Invalid(fields)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO participation_reports (id, tenant_id, message_id, reporter_id, reason, comment, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), tenantID, messageID, nullable(reporterID), reason, comment, s.now())
	if db.IsUniqueViolation(err) {
		return ErrReported
	}
	if err != nil {
		return fmt.Errorf("participation: report: %w", err)
	}
	return nil
}

// HasReported reports whether userID already reported the message.
func (s *Store) HasReported(ctx context.Context, tenantID, messageID, userID string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM participation_reports WHERE tenant_id = ? AND message_id = ? AND reporter_id = ?`,
		tenantID, messageID, userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("participation: has reported: %w", err)
	}
	return n > 0, nil
}

// Queue gathers what waits for the moderators: the held messages, oldest
// first; the visible messages with open reports, most reported first;
// the open appeals, oldest first.
func (s *Store) Queue(ctx context.Context, tenantID string) (*Queue, error) {
	q := &Queue{}
	threads := map[string]*Thread{}
	thread := func(id string) (*Thread, error) {
		if t, ok := threads[id]; ok {
			return t, nil
		}
		t, err := s.Thread(ctx, tenantID, id)
		if err != nil {
			return nil, err
		}
		threads[id] = t
		return t, nil
	}
	err := s.db.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM participation_messages WHERE tenant_id = ? AND state = ?),
		(SELECT COUNT(DISTINCT r.message_id) FROM participation_reports r JOIN participation_messages m ON m.id = r.message_id
			WHERE r.tenant_id = ? AND r.resolved_at IS NULL AND m.state = ?),
		(SELECT COUNT(*) FROM participation_appeals WHERE tenant_id = ? AND decided_at IS NULL)`,
		tenantID, Pending, tenantID, Visible, tenantID).Scan(&q.HeldCount, &q.ReportedCount, &q.Open)
	if err != nil {
		return nil, fmt.Errorf("participation: queue counts: %w", err)
	}

	held, err := s.messages(ctx, `SELECT `+messageCols+` FROM participation_messages WHERE tenant_id = ? AND state = ?
		ORDER BY created_at, id LIMIT ?`, tenantID, Pending, QueueSize)
	if err != nil {
		return nil, err
	}
	for _, m := range held {
		t, err := thread(m.ThreadID)
		if err != nil {
			return nil, err
		}
		q.Held = append(q.Held, &QueueItem{Message: m, Thread: t})
	}

	reported, err := s.messages(ctx, `SELECT `+prefixed("m.", messageCols)+` FROM participation_messages m
		JOIN (SELECT message_id, COUNT(*) AS n, MIN(created_at) AS first FROM participation_reports
			WHERE tenant_id = ? AND resolved_at IS NULL GROUP BY message_id) r ON r.message_id = m.id
		WHERE m.tenant_id = ? AND m.state = ? ORDER BY r.n DESC, r.first, m.id LIMIT ?`, tenantID, tenantID, Visible, QueueSize)
	if err != nil {
		return nil, err
	}
	byMessage := map[string]*QueueItem{}
	for _, m := range reported {
		t, err := thread(m.ThreadID)
		if err != nil {
			return nil, err
		}
		it := &QueueItem{Message: m, Thread: t}
		byMessage[m.ID] = it
		q.Reported = append(q.Reported, it)
	}
	if len(byMessage) > 0 {
		rows, err := s.db.Query(ctx, `SELECT r.id, r.message_id, r.reporter_id, r.reason, r.comment, r.created_at
			FROM participation_reports r JOIN participation_messages m ON m.id = r.message_id
			WHERE r.tenant_id = ? AND r.resolved_at IS NULL AND m.state = ? ORDER BY r.created_at, r.id`, tenantID, Visible)
		if err != nil {
			return nil, fmt.Errorf("participation: queue reports: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r MessageReport
			var reporter *string
			if err := rows.Scan(&r.ID, &r.MessageID, &reporter, &r.Reason, &r.Comment, &r.CreatedAt); err != nil {
				return nil, fmt.Errorf("participation: queue reports: %w", err)
			}
			if reporter != nil {
				r.ReporterID = *reporter
			}
			if it, ok := byMessage[r.MessageID]; ok {
				it.Reports = append(it.Reports, r)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("participation: queue reports: %w", err)
		}
	}

	appeals, err := s.appeals(ctx, `WHERE tenant_id = ? AND decided_at IS NULL ORDER BY created_at, id LIMIT ?`, tenantID, QueueSize)
	if err != nil {
		return nil, err
	}
	for _, a := range appeals {
		if a.Message, err = s.Message(ctx, tenantID, a.MessageID); err != nil {
			return nil, err
		}
		if a.Thread, err = thread(a.Message.ThreadID); err != nil {
			return nil, err
		}
	}
	q.Appeals = appeals
	return q, nil
}

// messages runs a query of messageCols.
func (s *Store) messages(ctx context.Context, query string, args ...any) ([]*Message, error) {
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("participation: queue: %w", err)
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

// lockedMessage reads a message inside tx.
func (s *Store) lockedMessage(ctx context.Context, tx *db.Tx, tenantID, id string) (*Message, error) {
	return scanMessage(tx.QueryRow(ctx, `SELECT `+messageCols+` FROM participation_messages WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// txThread reads a thread inside tx.
func (s *Store) txThread(ctx context.Context, tx *db.Tx, tenantID, id string) (*Thread, error) {
	return scanThread(tx.QueryRow(ctx, `SELECT `+threadCols+` FROM participation_threads WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// setState moves a message from one of the states from to state, the
// reason and moderator kept; zero rows means another moderator was first.
func (s *Store) setState(ctx context.Context, tx *db.Tx, m *Message, state, reason, moderatorID string, from ...string) error {
	now := s.now()
	q := `UPDATE participation_messages SET state = ?, reason = ?, moderated_by = ?, moderated_at = ?
		WHERE tenant_id = ? AND id = ? AND state IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(from)), ", ") + `)`
	args := []any{state, reason, moderatorID, now, m.TenantID, m.ID}
	for _, f := range from {
		args = append(args, f)
	}
	res, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("participation: moderate: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotModerable
	}
	m.State, m.Reason, m.ModeratedAt = state, reason, &now
	return nil
}

// show makes a message visible in its thread: a reply counts and brings
// the thread up, an opening message shows its thread.
func (s *Store) show(ctx context.Context, tx *db.Tx, t *Thread, m *Message) error {
	if m.Opener {
		t.State = Visible
		_, err := tx.Exec(ctx, `UPDATE participation_threads SET state = ? WHERE tenant_id = ? AND id = ?`, Visible, t.TenantID, t.ID)
		if err != nil {
			return fmt.Errorf("participation: show thread: %w", err)
		}
		return nil
	}
	return s.countIn(ctx, tx, t.TenantID, t.ID, 1, s.now())
}

// resolveReports closes the message's open reports.
func (s *Store) resolveReports(ctx context.Context, tx *db.Tx, tenantID, messageID string) error {
	_, err := tx.Exec(ctx, `UPDATE participation_reports SET resolved_at = ? WHERE tenant_id = ? AND message_id = ? AND resolved_at IS NULL`,
		s.now(), tenantID, messageID)
	if err != nil {
		return fmt.Errorf("participation: resolve reports: %w", err)
	}
	return nil
}

// Approve lets a held message through: it shows, counts in its thread
// (or shows its thread), and reaches the followers.
func (s *Store) Approve(ctx context.Context, tenantID, messageID, moderatorID string) (*Message, error) {
	var m *Message
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if m, err = s.lockedMessage(ctx, tx, tenantID, messageID); err != nil {
			return err
		}
		t, err := s.txThread(ctx, tx, tenantID, m.ThreadID)
		if err != nil {
			return err
		}
		if err := s.setState(ctx, tx, m, Visible, "", moderatorID, Pending); err != nil {
			return err
		}
		if err := s.show(ctx, tx, t, m); err != nil {
			return err
		}
		return s.announce(ctx, tx, t, m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// checkReason trims a moderator's reason and checks it.
func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return "", guichet.Invalid(map[string]string{"reason": "Donnez la raison : son auteur et les lecteurs la liront."})
	case n > MaxReason:
		return "", guichet.Invalid(map[string]string{"reason": fmt.Sprintf("La raison tient en %d caractères au plus.", MaxReason)})
	}
	return reason, nil
}

// Hide hides a visible or held message with a reason its author and the
// readers see: a visible reply leaves its thread's count, an opening
// message hides its thread; the message's reports are resolved and its
// author is told by mail.
func (s *Store) Hide(ctx context.Context, tenantID, messageID, reason, moderatorID string) (*Message, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	var m *Message
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if m, err = s.lockedMessage(ctx, tx, tenantID, messageID); err != nil {
			return err
		}
		t, err := s.txThread(ctx, tx, tenantID, m.ThreadID)
		if err != nil {
			return err
		}
		was := m.State
		if err := s.setState(ctx, tx, m, Hidden, reason, moderatorID, Visible, Pending); err != nil {
			return err
		}
		switch {
		case m.Opener:
			if _, err := tx.Exec(ctx, `UPDATE participation_threads SET state = ? WHERE tenant_id = ? AND id = ?`,
				Hidden, tenantID, t.ID); err != nil {
				return fmt.Errorf("participation: hide thread: %w", err)
			}
		case was == Visible:
			if err := s.countIn(ctx, tx, tenantID, t.ID, -1, time.Time{}); err != nil {
				return err
			}
		}
		if err := s.resolveReports(ctx, tx, tenantID, m.ID); err != nil {
			return err
		}
		return s.mailAuthor(ctx, tx, m, "message_hidden", map[string]any{"Thread": t.Title, "Reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Restore shows a hidden message again, its reason cleared, back in its
// thread's count.
func (s *Store) Restore(ctx context.Context, tenantID, messageID, moderatorID string) (*Message, error) {
	var m *Message
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		m, err = s.restore(ctx, tx, tenantID, messageID, moderatorID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Store) restore(ctx context.Context, tx *db.Tx, tenantID, messageID, moderatorID string) (*Message, error) {
	m, err := s.lockedMessage(ctx, tx, tenantID, messageID)
	if err != nil {
		return nil, err
	}
	t, err := s.txThread(ctx, tx, tenantID, m.ThreadID)
	if err != nil {
		return nil, err
	}
	if err := s.setState(ctx, tx, m, Visible, "", moderatorID, Hidden); err != nil {
		return nil, err
	}
	if m.Opener {
		return m, s.show(ctx, tx, t, m)
	}
	// A restored reply takes its place back without bringing the thread up.
	return m, s.countIn(ctx, tx, tenantID, t.ID, 1, time.Time{})
}

// Dismiss keeps a reported message visible and closes its reports.
func (s *Store) Dismiss(ctx context.Context, tenantID, messageID string) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		m, err := s.lockedMessage(ctx, tx, tenantID, messageID)
		if err != nil {
			return err
		}
		if m.State != Visible {
			return ErrNotModerable
		}
		return s.resolveReports(ctx, tx, tenantID, messageID)
	})
}

// mailAuthor queues a mail to the message's author in tx, with the
// links to the appeal's page and the charter.
func (s *Store) mailAuthor(ctx context.Context, tx *db.Tx, m *Message, template string, data map[string]any) error {
	if s.Mail == nil || m.AuthorID == "" {
		return nil
	}
	var email, lang string
	err := tx.QueryRow(ctx, `SELECT email, lang FROM users WHERE tenant_id = ? AND id = ?`, m.TenantID, m.AuthorID).Scan(&email, &lang)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("participation: author's address: %w", err)
	}
	if s.Links == nil {
		return fmt.Errorf("participation: mails need the site's address (Store.Links)")
	}
	site, _, err := s.Links(ctx, m.TenantID)
	if err != nil {
		return fmt.Errorf("participation: site: %w", err)
	}
	data["URL"], data["CharterURL"] = site+AppealPath(m.ID), site+CharterPath
	return s.Mail.EnqueueTx(ctx, tx, mail.Message{TenantID: m.TenantID, To: email, Template: "participation/" + template,
		Lang: lang, Data: data})
}

const appealCols = `id, tenant_id, message_id, author_id, text, created_at, decision, answer, decided_at`

func scanAppeal(row db.Row) (*Appeal, error) {
	var a Appeal
	var author *string
	var decided *time.Time
	if err := row.Scan(&a.ID, &a.TenantID, &a.MessageID, &author, &a.Text, &a.CreatedAt, &a.Decision, &a.Answer, &decided); err != nil {
		return nil, notFound("appeal", err)
	}
	if author != nil {
		a.AuthorID = *author
	}
	if decided != nil {
		d := decided.UTC()
		a.DecidedAt = &d
	}
	return &a, nil
}

func (s *Store) appeals(ctx context.Context, where string, args ...any) ([]*Appeal, error) {
	rows, err := s.db.Query(ctx, `SELECT `+appealCols+` FROM participation_appeals `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("participation: appeals: %w", err)
	}
	defer rows.Close()
	var list []*Appeal
	for rows.Next() {
		a, err := scanAppeal(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// Appeal records the author's appeal against their hidden message, once.
func (s *Store) Appeal(ctx context.Context, tenantID, messageID, authorID, text string) (*Appeal, error) {
	m, err := s.Message(ctx, tenantID, messageID)
	if err != nil {
		return nil, err
	}
	if m.State != Hidden || m.AuthorID == "" || m.AuthorID != authorID {
		return nil, ErrNotFound
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return nil, guichet.Invalid(map[string]string{"text": "Expliquez pourquoi la décision devrait être revue."})
	case n > MaxAppeal:
		return nil, guichet.Invalid(map[string]string{"text": fmt.Sprintf("Votre appel tient en %d caractères au plus.", MaxAppeal)})
	}
	a := &Appeal{ID: uuid.NewString(), TenantID: tenantID, MessageID: messageID, AuthorID: authorID, Text: text, CreatedAt: s.now()}
	_, err = s.db.Exec(ctx, `INSERT INTO participation_appeals (id, tenant_id, message_id, author_id, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, a.ID, a.TenantID, a.MessageID, a.AuthorID, a.Text, a.CreatedAt)
	if db.IsUniqueViolation(err) {
		return nil, ErrAppealed
	}
	if err != nil {
		return nil, fmt.Errorf("participation: appeal: %w", err)
	}
	return a, nil
}

// AppealOf returns the appeal against a message, ErrNotFound when none.
func (s *Store) AppealOf(ctx context.Context, tenantID, messageID string) (*Appeal, error) {
	return scanAppeal(s.db.QueryRow(ctx, `SELECT `+appealCols+` FROM participation_appeals WHERE tenant_id = ? AND message_id = ?`,
		tenantID, messageID))
}

// GetAppeal returns one appeal by id.
func (s *Store) GetAppeal(ctx context.Context, tenantID, id string) (*Appeal, error) {
	return scanAppeal(s.db.QueryRow(ctx, `SELECT `+appealCols+` FROM participation_appeals WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// DecideAppeal restores the message or upholds its hiding, and mails the
// answer to its author.
func (s *Store) DecideAppeal(ctx context.Context, tenantID, appealID string, restore bool, answer, moderatorID string) (*Appeal, error) {
	answer = strings.TrimSpace(strings.ReplaceAll(answer, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(answer); {
	case n == 0:
		return nil, guichet.Invalid(map[string]string{"answer": "Répondez à l'auteur : il lira votre réponse."})
	case n > MaxAppeal:
		return nil, guichet.Invalid(map[string]string{"answer": fmt.Sprintf("La réponse tient en %d caractères au plus.", MaxAppeal)})
	}
	var a *Appeal
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		a, err = scanAppeal(tx.QueryRow(ctx, `SELECT `+appealCols+` FROM participation_appeals WHERE tenant_id = ? AND id = ?`,
			tenantID, appealID))
		if err != nil {
			return err
		}
		if !a.Open() {
			return ErrNotModerable
		}
		now := s.now()
		a.Decision, a.Answer, a.DecidedAt = Upheld, answer, &now
		if restore {
			a.Decision = Restored
		}
		res, err := tx.Exec(ctx, `UPDATE participation_appeals SET decision = ?, answer = ?, decided_at = ?
			WHERE tenant_id = ? AND id = ? AND decided_at IS NULL`, a.Decision, a.Answer, now, tenantID, a.ID)
		if err != nil {
			return fmt.Errorf("participation: decide appeal: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotModerable
		}
		m, err := s.lockedMessage(ctx, tx, tenantID, a.MessageID)
		if err != nil {
			return err
		}
		// A message a moderator already restored by hand stays as it is.
		if restore && m.State == Hidden {
			if m, err = s.restore(ctx, tx, tenantID, a.MessageID, moderatorID); err != nil {
				return err
			}
		}
		t, err := s.txThread(ctx, tx, tenantID, m.ThreadID)
		if err != nil {
			return err
		}
		return s.mailAuthor(ctx, tx, m, "appeal_answered", map[string]any{"Thread": t.Title, "Restored": restore,
			"Answer": answer})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Block stops a resident from writing until a date.
func (s *Store) Block(ctx context.Context, tenantID, userID, reason string, until time.Time, by string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	if !until.After(s.now()) {
		return guichet.Invalid(map[string]string{"days": "La durée se compte en jours, un au moins."})
	}
	_, err = s.db.Exec(ctx, `INSERT INTO participation_blocks (tenant_id, user_id, reason, until, blocked_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, user_id) DO UPDATE SET reason = excluded.reason, until = excluded.until,
		blocked_by = excluded.blocked_by, created_at = excluded.created_at`, tenantID, userID, reason, until.UTC(), by, s.now())
	if err != nil {
		return fmt.Errorf("participation: block: %w", err)
	}
	return nil
}

// Unblock lets a resident write again.
func (s *Store) Unblock(ctx context.Context, tenantID, userID string) error {
	res, err := s.db.Exec(ctx, `DELETE FROM participation_blocks WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
	if err != nil {
		return fmt.Errorf("participation: unblock: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Blocks lists the residents blocked now, the soonest free first.
func (s *Store) Blocks(ctx context.Context, tenantID string) ([]*Block, error) {
	rows, err := s.db.Query(ctx, `SELECT b.user_id, COALESCE(u.name, ''), COALESCE(u.email, ''), b.reason, b.until, b.created_at, b.blocked_by
		FROM participation_blocks b LEFT JOIN users u ON u.id = b.user_id AND u.tenant_id = b.tenant_id
		WHERE b.tenant_id = ? AND b.until > ? ORDER BY b.until, b.user_id`, tenantID, s.now())
	if err != nil {
		return nil, fmt.Errorf("participation: blocks: %w", err)
	}
	defer rows.Close()
	var list []*Block
	for rows.Next() {
		var b Block
		if err := rows.Scan(&b.UserID, &b.Name, &b.Email, &b.Reason, &b.Until, &b.CreatedAt, &b.BlockedBy); err != nil {
			return nil, fmt.Errorf("participation: blocks: %w", err)
		}
		b.Until, b.CreatedAt = b.Until.UTC(), b.CreatedAt.UTC()
		list = append(list, &b)
	}
	return list, rows.Err()
}
