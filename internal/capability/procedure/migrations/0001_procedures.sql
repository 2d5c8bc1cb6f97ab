CREATE TABLE procedures (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    service TEXT NOT NULL DEFAULT '',
    anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    deadline_days INTEGER NOT NULL DEFAULT 60,
    silence TEXT NOT NULL DEFAULT '',
    retention_days INTEGER NOT NULL DEFAULT 365,
    decision_template TEXT NOT NULL DEFAULT '',
    draft TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    open BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX procedures_slug ON procedures (tenant_id, slug);

CREATE TABLE procedure_versions (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    procedure_id TEXT NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    definition TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, procedure_id, number)
);

CREATE TABLE case_counters (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, year)
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    procedure_id TEXT NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    reference TEXT,
    state TEXT NOT NULL,
    user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    email TEXT NOT NULL DEFAULT '',
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    access_hash TEXT NOT NULL DEFAULT '',
    applicant TEXT NOT NULL DEFAULT '',
    applicant_key TEXT NOT NULL DEFAULT '',
    answers TEXT NOT NULL DEFAULT '{}',
    page INTEGER NOT NULL DEFAULT 0,
    assignee_id TEXT NOT NULL DEFAULT '',
    assignee_name TEXT NOT NULL DEFAULT '',
    labels TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'fr',
    submitted_at TIMESTAMPTZ,
    due_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    delete_after TIMESTAMPTZ,
    warned_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX cases_reference ON cases (tenant_id, reference);
CREATE INDEX cases_inbox ON cases (tenant_id, submitted_at, id);
CREATE INDEX cases_state ON cases (tenant_id, state, submitted_at, id);
CREATE INDEX cases_procedure ON cases (tenant_id, procedure_id, submitted_at, id);
CREATE INDEX cases_assignee ON cases (tenant_id, assignee_id, submitted_at, id);
CREATE INDEX cases_user ON cases (tenant_id, user_id, created_at);
CREATE INDEX cases_applicant ON cases (tenant_id, applicant_key);
CREATE INDEX cases_due ON cases (state, due_at);
CREATE INDEX cases_retention ON cases (delete_after);

CREATE TABLE case_events (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at TIMESTAMPTZ NOT NULL,
    actor_id TEXT NOT NULL DEFAULT '',
    actor_name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (tenant_id, case_id, at);

CREATE TABLE case_messages (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at TIMESTAMPTZ NOT NULL,
    author_id TEXT NOT NULL DEFAULT '',
    author_name TEXT NOT NULL DEFAULT '',
    from_staff BOOLEAN NOT NULL DEFAULT FALSE,
    body TEXT NOT NULL
);
CREATE INDEX case_messages_case ON case_messages (tenant_id, case_id, at);

CREATE TABLE case_files (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    message_id TEXT NOT NULL DEFAULT '',
    field_key TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    storage_key TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_files_case ON case_files (tenant_id, case_id);

CREATE TABLE canned_replies (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX canned_replies_tenant ON canned_replies (tenant_id, title);
