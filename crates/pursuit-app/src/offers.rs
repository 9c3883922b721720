//! The pitch (seed 000 §8 calls it the offer): for one of the user's applications, the short
//! message outreach leads with, in a tone and a length in characters, addressed to one of
//! its contacts when one is chosen.
//!
//! The built-in pitch is written first from the user's own lines as the tailoring chose
//! them for the application's posting (`pursuit_text::pitch`). It goes to the AI layer as a
//! draft (task `offer`, with the company's researched facts and the contact's role): a
//! configured model may reword it, but an answer that adds a fact about the user, or runs
//! over the characters asked, breaks the task's rules and is passed over, down to the
//! draft. The pitch is kept as a document of kind `pitch` — checked by the guard, edited
//! and confirmed as every document is — and an `offers` row says what it is for.

use jiff::Timestamp;
use pursuit_domain::ids::{ApplicationId, ContactId, DocumentId, OfferId};
use pursuit_store::offers::{self as store, OfferRow};
use pursuit_text::letter::Tone;
use pursuit_text::pitch::PitchLength;
use serde_json::json;

use crate::ai::{Caller, Services};
use crate::documents::{self, Document, Draft};
use crate::error::{AppError, Invalid};

/// The "model" of the built-in pitch.
pub const PITCH_MODEL: &str = "pursuit-pitch-1";

/// A pitch and its text.
#[derive(Clone, Debug)]
pub struct Offer {
    pub row: OfferRow,
    pub document: Document,
}

/// What a pitch is asked for.
#[derive(Clone, Copy, Debug)]
pub struct OfferRequest {
    pub application: ApplicationId,
    pub contact: Option<ContactId>,
    pub tone: Tone,
    pub length: PitchLength,
}

/// A pitch written but not kept: its text and who wrote it.
#[derive(Clone, Debug)]
pub struct Written {
    pub text: String,
    pub provider: String,
    pub model: String,
    pub cost_micros: i64,
    pub fallbacks: Vec<String>,
    pub short_of_preset: bool,
}

/// Everything a pitch is written from, and the pitch.
struct Made {
    written: Written,
    company: Option<String>,
    contact_name: Option<String>,
    from: documents::Tailoring,
    material: Vec<String>,
    facts: String,
    title: String,
}

