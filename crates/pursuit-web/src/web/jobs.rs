//! `/jobs`: the user's postings as pages — a form to add one (pasted or by its address),
//! the list (best match to the active resume first once there is one), and a posting's page
//! with what was read and the match: the score, each part with its evidence beside it
//! (posting line ↔ resume line), and the skills in three groups. Every form goes through
//! [`pursuit_app::postings`] and [`pursuit_app::matching`], as the API does.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::AppError;
use pursuit_app::matching::{ReadVersion, read_posting, resume_version};
use pursuit_app::postings::Intake;
use pursuit_domain::ids::PostingId;
use pursuit_store::postings::{self, Posting};
use serde::Serialize;
use serde_json::Value;

use super::{PageForm, PageUser, forms, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

/// Postings the list shows.
const LIST_LIMIT: usize = 100;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/jobs", get(list).post(add))
        .route("/jobs/{id}", get(posting_page))
        .route("/jobs/{id}/read", post(read_again))
        .route("/jobs/{id}/cv", post(tailor_cv))
        .route("/jobs/{id}/cover-letter", post(write_letter))
        .route("/jobs/{id}/pitch", post(write_pitch))
        .route("/jobs/{id}/summary", post(summarise))
        .route(
            "/search-terms",
            get(search_terms_page).post(suggest_search_terms),
        )
        .route("/companies/{id}", get(company_page).post(save_company))
        .route("/companies/{id}/research", post(research_company))
}

/// A posting as a row of the list.
#[derive(Serialize)]
struct Row {
    id: String,
    title: String,
    company: Option<String>,
    location: Option<String>,
    added: String,
    status: String,
    score: Option<u32>,
    provisional: Option<String>,
}

