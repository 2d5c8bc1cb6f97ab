package publishing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
)

// ConfirmWithin is how long a confirmation link works.
const ConfirmWithin = 7 * 24 * time.Hour

// Cond is a fragment of SQL and its parameters.
type Cond struct {
	SQL  string
	Args []any
}

// OptIn is the double opt-in of an address given without an account (an
// alert subscription, a question's asker, a newsletter reader): nothing
// reaches the address but the link mailed to it until its owner follows
// that link and confirms. The link's token is kept hashed; its hash stays
// once confirmed, so that a second use is told so rather than "invalid".
// Opening the link's page must change nothing (mail scanners open links):
// the page shows the row with ByLink, and its button calls Confirm.
type OptIn struct {
	// Table holds one row per address to confirm, with the columns id,
	// tenant_id, created_at (when the link was sent) and HashColumn.
	Table string
	// HashColumn holds the link token's tokens.Hash; '' means no link.
	HashColumn string
	// Pending is true of a row until it is confirmed.
	Pending Cond
	// Confirm is the assignment that confirms a row at now.
	Confirm func(now time.Time) Cond
	// UnsubscribeColumn holds the token of the unsubscribe link every mail
	// carries, in clear since each mail needs it; empty when the rows have
	// none.
	UnsubscribeColumn string
	// ErrInvalid is an unknown link, or one past ConfirmWithin unconfirmed;
	// ErrConfirmed is a link followed after confirmation.
	ErrInvalid, ErrConfirmed error
}

// NewLink returns the token of a confirmation link, to mail, and its
// hash, to store in HashColumn (again with a new created_at when the link
// is sent anew).
func NewLink() (token, hash string) {
	token = tokens.New(24)
	return token, tokens.Hash(token)
}

// NewUnsubscribeToken returns the token of an unsubscribe link, to store
// in UnsubscribeColumn.
func NewUnsubscribeToken() string { return tokens.New(24) }

// Link is the row a confirmation link points to.
type Link struct {
	ID        string
	Confirmed bool
}

// ByLink returns the row of a confirmation link, confirmed or not,
// without changing it.
func (o OptIn) ByLink(ctx context.Context, q db.Querier, tenantID, token string, now time.Time) (Link, error) {
	var l Link
	var pending int
	var created time.Time
	args := append(append([]any{}, o.Pending.Args...), tenantID, tokens.Hash(token))
	err := q.QueryRow(ctx, `SELECT id, created_at, CASE WHEN `+o.Pending.SQL+` THEN 1 ELSE 0 END FROM `+o.Table+`
		WHERE tenant_id = ? AND `+o.HashColumn+` = ? AND `+o.HashColumn+` <> ''`, args...).Scan(&l.ID, &created, &pending)
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, o.ErrInvalid
	}
	if err != nil {
		return Link{}, fmt.Errorf("publishing: %s by link: %w", o.Table, err)
	}
	l.Confirmed = pending == 0
	if !l.Confirmed && !created.After(now.Add(-ConfirmWithin)) {
		return Link{}, o.ErrInvalid
	}
	return l, nil
}

// ConfirmLink confirms the row of a confirmation link at now. A link
// already followed gives ErrConfirmed; an unknown or expired one,
// ErrInvalid.
func (o OptIn) ConfirmLink(ctx context.Context, q db.Querier, tenantID, token string, now time.Time) error {
	set := o.Confirm(now)
	args := append(append(append([]any{}, set.Args...), tenantID, tokens.Hash(token)), o.Pending.Args...)
	res, err := q.Exec(ctx, `UPDATE `+o.Table+` SET `+set.SQL+` WHERE tenant_id = ? AND `+o.HashColumn+` = ?
		AND `+o.HashColumn+` <> '' AND `+o.Pending.SQL+` AND created_at > ?`, append(args, now.Add(-ConfirmWithin))...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	l, err := o.ByLink(ctx, q, tenantID, token, now)
	if err != nil {
		return err
	}
	if l.Confirmed {
		return o.ErrConfirmed
	}
	return o.ErrInvalid
}

// Unsubscribe deletes the row of an unsubscribe link; an unknown or used
// link is not an error (the address is no longer subscribed).
func (o OptIn) Unsubscribe(ctx context.Context, q db.Querier, tenantID, token string) error {
	if o.UnsubscribeColumn == "" {
		return fmt.Errorf("publishing: %s has no unsubscribe link", o.Table)
	}
	_, err := q.Exec(ctx, `DELETE FROM `+o.Table+` WHERE tenant_id = ? AND `+o.UnsubscribeColumn+` = ?`, tenantID, token)
	return err
}
