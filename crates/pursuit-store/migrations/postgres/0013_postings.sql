-- Companies a user deals with, one row per normalized name ("Acme, Inc." = "ACME Inc"), and
-- the job postings the user added (pasted text or a fetched URL) with what was read from
-- them. A posting added by the user is saved to the tracker as an application.
CREATE TABLE companies (
    id          UUID NOT NULL PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, name_key)
);

CREATE TABLE job_postings (
    id                   UUID NOT NULL PRIMARY KEY,
    user_id              UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    company_id           UUID REFERENCES companies (id) ON DELETE SET NULL,
    application_id       UUID REFERENCES applications (id) ON DELETE SET NULL,
    source               TEXT NOT NULL CHECK (source IN ('text', 'url', 'callback')),
    url                  TEXT,
    raw_text             TEXT NOT NULL,
    title                TEXT,
    parse_status         TEXT NOT NULL CHECK (parse_status IN ('pending', 'complete', 'failed')),
    parse_error          TEXT,
    parsed               JSONB,
    jd_lang              TEXT,
    desired_output_lang  TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX job_postings_by_user ON job_postings (user_id, created_at, id);
