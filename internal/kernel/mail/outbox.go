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
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/tenant"
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
	StatusQueued  = "queued"  // waiting for (another) delivery attempt
	StatusSending = "sending" // an attempt is talking to the SMTP server
	StatusSent    = "sent"
	StatusHeld    = "held"   // no SMTP server configured: kept for the console
	StatusFailed  = "failed" // refused for good, or out of attempts
	// StatusInterrupted is a message whose attempt stopped mid-way (the
	// process died): it may have been delivered, so it is not sent again.
	StatusInterrupted = "interrupted"
)

// Statuses lists every status, for the console and the metrics.
var Statuses = []string{StatusQueued, StatusSending, StatusSent, StatusHeld, StatusFailed, StatusInterrupted}

// Delivery timing. An attempt gives up after sendTimeout, under the job
// queue's timeout of a job (jobs.JobTimeout); a message found "sending"
// for longer than staleAfter belongs to an attempt that died.
const (
	sendTimeout = 50 * time.Second
	staleAfter  = 2 * time.Minute
)

// TenantGetter finds the collectivité a message is sent for.
type TenantGetter interface {
	Get(ctx context.Context, id string) (*tenant.Tenant, error)
}

// Config is how the outbox sends.
type Config struct {
	// SMTPURL is smtp://user:password@host:port (see NewSender for smtps://
	// and smtp+insecure://); empty holds every message.
	SMTPURL string
	// From is the sender address; the collectivité's name is its display name.
	From string
	// SecretKey is the server's secret key; message bodies are sealed at
	// rest with a key derived from it.
	SecretKey string
}

// Outbox stores messages and delivers them through the job queue. It
// implements Enqueuer and TxEnqueuer.
type Outbox struct {
	db        *db.DB
	q         *jobs.Queue
	templates *Templates
	tenants   TenantGetter
	sender    *Sender // nil: hold
	from      string
	log       *slog.Logger
	seal      *sealer
	// Now is the clock.
	Now clock.Clock
	// Quota, when set, returns how many messages a collectivité may send
	// in a day, in its time zone: past it, a message waits in the outbox
	// for the next day (tenant.Quotas).
	Quota func(ctx context.Context, tenantID string) (perDay int, err error)
}

var (
	_ Enqueuer   = (*Outbox)(nil)
	_ TxEnqueuer = (*Outbox)(nil)
)

