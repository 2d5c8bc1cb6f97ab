-- Hash chain of the audit log (see internal/staff/auditchain.go): each row
-- has its place in its collectivité's chain (seq), the hash of the row
-- before it, its own hash, and a MAC of that hash under the server key.
ALTER TABLE audit_log ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN mac TEXT NOT NULL DEFAULT '';

-- Rows written before the chain keep their order (ids are time-ordered);
-- the server hashes and signs them right after this migration.
UPDATE audit_log SET seq = (SELECT COUNT(*) FROM audit_log b
	WHERE b.tenant_id = audit_log.tenant_id AND b.id <= audit_log.id);
CREATE UNIQUE INDEX audit_log_chain ON audit_log (tenant_id, seq);

-- One row per collectivité: the end of its chain, updated in the
-- transaction that appends a row, so that concurrent writers queue on it
-- instead of forking the chain. The anchor is the last row removed by the
-- retention job, signed, so that the chain still verifies from there. The
-- checked_ columns keep the signed outcome of the last full verification,
-- from which a display verifies only the rows added since.
CREATE TABLE audit_heads (
	tenant_id         TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
	seq               BIGINT NOT NULL,
	hash              TEXT NOT NULL,
	anchor_seq        BIGINT NOT NULL DEFAULT 0,
	anchor_hash       TEXT NOT NULL DEFAULT '',
	anchor_mac        TEXT NOT NULL DEFAULT '',
	anchor_at         TIMESTAMPTZ NULL,
	checked_at        TIMESTAMPTZ NULL,
	checked_seq       BIGINT NOT NULL DEFAULT 0,
	checked_hash      TEXT NOT NULL DEFAULT '',
	checked_break_seq BIGINT NOT NULL DEFAULT 0,
	checked_break     TEXT NOT NULL DEFAULT '',
	checked_mac       TEXT NOT NULL DEFAULT '',
	updated_at        TIMESTAMPTZ NOT NULL
);
INSERT INTO audit_heads (tenant_id, seq, hash, updated_at)
	SELECT tenant_id, MAX(seq), '', CURRENT_TIMESTAMP FROM audit_log GROUP BY tenant_id;
