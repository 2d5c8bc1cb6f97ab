-- The limits' counts when several nodes share the database (PostgreSQL):
-- one row per action, rule and key, for the window that started at
-- started_at; a node alone counts in memory instead. The key (an
-- address, an email) is kept as a hash, and the row goes when its window
-- has ended (abuse.PurgeCounts).
CREATE TABLE abuse_counts (
    action TEXT NOT NULL,
    rule INTEGER NOT NULL,
    key TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (action, rule, key)
);
CREATE INDEX abuse_counts_ends ON abuse_counts (ends_at);
