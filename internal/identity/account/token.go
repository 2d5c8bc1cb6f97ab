package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
)

// Token purposes used by this package; other domains may use their own.
const (
	PurposeVerify = "verify"
	PurposeReset  = "reset"
)

// Lifetimes of the links sent by email.
const (
	VerifyTokenTTL = 48 * time.Hour
	ResetTokenTTL  = time.Hour
)

// NewToken returns a random single-use token for userID and purpose, valid
// for ttl. Only its SHA-256 is stored.
func (s *Store) NewToken(ctx context.Context, tenantID, userID, purpose string, ttl time.Duration) (string, error) {
	token := tokens.New(32)
	now := s.Now()
	_, err := s.db.Exec(ctx, `INSERT INTO tokens (hash, tenant_id, user_id, purpose, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, tokens.Hash(token), tenantID, userID, purpose, now, now.Add(ttl))
	if err != nil {
		return "", fmt.Errorf("account: new token: %w", err)
	}
	return token, nil
}

// UseToken consumes token and returns its user. Unknown, already used,
// expired and other-purpose tokens all give ErrBadToken.
func (s *Store) UseToken(ctx context.Context, tenantID, purpose, token string) (string, error) {
	if token == "" || len(token) > 100 {
		return "", ErrBadToken
	}
	var userID string
	var expires time.Time
	// DELETE … RETURNING makes use and check one atomic step: two
	// concurrent uses cannot both succeed.
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM tokens WHERE tenant_id = ? AND purpose = ? AND hash = ?
			RETURNING user_id, expires_at`, tenantID, purpose, tokens.Hash(token)).Scan(&userID, &expires)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrBadToken
	}
	if err != nil {
		return "", fmt.Errorf("account: use token: %w", err)
	}
	if !s.Now().Before(expires) {
		return "", ErrBadToken
	}
	return userID, nil
}

// CheckToken returns the user of a currently valid token without using it:
// a page shows its form only for a live link, and validates the form
// before the token is spent.
func (s *Store) CheckToken(ctx context.Context, tenantID, purpose, token string) (string, error) {
	if token == "" || len(token) > 100 {
		return "", ErrBadToken
	}
	var userID string
	var expires time.Time
	err := s.db.QueryRow(ctx, `SELECT user_id, expires_at FROM tokens WHERE tenant_id = ? AND purpose = ? AND hash = ?`,
		tenantID, purpose, tokens.Hash(token)).Scan(&userID, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !s.Now().Before(expires)) {
		return "", ErrBadToken
	}
	if err != nil {
		return "", fmt.Errorf("account: check token: %w", err)
	}
	return userID, nil
}
