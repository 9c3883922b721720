-- The AI layer's records. `ai_calls`: one row per provider call, provider passed over,
-- local answer or cache hit, kept for the user's call log and the month's cost (cost in
-- millionths of a US dollar). Prompts and answers only with the user's full logging;
-- otherwise the prompt's SHA-256 alone.
CREATE TABLE ai_calls (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    task         TEXT    NOT NULL,
    provider     TEXT    NOT NULL,
    model        TEXT    NOT NULL,
    tokens_in    INTEGER NOT NULL,
    tokens_out   INTEGER NOT NULL,
    cost_micros  INTEGER NOT NULL,
    latency_ms   INTEGER NOT NULL,
    outcome      TEXT    NOT NULL,
    detail       TEXT    NOT NULL,
    prompt_hash  TEXT    NOT NULL,
    prompt       TEXT,
    response     TEXT,
    created_at   TEXT    NOT NULL
) STRICT;
-- The call log page (newest first) and the month's sum both read by user and time.
CREATE INDEX ai_calls_by_user ON ai_calls (user_id, created_at);

-- Answers kept by the digest of their inputs, per user: the same request is answered from
-- here and never costs twice. A task's version is part of the digest.
CREATE TABLE ai_outputs (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    task          TEXT    NOT NULL,
    input_digest  TEXT    NOT NULL,
    output        TEXT    NOT NULL,
    provider      TEXT    NOT NULL,
    model         TEXT    NOT NULL,
    repaired      INTEGER NOT NULL,
    created_at    TEXT    NOT NULL,
    UNIQUE (user_id, task, input_digest)
) STRICT;

-- A user's AI choices: local only, full logging, a monthly budget for paid calls
-- (millionths of a dollar; NULL: the instance default), providers turned off (JSON array).
CREATE TABLE ai_user_settings (
    user_id                TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    offline                INTEGER NOT NULL,
    full_logging           INTEGER NOT NULL,
    monthly_budget_micros  INTEGER,
    disabled_providers     TEXT    NOT NULL,
    updated_at             TEXT    NOT NULL
) STRICT;
