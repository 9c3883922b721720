//! What a search asks: its sources, each with the requests a run sends it (query sources
//! rotate their queries by day) and how its answer is read.

use jiff::Timestamp;
use pursuit_store::discovery::SearchRow;
use pursuit_text::boards::{self, BoardError, Listing, Read};
use url::Url;

use super::{Settings, words};

/// The boards anyone may read without a key.
pub const OPEN_SOURCES: [&str; 4] = ["remotive", "remoteok", "himalayas", "weworkremotely"];

/// The employers' board systems a company list may name.
pub const BOARD_KINDS: [&str; 3] = ["greenhouse", "lever", "ashby"];

/// One source of a search, as a run asks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// As the user chose it (`remotive`, `greenhouse:acme`, a link): the run's record.
    pub name: String,
    /// The adapter that reads its answers.
    pub kind: Kind,
    /// What its listings are recorded as read from (`greenhouse:acme`, `link:<url>`).
    pub feed: String,
    /// The requests to send: (URL, the URL as recorded — keys left out).
    pub requests: Vec<(String, String)>,
    /// Whether an answer is the board's whole list (an employer's own board): a listing it
    /// no longer has is gone.
    pub full: bool,
    /// Whether validators are kept for conditional requests (not for keyed APIs).
    pub conditional: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Remotive,
    RemoteOk,
    Himalayas,
    WeWorkRemotely,
    SerpApi,
    Adzuna,
    /// An employer's board; the company's name as the user sees it.
    Greenhouse(String),
    Lever(String),
    Ashby(String),
    /// A feed or a job page (robots.txt is asked first).
    Link,
}

impl Kind {
    pub fn accept(&self) -> &'static str {
        match self {
            Kind::WeWorkRemotely => "application/rss+xml, application/xml;q=0.9, */*;q=0.5",
            Kind::Link => "application/rss+xml, application/atom+xml, text/html;q=0.9, */*;q=0.5",
            _ => "application/json",
        }
    }

    /// Reads an answer into listings.
    pub fn read(&self, body: &str, url: &str) -> Result<Read, BoardError> {
        match self {
            Kind::Remotive => boards::remotive(body),
            Kind::RemoteOk => boards::remoteok(body),
            Kind::Himalayas => boards::himalayas(body),
            Kind::WeWorkRemotely => boards::feed(body, "weworkremotely", ""),
            Kind::SerpApi => boards::serpapi(body),
            Kind::Adzuna => boards::adzuna(body),
            Kind::Greenhouse(company) => boards::greenhouse(body, company),
            Kind::Lever(company) => boards::lever(body, company),
            Kind::Ashby(company) => boards::ashby(body, company),
            Kind::Link => {
                let start = body.trim_start_matches('\u{feff}').trim_start();
                let company = host_name(url);
                if start.starts_with("<?xml")
                    || start.starts_with("<rss")
                    || start.starts_with("<feed")
                {
                    boards::feed(body, "rss", &company)
                } else if start.starts_with('<') {
                    Ok(Read {
                        listings: boards::json_ld(body, url).into_iter().collect(),
                        skipped: 0,
                    })
                } else {
                    Err(BoardError::Shape(
                        "neither a feed (RSS, Atom) nor a web page".to_owned(),
                    ))
                }
            }
        }
    }
}

/// "https://www.acme.example/jobs" → "acme.example".
fn host_name(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_owned())
        })
        .unwrap_or_default()
}

