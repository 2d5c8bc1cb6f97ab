-- The newsletter: lists people subscribe to, subscribers without an
-- account (double opt-in, consent recorded), campaigns and their
-- deliveries, the links of a campaign that measured clicks, CSV imports,
-- and the hashes of addresses that asked never to be written to again.

-- A list: a topic, a neighbourhood or a community.
CREATE TABLE newsletter_lists (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    public BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX newsletter_lists_tenant ON newsletter_lists (tenant_id, position);

-- status: pending (link mailed, not confirmed), active, suspended (the
-- address bounces). An unsubscribed address is deleted, its hash kept in
-- newsletter_suppressions. created_at is when the confirmation link was
-- last sent; consent_at and consent_source say how the person agreed.
CREATE TABLE newsletter_subscribers (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'fr',
    status TEXT NOT NULL,
    confirm_hash TEXT NOT NULL DEFAULT '',
    unsubscribe_token TEXT NOT NULL,
    consent_at TIMESTAMPTZ,
    consent_source TEXT NOT NULL DEFAULT '',
    measure BOOLEAN NOT NULL DEFAULT FALSE,
    soft_bounces INTEGER NOT NULL DEFAULT 0,
    suspended_reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, email)
);
CREATE UNIQUE INDEX newsletter_subscribers_unsubscribe ON newsletter_subscribers (unsubscribe_token);
CREATE INDEX newsletter_subscribers_status ON newsletter_subscribers (tenant_id, status, id);

CREATE TABLE newsletter_memberships (
    list_id TEXT NOT NULL REFERENCES newsletter_lists(id) ON DELETE CASCADE,
    subscriber_id TEXT NOT NULL REFERENCES newsletter_subscribers(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    PRIMARY KEY (list_id, subscriber_id)
);
CREATE INDEX newsletter_memberships_subscriber ON newsletter_memberships (subscriber_id);

-- Addresses that unsubscribed or complained, as SHA-256 of the lowercase
-- address: an import never adds them back.
CREATE TABLE newsletter_suppressions (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email_hash TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, email_hash)
);

-- A campaign: its French and English versions (subject, blocks as JSON),
-- the lists it goes to ('' for every active subscriber), its state
-- (draft, scheduled, sending, paused, sent, cancelled), its pace in
-- messages per second (0: as fast as the server takes them) and its
-- figures.
CREATE TABLE newsletter_campaigns (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    subject TEXT NOT NULL,
    preheader TEXT NOT NULL DEFAULT '',
    blocks TEXT NOT NULL,
    subject_en TEXT NOT NULL DEFAULT '',
    preheader_en TEXT NOT NULL DEFAULT '',
    blocks_en TEXT NOT NULL DEFAULT '',
    lists TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    scheduled_at TIMESTAMPTZ,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    rate INTEGER NOT NULL DEFAULT 0,
    measure BOOLEAN NOT NULL DEFAULT FALSE,
    archived BOOLEAN NOT NULL DEFAULT TRUE,
    total INTEGER NOT NULL DEFAULT 0,
    sent INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    opens INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0,
    author TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);
CREATE INDEX newsletter_campaigns_tenant ON newsletter_campaigns (tenant_id, status, finished_at);

-- One row per recipient of a campaign, written when its sending starts.
-- status: pending, sending (claimed before the SMTP conversation), sent,
-- failed, skipped (unsubscribed or suspended meanwhile), interrupted (the
-- process stopped during the conversation: the message may have gone, so
-- it is never sent again).
CREATE TABLE newsletter_deliveries (
    campaign_id TEXT NOT NULL REFERENCES newsletter_campaigns(id) ON DELETE CASCADE,
    subscriber_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TIMESTAMPTZ,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at TIMESTAMPTZ,
    opened_at TIMESTAMPTZ,
    clicked_at TIMESTAMPTZ,
    PRIMARY KEY (campaign_id, subscriber_id)
);
CREATE INDEX newsletter_deliveries_todo ON newsletter_deliveries (campaign_id, status, subscriber_id);
CREATE INDEX newsletter_deliveries_subscriber ON newsletter_deliveries (subscriber_id);
CREATE INDEX newsletter_deliveries_sent ON newsletter_deliveries (tenant_id, sent_at);

-- The links of a campaign that measures clicks, numbered in order.
CREATE TABLE newsletter_links (
    campaign_id TEXT NOT NULL REFERENCES newsletter_campaigns(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    url TEXT NOT NULL,
    clicks INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, n)
);

-- A CSV import and its progress.
CREATE TABLE newsletter_imports (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    added INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    problems TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    lists TEXT NOT NULL DEFAULT '',
    consent_source TEXT NOT NULL DEFAULT '',
    confirm BOOLEAN NOT NULL DEFAULT FALSE,
    base_url TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
CREATE INDEX newsletter_imports_tenant ON newsletter_imports (tenant_id, created_at);

-- The pictures of the campaigns, in the "newsletter" bucket.
CREATE TABLE newsletter_images (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    storage_key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX newsletter_images_tenant ON newsletter_images (tenant_id);
