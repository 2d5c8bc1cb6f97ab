-- Every email goes through the outbox: queued until delivered (sent), kept
-- for the operator when no SMTP server is configured (held), or given up
-- after the last attempt or a permanent refusal (failed).
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    lang TEXT NOT NULL,
    data TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ
);
CREATE INDEX outbox_created ON outbox (created_at);
CREATE INDEX outbox_tenant ON outbox (tenant_id, created_at);
