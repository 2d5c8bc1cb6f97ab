-- Attempts refused by an abuse limit, for the operator console: one row
-- per key and window, kept 30 days. The email is stored masked.
CREATE TABLE abuse_refusals (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    kind TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX abuse_refusals_created ON abuse_refusals (created_at);
CREATE INDEX abuse_refusals_tenant ON abuse_refusals (tenant_id, created_at);
