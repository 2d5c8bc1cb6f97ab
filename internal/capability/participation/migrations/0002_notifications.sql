-- Notifications: what the notification centre lists (a reply to a
-- followed thread, a mention, a moderator's decision, a private message),
-- and how each person wants to hear of them by email.

-- A notification of user_id. kind: reponse, mention, moderation or
-- message. community_id is the space's (empty for a topic's), to apply
-- a community's setting. actor is who wrote, title and path what the
-- centre shows and links to. delivery is how it reaches the mailbox:
-- immediat (one mail), recapitulatif (the next digest, due at digest_at)
-- or aucun (the centre only); mailed_at once mailed.
CREATE TABLE participation_notifications (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    thread_id TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL DEFAULT '',
    space_id TEXT NOT NULL DEFAULT '',
    community_id TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    path TEXT NOT NULL DEFAULT '',
    delivery TEXT NOT NULL DEFAULT 'aucun',
    digest_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ,
    mailed_at TIMESTAMPTZ
);
CREATE INDEX participation_notifications_user ON participation_notifications (tenant_id, user_id, created_at);
-- The digests' run reads the notifications due, none most of the time.
CREATE INDEX participation_notifications_digest ON participation_notifications (digest_at);

-- How a person hears of a kind of notification: scope is '' for every
-- space or a community's id (its spaces'); mode immediat, quotidien,
-- hebdomadaire or aucun. Without a row, the defaults hold.
CREATE TABLE participation_notify_settings (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, kind, scope)
);
CREATE INDEX participation_notify_settings_user ON participation_notify_settings (user_id);

-- The digests sent: one row per mail, how many notifications it held.
CREATE TABLE participation_digests (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    items INTEGER NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, user_id, sent_at)
);
