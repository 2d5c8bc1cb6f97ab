package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Settings are a collectivité's staff rules.
type Settings struct {
	// SecondFactorOptional lets non-administrators sign in with a password
	// only; administrators and operators always need the second factor.
	SecondFactorOptional bool
}

// Settings returns the tenant's staff rules (the defaults when never set).
func (s *Store) Settings(ctx context.Context, tenantID string) (Settings, error) {
	var c Settings
	err := s.db.QueryRow(ctx, `SELECT second_factor_optional FROM staff_settings WHERE tenant_id = ?`,
		tenantID).Scan(&c.SecondFactorOptional)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("staff: settings: %w", err)
	}
	return c, nil
}

// SaveSettings stores the tenant's staff rules.
func (s *Store) SaveSettings(ctx context.Context, tenantID string, c Settings) error {
	_, err := s.db.Exec(ctx, `INSERT INTO staff_settings (tenant_id, second_factor_optional, updated_at)
		VALUES (?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET
		second_factor_optional = excluded.second_factor_optional, updated_at = excluded.updated_at`,
		tenantID, c.SecondFactorOptional, s.Now())
	if err != nil {
		return fmt.Errorf("staff: save settings: %w", err)
	}
	return nil
}
