//! The user's own mailboxes outreach is sent from (SMTP), with their sending limits.
//!
//! The password is sealed under the instance's key and bound to the mailbox's id
//! (`mailbox:<id>`), so a sealed value copied to another row does not open. A new mailbox's
//! login is tried before it is kept (unless asked not to): a refused login is a 422 naming
//! `smtp_password`, a server that cannot be reached one naming `smtp_host`.
//!
//! Replies are read from the mailbox's IMAP server when it names one (`imap_host`; the
//! login defaults to the SMTP one, its own password sealed bound to `mailbox-imap:<id>`);
//! that login is tried before it is kept too, a refusal naming `imap_password` or
//! `imap_host`.
//!
//! Limits, enforced by the sender in the database across every worker: at most
//! `daily_cap` sends a local day (the user's zone), ramping up for a new mailbox from
//! `ramp_start` a day by `ramp_step` a day from its first send; at least `min_gap_seconds`
//! between two sends, plus a random `0..=jitter_seconds`.

use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Date;
use pursuit_domain::ids::{MailboxId, UserId};
use pursuit_mail::events::Provider;
use pursuit_mail::imap::ImapSettings;
use pursuit_mail::outreach::AddressPolicy;
use pursuit_mail::{SmtpSecurity, SmtpSettings};
use pursuit_store::Db;
use pursuit_store::outreach::{self as store, MailboxRow, MailboxSettings};

use crate::error::{AppError, Invalid};
use crate::secrets::SecretBox;

/// How long a check of a mailbox in a request may take.
pub const VERIFY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one send may take.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// After this many refused logins in a row a mailbox pauses itself.
pub const AUTH_FAILURES_TO_PAUSE: i64 = 3;
pub const MAX_MAILBOXES: usize = 20;

/// Defaults for a new mailbox: a cautious start a person's own mailbox can keep.
pub const DEFAULT_DAILY_CAP: i64 = 40;
pub const DEFAULT_MIN_GAP_SECONDS: i64 = 180;
pub const DEFAULT_JITTER_SECONDS: i64 = 120;
pub const DEFAULT_RAMP_START: i64 = 10;
pub const DEFAULT_RAMP_STEP: i64 = 5;

/// A mailbox's fields as given: on a change `None` keeps a field; `smtp_password`
/// `Some(None)` (or an empty text) removes it.
#[derive(Clone, Debug, Default)]
pub struct MailboxInput {
    pub from_name: Option<String>,
    pub from_address: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<i64>,
    pub smtp_security: Option<String>,
    pub smtp_username: Option<Option<String>>,
    pub smtp_password: Option<Option<String>>,
    pub daily_cap: Option<i64>,
    pub min_gap_seconds: Option<i64>,
    pub jitter_seconds: Option<i64>,
    pub ramp_start: Option<i64>,
    pub ramp_step: Option<i64>,
    /// `Some(None)` (or an empty text) stops reading replies.
    pub imap_host: Option<Option<String>>,
    pub imap_port: Option<i64>,
    pub imap_security: Option<String>,
    /// `Some(None)`: the SMTP login's.
    pub imap_username: Option<Option<String>>,
    /// `Some(None)`: the SMTP password.
    pub imap_password: Option<Option<String>>,
    /// The sending service whose webhook reports this mailbox's events; `Some(None)` (or
    /// an empty text) stops taking them.
    pub events_provider: Option<Option<String>>,
    /// What proves the provider's requests ([`Provider::key_name`]); required with a new
    /// provider.
    pub events_key: Option<Option<String>>,
}

/// A mailbox as shown: never its password, only whether it has one.
#[derive(Clone, Debug)]
pub struct Mailbox {
    pub row: MailboxRow,
    pub has_password: bool,
    /// Whether its IMAP login has a password of its own (else the SMTP one is used).
    pub has_imap_password: bool,
    /// Whether a provider's events are taken (a provider and its key).
    pub has_events_key: bool,
    /// How many it may send today (its ramp and cap), and has.
    pub cap_today: i64,
    pub sent_today: i64,
}

