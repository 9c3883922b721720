//! Optimization reports (seed 004): for a resume version and a posting, the score of the
//! resume as written, what the user could change and why with the evidence
//! (`pursuit_text::optimize`), the tailored CV as a preview (kept as a document to edit and
//! export) with its change log and its own score, in the output language asked. The same
//! inputs answer the result already made (the cache); a refined CV is a new version of
//! the result that names the one it came from.

use jiff::Timestamp;
use pursuit_domain::ids::{DocumentId, OptimizationId, PostingId, UserId};
use pursuit_store::Db;
use pursuit_store::optimizations::{self as store, OptimizationRow};
use pursuit_text::tailor;
use serde_json::json;

use crate::documents::{self, Document};
use crate::error::{AppError, Invalid};

/// What the caller asks for.
#[derive(Clone, Debug, Default)]
pub struct OptimizeRequest {
    /// The resume version to read (the active one when absent, or the newest version in
    /// the output language when one is asked that the active version is not in).
    pub resume_version_id: Option<uuid::Uuid>,
    /// The language the CV is laid out in (ISO 639-1, one of the layouts); the posting's
    /// `desired_output_lang` when absent.
    pub desired_output_lang: Option<String>,
    /// Make it again even when a result from the same inputs exists.
    pub fresh: bool,
}

/// A result, and whether it was made before from the same inputs.
#[derive(Clone, Debug)]
pub struct Optimization {
    pub row: OptimizationRow,
    pub cached: bool,
}

/// Reads the resume version against one of the user's postings: the score, the report,
/// and a tailored CV kept as a document.
pub async fn optimize(
    db: &Db,
    user: UserId,
    posting_id: PostingId,
    request: &OptimizeRequest,
    now: Timestamp,
) -> Result<Optimization, AppError> {
    let asked = match request.desired_output_lang.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(tailor::layout(&code.to_ascii_lowercase()).ok_or_else(|| {
            AppError::Invalid(vec![Invalid::new(
                "desired_output_lang",
                format!("must be one of {}", tailor::layout_langs()),
            )])
        })?),
    };
    // The posting first: another user's id is a 404 whatever this user has.
    let (posting, fields) = crate::matching::read_posting(db, user, posting_id).await?;
    // Seed 004: the language the posting was added with, unless asked otherwise now.
    let wanted = asked.or_else(|| tailor::layout(&posting.desired_output_lang));
    let mut read = crate::matching::resume_version(db, user, request.resume_version_id).await?;
    let mut version_note = None;
    if let Some(layout) = wanted
        && request.resume_version_id.is_none()
        && read.resume.lang.as_deref() != Some(layout.lang)
        && let Some(other) = version_in(db, user, layout.lang).await?
    {
        version_note = Some(format!(
            "Read from your resume version “{}”, the newest in {}, not the active one.",
            other
                .version
                .label
                .clone()
                .unwrap_or_else(|| "unnamed".to_owned()),
            layout.lang
        ));
        read = other;
    }
    let layout = wanted
        .or_else(|| read.resume.lang.as_deref().and_then(tailor::layout))
        .unwrap_or(&tailor::LAYOUTS[0]);
    let material = documents::material(db, user).await?;
    let digest = pursuit_ai::hex_digest(&[
        documents::TAILOR_MODEL.as_bytes(),
        layout.lang.as_bytes(),
        read.version.id.0.to_string().as_bytes(),
        posting.title.as_deref().unwrap_or_default().as_bytes(),
        posting.raw_text.as_bytes(),
        serde_json::to_string(&posting.parsed)
            .unwrap_or_default()
            .as_bytes(),
        material.join("\n\n").as_bytes(),
    ]);
    if !request.fresh
        && let Some(row) = store::find_by_digest(db, user, &digest).await?
    {
        return Ok(Optimization { row, cached: true });
    }
    let from = documents::tailoring_from(db, user, posting, fields, read).await?;
    let (document, before, after) =
        documents::keep_cv(db, user, &material, &from, layout, None, now).await?;
    let prepared = pursuit_text::matching::Prepared::new(&from.read.resume, &from.read.text);
    let side = pursuit_text::matching::PreparedPosting::new(&from.fields);
    let points = pursuit_text::matching::pain_points(&prepared, &side);
    let mut items =
        pursuit_text::optimize::report(&before, &points, &from.read.text, &from.posting.raw_text);
    // A resume and a posting in different languages share no words: advice on wording,
    // duties and figures would compare words across languages (the language note says so).
    if let (Some(resume), Some(posting)) = (&from.read.resume.lang, &from.fields.jd_lang)
        && resume != posting
    {
        items.retain(|a| !matches!(a.area, "wording" | "responsibilities" | "results"));
    }
    let row = OptimizationRow {
        id: OptimizationId::new(),
        posting_id: Some(posting_id),
        resume_version_id: Some(from.read.version.id),
        document_id: Some(document.row.id),
        refined_from: None,
        score: i64::from(before.score),
        score_after: i64::from(after.score),
        report: json!({
            "items": items,
            "provisional": before.provisional,
            "matching_skills": from.cv.matching_skills,
            "gaps": from.cv.gaps,
            "required_addressed": from.cv.required_addressed,
            "required_asked": from.cv.required_asked,
            "language_note": document.row.report["language_note"],
            "version_note": version_note,
        }),
        preview_md: document.row.body.clone(),
        change_log: document.row.report["change_log"].clone(),
        resume_lang: from.read.resume.lang.clone(),
        jd_lang: from.fields.jd_lang.clone(),
        desired_output_lang: layout.lang.to_owned(),
        instructions: None,
        provider: document.row.provider.clone(),
        model: document.row.model.clone(),
        cost_micros: document.row.cost_micros,
        input_digest: digest,
        created_at: now,
    };
    store::insert(db, user, &row).await?;
    Ok(Optimization { row, cached: false })
}

