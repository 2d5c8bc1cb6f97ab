package newsletter

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	netmail "net/mail"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Subscriber is someone who receives the newsletter, without an account.
type Subscriber struct {
	ID, TenantID, Email, Name, Lang, Status string
	// ConsentAt and ConsentSource say when and how the person agreed:
	// "formulaire du site" once they confirmed, or the source an import
	// declared.
	ConsentAt     *time.Time
	ConsentSource string
	// Measure is their consent to opens and clicks being measured.
	Measure          bool
	SoftBounces      int
	SuspendedReason  string
	Lists            []string
	UnsubscribeToken string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Subscription is what the public form asks.
type Subscription struct {
	Email, Name, Lang string
	Lists             []string
	Measure           bool
}

// SourceForm is the consent source of a subscription confirmed by link.
const SourceForm = "formulaire du site"

// Errors of the subscription links.
var (
	ErrConfirmLinkInvalid = guichet.Errorf(guichet.ENotFound, "Ce lien de confirmation n'est plus valable.")
	ErrAlreadyConfirmed   = guichet.Errorf(guichet.EConflict, "Cet abonnement est déjà confirmé.")
)

// optIn is the double opt-in of subscribers: confirmed once active.
var optIn = publishing.OptIn{
	Table: "newsletter_subscribers", HashColumn: "confirm_hash", UnsubscribeColumn: "unsubscribe_token",
	Pending: publishing.Cond{SQL: "status = ?", Args: []any{SubscriberPending}},
	Confirm: func(now time.Time) publishing.Cond {
		return publishing.Cond{SQL: "status = ?, consent_at = ?, consent_source = ?, updated_at = ?",
			Args: []any{SubscriberActive, now, SourceForm, now}}
	},
	ErrInvalid: ErrConfirmLinkInvalid, ErrConfirmed: ErrAlreadyConfirmed,
}

// ParseEmail checks an address and returns it in lower case.
func ParseEmail(email string) (string, bool) {
	addr, err := netmail.ParseAddress(strings.TrimSpace(email))
	if err != nil || addr.Name != "" || len(addr.Address) > 254 || !strings.Contains(addr.Address, ".") {
		return "", false
	}
	return strings.ToLower(addr.Address), true
}

// emailHash is what the suppression list keeps of an address.
func emailHash(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:])
}

