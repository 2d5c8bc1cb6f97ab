package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guichet/internal/kernel/db"
)

// AuditPruneEvery is how often the retention job runs.
const AuditPruneEvery = 24 * time.Hour

// AuditCutoff returns the time before which audit entries are removed:
// they are kept one year, the longest the CNIL recommends for access logs
// (six months to a year).
func AuditCutoff(now time.Time) time.Time { return now.UTC().AddDate(-1, 0, 0) }

// PruneAudit removes from every chain the entries older than AuditCutoff,
// and returns how many it removed. The removed part is verified first and
// a chain that fails keeps everything, as evidence; the last removed entry
// stays as a signed anchor from which the rest still verifies.
func (s *Store) PruneAudit(ctx context.Context) (int, error) {
	ids, err := s.chainTenants(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := AuditCutoff(s.now())
	removed, errs := 0, []error{}
	for _, id := range ids {
		var n int
		err := s.db.InTx(ctx, func(tx *db.Tx) (err error) {
			n, err = s.pruneTenant(ctx, tx, id, cutoff)
			return err
		})
		removed += n
		if err != nil {
			errs = append(errs, fmt.Errorf("staff: prune audit log of %s: %w", id, err))
		}
	}
	return removed, errors.Join(errs...)
}

func (s *Store) pruneTenant(ctx context.Context, tx *db.Tx, tenantID string, cutoff time.Time) (int, error) {
	h := &head{}
	// The UPDATE takes the head's lock: no entry is appended meanwhile.
	err := tx.QueryRow(ctx, `UPDATE audit_heads SET updated_at = ? WHERE tenant_id = ?
		RETURNING seq, hash, anchor_seq, anchor_hash, anchor_mac`, s.now(), tenantID).
		Scan(&h.seq, &h.hash, &h.anchorSeq, &h.anchorHash, &h.anchorMAC)
	if err != nil {
		return 0, err
	}
	var keepFrom sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT MIN(seq) FROM audit_log WHERE tenant_id = ? AND at >= ?`,
		tenantID, cutoff).Scan(&keepFrom); err != nil {
		return 0, err
	}
	last := h.seq // nothing recent: every entry goes, the last one becomes the anchor
	if keepFrom.Valid {
		last = keepFrom.Int64 - 1
	}
	if last <= h.anchorSeq {
		return 0, nil
	}
	c, err := s.checkPrefix(ctx, tx, tenantID, h, last)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_heads SET anchor_seq = ?, anchor_hash = ?, anchor_mac = ?, anchor_at = ?
		WHERE tenant_id = ?`, last, c.prev, s.anchorMAC(tenantID, last, c.prev), s.now(), tenantID); err != nil {
		return 0, err
	}
	res, err := tx.Exec(ctx, `DELETE FROM audit_log WHERE tenant_id = ? AND seq <= ?`, tenantID, last)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// checkPrefix verifies the entries from the anchor to last, the part about
// to be removed, and refuses to go on if they do not hold.
func (s *Store) checkPrefix(ctx context.Context, tx *db.Tx, tenantID string, h *head, last int64) (*chainCheck, error) {
	c := newChainCheck(tenantID, h.anchorSeq, h.anchorHash, s.rowMAC)
	if h.anchorSeq > 0 && !validMAC(h.anchorMAC, s.anchorMAC(tenantID, h.anchorSeq, h.anchorHash)) {
		c.fail(h.anchorSeq, BreakAnchor)
	}
	if err := feed(ctx, tx, c, `WHERE tenant_id = ? AND seq <= ? ORDER BY seq`, []any{tenantID, last}); err != nil {
		return nil, err
	}
	switch {
	case c.status.Intact() && c.status.Last != last:
		c.fail(c.status.Last+1, BreakMissing)
	case c.status.Intact() && last == h.seq && c.prev != h.hash:
		c.fail(last, BreakHead)
	}
	if b := c.status.Break; b != nil {
		return nil, fmt.Errorf("chain broken at entry %d (%s): nothing removed", b.Seq, b.Reason)
	}
	return c, nil
}
