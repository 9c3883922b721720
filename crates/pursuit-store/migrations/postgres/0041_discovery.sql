-- Job discovery (issue 26, seed 001's `search_queries` and `job_cache`).
--
-- `job_searches`: a user's saved searches. `titles`, `locations`, `sources` (the open
-- boards asked), `boards` (companies' ATS boards, `greenhouse:acme`) and `links` (feeds and
-- careers pages) are JSON lists of text. `last_run_at` is when a run last finished; the
-- daily dispatch runs a search once it is a day old.
CREATE TABLE job_searches (
    id            UUID    NOT NULL PRIMARY KEY,
    user_id       UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    titles        JSONB   NOT NULL,
    locations     JSONB   NOT NULL,
    remote        TEXT    NOT NULL CHECK (remote IN ('any', 'only', 'exclude')),
    sources       JSONB   NOT NULL,
    boards        JSONB   NOT NULL,
    links         JSONB   NOT NULL,
    enabled       BOOLEAN NOT NULL,
    email_digest  BOOLEAN NOT NULL,
    last_run_at   TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX job_searches_by_user ON job_searches (user_id, created_at);
CREATE INDEX job_searches_due ON job_searches (enabled, last_run_at);

-- One run of a search. `sources` is a JSON list, one entry per source asked: requests
-- made, answered 304, listings read, kept (matching the search), new, duplicate, expired,
-- and the error that failed it. The counts are the sums, for lists.
CREATE TABLE discovery_runs (
    id           UUID    NOT NULL PRIMARY KEY,
    user_id      UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    search_id    UUID    NOT NULL REFERENCES job_searches (id) ON DELETE CASCADE,
    job_id       UUID,
    trigger      TEXT    NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    status       TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    sources      JSONB   NOT NULL,
    fetched      BIGINT NOT NULL CHECK (fetched >= 0),
    new          BIGINT NOT NULL CHECK (new >= 0),
    duplicate    BIGINT NOT NULL CHECK (duplicate >= 0),
    failed       BIGINT NOT NULL CHECK (failed >= 0),
    error        TEXT,
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX discovery_runs_by_search ON discovery_runs (search_id, created_at);
CREATE INDEX discovery_runs_by_user ON discovery_runs (user_id, created_at);

-- A job discovery found: one row per job however many boards list it (each listing is a
-- row of `discovered_sources`). `key` is the normalised company +
-- title + place, unique per user; `canonical_url` and `company_head` (the company key's
-- first word: "Perch" and "Perch Learning") find the other candidates the dedup compares. `expired_at`: its board's full list no longer has it;
-- `reposted_at`: seen again after that. `score`/`reason`: its match to the active resume
-- version `scored_for` names (its id and last change): scored again when that changes.
CREATE TABLE discovered_jobs (
    id               UUID    NOT NULL PRIMARY KEY,
    user_id          UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    search_id        UUID    REFERENCES job_searches (id) ON DELETE SET NULL,
    key              TEXT    NOT NULL,
    company_key      TEXT    NOT NULL,
    company_head     TEXT    NOT NULL,
    canonical_url    TEXT    NOT NULL,
    url              TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    company          TEXT    NOT NULL,
    location         TEXT,
    remote           TEXT,
    employment_type  TEXT,
    description      TEXT    NOT NULL,
    posted_at        TIMESTAMPTZ,
    status           TEXT    NOT NULL CHECK (status IN ('new', 'saved', 'dismissed')),
    application_id   UUID    REFERENCES applications (id) ON DELETE SET NULL,
    score            BIGINT,
    reason           TEXT,
    scored_for       TEXT,
    first_seen_at    TIMESTAMPTZ NOT NULL,
    last_seen_at     TIMESTAMPTZ NOT NULL,
    expired_at       TIMESTAMPTZ,
    reposted_at      TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX discovered_jobs_key ON discovered_jobs (user_id, key);
CREATE INDEX discovered_jobs_by_company ON discovered_jobs (user_id, company_head);
CREATE INDEX discovered_jobs_by_url ON discovered_jobs (user_id, canonical_url);
CREATE INDEX discovered_jobs_list ON discovered_jobs (user_id, status, first_seen_at);

-- Each board's listing of a discovered job: `source` the adapter, `feed` what was read
-- (`greenhouse:acme`, `remotive`, `link:<url>`), the board's own id and URL. A listing
-- the same board lists again finds its job by `(user_id, source, source_id)`; `gone_at`:
-- the board's full list (an employer's own board) no longer has it.
CREATE TABLE discovered_sources (
    user_id        UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source         TEXT    NOT NULL,
    source_id      TEXT    NOT NULL,
    job_id         UUID    NOT NULL REFERENCES discovered_jobs (id) ON DELETE CASCADE,
    feed           TEXT    NOT NULL,
    url            TEXT    NOT NULL,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL,
    gone_at        TIMESTAMPTZ,
    PRIMARY KEY (user_id, source, source_id)
);
CREATE INDEX discovered_sources_by_job ON discovered_sources (job_id);
CREATE INDEX discovered_sources_by_feed ON discovered_sources (user_id, feed, last_seen_at);

-- The validators a source last answered with, per search and URL, so the next run asks
-- conditionally (If-None-Match / If-Modified-Since) and a 304 costs nothing.
CREATE TABLE discovery_validators (
    search_id      UUID NOT NULL REFERENCES job_searches (id) ON DELETE CASCADE,
    url            TEXT NOT NULL,
    etag           TEXT,
    last_modified  TEXT,
    checked_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (search_id, url)
);
