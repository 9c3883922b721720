//! Job boards' answers read into listings (issue 26, first part): each adapter takes the
//! body a board's public API answered, as its documentation describes it, and gives one
//! [`Listing`] per posting with the board's own id and URL kept. Nothing here fetches: the
//! discovery job fetches through the SSRF-safe client and hands the bodies over.
//!
//! - **Greenhouse** job board API, `GET /v1/boards/{token}/jobs?content=true`: `jobs[]` with
//!   `id`, `title`, `updated_at`, `location.name`, `absolute_url`, `content` (the post's HTML,
//!   itself escaped as entities), `offices[]`.
//! - **Lever** postings API, `GET /v0/postings/{site}?mode=json`: an array of postings with
//!   `id`, `text`, `categories` (`location`, `commitment`, `team`, `allLocations`),
//!   `descriptionPlain` (else `description`), `lists[]` (`text`, `content` as HTML),
//!   `additionalPlain`, `hostedUrl`, `workplaceType`, `createdAt` (milliseconds).
//!
//! - **Ashby** job board API, `GET /posting-api/job-board/{board}`: `jobs[]` with `id`,
//!   `title`, `location`, `isRemote`, `workplaceType`, `employmentType`, `descriptionPlain`
//!   (else `descriptionHtml`), `publishedAt`, `jobUrl`.
//! - **Remotive**, `GET /api/remote-jobs`: `jobs[]` with `id`, `url`, `title`,
//!   `company_name`, `job_type`, `publication_date`, `candidate_required_location`,
//!   `description` (HTML). Every job is remote.
//! - **RemoteOK**, `GET /api`: an array whose first item is the terms of use (no `id`),
//!   then jobs with `id`, `position`, `company`, `location`, `description` (HTML), `date`,
//!   `url`. Every job is remote.
//! - **Himalayas**, `GET /jobs/api`: `jobs[]` with `guid`, `title`, `companyName`,
//!   `employmentType`, `locationRestrictions[]`, `description` (HTML), `pubDate` (seconds),
//!   `applicationLink`. Every job is remote.
//! - **RSS 2.0 and Atom feeds** (We Work Remotely's among them: "Company: Title" items with
//!   a `region`): one listing per `item`/`entry`, the link as its id when there is no guid.
//! - **SerpAPI Google Jobs**, `GET /search.json?engine=google_jobs`: `jobs_results[]` with
//!   `job_id`, `title`, `company_name`, `location`, `description`, `share_link`,
//!   `apply_options[]` (`link`), `detected_extensions` (`schedule_type`,
//!   `work_from_home`); no results is `error` "Google hasn't returned any results".
//! - **Adzuna**, `GET /v1/api/jobs/{country}/search/{page}`: `results[]` with `id`, `title`,
//!   `description` (a snippet), `redirect_url`, `created`, `company.display_name`,
//!   `location.display_name`, `contract_time` (`full_time`, `part_time`).
//! - **A page's schema.org `JobPosting`** (JSON-LD): its title, hiring organisation,
//!   place, `jobLocationType` `TELECOMMUTE` as remote, employment type, description.
//!
//! A body that is not JSON, or JSON of another shape, is a [`BoardError`] naming what was
//! wrong; a posting without an id, a title or a URL is left out and counted.
//!
//! The dedup keys live here too: [`canonical_url`], [`listing_key`] (company, title and
//! place normalised), [`fingerprint`] / [`near_duplicate`] to find candidates, and
//! [`same_job`], the pairwise decision.

use serde_json::Value;

use crate::html;

/// One posting as a board lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    /// The board: `greenhouse`, `lever`, …
    pub source: &'static str,
    /// The board's id of the posting.
    pub source_id: String,
    pub url: String,
    pub title: String,
    pub company: String,
    pub location: Option<String>,
    /// `remote`, `hybrid` or `onsite` when the board says.
    pub remote: Option<&'static str>,
    /// `full_time`, `part_time`, `contract`, `temporary` or `internship` when the board says.
    pub employment_type: Option<&'static str>,
    /// The description as plain text, its lines kept.
    pub description: String,
    /// When the board says it was posted or last changed (RFC 3339 text, as given).
    pub posted_at: Option<String>,
}

/// What a board's body read as: its listings, and how many postings were left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Read {
    pub listings: Vec<Listing>,
    /// Postings without an id, a title or a URL.
    pub skipped: usize,
}

/// Why a body could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BoardError {
    /// Not JSON (an HTML error page, a login wall, a cut-off body).
    NotJson(String),
    /// JSON, but not the shape the board documents.
    Shape(String),
}

impl std::fmt::Display for BoardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BoardError::NotJson(why) => write!(f, "the answer is not JSON: {why}"),
            BoardError::Shape(why) => write!(f, "the answer is not in the documented shape: {why}"),
        }
    }
}

impl std::error::Error for BoardError {}

fn parse(body: &str) -> Result<Value, BoardError> {
    serde_json::from_str(body.trim_start_matches('\u{feff}')).map_err(|e| {
        let start: String = body.trim_start().chars().take(40).collect();
        BoardError::NotJson(format!("{e} (it begins {start:?})"))
    })
}

