-- When an attempt claimed the message ("sending"), so that a run of the
-- job after a crash can tell a live attempt from a dead one; and the
-- index of the periodic erasure of sent bodies.
ALTER TABLE outbox ADD COLUMN sending_at TIMESTAMPTZ;
CREATE INDEX outbox_status ON outbox (status, sent_at);
