-- Private messages: between two residents when the recipient accepts
-- them, or from the mairie's staff to a resident of the collectivité.

-- A resident's choice: allow lets other residents write to them (off
-- until they say so). Staff write to anyone.
CREATE TABLE participation_pm_settings (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    allow BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

-- A resident who refuses private messages from another one.
CREATE TABLE participation_pm_blocks (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, user_id, blocked_id)
);

-- A conversation between a_id, who started it, and b_id. by_staff: a_id
-- wrote for the mairie, whose name the resident sees instead of theirs.
-- last_at is its last message's date, which its retention counts from.
CREATE TABLE participation_conversations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    a_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    b_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    by_staff BOOLEAN NOT NULL DEFAULT FALSE,
    subject TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX participation_conversations_a ON participation_conversations (tenant_id, a_id, last_at);
CREATE INDEX participation_conversations_b ON participation_conversations (tenant_id, b_id, last_at);
CREATE INDEX participation_conversations_last ON participation_conversations (last_at);

-- A conversation's message; read_at is when its recipient opened it.
CREATE TABLE participation_private_messages (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL REFERENCES participation_conversations(id) ON DELETE CASCADE,
    sender_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    by_staff BOOLEAN NOT NULL DEFAULT FALSE,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ
);
CREATE INDEX participation_private_messages_conversation ON participation_private_messages (tenant_id, conversation_id, created_at);
CREATE INDEX participation_private_messages_unread ON participation_private_messages (tenant_id, conversation_id, read_at);
