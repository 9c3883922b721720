//! One source's read kept: its answers fetched (conditionally), read into listings, the
//! ones the search asks for deduplicated against the user's jobs and stored — all of one
//! source in one transaction, so a failed source leaves nothing half-stored.
//!
//! A listing is the job Pursuit has already when the same board listed it before (its
//! id), or when [`pursuit_text::boards::same_job`] says so of a job of the same company or
//! at the same link (the same link; the same company, title and place; or a like title
//! with most of one description in the other). Otherwise it is a new job. A job whose
//! listing comes back after it expired is reposted.

use std::collections::HashMap;

use jiff::Timestamp;
use pursuit_domain::company::company_key;
use pursuit_domain::ids::{DiscoveredJobId, UserId};
use pursuit_domain::preferences::{JobPreferences, Remote};
use pursuit_store::Db;
use pursuit_store::discovery::{self as store, JobRow, SearchRow, SourceRow};
use pursuit_text::boards::{
    CONTAINED, Listing, SAME_KEY, canonical_url, company_head, comparable, contained, listing_key,
    same_company, same_job,
};

use super::client::{Client, Cost};
use super::sources::{Kind, Source, wanted};
use super::{SourceReport, words};
use crate::error::AppError;

/// The most listings one source's read keeps (a board that answers a million is cut).
pub const MAX_LISTINGS: usize = 5_000;

/// Fetches and keeps one source of `search`. The source's failure is in the report, not
/// an error: only the database failing is.
pub async fn read_and_keep(
    db: &Db,
    client: &Client<'_>,
    search: &SearchRow,
    source: &Source,
    now: Timestamp,
) -> Result<SourceReport, AppError> {
    let mut report = SourceReport {
        source: source.name.clone(),
        ..SourceReport::default()
    };
    let mut cost = Cost::default();
    let mut listings = Vec::new();
    let mut validators = Vec::new();
    let mut unchanged = 0;
    // Which request failed, when the source sends more than one.
    let at = |shown: &str| {
        if source.requests.len() > 1 {
            format!("{shown}: ")
        } else {
            String::new()
        }
    };
    for (url, shown) in &source.requests {
        if source.kind == Kind::Link
            && let Err(why) = client.allowed(url, &mut cost).await
        {
            report.error = Some(format!("{}{why}", at(shown)));
            break;
        }
        let known = if source.conditional {
            store::validators(db, search.id, shown).await?
        } else {
            (None, None)
        };
        match client
            .get(url, known, source.kind.accept(), &mut cost)
            .await
        {
            Ok(None) => unchanged += 1,
            Ok(Some(fetched)) => {
                let body = String::from_utf8_lossy(&fetched.body).replace('\0', "");
                match source.kind.read(&body, fetched.url.as_str()) {
                    Ok(read) => {
                        report.fetched += read.listings.len() as u32;
                        report.skipped += read.skipped as u32;
                        listings.extend(read.listings);
                        if source.conditional {
                            validators.push((shown.clone(), fetched.etag, fetched.last_modified));
                        }
                    }
                    Err(why) => {
                        report.error = Some(format!("{}{why}", at(shown)));
                        break;
                    }
                }
            }
            Err(why) => {
                report.error = Some(format!("{}{why}", at(shown)));
                break;
            }
        }
    }
    report.cost = cost;
    if report.error.is_some() {
        return Ok(report);
    }
    listings.retain(|l| wanted(search, l));
    listings.truncate(MAX_LISTINGS);
    report.kept = listings.len() as u32;
    // A full list that did not change keeps every job of it live; one read whole decides.
    let full = source.full && unchanged == 0;
    let kept = keep(db, search, &source.feed, &listings, full, &validators, now).await?;
    report.new = kept.new;
    report.duplicate = kept.duplicate;
    report.expired = kept.expired;
    Ok(report)
}

/// What keeping a read did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Kept {
    pub new: u32,
    pub duplicate: u32,
    pub expired: u32,
}

type Validators = [(String, Option<String>, Option<String>)];

/// A stored job as a listing, for [`same_job`].
fn as_listing(job: &JobRow) -> Listing {
    Listing {
        source: "stored",
        source_id: String::new(),
        url: job.url.clone(),
        title: job.title.clone(),
        company: job.company.clone(),
        location: job.location.clone(),
        remote: match job.remote.as_deref() {
            Some("remote") => Some("remote"),
            Some("hybrid") => Some("hybrid"),
            Some("onsite") => Some("onsite"),
            _ => None,
        },
        employment_type: None,
        description: job.description.clone(),
        posted_at: None,
    }
}

