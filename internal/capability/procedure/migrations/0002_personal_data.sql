-- Retention reads drafts by their last change, across collectivités;
-- erasure and export find the cases filed without an account by address.
CREATE INDEX cases_drafts ON cases (updated_at) WHERE state = 'brouillon';
CREATE INDEX cases_email ON cases (tenant_id, LOWER(email));
