//! The truthfulness guard: reads a generated text (a CV line, a cover letter, a pitch) into
//! claims about the user — numbers and metrics, durations, years, skills and tools,
//! degrees, certifications, employers, job titles, and any other name — and checks each
//! against the user's own material (resume texts and profile). A claim the material does
//! not support is flagged with the words that carry it; writers block export on it until
//! the user removes it or confirms it.
//!
//! What is a claim: sentences (and bullet lines) in the first person, or without a subject,
//! are about the user; a sentence only about the reader ("your team…") is not checked. In a
//! sentence about both, only the kinds that are always about the user (skills, degrees,
//! certifications, employers, titles) are checked. `context` (the posting, the company,
//! the recipient) supplies names a text may use without claiming them.
//!
//! Deterministic, no model, no IO.

use std::collections::{BTreeSet, HashSet};

use pursuit_text::dates::YearMonth;
use pursuit_text::resume::{self, Resume};
use pursuit_text::skills::taxonomy;
use serde::Serialize;

/// What a claim is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    Number,
    Duration,
    Date,
    Skill,
    Degree,
    Certification,
    Employer,
    Title,
    /// A name (a product, a place, an organisation) found nowhere in the material.
    Name,
}

impl ClaimKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Number => "number",
            ClaimKind::Duration => "duration",
            ClaimKind::Date => "date",
            ClaimKind::Skill => "skill",
            ClaimKind::Degree => "degree",
            ClaimKind::Certification => "certification",
            ClaimKind::Employer => "employer",
            ClaimKind::Title => "title",
            ClaimKind::Name => "name",
        }
    }
}

/// One claim of a text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Claim {
    pub kind: ClaimKind,
    /// The words that carry it, as written.
    pub words: String,
    /// Byte offsets of `words` in the text.
    pub start: usize,
    pub end: usize,
    pub supported: bool,
    /// Why it is (or is not) supported, in a few words.
    pub reason: String,
}

/// The user's material, read once and checked against many texts.
pub struct Sources {
    /// Lowercased, whitespace squashed.
    text: String,
    context: String,
    /// Words of the material and the context, lowercased.
    words: HashSet<String>,
    numbers: Vec<(Unit, f64)>,
    years: HashSet<i64>,
    skills: HashSet<&'static str>,
    degrees: HashSet<&'static str>,
    /// Employers, schools, issuers: lowercased.
    organisations: Vec<String>,
    /// Lines of the material that carry a date range (experience and education lines).
    dated_lines: Vec<String>,
    titles: Vec<BTreeSet<String>>,
    total_years: f64,
    /// Names a text may write out whole without claiming anything in them: the role
    /// applied for and the company written to (`with_names`).
    names: Vec<String>,
    /// The text speaks to the user ("you", an assistant's answer), not for them.
    to_user: bool,
    /// The skills the context names (read when `to_user`).
    context_skills: HashSet<&'static str>,
    /// The context as given (skill names are case-sensitive where they are words).
    context_raw: String,
}

fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '&' || c == '+'))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches("'s").to_lowercase())
}

impl Sources {
    /// `material`: the user's resume texts and profile; `context`: texts the generated one
    /// may name without claiming (the posting, the company's facts, the recipient).
    pub fn new(material: &[&str], context: &[&str], today: YearMonth) -> Sources {
        let joined = material.join("\n");
        let context_joined = context.join("\n");
        let parsed: Vec<Resume> = material.iter().map(|t| resume::parse(t, today)).collect();
        let mut organisations = Vec::new();
        let mut titles = Vec::new();
        for r in &parsed {
            for role in &r.work {
                if let Some(name) = &role.name {
                    organisations.push(squash(name));
                }
                if let Some(position) = &role.position {
                    titles.push(words_of(position).collect());
                }
            }
            for school in &r.education {
                if let Some(name) = &school.institution {
                    organisations.push(squash(name));
                }
            }
            if let Some(label) = &r.basics.label {
                titles.push(words_of(label).collect());
            }
        }
        let dated_lines = joined
            .lines()
            .filter(|line| pursuit_text::dates::range(line).is_some())
            .map(squash)
            .collect();
        let skills = taxonomy()
            .find(&joined)
            .into_iter()
            .map(|m| m.id)
            .chain(parsed.iter().flat_map(|r| {
                r.skills
                    .iter()
                    .filter_map(|s| taxonomy().get(&s.id).map(|k| k.id))
            }))
            .collect();
        let mut numbers = Vec::new();
        let mut years = HashSet::new();
        for found in numbers_in(&joined) {
            if found.unit == Unit::Year {
                years.insert(found.value as i64);
            }
            numbers.push((found.unit, found.value));
        }
        let degrees = degrees_in(&joined).into_iter().map(|d| d.2).collect();
        let total_years = parsed
            .iter()
            .filter_map(|r| r.total_years)
            .fold(0.0, f64::max);
        let words = words_of(&joined).chain(words_of(&context_joined)).collect();
        Sources {
            text: squash(&joined),
            context: squash(&context_joined),
            words,
            numbers,
            years,
            skills,
            degrees,
            organisations,
            dated_lines,
            titles,
            total_years,
            names: Vec::new(),
            to_user: false,
            context_skills: HashSet::new(),
            context_raw: context_joined.clone(),
        }
    }

    /// With `names` (the posting's title, the company): where a text writes one out whole
    /// ("I am applying for the Technical Writer, Google Cloud, Summer 2027 role"), the words
    /// in it are that name, not claims of a skill, a date or an employer.
    pub fn with_names(mut self, names: &[&str]) -> Sources {
        self.names = names
            .iter()
            .map(|n| n.trim().to_owned())
            .filter(|n| n.chars().count() >= 2)
            .collect();
        self
    }

    /// For a text that speaks to the user (an assistant's answer): "you" is the user, whose
    /// claims are checked; what the writer says of itself ("I can help") claims nothing.
    pub fn spoken_to_the_user(mut self) -> Sources {
        self.to_user = true;
        self.context_skills = taxonomy()
            .find(&self.context_raw)
            .into_iter()
            .map(|m| m.id)
            .collect();
        self
    }

    /// Whether `start..end` of `text` lies inside a name written out whole.
    fn in_a_name(&self, text: &str, start: usize, end: usize) -> bool {
        self.names.iter().any(|name| {
            text.match_indices(name.as_str())
                .any(|(at, found)| at <= start && end <= at + found.len())
        })
    }

