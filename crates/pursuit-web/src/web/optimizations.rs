//! `/optimizations/{id}`: an optimization report — the score before and after, what to
//! change and why with the evidence, the tailored CV's preview and what it changed — and
//! the job page's form that makes one, over `pursuit_app::optimizations`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use pursuit_app::optimizations::{self as use_case, OptimizeRequest};
use pursuit_domain::ids::{OptimizationId, PostingId};

use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/jobs/{id}/optimize", post(optimize))
        .route("/optimizations/{id}", get(page))
}

/// The CV languages a form offers: `{lang, name}` each, the name in its own language.
pub(super) fn layout_choices() -> minijinja::Value {
    let layouts: Vec<serde_json::Value> = pursuit_text::tailor::LAYOUTS
        .iter()
        .map(|l| serde_json::json!({"lang": l.lang, "name": l.name}))
        .collect();
    template_value(&layouts)
}

/// Makes (or finds, from the same inputs) the report for this posting and opens it.
async fn optimize(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let lang = form.text("desired_output_lang");
    let request = OptimizeRequest {
        resume_version_id: None,
        desired_output_lang: (!lang.is_empty()).then_some(lang),
        fresh: form.text("fresh") == "1",
    };
    let made = use_case::optimize(
        &state.db,
        user.0.id(),
        PostingId(id),
        &request,
        jiff::Timestamp::now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/optimizations/{}", made.row.id.0)).into_response())
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let row = use_case::get(&state.db, user.0.id(), OptimizationId(id)).await?;
    let posting = match row.posting_id {
        Some(p) => pursuit_store::postings::get_posting(&state.db, user.0.id(), p).await?,
        None => None,
    };
    let when = row
        .created_at
        .to_zoned(user.0.zone())
        .strftime("%-d %b %Y, %H:%M")
        .to_string();
    let name = |code: Option<&str>| {
        code.map(pursuit_app::documents::language_name)
            .unwrap_or_else(|| "a language Pursuit could not tell".to_owned())
    };
    let names = serde_json::json!({
        "resume": name(row.resume_lang.as_deref()),
        "posting": name(row.jd_lang.as_deref()),
        "output": name(Some(&row.desired_output_lang)),
    });
    let view = crate::optimizations::response(row, false);
    Ok(render(
        "optimization.html",
        StatusCode::OK,
        context! {
            version => state.settings.version,
            page => "jobs",
            user => user.view(),
            csrf => user.csrf(),
            when => when,
            job_title => posting.as_ref().map(|p| p.title.clone().unwrap_or_else(|| "Untitled posting".to_owned())),
            company => posting.as_ref().and_then(|p| p.company.as_ref().map(|c| c.name.clone())),
            o => template_value(&view),
            layouts => layout_choices(),
            names => template_value(&names),
        },
    ))
}
