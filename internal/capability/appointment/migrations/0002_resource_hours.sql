-- Weekly opening hours of one resource, in minutes after local midnight
-- (weekday 0 is Sunday). A resource with rows here is open only then,
-- instead of at its agenda's hours; one without follows its agenda.
CREATE TABLE appointment_resource_hours (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agenda_id TEXT NOT NULL REFERENCES appointment_agendas(id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL REFERENCES appointment_resources(id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL,
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL
);
CREATE INDEX appointment_resource_hours_agenda ON appointment_resource_hours (tenant_id, agenda_id);
