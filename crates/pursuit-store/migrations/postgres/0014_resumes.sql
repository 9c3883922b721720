-- A user's resume and its versions: every upload or pasted text is a new version, kept with
-- what was read from it. The user's corrections are stored apart from the parse, so a
-- re-parse never loses them. Originals live in file storage, keyed by user and version.
CREATE TABLE resumes (
    id                 UUID NOT NULL PRIMARY KEY,
    user_id            UUID NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    title              TEXT NOT NULL,
    active_version_id  UUID,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE resume_versions (
    id            UUID NOT NULL PRIMARY KEY,
    resume_id     UUID NOT NULL REFERENCES resumes (id) ON DELETE CASCADE,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version_no    BIGINT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('upload', 'text', 'callback')),
    format        TEXT NOT NULL,
    file_name     TEXT,
    byte_size     BIGINT NOT NULL,
    raw_text      TEXT,
    parse_status  TEXT NOT NULL CHECK (parse_status IN ('pending', 'complete', 'failed')),
    parse_error   TEXT,
    parsed        JSONB,
    corrections   JSONB NOT NULL,
    hidden        JSONB NOT NULL,
    lang          TEXT,
    task_id       UUID,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (resume_id, version_no)
);
CREATE INDEX resume_versions_by_user ON resume_versions (user_id, created_at);
