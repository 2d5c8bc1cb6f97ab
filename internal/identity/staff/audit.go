package staff

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
)

// Entry is one line of the audit log: who did what to which target, when,
// and from where, with its place in its collectivité's hash chain.
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
	// Seq is the entry's place in the chain, from 1; PrevHash, Hash and
	// MAC link and sign it (see auditchain.go).
	Seq      int64
	PrevHash string
	Hash     string
	MAC      string
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
	fillFromContext(ctx, &e)
	if e.TenantID == "" || e.Action == "" {
		return errors.New("staff: audit entry needs a tenant and an action")
	}
	e.ID = uuid.Must(uuid.NewV7()).String()
	e.Actor, e.Action, e.Target = clean(e.Actor, 254), clean(e.Action, 80), clean(e.Target, 300)
	e.IP, e.UserAgent, e.ActorID = clean(e.IP, 64), clean(e.UserAgent, 300), clean(e.ActorID, 64)
	if err := s.appendEntry(ctx, &e); err != nil {
		return fmt.Errorf("staff: record %s: %w", e.Action, err)
	}
	return nil
}

func fillFromContext(ctx context.Context, e *Entry) {
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
}

// clean makes s what both engines store and give back unchanged, so that
// the hash of an entry is the hash of what is read later: valid UTF-8, no
// NUL (PostgreSQL refuses it), at most n characters.
func clean(s string, n int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

const entryColumns = `id, tenant_id, seq, actor_id, actor, action, target, ip, user_agent, at, prev_hash, hash, mac`

// scanEntries runs a query on the audit log (where holds its WHERE and
// ORDER BY clauses) and hands each entry to fn.
func scanEntries(ctx context.Context, q db.Querier, where string, args []any, fn func(*Entry) error) error {
	rows, err := q.Query(ctx, `SELECT `+entryColumns+` FROM audit_log `+where, args...)
	if err != nil {
		return fmt.Errorf("staff: audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e := &Entry{}
		if err := rows.Scan(&e.ID, &e.TenantID, &e.Seq, &e.ActorID, &e.Actor, &e.Action, &e.Target, &e.IP,
			&e.UserAgent, &e.At, &e.PrevHash, &e.Hash, &e.MAC); err != nil {
			return fmt.Errorf("staff: audit log: %w", err)
		}
		e.At = e.At.UTC()
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("staff: audit log: %w", err)
	}
	return nil
}

// Audit returns up to limit entries of tenantID, newest first, before the
// cursor before ("" for the newest). next is the cursor of the following
// page, "" on the last one. Cursors are places in the chain.
func (s *Store) Audit(ctx context.Context, tenantID, before string, limit int) (entries []Entry, next string, err error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	where, args := `WHERE tenant_id = ?`, []any{tenantID}
	if seq, err := strconv.ParseInt(before, 10, 64); err == nil && seq > 0 {
		where += ` AND seq < ?`
		args = append(args, seq)
	}
	err = scanEntries(ctx, s.db, where+` ORDER BY seq DESC LIMIT ?`, append(args, limit+1), func(e *Entry) error {
		entries = append(entries, *e)
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	if len(entries) > limit {
		entries = entries[:limit]
		next = strconv.FormatInt(entries[limit-1].Seq, 10)
	}
	return entries, next, nil
}
