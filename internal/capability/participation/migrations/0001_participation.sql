-- Participation: discussion spaces (one per community or topic) and their
-- threads, debates with arguments for and against, consultations and
-- polls with one ballot per person, the moderation of what residents
-- write (reports, hiding with a reason, appeals, blocks), follows,
-- notifications and private messages.

-- A space: community_id ties it to a community (kernel.Communities), empty
-- for a topic; premoderate_new holds new accounts' messages for a
-- moderator; links_allowed lets messages carry web addresses.
CREATE TABLE participation_spaces (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    community_id TEXT NOT NULL DEFAULT '',
    community_name TEXT NOT NULL DEFAULT '',
    premoderate_new BOOLEAN NOT NULL DEFAULT FALSE,
    links_allowed BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);

-- A thread: kind discussion or debat (a debate's question). event_* tie
-- it to a meeting of the agenda, copied when tied. A debate closes with
-- a moderator's summary. state mirrors its opening message's.
CREATE TABLE participation_threads (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    space_id TEXT NOT NULL REFERENCES participation_spaces(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    by_staff BOOLEAN NOT NULL DEFAULT FALSE,
    event_id TEXT NOT NULL DEFAULT '',
    event_title TEXT NOT NULL DEFAULT '',
    event_path TEXT NOT NULL DEFAULT '',
    event_starts TIMESTAMPTZ,
    state TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    closed_at TIMESTAMPTZ,
    replies INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    last_activity_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX participation_threads_space ON participation_threads (tenant_id, space_id, last_activity_at);
CREATE INDEX participation_threads_author ON participation_threads (tenant_id, author_id);

-- A message: a thread's opening (opener), a reply, or a debate's argument
-- (side pour or contre). state: visible, pending (held for a moderator),
-- hidden (with the reason its author and readers see). spam_score is the
-- screen's figure when it was written.
CREATE TABLE participation_messages (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    thread_id TEXT NOT NULL REFERENCES participation_threads(id) ON DELETE CASCADE,
    author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    by_staff BOOLEAN NOT NULL DEFAULT FALSE,
    opener BOOLEAN NOT NULL DEFAULT FALSE,
    side TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    spam_score INTEGER NOT NULL DEFAULT 0,
    supports INTEGER NOT NULL DEFAULT 0,
    moderated_by TEXT NOT NULL DEFAULT '',
    moderated_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX participation_messages_thread ON participation_messages (tenant_id, thread_id, created_at);
CREATE INDEX participation_messages_author ON participation_messages (tenant_id, author_id, created_at);
CREATE INDEX participation_messages_state ON participation_messages (tenant_id, state, created_at);

-- Reactions: kind soutien (a debate argument's support, which sorts its
-- side) or one of the reactions' short list; one of each per person.
CREATE TABLE participation_reactions (
    message_id TEXT NOT NULL REFERENCES participation_messages(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (message_id, user_id, kind)
);
CREATE INDEX participation_reactions_user ON participation_reactions (tenant_id, user_id);

-- Threads a resident follows: their new messages reach the notification
-- centre.
CREATE TABLE participation_follows (
    thread_id TEXT NOT NULL REFERENCES participation_threads(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    since TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX participation_follows_user ON participation_follows (tenant_id, user_id);

-- A reader's report of a message; one per reader and message.
CREATE TABLE participation_reports (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    message_id TEXT NOT NULL REFERENCES participation_messages(id) ON DELETE CASCADE,
    reporter_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    UNIQUE (message_id, reporter_id)
);
CREATE INDEX participation_reports_open ON participation_reports (tenant_id, resolved_at, created_at);

-- An author's appeal against a hidden message; decision upheld or
-- restored.
CREATE TABLE participation_appeals (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    message_id TEXT NOT NULL REFERENCES participation_messages(id) ON DELETE CASCADE,
    author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    decision TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    decided_at TIMESTAMPTZ,
    UNIQUE (message_id)
);
CREATE INDEX participation_appeals_open ON participation_appeals (tenant_id, decided_at, created_at);

-- A resident a moderator blocked from writing, until a date.
CREATE TABLE participation_blocks (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    until TIMESTAMPTZ NOT NULL,
    blocked_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

-- A consultation or poll: audience tous, quartier (members of the
-- community community_id) or verifies (verified addresses); results are
-- shown once closes_at has passed.
CREATE TABLE participation_polls (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL,
    community_id TEXT NOT NULL DEFAULT '',
    community_name TEXT NOT NULL DEFAULT '',
    opens_at TIMESTAMPTZ NOT NULL,
    closes_at TIMESTAMPTZ NOT NULL,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    ballots INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, slug)
);

-- A poll's question: kind unique, multiple, classement (ranking) or
-- libre (open answer); choices one per line.
CREATE TABLE participation_questions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    poll_id TEXT NOT NULL REFERENCES participation_polls(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    choices TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX participation_questions_poll ON participation_questions (poll_id, position);

-- One ballot per person and poll, held by the primary key: voter_id is
-- the account's id.
CREATE TABLE participation_ballots (
    poll_id TEXT NOT NULL REFERENCES participation_polls(id) ON DELETE CASCADE,
    voter_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    cast_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (poll_id, voter_id)
);
CREATE INDEX participation_ballots_voter ON participation_ballots (tenant_id, voter_id);

-- A ballot's answers, kept apart from who cast it once the poll closes
-- (ballot_id is random): choice is a choice's index (with rank for a
-- ranking), text an open answer.
CREATE TABLE participation_answers (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    poll_id TEXT NOT NULL REFERENCES participation_polls(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES participation_questions(id) ON DELETE CASCADE,
    ballot_id TEXT NOT NULL,
    choice INTEGER NOT NULL DEFAULT -1,
    rank INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX participation_answers_poll ON participation_answers (tenant_id, poll_id, question_id);
