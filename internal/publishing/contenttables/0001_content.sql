-- News, events, pages: one table each, with a status (draft, scheduled by
-- publish_at, published, unpublished) and a slug unique per collectivité.
CREATE TABLE content_news (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    easy_read TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    body_en TEXT NOT NULL DEFAULT '',
    image_id TEXT NOT NULL DEFAULT '',
    image_alt TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    publish_at TIMESTAMPTZ,
    author TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);
CREATE INDEX content_news_public ON content_news (tenant_id, status, publish_at, id);
CREATE INDEX content_news_category ON content_news (tenant_id, category, status, publish_at, id);
CREATE INDEX content_news_updated ON content_news (tenant_id, updated_at, id);

CREATE TABLE content_events (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    body_en TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    all_day BOOLEAN NOT NULL DEFAULT FALSE,
    recurrence TEXT NOT NULL DEFAULT '',
    recurrence_until TIMESTAMPTZ,
    registration BOOLEAN NOT NULL DEFAULT FALSE,
    capacity INTEGER NOT NULL DEFAULT 0,
    cancelled BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    publish_at TIMESTAMPTZ,
    author TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);
CREATE INDEX content_events_updated ON content_events (tenant_id, updated_at, id);

-- Each occurrence of an event (one row, or one per week or month of a
-- recurring event): lists read dates in order with keyset pagination.
CREATE TABLE content_event_dates (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES content_events(id) ON DELETE CASCADE,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    category TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    PRIMARY KEY (event_id, starts_at)
);
CREATE INDEX content_event_dates_next ON content_event_dates (tenant_id, public, ends_at, starts_at, event_id);
CREATE INDEX content_event_dates_cat ON content_event_dates (tenant_id, public, category, ends_at, starts_at, event_id);

CREATE TABLE content_registrations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES content_events(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, event_id, email)
);
CREATE INDEX content_registrations_event ON content_registrations (tenant_id, event_id, status, created_at);
CREATE INDEX content_registrations_token ON content_registrations (tenant_id, token_hash);

CREATE TABLE content_pages (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    body_en TEXT NOT NULL DEFAULT '',
    menu_order INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    publish_at TIMESTAMPTZ,
    author TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);
CREATE INDEX content_pages_menu ON content_pages (tenant_id, status, menu_order);

-- Every saved version of a news item, event or page, newest last.
CREATE TABLE content_revisions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    action TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX content_revisions_item ON content_revisions (tenant_id, item_id, created_at);

CREATE TABLE content_media (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX content_media_tenant ON content_media (tenant_id, id);

CREATE TABLE content_alerts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL,
    topic TEXT NOT NULL,
    area TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    withdrawn BOOLEAN NOT NULL DEFAULT FALSE,
    author TEXT NOT NULL DEFAULT '',
    sent_at TIMESTAMPTZ,
    -- the last subscriber mailed, so that a retried sending resumes there
    send_cursor TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX content_alerts_active ON content_alerts (tenant_id, expires_at, starts_at);
CREATE INDEX content_alerts_created ON content_alerts (tenant_id, created_at, id);

-- People who receive alerts by email, without an account: confirmed by a
-- link (double opt-in), unsubscribed by another (one click).
CREATE TABLE content_subscribers (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    topics TEXT NOT NULL,
    areas TEXT NOT NULL,
    confirm_hash TEXT NOT NULL,
    unsubscribe_token TEXT NOT NULL,
    confirmed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, email)
);
CREATE INDEX content_subscribers_confirm ON content_subscribers (tenant_id, confirm_hash);
CREATE INDEX content_subscribers_unsub ON content_subscribers (tenant_id, unsubscribe_token);
CREATE INDEX content_subscribers_active ON content_subscribers (tenant_id, confirmed_at, id);

-- Questions from residents, answered in public; "Vrai ou faux ?" posts and
-- FAQ entries are questions written by the mairie itself.
CREATE TABLE content_questions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    question TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL DEFAULT '',
    asker_name TEXT NOT NULL DEFAULT '',
    asker_email TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    verify_hash TEXT NOT NULL DEFAULT '',
    answered_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    answered_at TIMESTAMPTZ
);
CREATE INDEX content_questions_public ON content_questions (tenant_id, status, answered_at, id);
CREATE INDEX content_questions_queue ON content_questions (tenant_id, status, created_at, id);
CREATE INDEX content_questions_verify ON content_questions (tenant_id, verify_hash);

-- Neighbourhoods alerts may target and subscribers may choose.
CREATE TABLE content_areas (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
