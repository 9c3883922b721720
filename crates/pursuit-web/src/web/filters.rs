//! The board's filter bar and saved views. The bar is a GET form, so a filtered board has a
//! URL to bookmark; its fields become the same filter document a saved view stores
//! (`/api/v1/views`), read by the API's own [`pursuit_app::filters::read`]. `?view=<id>` applies
//! a saved view; `?archived=on` shows the archived applications.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use pursuit_store::applications::ApplicationFilter;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::forms;
use super::{BoardExtras, PageForm, QuickAdd, board_page};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::problem::ApiError;

/// The filter bar's fields, as the query string carries them.
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct FilterQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    salary_min: String,
    #[serde(default)]
    salary_max: String,
    /// `on`: only applications with a reminder due now.
    #[serde(default)]
    due: String,
    /// `on`: the archived applications instead of the live ones.
    #[serde(default)]
    archived: String,
    /// A saved view to apply.
    #[serde(default)]
    view: String,
}

impl FilterQuery {
    /// The bar's non-empty fields as a query string (`q=…&status=…`), to carry the filter
    /// in links.
    pub fn query_string(&self) -> String {
        let mut url = reqwest::Url::parse("http://pursuit.invalid/").expect("a constant URL");
        {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in [
                ("q", &self.q),
                ("status", &self.status),
                ("priority", &self.priority),
                ("tag", &self.tag),
                ("source", &self.source),
                ("from", &self.from),
                ("to", &self.to),
                ("salary_min", &self.salary_min),
                ("salary_max", &self.salary_max),
                ("due", &self.due),
                ("archived", &self.archived),
                ("view", &self.view),
            ] {
                if !value.trim().is_empty() {
                    pairs.append_pair(key, value.trim());
                }
            }
        }
        url.query().unwrap_or_default().to_owned()
    }

    /// The filter document of the bar's non-empty fields.
    fn document(&self) -> Map<String, Value> {
        let mut doc = Map::new();
        let mut text = |key: &str, value: &str| {
            if !value.trim().is_empty() {
                doc.insert(key.to_owned(), Value::String(value.trim().to_owned()));
            }
        };
        text("q", &self.q);
        text("priority", &self.priority);
        text("tag", &self.tag);
        text("source", &self.source);
        text("from", &self.from);
        text("to", &self.to);
        if !self.status.trim().is_empty() {
            doc.insert(
                "status".into(),
                Value::Array(vec![Value::String(self.status.trim().to_owned())]),
            );
        }
        for (key, value) in [
            ("salary_min", &self.salary_min),
            ("salary_max", &self.salary_max),
        ] {
            let value = value.trim();
            if !value.is_empty() {
                // Not a number: passed on as text, for the filter's own message.
                let number = value.replace([',', ' ', '_'], "").parse::<i64>();
                doc.insert(
                    key.to_owned(),
                    number.map_or_else(|_| Value::String(value.to_owned()), Value::from),
                );
            }
        }
        if self.due == "on" {
            doc.insert("has_due_reminders".into(), Value::Bool(true));
        }
        if self.archived == "on" {
            doc.insert("archived".into(), Value::Bool(true));
        }
        doc
    }

    /// The bar's fields showing a saved view's document.
    fn from_document(doc: &Map<String, Value>) -> FilterQuery {
        let text = |key: &str| match doc.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let on = |key: &str| {
            if doc.get(key) == Some(&Value::Bool(true)) {
                "on"
            } else {
                ""
            }
            .to_owned()
        };
        FilterQuery {
            q: text("q"),
            status: doc
                .get("status")
                .and_then(Value::as_array)
                .filter(|list| list.len() == 1)
                .and_then(|list| list[0].as_str())
                .unwrap_or_default()
                .to_owned(),
            priority: text("priority"),
            tag: text("tag"),
            source: text("source"),
            from: text("from"),
            to: text("to"),
            salary_min: text("salary_min"),
            salary_max: text("salary_max"),
            due: on("has_due_reminders"),
            archived: on("archived"),
            view: String::new(),
        }
    }
}

#[derive(Serialize)]
struct ViewLink {
    id: String,
    name: String,
    active: bool,
}

/// What the board shows of its filters: the bar's values, the saved views, the document a
/// "Save as a view" form posts, and a refused filter's reason.
#[derive(Serialize, Default)]
pub struct FilterBar {
    form: FilterQuery,
    views: Vec<ViewLink>,
    /// The applied document as JSON text (for saving it as a view); empty when unfiltered.
    document: String,
    active: bool,
    archived: bool,
    /// A view's document holds more than the bar can show (several statuses, a sort…).
    more: bool,
}

/// The filter the board applies (`None`: the whole board), and what the bar shows.
pub async fn resolve(
    state: &AppState,
    user: &CurrentUser,
    query: &FilterQuery,
) -> Result<(Option<ApplicationFilter>, FilterBar, Option<String>), ApiError> {
    let views = pursuit_store::views::list_views(&state.db, user.id()).await?;
    let chosen = query
        .view
        .parse::<uuid::Uuid>()
        .ok()
        .and_then(|id| views.iter().find(|v| v.id == id));
    let (doc, form) = match chosen {
        Some(view) => {
            let doc = view.filters.as_object().cloned().unwrap_or_default();
            let form = FilterQuery::from_document(&doc);
            (doc, form)
        }
        None => (query.document(), query.clone()),
    };
    let mut bar = FilterBar {
        views: views
            .iter()
            .map(|v| ViewLink {
                id: v.id.to_string(),
                name: v.name.clone(),
                active: chosen.is_some_and(|c| c.id == v.id),
            })
            .collect(),
        document: if doc.is_empty() {
            String::new()
        } else {
            Value::Object(doc.clone()).to_string()
        },
        active: !doc.is_empty(),
        archived: doc.get("archived") == Some(&Value::Bool(true)),
        more: chosen.is_some() && FilterQuery::from_document(&doc).document() != doc,
        form,
    };
    if doc.is_empty() {
        return Ok((None, bar, None));
    }
    match pursuit_app::filters::read(&doc, Timestamp::now()) {
        Ok(filter) => Ok((Some(filter), bar, None)),
        Err(errors) => {
            let message = forms::message(&ApiError::validation(errors));
            bar.active = false;
            bar.document = String::new();
            Ok((
                None,
                bar,
                Some(format!("That filter was not applied: {message}")),
            ))
        }
    }
}

/// Saves the applied filter as a named view (`POST /api/v1/views`) and shows it.
pub async fn save_view(
    State(state): State<AppState>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let filters: Value = serde_json::from_str(&form.text("filters"))
        .map_err(|_| ApiError::bad_request("the form lost its filter; filter the board again"))?;
    let Value::Object(filters) = filters else {
        return Err(ApiError::bad_request(
            "the form lost its filter; filter the board again",
        ));
    };
    let saved = pursuit_app::views::create(
        &state.db,
        page.0.id(),
        &form.text("name"),
        &filters,
        Timestamp::now(),
    )
    .await
    .map_err(ApiError::from);
    match saved {
        Ok(view) => Ok(Redirect::to(&format!("/board?view={}", view.id)).into_response()),
        Err(error) if error.kind().status().is_client_error() => {
            let status = error.kind().status();
            let extras = BoardExtras {
                notice: Some(format!(
                    "The view was not saved: {}",
                    forms::message(&error)
                )),
                ..BoardExtras::default()
            };
            board_page(&state, &page, &QuickAdd::default(), extras, status).await
        }
        Err(error) => Err(error),
    }
}
