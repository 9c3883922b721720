//! A user's own AI providers, entered in the settings page: an OpenAI-compatible server or
//! Anthropic, its model, options and key. The key is sealed under the instance's secrets key
//! before it is stored and is never shown again (a view says only whether there is one and
//! whether it can still be read). The URL must be one the instance's address policy allows
//! (`pursuit_ai::guarded`). Each provider answers the task kinds in its `used_for`, before
//! the instance's chain, in the user's order; the flag `ai.user_providers` lets users add
//! and use them (`ai.remote` off turns them off too).

use jiff::Timestamp;
use pursuit_ai::{
    ApiKey, JsonMode, OwnProvider, ProviderKind, ProviderSettings, TaskKind, guarded,
};
use pursuit_domain::ids::AiProviderId;
use pursuit_store::StoreError;
use pursuit_store::ai::{self as store, AiProviderRow};
use pursuit_store::audit::{NewAuditEntry, insert_audit};

use super::{Caller, Services, micros, require};
use crate::error::{AppError, Invalid};

/// The most providers one user may enter.
pub const MAX_PROVIDERS: usize = 10;
/// The longest key accepted (characters); real keys are far shorter.
const MAX_KEY_CHARS: usize = 1_000;
const MAX_URL_CHARS: usize = 2_000;
const MAX_MODEL_CHARS: usize = 200;
/// The flag that lets users add and use their own providers.
pub const FLAG: &str = "ai.user_providers";

/// A user's provider as shown: never the key.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnProviderView {
    pub id: AiProviderId,
    pub name: String,
    pub kind: ProviderKind,
    pub url: String,
    pub model: String,
    pub has_key: bool,
    /// Why the stored key cannot be used (sealed under another secrets key, damaged).
    pub key_problem: Option<String>,
    pub json_mode: JsonMode,
    pub stream: bool,
    pub max_tokens: u32,
    pub timeout_secs: u64,
    pub price_in_per_million: f64,
    pub price_out_per_million: f64,
    pub used_for: Vec<TaskKind>,
    pub position: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a user sends to add a provider (every field) or change one (the fields given).
/// Text fields are checked here, so every caller gets the same field-named problems.
#[derive(Clone, Debug, Default)]
pub struct ProviderInput {
    /// Only when adding: a name is how the call log and the chains name a provider.
    pub name: Option<String>,
    pub kind: Option<String>,
    pub url: Option<String>,
    pub model: Option<String>,
    /// `Some(None)` (or an empty key) removes the key.
    pub api_key: Option<Option<String>>,
    pub json_mode: Option<String>,
    pub stream: Option<bool>,
    pub max_tokens: Option<i64>,
    pub timeout_secs: Option<i64>,
    pub price_in_per_million: Option<f64>,
    pub price_out_per_million: Option<f64>,
    pub used_for: Option<Vec<String>>,
    pub position: Option<i64>,
}

/// The key of the provider's circuit breaker in the layer.
pub fn breaker(id: AiProviderId) -> String {
    format!("user-provider:{}", id.0)
}

fn bound_to(id: AiProviderId) -> String {
    format!("ai_provider:{}", id.0)
}

fn view(services: Services<'_>, row: &AiProviderRow) -> OwnProviderView {
    let key_problem = row.sealed_key.as_deref().and_then(|sealed| {
        services
            .secrets
            .open(sealed, &bound_to(row.id))
            .err()
            .map(|e| format!("The stored key cannot be used: {e}."))
    });
    OwnProviderView {
        id: row.id,
        name: row.name.clone(),
        kind: ProviderKind::parse(&row.kind).unwrap_or(ProviderKind::OpenAi),
        url: row.url.clone(),
        model: row.model.clone(),
        has_key: row.sealed_key.is_some(),
        key_problem,
        json_mode: JsonMode::parse(&row.json_mode).unwrap_or_default(),
        stream: row.stream,
        max_tokens: u32::try_from(row.max_tokens).unwrap_or(2048),
        timeout_secs: u64::try_from(row.timeout_secs).unwrap_or(30),
        price_in_per_million: row.price_in_micros as f64 / 1_000_000.0,
        price_out_per_million: row.price_out_micros as f64 / 1_000_000.0,
        used_for: row
            .used_for
            .iter()
            .filter_map(|k| TaskKind::parse(k))
            .collect(),
        position: row.position,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// The caller's providers in their order.
pub async fn list(
    services: Services<'_>,
    caller: Caller<'_>,
) -> Result<Vec<OwnProviderView>, AppError> {
    let rows = store::list_providers(services.db, caller.id).await?;
    Ok(rows.iter().map(|row| view(services, row)).collect())
}

/// The caller's provider of that name.
pub async fn get(
    services: Services<'_>,
    caller: Caller<'_>,
    name: &str,
) -> Result<OwnProviderView, AppError> {
    let row = store::find_provider(services.db, caller.id, name)
        .await?
        .ok_or_else(|| not_found(name))?;
    Ok(view(services, &row))
}

fn not_found(name: &str) -> AppError {
    AppError::NotFoundDetail(format!("you have no provider named {name:?}"))
}

/// The caller's providers as the layer takes them: keys opened, those whose key cannot be
/// read marked unusable (the call log says why).
pub async fn for_layer(
    services: Services<'_>,
    caller: Caller<'_>,
) -> Result<Vec<OwnProvider>, AppError> {
    let rows = store::list_providers(services.db, caller.id).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let shown = view(services, row);
            let key = row
                .sealed_key
                .as_deref()
                .and_then(|sealed| services.secrets.open(sealed, &bound_to(row.id)).ok())
                .map(ApiKey::new);
            OwnProvider {
                name: row.name.clone(),
                settings: settings(&shown, key),
                used_for: shown.used_for,
                unusable: shown.key_problem,
                breaker: breaker(row.id),
            }
        })
        .collect())
}

