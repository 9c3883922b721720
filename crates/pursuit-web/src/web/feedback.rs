//! `/feedback`: the beta survey over `pursuit_app::feedback` — a few questions and the
//! pricing one — and, for the instance's owner, the summary of every response.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::feedback::{self, Response as Survey};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::forms::FormData;
use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/feedback", get(feedback_page).post(feedback_send))
}

/// The survey's questions: (name, label). The pricing question is its own field.
const QUESTIONS: [(&str, &str); 4] = [
    ("used_for", "What did you use Pursuit for?"),
    ("worked_best", "What worked best?"),
    ("change_first", "What should change first?"),
    (
        "recommend",
        "How likely are you to recommend Pursuit to a friend (0–10)?",
    ),
];

#[derive(Deserialize)]
struct Sent {
    done: Option<String>,
}

async fn show(
    state: &AppState,
    user: &PageUser,
    error: Option<String>,
    posted: Option<&FormData>,
    thanks: bool,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let summary = if user.0.user.is_owner {
        Some(
            serde_json::to_value(crate::feedback::summary_response(
                feedback::summary(&state.db).await?,
            ))
            .unwrap_or_default(),
        )
    } else {
        None
    };
    let values: Map<String, Value> = posted
        .map(|form| {
            [
                "used_for",
                "worked_best",
                "change_first",
                "recommend",
                "would_pay_at_499",
                "suggested_price",
            ]
            .into_iter()
            .map(|name| (name.to_owned(), Value::String(form.text(name))))
            .collect()
        })
        .unwrap_or_default();
    Ok(render(
        "feedback.html",
        status,
        context! {
            version => state.settings.version,
            page => "feedback",
            user => user.view(),
            csrf => user.csrf(),
            questions => QUESTIONS.iter().map(|&(name, label)| context! { name => name, label => label }).collect::<Vec<_>>(),
            values => template_value(&Value::Object(values)),
            error => error,
            thanks => thanks,
            summary => summary.map(|s| template_value(&s)),
        },
    ))
}

async fn feedback_page(
    State(state): State<AppState>,
    Query(sent): Query<Sent>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let thanks = sent.done.as_deref() == Some("sent");
    show(&state, &user, None, None, thanks, StatusCode::OK).await
}

async fn feedback_send(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let mut answers = Map::new();
    for (name, _) in QUESTIONS {
        let text = form.text(name);
        if text.trim().is_empty() {
            continue;
        }
        let value = match (name, text.trim().parse::<i64>()) {
            ("recommend", Ok(n)) => Value::from(n),
            _ => Value::String(text),
        };
        answers.insert(name.to_owned(), value);
    }
    let would_pay = match form.text("would_pay_at_499").as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let price_text = form.text("suggested_price");
    let price = if price_text.trim().is_empty() {
        Ok(None)
    } else {
        price_text.trim().replace(',', "").parse::<f64>().map(Some)
    };
    let result = match price {
        Ok(suggested_price) => {
            feedback::submit(
                &state.db,
                user.0.id(),
                &Survey {
                    answers: Value::Object(answers),
                    would_pay_at_499: would_pay,
                    suggested_price,
                },
                Timestamp::now(),
            )
            .await
        }
        Err(_) => Err(pursuit_app::AppError::Invalid(vec![
            pursuit_app::Invalid::new(
                "suggested_price",
                "must be an amount in US dollars, e.g. 199",
            ),
        ])),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/feedback?done=sent").into_response()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            show(&state, &user, Some(message), Some(&form), false, status).await
        }
    }
}