// NewOutbox returns the outbox and registers its delivery worker on q (so
// call it before q.Start). Its own templates are added to templates as
// module "mail".
func NewOutbox(d *db.DB, q *jobs.Queue, templates *Templates, tenants TenantGetter, cfg Config, log *slog.Logger) (*Outbox, error) {
	o := &Outbox{db: d, q: q, templates: templates, tenants: tenants, from: cfg.From, log: log,
		seal: newSealer(cfg.SecretKey), Now: clock.System}
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

// Enqueue checks m renders, stores it (its data and attachments sealed)
// and, when an SMTP server is configured, schedules its delivery in the
// same transaction.
func (o *Outbox) Enqueue(ctx context.Context, m Message) error {
	p, err := o.prepare(ctx, m)
	if err != nil {
		return err
	}
	if o.Holding() {
		err = p.insert(ctx, o.db, StatusHeld) // one row and no job: no transaction needed
	} else {
		err = o.db.InTx(ctx, func(tx *db.Tx) error { return o.write(ctx, tx, p) })
	}
	if err != nil {
		return fmt.Errorf("mail: enqueue: %w", err)
	}
	return nil
}

// EnqueueTx is Enqueue inside the caller's transaction, so that a message
// and its delivery exist only if what it tells about was committed.
func (o *Outbox) EnqueueTx(ctx context.Context, tx *db.Tx, m Message) error {
	p, err := o.prepare(ctx, m)
	if err != nil {
		return err
	}
	if err := o.write(ctx, tx, p); err != nil {
		return fmt.Errorf("mail: enqueue: %w", err)
	}
	return nil
}

// outgoing is a message checked, rendered and sealed, ready to store.
type outgoing struct {
	id, tenantID, to, template, lang string
	data, subject, attachments       string
	createdAt                        time.Time
	loc                              *time.Location // the collectivité's, whose day a quota counts
}

func (o *Outbox) prepare(ctx context.Context, m Message) (*outgoing, error) {
	m.Lang = NormalizeLang(m.Lang)
	addr, err := netmail.ParseAddress(m.To)
	if err != nil || m.TenantID == "" {
		return nil, guichet.Invalid(map[string]string{"email": "Adresse électronique invalide."})
	}
	m.To = addr.Address
	data, err := json.Marshal(m.Data)
	if err != nil {
		return nil, fmt.Errorf("mail: data of %s: %w", m.Template, err)
	}
	attachments := ""
	if len(m.Attachments) > 0 {
		b, err := json.Marshal(m.Attachments)
		if err != nil {
			return nil, fmt.Errorf("mail: attachments of %s: %w", m.Template, err)
		}
		attachments = string(b)
	}
	t, err := o.tenants.Get(ctx, m.TenantID)
	if err != nil {
		return nil, fmt.Errorf("mail: tenant %s: %w", m.TenantID, err)
	}
	// Render now, on the data as the worker will read it back, so that a
	// wrong template fails in the caller and not hours later.
	r, err := o.render(t, m.To, m.Template, m.Lang, data)
	if err != nil {
		return nil, err
	}
	id := uuid.NewString()
	return &outgoing{id: id, tenantID: m.TenantID, to: m.To, template: m.Template, lang: m.Lang,
		data: o.seal.seal(string(data), m.TenantID, id), attachments: o.seal.seal(attachments, m.TenantID, id),
		subject: r.Subject, createdAt: o.Now().UTC(), loc: t.Location()}, nil
}

// write stores p in tx with, when mail is sent, the job that delivers it.
func (o *Outbox) write(ctx context.Context, tx *db.Tx, p *outgoing) error {
	if o.Holding() {
		return p.insert(ctx, tx, StatusHeld)
	}
	opts, err := o.overQuota(ctx, tx, p)
	if err != nil {
		return err
	}
	if err := p.insert(ctx, tx, StatusQueued); err != nil {
		return err
	}
	_, err = o.q.InsertTx(ctx, tx, deliverArgs{ID: p.id, TenantID: p.tenantID}, opts)
	return err
}

// overQuota returns, for a message past its collectivité's messages of
// the day, a delivery at the start of the next day (in its time zone).
func (o *Outbox) overQuota(ctx context.Context, tx *db.Tx, p *outgoing) (*river.InsertOpts, error) {
	if o.Quota == nil {
		return nil, nil
	}
	perDay, err := o.Quota(ctx, p.tenantID)
	if err != nil {
		return nil, err
	}
	start := tenant.DayStart(p.createdAt, p.loc)
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE tenant_id = ? AND created_at >= ?`, p.tenantID, start.UTC()).Scan(&n); err != nil {
		return nil, fmt.Errorf("mail: count the day's messages: %w", err)
	}
	if n < perDay {
		return nil, nil
	}
	next := start.AddDate(0, 0, 1)
	o.log.WarnContext(ctx, "mail: the collectivité's messages of the day are used up; this one waits for the next day",
		"tenant", p.tenantID, "quota", perDay, "at", next)
	return &river.InsertOpts{ScheduledAt: next}, nil
}

// SentToday returns how many messages a collectivité has queued since the
// start of its day, for the operator console.
func (o *Outbox) SentToday(ctx context.Context, tenantID string, loc *time.Location) (int, error) {
	var n int
	err := o.db.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE tenant_id = ? AND created_at >= ?`,
		tenantID, tenant.DayStart(o.Now(), loc).UTC()).Scan(&n)
	return n, err
}