fn bound_to(id: MailboxId) -> String {
    format!("mailbox:{}", id.0)
}

fn imap_bound_to(id: MailboxId) -> String {
    format!("mailbox-imap:{}", id.0)
}

fn events_bound_to(id: MailboxId) -> String {
    format!("mailbox-events:{}", id.0)
}

/// The provider a mailbox takes events from and its key, opened; `None` when it takes
/// none.
pub fn events_key(
    secrets: &SecretBox,
    row: &MailboxRow,
) -> Result<Option<(Provider, String)>, String> {
    let (Some(provider), Some(sealed)) = (&row.settings.events_provider, &row.settings.events_key)
    else {
        return Ok(None);
    };
    let provider = Provider::parse(provider).ok_or("an unknown provider is stored")?;
    let key = secrets
        .open(sealed, &events_bound_to(row.id))
        .map_err(|e| format!("the mailbox's provider key {e}"))?;
    Ok(Some((provider, key)))
}

/// Applies the provider fields given (over `settings`), sealing a new key for `id`.
fn provider_settings(
    input: &MailboxInput,
    settings: &mut MailboxSettings,
    id: MailboxId,
    secrets: &SecretBox,
    invalid: &mut Vec<Invalid>,
) {
    let before = settings.events_provider.clone();
    match &input.events_provider {
        Some(Some(p)) if !p.trim().is_empty() => match Provider::parse(p.trim()) {
            Some(provider) => settings.events_provider = Some(provider.as_str().to_owned()),
            None => {
                invalid.push(Invalid::new(
                    "events_provider",
                    format!(
                        "must be one of {}",
                        Provider::ALL.map(Provider::as_str).join(", ")
                    ),
                ));
                return;
            }
        },
        Some(_) => {
            settings.events_provider = None;
            settings.events_key = None;
            return;
        }
        None => {}
    }
    let Some(provider) = settings
        .events_provider
        .as_deref()
        .and_then(Provider::parse)
    else {
        if matches!(&input.events_key, Some(Some(k)) if !k.trim().is_empty()) {
            invalid.push(Invalid::new(
                "events_key",
                "needs events_provider: the service the key is from",
            ));
        }
        return;
    };
    match &input.events_key {
        Some(Some(key)) if !key.trim().is_empty() => {
            if key.contains('\0') || key.len() > 4_000 {
                invalid.push(Invalid::new(
                    "events_key",
                    "must be text of at most 4,000 bytes",
                ));
            } else if let Err(why) = provider.check_key(key) {
                invalid.push(Invalid::new("events_key", why));
            } else {
                settings.events_key = Some(secrets.seal(key.trim(), &events_bound_to(id)));
            }
        }
        Some(_) => invalid.push(Invalid::new(
            "events_key",
            format!("is required with a provider: {}", provider.key_name()),
        )),
        None if before.as_deref() != Some(provider.as_str()) || settings.events_key.is_none() => {
            invalid.push(Invalid::new(
                "events_key",
                format!(
                    "is required for {}: {}",
                    provider.as_str(),
                    provider.key_name()
                ),
            ));
        }
        None => {}
    }
}

/// The most sends on `day`: the ramp from the first send's day, never over the cap.
pub fn cap_on(row: &MailboxRow, day: Date) -> i64 {
    let s = &row.settings;
    let days = match row.first_send_on {
        Some(first) => (day - first).get_days().max(0) as i64,
        None => 0,
    };
    s.ramp_start
        .saturating_add(s.ramp_step.saturating_mul(days))
        .min(s.daily_cap)
        .max(1)
}

fn show(row: MailboxRow, today: Date) -> Mailbox {
    let sent_today = if row.cap_day == Some(today) {
        row.sent_on_day
    } else {
        0
    };
    Mailbox {
        has_password: row.settings.smtp_password.is_some(),
        has_imap_password: row.settings.imap_password.is_some(),
        has_events_key: row.settings.events_key.is_some(),
        cap_today: cap_on(&row, today),
        sent_today,
        row,
    }
}

