-- The durable job queue ("tasks" to users). Jobs are rows: enqueued in the same transaction
-- as the write that causes them, claimed by workers with a lease, retried with backoff, and
-- kept after they end (done, dead, cancelled) so a user can see what happened.
CREATE TABLE jobs (
    id                UUID        NOT NULL PRIMARY KEY,
    kind              TEXT        NOT NULL,
    queue             TEXT        NOT NULL,
    payload           JSONB       NOT NULL,
    -- queued: waiting for run_at; running: claimed, lease held; retryable: failed, waiting
    -- for its backoff; done / dead (attempts exhausted) / cancelled: finished.
    state             TEXT        NOT NULL CHECK (state IN ('queued', 'running', 'retryable', 'done', 'dead', 'cancelled')),
    -- Higher runs first among jobs that are due.
    priority          BIGINT      NOT NULL,
    attempt           BIGINT      NOT NULL,
    max_attempts      BIGINT      NOT NULL CHECK (max_attempts > 0),
    run_at            TIMESTAMPTZ NOT NULL,
    dedupe_key        TEXT,
    -- The user a job works for (NULL for system jobs); they may see it at /api/v1/tasks/{id}.
    user_id           UUID REFERENCES users (id) ON DELETE CASCADE,
    locked_by         TEXT,
    lease_expires_at  TIMESTAMPTZ,
    progress          BIGINT CHECK (progress BETWEEN 0 AND 100),
    progress_message  TEXT,
    -- Every failed attempt: [{"attempt", "at", "error"}], oldest first.
    errors            JSONB       NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ
);
-- One live job per dedupe key: enqueueing a key that is waiting or running is a no-op.
CREATE UNIQUE INDEX jobs_live_dedupe ON jobs (dedupe_key)
    WHERE dedupe_key IS NOT NULL AND state IN ('queued', 'running', 'retryable');
-- What a worker polls: due jobs of its queue, most urgent first.
CREATE INDEX jobs_due ON jobs (queue, state, run_at);
-- What the rescuer scans: running jobs whose lease ran out.
CREATE INDEX jobs_leases ON jobs (state, lease_expires_at);
CREATE INDEX jobs_by_user ON jobs (user_id, created_at);

-- Ticks of periodic jobs that have been enqueued: the primary key makes each tick fire
-- exactly once, however many schedulers run.
CREATE TABLE periodic_ticks (
    name     TEXT        NOT NULL,
    tick_at  TIMESTAMPTZ NOT NULL,
    job_id   UUID        NOT NULL,
    PRIMARY KEY (name, tick_at)
);

-- The business effect of the `system.canary` job: one row per job, whatever the retries.
-- `pursuit tasks canary` and the reliability tests count these rows.
CREATE TABLE queue_canary (
    job_id     UUID        NOT NULL PRIMARY KEY,
    marked_at  TIMESTAMPTZ NOT NULL,
    runs       BIGINT      NOT NULL
);
