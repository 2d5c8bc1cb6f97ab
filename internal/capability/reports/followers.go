package reports

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Following is someone who follows a report: mailed each line of its
// history once confirmed.
type Following struct {
	ID, TenantID, ReportID string
	Email, AccountID, Lang string
	CreatedAt              time.Time
	ConfirmedAt            *time.Time
}

// follower is a confirmed follower as the mails need them.
type follower struct{ email, lang, unfollow string }

func checkFollowerEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if !plainAddress(email) {
		return "", guichet.Invalid(map[string]string{"email": "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."})
	}
	return email, nil
}

// Follow asks to follow a confirmed report by email: the link mailed
// confirms it (double opt-in), and its token is returned. An address
// already following gets nothing and an empty token, so the answer tells
// nobody who follows.
func (s *Store) Follow(ctx context.Context, tenantID, reportID, email, lang string) (string, error) {
	email, err := checkFollowerEmail(email)
	if err != nil {
		return "", err
	}
	st, err := s.site(ctx, tenantID)
	if err != nil {
		return "", err
	}
	token := ""
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := confirmedQ(ctx, tx, tenantID, reportID)
		if err != nil {
			return err
		}
		if token, err = s.pendingFollow(ctx, tx, r, email, publishing.MailLang(lang)); err != nil || token == "" {
			return err
		}
		return s.send(ctx, tx, tenantID, email, "follow_confirm", publishing.MailLang(lang), map[string]any{
			"Reference": r.Reference, "URL": st.url + r.Path(), "ConfirmURL": st.url + FollowConfirmPrefix + token})
	})
	if err != nil {
		return "", wrap("follow", err)
	}
	return token, nil
}

