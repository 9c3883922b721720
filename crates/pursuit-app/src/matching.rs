//! Matching: which resume version to match, a posting's read fields, and the user's postings
//! ranked against a read version (the ranked job list, the board's scores, and later the
//! jobs that tailor documents or notify of good matches).
//!
//! Ranking is CPU work (about a tenth of a second per thousand postings on every core of
//! this two-core machine): it runs on the blocking pool, never on the async runtime's
//! threads, and one ranking at a time (each already uses every core), so however many lists
//! are asked at once the runtime's threads compete with one ranking's threads, not with
//! dozens, and the server keeps answering.

use std::collections::HashMap;

use jiff::Timestamp;
use pursuit_domain::application::ParseStatus;
use pursuit_domain::ids::{ApplicationId, PostingId, ResumeVersionId, UserId};
use pursuit_store::postings::{self, ParsedPosting, Posting};
use pursuit_store::resumes::{self, Version};
use pursuit_store::{Db, StoreError};
use pursuit_text::matching::{self, PreparedPosting};
use pursuit_text::posting as reader;
use pursuit_text::resume::Resume;
use serde::Deserialize;
use serde_json::Value;

use crate::error::AppError;

/// The most postings a ranking considers (the newest).
pub const MAX_RANKED: i64 = 5_000;

/// One ranking at a time (first come, first served): see the module's note.
static RANKING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Runs `rank` on the blocking pool once it is this ranking's turn.
async fn rank_off_runtime(
    read: ReadVersion,
    postings: Vec<ParsedPosting>,
) -> Result<Vec<Ranked>, AppError> {
    let _turn = RANKING
        .acquire()
        .await
        .map_err(|e| corrupt("parsed", format!("the ranking gate closed: {e}")))?;
    tokio::task::spawn_blocking(move || score_all(&read, &postings))
        .await
        .map_err(|e| corrupt("parsed", format!("the ranking stopped: {e}")))?
}

/// A resume version that has been read, with its fields (corrections laid over the parse)
/// and text.
#[derive(Clone, Debug)]
pub struct ReadVersion {
    pub version: Version,
    pub resume: Resume,
    pub text: String,
}

fn corrupt(column: &str, error: impl ToString) -> AppError {
    AppError::Store(StoreError::Decode {
        column: column.to_owned(),
        message: error.to_string(),
    })
}

/// A stored version's fields (corrections laid over the parse) and text;
/// [`AppError::Conflict`] until it has been read.
pub fn read_version(version: Version) -> Result<ReadVersion, AppError> {
    if version.parse_status != ParseStatus::Complete {
        return Err(AppError::Conflict(format!(
            "the resume version is not read yet (parse status: {})",
            version.parse_status
        )));
    }
    let fields = crate::resumes::merged(version.parsed.as_ref(), &version.corrections)
        .unwrap_or(Value::Null);
    let resume: Resume = serde_json::from_value(fields).map_err(|e| corrupt("parsed", e))?;
    let text = version.raw_text.clone().unwrap_or_default();
    Ok(ReadVersion {
        version,
        resume,
        text,
    })
}

/// The version to match: `requested` (a version's id, or the resume's id for its active
/// version), else the active version. Not the user's: [`AppError::NotFoundDetail`]; no
/// resume, or not read yet: [`AppError::Conflict`].
pub async fn resume_version(
    db: &Db,
    user: UserId,
    requested: Option<uuid::Uuid>,
) -> Result<ReadVersion, AppError> {
    let no_active = || AppError::Conflict("the resume has no active version".to_owned());
    let resume = resumes::get_resume(db, user).await?;
    let version_id = match requested {
        Some(id) if resume.as_ref().is_some_and(|r| r.id.0 == id) => resume
            .as_ref()
            .and_then(|r| r.active_version_id)
            .ok_or_else(no_active)?,
        Some(id) => ResumeVersionId(id),
        None => resume
            .ok_or_else(|| AppError::Conflict("no resume yet: upload one first".to_owned()))?
            .active_version_id
            .ok_or_else(no_active)?,
    };
    let version = resumes::get_version(db, user, version_id)
        .await?
        .ok_or_else(|| AppError::NotFoundDetail("no such resume version of yours".to_owned()))?;
    read_version(version)
}

/// The active resume version, if there is one that has been read (for pages that show
/// scores when they can).
pub async fn active_version(db: &Db, user: UserId) -> Result<Option<ReadVersion>, AppError> {
    let Some(id) = resumes::get_resume(db, user)
        .await?
        .and_then(|r| r.active_version_id)
    else {
        return Ok(None);
    };
    match resumes::get_version(db, user, id).await? {
        Some(v) if v.parse_status == ParseStatus::Complete => read_version(v).map(Some),
        _ => Ok(None),
    }
}

