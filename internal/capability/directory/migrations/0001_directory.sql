-- The directory of the territory's institutions and places, the accounts
-- that manage an entry for their organisation, and the changes they
-- propose, which staff approve or reject.
CREATE TABLE directory_entries (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    organisation BOOLEAN NOT NULL DEFAULT FALSE,
    summary TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    opening_hours TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    siret TEXT NOT NULL DEFAULT '',
    wheelchair TEXT NOT NULL DEFAULT 'unknown',
    hearing_loop BOOLEAN NOT NULL DEFAULT FALSE,
    accessibility TEXT NOT NULL DEFAULT '',
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);
CREATE INDEX directory_entries_list ON directory_entries (tenant_id, published, name);

CREATE TABLE directory_managers (
    tenant_id TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES directory_entries (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    granted_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (entry_id, account_id)
);
CREATE INDEX directory_managers_account ON directory_managers (tenant_id, account_id);

CREATE TABLE directory_proposals (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES directory_entries (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    changes TEXT NOT NULL,
    before_changes TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    decided_at TIMESTAMPTZ
);
CREATE INDEX directory_proposals_queue ON directory_proposals (tenant_id, status, created_at);
CREATE INDEX directory_proposals_account ON directory_proposals (tenant_id, account_id, created_at);
CREATE INDEX directory_proposals_retention ON directory_proposals (status, decided_at);