/// The `jobs` list most boards answer with.
fn jobs_of(value: &Value) -> Result<&Vec<Value>, BoardError> {
    value
        .get("jobs")
        .and_then(Value::as_array)
        .ok_or_else(|| BoardError::Shape("no `jobs` list".to_owned()))
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn http_url(value: &Value) -> Option<String> {
    text(value).filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

/// Plain text from a board's text or HTML (lines kept), the entities of an escaped body
/// decoded first (Greenhouse sends `&lt;p&gt;`).
fn plain(text: &str) -> String {
    let unescaped = if text.contains("&lt;") {
        html::decode(text)
    } else {
        text.to_owned()
    };
    if unescaped.contains('<') {
        html::text(&unescaped)
    } else {
        unescaped.trim().to_owned()
    }
}

/// A description field: its plain text, empty when absent.
fn described(value: &Value) -> String {
    value.as_str().map(plain).unwrap_or_default()
}

/// `remote`, `hybrid` or `onsite` as the posting reader reads a place or a title.
fn remote_of(text: &str) -> Option<&'static str> {
    crate::posting::remote_type(&text.to_lowercase())
}

use crate::posting::employment_type as employment_of;

/// A Greenhouse board's `jobs` list (`company` is the board's name as the user knows it).
pub fn greenhouse(body: &str, company: &str) -> Result<Read, BoardError> {
    let value = parse(body)?;
    let jobs = jobs_of(&value)?;
    let mut read = Read::default();
    for job in jobs {
        let (Some(id), Some(title), Some(url)) = (
            text(&job["id"]),
            text(&job["title"]),
            http_url(&job["absolute_url"]),
        ) else {
            read.skipped += 1;
            continue;
        };
        let location = text(&job["location"]["name"]);
        let description = described(&job["content"]);
        let remote = location
            .as_deref()
            .and_then(remote_of)
            .or_else(|| remote_of(&title));
        read.listings.push(Listing {
            source: "greenhouse",
            source_id: id,
            url,
            employment_type: employment_of(&title),
            title,
            company: company.trim().to_owned(),
            location,
            remote,
            description,
            posted_at: text(&job["updated_at"]),
        });
    }
    Ok(read)
}

/// A Lever site's postings (`company` is the site's name as the user knows it).
pub fn lever(body: &str, company: &str) -> Result<Read, BoardError> {
    let value = parse(body)?;
    let postings = value
        .as_array()
        .ok_or_else(|| BoardError::Shape("not a list of postings".to_owned()))?;
    let mut read = Read::default();
    for p in postings {
        let (Some(id), Some(title), Some(url)) =
            (text(&p["id"]), text(&p["text"]), http_url(&p["hostedUrl"]))
        else {
            read.skipped += 1;
            continue;
        };
        let mut description =
            text(&p["descriptionPlain"]).unwrap_or_else(|| described(&p["description"]));
        for list in p["lists"].as_array().into_iter().flatten() {
            if let Some(name) = text(&list["text"]) {
                description.push_str(&format!("\n\n{name}\n"));
            }
            if let Some(items) = list["content"].as_str() {
                description.push_str(&plain(items));
            }
        }
        if let Some(closing) = text(&p["additionalPlain"]) {
            description.push_str(&format!("\n\n{closing}"));
        }
        let categories = &p["categories"];
        let location = text(&categories["location"]);
        let remote = match p["workplaceType"].as_str() {
            Some("remote") => Some("remote"),
            Some("hybrid") => Some("hybrid"),
            Some("on-site") => Some("onsite"),
            _ => location.as_deref().and_then(remote_of),
        };
        read.listings.push(Listing {
            source: "lever",
            source_id: id,
            url,
            title,
            company: company.trim().to_owned(),
            location,
            remote,
            employment_type: text(&categories["commitment"])
                .as_deref()
                .and_then(employment_of),
            description: description.trim().to_owned(),
            posted_at: p["createdAt"]
                .as_i64()
                .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
                .map(|t| t.to_string()),
        });
    }
    Ok(read)
}

/// An Ashby job board's `jobs` list.
pub fn ashby(body: &str, company: &str) -> Result<Read, BoardError> {
    let value = parse(body)?;
    let jobs = jobs_of(&value)?;
    let mut read = Read::default();
    for job in jobs {
        if job["isListed"] == Value::Bool(false) {
            continue;
        }
        let (Some(id), Some(title), Some(url)) = (
            text(&job["id"]),
            text(&job["title"]),
            http_url(&job["jobUrl"]),
        ) else {
            read.skipped += 1;
            continue;
        };
        let location = text(&job["location"]);
        let remote = match job["workplaceType"].as_str() {
            Some("Remote") => Some("remote"),
            Some("Hybrid") => Some("hybrid"),
            Some("OnSite") => Some("onsite"),
            _ if job["isRemote"] == Value::Bool(true) => Some("remote"),
            _ => location.as_deref().and_then(remote_of),
        };
        let description =
            text(&job["descriptionPlain"]).unwrap_or_else(|| described(&job["descriptionHtml"]));
        read.listings.push(Listing {
            source: "ashby",
            source_id: id,
            url,
            title,
            company: company.trim().to_owned(),
            location,
            remote,
            employment_type: text(&job["employmentType"])
                .as_deref()
                .and_then(employment_of),
            description,
            posted_at: text(&job["publishedAt"]),
        });
    }
    Ok(read)
}

/// Remotive's `jobs` list (all remote; each names its company).
pub fn remotive(body: &str) -> Result<Read, BoardError> {
    let value = parse(body)?;
    let jobs = jobs_of(&value)?;
    let mut read = Read::default();
    for job in jobs {
        let (Some(id), Some(title), Some(url), Some(company)) = (
            text(&job["id"]),
            text(&job["title"]),
            http_url(&job["url"]),
            text(&job["company_name"]),
        ) else {
            read.skipped += 1;
            continue;
        };
        read.listings.push(Listing {
            source: "remotive",
            source_id: id,
            url,
            title,
            company,
            location: text(&job["candidate_required_location"]),
            remote: Some("remote"),
            employment_type: text(&job["job_type"]).as_deref().and_then(employment_of),
            description: described(&job["description"]),
            posted_at: text(&job["publication_date"]),
        });
    }
    Ok(read)
}

/// RemoteOK's array (its first item, the terms of use, has no id and is not a job).
pub fn remoteok(body: &str) -> Result<Read, BoardError> {
    let value = parse(body)?;
    let items = value
        .as_array()
        .ok_or_else(|| BoardError::Shape("not a list of jobs".to_owned()))?;
    let mut read = Read::default();
    for job in items {
        if job.get("legal").is_some() && job.get("id").is_none() {
            continue;
        }
        let (Some(id), Some(title), Some(url), Some(company)) = (
            text(&job["id"]),
            text(&job["position"]),
            http_url(&job["url"]),
            text(&job["company"]),
        ) else {
            read.skipped += 1;
            continue;
        };
        read.listings.push(Listing {
            source: "remoteok",
            source_id: id,
            url,
            employment_type: employment_of(&title),
            title,
            company,
            location: text(&job["location"]),
            remote: Some("remote"),
            description: described(&job["description"]),
            posted_at: text(&job["date"]),
        });
    }
    Ok(read)
}

/// Himalayas' `jobs` list (all remote; where a job may be held is its location).
pub fn himalayas(body: &str) -> Result<Read, BoardError> {
    let value = parse(body)?;
    let jobs = jobs_of(&value)?;
    let mut read = Read::default();
    for job in jobs {
        let (Some(id), Some(title), Some(url), Some(company)) = (
            text(&job["guid"]).or_else(|| text(&job["applicationLink"])),
            text(&job["title"]),
            http_url(&job["applicationLink"]).or_else(|| http_url(&job["guid"])),
            text(&job["companyName"]),
        ) else {
            read.skipped += 1;
            continue;
        };
        let places: Vec<String> = job["locationRestrictions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(text)
            .collect();
        read.listings.push(Listing {
            source: "himalayas",
            source_id: id,
            url,
            title,
            company,
            location: (!places.is_empty()).then(|| places.join(", ")),
            remote: Some("remote"),
            employment_type: text(&job["employmentType"])
                .as_deref()
                .and_then(employment_of),
            description: described(&job["description"]),
            posted_at: job["pubDate"]
                .as_i64()
                .and_then(|s| jiff::Timestamp::from_second(s).ok())
                .map(|t| t.to_string()),
        });
    }
    Ok(read)
}

/// SerpAPI's Google Jobs answer. An answer with no results is an empty read; any other
/// `error` is a [`BoardError::Shape`] carrying SerpAPI's words (a bad key, no searches left).
pub fn serpapi(body: &str) -> Result<Read, BoardError> {
    let value = parse(body)?;
    let Some(jobs) = value.get("jobs_results").and_then(Value::as_array) else {
        return match text(&value["error"]) {
            Some(error) if error.contains("hasn't returned any results") => Ok(Read::default()),
            Some(error) => Err(BoardError::Shape(format!("SerpAPI says: {error}"))),
            None => Err(BoardError::Shape("no `jobs_results` list".to_owned())),
        };
    };
    let mut read = Read::default();
    for job in jobs {
        let apply = job["apply_options"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|o| http_url(&o["link"]));
        let (Some(id), Some(title), Some(url), Some(company)) = (
            text(&job["job_id"]),
            text(&job["title"]),
            apply.or_else(|| http_url(&job["share_link"])),
            text(&job["company_name"]),
        ) else {
            read.skipped += 1;
            continue;
        };
        let extensions = &job["detected_extensions"];
        let location = text(&job["location"]);
        read.listings.push(Listing {
            source: "serpapi",
            source_id: id,
            url,
            remote: if extensions["work_from_home"].as_bool() == Some(true) {
                Some("remote")
            } else {
                location.as_deref().and_then(remote_of)
            },
            location,
            employment_type: text(&extensions["schedule_type"])
                .as_deref()
                .and_then(employment_of),
            title,
            company,
            description: described(&job["description"]),
            posted_at: None,
        });
    }
    Ok(read)
}

/// Adzuna's search answer (`results`).
pub fn adzuna(body: &str) -> Result<Read, BoardError> {
    let value = parse(body)?;
    let results = value
        .get("results")
        .and_then(Value::as_array)
        .ok_or_else(
            || match text(&value["display"]).or_else(|| text(&value["exception"])) {
                Some(error) => BoardError::Shape(format!("Adzuna says: {error}")),
                None => BoardError::Shape("no `results` list".to_owned()),
            },
        )?;
    let mut read = Read::default();
    for job in results {
        let (Some(id), Some(title), Some(url), Some(company)) = (
            text(&job["id"]),
            text(&job["title"]).map(|t| plain(&t)),
            http_url(&job["redirect_url"]),
            text(&job["company"]["display_name"]),
        ) else {
            read.skipped += 1;
            continue;
        };
        let location = text(&job["location"]["display_name"]);
        read.listings.push(Listing {
            source: "adzuna",
            source_id: id,
            url,
            remote: location
                .as_deref()
                .and_then(remote_of)
                .or_else(|| remote_of(&title)),
            location,
            employment_type: text(&job["contract_time"])
                .as_deref()
                .and_then(employment_of)
                .or_else(|| {
                    text(&job["contract_type"])
                        .as_deref()
                        .and_then(employment_of)
                }),
            title,
            company,
            description: described(&job["description"]),
            posted_at: text(&job["created"]),
        });
    }
    Ok(read)
}

/// The items of an RSS 2.0 or Atom feed. `source` names the feed (`weworkremotely`, or
/// `rss` for any other); an item's title "Company: Title" gives both, as We Work Remotely
/// writes them; `company` is used for a feed whose titles do not.
pub fn feed(body: &str, source: &'static str, company: &str) -> Result<Read, BoardError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(body.trim_start_matches('\u{feff}'));
    reader.config_mut().trim_text(false);
    let mut read = Read::default();
    let mut item: Option<std::collections::HashMap<String, String>> = None;
    let mut field: Option<String> = None;
    let mut saw_feed = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_lowercase();
                match name.as_str() {
                    "rss" | "feed" | "rdf" => saw_feed = true,
                    "item" | "entry" => item = Some(Default::default()),
                    _ => {}
                }
                if let (Some(map), "link") = (item.as_mut(), name.as_str())
                    && let Ok(Some(href)) = e.try_get_attribute("href")
                {
                    map.insert(
                        "link".to_owned(),
                        String::from_utf8_lossy(&href.value).into_owned(),
                    );
                }
                field = Some(name);
            }
            Ok(Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_lowercase();
                if let (Some(map), "link") = (item.as_mut(), name.as_str())
                    && let Ok(Some(href)) = e.try_get_attribute("href")
                {
                    map.entry("link".to_owned())
                        .or_insert_with(|| String::from_utf8_lossy(&href.value).into_owned());
                }
            }
            Ok(Event::Text(t)) => {
                if let (Some(map), Some(name)) = (item.as_mut(), field.as_ref()) {
                    let value = t.decode().map(|v| html::decode(&v)).unwrap_or_default();
                    map.entry(name.clone()).or_default().push_str(&value);
                }
            }
            Ok(Event::CData(t)) => {
                if let (Some(map), Some(name)) = (item.as_mut(), field.as_ref()) {
                    map.entry(name.clone())
                        .or_default()
                        .push_str(&String::from_utf8_lossy(&t));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let (Some(map), Some(name)) = (item.as_mut(), field.as_ref()) {
                    let entity = format!("&{};", String::from_utf8_lossy(&r));
                    map.entry(name.clone())
                        .or_default()
                        .push_str(&html::decode(&entity));
                }
            }
            Ok(Event::End(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_lowercase();
                if (name == "item" || name == "entry")
                    && let Some(map) = item.take()
                {
                    match feed_listing(&map, source, company) {
                        Some(listing) => read.listings.push(listing),
                        None => read.skipped += 1,
                    }
                }
                field = None;
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(BoardError::Shape(format!(
                    "the feed is not well-formed XML at byte {}: {e}",
                    reader.buffer_position()
                )));
            }
        }
    }
    if !saw_feed {
        return Err(BoardError::Shape("not an RSS or Atom feed".to_owned()));
    }
    Ok(read)
}

fn feed_listing(
    map: &std::collections::HashMap<String, String>,
    source: &'static str,
    company: &str,
) -> Option<Listing> {
    let get = |k: &str| {
        map.get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let link = get("link").filter(|l| l.starts_with("http://") || l.starts_with("https://"))?;
    let raw_title = get("title")?;
    let (company, title) = match raw_title.split_once(": ") {
        Some((c, t)) if company.trim().is_empty() && !t.trim().is_empty() => {
            (c.trim().to_owned(), t.trim().to_owned())
        }
        _ => (company.trim().to_owned(), raw_title),
    };
    let description = get("description")
        .or_else(|| get("content"))
        .or_else(|| get("summary"))
        .map(|d| plain(&d))
        .unwrap_or_default();
    let location = get("region").or_else(|| get("location"));
    let remote = if source == "weworkremotely" {
        Some("remote")
    } else {
        location
            .as_deref()
            .and_then(remote_of)
            .or_else(|| remote_of(&title))
    };
    Some(Listing {
        source,
        source_id: get("guid")
            .or_else(|| get("id"))
            .unwrap_or_else(|| link.clone()),
        url: link,
        employment_type: get("type").as_deref().and_then(employment_of),
        title,
        company,
        location,
        remote,
        description,
        posted_at: get("pubdate")
            .or_else(|| get("published"))
            .or_else(|| get("updated")),
    })
}

/// A posting page's schema.org `JobPosting` (JSON-LD), if it has one; `url` is the page's.
pub fn json_ld(page: &str, url: &str) -> Option<Listing> {
    let read = html::read(page);
    let posting = read.json_ld.iter().find_map(crate::posting::job_posting)?;
    let title = text(&posting["title"])?;
    let company = text(&posting["hiringOrganization"]["name"])
        .or_else(|| text(&posting["hiringOrganization"]))
        .unwrap_or_default();
    let place = |p: &Value| {
        let a = &p["address"];
        [
            &a["addressLocality"],
            &a["addressRegion"],
            &a["addressCountry"],
        ]
        .into_iter()
        .filter_map(|v| text(v).or_else(|| text(&v["name"])))
        .collect::<Vec<_>>()
        .join(", ")
    };
    let location = match &posting["jobLocation"] {
        Value::Array(places) => places.first().map(place),
        Value::Object(_) => Some(place(&posting["jobLocation"])),
        _ => None,
    }
    .filter(|l| !l.is_empty());
    let remote = (posting["jobLocationType"].as_str() == Some("TELECOMMUTE"))
        .then_some("remote")
        .or_else(|| location.as_deref().and_then(remote_of));
    let employment = match &posting["employmentType"] {
        Value::Array(kinds) => kinds.first().and_then(text),
        other => text(other),
    };
    Some(Listing {
        source: "page",
        source_id: text(&posting["identifier"]["value"])
            .or_else(|| text(&posting["identifier"]))
            .unwrap_or_else(|| canonical_url(url)),
        url: text(&posting["url"])
            .filter(|u| u.starts_with("http"))
            .unwrap_or_else(|| url.to_owned()),
        title,
        company,
        location,
        remote,
        employment_type: employment.as_deref().and_then(employment_of),
        description: described(&posting["description"]),
        posted_at: text(&posting["datePosted"]),
    })
}

/// Query parameters that only say where a click came from.
const TRACKING: &[&str] = &[
    "gh_src",
    "gh_jid_src",
    "lever-source",
    "lever-origin",
    "source",
    "src",
    "ref",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "fbclid",
    "gclid",
    "trk",
    "trackingid",
];

/// A URL as one posting has it whatever link led there: scheme and host lower-cased, `www.`
/// and the default port dropped, the fragment and tracking parameters dropped, the rest
/// of the query sorted, no trailing slash.
pub fn canonical_url(url: &str) -> String {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let scheme = scheme.to_ascii_lowercase();
    let rest = rest.split('#').next().unwrap_or_default();
    let (host_path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = host_path.split_once('/').unwrap_or((host_path, ""));
    let mut host = host.to_ascii_lowercase();
    if let Some(bare) = host.strip_prefix("www.") {
        host = bare.to_owned();
    }
    for port in [":80", ":443"] {
        if let Some(bare) = host.strip_suffix(port) {
            host = bare.to_owned();
        }
    }
    let path = path.trim_end_matches('/');
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let name = p.split('=').next().unwrap_or_default().to_ascii_lowercase();
            !name.starts_with("utm_") && !TRACKING.contains(&name.as_str())
        })
        .collect();
    params.sort_unstable();
    let mut out = format!("https://{host}");
    if scheme == "http" {
        out = format!("http://{host}");
    }
    if !path.is_empty() {
        out.push('/');
        out.push_str(path);
    }
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Company, title and place normalised into one key: the same job listed by two boards
/// (or twice by one) has the same key. The company is its `company_key` (legal forms such
/// as Inc, GmbH, B.V. dropped), bracketed title
/// markers ("(m/f/d)", "(Remote)"), punctuation and case do not count; "Sr." is "senior"; a place that says remote anywhere is `remote`; the
/// place is its first part ("Berlin, Germany" → "berlin").
pub fn listing_key(company: &str, title: &str, location: Option<&str>) -> String {
    let company = pursuit_domain::company::company_key(company);
    let title: Vec<String> = words(&clean_title(title))
        .into_iter()
        .map(|w| match w.as_str() {
            "sr" => "senior".to_owned(),
            "jr" => "junior".to_owned(),
            "mgr" => "manager".to_owned(),
            "eng" => "engineer".to_owned(),
            "dev" => "developer".to_owned(),
            _ => w,
        })
        .collect();
    let place = location.map(place_key).unwrap_or_default();
    format!("{company}|{}|{place}", title.join(" "))
}

/// A 64-bit SimHash of a description's word triples: descriptions that differ in a few
/// words (a date, a sentence added) have fingerprints a few bits apart.
pub fn fingerprint(description: &str) -> u64 {
    let words = words(description);
    if words.is_empty() {
        return 0;
    }
    let mut weights = [0_i64; 64];
    let shingles: Vec<String> = if words.len() < 3 {
        vec![words.join(" ")]
    } else {
        words.windows(3).map(|w| w.join(" ")).collect()
    };
    for shingle in &shingles {
        let hash = fnv(shingle.as_bytes());
        for (bit, weight) in weights.iter_mut().enumerate() {
            if hash >> bit & 1 == 1 {
                *weight += 1;
            } else {
                *weight -= 1;
            }
        }
    }
    weights
        .iter()
        .enumerate()
        .fold(0, |acc, (bit, w)| if *w > 0 { acc | 1 << bit } else { acc })
}

/// FNV-1a, then a final mix so neighbouring texts spread over all 64 bits.
fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^ (hash >> 33)
}

/// At most this many bits apart, two fingerprints are the same text lightly edited.
pub const NEAR: u32 = 6;

pub fn near_duplicate(a: u64, b: u64) -> bool {
    a != 0 && b != 0 && (a ^ b).count_ones() <= NEAR
}

/// Why two listings are one job, if they are: the same canonical URL, the same key
/// (company, title and place), or the same company with titles that share most words and
/// descriptions of which the shorter is mostly in the longer (a repost with a line
/// changed, a board that appended its own note). Two roles of one company whose descriptions share the company's
/// boilerplate stay apart: their titles differ.
pub fn same_job(a: &Listing, b: &Listing) -> Option<&'static str> {
    if canonical_url(&a.url) == canonical_url(&b.url) {
        return Some("the same link");
    }
    let (ka, kb) = (
        listing_key(&a.company, &a.title, a.location.as_deref()),
        listing_key(&b.company, &b.title, b.location.as_deref()),
    );
    if ka == kb {
        return Some(SAME_KEY);
    }
    let company = |k: &str| k.split('|').next().unwrap_or_default().to_owned();
    let (ca, cb) = (company(&ka), company(&kb));
    // "Perch" and "Perch Learning": one name is the other's first words. Then only the
    // same text (long enough to compare) makes them one job.
    let named_two_ways = ca != cb && one_names_the_other(&ca, &cb);
    if (ca != cb && !named_two_ways) || ca.is_empty() || cb.is_empty() {
        return None;
    }
    let title_words = |t: &str| -> std::collections::BTreeSet<String> {
        words(&clean_title(t)).into_iter().collect()
    };
    let (ta, tb) = (title_words(&a.title), title_words(&b.title));
    let shared = ta.intersection(&tb).count();
    let all = ta.union(&tb).count().max(1);
    if shared * 3 < all * 2 {
        return None;
    }
    // Two cities are two openings, however alike their texts.
    let place = |l: &Listing| -> Option<String> {
        let at = place_key(l.location.as_deref()?);
        (l.remote != Some("remote") && at != "remote" && !at.is_empty()).then_some(at)
    };
    if let (Some(pa), Some(pb)) = (place(a), place(b))
        && pa != pb
    {
        return None;
    }
    let shared = contained(&a.description, &b.description) >= CONTAINED;
    if named_two_ways {
        return (shared && comparable(&a.description, &b.description))
            .then_some("one company named two ways, a like title and the same description");
    }
    shared.then_some("the same company, a like title and the same description")
}

