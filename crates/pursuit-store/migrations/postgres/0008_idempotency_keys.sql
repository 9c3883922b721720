-- Idempotent creates: the first response to a POST carrying `Idempotency-Key`, replayed to
-- retries of the same request (offline clients resend after a lost answer). Kept a day.
CREATE TABLE idempotency_keys (
    user_id       UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key           TEXT        NOT NULL,
    request_hash  TEXT        NOT NULL,
    status        BIGINT      NOT NULL,
    response      JSONB       NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);
