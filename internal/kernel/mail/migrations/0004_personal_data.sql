-- Erasure deletes the messages sent to a person by address.
CREATE INDEX outbox_recipient ON outbox (tenant_id, LOWER(recipient));