async fn make(
    services: Services<'_>,
    caller: Caller<'_>,
    asked: &OfferRequest,
    now: Timestamp,
) -> Result<Made, AppError> {
    let (db, user) = (services.db, caller.id);
    let application = crate::applications::get(db, user, asked.application).await?;
    let contact = match asked.contact {
        None => None,
        Some(id) => Some(
            pursuit_store::contacts::get(db, user, id)
                .await?
                .ok_or_else(|| {
                    AppError::Invalid(vec![Invalid::new(
                        "contact_id",
                        "is not one of your contacts",
                    )])
                })?,
        ),
    };
    let posting = pursuit_store::postings::posting_of_application(db, user, application.id)
        .await?
        .ok_or_else(|| {
            AppError::Conflict(
                "this application has no posting saved: a pitch answers the posting's needs with your own lines, so save the posting for it first (Jobs › add, then Save as an application)".to_owned(),
            )
        })?;
    let from = documents::tailoring(db, user, posting.id).await?;
    let role = from
        .fields
        .title
        .clone()
        .or_else(|| posting.title.clone())
        .unwrap_or_else(|| application.data.role_title.clone());
    // The posting's company, else the application's unless it is the stand-in for none.
    let company = posting
        .company
        .as_ref()
        .map(|c| c.name.clone())
        .or_else(|| {
            let named = application.data.company.trim();
            (!named.is_empty() && named != crate::postings::UNKNOWN_COMPANY)
                .then(|| named.to_owned())
        });
    let draft = pursuit_text::pitch::pitch(
        &from.cv,
        Some(&role),
        company.as_deref(),
        asked.tone,
        asked.length,
    );
    // The company's researched facts: the model may mention one, as the company's.
    let facts: Vec<String> = match &posting.company {
        Some(c) => pursuit_store::companies::get(db, user, c.id)
            .await?
            .map(|row| {
                row.research["facts"]
                    .as_array()
                    .map(|f| {
                        f.iter()
                            .filter_map(|x| x["text"].as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let facts = facts.join("\n");
    let material = documents::material(db, user).await?;
    let mut names = documents::posting_names(&from.posting);
    let contact_name = contact.as_ref().map(|c| c.fields.full_name.clone());
    names.extend(contact_name.iter().cloned());
    names.extend(company.iter().cloned());
    let to = match &contact {
        Some(c) => format!(
            "{}{}",
            c.fields.full_name,
            c.fields
                .role_title
                .as_deref()
                .map(|r| format!(", {r}"))
                .unwrap_or_default()
        ),
        None => "the hiring manager".to_owned(),
    };
    let input = |label: &'static str, text: String| pursuit_ai::Input { label, text };
    let request = pursuit_ai::Request::new(
        pursuit_ai::Task::Offer,
        vec![
            input("resume", material.join("\n\n")),
            input(
                "job description",
                format!(
                    "{}\n\nAbout {}:\n{facts}",
                    documents::posting_context(&from.posting),
                    company.as_deref().unwrap_or("the company")
                ),
            ),
            input("draft", draft.text.clone()),
            input("role", format!("{}\n{to}", names.join("\n"))),
            input(
                "request",
                format!(
                    "tone: {}; {} to {} characters; to: {to}",
                    asked.tone.as_str(),
                    asked.length.min_chars,
                    asked.length.max_chars
                ),
            ),
            input("max_chars", asked.length.max_chars.to_string()),
        ],
    );
    // A model's wording when one gave it, else the built-in pitch.
    let (answer, fallbacks) = match crate::ai::run(services, caller, now, request).await {
        Ok(answer) if answer.provider != pursuit_ai::LOCAL => (Some(answer), Vec::new()),
        Ok(answer) => (None, answer.fallbacks),
        Err(AppError::FeatureOff(_)) => (None, Vec::new()),
        Err(other) => return Err(other),
    };
    let written = match answer {
        Some(answer) => Written {
            text: answer.value["text"]
                .as_str()
                .unwrap_or(&draft.text)
                .trim()
                .to_owned(),
            provider: answer.provider,
            model: answer.model,
            cost_micros: crate::ai::micros(answer.cost_usd),
            fallbacks: answer.fallbacks,
            short_of_preset: false,
        },
        None => Written {
            text: draft.text,
            provider: pursuit_ai::LOCAL.to_owned(),
            model: PITCH_MODEL.to_owned(),
            cost_micros: 0,
            fallbacks,
            short_of_preset: draft.short_of_preset,
        },
    };
    let title = documents::document_title("Pitch", Some(&role), company.as_deref());
    Ok(Made {
        written,
        company,
        contact_name,
        from,
        material,
        facts,
        title,
    })
}

/// Writes a pitch without keeping it (seed 000's `POST /ai/offer`).
pub async fn write(
    services: Services<'_>,
    caller: Caller<'_>,
    asked: &OfferRequest,
    now: Timestamp,
) -> Result<Written, AppError> {
    Ok(make(services, caller, asked, now).await?.written)
}

/// Writes a pitch for one of the user's applications and keeps it (a document of kind
/// `pitch`, checked by the guard).
pub async fn generate(
    services: Services<'_>,
    caller: Caller<'_>,
    asked: &OfferRequest,
    now: Timestamp,
) -> Result<Offer, AppError> {
    let made = make(services, caller, asked, now).await?;
    let w = made.written;
    let chars = w.text.chars().count();
    let draft = Draft {
        kind: "pitch".to_owned(),
        title: made.title,
        body: w.text.clone(),
        data: json!({
            "application_id": asked.application.0,
            "contact_id": asked.contact.map(|c| c.0),
            "tone": asked.tone.as_str(),
            "length_preset": asked.length.name(),
        }),
        report: json!({
            "tone": asked.tone.as_str(),
            "chars": chars,
            "target_chars": [asked.length.min_chars, asked.length.max_chars],
            "short_of_preset": w.short_of_preset,
            "matching_skills": made.from.cv.matching_skills,
            "gaps": made.from.cv.gaps,
            "fallbacks": w.fallbacks,
        }),
        provider: w.provider,
        model: w.model,
        cost_micros: w.cost_micros,
        names: made.contact_name.into_iter().chain(made.company).collect(),
    };
    let document = documents::check_and_keep_with(
        services.db,
        caller.id,
        &made.material,
        Some(&made.from.posting),
        Some(made.from.read.version.id),
        draft,
        &made.facts,
        now,
    )
    .await?;
    let row = OfferRow {
        id: OfferId::new(),
        application_id: asked.application,
        contact_id: asked.contact,
        document_id: document.row.id,
        tone: asked.tone.as_str().to_owned(),
        length_preset: asked.length.name().to_owned(),
        created_at: now,
    };
    store::insert(services.db, caller.id, &row).await?;
    Ok(Offer { row, document })
}

async fn with_document(
    db: &pursuit_store::Db,
    user: pursuit_domain::ids::UserId,
    row: OfferRow,
) -> Result<Offer, AppError> {
    let document = documents::get(db, user, row.document_id).await?;
    Ok(Offer { row, document })
}

/// The newest pitch of one of the user's applications (none yet is said in words).
pub async fn for_application(
    db: &pursuit_store::Db,
    user: pursuit_domain::ids::UserId,
    application: ApplicationId,
) -> Result<Offer, AppError> {
    crate::applications::get(db, user, application).await?;
    let row = store::newest_for_application(db, user, application)
        .await?
        .ok_or_else(|| {
            AppError::NotFoundDetail(
                "no pitch for this application yet: POST to make one".to_owned(),
            )
        })?;
    with_document(db, user, row).await
}

pub async fn get(
    db: &pursuit_store::Db,
    user: pursuit_domain::ids::UserId,
    id: OfferId,
) -> Result<Offer, AppError> {
    let row = store::get(db, user, id).await?.ok_or(AppError::NotFound)?;
    with_document(db, user, row).await
}

/// Changes a pitch's text (checked by the guard again, as any document's), at most the
/// most characters of its length.
pub async fn update(
    db: &pursuit_store::Db,
    user: pursuit_domain::ids::UserId,
    id: OfferId,
    body: &str,
    now: Timestamp,
) -> Result<Offer, AppError> {
    let offer = get(db, user, id).await?;
    let most = PitchLength::preset(&offer.row.length_preset).map_or(1000, |l| l.max_chars);
    let n = body.trim().chars().count();
    if n > most {
        return Err(AppError::Invalid(vec![Invalid::new(
            "body",
            format!(
                "is {n} characters, more than the {} pitch's {most}",
                offer.row.length_preset
            ),
        )]));
    }
    let document: DocumentId = offer.row.document_id;
    documents::update(
        db,
        user,
        document,
        documents::DocumentChange {
            title: None,
            body: Some(body.to_owned()),
            confirmations: None,
        },
        now,
    )
    .await?;
    get(db, user, id).await
}
