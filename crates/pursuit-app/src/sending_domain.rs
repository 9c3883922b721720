//! What a mailbox's sending domain publishes, and what to fix: SPF (one record, naming the
//! SMTP service, not `+all`), DKIM (a key at the service's or the usual selectors), DMARC (a
//! policy) and MX (replies can arrive). Read live from DNS on request; nothing is stored.

use pursuit_domain::ids::{MailboxId, UserId};
use pursuit_mail::dns::{DnsError, Resolver};
use pursuit_store::Db;

use crate::error::AppError;

/// One check's outcome.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// `spf`, `dkim`, `dmarc` or `mx`.
    pub name: &'static str,
    /// `ok`, `warn` (works, could be better), `missing` or `failed` (DNS did not answer).
    pub status: &'static str,
    /// What was found (the record, or where).
    pub found: Option<String>,
    /// What to do, in words.
    pub fix: Option<String>,
}

/// A sending domain's checks.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DomainReport {
    pub domain: String,
    pub checks: Vec<Check>,
}

/// What an SMTP service asks to be named in SPF and where it usually puts its DKIM key,
/// by the end of its host name.
const SERVICES: &[(&str, &str, &[&str])] = &[
    ("gmail.com", "_spf.google.com", &["google"]),
    ("google.com", "_spf.google.com", &["google"]),
    (
        "office365.com",
        "spf.protection.outlook.com",
        &["selector1", "selector2"],
    ),
    (
        "outlook.com",
        "spf.protection.outlook.com",
        &["selector1", "selector2"],
    ),
    ("sendgrid.net", "sendgrid.net", &["s1", "s2"]),
    ("mailgun.org", "mailgun.org", &["mx", "k1", "smtp"]),
    ("postmarkapp.com", "spf.mtasv.net", &[]),
    ("amazonaws.com", "amazonses.com", &[]),
    ("resend.com", "amazonses.com", &["resend"]),
    (
        "fastmail.com",
        "spf.messagingengine.com",
        &["fm1", "fm2", "fm3"],
    ),
    ("zoho.com", "zoho.com", &["zmail", "zoho"]),
    ("zoho.eu", "zoho.eu", &["zmail", "zoho"]),
];

/// Selectors tried for DKIM besides the service's.
const USUAL_SELECTORS: &[&str] = &[
    "default",
    "mail",
    "dkim",
    "k1",
    "s1",
    "s2",
    "selector1",
    "selector2",
    "google",
];

fn service_of(smtp_host: &str) -> Option<(&'static str, &'static [&'static str])> {
    let host = smtp_host.to_ascii_lowercase();
    SERVICES
        .iter()
        .find(|(end, _, _)| host == *end || host.ends_with(&format!(".{end}")))
        .map(|(_, include, selectors)| (*include, *selectors))
}

fn check(
    name: &'static str,
    status: &'static str,
    found: Option<String>,
    fix: Option<String>,
) -> Check {
    Check {
        name,
        status,
        found,
        fix,
    }
}

/// What SPF records at the domain say, for a mailbox sending through `smtp_host`.
pub fn spf(domain: &str, smtp_host: &str, records: &[String]) -> Check {
    let include = service_of(smtp_host).map(|(include, _)| include);
    let suggestion = format!(
        "v=spf1 {}~all",
        include.map(|i| format!("include:{i} ")).unwrap_or_default()
    );
    let spf: Vec<&String> = records
        .iter()
        .filter(|r| r.trim_start().to_ascii_lowercase().starts_with("v=spf1"))
        .collect();
    match spf.as_slice() {
        [] => check(
            "spf",
            "missing",
            None,
            Some(format!(
                "add a TXT record at {domain}: {suggestion} (receivers then know which servers may send as {domain})"
            )),
        ),
        [one] => {
            let terms: Vec<String> = one
                .split_whitespace()
                .map(str::to_ascii_lowercase)
                .collect();
            if terms.iter().any(|t| t == "+all" || t == "all") {
                check(
                    "spf",
                    "warn",
                    Some((*one).clone()),
                    Some(
                        "it ends with +all, which lets any server send as you: use ~all or -all"
                            .to_owned(),
                    ),
                )
            } else if let Some(include) = include
                && !terms.iter().any(|t| t == &format!("include:{include}"))
                && !terms.iter().any(|t| t.starts_with("redirect="))
            {
                check(
                    "spf",
                    "warn",
                    Some((*one).clone()),
                    Some(format!(
                        "it does not name include:{include}, which your SMTP server {smtp_host} needs: add it before the all term"
                    )),
                )
            } else if !terms
                .iter()
                .any(|t| t.ends_with("all") || t.starts_with("redirect="))
            {
                check(
                    "spf",
                    "warn",
                    Some((*one).clone()),
                    Some("it has no all term: end it with ~all or -all".to_owned()),
                )
            } else {
                check("spf", "ok", Some((*one).clone()), None)
            }
        }
        _ => check(
            "spf",
            "warn",
            Some(
                spf.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" | "),
            ),
            Some(format!(
                "{domain} has {} SPF records; receivers treat more than one as an error (RFC 7208): merge them into one",
                spf.len()
            )),
        ),
    }
}

