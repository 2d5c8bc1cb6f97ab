-- Retention reads bookings that still name someone by date and by
-- cancellation; erasure and export find a person's bookings and
-- waiting-list entries by address.
CREATE INDEX appointment_bookings_named_start ON appointment_bookings (starts_at) WHERE name <> '';
CREATE INDEX appointment_bookings_named_cancel ON appointment_bookings (cancelled_at) WHERE name <> '';
CREATE INDEX appointment_bookings_email ON appointment_bookings (tenant_id, LOWER(email));
CREATE INDEX appointment_waitlist_updated ON appointment_waitlist (updated_at);
CREATE INDEX appointment_waitlist_email ON appointment_waitlist (tenant_id, LOWER(email));
