-- Reminders (seed 002 §3.3, §6.5): custom ones a user sets on an application or activity,
-- and rule ones the tracker plans on status changes (`rule` names the rule). Delivery
-- (in-app, email, calendar) is the worker's; here a reminder is planned, rescheduled,
-- canceled, and marked sent.
CREATE TABLE reminders (
    id              TEXT    NOT NULL PRIMARY KEY,
    user_id         TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id  TEXT REFERENCES applications (id) ON DELETE CASCADE,
    activity_id     TEXT REFERENCES activities (id) ON DELETE CASCADE,
    title           TEXT    NOT NULL,
    due_at          TEXT    NOT NULL,
    channels        TEXT    NOT NULL,
    sent            INTEGER NOT NULL CHECK (sent IN (0, 1)),
    sent_at         TEXT,
    canceled_at     TEXT,
    -- Idempotency of rule reminders: one per (user, key), however often a rule re-runs.
    dedupe_key      TEXT,
    rule            TEXT,
    meta            TEXT,
    version         INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CHECK (application_id IS NOT NULL OR activity_id IS NOT NULL),
    UNIQUE (user_id, dedupe_key)
) STRICT;
-- What the dispatcher scans: unsent reminders by due time.
CREATE INDEX reminders_due ON reminders (user_id, sent, due_at);
CREATE INDEX reminders_by_application ON reminders (application_id);
