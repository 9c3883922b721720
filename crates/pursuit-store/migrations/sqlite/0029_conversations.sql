-- Conversations with the assistant (seed 001 `ai_conversations`): each the user's, about
-- one of their postings or about their search in general, and its messages in order. An
-- assistant message keeps who wrote it, what it cost, and the guard's claims on it (a
-- statement about the user the material does not support is marked, never silently kept).
CREATE TABLE conversations (
    id          TEXT NOT NULL PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    posting_id  TEXT REFERENCES job_postings (id) ON DELETE SET NULL,
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
-- A user's conversations, most recently active first.
CREATE INDEX conversations_by_user ON conversations (user_id, updated_at);

CREATE TABLE conversation_messages (
    id               TEXT    NOT NULL PRIMARY KEY,
    conversation_id  TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id          TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role             TEXT    NOT NULL CHECK (role IN ('user', 'assistant')),
    content          TEXT    NOT NULL,
    provider         TEXT,
    model            TEXT,
    cost_micros      INTEGER NOT NULL,
    claims           TEXT    NOT NULL,
    created_at       TEXT    NOT NULL
) STRICT;
-- A conversation's messages in order.
CREATE INDEX conversation_messages_in_order ON conversation_messages (conversation_id, created_at);
