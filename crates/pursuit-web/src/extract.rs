//! Extractors whose rejections are problems, so a bad body gets the same error shape as
//! everything else (and a precise `type`: malformed JSON, validation, media type, size).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::problem::{ApiError, FieldError, ProblemType};

/// `axum::Json` with problem+json rejections. Use it for every JSON request body.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::new(ProblemType::UnsupportedMediaType)
                .with_detail("expected a body with content-type application/json")
        }
        JsonRejection::JsonSyntaxError(error) => {
            ApiError::new(ProblemType::MalformedJson).with_detail(source_text(&error))
        }
        JsonRejection::JsonDataError(error) => {
            let message = source_text(&error);
            ApiError::validation(vec![FieldError {
                pointer: String::new(),
                message,
            }])
        }
        JsonRejection::BytesRejection(error) => {
            if crate::server::is_body_timeout(&error) {
                ApiError::new(ProblemType::RequestTimeout).with_detail(source_text(&error))
            } else if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(ProblemType::PayloadTooLarge)
                    .with_detail("the request body is larger than the server accepts")
            } else {
                ApiError::bad_request("the request body could not be read")
            }
        }
        other => ApiError::bad_request(other.body_text()),
    }
}

/// serde_json's own message (with line and column), without axum's prefix.
fn source_text(error: &dyn std::error::Error) -> String {
    let mut deepest = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        deepest = inner.to_string();
        source = inner.source();
    }
    deepest
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}