// Subscribe records a subscription from the public form and mails its
// confirmation link (double opt-in): nothing else reaches the address
// until its owner confirms. An address already active gets a message
// saying so, with its unsubscribe link; the form's answer is the same
// either way, so it tells nobody who subscribed. Subscribing again lifts
// a past unsubscription: the person asked.
func (s *Store) Subscribe(ctx context.Context, tenantID string, f Subscription, baseURL string) error {
	errs := map[string]string{}
	email, ok := ParseEmail(f.Email)
	if !ok {
		errs["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	f.Name = strings.TrimSpace(f.Name)
	publishing.CheckText(errs, "name", f.Name, 0, 100, "", "Le nom dépasse 100 caractères.")
	public, err := s.listIDs(ctx, tenantID, true)
	if err != nil {
		return err
	}
	lists := only(f.Lists, public)
	if len(lists) != len(f.Lists) {
		errs["lists"] = "Choisissez des listes proposées."
	} else if len(lists) == 0 && len(public) > 0 {
		errs["lists"] = "Choisissez au moins une liste."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	lang := publishing.MailLang(f.Lang)
	cur, err := s.subscriberByEmail(ctx, s.DB(), tenantID, email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if cur != nil && cur.Status != SubscriberPending {
		return s.Send(ctx, tenantID, email, "newsletter/already", lang, map[string]any{
			"UnsubscribeURL": baseURL + "/lettre/desabonnement/" + cur.UnsubscribeToken})
	}
	token, hash := publishing.NewLink()
	now := s.Stamp()
	err = s.DB().InTx(ctx, func(tx *db.Tx) error {
		id := ""
		if cur == nil {
			id = uuid.NewString()
			if _, err := tx.Exec(ctx, `INSERT INTO newsletter_subscribers (id, tenant_id, email, name, lang, status, confirm_hash,
				unsubscribe_token, measure, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, tenantID, email, f.Name, lang, SubscriberPending, hash, publishing.NewUnsubscribeToken(), f.Measure, now, now); err != nil {
				return err
			}
		} else {
			id = cur.ID
			if _, err := tx.Exec(ctx, `UPDATE newsletter_subscribers SET name = ?, lang = ?, confirm_hash = ?, measure = ?,
				created_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`, f.Name, lang, hash, f.Measure, now, now, tenantID, id); err != nil {
				return err
			}
		}
		return setLists(ctx, tx, tenantID, id, lists)
	})
	if err != nil {
		return fmt.Errorf("newsletter: subscribe: %w", err)
	}
	return s.Send(ctx, tenantID, email, "newsletter/confirm", lang, map[string]any{
		"ConfirmURL": baseURL + "/lettre/confirmer/" + token})
}

// setLists replaces a subscriber's memberships.
func setLists(ctx context.Context, tx *db.Tx, tenantID, id string, lists []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM newsletter_memberships WHERE tenant_id = ? AND subscriber_id = ?`, tenantID, id); err != nil {
		return err
	}
	for _, l := range lists {
		if _, err := tx.Exec(ctx, `INSERT INTO newsletter_memberships (list_id, subscriber_id, tenant_id) VALUES (?, ?, ?)`,
			l, id, tenantID); err != nil {
			return err
		}
	}
	return nil
}

// SubscriberByLink returns the subscription of a confirmation link,
// confirmed or not, without changing it (mail scanners open links).
func (s *Store) SubscriberByLink(ctx context.Context, tenantID, token string) (*Subscriber, error) {
	link, err := optIn.ByLink(ctx, s.DB(), tenantID, token, s.Stamp())
	if err != nil {
		return nil, err
	}
	return s.Subscriber(ctx, tenantID, link.ID)
}

// Confirm activates the subscription of a confirmation link and records
// the consent; a second use is told it is already confirmed.
func (s *Store) Confirm(ctx context.Context, tenantID, token string) error {
	if err := optIn.ConfirmLink(ctx, s.DB(), tenantID, token, s.Stamp()); err != nil {
		return err
	}
	sub, err := s.SubscriberByLink(ctx, tenantID, token)
	if err != nil {
		return err
	}
	// The person asked again: a past unsubscription no longer stands.
	_, err = s.DB().Exec(ctx, `DELETE FROM newsletter_suppressions WHERE tenant_id = ? AND email_hash = ?`, tenantID, emailHash(sub.Email))
	return err
}

// SubscriberByUnsubscribe returns the subscriber of an unsubscribe
// link; ErrNotFound when the link was used (the address is gone).
func (s *Store) SubscriberByUnsubscribe(ctx context.Context, tenantID, token string) (*Subscriber, error) {
	if token == "" {
		return nil, ErrNotFound
	}
	return s.scanOne(ctx, s.DB(), `WHERE tenant_id = ? AND unsubscribe_token = ?`, tenantID, token)
}

// Unsubscribe deletes the subscriber of an unsubscribe link and keeps the
// hash of their address so that no import adds it back. It is what the
// one-click POST of RFC 8058 does: without a session, and a second call
// (or an unknown link) changes nothing and is not an error.
func (s *Store) Unsubscribe(ctx context.Context, tenantID, token string) error {
	sub, err := s.SubscriberByUnsubscribe(ctx, tenantID, token)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.remove(ctx, sub, "desabonnement")
}

// remove deletes a subscriber and records the suppression of the address.
func (s *Store) remove(ctx context.Context, sub *Subscriber, reason string) error {
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		if err := suppress(ctx, tx, sub.TenantID, sub.Email, reason, s.Stamp()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM newsletter_subscribers WHERE tenant_id = ? AND id = ?`, sub.TenantID, sub.ID)
		return err
	})
}

func suppress(ctx context.Context, tx *db.Tx, tenantID, email, reason string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO newsletter_suppressions (tenant_id, email_hash, reason, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, email_hash) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at`,
		tenantID, emailHash(email), reason, now)
	return err
}

// Suppressed reports whether an address asked never to be written to.
func (s *Store) Suppressed(ctx context.Context, q db.Querier, tenantID, email string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM newsletter_suppressions WHERE tenant_id = ? AND email_hash = ?`,
		tenantID, emailHash(email)).Scan(&n)
	return n > 0, err
}

// ChangeLists sets the lists of the subscriber of an unsubscribe link
// (the page every message links to lets one keep some lists only).
func (s *Store) ChangeLists(ctx context.Context, tenantID, token string, lists []string) error {
	sub, err := s.SubscriberByUnsubscribe(ctx, tenantID, token)
	if err != nil {
		return err
	}
	public, err := s.listIDs(ctx, tenantID, true)
	if err != nil {
		return err
	}
	chosen := only(lists, public)
	if len(chosen) != len(lists) {
		return guichet.Invalid(map[string]string{"lists": "Choisissez des listes proposées."})
	}
	// Lists that are not public stay as the mairie set them.
	for _, l := range sub.Lists {
		if !slices.Contains(public, l) {
			chosen = append(chosen, l)
		}
	}
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE newsletter_subscribers SET updated_at = ? WHERE tenant_id = ? AND id = ?`,
			s.Stamp(), tenantID, sub.ID); err != nil {
			return err
		}
		return setLists(ctx, tx, tenantID, sub.ID, chosen)
	})
}

const subscriberColumns = `id, tenant_id, email, name, lang, status, consent_at, consent_source, measure, soft_bounces,
	suspended_reason, unsubscribe_token, created_at, updated_at`

func scanSubscriber(row interface{ Scan(...any) error }) (*Subscriber, error) {
	var sub Subscriber
	var consent sql.NullTime
	err := row.Scan(&sub.ID, &sub.TenantID, &sub.Email, &sub.Name, &sub.Lang, &sub.Status, &consent, &sub.ConsentSource,
		&sub.Measure, &sub.SoftBounces, &sub.SuspendedReason, &sub.UnsubscribeToken, &sub.CreatedAt, &sub.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("newsletter: subscriber: %w", err)
	}
	sub.ConsentAt = publishing.FromNull(consent)
	return &sub, nil
}

func (s *Store) scanOne(ctx context.Context, q db.Querier, where string, args ...any) (*Subscriber, error) {
	sub, err := scanSubscriber(q.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM newsletter_subscribers `+where, args...))
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT list_id FROM newsletter_memberships WHERE tenant_id = ? AND subscriber_id = ?`, sub.TenantID, sub.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		sub.Lists = append(sub.Lists, l)
	}
	return sub, rows.Err()
}

// Subscriber returns one subscriber with their lists.
func (s *Store) Subscriber(ctx context.Context, tenantID, id string) (*Subscriber, error) {
	return s.scanOne(ctx, s.DB(), `WHERE tenant_id = ? AND id = ?`, tenantID, id)
}

func (s *Store) subscriberByEmail(ctx context.Context, q db.Querier, tenantID, email string) (*Subscriber, error) {
	return s.scanOne(ctx, q, `WHERE tenant_id = ? AND email = ?`, tenantID, strings.ToLower(email))
}

// Filter selects subscribers in the editors' list.
type Filter struct {
	Status, ListID, Query string
	After                 string // the last id of the previous page
	Limit                 int
}

// Subscribers returns a page of subscribers by address, and how many match.
func (s *Store) Subscribers(ctx context.Context, tenantID string, f Filter) ([]*Subscriber, int, error) {
	where, args := []string{"tenant_id = ?"}, []any{tenantID}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.ListID != "" {
		where = append(where, "id IN (SELECT subscriber_id FROM newsletter_memberships WHERE tenant_id = ? AND list_id = ?)")
		args = append(args, tenantID, f.ListID)
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		where, args = append(where, "(email LIKE ? OR LOWER(name) LIKE ?)"), append(args, "%"+q+"%", "%"+q+"%")
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB().QueryRow(ctx, `SELECT COUNT(*) FROM newsletter_subscribers WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("newsletter: count subscribers: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if f.After != "" {
		cond, args = cond+" AND email > ?", append(args, f.After)
	}
	rows, err := s.DB().Query(ctx, `SELECT `+subscriberColumns+` FROM newsletter_subscribers WHERE `+cond+` ORDER BY email LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("newsletter: subscribers: %w", err)
	}
	defer rows.Close()
	var out []*Subscriber
	for rows.Next() {
		sub, err := scanSubscriber(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, sub)
	}
	return out, total, rows.Err()
}

// Counts returns how many subscribers the collectivité has in each status.
func (s *Store) Counts(ctx context.Context, tenantID string) (map[string]int, error) {
	return s.countBy(ctx, `SELECT status, COUNT(*) FROM newsletter_subscribers WHERE tenant_id = ? GROUP BY status`, tenantID)
}

// countBy reads the (key, count) rows of q.
func (s *Store) countBy(ctx context.Context, q string, args ...any) (map[string]int, error) {
	rows, err := s.DB().Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// EditSubscriber is what an editor may change of a subscriber: their
// lists, and lifting a suspension once the address works again.
func (s *Store) EditSubscriber(ctx context.Context, tenantID, id string, lists []string, reactivate bool) error {
	sub, err := s.Subscriber(ctx, tenantID, id)
	if err != nil {
		return err
	}
	all, err := s.listIDs(ctx, tenantID, false)
	if err != nil {
		return err
	}
	chosen := only(lists, all)
	if len(chosen) != len(lists) {
		return guichet.Invalid(map[string]string{"lists": "Choisissez des listes existantes."})
	}
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		status, reason, bounces := sub.Status, sub.SuspendedReason, sub.SoftBounces
		if reactivate && sub.Status == SubscriberSuspended {
			status, reason, bounces = SubscriberActive, "", 0
		}
		if _, err := tx.Exec(ctx, `UPDATE newsletter_subscribers SET status = ?, suspended_reason = ?, soft_bounces = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ?`, status, reason, bounces, s.Stamp(), tenantID, id); err != nil {
			return err
		}
		return setLists(ctx, tx, tenantID, id, chosen)
	})
}

// DeleteSubscriber removes a subscriber at an editor's request (the
// person asked by phone, say); the address is suppressed like an
// unsubscription.
func (s *Store) DeleteSubscriber(ctx context.Context, tenantID, id string) error {
	sub, err := s.Subscriber(ctx, tenantID, id)
	if err != nil {
		return err
	}
	return s.remove(ctx, sub, "demande")
}

// Kinds of bounce a sending service reports.
const (
	BounceHard      = "hard"
	BounceSoft      = "soft"
	BounceComplaint = "complaint"
)

// SoftBounceLimit is how many temporary failures in a row suspend an
// address.
const SoftBounceLimit = 3

// Bounce records what a sending service reported of an address: a hard
// bounce suspends it at once, soft ones after SoftBounceLimit, and a
// complaint (the person marked the message as spam) unsubscribes it. An
// unknown address is not an error (it may have unsubscribed since).
func (s *Store) Bounce(ctx context.Context, tenantID, email, kind string) error {
	email, ok := ParseEmail(email)
	if !ok {
		return guichet.Invalid(map[string]string{"email": "Adresse électronique invalide."})
	}
	sub, err := s.subscriberByEmail(ctx, s.DB(), tenantID, email)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	switch kind {
	case BounceHard:
		return s.suspend(ctx, sub, "adresse refusée par le serveur du destinataire")
	case BounceSoft:
		if sub.SoftBounces+1 >= SoftBounceLimit {
			return s.suspend(ctx, sub, "échecs temporaires répétés")
		}
		_, err := s.DB().Exec(ctx, `UPDATE newsletter_subscribers SET soft_bounces = soft_bounces + 1, updated_at = ?
			WHERE tenant_id = ? AND id = ?`, s.Stamp(), tenantID, sub.ID)
		return err
	case BounceComplaint:
		return s.remove(ctx, sub, "plainte")
	}
	return guichet.Invalid(map[string]string{"type": "Type de retour inconnu."})
}

func (s *Store) suspend(ctx context.Context, sub *Subscriber, reason string) error {
	_, err := s.DB().Exec(ctx, `UPDATE newsletter_subscribers SET status = ?, suspended_reason = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`, SubscriberSuspended, reason, s.Stamp(), sub.TenantID, sub.ID)
	return err
}

// nullTime scans a nullable time column.
type nullTime struct{ sql.NullTime }

func (n nullTime) ptr() *time.Time { return publishing.FromNull(n.NullTime) }
