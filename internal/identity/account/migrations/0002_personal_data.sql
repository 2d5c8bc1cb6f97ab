-- Retention finds the accounts never verified by age, and the accounts
-- nobody signed in to for years by their last sign-in (until the first
-- one, their creation); the warning sent before deletion is remembered.
CREATE INDEX users_unverified ON users (created_at) WHERE email_verified_at IS NULL;
ALTER TABLE users ADD COLUMN last_seen_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN inactivity_warned_at TIMESTAMPTZ;
UPDATE users SET last_seen_at = created_at;
CREATE INDEX users_last_seen ON users (last_seen_at);
