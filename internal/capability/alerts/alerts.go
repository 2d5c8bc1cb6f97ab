// Package alerts is a collectivité's urgent messages: shown as a banner on
// every page until they expire or are withdrawn, and mailed to the people
// who subscribed to their topic and neighbourhood without an account
// (double opt-in). An alert and the job that mails it commit together.
package alerts

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	gmail "guichet/internal/kernel/mail"
	"guichet/internal/publishing/search"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/jobs"
	"guichet/internal/publishing"
)

// Migrations creates the alerts' tables: publishing's shared "content" set.
var Migrations = publishing.ContentTables

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the emails alerts sends (mail/*.txt), to add to the
// outbox's registry as module "alerts".
func MailFiles() fs.FS { return mailFiles }

// Store reads and writes a collectivité's alerts, neighbourhoods and
// subscribers, and mails alerts through the job queue.
type Store struct {
	*publishing.Desk
	jobs *jobs.Queue
}

// NewStore returns the alerts' store; mailer sends confirmations and
// alerts (nil in tests that send none).
func NewStore(d *db.DB, mailer gmail.Enqueuer) *Store {
	return &Store{Desk: publishing.NewDesk(d, mailer)}
}

// Severities of an alert, from the least to the most urgent.
const (
	SeverityInfo    = "info"
	SeverityWarning = "warning"
	SeverityUrgent  = "urgent"
)

// Severities and Topics are the values editors choose from; their labels
// are the web layer's messages "alerts.severity.X" and "alerts.topic.X".
var (
	Severities = []string{SeverityInfo, SeverityWarning, SeverityUrgent}
	Topics     = []string{"meteo", "eau", "travaux", "circulation", "securite", "sante", "autre"}
)

// Alert is an urgent message shown as a banner on every page from Start
// until it expires or is withdrawn, and mailed to the subscribers of its
// topic and area when published.
type Alert struct {
	ID, TenantID, Title, Body string
	Severity, Topic, Area     string // Area "" means the whole collectivité
	Start, Expires            time.Time
	Withdrawn                 bool
	Author                    string
	SentAt                    *time.Time
	CreatedAt, UpdatedAt      time.Time
}

// Active reports whether the alert shows at now.
func (a *Alert) Active(now time.Time) bool {
	return !a.Withdrawn && !a.Start.After(now) && a.Expires.After(now)
}

func (a *Alert) validate(areas []string) error {
	errs := map[string]string{}
	a.Title, a.Body = strings.TrimSpace(a.Title), strings.TrimSpace(a.Body)
	publishing.CheckText(errs, "title", a.Title, 1, 140, "Indiquez le message de l'alerte.", "Le message dépasse 140 caractères.")
	publishing.CheckText(errs, "body", a.Body, 0, 2000, "", "Le détail dépasse 2 000 caractères.")
	if !slices.Contains(Severities, a.Severity) {
		errs["severity"] = "Choisissez la gravité."
	}
	if !slices.Contains(Topics, a.Topic) {
		errs["topic"] = "Choisissez un thème."
	}
	if a.Area != "" && !slices.Contains(areas, a.Area) {
		errs["area"] = "Choisissez un quartier de la liste."
	}
	switch {
	case a.Expires.IsZero():
		errs["expires_date"] = "Indiquez jusqu'à quand l'alerte s'affiche."
	case !a.Expires.After(a.Start):
		errs["expires_date"] = "La fin doit suivre le début."
	case a.Expires.Sub(a.Start) > 31*24*time.Hour:
		errs["expires_date"] = "Une alerte dure au plus 31 jours."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

const alertColumns = `id, tenant_id, title, body, severity, topic, area, starts_at, expires_at, withdrawn, author, sent_at, created_at, updated_at`

func scanAlert(row interface{ Scan(...any) error }) (*Alert, error) {
	var a Alert
	var sent sql.NullTime
	err := row.Scan(&a.ID, &a.TenantID, &a.Title, &a.Body, &a.Severity, &a.Topic, &a.Area, &a.Start, &a.Expires,
		&a.Withdrawn, &a.Author, &sent, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, publishing.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("alerts: alert: %w", err)
	}
	a.Start, a.Expires, a.SentAt = a.Start.UTC(), a.Expires.UTC(), publishing.FromNull(sent)
	return &a, nil
}

// AlertArgs is the job that mails a published alert to its subscribers;
// BaseURL is the collectivité's site, for the links.
type AlertArgs struct {
	TenantID string `json:"tenant_id"`
	AlertID  string `json:"alert_id"`
	BaseURL  string `json:"base_url"`
}

// Kind implements river.JobArgs.
func (AlertArgs) Kind() string { return "content_alert_send" }

// UseQueue registers the alert-sending worker; the store then mails alerts
// through q. Call it before the queue starts.
func (s *Store) UseQueue(q *jobs.Queue) error {
	s.jobs = q
	return jobs.AddFunc(q, func(ctx context.Context, job *river.Job[AlertArgs]) error {
		return s.SendAlert(ctx, job.Args)
	})
}

// Publish stores a new alert and, in the same transaction, the job
// that mails it at once to its subscribers.
func (s *Store) Publish(ctx context.Context, a *Alert, baseURL string) error {
	areas, err := s.Areas(ctx, a.TenantID)
	if err != nil {
		return err
	}
	now := s.Stamp()
	if a.Start.IsZero() || a.Start.Before(now) {
		a.Start = now
	}
	if err := a.validate(areas); err != nil {
		return err
	}
	if s.jobs == nil {
		return errors.New("alerts: publish alert: no job queue to mail it (UseQueue)")
	}
	a.ID, a.CreatedAt, a.UpdatedAt = uuid.NewString(), now, now
	insert := `INSERT INTO content_alerts (id, tenant_id, title, body, severity, topic, area, starts_at, expires_at, withdrawn,
		author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	args := []any{a.ID, a.TenantID, a.Title, a.Body, a.Severity, a.Topic, a.Area, a.Start.UTC(), a.Expires.UTC(), false,
		a.Author, a.CreatedAt, a.UpdatedAt}
	err = s.DB().InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, insert, args...); err != nil {
			return err
		}
		if err := publishing.Index(ctx, tx, true, a.doc()); err != nil {
			return err
		}
		_, err := s.jobs.InsertTx(ctx, tx, AlertArgs{TenantID: a.TenantID, AlertID: a.ID, BaseURL: baseURL}, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("alerts: publish alert: %w", err)
	}
	s.Changed(ctx, a.TenantID)
	return nil
}

// Withdraw ends an alert before its expiry.
func (s *Store) Withdraw(ctx context.Context, tenantID, id string) error {
	res, err := s.DB().Exec(ctx, `UPDATE content_alerts SET withdrawn = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		true, s.Stamp(), tenantID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return publishing.ErrNotFound
	}
	if err := search.Remove(ctx, s.DB(), tenantID, KindAlert, id); err != nil {
		return err
	}
	s.Changed(ctx, tenantID)
	return nil
}

// KindAlert is the alerts' kind in the site search.
const KindAlert = "alert"

// doc is the alert as the site search finds it: from its start to its end.
func (a *Alert) doc() search.Doc {
	return search.Doc{TenantID: a.TenantID, Kind: KindAlert, ID: a.ID, Title: a.Title, URL: "/alertes",
		Body: a.Body + "\n" + a.Area, PublishedAt: a.Start, ExpiresAt: a.Expires}
}

// SearchKind is the alerts in the site search: each is indexed when
// published and taken out when withdrawn; Docs fills the index with the
// current ones when it is rebuilt.
func (s *Store) SearchKind() search.Kind {
	return search.Kind{Name: KindAlert, Label: "alerts.search.kind", Docs: func(ctx context.Context, tenantID string) ([]search.Doc, error) {
		list, err := s.alerts(ctx, `WHERE tenant_id = ? AND expires_at > ? AND withdrawn = ?`, tenantID, s.Stamp(), false)
		if err != nil {
			return nil, err
		}
		docs := make([]search.Doc, len(list))
		for i, a := range list {
			docs[i] = a.doc()
		}
		return docs, nil
	}}
}

// Active returns the alerts showing now, most severe first.
func (s *Store) Active(ctx context.Context, tenantID string) ([]*Alert, error) {
	now := s.Stamp()
	return s.alerts(ctx, `WHERE tenant_id = ? AND expires_at > ? AND starts_at <= ? AND withdrawn = ?
		ORDER BY CASE severity WHEN 'urgent' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, starts_at DESC LIMIT 10`,
		tenantID, now, now, false)
}

// ByID returns one alert of the collectivité.
func (s *Store) ByID(ctx context.Context, tenantID, id string) (*Alert, error) {
	return scanAlert(s.DB().QueryRow(ctx, `SELECT `+alertColumns+` FROM content_alerts WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Recent returns alerts newest first, one page at a time (for the
// feed, the API and editors); published ones only when public.
func (s *Store) Recent(ctx context.Context, tenantID string, after publishing.Cursor, limit int) ([]*Alert, publishing.Cursor, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	where, args := "WHERE tenant_id = ? AND starts_at <= ?", []any{tenantID, s.Stamp()}
	if after.ID != "" {
		where += " AND (created_at < ? OR (created_at = ? AND id < ?))"
		args = append(args, after.At, after.At, after.ID)
	}
	list, err := s.alerts(ctx, where+` ORDER BY created_at DESC, id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil || len(list) <= limit {
		return list, publishing.Cursor{}, err
	}
	last := list[limit-1]
	return list[:limit], publishing.Cursor{At: last.CreatedAt, ID: last.ID}, nil
}

func (s *Store) alerts(ctx context.Context, where string, args ...any) ([]*Alert, error) {
	rows, err := s.DB().Query(ctx, `SELECT `+alertColumns+` FROM content_alerts `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Areas returns the collectivité's neighbourhoods, in order.
func (s *Store) Areas(ctx context.Context, tenantID string) ([]string, error) {
	rows, err := s.DB().Query(ctx, `SELECT name FROM content_areas WHERE tenant_id = ? ORDER BY position, name`, tenantID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// SetAreas replaces the list of neighbourhoods (one name a line).
func (s *Store) SetAreas(ctx context.Context, tenantID string, names []string) error {
	var clean []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(clean, n) {
			if len([]rune(n)) > 80 {
				return guichet.Invalid(map[string]string{"areas": "Un nom de quartier dépasse 80 caractères."})
			}
			clean = append(clean, n)
		}
	}
	if len(clean) > 100 {
		return guichet.Invalid(map[string]string{"areas": "Indiquez au plus 100 quartiers."})
	}
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM content_areas WHERE tenant_id = ?`, tenantID); err != nil {
			return err
		}
		for i, n := range clean {
			if _, err := tx.Exec(ctx, `INSERT INTO content_areas (tenant_id, name, position) VALUES (?, ?, ?)`, tenantID, n, i); err != nil {
				return err
			}
		}
		return nil
	})
}