/// An employer's board as the user names it — `greenhouse:acme`, or its page
/// (`https://boards.greenhouse.io/acme`, `https://jobs.lever.co/acme`,
/// `https://jobs.ashbyhq.com/acme`) — as `kind:token`.
pub fn board(text: &str) -> Result<String, String> {
    let text = text.trim();
    let (kind, token) = if let Ok(url) = Url::parse(text)
        && matches!(url.scheme(), "http" | "https")
    {
        let host = url.host_str().unwrap_or_default().to_lowercase();
        let first = url
            .path_segments()
            .and_then(|mut s| s.next())
            .unwrap_or_default()
            .to_owned();
        let kind = if host.ends_with("greenhouse.io") {
            "greenhouse"
        } else if host.ends_with("lever.co") {
            "lever"
        } else if host.ends_with("ashbyhq.com") {
            "ashby"
        } else {
            return Err(format!(
                "{host} is not a Greenhouse, Lever or Ashby job board; add its feed or job pages as links instead"
            ));
        };
        // Greenhouse's embed URL names the board in a parameter.
        let token = url
            .query_pairs()
            .find(|(k, _)| k == "for")
            .map(|(_, v)| v.into_owned())
            .filter(|_| kind == "greenhouse")
            .unwrap_or(first);
        (kind.to_owned(), token)
    } else if let Some((kind, token)) = text.split_once(':') {
        (kind.trim().to_lowercase(), token.trim().to_owned())
    } else {
        return Err(
            "name a board as greenhouse:<board>, lever:<company> or ashby:<board>, or paste its page's address"
                .to_owned(),
        );
    };
    if !BOARD_KINDS.contains(&kind.as_str()) {
        return Err(format!(
            "{kind} is not a board Pursuit reads; it reads greenhouse, lever and ashby"
        ));
    }
    let valid = !token.is_empty()
        && token.len() <= 100
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Err(format!(
            "{token:?} is not a board name (letters, digits, - _ .)"
        ));
    }
    Ok(format!("{kind}:{token}"))
}

/// "acme-robotics" → "Acme Robotics": the company's name until a listing says better.
fn company_of(token: &str) -> String {
    token
        .split(['-', '_', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().collect::<String>() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    match Url::parse(base) {
        Ok(mut url) => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in pairs {
                    q.append_pair(k, v);
                }
            }
            url.to_string()
        }
        Err(_) => base.to_owned(),
    }
}

/// The queries of the day: `per_day` of `all`, the next ones each day, round the list.
pub fn of_the_day<T: Clone>(all: &[T], per_day: usize, now: Timestamp) -> Vec<T> {
    if all.len() <= per_day.max(1) {
        return all.to_vec();
    }
    let day = usize::try_from(now.as_second().div_euclid(86_400)).unwrap_or(0);
    let per_day = per_day.max(1);
    let start = day.wrapping_mul(per_day) % all.len();
    (0..per_day)
        .map(|i| all[(start + i) % all.len()].clone())
        .collect()
}

/// The sources of a search, with the requests of a run at `now`.
pub fn of(search: &SearchRow, settings: &Settings, now: Timestamp) -> Vec<Source> {
    let urls = &settings.urls;
    let titles: Vec<String> = if search.titles.is_empty() {
        vec![String::new()]
    } else {
        search.titles.clone()
    };
    let places: Vec<String> = search
        .locations
        .iter()
        .filter(|l| !l.eq_ignore_ascii_case("remote"))
        .cloned()
        .collect();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for title in &titles {
        if places.is_empty() {
            pairs.push((title.clone(), String::new()));
        }
        for place in &places {
            pairs.push((title.clone(), place.clone()));
        }
    }
    let per_day = settings.queries_per_day;
    let mut out = Vec::new();
    let simple = |name: &str, kind: Kind, url: String| Source {
        name: name.to_owned(),
        kind,
        feed: name.to_owned(),
        requests: vec![(url.clone(), url)],
        full: false,
        conditional: true,
    };
    for name in &search.sources {
        match name.as_str() {
            "remotive" => {
                let requests = of_the_day(&titles, per_day, now)
                    .into_iter()
                    .map(|title| {
                        let url = if title.is_empty() {
                            urls.remotive.clone()
                        } else {
                            with_query(&urls.remotive, &[("search", &title)])
                        };
                        (url.clone(), url)
                    })
                    .collect();
                out.push(Source {
                    requests,
                    ..simple(name, Kind::Remotive, String::new())
                });
            }
            "remoteok" => out.push(simple(name, Kind::RemoteOk, urls.remoteok.clone())),
            "himalayas" => out.push(simple(
                name,
                Kind::Himalayas,
                with_query(&urls.himalayas, &[("limit", "100")]),
            )),
            "weworkremotely" => out.push(simple(
                name,
                Kind::WeWorkRemotely,
                urls.weworkremotely.clone(),
            )),
            "serpapi" => {
                let Some(key) = &settings.serpapi_key else {
                    continue;
                };
                let requests = of_the_day(&pairs, per_day, now)
                    .into_iter()
                    .map(|(title, place)| {
                        let mut query = vec![("engine", "google_jobs"), ("q", title.as_str())];
                        if title.is_empty() {
                            query[1].1 = "jobs";
                        }
                        if !place.is_empty() {
                            query.push(("location", place.as_str()));
                        }
                        let shown = with_query(&urls.serpapi, &query);
                        query.push(("api_key", key.as_str()));
                        (with_query(&urls.serpapi, &query), shown)
                    })
                    .collect();
                out.push(Source {
                    requests,
                    conditional: false,
                    ..simple(name, Kind::SerpApi, String::new())
                });
            }
            "adzuna" => {
                let Some((app_id, app_key)) = &settings.adzuna_keys else {
                    continue;
                };
                let base = format!(
                    "{}/{}/search/1",
                    urls.adzuna.trim_end_matches('/'),
                    settings.adzuna_country
                );
                let requests = of_the_day(&pairs, per_day, now)
                    .into_iter()
                    .map(|(title, place)| {
                        let mut query = vec![("results_per_page", "50")];
                        if !title.is_empty() {
                            query.push(("what", title.as_str()));
                        }
                        if !place.is_empty() {
                            query.push(("where", place.as_str()));
                        }
                        let shown = with_query(&base, &query);
                        query.push(("app_id", app_id.as_str()));
                        query.push(("app_key", app_key.as_str()));
                        (with_query(&base, &query), shown)
                    })
                    .collect();
                out.push(Source {
                    requests,
                    conditional: false,
                    ..simple(name, Kind::Adzuna, String::new())
                });
            }
            _ => {}
        }
    }
    for board in &search.boards {
        let Some((kind, token)) = board.split_once(':') else {
            continue;
        };
        let company = company_of(token);
        let (kind, url) = match kind {
            "greenhouse" => (
                Kind::Greenhouse(company),
                format!(
                    "{}/{token}/jobs?content=true",
                    urls.greenhouse.trim_end_matches('/')
                ),
            ),
            "lever" => (
                Kind::Lever(company),
                format!("{}/{token}?mode=json", urls.lever.trim_end_matches('/')),
            ),
            "ashby" => (
                Kind::Ashby(company),
                format!(
                    "{}/{token}?includeCompensation=true",
                    urls.ashby.trim_end_matches('/')
                ),
            ),
            _ => continue,
        };
        out.push(Source {
            full: true,
            ..simple(board, kind, url)
        });
    }
    for link in &search.links {
        out.push(Source {
            feed: format!("link:{link}"),
            ..simple(link, Kind::Link, link.clone())
        });
    }
    out
}

