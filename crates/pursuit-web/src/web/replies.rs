//! `/replies`: what came back to the user's mailboxes over `pursuit_app::replies` — each
//! answer with who wrote, what the reading makes of it and the status move it suggests
//! (apply, undo, set aside), the automatic answers, bounces and abuse reports; a kind at a
//! time or all.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::{AppError, replies};
use pursuit_domain::ids::ReplyId;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/replies", get(reply_list))
        .route("/replies/{id}/{action}", post(reply_move))
}

#[derive(Deserialize)]
struct ReplyQuery {
    kind: Option<String>,
    done: Option<String>,
}

const KINDS: [(&str, &str); 4] = [
    ("reply", "Replies"),
    ("automatic", "Automatic"),
    ("bounce", "Bounces"),
    ("complaint", "Reports"),
];

fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "applied" => "The application moved. Undo puts it back.",
        "undone" => "The application is back where it was.",
        "dismissed" => "Set aside: the application stays where it is.",
        _ => return None,
    })
}

async fn show(
    state: &AppState,
    user: &PageUser,
    kind: Option<&str>,
    notice: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let kind = kind.filter(|k| KINDS.iter().any(|(name, _)| name == k));
    let rows = replies::list(&state.db, user.0.id(), kind).await?;
    let zone = user.0.zone();
    let items: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            let received = r.received_at;
            let mut view =
                serde_json::to_value(crate::replies::reply_response(r)).unwrap_or_default();
            view["received_local"] = json!(
                received
                    .to_zoned(zone.clone())
                    .strftime("%a %-d %b %H:%M")
                    .to_string()
            );
            view
        })
        .collect();
    let any_mailbox_reads = pursuit_app::mailboxes::list(&state.db, user.0.id(), Timestamp::now())
        .await?
        .iter()
        .any(|m| m.row.settings.imap_host.is_some());
    Ok(render(
        "replies.html",
        status,
        context! {
            version => state.settings.version,
            page => "campaigns",
            user => user.view(),
            csrf => user.csrf(),
            replies => template_value(&items),
            kind => kind,
            kinds => KINDS.iter().map(|&(name, label)| context! { name => name, label => label }).collect::<Vec<_>>(),
            reading => any_mailbox_reads,
            notice => notice,
            error => error,
        },
    ))
}

async fn reply_list(
    State(state): State<AppState>,
    Query(query): Query<ReplyQuery>,
    user: PageUser,
) -> Result<Response, ApiError> {
    show(
        &state,
        &user,
        query.kind.as_deref(),
        notice(query.done.as_deref()),
        None,
        StatusCode::OK,
    )
    .await
}

async fn reply_move(
    State(state): State<AppState>,
    Path((id, action)): Path<(uuid::Uuid, String)>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    let (me, id, now) = (user.0.id(), ReplyId(id), Timestamp::now());
    let result = match action.as_str() {
        "apply" => replies::apply(&state.db, me, id, now)
            .await
            .map(|_| "applied"),
        "undo" => replies::undo(&state.db, me, id, now)
            .await
            .map(|_| "undone"),
        "dismiss" => replies::dismiss(&state.db, me, id, now)
            .await
            .map(|_| "dismissed"),
        _ => Err(AppError::NotFound),
    };
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/replies?done={done}")).into_response()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            show(&state, &user, None, None, Some(message), status).await
        }
    }
}
