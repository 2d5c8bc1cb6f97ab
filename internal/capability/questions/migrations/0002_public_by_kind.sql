-- The questions page lists each kind of published question apart, last
-- answered first: one walk of this index per kind, stopping at the page's
-- end, instead of walking every published question for each kind.
CREATE INDEX content_questions_public_kind ON content_questions (tenant_id, status, kind, answered_at, id);
