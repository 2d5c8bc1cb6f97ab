-- Recovery codes are now 120 random bits kept as HMAC-SHA-256 under a key
-- derived from the server's secret key, with a salt per member (the same
-- for the member's whole set, drawn anew with each set). The codes made
-- before (50 bits, kept as a plain SHA-256 that a copy of the database
-- lets anyone test offline) cannot be converted, and honouring them until
-- used would keep that weakness for years: they are dropped. Members keep
-- their authenticator app; the back office tells them to make new codes.
DELETE FROM staff_recovery_codes;
ALTER TABLE staff_recovery_codes ADD COLUMN salt TEXT NOT NULL DEFAULT '';
