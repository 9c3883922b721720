//! The documentation page of each problem type (the target of every problem's `type` URI).

use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};

use crate::problem::{ApiError, ProblemType};

pub async fn problem_type(Path(slug): Path<String>) -> Response {
    let Some(kind) = ProblemType::from_slug(&slug) else {
        return ApiError::not_found()
            .with_detail(format!("no problem type {slug}"))
            .into_response();
    };
    // Every interpolated string is a static string of ours: nothing to escape.
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><h1>{title}</h1><p>HTTP status {status}. Type <code>{uri}</code>.</p><p>{description}</p></body></html>",
        title = kind.title(),
        status = kind.status().as_u16(),
        uri = kind.type_uri(),
        description = kind.description(),
    ))
    .into_response()
}