/// What the DMARC record at `_dmarc.<domain>` says.
pub fn dmarc(domain: &str, records: &[String]) -> Check {
    let Some(record) = records
        .iter()
        .find(|r| r.trim_start().to_ascii_uppercase().starts_with("V=DMARC1"))
    else {
        return check(
            "dmarc",
            "missing",
            None,
            Some(format!(
                "add a TXT record at _dmarc.{domain}: v=DMARC1; p=none; rua=mailto:dmarc@{domain} (start with p=none, then quarantine once reports look right); large mailbox providers expect one from senders"
            )),
        );
    };
    let policy = record
        .split(';')
        .filter_map(|t| t.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("p"))
        .map(|(_, v)| v.trim().to_ascii_lowercase());
    match policy.as_deref() {
        Some("quarantine" | "reject") => check("dmarc", "ok", Some(record.clone()), None),
        Some("none") => check(
            "dmarc",
            "ok",
            Some(record.clone()),
            Some(
                "p=none only watches; move to p=quarantine once the reports show your mail passes"
                    .to_owned(),
            ),
        ),
        _ => check(
            "dmarc",
            "warn",
            Some(record.clone()),
            Some("the record has no valid p= policy (none, quarantine or reject)".to_owned()),
        ),
    }
}

fn failed(name: &'static str, e: &DnsError) -> Check {
    check(
        name,
        "failed",
        None,
        Some(format!("could not be read: {e}")),
    )
}