fn row(posting: &Posting, scored: Option<&pursuit_app::matching::Scored>) -> Row {
    let parsed = posting.parsed.as_ref();
    Row {
        id: posting.id.0.to_string(),
        title: posting
            .title
            .clone()
            .unwrap_or_else(|| "Untitled posting".to_owned()),
        company: posting.company.as_ref().map(|c| c.name.clone()),
        location: parsed
            .and_then(|p| p.get("location"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        added: posting.created_at.to_string()[..10].to_owned(),
        status: posting.parse_status.as_str().to_owned(),
        score: scored.map(|s| s.score),
        provisional: scored.and_then(|s| s.provisional.clone()),
    }
}

/// What the add form shows again after a refusal: what was typed, and each field's message.
#[derive(Serialize, Default)]
struct AddForm {
    mode: String,
    text: String,
    url: String,
    title: String,
    company: String,
    errors: std::collections::BTreeMap<String, String>,
}

/// The list's filters: words in the title, company or location, and a lowest score.
#[derive(serde::Deserialize, Serialize, Default, Clone)]
struct ListFilter {
    #[serde(default)]
    q: String,
    /// A number 0–100; anything else is ignored.
    #[serde(default)]
    min: String,
}

impl ListFilter {
    fn active(&self) -> bool {
        !self.q.trim().is_empty() || self.min_score().is_some()
    }

    fn min_score(&self) -> Option<u32> {
        self.min.trim().parse::<u32>().ok().filter(|m| *m <= 100)
    }

    fn keeps(&self, row: &Row) -> bool {
        let words = self.q.trim().to_lowercase();
        let text_ok = words.is_empty() || {
            let hay = format!(
                "{} {} {}",
                row.title,
                row.company.as_deref().unwrap_or_default(),
                row.location.as_deref().unwrap_or_default()
            )
            .to_lowercase();
            words.split_whitespace().all(|w| hay.contains(w))
        };
        let score_ok = self
            .min_score()
            .is_none_or(|min| row.score.is_some_and(|s| s >= min));
        text_ok && score_ok
    }
}

/// How many postings, best first, a filtered list looks through.
const FILTER_WINDOW: usize = 1000;

async fn show_list(
    state: &AppState,
    user: &PageUser,
    form: AddForm,
    filter: ListFilter,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let id = user.0.id();
    let window = if filter.active() {
        FILTER_WINDOW
    } else {
        LIST_LIMIT
    };
    // Best match first once the active resume has been read; newest first until then.
    let (rows, ranked, resume_note) = match resume_version(&state.db, id, None).await {
        Ok(read) => {
            let (page, _, _) =
                pursuit_app::matching::ranked_page(&state.db, id, &read, None, None, window)
                    .await?;
            let rows: Vec<Row> = page.iter().map(|(p, s)| row(p, s.as_ref())).collect();
            (rows, true, None)
        }
        Err(AppError::Conflict(reason)) => {
            let page = postings::list_postings(&state.db, id, None, None, window as i64).await?;
            let rows: Vec<Row> = page.iter().map(|p| row(p, None)).collect();
            (rows, false, Some(reason))
        }
        Err(other) => return Err(other.into()),
    };
    let rows: Vec<Row> = rows
        .into_iter()
        .filter(|r| filter.keeps(r))
        .take(LIST_LIMIT)
        .collect();
    Ok(render(
        "jobs.html",
        status,
        context! {
            page => "jobs",
            user => user.view(),
            csrf => user.csrf(),
            rows => template_value(&rows),
            ranked => ranked,
            resume_note => resume_note,
            form => template_value(&form),
            filter => template_value(&filter),
            filtered => filter.active(),
            window => FILTER_WINDOW,
        },
    ))
}

async fn list(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(filter): axum::extract::Query<ListFilter>,
) -> Result<Response, ApiError> {
    let form = AddForm {
        mode: "text".to_owned(),
        ..AddForm::default()
    };
    show_list(&state, &user, form, filter, StatusCode::OK).await
}

async fn add(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let mode = if form.text("mode") == "url" {
        "url"
    } else {
        "text"
    };
    let mut typed = AddForm {
        mode: mode.to_owned(),
        text: form.text("text"),
        url: form.text("url"),
        title: form.text("title"),
        company: form.text("company"),
        errors: Default::default(),
    };
    let given = |value: &str| Some(value.to_owned()).filter(|v| !v.trim().is_empty());
    // The form shows one way at a time; the other field's leftovers are not sent on.
    let intake = Intake {
        text: if mode == "text" {
            given(&typed.text)
        } else {
            None
        },
        url: if mode == "url" {
            given(&typed.url)
        } else {
            None
        },
        parse: true,
        title: given(&typed.title),
        company: given(&typed.company),
        desired_output_lang: None,
    };
    let added = pursuit_app::postings::add(
        &state.db,
        user.0.id(),
        user.0.today(),
        &intake,
        &crate::postings::limits(&state),
        Timestamp::now(),
    )
    .await;
    match added {
        Ok(posting) => Ok(Redirect::to(&format!("/jobs/{}", posting.id.0)).into_response()),
        Err(error) => {
            let error = ApiError::from(error);
            let status = error.kind().status();
            if !status.is_client_error() {
                return Err(error);
            }
            for field in error.field_errors() {
                typed.errors.insert(
                    field.pointer.trim_start_matches('/').to_owned(),
                    field.message.clone(),
                );
            }
            if typed.errors.is_empty() {
                typed.errors.insert(String::new(), forms::message(&error));
            }
            show_list(&state, &user, typed, ListFilter::default(), status).await
        }
    }
}

/// A posting's page: what was read, the original, and the match with the active resume.
async fn posting_page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let posting = pursuit_app::postings::get(&state.db, user.0.id(), PostingId(id)).await?;
    show_posting(&state, &user, posting, None).await
}

/// The posting's page with its summary (the use case behind `POST /api/v1/ai/job-summary`).
async fn summarise(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    let posting = pursuit_app::postings::get(&state.db, user.0.id(), PostingId(id)).await?;
    let summary = pursuit_app::summaries::job_summary(
        state.ai_services(),
        user.0.caller(),
        pursuit_app::summaries::JobSource::Posting(PostingId(id)),
        jiff::Timestamp::now(),
    )
    .await?;
    show_posting(&state, &user, posting, Some(summary)).await
}

/// Search terms for job boards, suggested from the resume and the job preferences.
async fn search_terms_page(
    State(state): State<AppState>,
    user: PageUser,
) -> Result<Response, ApiError> {
    Ok(show_search_terms(&state, &user, None, None))
}

fn show_search_terms(
    state: &AppState,
    user: &PageUser,
    answer: Option<&pursuit_app::ai::AiResult>,
    error: Option<String>,
) -> Response {
    render(
        "search_terms.html",
        if error.is_some() {
            StatusCode::CONFLICT
        } else {
            StatusCode::OK
        },
        context! {
            version => state.settings.version,
            page => "jobs",
            user => user.view(),
            csrf => user.csrf(),
            error => error,
            terms => answer.map(|a| template_value(&a.value["terms"])),
            provider => answer.map(|a| a.provider.clone()),
            model => answer.map(|a| a.model.clone()),
        },
    )
}

async fn suggest_search_terms(
    State(state): State<AppState>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    match pursuit_app::summaries::search_terms(
        state.ai_services(),
        user.0.caller(),
        jiff::Timestamp::now(),
    )
    .await
    {
        Ok(answer) => Ok(show_search_terms(&state, &user, Some(&answer), None)),
        Err(AppError::Conflict(reason)) => Ok(show_search_terms(&state, &user, None, Some(reason))),
        Err(other) => Err(other.into()),
    }
}

async fn show_posting(
    state: &AppState,
    user: &PageUser,
    posting: Posting,
    summary: Option<pursuit_app::ai::AiResult>,
) -> Result<Response, ApiError> {
    let id = user.0.id();
    let text = pursuit_app::postings::readable(
        &posting.raw_text,
        &posting.source,
        posting.parsed.as_ref(),
    );
    // The match needs a read posting and a read resume; otherwise the page says which is
    // missing.
    let (matched, match_note) = match read_posting(&state.db, id, posting.id).await {
        Ok((_, fields)) => match resume_version(&state.db, id, None).await {
            Ok(ReadVersion { resume, text, .. }) => (
                Some(pursuit_text::matching::score(&resume, &text, &fields)),
                None,
            ),
            Err(AppError::Conflict(reason)) => (None, Some(reason)),
            Err(other) => return Err(other.into()),
        },
        Err(AppError::Conflict(_)) => (None, Some("this posting is not read yet".to_owned())),
        Err(other) => return Err(other.into()),
    };
    let documents: Vec<serde_json::Value> =
        pursuit_app::documents::list(&state.db, id, Some(posting.id))
            .await?
            .into_iter()
            .map(|d| {
                serde_json::json!({
                    "id": d.row.id.0.to_string(),
                    "title": d.row.title,
                    "when": d.row.created_at.to_zoned(user.0.zone()).strftime("%-d %b %Y, %H:%M").to_string(),
                    "blocking": d.blocking.len(),
                })
            })
            .collect();
    // Whom a pitch may be addressed to: the application's targets.
    let targets: Vec<serde_json::Value> = match posting.application_id {
        Some(application) => pursuit_app::contacts::targets(&state.db, id, application)
            .await?
            .into_iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.row.id.0.to_string(),
                    "name": match &p.row.fields.role_title {
                        Some(role) => format!("{}, {role}", p.row.fields.full_name),
                        None => p.row.fields.full_name.clone(),
                    },
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let optimizations: Vec<serde_json::Value> = pursuit_app::optimizations::for_posting(
        &state.db, id, posting.id,
    )
    .await?
    .into_iter()
    .take(5)
    .map(|o| {
        serde_json::json!({
            "id": o.id.0.to_string(),
            "score": o.score,
            "score_after": o.score_after,
            "refined": o.refined_from.is_some(),
            "lang": o.desired_output_lang,
            "when": o.created_at.to_zoned(user.0.zone()).strftime("%-d %b %Y, %H:%M").to_string(),
        })
    })
    .collect();
    Ok(render(
        "job.html",
        StatusCode::OK,
        context! {
            page => "jobs",
            documents => template_value(&documents),
            optimizations => template_value(&optimizations),
            targets => template_value(&targets),
            layouts => super::optimizations::layout_choices(),
            output_lang => posting.desired_output_lang.clone(),
            can_tailor => matched.is_some(),
            user => user.view(),
            csrf => user.csrf(),
            id => posting.id.0.to_string(),
            title => posting.title.clone().unwrap_or_else(|| "Untitled posting".to_owned()),
            company => posting.company.as_ref().map(|c| c.name.clone()),
            company_id => posting.company.as_ref().map(|c| c.id.0.to_string()),
            url => posting.url.clone(),
            application_id => posting.application_id.map(|a| a.0.to_string()),
            status => posting.parse_status.as_str(),
            parse_error => posting.parse_error.clone(),
            parsed => posting.parsed.as_ref().map(template_value),
            text => text,
            matched => matched.as_ref().map(template_value),
            match_note => match_note,
            summary => summary.as_ref().map(|s| template_value(&s.value)),
            summary_by => summary.as_ref().map(|s| if s.provider == pursuit_ai::LOCAL { "Pursuit's own reader".to_owned() } else { format!("{} ({})", s.provider, s.model) }),
        },
    ))
}

/// Tailors a CV to this posting (the use case behind `POST /api/v1/jobs/{id}/cv`) and opens it.
async fn tailor_cv(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    written(
        &state,
        &user,
        pursuit_app::writing::Writing::cv(PostingId(id)),
    )
    .await
}

/// Writes a cover letter for this posting (the use case behind
/// `POST /api/v1/jobs/{id}/cover-letter`) and opens it; when a model writes it, as a task
/// whose page opens the letter when it is ready.
async fn write_letter(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    use pursuit_text::letter::{Length, Tone};
    let tone = Tone::parse(&form.text("tone")).unwrap_or(Tone::Professional);
    let length = Length::preset(&form.text("length"))
        .ok_or_else(|| ApiError::invalid_field("/length", "must be short, standard or long"))?;
    written(
        &state,
        &user,
        pursuit_app::writing::Writing::letter(PostingId(id), tone, length),
    )
    .await
}

/// Writes now, or queues what a model words: opens the document, or the task's page.
async fn written(
    state: &AppState,
    user: &PageUser,
    writing: pursuit_app::writing::Writing,
) -> Result<Response, ApiError> {
    let next = super::documents::next_page(
        pursuit_app::writing::write_or_queue(
            state.ai_services(),
            user.0.caller(),
            writing,
            jiff::Timestamp::now(),
        )
        .await?,
    );
    Ok(Redirect::to(&next).into_response())
}

/// Writes a pitch for this posting's application (the use case behind
/// `POST /api/v1/applications/{id}/offer`) and opens it as a document.
async fn write_pitch(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let posting = pursuit_app::postings::get(&state.db, user.0.id(), PostingId(id)).await?;
    let application = posting.application_id.ok_or_else(|| {
        ApiError::from(AppError::Conflict(
            "this posting's application was deleted: save the posting to the tracker again to write a pitch for it".to_owned(),
        ))
    })?;
    let tone = pursuit_text::letter::Tone::parse(&form.text("tone"))
        .unwrap_or(pursuit_text::letter::Tone::Professional);
    let length = pursuit_text::pitch::PitchLength::preset(&form.text("length"))
        .ok_or_else(|| ApiError::invalid_field("/length", "must be short, medium or long"))?;
    let contact = match form.text("contact_id").trim() {
        "" => None,
        given => Some(pursuit_domain::ids::ContactId(given.parse().map_err(
            |_| ApiError::invalid_field("/contact_id", "must be one of your contacts"),
        )?)),
    };
    let offer = pursuit_app::offers::generate(
        state.ai_services(),
        user.0.caller(),
        &pursuit_app::offers::OfferRequest {
            application,
            contact,
            tone,
            length,
        },
        jiff::Timestamp::now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/documents/{}", offer.document.row.id.0)).into_response())
}

async fn read_again(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    let posting = pursuit_app::postings::read_again(&state.db, user.0.id(), PostingId(id)).await?;
    Ok(Redirect::to(&format!("/jobs/{}", posting.id.0)).into_response())
}

/// A company: its postings and the applications to it (those whose company name reads
/// the same once case, punctuation and legal forms are set aside).
async fn company_page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    axum::extract::Query(query): axum::extract::Query<CompanyQuery>,
    user: PageUser,
) -> Result<Response, ApiError> {
    show_company(&state, &user, id, query.task, None, None).await
}

#[derive(serde::Deserialize)]
struct CompanyQuery {
    /// A research task to follow.
    task: Option<uuid::Uuid>,
}

/// Saves the details typed on the company's page; a refusal shows the page again with what
/// was typed and why.
async fn save_company(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let input = pursuit_app::companies::DetailsInput {
        website: Some(form.text("website")),
        industry: Some(form.text("industry")),
        size: Some(form.text("size")),
        headquarters: Some(form.text("headquarters")),
        time_zone: Some(form.text("time_zone")),
    };
    match pursuit_app::companies::update(
        &state.db,
        user.0.id(),
        pursuit_domain::ids::CompanyId(id),
        &input,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/companies/{id}")).into_response()),
        Err(error @ AppError::Invalid(_)) => {
            let typed = serde_json::json!({
                "website": input.website, "industry": input.industry, "size": input.size,
                "headquarters": input.headquarters, "time_zone": input.time_zone,
            });
            show_company(
                &state,
                &user,
                id,
                None,
                Some(forms::message(&ApiError::from(error))),
                Some(typed),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// Starts a research (the use case behind `POST /api/v1/companies/{id}/research`) and
/// follows it on the company's page.
async fn research_company(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    let task = pursuit_app::companies::request_research(
        &state.db,
        user.0.id(),
        pursuit_domain::ids::CompanyId(id),
        jiff::Timestamp::now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/companies/{id}?task={}", task.0)).into_response())
}

async fn show_company(
    state: &AppState,
    user: &PageUser,
    id: uuid::Uuid,
    task: Option<uuid::Uuid>,
    error: Option<String>,
    typed: Option<Value>,
) -> Result<Response, ApiError> {
    let me = user.0.id();
    let company =
        pursuit_app::companies::get(&state.db, me, pursuit_domain::ids::CompanyId(id)).await?;
    let key = company.name_key.clone();
    let found = postings::postings_of_company(&state.db, me, company.id, LIST_LIMIT as i64).await?;
    let rows: Vec<Row> = found.iter().map(|p| row(p, None)).collect();
    // Narrowed in SQL by the name's first word, then kept when the whole name reads the same.
    let first_word = key.split_whitespace().next().unwrap_or(&key).to_owned();
    let filter = pursuit_store::applications::ApplicationFilter {
        company: Some(first_word),
        ..Default::default()
    };
    let mut applications = Vec::new();
    for archived in [false, true] {
        let filter = pursuit_store::applications::ApplicationFilter {
            archived,
            ..filter.clone()
        };
        applications.extend(
            pursuit_store::applications::list_applications(&state.db, me, &filter, None, 200)
                .await?
                .into_iter()
                .map(|(a, _)| a),
        );
    }
    let applications: Vec<Value> = applications
        .iter()
        .filter(|a| pursuit_domain::company::company_key(&a.data.company) == key)
        .map(|a| {
            serde_json::json!({
                "id": a.id.to_string(),
                "role": a.data.role_title,
                "status": super::status_label(a.data.status),
                "date": a.data.application_date.to_string(),
                "archived": a.data.archived_at.is_some(),
            })
        })
        .collect();
    // The research task followed, while it is still at work.
    let running = match task {
        Some(t) => {
            match pursuit_app::tasks::get(&state.db, me, pursuit_domain::ids::JobId(t)).await {
                Ok(job) => Some(job),
                Err(pursuit_app::AppError::NotFound) => None,
                Err(other) => return Err(other.into()),
            }
            .filter(|j| j.kind == "company.research")
            .map(|j| {
                serde_json::json!({
                    "state": j.state.as_str(),
                    "live": pursuit_app::tasks::is_live(&j),
                    "message": j.progress_message,
                    "error": pursuit_app::tasks::last_error(&j),
                })
            })
        }
        None => None,
    };
    let people: Vec<_> =
        pursuit_app::contacts::list(&state.db, me, Some(pursuit_domain::ids::CompanyId(id)))
            .await?
            .into_iter()
            .map(crate::contacts::response)
            .collect();
    let name = company.name.clone();
    let view = crate::companies::response(company);
    let when = view.last_refreshed_at().map(|t| {
        t.to_zoned(user.0.zone())
            .strftime("%-d %b %Y, %H:%M")
            .to_string()
    });
    let sizes: Vec<&str> = pursuit_app::companies::SIZES.to_vec();
    Ok(render(
        "company.html",
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        context! {
            page => "jobs",
            user => user.view(),
            csrf => user.csrf(),
            id => id.to_string(),
            error => error,
            c => template_value(&view),
            typed => typed.as_ref().map(template_value),
            refreshed => when,
            running => running.as_ref().map(template_value),
            sizes => sizes,
            name => name,
            rows => template_value(&rows),
            applications => template_value(&applications),
            people => template_value(&people),
        },
    ))
}
