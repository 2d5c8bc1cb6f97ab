package privacy

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base32"
	"errors"
	"fmt"
	netmail "net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tokens"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the requests table.
var Migrations = db.Embedded("privacy", migrationFiles)

// Kinds of request, by the article of the RGPD that grants the right.
const (
	Access        = "access"        // art. 15
	Rectification = "rectification" // art. 16
	Erasure       = "erasure"       // art. 17
	Objection     = "objection"     // art. 21
)

// Kinds lists the kinds of request in the order the form offers them.
var Kinds = []string{Access, Rectification, Erasure, Objection}

// States of a request. Unconfirmed requests wait for their address to be
// proven and are not shown to administrators.
const (
	Unconfirmed = "unconfirmed"
	Received    = "received"
	InProgress  = "in_progress"
	Answered    = "answered"
	Refused     = "refused"
)

// Periods of the requests, in days.
const (
	// ConfirmDays is how long the confirmation link of a request works;
	// an unconfirmed request goes after it.
	ConfirmDays = 7
	// RequestDays is how long a request is kept once closed: the proof
	// that it was answered, as long as it can be disputed.
	RequestDays = 3 * 365
)

// ErrRequestNotFound covers a request missing from the collectivité.
var ErrRequestNotFound = guichet.Errorf(guichet.ENotFound, "Demande introuvable.")

// Request is one person's request about their personal data.
type Request struct {
	ID, TenantID, Reference string
	Kind, State             string
	UserID                  string // the account it was filed from, if any
	Name, Email, Details    string
	Lang                    string // of the person's emails
	Answer                  string // the answer, or the reason of a refusal
	HandledBy               string
	ReceivedAt, DueAt       *time.Time
	ClosedAt                *time.Time
	CreatedAt, UpdatedAt    time.Time
}

// Open reports whether the request still awaits its answer.
func (r *Request) Open() bool { return r.State == Received || r.State == InProgress }

// Overdue reports whether an open request passed its due date at now.
func (r *Request) Overdue(now time.Time) bool {
	return r.Open() && r.DueAt != nil && now.After(*r.DueAt)
}

// Requests reads and writes the requests people make about their data,
// and mails them at each step.
type Requests struct {
	db   *db.DB
	mail mail.Enqueuer
	// Now is the clock; tests move it.
	Now func() time.Time
}

// NewRequests returns the requests store; mailer tells the requesters.
func NewRequests(d *db.DB, mailer mail.Enqueuer) *Requests {
	return &Requests{db: d, mail: mailer, Now: clock.System}
}

func (s *Requests) now() time.Time { return s.Now().UTC().Truncate(time.Second) }

// dueAfter is the legal delay of an answer: one month from receipt
// (RGPD art. 12-3).
func dueAfter(received time.Time) time.Time { return received.AddDate(0, 1, 0) }

// Filing is a request as the form sends it.
type Filing struct {
	Kind, Name, Email, Details, Lang string
	// UserID is the signed-in account's; Verified says its address is
	// proven, so that the request counts at once.
	UserID   string
	Verified bool
	// SiteURL leads the confirmation link to the collectivité's site.
	SiteURL string
}