/// Checks the sending domain of mailbox `id`.
pub async fn check_mailbox(
    db: &Db,
    user: UserId,
    id: MailboxId,
    resolver: &Resolver,
) -> Result<DomainReport, AppError> {
    let row = pursuit_store::outreach::get_mailbox(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let domain = row
        .settings
        .from_address
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let smtp_host = row.settings.smtp_host.clone();
    let mut checks = Vec::new();
    // SPF first: when the resolver does not answer, nothing else is asked.
    match resolver.txt(&domain).await {
        Ok(records) => checks.push(spf(&domain, &smtp_host, &records)),
        Err(e) => {
            for name in ["spf", "dkim", "dmarc", "mx"] {
                checks.push(failed(name, &e));
            }
            return Ok(DomainReport { domain, checks });
        }
    }
    let mut selectors: Vec<&str> = service_of(&smtp_host)
        .map(|(_, s)| s.to_vec())
        .unwrap_or_default();
    for s in USUAL_SELECTORS {
        if !selectors.contains(s) {
            selectors.push(s);
        }
    }
    let mut dkim = None;
    for selector in &selectors {
        let name = format!("{selector}._domainkey.{domain}");
        match resolver.txt(&name).await {
            Ok(records) if records.iter().any(|r| r.contains("p=")) => {
                dkim = Some(check("dkim", "ok", Some(name), None));
                break;
            }
            Ok(_) => {}
            Err(e) => {
                dkim = Some(failed("dkim", &e));
                break;
            }
        }
    }
    checks.push(dkim.unwrap_or_else(|| {
        check(
            "dkim",
            "missing",
            None,
            Some(format!(
                "no DKIM key at the usual selectors ({}._domainkey.{domain}); your mail service gives the record to publish, and signed mail is far less likely to land in spam",
                selectors.join(", ")
            )),
        )
    }));
    checks.push(match resolver.txt(&format!("_dmarc.{domain}")).await {
        Ok(records) => dmarc(&domain, &records),
        Err(e) => failed("dmarc", &e),
    });
    checks.push(match resolver.mx(&domain).await {
        Ok(hosts) if !hosts.is_empty() => check(
            "mx",
            "ok",
            Some(
                hosts
                    .iter()
                    .map(|(p, h)| format!("{p} {h}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            None,
        ),
        Ok(_) => check(
            "mx",
            "missing",
            None,
            Some(format!(
                "{domain} has no MX record: replies to your outreach cannot arrive, and some receivers refuse mail from a domain that cannot receive"
            )),
        ),
        Err(e) => failed("mx", &e),
    });
    Ok(DomainReport { domain, checks })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn spf_says_what_to_fix() {
        assert_eq!(
            spf(
                "a.org",
                "smtp.gmail.com",
                &s(&["google-site-verification=x"])
            )
            .status,
            "missing"
        );
        assert!(
            spf("a.org", "smtp.gmail.com", &[])
                .fix
                .unwrap()
                .contains("include:_spf.google.com")
        );
        assert_eq!(
            spf(
                "a.org",
                "smtp.gmail.com",
                &s(&["v=spf1 include:_spf.google.com ~all"])
            )
            .status,
            "ok"
        );
        let missing = spf(
            "a.org",
            "smtp.sendgrid.net",
            &s(&["v=spf1 include:_spf.google.com ~all"]),
        );
        assert_eq!(missing.status, "warn");
        assert!(missing.fix.unwrap().contains("include:sendgrid.net"));
        assert_eq!(
            spf("a.org", "mail.a.org", &s(&["v=spf1 mx +all"])).status,
            "warn"
        );
        assert_eq!(
            spf("a.org", "mail.a.org", &s(&["v=spf1 mx"])).status,
            "warn"
        );
        assert_eq!(
            spf("a.org", "mail.a.org", &s(&["v=spf1 mx -all"])).status,
            "ok"
        );
        assert_eq!(
            spf("a.org", "mail.a.org", &s(&["v=spf1 redirect=_spf.a.org"])).status,
            "ok"
        );
        let two = spf(
            "a.org",
            "mail.a.org",
            &s(&["v=spf1 mx -all", "v=spf1 a -all"]),
        );
        assert!(two.fix.unwrap().contains("merge"));
        // The host's end must be a whole label: "notgmail.com" is not Gmail.
        assert_eq!(
            spf("a.org", "smtp.notgmail.com", &s(&["v=spf1 mx ~all"])).status,
            "ok"
        );
    }

    #[test]
    fn dmarc_reads_the_policy() {
        assert_eq!(dmarc("a.org", &[]).status, "missing");
        assert_eq!(dmarc("a.org", &s(&["v=DMARC1; p=reject"])).status, "ok");
        let watching = dmarc("a.org", &s(&["v=DMARC1;p=none;rua=mailto:x@a.org"]));
        assert_eq!(watching.status, "ok");
        assert!(watching.fix.is_some());
        assert_eq!(
            dmarc("a.org", &s(&["v=DMARC1; rua=mailto:x@a.org"])).status,
            "warn"
        );
    }
}
