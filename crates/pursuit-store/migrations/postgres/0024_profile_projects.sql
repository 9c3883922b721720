-- A user's profile (seed 003 §2): who they are as documents name them, their links and the
-- base CV content of their own (a summary, skills). One row per user, written whole.
CREATE TABLE profiles (
    user_id       UUID NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    full_name     TEXT NOT NULL,
    headline      TEXT NOT NULL,
    email         TEXT NOT NULL,
    phone         TEXT NOT NULL,
    location      TEXT NOT NULL,
    linkedin_url  TEXT NOT NULL,
    github_url    TEXT NOT NULL,
    website_url   TEXT NOT NULL,
    summary       TEXT NOT NULL,
    skills        JSONB NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- A user's projects (seed 003 §2): what tailored CVs choose from beside the resume's roles.
-- Months as `YYYY` or `YYYY-MM` text; `end_month` NULL while it goes on. Lists are JSON.
CREATE TABLE projects (
    id            UUID    NOT NULL PRIMARY KEY,
    user_id       UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title         TEXT    NOT NULL,
    description   TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    technologies  JSONB   NOT NULL,
    url           TEXT    NOT NULL,
    repo_url      TEXT    NOT NULL,
    start_month   TEXT,
    end_month     TEXT,
    highlights    JSONB   NOT NULL,
    featured      BOOLEAN NOT NULL,
    position      BIGINT  NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
-- A user's projects in their order.
CREATE INDEX projects_by_user ON projects (user_id, position);
