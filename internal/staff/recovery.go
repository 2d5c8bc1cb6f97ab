package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"guichet/internal/db"
)

// RecoveryCodeCount is how many single-use codes a member receives.
const RecoveryCodeCount = 10

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRecoveryCode returns 10 random base32 characters (50 bits) grouped as
// "abcde-fghij" for reading aloud and typing.
func newRecoveryCode() string {
	c := strings.ToLower(rand.Text()[:10])
	return c[:5] + "-" + c[5:]
}

// hashRecoveryCode hashes a normalised code with its owner: codes are
// random enough that a fast hash suffices.
func hashRecoveryCode(userID, code string) string {
	code = strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
	h := sha256.Sum256([]byte(userID + ":" + code))
	return hex.EncodeToString(h[:])
}

func replaceRecoveryCodes(ctx context.Context, q db.Querier, tenantID, userID string) ([]string, error) {
	if _, err := q.Exec(ctx, `DELETE FROM staff_recovery_codes WHERE tenant_id = ? AND user_id = ?`, tenantID, userID); err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		if _, err := q.Exec(ctx, `INSERT INTO staff_recovery_codes (tenant_id, user_id, code_hash) VALUES (?, ?, ?)`,
			tenantID, userID, hashRecoveryCode(userID, codes[i])); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// NewRecoveryCodes replaces a member's recovery codes, to show once.
func (s *Store) NewRecoveryCodes(ctx context.Context, tenantID, userID string) ([]string, error) {
	var codes []string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		codes, err = replaceRecoveryCodes(ctx, tx, tenantID, userID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("staff: new recovery codes: %w", err)
	}
	return codes, nil
}

// RecoveryCodesLeft counts a member's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, tenantID, userID string) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM staff_recovery_codes
		WHERE tenant_id = ? AND user_id = ? AND used_at IS NULL`, tenantID, userID).Scan(&n)
	return n, err
}

// useRecoveryCode marks code used; the conditional update makes it single-use
// even under concurrent requests.
func useRecoveryCode(ctx context.Context, q db.Querier, tenantID, userID, code string, now time.Time) (bool, error) {
	res, err := q.Exec(ctx, `UPDATE staff_recovery_codes SET used_at = ?
		WHERE tenant_id = ? AND user_id = ? AND code_hash = ? AND used_at IS NULL`,
		now.UTC(), tenantID, userID, hashRecoveryCode(userID, code))
	if err != nil {
		return false, fmt.Errorf("staff: use recovery code: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