fn settings(view: &OwnProviderView, key: Option<ApiKey>) -> ProviderSettings {
    ProviderSettings {
        kind: view.kind,
        url: view.url.clone(),
        model: view.model.clone(),
        api_key: key,
        timeout_secs: view.timeout_secs,
        retries: 2,
        stream: view.stream,
        json_mode: view.json_mode,
        max_tokens: view.max_tokens,
        price_in_per_million: view.price_in_per_million,
        price_out_per_million: view.price_out_per_million,
    }
}

fn check_text(field: &str, text: &str, max: usize, invalid: &mut Vec<Invalid>) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        invalid.push(Invalid::new(field, "must not be empty"));
        return None;
    }
    if trimmed.chars().count() > max {
        invalid.push(Invalid::new(
            field,
            format!("must be at most {max} characters"),
        ));
        return None;
    }
    if trimmed.chars().any(char::is_control) {
        invalid.push(Invalid::new(
            field,
            "must not contain control characters (NUL, line breaks, tabs)",
        ));
        return None;
    }
    Some(trimmed.to_owned())
}

fn check_name(name: &str, services: Services<'_>, invalid: &mut Vec<Invalid>) -> Option<String> {
    let name = name.trim();
    let good = !name.is_empty()
        && name.len() <= 40
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric());
    if !good {
        invalid.push(Invalid::new(
            "name",
            "must be 1–40 characters: lowercase letters, digits, '-' and '_', starting with a \
             letter or digit (e.g. \"my-ollama\")",
        ));
        return None;
    }
    if name == pursuit_ai::LOCAL {
        invalid.push(Invalid::new(
            "name",
            "\"local\" is the built-in engine's name",
        ));
        return None;
    }
    if services.ai.settings().providers.contains_key(name) {
        invalid.push(Invalid::new(
            "name",
            format!("{name:?} is a provider this installation already has; choose another name"),
        ));
        return None;
    }
    Some(name.to_owned())
}

fn check_price(field: &str, price: f64, invalid: &mut Vec<Invalid>) {
    if !(0.0..=10_000.0).contains(&price) {
        invalid.push(Invalid::new(
            field,
            "must be between 0 and 10000 US dollars per million tokens",
        ));
    }
}

