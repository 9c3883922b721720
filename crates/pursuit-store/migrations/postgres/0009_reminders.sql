-- Reminders (seed 002 §3.3, §6.5): custom ones a user sets on an application or activity,
-- and rule ones the tracker plans on status changes (`rule` names the rule). Delivery
-- (in-app, email, calendar) is the worker's; here a reminder is planned, rescheduled,
-- canceled, and marked sent.
CREATE TABLE reminders (
    id              UUID        NOT NULL PRIMARY KEY,
    user_id         UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id  UUID REFERENCES applications (id) ON DELETE CASCADE,
    activity_id     UUID REFERENCES activities (id) ON DELETE CASCADE,
    title           TEXT    NOT NULL,
    due_at          TIMESTAMPTZ NOT NULL,
    channels        JSONB       NOT NULL,
    sent            BOOLEAN     NOT NULL,
    sent_at         TIMESTAMPTZ,
    canceled_at     TIMESTAMPTZ,
    -- Idempotency of rule reminders: one per (user, key), however often a rule re-runs.
    dedupe_key      TEXT,
    rule            TEXT,
    meta            JSONB,
    version         BIGINT      NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK (application_id IS NOT NULL OR activity_id IS NOT NULL),
    UNIQUE (user_id, dedupe_key)
);
-- What the dispatcher scans: unsent reminders by due time.
CREATE INDEX reminders_due ON reminders (user_id, sent, due_at);
CREATE INDEX reminders_by_application ON reminders (application_id);
