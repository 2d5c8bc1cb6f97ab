package staff

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// A full verification walks every entry kept, a year of them: more than a
// page can pay on each display. Its outcome is kept in the chain's head,
// signed, and a display verifies only the entries added since; the daily
// job and "guichet audit verify" walk everything again.

const checkVersion = "guichet-audit-check-v1"

// checkpoint is the kept outcome of a full verification: the last entry
// it vouched for, or where the chain broke.
type checkpoint struct {
	at       time.Time
	seq      int64
	hash     string
	breakSeq int64
	reason   string
	mac      string
}

func (s *Store) checkpointMAC(tenantID string, cp checkpoint) string {
	return s.sign(netstrings(checkVersion, tenantID, cp.at.UTC().Format(TimeLayout), strconv.FormatInt(cp.seq, 10), cp.hash,
		strconv.FormatInt(cp.breakSeq, 10), cp.reason))
}

// CheckChain verifies tenantID's whole chain, like VerifyChain, and keeps
// the outcome for ChainReport.
func (s *Store) CheckChain(ctx context.Context, tenantID string) (ChainStatus, error) {
	st, err := s.VerifyChain(ctx, tenantID)
	if err != nil {
		return st, err
	}
	cp := checkpoint{at: s.now(), seq: st.Last, hash: st.LastHash}
	if b := st.Break; b != nil {
		cp.breakSeq, cp.reason = b.Seq, b.Reason
	}
	cp.mac = s.checkpointMAC(tenantID, cp)
	_, err = s.db.Exec(ctx, `UPDATE audit_heads SET checked_at = ?, checked_seq = ?, checked_hash = ?, checked_break_seq = ?,
		checked_break = ?, checked_mac = ? WHERE tenant_id = ?`, cp.at, cp.seq, cp.hash, cp.breakSeq, cp.reason, cp.mac, tenantID)
	if err != nil {
		return st, fmt.Errorf("staff: keep audit check: %w", err)
	}
	st.CheckedAt = cp.at
	return st, nil
}

// CheckAll runs CheckChain on every chain and returns the broken ones.
func (s *Store) CheckAll(ctx context.Context) ([]ChainStatus, error) {
	ids, err := s.chainTenants(ctx)
	if err != nil {
		return nil, err
	}
	var broken []ChainStatus
	for _, id := range ids {
		st, err := s.CheckChain(ctx, id)
		if err != nil {
			return broken, err
		}
		if !st.Intact() {
			broken = append(broken, st)
		}
	}
	return broken, nil
}

// ChainReport says whether tenantID's chain holds, cheaply: the kept
// outcome of the last full verification, checked for its signature, then
// the entries added since. With no usable outcome kept it runs CheckChain.
func (s *Store) ChainReport(ctx context.Context, tenantID string) (ChainStatus, error) {
	h, err := s.readHead(ctx, tenantID)
	if err != nil {
		return ChainStatus{}, err
	}
	if h == nil || h.checked.at.IsZero() || h.checked.seq < h.anchorSeq {
		return s.CheckChain(ctx, tenantID)
	}
	cp := h.checked
	st := ChainStatus{TenantID: tenantID, First: h.anchorSeq + 1, Last: cp.seq, LastHash: cp.hash, CheckedAt: cp.at}
	switch {
	case !validMAC(cp.mac, s.checkpointMAC(tenantID, cp)):
		st.Break = &Break{Seq: cp.seq, Reason: BreakCheck}
	case cp.reason != "":
		st.Break = s.breakAt(ctx, tenantID, cp.breakSeq, cp.reason)
	}
	if st.Break != nil {
		return st, nil
	}
	c := newChainCheck(tenantID, cp.seq, cp.hash, s.rowMAC)
	if err := s.verifyFrom(ctx, c, cp.seq); err != nil {
		return st, err
	}
	c.status.First, c.status.CheckedAt = st.First, cp.at
	c.status.Entries = int(c.status.Last - h.anchorSeq)
	return c.status, nil
}

// breakAt describes a kept break, with its entry when it is still there.
func (s *Store) breakAt(ctx context.Context, tenantID string, seq int64, reason string) *Break {
	b := &Break{Seq: seq, Reason: reason}
	_ = scanEntries(ctx, s.db, `WHERE tenant_id = ? AND seq = ?`, []any{tenantID, seq}, func(e *Entry) error {
		b.ID, b.At = e.ID, e.At
		return nil
	})
	return b
}
