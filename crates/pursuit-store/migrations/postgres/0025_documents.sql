-- Documents Pursuit writes for a user (a tailored CV now; letters and summaries later):
-- the Markdown the user reviews and edits, the structured form (`data`, JSON Resume for a
-- CV), what was decided (`report`: skills matched, gaps, coverage), the truthfulness guard's
-- claims on the current text and the user's confirmations (each with its source), who wrote
-- it and what it cost. The posting and resume version it was made from are kept while they
-- exist.
CREATE TABLE documents (
    id                 UUID    NOT NULL PRIMARY KEY,
    user_id            UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind               TEXT    NOT NULL,
    posting_id         UUID    REFERENCES job_postings (id) ON DELETE SET NULL,
    resume_version_id  UUID    REFERENCES resume_versions (id) ON DELETE SET NULL,
    title              TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    data               JSONB   NOT NULL,
    report             JSONB   NOT NULL,
    claims             JSONB   NOT NULL,
    confirmations      JSONB   NOT NULL,
    provider           TEXT    NOT NULL,
    model              TEXT    NOT NULL,
    cost_micros        BIGINT  NOT NULL,
    input_digest       TEXT    NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
-- A user's documents, newest first.
CREATE INDEX documents_by_user ON documents (user_id, created_at);