func (f *Filing) validate() error {
	errs := map[string]string{}
	f.Name, f.Details, f.Email = strings.TrimSpace(f.Name), strings.TrimSpace(f.Details), strings.TrimSpace(f.Email)
	if !slices.Contains(Kinds, f.Kind) {
		errs["kind"] = "Choisissez le droit que vous exercez."
	}
	if a, err := netmail.ParseAddress(f.Email); err != nil || a.Address != f.Email || len(f.Email) > 254 {
		errs["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	if utf8.RuneCountInString(f.Name) > 200 {
		errs["name"] = "Le nom ne doit pas dépasser 200 caractères."
	}
	switch {
	case utf8.RuneCountInString(f.Details) > 5000:
		errs["details"] = "Les précisions ne doivent pas dépasser 5 000 caractères."
	case f.Details == "" && f.Kind == Rectification:
		errs["details"] = "Précisez les données à rectifier et leur valeur exacte."
	case f.Details == "" && f.Kind == Objection:
		errs["details"] = "Précisez le traitement auquel vous vous opposez et pourquoi."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// File records a request. From an account whose address is proven it is
// received at once and its due date set; otherwise a link is mailed to
// the address, and the request counts from when it is followed.
func (s *Requests) File(ctx context.Context, tenantID string, f Filing) (*Request, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	r := &Request{ID: uuid.NewString(), TenantID: tenantID, Reference: newReference(now), Kind: f.Kind, State: Unconfirmed,
		UserID: f.UserID, Name: f.Name, Email: f.Email, Details: f.Details, Lang: mail.NormalizeLang(f.Lang),
		CreatedAt: now, UpdatedAt: now}
	token, hash := "", ""
	if f.Verified {
		due := dueAfter(now)
		r.State, r.ReceivedAt, r.DueAt = Received, &now, &due
	} else {
		token = newToken()
		hash = tokens.Hash(token)
	}
	_, err := s.db.Exec(ctx, `INSERT INTO privacy_requests (id, tenant_id, reference, kind, state, user_id, name, email, details,
		lang, confirm_hash, received_at, due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, tenantID, r.Reference, r.Kind, r.State, r.UserID, r.Name, r.Email, r.Details, r.Lang, hash,
		nullTime(r.ReceivedAt), nullTime(r.DueAt), now, now)
	if err != nil {
		return nil, fmt.Errorf("privacy: file request: %w", err)
	}
	if token != "" {
		return r, s.send(ctx, r, "request_confirm", map[string]any{
			"ConfirmURL": f.SiteURL + "/donnees-personnelles/demande/confirmer/" + token, "Days": ConfirmDays})
	}
	return r, s.send(ctx, r, "request_received", nil)
}

// Errors of a confirmation link.
var (
	// ErrLinkInvalid covers an unknown link, or one past its ConfirmDays.
	ErrLinkInvalid = guichet.Errorf(guichet.ENotFound, "Ce lien de confirmation n'est plus valable.")
	// ErrAlreadyConfirmed is a link followed a second time.
	ErrAlreadyConfirmed = guichet.Errorf(guichet.EConflict, "Cette demande est déjà confirmée.")
)

// ByConfirmLink returns the request of a confirmation link, confirmed or
// not, without changing it: the page of the link shows what confirming
// does before anyone confirms (mail scanners open links).
func (s *Requests) ByConfirmLink(ctx context.Context, tenantID, token string) (*Request, error) {
	r, err := scanRequest(s.db.QueryRow(ctx, `SELECT `+requestColumns+` FROM privacy_requests
		WHERE tenant_id = ? AND confirm_hash = ? AND confirm_hash <> ''`, tenantID, tokens.Hash(token)))
	if errors.Is(err, ErrRequestNotFound) {
		return nil, ErrLinkInvalid
	}
	if err != nil {
		return nil, err
	}
	if r.State == Unconfirmed && !r.CreatedAt.After(s.now().AddDate(0, 0, -ConfirmDays)) {
		return nil, ErrLinkInvalid
	}
	return r, nil
}

// Confirm receives the request of a confirmation link: its month starts.
// The link's hash stays, so that a second use is told the request is
// already confirmed (ErrAlreadyConfirmed, with the request).
func (s *Requests) Confirm(ctx context.Context, tenantID, token string) (*Request, error) {
	now := s.now()
	var id string
	err := s.db.QueryRow(ctx, `UPDATE privacy_requests SET state = ?, received_at = ?, due_at = ?, updated_at = ?
		WHERE tenant_id = ? AND confirm_hash = ? AND confirm_hash <> '' AND state = ? AND created_at > ? RETURNING id`,
		Received, now, dueAfter(now), now, tenantID, tokens.Hash(token), Unconfirmed, now.AddDate(0, 0, -ConfirmDays)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		r, err := s.ByConfirmLink(ctx, tenantID, token)
		if err != nil {
			return nil, err
		}
		if r.State != Unconfirmed {
			return r, ErrAlreadyConfirmed
		}
		return nil, ErrLinkInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("privacy: confirm request: %w", err)
	}
	r, err := s.Get(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	return r, s.send(ctx, r, "request_received", nil)
}

const requestColumns = `id, tenant_id, reference, kind, state, user_id, name, email, details, lang, answer, handled_by,
	received_at, due_at, closed_at, created_at, updated_at`

func scanRequest(row interface{ Scan(...any) error }) (*Request, error) {
	var r Request
	var received, due, closed sql.NullTime
	err := row.Scan(&r.ID, &r.TenantID, &r.Reference, &r.Kind, &r.State, &r.UserID, &r.Name, &r.Email, &r.Details, &r.Lang,
		&r.Answer, &r.HandledBy, &received, &due, &closed, &r.CreatedAt, &r.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrRequestNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("privacy: request: %w", err)
	}
	r.ReceivedAt, r.DueAt, r.ClosedAt = timePtr(received), timePtr(due), timePtr(closed)
	return &r, nil
}

// Get returns a received request of the collectivité.
func (s *Requests) Get(ctx context.Context, tenantID, id string) (*Request, error) {
	if uuid.Validate(id) != nil {
		return nil, ErrRequestNotFound
	}
	return scanRequest(s.db.QueryRow(ctx, `SELECT `+requestColumns+` FROM privacy_requests
		WHERE tenant_id = ? AND id = ? AND state <> ?`, tenantID, id, Unconfirmed))
}

// List returns the collectivité's open requests, the soonest due first,
// then the last closed ones, the latest first.
func (s *Requests) List(ctx context.Context, tenantID string) (open, closed []*Request, err error) {
	if open, err = s.list(ctx, `WHERE tenant_id = ? AND state IN (?, ?) ORDER BY due_at, id LIMIT 500`,
		tenantID, Received, InProgress); err != nil {
		return nil, nil, err
	}
	closed, err = s.list(ctx, `WHERE tenant_id = ? AND state IN (?, ?) ORDER BY closed_at DESC, id LIMIT 50`,
		tenantID, Answered, Refused)
	return open, closed, err
}

func (s *Requests) list(ctx context.Context, where string, args ...any) ([]*Request, error) {
	rows, err := s.db.Query(ctx, `SELECT `+requestColumns+` FROM privacy_requests `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("privacy: requests: %w", err)
	}
	defer rows.Close()
	var out []*Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Step is an administrator's action on a request: the state it moves to,
// the answer or the reason of a refusal, and who acts.
type Step struct {
	To, Text, By string
}

// next lists the states an open request may move to.
var next = map[string][]string{
	Received:   {InProgress, Answered, Refused},
	InProgress: {Answered, Refused},
}

// Act moves a request on and tells the requester: work started, the
// answer, or the refusal with its reason.
func (s *Requests) Act(ctx context.Context, tenantID, id string, st Step) (*Request, error) {
	r, err := s.Get(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(next[r.State], st.To) {
		return nil, guichet.Errorf(guichet.EConflict, "Cette demande a déjà reçu sa réponse.")
	}
	st.Text = strings.TrimSpace(st.Text)
	switch {
	case st.To == Answered && st.Text == "":
		return nil, guichet.Invalid(map[string]string{"text": "Écrivez la réponse : la personne la recevra par courriel."})
	case st.To == Refused && st.Text == "":
		return nil, guichet.Invalid(map[string]string{"text": "Indiquez le motif du refus : la personne le recevra par courriel."})
	case utf8.RuneCountInString(st.Text) > 10000:
		return nil, guichet.Invalid(map[string]string{"text": "La réponse ne doit pas dépasser 10 000 caractères."})
	}
	now := s.now()
	var closed *time.Time
	if st.To != InProgress {
		closed = &now
	}
	res, err := s.db.Exec(ctx, `UPDATE privacy_requests SET state = ?, answer = ?, handled_by = ?, closed_at = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ? AND state = ?`, st.To, st.Text, st.By, nullTime(closed), now, tenantID, id, r.State)
	if err != nil {
		return nil, fmt.Errorf("privacy: act on request: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, guichet.Errorf(guichet.EConflict, "La demande vient de changer : rechargez la page.")
	}
	r.State, r.Answer, r.HandledBy, r.ClosedAt, r.UpdatedAt = st.To, st.Text, st.By, closed, now
	return r, s.send(ctx, r, "request_"+st.To, map[string]any{"Answer": st.Text})
}

// send mails the requester the template privacy/<name>.
func (s *Requests) send(ctx context.Context, r *Request, name string, data map[string]any) error {
	if s.mail == nil {
		return nil
	}
	if data == nil {
		data = map[string]any{}
	}
	data["Reference"], data["Kind"], data["Name"] = r.Reference, r.Kind, r.Name
	if r.DueAt != nil {
		data["Due"] = guichet.Date(*r.DueAt, r.Lang)
	}
	return s.mail.Enqueue(ctx, mail.Message{TenantID: r.TenantID, To: r.Email, Template: "privacy/" + name, Lang: r.Lang, Data: data})
}

// PurgeRequests deletes, across every collectivité, the requests never
// confirmed once their link expired, and those closed more than
// RequestDays ago.
func (s *Requests) PurgeRequests(ctx context.Context) (int64, error) {
	now := s.now()
	var total int64
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM privacy_requests WHERE received_at IS NULL AND created_at < ?`, []any{Cutoff(now, ConfirmDays)}},
		{`DELETE FROM privacy_requests WHERE closed_at < ?`, []any{Cutoff(now, RequestDays)}},
	} {
		res, err := s.db.Exec(ctx, q.sql, q.args...)
		if err != nil {
			return total, fmt.Errorf("privacy: purge requests: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// RetentionRules returns the requests' rule for the periodic job.
func (s *Requests) RetentionRules() []Rule {
	return []Rule{{Key: "privacy.requests", Apply: s.PurgeRequests}}
}

// Processing returns the requests' line of the register; its texts are
// in the privacyweb module's catalogue.
func (s *Requests) Processing() []Activity {
	return []Activity{{
		Key: "privacy.requests", Order: 960,
		Name: T("privacy.requests.name"), Purpose: T("privacy.requests.purpose"),
		Bases: []Basis{LegalObligation}, Law: T("privacy.requests.law"),
		People: T("privacy.requests.people"), Data: T("privacy.requests.data"),
		Retention: T("privacy.requests.retention", ConfirmDays, RequestDays/365), Recipients: T("privacy.requests.recipients"),
	}}
}

// newReference returns a request's reference for display: RGPD-2026-7KQ4M2.
func newReference(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("RGPD-%d-%s", now.Year(), base32.StdEncoding.EncodeToString(b[:])[:6])
}

// newToken returns the secret of a confirmation link; only its hash is kept.
func newToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func timePtr(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

// exportedRequest is what a person's data export shows of a request.
type exportedRequest struct {
	Reference  string     `json:"reference"`
	Kind       string     `json:"kind"`
	State      string     `json:"state"`
	Details    string     `json:"details,omitempty"`
	Answer     string     `json:"answer,omitempty"`
	ReceivedAt *time.Time `json:"received_at,omitempty"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
}

// Of returns the requests a person made, by account or proven address,
// for their data export.
func (s *Requests) Of(ctx context.Context, tenantID, userID, email string) (any, error) {
	out := []exportedRequest{}
	var conds []string
	args := []any{tenantID, Unconfirmed}
	if userID != "" {
		conds, args = append(conds, "user_id = ?"), append(args, userID)
	}
	if email != "" {
		conds, args = append(conds, "LOWER(email) = ?"), append(args, strings.ToLower(email))
	}
	if len(conds) == 0 {
		return out, nil
	}
	list, err := s.list(ctx, `WHERE tenant_id = ? AND state <> ? AND (`+strings.Join(conds, " OR ")+`) ORDER BY created_at`, args...)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		out = append(out, exportedRequest{Reference: r.Reference, Kind: r.Kind, State: r.State, Details: r.Details,
			Answer: r.Answer, ReceivedAt: r.ReceivedAt, ClosedAt: r.ClosedAt})
	}
	return out, nil
}