// pendingFollow writes a follow waiting for its link, or a new link for
// one still waiting; "" when the address already follows.
func (s *Store) pendingFollow(ctx context.Context, tx *db.Tx, r *Report, email, lang string) (string, error) {
	var id string
	var confirmed sql.NullTime
	err := tx.QueryRow(ctx, `SELECT id, confirmed_at FROM report_followers WHERE tenant_id = ? AND report_id = ? AND email = ?`,
		r.TenantID, r.ID, email).Scan(&id, &confirmed)
	if err != nil && !errors.Is(err, sql.ErrNoRows) || confirmed.Valid {
		return "", err
	}
	token, hash := publishing.NewLink()
	if id == "" {
		_, err = tx.Exec(ctx, `INSERT INTO report_followers (id, tenant_id, report_id, email, lang, confirm_hash,
			unsubscribe_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), r.TenantID, r.ID, email, lang,
			hash, publishing.NewUnsubscribeToken(), s.now())
	} else {
		_, err = tx.Exec(ctx, `UPDATE report_followers SET confirm_hash = ?, lang = ?, created_at = ? WHERE tenant_id = ? AND id = ?`,
			hash, lang, s.now(), r.TenantID, id)
	}
	return token, err
}

// FollowByAccount makes a signed-in resident follow a confirmed report
// at once; email is their account's proven address, where the mails go.
func (s *Store) FollowByAccount(ctx context.Context, tenantID, reportID, accountID, email, lang string) error {
	if accountID == "" {
		return guichet.Errorf(guichet.EForbidden, "Connectez-vous pour suivre ce signalement.")
	}
	email, err := checkFollowerEmail(email)
	if err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := confirmedQ(ctx, tx, tenantID, reportID); err != nil {
			return err
		}
		now := s.now()
		_, err := tx.Exec(ctx, `INSERT INTO report_followers (id, tenant_id, report_id, email, account_id, lang,
			unsubscribe_token, created_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, report_id, email) DO UPDATE SET account_id = excluded.account_id, lang = excluded.lang,
			confirm_hash = '', confirmed_at = COALESCE(report_followers.confirmed_at, excluded.confirmed_at)`,
			uuid.NewString(), tenantID, reportID, email, accountID, publishing.MailLang(lang),
			publishing.NewUnsubscribeToken(), now, now)
		return err
	})
	return wrap("follow by account", err)
}

// Errors of a follow's confirmation link.
var (
	// ErrFollowLinkInvalid covers an unknown link, or one past its week.
	ErrFollowLinkInvalid = guichet.Errorf(guichet.ENotFound, "Ce lien de confirmation n'est plus valable.")
	// ErrFollowConfirmed is a link followed a second time.
	ErrFollowConfirmed = guichet.Errorf(guichet.EConflict, "Vous suivez déjà ce signalement.")
)

// follows is the double opt-in of followers by email.
var follows = publishing.OptIn{
	Table: "report_followers", HashColumn: "confirm_hash", UnsubscribeColumn: "unsubscribe_token",
	Pending:    publishing.Cond{SQL: "confirmed_at IS NULL"},
	Confirm:    func(now time.Time) publishing.Cond { return publishing.Cond{SQL: "confirmed_at = ?", Args: []any{now}} },
	ErrInvalid: ErrFollowLinkInvalid, ErrConfirmed: ErrFollowConfirmed,
}

// FollowByLink returns the follow of a confirmation link, confirmed or
// not, without changing it.
func (s *Store) FollowByLink(ctx context.Context, tenantID, token string) (*Following, error) {
	link, err := follows.ByLink(ctx, s.db, tenantID, token, s.now())
	if err != nil {
		return nil, err
	}
	var f Following
	var confirmed sql.NullTime
	err = s.db.QueryRow(ctx, `SELECT id, tenant_id, report_id, email, account_id, lang, created_at, confirmed_at
		FROM report_followers WHERE tenant_id = ? AND id = ?`, tenantID, link.ID).Scan(&f.ID, &f.TenantID, &f.ReportID,
		&f.Email, &f.AccountID, &f.Lang, &f.CreatedAt, &confirmed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrFollowLinkInvalid
	}
	f.ConfirmedAt = publishing.FromNull(confirmed)
	return &f, wrap("follow by link", err)
}

// ConfirmFollow starts the follow of a confirmation link; a second use is
// told so (ErrFollowConfirmed).
func (s *Store) ConfirmFollow(ctx context.Context, tenantID, token string) error {
	return wrap("confirm follow", follows.ConfirmLink(ctx, s.db, tenantID, token, s.now()))
}

// Unfollow ends the follow of an unfollow link; an unknown or used link
// is not an error.
func (s *Store) Unfollow(ctx context.Context, tenantID, token string) error {
	return wrap("unfollow", follows.Unsubscribe(ctx, s.db, tenantID, token))
}

// UnfollowByAccount ends a signed-in resident's follow of a report.
func (s *Store) UnfollowByAccount(ctx context.Context, tenantID, reportID, accountID string) error {
	if accountID == "" {
		return nil
	}
	_, err := s.db.Exec(ctx, `DELETE FROM report_followers WHERE tenant_id = ? AND report_id = ? AND account_id = ?`,
		tenantID, reportID, accountID)
	return wrap("unfollow by account", err)
}

// FollowsByAccount reports whether an account follows a report.
func (s *Store) FollowsByAccount(ctx context.Context, tenantID, reportID, accountID string) (bool, error) {
	if accountID == "" {
		return false, nil
	}
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM report_followers WHERE tenant_id = ? AND report_id = ? AND account_id = ?`,
		tenantID, reportID, accountID).Scan(&n)
	return n > 0, wrap("follows", err)
}

// followersOf returns a report's confirmed followers.
func followersOf(ctx context.Context, q db.Querier, r *Report) ([]follower, error) {
	var out []follower
	err := db.Each(ctx, q, `SELECT email, lang, unsubscribe_token FROM report_followers
		WHERE tenant_id = ? AND report_id = ? AND confirmed_at IS NOT NULL ORDER BY created_at, id`, func(row db.Row) error {
		var f follower
		err := row.Scan(&f.email, &f.lang, &f.unfollow)
		out = append(out, f)
		return err
	}, r.TenantID, r.ID)
	return out, err
}

// FollowerCount returns how many people follow a report, their addresses
// confirmed: all staff may know of them.
func (s *Store) FollowerCount(ctx context.Context, tenantID, reportID string) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM report_followers WHERE tenant_id = ? AND report_id = ?
		AND confirmed_at IS NOT NULL`, tenantID, reportID).Scan(&n)
	return n, wrap("follower count", err)
}
