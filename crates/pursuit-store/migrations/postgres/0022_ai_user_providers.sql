-- Providers a user entered in the AI settings page: an OpenAI-compatible or Anthropic
-- server, its model and options, and its key sealed under the instance's secrets key
-- (never stored in the clear; NULL: no key). Asked before the instance's chain for the
-- task kinds in `used_for` (a JSON array), in `position` order. Prices are millionths of a
-- US dollar per million tokens.
CREATE TABLE ai_user_providers (
    id             UUID    NOT NULL PRIMARY KEY,
    user_id        UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    position       BIGINT  NOT NULL,
    kind           TEXT    NOT NULL,
    url            TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    sealed_key     TEXT,
    json_mode      TEXT    NOT NULL,
    stream         BOOLEAN NOT NULL,
    max_tokens     BIGINT  NOT NULL,
    timeout_secs   BIGINT  NOT NULL,
    price_in_micros   BIGINT NOT NULL,
    price_out_micros  BIGINT NOT NULL,
    used_for       JSONB   NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, name)
);
