-- Problem reports ("Signaler un problème"): the categories a collectivité
-- offers, the reports residents send, their public history, photos,
-- followers, area alerts and the Open311 clients' keys.

-- questions: the category's extra questions (Open311 attributes), as JSON.
-- keywords: comma-separated. service: the staff service it is routed to;
-- contractor_email: an outside contractor mailed each new report.
CREATE TABLE report_categories (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    grp TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    service TEXT NOT NULL DEFAULT '',
    contractor_email TEXT NOT NULL DEFAULT '',
    questions TEXT NOT NULL DEFAULT '[]',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, code)
);
CREATE INDEX report_categories_list ON report_categories (tenant_id, active, position);

-- The last reference number given per collectivité and year.
CREATE TABLE report_counters (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, year)
);

-- A report waits unconfirmed (confirmed_at null, confirm_hash set) until
-- its guest author follows the link mailed to them. manage_hash is the
-- hash of the secret link that lets a guest follow and reopen it.
-- resolved_at is when it last became fixed, closed or a duplicate (null
-- while open). answers: JSON object of the category's questions.
CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    category_id TEXT NOT NULL REFERENCES report_categories(id),
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL,
    public_note TEXT NOT NULL DEFAULT '',
    duplicate_of TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    account_id TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    api_key_id TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'fr',
    confirm_hash TEXT NOT NULL DEFAULT '',
    manage_hash TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    acknowledged_at TIMESTAMPTZ,
    fixed_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    resolved_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX reports_reference ON reports (tenant_id, reference);
-- The staff queue and the public list, one status at a time.
CREATE INDEX reports_queue ON reports (tenant_id, status, created_at, id);
-- The same narrowed to categories (a service's, or the public filter).
CREATE INDEX reports_public ON reports (tenant_id, category_id, status, created_at, id);
-- The open reports of a category near a point (the form's lookup reads
-- the rows of this index in the box only), and the map's box.
CREATE INDEX reports_nearby ON reports (tenant_id, category_id, lat, lon)
    WHERE status IN ('new', 'acknowledged', 'in_progress') AND confirmed_at IS NOT NULL;
CREATE INDEX reports_area ON reports (tenant_id, lat, lon);
CREATE INDEX reports_account ON reports (tenant_id, account_id, created_at) WHERE account_id <> '';
CREATE INDEX reports_confirm ON reports (confirm_hash) WHERE confirm_hash <> '';
CREATE INDEX reports_manage ON reports (manage_hash) WHERE manage_hash <> '';
CREATE INDEX reports_unconfirmed ON reports (created_at) WHERE confirmed_at IS NULL;
CREATE INDEX reports_resolved ON reports (resolved_at) WHERE resolved_at IS NOT NULL;

-- The public history of a report: no personal data of its author (by is
-- an agent's display name, or the words for the author).
CREATE TABLE report_updates (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    public_note TEXT NOT NULL DEFAULT '',
    by_name TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (report_id, seq)
);

-- Photos, stripped of their metadata; the bytes are in the files bucket
-- under file_key. lat/lon: where the camera said it was, if it said.
CREATE TABLE report_photos (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    file_key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_photos_report ON report_photos (tenant_id, report_id, position);

-- Who follows a report: an address confirmed by its link, or an account
-- (confirmed at once, its verified address kept to mail it).
CREATE TABLE report_followers (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    account_id TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'fr',
    confirm_hash TEXT NOT NULL DEFAULT '',
    unsubscribe_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    UNIQUE (tenant_id, report_id, email)
);
CREATE INDEX report_followers_confirm ON report_followers (confirm_hash) WHERE confirm_hash <> '';
CREATE INDEX report_followers_unsubscribe ON report_followers (tenant_id, unsubscribe_token);
CREATE INDEX report_followers_unconfirmed ON report_followers (created_at) WHERE confirmed_at IS NULL;

-- Area alerts: mail each new report within radius metres of a point, of
-- one category or any ('').
CREATE TABLE report_area_alerts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    email TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    radius INTEGER NOT NULL,
    category_id TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'fr',
    confirm_hash TEXT NOT NULL DEFAULT '',
    unsubscribe_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ
);
CREATE INDEX report_area_alerts_area ON report_area_alerts (tenant_id, lat) WHERE confirmed_at IS NOT NULL;
CREATE INDEX report_area_alerts_confirm ON report_area_alerts (confirm_hash) WHERE confirm_hash <> '';
CREATE INDEX report_area_alerts_unsubscribe ON report_area_alerts (tenant_id, unsubscribe_token);
CREATE INDEX report_area_alerts_email ON report_area_alerts (tenant_id, email);
CREATE INDEX report_area_alerts_unconfirmed ON report_area_alerts (created_at) WHERE confirmed_at IS NULL;

-- Keys of the Open311 clients allowed to post reports: only their hash.
CREATE TABLE report_api_keys (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX report_api_keys_tenant ON report_api_keys (tenant_id, created_at);
