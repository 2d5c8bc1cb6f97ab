package staff

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
)

// The audit log of each collectivité is a hash chain. Row n carries
//
//	hash = hex(SHA-256(ns("guichet-audit-v1") ns(tenant_id) ns(seq) ns(id) ns(at)
//	           ns(actor_id) ns(actor) ns(action) ns(target) ns(ip) ns(user_agent) ns(prev_hash)))
//	mac  = hex(HMAC-SHA256(K, hash))   with hash as its 64 hex characters
//
// where ns(s) is the netstring "<byte length of s in decimal>:<s>," of the
// UTF-8 bytes of s, seq is in decimal, at is the UTC time as
// "2006-01-02T15:04:05.000000Z" (microseconds), prev_hash is the hash of row
// n-1 ("" for the first row of a chain never pruned, the anchor's hash
// after pruning) and K = SHA-256("guichet/staff/audit\x00" + server secret key).
// Anyone holding an export can recompute the hashes; only the server key
// can produce the MACs, so that write access to the database alone cannot
// rebuild a forged chain. docs/AUDIT.md says the same for outside readers.
const (
	chainVersion  = "guichet-audit-v1"
	anchorVersion = "guichet-audit-anchor-v1"
	// TimeLayout is how an entry's time is written in its hash and exports.
	TimeLayout = "2006-01-02T15:04:05.000000Z"
)

// netstrings appends each field as a netstring: the encoding is
// unambiguous whatever bytes a field holds.
func netstrings(fields ...string) []byte {
	var b []byte
	for _, f := range fields {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, ',')
	}
	return b
}

// ChainHash returns the hash of e as defined above, from its stored fields.
func ChainHash(e *Entry) string {
	sum := sha256.Sum256(netstrings(chainVersion, e.TenantID, strconv.FormatInt(e.Seq, 10), e.ID,
		e.At.UTC().Format(TimeLayout), e.ActorID, e.Actor, e.Action, e.Target, e.IP, e.UserAgent, e.PrevHash))
	return hex.EncodeToString(sum[:])
}

// auditKey derives the MAC key of the chain from the server's secret key.
func auditKey(secretKey string) []byte {
	k := tokens.Key("staff/audit", secretKey)
	return k[:]
}

func (s *Store) sign(msg []byte) string {
	m := hmac.New(sha256.New, s.auditKey)
	m.Write(msg)
	return hex.EncodeToString(m.Sum(nil))
}

// rowMAC signs a row's hash.
func (s *Store) rowMAC(hash string) string { return s.sign([]byte(hash)) }

// anchorMAC signs the anchor left by pruning: the last removed row.
func (s *Store) anchorMAC(tenantID string, seq int64, hash string) string {
	return s.sign(netstrings(anchorVersion, tenantID, strconv.FormatInt(seq, 10), hash))
}

func validMAC(got, want string) bool { return hmac.Equal([]byte(got), []byte(want)) }

// now is the store's clock in UTC, to the microsecond that both engines keep.
func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// appendEntry adds e at the end of its collectivité's chain. Taking the
// head row in the same transaction serialises writers per collectivité:
// the UPDATE locks the row on PostgreSQL, and SQLite has one writer.
func (s *Store) appendEntry(ctx context.Context, e *Entry) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		seq, prev, err := advanceHead(ctx, tx, e.TenantID, s.now())
		if err != nil {
			return err
		}
		e.Seq, e.PrevHash, e.At = seq, prev, s.now()
		e.Hash = ChainHash(e)
		e.MAC = s.rowMAC(e.Hash)
		if _, err := tx.Exec(ctx, `INSERT INTO audit_log (id, tenant_id, seq, actor_id, actor, action, target, ip,
			user_agent, at, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.TenantID, e.Seq, e.ActorID, e.Actor, e.Action, e.Target, e.IP, e.UserAgent, e.At,
			e.PrevHash, e.Hash, e.MAC); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE audit_heads SET hash = ? WHERE tenant_id = ?`, e.Hash, e.TenantID)
		return err
	})
}

// advanceHead takes the next place in tenantID's chain and returns it with
// the hash of the row before it, creating the head on the first entry.
func advanceHead(ctx context.Context, tx *db.Tx, tenantID string, now time.Time) (int64, string, error) {
	for range 2 {
		var seq int64
		var prev string
		err := tx.QueryRow(ctx, `UPDATE audit_heads SET seq = seq + 1, updated_at = ? WHERE tenant_id = ?
			RETURNING seq, hash`, now, tenantID).Scan(&seq, &prev)
		if !errors.Is(err, sql.ErrNoRows) {
			return seq, prev, err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO audit_heads (tenant_id, seq, hash, updated_at) VALUES (?, 0, '', ?)
			ON CONFLICT (tenant_id) DO NOTHING`, tenantID, now); err != nil {
			return 0, "", err
		}
	}
	return 0, "", fmt.Errorf("staff: no audit head for %s", tenantID)
}

// SealLegacy hashes and signs the rows written before the chain existed,
// in their order. The server calls it once, right after the migration
// that added the chain (see ChainMigration); calling it at any other time
// would let someone who blanked rows' hashes have them signed again.
func (s *Store) SealLegacy(ctx context.Context) error {
	rows, err := s.db.Query(ctx, `SELECT tenant_id FROM audit_heads WHERE hash = '' AND seq > 0`)
	if err != nil {
		return fmt.Errorf("staff: seal audit log: %w", err)
	}
	var tenants []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		tenants = append(tenants, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range tenants {
		if err := s.db.InTx(ctx, func(tx *db.Tx) error { return s.sealTenant(ctx, tx, id) }); err != nil {
			return fmt.Errorf("staff: seal audit log of %s: %w", id, err)
		}
	}
	return nil
}

func (s *Store) sealTenant(ctx context.Context, tx *db.Tx, tenantID string) error {
	var entries []*Entry
	err := scanEntries(ctx, tx, `WHERE tenant_id = ? ORDER BY seq`, []any{tenantID}, func(e *Entry) error {
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return err
	}
	prev, last := "", int64(0)
	for _, e := range entries {
		e.PrevHash = prev
		e.Hash = ChainHash(e)
		e.MAC = s.rowMAC(e.Hash)
		if _, err := tx.Exec(ctx, `UPDATE audit_log SET prev_hash = ?, hash = ?, mac = ? WHERE tenant_id = ? AND id = ?`,
			e.PrevHash, e.Hash, e.MAC, tenantID, e.ID); err != nil {
			return err
		}
		prev, last = e.Hash, e.Seq
	}
	_, err = tx.Exec(ctx, `UPDATE audit_heads SET seq = ?, hash = ? WHERE tenant_id = ?`, last, prev, tenantID)
	return err
}

// ChainPending reports whether the migration adding the chain is still to
// be applied to d (or d is new): the caller then seals the older rows
// once it has run.
func ChainPending(ctx context.Context, d *db.DB) bool {
	n, err := d.Pending(ctx, []db.Migrations{ChainMigration})
	return err != nil || n > 0
}