fn security(text: &str) -> Option<SmtpSecurity> {
    match text {
        "starttls" => Some(SmtpSecurity::StartTls),
        "tls" => Some(SmtpSecurity::Tls),
        "none" => Some(SmtpSecurity::None),
        _ => None,
    }
}

/// The SMTP settings of a mailbox, its password opened.
pub fn smtp_settings(
    secrets: &SecretBox,
    row: &MailboxRow,
    timeout: Duration,
) -> Result<SmtpSettings, String> {
    open_settings(secrets, row.id, &row.settings, timeout)
}

/// SMTP settings from a mailbox's settings (stored or about to be), the password sealed
/// for `id` opened.
fn open_settings(
    secrets: &SecretBox,
    id: MailboxId,
    s: &MailboxSettings,
    timeout: Duration,
) -> Result<SmtpSettings, String> {
    let password = match &s.smtp_password {
        Some(sealed) => Some(
            secrets
                .open(sealed, &bound_to(id))
                .map_err(|e| format!("the mailbox's password {e}"))?,
        ),
        None => None,
    };
    Ok(SmtpSettings {
        host: s.smtp_host.clone(),
        port: u16::try_from(s.smtp_port).unwrap_or(587),
        security: security(&s.smtp_security).unwrap_or(SmtpSecurity::StartTls),
        username: s.smtp_username.clone(),
        password,
        timeout,
    })
}

fn number(
    field: &str,
    value: Option<i64>,
    current: i64,
    range: std::ops::RangeInclusive<i64>,
    why: &str,
    invalid: &mut Vec<Invalid>,
) -> i64 {
    let value = value.unwrap_or(current);
    if !range.contains(&value) {
        invalid.push(Invalid::new(
            field,
            format!("must be from {} to {} ({why})", range.start(), range.end()),
        ));
    }
    value
}

/// Checks the fields given over `current` (a new mailbox's defaults); the password is
/// left as stored (the caller seals a new one).
fn check(
    input: &MailboxInput,
    current: &MailboxSettings,
    invalid: &mut Vec<Invalid>,
) -> MailboxSettings {
    let mut s = current.clone();
    if let Some(name) = &input.from_name {
        s.from_name = crate::profile::header_line("from_name", name, 100, invalid);
        if s.from_name.is_empty() {
            invalid.push(Invalid::new(
                "from_name",
                "is required: the name recipients see",
            ));
        }
    }
    if let Some(address) = &input.from_address {
        match pursuit_domain::account::EmailAddress::parse(address.trim()) {
            Ok(_) if address.contains(['\u{2028}', '\u{2029}', '\r', '\n']) => {
                invalid.push(Invalid::new("from_address", "must be one line"));
            }
            Ok(parsed) => s.from_address = parsed.as_str().to_owned(),
            Err(e) => invalid.push(Invalid::new("from_address", e.0)),
        }
    }
    if let Some(host) = &input.smtp_host
        && let Some(host) = host_name("smtp_host", host, "smtp.example.org", invalid)
    {
        s.smtp_host = host;
    }
    match &input.imap_host {
        Some(Some(host)) if !host.trim().is_empty() => {
            s.imap_host = host_name("imap_host", host, "imap.example.org", invalid);
        }
        Some(_) => s.imap_host = None,
        None => {}
    }
    s.imap_port = number(
        "imap_port",
        input.imap_port,
        current.imap_port,
        1..=65_535,
        "993 for TLS, 143 for STARTTLS",
        invalid,
    );
    if let Some(mode) = &input.imap_security {
        let mode = mode.trim().to_ascii_lowercase();
        if security(&mode).is_some() {
            s.imap_security = mode;
        } else {
            invalid.push(Invalid::new(
                "imap_security",
                "must be tls (port 993), starttls (port 143) or none",
            ));
        }
    }
    if let Some(user) = &input.imap_username {
        s.imap_username = user.as_deref().and_then(|u| {
            crate::profile::some(crate::profile::header_line(
                "imap_username",
                u,
                320,
                invalid,
            ))
        });
    }
    s.smtp_port = number(
        "smtp_port",
        input.smtp_port,
        current.smtp_port,
        1..=65_535,
        "587 for STARTTLS, 465 for TLS",
        invalid,
    );
    if let Some(mode) = &input.smtp_security {
        let mode = mode.trim().to_ascii_lowercase();
        if security(&mode).is_some() {
            s.smtp_security = mode;
        } else {
            invalid.push(Invalid::new(
                "smtp_security",
                "must be starttls (port 587), tls (port 465) or none",
            ));
        }
    }
    if let Some(user) = &input.smtp_username {
        s.smtp_username = user.as_deref().and_then(|u| {
            crate::profile::some(crate::profile::header_line(
                "smtp_username",
                u,
                320,
                invalid,
            ))
        });
    }
    s.daily_cap = number(
        "daily_cap",
        input.daily_cap,
        current.daily_cap,
        1..=500,
        "sends a day",
        invalid,
    );
    s.min_gap_seconds = number(
        "min_gap_seconds",
        input.min_gap_seconds,
        current.min_gap_seconds,
        60..=86_400,
        "seconds between two sends; a mailbox sending faster looks like a bulk sender",
        invalid,
    );
    s.jitter_seconds = number(
        "jitter_seconds",
        input.jitter_seconds,
        current.jitter_seconds,
        0..=3_600,
        "random seconds added to each gap",
        invalid,
    );
    s.ramp_start = number(
        "ramp_start",
        input.ramp_start,
        current.ramp_start,
        1..=500,
        "sends on the first day",
        invalid,
    );
    s.ramp_step = number(
        "ramp_step",
        input.ramp_step,
        current.ramp_step,
        0..=500,
        "sends added each day until the daily cap",
        invalid,
    );
    s
}

