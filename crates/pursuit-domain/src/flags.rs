//! Feature flags: a feature is on unless the configuration says otherwise, and can be
//! turned on gradually — for listed users, then for a share of all users chosen by a
//! stable hash of their id (the same users stay in as the share grows).

use std::collections::BTreeMap;

use crate::ids::UserId;

/// The flags the product reads, besides `ai.providers.<name>` for each configured provider.
pub const KNOWN: &[&str] = &[
    "ai.remote",
    "ai.parse_resume",
    "ai.parse_job_description",
    "ai.pain_point_map",
    "ai.spam_check",
    "ai.job_summary",
    "ai.search_terms",
    "ai.cover_letter",
    "ai.refine_document",
    "ai.tailor_cv",
    "ai.offer",
    "ai.sequence",
    "ai.company_research",
    "ai.chat",
    "ai.classify_reply",
    "ai.check_claims",
    "ai.user_providers",
];

/// One feature's rollout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rollout {
    /// Off for everybody not listed in `users` when false.
    pub enabled: bool,
    /// When enabled: the share of users (0–100) it is on for.
    pub percent: u8,
    /// Email addresses it is always on for (case does not matter).
    pub users: Vec<String>,
}

impl Default for Rollout {
    fn default() -> Rollout {
        Rollout {
            enabled: true,
            percent: 100,
            users: Vec::new(),
        }
    }
}

/// Every configured rollout by feature name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flags(pub BTreeMap<String, Rollout>);

/// FNV-1a over the bytes: stable across builds and platforms, unlike `std`'s hasher.
fn fnv(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in *part {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

impl Flags {
    /// Whether `feature` is on for this user.
    pub fn enabled(&self, feature: &str, user: UserId, email: &str) -> bool {
        let Some(rollout) = self.0.get(feature) else {
            return true;
        };
        if rollout.users.iter().any(|u| u.eq_ignore_ascii_case(email)) {
            return true;
        }
        if !rollout.enabled {
            return false;
        }
        let bucket = fnv(&[feature.as_bytes(), user.0.as_bytes()]) % 100;
        bucket < u64::from(rollout.percent.min(100))
    }

    /// Names that are neither known features nor `ai.providers.<a configured provider>`,
    /// and shares above 100: each a message naming the key.
    pub fn problems(&self, providers: &[&str]) -> Vec<String> {
        let mut problems = Vec::new();
        for (name, rollout) in &self.0 {
            let provider = name
                .strip_prefix("ai.providers.")
                .is_some_and(|p| providers.contains(&p));
            if !KNOWN.contains(&name.as_str()) && !provider {
                problems.push(format!(
                    "features.{name:?}: not a feature (known: {}, ai.providers.<name>)",
                    KNOWN.join(", ")
                ));
            }
            if rollout.percent > 100 {
                problems.push(format!("features.{name:?}.percent: at most 100"));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(rollout: Rollout) -> Flags {
        Flags([("ai.remote".to_owned(), rollout)].into_iter().collect())
    }

    #[test]
    fn unconfigured_features_are_on_and_listed_users_always_in() {
        let user = UserId::new();
        assert!(Flags::default().enabled("ai.remote", user, "a@example.org"));
        let off = flags(Rollout {
            enabled: false,
            percent: 100,
            users: vec!["Beta@Example.org".to_owned()],
        });
        assert!(!off.enabled("ai.remote", user, "a@example.org"));
        assert!(off.enabled("ai.remote", user, "beta@example.org"));
    }

    #[test]
    fn a_share_picks_about_that_many_users_and_keeps_them_as_it_grows() {
        let users: Vec<UserId> = (0..2000).map(|_| UserId::new()).collect();
        let on = |percent: u8| -> Vec<bool> {
            let f = flags(Rollout {
                enabled: true,
                percent,
                users: Vec::new(),
            });
            users
                .iter()
                .map(|u| f.enabled("ai.remote", *u, "x@example.org"))
                .collect()
        };
        let (ten, thirty) = (on(10), on(30));
        let count = |v: &[bool]| v.iter().filter(|b| **b).count();
        assert!((120..=280).contains(&count(&ten)), "{}", count(&ten));
        assert!((480..=720).contains(&count(&thirty)), "{}", count(&thirty));
        assert!(
            ten.iter().zip(&thirty).all(|(a, b)| !a || *b),
            "a user in at 10% is in at 30%"
        );
        assert_eq!(count(&on(0)), 0);
        assert_eq!(count(&on(100)), 2000);
    }

    #[test]
    fn unknown_names_and_shares_are_named() {
        let f = Flags(
            [
                ("ai.nope".to_owned(), Rollout::default()),
                ("ai.providers.ollama".to_owned(), Rollout::default()),
                (
                    "ai.spam_check".to_owned(),
                    Rollout {
                        percent: 150,
                        ..Rollout::default()
                    },
                ),
            ]
            .into_iter()
            .collect(),
        );
        let problems = f.problems(&["ollama"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("\"ai.nope\""));
        assert!(problems[1].contains("percent"));
    }
}
