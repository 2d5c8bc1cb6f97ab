package staff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"guichet/internal/account"
	"guichet/internal/tenant"
)

// Entry is one line of the audit log: who did what to which target, when,
// and from where.
type Entry struct {
	ID        string
	TenantID  string
	ActorID   string
	Actor     string // the actor's email when the entry was written, or "cli"
	Action    string // dotted verb, e.g. "staff.invited", "case.assigned"
	Target    string // what was acted on, e.g. an email or a case reference
	IP        string
	UserAgent string
	At        time.Time
}

// Recorder is what other domains need to write to the audit log.
type Recorder interface {
	Record(ctx context.Context, action, target string) error
}

type originKey struct{}

type origin struct{ ip, userAgent string }

// WithOrigin returns ctx carrying the client address and user agent of a
// request, for the entries recorded while serving it.
func WithOrigin(ctx context.Context, ip, userAgent string) context.Context {
	return context.WithValue(ctx, originKey{}, origin{ip, userAgent})
}

// Record writes an entry for the signed-in person on ctx: tenant, actor and
// origin come from the request's context.
func (s *Store) Record(ctx context.Context, action, target string) error {
	return s.RecordEntry(ctx, Entry{Action: action, Target: target})
}

// RecordEntry writes e; empty tenant, actor and origin fields are filled
// from ctx.
func (s *Store) RecordEntry(ctx context.Context, e Entry) error {
	if id := account.FromContext(ctx); id != nil {
		if e.TenantID == "" {
			e.TenantID = id.TenantID
		}
		if e.ActorID == "" && e.Actor == "" {
			e.ActorID, e.Actor = id.UserID, id.Email
		}
	}
	if t := tenant.FromContext(ctx); t != nil && e.TenantID == "" {
		e.TenantID = t.ID
	}
	if o, ok := ctx.Value(originKey{}).(origin); ok {
		if e.IP == "" {
			e.IP = o.ip
		}
		if e.UserAgent == "" {
			e.UserAgent = o.userAgent
		}
	}
	if e.TenantID == "" || e.Action == "" {
		return errors.New("staff: audit entry needs a tenant and an action")
	}
	e.ID = uuid.Must(uuid.NewV7()).String()
	e.At = s.Now()
	_, err := s.db.Exec(ctx, `INSERT INTO audit_log (id, tenant_id, actor_id, actor, action, target, ip, user_agent, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.TenantID, e.ActorID, clip(e.Actor, 254), clip(e.Action, 80),
		clip(e.Target, 300), clip(e.IP, 64), clip(e.UserAgent, 300), e.At)
	if err != nil {
		return fmt.Errorf("staff: record %s: %w", e.Action, err)
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// Audit returns up to limit entries of tenantID, newest first, older than
// the entry whose id is before ("" for the newest). next is the cursor of
// the following page, "" on the last one.
func (s *Store) Audit(ctx context.Context, tenantID, before string, limit int) (entries []Entry, next string, err error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if before != "" {
		if _, err := uuid.Parse(before); err != nil {
			before = ""
		}
	}
	q := `SELECT id, tenant_id, actor_id, actor, action, target, ip, user_agent, at FROM audit_log WHERE tenant_id = ?`
	args := []any{tenantID}
	if before != "" {
		q += ` AND id < ?`
		args = append(args, before)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("staff: audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.TenantID, &e.ActorID, &e.Actor, &e.Action, &e.Target, &e.IP, &e.UserAgent, &e.At); err != nil {
			return nil, "", fmt.Errorf("staff: audit log: %w", err)
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("staff: audit log: %w", err)
	}
	if len(entries) > limit {
		entries = entries[:limit]
		next = entries[limit-1].ID
	}
	return entries, next, nil
}
