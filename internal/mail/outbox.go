package mail

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"guichet"
	"guichet/internal/db"
	"guichet/internal/jobs"
	"guichet/internal/tenant"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the outbox table.
var Migrations = db.Embedded("mail", migrationFiles)

//go:embed mail
var ownTemplates embed.FS

// TestTemplate is the sample message the operator console sends.
const TestTemplate = "mail/test"

// Outbox statuses.
const (
	StatusQueued = "queued" // waiting for (another) delivery attempt
	StatusSent   = "sent"
	StatusHeld   = "held"   // no SMTP server configured: kept for the console
	StatusFailed = "failed" // refused for good, or out of attempts
)

// TenantGetter finds the collectivité a message is sent for.
type TenantGetter interface {
	Get(ctx context.Context, id string) (*tenant.Tenant, error)
}

// Config is how the outbox sends.
type Config struct {
	// SMTPURL is smtp://user:password@host:port; empty holds every message.
	SMTPURL string
	// From is the sender address; the collectivité's name is its display name.
	From string
}

// Outbox stores messages and delivers them through the job queue. It
// implements Enqueuer.
type Outbox struct {
	db        *db.DB
	q         *jobs.Queue
	templates *Templates
	tenants   TenantGetter
	sender    *Sender // nil: hold
	from      string
	log       *slog.Logger
	// Now is the clock of retention; tests move it.
	Now func() time.Time
}

var _ Enqueuer = (*Outbox)(nil)

// NewOutbox returns the outbox and registers its delivery worker on q (so
// call it before q.Start). Its own templates are added to templates as
// module "mail".
func NewOutbox(d *db.DB, q *jobs.Queue, templates *Templates, tenants TenantGetter, cfg Config, log *slog.Logger) (*Outbox, error) {
	o := &Outbox{db: d, q: q, templates: templates, tenants: tenants, from: cfg.From, log: log,
		Now: func() time.Time { return time.Now().UTC() }}
	if cfg.SMTPURL != "" {
		s, err := NewSender(cfg.SMTPURL)
		if err != nil {
			return nil, err
		}
		o.sender = s
	}
	if _, err := netmail.ParseAddress(cfg.From); err != nil {
		return nil, fmt.Errorf("mail: sender address %q: %w", cfg.From, err)
	}
	if err := templates.Add("mail", ownTemplates); err != nil {
		return nil, err
	}
	if err := jobs.AddWorker(q, &deliverWorker{o: o}); err != nil {
		return nil, err
	}
	return o, nil
}

// Holding reports whether messages are kept instead of sent.
func (o *Outbox) Holding() bool { return o.sender == nil }

// Templates returns the registry modules add their templates to.
func (o *Outbox) Templates() *Templates { return o.templates }

