-- The council: its members, sessions with their agenda, attendance and
-- minutes, the acts (deliberations, the mayor's arrêtés and decisions),
-- their files, the people who follow new acts by email, and the
-- reminders of the publication deadlines. Calendar dates are kept as
-- 'YYYY-MM-DD' text: they are the collectivité's days, not instants.
CREATE TABLE council_members (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    rank INTEGER NOT NULL DEFAULT 0,
    delegation TEXT NOT NULL DEFAULT '',
    political_group TEXT NOT NULL DEFAULT '',
    term_start TEXT NOT NULL,
    term_end TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX council_members_tenant ON council_members (tenant_id, term_end, rank);

-- Stored files: signed acts, minutes and a session's public documents.
-- A file never changes once written; its SHA-256 is shown beside it.
CREATE TABLE council_files (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    storage_key TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    text_state TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX council_files_tenant ON council_files (tenant_id);

CREATE TABLE council_sessions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    starts_at TIMESTAMPTZ NOT NULL,
    place TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'ordinaire',
    second_call BOOLEAN NOT NULL DEFAULT FALSE,
    video_url TEXT NOT NULL DEFAULT '',
    convened_on TEXT NOT NULL DEFAULT '',
    president_id TEXT NOT NULL DEFAULT '',
    secretary_id TEXT NOT NULL DEFAULT '',
    held BOOLEAN NOT NULL DEFAULT FALSE,
    list_published_at TIMESTAMPTZ,
    minutes_text TEXT NOT NULL DEFAULT '',
    minutes_state TEXT NOT NULL DEFAULT '',
    minutes_approved_in TEXT NOT NULL DEFAULT '',
    minutes_approved_on TEXT NOT NULL DEFAULT '',
    minutes_file_id TEXT NOT NULL DEFAULT '',
    minutes_published_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX council_sessions_tenant ON council_sessions (tenant_id, starts_at);

-- Who was convened, and when.
CREATE TABLE council_convocations (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES council_sessions(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL,
    member_name TEXT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (session_id, member_id)
);

CREATE TABLE council_items (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES council_sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    rapporteur TEXT NOT NULL DEFAULT '',
    report TEXT NOT NULL DEFAULT '',
    discussion TEXT NOT NULL DEFAULT ''
);
CREATE INDEX council_items_session ON council_items (tenant_id, session_id, position);

-- A session's public documents and an agenda item's annexes.
CREATE TABLE council_documents (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES council_sessions(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    file_id TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX council_documents_session ON council_documents (tenant_id, session_id);

CREATE TABLE council_attendance (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES council_sessions(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL,
    status TEXT NOT NULL,
    proxy_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, member_id)
);

-- Acts. Once published_at is set the row never changes (a trigger of
-- each engine refuses it, after the store's own check); a mistake is
-- corrected by a new act whose rectifies_id names this one.
CREATE TABLE council_acts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    session_id TEXT NOT NULL DEFAULT '',
    item_id TEXT NOT NULL DEFAULT '',
    adopted_on TEXT NOT NULL,
    subject_code TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'adopted',
    has_vote BOOLEAN NOT NULL DEFAULT FALSE,
    in_office INTEGER NOT NULL DEFAULT 0,
    voters INTEGER NOT NULL DEFAULT 0,
    votes_for INTEGER NOT NULL DEFAULT 0,
    votes_against INTEGER NOT NULL DEFAULT 0,
    abstentions INTEGER NOT NULL DEFAULT 0,
    public_ballot BOOLEAN NOT NULL DEFAULT FALSE,
    budget_year TEXT NOT NULL DEFAULT '',
    budget_name TEXT NOT NULL DEFAULT '',
    prefecture_id TEXT NOT NULL DEFAULT '',
    transmitted_on TEXT NOT NULL DEFAULT '',
    file_id TEXT NOT NULL DEFAULT '',
    online_until TEXT NOT NULL DEFAULT '',
    rectifies_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    published_at TIMESTAMPTZ,
    published_by TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, kind, number)
);
CREATE INDEX council_acts_public ON council_acts (tenant_id, status, adopted_on);
CREATE INDEX council_acts_session ON council_acts (tenant_id, session_id);
CREATE INDEX council_acts_rectifies ON council_acts (tenant_id, rectifies_id);

-- The names of a public ballot (scrutin public), frozen with the act.
CREATE TABLE council_votes (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    act_id TEXT NOT NULL REFERENCES council_acts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    member_name TEXT NOT NULL,
    choice TEXT NOT NULL,
    PRIMARY KEY (act_id, position)
);

-- Addresses that follow new acts by email (double opt-in).
CREATE TABLE council_subscribers (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'fr',
    confirm_hash TEXT NOT NULL DEFAULT '',
    unsubscribe_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    UNIQUE (tenant_id, email)
);

-- How far the mail of a published act to its followers went, so that a
-- retried job resumes instead of mailing anyone twice.
CREATE TABLE council_mailings (
    act_id TEXT PRIMARY KEY REFERENCES council_acts(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    cursor TEXT NOT NULL DEFAULT '',
    done_at TIMESTAMPTZ
);

-- Reminders of a publication deadline already mailed.
CREATE TABLE council_reminders (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES council_sessions(id) ON DELETE CASCADE,
    duty TEXT NOT NULL,
    stage TEXT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (session_id, duty, stage)
);
