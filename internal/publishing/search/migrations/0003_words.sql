-- A document may stop being found at a date (an alert that ends): copied
-- into the postings, and into their rank index, like the publication date.
-- Rows written before this column get it at the next start, when the
-- analyzer's new version rebuilds the index (search.Reindex).
ALTER TABLE search_docs ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE search_postings ADD COLUMN expires_at TIMESTAMPTZ;
DROP INDEX search_postings_rank;
CREATE INDEX search_postings_rank ON search_postings (tenant_id, term, weight DESC, published_at DESC, doc_key, expires_at);
-- The words of a collectivité's documents, accent-folded, with their term
-- and their spelling (lower case, accents kept), to be shown:
-- the last word of a query is read as the start of a word, and a word found
-- nowhere is corrected to the nearest of these. Words are never removed:
-- one whose documents are gone only leads to no result.
CREATE TABLE search_words (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    word TEXT NOT NULL,
    term TEXT NOT NULL,
    spelling TEXT NOT NULL,
    PRIMARY KEY (tenant_id, word)
);
-- The kinds indexed whole from their capability's catalogue (search.Kind.Docs)
-- that the index has been filled with: one installed later is filled at the
-- next start.
CREATE TABLE search_kinds (kind TEXT PRIMARY KEY);