/// The jobs a read is compared with, found by company key and by canonical link, and the
/// boards that list each.
#[derive(Default)]
struct Known {
    jobs: Vec<(JobRow, Listing)>,
    by_company: HashMap<String, Vec<usize>>,
    by_url: HashMap<String, Vec<usize>>,
    keys: std::collections::HashSet<String>,
    boards: HashMap<DiscoveredJobId, Vec<String>>,
}

impl Known {
    fn add(&mut self, job: JobRow) {
        let at = self.jobs.len();
        self.by_company
            .entry(job.company_head.clone())
            .or_default()
            .push(at);
        self.by_url
            .entry(job.canonical_url.clone())
            .or_default()
            .push(at);
        self.keys.insert(job.key.clone());
        let listing = as_listing(&job);
        self.jobs.push((job, listing));
    }

    /// The job `listing` repeats: one at its link; else one `same_job` matches — when only
    /// the keys agree, the one whose text it shares; else, when the texts are too short to
    /// tell (or the job Pursuit has expired: a repost in new words), one no listing of
    /// this board belongs to (a board listing two postings alike has two openings).
    /// `weak`: also the job whose keys agree without a shared text (the second pass, once
    /// every listing that shares a text has found its job).
    fn find(
        &self,
        listing: &Listing,
        key: &str,
        url: &str,
        company: &str,
        weak_too: bool,
    ) -> Option<DiscoveredJobId> {
        if let Some(&at) = self.by_url.get(url).and_then(|a| a.first()) {
            return Some(self.jobs[at].0.id);
        }
        let mut weak = None;
        for &at in self
            .by_company
            .get(&company_head(company))
            .into_iter()
            .flatten()
        {
            let (job, known) = &self.jobs[at];
            // Only the companies this one may be (the first word is shared more widely).
            if !same_company(&job.company_key, company) {
                continue;
            }
            let Some(reason) = same_job(known, listing) else {
                continue;
            };
            if reason != SAME_KEY {
                return Some(job.id);
            }
            if contained(&known.description, &listing.description) >= CONTAINED {
                return Some(job.id);
            }
            // Texts long enough to compare that do not share: two openings — unless the one
            // Pursuit has is gone, and this is it posted again in new words.
            if comparable(&known.description, &listing.description) && job.expired_at.is_none() {
                continue;
            }
            let same_board = self
                .boards
                .get(&job.id)
                .is_some_and(|b| b.iter().any(|s| s == listing.source));
            if weak_too && !same_board && weak.is_none() && job.key.split('#').next() == Some(key) {
                weak = Some(job.id);
            }
        }
        weak
    }
}

/// A board's date as an instant: RFC 3339, or a date-time without a zone taken as UTC.
fn instant(text: Option<&str>) -> Option<Timestamp> {
    let text = text?.trim();
    text.parse::<Timestamp>().ok().or_else(|| {
        text.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp())
            .or_else(|| jiff::fmt::rfc2822::parse(text).ok().map(|z| z.timestamp()))
    })
}

