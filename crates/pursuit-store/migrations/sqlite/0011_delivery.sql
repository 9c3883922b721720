-- Reminder delivery (issue 6): where each reminder stands, per channel; the in-app
-- notifications it leaves; the calendar invites that went out by mail (so an update keeps
-- the UID and raises SEQUENCE, and a withdrawn event can be cancelled); and each user's
-- secret calendar feed.

-- pending: waiting for its time; queued: a delivery job holds it; sent / failed / skipped:
-- final, with the reason in `delivery_note`. Rescheduling an unsent reminder makes it
-- pending again.
ALTER TABLE reminders ADD COLUMN delivery TEXT NOT NULL DEFAULT 'pending'
    CHECK (delivery IN ('pending', 'queued', 'sent', 'failed', 'skipped'));
ALTER TABLE reminders ADD COLUMN delivery_note TEXT;
UPDATE reminders SET delivery = 'sent' WHERE sent = 1;
-- What the dispatcher scans every minute, across users: pending reminders by due time.
CREATE INDEX reminders_dispatch ON reminders (delivery, due_at);

-- One row per (reminder, channel) once delivery started: exactly once per channel.
CREATE TABLE reminder_deliveries (
    reminder_id   TEXT    NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
    channel       TEXT    NOT NULL CHECK (channel IN ('in_app', 'email', 'calendar')),
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
    attempts      INTEGER NOT NULL,
    last_error    TEXT,
    delivered_at  TEXT,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (reminder_id, channel)
) STRICT;

-- In-app notifications. At most one per reminder; kept when the reminder or application
-- goes (the link just stops working); deleted after `expires_at` by the sweep.
CREATE TABLE notifications (
    id              TEXT NOT NULL PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reminder_id     TEXT UNIQUE REFERENCES reminders (id) ON DELETE SET NULL,
    application_id  TEXT REFERENCES applications (id) ON DELETE SET NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    link            TEXT,
    read_at         TEXT,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL
) STRICT;
-- The notification list: newest first per user.
CREATE INDEX notifications_by_user ON notifications (user_id, created_at, id);
CREATE INDEX notifications_expiry ON notifications (expires_at);

-- Calendar events mailed to a user, by UID: the last version sent (SEQUENCE and the event
-- itself, so a cancellation can still be sent after the activity is deleted).
CREATE TABLE calendar_invites (
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    uid          TEXT    NOT NULL,
    activity_id  TEXT REFERENCES activities (id) ON DELETE SET NULL,
    sequence     INTEGER NOT NULL,
    event        TEXT    NOT NULL,
    sent_at      TEXT    NOT NULL,
    canceled_at  TEXT,
    PRIMARY KEY (user_id, uid)
) STRICT;
CREATE INDEX calendar_invites_by_activity ON calendar_invites (activity_id);

-- A user's subscribable calendar feed: the secret in its URL is stored only as a hash;
-- revoking deletes the row, rotating replaces it.
CREATE TABLE calendar_feeds (
    user_id     TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    last_used_at TEXT
) STRICT;
