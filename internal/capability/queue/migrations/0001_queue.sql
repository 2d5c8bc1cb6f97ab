-- Reception sites (mairie, CCAS, médiathèque…), the services each offers,
-- its counters, its kiosks, and the day's tickets.
CREATE TABLE queue_sites (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    information TEXT NOT NULL DEFAULT '',
    priority_allowed BOOLEAN NOT NULL DEFAULT FALSE,
    near_turn INTEGER NOT NULL DEFAULT 3,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);

-- A service's letter starts its tickets' numbers (A001); its average
-- service time is a rolling mean of the last ones served.
CREATE TABLE queue_services (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    site_id TEXT NOT NULL REFERENCES queue_sites(id) ON DELETE CASCADE,
    letter TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    pictogram TEXT NOT NULL DEFAULT 'info',
    appointment_service TEXT NOT NULL DEFAULT '',
    average_seconds INTEGER NOT NULL DEFAULT 300,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (site_id, letter)
);
CREATE INDEX queue_services_tenant ON queue_services (tenant_id, site_id, position);

-- A counter serves a chosen set of services while an agent holds it open.
CREATE TABLE queue_counters (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    site_id TEXT NOT NULL REFERENCES queue_sites(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'closed',
    agent_id TEXT NOT NULL DEFAULT '',
    agent_name TEXT NOT NULL DEFAULT '',
    services TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX queue_counters_site ON queue_counters (tenant_id, site_id, position);

-- A kiosk's address carries a MAC of its id and generation: renewing the
-- generation revokes the old address; no secret is stored.
CREATE TABLE queue_kiosks (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    site_id TEXT NOT NULL REFERENCES queue_sites(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    generation INTEGER NOT NULL DEFAULT 1,
    idle_seconds INTEGER NOT NULL DEFAULT 60,
    created_at TIMESTAMPTZ NOT NULL,
    seen_at TIMESTAMPTZ
);
CREATE INDEX queue_kiosks_site ON queue_kiosks (tenant_id, site_id);

-- The last number given per service and local day: taking a ticket
-- increments it in the ticket's transaction, so numbers are unique and
-- without gaps.
CREATE TABLE queue_numbers (
    service_id TEXT NOT NULL REFERENCES queue_services(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (service_id, day)
);

CREATE TABLE queue_tickets (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    site_id TEXT NOT NULL REFERENCES queue_sites(id) ON DELETE CASCADE,
    service_id TEXT NOT NULL REFERENCES queue_services(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    number INTEGER NOT NULL,
    label TEXT NOT NULL,
    source TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'fr',
    appointment_ref TEXT NOT NULL DEFAULT '',
    for_counter TEXT NOT NULL DEFAULT '',
    counter_id TEXT NOT NULL DEFAULT '',
    counter_name TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    recalls INTEGER NOT NULL DEFAULT 0,
    estimate_seconds INTEGER NOT NULL DEFAULT -1,
    near_told BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    queued_at TIMESTAMPTZ NOT NULL,
    eligible_at TIMESTAMPTZ NOT NULL,
    called_at TIMESTAMPTZ,
    ended_at TIMESTAMPTZ,
    UNIQUE (service_id, day, number)
);
CREATE INDEX queue_tickets_waiting ON queue_tickets (tenant_id, site_id, state, priority, queued_at);
CREATE INDEX queue_tickets_day ON queue_tickets (tenant_id, site_id, day);
CREATE INDEX queue_tickets_email ON queue_tickets (tenant_id, email) WHERE email <> '';
