package staff

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"guichet"
	"guichet/internal/kernel/db"
)

// TOTP parameters: the ones every authenticator app understands.
const (
	totpPeriod = 30
	// maxFailures wrong codes in a row lock the second factor for lockout.
	maxFailures = 5
	lockout     = 15 * time.Minute
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Errors of the second factor, safe to show.
var (
	ErrCodeInvalid     = guichet.Errorf(guichet.EInvalid, "Le code est incorrect ou a déjà servi.")
	ErrLocked          = guichet.Errorf(guichet.ERateLimited, "Trop de codes incorrects. Réessayez dans quelques minutes.")
	ErrAlreadyEnrolled = guichet.Errorf(guichet.EConflict, "Une application d'authentification est déjà enregistrée.")
	ErrNotEnrolled     = guichet.Errorf(guichet.EConflict, "Aucune application d'authentification n'est enregistrée.")
	ErrSecretUnusable  = guichet.Errorf(guichet.EConflict,
		"Votre application d'authentification n'est plus reconnue : utilisez un code de secours ou demandez à un administrateur de réinitialiser votre second facteur.")
)

// Enrolment is a secret waiting for its first code.
type Enrolment struct {
	Secret string // base32, to type into an app by hand
	URL    string // otpauth:// URL, to show as a QR code
}

type totpRow struct {
	secret      string
	confirmed   bool
	lastStep    int64
	lockedUntil sql.NullTime
}

func (s *Store) totpRow(ctx context.Context, q db.Querier, tenantID, userID string) (*totpRow, error) {
	var r totpRow
	var confirmedAt sql.NullTime
	err := q.QueryRow(ctx, `SELECT secret, confirmed_at, last_step, locked_until FROM staff_totp
		WHERE tenant_id = ? AND user_id = ?`, tenantID, userID).Scan(&r.secret, &confirmedAt, &r.lastStep, &r.lockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("staff: read second factor: %w", err)
	}
	r.confirmed = confirmedAt.Valid
	return &r, nil
}

// Enrolled reports whether the member confirmed an authenticator.
func (s *Store) Enrolled(ctx context.Context, tenantID, userID string) (bool, error) {
	r, err := s.totpRow(ctx, s.db, tenantID, userID)
	return r != nil && r.confirmed, err
}

// BeginEnrolment returns the member's pending secret, creating one if
// needed, so that reloading the page shows the same QR code. issuer and
// account label the entry in the authenticator app.
func (s *Store) BeginEnrolment(ctx context.Context, tenantID, userID, issuer, accountName string) (*Enrolment, error) {
	r, err := s.totpRow(ctx, s.db, tenantID, userID)
	if err != nil {
		return nil, err
	}
	if r != nil && r.confirmed {
		return nil, ErrAlreadyEnrolled
	}
	var secret string
	if r != nil {
		secret, err = s.open(r.secret, tenantID, userID)
	}
	if r == nil || err != nil {
		key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: accountName, SecretSize: 20})
		if err != nil {
			return nil, fmt.Errorf("staff: generate TOTP secret: %w", err)
		}
		secret = key.Secret()
		if err := s.storeSecret(ctx, tenantID, userID, secret, false); err != nil {
			return nil, err
		}
	}
	return &Enrolment{Secret: secret, URL: keyURL(issuer, accountName, secret)}, nil
}

func keyURL(issuer, accountName, secret string) string {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: accountName,
		Secret: mustDecodeSecret(secret)})
	if err != nil {
		return ""
	}
	return key.URL()
}

func mustDecodeSecret(secret string) []byte {
	b, err := b32.DecodeString(strings.ToUpper(secret))
	if err != nil {
		return nil
	}
	return b
}

// storeSecret replaces the member's secret; confirmed marks it usable at once.
func (s *Store) storeSecret(ctx context.Context, tenantID, userID, secret string, confirmed bool) error {
	sealed, err := s.seal(secret, tenantID, userID)
	if err != nil {
		return err
	}
	now := s.Now()
	var confirmedAt any
	if confirmed {
		confirmedAt = now
	}
	_, err = s.db.Exec(ctx, `INSERT INTO staff_totp (tenant_id, user_id, secret, confirmed_at, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, user_id) DO UPDATE SET secret = excluded.secret,
		confirmed_at = excluded.confirmed_at, last_step = 0, failures = 0, locked_until = NULL,
		created_at = excluded.created_at`, tenantID, userID, sealed, confirmedAt, now)
	if err != nil {
		return fmt.Errorf("staff: store TOTP secret: %w", err)
	}
	return nil
}

// EnrolWithSecret registers a known, confirmed secret: for demo accounts
// whose codes testers compute themselves.
func (s *Store) EnrolWithSecret(ctx context.Context, tenantID, userID, secret string) error {
	if len(mustDecodeSecret(secret)) < 10 {
		return fmt.Errorf("staff: TOTP secret must be base32 of 10 bytes or more")
	}
	return s.storeSecret(ctx, tenantID, userID, strings.ToUpper(secret), true)
}

