package account

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// RegisterExporter adds a section named name to every data export; the
// domain's fn returns what it holds about the person (JSON-encodable).
func (s *Store) RegisterExporter(name string, fn Exporter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exporters[name] = fn
}

// Export gathers everything Guichet holds about a user, for the RGPD right
// of access and portability: the account, its sessions, and each domain's
// registered section (with the records filed as a guest under the
// account's address, once verified).
func (s *Store) Export(ctx context.Context, tenantID, userID string) (map[string]any, error) {
	u, err := s.Get(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	return s.ExportPerson(ctx, PersonOf(u))
}

// ExportPerson gathers everything Guichet holds about p: their account
// when they have one, and each domain's section.
func (s *Store) ExportPerson(ctx context.Context, p Person) (map[string]any, error) {
	out := map[string]any{"exported_at": s.Now().UTC()}
	if p.UserID != "" {
		if err := s.exportAccount(ctx, p, out); err != nil {
			return nil, err
		}
	} else {
		out["email"] = p.Email
	}
	s.mu.RLock()
	names := make([]string, 0, len(s.exporters))
	for name := range s.exporters {
		names = append(names, name)
	}
	s.mu.RUnlock()
	sort.Strings(names)
	for _, name := range names {
		s.mu.RLock()
		fn := s.exporters[name]
		s.mu.RUnlock()
		section, err := fn(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("account: export %s: %w", name, err)
		}
		out[name] = section
	}
	return out, nil
}

func (s *Store) exportAccount(ctx context.Context, p Person, out map[string]any) error {
	u, err := s.Get(ctx, p.TenantID, p.UserID)
	if err != nil {
		return err
	}
	sessions, err := s.sessionsOf(ctx, p.TenantID, p.UserID)
	if err != nil {
		return err
	}
	out["account"] = map[string]any{
		"id": u.ID, "email": u.Email, "name": u.Name, "language": u.Lang,
		"email_verified_at": u.EmailVerifiedAt, "has_password": u.HasPassword,
		"preferences": map[string]any{"text_size": u.Prefs.TextSize, "line_spacing": u.Prefs.LineSpacing,
			"high_contrast": u.Prefs.HighContrast},
		"created_at": u.CreatedAt, "updated_at": u.UpdatedAt,
	}
	out["sessions"] = sessions
	return nil
}

// exportedSession is what an export shows of a session: never its id.
type exportedSession struct {
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Provider  string    `json:"provider,omitempty"`
}

func (s *Store) sessionsOf(ctx context.Context, tenantID, userID string) ([]exportedSession, error) {
	rows, err := s.db.Query(ctx, `SELECT created_at, expires_at, provider FROM sessions
		WHERE tenant_id = ? AND user_id = ? ORDER BY created_at`, tenantID, userID)
	if err != nil {
		return nil, fmt.Errorf("account: export sessions: %w", err)
	}
	defer rows.Close()
	list := []exportedSession{}
	for rows.Next() {
		var e exportedSession
		if err := rows.Scan(&e.CreatedAt, &e.ExpiresAt, &e.Provider); err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

// PurgeExpired deletes sessions and tokens past their expiry and returns
// how many rows went; a periodic job calls it for every tenant at once.
func (s *Store) PurgeExpired(ctx context.Context, now time.Time) (int64, error) {
	now = now.UTC()
	var total int64
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM sessions WHERE expires_at < ? OR idle_until < ?`, []any{now, now}},
		{`DELETE FROM tokens WHERE expires_at < ?`, []any{now}},
	} {
		res, err := s.db.Exec(ctx, q.sql, q.args...)
		if err != nil {
			return total, fmt.Errorf("account: purge: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
