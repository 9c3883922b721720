-- Optimization reports (seed 004 `optimizations`): for one resume version and one posting,
-- the match score of the resume as written (`score`) and of the tailored CV
-- (`score_after`), what the user could change and why with the evidence (`report`), the
-- CV's Markdown as made (`preview_md`, the editable copy is the document) and what
-- tailoring changed (`change_log`). The three languages of seed 004 are kept: the
-- resume's, the posting's, and the one the CV is laid out in. A refined result is a new
-- row that names the one it came from. `input_digest` finds a result made from the same
-- inputs (the cache).
CREATE TABLE optimizations (
    id                   UUID    NOT NULL PRIMARY KEY,
    user_id              UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    posting_id           UUID    REFERENCES job_postings (id) ON DELETE SET NULL,
    resume_version_id    UUID    REFERENCES resume_versions (id) ON DELETE SET NULL,
    document_id          UUID    REFERENCES documents (id) ON DELETE SET NULL,
    refined_from         UUID    REFERENCES optimizations (id) ON DELETE SET NULL,
    score                BIGINT  NOT NULL,
    score_after          BIGINT  NOT NULL,
    report               JSONB   NOT NULL,
    preview_md           TEXT    NOT NULL,
    change_log           JSONB   NOT NULL,
    resume_lang          TEXT,
    jd_lang              TEXT,
    desired_output_lang  TEXT    NOT NULL,
    instructions         TEXT,
    provider             TEXT    NOT NULL,
    model                TEXT    NOT NULL,
    cost_micros          BIGINT  NOT NULL,
    input_digest         TEXT    NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL
);
-- A posting's results, newest first (the job page shows the latest).
CREATE INDEX optimizations_by_posting ON optimizations (user_id, posting_id, created_at);
-- The cache: a result made from the same inputs.
CREATE INDEX optimizations_by_digest ON optimizations (user_id, input_digest);
