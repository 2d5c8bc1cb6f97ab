package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
)

// ErrLastAdmin keeps a collectivité from losing its last administrator.
var ErrLastAdmin = guichet.Errorf(guichet.EConflict, "La collectivité doit garder au moins un administrateur.")

// Add gives userID (a user of tenantID) the grant g, replacing any roles
// they held.
func (s *Store) Add(ctx context.Context, tenantID, userID string, g Grant) error {
	if err := g.Normalize(tenantID); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error { return upsertMember(ctx, tx, s.Now(), tenantID, userID, g) })
}

func upsertMember(ctx context.Context, q db.Querier, now time.Time, tenantID, userID string, g Grant) error {
	// Selecting from users proves the user belongs to the same tenant.
	res, err := q.Exec(ctx, `INSERT INTO staff_members (tenant_id, user_id, roles, services, title, created_at, updated_at)
		SELECT tenant_id, id, ?, ?, ?, ?, ? FROM users WHERE tenant_id = ? AND id = ?
		ON CONFLICT (tenant_id, user_id) DO UPDATE SET roles = excluded.roles, services = excluded.services,
			title = excluded.title, updated_at = excluded.updated_at`,
		joinRoles(g.Roles), strings.Join(g.Services, ","), g.Title, now, now, tenantID, userID)
	if err != nil {
		return fmt.Errorf("staff: add member: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return guichet.Errorf(guichet.ENotFound, "Utilisateur introuvable.")
	}
	return nil
}

// Update changes the grant of an existing member. An administrator cannot
// be demoted if they are the last one.
func (s *Store) Update(ctx context.Context, tenantID, userID string, g Grant) error {
	if err := g.Normalize(tenantID); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if !slices.Contains(g.Roles, account.RoleAdmin) {
			if err := keepAnAdmin(ctx, tx, tenantID, userID); err != nil {
				return err
			}
		}
		res, err := tx.Exec(ctx, `UPDATE staff_members SET roles = ?, services = ?, title = ?, updated_at = ?
			WHERE tenant_id = ? AND user_id = ?`,
			joinRoles(g.Roles), strings.Join(g.Services, ","), g.Title, s.Now(), tenantID, userID)
		if err != nil {
			return fmt.Errorf("staff: update member: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// Remove takes every role from a member and forgets their second factor;
// their account stays, as a resident's.
func (s *Store) Remove(ctx context.Context, tenantID, userID string) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := keepAnAdmin(ctx, tx, tenantID, userID); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM staff_members WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
		if err != nil {
			return fmt.Errorf("staff: remove member: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return deleteSecondFactor(ctx, tx, tenantID, userID)
	})
}

// keepAnAdmin fails when userID is the tenant's only administrator.
func keepAnAdmin(ctx context.Context, q db.Querier, tenantID, userID string) error {
	var others, self int
	err := q.QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN user_id <> ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN user_id = ? THEN 1 ELSE 0 END), 0)
		FROM staff_members WHERE tenant_id = ? AND (',' || roles || ',') LIKE '%,admin,%'`,
		userID, userID, tenantID).Scan(&others, &self)
	if err != nil {
		return fmt.Errorf("staff: count administrators: %w", err)
	}
	if self > 0 && others == 0 {
		return ErrLastAdmin
	}
	return nil
}

const memberColumns = `m.tenant_id, m.user_id, u.email, u.name, m.roles, m.services, m.title,
	CASE WHEN t.confirmed_at IS NULL THEN 0 ELSE 1 END, m.created_at`

const memberFrom = ` FROM staff_members m
	JOIN users u ON u.id = m.user_id AND u.tenant_id = m.tenant_id
	LEFT JOIN staff_totp t ON t.tenant_id = m.tenant_id AND t.user_id = m.user_id`

func scanMember(row interface{ Scan(...any) error }) (*Member, error) {
	var m Member
	var roles, services string
	var enrolled int
	if err := row.Scan(&m.TenantID, &m.UserID, &m.Email, &m.Name, &roles, &services, &m.Title, &enrolled, &m.CreatedAt); err != nil {
		return nil, err
	}
	m.Roles, m.Services, m.TOTPEnrolled = splitRoles(roles), splitList(services), enrolled == 1
	return &m, nil
}

// Get returns one member of tenantID.
func (s *Store) Get(ctx context.Context, tenantID, userID string) (*Member, error) {
	m, err := scanMember(s.db.QueryRow(ctx, `SELECT `+memberColumns+memberFrom+`
		WHERE m.tenant_id = ? AND m.user_id = ?`, tenantID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("staff: get member: %w", err)
	}
	return m, nil
}

// List returns the members of tenantID sorted by name.
func (s *Store) List(ctx context.Context, tenantID string) ([]*Member, error) {
	rows, err := s.db.Query(ctx, `SELECT `+memberColumns+memberFrom+`
		WHERE m.tenant_id = ? ORDER BY u.name, u.email`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("staff: list members: %w", err)
	}
	defer rows.Close()
	var out []*Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("staff: list members: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// StaffOf implements account.StaffSource in one query: the member's roles
// and whether the second factor is required (always for administrators and
// operators; for other roles unless the tenant relaxed it). It returns nil,
// nil for someone who is not staff.
func (s *Store) StaffOf(ctx context.Context, tenantID, userID string) (*account.StaffInfo, error) {
	var roles, services, title string
	var optional bool
	err := s.db.QueryRow(ctx, `SELECT m.roles, m.services, m.title, COALESCE(c.second_factor_optional, FALSE)
		FROM staff_members m LEFT JOIN staff_settings c ON c.tenant_id = m.tenant_id
		WHERE m.tenant_id = ? AND m.user_id = ?`, tenantID, userID).Scan(&roles, &services, &title, &optional)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("staff: staff of: %w", err)
	}
	info := &account.StaffInfo{Roles: splitRoles(roles), Services: splitList(services), Title: title}
	info.SecondFactorRequired = !optional || slices.ContainsFunc(info.Roles, func(r account.Role) bool {
		return r == account.RoleAdmin || r == account.RoleOperator
	})
	return info, nil
}
