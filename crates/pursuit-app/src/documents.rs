//! Documents Pursuit writes (issue 23): a CV tailored to a posting, chosen and ordered from
//! the user's own material (`pursuit_text::tailor`), checked by the truthfulness guard, kept
//! for review and editing, and exported only when every claim it makes is supported by the
//! user's material or confirmed by the user with a source.

use jiff::Timestamp;
use pursuit_ai::guard::{Claim, Sources};
use pursuit_domain::ids::{ApplicationId, DocumentId, PostingId, ResumeVersionId, UserId};
use pursuit_store::Db;
use pursuit_store::audit::{NewAuditEntry, insert_audit};
use pursuit_store::documents::{self as store, DocumentRow, MaterialsRow};
use pursuit_text::tailor::{self, ProfileParts, ProjectParts};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{AppError, Invalid};

/// The "model" of the built-in CV tailoring, bumped when its choices change.
pub const TAILOR_MODEL: &str = "pursuit-tailor-1";
/// The "model" of the built-in cover letter.
pub const LETTER_MODEL: &str = "pursuit-letter-1";
/// The longest document text accepted (characters).
pub const MAX_BODY: usize = 100_000;

/// A claim the user vouches for, with where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Confirmation {
    /// The claim's words, as the guard gave them.
    pub words: String,
    /// Where it is shown (a certificate, a reference, a link): 3 to 500 characters.
    pub source: String,
}

/// A stored document with what blocks its export.
#[derive(Clone, Debug)]
pub struct Document {
    pub row: DocumentRow,
    pub claims: Vec<StoredClaim>,
    pub confirmations: Vec<Confirmation>,
    /// Unsupported claims not confirmed: export waits on these.
    pub blocking: Vec<StoredClaim>,
    /// The text was changed after it was generated (the JSON Resume form no longer follows).
    pub edited: bool,
}

/// A claim as kept with the document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredClaim {
    pub kind: String,
    pub words: String,
    pub start: usize,
    pub end: usize,
    pub supported: bool,
    pub reason: String,
}

fn stored(claims: Vec<Claim>) -> Vec<StoredClaim> {
    claims
        .into_iter()
        .map(|c| StoredClaim {
            kind: c.kind.as_str().to_owned(),
            words: c.words,
            start: c.start,
            end: c.end,
            supported: c.supported,
            reason: c.reason,
        })
        .collect()
}

fn view(row: DocumentRow) -> Document {
    let claims: Vec<StoredClaim> = serde_json::from_value(row.claims.clone()).unwrap_or_default();
    let confirmations: Vec<Confirmation> =
        serde_json::from_value(row.confirmations.clone()).unwrap_or_default();
    let blocking = claims
        .iter()
        .filter(|c| !c.supported && !confirmations.iter().any(|k| k.words == c.words))
        .cloned()
        .collect();
    let edited = row.report["generated_digest"].as_str()
        != Some(pursuit_ai::hex_digest(&[row.body.as_bytes()]).as_str());
    Document {
        row,
        claims,
        confirmations,
        blocking,
        edited,
    }
}

/// String leaves of a JSON value, one per line.
fn json_strings(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        Value::Object(fields) => fields.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// Everything the user wrote about themselves, as the guard reads it: every resume version
/// (text and corrections), the profile and the projects.
pub async fn material(db: &Db, user: UserId) -> Result<Vec<String>, AppError> {
    let mut material = Vec::new();
    for version in pursuit_store::resumes::list_versions(db, user).await? {
        let mut own = version.raw_text.clone().unwrap_or_default();
        json_strings(&version.corrections, &mut own);
        if !own.trim().is_empty() {
            material.push(own);
        }
    }
    let profile = pursuit_store::profiles::get_profile(db, user).await?;
    let mut own = [
        profile.full_name,
        profile.headline,
        profile.email,
        profile.phone,
        profile.location,
        profile.summary,
        profile.skills.join(", "),
    ]
    .join("\n");
    for project in pursuit_store::profiles::list_projects(db, user).await? {
        own.push('\n');
        own.push_str(
            &[
                project.title,
                project.role,
                project.description,
                project.technologies.join(", "),
                project.start_month.unwrap_or_default(),
                project.end_month.unwrap_or_default(),
                project.highlights.join("\n"),
            ]
            .join("\n"),
        );
    }
    if !own.trim().is_empty() {
        material.push(own);
    }
    Ok(material)
}

/// The words documents are laid out with (section headings, month names, "Present", in
/// every output language): structure, never a claim.
fn layout_words() -> &'static str {
    static WORDS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| format!("Work experience\n{}", tailor::layout_words()))
}

/// The guard's claims on `text` against `material`, with `context` (and the layout's words) as
/// what the text may name without claiming, and `names` (the posting's title, the company)
/// as names it may write out whole.
pub fn guard(
    material: &[String],
    context: &str,
    names: &[&str],
    now: Timestamp,
    text: &str,
) -> Vec<StoredClaim> {
    stored(sources(material, context, names, now).check(text))
}

/// The guard's claims on an answer that speaks to the user ("you led…"), as `guard`.
pub fn guard_answer(
    material: &[String],
    context: &str,
    names: &[&str],
    now: Timestamp,
    text: &str,
) -> Vec<StoredClaim> {
    stored(
        sources(material, context, names, now)
            .spoken_to_the_user()
            .check(text),
    )
}

fn sources(material: &[String], context: &str, names: &[&str], now: Timestamp) -> Sources {
    let refs: Vec<&str> = material.iter().map(String::as_str).collect();
    let contexts: Vec<&str> = [context, layout_words()]
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect();
    Sources::new(&refs, &contexts, crate::ai::this_month(now)).with_names(names)
}

