-- Outreach (seed 000 §9.4, §10; issue 24): the user's own mailboxes, campaigns of targets,
-- the emails each launched target (a sequence instance) will send, and the addresses that
-- asked not to hear again.
--
-- A mailbox carries its sending limits and the state that enforces them across every
-- worker: `next_send_at` (no send before it: the minimum gap plus jitter after the last),
-- `cap_day`/`sent_on_day` (sends counted per local day against the cap, which ramps from
-- `ramp_start` by `ramp_step` a day from `first_send_on`). A send takes its slot with one
-- conditional UPDATE of this row, so two workers never both take it. The SMTP password is
-- sealed under the instance's key and bound to this row's id.
CREATE TABLE mailboxes (
    id               TEXT NOT NULL PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    from_name        TEXT NOT NULL,
    from_address     TEXT NOT NULL,
    from_key         TEXT NOT NULL,
    smtp_host        TEXT NOT NULL,
    smtp_port        INTEGER NOT NULL,
    smtp_security    TEXT NOT NULL CHECK (smtp_security IN ('starttls', 'tls', 'none')),
    smtp_username    TEXT,
    smtp_password    TEXT,
    daily_cap        INTEGER NOT NULL,
    min_gap_seconds  INTEGER NOT NULL,
    jitter_seconds   INTEGER NOT NULL,
    ramp_start       INTEGER NOT NULL,
    ramp_step        INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('active', 'paused')),
    paused_reason    TEXT,
    auth_failures    INTEGER NOT NULL DEFAULT 0,
    next_send_at     TEXT NOT NULL,
    cap_day          TEXT,
    sent_on_day      INTEGER NOT NULL DEFAULT 0,
    first_send_on    TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (user_id, from_key)
) STRICT;
CREATE INDEX mailboxes_due ON mailboxes (status, next_send_at);

CREATE TABLE campaigns (
    id              TEXT NOT NULL PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    template_id     TEXT REFERENCES sequence_templates (id) ON DELETE SET NULL,
    mailbox_id      TEXT REFERENCES mailboxes (id) ON DELETE SET NULL,
    pitch_tone      TEXT NOT NULL,
    pitch_length    TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'running', 'finished', 'stopped')),
    launched_at     TEXT,
    finished_at     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX campaigns_by_user ON campaigns (user_id, created_at);

-- A person a campaign writes to about one application, from one mailbox. Once launched it
-- is that person's sequence instance: `active` while steps remain, then `finished`, or
-- `stopped` with the reason (opted out, refused, stopped by the user).
CREATE TABLE campaign_targets (
    id              TEXT NOT NULL PRIMARY KEY,
    campaign_id     TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id  TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    contact_id      TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    mailbox_id      TEXT REFERENCES mailboxes (id) ON DELETE SET NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'active', 'finished', 'stopped')),
    stop_reason     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (campaign_id, contact_id)
) STRICT;
CREATE INDEX campaign_targets_by_campaign ON campaign_targets (campaign_id, created_at);

-- One email of one sequence instance: its text as launched, when it is planned (in the
-- recipient's window), its fixed Message-ID (chosen at launch, so a resend after a doubt is
-- the same message), and what became of it. `sending` is written before the connection
-- opens; a row left `sending` by a crash becomes `unknown` and is never resent on its own.
CREATE TABLE outreach (
    id                   TEXT NOT NULL PRIMARY KEY,
    user_id              TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    campaign_id          TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    target_id            TEXT NOT NULL REFERENCES campaign_targets (id) ON DELETE CASCADE,
    mailbox_id           TEXT REFERENCES mailboxes (id) ON DELETE SET NULL,
    step_position        INTEGER NOT NULL,
    step_label           TEXT NOT NULL,
    to_name              TEXT NOT NULL,
    to_address           TEXT NOT NULL,
    to_key               TEXT NOT NULL,
    time_zone            TEXT NOT NULL,
    subject              TEXT NOT NULL,
    body                 TEXT NOT NULL,
    planned_at           TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('planned', 'sending', 'sent', 'failed', 'cancelled', 'suppressed', 'unknown')),
    message_id           TEXT NOT NULL UNIQUE,
    attempts             INTEGER NOT NULL DEFAULT 0,
    sent_at              TEXT,
    provider_message_id  TEXT,
    error                TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (target_id, step_position)
) STRICT;
CREATE INDEX outreach_due ON outreach (mailbox_id, status, planned_at);
CREATE INDEX outreach_by_campaign ON outreach (campaign_id, planned_at);
CREATE INDEX outreach_by_address ON outreach (user_id, to_key, status);

-- Addresses the user must not write to again (one-click unsubscribe, a reply asking so, or
-- the user's own entry), checked at send time.
CREATE TABLE suppressions (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email_key   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, email_key)
) STRICT;
