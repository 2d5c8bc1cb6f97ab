-- A booking's confirmation email is queued after the booking's own
-- transaction, with others in one batch (see confirmations.go): the flag
-- marks the bookings whose confirmation is still to queue.
ALTER TABLE appointment_bookings ADD COLUMN confirm_pending BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX appointment_bookings_confirm_pending ON appointment_bookings (created_at) WHERE confirm_pending;