/// Applies `input` to `row`, every problem named by its field; the key comes back to be
/// sealed once the row's id is known.
fn apply(
    services: Services<'_>,
    input: &ProviderInput,
    row: &mut AiProviderRow,
    invalid: &mut Vec<Invalid>,
) -> Option<Option<String>> {
    let policy = services.ai.settings().address_policy();
    if let Some(kind) = &input.kind {
        match ProviderKind::parse(kind.trim()) {
            Some(k) => row.kind = k.as_str().to_owned(),
            None => invalid.push(Invalid::new("kind", "must be \"openai\" or \"anthropic\"")),
        }
    }
    if let Some(url) = &input.url
        && let Some(url) = check_text("url", url, MAX_URL_CHARS, invalid)
    {
        match guarded::check_url(&url, policy).and_then(|()| check_url_shape(&url)) {
            Ok(()) => row.url = url,
            Err(e) => invalid.push(Invalid::new("url", e)),
        }
    }
    if let Some(model) = &input.model
        && let Some(model) = check_text("model", model, MAX_MODEL_CHARS, invalid)
    {
        row.model = model;
    }
    if let Some(mode) = &input.json_mode {
        match JsonMode::parse(mode.trim()) {
            Some(m) => row.json_mode = m.as_str().to_owned(),
            None => invalid.push(Invalid::new(
                "json_mode",
                "must be \"schema\", \"object\" or \"prompt\"",
            )),
        }
    }
    if let Some(stream) = input.stream {
        row.stream = stream;
    }
    if let Some(max) = input.max_tokens {
        if (16..=200_000).contains(&max) {
            row.max_tokens = max;
        } else {
            invalid.push(Invalid::new("max_tokens", "must be between 16 and 200000"));
        }
    }
    if let Some(secs) = input.timeout_secs {
        if (1..=600).contains(&secs) {
            row.timeout_secs = secs;
        } else {
            invalid.push(Invalid::new("timeout_secs", "must be between 1 and 600"));
        }
    }
    if let Some(price) = input.price_in_per_million {
        check_price("price_in_per_million", price, invalid);
        row.price_in_micros = micros(price);
    }
    if let Some(price) = input.price_out_per_million {
        check_price("price_out_per_million", price, invalid);
        row.price_out_micros = micros(price);
    }
    if let Some(kinds) = &input.used_for {
        let mut chosen = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            match TaskKind::parse(kind.trim()) {
                Some(k) if !chosen.contains(&k) => chosen.push(k),
                Some(_) => {}
                None => invalid.push(Invalid::new(
                    &format!("used_for/{i}"),
                    "must be \"parse\", \"write\", \"classify\" or \"summarise\"",
                )),
            }
        }
        // Kept in the one order the page and the API show.
        row.used_for = TaskKind::ALL
            .into_iter()
            .filter(|k| chosen.contains(k))
            .map(|k| k.as_str().to_owned())
            .collect();
    }
    if let Some(position) = input.position {
        if (0..=1_000).contains(&position) {
            row.position = position;
        } else {
            invalid.push(Invalid::new("position", "must be between 0 and 1000"));
        }
    }
    input.api_key.as_ref().map(|key| {
        let key = key.as_deref().map(str::trim).filter(|k| !k.is_empty())?;
        if key.chars().count() > MAX_KEY_CHARS {
            invalid.push(Invalid::new(
                "api_key",
                format!("must be at most {MAX_KEY_CHARS} characters"),
            ));
            return None;
        }
        if key.chars().any(|c| c.is_control() || c.is_whitespace()) {
            invalid.push(Invalid::new(
                "api_key",
                "must not contain spaces or control characters (was more than the key pasted?)",
            ));
            return None;
        }
        Some(key.to_owned())
    })
}

/// What [`ProviderSettings::check`] says of the URL besides the address policy
/// (credentials in it).
fn check_url_shape(url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|_| format!("{url:?} is not a URL"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not carry a user name or password: enter the key as the key".to_owned());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("must be the server's address without ?query or #fragment".to_owned());
    }
    Ok(())
}

/// Whether the row's provider can be called: Anthropic needs a key.
fn check_whole(row: &AiProviderRow, has_key: bool, invalid: &mut Vec<Invalid>) {
    if row.kind == ProviderKind::Anthropic.as_str() && !has_key {
        invalid.push(Invalid::new("api_key", "an Anthropic provider needs a key"));
    }
}

async fn audit(
    tx: &mut pursuit_store::Tx,
    caller: Caller<'_>,
    action: &'static str,
    row: &AiProviderRow,
    detail: serde_json::Value,
    now: Timestamp,
) -> Result<(), AppError> {
    insert_audit(
        &mut *tx,
        &NewAuditEntry {
            user_id: Some(caller.id),
            action,
            entity_type: Some("ai_provider"),
            entity_id: Some(row.id.0.to_string()),
            detail: Some(detail),
            ..NewAuditEntry::default()
        },
        now,
    )
    .await?;
    Ok(())
}

fn unique_name(error: AppError, name: &str) -> AppError {
    match error {
        AppError::Store(StoreError::UniqueViolation { .. }) => {
            AppError::Conflict(format!("you already have a provider named {name:?}"))
        }
        other => other,
    }
}