    /// Byte ranges of `body` in quotation marks whose words the context holds: the posting
    /// quoted (read only when speaking to the user, whose assistant quotes it).
    fn quoted_context(&self, body: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (open, close) in [('“', '”'), ('"', '"')] {
            let mut rest = 0;
            while let Some(at) = body[rest..].find(open).map(|i| rest + i) {
                let inner = at + open.len_utf8();
                let Some(end) = body[inner..].find(close).map(|i| inner + i) else {
                    break;
                };
                let quoted = body[inner..end]
                    .trim()
                    .trim_end_matches(['.', ';', ',', ':']);
                if quoted.split_whitespace().count() >= 2 && self.context.contains(&squash(quoted))
                {
                    out.push((inner, end));
                }
                rest = end + close.len_utf8();
            }
        }
        out
    }

    /// Every claim of `text`, supported or not, in order.
    pub fn check(&self, text: &str) -> Vec<Claim> {
        let mut claims = Vec::new();
        for sentence in sentences(text) {
            let body = &text[sentence.start..sentence.end];
            let quoted = if self.to_user {
                self.quoted_context(body)
            } else {
                Vec::new()
            };
            // Who the sentence is about, its quotations of the posting left out ("you will
            // own the close" quoted is the posting speaking).
            let unquoted: String = if quoted.is_empty() {
                body.to_owned()
            } else {
                let mut kept = String::with_capacity(body.len());
                let mut from = 0;
                for &(start, end) in &quoted {
                    kept.push_str(&body[from..start]);
                    from = end;
                }
                kept.push_str(&body[from..]);
                kept
            };
            let about = match about(&unquoted, sentence.bullet) {
                // Speaking to the user, "you" is them, "I" is the writer, and a sentence
                // about neither (the posting, the market) claims nothing of the user; a
                // bullet is a line offered for their resume, so it is theirs.
                About::Reader | About::Both if self.to_user => About::User,
                About::User if self.to_user && !sentence.bullet => About::Reader,
                other => other,
            };
            if about == About::Reader {
                continue;
            }
            let mut found = Vec::new();
            self.check_degrees(body, &mut found);
            self.check_certifications(body, &mut found);
            self.check_titles(body, &mut found);
            self.check_employers(body, &mut found);
            self.check_skills(body, &mut found);
            if about == About::User {
                self.check_numbers(body, &mut found);
                self.check_names(body, &mut found);
            }
            // A sentence the material holds word for word is the user's own: whatever it
            // names, they wrote it (a copied bullet whose employer or figure the resume's
            // reader did not pick out as such).
            let own = self.holds_sentence(body);
            // Speaking to the user, a sentence that says they lack what the posting asks
            // ("your resume does not show NetSuite") names it without claiming it.
            let denied = self.to_user && denies(body);
            for mut claim in dedupe(found) {
                claim.start += sentence.start;
                claim.end += sentence.start;
                if !claim.supported && own {
                    claim.supported = true;
                    claim.reason = "your own words: your resume has this sentence".to_owned();
                } else if !claim.supported && self.in_a_name(text, claim.start, claim.end) {
                    claim.supported = true;
                    claim.reason = "part of the role's or the company's name".to_owned();
                } else if !claim.supported
                    && quoted.iter().any(|&(start, end)| {
                        start <= claim.start - sentence.start && claim.end - sentence.start <= end
                    })
                {
                    claim.supported = true;
                    claim.reason = "quoted from the posting, not claimed".to_owned();
                } else if !claim.supported
                    && denied
                    && matches!(
                        claim.kind,
                        ClaimKind::Skill | ClaimKind::Certification | ClaimKind::Degree
                    )
                    && (self.context.contains(&squash(&claim.words))
                        || taxonomy()
                            .find(&claim.words)
                            .iter()
                            .any(|m| self.context_skills.contains(m.id)))
                {
                    claim.supported = true;
                    claim.reason =
                        "named as something the posting asks for and you do not show, not claimed"
                            .to_owned();
                }
                claims.push(claim);
            }
        }
        claims
    }

    /// Whether the material holds `sentence` word for word (four words or more; list and
    /// heading marks aside).
    fn holds_sentence(&self, sentence: &str) -> bool {
        let bare = sentence
            .trim()
            .trim_start_matches(['-', '*', '•', '#', '>'])
            .trim()
            .trim_end_matches(['.', ';', ',']);
        bare.split_whitespace().count() >= 4 && self.text.contains(&squash(bare))
    }

    /// Whether the user's material (not the context) holds `phrase`.
    fn holds(&self, phrase: &str) -> bool {
        let phrase = squash(phrase);
        !phrase.is_empty() && self.text.contains(&phrase)
    }

    fn contains(&self, phrase: &str) -> bool {
        let phrase = squash(phrase);
        !phrase.is_empty() && (self.text.contains(&phrase) || self.context.contains(&phrase))
    }

    fn check_numbers(&self, body: &str, found: &mut Vec<Claim>) {
        for n in numbers_in(body) {
            let words = body[n.start..n.end].to_owned();
            if n.unit == Unit::Year {
                let supported = self.years.contains(&(n.value as i64));
                found.push(claim(ClaimKind::Date, n.start, n.end, &words, supported));
                continue;
            }
            if n.years_after {
                // "7+ years", "four years": no more than the resume's total (or said there).
                let said = self
                    .numbers
                    .iter()
                    .any(|(u, v)| *u == Unit::Plain && same(*v, n.value))
                    && self.text.contains(&squash(&words));
                let supported = said || n.value <= self.total_years.ceil() + 0.01;
                found.push(claim(
                    ClaimKind::Duration,
                    n.start,
                    n.end,
                    &words,
                    supported,
                ));
                continue;
            }
            let supported = self
                .numbers
                .iter()
                .any(|(u, v)| compatible(*u, n.unit) && same(*v, n.value));
            found.push(claim(ClaimKind::Number, n.start, n.end, &words, supported));
        }
    }

    fn check_skills(&self, body: &str, found: &mut Vec<Claim>) {
        let runs = capitalised_runs(body);
        // A soft skill is how a text talks, not what it claims, unless the sentence puts
        // years on it ("6 years of hands-on experience with written English").
        let measured = numbers_in(body).iter().any(|n| n.years_after);
        for mention in taxonomy().find(body) {
            if mention.category == "Transversal skill" && !measured {
                continue;
            }
            // The user's material only: a posting that asks for a skill does not give it to
            // the user ("5 years of Kubernetes" because the posting wants Kubernetes). But
            // a skill word inside a longer name the context gives (the role applied for,
            // "the Senior UX Designer position") is that name, not a claim.
            let in_a_name = runs.iter().any(|&(start, end)| {
                start <= mention.start
                    && mention.end <= end
                    && end - start > mention.end - mention.start
                    && self.context.contains(&squash(&body[start..end]))
            });
            let supported =
                in_a_name || self.skills.contains(mention.id) || self.holds(&mention.matched);
            found.push(claim(
                ClaimKind::Skill,
                mention.start,
                mention.end,
                &mention.matched,
                supported,
            ));
        }
    }