/// Whether two company keys may name one company: the same, or one the other's first
/// words ("bolt" and "bolt technology").
pub fn same_company(a: &str, b: &str) -> bool {
    !a.is_empty() && (a == b || one_names_the_other(a, b))
}

/// Whether one company name is the other's first words ("bolt" and "bolt technology").
fn one_names_the_other(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        a.split_whitespace().collect(),
        b.split_whitespace().collect(),
    );
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && long.starts_with(&short)
}

/// A company key's first word: what finds the jobs of a company however it is named.
pub fn company_head(company_key: &str) -> String {
    company_key
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Whether two listings are one job as discovery keeps them: [`same_job`], except that two
/// listings of one board whose keys alone agree are two openings unless they share their
/// text (a board lists an opening once).
pub fn one_job(a: &Listing, b: &Listing) -> Option<&'static str> {
    let reason = same_job(a, b)?;
    if reason == SAME_KEY && contained(&a.description, &b.description) < CONTAINED {
        let one_board = a.source == b.source && a.source_id != b.source_id;
        // Two texts long enough to compare that do not share are two openings, whatever
        // the boards; with a text too short to tell, only one board's two listings are.
        if one_board || comparable(&a.description, &b.description) {
            return None;
        }
    }
    Some(reason)
}

/// At least this many word triples in each text for their difference to say anything.
pub const COMPARABLE: usize = 20;

