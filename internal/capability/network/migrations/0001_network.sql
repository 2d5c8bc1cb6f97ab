-- The network of a collectivité's organisations (directory entries):
-- the ties between them, their contact people, and the campaigns mailed
-- to them with who received each.
CREATE TABLE network_ties (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    -- A funding goes from the funder to the funded; the other kinds are
    -- stored with the smaller entry id first, so that one pair has one row.
    from_entry TEXT NOT NULL,
    to_entry TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    since_year INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    -- The account of the organisation's manager who proposed it, and the
    -- entry they manage; both '' when staff entered it.
    proposed_by TEXT NOT NULL DEFAULT '',
    proposed_for TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    decided_at TIMESTAMPTZ,
    ended_at TIMESTAMPTZ
);
CREATE INDEX network_ties_tenant ON network_ties (tenant_id, state);
CREATE INDEX network_ties_from ON network_ties (tenant_id, from_entry);
CREATE INDEX network_ties_to ON network_ties (tenant_id, to_entry);
CREATE INDEX network_ties_proposer ON network_ties (tenant_id, proposed_by);
-- One live tie (proposed or active) of a kind between two organisations.
CREATE UNIQUE INDEX network_ties_live ON network_ties (tenant_id, from_entry, to_entry, kind)
    WHERE state IN ('proposee', 'active');

CREATE TABLE network_contacts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    leader BOOLEAN NOT NULL DEFAULT FALSE,
    consent_at TIMESTAMPTZ NOT NULL,
    consent_source TEXT NOT NULL,
    confirmed_at TIMESTAMPTZ NOT NULL,
    entered_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX network_contacts_entry ON network_contacts (tenant_id, entry_id);
CREATE INDEX network_contacts_email ON network_contacts (tenant_id, email);
CREATE INDEX network_contacts_retention ON network_contacts (confirmed_at);

CREATE TABLE network_campaigns (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_label TEXT NOT NULL,
    event_id TEXT NOT NULL DEFAULT '',
    event_title TEXT NOT NULL DEFAULT '',
    event_path TEXT NOT NULL DEFAULT '',
    event_at TIMESTAMPTZ,
    place TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL,
    recipients INTEGER NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX network_campaigns_tenant ON network_campaigns (tenant_id, sent_at);

CREATE TABLE network_recipients (
    campaign_id TEXT NOT NULL REFERENCES network_campaigns (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    entry_name TEXT NOT NULL,
    contact_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    PRIMARY KEY (campaign_id, email)
);
CREATE INDEX network_recipients_email ON network_recipients (tenant_id, email);
