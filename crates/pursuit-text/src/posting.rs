//! Job postings read into fields: from a page's schema.org `JobPosting` JSON-LD when it
//! has one, else from the readable text (sections by their headings, then the lines under
//! them). Pure and offline; the same input always gives the same fields.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::salary::{self, Salary};
use crate::{html, lang, skills};

/// A posting, read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Posting {
    pub title: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    /// `remote`, `hybrid` or `onsite`.
    pub remote_type: Option<String>,
    pub salary: Option<Salary>,
    /// `full_time`, `part_time`, `contract`, `temporary`, `internship`.
    pub employment_type: Option<String>,
    /// `intern`, `entry`, `mid`, `senior`, `lead`, `manager`, `director`, `executive`.
    pub seniority: Option<String>,
    pub years_experience: Option<Years>,
    pub responsibilities: Vec<String>,
    pub requirements: Requirements,
    pub skills: Skills,
    pub benefits: Vec<String>,
    /// ISO 639-1 code of the posting's language.
    pub jd_lang: Option<String>,
    pub date_posted: Option<String>,
    pub valid_through: Option<String>,
    /// The readable text the fields were read from.
    pub description: String,
    /// `json-ld` when the page's structured data gave the fields, else `text`.
    pub extracted_from: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Years {
    pub min: u32,
    pub max: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Requirements {
    pub required: Vec<String>,
    /// "Nice to have", "preferred", "a plus".
    pub preferred: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Skills {
    pub required: Vec<SkillRef>,
    pub preferred: Vec<SkillRef>,
    /// Named elsewhere in the posting (the role, the responsibilities).
    pub mentioned: Vec<SkillRef>,
}

/// A vocabulary skill and the posting line that asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillRef {
    pub id: String,
    pub name: String,
    pub evidence: String,
}

/// What came in.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Html(&'a str),
    Text(&'a str),
}

/// Reads a posting.
pub fn parse(input: Input<'_>) -> Posting {
    match input {
        Input::Text(text) => from_text(&normalize(text), None, None),
        Input::Html(page) => {
            let page = html::read(page);
            match page.json_ld.iter().find_map(job_posting) {
                Some(ld) => from_json_ld(ld, &page),
                None => from_text(&page.text, Some(&page), None),
            }
        }
    }
}

/// A posting whose title the caller knows (a job board's title field, a JSONL line's
/// `title`): that title wins over whatever the text suggests, and the text need not repeat
/// it. Its level counts as the posting's.
pub fn parse_titled(input: Input<'_>, title: Option<&str>) -> Posting {
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    let Some(title) = title else {
        return parse(input);
    };
    match input {
        Input::Text(text) => from_text(&normalize(text), None, Some(title)),
        Input::Html(_) => {
            let mut posting = parse(input);
            posting.give_title(title);
            posting
        }
    }
}

impl Posting {
    /// The title the caller knows, over the one the text suggested; its level counts.
    pub fn give_title(&mut self, title: &str) {
        if self.title.as_deref() != Some(title) {
            self.title = Some(title.to_owned());
            self.seniority = seniority_of_title(title)
                .map(str::to_owned)
                .or(self.seniority.take());
        }
    }
}

/// Pasted text: HTML if it looks like it, CRLF to LF, tabs to spaces.
fn normalize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace(['\r', '\t'], " ");
    let lower = text.to_ascii_lowercase();
    let looks_html = ["</p>", "<br", "</li>", "</div>"]
        .iter()
        .any(|t| lower.contains(t));
    if looks_html { html::text(&text) } else { text }
}

/// The first `JobPosting` object of a JSON-LD block (top level, in an array, or in `@graph`).
pub(crate) fn job_posting(value: &Value) -> Option<&Value> {
    match value {
        Value::Array(items) => items.iter().find_map(job_posting),
        Value::Object(map) => {
            let is_posting = match map.get("@type") {
                Some(Value::String(t)) => t == "JobPosting",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "JobPosting"),
                _ => false,
            };
            if is_posting {
                Some(value)
            } else {
                map.get("@graph").and_then(job_posting)
            }
        }
        _ => None,
    }
}

fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(html::decode(s).trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items.iter().find_map(|v| string(Some(v))),
        Value::Object(map) => string(map.get("name")),
        _ => None,
    }
}

fn from_json_ld(ld: &Value, page: &html::Page) -> Posting {
    let description = ld
        .get("description")
        .and_then(Value::as_str)
        .map(|d| html::text(&html::decode(d)));
    let text = description
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| page.text.clone());
    let mut posting = from_text(&text, Some(page), None);
    posting.extracted_from = "json-ld".into();
    posting.title = string(ld.get("title")).or(posting.title);
    posting.company = string(ld.get("hiringOrganization")).or(posting.company);
    if let Some(location) = json_ld_location(ld.get("jobLocation")) {
        posting.location = Some(location);
    }
    let location_type = string(ld.get("jobLocationType")).unwrap_or_default();
    if location_type.eq_ignore_ascii_case("TELECOMMUTE") {
        posting.remote_type = Some("remote".into());
    }
    if let Some(salary) = json_ld_salary(ld.get("baseSalary")) {
        posting.salary = Some(salary);
    }
    if let Some(kind) = string(ld.get("employmentType")).and_then(|t| employment_type(&t)) {
        posting.employment_type = Some(kind.into());
    }
    posting.date_posted = string(ld.get("datePosted"));
    posting.valid_through = string(ld.get("validThrough"));
    if let Some(title) = &posting.title {
        posting.seniority = seniority_of_title(title)
            .map(str::to_owned)
            .or(posting.seniority);
    }
    posting
}

