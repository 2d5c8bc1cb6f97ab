package directory

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/privacy"
)

// DecidedDays is how long a decided proposal is kept: a year after the
// decision, the time to answer a question about the entry's history.
// The management itself lasts until staff withdraw it or the account goes.
const DecidedDays = 365

// PurgeProposals deletes the decided proposals past their retention.
func (s *Store) PurgeProposals(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM directory_proposals WHERE status <> ? AND decided_at < ?`,
		Pending, privacy.Cutoff(s.now(), DecidedDays))
	if err != nil {
		return 0, fmt.Errorf("directory: retention: %w", err)
	}
	return res.RowsAffected()
}

// RetentionRules returns the rule the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "directory.proposals", Apply: s.PurgeProposals}}
}

// Processing returns the register's line: the accounts that manage an
// entry for their organisation and the changes they propose.
func (s *Store) Processing() []privacy.Activity {
	const k = "directory.privacy.managers."
	return []privacy.Activity{{Key: "directory.managers", Order: 270, Bases: []privacy.Basis{privacy.PublicTask},
		Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"), People: privacy.T(k + "people"),
		Data: privacy.T(k + "data"), Retention: privacy.T(k+"retention", DecidedDays), Recipients: privacy.T(k + "recipients"),
		InUse: s.InUse}}
}

// InUse reports whether any account manages an entry of the collectivité.
func (s *Store) InUse(ctx context.Context, tenantID string) (bool, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM directory_managers WHERE tenant_id = ?`, tenantID).Scan(&n); err != nil {
		return false, fmt.Errorf("directory: in use: %w", err)
	}
	return n > 0, nil
}

// exportedEntry is what a data export shows of an entry one manages.
type exportedEntry struct {
	Entry string    `json:"entry"`
	Path  string    `json:"path"`
	Since time.Time `json:"since"`
}

// exportedProposal is what it shows of one of their proposals.
type exportedProposal struct {
	Entry     string            `json:"entry"`
	Changes   map[string]string `json:"changes"`
	Status    string            `json:"status"`
	Reason    string            `json:"reason,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	DecidedAt *time.Time        `json:"decided_at,omitempty"`
}

// Export returns the entries the person manages and their proposals.
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	out := struct {
		Manages   []exportedEntry    `json:"manages"`
		Proposals []exportedProposal `json:"proposals"`
	}{Manages: []exportedEntry{}, Proposals: []exportedProposal{}}
	if p.UserID == "" {
		return out, nil
	}
	entries, err := s.ManagedBy(ctx, p.TenantID, p.UserID)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		ms, err := s.Managers(ctx, p.TenantID, e.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if m.AccountID == p.UserID {
				out.Manages = append(out.Manages, exportedEntry{Entry: e.Name, Path: e.Path(), Since: m.CreatedAt})
			}
		}
	}
	props, err := s.ProposalsBy(ctx, p.TenantID, p.UserID)
	if err != nil {
		return nil, err
	}
	for _, pr := range props {
		changes := map[string]string{}
		for _, f := range pr.Fields() {
			changes[f.Key] = f.After
		}
		out.Proposals = append(out.Proposals, exportedProposal{Entry: pr.EntryName, Changes: changes, Status: pr.Status,
			Reason: pr.Reason, CreatedAt: pr.CreatedAt, DecidedAt: pr.DecidedAt})
	}
	return out, nil
}

// Eraser says what erasing a person does here: they no longer manage any
// entry and their proposals are deleted; the entries, the
// organisations' public information, stay.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "directory", Effect: "directory.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	if p.UserID == "" {
		return nil
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, q := range []string{`DELETE FROM directory_proposals WHERE tenant_id = ? AND account_id = ?`,
			`DELETE FROM directory_managers WHERE tenant_id = ? AND account_id = ?`} {
			if _, err := tx.Exec(ctx, q, p.TenantID, p.UserID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("directory: erase: %w", err)
	}
	s.announce(ctx, p.TenantID)
	return nil
}