/// Whether both texts are long enough that not sharing means they are different.
pub fn comparable(a: &str, b: &str) -> bool {
    let triples = |t: &str| words(t).len().saturating_sub(2);
    triples(a) >= COMPARABLE && triples(b) >= COMPARABLE
}

/// [`same_job`]'s reason when only the keys agree (the same company, title and place): a
/// board listing two such postings may have two openings, which their texts tell apart.
pub const SAME_KEY: &str = "the same company, title and place";

/// At least this share of the shorter description's word triples in the other: the same
/// text, perhaps with a board's note or a line added.
pub const CONTAINED: f64 = 0.8;

/// The share of the shorter text's word triples that the other has (0 for empty texts).
pub fn contained(a: &str, b: &str) -> f64 {
    let triples = |t: &str| -> std::collections::HashSet<String> {
        words(t).windows(3).map(|w| w.join(" ")).collect()
    };
    let (ta, tb) = (triples(a), triples(b));
    let least = ta.len().min(tb.len());
    if least == 0 {
        return 0.0;
    }
    ta.intersection(&tb).count() as f64 / least as f64
}

/// A place as a key: `remote` when it says remote anywhere, else its first part in lower
/// case ("Berlin, Germany" → "berlin").
fn place_key(location: &str) -> String {
    if location.to_lowercase().contains("remote") {
        return "remote".to_owned();
    }
    words(
        location
            .split([',', '(', '/', '|', ';'])
            .next()
            .unwrap_or(location),
    )
    .join(" ")
}

