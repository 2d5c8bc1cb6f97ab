package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guichet/internal/kernel/db"
)

// Why a chain is broken at an entry.
const (
	BreakAnchor  = "anchor"  // the signed anchor left by pruning was changed
	BreakMissing = "missing" // entries before this one were removed
	BreakLink    = "link"    // the entry does not follow the one before it (moved or inserted)
	BreakChanged = "changed" // a field no longer matches the entry's hash
	BreakForged  = "forged"  // the hash was recomputed without the server key
	BreakHead    = "head"    // the chain does not end where it should (entries removed or added at its end)
	BreakCheck   = "check"   // the kept outcome of the last full verification was changed
)

// Break is the first entry at which a chain fails verification.
type Break struct {
	Seq    int64
	ID     string // empty when the break is not at a stored entry
	At     time.Time
	Reason string
}

// ChainStatus is the outcome of verifying one collectivité's chain.
type ChainStatus struct {
	TenantID string
	Entries  int   // entries checked
	First    int64 // place of the first entry kept (after the anchor)
	Last     int64 // place of the last entry checked
	// LastHash is the hash of the last entry checked: kept somewhere else,
	// it vouches for every entry before it.
	LastHash string
	Break    *Break
	// CheckedAt is when the whole chain was last walked (see ChainReport).
	CheckedAt time.Time
}

// Intact reports whether every entry checked.
func (c ChainStatus) Intact() bool { return c.Break == nil }

// chainCheck walks a chain entry by entry.
type chainCheck struct {
	status ChainStatus
	seq    int64  // place expected next
	prev   string // hash expected in the next entry's PrevHash
	// mac, when set, checks an entry's MAC against its hash.
	mac func(hash string) string
}

func newChainCheck(tenantID string, anchorSeq int64, anchorHash string, mac func(string) string) *chainCheck {
	return &chainCheck{status: ChainStatus{TenantID: tenantID, First: anchorSeq + 1, Last: anchorSeq, LastHash: anchorHash},
		seq: anchorSeq + 1, prev: anchorHash, mac: mac}
}

// next checks e, the entry after the last one checked; it returns false
// once the chain is broken.
func (c *chainCheck) next(e *Entry) bool {
	if c.status.Break != nil {
		return false
	}
	reason := ""
	switch {
	case e.Seq > c.seq:
		reason = BreakMissing
	case e.Seq < c.seq || e.PrevHash != c.prev:
		reason = BreakLink
	case ChainHash(e) != e.Hash:
		reason = BreakChanged
	case c.mac != nil && !validMAC(e.MAC, c.mac(e.Hash)):
		reason = BreakForged
	}
	if reason != "" {
		c.status.Break = &Break{Seq: e.Seq, ID: e.ID, At: e.At, Reason: reason}
		return false
	}
	c.status.Entries++
	c.status.Last, c.status.LastHash = e.Seq, e.Hash
	c.seq, c.prev = e.Seq+1, e.Hash
	return true
}

// fail records a break that is not at a stored entry.
func (c *chainCheck) fail(seq int64, reason string) {
	if c.status.Break == nil {
		c.status.Break = &Break{Seq: seq, Reason: reason}
	}
}

// head is the stored end and anchor of a chain, and the kept outcome of
// its last full verification.
type head struct {
	seq, anchorSeq              int64
	hash, anchorHash, anchorMAC string
	checked                     checkpoint
}

func (s *Store) readHead(ctx context.Context, tenantID string) (*head, error) {
	h := &head{}
	var at sql.NullTime
	cp := &h.checked
	err := s.db.QueryRow(ctx, `SELECT seq, hash, anchor_seq, anchor_hash, anchor_mac, checked_at, checked_seq, checked_hash,
		checked_break_seq, checked_break, checked_mac FROM audit_heads WHERE tenant_id = ?`, tenantID).
		Scan(&h.seq, &h.hash, &h.anchorSeq, &h.anchorHash, &h.anchorMAC, &at, &cp.seq, &cp.hash, &cp.breakSeq, &cp.reason, &cp.mac)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("staff: audit head: %w", err)
	}
	if at.Valid {
		cp.at = at.Time.UTC()
	}
	return h, nil
}

// VerifyChain walks tenantID's audit chain from its anchor and reports the
// first entry that fails: changed, forged, removed, inserted or moved.
// Entries appended while it runs are checked too.
func (s *Store) VerifyChain(ctx context.Context, tenantID string) (ChainStatus, error) {
	st, anchor, err := s.verifyOnce(ctx, tenantID)
	if err != nil || st.Intact() {
		return st, err
	}
	// Pruning while we walked moves the anchor: walk again from the new one.
	if h, err := s.readHead(ctx, tenantID); err == nil && h != nil && h.anchorSeq != anchor {
		st, _, err = s.verifyOnce(ctx, tenantID)
		return st, err
	}
	return st, nil
}

func (s *Store) verifyOnce(ctx context.Context, tenantID string) (ChainStatus, int64, error) {
	h, err := s.readHead(ctx, tenantID)
	if err != nil {
		return ChainStatus{}, 0, err
	}
	if h == nil {
		h = &head{}
	}
	c := newChainCheck(tenantID, h.anchorSeq, h.anchorHash, s.rowMAC)
	if h.anchorSeq > 0 && !validMAC(h.anchorMAC, s.anchorMAC(tenantID, h.anchorSeq, h.anchorHash)) {
		c.fail(h.anchorSeq, BreakAnchor)
		return c.status, h.anchorSeq, nil
	}
	err = s.verifyFrom(ctx, c, -1)
	return c.status, h.anchorSeq, err
}

// verifyFrom checks the entries placed after from (all when negative),
// then that the chain ends where its head says.
func (s *Store) verifyFrom(ctx context.Context, c *chainCheck, from int64) error {
	// Rows first, then the head: a head read after the rows is at or past
	// the last row committed, unless someone wrote rows beside it.
	var h *head
	for range 10 {
		if err := s.walk(ctx, c, from); err != nil || !c.status.Intact() {
			return err
		}
		var err error
		if h, err = s.readHead(ctx, c.status.TenantID); err != nil {
			return err
		}
		if h == nil || h.seq <= c.status.Last {
			break
		}
		from = c.status.Last // appended meanwhile: check those too
	}
	if (h == nil && c.status.Entries > 0) || (h != nil && (h.seq != c.status.Last || h.hash != c.prev)) {
		c.fail(c.status.Last, BreakHead)
	}
	return nil
}

// walk checks the entries of c's collectivité placed after from (all of
// them when from is negative).
func (s *Store) walk(ctx context.Context, c *chainCheck, from int64) error {
	where, args := `WHERE tenant_id = ? ORDER BY seq`, []any{c.status.TenantID}
	if from >= 0 {
		where, args = `WHERE tenant_id = ? AND seq > ? ORDER BY seq`, append(args, from)
	}
	return feed(ctx, s.db, c, where, args)
}

// errBroken stops reading entries once a chain is broken.
var errBroken = errors.New("staff: audit chain broken")

// feed hands the entries of a query to c until it finds a break.
func feed(ctx context.Context, q db.Querier, c *chainCheck, where string, args []any) error {
	err := scanEntries(ctx, q, where, args, func(e *Entry) error {
		if !c.next(e) {
			return errBroken
		}
		return nil
	})
	if errors.Is(err, errBroken) {
		return nil
	}
	return err
}

// chainTenants lists the collectivités whose audit log has a chain.
func (s *Store) chainTenants(ctx context.Context) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT tenant_id FROM audit_heads ORDER BY tenant_id`)
	if err != nil {
		return nil, fmt.Errorf("staff: audit chains: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
