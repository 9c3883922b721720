-- A user's job preferences (seed 000 §1): one row per user, written whole. Lists are JSON
-- arrays of normalised values; `tags` holds the preference tags computed from the rest when
-- it was written, so campaigns and analytics can segment by them without recomputing.
CREATE TABLE job_preferences (
    user_id               TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    titles                TEXT    NOT NULL,
    locations             TEXT    NOT NULL,
    remote                TEXT,
    salary_min            INTEGER,
    salary_max            INTEGER,
    salary_currency       TEXT,
    salary_period         TEXT,
    seniority             TEXT    NOT NULL,
    company_sizes         TEXT    NOT NULL,
    industries            TEXT    NOT NULL,
    experience_years_min  INTEGER,
    experience_years_max  INTEGER,
    willing_to_relocate   INTEGER NOT NULL,
    tags                  TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL
) STRICT;