/// Stores `listings` of `feed` for the search's user in one transaction (with the
/// validators of the answers they came from); `full`: they are the board's whole list.
pub async fn keep(
    db: &Db,
    search: &SearchRow,
    feed: &str,
    listings: &[Listing],
    full: bool,
    validators: &Validators,
    now: Timestamp,
) -> Result<Kept, AppError> {
    let user = search.user_id;
    let mut kept = Kept::default();
    // One listing per board id.
    let mut unique: Vec<&Listing> = Vec::new();
    let mut seen_ids = std::collections::HashSet::new();
    for listing in listings {
        if seen_ids.insert((listing.source, listing.source_id.as_str())) {
            unique.push(listing);
        }
    }
    let mut tx = db.begin().await?;
    // Listings of this board Pursuit has: the same jobs again.
    let mut by_source: HashMap<&str, Vec<String>> = HashMap::new();
    for l in &unique {
        by_source
            .entry(l.source)
            .or_default()
            .push(l.source_id.clone());
    }
    let mut listed: HashMap<(String, String), DiscoveredJobId> = HashMap::new();
    for (source, ids) in &by_source {
        for row in store::listed(&mut tx, user, source, ids).await? {
            listed.insert((row.source.clone(), row.source_id.clone()), row.job_id);
        }
        store::seen_again(&mut tx, user, source, ids, now).await?;
    }
    let fresh: Vec<&Listing> = unique
        .iter()
        .copied()
        .filter(|l| !listed.contains_key(&(l.source.to_owned(), l.source_id.clone())))
        .collect();
    let mut seen_jobs: Vec<DiscoveredJobId> = listed.values().copied().collect();
    kept.duplicate += (unique.len() - fresh.len()) as u32;

    // The user's jobs the fresh listings may repeat, and the jobs this read adds, found
    // by company and by link; with the boards that list each.
    // Read whole only the jobs of a company a listing may name (its key, or one the
    // other's first words), picked from the ids and keys of the companies' first words.
    let listed_companies: std::collections::HashSet<String> =
        fresh.iter().map(|l| company_key(&l.company)).collect();
    let heads: Vec<String> = dedup_strings(listed_companies.iter().map(|k| company_head(k)));
    let urls: Vec<String> = dedup_strings(fresh.iter().map(|l| canonical_url(&l.url)));
    let prefixes: std::collections::HashSet<String> = listed_companies
        .iter()
        .flat_map(|k| word_prefixes(k))
        .collect();
    let picked: Vec<DiscoveredJobId> = store::companies_of(&mut tx, user, &heads)
        .await?
        .into_iter()
        .filter(|(_, key)| {
            prefixes.contains(key) || word_prefixes(key).any(|p| listed_companies.contains(&p))
        })
        .map(|(id, _)| id)
        .collect();
    let stored = store::jobs_by_ids_or_urls(&mut tx, user, &picked, &urls).await?;
    let mut known = Known::default();
    let ids: Vec<DiscoveredJobId> = stored.iter().map(|j| j.id).collect();
    for source in store::sources_of(&mut tx, &ids).await? {
        known
            .boards
            .entry(source.job_id)
            .or_default()
            .push(source.source);
    }
    for job in stored {
        known.add(job);
    }
    let mut new_jobs: Vec<JobRow> = Vec::new();
    let mut new_sources: Vec<SourceRow> = Vec::new();
    // Listings that share a link or a text with a job first; then the rest, which may
    // join a job whose keys alone agree, or are new.
    let mut order: Vec<(&Listing, Option<DiscoveredJobId>)> = Vec::with_capacity(fresh.len());
    let mut later = Vec::new();
    for listing in fresh {
        let key = listing_key(
            &listing.company,
            &listing.title,
            listing.location.as_deref(),
        );
        let found = known.find(
            listing,
            &key,
            &canonical_url(&listing.url),
            &company_key(&listing.company),
            false,
        );
        match found {
            Some(id) => {
                known
                    .boards
                    .entry(id)
                    .or_default()
                    .push(listing.source.to_owned());
                order.push((listing, Some(id)));
            }
            None => later.push(listing),
        }
    }
    order.extend(later.into_iter().map(|l| (l, None)));
    for (listing, found) in order {
        let mut key = listing_key(
            &listing.company,
            &listing.title,
            listing.location.as_deref(),
        );
        let curl = canonical_url(&listing.url);
        let ckey = company_key(&listing.company);
        let found = match found {
            Some(id) => Some(id),
            None => known.find(listing, &key, &curl, &ckey, true),
        };
        let job_id = match found {
            Some(id) => {
                kept.duplicate += 1;
                id
            }
            None => {
                kept.new += 1;
                if known.keys.contains(&key) {
                    // Another opening with the same company, title and place on one
                    // board: its own key.
                    key = format!("{key}#{}:{}", listing.source, listing.source_id);
                }
                let job = JobRow {
                    id: DiscoveredJobId::new(),
                    user_id: user,
                    search_id: Some(search.id),
                    key,
                    company_head: company_head(&ckey),
                    company_key: ckey,
                    canonical_url: curl,
                    url: listing.url.clone(),
                    title: listing.title.clone(),
                    company: listing.company.clone(),
                    location: listing.location.clone(),
                    remote: listing.remote.map(str::to_owned),
                    employment_type: listing.employment_type.map(str::to_owned),
                    description: listing.description.clone(),
                    posted_at: instant(listing.posted_at.as_deref()),
                    status: "new".to_owned(),
                    application_id: None,
                    score: None,
                    reason: None,
                    scored_for: None,
                    first_seen_at: now,
                    last_seen_at: now,
                    expired_at: None,
                    reposted_at: None,
                    updated_at: now,
                };
                let id = job.id;
                new_jobs.push(job.clone());
                known.add(job);
                id
            }
        };
        if found.is_none() {
            known
                .boards
                .entry(job_id)
                .or_default()
                .push(listing.source.to_owned());
        }
        seen_jobs.push(job_id);
        new_sources.push(SourceRow {
            user_id: user,
            source: listing.source.to_owned(),
            source_id: listing.source_id.clone(),
            job_id,
            feed: feed.to_owned(),
            url: listing.url.clone(),
            first_seen_at: now,
            last_seen_at: now,
            gone_at: None,
        });
    }
    store::insert_jobs(&mut tx, &new_jobs).await?;
    store::insert_sources(&mut tx, &new_sources).await?;
    seen_jobs.sort();
    seen_jobs.dedup();
    let known: Vec<DiscoveredJobId> = seen_jobs
        .into_iter()
        .filter(|id| !new_jobs.iter().any(|j| j.id == *id))
        .collect();
    store::jobs_seen(&mut tx, user, &known, now).await?;
    if full {
        kept.expired = store::expire_missing(&mut tx, user, feed, now).await? as u32;
    }
    for (url, etag, modified) in validators {
        store::keep_validators(
            &mut tx,
            search.id,
            url,
            etag.as_deref(),
            modified.as_deref(),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(kept)
}

/// "bolt technology" → "bolt", "bolt technology".
fn word_prefixes(key: &str) -> impl Iterator<Item = String> + '_ {
    let words: Vec<&str> = key.split_whitespace().collect();
    (1..=words.len()).map(move |n| words[..n].join(" "))
}

fn dedup_strings(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = values.filter(|v| !v.is_empty()).collect();
    out.sort();
    out.dedup();
    out
}

/// Scores the user's open jobs against the active resume version (when one has been
/// read) that were not scored against it as it is now, newest first, at most `limit`;
/// each with the reason in words. Without a read version, jobs keep no score and the list
/// shows the newest first. Returns how many were scored.
pub async fn score_open(db: &Db, user: UserId, limit: i64) -> Result<usize, AppError> {
    let Some(read) = crate::matching::active_version(db, user).await? else {
        return Ok(0);
    };
    let preferences = crate::preferences::get(db, user).await?;
    // Scored again when the resume version or the preferences change.
    let key = format!(
        "{}@{}|{}",
        read.version.id,
        read.version.updated_at,
        preferences
            .updated_at
            .map_or_else(String::new, |t| t.to_string())
    );
    let mut scored = 0;
    while (scored as i64) < limit {
        let jobs = store::unscored(db, user, &key, 500.min(limit - scored as i64)).await?;
        if jobs.is_empty() {
            break;
        }
        scored += jobs.len();
        let read = read.clone();
        let wanted = preferences.value.clone();
        let scores = tokio::task::spawn_blocking(move || score_jobs(&read, &wanted, &jobs))
            .await
            .map_err(|e| AppError::Unavailable(Box::new(e)))?;
        store::set_scores(db, user, &key, &scores).await?;
    }
    Ok(scored)
}

/// Each job's score and reason.
fn score_jobs(
    read: &crate::matching::ReadVersion,
    wanted: &JobPreferences,
    jobs: &[JobRow],
) -> Vec<(DiscoveredJobId, i64, String)> {
    use pursuit_text::matching::{Prepared, PreparedPosting, par_map, score_pair};
    use pursuit_text::posting::{Input, parse_titled};
    let prepared = Prepared::new(&read.resume, &read.text);
    par_map(jobs, |job| {
        let mut text = String::new();
        if let Some(place) = &job.location {
            text.push_str(&format!("Location: {place}\n\n"));
        }
        text.push_str(&job.description);
        let posting = parse_titled(Input::Text(&text), Some(&job.title));
        let scored = score_pair(&prepared, &PreparedPosting::new(&posting));
        let notes = preferred(wanted, job);
        let reason = if notes.is_empty() {
            reason(&scored)
        } else {
            format!("{} · {}", notes.join(" · "), reason(&scored))
        };
        (job.id, i64::from(scored.score), reason)
    })
}

/// What the job preferences say of a job: a title or a place the user looks for, or a way
/// of working they said they do not want. Notes only: the score is the match's.
pub fn preferred(wanted: &JobPreferences, job: &JobRow) -> Vec<&'static str> {
    let has_all = |hay: &[String], needle: &str| {
        let needle = words(needle);
        !needle.is_empty() && needle.iter().all(|w| hay.contains(w))
    };
    let mut notes = Vec::new();
    let title = words(&job.title);
    if wanted.titles.iter().any(|t| has_all(&title, t)) {
        notes.push("A title you look for");
    }
    let place = words(job.location.as_deref().unwrap_or_default());
    // "Berlin, Germany" is wanted where the job says "Berlin".
    if wanted
        .locations
        .iter()
        .any(|l| has_all(&place, l.split(',').next().unwrap_or(l)))
    {
        notes.push("Where you want to work");
    }
    match (wanted.remote, job.remote.as_deref()) {
        (Some(Remote::RemoteOnly), Some("onsite" | "hybrid")) => {
            notes.push("Not remote, and you asked for remote work");
        }
        (Some(Remote::RemoteOnly), Some("remote")) => notes.push("Remote, as you prefer"),
        (Some(Remote::Onsite), Some("remote")) => notes.push("Remote, and you prefer an office"),
        _ => {}
    }
    notes
}

