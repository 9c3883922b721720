-- Conversations with the assistant (seed 001 `ai_conversations`): each the user's, about
-- one of their postings or about their search in general, and its messages in order. An
-- assistant message keeps who wrote it, what it cost, and the guard's claims on it (a
-- statement about the user the material does not support is marked, never silently kept).
CREATE TABLE conversations (
    id          UUID NOT NULL PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    posting_id  UUID REFERENCES job_postings (id) ON DELETE SET NULL,
    title       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
-- A user's conversations, most recently active first.
CREATE INDEX conversations_by_user ON conversations (user_id, updated_at);

CREATE TABLE conversation_messages (
    id               UUID    NOT NULL PRIMARY KEY,
    conversation_id  UUID    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id          UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role             TEXT    NOT NULL CHECK (role IN ('user', 'assistant')),
    content          TEXT    NOT NULL,
    provider         TEXT,
    model            TEXT,
    cost_micros      BIGINT  NOT NULL,
    claims           JSONB   NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);
-- A conversation's messages in order.
CREATE INDEX conversation_messages_in_order ON conversation_messages (conversation_id, created_at);
