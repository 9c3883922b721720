//! `/contacts` and `/contacts/{id}`: the user's contacts — the list with a form to add one,
//! and a contact's page with its applications, its details to change, and removal — over
//! `pursuit_app::contacts`, as the API's `/api/v1/contacts` is.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::contacts::{self as use_case, Person, PersonInput};
use pursuit_domain::ids::ContactId;
use serde::Deserialize;

use super::forms::FormData;
use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/contacts", get(list).post(add))
        .route("/contacts/{id}", get(page).post(save))
        .route("/contacts/{id}/delete", post(remove))
}

/// The form's fields as the page shows them (a contact's, or what was posted).
fn values(p: &Person) -> BTreeMap<String, String> {
    let f = &p.row.fields;
    let mut v = BTreeMap::new();
    let mut put = |k: &str, x: Option<&str>| {
        v.insert(k.to_owned(), x.unwrap_or_default().to_owned());
    };
    put("full_name", Some(&f.full_name));
    put("role_title", f.role_title.as_deref());
    put("email", f.email.as_deref());
    put("linkedin_url", f.linkedin_url.as_deref());
    put("phone", f.phone.as_deref());
    put("time_zone", f.time_zone.as_deref());
    put("notes", f.notes.as_deref());
    put("company", p.row.company_name.as_deref());
    put("company_zone", p.row.company_time_zone.as_deref());
    v
}

/// What the form says, every field given (an empty one clears it); the company by name
/// (an empty one: none).
fn input(form: &FormData) -> PersonInput {
    let field = |name: &str| Some(Some(form.text(name)));
    let company = form.text("company");
    PersonInput {
        full_name: Some(form.text("full_name")),
        role_title: field("role_title"),
        email: field("email"),
        linkedin_url: field("linkedin_url"),
        phone: field("phone"),
        time_zone: field("time_zone"),
        notes: field("notes"),
        company_id: company.trim().is_empty().then_some(None),
        company: (!company.trim().is_empty()).then_some(company),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    /// Prefills the add form's company (the company page's "Add a person").
    company_id: Option<uuid::Uuid>,
    added: Option<String>,
    removed: Option<String>,
}

async fn show_list(
    state: &AppState,
    user: &PageUser,
    form: BTreeMap<String, String>,
    error: Option<String>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let people: Vec<_> = use_case::list(&state.db, user.0.id(), None)
        .await?
        .into_iter()
        .map(crate::contacts::response)
        .collect();
    Ok(render(
        "contacts.html",
        status,
        context! {
            page => "contacts",
            user => user.view(),
            csrf => user.csrf(),
            people => template_value(&people),
            k => template_value(&form),
            error => error,
            notice => notice,
            zones => super::settings::zone_names(),
        },
    ))
}

async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let mut form = BTreeMap::new();
    if let Some(company) = query.company_id {
        let company = pursuit_app::companies::get(
            &state.db,
            user.0.id(),
            pursuit_domain::ids::CompanyId(company),
        )
        .await?;
        form.insert("company".to_owned(), company.name);
        form.insert(
            "company_zone".to_owned(),
            company.time_zone.unwrap_or_default(),
        );
    }
    let notice = if query.added.is_some() {
        Some("Contact added.")
    } else if query.removed.is_some() {
        Some("Contact removed.")
    } else {
        None
    };
    show_list(&state, &user, form, None, notice, StatusCode::OK).await
}

async fn add(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    match use_case::create(&state.db, user.0.id(), &input(&form), Timestamp::now()).await {
        Ok(person) => {
            Ok(Redirect::to(&format!("/contacts/{}?added=1", person.row.id.0)).into_response())
        }
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            show_list(&state, &user, form.posted(), Some(message), None, status).await
        }
    }
}

#[derive(Deserialize)]
struct PageQuery {
    added: Option<String>,
    saved: Option<String>,
}

async fn show(
    state: &AppState,
    user: &PageUser,
    person: &Person,
    form: Option<BTreeMap<String, String>>,
    error: Option<String>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let applications: Vec<serde_json::Value> =
        use_case::applications_of(&state.db, user.0.id(), person.row.id)
            .await?
            .into_iter()
            .map(|(id, company, role)| {
                serde_json::json!({"id": id.0, "company": company, "role_title": role})
            })
            .collect();
    let mut shown = form.unwrap_or_else(|| values(person));
    shown.insert(
        "company_zone".to_owned(),
        person.row.company_time_zone.clone().unwrap_or_default(),
    );
    Ok(render(
        "contact.html",
        status,
        context! {
            page => "contacts",
            user => user.view(),
            csrf => user.csrf(),
            id => person.row.id.0.to_string(),
            name => person.row.fields.full_name.clone(),
            k => template_value(&shown),
            applications => template_value(&applications),
            error => error,
            notice => notice,
            zones => super::settings::zone_names(),
        },
    ))
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    Query(query): Query<PageQuery>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let person = use_case::get(&state.db, user.0.id(), ContactId(id)).await?;
    let notice = if query.added.is_some() {
        Some("Contact added.")
    } else if query.saved.is_some() {
        Some("Saved.")
    } else {
        None
    };
    show(&state, &user, &person, None, None, notice, StatusCode::OK).await
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let me = user.0.id();
    match use_case::update(
        &state.db,
        me,
        ContactId(id),
        &input(&form),
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/contacts/{id}?saved=1")).into_response()),
        Err(pursuit_app::AppError::NotFound) => Err(pursuit_app::AppError::NotFound.into()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            let person = use_case::get(&state.db, me, ContactId(id)).await?;
            show(
                &state,
                &user,
                &person,
                Some(form.posted()),
                Some(message),
                None,
                status,
            )
            .await
        }
    }
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    use_case::delete(&state.db, user.0.id(), ContactId(id)).await?;
    Ok(Redirect::to("/contacts?removed=1").into_response())
}
