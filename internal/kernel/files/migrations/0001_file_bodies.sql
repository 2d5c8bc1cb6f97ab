-- Uploaded files kept in the database, so that every node of a cluster
-- reads what any node wrote (the default on PostgreSQL; see files.Open).
-- A bucket is one capability's files ("fichiers") or the logos.
CREATE TABLE file_bodies (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    size BIGINT NOT NULL,
    body BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (bucket, key)
);
