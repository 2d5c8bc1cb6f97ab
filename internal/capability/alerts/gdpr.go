package alerts

import (
	"context"
	"database/sql"
	"fmt"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/privacy"
	"guichet/internal/publishing"
	"time"
)

// UnconfirmedSubscriberDays: a subscription never confirmed goes once its
// link has expired.
var UnconfirmedSubscriberDays = int(publishing.ConfirmWithin / (24 * time.Hour))

// exportedSubscription is what a data export shows of an alert subscription.
type exportedSubscription struct {
	Email       string     `json:"email"`
	Topics      []string   `json:"topics"`
	Areas       []string   `json:"areas,omitempty"`
	Language    string     `json:"language"`
	CreatedAt   time.Time  `json:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
}

// ExportSubscriptions returns the person's alert subscription, found by
// their proven address.
func (s *Store) ExportSubscriptions(ctx context.Context, p account.Person) (any, error) {
	where, args := p.Match("", "email")
	rows, err := s.DB().Query(ctx, `SELECT email, topics, areas, lang, created_at, confirmed_at FROM content_subscribers
		WHERE tenant_id = ? AND `+where+` ORDER BY created_at`, append([]any{p.TenantID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("alerts: export subscriptions: %w", err)
	}
	defer rows.Close()
	out := []exportedSubscription{}
	for rows.Next() {
		var e exportedSubscription
		var topics, areas string
		var confirmed sql.NullTime
		if err := rows.Scan(&e.Email, &topics, &areas, &e.Language, &e.CreatedAt, &confirmed); err != nil {
			return nil, err
		}
		e.Topics, e.Areas, e.ConfirmedAt = splitList(topics, ","), splitList(areas, "\n"), publishing.FromNull(confirmed)
		out = append(out, e)
	}
	return out, rows.Err()
}

// PurgeUnconfirmedSubscribers deletes the subscriptions whose
// confirmation link expired unused.
func (s *Store) PurgeUnconfirmedSubscribers(ctx context.Context) (int64, error) {
	res, err := s.DB().Exec(ctx, `DELETE FROM content_subscribers WHERE confirmed_at IS NULL AND created_at < ?`,
		privacy.Cutoff(s.Stamp(), UnconfirmedSubscriberDays))
	if err != nil {
		return 0, fmt.Errorf("alerts: retention: %w", err)
	}
	return res.RowsAffected()
}

// Eraser says what erasing a person does to their alerts: their
// subscription is deleted.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "alerts", Effect: "alerts.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	where, args := p.Match("", "email")
	if _, err := s.DB().Exec(ctx, `DELETE FROM content_subscribers WHERE tenant_id = ? AND `+where,
		append([]any{p.TenantID}, args...)...); err != nil {
		return fmt.Errorf("alerts: erase subscription: %w", err)
	}
	return nil
}

// RetentionRules returns the rule the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "alerts.subscribers", Apply: s.PurgeUnconfirmedSubscribers}}
}

// Processing returns the alerts' line of the register of processing
// activities; its texts are in the alerts web module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	const k = "alerts.privacy.subscribers."
	return []privacy.Activity{{Key: "alerts.subscribers", Order: 210, Bases: []privacy.Basis{privacy.Consent},
		Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"), People: privacy.T(k + "people"),
		Data: privacy.T(k + "data"), Retention: privacy.T(k+"retention", UnconfirmedSubscriberDays), Recipients: privacy.T(k + "recipients")}}
}
