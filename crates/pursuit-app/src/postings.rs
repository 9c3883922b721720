//! Job postings: added from pasted text or a URL, read into fields, and saved to the tracker
//! as a `Saved` application linked to its company — for the API (`/api/v1/jobs`) and the
//! jobs pages alike.
//!
//! A URL is fetched while the caller waits, because the user asked for this posting now:
//! through `pursuit_files::fetch`, which refuses private and metadata addresses and caps size
//! and time. Reading is pure CPU (milliseconds) and also runs in the call.

use jiff::Timestamp;
use jiff::civil::Date;
use pursuit_domain::application::{
    ApplicationStatus, ChangedBy, LocationMode, ParseStatus, SalaryRange,
};
use pursuit_domain::company::company_key;
use pursuit_domain::ids::{ApplicationId, PostingId, UserId};
use pursuit_files::fetch::{self, Limits};
use pursuit_store::applications::ApplicationData;
use pursuit_store::embeddings::Source;
use pursuit_store::postings::{self, Posting};
use pursuit_store::{Db, Tx};
use pursuit_text::posting::{self as reader, Input};
use serde_json::Value;

use crate::error::{AppError, Invalid};
use crate::fields::Fields;

/// The company of an application saved from a posting that names none.
pub const UNKNOWN_COMPANY: &str = "Unknown company";

/// The most text a pasted posting may have, in bytes.
pub const MAX_TEXT: usize = 200_000;
/// The most of a fetched page kept (after scripts and styles are dropped), in bytes.
const MAX_PAGE: usize = 1_000_000;

/// What the user gives to add a posting: its text or its address, and what to override.
#[derive(Clone, Debug, Default)]
pub struct Intake {
    /// The posting as text (plain, Markdown or HTML).
    pub text: Option<String>,
    /// An http(s) address of the posting.
    pub url: Option<String>,
    /// Read it into fields now (otherwise stored `pending`).
    pub parse: bool,
    pub title: Option<String>,
    pub company: Option<String>,
    pub desired_output_lang: Option<String>,
}

