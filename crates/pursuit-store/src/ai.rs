//! The AI layer's records: the call log, the response cache, each user's AI settings and
//! own providers.
//! Every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::ids::{AiCallId, AiOutputId, AiProviderId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row, StringList};

/// One call-log entry to write.
#[derive(Clone, Debug)]
pub struct NewAiCall<'a> {
    pub task: &'a str,
    pub provider: &'a str,
    pub model: &'a str,
    pub tokens_in: i64,
    pub tokens_out: i64,
    /// Millionths of a US dollar.
    pub cost_micros: i64,
    pub latency_ms: i64,
    pub outcome: &'a str,
    pub detail: &'a str,
    pub prompt_hash: &'a str,
    pub prompt: Option<&'a str>,
    pub response: Option<&'a str>,
}

/// A call-log entry.
#[derive(Clone, Debug, PartialEq)]
pub struct AiCall {
    pub id: AiCallId,
    pub task: String,
    pub provider: String,
    pub model: String,
    pub tokens_in: i64,
    pub tokens_out: i64,
    pub cost_micros: i64,
    pub latency_ms: i64,
    pub outcome: String,
    pub detail: String,
    pub prompt_hash: String,
    pub prompt: Option<String>,
    pub response: Option<String>,
    pub created_at: Timestamp,
}

