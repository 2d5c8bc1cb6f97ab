package council

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/publishing"
)

// Errors of a follower's confirmation link.
var (
	ErrFollowLinkInvalid = guichet.Errorf(guichet.ENotFound, "Ce lien de confirmation n'est plus valable.")
	ErrFollowConfirmed   = guichet.Errorf(guichet.EConflict, "Cet abonnement est déjà confirmé.")
)

// followers is the double opt-in of the people who follow new acts.
var followers = publishing.OptIn{
	Table: "council_subscribers", HashColumn: "confirm_hash", UnsubscribeColumn: "unsubscribe_token",
	Pending:    publishing.Cond{SQL: "confirmed_at IS NULL"},
	Confirm:    func(now time.Time) publishing.Cond { return publishing.Cond{SQL: "confirmed_at = ?", Args: []any{now}} },
	ErrInvalid: ErrFollowLinkInvalid, ErrConfirmed: ErrFollowConfirmed,
}

// Follow records an address that wants new acts by email and mails it
// the confirmation link; an address already confirmed is told so with
// its unsubscribe link. The form's answer is the same either way.
func (s *Store) Follow(ctx context.Context, tenantID, email, baseURL, lang string) error {
	addr, err := mail.ParseAddress(strings.TrimSpace(email))
	if err != nil || addr.Name != "" || len(addr.Address) > 254 {
		return guichet.Invalid(map[string]string{"email": "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."})
	}
	to := strings.ToLower(addr.Address)
	var id, unsub string
	var confirmed sql.NullTime
	err = s.DB().QueryRow(ctx, `SELECT id, unsubscribe_token, confirmed_at FROM council_subscribers WHERE tenant_id = ? AND email = ?`,
		tenantID, to).Scan(&id, &unsub, &confirmed)
	switch {
	case err == nil && confirmed.Valid:
		return s.Send(ctx, tenantID, to, "council/follow_already", lang, map[string]any{
			"UnsubscribeURL": baseURL + "/actes/suivre/arreter/" + unsub})
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return wrap("follow", err)
	}
	token, hash := publishing.NewLink()
	if id == "" {
		_, err = s.DB().Exec(ctx, `INSERT INTO council_subscribers (id, tenant_id, email, lang, confirm_hash, unsubscribe_token, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), tenantID, to, publishing.MailLang(lang), hash,
			publishing.NewUnsubscribeToken(), s.Stamp())
	} else {
		_, err = s.DB().Exec(ctx, `UPDATE council_subscribers SET confirm_hash = ?, created_at = ?, lang = ? WHERE tenant_id = ? AND id = ?`,
			hash, s.Stamp(), publishing.MailLang(lang), tenantID, id)
	}
	if err != nil {
		return wrap("follow", err)
	}
	return s.Send(ctx, tenantID, to, "council/follow_confirm", lang, map[string]any{"ConfirmURL": baseURL + "/actes/suivre/confirmer/" + token})
}

// FollowerByLink returns the address of a confirmation link without
// changing it: mail scanners open links.
func (s *Store) FollowerByLink(ctx context.Context, tenantID, token string) (email string, confirmed bool, err error) {
	l, err := followers.ByLink(ctx, s.DB(), tenantID, token, s.Stamp())
	if err != nil {
		return "", false, err
	}
	err = s.DB().QueryRow(ctx, `SELECT email FROM council_subscribers WHERE tenant_id = ? AND id = ?`, tenantID, l.ID).Scan(&email)
	if err != nil {
		return "", false, ErrFollowLinkInvalid
	}
	return email, l.Confirmed, nil
}

// ConfirmFollower confirms the address of a confirmation link.
func (s *Store) ConfirmFollower(ctx context.Context, tenantID, token string) error {
	return followers.ConfirmLink(ctx, s.DB(), tenantID, token, s.Stamp())
}

// Unfollow deletes the subscription of an unsubscribe link.
func (s *Store) Unfollow(ctx context.Context, tenantID, token string) error {
	return followers.Unsubscribe(ctx, s.DB(), tenantID, token)
}

// FollowerCount returns how many confirmed followers the collectivité has.
func (s *Store) FollowerCount(ctx context.Context, tenantID string) (int, error) {
	var n int
	err := s.DB().QueryRow(ctx, `SELECT COUNT(*) FROM council_subscribers WHERE tenant_id = ? AND confirmed_at IS NOT NULL`, tenantID).Scan(&n)
	return n, err
}

// mailBatch is how many followers one query reads while mailing.
const mailBatch = 200

// MailFollowers mails a published act to every confirmed follower,
// noting its progress after each batch so that a retried job resumes.
func (s *Store) MailFollowers(ctx context.Context, args PublishArgs) error {
	a, err := s.Act(ctx, args.TenantID, args.ActID)
	if errors.Is(err, ErrNotFound) || (err == nil && a.PublishedAt == nil) {
		return nil
	}
	if err != nil {
		return err
	}
	var cursor string
	var done sql.NullTime
	err = s.DB().QueryRow(ctx, `SELECT cursor, done_at FROM council_mailings WHERE tenant_id = ? AND act_id = ?`,
		a.TenantID, a.ID).Scan(&cursor, &done)
	if errors.Is(err, sql.ErrNoRows) || done.Valid {
		return nil
	}
	if err != nil {
		return err
	}
	for {
		type follower struct{ id, email, lang, unsub string }
		var batch []follower
		// Those who followed before the act went online: a job run late
		// must not mail a newcomer an old act.
		rows, err := s.DB().Query(ctx, `SELECT id, email, lang, unsubscribe_token FROM council_subscribers
			WHERE tenant_id = ? AND confirmed_at IS NOT NULL AND confirmed_at <= ? AND id > ? ORDER BY id LIMIT ?`,
			a.TenantID, *a.PublishedAt, cursor, mailBatch)
		if err != nil {
			return err
		}
		for rows.Next() {
			var f follower
			if err := rows.Scan(&f.id, &f.email, &f.lang, &f.unsub); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, f := range batch {
			if err := s.Send(ctx, a.TenantID, f.email, "council/act", f.lang, map[string]any{
				"Kind": a.Kind, "Number": a.Number, "Title": a.Title, "Date": a.AdoptedOn,
				"URL": args.BaseURL + a.URL(), "UnsubscribeURL": args.BaseURL + "/actes/suivre/arreter/" + f.unsub}); err != nil {
				return err
			}
		}
		if len(batch) == 0 {
			break
		}
		cursor = batch[len(batch)-1].id
		if _, err := s.DB().Exec(ctx, `UPDATE council_mailings SET cursor = ? WHERE tenant_id = ? AND act_id = ?`, cursor, a.TenantID, a.ID); err != nil {
			return err
		}
		if len(batch) < mailBatch {
			break
		}
	}
	_, err = s.DB().Exec(ctx, `UPDATE council_mailings SET done_at = ? WHERE tenant_id = ? AND act_id = ?`, s.Stamp(), a.TenantID, a.ID)
	return err
}
