package oidc

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the provider, identity and sign-in flow tables. They
// reference users, so they run after the account migrations.
var Migrations = db.Embedded("oidc", migrationFiles)

// ErrNoProvider is returned when a collectivité has no such provider, or
// has it disabled.
var ErrNoProvider = guichet.Errorf(guichet.ENotFound, "Ce moyen de connexion n'est pas proposé ici.")

// Store reads and writes provider configurations, linked identities and
// sign-in flows in progress.
type Store struct {
	db     *db.DB
	sealer *Sealer
	// Now is the clock.
	Now     clock.Clock
	changes *invalidate.Bus
}

// NewStore returns a Store on d; client secrets are sealed with secretKey.
// It announces its changes on a seam of its own until Join.
func NewStore(d *db.DB, secretKey string) *Store {
	return &Store{db: d, sealer: NewSealer(secretKey), Now: clock.System, changes: invalidate.New()}
}

// Join announces the store's changes on b; caches of providers register
// on the store's seam, so join before creating them.
func (s *Store) Join(b *invalidate.Bus) { s.changes = b }

// Changes returns the seam the store announces its changes on.
func (s *Store) Changes() *invalidate.Bus { return s.changes }

const providerColumns = `tenant_id, name, issuer, client_id, client_secret, scopes, acr, signed_userinfo,
	enabled, created_at, updated_at`

// Provider returns the configuration of provider name for tenantID, enabled
// or not; ErrNoProvider when there is none.
func (s *Store) Provider(ctx context.Context, tenantID, name string) (*Provider, error) {
	var p Provider
	var secret string
	err := s.db.QueryRow(ctx, `SELECT `+providerColumns+` FROM oidc_providers WHERE tenant_id = ? AND name = ?`,
		tenantID, name).Scan(&p.TenantID, &p.Name, &p.Issuer, &p.ClientID, &secret, &p.Scopes, &p.ACR,
		&p.SignedUserinfo, &p.Enabled, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoProvider
	}
	if err != nil {
		return nil, fmt.Errorf("oidc: provider: %w", err)
	}
	if p.ClientSecret, err = s.sealer.Open(secret, p.TenantID+"/"+p.Name); err != nil {
		return nil, err
	}
	return &p, nil
}

// Enabled returns the provider if it is configured and enabled for tenantID.
func (s *Store) Enabled(ctx context.Context, tenantID, name string) (*Provider, error) {
	p, err := s.Provider(ctx, tenantID, name)
	if err != nil {
		return nil, err
	}
	if !p.Enabled {
		return nil, ErrNoProvider
	}
	return p, nil
}

// EnabledNames returns the names of tenantID's enabled providers, sorted.
func (s *Store) EnabledNames(ctx context.Context, tenantID string) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT name FROM oidc_providers WHERE tenant_id = ? AND enabled = ? ORDER BY name`,
		tenantID, true)
	if err != nil {
		return nil, fmt.Errorf("oidc: enabled providers: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// SaveProvider validates p and creates or replaces its configuration.
func (s *Store) SaveProvider(ctx context.Context, p *Provider) error {
	if err := p.Validate(); err != nil {
		return err
	}
	now := s.Now()
	p.UpdatedAt = now
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	secret := s.sealer.Seal(p.ClientSecret, p.TenantID+"/"+p.Name)
	_, err := s.db.Exec(ctx, `INSERT INTO oidc_providers (`+providerColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, name) DO UPDATE SET issuer = excluded.issuer, client_id = excluded.client_id,
			client_secret = excluded.client_secret, scopes = excluded.scopes, acr = excluded.acr,
			signed_userinfo = excluded.signed_userinfo, enabled = excluded.enabled, updated_at = excluded.updated_at`,
		p.TenantID, p.Name, p.Issuer, p.ClientID, secret, p.Scopes, p.ACR, p.SignedUserinfo, p.Enabled,
		p.CreatedAt, p.UpdatedAt)
	if err != nil {
		return fmt.Errorf("oidc: save provider: %w", err)
	}
	// The issuer is the key: a corrected one is discovered again.
	s.changes.Changed(ctx, invalidate.Change{Kind: invalidate.OIDCProvider, TenantID: p.TenantID, Key: p.Issuer})
	return nil
}

// identityUser returns the user linked to (provider, subject) in tenantID,
// or "" when the subject was never seen.
func (s *Store) identityUser(ctx context.Context, tenantID, provider, subject string) (string, error) {
	var userID string
	err := s.db.QueryRow(ctx, `SELECT user_id FROM oidc_identities WHERE tenant_id = ? AND provider = ? AND subject = ?`,
		tenantID, provider, subject).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("oidc: identity: %w", err)
	}
	return userID, nil
}