/// Adds a provider for the caller.
pub async fn create(
    services: Services<'_>,
    caller: Caller<'_>,
    input: ProviderInput,
    now: Timestamp,
) -> Result<OwnProviderView, AppError> {
    require(services.features, FLAG, caller)?;
    let mut invalid = Vec::new();
    let name = match &input.name {
        Some(name) => check_name(name, services, &mut invalid),
        None => {
            invalid.push(Invalid::new("name", "is required"));
            None
        }
    };
    for (field, given) in [
        ("kind", input.kind.is_some()),
        ("url", input.url.is_some()),
        ("model", input.model.is_some()),
    ] {
        if !given {
            invalid.push(Invalid::new(field, "is required"));
        }
    }
    let id = AiProviderId::new();
    let mut row = AiProviderRow {
        id,
        name: name.clone().unwrap_or_default(),
        position: 0,
        kind: String::new(),
        url: String::new(),
        model: String::new(),
        sealed_key: None,
        json_mode: JsonMode::default().as_str().to_owned(),
        stream: false,
        max_tokens: 2048,
        timeout_secs: 30,
        price_in_micros: 0,
        price_out_micros: 0,
        used_for: TaskKind::ALL
            .into_iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
        created_at: now,
        updated_at: now,
    };
    let key = apply(services, &input, &mut row, &mut invalid).flatten();
    if input.kind.is_some() && !row.kind.is_empty() {
        check_whole(&row, key.is_some(), &mut invalid);
    }
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    row.sealed_key = key.map(|k| services.secrets.seal(&k, &bound_to(id)));
    let mut tx = services.db.begin().await?;
    let existing = store::list_providers(&mut tx, caller.id).await?;
    if existing.len() >= MAX_PROVIDERS {
        return Err(AppError::Conflict(format!(
            "you have {MAX_PROVIDERS} providers, the most one account may have; remove one first"
        )));
    }
    if input.position.is_none() {
        row.position = existing.iter().map(|p| p.position + 1).max().unwrap_or(0);
    }
    store::put_provider(&mut tx, caller.id, &row)
        .await
        .map_err(|e| unique_name(e.into(), &row.name))?;
    audit(
        &mut tx,
        caller,
        "ai.provider_added",
        &row,
        serde_json::json!({"name": row.name, "kind": row.kind, "server": server(&row.url), "has_key": row.sealed_key.is_some()}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(view(services, &row))
}

fn server(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| u.port().map_or(h.to_owned(), |p| format!("{h}:{p}")))
        })
        .unwrap_or_default()
}

/// Changes the caller's provider `name`: the fields given, the key replaced when one is
/// given and removed when it is `null` or empty.
pub async fn update(
    services: Services<'_>,
    caller: Caller<'_>,
    name: &str,
    input: ProviderInput,
    now: Timestamp,
) -> Result<OwnProviderView, AppError> {
    require(services.features, FLAG, caller)?;
    let mut tx = services.db.begin().await?;
    let mut row = store::find_provider(&mut tx, caller.id, name)
        .await?
        .ok_or_else(|| not_found(name))?;
    let mut invalid = Vec::new();
    if input.name.is_some() {
        invalid.push(Invalid::new(
            "name",
            "cannot be changed: add the provider again under the new name",
        ));
    }
    let before = row.clone();
    let key = apply(services, &input, &mut row, &mut invalid);
    match key {
        Some(Some(key)) => row.sealed_key = Some(services.secrets.seal(&key, &bound_to(row.id))),
        Some(None) => row.sealed_key = None,
        None => {}
    }
    check_whole(&row, row.sealed_key.is_some(), &mut invalid);
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    row.updated_at = now;
    store::put_provider(&mut tx, caller.id, &row).await?;
    let changed: Vec<&str> = [
        ("kind", before.kind != row.kind),
        ("url", before.url != row.url),
        ("model", before.model != row.model),
        ("api_key", before.sealed_key != row.sealed_key),
        ("json_mode", before.json_mode != row.json_mode),
        ("stream", before.stream != row.stream),
        ("max_tokens", before.max_tokens != row.max_tokens),
        ("timeout_secs", before.timeout_secs != row.timeout_secs),
        (
            "prices",
            (before.price_in_micros, before.price_out_micros)
                != (row.price_in_micros, row.price_out_micros),
        ),
        ("used_for", before.used_for != row.used_for),
        ("position", before.position != row.position),
    ]
    .into_iter()
    .filter(|(_, changed)| *changed)
    .map(|(field, _)| field)
    .collect();
    audit(
        &mut tx,
        caller,
        "ai.provider_changed",
        &row,
        serde_json::json!({"name": row.name, "changed": changed}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(view(services, &row))
}

/// Removes the caller's provider `name` (its key with it).
pub async fn delete(
    services: Services<'_>,
    caller: Caller<'_>,
    name: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut tx = services.db.begin().await?;
    let row = store::find_provider(&mut tx, caller.id, name)
        .await?
        .ok_or_else(|| not_found(name))?;
    store::delete_provider(&mut tx, caller.id, name).await?;
    audit(
        &mut tx,
        caller,
        "ai.provider_removed",
        &row,
        serde_json::json!({"name": row.name}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
