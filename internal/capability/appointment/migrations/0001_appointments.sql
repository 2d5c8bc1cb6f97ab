-- Agendas: one per service and place, with resources, weekly hours,
-- exceptions, appointment types, bookings and a waiting list.
CREATE TABLE appointment_agendas (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    service TEXT NOT NULL,
    name TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    step_minutes INTEGER NOT NULL,
    buffer_minutes INTEGER NOT NULL DEFAULT 0,
    min_notice_minutes INTEGER NOT NULL DEFAULT 0,
    window_days INTEGER NOT NULL,
    release_minute INTEGER NOT NULL DEFAULT 0,
    reminders TEXT NOT NULL DEFAULT '',
    hold_minutes INTEGER NOT NULL DEFAULT 60,
    alsace_moselle BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);

CREATE TABLE appointment_resources (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agenda_id TEXT NOT NULL REFERENCES appointment_agendas(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'counter',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appointment_resources_agenda ON appointment_resources (tenant_id, agenda_id, position);

-- Weekly opening hours, in minutes after local midnight; weekday 0 is Sunday.
CREATE TABLE appointment_hours (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agenda_id TEXT NOT NULL REFERENCES appointment_agendas(id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL,
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL
);
CREATE INDEX appointment_hours_agenda ON appointment_hours (tenant_id, agenda_id);

-- Closures (kind 'closed', the whole agenda or one resource, all day or a
-- time range: agents' blocks too) and extra openings (kind 'open').
CREATE TABLE appointment_exceptions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agenda_id TEXT NOT NULL REFERENCES appointment_agendas(id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL DEFAULT '',
    day TEXT NOT NULL,
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX appointment_exceptions_agenda ON appointment_exceptions (tenant_id, agenda_id, day);

CREATE TABLE appointment_types (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agenda_id TEXT NOT NULL REFERENCES appointment_agendas(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    people INTEGER NOT NULL DEFAULT 1,
    documents TEXT NOT NULL DEFAULT '',
    ants BOOLEAN NOT NULL DEFAULT FALSE,
    one_per_person BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, agenda_id, slug)
);

CREATE TABLE appointment_bookings (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agenda_id TEXT NOT NULL REFERENCES appointment_agendas(id) ON DELETE CASCADE,
    type_id TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    manage_hash TEXT NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    busy_until TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    ants_number TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'fr',
    -- Set while the booking is active and its type allows one per person:
    -- the unique index below then refuses a second one.
    holder_key TEXT,
    sequence INTEGER NOT NULL DEFAULT 0,
    booked_by TEXT NOT NULL DEFAULT '',
    site_url TEXT NOT NULL DEFAULT '',
    hold_until TIMESTAMPTZ,
    waitlist_id TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    cancelled_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX appointment_bookings_manage ON appointment_bookings (tenant_id, manage_hash);
CREATE UNIQUE INDEX appointment_bookings_holder ON appointment_bookings (tenant_id, type_id, holder_key);
CREATE INDEX appointment_bookings_agenda ON appointment_bookings (tenant_id, agenda_id, starts_at);
CREATE INDEX appointment_bookings_user ON appointment_bookings (tenant_id, user_id, starts_at);

-- One row per occupied 5-minute unit of a resource: the primary key is
-- the database's guarantee that no unit is ever booked twice.
CREATE TABLE appointment_units (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL,
    unit_start BIGINT NOT NULL,
    booking_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, resource_id, unit_start)
);
CREATE INDEX appointment_units_booking ON appointment_units (tenant_id, booking_id);

CREATE TABLE appointment_waitlist (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agenda_id TEXT NOT NULL REFERENCES appointment_agendas(id) ON DELETE CASCADE,
    type_id TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'fr',
    status TEXT NOT NULL,
    site_url TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX appointment_waitlist_type ON appointment_waitlist (tenant_id, type_id, status, created_at);