// ConfirmEnrolment checks the first code from the member's app, makes the
// secret active and returns fresh recovery codes, to show once.
func (s *Store) ConfirmEnrolment(ctx context.Context, tenantID, userID, code string, now time.Time) ([]string, error) {
	r, err := s.totpRow(ctx, s.db, tenantID, userID)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, ErrNotEnrolled
	}
	if r.confirmed {
		return nil, ErrAlreadyEnrolled
	}
	if err := s.checkCode(ctx, tenantID, userID, r, code, now); err != nil {
		return nil, err
	}
	var codes []string
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE staff_totp SET confirmed_at = ? WHERE tenant_id = ? AND user_id = ?`,
			now.UTC(), tenantID, userID); err != nil {
			return err
		}
		codes, err = s.replaceRecoveryCodes(ctx, tx, tenantID, userID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("staff: confirm enrolment: %w", err)
	}
	return codes, nil
}

// Verify checks a code typed at sign-in: a TOTP code, or else a recovery
// code (used up). It reports whether a recovery code was used.
func (s *Store) Verify(ctx context.Context, tenantID, userID, code string, now time.Time) (recovery bool, err error) {
	r, err := s.totpRow(ctx, s.db, tenantID, userID)
	if err != nil {
		return false, err
	}
	if r == nil || !r.confirmed {
		return false, ErrNotEnrolled
	}
	digits := strings.Join(strings.Fields(code), "")
	if len(digits) == 6 && strings.Trim(digits, "0123456789") == "" {
		return false, s.checkCode(ctx, tenantID, userID, r, digits, now)
	}
	if r.lockedUntil.Valid && now.Before(r.lockedUntil.Time) {
		return false, ErrLocked
	}
	ok, err := s.useRecoveryCode(ctx, s.db, tenantID, userID, code, now)
	if err != nil {
		return false, err
	}
	if !ok {
		return false, s.fail(ctx, tenantID, userID, now)
	}
	_, err = s.db.Exec(ctx, `UPDATE staff_totp SET failures = 0 WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
	return true, err
}

// VerifyTOTP checks a code from the member's app only, not a recovery
// code: to confirm a sensitive action by the factor itself. Wrong codes
// count towards the lockout as at sign-in.
func (s *Store) VerifyTOTP(ctx context.Context, tenantID, userID, code string, now time.Time) error {
	r, err := s.totpRow(ctx, s.db, tenantID, userID)
	if err != nil {
		return err
	}
	if r == nil || !r.confirmed {
		return ErrNotEnrolled
	}
	return s.checkCode(ctx, tenantID, userID, r, code, now)
}

// checkCode accepts a TOTP code of the current step or one step either
// side (clock drift), but only for a step later than the last one used, so
// that a code cannot be replayed.
func (s *Store) checkCode(ctx context.Context, tenantID, userID string, r *totpRow, code string, now time.Time) error {
	if r.lockedUntil.Valid && now.Before(r.lockedUntil.Time) {
		return ErrLocked
	}
	secret, err := s.open(r.secret, tenantID, userID)
	if err != nil {
		return ErrSecretUnusable
	}
	code = strings.Join(strings.Fields(code), "")
	current := now.Unix() / totpPeriod
	for step := current - 1; step <= current+1; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err != nil {
			return ErrSecretUnusable
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) != 1 {
			continue
		}
		if step <= r.lastStep {
			return ErrCodeInvalid // replayed: not counted as a guess
		}
		res, err := s.db.Exec(ctx, `UPDATE staff_totp SET last_step = ?, failures = 0, locked_until = NULL
			WHERE tenant_id = ? AND user_id = ? AND last_step < ?`, step, tenantID, userID, step)
		if err != nil {
			return fmt.Errorf("staff: record TOTP step: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrCodeInvalid // a concurrent request used it first
		}
		return nil
	}
	return s.fail(ctx, tenantID, userID, now)
}

// fail counts a wrong code and locks the second factor after maxFailures.
func (s *Store) fail(ctx context.Context, tenantID, userID string, now time.Time) error {
	_, err := s.db.Exec(ctx, `UPDATE staff_totp SET
		locked_until = CASE WHEN failures + 1 >= ? THEN ? ELSE locked_until END,
		failures = CASE WHEN failures + 1 >= ? THEN 0 ELSE failures + 1 END
		WHERE tenant_id = ? AND user_id = ?`, maxFailures, now.UTC().Add(lockout), maxFailures, tenantID, userID)
	if err != nil {
		return fmt.Errorf("staff: count failure: %w", err)
	}
	return ErrCodeInvalid
}

// ResetSecondFactor forgets a member's authenticator and recovery codes; they
// enrol again at their next sign-in.
func (s *Store) ResetSecondFactor(ctx context.Context, tenantID, userID string) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error { return deleteSecondFactor(ctx, tx, tenantID, userID) })
}

func deleteSecondFactor(ctx context.Context, q db.Querier, tenantID, userID string) error {
	if _, err := q.Exec(ctx, `DELETE FROM staff_totp WHERE tenant_id = ? AND user_id = ?`, tenantID, userID); err != nil {
		return fmt.Errorf("staff: reset second factor: %w", err)
	}
	if _, err := q.Exec(ctx, `DELETE FROM staff_recovery_codes WHERE tenant_id = ? AND user_id = ?`, tenantID, userID); err != nil {
		return fmt.Errorf("staff: reset second factor: %w", err)
	}
	return nil
}