/// A server's name as typed: a host name or an IP address (brackets around IPv6 dropped).
fn host_name(field: &str, text: &str, example: &str, invalid: &mut Vec<Invalid>) -> Option<String> {
    let host = text.trim().trim_end_matches('.').to_ascii_lowercase();
    let fine = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if fine {
        Some(
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
        )
    } else {
        invalid.push(Invalid::new(
            field,
            format!("must be a host name or an IP address (e.g. {example})"),
        ));
        None
    }
}

fn new_settings() -> MailboxSettings {
    MailboxSettings {
        from_name: String::new(),
        from_address: String::new(),
        smtp_host: String::new(),
        smtp_port: 587,
        smtp_security: "starttls".to_owned(),
        smtp_username: None,
        smtp_password: None,
        daily_cap: DEFAULT_DAILY_CAP,
        min_gap_seconds: DEFAULT_MIN_GAP_SECONDS,
        jitter_seconds: DEFAULT_JITTER_SECONDS,
        ramp_start: DEFAULT_RAMP_START,
        ramp_step: DEFAULT_RAMP_STEP,
        imap_host: None,
        imap_port: 993,
        imap_security: "tls".to_owned(),
        imap_username: None,
        imap_password: None,
        events_provider: None,
        events_key: None,
    }
}

/// The IMAP settings of a mailbox (stored or about to be), its password opened: its own,
/// else the SMTP one; `None` when it names no IMAP server.
pub fn imap_settings(
    secrets: &SecretBox,
    id: MailboxId,
    s: &MailboxSettings,
    timeout: Duration,
) -> Result<Option<ImapSettings>, String> {
    let Some(host) = &s.imap_host else {
        return Ok(None);
    };
    let password = match (&s.imap_password, &s.smtp_password) {
        (Some(sealed), _) => secrets
            .open(sealed, &imap_bound_to(id))
            .map_err(|e| format!("the mailbox's IMAP password {e}"))?,
        (None, Some(sealed)) => secrets
            .open(sealed, &bound_to(id))
            .map_err(|e| format!("the mailbox's password {e}"))?,
        (None, None) => String::new(),
    };
    let username = s
        .imap_username
        .clone()
        .or_else(|| s.smtp_username.clone())
        .unwrap_or_else(|| s.from_address.clone());
    Ok(Some(ImapSettings {
        host: host.clone(),
        port: u16::try_from(s.imap_port).unwrap_or(993),
        security: security(&s.imap_security).unwrap_or(SmtpSecurity::Tls),
        username,
        password,
        timeout,
    }))
}