    fn check_degrees(&self, body: &str, found: &mut Vec<Claim>) {
        for (start, end, level) in degrees_in(body) {
            let supported = self.degrees.contains(level);
            found.push(claim(
                ClaimKind::Degree,
                start,
                end,
                &body[start..end],
                supported,
            ));
        }
    }

    fn check_certifications(&self, body: &str, found: &mut Vec<Claim>) {
        for (start, end, core) in certifications_in(body) {
            let supported = self.holds(&core);
            found.push(claim(
                ClaimKind::Certification,
                start,
                end,
                &body[start..end],
                supported,
            ));
        }
    }

    fn check_employers(&self, body: &str, found: &mut Vec<Claim>) {
        for (start, end) in organisations_in(body) {
            let name = squash(&body[start..end]);
            let supported = self
                .organisations
                .iter()
                .any(|o| o.contains(&name) || (name.len() > 3 && name.contains(o.as_str())))
                || self.dated_lines.iter().any(|l| l.contains(&name))
                // The posting's company may be named ("I would love to join Acme"), not
                // claimed as an employer ("I spent three years at Acme").
                || (self.context.contains(&name) && !claims_employment(body, start));
            found.push(claim(
                ClaimKind::Employer,
                start,
                end,
                &body[start..end],
                supported,
            ));
        }
    }

    fn check_titles(&self, body: &str, found: &mut Vec<Claim>) {
        for (start, end) in titles_in(body) {
            let words: BTreeSet<String> = words_of(&body[start..end])
                .filter(|w| !TITLE_FILLER.contains(&w.as_str()))
                .collect();
            if words.is_empty() {
                continue;
            }
            let phrase = words.iter().cloned().collect::<Vec<_>>().join(" ");
            let supported = self.titles.iter().any(|t| words.is_subset(t))
                || self.contains(&body[start..end])
                || self.text.contains(&phrase);
            found.push(claim(
                ClaimKind::Title,
                start,
                end,
                &body[start..end],
                supported,
            ));
        }
    }

    /// Capitalised words in mid-sentence that appear nowhere in the material or context.
    fn check_names(&self, body: &str, found: &mut Vec<Claim>) {
        for (start, end) in capitalised_runs(body) {
            let run = &body[start..end];
            let unknown: Vec<String> = words_of(run)
                .filter(|w| {
                    !self.words.contains(w)
                        && !COMMON_CAPITALISED.contains(&w.as_str())
                        && !is_calendar_word(w)
                })
                .collect();
            if unknown.is_empty() {
                continue;
            }
            found.push(claim(ClaimKind::Name, start, end, run, false));
        }
    }
}

/// Words that make a sentence a wish or an application, not a record ("I would love to
/// work at Acme", "I am applying to Acme").
const WISHES: &[&str] = &[
    "would",
    "will",
    "i'd",
    "hope",
    "want",
    "love to",
    "excited",
    "eager",
    "look forward",
    "looking forward",
    "apply",
    "applying",
    "join",
    "joining",
    "interest",
    "keen",
];

/// Whether the organisation at `start` of `sentence` is claimed as a place the user worked
/// or studied: right after "at", "for", "with" or "from", in a sentence that is no wish.
fn claims_employment(sentence: &str, start: usize) -> bool {
    let before = sentence[..start].trim_end().to_lowercase();
    let placed = ["at", "for", "with", "from"]
        .iter()
        .any(|p| before.ends_with(&format!(" {p}")) || before == *p);
    let lower = sentence.to_lowercase();
    placed && !WISHES.iter().any(|w| lower.contains(w))
}

fn claim(kind: ClaimKind, start: usize, end: usize, words: &str, supported: bool) -> Claim {
    Claim {
        kind,
        words: words.to_owned(),
        start,
        end,
        supported,
        reason: reason(kind, supported).to_owned(),
    }
}

/// Why a claim of this kind is or is not supported, in the words the user sees.
fn reason(kind: ClaimKind, supported: bool) -> &'static str {
    match (kind, supported) {
        (ClaimKind::Number, true) => "the same figure is in your resume",
        (ClaimKind::Number, false) => "this figure is not in your resume",
        (ClaimKind::Duration, true) => "within the years your resume covers",
        (ClaimKind::Duration, false) => "more years than your resume covers",
        (ClaimKind::Date, true) => "the year is in your resume",
        (ClaimKind::Date, false) => "this year is not in your resume",
        (ClaimKind::Skill, true) => "the skill is in your resume",
        (ClaimKind::Skill, false) => "this skill is not in your resume",
        (ClaimKind::Degree, true) => "a degree of this level is in your resume",
        (ClaimKind::Degree, false) => "your resume holds no degree of this level",
        (ClaimKind::Certification, true) => "the certification is in your resume",
        (ClaimKind::Certification, false) => "this certification is not in your resume",
        (ClaimKind::Employer, true) => "an employer or school of your resume",
        (ClaimKind::Employer, false) => "not an employer or school of your resume",
        (ClaimKind::Title, true) => "a title of your resume",
        (ClaimKind::Title, false) => "not a title you have held",
        (ClaimKind::Name, _) => "a name found nowhere in your resume",
    }
}

/// One claim per stretch of words: where claims overlap, an unsupported one wins over a
/// supported one, and a specific kind over a bare name.
fn dedupe(mut found: Vec<Claim>) -> Vec<Claim> {
    found.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    // Unsupported first; then the most specific kind: a name says least, a skill less than
    // an employer or a title ("at Google" is a claim of employment, not of a skill).
    let rank = |c: &Claim| {
        let specific = match c.kind {
            ClaimKind::Name => 0,
            ClaimKind::Skill => 1,
            _ => 2,
        };
        (!c.supported, specific)
    };
    let mut kept: Vec<Claim> = Vec::new();
    for c in found {
        if let Some(last) = kept.last_mut()
            && c.start < last.end
        {
            // A bare name inside a specific claim adds nothing: the specific check said
            // whether those words are supported.
            if c.kind == ClaimKind::Name && last.kind != ClaimKind::Name {
                continue;
            }
            if rank(&c) > rank(last) {
                *last = c;
            }
            continue;
        }
        kept.push(c);
    }
    kept
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum About {
    /// First person, or no subject (a CV bullet).
    User,
    /// Both the writer and the reader.
    Both,
    /// Only the reader or their company.
    Reader,
}

const FIRST_PERSON: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself",
];
const SECOND_PERSON: &[&str] = &["you", "your", "you're", "yours", "you've", "you'll"];

