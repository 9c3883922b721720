-- Saved views: a named filter over the user's applications (seed 002 §3.5).
-- `filters` is the validated filter document the API accepts; `seeded` marks the views
-- every new account starts with.
CREATE TABLE saved_views (
    id          TEXT    NOT NULL PRIMARY KEY,
    user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    filters     TEXT    NOT NULL,
    seeded      INTEGER NOT NULL CHECK (seeded IN (0, 1)),
    position    INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (user_id, name)
) STRICT;
