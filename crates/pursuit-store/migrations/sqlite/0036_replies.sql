-- What came back to a user's mailbox (issue 25): each mailbox may name its IMAP server
-- (none: replies are not looked for), read from the UID after `imap_last_uid` of the
-- folder `imap_uidvalidity` names; a different UIDVALIDITY reads the folder again, which
-- adds nothing twice since a reply is kept once per mailbox and message.
--
-- A reply is what a person answered (its intent: an interview request, a rejection, a
-- request for something), what a machine answered for them, a bounce or an abuse report;
-- linked to the email it answers and that email's application. The status move it
-- suggests is `suggested_status`; `state` says what became of it (`applied` keeps the
-- status it replaced, for undo).
ALTER TABLE mailboxes ADD COLUMN imap_host TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_port INTEGER NOT NULL DEFAULT 993;
ALTER TABLE mailboxes ADD COLUMN imap_security TEXT NOT NULL DEFAULT 'tls' CHECK (imap_security IN ('starttls', 'tls', 'none'));
ALTER TABLE mailboxes ADD COLUMN imap_username TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_password TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_uidvalidity INTEGER;
ALTER TABLE mailboxes ADD COLUMN imap_last_uid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN imap_checked_at TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_error TEXT;

CREATE TABLE replies (
    id                TEXT NOT NULL PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mailbox_id        TEXT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    outreach_id       TEXT REFERENCES outreach (id) ON DELETE SET NULL,
    application_id    TEXT REFERENCES applications (id) ON DELETE SET NULL,
    message_key       TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('reply', 'automatic', 'bounce', 'complaint')),
    intent            TEXT CHECK (intent IN ('interview_request', 'rejection', 'needs_action', 'out_of_office', 'auto_confirmation', 'other')),
    confidence        REAL,
    from_address      TEXT,
    from_name         TEXT,
    subject           TEXT NOT NULL,
    body              TEXT NOT NULL,
    detail            TEXT,
    received_at       TEXT NOT NULL,
    suggested_status  TEXT,
    state             TEXT NOT NULL CHECK (state IN ('new', 'applied', 'dismissed', 'undone')),
    previous_status   TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (mailbox_id, message_key)
) STRICT;
CREATE INDEX replies_by_user ON replies (user_id, received_at);
CREATE INDEX replies_by_application ON replies (application_id);