// Enqueue checks m renders, stores it and, when an SMTP server is
// configured, schedules its delivery in the same transaction.
func (o *Outbox) Enqueue(ctx context.Context, m Message) error {
	m.Lang = NormalizeLang(m.Lang)
	addr, err := netmail.ParseAddress(m.To)
	if err != nil || m.TenantID == "" {
		return guichet.Invalid(map[string]string{"email": "Adresse électronique invalide."})
	}
	m.To = addr.Address
	data, err := json.Marshal(m.Data)
	if err != nil {
		return fmt.Errorf("mail: data of %s: %w", m.Template, err)
	}
	attachments := ""
	if len(m.Attachments) > 0 {
		b, err := json.Marshal(m.Attachments)
		if err != nil {
			return fmt.Errorf("mail: attachments of %s: %w", m.Template, err)
		}
		attachments = string(b)
	}
	t, err := o.tenants.Get(ctx, m.TenantID)
	if err != nil {
		return fmt.Errorf("mail: tenant %s: %w", m.TenantID, err)
	}
	// Render now, on the data as the worker will read it back, so that a
	// wrong template fails in the caller and not hours later.
	r, err := o.render(t, m.To, m.Template, m.Lang, data)
	if err != nil {
		return err
	}
	id, now := uuid.NewString(), o.Now().UTC()
	insert := `INSERT INTO outbox (id, tenant_id, recipient, template, lang, data, subject, status, created_at, attachments)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if o.sender == nil {
		_, err = o.db.Exec(ctx, insert, id, m.TenantID, m.To, m.Template, m.Lang, string(data), r.Subject, StatusHeld, now, attachments)
	} else {
		err = o.q.InTx(ctx, func(tx *jobs.Tx) error {
			if _, err := tx.Exec(ctx, insert, id, m.TenantID, m.To, m.Template, m.Lang, string(data), r.Subject, StatusQueued, now, attachments); err != nil {
				return err
			}
			_, err := tx.Insert(ctx, deliverArgs{ID: id, TenantID: m.TenantID}, nil)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("mail: enqueue: %w", err)
	}
	return nil
}

// render executes a template with the message's data plus TenantName,
// Tenant (the *tenant.Tenant), To and Lang; keys set by the caller win.
func (o *Outbox) render(t *tenant.Tenant, to, name, lang string, data []byte) (*Rendered, error) {
	view := map[string]any{}
	if err := json.Unmarshal(data, &view); err != nil && string(data) != "null" {
		return nil, fmt.Errorf("mail: data of %s: %w", name, err)
	}
	if view == nil {
		view = map[string]any{}
	}
	for k, v := range map[string]any{"TenantName": t.Name, "Tenant": t, "To": to, "Lang": lang} {
		if _, set := view[k]; !set {
			view[k] = v
		}
	}
	return o.templates.Render(name, lang, view)
}

// deliverArgs is the job that delivers one outbox message.
type deliverArgs struct {
	ID       string `json:"id"`
	TenantID string `json:"tenant_id"`
}

// Kind implements river.JobArgs.
func (deliverArgs) Kind() string { return "mail_deliver" }

type deliverWorker struct {
	river.WorkerDefaults[deliverArgs]
	o *Outbox
}

// Work sends one message and records the outcome; an error makes River
// retry with backoff.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[deliverArgs]) error {
	o := w.o
	e, err := o.get(ctx, job.Args.TenantID, job.Args.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the collectivité and its mail were deleted
	}
	if err != nil {
		return err
	}
	if e.Status != StatusQueued {
		return nil // already sent (a rerun after a crash) or failed
	}
	if o.sender == nil {
		// Queued by a process that had an SMTP server; this one has none.
		o.record(ctx, e, StatusHeld, nil, false)
		return nil
	}
	t, err := o.tenants.Get(ctx, e.TenantID)
	if err != nil {
		return err
	}
	r, err := o.render(t, e.To, e.Template, e.Lang, []byte(e.data))
	if err != nil {
		o.record(ctx, e, StatusFailed, err, false)
		return river.JobCancel(err)
	}
	if e.attachments != "" {
		if err := json.Unmarshal([]byte(e.attachments), &r.Attachments); err != nil {
			o.record(ctx, e, StatusFailed, err, false)
			return river.JobCancel(err)
		}
	}
	env := Envelope{FromName: t.Name, From: o.from, To: e.To, ReplyTo: t.Email}
	err = o.sender.Send(ctx, env, r)
	var perm *PermanentError
	switch {
	case err == nil:
		o.record(ctx, e, StatusSent, nil, true)
		return nil
	case errors.As(err, &perm):
		o.record(ctx, e, StatusFailed, err, true)
		return river.JobCancel(err)
	case job.Attempt >= job.MaxAttempts:
		o.record(ctx, e, StatusFailed, err, true)
		return err
	}
	o.record(ctx, e, StatusQueued, err, true)
	o.log.Warn("mail: delivery failed, will retry", "id", e.ID, "attempt", job.Attempt, "err", err)
	return err
}

// record saves the outcome of a delivery attempt (attempted: the SMTP
// server was tried).
func (o *Outbox) record(ctx context.Context, e *Entry, status string, sendErr error, attempted bool) {
	msg := ""
	if sendErr != nil {
		msg = sendErr.Error()
		if len(msg) > 1000 {
			msg = msg[:1000]
		}
	}
	var sentAt any
	if status == StatusSent {
		sentAt = time.Now().UTC()
	}
	inc := 0
	if attempted {
		inc = 1
	}
	_, err := o.db.Exec(context.WithoutCancel(ctx), `UPDATE outbox SET status = ?, attempts = attempts + ?,
		last_error = ?, sent_at = ? WHERE tenant_id = ? AND id = ?`, status, inc, msg, sentAt, e.TenantID, e.ID)
	if err != nil {
		o.log.Error("mail: record delivery", "id", e.ID, "err", err)
	}
}

// Entry is one message of the outbox.
type Entry struct {
	ID, TenantID, TenantName, To, Template, Lang, Subject, Status, LastError string
	Attempts                                                                 int
	CreatedAt                                                                time.Time
	SentAt                                                                   *time.Time
	data, attachments                                                        string
}

const entryColumns = `o.id, o.tenant_id, t.name, o.recipient, o.template, o.lang, o.subject, o.status,
	o.last_error, o.attempts, o.created_at, o.sent_at, o.data, o.attachments`

func scanEntry(row interface{ Scan(...any) error }) (*Entry, error) {
	var (
		e      Entry
		sentAt sql.NullTime
	)
	err := row.Scan(&e.ID, &e.TenantID, &e.TenantName, &e.To, &e.Template, &e.Lang, &e.Subject, &e.Status,
		&e.LastError, &e.Attempts, &e.CreatedAt, &sentAt, &e.data, &e.attachments)
	if err != nil {
		return nil, err
	}
	if sentAt.Valid {
		e.SentAt = &sentAt.Time
	}
	return &e, nil
}

func (o *Outbox) get(ctx context.Context, tenantID, id string) (*Entry, error) {
	return scanEntry(o.db.QueryRow(ctx, `SELECT `+entryColumns+` FROM outbox o JOIN tenants t ON t.id = o.tenant_id
		WHERE o.tenant_id = ? AND o.id = ?`, tenantID, id))
}

// Get returns one message of a collectivité.
func (o *Outbox) Get(ctx context.Context, tenantID, id string) (*Entry, error) {
	e, err := o.get(ctx, tenantID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, guichet.Errorf(guichet.ENotFound, "Message introuvable.")
	}
	return e, err
}

// List returns a collectivité's messages, newest first, and their count.
func (o *Outbox) List(ctx context.Context, tenantID string, offset, limit int) ([]*Entry, int, error) {
	return o.list(ctx, `WHERE o.tenant_id = ?`, []any{tenantID}, offset, limit)
}

// ListAll returns every collectivité's messages, newest first, and their
// count: for the platform operator only.
func (o *Outbox) ListAll(ctx context.Context, offset, limit int) ([]*Entry, int, error) {
	return o.list(ctx, ``, nil, offset, limit)
}

func (o *Outbox) list(ctx context.Context, where string, args []any, offset, limit int) ([]*Entry, int, error) {
	var total int
	if err := o.db.QueryRow(ctx, `SELECT COUNT(*) FROM outbox o `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("mail: count: %w", err)
	}
	rows, err := o.db.Query(ctx, `SELECT `+entryColumns+` FROM outbox o JOIN tenants t ON t.id = o.tenant_id `+
		where+` ORDER BY o.created_at DESC, o.id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("mail: list: %w", err)
	}
	defer rows.Close()
	var out []*Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// Preview renders a stored message as it was (or will be) sent.
func (o *Outbox) Preview(ctx context.Context, e *Entry) (*Rendered, error) {
	t, err := o.tenants.Get(ctx, e.TenantID)
	if err != nil {
		return nil, err
	}
	return o.render(t, e.To, e.Template, e.Lang, []byte(e.data))
}

// Counts returns how many messages have each status, over all collectivités.
func (o *Outbox) Counts(ctx context.Context) (map[string]int64, error) {
	rows, err := o.db.Query(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{StatusQueued: 0, StatusSent: 0, StatusHeld: 0, StatusFailed: 0}
	for rows.Next() {
		var (
			s string
			n int64
		)
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}