/// Markers a title carries that do not change the job: gender tags ("(m/f/d)",
/// "(all genders)"), "remote" and work-pattern suffixes in brackets.
fn clean_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut depth = 0_u32;
    for c in title.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GREENHOUSE: &str = include_str!("../tests/fixtures/boards/greenhouse.json");
    const LEVER: &str = include_str!("../tests/fixtures/boards/lever.json");

    #[test]
    fn a_greenhouse_board_is_read_with_its_escaped_html() {
        let read = greenhouse(GREENHOUSE, "Northwind").unwrap();
        assert_eq!(read.skipped, 1, "the post without a URL");
        assert_eq!(read.listings.len(), 2);
        let first = &read.listings[0];
        assert_eq!(
            (first.source, first.source_id.as_str(), first.title.as_str()),
            ("greenhouse", "4012001", "Senior Data Analyst")
        );
        assert_eq!(first.location.as_deref(), Some("Berlin, Germany"));
        assert_eq!(
            first.url,
            "https://boards.greenhouse.io/northwind/jobs/4012001"
        );
        assert!(
            first.description.contains("Build the dashboards")
                && !first.description.contains("<li>")
                && !first.description.contains("&lt;"),
            "{}",
            first.description
        );
        assert_eq!(read.listings[1].remote, Some("remote"));
    }

    #[test]
    fn a_lever_site_is_read_with_its_lists() {
        let read = lever(LEVER, "Kaiyo").unwrap();
        assert_eq!((read.listings.len(), read.skipped), (2, 0));
        let first = &read.listings[0];
        assert_eq!(first.title, "Analytics Engineer");
        assert_eq!(first.remote, Some("hybrid"));
        assert_eq!(first.employment_type, Some("full_time"));
        assert!(
            first.description.contains("Requirements") && first.description.contains("dbt"),
            "{}",
            first.description
        );
        assert_eq!(first.posted_at.as_deref(), Some("2026-11-20T09:00:00Z"));
        assert_eq!(read.listings[1].employment_type, Some("internship"));
    }

    #[test]
    fn a_body_that_is_not_the_documented_shape_is_named() {
        assert!(matches!(
            greenhouse("<html><body>Rate limited</body></html>", "X"),
            Err(BoardError::NotJson(_))
        ));
        assert!(matches!(
            greenhouse("{\"error\": \"not found\"}", "X"),
            Err(BoardError::Shape(_))
        ));
        assert!(matches!(
            lever("{\"ok\": false}", "X"),
            Err(BoardError::Shape(_))
        ));
        assert_eq!(lever("[]", "X").unwrap(), Read::default());
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/boards")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn an_ashby_board_keeps_listed_jobs_and_its_workplace() {
        let read = ashby(&fixture("ashby.json"), "Lumen").unwrap();
        let titles: Vec<&str> = read.listings.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Product Analyst", "Staff Data Scientist"],
            "an unlisted job is left out"
        );
        assert_eq!(read.listings[0].remote, Some("hybrid"));
        assert_eq!(read.listings[0].employment_type, Some("full_time"));
        assert!(
            read.listings[0]
                .description
                .contains("Own the growth metrics")
        );
        assert_eq!(read.listings[1].remote, Some("remote"));
        assert_eq!(read.listings[1].employment_type, Some("contract"));
        assert_eq!(read.listings[1].description, "Forecast demand & capacity.");
    }

    #[test]
    fn remote_boards_name_each_company() {
        let remotive = remotive(&fixture("remotive.json")).unwrap();
        assert_eq!((remotive.listings.len(), remotive.skipped), (1, 1));
        let job = &remotive.listings[0];
        assert_eq!(
            (
                job.company.as_str(),
                job.title.as_str(),
                job.source_id.as_str(),
                job.remote
            ),
            ("Fieldnote", "Data Analyst", "1904417", Some("remote"))
        );
        assert!(job.description.contains("Write SQL all day") && !job.description.contains("<li>"));
        let remoteok = remoteok(&fixture("remoteok.json")).unwrap();
        assert_eq!(
            (remoteok.listings.len(), remoteok.skipped),
            (1, 0),
            "the terms of use are not a job"
        );
        assert_eq!(remoteok.listings[0].title, "Analytics Engineer");
        let himalayas = himalayas(&fixture("himalayas.json")).unwrap();
        let job = &himalayas.listings[0];
        assert_eq!(job.location.as_deref(), Some("Germany, Austria"));
        assert_eq!(job.employment_type, Some("part_time"));
        assert_eq!(job.posted_at.as_deref(), Some("2026-12-02T08:26:40Z"));
    }

    #[test]
    fn one_title_at_one_place_is_two_openings_when_their_texts_differ() {
        let listing = |source: &'static str, id: &str, text: &str| Listing {
            source,
            source_id: id.to_owned(),
            url: format!("https://{source}.example/{id}"),
            title: "Backend Engineer".to_owned(),
            company: "Acme GmbH".to_owned(),
            location: Some("Berlin, Germany".to_owned()),
            remote: None,
            employment_type: None,
            description: text.to_owned(),
            posted_at: None,
        };
        let payments = "You will build the payments service in Rust, own its database schema, review every change to the ledger, and answer the pager one week in six for the services your team runs in production.";
        let search = "You will build the search service in Go, tune the ranking with the product team, run the indexing jobs every night, and keep the cluster that serves two thousand queries a second healthy.";
        let a = listing("greenhouse", "1", payments);
        let b = listing("greenhouse", "2", search);
        assert_eq!(same_job(&a, &b), Some(SAME_KEY), "the keys alone agree");
        assert_eq!(one_job(&a, &b), None, "two openings on one board");
        assert_eq!(
            one_job(&listing("remotive", "9", search), &a),
            None,
            "a copy of the other one"
        );
        assert!(one_job(&listing("remotive", "9", search), &b).is_some());
        // A snippet too short to compare: the keys decide across boards, not on one.
        let snippet = listing("adzuna", "7", "Acme is hiring a backend engineer.");
        assert_eq!(one_job(&snippet, &a), Some(SAME_KEY));
        assert_eq!(one_job(&listing("greenhouse", "3", ""), &a), None);
    }

    #[test]
    fn keyed_search_apis_give_listings_with_their_links() {
        let serp = serpapi(&fixture("serpapi.json")).unwrap();
        assert_eq!((serp.listings.len(), serp.skipped), (2, 1));
        let job = &serp.listings[0];
        assert_eq!(
            (
                job.company.as_str(),
                job.title.as_str(),
                job.employment_type
            ),
            (
                "Tidewater Analytics",
                "Data Engineer (Spark)",
                Some("full_time")
            )
        );
        assert_eq!(
            job.url, "https://www.linkedin.com/jobs/view/4099911?utm_campaign=google_jobs_apply",
            "the first place to apply is the link"
        );
        assert_eq!(job.location.as_deref(), Some("Lisbon, Portugal"));
        let remote = &serp.listings[1];
        assert_eq!(
            (
                remote.remote,
                remote.employment_type,
                remote.url.contains("htidocid=def456")
            ),
            (Some("remote"), Some("contract"), true)
        );
        let none = r#"{"search_metadata":{"status":"Success"},"error":"Google hasn't returned any results for this query."}"#;
        assert_eq!(serpapi(none).unwrap(), Read::default());
        let bad_key = r#"{"error":"Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key"}"#;
        assert!(
            matches!(serpapi(bad_key), Err(BoardError::Shape(why)) if why.contains("Invalid API key"))
        );

        let adzuna = adzuna(&fixture("adzuna.json")).unwrap();
        assert_eq!((adzuna.listings.len(), adzuna.skipped), (2, 1));
        let job = &adzuna.listings[0];
        assert_eq!(
            (
                job.title.as_str(),
                job.company.as_str(),
                job.employment_type
            ),
            ("Data Engineer - Payments", "Ledgerline", Some("full_time")),
            "the highlighting is dropped from the title"
        );
        assert!(!job.description.contains("<strong>"), "{}", job.description);
        assert_eq!(job.posted_at.as_deref(), Some("2026-12-01T09:41:02Z"));
        assert_eq!(adzuna.listings[1].employment_type, Some("contract"));
        assert!(matches!(
            super::adzuna(r#"{"exception":"AUTH_FAIL","display":"Authorisation failed"}"#),
            Err(BoardError::Shape(why)) if why.contains("Authorisation failed")
        ));
    }

    #[test]
    fn feeds_are_read_whether_rss_or_atom() {
        let wwr = feed(&fixture("weworkremotely.xml"), "weworkremotely", "").unwrap();
        assert_eq!(
            (wwr.listings.len(), wwr.skipped),
            (1, 1),
            "an item without a link is skipped"
        );
        let job = &wwr.listings[0];
        assert_eq!(
            (job.company.as_str(), job.title.as_str()),
            ("Harbor & Co", "Senior Data Engineer")
        );
        assert_eq!(
            (job.remote, job.employment_type),
            (Some("remote"), Some("full_time"))
        );
        assert!(
            job.description.contains("Own our Spark jobs"),
            "{}",
            job.description
        );
        assert_eq!(job.location.as_deref(), Some("Anywhere in the World"));
        let atom = feed(&fixture("careers.atom"), "rss", "Juniper Labs").unwrap();
        let job = &atom.listings[0];
        assert_eq!(
            (job.company.as_str(), job.title.as_str()),
            ("Juniper Labs", "Research Analyst (Remote)")
        );
        assert_eq!(job.url, "https://juniper.example/careers/research-analyst");
        assert_eq!(job.remote, Some("remote"));
        assert!(
            job.description.starts_with("Read the literature"),
            "{}",
            job.description
        );
        assert!(matches!(
            feed("<html><body>hi</body></html>", "rss", ""),
            Err(BoardError::Shape(_))
        ));
        assert!(matches!(
            feed("<rss><channel><item><title>x</titl></item>", "rss", ""),
            Err(BoardError::Shape(_))
        ));
    }

    #[test]
    fn a_page_with_job_posting_data_is_one_listing() {
        let job = json_ld(
            &fixture("posting.html"),
            "https://orchard.example/jobs/data-analyst?utm_source=x",
        )
        .unwrap();
        assert_eq!(
            (job.title.as_str(), job.company.as_str()),
            ("Data Analyst", "Orchard")
        );
        assert_eq!(job.location.as_deref(), Some("Lisbon, PT"));
        assert_eq!(
            (job.source_id.as_str(), job.employment_type),
            ("OR-2291", Some("full_time"))
        );
        assert_eq!(job.description, "Make sense of our orchard sensor data.");
        assert!(json_ld("<html><body>No data</body></html>", "https://x.example/").is_none());
    }

    #[test]
    fn a_cut_off_or_garbled_answer_is_an_error_or_fewer_listings_never_a_panic() {
        for name in [
            "greenhouse.json",
            "lever.json",
            "ashby.json",
            "remotive.json",
            "remoteok.json",
            "himalayas.json",
            "weworkremotely.xml",
            "careers.atom",
            "posting.html",
        ] {
            let body = fixture(name);
            let cuts: Vec<usize> = (0..body.len())
                .step_by(7)
                .filter(|i| body.is_char_boundary(*i))
                .collect();
            for cut in cuts {
                let part = &body[..cut];
                let garbled = part.replace(['"', '>'], "\u{0}");
                for text in [part, garbled.as_str()] {
                    let _ = greenhouse(text, "X");
                    let _ = lever(text, "X");
                    let _ = ashby(text, "X");
                    let _ = remotive(text);
                    let _ = remoteok(text);
                    let _ = himalayas(text);
                    let _ = feed(text, "rss", "");
                    let _ = json_ld(text, "https://x.example/");
                }
            }
        }
    }

    fn listing(company: &str, title: &str, place: &str, url: &str, text: &str) -> Listing {
        Listing {
            source: "page",
            source_id: url.to_owned(),
            url: url.to_owned(),
            title: title.to_owned(),
            company: company.to_owned(),
            location: Some(place.to_owned()),
            remote: None,
            employment_type: None,
            description: text.to_owned(),
            posted_at: None,
        }
    }

    #[test]
    fn one_job_on_two_boards_is_one_and_two_openings_are_two() {
        let text = "We are looking for a data analyst to build dashboards, model our sales data in SQL and dbt, and work with the finance team on monthly reporting every week.";
        let board = listing(
            "Acme B.V.",
            "Data Analyst",
            "Utrecht",
            "https://boards.example/acme/1",
            text,
        );
        let copy = listing(
            "Acme",
            "Data Analyst (m/f/d)",
            "Utrecht, Netherlands",
            "https://hub.example/9",
            &format!("{text} Seen first on Hub."),
        );
        assert!(same_job(&board, &copy).is_some());
        let noted = listing(
            "Acme",
            "Data Analyst - Europe",
            "Remote",
            "https://hub.example/10",
            &format!("{text} Seen first on Hub."),
        );
        assert!(
            same_job(&board, &noted).is_some(),
            "a remote copy with a note added"
        );
        let elsewhere = listing(
            "Acme",
            "Data Analyst",
            "Rotterdam",
            "https://boards.example/acme/2",
            text,
        );
        assert!(
            same_job(&board, &elsewhere).is_none(),
            "two cities are two openings"
        );
        let other_role = listing(
            "Acme",
            "Finance Manager",
            "Utrecht",
            "https://boards.example/acme/3",
            text,
        );
        assert!(same_job(&board, &other_role).is_none());
        let other_company = listing(
            "Apex",
            "Data Analyst",
            "Utrecht",
            "https://boards.example/apex/1",
            text,
        );
        assert!(same_job(&board, &other_company).is_none());
    }

    #[test]
    fn links_to_one_posting_have_one_canonical_url() {
        let one = canonical_url(
            "https://boards.greenhouse.io/northwind/jobs/4012001?gh_src=abc&utm_source=x#apply",
        );
        assert_eq!(one, "https://boards.greenhouse.io/northwind/jobs/4012001");
        assert_eq!(
            canonical_url("HTTPS://WWW.Example.com:443/jobs/7/?b=2&a=1&ref=feed"),
            "https://example.com/jobs/7?a=1&b=2"
        );
        assert_ne!(
            canonical_url("https://example.com/jobs?id=1"),
            canonical_url("https://example.com/jobs?id=2")
        );
    }

    #[test]
    fn the_same_job_on_two_boards_has_one_key() {
        assert_eq!(
            listing_key(
                "Northwind, Inc.",
                "Sr. Data Analyst",
                Some("Berlin, Germany")
            ),
            listing_key("northwind", "Senior Data Analyst", Some("Berlin"))
        );
        assert_eq!(
            listing_key("Kaiyo GmbH", "Analytics Engineer", Some("Remote (EU)")),
            listing_key("Kaiyo", "Analytics Engineer", Some("Remote - Europe"))
        );
        assert_ne!(
            listing_key("Kaiyo", "Analytics Engineer", Some("Berlin")),
            listing_key("Kaiyo", "Analytics Engineer", Some("Munich"))
        );
        assert_ne!(
            listing_key("Kaiyo", "Data Analyst", None),
            listing_key("Kaiyo", "Senior Data Analyst", None)
        );
    }

    #[test]
    fn a_lightly_edited_description_is_a_near_duplicate_and_another_job_is_not() {
        let base = "We are looking for a data analyst to build dashboards, model our sales data in SQL and dbt, and work with the finance team on monthly reporting. You will own the metrics layer and help teams answer their own questions. Experience with Python and a BI tool is a plus.";
        let edited = base.replace("monthly reporting", "monthly and quarterly reporting");
        let other = "We are hiring a backend engineer to design APIs in Rust, run PostgreSQL in production and keep our queues fast. You will be on call one week in six and mentor two junior engineers.";
        assert!(near_duplicate(fingerprint(base), fingerprint(&edited)));
        assert!(!near_duplicate(fingerprint(base), fingerprint(other)));
        assert!(
            !near_duplicate(fingerprint(""), fingerprint("")),
            "empty texts say nothing"
        );
    }
}
