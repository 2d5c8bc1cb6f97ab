CREATE TABLE a11y_audits (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    audited_on TIMESTAMPTZ NOT NULL,
    auditor TEXT NOT NULL,
    results TEXT NOT NULL,
    non_conformities TEXT NOT NULL DEFAULT '',
    derogations TEXT NOT NULL DEFAULT '',
    exempt TEXT NOT NULL DEFAULT '',
    pages TEXT NOT NULL DEFAULT '',
    tools TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    schema_plan TEXT NOT NULL DEFAULT '',
    action_plan TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX a11y_audits_tenant ON a11y_audits (tenant_id, created_at);
