//! Companies (seed 000 §6): the details the user gives (website, industry, size band,
//! headquarters and its IANA zone) and research — a short summary and up to five facts,
//! each a sentence its source states, from the company's own pages (fetched through the
//! SSRF-safe fetcher) and the postings the user saved from it.
//!
//! Research is long work: `request_research` enqueues `company.research`, which the worker
//! runs (fetching each page with progress) and keeps with the local engine's reading
//! (`pursuit_text::research`). `research_with_ai` reads the kept sources again through the
//! AI layer (task `company_research`), whose rules refuse a fact its source does not state.

use jiff::Timestamp;
use pursuit_domain::account::TimeZoneName;
use pursuit_domain::ids::{CompanyId, JobId, UserId};
use pursuit_files::fetch::{self, Limits};
use pursuit_store::Db;
use pursuit_store::companies::{self as store, CompanyRow, Details};
use pursuit_store::jobs::JobSpec;
use pursuit_text::research::{Research, Source};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{AppError, Invalid};

/// `company.research`: fetch a company's pages, read them with its postings, keep the facts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResearchCompany {
    pub user_id: uuid::Uuid,
    pub company_id: uuid::Uuid,
}

impl JobSpec for ResearchCompany {
    const KIND: &'static str = "company.research";
    const QUEUE: &'static str = "default";
    const MAX_ATTEMPTS: i64 = 3;
}

/// The "model" of the built-in research, bumped when its reading changes.
pub const RESEARCH_MODEL: &str = "pursuit-research-1";
/// The size bands a company's size is given in.
pub const SIZES: [&str; 8] = [
    "1-10",
    "11-50",
    "51-200",
    "201-500",
    "501-1000",
    "1001-5000",
    "5001-10000",
    "10001+",
];
/// The most text kept of one source (characters).
const MAX_SOURCE_TEXT: usize = 20_000;
/// The most postings read for one company.
const MAX_POSTINGS: i64 = 5;

pub async fn get(db: &Db, user: UserId, id: CompanyId) -> Result<CompanyRow, AppError> {
    store::get(db, user, id).await?.ok_or(AppError::NotFound)
}

/// What the user says about a company: each field replaced, `None` or empty clears it.
#[derive(Clone, Debug, Default)]
pub struct DetailsInput {
    pub website: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub headquarters: Option<String>,
    pub time_zone: Option<String>,
}

/// Replaces the details of one of the user's companies, each checked: a website is an
/// `http(s)` address, a size one of [`SIZES`] ("51–200" and "51 to 200" read as
/// "51-200"), a time zone a known IANA name.
pub async fn update(
    db: &Db,
    user: UserId,
    id: CompanyId,
    input: &DetailsInput,
) -> Result<CompanyRow, AppError> {
    let mut invalid = Vec::new();
    let website = crate::profile::some(crate::profile::link(
        "website",
        input.website.as_deref().unwrap_or_default(),
        &mut invalid,
    ));
    let industry = crate::profile::some(crate::profile::text(
        "industry",
        input.industry.as_deref().unwrap_or_default(),
        100,
        false,
        &mut invalid,
    ));
    let headquarters = crate::profile::some(crate::profile::text(
        "headquarters",
        input.headquarters.as_deref().unwrap_or_default(),
        200,
        false,
        &mut invalid,
    ));
    let size = match input.size.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(given) => {
            let normal: String = given
                .replace(['–', '—'], "-")
                .replace(" to ", "-")
                .replace([' ', ','], "");
            match SIZES.iter().find(|s| **s == normal) {
                Some(s) => Some((*s).to_owned()),
                None => {
                    invalid.push(Invalid::new(
                        "size",
                        format!("must be one of {}", SIZES.join(", ")),
                    ));
                    None
                }
            }
        }
    };
    let time_zone = match input.time_zone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(zone) => match TimeZoneName::parse(zone) {
            Ok(name) => Some(name.as_str().to_owned()),
            Err(e) => {
                invalid.push(Invalid::new("time_zone", e.0));
                None
            }
        },
    };
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let details = Details {
        website,
        industry,
        size,
        headquarters,
        time_zone,
    };
    if !store::set_details(db, user, id, &details).await? {
        return Err(AppError::NotFound);
    }
    get(db, user, id).await
}

