//! `/settings/ai`: the AI layer for its user — the month's cost against the budget, the
//! configured providers and the user's own (never their keys), adding and changing one's
//! own, the user's choices (local only, full logging, budget, providers on or off), a spam
//! check to try the layer with, and the call log. Forms call the same `pursuit_app::ai`
//! use cases as `/api/v1/ai/…`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_ai::{Input, Request, Task};
use pursuit_app::ai::providers::{self as own, OwnProviderView, ProviderInput};
use pursuit_app::ai::{self as use_case, AiResult, SettingsChange, check_input};
use pursuit_app::error::AppError;
use serde_json::{Value, json};

use super::forms::{self, FormData};
use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/settings/ai", get(page).post(save))
        .route("/settings/ai/spam-check", post(try_spam_check))
        .route("/settings/ai/check-claims", post(try_check_claims))
        .route("/settings/ai/providers", post(add_provider))
        .route(
            "/settings/ai/providers/{name}",
            get(edit_provider_page).post(save_provider),
        )
        .route(
            "/settings/ai/providers/{name}/delete",
            post(remove_provider),
        )
        .route("/settings/ai/providers/{name}/test", post(test_provider))
}

#[derive(Default)]
struct Extras {
    notice: Option<String>,
    error: Option<String>,
    posted: Option<BTreeMap<String, String>>,
    posted_enabled: Option<Vec<String>>,
    /// A spam check just run: the email as marked segments and the answer.
    check: Option<Value>,
    /// A claim check just run: the text with its unsupported claims marked.
    claims: Option<Value>,
    /// The add-a-provider form as posted (never the key), after a refusal, and why.
    provider_form: Option<BTreeMap<String, String>>,
    provider_error: Option<String>,
}

/// The provider form's fields as the template shows them (never the key).
const PROVIDER_FIELDS: [&str; 9] = [
    "name",
    "kind",
    "url",
    "model",
    "json_mode",
    "max_tokens",
    "timeout_secs",
    "price_in",
    "price_out",
];

