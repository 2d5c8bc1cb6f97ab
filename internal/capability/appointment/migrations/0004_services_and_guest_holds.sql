-- Every agenda belongs to one staff service (a key of staff.Services):
-- agents see and manage only the agendas of their services. The free
-- text in service stays the name shown to residents.
ALTER TABLE appointment_agendas ADD COLUMN service_key TEXT NOT NULL DEFAULT '';
UPDATE appointment_agendas SET service_key = CASE
    WHEN lower(service) LIKE '%civil%' OR lower(service) LIKE '%passeport%' THEN 'etat-civil'
    WHEN lower(service) LIKE '%urbanisme%' THEN 'urbanisme'
    WHEN lower(service) LIKE '%lection%' THEN 'elections'
    WHEN lower(service) LIKE '%social%' OR lower(service) LIKE '%ccas%' THEN 'social'
    WHEN lower(service) LIKE '%scolaire%' THEN 'scolaire'
    WHEN lower(service) LIKE '%technique%' THEN 'technique'
    ELSE 'accueil' END;

-- A guest's booking is held until the link emailed to them is confirmed,
-- at most confirm_minutes; guests take at most guests_per_day bookings of
-- an agenda on any one day.
ALTER TABLE appointment_agendas ADD COLUMN confirm_minutes INTEGER NOT NULL DEFAULT 30;
ALTER TABLE appointment_agendas ADD COLUMN guests_per_day INTEGER NOT NULL DEFAULT 10;

-- guest: booked without a verified address; it counts against the cap.
ALTER TABLE appointment_bookings ADD COLUMN guest BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE appointment_bookings SET guest = TRUE WHERE booked_by = 'guest';

-- ants_key is the ANTS pre-application number while the booking is
-- active: the unique index refuses a second booking with it. Only the
-- first active booking of a number already used twice keeps it.
ALTER TABLE appointment_bookings ADD COLUMN ants_key TEXT;
UPDATE appointment_bookings SET ants_key = ants_number
    WHERE ants_number <> '' AND status IN ('booked', 'held')
    AND id = (SELECT b2.id FROM appointment_bookings b2
        WHERE b2.tenant_id = appointment_bookings.tenant_id AND b2.ants_number = appointment_bookings.ants_number
        AND b2.status IN ('booked', 'held') ORDER BY b2.created_at, b2.id LIMIT 1);
CREATE UNIQUE INDEX appointment_bookings_ants ON appointment_bookings (tenant_id, ants_key);

-- The sweep that releases the holds nobody confirmed in time.
CREATE INDEX appointment_bookings_hold ON appointment_bookings (hold_until) WHERE hold_until IS NOT NULL;
