-- Outreach sequences (seed 000 §9; issue 24): a user's reusable cadences and their steps in
-- order (Intro / Nudge / Value / Final by default), each with its offset in days from the
-- first send, a subject and a body with placeholders, a length preset, the character count
-- of subject and body computed on save, and the last spam check's snapshot (its score and
-- the exact words that earned it).
CREATE TABLE sequence_templates (
    id          TEXT NOT NULL PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX sequence_templates_by_user ON sequence_templates (user_id, name);

CREATE TABLE sequence_steps (
    id               TEXT NOT NULL PRIMARY KEY,
    template_id      TEXT NOT NULL REFERENCES sequence_templates (id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    label            TEXT NOT NULL,
    offset_days      INTEGER NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    length_preset    TEXT NOT NULL CHECK (length_preset IN ('short', 'medium', 'long')),
    char_count       INTEGER NOT NULL,
    spam_score       REAL,
    spam_words       TEXT,
    spam_checked_at  TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (template_id, position)
) STRICT;
