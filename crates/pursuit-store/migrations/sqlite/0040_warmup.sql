-- Warmup (issue 25, seed 000 §13): a mailbox with `warmup_started_at` set exchanges a few
-- emails a day with its user's other warming mailboxes, more each day. Each email is a row
-- here, planned, sent once (never retried), and marked `received_at` when the other
-- mailbox's reading finds it in its INBOX (which is where the signal of inbox placement
-- comes from); the receiving mailbox answers an email once (`answers_id`) and files both
-- away from its INBOX. `token` is the value of the email's X-Pursuit-Warmup header.
ALTER TABLE mailboxes ADD COLUMN warmup_started_at TEXT;

CREATE TABLE warmup_messages (
    id               TEXT NOT NULL PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    from_mailbox_id  TEXT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    to_mailbox_id    TEXT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    answers_id       TEXT REFERENCES warmup_messages (id) ON DELETE CASCADE,
    token            TEXT NOT NULL UNIQUE,
    message_id       TEXT NOT NULL UNIQUE,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    planned_at       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('planned', 'sending', 'sent', 'failed', 'unknown')),
    sent_at          TEXT,
    received_at      TEXT,
    error            TEXT,
    created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX warmup_due ON warmup_messages (status, planned_at);
CREATE INDEX warmup_by_sender ON warmup_messages (from_mailbox_id, planned_at);
CREATE UNIQUE INDEX warmup_one_answer ON warmup_messages (answers_id);