/// Why a job ranks where it does, in a line: the skills it shares with the resume and the
/// part that fits best, or why the score is provisional.
pub fn reason(scored: &pursuit_text::matching::Match) -> String {
    if let Some(why) = &scored.provisional {
        return format!("Provisional: {why}");
    }
    let skills: Vec<&str> = scored
        .skills
        .matched
        .iter()
        .take(3)
        .map(|s| s.skill.as_str())
        .collect();
    // The part that fits best among those that read as reasons (the wording overlap and
    // the field are measures, not reasons).
    let best = scored
        .parts
        .iter()
        .filter(|p| {
            p.weight > 0.0
                && p.fit >= 0.5
                && [
                    "title",
                    "experience",
                    "responsibilities",
                    "education",
                    "languages",
                ]
                .contains(&p.name)
        })
        .max_by(|a, b| (a.fit * a.weight).total_cmp(&(b.fit * b.weight)));
    let mut parts = Vec::new();
    if !skills.is_empty() {
        parts.push(format!("You have {}", skills.join(", ")));
    }
    if let Some(best) = best {
        parts.push(best.detail.clone());
    }
    let missing = scored.skills.missing.len();
    if missing > 0 {
        parts.push(format!(
            "{missing} skill{} it asks for not on your resume",
            if missing == 1 { "" } else { "s" }
        ));
    }
    if parts.is_empty() {
        "Little of the posting could be compared with your resume".to_owned()
    } else {
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(title: &str, location: Option<&str>, remote: Option<&str>) -> JobRow {
        JobRow {
            title: title.to_owned(),
            location: location.map(str::to_owned),
            remote: remote.map(str::to_owned),
            ..JobRow::default()
        }
    }

    #[test]
    fn preferences_add_notes_not_points() {
        let wanted = JobPreferences {
            titles: vec!["Data Engineer".to_owned()],
            locations: vec!["Berlin, Germany".to_owned()],
            remote: Some(Remote::RemoteOnly),
            ..JobPreferences::default()
        };
        assert_eq!(
            preferred(
                &wanted,
                &job("Senior Data Engineer", Some("Berlin"), Some("hybrid"))
            ),
            [
                "A title you look for",
                "Where you want to work",
                "Not remote, and you asked for remote work"
            ]
        );
        assert_eq!(
            preferred(
                &wanted,
                &job("Data Analyst", Some("Remote (EU)"), Some("remote"))
            ),
            ["Remote, as you prefer"]
        );
        assert!(
            preferred(
                &JobPreferences::default(),
                &job("Data Engineer", None, None)
            )
            .is_empty()
        );
    }

    #[test]
    fn board_dates_are_read_with_or_without_a_zone() {
        assert_eq!(
            instant(Some("2026-12-01T09:00:00")).map(|t| t.to_string()),
            Some("2026-12-01T09:00:00Z".to_owned())
        );
        assert_eq!(
            instant(Some("Wed, 02 Dec 2026 10:00:00 +0000")).map(|t| t.to_string()),
            Some("2026-12-02T10:00:00Z".to_owned())
        );
        assert_eq!(instant(Some("3 days ago")), None);
    }
}
