-- Accounts: users, their settings, sign-in (magic links, sessions, OAuth identities),
-- API tokens and the audit log. Every secret (link token, session id, API token) is stored
-- only as a SHA-256 hash: a copy of the database signs nobody in.

-- A person. `email_normalized` (lower-cased) is the unique key, so Ada@X and ada@x are one
-- account; `email` keeps the spelling the user typed.
CREATE TABLE users (
    id                   TEXT    NOT NULL PRIMARY KEY,
    email                TEXT    NOT NULL,
    email_normalized     TEXT    NOT NULL UNIQUE,
    display_name         TEXT,
    time_zone            TEXT    NOT NULL,
    email_verified_at    TEXT,
    session_timeout_secs INTEGER NOT NULL CHECK (session_timeout_secs > 0),
    -- The local operator's account, created by the first `serve` of an embedded install.
    is_owner             INTEGER NOT NULL CHECK (is_owner IN (0, 1)),
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
) STRICT;

-- One row per user. Times of day are 'HH:MM' in the user's zone; NULL quiet hours = none.
CREATE TABLE user_settings (
    user_id            TEXT    NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    quiet_hours_start  TEXT,
    quiet_hours_end    TEXT,
    reminder_defaults  TEXT    NOT NULL,
    send_window_start  TEXT    NOT NULL,
    send_window_end    TEXT    NOT NULL,
    send_window_days   TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
) STRICT;

-- Sign-in links. A new request for the same address supersedes the older link; a link is
-- used at most once (`used_at`). `email_normalized` is set for sign-in links, `user_id` for
-- links issued to a known account (the owner's first-run link).
CREATE TABLE magic_links (
    token_hash        TEXT NOT NULL PRIMARY KEY,
    email_normalized  TEXT,
    email             TEXT,
    user_id           TEXT REFERENCES users (id) ON DELETE CASCADE,
    created_at        TEXT NOT NULL,
    expires_at        TEXT NOT NULL,
    used_at           TEXT,
    superseded_at     TEXT,
    requested_ip      TEXT
) STRICT;
-- Rate limits count recent links per address.
CREATE INDEX magic_links_by_email ON magic_links (email_normalized, created_at);

-- Server-side sessions behind the session cookie. Expire when idle (`last_seen_at` +
-- the user's timeout) or at `expires_at` (absolute), whichever comes first.
CREATE TABLE sessions (
    id_hash       TEXT NOT NULL PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    user_agent    TEXT,
    ip            TEXT
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Accounts at external identity providers (Google), keyed on the provider's subject.
CREATE TABLE oauth_identities (
    provider    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email       TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (provider, subject)
) STRICT;

-- Bearer tokens for scripts and agents. `prefix` (the first characters) lets a user tell
-- tokens apart in a list without the secret.
CREATE TABLE api_tokens (
    id            TEXT NOT NULL PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT,
    last_used_at  TEXT,
    revoked_at    TEXT
) STRICT;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);

-- Security-relevant events. `user_id` is NULL for events without a known user (a failed
-- sign-in with an unknown token); such rows are visible to operators only.
CREATE TABLE audit_log (
    id           TEXT NOT NULL PRIMARY KEY,
    user_id      TEXT REFERENCES users (id) ON DELETE CASCADE,
    action       TEXT NOT NULL,
    entity_type  TEXT,
    entity_id    TEXT,
    at           TEXT NOT NULL,
    request_id   TEXT,
    ip           TEXT,
    detail       TEXT
) STRICT;
CREATE INDEX audit_log_by_user ON audit_log (user_id, at, id);
