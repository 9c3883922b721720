-- A user's job preferences (seed 000 §1): one row per user, written whole. Lists are JSON
-- arrays of normalised values; `tags` holds the preference tags computed from the rest when
-- it was written, so campaigns and analytics can segment by them without recomputing.
CREATE TABLE job_preferences (
    user_id               UUID    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    titles                JSONB   NOT NULL,
    locations             JSONB   NOT NULL,
    remote                TEXT,
    salary_min            BIGINT,
    salary_max            BIGINT,
    salary_currency       TEXT,
    salary_period         TEXT,
    seniority             JSONB   NOT NULL,
    company_sizes         JSONB   NOT NULL,
    industries            JSONB   NOT NULL,
    experience_years_min  BIGINT,
    experience_years_max  BIGINT,
    willing_to_relocate   BOOLEAN NOT NULL,
    tags                  JSONB   NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
