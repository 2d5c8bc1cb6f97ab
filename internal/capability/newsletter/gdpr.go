package newsletter

import (
	"context"
	"fmt"
	"slices"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/privacy"
	"guichet/internal/publishing"
)

// How long the newsletter keeps what it keeps, in days.
var (
	// UnconfirmedDays: a subscription never confirmed goes once its link
	// has expired.
	UnconfirmedDays = int(publishing.ConfirmWithin / (24 * time.Hour))
	// DeliveryDays: who received a campaign, and what they opened, is
	// kept a year after the campaign ended, for the figures and bounces.
	DeliveryDays = 365
	// SuppressionDays: the hash of an address that unsubscribed keeps it
	// out of imports for three years (the CNIL's duration for prospects).
	SuppressionDays = 3 * 365
	// ImportDays: an import's report (counts and line numbers, no
	// addresses) stays a year.
	ImportDays = 365
)

// exportedSubscriber is what a data export shows of a subscription.
type exportedSubscriber struct {
	Email         string     `json:"email"`
	Name          string     `json:"name,omitempty"`
	Language      string     `json:"language"`
	Status        string     `json:"status"`
	Lists         []string   `json:"lists"`
	ConsentAt     *time.Time `json:"consent_at,omitempty"`
	ConsentSource string     `json:"consent_source,omitempty"`
	Measure       bool       `json:"measure_consent"`
	Received      []received `json:"received"`
}

type received struct {
	Campaign string     `json:"campaign"`
	SentAt   *time.Time `json:"sent_at,omitempty"`
	Opened   *time.Time `json:"opened_at,omitempty"`
	Clicked  *time.Time `json:"clicked_at,omitempty"`
}

// Export returns the person's subscription, found by their proven
// address, with the campaigns sent to it.
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	out := []exportedSubscriber{}
	if p.Email == "" {
		return out, nil
	}
	sub, err := s.subscriberByEmail(ctx, s.DB(), p.TenantID, p.Email)
	if err == ErrNotFound {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	lists, err := s.Lists(ctx, p.TenantID, false)
	if err != nil {
		return nil, err
	}
	e := exportedSubscriber{Email: sub.Email, Name: sub.Name, Language: sub.Lang, Status: sub.Status, Lists: []string{},
		ConsentAt: sub.ConsentAt, ConsentSource: sub.ConsentSource, Measure: sub.Measure, Received: []received{}}
	for _, l := range lists {
		if slices.Contains(sub.Lists, l.ID) {
			e.Lists = append(e.Lists, l.Name)
		}
	}
	rows, err := s.DB().Query(ctx, `SELECT c.subject, d.sent_at, d.opened_at, d.clicked_at FROM newsletter_deliveries d
		JOIN newsletter_campaigns c ON c.id = d.campaign_id WHERE d.tenant_id = ? AND d.subscriber_id = ? ORDER BY c.created_at`,
		p.TenantID, sub.ID)
	if err != nil {
		return nil, fmt.Errorf("newsletter: export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r received
		var sent, opened, clicked nullTime
		if err := rows.Scan(&r.Campaign, &sent, &opened, &clicked); err != nil {
			return nil, err
		}
		r.SentAt, r.Opened, r.Clicked = sent.ptr(), opened.ptr(), clicked.ptr()
		e.Received = append(e.Received, r)
	}
	return append(out, e), rows.Err()
}

// Eraser says what erasing a person does to their newsletter: the
// subscription and the record of what it received are deleted.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "newsletter", Effect: "newsletter.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	if p.Email == "" {
		return nil
	}
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		where, args := p.Match("", "email")
		all := append([]any{p.TenantID}, args...)
		if _, err := tx.Exec(ctx, `DELETE FROM newsletter_deliveries WHERE subscriber_id IN
			(SELECT id FROM newsletter_subscribers WHERE tenant_id = ? AND `+where+`)`, all...); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM newsletter_subscribers WHERE tenant_id = ? AND `+where, all...)
		return err
	})
}

// RetentionRules returns the rules the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{
		{Key: "newsletter.unconfirmed", Apply: func(ctx context.Context) (int64, error) {
			return s.purge(ctx, `DELETE FROM newsletter_subscribers WHERE status = ? AND created_at < ?`,
				SubscriberPending, privacy.Cutoff(s.Stamp(), UnconfirmedDays))
		}},
		{Key: "newsletter.deliveries", Apply: func(ctx context.Context) (int64, error) {
			return s.purge(ctx, `DELETE FROM newsletter_deliveries WHERE campaign_id IN (SELECT id FROM newsletter_campaigns
				WHERE finished_at IS NOT NULL AND finished_at < ?)`, privacy.Cutoff(s.Stamp(), DeliveryDays))
		}},
		{Key: "newsletter.suppressions", Apply: func(ctx context.Context) (int64, error) {
			return s.purge(ctx, `DELETE FROM newsletter_suppressions WHERE created_at < ?`, privacy.Cutoff(s.Stamp(), SuppressionDays))
		}},
		{Key: "newsletter.imports", Apply: func(ctx context.Context) (int64, error) {
			return s.purge(ctx, `DELETE FROM newsletter_imports WHERE created_at < ?`, privacy.Cutoff(s.Stamp(), ImportDays))
		}},
	}
}

func (s *Store) purge(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := s.DB().Exec(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("newsletter: retention: %w", err)
	}
	return res.RowsAffected()
}

// Processing returns the newsletter's line of the register of processing
// activities; its texts are in the web module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	const k = "newsletter.privacy.subscribers."
	return []privacy.Activity{{Key: "newsletter.subscribers", Order: 215, Bases: []privacy.Basis{privacy.Consent},
		Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"), People: privacy.T(k + "people"),
		Data: privacy.T(k + "data"), Retention: privacy.T(k+"retention", UnconfirmedDays, DeliveryDays, SuppressionDays),
		Recipients: privacy.T(k + "recipients")}}
}
