-- The tracker: a user's job applications (seed 002 §3.1), the append-only history of their
-- status changes (the source of time-in-stage and conversion figures), and their tags.
CREATE TABLE applications (
    id                  TEXT    NOT NULL PRIMARY KEY,
    user_id             TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    company             TEXT    NOT NULL,
    role_title          TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('Saved', 'Draft', 'Applied', 'Screening', 'Recruiter_Call',
                            'Tech_Screen', 'Interview_Loop', 'Offer', 'Accepted', 'Declined', 'Rejected', 'On_Hold', 'Closed')),
    source              TEXT    NOT NULL,
    application_date    TEXT    NOT NULL,
    priority            TEXT    NOT NULL CHECK (priority IN ('None', 'Low', 'Medium', 'High')),
    location_mode       TEXT    NOT NULL CHECK (location_mode IN ('remote', 'hybrid', 'onsite')),
    job_url             TEXT,
    location_text       TEXT,
    timezone            TEXT,
    salary_min          INTEGER,
    salary_max          INTEGER,
    salary_currency     TEXT,
    job_requisition_id  TEXT,
    seniority_level     TEXT,
    tech_keywords       TEXT    NOT NULL,
    resume_url          TEXT,
    cover_letter_url    TEXT,
    cover_letter_used   INTEGER CHECK (cover_letter_used IN (0, 1)),
    contacts_inline     TEXT,
    next_action         TEXT,
    next_action_due     TEXT,
    notes               TEXT,
    attachments_links   TEXT    NOT NULL,
    archived_at         TEXT,
    -- Optimistic concurrency: every write bumps it; PATCH/DELETE must name the one they read.
    version             INTEGER NOT NULL,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    CHECK (salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max)
) STRICT;
CREATE INDEX applications_by_user_created ON applications (user_id, created_at, id);
CREATE INDEX applications_by_user_status ON applications (user_id, status);
CREATE INDEX applications_by_user_due ON applications (user_id, next_action_due);

-- Every status an application entered, appended and never rewritten.
CREATE TABLE application_status_history (
    id              TEXT NOT NULL PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id  TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    from_status     TEXT,
    to_status       TEXT NOT NULL,
    changed_at      TEXT NOT NULL,
    changed_by      TEXT NOT NULL CHECK (changed_by IN ('user', 'rule', 'import'))
) STRICT;
CREATE INDEX application_status_history_by_application ON application_status_history (application_id, changed_at);

-- Tags in their own table: portable filtering and counting on both databases.
CREATE TABLE application_tags (
    application_id  TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag             TEXT NOT NULL,
    PRIMARY KEY (application_id, tag)
) STRICT;
CREATE INDEX application_tags_by_user ON application_tags (user_id, tag);