/// Tries the IMAP login of mailbox `id` (when it names a server); a refusal names the
/// field to fix.
async fn try_imap_login(
    secrets: &SecretBox,
    id: MailboxId,
    settings: &MailboxSettings,
    hosts: AddressPolicy,
) -> Result<(), AppError> {
    let imap = imap_settings(secrets, id, settings, VERIFY_TIMEOUT)
        .map_err(|e| AppError::Invalid(vec![Invalid::new("imap_password", e)]))?;
    let Some(imap) = imap else { return Ok(()) };
    match pursuit_mail::imap::verify(&imap, hosts).await {
        Ok(()) => Ok(()),
        Err(pursuit_mail::imap::ImapError::Login(why)) => {
            Err(AppError::Invalid(vec![Invalid::new("imap_password", why)]))
        }
        Err(
            pursuit_mail::imap::ImapError::Refused(why)
            | pursuit_mail::imap::ImapError::Failed(why),
        ) => Err(AppError::Invalid(vec![Invalid::new("imap_host", why)])),
    }
}

/// Tries the login of mailbox `id` with `settings`, its server at an address `hosts`
/// allows; a refusal names the field to fix.
async fn try_login(
    secrets: &SecretBox,
    id: MailboxId,
    settings: &MailboxSettings,
    hosts: AddressPolicy,
) -> Result<(), AppError> {
    let smtp = open_settings(secrets, id, settings, VERIFY_TIMEOUT)
        .map_err(|e| AppError::Invalid(vec![Invalid::new("smtp_password", e)]))?;
    match pursuit_mail::outreach::verify(&smtp, hosts).await {
        Ok(()) => Ok(()),
        Err(pursuit_mail::outreach::SendFailure::NotSent { reason, auth, .. }) => {
            let field = if auth { "smtp_password" } else { "smtp_host" };
            Err(AppError::Invalid(vec![Invalid::new(field, reason)]))
        }
        Err(
            pursuit_mail::outreach::SendFailure::Unknown { reason }
            | pursuit_mail::outreach::SendFailure::HostRefused { reason },
        ) => Err(AppError::Invalid(vec![Invalid::new("smtp_host", reason)])),
    }
}

async fn today(db: &Db, user: UserId, now: Timestamp) -> Result<Date, AppError> {
    let (zone, _) = pursuit_store::accounts::zone_and_settings(db, user).await?;
    let tz = jiff::tz::TimeZone::get(&zone).unwrap_or(jiff::tz::TimeZone::UTC);
    Ok(now.to_zoned(tz).date())
}

fn unique_address(error: pursuit_store::StoreError, address: &str) -> AppError {
    match error {
        pursuit_store::StoreError::UniqueViolation { .. } => AppError::Conflict(format!(
            "from_address: you already have a mailbox sending as {address}"
        )),
        other => other.into(),
    }
}

/// A new mailbox; its login is tried first when `verify` (its server at an address
/// `hosts` allows).
pub async fn create(
    db: &Db,
    secrets: &SecretBox,
    hosts: AddressPolicy,
    user: UserId,
    input: &MailboxInput,
    verify: bool,
    now: Timestamp,
) -> Result<Mailbox, AppError> {
    let mut invalid = Vec::new();
    for (field, given) in [
        ("from_name", input.from_name.is_some()),
        ("from_address", input.from_address.is_some()),
        ("smtp_host", input.smtp_host.is_some()),
    ] {
        if !given {
            invalid.push(Invalid::new(field, "is required"));
        }
    }
    let mut settings = check(input, &new_settings(), &mut invalid);
    if input.ramp_start.is_none() {
        settings.ramp_start = settings.ramp_start.min(settings.daily_cap);
    }
    let id = MailboxId::new();
    provider_settings(input, &mut settings, id, secrets, &mut invalid);
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    if store::list_mailboxes(db, user).await?.len() >= MAX_MAILBOXES {
        return Err(AppError::Conflict(format!(
            "you have {MAX_MAILBOXES} mailboxes, the most Pursuit keeps: delete one first"
        )));
    }
    let password = input
        .smtp_password
        .clone()
        .flatten()
        .filter(|p| !p.is_empty());
    settings.smtp_password = password.as_deref().map(|p| secrets.seal(p, &bound_to(id)));
    settings.imap_password = input
        .imap_password
        .clone()
        .flatten()
        .filter(|p| !p.is_empty())
        .map(|p| secrets.seal(&p, &imap_bound_to(id)));
    if verify {
        try_login(secrets, id, &settings, hosts).await?;
        try_imap_login(secrets, id, &settings, hosts).await?;
    }
    store::insert_mailbox(db, user, id, &settings, now)
        .await
        .map_err(|e| unique_address(e, &settings.from_address))?;
    get(db, user, id, now).await
}

