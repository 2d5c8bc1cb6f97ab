-- What the operator allows each collectivité: file storage and mail sent
-- per day. A collectivité without a row has the defaults (tenant.Quotas).
CREATE TABLE tenant_quotas (
	tenant_id    TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
	storage_mb   INTEGER NOT NULL,
	mail_per_day INTEGER NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL
);
