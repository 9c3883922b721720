-- Saved views: a named filter over the user's applications (seed 002 §3.5).
-- `filters` is the validated filter document the API accepts; `seeded` marks the views
-- every new account starts with.
CREATE TABLE saved_views (
    id          UUID        NOT NULL PRIMARY KEY,
    user_id     UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    filters     JSONB       NOT NULL,
    seeded      BOOLEAN     NOT NULL,
    position    BIGINT      NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, name)
);
