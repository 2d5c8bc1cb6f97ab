-- The territory of a collectivité: its cadastre (parcels, sections,
-- buildings), the zones of its urban plan (PLU) with each zone's
-- regulation, prescriptions and easements, and its address list.
-- Geometries are kept as WKB in WGS 84 longitude/latitude with their
-- bounding box beside them, so that a query can narrow by box before any
-- geometry is read. `digest` is the SHA-256 of what the source file said
-- of the record: a re-import tells what changed by it.
CREATE TABLE urbanism_parcels (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    commune TEXT NOT NULL,
    prefix TEXT NOT NULL,
    section TEXT NOT NULL,
    number TEXT NOT NULL,
    area BIGINT NOT NULL,
    source_updated TEXT NOT NULL DEFAULT '',
    geometry BYTEA NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX urbanism_parcels_ref ON urbanism_parcels (tenant_id, section, number);

CREATE TABLE urbanism_sections (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    commune TEXT NOT NULL,
    prefix TEXT NOT NULL,
    code TEXT NOT NULL,
    geometry BYTEA NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE urbanism_buildings (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    commune TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    geometry BYTEA NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE urbanism_zones (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    label TEXT NOT NULL,
    long_label TEXT NOT NULL,
    type TEXT NOT NULL,
    destination TEXT NOT NULL,
    idurba TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_url TEXT NOT NULL,
    commune TEXT NOT NULL,
    approved TEXT NOT NULL,
    valid TEXT NOT NULL,
    geometry BYTEA NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- The regulation of a zone label ("UA") in a commune: written by the
-- staff, it outlives re-imports of the zones' outlines.
CREATE TABLE urbanism_rules (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    commune TEXT NOT NULL,
    label TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    file_key TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL DEFAULT '',
    file_size BIGINT NOT NULL DEFAULT 0,
    file_sha256 TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, commune, label)
);

CREATE TABLE urbanism_constraints (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    protected BOOLEAN NOT NULL,
    commune TEXT NOT NULL,
    geometry BYTEA NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE urbanism_addresses (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    commune TEXT NOT NULL,
    town TEXT NOT NULL,
    street TEXT NOT NULL,
    locality TEXT NOT NULL,
    number INTEGER NOT NULL,
    suffix TEXT NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    parcels TEXT NOT NULL,
    -- street and locality folded (lower case, no accents, single spaces)
    -- for the search.
    folded TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX urbanism_addresses_street ON urbanism_addresses (tenant_id, folded, number);
CREATE INDEX urbanism_addresses_point ON urbanism_addresses (tenant_id, lon, lat);

-- Each import: what it read, what it changed, and the source to credit.
CREATE TABLE urbanism_imports (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    commune TEXT NOT NULL,
    file_name TEXT NOT NULL,
    attribution TEXT NOT NULL,
    added INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX urbanism_imports_tenant ON urbanism_imports (tenant_id, layer, imported_at);
