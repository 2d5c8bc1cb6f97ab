CREATE TABLE tenants (
	id            TEXT PRIMARY KEY,
	slug          TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	kind          TEXT NOT NULL,
	insee_code    TEXT NOT NULL DEFAULT '',
	siret         TEXT NOT NULL DEFAULT '',
	address       TEXT NOT NULL DEFAULT '',
	email         TEXT NOT NULL DEFAULT '',
	phone         TEXT NOT NULL DEFAULT '',
	opening_hours TEXT NOT NULL DEFAULT '',
	time_zone     TEXT NOT NULL DEFAULT 'Europe/Paris',
	logo_path     TEXT NOT NULL DEFAULT '',
	color_primary TEXT NOT NULL DEFAULT '#1d4f91',
	color_accent  TEXT NOT NULL DEFAULT '#8a2b0e',
	languages     TEXT NOT NULL DEFAULT 'fr,en',
	population    INTEGER NOT NULL DEFAULT 0,
	status        TEXT NOT NULL DEFAULT 'active',
	created_at    TIMESTAMPTZ NOT NULL,
	updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE tenant_hosts (
	host      TEXT PRIMARY KEY,
	tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE
);
CREATE INDEX tenant_hosts_tenant ON tenant_hosts (tenant_id);
