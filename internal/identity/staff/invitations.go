package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
)

// InvitationTTL is how long an invitation link stays valid.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation is an administrator's offer of roles to someone, by email.
type Invitation struct {
	ID        string
	TenantID  string
	Email     string
	Name      string
	Grant     Grant
	InvitedBy string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ErrInvitationInvalid hides whether a link is unknown, used or expired.
var ErrInvitationInvalid = guichet.Errorf(guichet.ENotFound,
	"Ce lien d'invitation n'est pas valable : il a expiré ou a déjà servi. Demandez une nouvelle invitation.")

// Invite records an invitation and returns it with the secret token to
// email; only the token's hash is stored. A new invitation to the same
// address replaces a pending one.
func (s *Store) Invite(ctx context.Context, tenantID, email, name string, g Grant, invitedBy string) (*Invitation, string, error) {
	inv := &Invitation{ID: uuid.NewString(), TenantID: tenantID, Email: strings.TrimSpace(email),
		Name: strings.Join(strings.Fields(name), " "), Grant: g, InvitedBy: invitedBy}
	fields := map[string]string{}
	if a, err := mail.ParseAddress(inv.Email); err != nil || a.Address != inv.Email || len(inv.Email) > 254 {
		fields["email"] = "Saisissez une adresse électronique valable, par exemple nom@exemple.fr."
	}
	if inv.Name == "" || len([]rune(inv.Name)) > 100 {
		fields["name"] = "Saisissez le nom de la personne (100 caractères au plus)."
	}
	if err := inv.Grant.Normalize(tenantID); err != nil {
		var e *guichet.Error
		if errors.As(err, &e) {
			for k, v := range e.Fields {
				fields[k] = v
			}
		}
	}
	if len(fields) > 0 {
		return nil, "", guichet.Invalid(fields)
	}
	token := tokens.New(32)
	inv.CreatedAt = s.Now()
	inv.ExpiresAt = inv.CreatedAt.Add(InvitationTTL)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM staff_members m JOIN users u ON u.id = m.user_id
			WHERE m.tenant_id = ? AND u.tenant_id = ? AND LOWER(u.email) = ?`,
			tenantID, tenantID, strings.ToLower(inv.Email)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &guichet.Error{Code: guichet.EConflict, Message: "Cette personne fait déjà partie de l'équipe.",
				Fields: map[string]string{"email": "Cette personne fait déjà partie de l'équipe : modifiez plutôt ses rôles."}}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM staff_invitations WHERE tenant_id = ? AND LOWER(email) = ? AND accepted_at IS NULL`,
			tenantID, strings.ToLower(inv.Email)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO staff_invitations (id, tenant_id, email, name, roles, services, title,
			token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			inv.ID, tenantID, inv.Email, inv.Name, joinRoles(inv.Grant.Roles), strings.Join(inv.Grant.Services, ","),
			inv.Grant.Title, tokens.Hash(token), invitedBy, inv.CreatedAt, inv.ExpiresAt)
		return err
	})
	if guichet.ErrorCode(err) == guichet.EConflict {
		return nil, "", err
	}
	if err != nil {
		return nil, "", fmt.Errorf("staff: invite: %w", err)
	}
	return inv, token, nil
}

const invitationColumns = `id, tenant_id, email, name, roles, services, title, invited_by, created_at, expires_at`

func scanInvitation(row interface{ Scan(...any) error }) (*Invitation, error) {
	var inv Invitation
	var roles, services string
	err := row.Scan(&inv.ID, &inv.TenantID, &inv.Email, &inv.Name, &roles, &services, &inv.Grant.Title,
		&inv.InvitedBy, &inv.CreatedAt, &inv.ExpiresAt)
	inv.Grant.Roles, inv.Grant.Services = splitRoles(roles), splitList(services)
	return &inv, err
}

// Invitation returns the pending, unexpired invitation behind token.
func (s *Store) Invitation(ctx context.Context, tenantID, token string) (*Invitation, error) {
	inv, err := scanInvitation(s.db.QueryRow(ctx, `SELECT `+invitationColumns+` FROM staff_invitations
		WHERE tenant_id = ? AND token_hash = ? AND accepted_at IS NULL AND expires_at > ?`,
		tenantID, tokens.Hash(token), s.Now()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrInvitationInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("staff: invitation: %w", err)
	}
	return inv, nil
}

// Accept uses the invitation behind token (once) and gives its roles to
// userID, who must already exist in the tenant with the invited address.
func (s *Store) Accept(ctx context.Context, tenantID, token, userID string) (*Invitation, error) {
	var inv *Invitation
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		inv, err = scanInvitation(tx.QueryRow(ctx, `SELECT `+invitationColumns+` FROM staff_invitations
			WHERE tenant_id = ? AND token_hash = ? AND accepted_at IS NULL AND expires_at > ?`,
			tenantID, tokens.Hash(token), s.Now()))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrInvitationInvalid
		}
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE staff_invitations SET accepted_at = ?
			WHERE tenant_id = ? AND id = ? AND accepted_at IS NULL`, s.Now(), tenantID, inv.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrInvitationInvalid
		}
		return upsertMember(ctx, tx, s.Now(), tenantID, userID, inv.Grant)
	})
	if err != nil {
		if guichet.ErrorCode(err) != guichet.EInternal {
			return nil, err
		}
		return nil, fmt.Errorf("staff: accept invitation: %w", err)
	}
	return inv, nil
}

// Pending lists the tenant's invitations not yet accepted nor expired.
func (s *Store) Pending(ctx context.Context, tenantID string) ([]*Invitation, error) {
	rows, err := s.db.Query(ctx, `SELECT `+invitationColumns+` FROM staff_invitations
		WHERE tenant_id = ? AND accepted_at IS NULL AND expires_at > ? ORDER BY created_at DESC`,
		tenantID, s.Now())
	if err != nil {
		return nil, fmt.Errorf("staff: pending invitations: %w", err)
	}
	defer rows.Close()
	var out []*Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, fmt.Errorf("staff: pending invitations: %w", err)
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// Cancel withdraws a pending invitation.
func (s *Store) Cancel(ctx context.Context, tenantID, id string) (*Invitation, error) {
	var inv *Invitation
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		inv, err = scanInvitation(tx.QueryRow(ctx, `SELECT `+invitationColumns+` FROM staff_invitations
			WHERE tenant_id = ? AND id = ? AND accepted_at IS NULL`, tenantID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return guichet.Errorf(guichet.ENotFound, "Invitation introuvable.")
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM staff_invitations WHERE tenant_id = ? AND id = ?`, tenantID, id)
		return err
	})
	if err != nil && guichet.ErrorCode(err) == guichet.EInternal {
		return nil, fmt.Errorf("staff: cancel invitation: %w", err)
	}
	return inv, err
}
