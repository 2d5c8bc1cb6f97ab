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
	"guichet/internal/kernel/tokens"
	"guichet/internal/publishing"
)

// APIKey lets an Open311 client post reports for the collectivité; only
// its hash is kept.
type APIKey struct {
	ID, TenantID, Name string
	CreatedAt          time.Time
	LastUsedAt         *time.Time
	RevokedAt          *time.Time
}

// KeyPrefix begins every key, so that one leaked in a log is recognised.
const KeyPrefix = "sig_"

// touchEvery is how often a key's last use is written at most, so that a
// busy client does not write on every request.
const touchEvery = time.Minute

// CreateKey adds a key named after its client and returns it with its
// secret, shown this once.
func (s *Store) CreateKey(ctx context.Context, tenantID, name string) (*APIKey, string, error) {
	name = strings.TrimSpace(name)
	errs := map[string]string{}
	publishing.CheckText(errs, "name", name, 2, 120, "Nommez le client qui utilisera la clé.", "Le nom dépasse 120 caractères.")
	if len(errs) > 0 {
		return nil, "", guichet.Invalid(errs)
	}
	secret := KeyPrefix + tokens.New(32)
	k := &APIKey{ID: uuid.NewString(), TenantID: tenantID, Name: name, CreatedAt: s.now()}
	_, err := s.db.Exec(ctx, `INSERT INTO report_api_keys (id, tenant_id, name, hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		k.ID, tenantID, name, tokens.Hash(secret), k.CreatedAt)
	if err != nil {
		return nil, "", wrap("create key", err)
	}
	return k, secret, nil
}

const keyCols = `id, tenant_id, name, created_at, last_used_at, revoked_at`

func scanKey(r db.Row) (*APIKey, error) {
	var k APIKey
	var used, revoked sql.NullTime
	err := r.Scan(&k.ID, &k.TenantID, &k.Name, &k.CreatedAt, &used, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	k.LastUsedAt, k.RevokedAt = publishing.FromNull(used), publishing.FromNull(revoked)
	return &k, err
}

// Keys lists the collectivité's keys, revoked ones too, newest first.
func (s *Store) Keys(ctx context.Context, tenantID string) ([]*APIKey, error) {
	var out []*APIKey
	err := db.Each(ctx, s.db, `SELECT `+keyCols+` FROM report_api_keys WHERE tenant_id = ? ORDER BY created_at DESC, id`,
		func(r db.Row) error {
			k, err := scanKey(r)
			if err == nil {
				out = append(out, k)
			}
			return err
		}, tenantID)
	return out, wrap("keys", err)
}

// RevokeKey stops a key at once; revoking it again changes nothing.
func (s *Store) RevokeKey(ctx context.Context, tenantID, id string) error {
	n, err := db.Affected(ctx, s.db, `UPDATE report_api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE tenant_id = ? AND id = ?`,
		s.now(), tenantID, id)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return wrap("revoke key", err)
}

// ErrKeyInvalid is an unknown or revoked key.
var ErrKeyInvalid = guichet.Errorf(guichet.EForbidden, "Cette clé d'accès n'est pas valable.")

// KeyByToken returns the live key of a secret, for an Open311 POST, and
// notes its use (once a minute at most).
func (s *Store) KeyByToken(ctx context.Context, tenantID, secret string) (*APIKey, error) {
	if !strings.HasPrefix(secret, KeyPrefix) {
		return nil, ErrKeyInvalid
	}
	k, err := scanKey(s.db.QueryRow(ctx, `SELECT `+keyCols+` FROM report_api_keys WHERE tenant_id = ? AND hash = ?
		AND revoked_at IS NULL`, tenantID, tokens.Hash(secret)))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrKeyInvalid
	}
	if err != nil {
		return nil, wrap("key by token", err)
	}
	now := s.now()
	if k.LastUsedAt == nil || !k.LastUsedAt.After(now.Add(-touchEvery)) {
		if _, err := s.db.Exec(ctx, `UPDATE report_api_keys SET last_used_at = ? WHERE tenant_id = ? AND id = ?
			AND (last_used_at IS NULL OR last_used_at <= ?)`, now, tenantID, k.ID, now.Add(-touchEvery)); err != nil {
			return nil, wrap("touch key", err)
		}
		k.LastUsedAt = &now
	}
	return k, nil
}
