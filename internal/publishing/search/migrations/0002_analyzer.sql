-- The version of the analyzer (search.Term) that wrote the postings: an
-- index written by another version is rebuilt from its documents at start
-- (search.Reindex). Empty until the first start.
CREATE TABLE search_analyzer (version INTEGER NOT NULL);