/// The user's newest read resume version in `lang`, if any.
async fn version_in(
    db: &Db,
    user: UserId,
    lang: &str,
) -> Result<Option<crate::matching::ReadVersion>, AppError> {
    let mut versions = pursuit_store::resumes::list_versions(db, user).await?;
    versions.sort_by_key(|v| std::cmp::Reverse(v.created_at));
    for version in versions {
        let Ok(read) = crate::matching::read_version(version) else {
            continue;
        };
        if read.resume.lang.as_deref() == Some(lang) {
            return Ok(Some(read));
        }
    }
    Ok(None)
}

/// When a CV that belongs to a result is refined into `refined`, the new version of the
/// result: the same report, the new text and its score, the instructions, and who wrote it.
pub(crate) async fn after_refine(
    db: &Db,
    user: UserId,
    source: DocumentId,
    refined: &Document,
    instructions: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(old) = store::for_document(db, user, source).await? else {
        return Ok(());
    };
    let score_after = match old.posting_id {
        Some(p) => match crate::matching::read_posting(db, user, p).await {
            Ok((_, fields)) => {
                i64::from(documents::score_cv(&refined.row.body, &fields, now).score)
            }
            Err(_) => old.score_after,
        },
        None => old.score_after,
    };
    let row = OptimizationRow {
        id: OptimizationId::new(),
        document_id: Some(refined.row.id),
        refined_from: Some(old.id),
        score_after,
        preview_md: refined.row.body.clone(),
        instructions: Some(instructions.to_owned()),
        provider: refined.row.provider.clone(),
        model: refined.row.model.clone(),
        cost_micros: refined.row.cost_micros,
        input_digest: pursuit_ai::hex_digest(&[
            old.input_digest.as_bytes(),
            instructions.as_bytes(),
        ]),
        created_at: now,
        ..old
    };
    store::insert(db, user, &row).await?;
    Ok(())
}

/// One of the user's results.
pub async fn get(db: &Db, user: UserId, id: OptimizationId) -> Result<OptimizationRow, AppError> {
    store::get(db, user, id).await?.ok_or(AppError::NotFound)
}

/// The newest result for a posting of the user's, if any.
pub async fn latest(
    db: &Db,
    user: UserId,
    posting: PostingId,
) -> Result<Option<OptimizationRow>, AppError> {
    Ok(store::list(db, user, Some(posting), 1)
        .await?
        .into_iter()
        .next())
}

/// The results for one of the user's postings, newest first (another user's posting is
/// not found).
pub async fn for_posting(
    db: &Db,
    user: UserId,
    posting: PostingId,
) -> Result<Vec<OptimizationRow>, AppError> {
    pursuit_store::postings::get_posting(db, user, posting)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(store::list(db, user, Some(posting), 50).await?)
}
