CREATE TABLE users (
	id                TEXT PRIMARY KEY,
	tenant_id         TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	email             TEXT NOT NULL,
	email_key         TEXT NOT NULL,
	name              TEXT NOT NULL,
	lang              TEXT NOT NULL DEFAULT 'fr',
	password_hash     TEXT NOT NULL DEFAULT '',
	email_verified_at TIMESTAMPTZ,
	text_size         TEXT NOT NULL DEFAULT '',
	line_spacing      TEXT NOT NULL DEFAULT '',
	high_contrast     BOOLEAN NOT NULL DEFAULT FALSE,
	created_at        TIMESTAMPTZ NOT NULL,
	updated_at        TIMESTAMPTZ NOT NULL,
	UNIQUE (tenant_id, email_key)
);

CREATE TABLE sessions (
	id            TEXT PRIMARY KEY,
	tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	second_factor BOOLEAN NOT NULL DEFAULT FALSE,
	staff         BOOLEAN NOT NULL DEFAULT FALSE,
	provider      TEXT NOT NULL DEFAULT '',
	id_token      TEXT NOT NULL DEFAULT '',
	idle_seconds  INTEGER NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL,
	idle_until    TIMESTAMPTZ NOT NULL,
	expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE tokens (
	hash       TEXT PRIMARY KEY,
	tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	purpose    TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX tokens_user ON tokens (tenant_id, user_id, purpose);
CREATE INDEX tokens_expires ON tokens (expires_at);