/// Words that deny what follows: "does not show", "no", "without", "missing".
const DENIALS: &[&str] = &[
    "not", "no", "never", "without", "lack", "lacks", "missing", "doesn't", "don't", "isn't",
    "aren't", "haven't", "hasn't", "nothing", "none", "neither", "nor", "gap", "gaps",
];

fn denies(body: &str) -> bool {
    body.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .any(|w| DENIALS.contains(&w.to_lowercase().replace('\u{2019}', "'").as_str()))
}

fn about(body: &str, bullet: bool) -> About {
    let words: Vec<String> = body
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('\u{2019}', "'"))
        .collect();
    let first = bullet || words.iter().any(|w| FIRST_PERSON.contains(&w.as_str()));
    let second = words.iter().any(|w| {
        SECOND_PERSON.contains(&w.as_str()) || w.strip_suffix("'s").is_some_and(|b| b == "your")
    });
    match (first, second) {
        (_, false) => About::User,
        (true, true) => About::Both,
        (false, true) => About::Reader,
    }
}

struct Span {
    start: usize,
    end: usize,
    bullet: bool,
}

/// Sentences and bullet lines, as byte ranges (bullet markers left out).
fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let marker = ["- ", "• ", "* ", "– ", "· "]
            .iter()
            .find(|m| trimmed.starts_with(**m))
            .map_or(0, |m| m.len());
        let bullet = marker > 0;
        let mut start = offset + lead + marker;
        let line_end = offset + line.trim_end().len();
        if start >= line_end {
            // A blank line (or a bare bullet marker).
            offset += line.len();
            continue;
        }
        let bytes = text.as_bytes();
        let mut i = start;
        while i < line_end {
            let c = bytes[i];
            if matches!(c, b'.' | b'!' | b'?')
                && (i + 1 >= line_end || bytes[i + 1] == b' ')
                && !abbreviation_before(&text[start..i])
            {
                out.push(Span {
                    start,
                    end: i + 1,
                    bullet,
                });
                start = i + 1;
            }
            i += 1;
        }
        if text[start..line_end].trim().len() > 1 {
            out.push(Span {
                start,
                end: line_end,
                bullet,
            });
        }
        offset += line.len();
    }
    out
}

/// Whether a period ends an abbreviation ("St.", "B.S.", "Ph.D.", "Inc.") rather than a
/// sentence.
fn abbreviation_before(before: &str) -> bool {
    let last = before.rsplit(' ').next().unwrap_or("");
    last.len() <= 3 && last.chars().next().is_some_and(char::is_uppercase)
        || last.contains('.')
        || [
            "inc", "corp", "ltd", "co", "jr", "sr", "dr", "mr", "ms", "mrs", "vs", "e.g", "i.e",
        ]
        .contains(&last.to_lowercase().as_str())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Plain,
    Percent,
    Money,
    /// "3x", "tripled", "halved".
    Times,
    /// A year, 1950–2100.
    Year,
}

fn compatible(a: Unit, b: Unit) -> bool {
    a == b || (a == Unit::Plain && b == Unit::Year) || (a == Unit::Year && b == Unit::Plain)
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

struct Found {
    start: usize,
    end: usize,
    value: f64,
    unit: Unit,
    /// Followed by "years" / "yrs": a duration.
    years_after: bool,
}

const WORD_NUMBERS: &[(&str, f64)] = &[
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("dozen", 12.0),
    ("hundred", 100.0),
];

const TIMES_WORDS: &[(&str, f64)] = &[
    ("doubled", 2.0),
    ("doubling", 2.0),
    ("tripled", 3.0),
    ("tripling", 3.0),
    ("quadrupled", 4.0),
    ("halved", 0.5),
    ("halving", 0.5),
];

const SCALE_WORDS: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("million", 1e6),
    ("millions", 1e6),
    ("billion", 1e9),
    ("billions", 1e9),
];

/// Tokens with their byte ranges: runs of letters, digits and the marks numbers use.
fn tokens(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let part = c.is_alphanumeric() || matches!(c, '$' | '€' | '£' | '%' | '.' | ',' | '+');
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), &text[s..]));
    }
    // Trailing sentence punctuation is not part of a token.
    out.into_iter()
        .map(|(s, _, t)| {
            let trimmed = t.trim_end_matches(['.', ',']);
            (s, s + trimmed.len(), trimmed)
        })
        .filter(|(_, _, t)| !t.is_empty())
        .collect()
}

/// The figures of a text: digits (with `$ € £`, `%`, `k`/`K`/`M`/`B`/`bn`, `x`, and a
/// following "percent", "million", "times"…), number words, and "doubled"-style verbs.
fn numbers_in(text: &str) -> Vec<Found> {
    let tokens = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (start, mut end, token) = tokens[i];
        let lower = token.to_lowercase();
        let mut unit = Unit::Plain;
        let mut value;
        let body = lower.trim_start_matches(['$', '€', '£']);
        if body.len() < lower.len() {
            unit = Unit::Money;
        }
        let digits: String = body
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
            .filter(|c| *c != ',')
            .collect();
        let suffix = &body[body
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.'))
            .map_or(body.len(), |(i, _)| i)..];
        if !digits.is_empty() && digits.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            value = digits
                .trim_end_matches('.')
                .parse::<f64>()
                .unwrap_or(f64::NAN);
            if value.is_nan() {
                i += 1;
                continue;
            }
            match suffix.trim_end_matches('+') {
                "" => {}
                "%" => unit = Unit::Percent,
                "k" => value *= 1e3,
                "m" | "mm" => value *= 1e6,
                "b" | "bn" => value *= 1e9,
                "x" => unit = Unit::Times,
                // "30-day", "24/7", "3rd": the digits alone.
                _ => {}
            }
        } else if let Some((_, v)) = WORD_NUMBERS.iter().find(|(w, _)| *w == lower) {
            value = *v;
        } else if let Some((_, v)) = TIMES_WORDS.iter().find(|(w, _)| *w == lower) {
            out.push(Found {
                start,
                end,
                value: *v,
                unit: Unit::Times,
                years_after: false,
            });
            i += 1;
            continue;
        } else {
            i += 1;
            continue;
        }
        // What follows: a scale, "percent", "times", "years".
        let mut years_after = false;
        let mut j = i + 1;
        while let Some((_, next_end, next)) = tokens.get(j) {
            let next = next.to_lowercase();
            if let Some((_, scale)) = SCALE_WORDS.iter().find(|(w, _)| *w == next) {
                value *= scale;
            } else if next == "percent"
                || next == "per"
                    && tokens
                        .get(j + 1)
                        .is_some_and(|t| t.2.eq_ignore_ascii_case("cent"))
            {
                unit = Unit::Percent;
                if next == "per" {
                    j += 1;
                }
            } else if next == "times" || next == "fold" {
                unit = Unit::Times;
            } else if matches!(next.as_str(), "dollars" | "usd") {
                unit = Unit::Money;
            } else if matches!(next.as_str(), "years" | "yrs" | "year") && unit == Unit::Plain {
                years_after = next != "year" || value <= 1.0;
                end = *next_end;
                j += 1;
                break;
            } else {
                break;
            }
            end = tokens[j].1;
            j += 1;
        }
        // "a 30-day window": "30" then "-day"; "2016 - 2020": years.
        if unit == Unit::Plain
            && !years_after
            && value.fract() == 0.0
            && (1950.0..=2100.0).contains(&value)
            && digits.len() == 4
        {
            unit = Unit::Year;
        }
        // "one" and "a" are too common to be claims.
        if value > 1.0 || unit != Unit::Plain || years_after {
            out.push(Found {
                start,
                end,
                value,
                unit,
                years_after,
            });
        }
        i = j.max(i + 1);
    }
    out
}

