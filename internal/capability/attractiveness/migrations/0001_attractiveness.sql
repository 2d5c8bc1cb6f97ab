-- What a collectivité offers entrepreneurs: commercial premises and land
-- to let or to sell, the aids businesses may apply for, and the contacts
-- of its economic service.
CREATE TABLE attractiveness_premises (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    address TEXT NOT NULL,
    surface INTEGER NOT NULL,
    deal TEXT NOT NULL,
    price_cents BIGINT NOT NULL,
    price_unit TEXT NOT NULL,
    tax TEXT NOT NULL,
    available_from TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);
CREATE INDEX attractiveness_premises_list ON attractiveness_premises (tenant_id, published, created_at);
CREATE INDEX attractiveness_premises_retention ON attractiveness_premises (published, updated_at);

CREATE TABLE attractiveness_aids (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    funder TEXT NOT NULL,
    eligible TEXT NOT NULL,
    amount TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX attractiveness_aids_list ON attractiveness_aids (tenant_id, funder, name);

CREATE TABLE attractiveness_contacts (
    tenant_id TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    person TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL
);