pub async fn get(
    db: &Db,
    user: UserId,
    id: MailboxId,
    now: Timestamp,
) -> Result<Mailbox, AppError> {
    let row = store::get_mailbox(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(show(row, today(db, user, now).await?))
}

pub async fn list(db: &Db, user: UserId, now: Timestamp) -> Result<Vec<Mailbox>, AppError> {
    let day = today(db, user, now).await?;
    Ok(store::list_mailboxes(db, user)
        .await?
        .into_iter()
        .map(|row| show(row, day))
        .collect())
}

/// Changes a mailbox; a change of how it logs in is tried first when `verify`.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    db: &Db,
    secrets: &SecretBox,
    hosts: AddressPolicy,
    user: UserId,
    id: MailboxId,
    input: &MailboxInput,
    verify: bool,
    now: Timestamp,
) -> Result<Mailbox, AppError> {
    let current = store::get_mailbox(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut invalid = Vec::new();
    let mut settings = check(input, &current.settings, &mut invalid);
    provider_settings(input, &mut settings, id, secrets, &mut invalid);
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    match &input.smtp_password {
        Some(Some(p)) if !p.is_empty() => {
            settings.smtp_password = Some(secrets.seal(p, &bound_to(id)));
        }
        Some(_) => settings.smtp_password = None,
        None => {}
    }
    match &input.imap_password {
        Some(Some(p)) if !p.is_empty() => {
            settings.imap_password = Some(secrets.seal(p, &imap_bound_to(id)));
        }
        Some(_) => settings.imap_password = None,
        None => {}
    }
    let login_changed = input.smtp_host.is_some()
        || input.smtp_port.is_some()
        || input.smtp_security.is_some()
        || input.smtp_username.is_some()
        || input.smtp_password.is_some();
    let imap_changed = input.imap_host.is_some()
        || input.imap_port.is_some()
        || input.imap_security.is_some()
        || input.imap_username.is_some()
        || input.imap_password.is_some()
        || settings.imap_password.is_none() && input.smtp_password.is_some();
    if verify && login_changed {
        try_login(secrets, id, &settings, hosts).await?;
    }
    if verify && imap_changed {
        try_imap_login(secrets, id, &settings, hosts).await?;
    }
    if !store::update_mailbox(db, user, id, &settings, now)
        .await
        .map_err(|e| unique_address(e, &settings.from_address))?
    {
        return Err(AppError::NotFound);
    }
    get(db, user, id, now).await
}

/// Tries a stored mailbox's login now; a success clears its refusals.
pub async fn verify(
    db: &Db,
    secrets: &SecretBox,
    hosts: AddressPolicy,
    user: UserId,
    id: MailboxId,
) -> Result<(), AppError> {
    let row = store::get_mailbox(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    try_login(secrets, id, &row.settings, hosts).await?;
    try_imap_login(secrets, id, &row.settings, hosts).await?;
    store::clear_auth_failures(db, id).await?;
    Ok(())
}

/// The sends a mailbox's bounce rate is taken over.
pub const HEALTH_WINDOW: i64 = 50;
/// At this share of hard bounces in the window a mailbox pauses itself.
pub const BOUNCE_RATE_TO_PAUSE: f64 = 0.03;

/// Whether `bounced` hard bounces in the last [`HEALTH_WINDOW`] sends are too many (the
/// rate is over the whole window, so a young mailbox is not paused by its first bounce).
pub fn bounces_too_many(bounced: i64) -> bool {
    bounced as f64 / HEALTH_WINDOW as f64 >= BOUNCE_RATE_TO_PAUSE
}

/// One local day of a mailbox's sending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HealthDay {
    pub day: Date,
    pub sent: i64,
    pub bounced: i64,
    pub complaints: i64,
}

/// How a mailbox is doing.
#[derive(Clone, Debug, PartialEq)]
pub struct Health {
    /// `healthy`, `warming` (still ramping up) or `at_risk` (paused, a complaint in the
    /// last 30 days, or hard bounces at the pausing rate).
    pub status: &'static str,
    pub why: Option<String>,
    /// Over its last [`HEALTH_WINDOW`] sends.
    pub recent_sent: i64,
    pub recent_bounced: i64,
    pub bounce_rate: f64,
    pub complaints_30_days: i64,
    /// The last 30 local days with a send, oldest first.
    pub days: Vec<HealthDay>,
    /// Its warmup with the user's other mailboxes, when it warms up.
    pub warmup: Option<crate::warmup::WarmupHealth>,
}

/// A mailbox's health: its bounce rate over the last sends, complaints, and its last 30
/// days of sending (the user's days).
pub async fn health(
    db: &Db,
    user: UserId,
    id: MailboxId,
    now: Timestamp,
) -> Result<Health, AppError> {
    let row = store::get_mailbox(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (zone, _) = pursuit_store::accounts::zone_and_settings(db, user).await?;
    let tz = jiff::tz::TimeZone::get(&zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let (recent_sent, recent_bounced) =
        pursuit_store::replies::recent_bounces(db, id, HEALTH_WINDOW).await?;
    let since = now - jiff::SignedDuration::from_hours(24 * 30);
    let marks = pursuit_store::replies::sent_since(db, id, since).await?;
    let mut days: Vec<HealthDay> = Vec::new();
    for mark in &marks {
        let day = mark.sent_at.to_zoned(tz.clone()).date();
        if days.last().is_none_or(|d| d.day != day) {
            days.push(HealthDay {
                day,
                sent: 0,
                bounced: 0,
                complaints: 0,
            });
        }
        if let Some(d) = days.last_mut() {
            d.sent += 1;
            d.bounced += i64::from(mark.bounced);
            d.complaints += i64::from(mark.complained);
        }
    }
    let complaints_30_days = days.iter().map(|d| d.complaints).sum();
    let warmup = crate::warmup::health(db, &row, &tz, now).await?;
    let today = now.to_zoned(tz).date();
    let ramping = cap_on(&row, today) < row.settings.daily_cap;
    let (status, why) = if row.status == "paused" {
        ("at_risk", row.paused_reason.clone())
    } else if complaints_30_days > 0 {
        (
            "at_risk",
            Some(format!(
                "{complaints_30_days} spam report(s) in the last 30 days"
            )),
        )
    } else if bounces_too_many(recent_bounced) {
        (
            "at_risk",
            Some(format!(
                "{recent_bounced} of the last {recent_sent} emails bounced"
            )),
        )
    } else if let Some(w) = warmup.as_ref().filter(|w| {
        w.inbox_rate
            .is_some_and(|r| r < crate::warmup::PLACEMENT_AT_RISK)
            && w.counts.sent - w.counts.recent >= crate::warmup::JUDGE_AT_LEAST
    }) {
        (
            "at_risk",
            Some(format!(
                "only {} of {} warmup emails reached the other mailbox's inbox in the last {} days (the rest went to spam or were lost)",
                w.counts.landed,
                w.counts.sent - w.counts.recent,
                crate::warmup::HEALTH_DAYS
            )),
        )
    } else if ramping {
        (
            "warming",
            Some(format!(
                "ramping up: {} a day today, {} when warmed up",
                cap_on(&row, today),
                row.settings.daily_cap
            )),
        )
    } else if let Some(w) = warmup
        .as_ref()
        .filter(|w| w.today_quota < crate::warmup::MOST)
    {
        (
            "warming",
            Some(format!(
                "warming up with your other mailboxes: {} emails today, {} a day when warmed up",
                w.today_quota,
                crate::warmup::MOST
            )),
        )
    } else {
        ("healthy", None)
    };
    Ok(Health {
        warmup,
        status,
        why,
        recent_sent,
        recent_bounced,
        bounce_rate: if recent_sent == 0 {
            0.0
        } else {
            recent_bounced as f64 / recent_sent as f64
        },
        complaints_30_days,
        days,
    })
}

/// Turns a mailbox's warmup with the user's other mailboxes on or off
/// ([`crate::warmup::set`]).
pub async fn set_warmup(
    db: &Db,
    user: UserId,
    id: MailboxId,
    enabled: bool,
    now: Timestamp,
) -> Result<Mailbox, AppError> {
    let row = crate::warmup::set(db, user, id, enabled, now).await?;
    Ok(show(row, today(db, user, now).await?))
}

/// Pauses a mailbox (its sends wait) or resumes it.
pub async fn set_paused(
    db: &Db,
    user: UserId,
    id: MailboxId,
    paused: bool,
    now: Timestamp,
) -> Result<Mailbox, AppError> {
    let reason = paused.then_some("paused by you");
    if !store::set_mailbox_status(db, user, id, reason, now).await? {
        return Err(AppError::NotFound);
    }
    get(db, user, id, now).await
}

/// Deletes a mailbox; its planned emails wait without one (their campaign shows it).
pub async fn delete(db: &Db, user: UserId, id: MailboxId) -> Result<(), AppError> {
    if store::delete_mailbox(db, user, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cap: i64, start: i64, step: i64, first: Option<&str>) -> MailboxRow {
        let mut settings = new_settings();
        settings.daily_cap = cap;
        settings.ramp_start = start;
        settings.ramp_step = step;
        MailboxRow {
            id: MailboxId::new(),
            user_id: UserId::new(),
            settings,
            status: "active".to_owned(),
            paused_reason: None,
            auth_failures: 0,
            next_send_at: Timestamp::UNIX_EPOCH,
            cap_day: None,
            sent_on_day: 0,
            first_send_on: first.map(|d| d.parse().unwrap()),
            inbox: Default::default(),
            events_last_at: None,
            warmup_started_at: None,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_bounce_rate_is_over_the_whole_window() {
        // 3% of 50 sends: a young mailbox's first hard bounce is not yet a pattern.
        assert!(!bounces_too_many(0));
        assert!(!bounces_too_many(1));
        assert!(bounces_too_many(2));
    }

    #[test]
    fn a_new_mailbox_ramps_up_to_its_cap() {
        let day = |d: &str| d.parse::<Date>().unwrap();
        let fresh = row(40, 10, 5, None);
        assert_eq!(cap_on(&fresh, day("2026-12-01")), 10);
        let started = row(40, 10, 5, Some("2026-12-01"));
        assert_eq!(cap_on(&started, day("2026-12-01")), 10);
        assert_eq!(cap_on(&started, day("2026-12-03")), 20);
        assert_eq!(cap_on(&started, day("2026-12-30")), 40);
        let flat = row(25, 25, 0, Some("2026-12-01"));
        assert_eq!(cap_on(&flat, day("2027-01-01")), 25);
    }

    #[test]
    fn limits_outside_their_ranges_are_named() {
        let mut invalid = Vec::new();
        let input = MailboxInput {
            daily_cap: Some(0),
            min_gap_seconds: Some(5),
            smtp_security: Some("ssl3".to_owned()),
            smtp_host: Some("smtp.example.org\r\nX".to_owned()),
            from_address: Some("not-an-address".to_owned()),
            ..MailboxInput::default()
        };
        check(&input, &new_settings(), &mut invalid);
        let fields: Vec<String> = invalid.iter().map(|i| i.field.clone()).collect();
        for field in [
            "/daily_cap",
            "/min_gap_seconds",
            "/smtp_security",
            "/smtp_host",
            "/from_address",
        ] {
            assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
        }
    }
}
