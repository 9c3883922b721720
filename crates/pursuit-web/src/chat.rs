//! Conversations in the API over `pursuit_app::chat` (seed 001's `ai_conversations` and
//! `/openai/ws`): conversations and their messages, a question answered as JSON, as
//! server-sent events (`Accept: text/event-stream`), or over a WebSocket. The answer is
//! checked (by the task's rules and the guard) before any of it is sent: what streams has
//! passed.

use std::convert::Infallible;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_app::chat as use_case;
use pursuit_domain::ids::{ConversationId, PostingId};
use pursuit_store::conversations::{ConversationRow, MessageRow};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start, list))
        .routes(routes!(get_conversation, delete_conversation))
        .routes(routes!(ask))
        .routes(routes!(socket))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartBody {
    /// The posting the conversation is about (one of the caller's); none for the search
    /// in general.
    job_id: Option<uuid::Uuid>,
    /// Default "About {the posting's title}" or "Your job search"; one line, at most 200
    /// characters.
    title: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MessageClaim {
    kind: String,
    words: String,
    supported: bool,
    reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MessageResponse {
    id: uuid::Uuid,
    /// `user` or `assistant`.
    role: String,
    content: String,
    /// Who wrote an answer: `local` or a provider's name.
    provider: Option<String>,
    model: Option<String>,
    cost_usd: f64,
    /// The guard's reading of an answer's claims about the user.
    claims: Vec<MessageClaim>,
    /// Claims the user's material does not support.
    unsupported: usize,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ConversationResponse {
    id: uuid::Uuid,
    job_id: Option<uuid::Uuid>,
    title: String,
    /// In order (the newest 200); empty in a list.
    messages: Vec<MessageResponse>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ConversationList {
    /// Most recently active first (at most 100).
    items: Vec<ConversationResponse>,
}

pub(crate) fn message(m: MessageRow) -> MessageResponse {
    let claims: Vec<MessageClaim> = m
        .claims
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| MessageClaim {
            kind: c["kind"].as_str().unwrap_or_default().to_owned(),
            words: c["words"].as_str().unwrap_or_default().to_owned(),
            supported: c["supported"].as_bool().unwrap_or(false),
            reason: c["reason"].as_str().unwrap_or_default().to_owned(),
        })
        .collect();
    MessageResponse {
        id: m.id.0,
        role: m.role,
        content: m.content,
        provider: m.provider,
        model: m.model,
        cost_usd: m.cost_micros as f64 / 1_000_000.0,
        unsupported: claims.iter().filter(|c| !c.supported).count(),
        claims,
        created_at: m.created_at,
    }
}

fn conversation(row: ConversationRow, messages: Vec<MessageRow>) -> ConversationResponse {
    ConversationResponse {
        id: row.id.0,
        job_id: row.posting_id.map(|p| p.0),
        title: row.title,
        messages: messages.into_iter().map(message).collect(),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// Starts a conversation with the assistant, about one of the caller's postings or their
/// search in general.
#[utoipa::path(post, path = "/api/v1/conversations", tag = "chat", request_body = StartBody,
    responses(
        (status = 201, description = "The conversation", body = ConversationResponse,
            headers(("Location" = String, description = "The conversation's URL"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such posting of the caller's, or a title that is not one line of at most 200 characters", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn start(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<StartBody>,
) -> Result<Response, ApiError> {
    let row = use_case::start(
        &state.db,
        current.id(),
        body.job_id.map(PostingId),
        body.title.as_deref(),
        Timestamp::now(),
    )
    .await?;
    let location = format!("/api/v1/conversations/{}", row.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(conversation(row, Vec::new())),
    )
        .into_response())
}

/// The caller's conversations, most recently active first (without their messages).
#[utoipa::path(get, path = "/api/v1/conversations", tag = "chat",
    responses(
        (status = 200, description = "The conversations", body = ConversationList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<ConversationList>, ApiError> {
    let rows = use_case::list(&state.db, current.id()).await?;
    Ok(Json(ConversationList {
        items: rows
            .into_iter()
            .map(|r| conversation(r, Vec::new()))
            .collect(),
    }))
}

/// One of the caller's conversations with its messages in order.
#[utoipa::path(get, path = "/api/v1/conversations/{id}", tag = "chat",
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    responses(
        (status = 200, description = "The conversation", body = ConversationResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such conversation of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_conversation(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<ConversationResponse>, ApiError> {
    let found = use_case::get(&state.db, current.id(), ConversationId(id)).await?;
    Ok(Json(conversation(found.row, found.messages)))
}

/// Deletes one of the caller's conversations with its messages.
#[utoipa::path(delete, path = "/api/v1/conversations/{id}", tag = "chat",
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such conversation of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_conversation(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    use_case::delete(&state.db, current.id(), ConversationId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskBody {
    /// The question, 1 to 4,000 characters.
    content: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Exchange {
    question: MessageResponse,
    answer: MessageResponse,
}

/// The answer in pieces whose concatenation is the answer, a few words each.
pub(crate) fn pieces(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_inclusive(' ').collect();
    words.chunks(4).map(|c| c.concat()).collect()
}

/// A problem as the body of a stream's error event.
fn problem_json(error: &ApiError) -> Value {
    let kind = error.kind();
    json!({
        "type": kind.type_uri(),
        "title": kind.title(),
        "status": kind.status().as_u16(),
        "detail": error.detail(),
        "errors": error.field_errors(),
    })
}

/// Asks a question in one of the caller's conversations. The answer comes from the
/// configured `write` chain (task `chat`) with the caller's material, the posting and the
/// conversation so far: a model's answer that states about the caller what their material
/// does not show is passed over, down to the local engine, which answers from the
/// matcher's reading (the match, what is missing, strengths, duties, pay, the interview).
/// With `Accept: text/event-stream` the answer streams as server-sent events: `status`
/// (`{"state": "thinking"}`), `delta` (`{"text"}` pieces that concatenate to the answer),
/// then `done` (`{question, answer}` as kept), or `error` (`{problem}`).
#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages", tag = "chat", request_body = AskBody,
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    responses(
        (status = 201, description = "The question and the answer, as kept (or, with Accept: text/event-stream, the events)", body = Exchange),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The feature is turned off for the caller", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such conversation of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty, too long or control-character question", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn ask(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    headers: HeaderMap,
    Json(body): Json<AskBody>,
) -> Result<Response, ApiError> {
    let id = ConversationId(id);
    // Refusals answer as problems before any stream starts.
    let content = use_case::question(&body.content)?;
    use_case::owned(&state.db, current.id(), id).await?;
    let streamed = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/event-stream"));
    if !streamed {
        let (question, answer) = use_case::ask(
            state.ai_services(),
            current.caller(),
            id,
            &content,
            Timestamp::now(),
        )
        .await?;
        return Ok((
            StatusCode::CREATED,
            Json(Exchange {
                question: message(question),
                answer: message(answer),
            }),
        )
            .into_response());
    }
    let (send, receive) = tokio::sync::mpsc::channel::<Event>(64);
    tokio::spawn(async move {
        let _ = send
            .send(
                Event::default()
                    .event("status")
                    .data(r#"{"state":"thinking"}"#),
            )
            .await;
        for (name, data) in answer_events(&state, &current, id, &content).await {
            let event = Event::default().event(name).data(data.to_string());
            if send.send(event).await.is_err() {
                return;
            }
        }
    });
    let events = futures_util::stream::unfold(receive, |mut receive| async move {
        receive
            .recv()
            .await
            .map(|event| (Ok::<_, Infallible>(event), receive))
    });
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}

/// The WebSocket upgrade, or why there is none.
pub struct MaybeUpgrade(Result<WebSocketUpgrade, String>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUpgrade {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        Ok(MaybeUpgrade(
            WebSocketUpgrade::from_request_parts(parts, state)
                .await
                .map_err(|e| e.body_text()),
        ))
    }
}

/// The largest message a client may send over the WebSocket (bytes).
const MAX_FRAME: usize = 64 * 1024;
/// The most assistant sockets one user may hold open: an upgraded socket leaves the
/// server's connection count, so this bounds what one account can hold.
pub const MAX_SOCKETS_PER_USER: usize = 8;

/// Open sockets per user, in this process.
fn open_sockets() -> &'static std::sync::Mutex<std::collections::HashMap<uuid::Uuid, usize>> {
    static OPEN: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<uuid::Uuid, usize>>,
    > = std::sync::OnceLock::new();
    OPEN.get_or_init(Default::default)
}

/// One of a user's open sockets, counted until dropped.
struct SocketSlot(uuid::Uuid);

impl SocketSlot {
    fn take(user: uuid::Uuid) -> Option<SocketSlot> {
        let mut open = open_sockets().lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(user).or_insert(0);
        if *count >= MAX_SOCKETS_PER_USER {
            return None;
        }
        *count += 1;
        Some(SocketSlot(user))
    }
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut open = open_sockets().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.0) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.0);
            }
        }
    }
}

/// Seed 001's `/openai/ws`: a WebSocket on one of the caller's conversations. Each text
/// frame `{"content": "…"}` is a question; the server answers with frames
/// `{"type": "status", "state": "thinking"}`, `{"type": "delta", "text"}` pieces, then
/// `{"type": "done", "question", "answer"}` as kept, or `{"type": "error", "problem"}`.
/// A cookie session must come from Pursuit's own pages (its `Origin`); without an
/// `Upgrade` the answer is 400.
#[utoipa::path(get, path = "/api/v1/conversations/{id}/ws", tag = "chat",
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, description = "Not a WebSocket upgrade request", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "A cross-site upgrade", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such conversation of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 429, description = "The caller already holds 8 open sockets", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn socket(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    upgrade: MaybeUpgrade,
    request: axum::http::request::Parts,
) -> Result<Response, ApiError> {
    let id = ConversationId(id);
    use_case::owned(&state.db, current.id(), id).await?;
    // A browser's upgrade carries its cookie from any site that opens the socket:
    // only our own pages may.
    crate::auth::check_origin(&request, &state)?;
    let upgrade = upgrade.0.map_err(|why| {
        ApiError::bad_request(format!(
            "this address speaks WebSocket: connect with an Upgrade request ({why})"
        ))
    })?;
    let slot = SocketSlot::take(current.id().0).ok_or_else(|| {
        ApiError::new(crate::problem::ProblemType::RateLimited).with_detail(format!(
            "you already hold {MAX_SOCKETS_PER_USER} open assistant sockets: close one first"
        ))
    })?;
    Ok(upgrade
        .max_message_size(MAX_FRAME)
        .on_upgrade(move |socket| async move {
            converse(socket, state, current, id).await;
            drop(slot);
        }))
}

async fn converse(
    mut socket: WebSocket,
    state: AppState,
    current: CurrentUser,
    id: ConversationId,
) {
    while let Some(Ok(frame)) = socket.recv().await {
        let text = match frame {
            Message::Text(text) => text.to_string(),
            Message::Close(_) => return,
            // Pings are answered by the library; binary frames are no questions.
            Message::Binary(_) => String::new(),
            _ => continue,
        };
        let asked = if text.is_empty() {
            Err(ApiError::bad_request(
                "send questions as text frames of JSON",
            ))
        } else {
            serde_json::from_str::<AskBody>(&text).map_err(|e| {
                ApiError::invalid_field("/content", format!("send {{\"content\": \"…\"}}: {e}"))
            })
        };
        let content = match asked {
            Ok(body) => body.content,
            Err(refused) => {
                let frame = json!({"type": "error", "problem": problem_json(&refused)});
                if send_json(&mut socket, frame).await.is_err() {
                    return;
                }
                continue;
            }
        };
        if send_json(&mut socket, json!({"type": "status", "state": "thinking"}))
            .await
            .is_err()
        {
            return;
        }
        for (name, mut data) in answer_events(&state, &current, id, &content).await {
            data["type"] = json!(name);
            if send_json(&mut socket, data).await.is_err() {
                return;
            }
        }
    }
}

/// What follows `status` in both streams: the answer's `delta` pieces and `done` with the
/// question and answer as kept, or `error` with the problem.
async fn answer_events(
    state: &AppState,
    current: &CurrentUser,
    id: ConversationId,
    content: &str,
) -> Vec<(&'static str, Value)> {
    match use_case::ask(
        state.ai_services(),
        current.caller(),
        id,
        content,
        Timestamp::now(),
    )
    .await
    {
        Ok((question, answer)) => {
            let mut events: Vec<(&'static str, Value)> = pieces(&answer.content)
                .into_iter()
                .map(|piece| ("delta", json!({"text": piece})))
                .collect();
            events.push((
                "done",
                json!({"question": message(question), "answer": message(answer)}),
            ));
            events
        }
        Err(error) => {
            let problem = problem_json(&ApiError::from(error));
            vec![("error", json!({"problem": problem}))]
        }
    }
}

async fn send_json(socket: &mut WebSocket, value: Value) -> Result<(), axum::Error> {
    socket.send(Message::Text(value.to_string().into())).await
}
