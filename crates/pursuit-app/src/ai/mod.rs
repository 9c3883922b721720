//! AI use cases: a task run through the layer with the user's settings, budget and cache,
//! every attempt written to the call log, and the run to the audit log; the call log and
//! the month's cost; the user's AI settings.

use jiff::{Timestamp, tz::TimeZone};
use pursuit_ai::{Ai, Context, LOCAL, Request, Task};
use pursuit_domain::flags::Flags;
use pursuit_domain::ids::{AiCallId, UserId};
use pursuit_store::Db;
use pursuit_store::ai::{self as store, AiCall, AiUserSettings, NewAiCall};
use pursuit_store::audit::{NewAuditEntry, insert_audit};
use pursuit_text::dates::YearMonth;
use serde_json::Value;

use crate::error::{AppError, Invalid};
use crate::secrets::SecretBox;

pub mod providers;

/// The most text one input may carry (characters).
pub const MAX_INPUT_CHARS: usize = 100_000;

/// A task's answer as the caller sees it.
#[derive(Clone, Debug)]
pub struct AiResult {
    /// Fits the task's schema.
    pub value: Value,
    /// Who answered: a configured provider's name or `local`.
    pub provider: String,
    pub model: String,
    /// The answer needed the repair request.
    pub repaired: bool,
    /// Served from the response cache (no call was made).
    pub cached: bool,
    /// The providers tried first and why they did not answer (`openai: timeout`).
    pub fallbacks: Vec<String>,
    /// What this run cost in US dollars.
    pub cost_usd: f64,
}

/// Checks a task's inputs: present where required, not too long, no NUL.
pub fn check_input(field: &str, text: &str, required: bool) -> Result<(), Invalid> {
    if required && text.trim().is_empty() {
        return Err(Invalid::new(field, "must not be empty"));
    }
    if text.chars().count() > MAX_INPUT_CHARS {
        return Err(Invalid::new(
            field,
            format!("must be at most {MAX_INPUT_CHARS} characters"),
        ));
    }
    if text.contains('\0') {
        return Err(Invalid::new(field, "must not contain NUL characters"));
    }
    Ok(())
}

fn month_start(now: Timestamp) -> Timestamp {
    let day = now.to_zoned(TimeZone::UTC).date();
    day.first_of_month()
        .to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(now)
}

/// The month `now` falls in (UTC), as the readers count experience up to it.
pub(crate) fn this_month(now: Timestamp) -> YearMonth {
    let day = now.to_zoned(TimeZone::UTC).date();
    YearMonth {
        year: i32::from(day.year()),
        month: Some(day.month() as u32),
    }
}

pub(crate) fn micros(usd: f64) -> i64 {
    (usd * 1_000_000.0).round() as i64
}

/// The user's budget in millionths of a dollar (none: no limit).
fn budget_micros(ai: &Ai, settings: &AiUserSettings) -> Option<i64> {
    settings
        .monthly_budget_micros
        .or_else(|| ai.settings().monthly_budget_usd.map(micros))
}

/// Who asks: what feature flags are decided on.
#[derive(Clone, Copy, Debug)]
pub struct Caller<'a> {
    pub id: UserId,
    pub email: &'a str,
}

/// The layer, the flags that gate it and the box users' provider keys are sealed in.
#[derive(Clone, Copy)]
pub struct Services<'a> {
    pub db: &'a Db,
    pub ai: &'a Ai,
    pub features: &'a Flags,
    pub secrets: &'a SecretBox,
}

/// The AI layer's parts, owned: what a server or a worker holds to lend [`Services`].
#[derive(Clone)]
pub struct AiParts {
    pub ai: std::sync::Arc<Ai>,
    pub features: std::sync::Arc<Flags>,
    pub secrets: std::sync::Arc<SecretBox>,
}

impl std::fmt::Debug for AiParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AiParts")
            .field("providers", &self.ai.settings().providers.keys())
            .field("offline", &self.ai.settings().offline)
            .finish_non_exhaustive()
    }
}