/// The names a document for `posting` may write out whole: its title (as given and as
/// read) and its company.
pub(crate) fn posting_names(posting: &pursuit_store::postings::Posting) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(title) = &posting.title {
        names.push(title.clone());
    }
    if let Some(title) = posting.parsed.as_ref().and_then(|p| p["title"].as_str()) {
        names.push(title.to_owned());
    }
    if let Some(company) = &posting.company {
        names.push(company.name.clone());
    }
    names
}

/// The posting's text, which a document may name without claiming it (its company, its
/// title).
pub(crate) fn posting_context(posting: &pursuit_store::postings::Posting) -> String {
    [
        posting.title.clone().unwrap_or_default(),
        posting
            .company
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        posting.raw_text.clone(),
    ]
    .join("\n")
}

/// What a document for a posting is written from: the posting (and what was read from
/// it), a resume version (the active one unless another is chosen), and the CV tailored
/// from it with the profile and projects.
pub(crate) struct Tailoring {
    pub(crate) posting: pursuit_store::postings::Posting,
    pub(crate) fields: pursuit_text::posting::Posting,
    pub(crate) read: crate::matching::ReadVersion,
    pub(crate) cv: tailor::Tailored,
}

pub(crate) async fn tailoring(
    db: &Db,
    user: UserId,
    posting_id: PostingId,
) -> Result<Tailoring, AppError> {
    // The posting first: another user's id is a 404 whatever this user has.
    let (posting, fields) = crate::matching::read_posting(db, user, posting_id).await?;
    let read = crate::matching::resume_version(db, user, None).await?;
    tailoring_from(db, user, posting, fields, read).await
}

/// The CV for `posting` from the version `read`.
pub(crate) async fn tailoring_from(
    db: &Db,
    user: UserId,
    posting: pursuit_store::postings::Posting,
    fields: pursuit_text::posting::Posting,
    read: crate::matching::ReadVersion,
) -> Result<Tailoring, AppError> {
    let profile = pursuit_store::profiles::get_profile(db, user).await?;
    let projects = pursuit_store::profiles::list_projects(db, user).await?;
    let parts = ProfileParts {
        full_name: profile.full_name,
        headline: profile.headline,
        email: profile.email,
        phone: profile.phone,
        location: profile.location,
        links: [
            profile.linkedin_url,
            profile.github_url,
            profile.website_url,
        ]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect(),
        summary: profile.summary,
        skills: profile.skills,
    };
    let project_parts: Vec<ProjectParts> = projects
        .into_iter()
        .map(|p| ProjectParts {
            title: p.title,
            description: p.description,
            role: p.role,
            technologies: p.technologies,
            url: p.url,
            start: p.start_month,
            end: p.end_month,
            highlights: p.highlights,
            featured: p.featured,
        })
        .collect();
    let cv = tailor::tailor(&read.resume, &read.text, &parts, &project_parts, &fields);
    Ok(Tailoring {
        posting,
        fields,
        read,
        cv,
    })
}

/// Language names for the notes documents carry.
pub fn language_name(code: &str) -> String {
    match code {
        "en" => "English",
        "ar" => "Arabic",
        "he" => "Hebrew",
        "fr" => "French",
        "de" => "German",
        "es" => "Spanish",
        "pt" => "Portuguese",
        "it" => "Italian",
        "nl" => "Dutch",
        "pl" => "Polish",
        "tr" => "Turkish",
        "ru" => "Russian",
        "zh" => "Chinese",
        "ja" => "Japanese",
        _ => return code.to_owned(),
    }
    .to_owned()
}

/// What a document in another language than the user's material cannot do: Pursuit writes
/// only from the user's own words, so it does not translate them. `output`: the language
/// asked for the document's layout (its headings, months).
fn language_note(from: &Tailoring, output: &str) -> Option<String> {
    let material = from.read.resume.lang.as_deref()?;
    if output != material {
        return Some(format!(
            "You asked for {} and your material is in {}. Pursuit writes only from your own words and does not translate them: the headings and dates are in {}, your words stay in {}. A CV in {} needs material you have written in {}: add it as a resume version.",
            language_name(output),
            language_name(material),
            language_name(output),
            language_name(material),
            language_name(output),
            language_name(output),
        ));
    }
    let posting = from.fields.jd_lang.as_deref()?;
    (posting != material).then(|| {
        format!(
            "The posting is in {} and your material is in {}. Pursuit writes only from your own words and does not translate them, so this document is in {}; a version in {} needs material you have written in {}.",
            language_name(posting),
            language_name(material),
            language_name(material),
            language_name(posting),
            language_name(posting),
        )
    })
}

/// "CV for Senior Accountant at Acme", as much of it as is known.
pub(crate) fn document_title(what: &str, role: Option<&str>, company: Option<&str>) -> String {
    match (role, company) {
        (Some(role), Some(company)) => format!("{what} for {role} at {company}"),
        (Some(role), None) => format!("{what} for {role}"),
        (None, Some(company)) => format!("{what} for {company}"),
        (None, None) => what.to_owned(),
    }
}

/// A document written for a posting, before the guard has read it.
pub(crate) struct Draft {
    pub(crate) kind: String,
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) data: Value,
    /// What was decided; the digest of the text as generated is added (an edit is told
    /// apart by it).
    pub(crate) report: Value,
    /// Who wrote it: `local` or the provider that answered, with its model and cost.
    pub(crate) provider: String,
    pub(crate) model: String,
    pub(crate) cost_micros: i64,
    /// Names the text may write out besides the posting's (a person written to).
    pub(crate) names: Vec<String>,
}

