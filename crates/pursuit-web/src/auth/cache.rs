//! A short-lived memory of recent sign-ins, so that a request with a token or session
//! seen a moment ago does not spend a database statement on proving it again.
//!
//! What it may never do is let a credential outlive its revocation in this process. An
//! entry is trusted only while:
//! - the store's [`credentials generation`](pursuit_store::Db::credentials_generation) is
//!   the one read *before* the entry's own lookup — every committed change to a user, a
//!   session or a token in this process moves it on, so a sign-out, a revoked token or a
//!   changed time zone is seen by the very next request;
//! - its time to live has not run out — the bound on how long a change made by *another*
//!   process (a second server on the same PostgreSQL database, `pursuit token revoke` on
//!   the same SQLite file) takes to be seen here;
//! - the credential itself has not expired (a token's expiry, a session's absolute and
//!   idle limits).
//!
//! Only successful sign-ins are kept: an unknown token always costs a lookup.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::CurrentUser;

/// Entries kept at most; a full cache first drops what has run out, then starts afresh.
const CAPACITY: usize = 4096;

/// Which kind of secret a key is the hash of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    ApiToken,
    Session,
}

pub(crate) struct SignInCache {
    ttl: Duration,
    /// By the secret's hash (looked up by `&str`, no key built per request).
    entries: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    kind: Kind,
    current: CurrentUser,
    generation: u64,
    until: Instant,
}

impl SignInCache {
    /// A cache whose entries live `ttl` at most; a zero `ttl` keeps nothing.
    pub(crate) fn new(ttl: Duration) -> SignInCache {
        SignInCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The signed-in caller behind `hash`, if an entry for it is still to be trusted at
    /// `generation` (the store's current one).
    pub(crate) fn get(&self, kind: Kind, hash: &str, generation: u64) -> Option<CurrentUser> {
        if self.ttl.is_zero() {
            return None;
        }
        let now = Instant::now();
        let mut entries = self.lock();
        let entry = entries.get(hash).filter(|entry| entry.kind == kind)?;
        if entry.generation == generation && now < entry.until {
            return Some(entry.current.clone());
        }
        entries.remove(hash);
        None
    }

    /// Keeps a sign-in found by a lookup that started at `generation`, until the time to
    /// live runs out or `expires` (the credential's own end, wall-clock), whichever is first.
    pub(crate) fn put(
        &self,
        kind: Kind,
        hash: &str,
        current: &CurrentUser,
        generation: u64,
        expires: Option<Timestamp>,
    ) {
        if self.ttl.is_zero() {
            return;
        }
        let mut ttl = self.ttl;
        if let Some(expires) = expires {
            let left = Timestamp::now().duration_until(expires);
            match Duration::try_from(left) {
                Ok(left) => ttl = ttl.min(left),
                // Already past (or a negative span): nothing to keep.
                Err(_) => return,
            }
        }
        let now = Instant::now();
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.retain(|_, entry| now < entry.until);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            hash.to_owned(),
            Entry {
                kind,
                current: current.clone(),
                generation,
                until: now + ttl,
            },
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // The map holds no invariant a panicking holder could have broken halfway.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Credential;
    use pursuit_domain::ids::{ApiTokenId, UserId};
    use pursuit_store::accounts::User;

    fn someone() -> CurrentUser {
        let now = Timestamp::now();
        CurrentUser {
            user: User {
                id: UserId::new(),
                email: "a@example.org".to_owned(),
                display_name: None,
                time_zone: "UTC".to_owned(),
                email_verified_at: None,
                session_timeout_secs: 3600,
                is_owner: false,
                created_at: now,
                updated_at: now,
            },
            credential: Credential::ApiToken {
                token_id: ApiTokenId::new(),
            },
        }
    }

    #[test]
    fn an_entry_is_kept_only_while_the_generation_is_the_same() {
        let cache = SignInCache::new(Duration::from_secs(60));
        let who = someone();
        cache.put(Kind::ApiToken, "h", &who, 7, None);
        assert_eq!(
            cache.get(Kind::ApiToken, "h", 7).map(|c| c.user.id),
            Some(who.user.id)
        );
        assert!(
            cache.get(Kind::Session, "h", 7).is_none(),
            "kinds are apart"
        );
        assert!(cache.get(Kind::ApiToken, "h", 8).is_none());
        // Dropped, not only hidden: the old generation does not bring it back.
        assert!(cache.get(Kind::ApiToken, "h", 7).is_none());
    }

    #[test]
    fn an_entry_ends_with_its_time_to_live_or_its_credential() {
        let cache = SignInCache::new(Duration::from_millis(400));
        let who = someone();
        cache.put(Kind::Session, "a", &who, 0, None);
        let soon = Timestamp::now() + jiff::SignedDuration::from_millis(50);
        cache.put(Kind::Session, "b", &who, 0, Some(soon));
        let past = Timestamp::now() - jiff::SignedDuration::from_secs(1);
        cache.put(Kind::Session, "c", &who, 0, Some(past));
        assert!(cache.get(Kind::Session, "a", 0).is_some());
        assert!(
            cache.get(Kind::Session, "c", 0).is_none(),
            "already expired"
        );
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            cache.get(Kind::Session, "b", 0).is_none(),
            "credential expired"
        );
        assert!(cache.get(Kind::Session, "a", 0).is_some());
        std::thread::sleep(Duration::from_millis(350));
        assert!(
            cache.get(Kind::Session, "a", 0).is_none(),
            "time to live over"
        );
    }

    #[test]
    fn a_zero_time_to_live_keeps_nothing_and_a_full_cache_starts_afresh() {
        let off = SignInCache::new(Duration::ZERO);
        off.put(Kind::ApiToken, "h", &someone(), 0, None);
        assert!(off.get(Kind::ApiToken, "h", 0).is_none());

        let cache = SignInCache::new(Duration::from_secs(60));
        for i in 0..=CAPACITY {
            cache.put(Kind::ApiToken, &i.to_string(), &someone(), 0, None);
        }
        assert!(cache.lock().len() <= CAPACITY);
        assert!(
            cache
                .get(Kind::ApiToken, &CAPACITY.to_string(), 0)
                .is_some()
        );
    }
}
