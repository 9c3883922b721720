//! Documents in the API over `pursuit_app::documents`: a CV tailored to a posting
//! (`POST /api/v1/jobs/{id}/cv`), the documents, a change (the text, checked again by the
//! guard; confirmations of claims with their sources), and export — refused while a claim
//! is neither supported nor confirmed.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_app::documents::{self as use_case, Confirmation, Document, DocumentChange, Format};
use pursuit_app::writing::Writing;
use pursuit_domain::ids::{DocumentId, PostingId};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

/// A document made: `201` with its `Location`.
type Created = (
    StatusCode,
    [(header::HeaderName, String); 1],
    Json<DocumentResponse>,
);

fn created(document: Document) -> Created {
    let location = format!("/api/v1/documents/{}", document.row.id.0);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(response(document)),
    )
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tailor_cv))
        .routes(routes!(write_letter))
        .routes(routes!(list_documents))
        .routes(routes!(get_document, update_document, delete_document))
        .routes(routes!(export_document))
        .routes(routes!(get_materials, put_materials))
        .routes(routes!(refine_document))
        .routes(routes!(refine_for_job))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefineBody {
    /// What to change, in the user's words (1 to 2,000 characters): "shorter", "lead with
    /// the PostgreSQL work", "a warmer tone".
    instructions: String,
}