impl AiParts {
    /// The local engine alone, default flags, a key that lives as long as the process.
    pub fn local_only() -> AiParts {
        AiParts {
            ai: std::sync::Arc::new(Ai::local_only()),
            features: std::sync::Arc::new(Flags::default()),
            secrets: std::sync::Arc::new(SecretBox::ephemeral()),
        }
    }

    pub fn services<'a>(&'a self, db: &'a Db) -> Services<'a> {
        Services {
            db,
            ai: &self.ai,
            features: &self.features,
            secrets: &self.secrets,
        }
    }
}

/// A feature's flag for the caller: `Err(FeatureOff)` when it is off.
pub fn require(features: &Flags, feature: &str, caller: Caller<'_>) -> Result<(), AppError> {
    if features.enabled(feature, caller.id, caller.email) {
        Ok(())
    } else {
        Err(AppError::FeatureOff(feature.to_owned()))
    }
}

/// The configured providers the flags turn off for the caller: all of them without
/// `ai.remote`, else each whose `ai.providers.<name>` is off.
pub fn flagged_off(services: Services<'_>, caller: Caller<'_>) -> Vec<String> {
    let names = services.ai.settings().providers.keys();
    if !services
        .features
        .enabled("ai.remote", caller.id, caller.email)
    {
        return names.cloned().collect();
    }
    names
        .filter(|name| {
            !services
                .features
                .enabled(&format!("ai.providers.{name}"), caller.id, caller.email)
        })
        .cloned()
        .collect()
}

/// Each AI feature flag and whether it is on for the caller.
pub fn features(services: Services<'_>, caller: Caller<'_>) -> Vec<(&'static str, bool)> {
    pursuit_domain::flags::KNOWN
        .iter()
        .filter(|name| name.starts_with("ai."))
        .map(|name| {
            (
                *name,
                services.features.enabled(name, caller.id, caller.email),
            )
        })
        .collect()
}

/// Whether the caller's own providers may be called: `ai.user_providers` and `ai.remote`.
pub fn own_providers_on(services: Services<'_>, caller: Caller<'_>) -> bool {
    let on = |flag: &str| services.features.enabled(flag, caller.id, caller.email);
    on(providers::FLAG) && on("ai.remote")
}

/// The context a task of the caller's runs in: their settings, their own providers (off
/// by flag or by their choice in `disabled`), the budget left (`None` until asked).
async fn context(
    services: Services<'_>,
    caller: Caller<'_>,
    settings: &AiUserSettings,
    now: Timestamp,
) -> Result<Context, AppError> {
    let own = providers::for_layer(services, caller).await?;
    let mut disabled: Vec<String> = settings
        .disabled_providers
        .iter()
        .cloned()
        .chain(flagged_off(services, caller))
        .collect();
    if !own_providers_on(services, caller) {
        disabled.extend(own.iter().map(|p| p.name.clone()));
    }
    Ok(Context {
        today: this_month(now),
        budget_left_usd: None,
        offline: settings.offline,
        disabled,
        full_logging: settings.full_logging,
        own,
    })
}

/// Whether `task` would go to a model for the caller (its flag on, not offline, a provider
/// in its chain that the flags and the user's choices leave on): such work is long and runs
/// as a task; the local engine's answers take milliseconds and are made in the request.
pub async fn asks_a_model(
    services: Services<'_>,
    caller: Caller<'_>,
    task: Task,
    now: Timestamp,
) -> Result<bool, AppError> {
    if require(services.features, &format!("ai.{}", task.name()), caller).is_err() {
        return Ok(false);
    }
    let settings = store::get_settings(services.db, caller.id).await?;
    let context = context(services, caller, &settings, now).await?;
    Ok(services.ai.asks_a_model(task.kind(), &context))
}