/// Degree mentions: (start, end, level).
fn degrees_in(text: &str) -> Vec<(usize, usize, &'static str)> {
    const FORMS: &[(&str, &str)] = &[
        ("ph.d.", "doctorate"),
        ("ph.d", "doctorate"),
        ("phd", "doctorate"),
        ("doctorate", "doctorate"),
        ("doctoral degree", "doctorate"),
        ("doctor of", "doctorate"),
        ("mba", "mba"),
        ("m.b.a.", "mba"),
        ("master of business administration", "mba"),
        ("master's", "master"),
        ("masters", "master"),
        ("master of", "master"),
        ("m.s.", "master"),
        ("m.sc.", "master"),
        ("msc", "master"),
        ("m.a.", "master"),
        ("m.eng", "master"),
        ("meng", "master"),
        ("bachelor's", "bachelor"),
        ("bachelors", "bachelor"),
        ("bachelor of", "bachelor"),
        ("b.s.", "bachelor"),
        ("b.sc.", "bachelor"),
        ("bsc", "bachelor"),
        ("b.a.", "bachelor"),
        ("b.eng", "bachelor"),
        ("bsn", "bachelor"),
        ("associate degree", "associate"),
        ("associate's degree", "associate"),
        ("associate of", "associate"),
    ];
    let lower = text.to_lowercase();
    let mut out: Vec<(usize, usize, &'static str)> = Vec::new();
    for (form, level) in FORMS {
        let mut from = 0;
        while let Some(at) = lower[from..].find(form) {
            let start = from + at;
            let mut end = start + form.len();
            from = end;
            let before_ok = !lower[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let after_ok = form.ends_with('.')
                || form.ends_with(" of")
                || !lower[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if !(before_ok && after_ok) || out.iter().any(|o| start < o.1 && o.0 < end) {
                continue;
            }
            // "Master of Science in Nursing": the whole name.
            if form.ends_with(" of") {
                let rest = &text[end..];
                let more: usize = rest
                    .split_inclusive(' ')
                    .take_while(|w| {
                        let w = w.trim();
                        w.chars().next().is_some_and(char::is_uppercase)
                            || matches!(w, "in" | "of" | "and")
                    })
                    .map(str::len)
                    .sum();
                end += rest[..more].trim_end().len();
            }
            // "a Ph.D. in distributed systems": the field belongs to the claim.
            if let Some(rest) = text[end..].strip_prefix(" in ") {
                let field: usize = rest
                    .split_inclusive(' ')
                    .take(5)
                    .take_while(|w| !matches!(w.trim(), "from" | "at" | "and" | "with" | "for"))
                    .scan(false, |stop, w| {
                        if *stop {
                            return None;
                        }
                        *stop = w.trim_end().ends_with([',', '.', ';', ':']);
                        Some(w.len())
                    })
                    .sum();
                let field = rest[..field]
                    .trim_end()
                    .trim_end_matches([',', '.', ';', ':']);
                if !field.is_empty() {
                    end += 4 + field.len();
                }
            }
            out.push((start, end, level));
        }
    }
    out.sort();
    out
}

const CERT_ACRONYMS: &[&str] = &[
    "PMP", "CPA", "CFA", "CISSP", "CISA", "CISM", "CCNA", "CCNP", "CKA", "CKAD", "PALS", "ACLS",
    "BLS", "PHR", "SPHR", "CSM", "ITIL", "CEH", "OSCP", "CMA", "FRM", "CAPM", "PRINCE2", "RHCE",
    "MCSE", "CPR", "NCLEX", "LEED", "CCRN", "FNP",
];

/// The words of a text with their byte ranges, without the quotes, brackets and
/// punctuation around them.
fn spans(text: &str) -> Vec<(usize, usize, &str)> {
    text.split_inclusive([' ', '\n', '/'])
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len();
            let trimmed = w.trim_end();
            let lead = trimmed.len() - trimmed.trim_start_matches(['(', '"', '\'', '“']).len();
            let core = trimmed
                .trim_start_matches(['(', '"', '\'', '“'])
                .trim_end_matches([',', '.', ';', ':', ')', '"', '”', '!', '?', '—']);
            Some((start + lead, start + lead + core.len(), core))
        })
        .filter(|(_, _, w)| !w.is_empty())
        .collect()
}

fn is_capitalised(word: &str) -> bool {
    word.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Certification mentions: (start, end, the name to look for).
fn certifications_in(text: &str) -> Vec<(usize, usize, String)> {
    let words = spans(text);
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let cap = |i: usize| {
        words.get(i).is_some_and(|(_, _, w)| {
            is_capitalised(w) && !w.eq_ignore_ascii_case("and") && !w.eq_ignore_ascii_case("i")
        })
    };
    for (i, (start, end, word)) in words.iter().enumerate() {
        let lower = word.to_lowercase();
        let mut found: Option<(usize, usize)> = None;
        if lower == "certified" {
            // "AWS Certified Solutions Architect", "Certified Public Accountant (CPA)",
            // "certified in Pediatric Advanced Life Support (PALS)".
            let mut a = i;
            while a > 0
                && cap(a - 1)
                && !FIRST_PERSON.contains(&words[a - 1].2.to_lowercase().as_str())
            {
                a -= 1;
            }
            let mut b = i + 1;
            if words.get(b).is_some_and(|w| w.2 == "in") {
                b += 1;
            }
            let from = b;
            while cap(b) || words.get(b).is_some_and(|w| w.2 == "of" && cap(b + 1)) {
                b += 1;
            }
            if b > from || a < i {
                found = Some((words[a].0, words[b - 1].1));
            }
        } else if lower.starts_with("certification") || lower.starts_with("certificate") {
            // "HubSpot Inbound Marketing certifications".
            let mut a = i;
            while a > 0 && cap(a - 1) {
                a -= 1;
            }
            if a < i {
                found = Some((words[a].0, words[i - 1].1));
            }
        } else {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            if CERT_ACRONYMS.contains(&bare) {
                let offset = word.find(bare).unwrap_or(0);
                found = Some((start + offset, start + offset + bare.len()));
            }
        }
        let Some((a, b)) = found else { continue };
        // A trailing "(ACRONYM)" belongs to the name.
        let mut b = b;
        if let Some(rest) = text[b..].strip_prefix(" (")
            && let Some(close) = rest.find(')')
            && close <= 10
        {
            b += 2 + close + 1;
        }
        let _ = end;
        if out.iter().any(|o| a < o.1 && o.0 < b) {
            continue;
        }
        let name = &text[a..b];
        // Looked for: the acronym if there is one, else the name without "certified".
        let core = name
            .rsplit_once('(')
            .map(|(_, acr)| acr.trim_end_matches(')').to_owned())
            .unwrap_or_else(|| name.to_owned());
        out.push((a, b, core));
    }
    out
}

const ORG_LEADS: &[&str] = &["at", "joined", "for", "from"];
/// Day names; with the month names of `pursuit_text::dates`, capitalised yet never a name
/// or an organisation.
const DAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn is_calendar_word(lower: &str) -> bool {
    DAYS.contains(&lower) || pursuit_text::dates::month_number(lower).is_some()
}
const NOT_ORGS: &[&str] = &["least", "once", "scale", "home", "work", "present", "night"];

const ORG_WORDS: &[&str] = &[
    "university",
    "college",
    "institute",
    "school",
    "academy",
    "inc",
    "corp",
    "corporation",
    "company",
    "co",
    "llc",
    "ltd",
    "gmbh",
    "group",
    "labs",
    "technologies",
    "hospital",
    "clinic",
    "bank",
    "agency",
    "foundation",
    "partners",
    "systems",
    "software",
    "health",
];

/// Organisations named after "at", "joined", "for", "from": capitalised runs (with "of",
/// "&", "the" inside), as byte ranges.
fn organisations_in(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let tokens = spans(text);
    for (i, (_, _, word)) in tokens.iter().enumerate() {
        if !ORG_LEADS.contains(&word.to_lowercase().as_str()) {
            continue;
        }
        let mut j = i + 1;
        if tokens
            .get(j)
            .is_some_and(|t| t.2 == "the" && tokens.get(j + 1).is_some_and(|n| is_capitalised(n.2)))
        {
            j += 1;
        }
        let first = j;
        while let Some((_, _, w)) = tokens.get(j) {
            let inner = j > first && matches!(*w, "of" | "&" | "and" | "de");
            if (is_capitalised(w) && !w.starts_with(|c: char| c.is_ascii_digit()))
                || (inner && tokens.get(j + 1).is_some_and(|n| is_capitalised(n.2)))
            {
                j += 1;
                // A run stops after a word that ended a clause ("Acme, where…").
                if text[tokens[j - 1].1..].starts_with([',', '.', ';', ':']) {
                    break;
                }
            } else {
                break;
            }
        }
        if j == first {
            continue;
        }
        let (start, end) = (tokens[first].0, tokens[j - 1].1);
        let name = &text[start..end];
        let lower = name.to_lowercase();
        // "from VMs to Kubernetes" is a move, not a school: after "from", only names that
        // say they are an organisation.
        if word.eq_ignore_ascii_case("from") && !lower.split(' ').any(|w| ORG_WORDS.contains(&w)) {
            continue;
        }
        if NOT_ORGS.contains(&lower.as_str())
            || is_calendar_word(&lower)
            || FIRST_PERSON.contains(&lower.as_str())
            // "for Google Ads" names a tool; "at Google", "joined Oracle" an employer.
            || (word.eq_ignore_ascii_case("for")
                && taxonomy()
                    .find(name)
                    .iter()
                    .any(|m| m.start == 0 && m.end == name.len()))
        {
            continue;
        }
        out.push((start, end));
    }
    out
}

const ROLE_NOUNS: &[&str] = &[
    "engineer",
    "manager",
    "director",
    "developer",
    "analyst",
    "designer",
    "lead",
    "scientist",
    "consultant",
    "architect",
    "head",
    "officer",
    "specialist",
    "accountant",
    "nurse",
    "coordinator",
    "administrator",
    "associate",
    "assistant",
    "clerk",
    "preceptor",
    "writer",
    "marketer",
    "vp",
    "president",
    "partner",
    "principal",
    "intern",
    "technician",
    "teacher",
    "supervisor",
    "controller",
    "auditor",
    "recruiter",
    "strategist",
    "editor",
    "producer",
    "programmer",
    "researcher",
    "founder",
    "owner",
    "executive",
    "representative",
    "advisor",
    "physician",
    "therapist",
    "pharmacist",
    "chef",
    "cook",
    "attorney",
    "paralegal",
    "cto",
    "ceo",
    "cfo",
    "coo",
    "cmo",
];
const TITLE_FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "and",
    "&",
    "licensed",
    "certified",
    "experienced",
    "seasoned",
    "former",
    "current",
    "registered",
];

/// Job titles after "as", "I am a", "I'm a", "promoted to", "role of", "worked as": up to
/// six words ending in a role noun.
fn titles_in(text: &str) -> Vec<(usize, usize)> {
    let tokens: Vec<(usize, usize, String)> = spans(text)
        .into_iter()
        .map(|(s, e, w)| (s, e, w.to_lowercase().replace('\u{2019}', "'")))
        .collect();
    let mut out = Vec::new();
    for i in 0..tokens.len() {
        let lead = tokens[i].2.as_str();
        let next = tokens.get(i + 1).map(|t| t.2.as_str());
        let starts = match (lead, next) {
            ("as", _) => Some(i + 1),
            ("to", _)
                if i > 0
                    && matches!(
                        tokens[i - 1].2.as_str(),
                        "promoted" | "rose" | "moved" | "advanced"
                    ) =>
            {
                Some(i + 1)
            }
            ("am" | "i'm" | "was", Some("a" | "an")) => Some(i + 2),
            ("of", _) if i > 0 && tokens[i - 1].2 == "role" => Some(i + 1),
            _ => None,
        };
        let Some(mut first) = starts else { continue };
        if tokens
            .get(first)
            .is_some_and(|t| matches!(t.2.as_str(), "a" | "an" | "the"))
        {
            first += 1;
        }
        // The run: words up to a role noun, within six words, before a preposition.
        let mut last = None;
        for k in first..(first + 6).min(tokens.len()) {
            let w = tokens[k].2.as_str();
            if ROLE_NOUNS.contains(&w) {
                last = Some(k);
                // "Director of Marketing": the field after "of".
                if tokens.get(k + 1).is_some_and(|t| t.2 == "of")
                    && tokens
                        .get(k + 2)
                        .is_some_and(|t| is_capitalised(&text[t.0..t.1]))
                {
                    last = Some(k + 2);
                }
            }
            let ended = text[tokens[k].1..].starts_with([',', '.', ';', ':']);
            if matches!(w, "at" | "in" | "for" | "with" | "on" | "and" | "who" | "i") || ended {
                if ended && ROLE_NOUNS.contains(&w) {
                    last = Some(k);
                }
                break;
            }
        }
        if let Some(last) = last {
            out.push((tokens[first].0, tokens[last].1));
        }
    }
    out
}

const COMMON_CAPITALISED: &[&str] = &[
    "i",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "a",
    "an",
    "the",
    "and",
    "or",
    "my",
    "we",
    "our",
    "english",
    "ok",
    "dear",
    "hi",
    "hello",
    "thanks",
    "best",
    "regards",
    "sincerely",
    "ps",
    "ceo",
    "cto",
    "vp",
    "hr",
    "ai",
    "us",
    "usa",
    "uk",
    "eu",
    // Words that start a clause: a sentence the splitter did not end ("… in SAP. As
    // Warehouse Associate at …") puts them mid-run, and alone they name nothing.
    "as",
    "at",
    "in",
    "on",
    "for",
    "with",
    "by",
    "from",
    "after",
    "before",
    "while",
    "during",
    "since",
    "when",
    "also",
    "then",
];

/// Capitalised words that are not the first of their sentence, nor after a greeting, as
/// runs (`Mayo Clinic`).
fn capitalised_runs(text: &str) -> Vec<(usize, usize)> {
    let tokens = spans(text);
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    // From a greeting word to the end of its phrase ("Dear Ms. Chen,", "Hi Dana —"): the
    // recipient's name, not a claim.
    let mut greeting = false;
    for (k, (start, end, word)) in tokens.iter().enumerate() {
        if matches!(
            word.to_lowercase().as_str(),
            "hi" | "hello" | "dear" | "hey"
        ) {
            greeting = true;
            out.extend(run.take());
            continue;
        }
        if greeting {
            let ended = text[*end..].starts_with([',', ':', '\n', '\r'])
                || text[*end..].trim_start().starts_with(['—', '–', '-'])
                || !is_capitalised(word);
            if ended {
                greeting = false;
            }
            continue;
        }
        let capital = k > 0 && is_capitalised(word) && word.chars().any(char::is_alphabetic);
        if capital {
            run = Some(run.map_or((*start, *end), |(s, _)| (s, *end)));
            // A run stops where a clause does ("Google, where…").
            if text[*end..].starts_with([',', '.', ';', ':']) {
                out.extend(run.take());
            }
        } else {
            out.extend(run.take());
        }
    }
    out.extend(run);
    out
}

/// The share of flagged claims a text has (for a writer's summary line).
pub fn unsupported(claims: &[Claim]) -> Vec<&Claim> {
    claims.iter().filter(|c| !c.supported).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESUME: &str = "Sam Rivera\n\nExperience\nSenior Software Engineer | Northwind Logistics | Mar 2020 - Present\n\
        - Cut CI build times by 42% with Bazel\n- Led a team of 5 engineers\nSoftware Engineer | Contoso Retail | Jun 2016 - Feb 2020\n\
        - Built the order service in Go at 3,000 requests per second\n\nEducation\nB.S. Computer Science, Oregon State University, 2016\n\n\
        Certifications\nCertified Kubernetes Administrator (CKA)\n\nSkills\nGo, Rust, Kubernetes, Bazel\n";

    fn flagged(text: &str) -> Vec<(ClaimKind, String)> {
        let sources = Sources::new(
            &[RESUME],
            &["Acme Cloud is hiring a Platform Engineer"],
            YearMonth {
                year: 2026,
                month: Some(12),
            },
        );
        unsupported(&sources.check(text))
            .into_iter()
            .map(|c| (c.kind, c.words.clone()))
            .collect()
    }

    #[test]
    fn a_posting_names_a_skill_it_never_gives_the_user() {
        let sources = Sources::new(
            &[RESUME],
            &["Senior Terraform Platform Engineer at Acme Cloud. Terraform and Kafka required."],
            YearMonth {
                year: 2026,
                month: Some(12),
            },
        );
        let flags = |text: &str| -> Vec<String> {
            unsupported(&sources.check(text))
                .into_iter()
                .map(|c| c.words.clone())
                .collect()
        };
        // Applying for the role by its name claims nothing.
        assert_eq!(
            flags("I am writing to apply for the Senior Terraform Platform Engineer position."),
            Vec::<String>::new()
        );
        // Claiming the skill the posting asks for is a claim all the same.
        assert_eq!(
            flags("I have run Kafka and Terraform in production."),
            ["Kafka", "Terraform"]
        );
        // The role's name written out whole names the role; outside it, its words claim.
        let role = "Technical Writer, Google Cloud, Summer 2018";
        let named = Sources::new(
            &[RESUME],
            &[],
            YearMonth {
                year: 2026,
                month: Some(12),
            },
        )
        .with_names(&[role]);
        let text = format!("I am applying for the {role} role.");
        assert!(
            unsupported(&named.check(&text)).is_empty(),
            "{:?}",
            unsupported(&named.check(&text))
        );
        let without = Sources::new(
            &[RESUME],
            &[],
            YearMonth {
                year: 2026,
                month: Some(12),
            },
        );
        assert!(!unsupported(&without.check(&text)).is_empty());
        assert!(!unsupported(&named.check("I have run Google Cloud since 2018.")).is_empty());
        // Years on a soft skill the material does not show are a claim; the skill alone is
        // how a text talks.
        assert_eq!(
            flags("I have 4 years of experience where I achieve sales targets."),
            ["achieve sales targets"]
        );
        assert_eq!(
            flags("I like to achieve sales targets."),
            Vec::<String>::new()
        );
        // The posting's company is named, not claimed, until the text says the user worked
        // there.
        assert_eq!(
            flags("I would love to bring this to Acme Cloud."),
            Vec::<String>::new()
        );
        assert_eq!(flags("I spent three years at Acme Cloud."), ["Acme Cloud"]);
        // A clause word left mid-run by the sentence splitter names nothing.
        assert_eq!(
            flags(
                "I cut CI build times with Bazel at Northwind Logistics in CI. As Software Engineer at Contoso Retail, I built the order service."
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_faithful_rewrite_passes() {
        for text in [
            "At Northwind Logistics I cut CI build times by 42 percent with Bazel and led a team of five engineers.",
            "I built the order service in Go at 3,000 requests per second while at Contoso Retail, after my B.S. from Oregon State University.",
            "I am a Certified Kubernetes Administrator (CKA) and would love to join Acme Cloud as a Platform Engineer.",
            "Dear Ms. Chen,\n\nI led a team of 5 engineers at Northwind Logistics.",
            "Hi Dana — I cut CI build times by 42% at Northwind Logistics.",
            "Your platform team ships 40 services a day on Kubernetes.",
            "- Built the order service in Go\n- Led a team of 5 engineers since 2020",
        ] {
            assert_eq!(flagged(text), [], "{text}");
        }
    }

    #[test]
    fn spoken_to_the_user_you_is_the_user() {
        let sources = Sources::new(
            &[RESUME],
            &["Acme Cloud is hiring a Platform Engineer who knows Terraform"],
            YearMonth {
                year: 2026,
                month: Some(12),
            },
        )
        .spoken_to_the_user();
        let words = |text: &str| -> Vec<String> {
            unsupported(&sources.check(text))
                .into_iter()
                .map(|c| c.words.clone())
                .collect()
        };
        // An assistant's answer: "you" is the user, and what it says of them is checked.
        assert_eq!(
            words("You led the audit team at Deloitte and hold a CKAD."),
            ["Deloitte", "CKAD"]
        );
        assert_eq!(
            words("You cut CI build times by 42% at Northwind Logistics."),
            Vec::<String>::new()
        );
        assert_eq!(
            words("You cut CI build times by 90% at Northwind Logistics."),
            ["90%"]
        );
        // Saying the user lacks what the posting asks names it, never claims it; saying
        // they have it is a claim.
        assert_eq!(
            words("Acme Cloud asks for Terraform, and your resume does not show it."),
            Vec::<String>::new()
        );
        assert_eq!(words("You know Terraform well."), ["Terraform"]);
        // The posting quoted is the posting speaking, whoever it addresses.
        assert_eq!(
            words("Your resume answers nothing for “Platform Engineer who knows Terraform”."),
            Vec::<String>::new()
        );
        // The posting asks for "Terraform"; named in full, it is still the posting's.
        assert_eq!(
            words("You do not show HashiCorp Terraform yet."),
            Vec::<String>::new()
        );
        // A sentence about neither the user nor the writer claims nothing of the user; a
        // bullet offered for the resume is the user's.
        assert_eq!(words("The match is 59 of 100."), Vec::<String>::new());
        assert_eq!(words("- Cut CI build times by 90% with Bazel"), ["90%"]);
        // What the assistant says of itself claims nothing about the user.
        assert_eq!(words("I can help you prepare."), Vec::<String>::new());
        // The same text written for the user (a letter to a reader) reads "you" as the
        // reader: unchecked.
        assert_eq!(flagged("You led the audit team at Deloitte."), []);
    }

    #[test]
    fn each_kind_of_invention_is_flagged_with_its_words() {
        let cases = [
            (
                "I cut CI build times by 70% with Bazel.",
                ClaimKind::Number,
                "70%",
            ),
            ("I saved $3M a year.", ClaimKind::Number, "$3M"),
            (
                "I bring 20 years of experience.",
                ClaimKind::Duration,
                "20 years",
            ),
            (
                "I joined Northwind Logistics in 2018.",
                ClaimKind::Date,
                "2018",
            ),
            (
                "I built the order service in Java.",
                ClaimKind::Skill,
                "Java",
            ),
            (
                "I hold a PhD in physics.",
                ClaimKind::Degree,
                "PhD in physics",
            ),
            (
                "I am a Certified Scrum Master.",
                ClaimKind::Certification,
                "Certified Scrum Master",
            ),
            (
                "Before that I worked at Initech.",
                ClaimKind::Employer,
                "Initech",
            ),
            (
                "Before that I spent four years at Google, and I loved it.",
                ClaimKind::Employer,
                "Google",
            ),
            (
                "As a Principal Engineer at Northwind Logistics I led the platform.",
                ClaimKind::Title,
                "Principal Engineer",
            ),
        ];
        for (text, kind, words) in cases {
            let found = flagged(text);
            assert!(
                found.iter().any(|(k, w)| *k == kind && w == words),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn any_text_is_read_without_a_panic() {
        // Blank lines, CRLF, bullets alone, multi-byte letters, marks at every boundary.
        let pieces = [
            "\r\n",
            "\n",
            " ",
            "- ",
            "• ",
            "I ",
            "led ",
            "at ",
            "Acme",
            ".",
            "!",
            "?",
            "$",
            "%",
            "3",
            ",",
            "000",
            "x",
            "M",
            "é",
            "日本",
            "—",
            "(",
            ")",
            "\"",
            "Ph.D.",
            "certified ",
            "as a ",
            "Manager",
            "years ",
            "2019",
            "your ",
            "in ",
            "B.S. ",
            "'s",
            "\u{200b}",
        ];
        let sources = Sources::new(
            &[RESUME],
            &[],
            YearMonth {
                year: 2026,
                month: Some(12),
            },
        );
        // A letter from a browser form: CRLF and blank lines.
        let letter = "Dear Ms. Chen,\r\n\r\nAt Acme I led 40 engineers.\r\n\r\nBest,\r\nSam";
        assert!(sources.check(letter).iter().any(|c| c.words == "40"));
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut text = String::new();
            let length = (seed % 40) as usize;
            for _ in 0..length {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            for claim in sources.check(&text) {
                assert_eq!(&text[claim.start..claim.end], claim.words, "{text:?}");
            }
            seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        }
    }

    #[test]
    fn numbers_read_in_their_forms() {
        let found: Vec<(Unit, f64)> =
            numbers_in("grew 3x, then tripled; $1.5 million; 40 percent; 10k users; a dozen; 2019")
                .into_iter()
                .map(|f| (f.unit, f.value))
                .collect();
        assert_eq!(
            found,
            [
                (Unit::Times, 3.0),
                (Unit::Times, 3.0),
                (Unit::Money, 1.5e6),
                (Unit::Percent, 40.0),
                (Unit::Plain, 10_000.0),
                (Unit::Plain, 12.0),
                (Unit::Year, 2019.0)
            ]
        );
    }
}