/// Whether a listing is one the search asks for: a title that has every word of one of
/// its titles, a place among its places (a remote job open where the user is counts,
/// unless remote jobs are excluded), and the remote rule.
pub fn wanted(search: &SearchRow, listing: &Listing) -> bool {
    let remote = listing.remote == Some("remote");
    match search.remote.as_str() {
        "only" if !remote => return false,
        "exclude" if remote => return false,
        _ => {}
    }
    if !search.titles.is_empty() {
        let title = words(&listing.title);
        let has = |term: &String| words(term).iter().all(|w| title.contains(w));
        if !search.titles.iter().any(has) {
            return false;
        }
    }
    if !search.locations.is_empty() {
        let place = words(listing.location.as_deref().unwrap_or_default());
        let here = |term: &String| {
            let term = words(term);
            !term.is_empty() && term.iter().all(|w| place.contains(w))
        };
        let wants_remote = search
            .locations
            .iter()
            .any(|l| l.eq_ignore_ascii_case("remote"));
        // A remote job with no place, or open worldwide, can be done from anywhere.
        let anywhere = remote
            && (place.is_empty()
                || ["anywhere", "worldwide", "global", "remote"]
                    .iter()
                    .any(|w| place.iter().any(|p| p == w)));
        let placed = search.locations.iter().any(here)
            || (remote && (wants_remote || (anywhere && search.remote != "exclude")));
        if !placed {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(titles: &[&str], locations: &[&str], remote: &str) -> SearchRow {
        SearchRow {
            id: Default::default(),
            user_id: Default::default(),
            name: "s".to_owned(),
            titles: titles.iter().map(|s| (*s).to_owned()).collect(),
            locations: locations.iter().map(|s| (*s).to_owned()).collect(),
            remote: remote.to_owned(),
            sources: vec!["remotive".to_owned(), "serpapi".to_owned()],
            boards: vec!["greenhouse:acme-robotics".to_owned()],
            links: vec!["https://jobs.example/feed.xml".to_owned()],
            enabled: true,
            email_digest: false,
            last_run_at: None,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    fn listing(title: &str, location: Option<&str>, remote: Option<&'static str>) -> Listing {
        Listing {
            source: "remotive",
            source_id: "1".to_owned(),
            url: "https://x.example/1".to_owned(),
            title: title.to_owned(),
            company: "X".to_owned(),
            location: location.map(str::to_owned),
            remote,
            employment_type: None,
            description: String::new(),
            posted_at: None,
        }
    }

    #[test]
    fn boards_are_named_by_page_or_by_kind() {
        assert_eq!(
            board("https://boards.greenhouse.io/acme").unwrap(),
            "greenhouse:acme"
        );
        assert_eq!(
            board("https://boards.greenhouse.io/embed/job_board?for=acme").unwrap(),
            "greenhouse:acme"
        );
        assert_eq!(
            board("https://jobs.lever.co/leverdemo/").unwrap(),
            "lever:leverdemo"
        );
        assert_eq!(
            board("https://jobs.ashbyhq.com/Ashby").unwrap(),
            "ashby:Ashby"
        );
        assert_eq!(board(" Lever : acme ").unwrap(), "lever:acme");
        assert!(
            board("https://careers.acme.example/jobs")
                .unwrap_err()
                .contains("not a Greenhouse")
        );
        assert!(
            board("workday:acme")
                .unwrap_err()
                .contains("not a board Pursuit reads")
        );
        assert!(board("greenhouse:acme/../x").is_err());
        assert!(board("acme").is_err());
    }

    #[test]
    fn a_search_keeps_what_it_asks_for() {
        let s = search(&["data engineer"], &["Berlin"], "any");
        assert!(wanted(
            &s,
            &listing("Senior Data Engineer", Some("Berlin, Germany"), None)
        ));
        assert!(!wanted(&s, &listing("Data Analyst", Some("Berlin"), None)));
        assert!(!wanted(&s, &listing("Data Engineer", Some("Munich"), None)));
        assert!(
            wanted(
                &s,
                &listing("Data Engineer", Some("Worldwide"), Some("remote"))
            ),
            "a job done from anywhere is done from Berlin"
        );
        assert!(!wanted(
            &s,
            &listing("Data Engineer", Some("USA only"), Some("remote"))
        ));
        let only = search(&[], &[], "only");
        assert!(!wanted(
            &only,
            &listing("Anything", Some("Berlin"), Some("onsite"))
        ));
        assert!(wanted(&only, &listing("Anything", None, Some("remote"))));
        let exclude = search(&["c++"], &[], "exclude");
        assert!(wanted(&exclude, &listing("C++ Developer", None, None)));
        assert!(!wanted(
            &exclude,
            &listing("C++ Developer", None, Some("remote"))
        ));
        assert!(!wanted(&exclude, &listing("C Developer", None, None)));
    }

    #[test]
    fn queries_rotate_by_day_and_keys_stay_out_of_the_record() {
        let all = [1, 2, 3, 4, 5];
        let day = |d: i64| Timestamp::from_second(d * 86_400).unwrap();
        assert_eq!(of_the_day(&all, 2, day(0)), [1, 2]);
        assert_eq!(of_the_day(&all, 2, day(1)), [3, 4]);
        assert_eq!(of_the_day(&all, 2, day(2)), [5, 1]);
        assert_eq!(of_the_day(&all[..2], 3, day(7)), [1, 2]);
        let settings = Settings {
            serpapi_key: Some("s3cret".to_owned()),
            ..Settings::default()
        };
        let sources = of(
            &search(&["a", "b"], &["Lisbon", "Porto"], "any"),
            &settings,
            day(0),
        );
        let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "remotive",
                "serpapi",
                "greenhouse:acme-robotics",
                "https://jobs.example/feed.xml"
            ]
        );
        let serp = &sources[1];
        assert_eq!(serp.requests.len(), 3, "three of the four queries a day");
        assert!(
            serp.requests
                .iter()
                .all(|(url, shown)| url.contains("api_key=s3cret") && !shown.contains("s3cret"))
        );
        assert!(
            sources[2].full
                && sources[2].requests[0]
                    .0
                    .ends_with("/acme-robotics/jobs?content=true")
        );
        assert_eq!(
            sources[2].kind,
            Kind::Greenhouse("Acme Robotics".to_owned())
        );
        assert_eq!(sources[3].feed, "link:https://jobs.example/feed.xml");
    }
}
