-- Sign-in with an external identity provider (Google) in progress: one row per started
-- sign-in, used once by the callback. `state_hash` is the hash of the `state` parameter
-- (also held in the browser's cookie); `nonce` and `pkce_verifier` go into the token
-- exchange and the ID token check. Rows older than `expires_at` are refused and swept.
CREATE TABLE oauth_states (
    state_hash     TEXT NOT NULL PRIMARY KEY,
    provider       TEXT NOT NULL,
    nonce          TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL
) STRICT;
