package procedure

import (
	"context"
	"fmt"
	"time"
)

// Periodic work: these run across every collectivité, as the queue's
// jobs do, and act on each case within its own tenant.

// ApplySilence decides the open cases whose deadline passed, for
// procedures where silence means approval or rejection, and returns them.
func (s *Store) ApplySilence(ctx context.Context) ([]*Case, error) {
	// An application awaiting its missing pieces lapses at its deadline
	// too (R423-39 a).
	rows, err := s.db.Query(ctx, `SELECT c.tenant_id, c.id FROM cases c JOIN procedures p ON p.tenant_id = c.tenant_id AND p.id = c.procedure_id
		WHERE (c.state IN (?, ?) OR c.state = ? AND p.application <> '') AND c.due_at < ? AND p.silence <> ''
		ORDER BY c.due_at LIMIT 500`, string(Filed), string(Instruction), string(Waiting), s.now())
	if err != nil {
		return nil, wrap("silence", err)
	}
	ids, err := pairs(rows)
	if err != nil {
		return nil, err
	}
	var out []*Case
	for _, id := range ids {
		c, err := s.Case(ctx, id[0], id[1])
		if err != nil {
			return out, err
		}
		p, err := s.Procedure(ctx, c.TenantID, c.ProcedureID)
		if err != nil {
			return out, err
		}
		to, why := Accepted, fmt.Sprintf("Silence vaut accord : aucune décision dans le délai de %d jours.", p.DeadlineDays)
		if p.Silence == SilenceRejet {
			to, why = Refused, fmt.Sprintf("Silence vaut rejet : aucune décision dans le délai de %d jours.", p.DeadlineDays)
		}
		if lawTo, lawWhy, ok, err := s.silenceOf(ctx, c); err != nil {
			return out, err
		} else if ok {
			to, why = lawTo, lawWhy
		}
		if err := s.Transition(ctx, c, p, to, System, why); err != nil {
			return out, err
		}
		out = append(out, c)
	}
	return out, nil
}

func pairs(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) ([][2]string, error) {
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var p [2]string
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RetentionNotice is how long before deletion the resident is warned.
const RetentionNotice = 30 * 24 * time.Hour

// DueForWarning marks and returns the closed cases to be deleted within
// RetentionNotice whose resident was not yet warned.
func (s *Store) DueForWarning(ctx context.Context) ([]*Case, error) {
	now := s.now()
	rows, err := s.db.Query(ctx, `SELECT tenant_id, id FROM cases WHERE delete_after < ? AND warned_at IS NULL LIMIT 500`,
		now.Add(RetentionNotice))
	if err != nil {
		return nil, wrap("retention", err)
	}
	ids, err := pairs(rows)
	if err != nil {
		return nil, err
	}
	var out []*Case
	for _, id := range ids {
		res, err := s.db.Exec(ctx, `UPDATE cases SET warned_at = ? WHERE tenant_id = ? AND id = ? AND warned_at IS NULL`, now, id[0], id[1])
		if err != nil {
			return out, wrap("warn", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		c, err := s.Case(ctx, id[0], id[1])
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Purge deletes the cases past their retention date, with their files,
// and returns how many went.
func (s *Store) Purge(ctx context.Context) (int, error) {
	rows, err := s.db.Query(ctx, `SELECT tenant_id, id FROM cases WHERE delete_after < ? LIMIT 500`, s.now())
	if err != nil {
		return 0, wrap("purge", err)
	}
	ids, err := pairs(rows)
	if err != nil {
		return 0, err
	}
	for i, id := range ids {
		if err := s.DeleteCase(ctx, id[0], id[1]); err != nil {
			return i, err
		}
	}
	return len(ids), nil
}

// DeleteCase removes a case, its history, messages and files.
func (s *Store) DeleteCase(ctx context.Context, tenantID, id string) error {
	fs, err := s.CaseFiles(ctx, tenantID, id)
	if err != nil {
		return err
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM cases WHERE tenant_id = ? AND id = ?`, tenantID, id); err != nil {
		return wrap("delete", err)
	}
	for _, f := range fs {
		if err := s.Files.Delete(ctx, f.key); err != nil {
			return err
		}
	}
	return nil
}