/// Runs `request` for the caller: a kept answer to the same inputs if there is one, else the
/// layer's; each attempt goes to the call log and the run to the audit log. The task's flag
/// (`ai.<task>`) must be on.
pub async fn run(
    services: Services<'_>,
    caller: Caller<'_>,
    now: Timestamp,
    request: Request,
) -> Result<AiResult, AppError> {
    let Services { db, ai, .. } = services;
    let user = caller.id;
    let task = request.task.name();
    require(services.features, &format!("ai.{task}"), caller)?;
    let settings = store::get_settings(db, user).await?;
    let mut context = context(services, caller, &settings, now).await?;
    // The inputs and the chain that answers them: a new model or provider is asked afresh.
    let digest = ai.cache_key(&request, &context);
    if let Some(kept) = store::find_output(db, user, task, &digest).await? {
        let mut tx = db.begin().await?;
        store::insert_call(
            &mut tx,
            user,
            &NewAiCall {
                task,
                provider: &kept.provider,
                model: &kept.model,
                tokens_in: 0,
                tokens_out: 0,
                cost_micros: 0,
                latency_ms: 0,
                outcome: "cache",
                detail: "",
                prompt_hash: &digest,
                prompt: None,
                response: None,
            },
            now,
        )
        .await?;
        audit(&mut tx, user, request.task, &kept.provider, true, now).await?;
        tx.commit().await?;
        return Ok(AiResult {
            value: kept.output,
            provider: kept.provider,
            model: kept.model,
            repaired: kept.repaired,
            cached: true,
            fallbacks: Vec::new(),
            cost_usd: 0.0,
        });
    }
    let (spent, _) = store::spent_since(db, user, month_start(now)).await?;
    context.budget_left_usd =
        budget_micros(ai, &settings).map(|b| (b - spent) as f64 / 1_000_000.0);
    let answer = ai.run(&request, &context).await;
    let cost_usd: f64 = answer.attempts.iter().map(|a| a.cost_usd).sum();
    let mut tx = db.begin().await?;
    log_attempts(&mut tx, user, task, &answer.attempts, now).await?;
    // A model's answer is kept; the local engine's is not (it is free and instant, and a
    // provider configured later should get its chance at the same inputs).
    if answer.provider != LOCAL {
        store::insert_output(
            &mut tx,
            user,
            task,
            &digest,
            &answer.value,
            &answer.provider,
            &answer.model,
            answer.repaired,
            now,
        )
        .await?;
    }
    audit(&mut tx, user, request.task, &answer.provider, false, now).await?;
    tx.commit().await?;
    Ok(AiResult {
        fallbacks: answer.fallbacks(),
        value: answer.value,
        provider: answer.provider,
        model: answer.model,
        repaired: answer.repaired,
        cached: false,
        cost_usd,
    })
}

