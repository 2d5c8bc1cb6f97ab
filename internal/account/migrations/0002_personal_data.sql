-- Retention finds the accounts never verified by age.
CREATE INDEX users_unverified ON users (created_at) WHERE email_verified_at IS NULL;
