-- Requests about one's personal data (access, erasure, rectification,
-- objection): filed from the personal-data page, answered within one
-- month. A request from someone without an account counts from when they
-- confirm their address (confirm_hash holds the hash of that link).
CREATE TABLE privacy_requests (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'fr',
    confirm_hash TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    handled_by TEXT NOT NULL DEFAULT '',
    received_at TIMESTAMPTZ,
    due_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, reference)
);
CREATE INDEX privacy_requests_list ON privacy_requests (tenant_id, state, due_at);
CREATE INDEX privacy_requests_confirm ON privacy_requests (tenant_id, confirm_hash);
CREATE INDEX privacy_requests_unconfirmed ON privacy_requests (created_at) WHERE received_at IS NULL;
CREATE INDEX privacy_requests_closed ON privacy_requests (closed_at);