/// What a blank add-a-provider form shows.
fn provider_defaults() -> BTreeMap<String, String> {
    [
        ("kind", "openai"),
        ("json_mode", "schema"),
        ("max_tokens", "2048"),
        ("timeout_secs", "30"),
        ("price_in", "0"),
        ("price_out", "0"),
        ("used_for", "parse,write,classify,summarise"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// A saved provider as its form shows it.
fn provider_values(p: &OwnProviderView) -> BTreeMap<String, String> {
    let used: Vec<&str> = p.used_for.iter().map(|k| k.as_str()).collect();
    [
        ("name", p.name.clone()),
        ("kind", p.kind.as_str().to_owned()),
        ("url", p.url.clone()),
        ("model", p.model.clone()),
        ("json_mode", p.json_mode.as_str().to_owned()),
        ("max_tokens", p.max_tokens.to_string()),
        ("timeout_secs", p.timeout_secs.to_string()),
        ("price_in", p.price_in_per_million.to_string()),
        ("price_out", p.price_out_per_million.to_string()),
        ("stream", if p.stream { "on" } else { "" }.to_owned()),
        ("used_for", used.join(",")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The provider form as posted, for showing it again: never the key.
fn provider_posted(form: &FormData) -> BTreeMap<String, String> {
    let mut values: BTreeMap<String, String> = PROVIDER_FIELDS
        .iter()
        .map(|f| ((*f).to_owned(), form.text(f)))
        .collect();
    values.insert("stream".to_owned(), form.text("stream"));
    values.insert("used_for".to_owned(), form.all("used_for").join(","));
    values
}

/// The provider form read into the use case's input; a number that does not read is
/// refused by its API field name.
fn provider_input(form: &FormData, adding: bool) -> Result<ProviderInput, ApiError> {
    fn number<T: std::str::FromStr>(
        form: &FormData,
        field: &str,
        pointer: &str,
        what: &str,
    ) -> Result<Option<T>, ApiError> {
        let text = form.text(field);
        let text = text.trim().trim_start_matches('$');
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<T>()
            .map(Some)
            .map_err(|_| ApiError::invalid_field(pointer, format!("must be {what}")))
    }
    let key = form.text("api_key");
    let api_key = if adding {
        Some(Some(key))
    } else if form.get("remove_key") == Some("on") {
        Some(None)
    } else if key.trim().is_empty() {
        None
    } else {
        Some(Some(key))
    };
    Ok(ProviderInput {
        name: adding.then(|| form.text("name")),
        kind: Some(form.text("kind")),
        url: Some(form.text("url")),
        model: Some(form.text("model")),
        api_key,
        json_mode: Some(form.text("json_mode")).filter(|m| !m.is_empty()),
        stream: Some(form.get("stream") == Some("on")),
        max_tokens: number(
            form,
            "max_tokens",
            "/max_tokens",
            "a whole number of tokens",
        )?,
        timeout_secs: number(
            form,
            "timeout_secs",
            "/timeout_secs",
            "a whole number of seconds",
        )?,
        price_in_per_million: number(
            form,
            "price_in",
            "/price_in_per_million",
            "an amount in US dollars, such as 0 or 2.50",
        )?
        .filter(|p: &f64| p.is_finite())
        .or(Some(0.0)),
        price_out_per_million: number(
            form,
            "price_out",
            "/price_out_per_million",
            "an amount in US dollars, such as 0 or 10",
        )?
        .filter(|p: &f64| p.is_finite())
        .or(Some(0.0)),
        used_for: Some(form.all("used_for")),
        position: None,
    })
}

/// What an AI feature flag turns on, in words.
fn feature_label(name: &str) -> &'static str {
    match name {
        "ai.remote" => "AI providers (without it, the built-in engine answers everything)",
        "ai.user_providers" => "Providers of your own",
        "ai.parse_resume" => "Reading resumes",
        "ai.parse_job_description" => "Reading job postings",
        "ai.pain_point_map" => "Pain-point maps",
        "ai.spam_check" => "Spam check",
        "ai.check_claims" => "Checking texts against your resume",
        _ => "Another AI feature",
    }
}

fn money(usd: f64) -> String {
    if usd == 0.0 {
        "$0".to_owned()
    } else if usd < 0.01 {
        format!("${usd:.4}")
    } else {
        format!("${usd:.2}")
    }
}

async fn show(
    state: &AppState,
    user: &PageUser,
    extras: Extras,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let current = &user.0;
    let now = Timestamp::now();
    let usage = use_case::usage(&state.db, &state.ai, current.id(), now).await?;
    let settings = use_case::settings(&state.db, current.id()).await?;
    let caller = current.caller();
    let services = state.ai_services();
    let features: Vec<Value> = use_case::features(services, caller)
        .into_iter()
        .map(|(name, on)| json!({"label": feature_label(name), "name": name, "on": on}))
        .collect();
    let flagged = use_case::flagged_off(services, caller);
    let own_on = use_case::own_providers_on(services, caller);
    let mine = own::list(services, caller).await?;
    let own_rows: Vec<Value> = mine
        .iter()
        .map(|p| {
            json!({
                "name": p.name,
                "kind": p.kind.as_str(),
                "url": p.url,
                "model": p.model,
                "has_key": p.has_key,
                "key_problem": p.key_problem,
                "paid": p.price_in_per_million > 0.0 || p.price_out_per_million > 0.0,
                "used_for": p.used_for.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                "off_by_flag": !own_on,
                "off_by_you": settings.disabled_providers.contains(&p.name),
                "circuit": state.ai.circuit(&own::breaker(p.id)),
            })
        })
        .collect();
    let providers: Vec<Value> = state
        .ai
        .providers()
        .into_iter()
        .map(|p| {
            let by_flag = flagged.contains(&p.name);
            let mut row = serde_json::to_value(&p).unwrap_or_default();
            row["off_by_flag"] = Value::Bool(by_flag);
            row["off_by_you"] = Value::Bool(settings.disabled_providers.contains(&p.name));
            row
        })
        .collect();
    let mut values: BTreeMap<String, String> = [
        (
            "offline",
            if settings.offline { "on" } else { "" }.to_owned(),
        ),
        (
            "full_logging",
            if settings.full_logging { "on" } else { "" }.to_owned(),
        ),
        (
            "budget",
            settings
                .monthly_budget_micros
                .map(|m| format!("{:.2}", m as f64 / 1_000_000.0))
                .unwrap_or_default(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let choosable: Vec<Value> = providers
        .iter()
        .chain(own_rows.iter())
        .map(|p| json!({"name": p["name"], "model": p["model"]}))
        .collect();
    let mut enabled: Vec<String> = choosable
        .iter()
        .filter_map(|p| p["name"].as_str())
        .filter(|name| !settings.disabled_providers.iter().any(|d| d == name))
        .map(str::to_owned)
        .collect();
    if let Some(posted) = extras.posted {
        values.insert("offline".to_owned(), String::new());
        values.insert("full_logging".to_owned(), String::new());
        values.extend(posted);
        enabled = extras.posted_enabled.unwrap_or_default();
    }
    let zone = current.zone();
    let calls: Vec<Value> = use_case::calls(&state.db, current.id(), None, 50)
        .await?
        .into_iter()
        .map(|c| {
            json!({
                "when": c.created_at.to_zoned(zone.clone()).strftime("%-d %b, %H:%M:%S").to_string(),
                "task": c.task.replace('_', " "),
                "provider": c.provider,
                "model": c.model,
                "tokens": if c.tokens_in + c.tokens_out > 0 { format!("{} / {}", c.tokens_in, c.tokens_out) } else { String::new() },
                "cost": money(c.cost_micros as f64 / 1_000_000.0),
                "latency": format!("{} ms", c.latency_ms),
                "outcome": c.outcome.replace('_', " "),
                "good": matches!(c.outcome.as_str(), "ok" | "repaired" | "cache"),
                "detail": c.detail,
            })
        })
        .collect();
    let share = usage
        .budget_usd
        .filter(|b| *b > 0.0)
        .map(|b| (usage.spent_usd / b).min(1.0));
    Ok(render(
        "ai.html",
        status,
        context! {
            version => state.settings.version,
            page => "settings",
            user => user.view(),
            csrf => user.csrf(),
            notice => extras.notice,
            error => extras.error,
            values => template_value(&values),
            enabled => enabled,
            instance_offline => state.ai.settings().offline,
            providers => template_value(&Value::Array(providers)),
            own => template_value(&Value::Array(own_rows)),
            features => template_value(&Value::Array(features)),
            own_on => own_on,
            own_full => mine.len() >= own::MAX_PROVIDERS,
            choosable => template_value(&Value::Array(choosable)),
            pf => template_value(&extras.provider_form.clone().unwrap_or_else(provider_defaults)),
            pf_open => extras.provider_form.is_some(),
            pf_error => extras.provider_error,
            private_ok => state.ai.settings().user_providers_private,
            spent => money(usage.spent_usd),
            budget => usage.budget_usd.map(money),
            share => share,
            month => usage.month_start.to_zoned(jiff::tz::TimeZone::UTC).strftime("%B %Y").to_string(),
            call_count => usage.calls,
            calls => template_value(&Value::Array(calls)),
            check => extras.check.as_ref().map(template_value),
            claims => extras.claims.as_ref().map(template_value),
        },
    ))
}

#[derive(serde::Deserialize, Default)]
struct Done {
    saved: Option<String>,
    added: Option<String>,
    changed: Option<String>,
    removed: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(done): axum::extract::Query<Done>,
) -> Result<Response, ApiError> {
    let notice = if let Some(name) = done.added {
        Some(format!(
            "Provider {name} added. Try it with \"Test connection\"."
        ))
    } else if let Some(name) = done.changed {
        Some(format!("Provider {name} saved."))
    } else if let Some(name) = done.removed {
        Some(format!("Provider {name} removed, and its key with it."))
    } else {
        done.saved.map(|_| "AI settings saved.".to_owned())
    };
    let extras = Extras {
        notice,
        ..Extras::default()
    };
    show(&state, &user, extras, StatusCode::OK).await
}

async fn refused(
    state: &AppState,
    user: &PageUser,
    error: ApiError,
    form: &FormData,
) -> Result<Response, ApiError> {
    let status = error.kind().status();
    if !status.is_client_error() {
        return Err(error);
    }
    let extras = Extras {
        error: Some(forms::message(&error)),
        posted: Some(form.0.iter().cloned().collect()),
        posted_enabled: Some(form.all("enabled")),
        ..Extras::default()
    };
    show(state, user, extras, status).await
}

/// Saves the choices form (the use case behind `PATCH /api/v1/ai/settings`).
async fn save(
    State(state): State<AppState>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let budget = form.text("budget");
    let budget = budget.trim().trim_start_matches('$');
    let budget = if budget.is_empty() {
        None
    } else {
        match budget.parse::<f64>() {
            Ok(value) if value.is_finite() => Some(value),
            _ => {
                let error = ApiError::invalid_field(
                    "/monthly_budget_usd",
                    "must be an amount in US dollars, such as 5 or 12.50",
                );
                return refused(&state, &page, error, &form).await;
            }
        }
    };
    let enabled = form.all("enabled");
    let caller = page.0.caller();
    let mine = match own::list(state.ai_services(), caller).await {
        Ok(mine) => mine,
        Err(error) => return Err(error.into()),
    };
    let disabled: Vec<String> = state
        .ai
        .providers()
        .into_iter()
        .map(|p| p.name)
        .chain(mine.into_iter().map(|p| p.name))
        .filter(|name| !enabled.contains(name))
        .collect();
    let change = SettingsChange {
        offline: Some(form.get("offline") == Some("on")),
        full_logging: Some(form.get("full_logging") == Some("on")),
        monthly_budget_usd: Some(budget),
        disabled_providers: Some(disabled),
    };
    let result =
        use_case::update_settings(&state.db, &state.ai, page.0.id(), Timestamp::now(), change)
            .await
            .map_err(ApiError::from);
    match result {
        Ok(_) => Ok(Redirect::to("/settings/ai?saved=1").into_response()),
        Err(error) => refused(&state, &page, error, &form).await,
    }
}

/// Adds a provider of the user's own (the use case behind `POST /api/v1/ai/providers`).
async fn add_provider(
    State(state): State<AppState>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let caller = page.0.caller();
    let result = match provider_input(&form, true) {
        Ok(input) => own::create(state.ai_services(), caller, input, Timestamp::now())
            .await
            .map_err(ApiError::from),
        Err(error) => Err(error),
    };
    match result {
        Ok(added) => {
            Ok(Redirect::to(&format!("/settings/ai?added={}#own", added.name)).into_response())
        }
        Err(error) => {
            let status = error.kind().status();
            if !status.is_client_error() {
                return Err(error);
            }
            let extras = Extras {
                error: Some("The provider was not added: see the form below.".to_owned()),
                provider_error: Some(forms::message(&error)),
                provider_form: Some(provider_posted(&form)),
                ..Extras::default()
            };
            show(&state, &page, extras, status).await
        }
    }
}

async fn show_provider(
    state: &AppState,
    user: &PageUser,
    name: &str,
    posted: Option<BTreeMap<String, String>>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let caller = user.0.caller();
    let provider = own::get(state.ai_services(), caller, name).await?;
    let values = posted.unwrap_or_else(|| provider_values(&provider));
    Ok(render(
        "ai_provider.html",
        status,
        context! {
            version => state.settings.version,
            page => "settings",
            user => user.view(),
            csrf => user.csrf(),
            error => error,
            name => provider.name,
            has_key => provider.has_key,
            key_problem => provider.key_problem,
            pf => template_value(&values),
            private_ok => state.ai.settings().user_providers_private,
        },
    ))
}

/// The edit form of one of the user's providers.
async fn edit_provider_page(
    State(state): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    user: PageUser,
) -> Result<Response, ApiError> {
    show_provider(&state, &user, &name, None, None, StatusCode::OK).await
}

/// Saves the edit form (the use case behind `PATCH /api/v1/ai/providers/{name}`).
async fn save_provider(
    State(state): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let caller = page.0.caller();
    let result = match provider_input(&form, false) {
        Ok(input) => own::update(state.ai_services(), caller, &name, input, Timestamp::now())
            .await
            .map_err(ApiError::from),
        Err(error) => Err(error),
    };
    match result {
        Ok(saved) => {
            Ok(Redirect::to(&format!("/settings/ai?changed={}#own", saved.name)).into_response())
        }
        Err(error) => {
            let status = error.kind().status();
            if !status.is_client_error() || status == StatusCode::NOT_FOUND {
                return Err(error);
            }
            let mut posted = provider_posted(&form);
            posted.insert("name".to_owned(), name.clone());
            show_provider(
                &state,
                &page,
                &name,
                Some(posted),
                Some(forms::message(&error)),
                status,
            )
            .await
        }
    }
}

/// Removes one of the user's providers (the use case behind
/// `DELETE /api/v1/ai/providers/{name}`).
async fn remove_provider(
    State(state): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    PageForm { user: page, .. }: PageForm,
) -> Result<Response, ApiError> {
    let caller = page.0.caller();
    own::delete(state.ai_services(), caller, &name, Timestamp::now()).await?;
    Ok(Redirect::to(&format!("/settings/ai?removed={name}#own")).into_response())
}

/// The text cut into pieces, each marked when it lies in one of `spans` (byte ranges;
/// overlapping ones after the first are skipped), for the page to highlight without HTML
/// in data.
pub(super) fn marked_spans(text: &str, mut spans: Vec<(usize, usize)>) -> Vec<Value> {
    spans.sort();
    let mut pieces = Vec::new();
    let mut at = 0;
    for (start, end) in spans {
        if start < at
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        if start > at {
            pieces.push(json!({"text": &text[at..start], "mark": false}));
        }
        pieces.push(json!({"text": &text[start..end], "mark": true}));
        at = end;
    }
    if at < text.len() {
        pieces.push(json!({"text": &text[at..], "mark": false}));
    }
    pieces
}

/// The email cut into pieces, every occurrence of a spam word marked.
pub(super) fn marked(text: &str, words: &[String]) -> Vec<Value> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for word in words.iter().filter(|w| !w.is_empty()) {
        let mut from = 0;
        while let Some(at) = text[from..].find(word.as_str()) {
            let start = from + at;
            spans.push((start, start + word.len()));
            from = start + word.len();
        }
    }
    marked_spans(text, spans)
}

/// Checks a text against the user's resume from the page (the use case behind
/// `POST /api/v1/ai/check-claims`).
async fn try_check_claims(
    State(state): State<AppState>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let text = form.text("claims_text");
    let caller = page.0.caller();
    let result = use_case::check_claims(state.ai_services(), caller, &text, "", Timestamp::now())
        .await
        .map_err(ApiError::from);
    let check = match result {
        Ok(check) => check,
        Err(error) => return refused(&state, &page, error, &form).await,
    };
    let unsupported: Vec<Value> = check
        .claims
        .iter()
        .filter(|c| !c.supported)
        .map(|c| json!({"kind": c.kind.as_str(), "words": c.words, "reason": c.reason}))
        .collect();
    let spans = check
        .claims
        .iter()
        .filter(|c| !c.supported)
        .map(|c| (c.start, c.end))
        .collect();
    let claims = json!({
        "text": text,
        "pieces": marked_spans(&text, spans),
        "total": check.claims.len(),
        "unsupported": unsupported,
        "versions": check.versions,
    });
    let extras = Extras {
        claims: Some(claims),
        ..Extras::default()
    };
    show(&state, &page, extras, StatusCode::OK).await
}

/// "Test connection" from the page (the use case behind
/// `POST /api/v1/ai/providers/{name}/test`): the result as the page's notice or error.
async fn test_provider(
    State(state): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let caller = page.0.caller();
    let result = use_case::test_provider(state.ai_services(), caller, &name, Timestamp::now())
        .await
        .map_err(ApiError::from);
    let result = match result {
        Ok(result) => result,
        Err(error) => return refused(&state, &page, error, &form).await,
    };
    let extras = if result.worked {
        Extras {
            notice: Some(format!(
                "{name} answered in {} ms with a valid spam check ({}{}).",
                result.latency_ms,
                result.model,
                if result.outcome == "repaired" {
                    ", after one repair"
                } else {
                    ""
                }
            )),
            ..Extras::default()
        }
    } else {
        Extras {
            error: Some(format!(
                "{name} did not give a valid answer: {} — {}",
                result.outcome.replace('_', " "),
                if result.detail.is_empty() {
                    "no detail"
                } else {
                    &result.detail
                }
            )),
            ..Extras::default()
        }
    };
    show(&state, &page, extras, StatusCode::OK).await
}

/// Runs a spam check from the page (the use case behind `POST /api/v1/ai/spam-check`).
async fn try_spam_check(
    State(state): State<AppState>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let email = form.text("email");
    if let Err(invalid) = check_input("email", &email, true) {
        return refused(
            &state,
            &page,
            AppError::Invalid(vec![invalid]).into(),
            &form,
        )
        .await;
    }
    let request = Request::new(
        Task::SpamCheck,
        vec![Input {
            label: "email",
            text: email.clone(),
        }],
    );
    let caller = page.0.caller();
    let result: AiResult =
        match use_case::run(state.ai_services(), caller, Timestamp::now(), request).await {
            Ok(result) => result,
            Err(error) => return refused(&state, &page, error.into(), &form).await,
        };
    let words: Vec<String> = result.value["spam_words"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w.as_str().map(str::to_owned))
        .collect();
    let score = result.value["spam_score"].as_f64().unwrap_or(0.0);
    let check = json!({
        "email": email,
        "pieces": marked(&email, &words),
        "score": format!("{:.0}", score * 100.0),
        "verdict": if score >= 0.6 { "likely filtered" } else if score >= 0.3 { "some risk" } else { "looks clean" },
        "words": words,
        "provider": result.provider,
        "model": result.model,
        "cached": result.cached,
        "repaired": result.repaired,
        "fallbacks": result.fallbacks,
        "cost": money(result.cost_usd),
    });
    let extras = Extras {
        check: Some(check),
        ..Extras::default()
    };
    show(&state, &page, extras, StatusCode::OK).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_pieces_put_the_email_back_together() {
        let text = "FREE offer, act now: FREE!";
        let pieces = marked(
            text,
            &[
                "FREE".to_owned(),
                "act now".to_owned(),
                "offer, act".to_owned(),
            ],
        );
        let joined: String = pieces.iter().map(|p| p["text"].as_str().unwrap()).collect();
        assert_eq!(joined, text);
        let marks: Vec<&str> = pieces
            .iter()
            .filter(|p| p["mark"] == true)
            .map(|p| p["text"].as_str().unwrap())
            .collect();
        assert_eq!(marks, ["FREE", "offer, act", "FREE"]);
    }
}
