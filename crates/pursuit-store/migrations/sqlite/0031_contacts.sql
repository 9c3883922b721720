-- Decision makers (seed 000 §7; issue 24): the people a user may write to, each the user's,
-- at most one per email address (`email_key`: the address lowercased), linked to a company
-- and to the applications they are a target of (many per role). `time_zone` is the
-- contact's own IANA zone when the user set one; otherwise the company's headquarters zone
-- applies. The tracker's contact rows (`applications.contacts_inline`) are promoted into
-- these when written, and once for the rows stored before (`backfills`).
CREATE TABLE contacts (
    id            TEXT NOT NULL PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    company_id    TEXT REFERENCES companies (id) ON DELETE SET NULL,
    full_name     TEXT NOT NULL,
    role_title    TEXT,
    email         TEXT,
    email_key     TEXT,
    linkedin_url  TEXT,
    phone         TEXT,
    time_zone     TEXT,
    notes         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX contacts_one_per_email ON contacts (user_id, email_key) WHERE email_key IS NOT NULL;
-- A company's contacts, and a user's by name.
CREATE INDEX contacts_by_company ON contacts (user_id, company_id, full_name);

CREATE TABLE application_contacts (
    application_id  TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    contact_id      TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (application_id, contact_id)
) STRICT;
CREATE INDEX application_contacts_by_contact ON application_contacts (contact_id);

-- One-time data work done at start-up, by name, once per database.
CREATE TABLE backfills (
    name     TEXT NOT NULL PRIMARY KEY,
    done_at  TEXT NOT NULL
) STRICT;