/// Rewrites the document as the instructions ask, through the configured writing model, as
/// a new document (the old one stays). Instructions that ask for what the caller's material
/// does not show are refused (422, naming each); a rewrite that adds a fact is refused by
/// the model task's rules.
#[utoipa::path(post, path = "/api/v1/documents/{id}/refine", tag = "documents", request_body = RefineBody,
    params(("id" = uuid::Uuid, Path, description = "The document's id"), ("Prefer" = Option<String>, Header, description = "`respond-async`: queue the writing as a task and answer 202 at once (for a model that may take long)")),
    responses(
        (status = 201, description = "The rewritten document", body = DocumentResponse,
            headers(("Location" = String, description = "The new document's URL"))),
        (status = 202, description = "Queued as a task (`Prefer: respond-async`): follow it at `Location`; its result names the document", body = crate::tasks::TaskAccepted,
            headers(("Location" = String, description = "The task's URL"), ("Preference-Applied" = String, description = "`respond-async`"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The feature is turned off for the caller", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No writing model gave a rewrite that keeps to the caller's facts, or the document is too long", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long instructions, or instructions asking for what the caller's material does not show", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn refine_document(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<RefineBody>,
) -> Result<Response, ApiError> {
    refined(
        &state,
        &current,
        &headers,
        DocumentId(id),
        &body.instructions,
    )
    .await
}

async fn refined(
    state: &AppState,
    current: &CurrentUser,
    headers: &HeaderMap,
    id: DocumentId,
    instructions: &str,
) -> Result<Response, ApiError> {
    if crate::tasks::prefers_async(headers) {
        return queued(state, current, Writing::refine(id, instructions)).await;
    }
    let document = use_case::refine(
        state.ai_services(),
        current.caller(),
        id,
        instructions,
        Timestamp::now(),
    )
    .await?;
    Ok(created(document).into_response())
}

/// The writing checked and queued as a task (`Prefer: respond-async`): 202.
async fn queued(
    state: &AppState,
    current: &CurrentUser,
    writing: Writing,
) -> Result<Response, ApiError> {
    let task = pursuit_app::writing::request(
        state.ai_services(),
        current.caller(),
        writing,
        Timestamp::now(),
    )
    .await?;
    Ok(crate::tasks::accepted(task, true))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefineJobBody {
    /// What to change, in the user's words (1 to 2,000 characters).
    instructions: String,
    /// `cv` (the default) or `letter`: the newest document of that kind for the posting.
    kind: Option<String>,
}

/// Seed 004's refine: the newest CV (or letter) made for this posting, rewritten as the
/// instructions ask; the same as `POST /api/v1/documents/{id}/refine` on it.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/refine", tag = "documents", request_body = RefineJobBody,
    params(("id" = uuid::Uuid, Path, description = "The posting's id"), ("Prefer" = Option<String>, Header, description = "`respond-async`: queue the writing as a task and answer 202 at once (for a model that may take long)")),
    responses(
        (status = 201, description = "The rewritten document", body = DocumentResponse,
            headers(("Location" = String, description = "The new document's URL"))),
        (status = 202, description = "Queued as a task (`Prefer: respond-async`): follow it at `Location`; its result names the document", body = crate::tasks::TaskAccepted,
            headers(("Location" = String, description = "The task's URL"), ("Preference-Applied" = String, description = "`respond-async`"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The feature is turned off for the caller", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such posting of the caller's, or no document of that kind for it", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No writing model gave a rewrite that keeps to the caller's facts, or the document is too long", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long instructions, instructions asking for what the caller's material does not show, or an unknown kind", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn refine_for_job(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<RefineJobBody>,
) -> Result<Response, ApiError> {
    let kind = body.kind.as_deref().unwrap_or("cv");
    if !matches!(kind, "cv" | "letter") {
        return Err(ApiError::invalid_field("/kind", "must be cv or letter"));
    }
    let newest = use_case::newest_for_posting(&state.db, current.id(), PostingId(id), kind).await?;
    refined(&state, &current, &headers, newest, &body.instructions).await
}

/// What went out with an application.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationMaterials {
    /// The resume version sent (a tailored CV records the version it was made from).
    resume_version_id: Option<uuid::Uuid>,
    /// The CV Pursuit wrote that was sent.
    cv_document_id: Option<uuid::Uuid>,
    /// The cover letter Pursuit wrote that was sent.
    letter_document_id: Option<uuid::Uuid>,
    /// When it was last recorded (null until something is).
    #[schema(value_type = Option<String>, format = DateTime)]
    updated_at: Option<String>,
}

/// What the caller says went out with an application (a field left out is none).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationMaterialsInput {
    resume_version_id: Option<uuid::Uuid>,
    cv_document_id: Option<uuid::Uuid>,
    letter_document_id: Option<uuid::Uuid>,
}

fn materials_response(row: Option<pursuit_store::documents::MaterialsRow>) -> ApplicationMaterials {
    ApplicationMaterials {
        resume_version_id: row.as_ref().and_then(|m| m.resume_version_id.map(|v| v.0)),
        cv_document_id: row.as_ref().and_then(|m| m.cv_document_id.map(|d| d.0)),
        letter_document_id: row.as_ref().and_then(|m| m.letter_document_id.map(|d| d.0)),
        updated_at: row.map(|m| m.updated_at.to_string()),
    }
}

/// What went out with the application: the resume version, the CV and the cover letter.
/// Exporting a document made for the application's posting records it; `PUT` sets it.
#[utoipa::path(get, path = "/api/v1/applications/{id}/materials", tag = "documents",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "What went out (each null until recorded)", body = ApplicationMaterials),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_materials(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<ApplicationMaterials>, ApiError> {
    let row = use_case::materials(
        &state.db,
        current.id(),
        pursuit_domain::ids::ApplicationId(id),
    )
    .await?;
    Ok(Json(materials_response(row)))
}

/// Records what went out with the application (each id the caller's own; a CV a CV, a
/// letter a letter); a field left out or null is recorded as none.
#[utoipa::path(put, path = "/api/v1/applications/{id}/materials", tag = "documents",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    request_body = ApplicationMaterialsInput,
    responses(
        (status = 200, description = "What is recorded now", body = ApplicationMaterials),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An id that is not the caller's, or a document of the wrong kind", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn put_materials(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<ApplicationMaterialsInput>,
) -> Result<Json<ApplicationMaterials>, ApiError> {
    let row = use_case::set_materials(
        &state.db,
        current.id(),
        pursuit_domain::ids::ApplicationId(id),
        use_case::MaterialsChange {
            resume_version_id: body
                .resume_version_id
                .map(pursuit_domain::ids::ResumeVersionId),
            cv_document_id: body.cv_document_id.map(DocumentId),
            letter_document_id: body.letter_document_id.map(DocumentId),
        },
        Timestamp::now(),
    )
    .await?;
    Ok(Json(materials_response(Some(row))))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DocumentClaim {
    /// `number`, `duration`, `date`, `skill`, `degree`, `certification`, `employer`,
    /// `title` or `name`.
    kind: String,
    words: String,
    /// Byte offsets of `words` in `body`.
    start: usize,
    end: usize,
    supported: bool,
    reason: String,
    /// The source the user gave, when they confirmed it.
    confirmed_by: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DocumentResponse {
    #[schema(value_type = uuid::Uuid)]
    id: uuid::Uuid,
    /// `cv` or `letter`.
    kind: String,
    #[schema(value_type = Option<uuid::Uuid>)]
    job_id: Option<uuid::Uuid>,
    #[schema(value_type = Option<uuid::Uuid>)]
    resume_version_id: Option<uuid::Uuid>,
    title: String,
    /// The text, Markdown.
    body: String,
    /// What was decided: `matching_skills`, `gaps` (`[{skill, required}]`: asked for and not
    /// shown by the user's material — never claimed); for a CV `required_addressed` of
    /// `required_asked`, `bullets_left_out`, `projects_chosen`; for a letter `tone`,
    /// `words`, `target_words` and `short_of_preset`.
    #[schema(value_type = Object)]
    report: serde_json::Value,
    claims: Vec<DocumentClaim>,
    /// Unsupported claims not confirmed: export waits on these.
    blocking: usize,
    /// The text was changed after it was generated.
    edited: bool,
    /// `local` (the built-in tailoring), or a provider's name.
    provider: String,
    model: String,
    cost_usd: f64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

pub(crate) fn response(d: Document) -> DocumentResponse {
    let claims = d
        .claims
        .iter()
        .map(|c| DocumentClaim {
            kind: c.kind.clone(),
            words: c.words.clone(),
            start: c.start,
            end: c.end,
            supported: c.supported,
            reason: c.reason.clone(),
            confirmed_by: d
                .confirmations
                .iter()
                .find(|k| k.words == c.words)
                .map(|k| k.source.clone()),
        })
        .collect();
    let mut report = d.row.report.clone();
    if let Some(fields) = report.as_object_mut() {
        fields.remove("generated_digest");
    }
    DocumentResponse {
        id: d.row.id.0,
        kind: d.row.kind,
        job_id: d.row.posting_id.map(|p| p.0),
        resume_version_id: d.row.resume_version_id.map(|v| v.0),
        title: d.row.title,
        body: d.row.body,
        report,
        claims,
        blocking: d.blocking.len(),
        edited: d.edited,
        provider: d.row.provider,
        model: d.row.model,
        cost_usd: d.row.cost_micros as f64 / 1_000_000.0,
        created_at: d.row.created_at,
        updated_at: d.row.updated_at,
    }
}

/// Tailors a CV to one of the caller's postings from the active resume version, the profile
/// and the projects: the material is chosen and ordered, never invented; skills the posting
/// asks for that the material does not show are listed as gaps. A configured writing model
/// may reword it (task `tailor_cv`); a wording that adds a fact is refused and the built-in
/// CV kept.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/cv", tag = "documents",
    params(("id" = uuid::Uuid, Path, description = "The posting's id"), ("Prefer" = Option<String>, Header, description = "`respond-async`: queue the writing as a task and answer 202 at once (for a model that may take long)")),
    responses(
        (status = 201, description = "The tailored CV", body = DocumentResponse,
            headers(("Location" = String, description = "The document's URL"))),
        (status = 202, description = "Queued as a task (`Prefer: respond-async`): follow it at `Location`; its result names the document", body = crate::tasks::TaskAccepted,
            headers(("Location" = String, description = "The task's URL"), ("Preference-Applied" = String, description = "`respond-async`"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such posting of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No resume read yet, or the posting is not read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn tailor_cv(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<uuid::Uuid>,
) -> Result<Response, ApiError> {
    if crate::tasks::prefers_async(&headers) {
        return queued(&state, &current, Writing::cv(PostingId(id))).await;
    }
    let document = use_case::tailor_cv(
        state.ai_services(),
        current.caller(),
        PostingId(id),
        Timestamp::now(),
    )
    .await?;
    Ok(created(document).into_response())
}

#[derive(Deserialize, Clone, Copy, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ToneName {
    Professional,
    Enthusiastic,
    Casual,
}

impl ToneName {
    pub fn tone(self) -> pursuit_text::letter::Tone {
        match self {
            ToneName::Professional => pursuit_text::letter::Tone::Professional,
            ToneName::Enthusiastic => pursuit_text::letter::Tone::Enthusiastic,
            ToneName::Casual => pursuit_text::letter::Tone::Casual,
        }
    }
}

#[derive(Deserialize, Clone, Copy, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LengthName {
    /// 150–200 words.
    Short,
    /// 250–350 words.
    Standard,
    /// 350–450 words.
    Long,
}

/// The letter asked for (`{}` for the defaults).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterBody {
    /// Default `professional`.
    tone: Option<ToneName>,
    /// Default `standard`.
    length: Option<LengthName>,
}

/// Writes a cover letter for one of the caller's postings: fixed sentences in the tone
/// asked that claim nothing, and between them the caller's own summary, bullets and skills.
/// Material too thin for the length preset makes a shorter letter, never a padded one
/// (`report.short_of_preset`).
#[utoipa::path(post, path = "/api/v1/jobs/{id}/cover-letter", tag = "documents", request_body = LetterBody,
    params(("id" = uuid::Uuid, Path, description = "The posting's id"), ("Prefer" = Option<String>, Header, description = "`respond-async`: queue the writing as a task and answer 202 at once (for a model that may take long)")),
    responses(
        (status = 201, description = "The cover letter", body = DocumentResponse,
            headers(("Location" = String, description = "The document's URL"))),
        (status = 202, description = "Queued as a task (`Prefer: respond-async`): follow it at `Location`; its result names the document", body = crate::tasks::TaskAccepted,
            headers(("Location" = String, description = "The task's URL"), ("Preference-Applied" = String, description = "`respond-async`"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such posting of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No resume read yet, or the posting is not read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown tone or length", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn write_letter(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<LetterBody>,
) -> Result<Response, ApiError> {
    use pursuit_text::letter::{Length, Tone};
    let tone = match body.tone.unwrap_or(ToneName::Professional) {
        ToneName::Professional => Tone::Professional,
        ToneName::Enthusiastic => Tone::Enthusiastic,
        ToneName::Casual => Tone::Casual,
    };
    let preset = match body.length.unwrap_or(LengthName::Standard) {
        LengthName::Short => "short",
        LengthName::Standard => "standard",
        LengthName::Long => "long",
    };
    let length = Length::preset(preset)
        .ok_or_else(|| ApiError::invalid_field("/length", "must be short, standard or long"))?;
    if crate::tasks::prefers_async(&headers) {
        return queued(
            &state,
            &current,
            Writing::letter(PostingId(id), tone, length),
        )
        .await;
    }
    let document = use_case::write_letter(
        state.ai_services(),
        current.caller(),
        PostingId(id),
        tone,
        length,
        Timestamp::now(),
    )
    .await?;
    Ok(created(document).into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only the documents made for this posting.
    job_id: Option<uuid::Uuid>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DocumentList {
    items: Vec<DocumentResponse>,
    /// Always `null`: the newest 200.
    next_cursor: Option<String>,
}

/// The caller's documents, newest first (the newest 200).
#[utoipa::path(get, path = "/api/v1/documents", tag = "documents", params(ListQuery),
    responses(
        (status = 200, description = "The documents", body = DocumentList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_documents(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<DocumentList>, ApiError> {
    let list = use_case::list(&state.db, current.id(), query.job_id.map(PostingId)).await?;
    Ok(Json(DocumentList {
        items: list.into_iter().map(response).collect(),
        next_cursor: None,
    }))
}

/// One of the caller's documents with its claims.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = uuid::Uuid, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The document", body = DocumentResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_document(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<DocumentResponse>, ApiError> {
    let document = use_case::get(&state.db, current.id(), DocumentId(id)).await?;
    Ok(Json(response(document)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmationBody {
    /// An unsupported claim's `words`.
    words: String,
    /// Where it is shown: 3 to 500 characters.
    source: String,
}

/// A change to a document; fields left out keep their values.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentChangeBody {
    /// One line, 1–200 characters.
    title: Option<String>,
    /// The new text (Markdown, at most 100,000 characters), checked again by the guard.
    body: Option<String>,
    /// The unsupported claims the user vouches for, each with its source (replaces the
    /// list). A confirmation lapses when its claim leaves the text.
    confirmations: Option<Vec<ConfirmationBody>>,
}

/// Changes one of the caller's documents: its text (the guard reads it again) or the claims
/// the caller confirms.
#[utoipa::path(patch, path = "/api/v1/documents/{id}", tag = "documents", request_body = DocumentChangeBody,
    params(("id" = uuid::Uuid, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The document now", body = DocumentResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty or too long text, a confirmation of no unsupported claim or without a source", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_document(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<DocumentChangeBody>,
) -> Result<Json<DocumentResponse>, ApiError> {
    let change = DocumentChange {
        title: body.title,
        body: body.body,
        confirmations: body.confirmations.map(|list| {
            list.into_iter()
                .map(|c| Confirmation {
                    words: c.words,
                    source: c.source,
                })
                .collect()
        }),
    };
    let document = use_case::update(
        &state.db,
        current.id(),
        DocumentId(id),
        change,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(response(document)))
}

/// Removes one of the caller's documents.
#[utoipa::path(delete, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = uuid::Uuid, Path, description = "The document's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_document(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    use_case::delete(&state.db, current.id(), DocumentId(id), Timestamp::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Clone, Copy, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Markdown,
    JsonResume,
    Pdf,
    Docx,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `markdown` (the default), `pdf` (laid out, fonts embedded), `docx`, or `json_resume`
    /// (the generated CV; not after edits).
    format: Option<ExportFormat>,
}

/// The document as a file — refused (409, listing them) while a claim in it is neither
/// supported by the caller's material nor confirmed with a source.
#[utoipa::path(get, path = "/api/v1/documents/{id}/export", tag = "documents", params(ExportQuery,
    ("id" = uuid::Uuid, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The file, as an attachment (text/markdown, application/pdf, the DOCX type or application/json)"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Unsupported claims not confirmed, or JSON Resume asked of an edited text", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "PDF asked of a build without PDF output, or the layout failed", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn export_document(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = match query.format.unwrap_or(ExportFormat::Markdown) {
        ExportFormat::Markdown => Format::Markdown,
        ExportFormat::JsonResume => Format::JsonResume,
        ExportFormat::Pdf => Format::Pdf,
        ExportFormat::Docx => Format::Docx,
    };
    let file = use_case::export(
        &state.db,
        current.id(),
        DocumentId(id),
        format,
        Timestamp::now(),
    )
    .await?;
    Ok(attachment(file))
}

/// An exported file as an attachment response.
pub(crate) fn attachment(file: use_case::Export) -> Response {
    let mut response = file.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    let ascii: String = file
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // The name in ASCII for old clients, and in UTF-8 (RFC 6266, RFC 8187) for the rest.
    let encoded: String = file
        .file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}
