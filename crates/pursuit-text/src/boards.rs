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
//! A body that is not JSON, or JSON of another shape, is a [`BoardError`] naming what was
//! wrong; a posting without an id, a title or a URL is left out and counted.
//!
//! The dedup keys live here too: [`canonical_url`], [`listing_key`] (company, title and
//! place normalised) and [`fingerprint`] / [`near_duplicate`] for descriptions that differ
//! only in small edits.

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

/// Plain text from a board's HTML (lines kept), the entities of an escaped body decoded
/// first (Greenhouse sends `&lt;p&gt;`).
fn plain(html_text: &str) -> String {
    let unescaped = if html_text.contains("&lt;") {
        html::decode(html_text)
    } else {
        html_text.to_owned()
    };
    html::text(&unescaped)
}

fn remote_of(text: &str) -> Option<&'static str> {
    let t = text.to_lowercase();
    if t.contains("hybrid") {
        Some("hybrid")
    } else if t.contains("remote") {
        Some("remote")
    } else if t.contains("on-site") || t.contains("onsite") || t.contains("in office") {
        Some("onsite")
    } else {
        None
    }
}

fn employment_of(text: &str) -> Option<&'static str> {
    let t: String = text
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    if t.contains("intern") {
        Some("internship")
    } else if t.contains("parttime") {
        Some("part_time")
    } else if t.contains("contract") || t.contains("freelance") {
        Some("contract")
    } else if t.contains("temporary") || t.contains("temp") {
        Some("temporary")
    } else if t.contains("fulltime") || t.contains("permanent") {
        Some("full_time")
    } else {
        None
    }
}

/// A Greenhouse board's `jobs` list (`company` is the board's name as the user knows it).
pub fn greenhouse(body: &str, company: &str) -> Result<Read, BoardError> {
    let value = parse(body)?;
    let jobs = value
        .get("jobs")
        .and_then(Value::as_array)
        .ok_or_else(|| BoardError::Shape("no `jobs` list".to_owned()))?;
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
        let description = job["content"].as_str().map(plain).unwrap_or_default();
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
        let mut description = text(&p["descriptionPlain"])
            .or_else(|| p["description"].as_str().map(plain))
            .unwrap_or_default();
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

/// Words a company's name may end with that do not tell companies apart.
const COMPANY_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "bv",
    "nv",
    "plc",
    "corp",
    "corporation",
    "co",
    "company",
    "srl",
    "spa",
    "oy",
    "ab",
    "as",
    "pty",
];

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Company, title and place normalised into one key: the same job listed by two boards
/// (or twice by one) has the same key. Company suffixes (Inc, GmbH, …), punctuation and
/// case do not count; "Sr." is "senior"; a place that says remote anywhere is `remote`; the
/// place is its first part ("Berlin, Germany" → "berlin").
pub fn listing_key(company: &str, title: &str, location: Option<&str>) -> String {
    let mut company = words(company);
    while company
        .last()
        .is_some_and(|w| COMPANY_SUFFIXES.contains(&w.as_str()))
        && company.len() > 1
    {
        company.pop();
    }
    let title: Vec<String> = words(title)
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
    let place = match location {
        Some(l) if l.to_lowercase().contains("remote") => "remote".to_owned(),
        Some(l) => words(l.split([',', '(', '/', '|', ';']).next().unwrap_or(l)).join(" "),
        None => String::new(),
    };
    format!("{}|{}|{place}", company.join(" "), title.join(" "))
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