pub async fn insert_call(
    mut conn: impl Conn,
    user_id: UserId,
    call: &NewAiCall<'_>,
    now: Timestamp,
) -> Result<AiCallId, StoreError> {
    let id = AiCallId::new();
    conn.execute(
        query(
            "INSERT INTO ai_calls (id, user_id, task, provider, model, tokens_in, tokens_out, cost_micros, \
             latency_ms, outcome, detail, prompt_hash, prompt, response, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(id)
        .bind(user_id)
        .bind(call.task)
        .bind(call.provider)
        .bind(call.model)
        .bind(call.tokens_in)
        .bind(call.tokens_out)
        .bind(call.cost_micros)
        .bind(call.latency_ms)
        .bind(call.outcome)
        .bind(call.detail)
        .bind(call.prompt_hash)
        .bind(call.prompt)
        .bind(call.response)
        .bind(now),
    )
    .await?;
    Ok(id)
}

fn call_from_row(row: &Row) -> Result<AiCall, StoreError> {
    Ok(AiCall {
        id: AiCallId(row.get("id")?),
        task: row.get("task")?,
        provider: row.get("provider")?,
        model: row.get("model")?,
        tokens_in: row.get("tokens_in")?,
        tokens_out: row.get("tokens_out")?,
        cost_micros: row.get("cost_micros")?,
        latency_ms: row.get("latency_ms")?,
        outcome: row.get("outcome")?,
        detail: row.get("detail")?,
        prompt_hash: row.get("prompt_hash")?,
        prompt: row.get("prompt")?,
        response: row.get("response")?,
        created_at: row.get("created_at")?,
    })
}

/// The user's calls, newest first, after the `(created_at, id)` of the previous page.
pub async fn list_calls(
    mut conn: impl Conn,
    user_id: UserId,
    after: Option<(Timestamp, AiCallId)>,
    limit: i64,
) -> Result<Vec<AiCall>, StoreError> {
    const SELECT: &str = "SELECT id, task, provider, model, tokens_in, tokens_out, cost_micros, latency_ms, \
         outcome, detail, prompt_hash, prompt, response, created_at FROM ai_calls";
    let q = match after {
        None => Query::dynamic(format!(
            "{SELECT} WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(user_id)
        .bind(limit),
        Some((at, id)) => Query::dynamic(format!(
            "{SELECT} WHERE user_id = $1 AND (created_at < $2 OR (created_at = $2 AND id < $3)) \
             ORDER BY created_at DESC, id DESC LIMIT $4"
        ))
        .bind(user_id)
        .bind(at)
        .bind(id)
        .bind(limit),
    };
    conn.fetch_all(q).await?.iter().map(call_from_row).collect()
}

/// What the user's calls since `since` cost (millionths of a dollar) and how many there were.
pub async fn spent_since(
    mut conn: impl Conn,
    user_id: UserId,
    since: Timestamp,
) -> Result<(i64, i64), StoreError> {
    let row = conn
        .fetch_one(
            query(
                "SELECT CAST(coalesce(sum(cost_micros), 0) AS BIGINT) AS spent, count(*) AS calls FROM ai_calls \
                 WHERE user_id = $1 AND created_at >= $2",
            )
            .bind(user_id)
            .bind(since),
        )
        .await?;
    Ok((row.get("spent")?, row.get("calls")?))
}

/// A kept answer.
#[derive(Clone, Debug, PartialEq)]
pub struct AiOutput {
    pub id: AiOutputId,
    pub task: String,
    pub input_digest: String,
    pub output: serde_json::Value,
    pub provider: String,
    pub model: String,
    pub repaired: bool,
    pub created_at: Timestamp,
}

/// The kept answer to `task` for inputs with this digest, if there is one.
pub async fn find_output(
    mut conn: impl Conn,
    user_id: UserId,
    task: &str,
    input_digest: &str,
) -> Result<Option<AiOutput>, StoreError> {
    let row = conn
        .fetch_optional(
            query(
                "SELECT id, task, input_digest, output, provider, model, repaired, created_at \
                 FROM ai_outputs WHERE user_id = $1 AND task = $2 AND input_digest = $3",
            )
            .bind(user_id)
            .bind(task)
            .bind(input_digest),
        )
        .await?;
    row.map(|row| {
        Ok(AiOutput {
            id: AiOutputId(row.get("id")?),
            task: row.get("task")?,
            input_digest: row.get("input_digest")?,
            output: row.get("output")?,
            provider: row.get("provider")?,
            model: row.get("model")?,
            repaired: row.get("repaired")?,
            created_at: row.get("created_at")?,
        })
    })
    .transpose()
}

/// Keeps an answer; an answer already kept for the same inputs (a request running
/// alongside) stays as it is.
#[allow(clippy::too_many_arguments)]
pub async fn insert_output(
    mut conn: impl Conn,
    user_id: UserId,
    task: &str,
    input_digest: &str,
    output: &serde_json::Value,
    provider: &str,
    model: &str,
    repaired: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO ai_outputs (id, user_id, task, input_digest, output, provider, model, repaired, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (user_id, task, input_digest) DO NOTHING",
        )
        .bind(AiOutputId::new())
        .bind(user_id)
        .bind(task)
        .bind(input_digest)
        .bind(output.clone())
        .bind(provider)
        .bind(model)
        .bind(repaired)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// A user's AI settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AiUserSettings {
    /// The local engine only.
    pub offline: bool,
    /// Keep prompts and answers in the call log.
    pub full_logging: bool,
    /// The monthly budget for paid calls in millionths of a dollar (none: the instance's).
    pub monthly_budget_micros: Option<i64>,
    /// Providers this user turned off.
    pub disabled_providers: Vec<String>,
}

/// The user's settings (the defaults until they save some).
pub async fn get_settings(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<AiUserSettings, StoreError> {
    let row = conn
        .fetch_optional(
            query(
                "SELECT offline, full_logging, monthly_budget_micros, disabled_providers \
                 FROM ai_user_settings WHERE user_id = $1",
            )
            .bind(user_id),
        )
        .await?;
    row.map(|row| {
        Ok(AiUserSettings {
            offline: row.get("offline")?,
            full_logging: row.get("full_logging")?,
            monthly_budget_micros: row.get("monthly_budget_micros")?,
            disabled_providers: row.get::<StringList>("disabled_providers")?.0,
        })
    })
    .transpose()
    .map(Option::unwrap_or_default)
}

pub async fn put_settings(
    mut conn: impl Conn,
    user_id: UserId,
    settings: &AiUserSettings,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO ai_user_settings (user_id, offline, full_logging, monthly_budget_micros, disabled_providers, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id) DO UPDATE SET offline = excluded.offline, full_logging = excluded.full_logging, \
             monthly_budget_micros = excluded.monthly_budget_micros, disabled_providers = excluded.disabled_providers, \
             updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(settings.offline)
        .bind(settings.full_logging)
        .bind(settings.monthly_budget_micros)
        .bind(serde_json::json!(settings.disabled_providers))
        .bind(now),
    )
    .await?;
    Ok(())
}

/// A provider a user entered (the key only in its sealed form).
#[derive(Clone, Debug, PartialEq)]
pub struct AiProviderRow {
    pub id: AiProviderId,
    pub name: String,
    pub position: i64,
    /// `openai` or `anthropic`.
    pub kind: String,
    pub url: String,
    pub model: String,
    /// Sealed by `pursuit_app::secrets`; never the key itself.
    pub sealed_key: Option<String>,
    /// `schema`, `object` or `prompt`.
    pub json_mode: String,
    pub stream: bool,
    pub max_tokens: i64,
    pub timeout_secs: i64,
    /// Millionths of a dollar per million tokens.
    pub price_in_micros: i64,
    pub price_out_micros: i64,
    /// Task kinds: `parse`, `write`, `classify`, `summarise`.
    pub used_for: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const PROVIDER_COLUMNS: &str = "id, name, position, kind, url, model, sealed_key, json_mode, stream, \
     max_tokens, timeout_secs, price_in_micros, price_out_micros, used_for, created_at, updated_at";

fn provider_from_row(row: &Row) -> Result<AiProviderRow, StoreError> {
    Ok(AiProviderRow {
        id: AiProviderId(row.get("id")?),
        name: row.get("name")?,
        position: row.get("position")?,
        kind: row.get("kind")?,
        url: row.get("url")?,
        model: row.get("model")?,
        sealed_key: row.get("sealed_key")?,
        json_mode: row.get("json_mode")?,
        stream: row.get("stream")?,
        max_tokens: row.get("max_tokens")?,
        timeout_secs: row.get("timeout_secs")?,
        price_in_micros: row.get("price_in_micros")?,
        price_out_micros: row.get("price_out_micros")?,
        used_for: row.get::<StringList>("used_for")?.0,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// The user's providers in their order.
pub async fn list_providers(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<Vec<AiProviderRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {PROVIDER_COLUMNS} FROM ai_user_providers WHERE user_id = $1 \
                 ORDER BY position, name"
            ))
            .bind(user_id),
        )
        .await?;
    rows.iter().map(provider_from_row).collect()
}

/// The user's provider of that name.
pub async fn find_provider(
    mut conn: impl Conn,
    user_id: UserId,
    name: &str,
) -> Result<Option<AiProviderRow>, StoreError> {
    let row = conn
        .fetch_optional(
            Query::dynamic(format!(
                "SELECT {PROVIDER_COLUMNS} FROM ai_user_providers WHERE user_id = $1 AND name = $2"
            ))
            .bind(user_id)
            .bind(name),
        )
        .await?;
    row.as_ref().map(provider_from_row).transpose()
}

/// Writes a provider: inserted when its id is new, else every field but the name, the id
/// and `created_at` replaced. A second provider of the same name is a unique violation.
pub async fn put_provider(
    mut conn: impl Conn,
    user_id: UserId,
    provider: &AiProviderRow,
) -> Result<(), StoreError> {
    conn.execute(
        Query::dynamic(format!(
            "INSERT INTO ai_user_providers (user_id, {PROVIDER_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
             ON CONFLICT (id) DO UPDATE SET position = excluded.position, kind = excluded.kind, \
             url = excluded.url, model = excluded.model, sealed_key = excluded.sealed_key, \
             json_mode = excluded.json_mode, stream = excluded.stream, max_tokens = excluded.max_tokens, \
             timeout_secs = excluded.timeout_secs, price_in_micros = excluded.price_in_micros, \
             price_out_micros = excluded.price_out_micros, used_for = excluded.used_for, \
             updated_at = excluded.updated_at \
             WHERE ai_user_providers.user_id = excluded.user_id"
        ))
        .bind(user_id)
        .bind(provider.id)
        .bind(provider.name.as_str())
        .bind(provider.position)
        .bind(provider.kind.as_str())
        .bind(provider.url.as_str())
        .bind(provider.model.as_str())
        .bind(provider.sealed_key.as_deref())
        .bind(provider.json_mode.as_str())
        .bind(provider.stream)
        .bind(provider.max_tokens)
        .bind(provider.timeout_secs)
        .bind(provider.price_in_micros)
        .bind(provider.price_out_micros)
        .bind(serde_json::json!(provider.used_for))
        .bind(provider.created_at)
        .bind(provider.updated_at),
    )
    .await?;
    Ok(())
}

/// Removes the user's provider of that name; whether there was one.
pub async fn delete_provider(
    mut conn: impl Conn,
    user_id: UserId,
    name: &str,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query("DELETE FROM ai_user_providers WHERE user_id = $1 AND name = $2")
                .bind(user_id)
                .bind(name),
        )
        .await?;
    Ok(done > 0)
}
