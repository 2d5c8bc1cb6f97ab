-- The collectivité's accounts on other networks, and the posts queued
-- for them from what it publishes.
CREATE TABLE sharing_accounts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    network TEXT NOT NULL,
    host TEXT NOT NULL,
    handle TEXT NOT NULL DEFAULT '',
    secret TEXT NOT NULL,
    secret_saved_at TIMESTAMPTZ NOT NULL,
    kinds TEXT NOT NULL,
    approval BOOLEAN NOT NULL DEFAULT TRUE,
    status TEXT NOT NULL,
    checked TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sharing_accounts_tenant ON sharing_accounts (tenant_id, created_at);

CREATE TABLE sharing_posts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES sharing_accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    remote_url TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    UNIQUE (tenant_id, account_id, kind, item_id)
);
CREATE INDEX sharing_posts_queue ON sharing_posts (tenant_id, status, created_at);
CREATE INDEX sharing_posts_retention ON sharing_posts (status, updated_at);