func (p *outgoing) insert(ctx context.Context, e db.Execer, status string) error {
	_, err := e.Exec(ctx, `INSERT INTO outbox (id, tenant_id, recipient, template, lang, data, subject, status, created_at, attachments)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.id, p.tenantID, p.to, p.template, p.lang, p.data, p.subject, status, p.createdAt, p.attachments)
	return err
}

// render executes a template with the message's data plus TenantName,
// Tenant (the *tenant.Tenant), To and Lang; keys set by the caller win.
func (o *Outbox) render(t *tenant.Tenant, to, name, lang string, data []byte) (*Rendered, error) {
	if name == renderedTemplate {
		return renderedMessage(data)
	}
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
// retry with backoff. The message is claimed ("sending") before the SMTP
// conversation, so that a second run of the job, or a run rescued after a
// crash, never sends it again.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[deliverArgs]) error {
	o := w.o
	e, err := o.get(ctx, job.Args.TenantID, job.Args.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the collectivité and its mail were deleted
	}
	if err != nil {
		return err
	}
	switch e.Status {
	case StatusQueued:
	case StatusSending:
		return o.interrupted(ctx, e)
	default:
		return nil // already sent, failed, held or interrupted
	}
	if o.sender == nil {
		// Queued by a process that had an SMTP server; this one has none.
		o.record(ctx, e, StatusHeld, nil)
		return nil
	}
	t, err := o.tenants.Get(ctx, e.TenantID)
	if err != nil {
		return err
	}
	r, err := o.rendered(t, e)
	if err != nil {
		o.record(ctx, e, StatusFailed, err)
		return river.JobCancel(err)
	}
	claimed, err := o.claim(ctx, e)
	if err != nil || !claimed {
		return err // !claimed: another run has it, or finished it
	}
	sendCtx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	err = o.sender.Send(sendCtx, Envelope{FromName: t.Name, From: o.from, To: e.To, ReplyTo: t.Email}, r)
	var perm *PermanentError
	switch {
	case err == nil:
		o.record(ctx, e, StatusSent, nil)
		return nil
	case errors.As(err, &perm):
		o.record(ctx, e, StatusFailed, err)
		return river.JobCancel(err)
	case job.Attempt >= job.MaxAttempts:
		o.record(ctx, e, StatusFailed, err)
		return err
	}
	o.record(ctx, e, StatusQueued, err)
	o.log.Warn("mail: delivery failed, will retry", "id", e.ID, "attempt", job.Attempt, "err", err)
	return err
}

// rendered renders a stored message with its attachments.
func (o *Outbox) rendered(t *tenant.Tenant, e *Entry) (*Rendered, error) {
	data, err := o.seal.open(e.data, e.TenantID, e.ID)
	if err != nil {
		return nil, err
	}
	r, err := o.render(t, e.To, e.Template, e.Lang, []byte(data))
	if err != nil {
		return nil, err
	}
	files, err := o.seal.open(e.attachments, e.TenantID, e.ID)
	if err != nil {
		return nil, err
	}
	if files != "" {
		if err := json.Unmarshal([]byte(files), &r.Attachments); err != nil {
			return nil, fmt.Errorf("mail: attachments of %s: %w", e.ID, err)
		}
	}
	return r, nil
}

// claim marks a queued message as being sent and counts the attempt; it
// reports false when the message was no longer queued.
func (o *Outbox) claim(ctx context.Context, e *Entry) (bool, error) {
	res, err := o.db.Exec(ctx, `UPDATE outbox SET status = ?, sending_at = ?, attempts = attempts + 1
		WHERE tenant_id = ? AND id = ? AND status = ?`, StatusSending, o.Now().UTC(), e.TenantID, e.ID, StatusQueued)
	if err != nil {
		return false, fmt.Errorf("mail: claim %s: %w", e.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// errInFlight makes River try again later: another run is sending.
var errInFlight = errors.New("mail: message being sent by another attempt")

// interrupted handles a message found "sending": a recent claim is an
// attempt still running elsewhere, so the job waits; an old one is an
// attempt that died mid-way, whose message may have been delivered: it
// is marked interrupted and never sent twice.
func (o *Outbox) interrupted(ctx context.Context, e *Entry) error {
	if e.sendingAt != nil && o.Now().Sub(*e.sendingAt) < staleAfter {
		return errInFlight
	}
	_, err := o.db.Exec(ctx, `UPDATE outbox SET status = ?, last_error = ? WHERE tenant_id = ? AND id = ? AND status = ?`,
		StatusInterrupted, "delivery interrupted: the message may have been delivered, so it is not sent again",
		e.TenantID, e.ID, StatusSending)
	return err
}

// record saves the outcome of a delivery attempt.
func (o *Outbox) record(ctx context.Context, e *Entry, status string, sendErr error) {
	msg := ""
	if sendErr != nil {
		msg = sendErr.Error()
		if len(msg) > 1000 {
			msg = msg[:1000]
		}
	}
	var sentAt any
	if status == StatusSent {
		sentAt = o.Now().UTC()
	}
	_, err := o.db.Exec(context.WithoutCancel(ctx), `UPDATE outbox SET status = ?, last_error = ?, sent_at = ?
		WHERE tenant_id = ? AND id = ?`, status, msg, sentAt, e.TenantID, e.ID)
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
	// Erased reports that the body was erased after sending (see
	// EraseBodies): the message can no longer be shown.
	Erased            bool
	data, attachments string // sealed
	sendingAt         *time.Time
}

const entryColumns = `o.id, o.tenant_id, t.name, o.recipient, o.template, o.lang, o.subject, o.status,
	o.last_error, o.attempts, o.created_at, o.sent_at, o.data, o.attachments, o.sending_at`

func scanEntry(row interface{ Scan(...any) error }) (*Entry, error) {
	var (
		e                 Entry
		sentAt, sendingAt sql.NullTime
	)
	err := row.Scan(&e.ID, &e.TenantID, &e.TenantName, &e.To, &e.Template, &e.Lang, &e.Subject, &e.Status,
		&e.LastError, &e.Attempts, &e.CreatedAt, &sentAt, &e.data, &e.attachments, &sendingAt)
	if err != nil {
		return nil, err
	}
	if sentAt.Valid {
		e.SentAt = &sentAt.Time
	}
	if sendingAt.Valid {
		e.sendingAt = &sendingAt.Time
	}
	e.Erased = e.data == ""
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

// ErrErased is the preview of a message whose body was erased.
var ErrErased = guichet.Errorf(guichet.ENotFound, "Le contenu de ce message a été effacé.")

// Preview renders a stored message as it was (or will be) sent, secret
// links included: the console masks them (MaskLinks).
func (o *Outbox) Preview(ctx context.Context, e *Entry) (*Rendered, error) {
	if e.Erased {
		return nil, ErrErased
	}
	t, err := o.tenants.Get(ctx, e.TenantID)
	if err != nil {
		return nil, err
	}
	return o.rendered(t, e)
}

// Counts returns how many messages have each status, over all collectivités.
func (o *Outbox) Counts(ctx context.Context) (map[string]int64, error) {
	rows, err := o.db.Query(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for _, s := range Statuses {
		out[s] = 0
	}
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
