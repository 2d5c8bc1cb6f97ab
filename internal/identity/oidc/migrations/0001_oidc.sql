CREATE TABLE oidc_providers (
	tenant_id       TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	name            TEXT NOT NULL,
	issuer          TEXT NOT NULL,
	client_id       TEXT NOT NULL,
	client_secret   TEXT NOT NULL,
	scopes          TEXT NOT NULL,
	acr             TEXT NOT NULL DEFAULT '',
	signed_userinfo BOOLEAN NOT NULL DEFAULT TRUE,
	enabled         BOOLEAN NOT NULL DEFAULT FALSE,
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, name)
);

CREATE TABLE oidc_identities (
	tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	provider     TEXT NOT NULL,
	subject      TEXT NOT NULL,
	user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	email        TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, provider, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (tenant_id, user_id);

CREATE TABLE oidc_flows (
	state         TEXT PRIMARY KEY,
	tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	provider      TEXT NOT NULL,
	nonce         TEXT NOT NULL,
	code_verifier TEXT NOT NULL DEFAULT '',
	browser_hash  TEXT NOT NULL,
	next_path     TEXT NOT NULL DEFAULT '',
	expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX oidc_flows_expires ON oidc_flows (expires_at);
