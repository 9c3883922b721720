-- Pitches (seed 000 §8 calls them offers; issue 24): the short message outreach leads with,
-- made for one of the user's applications and, when one is chosen, addressed to one of its
-- contacts. Its text, claims, confirmations and who wrote it live in `documents` (kind
-- `pitch`), so a pitch is checked, edited and confirmed as every document is; this row says
-- what it is for and how it was asked for.
CREATE TABLE offers (
    id              UUID NOT NULL PRIMARY KEY,
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id  UUID NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    contact_id      UUID REFERENCES contacts (id) ON DELETE SET NULL,
    document_id     UUID NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    tone            TEXT NOT NULL,
    length_preset   TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
-- An application's pitches, newest first.
CREATE INDEX offers_by_application ON offers (user_id, application_id, created_at);
