-- Registrations are per date of a repeating event: each date has its own
-- seats and waiting list. Each registration and subscription also keeps
-- the language its emails are written in.
CREATE TABLE content_registrations_dated (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES content_events(id) ON DELETE CASCADE,
    occurrence_start TIMESTAMPTZ NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'fr',
    status TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, event_id, occurrence_start, email)
);
INSERT INTO content_registrations_dated (id, tenant_id, event_id, occurrence_start, name, email, status, token_hash, created_at)
    SELECT r.id, r.tenant_id, r.event_id, e.starts_at, r.name, r.email, r.status, r.token_hash, r.created_at
    FROM content_registrations r JOIN content_events e ON e.id = r.event_id AND e.tenant_id = r.tenant_id;
DROP TABLE content_registrations;
ALTER TABLE content_registrations_dated RENAME TO content_registrations;
CREATE INDEX content_registrations_date ON content_registrations (tenant_id, event_id, occurrence_start, status, created_at);
CREATE INDEX content_registrations_token ON content_registrations (tenant_id, token_hash);

ALTER TABLE content_subscribers ADD COLUMN lang TEXT NOT NULL DEFAULT 'fr';
ALTER TABLE content_questions ADD COLUMN lang TEXT NOT NULL DEFAULT 'fr';