// link records that subject at provider is userID; a concurrent first
// sign-in of the same subject yields EConflict.
func (s *Store) link(ctx context.Context, tenantID, provider, subject, userID, email string) error {
	now := s.Now()
	_, err := s.db.Exec(ctx, `INSERT INTO oidc_identities (tenant_id, provider, subject, user_id, email, created_at, last_used_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, tenantID, provider, subject, userID, email, now, now)
	if db.IsUniqueViolation(err) {
		return guichet.Errorf(guichet.EConflict, "Ce compte FranceConnect est déjà relié à un compte.")
	}
	if err != nil {
		return fmt.Errorf("oidc: link identity: %w", err)
	}
	return nil
}

// touch notes a sign-in of a known subject and the email it came with.
func (s *Store) touch(ctx context.Context, tenantID, provider, subject, email string) error {
	_, err := s.db.Exec(ctx, `UPDATE oidc_identities SET last_used_at = ?, email = ?
		WHERE tenant_id = ? AND provider = ? AND subject = ?`, s.Now(), email, tenantID, provider, subject)
	if err != nil {
		return fmt.Errorf("oidc: touch identity: %w", err)
	}
	return nil
}

// unlink forgets a subject whose user no longer exists.
func (s *Store) unlink(ctx context.Context, tenantID, provider, subject string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM oidc_identities WHERE tenant_id = ? AND provider = ? AND subject = ?`,
		tenantID, provider, subject)
	return err
}

// IdentityCount returns how many provider identities are linked to userID
// (for "download my data" and the tests).
func (s *Store) IdentityCount(ctx context.Context, tenantID, userID string) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM oidc_identities WHERE tenant_id = ? AND user_id = ?`,
		tenantID, userID).Scan(&n)
	return n, err
}

// flow is a sign-in started in a browser and not yet finished.
type flow struct {
	State        string
	TenantID     string
	Provider     string
	Nonce        string
	CodeVerifier string
	BrowserHash  string
	Next         string
	ExpiresAt    time.Time
}

func (s *Store) saveFlow(ctx context.Context, f *flow) error {
	_, err := s.db.Exec(ctx, `INSERT INTO oidc_flows (state, tenant_id, provider, nonce, code_verifier, browser_hash,
		next_path, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		f.State, f.TenantID, f.Provider, f.Nonce, f.CodeVerifier, f.BrowserHash, f.Next, f.ExpiresAt)
	if err != nil {
		return fmt.Errorf("oidc: save flow: %w", err)
	}
	return nil
}

// takeFlow returns and deletes the flow of state in tenantID, so that a
// state (and its nonce) is usable once; nil when unknown or expired.
func (s *Store) takeFlow(ctx context.Context, tenantID, state string) (*flow, error) {
	var f *flow
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var g flow
		err := tx.QueryRow(ctx, `SELECT state, tenant_id, provider, nonce, code_verifier, browser_hash, next_path, expires_at
			FROM oidc_flows WHERE tenant_id = ? AND state = ?`, tenantID, state).Scan(&g.State, &g.TenantID,
			&g.Provider, &g.Nonce, &g.CodeVerifier, &g.BrowserHash, &g.Next, &g.ExpiresAt)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM oidc_flows WHERE tenant_id = ? AND state = ?`, tenantID, state)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 && s.Now().Before(g.ExpiresAt) {
			f = &g
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("oidc: take flow: %w", err)
	}
	return f, nil
}

// PurgeEvery is how often the job queue should call PurgeFlows.
const PurgeEvery = time.Hour

// PurgeFlows is PurgeExpired for the job queue's periodic jobs.
func (s *Store) PurgeFlows(ctx context.Context) error {
	_, err := s.PurgeExpired(ctx)
	return err
}

// PurgeExpired deletes sign-in flows that were never finished, across every
// collectivité (housekeeping run by the job queue).
func (s *Store) PurgeExpired(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM oidc_flows WHERE expires_at < ?`, s.Now())
	if err != nil {
		return 0, fmt.Errorf("oidc: purge flows: %w", err)
	}
	return res.RowsAffected()
}

// Export lists the provider identities linked to the person's account,
// for their data export (RGPD right of access).
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	out := []map[string]any{}
	if p.UserID == "" {
		return out, nil
	}
	rows, err := s.db.Query(ctx, `SELECT provider, subject, email, created_at, last_used_at FROM oidc_identities
		WHERE tenant_id = ? AND user_id = ? ORDER BY created_at`, p.TenantID, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("oidc: export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var provider, subject, email string
		var created, used time.Time
		if err := rows.Scan(&provider, &subject, &email, &created, &used); err != nil {
			return nil, err
		}
		out = append(out, map[string]any{"provider": provider, "subject": subject, "email": email,
			"linked_at": created.UTC(), "last_used_at": used.UTC()})
	}
	return out, rows.Err()
}