/// Where the posting comes from, once the intake is known to name exactly one source.
enum Given<'a> {
    Text(&'a str),
    Url(&'a str),
}

/// What is wrong with an intake before anything is fetched: each field named.
fn check(intake: &Intake) -> Result<(Given<'_>, Checked), AppError> {
    let mut fields = Fields::default();
    let text = intake
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let url = intake
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let given = match (text, url) {
        (Some(text), None) => Some(Given::Text(text)),
        (None, Some(url)) => Some(Given::Url(url)),
        (None, None) => {
            fields.bad("text", "give the posting's text or its url");
            None
        }
        (Some(_), Some(_)) => {
            fields.bad("url", "give the posting's text or its url, not both");
            None
        }
    };
    if text.is_some_and(|t| t.len() > MAX_TEXT) {
        fields.bad("text", format!("is longer than {MAX_TEXT} bytes"));
    }
    let desired = match intake.desired_output_lang.as_deref() {
        None => None,
        // Seed 004's `desired_output_lang`: a language Pursuit lays documents out in.
        Some(lang) if pursuit_text::tailor::layout(lang).is_some() => Some(lang.to_owned()),
        Some(_) => {
            fields.bad(
                "desired_output_lang",
                format!("must be one of {}", pursuit_text::tailor::layout_langs()),
            );
            None
        }
    };
    let mut optional = |field: &str, value: Option<&String>| {
        fields
            .text(
                field,
                &value.cloned().map_or(Value::Null, Value::String),
                300,
            )
            .flatten()
    };
    let title = optional("title", intake.title.as_ref());
    let company = optional("company", intake.company.as_ref());
    fields.finish().map_err(AppError::Invalid)?;
    // `finish` refused the intake if neither or both were given.
    let Some(given) = given else {
        return Err(AppError::Invalid(vec![Invalid::new(
            "text",
            "give the posting's text or its url",
        )]));
    };
    Ok((
        given,
        Checked {
            title,
            company,
            desired,
        },
    ))
}

struct Checked {
    title: Option<String>,
    company: Option<String>,
    desired: Option<String>,
}

/// Adds a posting: reads it (pasted, or fetched from `intake.url` within `limits`), links or
/// creates its company, and saves it to the tracker as a `Saved` application, in one
/// transaction. A refused or unreadable address is [`AppError::Invalid`] on `/url`.
pub async fn add(
    db: &Db,
    user: UserId,
    today: Date,
    intake: &Intake,
    limits: &Limits,
    now: Timestamp,
) -> Result<Posting, AppError> {
    let (given, checked) = check(intake)?;
    let (source, raw, url) = match given {
        Given::Text(text) => ("text", text.to_owned(), None),
        Given::Url(url) => ("url", fetch_page(url, limits).await?, Some(url)),
    };

    let mut tx = db.begin().await?;
    let posting = save_read(
        &mut tx,
        user,
        today,
        Read {
            source,
            raw,
            url: url.map(str::to_owned),
            title: checked.title,
            company: checked.company,
            found_on: None,
        },
        intake.parse,
        checked.desired,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(posting)
}

/// A posting's text as it came, and what its caller knows of it.
pub struct Read {
    /// `text` or `url`: how `raw` is read.
    pub source: &'static str,
    pub raw: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    /// Where the user found it, as the tracker's `source` says (`Job posting` by default;
    /// the board's name for a job discovery found).
    pub found_on: Option<String>,
}

/// Stores a posting in `tx` (read now when `parse`), linked to its company (found or made)
/// and saved to the tracker as a `Saved` application; its embedding is queued.
#[allow(clippy::too_many_arguments)]
pub async fn save_read(
    tx: &mut Tx,
    user: UserId,
    today: Date,
    read: Read,
    parse: bool,
    desired: Option<String>,
    now: Timestamp,
) -> Result<Posting, AppError> {
    let Read {
        source,
        raw,
        url,
        title,
        company,
        found_on,
    } = read;
    let parsed = parse.then(|| reader::parse_titled(input(&raw, source), title.as_deref()));
    let title = title.or_else(|| parsed.as_ref().and_then(|p| p.title.clone()));
    let company_name = company
        .or_else(|| parsed.as_ref().and_then(|p| p.company.clone()))
        .or_else(|| url.as_deref().and_then(host_of));
    let jd_lang = parsed.as_ref().and_then(|p| p.jd_lang.clone());
    let desired_output_lang = desired
        .or_else(|| {
            jd_lang
                .clone()
                .filter(|l| pursuit_text::tailor::layout(l).is_some())
        })
        .unwrap_or_else(|| "en".to_owned());

    let company = match company_name.as_deref() {
        Some(name) if !company_key(name).is_empty() => {
            Some(postings::company_for(&mut *tx, user, name, &company_key(name), now).await?)
        }
        _ => None,
    };
    let mut application = application_for(
        company
            .as_ref()
            .map_or(UNKNOWN_COMPANY, |c| c.name.as_str()),
        title.as_deref().unwrap_or("Untitled posting"),
        url.as_deref(),
        parsed.as_ref(),
        today,
    );
    if let Some(found_on) = found_on {
        application.source = found_on;
    }
    let created = crate::applications::create_in(
        &mut *tx,
        user,
        ApplicationId::new(),
        &application,
        ChangedBy::User,
        None,
        now,
    )
    .await?;
    let posting = Posting {
        id: PostingId::new(),
        company,
        application_id: Some(created.id),
        source: source.to_owned(),
        url,
        raw_text: raw,
        title,
        parse_status: if parse {
            ParseStatus::Complete
        } else {
            ParseStatus::Pending
        },
        parse_error: None,
        parsed: parsed
            .as_ref()
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| AppError::Unavailable(Box::new(e)))?,
        jd_lang,
        desired_output_lang,
        created_at: now,
        updated_at: now,
    };
    postings::insert_posting(&mut *tx, user, &posting).await?;
    crate::embeddings::enqueue(&mut *tx, user, Source::Posting(posting.id), now).await?;
    Ok(posting)
}

/// The page at `url` as kept for reading: scripts and styles dropped, NULs dropped, at most
/// [`MAX_PAGE`] bytes.
async fn fetch_page(url: &str, limits: &Limits) -> Result<String, AppError> {
    let invalid = |message: String| AppError::Invalid(vec![Invalid::new("url", message)]);
    let fetched = fetch::fetch(url, limits)
        .await
        .map_err(|e| invalid(format!("cannot read this address: {e}")))?;
    let html = fetched
        .content_type
        .as_deref()
        .is_none_or(|t| t.contains("html") || t.contains("xml"));
    // A remote page's U+0000 means nothing and could not be stored: dropped.
    let page = String::from_utf8_lossy(&fetched.body).replace('\0', "");
    if page.trim().is_empty() {
        return Err(invalid("the page at this address is empty".to_owned()));
    }
    // Kept without scripts and styles; plain text stays plain.
    let kept = if html {
        pursuit_text::html::compact(&page)
    } else {
        page
    };
    Ok(truncate(&kept, MAX_PAGE).to_owned())
}

/// One of the user's postings.
pub async fn get(db: &Db, user: UserId, id: PostingId) -> Result<Posting, AppError> {
    postings::get_posting(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Reads (again) a posting's stored text into fields — for one added without reading, or
/// after the reader improved.
pub async fn read_again(db: &Db, user: UserId, id: PostingId) -> Result<Posting, AppError> {
    let posting = get(db, user, id).await?;
    let parsed = reader::parse_titled(
        input(&posting.raw_text, &posting.source),
        posting.title.as_deref(),
    );
    record_parse(db, user, posting, parsed, Timestamp::now()).await
}

/// Records what was read from a posting (by Pursuit or an outside workflow): the title and
/// company the user gave are kept, a company named for the first time is linked.
pub async fn record_parse(
    db: &Db,
    user: UserId,
    mut posting: Posting,
    mut parsed: reader::Posting,
    now: Timestamp,
) -> Result<Posting, AppError> {
    let mut tx = db.begin().await?;
    // The title the user sees is the one the match reads.
    match &posting.title {
        Some(title) => parsed.give_title(title),
        None => posting.title = parsed.title.clone(),
    }
    if posting.company.is_none()
        && let Some(name) = parsed
            .company
            .as_deref()
            .filter(|n| !company_key(n).is_empty())
    {
        posting.company =
            Some(postings::company_for(&mut tx, user, name, &company_key(name), now).await?);
    }
    posting.jd_lang = parsed.jd_lang.clone();
    posting.parse_status = ParseStatus::Complete;
    posting.parse_error = None;
    posting.parsed =
        Some(serde_json::to_value(&parsed).map_err(|e| AppError::Unavailable(Box::new(e)))?);
    posting.updated_at = now;
    postings::record_parse(&mut tx, user, &posting).await?;
    // The text may be new (an outside parser's callback sends one).
    crate::embeddings::enqueue(&mut tx, user, Source::Posting(posting.id), now).await?;
    tx.commit().await?;
    Ok(posting)
}

/// How a stored posting is read: a fetched page (kept as HTML, so its JSON-LD is read again
/// on a re-parse) or text as the user gave it.
pub fn input<'a>(raw: &'a str, source: &str) -> Input<'a> {
    if source == "url"
        && raw
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
    {
        Input::Html(raw)
    } else {
        Input::Text(raw)
    }
}

/// The posting's text for people: as pasted, or a page's readable text (the JSON-LD
/// description when the parse found one).
pub fn readable(raw: &str, source: &str, parsed: Option<&Value>) -> String {
    match input(raw, source) {
        Input::Text(text) => text.to_owned(),
        Input::Html(page) => parsed
            .and_then(|p| p.get("description"))
            .and_then(Value::as_str)
            .map_or_else(|| pursuit_text::html::read(page).text, str::to_owned),
    }
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// "https://www.acme.com/jobs/1" → "acme.com": a company name of last resort.
fn host_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let host = url.host_str()?.trim_start_matches("www.");
    (!host.is_empty()).then(|| host.to_owned())
}

/// The tracker application a posting is saved as: status `Saved`, with what was read.
fn application_for(
    company: &str,
    title: &str,
    url: Option<&str>,
    parsed: Option<&reader::Posting>,
    today: Date,
) -> ApplicationData {
    let mut data = ApplicationData::new(company, title, today);
    data.status = ApplicationStatus::Saved;
    data.source = "Job posting".to_owned();
    data.job_url = url.map(str::to_owned);
    if let Some(p) = parsed {
        data.location_text = p.location.clone();
        data.location_mode = p
            .remote_type
            .as_deref()
            .and_then(|m| LocationMode::parse(m).ok());
        data.seniority_level = p.seniority.clone();
        data.tech_keywords = p
            .skills
            .required
            .iter()
            .chain(&p.skills.preferred)
            .map(|s| s.name.clone())
            .take(30)
            .collect();
        if let Some(s) = p
            .salary
            .as_ref()
            .filter(|s| !s.ote && s.period.as_deref() == Some("year"))
        {
            let to_i64 = |v: Option<u64>| v.and_then(|v| i64::try_from(v).ok());
            if let Ok(range) = SalaryRange::new(to_i64(s.min), to_i64(s.max), s.currency.as_deref())
            {
                data.salary = range;
            }
        }
    }
    data
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_output_languages_are_the_layouts() {
        let layouts: Vec<&str> = pursuit_text::tailor::LAYOUTS
            .iter()
            .map(|l| l.lang)
            .collect();
        assert_eq!(pursuit_text::tailor::layout_langs(), layouts.join(", "));
        assert_eq!(layouts, ["en", "ar", "fr", "de", "es"]);
    }
}
