-- Staff roles per collectivité: one row per staff member, roles and
-- services as comma-separated lists so that a session reads them in one query.
CREATE TABLE staff_members (
	tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	roles      TEXT NOT NULL,
	services   TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, user_id)
);

-- Per-collectivité staff settings; a missing row means the defaults.
CREATE TABLE staff_settings (
	tenant_id              TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
	second_factor_optional BOOLEAN NOT NULL DEFAULT FALSE,
	updated_at             TIMESTAMPTZ NOT NULL
);

-- Invitations: only a hash of the emailed token is kept.
CREATE TABLE staff_invitations (
	id          TEXT PRIMARY KEY,
	tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	email       TEXT NOT NULL,
	name        TEXT NOT NULL DEFAULT '',
	roles       TEXT NOT NULL,
	services    TEXT NOT NULL DEFAULT '',
	title       TEXT NOT NULL DEFAULT '',
	token_hash  TEXT NOT NULL UNIQUE,
	invited_by  TEXT NOT NULL DEFAULT '',
	created_at  TIMESTAMPTZ NOT NULL,
	expires_at  TIMESTAMPTZ NOT NULL,
	accepted_at TIMESTAMPTZ NULL
);
CREATE INDEX staff_invitations_tenant ON staff_invitations (tenant_id, created_at);

-- TOTP secrets, sealed with the server key. last_step refuses a code
-- already used; failures and locked_until slow down guessing.
CREATE TABLE staff_totp (
	tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	secret       TEXT NOT NULL,
	confirmed_at TIMESTAMPTZ NULL,
	last_step    BIGINT NOT NULL DEFAULT 0,
	failures     INTEGER NOT NULL DEFAULT 0,
	locked_until TIMESTAMPTZ NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, user_id)
);

-- Single-use recovery codes, stored hashed.
CREATE TABLE staff_recovery_codes (
	tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_hash TEXT NOT NULL,
	used_at   TIMESTAMPTZ NULL,
	PRIMARY KEY (tenant_id, user_id, code_hash)
);

-- Audit log of staff actions. Ids are time-ordered UUIDs (version 7), so
-- that the newest-first keyset pagination needs no second column.
CREATE TABLE audit_log (
	id         TEXT PRIMARY KEY,
	tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	actor_id   TEXT NOT NULL DEFAULT '',
	actor      TEXT NOT NULL DEFAULT '',
	action     TEXT NOT NULL,
	target     TEXT NOT NULL DEFAULT '',
	ip         TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);