/// What was read from a posting; `None` until it has been read.
pub fn posting_fields(
    parse_status: ParseStatus,
    parsed: Option<&Value>,
) -> Result<Option<reader::Posting>, AppError> {
    if parse_status != ParseStatus::Complete {
        return Ok(None);
    }
    parsed
        .map(reader::Posting::deserialize)
        .transpose()
        .map_err(|e| corrupt("parsed", e))
}

/// One of the user's postings with what was read from it. Not the user's:
/// [`AppError::NotFoundDetail`]; not read yet: [`AppError::Conflict`].
pub async fn read_posting(
    db: &Db,
    user: UserId,
    id: PostingId,
) -> Result<(Posting, reader::Posting), AppError> {
    let posting = postings::get_posting(db, user, id)
        .await?
        .ok_or_else(|| AppError::NotFoundDetail("no such posting of yours".to_owned()))?;
    let fields =
        posting_fields(posting.parse_status, posting.parsed.as_ref())?.ok_or_else(|| {
            AppError::Conflict(format!(
                "the posting is not read yet (parse status: {}): POST /api/v1/jobs/{}/parse",
                posting.parse_status, id.0
            ))
        })?;
    Ok((posting, fields))
}

/// A posting's score against a resume version.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    /// The unrounded score, for ordering.
    pub exact: f64,
    /// 0–100.
    pub score: u32,
    /// Why the score is not to be trusted, or `None`.
    pub provisional: Option<String>,
}

/// A posting's id with its score; `None` until the posting is read.
pub type Ranked = (PostingId, Option<Scored>);

/// Scores `postings` against `read`, in the order given; a posting not read yet has no
/// score. CPU work: call it off the async threads (as [`rank_postings`] does, through
/// `rank_off_runtime`).
pub fn score_all(read: &ReadVersion, postings: &[ParsedPosting]) -> Result<Vec<Ranked>, AppError> {
    let prepared = matching::Prepared::new(&read.resume, &read.text);
    let read_postings: Vec<(PostingId, Option<reader::Posting>)> = postings
        .iter()
        .map(|p| Ok((p.id, posting_fields(p.parse_status, p.parsed.as_ref())?)))
        .collect::<Result<_, AppError>>()?;
    // Preparing a posting is most of the work; both happen on every core.
    Ok(matching::par_map(&read_postings, |(id, fields)| {
        let scored = fields.as_ref().map(|fields| {
            let result = matching::score_pair(&prepared, &PreparedPosting::new(fields));
            Scored {
                exact: result.exact,
                score: result.score,
                provisional: result.provisional,
            }
        });
        (*id, scored)
    }))
}

/// Best first; ties (and the unscored, last) keep the order given.
fn best_first(mut ranked: Vec<Ranked>) -> Vec<Ranked> {
    let key = |s: &Option<Scored>| s.as_ref().map_or(-1.0, |s| s.exact);
    ranked.sort_by(|a, b| key(&b.1).total_cmp(&key(&a.1)));
    ranked
}

/// What a score was made from: the resume version and the posting, each as of its last
/// change. A score is a pure function of the two (see `pursuit_text::matching`), so one made
/// before stays true until either changes; this process's matcher made it.
type ScoreKey = (ResumeVersionId, Timestamp, PostingId, Timestamp);

/// Scores this process made, so that asking for the same ranking again (paging, the board
/// after each change) reads and prepares only the postings that changed; and the resume
/// versions they were made for. Bounded: emptied when it grows past [`MAX_CACHED`].
#[derive(Default)]
struct Scores {
    made: HashMap<ScoreKey, Scored>,
    versions: std::collections::HashSet<(ResumeVersionId, Timestamp)>,
}

static SCORES: std::sync::LazyLock<std::sync::Mutex<Scores>> =
    std::sync::LazyLock::new(Default::default);
const MAX_CACHED: usize = 200_000;

fn scores() -> std::sync::MutexGuard<'static, Scores> {
    SCORES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn cached(keys: &[ScoreKey]) -> Vec<Option<Scored>> {
    let scores = scores();
    keys.iter().map(|k| scores.made.get(k).cloned()).collect()
}

/// Whether scores for this resume version (as of its last change) were made before.
fn knows(version: (ResumeVersionId, Timestamp)) -> bool {
    scores().versions.contains(&version)
}

fn remember(version: (ResumeVersionId, Timestamp), made: Vec<(ScoreKey, Scored)>) {
    let mut scores = scores();
    if scores.made.len() + made.len() > MAX_CACHED {
        scores.made.clear();
        scores.versions.clear();
    }
    scores.versions.insert(version);
    scores.made.extend(made);
}

