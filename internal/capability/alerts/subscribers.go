package alerts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/publishing"
)

// Subscriber is someone who receives alerts by email, without an account.
type Subscriber struct {
	ID, Email, Lang  string
	Topics, Areas    []string // no Areas: every neighbourhood
	UnsubscribeToken string
	ConfirmedAt      *time.Time
}

// wants reports whether the subscriber receives alert a.
func (sub *Subscriber) wants(a *Alert) bool {
	return slices.Contains(sub.Topics, a.Topic) && (a.Area == "" || len(sub.Areas) == 0 || slices.Contains(sub.Areas, a.Area))
}

// Subscribe records a subscription and mails its confirmation link
// (double opt-in). An address already confirmed gets a message saying so,
// with its unsubscribe link, and nothing changes: the answer to the form
// is the same either way, so it tells nobody who subscribed.
func (s *Store) Subscribe(ctx context.Context, tenantID, email string, topics, areas []string, baseURL, lang string) error {
	known, err := s.Areas(ctx, tenantID)
	if err != nil {
		return err
	}
	errs := map[string]string{}
	addr, perr := mail.ParseAddress(strings.TrimSpace(email))
	if perr != nil || addr.Name != "" || len(addr.Address) > 254 {
		errs["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	topics = only(topics, Topics)
	if len(topics) == 0 {
		errs["topics"] = "Choisissez au moins un thème."
	}
	if len(only(areas, known)) != len(areas) {
		errs["areas"] = "Choisissez des quartiers de la liste."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	to := strings.ToLower(addr.Address)
	var id, unsub string
	var confirmed sql.NullTime
	err = s.DB().QueryRow(ctx, `SELECT id, unsubscribe_token, confirmed_at FROM content_subscribers WHERE tenant_id = ? AND email = ?`,
		tenantID, to).Scan(&id, &unsub, &confirmed)
	switch {
	case err == nil && confirmed.Valid:
		return s.Send(ctx, tenantID, to, "alerts/alert_already", lang, map[string]any{
			"UnsubscribeURL": baseURL + "/alertes/desabonnement/" + unsub})
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return err
	}
	token, hash := publishing.NewLink()
	if id == "" {
		_, err = s.DB().Exec(ctx, `INSERT INTO content_subscribers (id, tenant_id, email, topics, areas, confirm_hash,
			unsubscribe_token, created_at, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), tenantID, to,
			strings.Join(topics, ","), strings.Join(areas, "\n"), hash, publishing.NewUnsubscribeToken(), s.Stamp(), publishing.MailLang(lang))
	} else {
		_, err = s.DB().Exec(ctx, `UPDATE content_subscribers SET topics = ?, areas = ?, confirm_hash = ?, created_at = ?, lang = ?
			WHERE tenant_id = ? AND id = ?`, strings.Join(topics, ","), strings.Join(areas, "\n"), hash, s.Stamp(),
			publishing.MailLang(lang), tenantID, id)
	}
	if err != nil {
		return fmt.Errorf("alerts: subscribe: %w", err)
	}
	return s.Send(ctx, tenantID, to, "alerts/alert_confirm", lang, map[string]any{
		"ConfirmURL": baseURL + "/alertes/confirmer/" + token})
}

func only(values, allowed []string) []string {
	var out []string
	for _, v := range values {
		if slices.Contains(allowed, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Errors of a subscription's confirmation link.
var (
	// ErrConfirmLinkInvalid covers an unknown link, or one past its week.
	ErrConfirmLinkInvalid = guichet.Errorf(guichet.ENotFound, "Ce lien de confirmation n'est plus valable.")
	// ErrSubscriptionConfirmed is a link followed a second time.
	ErrSubscriptionConfirmed = guichet.Errorf(guichet.EConflict, "Cet abonnement est déjà confirmé.")
)

// subscriptions is the double opt-in of alert subscribers: confirmed once
// confirmed_at is set.
var subscriptions = publishing.OptIn{
	Table: "content_subscribers", HashColumn: "confirm_hash", UnsubscribeColumn: "unsubscribe_token",
	Pending:    publishing.Cond{SQL: "confirmed_at IS NULL"},
	Confirm:    func(now time.Time) publishing.Cond { return publishing.Cond{SQL: "confirmed_at = ?", Args: []any{now}} },
	ErrInvalid: ErrConfirmLinkInvalid, ErrConfirmed: ErrSubscriptionConfirmed,
}

// SubscriptionByLink returns the subscription of a confirmation link,
// confirmed or not, without changing it: the link's page shows what
// confirming does before anyone confirms (mail scanners open links).
func (s *Store) SubscriptionByLink(ctx context.Context, tenantID, token string) (*Subscriber, error) {
	link, err := subscriptions.ByLink(ctx, s.DB(), tenantID, token, s.Stamp())
	if err != nil {
		return nil, err
	}
	var sub Subscriber
	var topics, areas string
	var confirmed sql.NullTime
	err = s.DB().QueryRow(ctx, `SELECT id, email, topics, areas, lang, confirmed_at FROM content_subscribers
		WHERE tenant_id = ? AND id = ?`, tenantID, link.ID).Scan(&sub.ID, &sub.Email, &topics, &areas, &sub.Lang, &confirmed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrConfirmLinkInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("alerts: subscription by link: %w", err)
	}
	sub.Topics, sub.Areas = splitList(topics, ","), splitList(areas, "\n")
	if confirmed.Valid {
		sub.ConfirmedAt = &confirmed.Time
	}
	return &sub, nil
}

func splitList(s, sep string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}

// ConfirmSubscription activates the subscription of a confirmation link;
// a second use is told the subscription is already confirmed
// (ErrSubscriptionConfirmed).
func (s *Store) ConfirmSubscription(ctx context.Context, tenantID, token string) error {
	return subscriptions.ConfirmLink(ctx, s.DB(), tenantID, token, s.Stamp())
}

// Unsubscribe deletes the subscription of an unsubscribe link; an unknown
// or used link is not an error (the address is no longer subscribed).
func (s *Store) Unsubscribe(ctx context.Context, tenantID, token string) error {
	return subscriptions.Unsubscribe(ctx, s.DB(), tenantID, token)
}

// sendBatch is how many subscribers one query reads while mailing.
const sendBatch = 200

// SendAlert mails an alert to every confirmed subscriber who wants it.
// It records its progress after each batch, so a retried job resumes
// where the failed one stopped instead of mailing people twice.
func (s *Store) SendAlert(ctx context.Context, args AlertArgs) error {
	a, err := s.ByID(ctx, args.TenantID, args.AlertID)
	if errors.Is(err, publishing.ErrNotFound) || (err == nil && (a.SentAt != nil || a.Withdrawn)) {
		return nil
	}
	if err != nil {
		return err
	}
	var cursor string
	if err := s.DB().QueryRow(ctx, `SELECT send_cursor FROM content_alerts WHERE tenant_id = ? AND id = ?`, a.TenantID, a.ID).Scan(&cursor); err != nil {
		return err
	}
	for {
		subs, err := s.confirmedAfter(ctx, a.TenantID, cursor)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			if !sub.wants(a) {
				continue
			}
			unsub := args.BaseURL + "/alertes/desabonnement/" + sub.UnsubscribeToken
			if err := s.Send(ctx, a.TenantID, sub.Email, "alerts/alert", sub.Lang, map[string]any{
				"Title": a.Title, "Body": a.Body, "Severity": a.Severity, "Area": a.Area,
				"AlertsURL": args.BaseURL + "/alertes", "UnsubscribeURL": unsub}); err != nil {
				return err
			}
		}
		if len(subs) == 0 {
			break
		}
		cursor = subs[len(subs)-1].ID
		if _, err := s.DB().Exec(ctx, `UPDATE content_alerts SET send_cursor = ? WHERE tenant_id = ? AND id = ?`, cursor, a.TenantID, a.ID); err != nil {
			return err
		}
		if len(subs) < sendBatch {
			break
		}
	}
	_, err = s.DB().Exec(ctx, `UPDATE content_alerts SET sent_at = ? WHERE tenant_id = ? AND id = ?`, s.Stamp(), a.TenantID, a.ID)
	return err
}

func (s *Store) confirmedAfter(ctx context.Context, tenantID, after string) ([]*Subscriber, error) {
	rows, err := s.DB().Query(ctx, `SELECT id, email, topics, areas, unsubscribe_token, lang FROM content_subscribers
		WHERE tenant_id = ? AND confirmed_at IS NOT NULL AND id > ? ORDER BY id LIMIT ?`, tenantID, after, sendBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Subscriber
	for rows.Next() {
		var sub Subscriber
		var topics, areas string
		if err := rows.Scan(&sub.ID, &sub.Email, &topics, &areas, &sub.UnsubscribeToken, &sub.Lang); err != nil {
			return nil, err
		}
		sub.Topics = strings.Split(topics, ",")
		if areas != "" {
			sub.Areas = strings.Split(areas, "\n")
		}
		out = append(out, &sub)
	}
	return out, rows.Err()
}

// SubscriberCount returns how many confirmed subscribers the collectivité has.
func (s *Store) SubscriberCount(ctx context.Context, tenantID string) (int, error) {
	var n int
	err := s.DB().QueryRow(ctx, `SELECT COUNT(*) FROM content_subscribers WHERE tenant_id = ? AND confirmed_at IS NOT NULL`, tenantID).Scan(&n)
	return n, err
}