fn json_ld_location(value: Option<&Value>) -> Option<String> {
    let value = value?;
    if let Value::Array(items) = value {
        let all: Vec<String> = items
            .iter()
            .filter_map(|v| json_ld_location(Some(v)))
            .collect();
        return (!all.is_empty()).then(|| all.join("; "));
    }
    let address = value.get("address").unwrap_or(value);
    if let Value::String(s) = address {
        return Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    }
    let parts: Vec<String> = ["addressLocality", "addressRegion", "addressCountry"]
        .iter()
        .filter_map(|k| string(address.get(*k)))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn json_ld_salary(value: Option<&Value>) -> Option<Salary> {
    let value = value?;
    let currency = string(value.get("currency"));
    let amount = value.get("value").unwrap_or(value);
    let number = |k: &str| {
        amount.get(k).and_then(|v| {
            v.as_f64()
                .or_else(|| v.as_str()?.replace(',', "").parse().ok())
        })
    };
    let (min, max) = match (number("minValue"), number("maxValue"), number("value")) {
        (Some(lo), hi, _) => (lo, hi),
        (None, Some(hi), _) => (hi, None),
        (None, None, Some(v)) => (v, None),
        _ => (amount.as_f64()?, None),
    };
    let unit = string(amount.get("unitText")).or_else(|| string(value.get("unitText")));
    let period = unit
        .map(|u| u.to_lowercase())
        .and_then(|u| match u.as_str() {
            "hour" | "day" | "week" | "month" | "year" => Some(u),
            _ => None,
        });
    Some(Salary {
        min: Some(min.round() as u64),
        max: max.map(|m| m.round() as u64),
        currency,
        period_stated: period.is_some(),
        period,
        ote: false,
        text: String::new(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Intro,
    Responsibilities,
    Required,
    Preferred,
    Benefits,
    Other,
}

/// Which section a heading opens, if the line is a heading.
fn heading(line: &str) -> Option<Section> {
    let bare = line
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_matches('*')
        .trim()
        .trim_end_matches(':')
        .trim();
    // Long lines first, before anything is copied: a posting given as one block of text
    // is one long line.
    if bare.is_empty() || bare.chars().nth(70).is_some() || bare.starts_with(['•', '-', '*', '·'])
    {
        return None;
    }
    let lower = bare.to_lowercase();
    let marked = line.trim_end().ends_with(':') || line.starts_with('#') || line.starts_with("**");
    if !marked && lower.split_whitespace().count() > 6 {
        return None;
    }
    // A full sentence is not a heading, whatever words it holds; nor is an item of a list
    // ("Presentation skills;"), nor a line starting in lower case without a colon or a
    // heading's mark ("unity3d c# user-experience").
    if bare.ends_with(['.', ';', ','])
        || (!marked && bare.chars().next().is_some_and(char::is_lowercase))
    {
        return None;
    }
    // A heading names a part of the posting; a line that ends leading into more words
    // is the start of an item ("Experience with networking concepts including: routing,
    // VPNs…", "Knowledge of:").
    let last = lower
        .rsplit(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or_default();
    // ("What we're looking for" ends in a word that leads on too, but as a question.)
    if matches!(
        last,
        "including"
            | "like"
            | "such"
            | "as"
            | "following"
            | "incl"
            | "with"
            | "of"
            | "in"
            | "the"
            | "a"
            | "an"
            | "and"
            | "or"
            | "to"
    ) {
        return None;
    }
    const PREFERRED: &[&str] = &[
        "nice to have",
        "nice-to-have",
        "preferred",
        "bonus",
        "pluses",
        "a plus",
        "desirable",
        "good to have",
        "wünschenswert",
        "von vorteil",
        "ميزة إضافية",
    ];
    const REQUIRED: &[&str] = &[
        "requirement",
        "qualification",
        "what you bring",
        "what you'll bring",
        "what you will bring",
        "you have",
        "you bring",
        "about you",
        "who you are",
        "must have",
        "must-have",
        "what we're looking for",
        "what we are looking for",
        "what we look for",
        "your profile",
        "profile",
        "skills",
        "experience",
        "your background",
        "dein profil",
        "ihr profil",
        "anforderungen",
        "المتطلبات",
        "المؤهلات",
        "profil",
    ];
    const RESPONSIBILITIES: &[&str] = &[
        "responsibilit",
        "what you'll do",
        "what you will do",
        "what you’ll do",
        "the role",
        "your role",
        "duties",
        "day to day",
        "day-to-day",
        "your impact",
        "in this role",
        "you will",
        "the job",
        "job description",
        "role description",
        "your mission",
        "aufgaben",
        "deine aufgaben",
        "المسؤوليات",
        "المهام",
        "tasks",
    ];
    const BENEFITS: &[&str] = &[
        "benefit",
        "perks",
        "what we offer",
        "we offer",
        "why join",
        "why you'll love",
        "wir bieten",
        "المزايا",
        "what's in it for you",
    ];
    const OTHER: &[&str] = &[
        "about us",
        "about the company",
        "who we are",
        "our company",
        "how to apply",
        "equal opportunity",
        "about the team",
        "company",
    ];
    // A heading word starts a word of the line: "experience" is not in "user-experience".
    let has = |words: &[&str]| {
        words.iter().any(|w| {
            lower.match_indices(w).any(|(at, _)| {
                lower[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '-')
            })
        })
    };
    if has(PREFERRED) {
        Some(Section::Preferred)
    } else if has(BENEFITS) {
        Some(Section::Benefits)
    } else if has(RESPONSIBILITIES) {
        Some(Section::Responsibilities)
    } else if has(REQUIRED) {
        Some(Section::Required)
    } else if has(OTHER) || lower.starts_with("about ") {
        Some(Section::Other)
    } else {
        None
    }
}

/// Labels of a line that states the pay.
const PAY_LABELS: &[&str] = &[
    "salary",
    "salary range",
    "base salary",
    "pay",
    "pay range",
    "base pay",
    "compensation",
    "gehalt",
    "salaire",
    "salario",
    "الراتب",
];

/// A line without its bullet or list number.
pub(crate) fn item(line: &str) -> &str {
    let t = line
        .trim()
        .trim_start_matches([
            '•', '*', '-', '–', '·', '▪', '◦', '●', '○', '■', '►', '✓', '✔',
        ])
        .trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 2 && t[digits..].starts_with(['.', ')']) {
        return t[digits + 1..].trim_start();
    }
    t
}

/// Verbs a sentence that says what the job does starts with ("Manage the ledger").
const DUTY_VERBS: &[&str] = &[
    "administer",
    "advise",
    "analyse",
    "analyze",
    "assess",
    "assist",
    "audit",
    "build",
    "coach",
    "collaborate",
    "communicate",
    "conduct",
    "coordinate",
    "create",
    "define",
    "deliver",
    "deploy",
    "design",
    "develop",
    "diagnose",
    "drive",
    "ensure",
    "establish",
    "evaluate",
    "execute",
    "facilitate",
    "generate",
    "grow",
    "handle",
    "help",
    "identify",
    "implement",
    "improve",
    "inspect",
    "install",
    "lead",
    "maintain",
    "manage",
    "mentor",
    "monitor",
    "negotiate",
    "operate",
    "optimize",
    "optimise",
    "organize",
    "organise",
    "own",
    "oversee",
    "partner",
    "perform",
    "plan",
    "prepare",
    "present",
    "process",
    "produce",
    "promote",
    "provide",
    "recruit",
    "repair",
    "report",
    "represent",
    "research",
    "resolve",
    "review",
    "run",
    "schedule",
    "sell",
    "serve",
    "set",
    "shape",
    "support",
    "teach",
    "test",
    "track",
    "train",
    "translate",
    "work",
    "write",
];

/// Whether a sentence says what the job does: it starts with what someone in it does
/// ("Manage the ledger", "You will own…", "Responsible for…").
fn is_duty(lower: &str) -> bool {
    const OPENERS: &[&str] = &[
        "you will ",
        "you'll ",
        "you’ll ",
        "responsible for ",
        "responsibilities include",
        "in this role",
        "the role ",
        "your day",
    ];
    if OPENERS.iter().any(|o| lower.starts_with(o)) {
        return true;
    }
    is_duty_verb(first_word(lower))
}

/// Whether a sentence opens with a verb O*NET's task statements open with ("Customize and
/// maintain tools…", "Represent the customer…"): a wider net than [`is_duty`], and one
/// that also holds words that open requirements as nouns ("Program management
/// experience", "Order of magnitude"), so it is asked only of a line that asks nothing.
fn opens_with_task_verb(lower: &str) -> bool {
    static VERBS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| {
            include_str!("../data/task_verbs.txt")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .collect()
        });
    verb_forms(first_word(lower)).any(|verb| VERBS.contains(verb))
}

/// "manage", "manages", "oversees" (lower case).
fn is_duty_verb(word: &str) -> bool {
    verb_forms(word).any(|verb| DUTY_VERBS.contains(&verb))
}

/// The verb a word (lower case) may be: itself, or without a third person's "s"/"es".
fn verb_forms(word: &str) -> impl Iterator<Item = &str> {
    [Some(word), word.strip_suffix('s'), word.strip_suffix("es")]
        .into_iter()
        .flatten()
}

/// A line's first word: its letters up to the first other character.
fn first_word(lower: &str) -> &str {
    lower
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or_default()
}

/// Words a requirement starts with ("Ability to travel", "Bachelor's degree…", "BA/BS in…",
/// "Strong SQL").
const REQUIREMENT_OPENERS: &[&str] = &[
    "ability",
    "ba",
    "bachelor",
    "bs",
    "demonstrated",
    "excellent",
    "experience",
    "familiarity",
    "fluency",
    "fluent",
    "knowledge",
    "master",
    "phd",
    "proficiency",
    "proficient",
    "proven",
    "strong",
];

/// Whether a line (lower case) asks something of the candidate: "Experience with…",
/// "Knowledge of…", "MS or PhD in…", "Must be…". A line that only praises a quality
/// ("Excellent communication skills") is not asked here: in a text without headings it
/// is left to the description, as reading it into the requirements makes every posting
/// ask for the same few qualities (measured: the quality bench's flat rows).
fn asks_for(lower: &str) -> bool {
    const ASKS: &[&str] = &[
        "experience",
        "knowledge of",
        "proficien",
        "familiar",
        "degree",
        "must ",
        "required",
        "ability to",
        "skills in",
        "understanding of",
        "expertise",
    ];
    let first = first_word(lower);
    ASKS.iter().any(|w| lower.contains(w))
        || crate::resume::DEGREES
            .iter()
            .any(|(degree, _)| *degree == first && first != "associate")
}

/// Whether a flattened list item starts at the capital after `before` (the text of the
/// sentence so far): list items joined without their stops ("… manual investigations
/// Identify new patterns … actionable insights Bachelor's degree …", as job boards give
/// a bulleted description without its line breaks). The word there must open a duty or a
/// requirement, the word before it be a plain lower-case word and not a stop word (one
/// leads into a name: "with Experience Cloud", "an MBA", "you will Build"), and the
/// sentence so far hold three words or more.
fn item_starts(before: &str, next: &str) -> bool {
    if !next.starts_with(char::is_uppercase) {
        return false;
    }
    let mut words = before.split_whitespace().rev();
    let Some(last) = words.next() else {
        return false;
    };
    if words.nth(1).is_none()
        || !last.chars().all(|c| c.is_lowercase())
        || crate::matching::is_stop_word(last)
    {
        return false;
    }
    let word: String = next
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    is_duty_verb(&word) || REQUIREMENT_OPENERS.contains(&word.as_str())
}

/// A posting given as one block of text (a job board's description field) into lines: a
/// long line is cut into its sentences, and a heading run into the text ("… our team.
/// Minimum qualifications: BA/BS degree …") gets a line of its own, so the sections read
/// as if the text had kept its layout.
fn unflatten(text: &str) -> std::borrow::Cow<'_, str> {
    if text.lines().all(|l| l.chars().count() <= 200) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        if line.chars().count() <= 200 {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        for sentence in sentences(line) {
            for part in split_inline_headings(sentence) {
                out.push_str(part.trim());
                out.push('\n');
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A line's sentences: cut after `.`, `!`, `?` or `;` followed by a space and a capital
/// letter or digit, before a bullet sign, and where a list item run into the one before
/// starts ([`item_starts`]).
fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    for i in 0..chars.len() {
        let (at, c) = chars[i];
        if matches!(c, '•' | '●' | '▪' | '◦' | '■' | '►') && at > start {
            out.push(&line[start..at]);
            start = at;
            continue;
        }
        let ends = matches!(c, '.' | '!' | '?' | ';')
            && chars.get(i + 1).is_some_and(|(_, n)| *n == ' ')
            && chars
                .get(i + 2)
                .is_some_and(|(_, n)| n.is_uppercase() || n.is_ascii_digit());
        // "e.g. The" and "Sr. Engineer" are not ends: the word before the dot is short.
        let abbreviation = || {
            line[start..at]
                .rsplit(|c: char| !c.is_alphanumeric() && c != '.')
                .next()
                .is_some_and(|word| word.chars().count() <= 3)
        };
        if ends && (c != '.' || !abbreviation()) {
            out.push(&line[start..=at]);
            start = at + 1;
        } else if c == ' ' && item_starts(&line[start..at], &line[at + 1..]) {
            out.push(&line[start..at]);
            start = at + 1;
        }
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out.retain(|s| !s.trim().is_empty());
    out
}

/// "Minimum qualifications: BA/BS degree" → ["Minimum qualifications:", "BA/BS degree"];
/// anything before a heading run into a sentence stays a part of its own.
fn split_inline_headings(sentence: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = sentence;
    while let Some(colon) = rest.find(':') {
        let before = &rest[..colon];
        // The heading is the last one to five words before the colon, starting with a
        // capital letter.
        let starts: Vec<usize> = before
            .char_indices()
            .filter(|(i, c)| {
                c.is_uppercase()
                    && before[..*i]
                        .chars()
                        .next_back()
                        .is_none_or(char::is_whitespace)
            })
            .map(|(i, _)| i)
            .collect();
        let candidates: Vec<(usize, Section)> = starts
            .into_iter()
            .filter(|at| (1..=5).contains(&before[*at..].split_whitespace().count()))
            .filter_map(|at| heading(&format!("{}:", &before[at..])).map(|s| (at, s)))
            .collect();
        // The shortest run of words that opens the same section as the longest: "Join our
        // team Minimum qualifications:" is "Minimum qualifications:", while "Preferred
        // Qualifications:" keeps its first word.
        let found = candidates.first().and_then(|(_, section)| {
            candidates
                .iter()
                .rev()
                .find(|(_, s)| s == section)
                .map(|(at, _)| *at)
        });
        match found {
            Some(at) => {
                if !before[..at].trim().is_empty() {
                    out.push(&rest[..at]);
                }
                out.push(&rest[at..=colon]);
                rest = &rest[colon + 1..];
            }
            None => break,
        }
    }
    if !rest.trim().is_empty() {
        out.push(rest);
    }
    out
}

fn says_preferred(lower: &str) -> bool {
    [
        "preferred",
        "nice to have",
        "nice-to-have",
        "a plus",
        "is a bonus",
        "bonus points",
        "ideally",
        "desirable",
        "would be great",
        "von vorteil",
        "wünschenswert",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// `given`: the title the caller gave, if any.
fn from_text(text: &str, page: Option<&html::Page>, given: Option<&str>) -> Posting {
    // The description keeps the text's own paragraphs; the reading below works on its
    // sentences where a paragraph is long.
    let description = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let raw_lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    // The lines as written, apart from those `unflatten` cuts out of a block.
    let written: std::collections::HashSet<&str> = raw_lines.iter().map(|l| l.trim()).collect();
    let text = unflatten(text);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut posting = Posting {
        description,
        extracted_from: "text".into(),
        ..Posting::default()
    };
    let mut section = Section::Intro;
    let mut sectioned = false;
    let mut intro = Vec::new();
    let labelled = |label: &str, value: &str, posting: &mut Posting| match label {
        "title" | "job title" | "position" | "role" | "stelle" => {
            posting.title = Some(value.to_owned())
        }
        "company" | "employer" | "organization" | "organisation" | "unternehmen" | "الشركة" => {
            posting.company = Some(value.to_owned())
        }
        "location" | "locations" | "office" | "standort" | "ort" | "الموقع" => {
            posting.location = Some(value.to_owned())
        }
        _ => {}
    };
    // Each line's heading, read once: whether a line heads something depends on the next.
    let headings: Vec<Option<Section>> = lines.iter().map(|l| heading(l)).collect();
    for (at, line) in lines.iter().enumerate() {
        if let Some((label, value)) = line.split_once(':') {
            let label = label.trim().trim_matches('*').trim().to_lowercase();
            let value = value.trim().trim_matches('*').trim();
            // "Location: Berlin", not the rest of a paragraph after "Role:".
            if !value.is_empty()
                && value.chars().count() <= 90
                && label.split_whitespace().count() <= 2
            {
                labelled(&label, value, &mut posting);
                // "Salary: $150,000 – $180,000" is the pay (read from the whole text), not a
                // requirement or a duty of the section it stands in.
                if PAY_LABELS.contains(&label.as_str()) {
                    continue;
                }
            }
        }
        // A heading heads something: not the last line, nor one over another heading. A
        // sentence cut out of a block is one only with its colon ("Minimum
        // qualifications:"): "Experience in partnerships" is a requirement whose stop the
        // block lost.
        if let Some(next) = headings[at]
            && headings.get(at + 1).is_some_and(Option::is_none)
            && (line.ends_with(':') || written.contains(line))
        {
            section = next;
            sectioned = sectioned
                || matches!(
                    next,
                    Section::Required | Section::Preferred | Section::Responsibilities
                );
            continue;
        }
        let text = item(line).to_owned();
        if text.is_empty() {
            continue;
        }
        match section {
            Section::Intro => intro.push(text),
            Section::Responsibilities => posting.responsibilities.push(text),
            Section::Required => {
                if says_preferred(&text.to_lowercase()) {
                    posting.requirements.preferred.push(text);
                } else {
                    posting.requirements.required.push(text);
                }
            }
            Section::Preferred => posting.requirements.preferred.push(text),
            Section::Benefits => posting.benefits.push(text),
            Section::Other => {}
        }
    }
    if posting.company.is_none() {
        posting.company = page.and_then(|p| p.site_name.clone());
    }
    if let Some(title) = given {
        posting.title = Some(title.to_owned());
    }
    if posting.title.is_none() {
        posting.title = page.and_then(|p| p.title.clone()).or_else(|| {
            // A text that opens with a block (cut into its sentences above) has no
            // title line; its title, like that of a text whose first line is no title,
            // may have been put before the text with no line between.
            let opens_with_block = raw_lines.first().is_some_and(|l| l.chars().count() > 200);
            let line = (!opens_with_block).then(|| title_line(&lines)).flatten();
            line.or_else(|| lines.first().and_then(|l| run_in_title(l)))
        });
    }
    if let Some(title) = posting.title.clone().filter(|_| given.is_none())
        && let Some((role, company)) = split_at_company(&title)
    {
        posting.title = Some(role);
        // "Role | Site" names the site, which the page's own site name beats.
        posting.company = posting.company.or(Some(company));
    }
    if posting.company.is_none() {
        posting.company = company_from_text(&lines);
    }
    // The title's line is neither a duty nor a requirement ("Support Lead").
    let title = posting.title.clone();
    let is_title = |line: &str| Some(item(line).trim_matches('*').trim()) == title.as_deref();
    if sectioned && posting.responsibilities.is_empty() {
        // Headings for requirements but none for the work: the work is what the other
        // lines say the job does.
        let (duties, rest): (Vec<String>, Vec<String>) = intro.into_iter().partition(|l| {
            let lower = l.to_lowercase();
            !is_title(l) && (is_duty(&lower) || (!asks_for(&lower) && opens_with_task_verb(&lower)))
        });
        posting.responsibilities = duties;
        intro = rest;
    }
    if !sectioned {
        // No headings: duty-shaped and requirement-shaped lines anywhere (the title's line
        // is neither).
        for line in lines.iter().filter(|l| !is_title(l)) {
            let text = item(line);
            let lower = text.to_lowercase();
            if says_preferred(&lower) {
                posting.requirements.preferred.push(text.to_owned());
            } else if is_duty(&lower) {
                posting.responsibilities.push(text.to_owned());
            } else if asks_for(&lower) {
                posting.requirements.required.push(text.to_owned());
            } else if opens_with_task_verb(&lower) {
                posting.responsibilities.push(text.to_owned());
            }
        }
    }

    // Where the title stands among the first lines of a text given without one.
    let title_at = posting
        .title
        .as_ref()
        .filter(|_| given.is_none())
        .and_then(|title| {
            lines
                .iter()
                .take(3)
                .position(|l| item(l).trim_matches('*').trim() == title)
        });
    if posting.company.is_none()
        && let Some(at) = title_at
        && let Some((company, location)) = at
            .checked_sub(1)
            .and_then(|before| company_line(lines[before]))
            .or_else(|| lines.get(at + 1).and_then(|next| company_line(next)))
    {
        posting.company = Some(company);
        posting.location = posting.location.take().or(location);
    }
    // A city alone on the line above the title or on one of the two under it.
    if posting.location.is_none()
        && let Some(at) = title_at
    {
        posting.location = (at.saturating_sub(1)..(at + 3).min(lines.len()))
            .filter(|&i| i != at)
            .find_map(|i| city_line(lines[i]));
    }
    let lower = crate::lower_case(&posting.description);
    posting.remote_type = remote_type(&lower).map(str::to_owned);
    posting.employment_type = employment_type(&lower).map(str::to_owned);
    posting.salary = salary::find(&posting.description);
    let asked: Vec<&String> = if posting.requirements.required.is_empty() {
        intro.iter().collect()
    } else {
        posting.requirements.required.iter().collect()
    };
    posting.years_experience = asked
        .iter()
        .filter_map(|l| years(&l.to_lowercase()))
        .max_by_key(|y| y.min);
    posting.seniority = posting
        .title
        .as_deref()
        .and_then(seniority_of_title)
        .or_else(|| seniority_of_text(&lower))
        .or_else(|| posting.years_experience.map(|y| seniority_of_years(y.min)))
        .map(str::to_owned);
    posting.jd_lang = lang::detect(&posting.description).map(str::to_owned);
    posting.skills = skills_of(&posting, &intro);
    posting
}

/// Among the first three lines, the first that is short and no sentence, heading or label;
/// one that reads as a job title ([`reads_as_title`]) before one that does not ("Acme
/// Retail" above "Senior Data Analyst", as a job page copied whole puts them).
fn title_line(lines: &[&str]) -> Option<String> {
    let candidates: Vec<&str> = lines
        .iter()
        .take(3)
        .map(|l| item(l).trim_matches('*').trim())
        .filter(|l| {
            // Short and not a sentence: "Engineer at Acme, Inc." may end in a dot, "We are
            // a payments company in Lisbon." is the first sentence of a paragraph.
            let sentence = (l.ends_with('.')
                && l.split_whitespace().count() > 4
                && split_at_company(l).is_none())
                || l.contains(". ");
            !l.is_empty()
                && l.chars().count() <= 90
                && !sentence
                // "Agent de qualification" holds a heading's word but is a job.
                && (heading(l).is_none()
                    || crate::occupations::is_known_title(l)
                    || crate::title_words::opens_with_job(l))
                && !l.contains(':')
        })
        .collect();
    let first = *candidates.first()?;
    // A later line wins only if it is written as a title and the first is no title in
    // any language: a requirement line ("Experience as a Software Engineer") never does.
    let first_is_title = reads_as_title(first) || crate::title_words::opens_with_job(first);
    let later = candidates[1..]
        .iter()
        .find(|l| !first_is_title && reads_as_title(l) && written_as_title(l));
    Some(later.copied().unwrap_or(first).to_owned())
}

/// Small words a title or a name holds between its capitalised ones ("Director of Sales",
/// "Chef de projet", "Bank of America").
const TITLE_JOINERS: [&str; 18] = [
    "of", "and", "&", "for", "the", "de", "des", "du", "d'", "d’", "et", "en", "la", "le", "l'",
    "l’", "à", "au",
];

/// Whether every word of a short line is capitalised (or a small joining word), as titles
/// and names are written and sentences are not.
fn written_as_title(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (1..=8).contains(&words.len())
        && words.iter().all(|w| {
            TITLE_JOINERS.contains(w)
                || !w.chars().any(char::is_alphanumeric)
                || w.chars()
                    .find(|c| c.is_alphanumeric())
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
}

/// Whether a line is plainly a job title: one O*NET has, or one whose job part (before a
/// company, comma or bracket) ends in a job word ("Senior Backend Engineer at Nimbus").
fn reads_as_title(line: &str) -> bool {
    let role = split_at_company(line).map_or(line.to_owned(), |(role, _)| role);
    let role = role.split([',', '(']).next().unwrap_or_default();
    let role = role.split(" - ").next().unwrap_or_default().trim();
    crate::occupations::is_known_title(role)
        || role.split_whitespace().last().is_some_and(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            crate::occupations::is_job_word(bare, RUN_IN_HEAD)
        })
}

/// How many titles a word must head to end a title run into a block: "recruiter" (20),
/// "analyst", "representative"; not "services" (12), "school" (9), "team" (2).
const RUN_IN_HEAD: u32 = 15;

/// The title a block of text opens with when the title was put before it with no line
/// between ("Compensation Analyst Work with the team to…", a job board's description
/// field with its title glued on), if those words name a job. The block's first sentence
/// starts at a capitalised word: in an English title, the last capitalised word before
/// the first lower-case one ("Compensation Analyst | Work with"); a French title holds
/// lower-case words ("Chef de projet infrastructures"), and there it is the first
/// capitalised word a lower-case one follows. A label ("Requirements:") starts it too. An
/// English title then ends at its last job word unless a qualifier follows it after a
/// comma or bracket ("Field Sales Representative, Google Cloud"). `None` for a block that
/// opens with a sentence ("We are looking for…", "About the role").
fn run_in_title(sentence: &str) -> Option<String> {
    let words: Vec<&str> = sentence.split_whitespace().take(16).collect();
    let first_letter = |w: &str| w.chars().find(|c| c.is_alphanumeric());
    let capitalised = |w: &str| first_letter(w).is_some_and(char::is_uppercase);
    let joiner = |w: &str| TITLE_JOINERS.contains(&w.to_lowercase().as_str());
    let lower_case = |w: &str| first_letter(w).is_some_and(char::is_lowercase) && !joiner(w);
    let foreign = crate::title_words::opens_with_job(sentence);
    // Where the first sentence starts; a line with no sentence start (the block's first
    // part cut off at a heading run into it) may be the title whole.
    let mut start = (words.len() <= 12).then_some(words.len());
    for (i, word) in words.iter().enumerate() {
        let starts_here = if foreign {
            i > 0
                && capitalised(word)
                && (word.ends_with(':') || words.get(i + 1).is_some_and(|n| lower_case(n)))
        } else if lower_case(word) {
            // The capital just before it, past numbers and small words ("Experience of
            // 5 years"); none there (a dash, a lower-case title word): no title.
            start = words[..i]
                .iter()
                .rposition(|w| !joiner(w) && !first_letter(w).is_some_and(|c| c.is_ascii_digit()))
                .filter(|&k| capitalised(words[k]));
            break;
        } else {
            word.ends_with(':')
        };
        if starts_here {
            start = Some(i);
            break;
        }
        if word.ends_with(['.', '!', '?', ';']) {
            return None;
        }
    }
    let title = &words[..start?];
    if title.is_empty() || title.len() > 12 {
        return None;
    }
    // An English title's last job word ends it, unless a qualifier follows.
    let is_job = |w: &str| {
        w.split('/').any(|part| {
            let bare = part.trim_matches(|c: char| !c.is_alphanumeric());
            crate::occupations::is_job_word(bare, RUN_IN_HEAD)
        })
    };
    let qualified = |last: usize| {
        title[last].ends_with([',', ')'])
            || title
                .get(last + 1)
                .is_some_and(|n| n.starts_with(['(', '-', '–', '|']))
    };
    let end = match title.iter().rposition(|w| is_job(w)) {
        Some(last) if !foreign && last > 0 && !qualified(last) => last + 1,
        _ => title.len(),
    };
    let mut end = end;
    while end > 1 && joiner(title[end - 1]) {
        end -= 1;
    }
    let title = title[..end]
        .join(" ")
        .trim_end_matches([',', '-', '–', '—', '|', '/', ':'])
        .trim()
        .to_owned();
    let named = crate::occupations::names_a_job(&title)
        && (heading(&title).is_none() || crate::occupations::is_known_title(&title));
    (title.chars().count() <= 90 && named).then_some(title)
}

/// "Senior Engineer at Acme" / "Senior Engineer - Acme" → ("Senior Engineer", "Acme").
fn split_at_company(title: &str) -> Option<(String, String)> {
    for sep in [" at ", " @ ", " bei ", " | "] {
        if let Some((role, company)) = title.split_once(sep) {
            let company = company.split(" | ").next().unwrap_or(company).trim();
            if !role.trim().is_empty()
                && !company.is_empty()
                && company.chars().next().is_some_and(char::is_uppercase)
            {
                return Some((role.trim().to_owned(), company.to_owned()));
            }
        }
    }
    None
}

/// The line under a posting's title when it names the company, as pasted postings put it
/// ("Senior Data Analyst" / "Acme Retail", or "Acme Retail · Berlin, Germany"): a short run
/// of capitalised words, before a place after a separator. Not a place, a heading, a
/// sentence, a work arrangement, pay or another job title (one O*NET has, or ending in a
/// job word).
fn company_line(line: &str) -> Option<(String, Option<String>)> {
    const ARRANGEMENTS: [&str; 9] = [
        "remote",
        "hybrid",
        "on-site",
        "onsite",
        "full-time",
        "full time",
        "part-time",
        "contract",
        "permanent",
    ];
    let bare = item(line).trim_matches('*').trim().replace('\u{a0}', " ");
    let mut parts: Vec<String> = bare
        .split(['·', '|', '•', '–', '—'])
        .map(|p| p.trim().to_owned())
        .collect();
    if parts.is_empty() {
        return None;
    }
    let name = parts.remove(0);
    let name = name
        .split(" - ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = written_as_title(&name);
    let sentence = name.contains(". ")
        || name.ends_with(['!', '?', ':'])
        || (name.ends_with('.')
            && !["Inc.", "Ltd.", "Co.", "Corp.", "S.A.", "B.V.", "L.P."]
                .iter()
                .any(|suffix| name.ends_with(suffix)));
    let lower = name.to_lowercase();
    let named = (1..=6).contains(&words.len())
        && name.chars().count() <= 60
        && capitalised
        && !sentence
        && !name.contains(':')
        && !name.chars().any(|c| "$€£¥%@".contains(c))
        && !ARRANGEMENTS.contains(&lower.as_str())
        && heading(&name).is_none()
        && crate::resume::location(&name).is_none()
        && !crate::resume::is_region(&name)
        && city_line(&name).is_none()
        && salary::find(&name).is_none()
        && !crate::occupations::is_known_title(&name)
        && !words
            .last()
            .is_some_and(|w| crate::occupations::is_job_word(w, RUN_IN_HEAD));
    if !named {
        return None;
    }
    let location = parts.iter().find_map(|p| city_line(p));
    Some((name, location))
}

/// The place a line names when it names only one, perhaps with a work arrangement in
/// brackets (left out: the arrangement is read from the text on its own): a city
/// ([`crate::resume::is_city`]: "New York", "Lyon (Hybrid)") or a city and its region
/// ("Berlin, Germany"). Pasted postings put it above or under the title, where a city
/// alone would otherwise pass for the company.
fn city_line(line: &str) -> Option<String> {
    let bare = item(line).trim_matches('*').trim();
    let place = bare.split(" (").next().unwrap_or(bare).trim();
    (crate::resume::is_city(place) || crate::resume::location(place).is_some_and(|l| l == place))
        .then(|| place.to_owned())
}

fn company_from_text(lines: &[&str]) -> Option<String> {
    for line in lines.iter().take(40) {
        let bare = line
            .trim()
            .trim_matches('*')
            .trim_start_matches('#')
            .trim()
            .trim_end_matches(':');
        if let Some(name) = bare.strip_prefix("About ") {
            let name = name.trim();
            let words = name.split_whitespace().count();
            let generic = [
                "us",
                "the role",
                "the team",
                "you",
                "the job",
                "the company",
                "the position",
                "this role",
            ];
            if (1..=4).contains(&words)
                && !generic.contains(&name.to_lowercase().as_str())
                && name.chars().next().is_some_and(char::is_uppercase)
            {
                return Some(name.to_owned());
            }
        }
        for marker in [
            " is hiring",
            " is looking for",
            " are hiring",
            " is seeking",
        ] {
            if let Some(at) = bare.find(marker) {
                let name = bare[..at].trim();
                let words = name.split_whitespace().count();
                if (1..=4).contains(&words)
                    && name.chars().next().is_some_and(char::is_uppercase)
                    && !name.starts_with("We")
                {
                    return Some(name.to_owned());
                }
            }
        }
    }
    None
}

pub(crate) fn contains_word(lower: &str, word: &str) -> bool {
    lower
        .match_indices(word)
        .any(|(at, _)| stands_alone(lower, at, at + word.len()))
}

/// Whether `text[start..end]` is whole words: no letter or digit right before or after.
pub(crate) fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Groups of phrases looked for in a lower-cased text in one pass (instead of one scan of
/// the text per phrase).
pub(crate) struct PhraseGroups {
    automaton: aho_corasick::AhoCorasick,
    /// The group of each phrase, by the automaton's pattern id.
    group_of: Vec<usize>,
}

/// Which groups a text holds: anywhere, or as whole words ([`contains_word`]'s test).
#[derive(Clone, Copy)]
pub(crate) struct Held {
    anywhere: u32,
    as_words: u32,
}

impl Held {
    pub(crate) fn anywhere(self, group: usize) -> bool {
        self.anywhere & (1 << group) != 0
    }

    pub(crate) fn as_words(self, group: usize) -> bool {
        self.as_words & (1 << group) != 0
    }
}

impl PhraseGroups {
    /// At most 32 groups (a [`Held`] keeps one bit for each).
    pub(crate) fn new(groups: &[&[&str]]) -> PhraseGroups {
        debug_assert!(groups.len() <= 32);
        let (phrases, group_of): (Vec<&str>, Vec<usize>) = groups
            .iter()
            .enumerate()
            .flat_map(|(group, phrases)| phrases.iter().map(move |p| (*p, group)))
            .unzip();
        PhraseGroups {
            automaton: aho_corasick::AhoCorasick::new(phrases)
                .expect("the phrases make an automaton"),
            group_of,
        }
    }

    pub(crate) fn find(&self, lower: &str) -> Held {
        let mut held = Held {
            anywhere: 0,
            as_words: 0,
        };
        // Every occurrence of every phrase, overlaps included, so that no place where a
        // phrase stands as a word is hidden by another match.
        for found in self.automaton.find_overlapping_iter(lower) {
            let bit = 1 << self.group_of[found.pattern().as_usize()];
            held.anywhere |= bit;
            if stands_alone(lower, found.start(), found.end()) {
                held.as_words |= bit;
            }
        }
        held
    }
}

pub(crate) fn remote_type(lower: &str) -> Option<&'static str> {
    const HYBRID_WORD: usize = 0;
    const HYBRID: usize = 1;
    const NEGATED: usize = 2;
    const REMOTE: usize = 3;
    const ONSITE: usize = 4;
    const FULLY_REMOTE: usize = 5;
    static GROUPS: std::sync::LazyLock<PhraseGroups> = std::sync::LazyLock::new(|| {
        PhraseGroups::new(&[
            &["hybrid"],
            &["hybride", "هجين"],
            &[
                "not remote",
                "no remote",
                "non-remote",
                "not a remote",
                "remote work is not",
                "not open to remote",
            ],
            &[
                "remote",
                "work from home",
                "wfh",
                "telecommute",
                "work from anywhere",
                "fully distributed",
                "عن بعد",
                "homeoffice",
                "home office",
            ],
            &[
                "on-site",
                "onsite",
                "on site",
                "in-office",
                "in office",
                "office-based",
                "vor ort",
                "من المكتب",
            ],
            &["fully remote"],
        ])
    });
    let held = GROUPS.find(lower);
    if held.as_words(HYBRID_WORD) || held.anywhere(HYBRID) {
        return Some("hybrid");
    }
    let negated = held.anywhere(NEGATED);
    let remote = held.as_words(REMOTE);
    let onsite = held.as_words(ONSITE);
    if remote && !negated {
        Some(if onsite && !held.anywhere(FULLY_REMOTE) {
            "hybrid"
        } else {
            "remote"
        })
    } else if onsite || negated {
        Some("onsite")
    } else {
        None
    }
}

pub(crate) fn employment_type(text: &str) -> Option<&'static str> {
    const KINDS: [&str; 5] = [
        "internship",
        "part_time",
        "contract",
        "temporary",
        "full_time",
    ];
    static GROUPS: std::sync::LazyLock<PhraseGroups> = std::sync::LazyLock::new(|| {
        PhraseGroups::new(&[
            &["internship", "intern", "praktikum", "werkstudent", "تدريب"],
            &[
                "part-time",
                "part time",
                "parttime",
                "teilzeit",
                "دوام جزئي",
            ],
            &[
                "contract",
                "contractor",
                "freelance",
                "b2b",
                "freiberuflich",
            ],
            &[
                "temporary",
                "fixed-term",
                "fixed term",
                "befristet",
                "seasonal",
            ],
            &[
                "full-time",
                "full time",
                "fulltime",
                "permanent",
                "vollzeit",
                "دوام كامل",
            ],
        ])
    });
    let lower = text.to_lowercase().replace('_', "-");
    let held = GROUPS.find(&lower);
    // The kinds in this order: an internship that is also full-time is an internship.
    (0..KINDS.len())
        .find(|kind| held.as_words(*kind))
        .map(|kind| KINDS[kind])
}

fn seniority_of_title(title: &str) -> Option<&'static str> {
    let lower = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| contains_word(&lower, w));
    if has(&[
        "intern",
        "internship",
        "trainee",
        "praktikant",
        "werkstudent",
        "apprentice",
    ]) {
        Some("intern")
    } else if has(&[
        "chief",
        "cto",
        "ceo",
        "cfo",
        "coo",
        "vp",
        "vice president",
        "svp",
        "evp",
    ]) {
        Some("executive")
    } else if has(&["director", "head of", "head"]) {
        Some("director")
    } else if has(&["manager", "engineering manager", "mgr"])
        && !has(&[
            "product manager",
            "project manager",
            "program manager",
            "account manager",
        ])
    {
        Some("manager")
    } else if has(&["principal", "staff", "lead", "architect", "distinguished"]) {
        Some("lead")
    } else if has(&["senior", "sr", "sr.", "snr", "iii"]) {
        Some("senior")
    } else if has(&[
        "junior",
        "jr",
        "jr.",
        "graduate",
        "entry level",
        "entry-level",
        "associate",
        "i",
    ]) {
        Some("entry")
    } else if has(&["mid", "mid-level", "intermediate", "ii"]) {
        Some("mid")
    } else {
        None
    }
}

fn seniority_of_text(lower: &str) -> Option<&'static str> {
    [
        (
            "entry",
            &[
                "entry level",
                "entry-level",
                "new grad",
                "recent graduate",
                "no experience required",
            ][..],
        ),
        ("senior", &["senior level", "senior-level"][..]),
        ("mid", &["mid level", "mid-level"][..]),
    ]
    .iter()
    .find(|(_, words)| words.iter().any(|w| lower.contains(w)))
    .map(|(s, _)| *s)
}

fn seniority_of_years(min: u32) -> &'static str {
    match min {
        0..=1 => "entry",
        2..=4 => "mid",
        5..=7 => "senior",
        _ => "lead",
    }
}

fn small_number(word: &str) -> Option<u32> {
    const WORDS: &[&str] = &[
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen",
    ];
    word.parse()
        .ok()
        .or_else(|| WORDS.iter().position(|w| *w == word).map(|p| p as u32))
}

/// "5+ years", "3-5 years", "at least two years", "minimum of 4 yrs", "3 or more years".
fn years(lower: &str) -> Option<Years> {
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if !(w.starts_with("year")
            || w.starts_with("yr")
            || w.starts_with("jahre")
            || *w == "سنوات")
        {
            continue;
        }
        let mut k = i;
        // "3 or more years" / "5 plus years"
        if k >= 3 && words[k - 1] == "more" && words[k - 2] == "or" {
            k -= 2;
        } else if k >= 2 && words[k - 1] == "plus" {
            k -= 1;
        }
        let Some(prev) = k.checked_sub(1).map(|p| words[p]) else {
            continue;
        };
        let prev = prev.trim_end_matches('+').trim_end_matches("'s");
        let parsed = if let Some((lo, hi)) = prev.split_once(['-', '–']) {
            small_number(lo).map(|lo| Years {
                min: lo,
                max: small_number(hi),
            })
        } else if k >= 3 && matches!(words[k - 2], "to" | "-" | "–" | "or") {
            small_number(words[k - 3])
                .zip(small_number(prev))
                .map(|(lo, hi)| Years {
                    min: lo,
                    max: Some(hi),
                })
        } else {
            small_number(prev).map(|n| Years { min: n, max: None })
        };
        if let Some(years) = parsed.filter(|y| y.min <= 30) {
            return Some(years);
        }
    }
    None
}

/// Whether a requirement line offers experience in place of what it names ("… or
/// equivalent practical experience", "CISA/CISSP/PMP or related experience").
fn names_an_alternative(line: &str) -> bool {
    static PHRASES: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build([
                    "or equivalent",
                    "or related experience",
                    "or comparable experience",
                ])
                .expect("three plain patterns")
        });
    PHRASES.is_match(line)
}

fn skills_of(posting: &Posting, intro: &[String]) -> Skills {
    let taxonomy = skills::taxonomy();
    let r = &posting.requirements;
    let mut found = skills::Collected::new(
        std::iter::once(&posting.description)
            .chain(r.required.iter().chain(&r.preferred))
            .chain(posting.responsibilities.iter().chain(intro))
            .map(String::as_str),
    );
    let mut collect = |lines: &mut dyn Iterator<Item = &String>| -> Vec<SkillRef> {
        lines.flat_map(|line| found.line(line, line)).collect()
    };
    // "PMP certification or equivalent practical experience": what the line names is one
    // way to meet it, so its skills are preferred rather than required.
    let (alternatives, required): (Vec<&String>, Vec<&String>) = posting
        .requirements
        .required
        .iter()
        .partition(|line| names_an_alternative(line));
    let required = collect(&mut required.into_iter());
    let preferred = collect(&mut posting.requirements.preferred.iter().chain(alternatives));
    let mut rest = posting.responsibilities.iter().chain(intro.iter());
    let mentioned = collect(&mut rest);
    let (required, preferred, mut mentioned) = if required.is_empty() && preferred.is_empty() {
        // A posting without requirement lines asks for what it names.
        (mentioned, preferred, Vec::new())
    } else {
        (required, preferred, mentioned)
    };
    // A field of study ("BA/BS in Computer Science, Business or a related field") is a
    // degree's subject, often one of several: named, not asked as a skill of the work (the
    // match's education part weighs the degree).
    let is_field = |s: &SkillRef| {
        taxonomy
            .get(&s.id)
            .is_some_and(|k| k.category == skills::FIELD_OF_STUDY)
    };
    let (fields, required): (Vec<SkillRef>, Vec<SkillRef>) =
        required.into_iter().partition(is_field);
    let (more, preferred): (Vec<SkillRef>, Vec<SkillRef>) =
        preferred.into_iter().partition(is_field);
    mentioned.splice(0..0, fields.into_iter().chain(more));
    Skills {
        required,
        preferred,
        mentioned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_arrangement_and_kind_are_read_from_whole_words() {
        assert_eq!(remote_type("remote (work from home)"), Some("remote"));
        assert_eq!(remote_type("this role is not remote."), Some("onsite"));
        assert_eq!(remote_type("remote or on-site in berlin"), Some("hybrid"));
        assert_eq!(
            remote_type("fully remote; on-site visits twice a year"),
            Some("remote")
        );
        assert_eq!(remote_type("travail hybride"), Some("hybrid"));
        assert_eq!(remote_type("remoteness, onsiteish"), None);
        assert_eq!(employment_type("Internship, full-time"), Some("internship"));
        assert_eq!(employment_type("We work internationally."), None);
        assert_eq!(employment_type("Part_time role"), Some("part_time"));
        assert_eq!(employment_type("B2B contractor"), Some("contract"));
        assert_eq!(employment_type("b2b2b platform"), None);
    }

    const TEXT: &str = "Senior Backend Engineer at Nimbus Labs
Location: Berlin, Germany (Hybrid)

About Nimbus Labs
We make invoices boring.

What you'll do:
- Design and run Go services on Kubernetes
- Mentor two engineers

Requirements:
- 5+ years of experience building backend systems
- 2-3 years with PostgreSQL
- Experience with Terraform is a plus

Nice to have
- Rust
- k8s operators

Benefits
- 30 days of holiday
- Salary: €70.000 – 85.000 brutto/Jahr
";

    #[test]
    fn a_short_requirement_line_is_content_not_a_heading() {
        let posting = parse(Input::Text(
            "Game Developer\nArcadia Studios\n\nRequirements:\n3+ years of C# in Unity\nPresentation skills;\nunity3d c# user-experience\n\nBenefits\nRemote work\n",
        ));
        let required = &posting.requirements.required;
        assert!(
            required.iter().any(|l| l == "Presentation skills;"),
            "{required:?}"
        );
        assert!(
            required.iter().any(|l| l == "unity3d c# user-experience"),
            "{required:?}"
        );
        assert_eq!(posting.benefits, ["Remote work"]);
        assert_eq!(heading("Your Experience:"), Some(Section::Required));
        assert_eq!(heading("## skills"), Some(Section::Required));
        assert_eq!(heading("Responsibilities"), Some(Section::Responsibilities));
    }

    #[test]
    fn what_a_line_offers_experience_for_is_preferred() {
        let posting = parse(Input::Text(
            "Project Manager\n\nMinimum qualifications:\nPMP certification or equivalent \
             practical experience.\nCISA/CISSP or related experience.\nExperience with \
             Jira and Tableau.\n",
        ));
        let names = |s: &[SkillRef]| s.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&posting.skills.required), ["Jira", "Tableau"]);
        let preferred = names(&posting.skills.preferred);
        assert!(
            preferred.contains(&"Project Management Professional".to_owned()),
            "{preferred:?}"
        );
        // The lines stay the posting's requirements as written.
        assert_eq!(posting.requirements.required.len(), 3);
    }

    #[test]
    fn a_pay_line_is_the_pay_not_a_requirement() {
        let p = parse(Input::Text(
            "Platform Engineer\n\nRequirements\n- Go and PostgreSQL\n- Kubernetes\n\nSalary: $150,000 - $180,000 per year\n",
        ));
        assert_eq!(p.requirements.required, ["Go and PostgreSQL", "Kubernetes"]);
        let salary = p.salary.expect("salary");
        assert_eq!((salary.min, salary.max), (Some(150_000), Some(180_000)));
    }

    #[test]
    fn reads_a_pasted_posting_by_its_sections() {
        let p = parse(Input::Text(TEXT));
        assert_eq!(p.title.as_deref(), Some("Senior Backend Engineer"));
        assert_eq!(p.company.as_deref(), Some("Nimbus Labs"));
        assert_eq!(p.location.as_deref(), Some("Berlin, Germany (Hybrid)"));
        assert_eq!(p.remote_type.as_deref(), Some("hybrid"));
        assert_eq!(p.seniority.as_deref(), Some("senior"));
        assert_eq!(p.years_experience, Some(Years { min: 5, max: None }));
        assert_eq!(
            p.responsibilities,
            [
                "Design and run Go services on Kubernetes",
                "Mentor two engineers"
            ]
        );
        assert_eq!(
            p.requirements.required,
            [
                "5+ years of experience building backend systems",
                "2-3 years with PostgreSQL"
            ]
        );
        assert_eq!(
            p.requirements.preferred,
            [
                "Experience with Terraform is a plus",
                "Rust",
                "k8s operators"
            ]
        );
        let names = |s: &[SkillRef]| s.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&p.skills.required), ["PostgreSQL"]);
        assert_eq!(
            names(&p.skills.preferred),
            ["Terraform", "Rust", "Kubernetes"]
        );
        assert_eq!(names(&p.skills.mentioned), ["Go"]);
        assert_eq!(p.skills.required[0].evidence, "2-3 years with PostgreSQL");
        let salary = p.salary.expect("salary");
        assert_eq!(
            (salary.min, salary.max, salary.currency.as_deref()),
            (Some(70_000), Some(85_000), Some("EUR"))
        );
        assert_eq!(p.benefits.len(), 2);
        assert_eq!(p.jd_lang.as_deref(), Some("en"));
        assert_eq!(p.extracted_from, "text");
    }

    #[test]
    fn json_ld_wins_over_the_page_text() {
        let page = r#"<html><head><script type="application/ld+json">
        {"@context": "https://schema.org", "@graph": [{"@type": "Organization", "name": "Site"},
         {"@type": "JobPosting", "title": "Data Analyst", "datePosted": "2026-11-01", "validThrough": "2026-12-31",
          "hiringOrganization": {"@type": "Organization", "name": "Acme, Inc."},
          "jobLocation": {"@type": "Place", "address": {"addressLocality": "Dubai", "addressCountry": "AE"}},
          "jobLocationType": "TELECOMMUTE", "employmentType": ["FULL_TIME"],
          "baseSalary": {"@type": "MonetaryAmount", "currency": "AED",
                         "value": {"@type": "QuantitativeValue", "minValue": 18000, "maxValue": 22000, "unitText": "MONTH"}},
          "description": "&lt;p&gt;Requirements:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;3+ years of SQL&lt;/li&gt;&lt;li&gt;Tableau&lt;/li&gt;&lt;/ul&gt;"}]}
        </script></head><body><h1>Something else</h1><p>Cookie banner</p></body></html>"#;
        let p = parse(Input::Html(page));
        assert_eq!(p.extracted_from, "json-ld");
        assert_eq!(p.title.as_deref(), Some("Data Analyst"));
        assert_eq!(p.company.as_deref(), Some("Acme, Inc."));
        assert_eq!(p.location.as_deref(), Some("Dubai, AE"));
        assert_eq!(p.remote_type.as_deref(), Some("remote"));
        assert_eq!(p.employment_type.as_deref(), Some("full_time"));
        let salary = p.salary.expect("salary");
        assert_eq!(
            (
                salary.min,
                salary.max,
                salary.currency.as_deref(),
                salary.period.as_deref()
            ),
            (Some(18_000), Some(22_000), Some("AED"), Some("month"))
        );
        assert_eq!(p.requirements.required, ["3+ years of SQL", "Tableau"]);
        assert_eq!(p.years_experience, Some(Years { min: 3, max: None }));
        assert_eq!(p.date_posted.as_deref(), Some("2026-11-01"));
    }

    #[test]
    fn a_page_without_json_ld_is_read_from_its_text() {
        let page = "<html><head><title>Frontend Developer | Jobs</title><meta property='og:site_name' content='Orbit'></head>\
                    <body><nav>Menu</nav><main><h2>Responsibilities</h2><ul><li>Build UI in React and TypeScript</li></ul>\
                    <h2>Qualifications</h2><ul><li>3 years of JavaScript</li></ul><p>This is a fully remote role.</p></main></body></html>";
        let p = parse(Input::Html(page));
        assert_eq!(p.extracted_from, "text");
        assert_eq!(p.title.as_deref(), Some("Frontend Developer"));
        assert_eq!(p.company.as_deref(), Some("Orbit"));
        assert_eq!(p.remote_type.as_deref(), Some("remote"));
        assert_eq!(p.responsibilities, ["Build UI in React and TypeScript"]);
        assert_eq!(
            p.skills
                .required
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["JavaScript"]
        );
    }

    #[test]
    fn years_are_read_in_their_usual_shapes() {
        let y = |s: &str| years(s).map(|y| (y.min, y.max));
        assert_eq!(y("5+ years of experience"), Some((5, None)));
        assert_eq!(y("3-5 years in a similar role"), Some((3, Some(5))));
        assert_eq!(y("at least two years of python"), Some((2, None)));
        assert_eq!(y("3 to 5 years of experience"), Some((3, Some(5))));
        assert_eq!(y("4 or more years"), Some((4, None)));
        assert_eq!(y("a team of 40 people"), None);
    }

    #[test]
    fn no_input_gives_an_empty_posting_not_a_panic() {
        for input in ["", "   \n\n", "<", "<<<>>>", "\u{0}\u{1}"] {
            let p = parse(Input::Text(input));
            assert!(p.skills.required.is_empty());
            let _ = parse(Input::Html(input));
        }
    }

    /// A job board's description field: the title given apart, the text one block.
    const FLAT: &str = "We are a fast-growing payments company in Lisbon. You will design and run \
        the ledger services in Go and PostgreSQL. Mentor two engineers and review their code. \
        Requirements: 5+ years of experience building backend systems. Experience with \
        Kubernetes is a plus. We offer a yearly learning budget.";

    #[test]
    fn a_flat_posting_is_read_by_its_sentences_and_keeps_the_given_title() {
        let p = parse_titled(Input::Text(FLAT), Some("Backend Engineer: Payments"));
        assert_eq!(p.title.as_deref(), Some("Backend Engineer: Payments"));
        // What users read keeps its paragraph; only the reading works sentence by sentence.
        assert_eq!(p.description, FLAT);
        assert!(
            p.responsibilities
                .iter()
                .any(|l| l.starts_with("You will design and run the ledger")),
            "{p:#?}"
        );
        assert!(
            p.responsibilities
                .iter()
                .any(|l| l.starts_with("Mentor two")),
            "{p:#?}"
        );
        assert!(
            p.requirements
                .required
                .iter()
                .any(|l| l.starts_with("5+ years of experience")),
            "{p:#?}"
        );
        assert!(
            p.requirements
                .preferred
                .iter()
                .any(|l| l.contains("Kubernetes")),
            "{p:#?}"
        );
        assert_eq!(p.years_experience.map(|y| y.min), Some(5));
        let ids: Vec<&str> = p
            .skills
            .required
            .iter()
            .chain(&p.skills.mentioned)
            .map(|s| s.id.as_str())
            .collect();
        assert!(ids.contains(&"postgresql"), "{ids:?}");
        // Without a given title, a paragraph is not a title.
        let untitled = parse(Input::Text(FLAT));
        assert_eq!(untitled.title, None, "{untitled:#?}");
    }

    #[test]
    fn a_block_without_headings_keeps_every_duty_and_requirement_it_has() {
        // A job board's one block: duties opening with verbs beyond the usual few, a
        // requirement whose stop the block lost, one ending in a colon that leads into a
        // list, and a last sentence as short as a heading. None of them is a heading, so
        // none hides the lines before it.
        let block = "Devise new tools that help riders plan their trips across the city. \
            Customize and maintain the dashboards the fleet team uses every morning. \
            Represent riders in planning reviews with the operations team. \
            BA/BS degree in Geography or equivalent practical experience. \
            MS or PhD in Transportation Planning. \
            Experience in partnerships with city agencies \
            Knowledge of routing concepts including: shortest paths, isochrones and transit feeds. \
            Program management experience with public budgets. \
            Excellent written communication skills";
        let p = parse_titled(Input::Text(block), Some("Mobility Analyst"));
        let duties = &p.responsibilities;
        for start in [
            "Devise new tools",
            "Customize and maintain",
            "Represent riders",
        ] {
            assert!(
                duties.iter().any(|l| l.starts_with(start)),
                "{start}: {p:#?}"
            );
        }
        let required = &p.requirements.required;
        for start in [
            "BA/BS degree",
            "MS or PhD",
            "Experience in partnerships",
            "Knowledge of routing concepts including:",
            "Program management experience",
        ] {
            assert!(
                required.iter().any(|l| l.starts_with(start)),
                "{start}: {p:#?}"
            );
        }
        assert!(!duties.iter().any(|l| l.starts_with("Program")), "{p:#?}");
        // A line that leads into more words is no heading, even alone on its line; a
        // question-shaped heading still is one.
        assert_eq!(heading("Knowledge of:"), None);
        assert_eq!(heading("Skills such as:"), None);
        assert_eq!(heading("What we're looking for"), Some(Section::Required));
        // A heading-like last line heads nothing: the lines above keep their reading.
        let p = parse(Input::Text(
            "Support Lead\nCoordinate the support rota.\nExperience with ticketing tools.\nCommunication skills",
        ));
        assert_eq!(p.title.as_deref(), Some("Support Lead"));
        // The title's own line is no duty, though "Support" opens duties.
        assert_eq!(
            p.responsibilities,
            ["Coordinate the support rota."],
            "{p:#?}"
        );
        assert_eq!(
            p.requirements.required,
            ["Experience with ticketing tools."]
        );
    }

    #[test]
    fn a_title_run_into_the_text_is_read_off_its_start() {
        let cases = [
            // English: the sentence starts at the last capital before a lower-case word.
            (
                "Compensation Analyst Work with the payroll team to design pay bands. 3 years of experience in compensation.",
                Some("Compensation Analyst"),
            ),
            (
                "Field Sales Representative, Cloud (DACH) As a field sales representative you will grow accounts. Fluent German.",
                Some("Field Sales Representative, Cloud (DACH)"),
            ),
            (
                "Bilingual Payroll Specialist Fluency in English in formal speaking and writing. Attention to detail.",
                Some("Bilingual Payroll Specialist"),
            ),
            // A label starts the text.
            (
                "Technical Lead Experience: Minimum 5 years in a similar position with significant delivery.",
                Some("Technical Lead"),
            ),
            // French: the job first, lower-case words inside the title.
            (
                "Chef de projet infrastructures Minimum experience: 5 years. Level of study: Bac+5.",
                Some("Chef de projet infrastructures"),
            ),
            (
                "Infirmier(e) You have a nursing degree and a previous experience in a clinic.",
                Some("Infirmier(e)"),
            ),
            // No title: a sentence, a heading, a name.
            (
                "We are looking for a payroll specialist to join our growing team in Porto.",
                None,
            ),
            (
                "About the role You will run the ledger services in Go and PostgreSQL.",
                None,
            ),
            (
                "Acme Payments is hiring engineers who love invoices and clean ledgers.",
                None,
            ),
            (
                "Data Analyst - analyse the flows of a payments ledger.",
                None,
            ),
            ("Responsibilities", None),
        ];
        for (text, title) in cases {
            let long = format!(
                "{text} {}",
                "We offer a yearly learning budget and a quiet office. ".repeat(3)
            );
            for text in [text.to_owned(), long] {
                let p = parse(Input::Text(&text));
                assert_eq!(p.title.as_deref(), title, "{text}");
            }
        }
    }

    #[test]
    fn the_line_under_the_title_names_the_company() {
        let body = "\n\nRequirements\n- 3+ years of SQL\n- Experience with Tableau\n";
        let cases = [
            (
                "Senior Data Analyst\nAcme Retail",
                Some("Acme Retail"),
                None,
            ),
            (
                "Senior Data Analyst\nAcme Retail · Berlin, Germany (Hybrid)",
                Some("Acme Retail"),
                Some("Berlin, Germany"),
            ),
            (
                "Payroll Specialist\nBank of America",
                Some("Bank of America"),
                None,
            ),
            // A job page copied whole: the company above the title.
            (
                "Acme Retail\nSenior Data Analyst\nBerlin, Germany",
                Some("Acme Retail"),
                Some("Berlin, Germany"),
            ),
            (
                "Senior Data Analyst\nAcme Retail · Lyon (Hybrid)",
                Some("Acme Retail"),
                Some("Lyon"),
            ),
            (
                "Senior Data Analyst\nAcme Retail\nSão Paulo",
                Some("Acme Retail"),
                Some("São Paulo"),
            ),
            // A place, an arrangement, a sentence, a heading or another title is none;
            // a place alone is where the job is.
            (
                "Senior Data Analyst\nBerlin, Germany",
                None,
                Some("Berlin, Germany"),
            ),
            ("Senior Data Analyst\nNew York", None, Some("New York")),
            (
                "Senior Data Analyst\nNEW YORK CITY",
                None,
                Some("NEW YORK CITY"),
            ),
            ("Senior Data Analyst\nMunich (Remote)", None, Some("Munich")),
            ("Senior Data Analyst\nRemote", None, None),
            ("Senior Data Analyst\nGermany", None, None),
            ("Senior Data Analyst\nWe sell shoes online.", None, None),
            ("Senior Data Analyst\nAbout the role", None, None),
            (
                "Senior Data Analyst\nBusiness Intelligence Analyst",
                None,
                None,
            ),
            ("Senior Data Analyst\n$90,000 - $110,000", None, None),
        ];
        for (head, company, location) in cases {
            let p = parse(Input::Text(&format!("{head}{body}")));
            assert_eq!(p.company.as_deref(), company, "{head}");
            assert_eq!(p.location.as_deref(), location, "{head}");
            let title = head
                .lines()
                .find(|l| l.ends_with("Analyst") || l.ends_with("Specialist"));
            assert_eq!(p.title.as_deref(), title, "{head}");
        }
        // A requirement line ending in a job word is no title over the first line.
        let p = parse(Input::Text(
            "Ingénieur DevOps\n- Experience as a Software Engineer\n- Docker and Kubernetes\n",
        ));
        assert_eq!(p.title.as_deref(), Some("Ingénieur DevOps"));
        // A French title that holds a heading's word is still the title.
        let p = parse(Input::Text(
            "Agent de qualification\nRequirements\n- Experience in call centres.\n",
        ));
        assert_eq!(p.title.as_deref(), Some("Agent de qualification"));
        // A title the caller gave says nothing about the text's first lines.
        let p = parse_titled(Input::Text("Acme Retail\nBerlin"), Some("Data Analyst"));
        assert_eq!(p.company, None);
    }

    #[test]
    fn a_paragraph_after_a_label_is_not_a_field() {
        let text = format!(
            "Role: {}",
            "we are looking for someone who loves invoices ".repeat(4)
        );
        let p = parse(Input::Text(&text));
        assert_eq!(p.title, None, "{p:#?}");
        let p = parse(Input::Text("Role: Staff Accountant\nLocation: Porto\n"));
        assert_eq!(p.title.as_deref(), Some("Staff Accountant"));
        assert_eq!(p.location.as_deref(), Some("Porto"));
    }

    #[test]
    fn a_known_job_title_with_a_heading_word_is_still_the_title() {
        let p = parse(Input::Text(
            "Customer Experience Manager\n\nResponsibilities\n- Run the support team\n",
        ));
        assert_eq!(
            p.title.as_deref(),
            Some("Customer Experience Manager"),
            "{p:#?}"
        );
    }

    #[test]
    fn list_items_run_together_without_their_stops_are_cut_apart() {
        // A bulleted description as job boards flatten it: no stops, no line breaks.
        let flat = "Review flagged accounts and handle manual investigations Identify new \
                    abuse patterns and build processes to handle them Work with engineers to \
                    automate reviews Bachelor's degree in Engineering or equivalent practical \
                    experience. 2 years of experience in data analysis Ability to read Hindi";
        assert_eq!(
            sentences(flat),
            [
                "Review flagged accounts and handle manual investigations",
                "Identify new abuse patterns and build processes to handle them",
                "Work with engineers to automate reviews",
                "Bachelor's degree in Engineering or equivalent practical experience.",
                " 2 years of experience in data analysis",
                "Ability to read Hindi",
            ]
        );
        let p = parse_titled(Input::Text(flat), Some("Data Analyst, Trust and Safety"));
        assert!(
            p.responsibilities
                .iter()
                .any(|l| l.starts_with("Identify new abuse patterns")),
            "{p:#?}"
        );
        assert!(
            p.requirements
                .required
                .iter()
                .any(|l| l.starts_with("Bachelor's degree")),
            "{p:#?}"
        );
        // A capital after a word that leads into a name, or too early, starts nothing.
        for whole in [
            "Candidates with an MBA and five years in retail banking are welcome",
            "You will shape the Future of Work Experience for our customers",
            "Sales team Builds relationships",
            "Hands-on work with Experience Cloud and Adobe Target in production",
        ] {
            assert_eq!(sentences(whole), [whole]);
        }
    }

    #[test]
    fn sentences_end_at_a_stop_before_a_capital_not_at_an_abbreviation() {
        assert_eq!(
            sentences("Work with the Sr. Engineer on e.g. Billing. Then ship it; Report weekly."),
            [
                "Work with the Sr. Engineer on e.g. Billing.",
                " Then ship it;",
                " Report weekly."
            ]
        );
        assert_eq!(
            split_inline_headings("Join our team Minimum qualifications: BA/BS degree"),
            ["Join our team ", "Minimum qualifications:", " BA/BS degree"]
        );
        assert_eq!(
            split_inline_headings("Preferred Qualifications: MBA. Note: none"),
            ["Preferred Qualifications:", " MBA. Note: none"]
        );
    }
}
