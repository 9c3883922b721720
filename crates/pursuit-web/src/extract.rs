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
        if !json_content_type(request.headers()) {
            return Err(json_rejection(JsonRejection::MissingJsonContentType(
                Default::default(),
            )));
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|rejection| json_rejection(JsonRejection::BytesRejection(rejection)))?;
        refuse_nul(&bytes)?;
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// `application/json` or any `+json` media type, as axum's own extractor accepts.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    kind.eq_ignore_ascii_case("application")
        && (subtype.eq_ignore_ascii_case("json") || subtype.to_ascii_lowercase().ends_with("+json"))
}

/// U+0000 can reach a JSON body only as the escape `\u0000` (raw control characters are not
/// valid JSON), so only a body with that escape is read twice to name the fields.
fn refuse_nul(bytes: &[u8]) -> Result<(), ApiError> {
    let escaped = bytes
        .windows(6)
        .any(|w| w[0] == b'\\' && w[1] == b'u' && &w[2..] == b"0000");
    if !escaped {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        // Malformed: the real parse below says where.
        return Ok(());
    };
    let pointers = crate::problem::nul_pointers(&value);
    if pointers.is_empty() {
        Ok(())
    } else {
        Err(crate::problem::nul_problem(pointers))
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

/// Distinguishes "absent" (keep) from `null` (clear) for nullable fields: use with
/// `#[serde(default, deserialize_with = "crate::extract::present")]` on an
/// `Option<Option<T>>`.
pub fn present<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}
