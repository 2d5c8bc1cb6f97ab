package content

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

// Severities of an alert, from the least to the most urgent.
const (
	SeverityInfo    = "info"
	SeverityWarning = "warning"
	SeverityUrgent  = "urgent"
)

// Severities and Topics are the values editors choose from; their labels
// are the web layer's messages "content.severity.X" and "content.topic.X".
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
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("content: alert: %w", err)
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

// PublishAlert stores a new alert and, in the same transaction, the job
// that mails it at once to its subscribers.
func (s *Store) PublishAlert(ctx context.Context, a *Alert, baseURL string) error {
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
		return errors.New("content: publish alert: no job queue to mail it (UseQueue)")
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
		_, err := s.jobs.InsertTx(ctx, tx, AlertArgs{TenantID: a.TenantID, AlertID: a.ID, BaseURL: baseURL}, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("content: publish alert: %w", err)
	}
	s.Changed(ctx, a.TenantID)
	return nil
}

// WithdrawAlert ends an alert before its expiry.
func (s *Store) WithdrawAlert(ctx context.Context, tenantID, id string) error {
	res, err := s.DB().Exec(ctx, `UPDATE content_alerts SET withdrawn = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		true, s.Stamp(), tenantID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	s.Changed(ctx, tenantID)
	return nil
}

// ActiveAlerts returns the alerts showing now, most severe first.
func (s *Store) ActiveAlerts(ctx context.Context, tenantID string) ([]*Alert, error) {
	now := s.Stamp()
	return s.alerts(ctx, `WHERE tenant_id = ? AND expires_at > ? AND starts_at <= ? AND withdrawn = ?
		ORDER BY CASE severity WHEN 'urgent' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, starts_at DESC LIMIT 10`,
		tenantID, now, now, false)
}

// AlertByID returns one alert of the collectivité.
func (s *Store) AlertByID(ctx context.Context, tenantID, id string) (*Alert, error) {
	return scanAlert(s.DB().QueryRow(ctx, `SELECT `+alertColumns+` FROM content_alerts WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// RecentAlerts returns alerts newest first, one page at a time (for the
// feed, the API and editors); published ones only when public.
func (s *Store) RecentAlerts(ctx context.Context, tenantID string, after Cursor, limit int) ([]*Alert, Cursor, error) {
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
		return list, Cursor{}, err
	}
	last := list[limit-1]
	return list[:limit], Cursor{At: last.CreatedAt, ID: last.ID}, nil
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
