-- Retention reads registrations by date, unconfirmed subscriptions and
-- questions by age, across collectivités; erasure and export find a
-- person's registrations and questions by address.
CREATE INDEX content_registrations_retention ON content_registrations (occurrence_start);
CREATE INDEX content_registrations_email ON content_registrations (tenant_id, LOWER(email));
CREATE INDEX content_subscribers_unconfirmed ON content_subscribers (created_at) WHERE confirmed_at IS NULL;
CREATE INDEX content_questions_retention ON content_questions (kind, status, created_at);
CREATE INDEX content_questions_asker ON content_questions (tenant_id, LOWER(asker_email));
