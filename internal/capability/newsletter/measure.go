package newsletter

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"guichet/internal/kernel/db"
)

// measureToken is what the addresses of one subscriber's opens and clicks
// carry: the campaign, the subscriber and a MAC of both, so that nobody
// counts for someone else and nothing is stored to look it up.
func (s *Store) measureToken(campaignID, subscriberID string) string {
	return campaignID + "." + subscriberID + "." + s.measureMAC(campaignID, subscriberID)
}

func (s *Store) measureMAC(campaignID, subscriberID string) string {
	m := hmac.New(sha256.New, s.MeasureKey)
	m.Write([]byte(campaignID + "|" + subscriberID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// readToken checks a measure token and returns its campaign and
// subscriber.
func (s *Store) readToken(token string) (campaignID, subscriberID string, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(s.MeasureKey) == 0 {
		return "", "", false
	}
	want := s.measureMAC(parts[0], parts[1])
	return parts[0], parts[1], hmac.Equal([]byte(want), []byte(parts[2]))
}

// Opened counts the first opening of a measured message; a token that
// does not check, or a subscriber who did not agree, counts nothing.
func (s *Store) Opened(ctx context.Context, tenantID, token string) error {
	campaignID, subscriberID, ok := s.readToken(token)
	if !ok {
		return nil
	}
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		n, err := s.firstTime(ctx, tx, tenantID, campaignID, subscriberID, "opened_at")
		if err != nil || n == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE newsletter_campaigns SET opens = opens + 1 WHERE tenant_id = ? AND id = ?`, tenantID, campaignID)
		return err
	})
}

// firstTime sets a delivery's column to now if it was unset, for a
// subscriber who agreed to the measure of a campaign that measures.
func (s *Store) firstTime(ctx context.Context, tx *db.Tx, tenantID, campaignID, subscriberID, column string) (int64, error) {
	res, err := tx.Exec(ctx, `UPDATE newsletter_deliveries SET `+column+` = ? WHERE tenant_id = ? AND campaign_id = ? AND subscriber_id = ?
		AND `+column+` IS NULL
		AND EXISTS (SELECT 1 FROM newsletter_campaigns c WHERE c.id = campaign_id AND c.measure = ?)
		AND EXISTS (SELECT 1 FROM newsletter_subscribers s WHERE s.id = subscriber_id AND s.measure = ?)`,
		s.Stamp(), tenantID, campaignID, subscriberID, true, true)
	if err != nil {
		return 0, fmt.Errorf("newsletter: measure: %w", err)
	}
	return res.RowsAffected()
}

// Clicked returns the address of link n of a campaign and counts the
// click (the first of each subscriber in the campaign's figure, every one
// in the link's). Only the campaign's own links are followed: the counter
// is no open redirect.
func (s *Store) Clicked(ctx context.Context, tenantID, token string, n int) (string, error) {
	campaignID, subscriberID, ok := s.readToken(token)
	if !ok {
		return "", ErrNotFound
	}
	var target string
	err := s.DB().QueryRow(ctx, `SELECT l.url FROM newsletter_links l JOIN newsletter_campaigns c ON c.id = l.campaign_id
		WHERE c.tenant_id = ? AND l.campaign_id = ? AND l.n = ?`, tenantID, campaignID, n).Scan(&target)
	if err != nil {
		return "", ErrNotFound
	}
	err = s.DB().InTx(ctx, func(tx *db.Tx) error {
		first, err := s.firstTime(ctx, tx, tenantID, campaignID, subscriberID, "clicked_at")
		if err != nil {
			return err
		}
		if first > 0 {
			if _, err := tx.Exec(ctx, `UPDATE newsletter_campaigns SET clicks = clicks + 1 WHERE tenant_id = ? AND id = ?`, tenantID, campaignID); err != nil {
				return err
			}
		}
		var agreed int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM newsletter_deliveries d JOIN newsletter_subscribers s ON s.id = d.subscriber_id
			WHERE d.tenant_id = ? AND d.campaign_id = ? AND d.subscriber_id = ? AND s.measure = ?`, tenantID, campaignID, subscriberID, true).Scan(&agreed); err != nil {
			return err
		}
		if agreed == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE newsletter_links SET clicks = clicks + 1 WHERE campaign_id = ? AND n = ?`, campaignID, n)
		return err
	})
	return target, err
}

// LinkFigure is one link of a measured campaign and its clicks.
type LinkFigure struct {
	URL    string
	Clicks int
}

// Links returns a measured campaign's links and their clicks.
func (s *Store) Links(ctx context.Context, tenantID, campaignID string) ([]LinkFigure, error) {
	rows, err := s.DB().Query(ctx, `SELECT l.url, l.clicks FROM newsletter_links l JOIN newsletter_campaigns c ON c.id = l.campaign_id
		WHERE c.tenant_id = ? AND l.campaign_id = ? ORDER BY l.clicks DESC, l.n`, tenantID, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LinkFigure
	for rows.Next() {
		var f LinkFigure
		if err := rows.Scan(&f.URL, &f.Clicks); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Breakdown counts a campaign's deliveries by status.
func (s *Store) Breakdown(ctx context.Context, tenantID, campaignID string) (map[string]int, error) {
	return s.countBy(ctx, `SELECT status, COUNT(*) FROM newsletter_deliveries WHERE tenant_id = ? AND campaign_id = ? GROUP BY status`,
		tenantID, campaignID)
}

// MeasureTokenFor returns the measure token of a subscriber in a
// campaign (tests and fixtures build the counters' addresses with it).
func (s *Store) MeasureTokenFor(campaignID, subscriberID string) string {
	return s.measureToken(campaignID, subscriberID)
}
