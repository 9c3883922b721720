-- CSV imports: the uploaded file (as text) and the options it is read with, kept between
-- the preview and the confirmation, then the outcome. `status` moves previewed → committed
-- once; a confirmation that finds it committed replays `result`.
CREATE TABLE imports (
    id            UUID        NOT NULL PRIMARY KEY,
    user_id       UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    filename      TEXT,
    content       TEXT        NOT NULL,
    options       JSONB       NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('previewed', 'committed')),
    result        JSONB,
    created_at    TIMESTAMPTZ NOT NULL,
    committed_at  TIMESTAMPTZ
);

CREATE INDEX imports_user ON imports (user_id, created_at);