/// Asks the worker to research one of the user's companies: the task's id. A research of
/// the company already waiting or running is that task.
pub async fn request_research(
    db: &Db,
    user: UserId,
    id: CompanyId,
    now: Timestamp,
) -> Result<JobId, AppError> {
    get(db, user, id).await?;
    let enqueued = pursuit_store::jobs::enqueue(
        db,
        &ResearchCompany {
            user_id: user.0,
            company_id: id.0,
        },
        &pursuit_store::jobs::EnqueueOptions {
            user_id: Some(user),
            dedupe_key: Some(format!("company.research:{}", id.0)),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(enqueued.id)
}

/// The company's own pages to read: the website's front page and the usual "about" pages
/// on the same host.
pub fn pages(website: &str) -> Vec<String> {
    let Ok(base) = url::Url::parse(website) else {
        return Vec::new();
    };
    let mut out = vec![base.to_string()];
    for path in ["/about", "/about-us", "/company"] {
        if let Ok(page) = base.join(path)
            && !out.contains(&page.to_string())
        {
            out.push(page.to_string());
        }
    }
    out
}

fn clipped(text: &str) -> String {
    text.chars().take(MAX_SOURCE_TEXT).collect()
}

/// One page read as a source; the reason in words when it cannot be.
pub async fn fetch_source(url: &str, limits: &Limits) -> Result<Source, String> {
    let fetched = fetch::fetch(url, limits).await.map_err(|e| e.to_string())?;
    let body = String::from_utf8_lossy(&fetched.body).replace('\0', "");
    let html = fetched
        .content_type
        .as_deref()
        .is_none_or(|t| t.contains("html") || t.contains("xml"));
    let (title, description, text) = if html {
        let page = pursuit_text::html::read(&body);
        (page.title.unwrap_or_default(), page.description, page.text)
    } else {
        (String::new(), None, body)
    };
    if text.trim().is_empty() && description.is_none() {
        return Err("the page has no text".to_owned());
    }
    Ok(Source {
        id: fetched.url.to_string(),
        kind: "website".to_owned(),
        title,
        description,
        text: clipped(&text),
    })
}

/// The postings the user saved from the company, newest first, as sources.
pub async fn posting_sources(
    db: &Db,
    user: UserId,
    id: CompanyId,
) -> Result<Vec<Source>, AppError> {
    let postings = pursuit_store::postings::postings_of_company(db, user, id, MAX_POSTINGS).await?;
    Ok(postings
        .into_iter()
        .map(|p| {
            let text = crate::postings::readable(&p.raw_text, &p.source, p.parsed.as_ref());
            Source {
                id: format!("posting:{}", p.id.0),
                kind: "posting".to_owned(),
                title: p.title.unwrap_or_default(),
                description: None,
                text: clipped(&text),
            }
        })
        .collect())
}

fn research_value(
    found: &Research,
    sources: &[Source],
    failed: &[(String, String)],
    provider: &str,
    model: &str,
) -> Value {
    json!({
        "summary": found.summary,
        "facts": found.facts,
        "sources": sources,
        "failed": failed.iter().map(|(url, why)| json!({"url": url, "error": why})).collect::<Vec<_>>(),
        "provider": provider,
        "model": model,
    })
}

/// Keeps what the local engine reads from `sources` (and the pages that could not be
/// read, with why) as the company's research, refreshed `now`.
pub async fn keep_research(
    db: &Db,
    user: UserId,
    id: CompanyId,
    sources: &[Source],
    failed: &[(String, String)],
    now: Timestamp,
) -> Result<CompanyRow, AppError> {
    let company = get(db, user, id).await?;
    let found = pursuit_text::research::research(&company.name, sources);
    let value = research_value(&found, sources, failed, pursuit_ai::LOCAL, RESEARCH_MODEL);
    if !store::set_research(db, user, id, &value, now).await? {
        return Err(AppError::NotFound);
    }
    get(db, user, id).await
}

/// The kept sources of a company's research.
pub fn kept_sources(company: &CompanyRow) -> Vec<Source> {
    serde_json::from_value(company.research["sources"].clone()).unwrap_or_default()
}

/// Reads the company's kept sources again through the AI layer (task `company_research`):
/// a configured model may word the summary and choose the facts, but a fact its source does
/// not state is refused by the task's rules (then the next provider, in the end the local
/// engine). 409 before any research has gathered sources.
pub async fn research_with_ai(
    services: crate::ai::Services<'_>,
    caller: crate::ai::Caller<'_>,
    id: CompanyId,
    now: Timestamp,
) -> Result<(CompanyRow, Vec<String>), AppError> {
    let (db, user) = (services.db, caller.id);
    let company = get(db, user, id).await?;
    let sources = kept_sources(&company);
    if sources.is_empty() {
        return Err(AppError::Conflict(
            "nothing to read yet: research the company first (POST /api/v1/companies/{id}/research), with its website set or a posting saved from it".to_owned(),
        ));
    }
    let request = pursuit_ai::Request::new(
        pursuit_ai::Task::CompanyResearch,
        vec![
            pursuit_ai::Input {
                label: "company",
                text: company.name.clone(),
            },
            pursuit_ai::Input {
                label: "sources",
                text: serde_json::to_string(&sources).unwrap_or_default(),
            },
        ],
    );
    let answer = crate::ai::run(services, caller, now, request).await?;
    let found: Research = serde_json::from_value(answer.value.clone()).unwrap_or_default();
    let failed: Vec<(String, String)> = company.research["failed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["url"].as_str().unwrap_or_default().to_owned(),
                f["error"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let model = if answer.provider == pursuit_ai::LOCAL {
        RESEARCH_MODEL.to_owned()
    } else {
        answer.model.clone()
    };
    let value = research_value(&found, &sources, &failed, &answer.provider, &model);
    if !store::set_research(db, user, id, &value, now).await? {
        return Err(AppError::NotFound);
    }
    Ok((get(db, user, id).await?, answer.fallbacks))
}
