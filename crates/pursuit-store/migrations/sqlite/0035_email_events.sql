-- What happened to an email after it left (issue 24 clicks; issue 25 adds replies, bounces
-- and provider events). One row per event, deduplicated per user by `dedup_key`, so the
-- same event reported many times counts once. No IP address or user agent is stored.
--
-- A campaign tracks clicks only when its user turns it on (`track_clicks`): its emails'
-- links then go through a signed redirect that records the first click per link.
ALTER TABLE campaigns ADD COLUMN track_clicks INTEGER NOT NULL DEFAULT 0 CHECK (track_clicks IN (0, 1));

CREATE TABLE email_events (
    id           TEXT NOT NULL PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    outreach_id  TEXT REFERENCES outreach (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('delivered', 'clicked', 'replied', 'bounced', 'spam_complaint')),
    source       TEXT NOT NULL,
    detail       TEXT,
    dedup_key    TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (user_id, dedup_key)
) STRICT;
CREATE INDEX email_events_by_outreach ON email_events (outreach_id, kind);
