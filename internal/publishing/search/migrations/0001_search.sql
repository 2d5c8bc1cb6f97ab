-- The search index: one row per indexed document, and one posting per
-- (stemmed term, document) with its weight. Queried with plain SQL, the same
-- way on SQLite and PostgreSQL, so both engines return the same results.
CREATE TABLE search_docs (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    doc_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, doc_key)
);
CREATE TABLE search_postings (
    tenant_id TEXT NOT NULL,
    term TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    weight INTEGER NOT NULL,
    -- the document's date, copied so that a term's best documents are read
    -- in rank order from the index alone
    published_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, term, doc_key),
    FOREIGN KEY (tenant_id, doc_key) REFERENCES search_docs (tenant_id, doc_key) ON DELETE CASCADE
);
CREATE INDEX search_postings_doc ON search_postings (tenant_id, doc_key);
CREATE INDEX search_postings_rank ON search_postings (tenant_id, term, weight DESC, published_at DESC, doc_key);