/// The user's newest postings (up to [`MAX_RANKED`]; `saved`: only those in the tracker,
/// or only those not) ranked against `read`: scores made before are reused, the rest are
/// made on the blocking pool, one ranking at a time.
pub async fn rank_postings(
    db: &Db,
    user: UserId,
    read: &ReadVersion,
    saved: Option<bool>,
) -> Result<Vec<Ranked>, AppError> {
    // Nothing to reuse for this version yet: read every posting with its fields in the one
    // query, rather than the list first and the fields after.
    let with_fields = !knows((read.version.id, read.version.updated_at));
    let listed = postings::list_parsed(db, user, saved, MAX_RANKED, with_fields).await?;
    rank_listed(db, user, read, listed).await
}

/// `listed` ranked against `read`, reusing the scores made before; the postings still to
/// score are read with their fields unless `listed` carries them.
async fn rank_listed(
    db: &Db,
    user: UserId,
    read: &ReadVersion,
    mut listed: Vec<ParsedPosting>,
) -> Result<Vec<Ranked>, AppError> {
    let version = (read.version.id, read.version.updated_at);
    let keys: Vec<ScoreKey> = listed
        .iter()
        .map(|p| (version.0, version.1, p.id, p.updated_at))
        .collect();
    let mut scores = cached(&keys);
    let mut fresh: Vec<ParsedPosting> = Vec::new();
    let mut unread: Vec<PostingId> = Vec::new();
    for (p, score) in listed.iter_mut().zip(&scores) {
        if score.is_some() || p.parse_status != ParseStatus::Complete {
            continue;
        }
        match p.parsed.take() {
            Some(parsed) => fresh.push(ParsedPosting {
                parsed: Some(parsed),
                ..p.clone()
            }),
            None => unread.push(p.id),
        }
    }
    if !unread.is_empty() {
        fresh.extend(postings::parsed_of(db, user, &unread).await?);
    }
    if !fresh.is_empty() {
        let changed: HashMap<PostingId, Timestamp> =
            fresh.iter().map(|p| (p.id, p.updated_at)).collect();
        let made = rank_off_runtime(read.clone(), fresh).await?;
        let mut by_id: HashMap<PostingId, Scored> = HashMap::new();
        let mut remembered = Vec::new();
        for (id, scored) in made {
            if let (Some(scored), Some(at)) = (scored, changed.get(&id)) {
                remembered.push(((version.0, version.1, id, *at), scored.clone()));
                by_id.insert(id, scored);
            }
        }
        remember(version, remembered);
        for (p, score) in listed.iter().zip(scores.iter_mut()) {
            if score.is_none() {
                *score = by_id.remove(&p.id);
            }
        }
    }
    Ok(best_first(
        listed.iter().map(|p| p.id).zip(scores).collect(),
    ))
}

/// A page of the ranked list: after the item the cursor names (`(position, id)`: if the
/// ranking moved it, from its position), `limit` postings read whole in one query, each
/// with its score; and whether more follow.
pub async fn ranked_page(
    db: &Db,
    user: UserId,
    read: &ReadVersion,
    saved: Option<bool>,
    after: Option<(usize, PostingId)>,
    limit: usize,
) -> Result<(Vec<(Posting, Option<Scored>)>, usize, bool), AppError> {
    let ranked = rank_postings(db, user, read, saved).await?;
    let start = match after {
        None => 0,
        Some((position, id)) => {
            ranked
                .iter()
                .position(|(p, _)| *p == id)
                .unwrap_or(position)
                + 1
        }
    };
    let more = ranked.len() > start + limit;
    let page: Vec<Ranked> = ranked.into_iter().skip(start).take(limit).collect();
    let ids: Vec<PostingId> = page.iter().map(|(id, _)| *id).collect();
    let mut read_whole: std::collections::HashMap<PostingId, Posting> =
        postings::get_postings(db, user, &ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    let items = page
        .into_iter()
        .filter_map(|(id, scored)| read_whole.remove(&id).map(|p| (p, scored)))
        .collect();
    Ok((items, start, more))
}

/// Scores of the user's applications among `ids` that were saved from a posting, against
/// the active read version (none without one).
pub async fn scores_for_applications(
    db: &Db,
    user: UserId,
    ids: &[ApplicationId],
) -> Result<std::collections::HashMap<ApplicationId, u32>, AppError> {
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let Some(read) = active_version(db, user).await? else {
        return Ok(out);
    };
    let saved: Vec<ParsedPosting> = postings::list_parsed(db, user, Some(true), MAX_RANKED, false)
        .await?
        .into_iter()
        .filter(|p| p.application_id.is_some_and(|a| ids.contains(&a)))
        .collect();
    let application_of: std::collections::HashMap<PostingId, ApplicationId> = saved
        .iter()
        .filter_map(|p| Some((p.id, p.application_id?)))
        .collect();
    let ranked = rank_listed(db, user, &read, saved).await?;
    for (posting, scored) in ranked {
        if let (Some(application), Some(scored)) = (application_of.get(&posting), scored) {
            out.entry(*application).or_insert(scored.score);
        }
    }
    Ok(out)
}
