-- Communities a resident joins (a neighbourhood, a school, an
-- association, an interest group), their animators, their announcements
-- and the publications attached to them, the memberships with their
-- notification choice, each resident's digest settings and the log of the
-- digests sent.

-- kind: quartier, ecole, association, interet. area is a neighbourhood's
-- alert area; entry_id a school's or an association's directory entry.
CREATE TABLE communities (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL DEFAULT '',
    entry_id TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);
CREATE INDEX communities_tenant ON communities (tenant_id, name);

-- notify: digest (the community's news go into the resident's digest) or
-- none.
CREATE TABLE communities_members (
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    notify TEXT NOT NULL,
    joined_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX communities_members_user ON communities_members (tenant_id, user_id);

-- Residents staff named to animate a community (the managers of its
-- directory entry animate it too, without a row here).
CREATE TABLE communities_animators (
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    named_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX communities_animators_user ON communities_animators (tenant_id, user_id);

-- An announcement: author_id is its writer while their account lives,
-- by_staff whether they wrote it for the mairie.
CREATE TABLE communities_posts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    by_staff BOOLEAN NOT NULL DEFAULT FALSE,
    published_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX communities_posts_feed ON communities_posts (tenant_id, community_id, published_at);

-- A news item or an event attached to a community: what the feed shows of
-- it is copied when it is attached.
CREATE TABLE communities_links (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMPTZ NOT NULL,
    starts_at TIMESTAMPTZ,
    attached_at TIMESTAMPTZ NOT NULL,
    UNIQUE (community_id, kind, item_id)
);
CREATE INDEX communities_links_feed ON communities_links (tenant_id, community_id, attached_at);

-- A resident's digest: frequency daily or weekly; next_at is when the next
-- one is due, since the end of the window the last one covered.
CREATE TABLE communities_settings (
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    frequency TEXT NOT NULL,
    since TIMESTAMPTZ NOT NULL,
    next_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX communities_settings_due ON communities_settings (next_at);

-- The digests sent: one per resident and period at most.
CREATE TABLE communities_digests (
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    items INTEGER NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, user_id, period)
);
CREATE INDEX communities_digests_retention ON communities_digests (sent_at);
