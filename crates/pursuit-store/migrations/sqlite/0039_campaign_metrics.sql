-- A campaign's days (issue 25, seed 000 §11): what its emails did on each of its user's
-- local days — emails sent that day, and emails first bounced for good, clicked, answered
-- or reported that day — rolled up each night (`analytics.rollup`) for the days that are
-- over. Today's numbers are read live and added to these. `metrics_through` is the last
-- day rolled up; each night the last seven days are rolled again, so an event reported
-- late still lands on its day.
CREATE TABLE campaign_metrics (
    campaign_id  TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sent         INTEGER NOT NULL CHECK (sent >= 0),
    bounced      INTEGER NOT NULL CHECK (bounced >= 0),
    clicked      INTEGER NOT NULL CHECK (clicked >= 0),
    replied      INTEGER NOT NULL CHECK (replied >= 0),
    complained   INTEGER NOT NULL CHECK (complained >= 0),
    rolled_at    TEXT NOT NULL,
    PRIMARY KEY (campaign_id, day)
) STRICT;
CREATE INDEX campaign_metrics_by_user ON campaign_metrics (user_id);
ALTER TABLE campaigns ADD COLUMN metrics_through TEXT;