/// Checks a draft with the guard against the user's `material` (as [`material`] reads
/// it; the posting as context) and keeps it with its audit entry; answers it as stored.
async fn check_and_keep(
    db: &Db,
    user: UserId,
    material: &[String],
    posting: Option<&pursuit_store::postings::Posting>,
    version: Option<ResumeVersionId>,
    draft: Draft,
    now: Timestamp,
) -> Result<Document, AppError> {
    check_and_keep_with(db, user, material, posting, version, draft, "", now).await
}

/// [`check_and_keep`] with more the text may quote as context (a company's facts), and
/// more names it may name (the person written to).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn check_and_keep_with(
    db: &Db,
    user: UserId,
    material: &[String],
    posting: Option<&pursuit_store::postings::Posting>,
    version: Option<ResumeVersionId>,
    draft: Draft,
    extra: &str,
    now: Timestamp,
) -> Result<Document, AppError> {
    let mut names = posting.map(posting_names).unwrap_or_default();
    names.extend(draft.names.iter().cloned());
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let context = format!(
        "{}\n{extra}",
        posting.map(posting_context).unwrap_or_default()
    );
    let claims = guard(material, &context, &names, now, &draft.body);
    let mut report = draft.report;
    report["generated_digest"] = json!(pursuit_ai::hex_digest(&[draft.body.as_bytes()]));
    let row = DocumentRow {
        id: DocumentId::new(),
        kind: draft.kind,
        posting_id: posting.map(|p| p.id),
        resume_version_id: version,
        title: draft.title,
        input_digest: pursuit_ai::hex_digest(&[
            version
                .map(|v| v.0.to_string())
                .unwrap_or_default()
                .as_bytes(),
            posting
                .map(|p| p.id.0.to_string())
                .unwrap_or_default()
                .as_bytes(),
            draft.body.as_bytes(),
        ]),
        body: draft.body,
        data: draft.data,
        report,
        claims: serde_json::to_value(&claims).unwrap_or(Value::Array(Vec::new())),
        confirmations: json!([]),
        provider: draft.provider,
        model: draft.model,
        cost_micros: draft.cost_micros,
        created_at: now,
        updated_at: now,
    };
    let mut tx = db.begin().await?;
    store::put(&mut tx, user, &row).await?;
    insert_audit(
        &mut tx,
        &NewAuditEntry {
            user_id: Some(user),
            action: "document.created",
            entity_type: Some("document"),
            entity_id: Some(row.id.0.to_string()),
            detail: Some(json!({"kind": row.kind, "posting_id": row.posting_id.map(|p| p.0)})),
            ..NewAuditEntry::default()
        },
        now,
    )
    .await?;
    let saved = store::get(&mut tx, user, row.id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(view(saved))
}

/// What tailoring changed against the resume as written, in words: the order of each
/// role's bullets, what was left out, the skills put first, the projects added, and what
/// was not added because nothing the user wrote shows it.
fn change_log(from: &Tailoring) -> Vec<String> {
    let cv = &from.cv;
    let mut log = Vec::new();
    if !cv.matching_skills.is_empty() {
        log.push(format!(
            "Put the skills the posting asks for first: {}.",
            cv.matching_skills.join(", ")
        ));
    }
    for role in &cv.roles {
        let name = [role.title.as_str(), role.company.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let original = from.read.resume.work.iter().find(|w| {
            w.position.as_deref().unwrap_or_default() == role.title
                && w.name.as_deref().unwrap_or_default() == role.company
        });
        if let (Some(original), Some(first)) = (original, role.bullets.first())
            && original.highlights.first() != Some(first)
        {
            log.push(format!(
                "{name}: led with \"{first}\", the line that answers the posting best."
            ));
        }
        if role.left_out > 0 {
            log.push(format!(
                "{name}: left out {} {} that answer the posting least (your resume keeps {}).",
                role.left_out,
                if role.left_out == 1 { "line" } else { "lines" },
                if role.left_out == 1 { "it" } else { "them" }
            ));
        }
    }
    for project in &cv.projects {
        log.push(format!("Added your project \"{}\".", project.title));
    }
    if !cv.gaps.is_empty() {
        log.push(format!(
            "Did not add what the posting asks for and nothing you wrote shows: {}.",
            cv.gaps
                .iter()
                .map(|g| g.skill.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    log
}

/// Writes a CV for one of the user's postings from the active resume version, the profile
/// and the projects, checks it with the guard and keeps it. Its report says what changed
/// against the resume (`change_log`) and the match score of each (`score_before`,
/// `score_after`, by the same matcher).
///
/// The built-in CV is made first, chosen and ordered from the user's material. It goes to
/// the AI layer as a draft (task `tailor_cv`): a configured model may reword it for the
/// posting, but an answer that adds a fact breaks the task's rules and is refused (repair,
/// then the next provider, in the end the draft itself). With `ai.tailor_cv` off, or no
/// model, the draft is the CV.
pub async fn tailor_cv(
    services: crate::ai::Services<'_>,
    caller: crate::ai::Caller<'_>,
    posting_id: PostingId,
    now: Timestamp,
) -> Result<Document, AppError> {
    let (db, user) = (services.db, caller.id);
    let from = tailoring(db, user, posting_id).await?;
    let layout = from
        .read
        .resume
        .lang
        .as_deref()
        .and_then(tailor::layout)
        .unwrap_or(&tailor::LAYOUTS[0]);
    let material = material(db, user).await?;
    let draft = tailor::markdown_in(&from.cv, layout);
    let names = posting_names(&from.posting);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let request = pursuit_ai::Request::rewrite(
        pursuit_ai::Task::TailorCv,
        &material.join("\n\n"),
        &posting_context(&from.posting),
        &names,
        &draft,
        &format!(
            "a CV in {}: keep its headings as they are",
            language_name(layout.lang)
        ),
    );
    let wording = match crate::ai::run(services, caller, now, request).await {
        Ok(answer) => Some(answer),
        Err(AppError::FeatureOff(_)) => None,
        Err(other) => return Err(other),
    };
    Ok(keep_cv(db, user, &material, &from, layout, wording, now)
        .await?
        .0)
}

/// The match of a CV's text with the posting, read as a reader gets it from the file (the
/// Markdown marks gone) and as a resume.
pub(crate) fn score_cv(
    body: &str,
    fields: &pursuit_text::posting::Posting,
    now: Timestamp,
) -> pursuit_text::matching::Match {
    let plain = pursuit_typeset::plain_text(&pursuit_typeset::read(body, "", None));
    let as_read = pursuit_text::resume::parse(&plain, crate::ai::this_month(now));
    pursuit_text::matching::score(&as_read, &plain, fields)
}

/// Lays the tailored CV out in `layout`'s language (or takes a model's wording of it, in
/// `wording`, when a model gave one), checks it with the guard and keeps it; also answers
/// the match of the resume as written (before) and of the CV (after).
pub(crate) async fn keep_cv(
    db: &Db,
    user: UserId,
    material: &[String],
    from: &Tailoring,
    layout: &tailor::Layout,
    wording: Option<crate::ai::AiResult>,
    now: Timestamp,
) -> Result<
    (
        Document,
        pursuit_text::matching::Match,
        pursuit_text::matching::Match,
    ),
    AppError,
> {
    let cv = &from.cv;
    let company = from.posting.company.as_ref().map(|c| c.name.clone());
    let fallbacks = wording
        .as_ref()
        .map(|w| w.fallbacks.clone())
        .unwrap_or_default();
    // A model's wording, else the built-in CV as laid out.
    let (body, data, provider, model, cost_micros) = match wording {
        Some(w)
            if w.provider != pursuit_ai::LOCAL
                && w.value["text"]
                    .as_str()
                    .is_some_and(|t| !t.trim().is_empty()) =>
        {
            (
                w.value["text"].as_str().unwrap_or_default().to_owned(),
                // The structured form follows the built-in text, not a rewording of it.
                json!({}),
                w.provider,
                w.model,
                crate::ai::micros(w.cost_usd),
            )
        }
        _ => (
            tailor::markdown_in(cv, layout),
            tailor::json_resume(cv),
            pursuit_ai::LOCAL.to_owned(),
            TAILOR_MODEL.to_owned(),
            0,
        ),
    };
    let before = pursuit_text::matching::score(&from.read.resume, &from.read.text, &from.fields);
    let after = score_cv(&body, &from.fields, now);
    let draft = Draft {
        kind: "cv".to_owned(),
        title: document_title("CV", from.fields.title.as_deref(), company.as_deref()),
        body,
        data,
        report: json!({
            "matching_skills": cv.matching_skills,
            "gaps": cv.gaps,
            "required_addressed": cv.required_addressed,
            "required_asked": cv.required_asked,
            "bullets_left_out": cv.roles.iter().map(|r| r.left_out).sum::<usize>(),
            "projects_chosen": cv.projects.iter().map(|p| p.title.clone()).collect::<Vec<_>>(),
            "language_note": language_note(from, layout.lang),
            "output_lang": layout.lang,
            "change_log": change_log(from),
            "score_before": before.score,
            "score_after": after.score,
            "fallbacks": fallbacks,
        }),
        provider,
        model,
        cost_micros,
        names: Vec::new(),
    };
    let document = check_and_keep(
        db,
        user,
        material,
        Some(&from.posting),
        Some(from.read.version.id),
        draft,
        now,
    )
    .await?;
    Ok((document, before, after))
}

/// Writes a cover letter for one of the user's postings in `tone`, as long as `length`
/// allows and the user's material fills, checks it with the guard and keeps it.
///
/// The built-in letter is made first, from the user's facts only. It goes to the AI layer
/// as a draft (task `cover_letter`): a configured model may rewrite it for tone and flow,
/// but an answer that adds a fact breaks the task's rules and is refused (repair, then the
/// next provider, in the end the draft itself). With `ai.cover_letter` off, the draft is
/// the letter.
pub async fn write_letter(
    services: crate::ai::Services<'_>,
    caller: crate::ai::Caller<'_>,
    posting_id: PostingId,
    tone: pursuit_text::letter::Tone,
    length: pursuit_text::letter::Length,
    now: Timestamp,
) -> Result<Document, AppError> {
    let db = services.db;
    let user = caller.id;
    let from = tailoring(db, user, posting_id).await?;
    let company = from.posting.company.as_ref().map(|c| c.name.clone());
    let letter = pursuit_text::letter::letter(
        &from.cv,
        from.fields
            .title
            .as_deref()
            .or(from.posting.title.as_deref()),
        company.as_deref(),
        tone,
        length,
    );
    let names = posting_names(&from.posting);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let material = material(db, user).await?;
    let request = pursuit_ai::Request::rewrite(
        pursuit_ai::Task::CoverLetter,
        &material.join("\n\n"),
        &posting_context(&from.posting),
        &names,
        &letter.text,
        &format!(
            "tone: {}; length: {} to {} words",
            tone.as_str(),
            length.min_words,
            length.max_words
        ),
    );
    let (body, provider, model, cost_micros, fallbacks) =
        match crate::ai::run(services, caller, now, request).await {
            Ok(answer) if answer.provider != pursuit_ai::LOCAL => (
                answer.value["text"]
                    .as_str()
                    .unwrap_or(&letter.text)
                    .to_owned(),
                answer.provider,
                answer.model,
                crate::ai::micros(answer.cost_usd),
                answer.fallbacks,
            ),
            Ok(answer) => (
                letter.text.clone(),
                pursuit_ai::LOCAL.to_owned(),
                LETTER_MODEL.to_owned(),
                0,
                answer.fallbacks,
            ),
            Err(AppError::FeatureOff(_)) => (
                letter.text.clone(),
                pursuit_ai::LOCAL.to_owned(),
                LETTER_MODEL.to_owned(),
                0,
                Vec::new(),
            ),
            Err(other) => return Err(other),
        };
    let words = body.split_whitespace().count();
    let draft = Draft {
        kind: "letter".to_owned(),
        title: document_title(
            "Cover letter",
            from.fields.title.as_deref(),
            company.as_deref(),
        ),
        body,
        data: json!({"tone": tone.as_str(), "min_words": length.min_words, "max_words": length.max_words}),
        report: json!({
            "tone": tone.as_str(),
            "words": words,
            "target_words": [length.min_words, length.max_words],
            "short_of_preset": words < length.min_words,
            "matching_skills": from.cv.matching_skills,
            "gaps": from.cv.gaps,
            "fallbacks": fallbacks,
            "language_note": language_note(&from, from.read.resume.lang.as_deref().unwrap_or("en")),
        }),
        provider,
        model,
        cost_micros,
        names: Vec::new(),
    };
    check_and_keep(
        db,
        user,
        &material,
        Some(&from.posting),
        Some(from.read.version.id),
        draft,
        now,
    )
    .await
}

/// Checks that a CV or a letter can be written for the posting (the user's, read, and a
/// resume read), as [`tailor_cv`] and [`write_letter`] would, without writing it.
pub async fn check_for_posting(
    db: &Db,
    user: UserId,
    posting_id: PostingId,
) -> Result<(), AppError> {
    tailoring(db, user, posting_id).await.map(|_| ())
}

/// The longest instructions `refine` takes (characters).
pub const MAX_INSTRUCTIONS: usize = 2_000;

/// What a rewrite starts from, once its request is found sound.
struct RefinePlan {
    current: Document,
    posting: Option<pursuit_store::postings::Posting>,
    material: Vec<String>,
    names: Vec<String>,
    context: String,
}

/// Checks a rewrite's request before any model is asked: the instructions (text, not too
/// long, asking for nothing the material does not show) and the document (the user's, not
/// too long for a rewrite).
async fn plan_refine(
    db: &Db,
    user: UserId,
    id: DocumentId,
    instructions: &str,
    now: Timestamp,
) -> Result<RefinePlan, AppError> {
    if instructions.is_empty()
        || instructions.chars().count() > MAX_INSTRUCTIONS
        || instructions
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(AppError::Invalid(vec![Invalid::new(
            "instructions",
            format!("must be 1 to {MAX_INSTRUCTIONS} characters of text"),
        )]));
    }
    let current = get(db, user, id).await?;
    if current.row.body.chars().count() > pursuit_ai::task::MAX_REFINE {
        return Err(AppError::Conflict(format!(
            "the document is longer than {} characters, the most a rewrite takes: shorten it first",
            pursuit_ai::task::MAX_REFINE
        )));
    }
    let posting = match current.row.posting_id {
        Some(p) => pursuit_store::postings::get_posting(db, user, p).await?,
        None => None,
    };
    let material = material(db, user).await?;
    let names = posting.as_ref().map(posting_names).unwrap_or_default();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let context = posting.as_ref().map(posting_context).unwrap_or_default();
    // What the instructions would have the document claim, read as claims themselves.
    let asked: Vec<StoredClaim> = guard(&material, &context, &name_refs, now, instructions)
        .into_iter()
        .filter(|c| !c.supported)
        .collect();
    if !asked.is_empty() {
        let list: Vec<String> = asked
            .iter()
            .map(|c| format!("{:?} ({})", c.words, c.reason))
            .collect();
        return Err(AppError::Invalid(vec![Invalid::new(
            "instructions",
            format!(
                "asks for what your resume, profile and projects do not show, which Pursuit will not write: {}. If it is true, add it to your resume or profile first",
                list.join(", ")
            ),
        )]));
    }
    Ok(RefinePlan {
        current,
        posting,
        material,
        names,
        context,
    })
}

/// Checks a rewrite's request as [`refine`] would, without asking a model: for a caller
/// that runs the rewrite later (a task), so a refusal is said at once.
pub async fn check_refine(
    db: &Db,
    user: UserId,
    id: DocumentId,
    instructions: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    plan_refine(db, user, id, instructions.trim(), now)
        .await
        .map(|_| ())
}

/// Rewrites one of the user's documents as `instructions` ask, kept as a new document (the
/// old one stays). Instructions that ask for what the user's material does not show ("add 5
/// years of Kubernetes") are refused, naming each thing that cannot be written truthfully;
/// a model's rewrite that adds a fact anyway is refused by the task's rules. The built-in
/// engine follows no free-form instructions, so without a model this says so (409).
pub async fn refine(
    services: crate::ai::Services<'_>,
    caller: crate::ai::Caller<'_>,
    id: DocumentId,
    instructions: &str,
    now: Timestamp,
) -> Result<Document, AppError> {
    let (db, user) = (services.db, caller.id);
    let instructions = instructions.trim();
    let RefinePlan {
        current,
        posting,
        material,
        names,
        context,
    } = plan_refine(db, user, id, instructions, now).await?;
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let request = pursuit_ai::Request::rewrite(
        pursuit_ai::Task::Refine,
        &material.join("\n\n"),
        &context,
        &name_refs,
        &current.row.body,
        instructions,
    );
    let answer = crate::ai::run(services, caller, now, request).await?;
    if answer.provider == pursuit_ai::LOCAL {
        return Err(AppError::Conflict(if answer.fallbacks.is_empty() {
            "no AI model is configured for writing; Pursuit's own engine chooses and orders your material but follows no free-form instructions. Edit the text yourself, or add a model in Settings › AI".to_owned()
        } else {
            format!(
                "no AI model gave a rewrite that keeps to your facts ({}), so nothing was written. Edit the text yourself, or ask for a different change",
                answer.fallbacks.join(", ")
            )
        }));
    }
    let body = answer.value["text"]
        .as_str()
        .unwrap_or(&current.row.body)
        .to_owned();
    let mut report = current.row.report.clone();
    report["refined_from"] = json!(current.row.id.0);
    report["instructions"] = json!(instructions);
    report["fallbacks"] = json!(answer.fallbacks);
    let draft = Draft {
        kind: current.row.kind.clone(),
        title: if current.row.title.ends_with("(refined)") {
            current.row.title.clone()
        } else {
            format!("{} (refined)", current.row.title)
        },
        body,
        // The structured form followed the text before the rewrite; it is not carried over.
        data: json!({}),
        report,
        provider: answer.provider,
        model: answer.model,
        cost_micros: crate::ai::micros(answer.cost_usd),
        names: Vec::new(),
    };
    let refined = check_and_keep(
        db,
        user,
        &material,
        posting.as_ref(),
        current.row.resume_version_id,
        draft,
        now,
    )
    .await?;
    crate::optimizations::after_refine(db, user, current.row.id, &refined, instructions, now)
        .await?;
    Ok(refined)
}

/// The newest document of `kind` (`cv` or `letter`) made for one of the user's postings.
/// Another user's posting is not found; none of that kind yet is said in words.
pub async fn newest_for_posting(
    db: &Db,
    user: UserId,
    posting: PostingId,
    kind: &str,
) -> Result<DocumentId, AppError> {
    pursuit_store::postings::get_posting(db, user, posting)
        .await?
        .ok_or(AppError::NotFound)?;
    store::list(db, user, Some(posting), 200)
        .await?
        .into_iter()
        .find(|d| d.kind == kind)
        .map(|d| d.id)
        .ok_or_else(|| {
            AppError::NotFoundDetail(format!(
                "no {} made for this posting yet: make one first",
                if kind == "cv" { "CV" } else { "cover letter" }
            ))
        })
}

pub async fn list(
    db: &Db,
    user: UserId,
    posting: Option<PostingId>,
) -> Result<Vec<Document>, AppError> {
    Ok(store::list(db, user, posting, 200)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// The documents made for the postings saved as one of the user's applications.
pub async fn for_application(
    db: &Db,
    user: UserId,
    application: pursuit_domain::ids::ApplicationId,
) -> Result<Vec<Document>, AppError> {
    Ok(store::list_for_application(db, user, application)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

pub async fn get(db: &Db, user: UserId, id: DocumentId) -> Result<Document, AppError> {
    store::get(db, user, id)
        .await?
        .map(view)
        .ok_or(AppError::NotFound)
}

/// A change to a document: its text (checked again by the guard) and the claims the user
/// vouches for.
#[derive(Clone, Debug, Default)]
pub struct DocumentChange {
    pub title: Option<String>,
    pub body: Option<String>,
    pub confirmations: Option<Vec<Confirmation>>,
}

pub async fn update(
    db: &Db,
    user: UserId,
    id: DocumentId,
    change: DocumentChange,
    now: Timestamp,
) -> Result<Document, AppError> {
    let mut invalid = Vec::new();
    if let Some(title) = &change.title
        && (title.trim().is_empty()
            || title.chars().count() > 200
            || title.chars().any(char::is_control))
    {
        invalid.push(Invalid::new(
            "title",
            "must be one line of 1 to 200 characters",
        ));
    }
    if let Some(body) = &change.body {
        if body.trim().is_empty() {
            invalid.push(Invalid::new("body", "must not be empty"));
        } else if body.chars().count() > MAX_BODY {
            invalid.push(Invalid::new(
                "body",
                format!("must be at most {MAX_BODY} characters"),
            ));
        } else if body.contains('\0') {
            invalid.push(Invalid::new("body", "must not contain NUL characters"));
        }
    }
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let current = store::get(db, user, id).await?.ok_or(AppError::NotFound)?;
    let mut row = current.clone();
    if let Some(title) = change.title {
        row.title = title.trim().to_owned();
    }
    if let Some(body) = change.body {
        row.body = body.replace("\r\n", "\n");
        let material = material(db, user).await?;
        let posting = match row.posting_id {
            Some(posting) => pursuit_store::postings::get_posting(db, user, posting).await?,
            None => None,
        };
        let context = posting.as_ref().map(posting_context).unwrap_or_default();
        let names = posting.as_ref().map(posting_names).unwrap_or_default();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let claims = guard(&material, &context, &names, now, &row.body);
        row.claims = serde_json::to_value(&claims).unwrap_or(Value::Array(Vec::new()));
    }
    let claims: Vec<StoredClaim> = serde_json::from_value(row.claims.clone()).unwrap_or_default();
    let mut confirmations: Vec<Confirmation> =
        serde_json::from_value(row.confirmations.clone()).unwrap_or_default();
    if let Some(new) = change.confirmations {
        let mut invalid = Vec::new();
        for (i, c) in new.iter().enumerate() {
            let source = c.source.trim();
            if !claims.iter().any(|k| !k.supported && k.words == c.words) {
                invalid.push(Invalid::new(
                    &format!("confirmations/{i}/words"),
                    format!("{:?} is not an unsupported claim of this text", c.words),
                ));
            }
            if source.chars().count() < 3
                || source.chars().count() > 500
                || source.chars().any(char::is_control)
            {
                invalid.push(Invalid::new(
                    &format!("confirmations/{i}/source"),
                    "must say where it is shown, in 3 to 500 characters on one line",
                ));
            }
        }
        if !invalid.is_empty() {
            return Err(AppError::Invalid(invalid));
        }
        confirmations = new
            .into_iter()
            .map(|c| Confirmation {
                words: c.words,
                source: c.source.trim().to_owned(),
            })
            .collect();
    }
    // A confirmation holds for as long as its claim is in the text.
    confirmations.retain(|c| claims.iter().any(|k| k.words == c.words));
    row.confirmations = serde_json::to_value(&confirmations).unwrap_or(json!([]));
    row.updated_at = now;
    let mut tx = db.begin().await?;
    store::put(&mut tx, user, &row).await?;
    insert_audit(
        &mut tx,
        &NewAuditEntry {
            user_id: Some(user),
            action: "document.changed",
            entity_type: Some("document"),
            entity_id: Some(row.id.0.to_string()),
            detail: Some(json!({
                "body_changed": row.body != current.body,
                "confirmations": confirmations.len(),
            })),
            ..NewAuditEntry::default()
        },
        now,
    )
    .await?;
    let saved = store::get(&mut tx, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(view(saved))
}

pub async fn delete(db: &Db, user: UserId, id: DocumentId, now: Timestamp) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    if !store::delete(&mut tx, user, id).await? {
        return Err(AppError::NotFound);
    }
    insert_audit(
        &mut tx,
        &NewAuditEntry {
            user_id: Some(user),
            action: "document.removed",
            entity_type: Some("document"),
            entity_id: Some(id.0.to_string()),
            ..NewAuditEntry::default()
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What went out with one of the user's applications (`None`: nothing recorded yet).
pub async fn materials(
    db: &Db,
    user: UserId,
    application: ApplicationId,
) -> Result<Option<MaterialsRow>, AppError> {
    pursuit_store::applications::get_application(db, user, application)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(store::get_materials(db, user, application).await?)
}

/// What went out with an application, as the user says it (each may be left out).
#[derive(Clone, Copy, Debug, Default)]
pub struct MaterialsChange {
    pub resume_version_id: Option<ResumeVersionId>,
    pub cv_document_id: Option<DocumentId>,
    pub letter_document_id: Option<DocumentId>,
}

/// Records what went out with one of the user's applications: each id must be the user's
/// (and a CV a CV, a letter a letter).
pub async fn set_materials(
    db: &Db,
    user: UserId,
    application: ApplicationId,
    change: MaterialsChange,
    now: Timestamp,
) -> Result<MaterialsRow, AppError> {
    pursuit_store::applications::get_application(db, user, application)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut invalid = Vec::new();
    if let Some(version) = change.resume_version_id
        && pursuit_store::resumes::get_version(db, user, version)
            .await?
            .is_none()
    {
        invalid.push(Invalid::new(
            "resume_version_id",
            "is not one of your resume versions",
        ));
    }
    for (field, id, kind) in [
        ("cv_document_id", change.cv_document_id, "cv"),
        ("letter_document_id", change.letter_document_id, "letter"),
    ] {
        if let Some(id) = id {
            match store::get(db, user, id).await? {
                Some(d) if d.kind == kind => {}
                Some(_) => invalid.push(Invalid::new(
                    field,
                    if kind == "cv" {
                        "is a cover letter, not a CV"
                    } else {
                        "is a CV, not a cover letter"
                    },
                )),
                None => invalid.push(Invalid::new(field, "is not one of your documents")),
            }
        }
    }
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let row = MaterialsRow {
        application_id: application,
        resume_version_id: change.resume_version_id,
        cv_document_id: change.cv_document_id,
        letter_document_id: change.letter_document_id,
        updated_at: now,
    };
    let mut tx = db.begin().await?;
    store::put_materials(&mut tx, user, &row).await?;
    audit_materials(&mut tx, user, &row, "set", now).await?;
    tx.commit().await?;
    Ok(row)
}

async fn audit_materials(
    tx: &mut pursuit_store::Tx,
    user: UserId,
    row: &MaterialsRow,
    how: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    insert_audit(
        &mut *tx,
        &NewAuditEntry {
            user_id: Some(user),
            action: "application.materials_recorded",
            entity_type: Some("application"),
            entity_id: Some(row.application_id.0.to_string()),
            detail: Some(json!({
                "how": how,
                "resume_version_id": row.resume_version_id.map(|v| v.0),
                "cv_document_id": row.cv_document_id.map(|d| d.0),
                "letter_document_id": row.letter_document_id.map(|d| d.0),
            })),
            ..NewAuditEntry::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// An exported document went out with the application its posting is saved as: recorded
/// with the resume version it was made from (a CV's version replaces the one recorded; a
/// letter's fills it only when none is).
async fn record_sent(
    db: &Db,
    user: UserId,
    document: &DocumentRow,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(posting) = document.posting_id else {
        return Ok(());
    };
    let Some(application) = pursuit_store::postings::get_posting(db, user, posting)
        .await?
        .and_then(|p| p.application_id)
    else {
        return Ok(());
    };
    let mut tx = db.begin().await?;
    let before = store::get_materials(&mut tx, user, application).await?;
    let mut row = before.clone().unwrap_or(MaterialsRow {
        application_id: application,
        resume_version_id: None,
        cv_document_id: None,
        letter_document_id: None,
        updated_at: now,
    });
    match document.kind.as_str() {
        "cv" => {
            row.cv_document_id = Some(document.id);
            row.resume_version_id = document.resume_version_id.or(row.resume_version_id);
        }
        "letter" => {
            row.letter_document_id = Some(document.id);
            row.resume_version_id = row.resume_version_id.or(document.resume_version_id);
        }
        _ => {}
    }
    // Written when something changed; exporting the same document again is no event.
    if before.as_ref() != Some(&row) {
        row.updated_at = now;
        store::put_materials(&mut tx, user, &row).await?;
        audit_materials(&mut tx, user, &row, "exported", now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The formats a document is exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    JsonResume,
    /// Laid out by typst, fonts embedded (when this build has the `pdf` feature).
    Pdf,
    Docx,
}

/// Whether this build writes PDF files.
pub const PDF_BUILT: bool = pursuit_typeset::PDF;

/// The longest a PDF or DOCX may take to lay out.
const LAYOUT_TIME: std::time::Duration = std::time::Duration::from_secs(20);

/// Lays out a document's text as `format` (PDF or DOCX) on a blocking thread.
async fn lay_out(
    body: String,
    title: String,
    lang: Option<String>,
    format: Format,
) -> Result<Vec<u8>, AppError> {
    let work = tokio::task::spawn_blocking(move || {
        let doc = pursuit_typeset::read(&body, &title, lang.as_deref());
        match format {
            Format::Pdf => pursuit_typeset::pdf(&doc),
            _ => pursuit_typeset::docx(&doc),
        }
    });
    match tokio::time::timeout(LAYOUT_TIME, work).await {
        Ok(Ok(Ok(bytes))) => Ok(bytes),
        Ok(Ok(Err(pursuit_typeset::Error::NoPdf))) => Err(AppError::NotConfigured(
            "PDF output (this build has no `pdf` feature)",
        )),
        Ok(Ok(Err(error))) => Err(AppError::Unavailable(Box::new(error))),
        Ok(Err(_)) => Err(AppError::Unavailable(
            "laying out the document failed".into(),
        )),
        Err(_) => Err(AppError::Unavailable(
            format!(
                "laying out the document took over {} s",
                LAYOUT_TIME.as_secs()
            )
            .into(),
        )),
    }
}

/// An exported document: its media type, a file name and the bytes.
pub struct Export {
    pub content_type: &'static str,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The document as a file, when nothing in it is unsupported and unconfirmed. A document
/// made for a posting saved as an application is recorded as what went out with it.
pub async fn export(
    db: &Db,
    user: UserId,
    id: DocumentId,
    format: Format,
    now: Timestamp,
) -> Result<Export, AppError> {
    let document = get(db, user, id).await?;
    if !document.blocking.is_empty() {
        let words: Vec<String> = document
            .blocking
            .iter()
            .take(10)
            .map(|c| format!("{:?} ({})", c.words, c.reason))
            .collect();
        return Err(AppError::Conflict(format!(
            "{} {} not supported by your resume, profile or projects: {}. Remove {}, or confirm each with its source, before exporting",
            document.blocking.len(),
            if document.blocking.len() == 1 {
                "claim is"
            } else {
                "claims are"
            },
            words.join(", "),
            if document.blocking.len() == 1 {
                "it"
            } else {
                "them"
            }
        )));
    }
    let stem: String = document
        .row
        .title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stem = if stem.is_empty() {
        "document".to_owned()
    } else {
        stem
    };
    let row = document.row.clone();
    // The language the text is in, as its reader found it (hyphenation, shaping, direction).
    let lang = pursuit_text::lang::detect(&document.row.body).map(str::to_owned);
    let file = match format {
        Format::Markdown => Ok(Export {
            content_type: "text/markdown; charset=utf-8",
            file_name: format!("{stem}.md"),
            bytes: document.row.body.into_bytes(),
        }),
        Format::JsonResume if document.row.kind != "cv" => Err(AppError::Conflict(
            "JSON Resume is a CV format: export this document as Markdown".to_owned(),
        )),
        // The structured form follows the built-in text; a model's wording (or rewrite) of
        // it has none.
        Format::JsonResume if document.row.provider != pursuit_ai::LOCAL => {
            Err(AppError::Conflict(
                "a CV a model worded or rewrote has no JSON Resume form: export it as PDF, Word or Markdown"
                    .to_owned(),
            ))
        }
        Format::JsonResume if document.edited => Err(AppError::Conflict(
            "the text was edited after it was generated, and the JSON Resume form follows the generated one: export Markdown, or tailor a new CV".to_owned(),
        )),
        Format::JsonResume => Ok(Export {
            content_type: "application/json",
            file_name: format!("{stem}.json"),
            bytes: serde_json::to_vec_pretty(&document.row.data).unwrap_or_default(),
        }),
        Format::Pdf => Ok(Export {
            content_type: "application/pdf",
            file_name: format!("{stem}.pdf"),
            bytes: lay_out(document.row.body, document.row.title, lang.clone(), format).await?,
        }),
        Format::Docx => Ok(Export {
            content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            file_name: format!("{stem}.docx"),
            bytes: lay_out(document.row.body, document.row.title, lang.clone(), format).await?,
        }),
    }?;
    record_sent(db, user, &row, now).await?;
    Ok(file)
}
