//! Contacts — the decision makers outreach writes to (seed 000 §7) — over
//! `pursuit_app::contacts`: the list (of one company when asked), one contact, a new one, a
//! change, a deletion, and an application's targets.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use jiff::Timestamp;
use pursuit_app::contacts::{self as use_case, Person, PersonInput};
use pursuit_domain::ids::{ApplicationId, CompanyId, ContactId};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contacts, create_contact))
        .routes(routes!(get_contact, update_contact, delete_contact))
        .routes(routes!(list_targets, add_target))
        .routes(routes!(remove_target))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ContactCompany {
    id: uuid::Uuid,
    name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ContactApplication {
    id: uuid::Uuid,
    company: String,
    role_title: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ContactResponse {
    id: uuid::Uuid,
    full_name: String,
    role_title: Option<String>,
    /// One contact per address (case does not count).
    email: Option<String>,
    linkedin_url: Option<String>,
    phone: Option<String>,
    /// The zone sends to this contact are planned in (IANA): the contact's own, else its
    /// company's headquarters zone.
    time_zone: Option<String>,
    /// `contact` (set on the contact) or `company` (the headquarters' zone); null with no
    /// zone.
    time_zone_from: Option<String>,
    notes: Option<String>,
    company: Option<ContactCompany>,
    /// The applications this contact is a target of (on `GET /api/v1/contacts/{id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    applications: Option<Vec<ContactApplication>>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

pub(crate) fn response(p: Person) -> ContactResponse {
    let f = p.row.fields;
    ContactResponse {
        id: p.row.id.0,
        full_name: f.full_name,
        role_title: f.role_title,
        email: f.email,
        linkedin_url: f.linkedin_url,
        phone: f.phone,
        time_zone: p.time_zone,
        time_zone_from: p.time_zone_from.map(str::to_owned),
        notes: f.notes,
        company: p
            .row
            .company_id
            .zip(p.row.company_name)
            .map(|(id, name)| ContactCompany { id: id.0, name }),
        applications: None,
        created_at: p.row.created_at,
        updated_at: p.row.updated_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ContactList {
    items: Vec<ContactResponse>,
    /// Always `null`: every contact (at most 5,000).
    next_cursor: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactsQuery {
    /// Only this company's contacts.
    company_id: Option<uuid::Uuid>,
}

/// The caller's contacts by name, or one company's (another user's company is 404).
#[utoipa::path(get, path = "/api/v1/contacts", tag = "contacts", params(ContactsQuery),
    responses(
        (status = 200, description = "The contacts", body = ContactList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such company of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_contacts(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ContactsQuery>,
) -> Result<Json<ContactList>, ApiError> {
    let people = use_case::list(&state.db, current.id(), query.company_id.map(CompanyId)).await?;
    Ok(Json(ContactList {
        items: people.into_iter().map(response).collect(),
        next_cursor: None,
    }))
}

/// A new contact.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContactBody {
    /// 1 to 200 characters, one line.
    full_name: String,
    role_title: Option<String>,
    /// Unique among the caller's contacts (409 naming the one that has it).
    email: Option<String>,
    /// A linkedin.com address.
    linkedin_url: Option<String>,
    phone: Option<String>,
    /// IANA (`Europe/Berlin`); left out, the company's headquarters zone applies.
    time_zone: Option<String>,
    /// At most 5,000 characters.
    notes: Option<String>,
    /// One of the caller's companies…
    company_id: Option<uuid::Uuid>,
    /// …or a company by name (found by its normalized name, made if new).
    company: Option<String>,
}

/// Changes to a contact: a field left out keeps its value, `null` clears it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactChangeBody {
    full_name: Option<String>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    role_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    linkedin_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    phone: Option<Option<String>>,
    /// `null`: the company's headquarters zone applies again.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    time_zone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    notes: Option<Option<String>>,
    /// `null`: no company.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<uuid::Uuid>)]
    company_id: Option<Option<uuid::Uuid>>,
    company: Option<String>,
}

type Created = (
    StatusCode,
    [(header::HeaderName, String); 1],
    Json<ContactResponse>,
);

/// Adds a contact.
#[utoipa::path(post, path = "/api/v1/contacts", tag = "contacts", request_body = NewContactBody,
    responses(
        (status = 201, description = "Added", body = ContactResponse,
            headers(("Location" = String, description = "The contact's URL"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another contact has this address (named), or the caller keeps 5,000 contacts", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named): an empty name, an address, a zone, a LinkedIn address, another user's company", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_contact(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<NewContactBody>,
) -> Result<Created, ApiError> {
    let input = PersonInput {
        full_name: Some(body.full_name),
        role_title: Some(body.role_title),
        email: Some(body.email),
        linkedin_url: Some(body.linkedin_url),
        phone: Some(body.phone),
        time_zone: Some(body.time_zone),
        notes: Some(body.notes),
        company_id: body.company_id.map(Some),
        company: body.company,
    };
    let person = use_case::create(&state.db, current.id(), &input, Timestamp::now()).await?;
    let location = format!("/api/v1/contacts/{}", person.row.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(response(person)),
    ))
}

/// One of the caller's contacts, with the applications it is a target of.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = uuid::Uuid, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "The contact", body = ContactResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_contact(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<ContactResponse>, ApiError> {
    let person = use_case::get(&state.db, current.id(), ContactId(id)).await?;
    let applications = use_case::applications_of(&state.db, current.id(), ContactId(id)).await?;
    let mut view = response(person);
    view.applications = Some(
        applications
            .into_iter()
            .map(|(id, company, role_title)| ContactApplication {
                id: id.0,
                company,
                role_title,
            })
            .collect(),
    );
    Ok(Json(view))
}

/// Changes one of the caller's contacts.
#[utoipa::path(patch, path = "/api/v1/contacts/{id}", tag = "contacts", request_body = ContactChangeBody,
    params(("id" = uuid::Uuid, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "The contact now", body = ContactResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another contact has this address (named)", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_contact(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<ContactChangeBody>,
) -> Result<Json<ContactResponse>, ApiError> {
    let input = PersonInput {
        full_name: body.full_name,
        role_title: body.role_title,
        email: body.email,
        linkedin_url: body.linkedin_url,
        phone: body.phone,
        time_zone: body.time_zone,
        notes: body.notes,
        company_id: body.company_id,
        company: body.company,
    };
    let person = use_case::update(
        &state.db,
        current.id(),
        ContactId(id),
        &input,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(response(person)))
}

/// Deletes one of the caller's contacts (its links to applications go with it; the
/// applications' own contact rows stay).
#[utoipa::path(delete, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = uuid::Uuid, Path, description = "The contact's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_contact(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    use_case::delete(&state.db, current.id(), ContactId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The people one of the caller's applications is aimed at (seed 000's targets): the
/// contacts linked to it, by name. The application's own contact rows become these when
/// they are written.
#[utoipa::path(get, path = "/api/v1/applications/{id}/targets", tag = "contacts",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The targets", body = ContactList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_targets(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<ContactList>, ApiError> {
    let people = use_case::targets(&state.db, current.id(), ApplicationId(id)).await?;
    Ok(Json(ContactList {
        items: people.into_iter().map(response).collect(),
        next_cursor: None,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetBody {
    /// One of the caller's contacts.
    contact_id: uuid::Uuid,
}

/// Makes one of the caller's contacts a target of the application (a link already there
/// stays); answers the targets now.
#[utoipa::path(post, path = "/api/v1/applications/{id}/targets", tag = "contacts", request_body = TargetBody,
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The targets now", body = ContactList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The contact is not the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn add_target(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<TargetBody>,
) -> Result<Json<ContactList>, ApiError> {
    let people = use_case::add_target(
        &state.db,
        current.id(),
        ApplicationId(id),
        ContactId(body.contact_id),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(ContactList {
        items: people.into_iter().map(response).collect(),
        next_cursor: None,
    }))
}

/// Ends a contact's link to the application (the contact stays).
#[utoipa::path(delete, path = "/api/v1/applications/{id}/targets/{contact_id}", tag = "contacts",
    params(
        ("id" = uuid::Uuid, Path, description = "The application's id"),
        ("contact_id" = uuid::Uuid, Path, description = "The contact's id"),
    ),
    responses(
        (status = 204, description = "No longer a target"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's, or the contact is not its target", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn remove_target(
    State(state): State<AppState>,
    current: CurrentUser,
    Path((id, contact)): Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<StatusCode, ApiError> {
    use_case::remove_target(
        &state.db,
        current.id(),
        ApplicationId(id),
        ContactId(contact),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
