-- A user's profile (seed 003 §2): who they are as documents name them, their links and the
-- base CV content of their own (a summary, skills). One row per user, written whole.
CREATE TABLE profiles (
    user_id       TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    full_name     TEXT NOT NULL,
    headline      TEXT NOT NULL,
    email         TEXT NOT NULL,
    phone         TEXT NOT NULL,
    location      TEXT NOT NULL,
    linkedin_url  TEXT NOT NULL,
    github_url    TEXT NOT NULL,
    website_url   TEXT NOT NULL,
    summary       TEXT NOT NULL,
    skills        TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- A user's projects (seed 003 §2): what tailored CVs choose from beside the resume's roles.
-- Months as `YYYY` or `YYYY-MM` text; `end_month` NULL while it goes on. Lists are JSON.
CREATE TABLE projects (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title         TEXT    NOT NULL,
    description   TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    technologies  TEXT    NOT NULL,
    url           TEXT    NOT NULL,
    repo_url      TEXT    NOT NULL,
    start_month   TEXT,
    end_month     TEXT,
    highlights    TEXT    NOT NULL,
    featured      INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
) STRICT;
-- A user's projects in their order.
CREATE INDEX projects_by_user ON projects (user_id, position);
