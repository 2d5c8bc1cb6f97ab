-- Kiosks find today's appointment by the reference of its confirmation.
CREATE INDEX appointment_bookings_reference ON appointment_bookings (tenant_id, reference);
