//! Identity values of a user account.

use std::fmt;

use crate::Invalid;

/// An email address as the user typed it (trimmed), checked for a plausible shape.
/// Addresses are unique case-insensitively: compare and look up by [`EmailAddress::normalized`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<EmailAddress, Invalid> {
        let email = input.trim();
        if email.is_empty() {
            return Err(Invalid::new("must not be empty"));
        }
        if email.len() > 254 {
            return Err(Invalid::new("must be at most 254 characters"));
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err(Invalid::new("must contain @"));
        };
        if local.is_empty() || local.len() > 64 {
            return Err(Invalid::new("the part before @ must be 1 to 64 characters"));
        }
        const FORBIDDEN: &[char] = &['<', '>', '(', ')', '[', ']', ',', ';', ':', '\\', '"', '@'];
        if local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(&c))
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
        {
            return Err(Invalid::new(
                "the part before @ is not a valid mailbox name",
            ));
        }
        if domain.is_empty() || domain.len() > 253 {
            return Err(Invalid::new("the domain after @ must not be empty"));
        }
        for label in domain.split('.') {
            let valid = !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-');
            if !valid {
                return Err(Invalid::new("the domain after @ is not a valid host name"));
            }
        }
        Ok(EmailAddress(email.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used for uniqueness and look-ups.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Email addresses are personal data: `Debug` shows only the domain.
impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.rsplit_once('@').map_or("", |(_, d)| d);
        write!(f, "EmailAddress(…@{domain})")
    }
}

/// The address of the embedded owner account before its owner sets one: not deliverable, so
/// mail to it is not attempted.
pub const OWNER_PLACEHOLDER_EMAIL: &str = "owner@localhost";

/// An IANA time zone name that this build knows (`Europe/Berlin`, `America/Sao_Paulo`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub fn parse(input: &str) -> Result<TimeZoneName, Invalid> {
        let name = input.trim();
        if name.is_empty() {
            return Err(Invalid::new("must not be empty"));
        }
        match jiff::tz::TimeZone::get(name) {
            Ok(zone) => Ok(TimeZoneName(zone.iana_name().unwrap_or(name).to_owned())),
            Err(_) => Err(Invalid::new(format!(
                "{name} is not a known IANA time zone"
            ))),
        }
    }

    pub fn utc() -> TimeZoneName {
        TimeZoneName("UTC".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.0).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the user wants to be called: 1 to 100 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<DisplayName, Invalid> {
        let name = input.trim();
        if name.is_empty() {
            return Err(Invalid::new("must not be empty"));
        }
        if name.chars().count() > 100 {
            return Err(Invalid::new("must be at most 100 characters"));
        }
        if name.chars().any(char::is_control) {
            return Err(Invalid::new("must not contain control characters"));
        }
        Ok(DisplayName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_addresses_parse_and_normalize_case_insensitively() {
        let email = EmailAddress::parse("  Ada.Lovelace+jobs@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "Ada.Lovelace+jobs@Example.ORG");
        assert_eq!(email.normalized(), "ada.lovelace+jobs@example.org");
        assert!(EmailAddress::parse("owner@localhost").is_ok());
        assert!(EmailAddress::parse("né@exämple.de").is_ok());
    }

    #[test]
    fn implausible_addresses_are_refused_with_a_reason() {
        for bad in [
            "",
            "plain",
            "@example.org",
            "a@",
            "a b@example.org",
            "a@exa mple.org",
            "a@-example.org",
            "a..b@example.org",
            ".a@example.org",
            "a@example..org",
            "<a>@example.org",
            "a@b@c",
        ] {
            assert!(
                EmailAddress::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
        let long = format!("{}@example.org", "a".repeat(65));
        assert!(EmailAddress::parse(&long).is_err());
    }

    #[test]
    fn debug_output_hides_the_mailbox() {
        let email = EmailAddress::parse("secret.person@example.org").unwrap();
        assert_eq!(format!("{email:?}"), "EmailAddress(…@example.org)");
    }

    #[test]
    fn known_time_zones_parse_and_invented_ones_do_not() {
        assert_eq!(
            TimeZoneName::parse("Europe/Berlin").unwrap().as_str(),
            "Europe/Berlin"
        );
        assert_eq!(TimeZoneName::parse("UTC").unwrap().as_str(), "UTC");
        assert!(TimeZoneName::parse("Asia/Riyadh").is_ok());
        let error = TimeZoneName::parse("Mars/Olympus").unwrap_err();
        assert!(error.0.contains("Mars/Olympus"));
        assert!(TimeZoneName::parse("").is_err());
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Ada ").unwrap().as_str(), "Ada");
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(101)).is_err());
        assert!(DisplayName::parse("a\u{0007}b").is_err());
    }
}
