package directory

import (
	"context"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
)

// Manager is an account that manages an entry on behalf of its
// organisation: it proposes changes, which staff approve.
type Manager struct {
	EntryID, AccountID string
	// GrantedBy names the staff member who gave the management.
	GrantedBy string
	CreatedAt time.Time
}

// ErrAlreadyManager is an account that already manages the entry.
var ErrAlreadyManager = guichet.Invalid(map[string]string{"email": "Ce compte gère déjà cette fiche."})

// AddManager gives an account the management of an entry.
func (s *Store) AddManager(ctx context.Context, tenantID, entryID, accountID, grantedBy string) error {
	if _, err := s.Entry(ctx, tenantID, entryID); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `INSERT INTO directory_managers (tenant_id, entry_id, account_id, granted_by, created_at)
		VALUES (?, ?, ?, ?, ?)`, tenantID, entryID, accountID, grantedBy, s.now())
	if db.IsUniqueViolation(err) {
		return ErrAlreadyManager
	}
	if err == nil {
		s.announce(ctx, tenantID)
	}
	return wrap("add manager", err)
}

// RemoveManager withdraws an account's management of an entry; its
// proposals still waiting are withdrawn with it.
func (s *Store) RemoveManager(ctx context.Context, tenantID, entryID, accountID string) error {
	defer s.announce(ctx, tenantID)
	return wrap("remove manager", s.db.InTx(ctx, func(tx *db.Tx) error {
		n, err := db.Affected(ctx, tx, `DELETE FROM directory_managers WHERE tenant_id = ? AND entry_id = ? AND account_id = ?`,
			tenantID, entryID, accountID)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		_, err = tx.Exec(ctx, `UPDATE directory_proposals SET status = ?, decided_at = ? WHERE tenant_id = ? AND entry_id = ?
			AND account_id = ? AND status = ?`, Withdrawn, s.now(), tenantID, entryID, accountID, Pending)
		return err
	}))
}

// Managers lists an entry's managers, the earliest first.
func (s *Store) Managers(ctx context.Context, tenantID, entryID string) ([]Manager, error) {
	var out []Manager
	err := db.Each(ctx, s.db, `SELECT entry_id, account_id, granted_by, created_at FROM directory_managers
		WHERE tenant_id = ? AND entry_id = ? ORDER BY created_at, account_id`, func(r db.Row) error {
		var m Manager
		err := r.Scan(&m.EntryID, &m.AccountID, &m.GrantedBy, &m.CreatedAt)
		out = append(out, m)
		return err
	}, tenantID, entryID)
	return out, wrap("managers", err)
}

// ManagedBy lists the entries an account manages, published or not, by
// name.
func (s *Store) ManagedBy(ctx context.Context, tenantID, accountID string) ([]*Entry, error) {
	out, err := s.list(ctx, s.db, `tenant_id = ? AND id IN (SELECT entry_id FROM directory_managers
		WHERE tenant_id = ? AND account_id = ?) ORDER BY name, id`, tenantID, tenantID, accountID)
	return out, wrap("managed by", err)
}

// ManagedEntry returns an entry the account manages; ErrNotFound for any
// other, so that nobody learns which entries exist unpublished.
func (s *Store) ManagedEntry(ctx context.Context, tenantID, accountID, entryID string) (*Entry, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM directory_managers WHERE tenant_id = ? AND entry_id = ? AND account_id = ?`,
		tenantID, entryID, accountID).Scan(&n); err != nil {
		return nil, wrap("managed entry", err)
	}
	if n == 0 {
		return nil, ErrNotFound
	}
	return s.Entry(ctx, tenantID, entryID)
}

// ManagersTTL bounds how long another process's change of managers may
// go unseen where no cluster link carries it (SQLite).
const ManagersTTL = time.Minute

// Manages tells whether an account manages an entry of the directory,
// and one of an organisation, from the collectivité's managers kept in
// memory: the personal links of every page ask it.
func (s *Store) Manages(ctx context.Context, tenantID, accountID string) (entries, organisations bool, err error) {
	all, err := invalidate.Memoized(s.managers, tenantID, "managers", func() (map[string]bool, error) {
		out := map[string]bool{}
		err := db.Each(ctx, s.db, `SELECT m.account_id, e.organisation FROM directory_managers m
			JOIN directory_entries e ON e.id = m.entry_id WHERE m.tenant_id = ?`, func(r db.Row) error {
			var account string
			var org bool
			err := r.Scan(&account, &org)
			out[account] = out[account] || org
			return err
		}, tenantID)
		return out, err
	})
	if err != nil {
		return false, false, wrap("manages", err)
	}
	org, ok := all[accountID]
	return ok, org, nil
}
