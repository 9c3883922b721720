-- CSV imports: the uploaded file (as text) and the options it is read with, kept between
-- the preview and the confirmation, then the outcome. `status` moves previewed → committed
-- once; a confirmation that finds it committed replays `result`.
CREATE TABLE imports (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    filename      TEXT,
    content       TEXT    NOT NULL,
    options       TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('previewed', 'committed')),
    result        TEXT,
    created_at    TEXT    NOT NULL,
    committed_at  TEXT
) STRICT;

CREATE INDEX imports_user ON imports (user_id, created_at);