async fn log_attempts(
    tx: &mut pursuit_store::Tx,
    user: UserId,
    task: &str,
    attempts: &[pursuit_ai::Attempt],
    now: Timestamp,
) -> Result<(), AppError> {
    for attempt in attempts {
        store::insert_call(
            &mut *tx,
            user,
            &NewAiCall {
                task,
                provider: &attempt.provider,
                model: &attempt.model,
                tokens_in: i64::try_from(attempt.tokens_in).unwrap_or(i64::MAX),
                tokens_out: i64::try_from(attempt.tokens_out).unwrap_or(i64::MAX),
                cost_micros: micros(attempt.cost_usd),
                latency_ms: i64::try_from(attempt.latency.as_millis()).unwrap_or(i64::MAX),
                outcome: attempt.outcome.as_str(),
                detail: &attempt.detail,
                prompt_hash: &attempt.prompt_hash,
                prompt: attempt.prompt.as_deref(),
                response: attempt.response.as_deref(),
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// What a connection test found.
#[derive(Clone, Debug)]
pub struct ProbeResult {
    pub worked: bool,
    /// How the last call ended (`ok`, `repaired`, `invalid`, `timeout`, `unreachable`, …).
    pub outcome: String,
    pub model: String,
    pub latency_ms: u64,
    /// Why it failed, if it did (never the key).
    pub detail: String,
}

/// Sends one small spam check to the provider `name` alone (the caller's own of that name,
/// else the configured one) and logs its calls. A provider the flags keep off the caller's
/// account is refused like a task turned off.
pub async fn test_provider(
    services: Services<'_>,
    caller: Caller<'_>,
    name: &str,
    now: Timestamp,
) -> Result<ProbeResult, AppError> {
    let settings = store::get_settings(services.db, caller.id).await?;
    let mut context = context(services, caller, &settings, now).await?;
    let own = context.own.iter().any(|p| p.name == name);
    if !own && !services.ai.settings().providers.contains_key(name) {
        return Err(AppError::NotFoundDetail(format!(
            "no provider named {name:?}: neither yours nor configured"
        )));
    }
    require(services.features, "ai.remote", caller)?;
    if own {
        require(services.features, providers::FLAG, caller)?;
    } else {
        require(services.features, &format!("ai.providers.{name}"), caller)?;
    }
    // A test asks the provider whatever the user's switches say.
    context.offline = false;
    context.disabled.clear();
    let Some((worked, attempts)) = services.ai.probe(name, &context).await else {
        return Err(AppError::NotFound);
    };
    let mut tx = services.db.begin().await?;
    log_attempts(&mut tx, caller.id, Task::SpamCheck.name(), &attempts, now).await?;
    tx.commit().await?;
    let last = attempts.last();
    Ok(ProbeResult {
        worked,
        outcome: last.map_or_else(String::new, |a| a.outcome.as_str().to_owned()),
        model: last.map_or_else(String::new, |a| a.model.clone()),
        latency_ms: attempts
            .iter()
            .map(|a| u64::try_from(a.latency.as_millis()).unwrap_or(u64::MAX))
            .sum(),
        detail: attempts
            .iter()
            .rev()
            .find(|a| !a.detail.is_empty())
            .map_or_else(String::new, |a| a.detail.clone()),
    })
}

fn audit_action(task: Task) -> &'static str {
    match task {
        Task::ParseResume => "ai.parse_resume",
        Task::ParseJob => "ai.parse_job_description",
        Task::PainPointMap => "ai.pain_point_map",
        Task::SpamCheck => "ai.spam_check",
        Task::JobSummary => "ai.job_summary",
        Task::SearchTerms => "ai.search_terms",
        Task::CoverLetter => "ai.cover_letter",
        Task::Refine => "ai.refine_document",
        Task::TailorCv => "ai.tailor_cv",
        Task::Offer => "ai.offer",
        Task::Sequence => "ai.sequence",
        Task::CompanyResearch => "ai.company_research",
        Task::Chat => "ai.chat",
        Task::ClassifyReply => "ai.classify_reply",
    }
}

async fn audit(
    tx: &mut pursuit_store::Tx,
    user: UserId,
    task: Task,
    provider: &str,
    cached: bool,
    now: Timestamp,
) -> Result<(), AppError> {
    insert_audit(
        &mut *tx,
        &NewAuditEntry {
            user_id: Some(user),
            action: audit_action(task),
            entity_type: Some("ai_task"),
            entity_id: None,
            detail: Some(serde_json::json!({"provider": provider, "cached": cached})),
            ..NewAuditEntry::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// The month so far: what paid calls cost, how many calls, and the budget.
#[derive(Clone, Debug, PartialEq)]
pub struct Usage {
    pub month_start: Timestamp,
    pub spent_usd: f64,
    pub calls: i64,
    /// None: no limit.
    pub budget_usd: Option<f64>,
}

pub async fn usage(db: &Db, ai: &Ai, user: UserId, now: Timestamp) -> Result<Usage, AppError> {
    let settings = store::get_settings(db, user).await?;
    let since = month_start(now);
    let (spent, calls) = store::spent_since(db, user, since).await?;
    Ok(Usage {
        month_start: since,
        spent_usd: spent as f64 / 1_000_000.0,
        calls,
        budget_usd: budget_micros(ai, &settings).map(|b| b as f64 / 1_000_000.0),
    })
}

/// A page of the call log, newest first.
pub async fn calls(
    db: &Db,
    user: UserId,
    after: Option<(Timestamp, AiCallId)>,
    limit: i64,
) -> Result<Vec<AiCall>, AppError> {
    Ok(store::list_calls(db, user, after, limit).await?)
}

pub async fn settings(db: &Db, user: UserId) -> Result<AiUserSettings, AppError> {
    Ok(store::get_settings(db, user).await?)
}

/// What a user may change: each field left out keeps its value.
#[derive(Clone, Debug, Default)]
pub struct SettingsChange {
    pub offline: Option<bool>,
    pub full_logging: Option<bool>,
    /// `Some(None)`: back to the instance's budget.
    pub monthly_budget_usd: Option<Option<f64>>,
    pub disabled_providers: Option<Vec<String>>,
}

/// Saves a change to the user's AI settings after checking it against the configured
/// providers and the user's own.
pub async fn update_settings(
    db: &Db,
    ai: &Ai,
    user: UserId,
    now: Timestamp,
    change: SettingsChange,
) -> Result<AiUserSettings, AppError> {
    let mut invalid = Vec::new();
    if let Some(Some(budget)) = change.monthly_budget_usd
        && !(0.0..=1_000_000.0).contains(&budget)
    {
        invalid.push(Invalid::new(
            "monthly_budget_usd",
            "must be between 0 and 1000000 US dollars",
        ));
    }
    if let Some(disabled) = &change.disabled_providers {
        let own: Vec<String> = store::list_providers(db, user)
            .await?
            .into_iter()
            .map(|p| p.name)
            .collect();
        for (i, name) in disabled.iter().enumerate() {
            if !ai.settings().providers.contains_key(name) && !own.contains(name) {
                invalid.push(Invalid::new(
                    &format!("disabled_providers/{i}"),
                    format!("no provider named {name:?} is configured"),
                ));
            }
        }
    }
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let mut tx = db.begin().await?;
    let mut settings = store::get_settings(&mut tx, user).await?;
    if let Some(offline) = change.offline {
        settings.offline = offline;
    }
    if let Some(full) = change.full_logging {
        settings.full_logging = full;
    }
    if let Some(budget) = change.monthly_budget_usd {
        settings.monthly_budget_micros = budget.map(micros);
    }
    if let Some(mut disabled) = change.disabled_providers {
        disabled.sort();
        disabled.dedup();
        settings.disabled_providers = disabled;
    }
    store::put_settings(&mut tx, user, &settings, now).await?;
    insert_audit(
        &mut tx,
        &NewAuditEntry {
            user_id: Some(user),
            action: "ai.settings_changed",
            entity_type: Some("ai_settings"),
            ..NewAuditEntry::default()
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(settings)
}

/// What the guard found in a text.
#[derive(Clone, Debug)]
pub struct ClaimCheck {
    /// Every claim, supported or not, in the text's order.
    pub claims: Vec<pursuit_ai::guard::Claim>,
    /// How many sources the text was checked against (resume versions, and the profile
    /// with its projects).
    pub versions: usize,
}

/// Checks `text` against everything the user wrote about themselves: the text of every
/// resume version and their corrections, the profile and the projects. `context` (a posting, a company, a recipient)
/// names what the text may mention without claiming it. No resume yet: a conflict, since
/// every claim would be unsupported.
pub async fn check_claims(
    services: Services<'_>,
    caller: Caller<'_>,
    text: &str,
    context: &str,
    now: Timestamp,
) -> Result<ClaimCheck, AppError> {
    require(services.features, "ai.check_claims", caller)?;
    let (db, user) = (services.db, caller.id);
    let invalid: Vec<Invalid> = [
        check_input("text", text, true).err(),
        check_input("context", context, false).err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let material = crate::documents::material(db, user).await?;
    if material.is_empty() {
        return Err(AppError::Conflict(
            "no resume text yet: add a resume first, so claims have something to be checked against"
                .to_owned(),
        ));
    }
    let refs: Vec<&str> = material.iter().map(String::as_str).collect();
    let contexts: Vec<&str> = Some(context)
        .filter(|c| !c.trim().is_empty())
        .into_iter()
        .collect();
    let sources = pursuit_ai::guard::Sources::new(&refs, &contexts, this_month(now));
    Ok(ClaimCheck {
        claims: sources.check(text),
        versions: material.len(),
    })
}
