-- Each collectivité is one ActivityPub actor: its key pair (the private
-- key sealed with a key derived from the server's secret), when it was
-- created (what was published before is not delivered), and which kinds
-- of publication it carries.
CREATE TABLE fediverse_actors (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    public_key_pem TEXT NOT NULL,
    private_key_sealed TEXT NOT NULL,
    publish_news BOOLEAN NOT NULL DEFAULT TRUE,
    publish_events BOOLEAN NOT NULL DEFAULT TRUE,
    publish_alerts BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL
);

-- The actors following a collectivité (personal data: an address on
-- another server), removed when they unfollow or their server says
-- they are gone.
CREATE TABLE fediverse_followers (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    actor_uri TEXT NOT NULL,
    inbox TEXT NOT NULL,
    shared_inbox TEXT NOT NULL DEFAULT '',
    follow_id TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, actor_uri)
);

-- What the actor announced: one row per publication, with the object as
-- it was sent, for the outbox and the objects' addresses.
CREATE TABLE fediverse_items (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    object_json TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    delivered BOOLEAN NOT NULL DEFAULT FALSE,
    announced_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, kind, item_id)
);
CREATE INDEX fediverse_items_published ON fediverse_items (tenant_id, published_at);

-- Replies from the fediverse to an announced item, waiting for
-- moderation, approved (shown under the item) or rejected (deleted
-- after 30 days).
CREATE TABLE fediverse_replies (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    object_uri TEXT NOT NULL,
    actor_uri TEXT NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    author_url TEXT NOT NULL DEFAULT '',
    content_html TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    decided_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, object_uri)
);
CREATE INDEX fediverse_replies_item ON fediverse_replies (tenant_id, kind, item_id, state);

-- Remote actors' public keys and inboxes, fetched when they sign a
-- request, kept a day before being fetched again.
CREATE TABLE fediverse_remote_actors (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    actor_uri TEXT NOT NULL,
    key_id TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    inbox TEXT NOT NULL DEFAULT '',
    shared_inbox TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    fetched_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, key_id)
);
