//! A resume against a job posting: a score from 0 to 100 with its parts, each part with the
//! resume lines that support it, and the skills in three groups (matched, shown but not
//! named, missing). Deterministic and offline: the same two documents always give the same
//! result, and a skill counts once however often it is repeated.
//!
//! The parts and their weights (a part the posting gives no basis for is left out and the
//! others share its weight):
//!
//! | part | weight | basis |
//! |---|---|---|
//! | required skills | 25 | the posting's must-have skills the resume names (half for one it shows but does not name) |
//! | preferred skills | 5 | the same for nice-to-haves |
//! | title | 15 | the posting's title against the resume's headline and role titles: shared words, or the same occupation (O*NET) |
//! | field | 40 | the kind of work: the occupations the posting and the resume read as, by titles and wording |
//! | experience | 5 | the resume's years (overlaps merged) against the years asked |
//! | education | 5 | the highest degree on the resume against the lowest the posting asks |
//! | responsibilities | 10 | how much of each responsibility the resume's highlights cover, rare words counting more |
//! | wording | 60 | how much the two texts share their wording, both ways: BM25's saturating term weight, each word weighted by how telling it is across O*NET's occupations (a reference corpus in the binary, so a pair's score does not depend on what else is ranked), square-rooted |
//! | languages | 5 | the human languages the posting asks, against those the resume names or is written in (a resume written in the posting's own language: the others asked only) |
//!
//! A skills part's weight grows with the number of skills it rests on (`n / (n + 2)` of
//! its full weight): one recognised skill, often a generic one, cannot decide a score.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::occupations::{self, Mix};
use crate::posting::{Posting, SkillRef};
use crate::resume::Resume;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// 0–100.
    pub score: u32,
    /// The score before rounding, for ordering many results.
    #[serde(skip)]
    pub exact: f64,
    /// Set when the result rests on too little to be trusted, saying why.
    pub provisional: Option<String>,
    pub parts: Vec<Part>,
    pub skills: SkillGroups,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    pub name: &'static str,
    /// The part's share of the score, in points (its weight after the parts that do not
    /// apply are left out).
    pub weight: f64,
    /// 0–1.
    pub fit: f64,
    pub detail: String,
    pub evidence: Vec<Evidence>,
}

/// A line of the posting and the resume line that answers it (if any).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub posting: String,
    pub resume: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SkillGroups {
    pub matched: Vec<SkillNote>,
    /// The resume shows the skill without naming it the way the posting does.
    pub unphrased: Vec<SkillNote>,
    /// Not on the resume. Never to be claimed; listed so the user knows.
    pub missing: Vec<SkillNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillNote {
    pub skill: String,
    pub required: bool,
    /// The posting's line that asks for it.
    pub posting: String,
    /// The resume line that shows it.
    pub resume: Option<String>,
    pub advice: String,
}

/// What a part found: its fit (0–1), a sentence, the evidence. `None`: no basis.
type Found = Option<(f64, String, Vec<Evidence>)>;

/// The parts and their weights (points out of 100 when every part applies).
pub const WEIGHTS: [(&str, f64); 9] = [
    ("required_skills", 25.0),
    ("preferred_skills", 5.0),
    ("title", 15.0),
    ("field", 40.0),
    ("experience", 5.0),
    ("education", 5.0),
    ("responsibilities", 10.0),
    ("wording", 60.0),
    ("languages", 5.0),
];

/// BM25's term-frequency saturation and length normalisation, and the length of a typical
/// resume (distinct content words) and posting (content words).
const K1: f64 = 1.2;
const B: f64 = 0.75;
const TYPICAL_RESUME_WORDS: f64 = 250.0;
const TYPICAL_POSTING_WORDS: f64 = 250.0;

/// The resume side of matching, worked out once: ranking many postings for one resume
/// reuses it.
pub struct Prepared<'a> {
    resume: &'a Resume,
    text: &'a str,
    lower_text: String,
    /// Runs of one to four words of the text, lower-cased (for "shown but not named"), as
    /// sorted [`phrase_key`]s: made once the resume has been asked about enough skills
    /// ([`Prepared::names_in_words`]).
    phrases: std::sync::OnceLock<Vec<u64>>,
    /// How many skills the resume has been asked about.
    asked: std::sync::atomic::AtomicUsize,
    /// The headline and each role's title, with their terms and occupations.
    titles: Vec<(&'a String, BTreeSet<String>, Mix)>,
    /// The occupations the resume reads as: its titles' and its wording's.
    field: Mix,
    /// The resume's skills by id (the first mention of each).
    held: HashMap<&'a str, &'a SkillRef>,
    /// Skills the resume shows through a child ([`IMPLIES`]): parent id → the child.
    implied: HashMap<&'static str, &'a SkillRef>,
    /// Highlights and summary, with their terms.
    lines: Vec<(&'a String, Weighted)>,
    /// The distinct content words of the whole text, with their weights (sorted by hash:
    /// whether the resume uses a word is a binary search; repeating it changes nothing).
    wording: Weighted,
}

impl<'a> Prepared<'a> {
    /// `text` is the text the resume was read from.
    pub fn new(resume: &'a Resume, text: &'a str) -> Prepared<'a> {
        let lower_text = crate::lower_case(text);
        let mut prepared = Prepared {
            resume,
            text,
            phrases: std::sync::OnceLock::new(),
            asked: std::sync::atomic::AtomicUsize::new(0),
            lower_text,
            titles: resume
                .basics
                .label
                .iter()
                .chain(resume.work.iter().filter_map(|r| r.position.as_ref()))
                .map(|t| (t, terms(t), occupations::of_title(t)))
                .collect(),
            field: Mix::new(),
            held: HashMap::new(),
            implied: HashMap::new(),
            lines: resume
                .work
                .iter()
                .flat_map(|r| r.highlights.iter())
                .chain(resume.basics.summary.iter())
                .chain(resume.accomplishments.iter())
                .map(|l| (l, weighted(l)))
                .collect(),
            wording: Weighted {
                terms: Vec::new(),
                total: 0.0,
            },
        };
        let mut stems = StemCounts::default();
        count_lower_stems(&prepared.lower_text, &mut stems);
        prepared.wording = weighted_stems(&stems);
        // A resume written in a language shows that language.
        if let Some(written) = resume.lang.as_deref().and_then(written_in) {
            prepared.held.insert(written.id.as_str(), written);
        }
        for have in &resume.skills {
            prepared.held.entry(have.id.as_str()).or_insert(have);
            for (child, parent) in IMPLIES {
                if *child == have.id {
                    prepared.implied.entry(parent).or_insert(have);
                }
            }
        }
        let by_titles: Vec<&Mix> = prepared.titles.iter().map(|(_, _, mix)| mix).collect();
        let (wording, known) = occupations::of_text_counted(&stems);
        prepared.field = blend(&by_titles, &wording, known);
        prepared
    }
}

impl Prepared<'_> {
    /// The resume line that names a skill (`name`, whose [`phrase_key`] is `key`) in words
    /// of its own, not as the vocabulary's skill: the name is one of the text's runs of
    /// words ([`phrases`]) and [`shown_unnamed`] finds its line. Either check can go
    /// first. A resume matched against one posting is asked about a few skills, and a
    /// search of its text for each is quicker than making its runs of words; one ranked
    /// against many postings is asked about hundreds, and makes them after the first few.
    fn names_in_words(&self, key: u64, name: &str) -> Option<String> {
        const SEARCHES: usize = 32;
        let asked = self
            .asked
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let runs = if asked >= SEARCHES {
            Some(self.phrases.get_or_init(|| phrases(&self.lower_text)))
        } else {
            self.phrases.get()
        };
        match runs {
            Some(runs) => runs
                .binary_search(&key)
                .is_ok()
                .then(|| shown_unnamed(&self.lower_text, self.text, name))
                .flatten(),
            None => shown_unnamed(&self.lower_text, self.text, name).filter(|_| {
                let mut found = false;
                runs_of_words(&self.lower_text, |run| found |= run == key);
                found
            }),
        }
    }
}

/// The language skill a text in this language (ISO 639-1, as [`crate::lang::detect`]
/// says) shows, with that as evidence; named as the vocabulary names it.
fn written_in(code: &str) -> Option<&'static SkillRef> {
    const LANGUAGES: [(&str, &str); 30] = [
        ("en", "english"),
        ("ar", "arabic"),
        ("de", "german"),
        ("fr", "french"),
        ("es", "spanish"),
        ("it", "italian"),
        ("pt", "portuguese"),
        ("nl", "dutch"),
        ("pl", "polish"),
        ("ru", "russian"),
        ("tr", "turkish"),
        ("uk", "ukrainian"),
        ("sv", "swedish"),
        ("da", "danish"),
        ("no", "norwegian"),
        ("fi", "finnish"),
        ("cs", "czech"),
        ("he", "hebrew"),
        ("fa", "persian"),
        ("ur", "urdu"),
        ("hi", "hindi"),
        ("ja", "japanese"),
        ("ko", "korean"),
        ("zh", "chinese"),
        ("id", "indonesian"),
        ("vi", "vietnamese"),
        ("th", "thai"),
        ("el", "greek"),
        ("ro", "romanian"),
        ("hu", "hungarian"),
    ];
    static SKILLS: std::sync::LazyLock<Vec<(&str, SkillRef)>> = std::sync::LazyLock::new(|| {
        LANGUAGES
            .iter()
            .filter_map(|(code, id)| {
                let skill = crate::skills::taxonomy().get(id)?;
                Some((
                    *code,
                    SkillRef {
                        id: skill.id.to_owned(),
                        name: skill.name.to_owned(),
                        evidence: format!("The resume is written in {}.", skill.name),
                    },
                ))
            })
            .collect()
    });
    SKILLS.iter().find(|(c, _)| *c == code).map(|(_, s)| s)
}

/// How much of a document's occupations its titles decide when its wording has some too.
/// A title is one short line, often a team's or an employer's name for the job ("Associate
/// Account Strategist", "Communications Analyst, Physical Security"), and its look-up can
/// land on the wrong job; the wording is the whole text. Chosen on the tune part of the
/// quality bench: the mean gain over BM25 of its sixteen set-ups is +36.2% at 0.5 (before),
/// +40.0–41.0% anywhere from 0.25 to 0.35, +37.2% at 0.15.
const TITLE_SHARE: f64 = 0.3;

/// How many words the occupation profiles know that make a text's wording as telling as
/// its titles: a text with `n` such words gives its titles at least `k / (k + n)` of the
/// field, so a resume of three lines (ten known words: 0.6) is read by its title rather
/// than by one odd word, and a full one (35 or more) by [`TITLE_SHARE`]. Chosen on the tune
/// part (mean gain over BM25 +41.4% without; k = 5: +41.8%, 10: +41.9%, 15: +42.5%, 20:
/// +42.5%, 25: +42.1%, 30: +41.4%, 60: +38.1%); it counts most for short postings.
const THIN_WORDING: f64 = 15.0;

/// [`TITLE_SHARE`] of the titles' occupations (more when the wording is thin: see
/// [`THIN_WORDING`]; each title an equal share), the rest the wording's; all the titles'
/// when the wording finds none, all the wording's when no title is known. `evidence`: how
/// many of the text's words the occupation profiles know.
fn blend(titles: &[&Mix], wording: &Mix, evidence: usize) -> Mix {
    let known: Vec<&&Mix> = titles.iter().filter(|m| !m.is_empty()).collect();
    let title_share = if known.is_empty() || wording.is_empty() {
        if known.is_empty() { 0.0 } else { 1.0 }
    } else {
        TITLE_SHARE.max(THIN_WORDING / (THIN_WORDING + evidence as f64))
    };
    let mut weights: std::collections::BTreeMap<usize, f64> = std::collections::BTreeMap::new();
    for mix in &known {
        for (o, w) in mix.iter() {
            *weights.entry(*o).or_default() += w * title_share / known.len() as f64;
        }
    }
    for (o, w) in wording {
        *weights.entry(*o).or_default() += w * (1.0 - title_share);
    }
    weights.into_iter().collect()
}

/// A challenge of the posting and the resume line that answers it best.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct PainPoint {
    /// A responsibility or requirement of the posting.
    pub challenge: String,
    /// `responsibility` or `requirement`.
    pub kind: String,
    /// The resume line (an accomplishment where one answers) that meets it; `None` when no
    /// line does — a gap to address, not to paper over.
    pub solution: Option<String>,
    /// Whether the solution carries a number (a metric, money, a count).
    pub measured: bool,
    /// 0–1: how much of the challenge's telling words the solution shares.
    pub relevance: f64,
}

/// The posting's challenges (its responsibilities, then its required qualifications), each
/// with the resume line that answers it best, most relevant first. Deterministic: lines
/// with the same relevance keep the posting's order, and an accomplishment with a number
/// wins a tie.
pub fn pain_points(prepared: &Prepared<'_>, side: &PreparedPosting<'_>) -> Vec<PainPoint> {
    let measured: HashSet<&str> = prepared
        .resume
        .accomplishments
        .iter()
        .map(String::as_str)
        .collect();
    let challenges = side
        .duties
        .iter()
        .map(|(line, terms)| (*line, "responsibility", terms))
        .chain(
            side.requirements
                .iter()
                .map(|(line, terms)| (*line, "requirement", terms)),
        );
    let posting = side.posting;
    let holds = |id: &str| prepared.held.contains_key(id) || prepared.implied.contains_key(id);
    let mut out: Vec<PainPoint> = challenges
        .map(|(challenge, kind, wanted)| {
            // A line that asks for skills the resume does not have is a gap, however many
            // other words ("Apache") a resume line shares with it.
            let named: Vec<&SkillRef> = posting
                .skills
                .required
                .iter()
                .chain(&posting.skills.preferred)
                .chain(&posting.skills.mentioned)
                .filter(|s| s.evidence == *challenge)
                .collect();
            let held: Vec<&SkillRef> = named.iter().copied().filter(|s| holds(&s.id)).collect();
            let lacking = !named.is_empty() && held.is_empty();
            let best = prepared
                .lines
                .iter()
                .map(|(line, have)| {
                    let fit = wanted.shared(have) / wanted.total;
                    (fit, measured.contains(line.as_str()), *line)
                })
                .fold(None::<(f64, bool, &String)>, |best, next| match best {
                    Some(b) if (b.0, b.1) >= (next.0, next.1) => Some(b),
                    _ => Some(next),
                });
            let (mut relevance, mut is_measured, mut line) = best
                .filter(|(fit, _, _)| *fit >= 0.2 && !lacking)
                .map_or((0.0, false, None), |(fit, m, l)| (fit, m, Some(l.clone())));
            // A line asking for skills the resume lists, that no accomplishment answers, is
            // half met by where the resume lists them.
            let share = held.len() as f64 / named.len().max(1) as f64;
            if line.is_none()
                && !held.is_empty()
                && let Some(evidence) = held.iter().find_map(|s| {
                    prepared
                        .resume
                        .skills
                        .iter()
                        .find(|have| have.id == s.id)
                        .map(|have| have.evidence.clone())
                })
            {
                (relevance, is_measured, line) = (share / 2.0, false, Some(evidence));
            }
            PainPoint {
                challenge: challenge.clone(),
                kind: kind.to_owned(),
                solution: line,
                measured: is_measured,
                relevance: (relevance * 100.0).round() / 100.0,
            }
        })
        .collect();
    out.sort_by(|a, b| b.relevance.total_cmp(&a.relevance));
    out
}

/// The posting side of matching, worked out once: ranking many resumes for one posting, or
/// keeping postings prepared for many rankings, reuses it.
pub struct PreparedPosting<'a> {
    posting: &'a Posting,
    /// The title's terms without level words, and its occupations.
    title: Option<(&'a str, BTreeSet<String>, Mix)>,
    /// The occupations the posting reads as, and how close that mix is to itself (the
    /// most a resume's mix can reach).
    field: Mix,
    field_ideal: f64,
    /// Each skill's name as a [`phrases`] key.
    skill_keys: HashMap<&'a str, u64>,
    /// Each responsibility with its terms.
    duties: Vec<(&'a String, Weighted)>,
    /// Each required qualification with its terms.
    requirements: Vec<(&'a String, Weighted)>,
    /// The skills asked for the work, must-have and nice-to-have, and the human languages
    /// asked (either way): a language is whether one can work there, not the work.
    required: Vec<SkillRef>,
    preferred: Vec<SkillRef>,
    languages: Vec<SkillRef>,
    /// The same but for the language the posting is written in: what a resume written in
    /// that language is matched against. Such a resume shows it (see [`written_in`]), so
    /// every one of them would get the same credit for it, and the postings that name
    /// their own language ("Fluent English") would rank above the ones that do not for
    /// nothing about the person.
    other_languages: Vec<SkillRef>,
    /// That language, when the posting asks for it.
    own_language: Option<&'static SkillRef>,
    /// The distinct content words of the title and the whole text, with their weights;
    /// how often each occurs, and how many there are.
    wording: Weighted,
    counts: HashMap<u64, u32>,
    length: usize,
}

impl<'a> PreparedPosting<'a> {
    pub fn new(posting: &'a Posting) -> PreparedPosting<'a> {
        let title = posting.title.as_deref().map(|t| {
            // Level words go before stemming ("Associate" stems to "associ"), read in
            // their place as the occupation look-up reads them ("Full Stack Developer"
            // keeps its "full").
            let lower = crate::lower_case(t);
            let words: Vec<&str> = lower
                .split(|c: char| !c.is_alphanumeric() && !"+#".contains(c))
                .filter(|w| !w.is_empty())
                .collect();
            let terms = terms(&occupations::work_words(&words).join(" "));
            (t, terms, occupations::of_title(t))
        });
        let mut body = StemCounts::default();
        for line in posting
            .responsibilities
            .iter()
            .chain(&posting.requirements.required)
            .chain(&posting.requirements.preferred)
        {
            count_stems(line, &mut body);
        }
        let title_mix = title
            .as_ref()
            .map(|(_, _, m)| m.clone())
            .unwrap_or_default();
        let (wording, known) = occupations::of_text_counted(&body);
        let field = blend(&[&title_mix], &wording, known);
        let whole = match &posting.title {
            Some(title) => format!("{title}\n{}", posting.description),
            None => posting.description.clone(),
        };
        let stems = stem_counts(&whole);
        let counts: HashMap<u64, u32> = stems.values().map(|c| (c.hash, c.count as u32)).collect();
        // (languages, the rest) of a list of skills.
        let split = |skills: &[SkillRef]| -> (Vec<SkillRef>, Vec<SkillRef>) {
            skills.iter().cloned().partition(|s| {
                crate::skills::taxonomy()
                    .get(&s.id)
                    .is_some_and(|k| k.category == "Language")
            })
        };
        let (languages, required) = split(&posting.skills.required);
        let (more, preferred) = split(&posting.skills.preferred);
        let languages: Vec<SkillRef> = languages.into_iter().chain(more).collect();
        let own = posting.jd_lang.as_deref().and_then(written_in);
        PreparedPosting {
            required,
            preferred,
            other_languages: languages
                .iter()
                .filter(|s| own.is_none_or(|own| own.id != s.id))
                .cloned()
                .collect(),
            own_language: own.filter(|own| languages.iter().any(|s| s.id == own.id)),
            languages,
            wording: weighted_stems(&stems),
            length: counts.values().map(|&n| n as usize).sum(),
            counts,
            posting,
            field_ideal: occupations::mix_similarity(&field, &field),
            field,
            skill_keys: posting
                .skills
                .required
                .iter()
                .chain(&posting.skills.preferred)
                .map(|s| {
                    (
                        s.id.as_str(),
                        phrase_key(lower_words(&s.name.to_lowercase())),
                    )
                })
                .collect(),
            title,
            duties: posting
                .responsibilities
                .iter()
                .map(|d| (d, weighted(d)))
                .filter(|(_, t)| t.total > 0.0)
                .collect(),
            requirements: posting
                .requirements
                .required
                .iter()
                .map(|d| (d, weighted(d)))
                .filter(|(_, t)| t.total > 0.0)
                .collect(),
        }
    }
}

/// Scores `resume` (with `resume_text`, the text it was read from) against `posting`.
pub fn score(resume: &Resume, resume_text: &str, posting: &Posting) -> Match {
    score_pair(
        &Prepared::new(resume, resume_text),
        &PreparedPosting::new(posting),
    )
}

/// `f` over `items` on every core (scoped threads), results in order. Ranking is many
/// independent comparisons: with two cores it takes half the time. The threads take the
/// items a few at a time as they get to them, not a fixed half each: the resumes of one
/// half of a folder may be longer than the other's, and a thread the system pauses would
/// leave the rest to wait for it.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    /// Items a thread takes at a time: enough that counting them off is no cost.
    const CHUNK: usize = 8;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Small lists are not worth a thread.
    if threads < 2 || items.len() < 256 {
        return items.iter().map(&f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let start = next.fetch_add(CHUNK, std::sync::atomic::Ordering::Relaxed);
            if start >= items.len() {
                break done;
            }
            let chunk = &items[start..(start + CHUNK).min(items.len())];
            done.push((start, chunk.iter().map(&f).collect()));
        }
    };
    let mut chunks: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    chunks.sort_unstable_by_key(|(start, _)| *start);
    chunks
        .into_iter()
        .flat_map(|(_, results)| results)
        .collect()
}

/// Scores a prepared resume against a prepared posting.
pub fn score_pair(prepared: &Prepared<'_>, side: &PreparedPosting<'_>) -> Match {
    score_weighted(prepared, side, &WEIGHTS)
}

/// [`score_pair`] with other part weights (a part not named weighs nothing): for measuring
/// other weights, never for users.
pub fn score_weighted(
    prepared: &Prepared<'_>,
    side: &PreparedPosting<'_>,
    weights: &[(&str, f64)],
) -> Match {
    let weight_of = |name: &str| {
        weights
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0.0, |(_, w)| *w)
    };
    let resume = prepared.resume;
    let posting = side.posting;
    let mut groups = SkillGroups::default();
    let skills_asked = |wanted: &[SkillRef]| {
        let n = wanted.iter().map(|s| &s.id).collect::<HashSet<_>>().len() as f64;
        n / (n + 2.0)
    };
    // (name, what the part found, the share of its full weight it has evidence for)
    let mut parts: Vec<(&'static str, Found, f64)> = vec![
        (
            "required_skills",
            skills_part(
                prepared,
                side,
                &side.required,
                (true, "required skills"),
                &mut groups,
            ),
            skills_asked(&side.required),
        ),
        (
            "preferred_skills",
            skills_part(
                prepared,
                side,
                &side.preferred,
                (false, "preferred skills"),
                &mut groups,
            ),
            skills_asked(&side.preferred),
        ),
        (
            "languages",
            languages_part(prepared, side, &mut groups),
            1.0,
        ),
        ("title", title_part(prepared, side), 1.0),
        ("field", field_part(prepared, side), 1.0),
        ("experience", experience_part(resume, posting), 1.0),
        ("education", education_part(resume, posting), 1.0),
        (
            "responsibilities",
            responsibilities_part(prepared, side),
            1.0,
        ),
        ("wording", wording_part(prepared, side), 1.0),
    ];
    let total_weight: f64 = parts
        .iter()
        .filter(|(_, p, _)| p.is_some())
        .map(|(name, _, share)| weight_of(name) * share)
        .sum();
    let mut score = 0.0;
    let mut out = Vec::new();
    for (name, part, share) in parts.drain(..) {
        let Some((fit, detail, evidence)) = part else {
            continue;
        };
        let weight = weight_of(name) * share / total_weight * 100.0;
        score += weight * fit;
        out.push(Part {
            name,
            weight: (weight * 10.0).round() / 10.0,
            fit: (fit * 100.0).round() / 100.0,
            detail,
            evidence,
        });
    }
    Match {
        score: if total_weight > 0.0 {
            score.round().clamp(0.0, 100.0) as u32
        } else {
            0
        },
        exact: if total_weight > 0.0 { score } else { 0.0 },
        provisional: provisional(resume, posting, total_weight),
        parts: out,
        skills: groups,
    }
}

fn provisional(resume: &Resume, posting: &Posting, total_weight: f64) -> Option<String> {
    if resume.work.is_empty() && resume.skills.is_empty() {
        return Some("nothing was read from the resume (no roles, no skills)".into());
    }
    let asks = posting.skills.required.len()
        + posting.skills.preferred.len()
        + posting.requirements.required.len()
        + posting.requirements.preferred.len();
    if asks == 0 {
        return Some("the posting names no requirements or skills: too thin to judge".into());
    }
    if total_weight < 50.0 {
        return Some("the posting gives a basis for less than half of the parts".into());
    }
    match (&resume.lang, &posting.jd_lang) {
        (Some(a), Some(b)) if a != b => Some(format!(
            "the resume ({a}) and the posting ({b}) are in different languages: skills are compared, wording is not"
        )),
        _ => None,
    }
}

/// The human languages asked. A resume written in the language the posting is written
/// in is matched on the others only ([`PreparedPosting::other_languages`]); its notes
/// still list that one as shown.
fn languages_part(
    prepared: &Prepared<'_>,
    side: &PreparedPosting<'_>,
    groups: &mut SkillGroups,
) -> Found {
    let all = skills_part(
        prepared,
        side,
        &side.languages,
        (true, "languages asked"),
        groups,
    );
    let resume = prepared.resume;
    match side.own_language {
        Some(own) if resume.lang.is_some() && resume.lang == side.posting.jd_lang => skills_part(
            prepared,
            side,
            &side.other_languages,
            (true, &format!("languages asked besides {}", own.name)),
            &mut SkillGroups::default(),
        ),
        _ => all,
    }
}

fn skills_part(
    prepared: &Prepared<'_>,
    side: &PreparedPosting<'_>,
    wanted: &[SkillRef],
    (required, what): (bool, &str),
    groups: &mut SkillGroups,
) -> Found {
    // Each skill once, however often the posting (or the resume) repeats it.
    let mut seen = HashSet::new();
    let wanted: Vec<&SkillRef> = wanted.iter().filter(|s| seen.insert(&s.id)).collect();
    if wanted.is_empty() {
        return None;
    }
    let mut points = 0.0;
    let (mut shown, mut unnamed) = (0, 0);
    let mut evidence = Vec::new();
    for skill in &wanted {
        let implied = prepared.implied.get(skill.id.as_str()).copied();
        let (credit, line, group, advice) = if let Some(have) =
            prepared.held.get(skill.id.as_str()).copied()
        {
            (
                1.0,
                Some(have.evidence.clone()),
                &mut groups.matched,
                "Shown on your resume.".to_owned(),
            )
        } else if let Some(child) = implied {
            let advice = format!(
                "Your resume shows {}, which is built on {}: name {} where you used it.",
                child.name, skill.name, skill.name
            );
            (
                0.5,
                Some(child.evidence.clone()),
                &mut groups.unphrased,
                advice,
            )
        } else if let Some(line) =
            prepared.names_in_words(side.skill_keys[skill.id.as_str()], &skill.name)
        {
            let advice = format!(
                "Your resume mentions it, but not as a skill screeners recognise: write “{}” where you used it.",
                skill.name
            );
            (0.5, Some(line), &mut groups.unphrased, advice)
        } else {
            let advice =
                "Not on your resume. Do not claim it; if you have it, add where you used it.";
            (0.0, None, &mut groups.missing, advice.to_owned())
        };
        points += credit;
        if credit >= 1.0 {
            shown += 1;
        } else if credit > 0.0 {
            unnamed += 1;
        }
        evidence.push(Evidence {
            posting: skill.evidence.clone(),
            resume: line.clone(),
        });
        group.push(SkillNote {
            skill: skill.name.clone(),
            required,
            posting: skill.evidence.clone(),
            resume: line,
            advice,
        });
    }
    let fit = points / wanted.len() as f64;
    let mut detail = format!("{shown} of {} {what} shown", wanted.len());
    if unnamed > 0 {
        detail.push_str(&format!(", {unnamed} more shown but not named"));
    }
    Some((fit, detail, evidence))
}

/// Skills that show another (child id → parent id): using PostgreSQL is using SQL. A
/// resume with the child but not the parent is "shown but not named" for the parent.
const IMPLIES: &[(&str, &str)] = &[
    ("mysql", "sql"),
    ("postgresql", "sql"),
    ("sqlite", "sql"),
    ("microsoft-sql-server", "sql"),
    ("oracle-database", "sql"),
    ("typescript", "javascript"),
    ("react", "javascript"),
    ("nextdotjs", "react"),
    ("react-redux", "react"),
    ("expressdotjs", "nodedotjs"),
    ("nestjs", "nodedotjs"),
    ("laravel", "php"),
    ("symfony", "php"),
    ("codeigniter", "php"),
    ("fastapi", "python"),
    ("pytest", "python"),
    ("hibernate-orm", "java"),
    ("java-servlets", "java"),
    ("scss", "css"),
    ("apache-hive", "apache-hadoop"),
    ("angular", "javascript"),
    ("vuedotjs", "javascript"),
    ("nodedotjs", "javascript"),
    ("django", "python"),
    ("flask", "python"),
    ("pandas", "python"),
    ("spring-framework", "java"),
    ("pytorch", "machine-learning"),
    ("tensorflow", "machine-learning"),
    ("scikit-learn", "machine-learning"),
    ("aws", "cloud-computing"),
    ("microsoft-azure", "cloud-computing"),
    ("azure", "cloud-computing"),
    ("kubernetes", "docker"),
    ("github", "git"),
    ("jenkins", "continuous-integration"),
];

/// The resume line that names `skill` in words the vocabulary did not take as the skill
/// (lower case for a name matched only as written, "go" for "Go").
fn shown_unnamed(lower_text: &str, text: &str, skill: &str) -> Option<String> {
    let needle = skill.to_lowercase();
    let at = lower_text.match_indices(&needle).find(|(at, _)| {
        let before = lower_text[..*at].chars().next_back();
        let after = lower_text[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })?;
    // Lower-casing can change byte lengths; find the line by counting line breaks.
    let line_no = lower_text[..at.0].matches('\n').count();
    text.lines()
        .nth(line_no)
        .map(|l| crate::posting::item(l).to_owned())
}

/// The words of lower-cased text (letters, digits and `+#.`, no dot at either end).
fn lower_words(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !c.is_alphanumeric() && !"+#.".contains(c))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
}

/// Every run of one to four words of each line of `lower` (lower-cased text) as a
/// [`phrase_key`], sorted, each once: each word is hashed once, and each run's key goes on
/// from the key of the run one word shorter.
fn phrases(lower: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(lower.len() / 2);
    runs_of_words(lower, |key| out.push(key));
    out.sort_unstable();
    out.dedup();
    out
}

/// Calls `each` with the [`phrase_key`] of every run of one to four words of each line of
/// `lower`.
fn runs_of_words(lower: &str, mut each: impl FnMut(u64)) {
    let mut hashes = Vec::new();
    for line in lower.lines() {
        hashes.clear();
        hashes.extend(lower_words(line).map(fnv1a));
        for start in 0..hashes.len() {
            let mut key = FNV_OFFSET;
            for &word in &hashes[start..(start + 4).min(hashes.len())] {
                key = next_phrase_key(key, word);
                each(key);
            }
        }
    }
}

/// The key of a run of lower-cased words in [`phrases`]: each word's [`fnv1a`] hash mixed
/// in, in order.
fn phrase_key<'w>(words: impl IntoIterator<Item = &'w str>) -> u64 {
    words
        .into_iter()
        .fold(FNV_OFFSET, |key, word| next_phrase_key(key, fnv1a(word)))
}

fn next_phrase_key(key: u64, word: u64) -> u64 {
    (key.rotate_left(5) ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// A line's distinct terms as sorted hashes with their [`occupations::idf`] weights:
/// comparing two lines is a merge of two short sorted lists.
struct Weighted {
    terms: Vec<(u64, f64)>,
    total: f64,
}

fn weighted(line: &str) -> Weighted {
    // The weights come from the occupation table, whose loading stems words: loaded first,
    // as the stems are walked with the stem cache borrowed.
    occupations::idf("");
    let mut terms = Vec::new();
    for_each_stem(line, |t| terms.push((t.hash, t.idf())));
    weighted_terms(terms)
}

fn weighted_stems(stems: &StemCounts) -> Weighted {
    weighted_terms(stems.values().map(|c| (c.hash, c.idf)).collect())
}

fn weighted_terms(mut terms: Vec<(u64, f64)>) -> Weighted {
    terms.sort_unstable_by_key(|(h, _)| *h);
    terms.dedup_by_key(|(h, _)| *h);
    let total = terms.iter().map(|(_, w)| w).sum();
    Weighted { terms, total }
}

impl Weighted {
    /// The weight of the terms `self` shares with `other`.
    fn shared(&self, other: &Weighted) -> f64 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < self.terms.len() && j < other.terms.len() {
            match self.terms[i].0.cmp(&other.terms[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += self.terms[i].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// A short, stable digest of some texts (64-bit FNV-1a, hex): names the inputs a stored
/// result was made from, so the same inputs find it again.
pub fn fingerprint<T: AsRef<[u8]>>(parts: &[T]) -> String {
    let hash = parts.iter().fold(FNV_OFFSET, |h, part| {
        fnv1a_more(fnv1a_more(h, part), "\u{1f}")
    });
    format!("{hash:016x}")
}

/// 64-bit FNV-1a: the same on every run and machine (unlike `std`'s hasher).
fn fnv1a(text: &str) -> u64 {
    fnv1a_more(FNV_OFFSET, text)
}

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// A `HashMap` hashed with FNV-1a, for the hot maps of short keys (word stems, ids) that
/// no outsider chooses: a few times quicker than SipHash on them.
pub(crate) type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

pub(crate) struct Fnv(u64);

/// A `HashMap` keyed by a hash already made ([`fnv1a`] of a word or stem): the key is only
/// mixed, not hashed again. Two words with one 64-bit hash are taken as one, as
/// [`Weighted`] and [`phrases`] take them.
pub(crate) type HashedMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<Mixed>>;

#[derive(Default)]
pub(crate) struct Mixed(u64);

impl std::hash::Hasher for Mixed {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a_more(self.0, bytes);
    }

    fn write_u64(&mut self, hash: u64) {
        // FNV-1a's low bits mix little of the high ones: folded, so the table's buckets
        // (its low bits) and tags (its high ones) both see the whole hash.
        self.0 = (hash ^ (hash >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(FNV_OFFSET)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a_more(self.0, bytes);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Continues an FNV-1a hash with more text (or bytes).
pub(crate) fn fnv1a_more(hash: u64, text: impl AsRef<[u8]>) -> u64 {
    text.as_ref().iter().fold(hash, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Content words, lower-cased and stemmed (English Snowball), without stop words.
fn terms(text: &str) -> BTreeSet<String> {
    stemmed_words(text).into_iter().collect()
}

/// The posting's content words (four letters or more) the resume never uses, as the
/// posting writes them: most used first, then in the posting's order; at most `n`.
pub fn unused_words(resume: &str, posting: &str, n: usize) -> Vec<String> {
    let have: HashSet<String> = stemmed_words(resume).into_iter().collect();
    let mut found: Vec<(String, String, usize)> = Vec::new();
    for word in posting
        .split(|c: char| !c.is_alphanumeric() && c != '+' && c != '#')
        .filter(|w| w.chars().count() > 3 && !w.chars().all(|c| c.is_ascii_digit()))
    {
        let lower = word.to_lowercase();
        if is_stop_word(&lower) {
            continue;
        }
        let Some(stem) = stemmed_words(&lower).into_iter().next() else {
            continue;
        };
        if have.contains(&stem) {
            continue;
        }
        match found.iter_mut().find(|(s, _, _)| *s == stem) {
            Some(entry) => entry.2 += 1,
            None => found.push((stem, lower, 1)),
        }
    }
    // Stable: equals keep the posting's order.
    found.sort_by_key(|entry| std::cmp::Reverse(entry.2));
    found.into_iter().take(n).map(|(_, word, _)| word).collect()
}

/// The content words of `text` in order, lower-cased and stemmed (English Snowball), without
/// stop words nor email addresses and links: the words every comparison of wording works on.
pub fn stemmed_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_stem(text, |stem| out.push(stem.text.clone()));
    out
}

/// A text's distinct stems (of the words [`stemmed_words`] gives) by their [`fnv1a`]
/// hash: how often each occurs, its weight and its occupation profiles.
pub(crate) type StemCounts = HashedMap<Counted>;

pub(crate) struct Counted {
    pub(crate) count: f64,
    hash: u64,
    pub(crate) idf: f64,
    /// [`occupations::profile`] of the stem.
    pub(crate) profile: &'static [(usize, f64)],
}

pub(crate) fn stem_counts(text: &str) -> StemCounts {
    let mut counts = StemCounts::default();
    count_stems(text, &mut counts);
    counts
}

/// Adds the stems of `text` to `counts`.
fn count_stems(text: &str, counts: &mut StemCounts) {
    count_lower_stems(&crate::lower_case(text), counts);
}

/// [`count_stems`] of a text already lower-cased.
fn count_lower_stems(lower: &str, counts: &mut StemCounts) {
    // The weights come from the occupation table: loaded before the stem cache is borrowed.
    occupations::idf("");
    for_each_lower_stem(lower, |stem| {
        counts
            .entry(stem.hash)
            .and_modify(|counted| counted.count += 1.0)
            .or_insert_with(|| {
                let (idf, profile) = stem.known();
                Counted {
                    count: 1.0,
                    hash: stem.hash,
                    idf,
                    profile,
                }
            });
    });
}

/// Calls `each` with the stem of each content word of `text`, in order (the words of
/// [`stemmed_words`], without a string made for each). `each` runs while the stem cache is
/// borrowed: it must not stem words itself.
pub(crate) fn for_each_stem(text: &str, each: impl FnMut(&Stem)) {
    for_each_lower_stem(&crate::lower_case(text), each);
}

/// [`for_each_stem`] of a text already lower-cased.
fn for_each_lower_stem(lower: &str, mut each: impl FnMut(&Stem)) {
    static STEMMER: std::sync::LazyLock<rust_stemmers::Stemmer> = std::sync::LazyLock::new(|| {
        rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English)
    });
    thread_local! {
        // Stems of words seen before (by the word's [`fnv1a`] hash): ranking many postings
        // meets the same words again.
        static STEMS: std::cell::RefCell<HashedMap<Stem>> =
            std::cell::RefCell::new(HashedMap::default());
    }
    STEMS.with(|stems| {
        let mut stems = stems.borrow_mut();
        if stems.len() > 100_000 {
            stems.clear();
        }
        let lower = without_addresses(lower);
        for w in lower
            .split(|c: char| !c.is_alphanumeric() && c != '+' && c != '#')
            .filter(|w| w.len() > 1 && !is_stop_word(w))
        {
            let stem = stems
                .entry(fnv1a(w))
                .or_insert_with(|| Stem::new(STEMMER.stem(w).into_owned()));
            each(stem);
        }
    });
}

/// `lower` without its email addresses and links: their words ("gmail", "com", "linkedin",
/// "example") are not wording, and every text that gives one would share them. Most texts
/// have none and pass unchanged.
fn without_addresses(lower: &str) -> std::borrow::Cow<'_, str> {
    let is_address =
        |chunk: &str| chunk.contains('@') || chunk.contains("://") || chunk.starts_with("www.");
    // One pass over the text (most texts have no address), not one per mark.
    static MARKS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(["@", "://", "www."]).expect("three plain patterns")
    });
    if !MARKS.is_match(lower) {
        return lower.into();
    }
    let mut out = String::with_capacity(lower.len());
    for piece in lower.split_inclusive(char::is_whitespace) {
        if is_address(piece.trim_end()) {
            out.push(' ');
        } else {
            out.push_str(piece);
        }
    }
    out.into()
}

/// A word's stem, with its [`fnv1a`] hash and, once asked, its [`occupations::idf`]
/// weight and [`occupations::profile`]: kept in the stem cache, so a word met again costs
/// no stemming or look-up.
pub(crate) struct Stem {
    pub(crate) text: String,
    pub(crate) hash: u64,
    known: std::cell::OnceCell<(f64, &'static [(usize, f64)])>,
}

impl Stem {
    fn new(text: String) -> Stem {
        Stem {
            hash: fnv1a(&text),
            text,
            known: std::cell::OnceCell::new(),
        }
    }

    /// The stem's weight and profiles. Not while the occupation table loads (it stems
    /// words: ask [`occupations::idf`] once first to load it).
    fn known(&self) -> (f64, &'static [(usize, f64)]) {
        *self.known.get_or_init(|| {
            (
                occupations::idf(&self.text),
                occupations::profile(&self.text),
            )
        })
    }

    fn idf(&self) -> f64 {
        self.known().0
    }
}

/// Whether `word` (lower case) is a stop word: too common in postings and resumes to
/// say anything about the work. A `match`, not a list searched: it runs on every word.
pub(crate) fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "or"
            | "the"
            | "of"
            | "to"
            | "in"
            | "on"
            | "for"
            | "with"
            | "by"
            | "at"
            | "as"
            | "is"
            | "are"
            | "be"
            | "our"
            | "your"
            | "we"
            | "you"
            | "will"
            | "who"
            | "that"
            | "this"
            | "from"
            | "other"
            | "all"
            | "any"
            | "their"
            | "its"
            | "it"
            | "into"
            | "across"
            | "new"
            | "within"
    )
}

fn title_part(prepared: &Prepared<'_>, side: &PreparedPosting<'_>) -> Found {
    let (title, wanted, occupations) = side.title.as_ref()?;
    if wanted.is_empty() {
        return None;
    }
    // Per resume title: shared words, or the same kind of job under another name.
    let mut best: Option<(f64, &String, Option<usize>)> = None;
    for (candidate, have, mix) in &prepared.titles {
        let words = wanted.intersection(have).count() as f64 / wanted.len() as f64;
        let (same, occupation) = match occupations::closest(occupations, mix) {
            Some((_, _, theirs)) => (occupations::agreement(occupations, mix), Some(theirs)),
            None => (0.0, None),
        };
        let fit = words.max(same);
        if best.is_none_or(|(b, _, _)| fit > b) {
            best = Some((
                fit,
                candidate,
                (same > words).then_some(occupation).flatten(),
            ));
        }
    }
    let none = String::new();
    let (fit, line, occupation) = best.unwrap_or((0.0, &none, None));
    let detail = match occupation {
        _ if fit <= 0.0 => "no title on the resume is the same kind of job".to_owned(),
        Some(o) => format!(
            "closest title on the resume: “{line}” ({})",
            occupations::occupation(o).title
        ),
        None => format!("closest title on the resume: “{line}”"),
    };
    Some((
        fit,
        detail,
        vec![Evidence {
            posting: (*title).to_owned(),
            resume: (fit > 0.0).then(|| line.clone()),
        }],
    ))
}

fn field_part(prepared: &Prepared<'_>, side: &PreparedPosting<'_>) -> Found {
    let wanted = &side.field;
    if wanted.is_empty() || prepared.field.is_empty() {
        return None;
    }
    let closeness = occupations::mix_similarity(wanted, &prepared.field);
    let ideal = side.field_ideal;
    let fit = if ideal > 0.0 {
        (closeness / ideal).min(1.0)
    } else {
        0.0
    };
    let name = |mix: &Mix| {
        mix.iter()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(o, _)| occupations::occupation(*o).title)
            .unwrap_or_default()
    };
    let (theirs, ours) = (name(wanted), name(&prepared.field));
    Some((
        fit,
        format!("the posting reads as {theirs}; the resume as {ours}"),
        vec![Evidence {
            posting: theirs.to_owned(),
            resume: Some(ours.to_owned()),
        }],
    ))
}

fn experience_part(resume: &Resume, posting: &Posting) -> Found {
    let years = posting.years_experience?;
    if years.min == 0 {
        return None;
    }
    let have = resume.total_years.unwrap_or(0.0);
    let fit = (have / f64::from(years.min)).min(1.0);
    let detail = match resume.total_years {
        Some(have) => format!(
            "{have} years on the resume; the posting asks {}+",
            years.min
        ),
        None => format!(
            "no dated roles on the resume; the posting asks {}+ years",
            years.min
        ),
    };
    Some((
        fit,
        detail,
        vec![Evidence {
            posting: format!("{}+ years", years.min),
            resume: resume
                .total_years
                .map(|y| format!("{y} years across roles")),
        }],
    ))
}

/// The highest degree level ([`crate::resume::DEGREES`]) `text` names as whole words: a
/// posting's requirement line, or a resume's degree (`on_resume`, where "Associate" is
/// the degree, not the job).
fn degree_level(text: &str, on_resume: bool) -> Option<u8> {
    /// How postings also ask for degrees.
    const ASKED: &[(&str, u8)] = &[
        ("doctoral", 5),
        ("undergraduate", 3),
        ("degree", 3),
        ("associate degree", 2),
    ];
    /// Levels 5 down to 1 are groups 0 to 4; "associate(s)" alone is group 5: a degree on
    /// a resume, colleagues in a posting ("work with our associates").
    const ASSOCIATE: usize = 5;
    static LEVELS: std::sync::LazyLock<crate::posting::PhraseGroups> =
        std::sync::LazyLock::new(|| {
            let mut groups: Vec<Vec<&str>> = vec![Vec::new(); ASSOCIATE + 1];
            for &(word, level) in crate::resume::DEGREES.iter().chain(ASKED) {
                match level {
                    _ if matches!(word, "associate" | "associates") => groups[ASSOCIATE].push(word),
                    1..=5 => groups[usize::from(5 - level)].push(word),
                    _ => {}
                }
            }
            let groups: Vec<&[&str]> = groups.iter().map(Vec::as_slice).collect();
            crate::posting::PhraseGroups::new(&groups)
        });
    let held = LEVELS.find(&text.to_lowercase());
    (0..5u8)
        .find(|group| {
            held.as_words(usize::from(*group))
                || (on_resume && *group == 3 && held.as_words(ASSOCIATE))
        })
        .map(|group| 5 - group)
}

fn education_part(resume: &Resume, posting: &Posting) -> Found {
    let (line, asked) = posting
        .requirements
        .required
        .iter()
        .filter_map(|l| degree_level(l, false).map(|level| (l, level)))
        .min_by_key(|(_, level)| *level)?;
    let have = resume
        .education
        .iter()
        .filter_map(|e| {
            let text = [e.study_type.as_deref(), e.area.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            degree_level(&text, true).map(|level| (level, text))
        })
        .max_by_key(|(level, _)| *level);
    let equivalent = line.to_lowercase().contains("equivalent");
    let (fit, detail) = match &have {
        Some((level, _)) if *level >= asked => {
            (1.0, "the degree asked is on the resume".to_owned())
        }
        _ if equivalent => (
            0.5,
            "the degree asked is not on the resume; the posting accepts equivalent experience"
                .to_owned(),
        ),
        _ => (0.0, "the degree asked is not on the resume".to_owned()),
    };
    Some((
        fit,
        detail,
        vec![Evidence {
            posting: line.clone(),
            resume: have.map(|(_, text)| text),
        }],
    ))
}

/// How much the two texts share their wording, both ways: the share of the posting's
/// words the resume uses, and of the resume's words the posting uses, averaged. Each way,
/// a word counts its weight times BM25's saturating share for how often the other text
/// uses it (a longer text needs more uses), over the weight of all the words.
fn wording_part(prepared: &Prepared<'_>, side: &PreparedPosting<'_>) -> Found {
    if side.wording.total <= 0.0 || prepared.wording.total <= 0.0 {
        return None;
    }
    // A word the resume repeats counts once, and its length is its distinct words:
    // stuffing a word in again raises nothing.
    let resume = &prepared.wording;
    let (forward, used) = coverage(
        &side.wording,
        |hash| {
            u32::from(
                resume
                    .terms
                    .binary_search_by_key(&hash, |(h, _)| *h)
                    .is_ok(),
            )
        },
        resume.terms.len() as f64 / TYPICAL_RESUME_WORDS,
    );
    let (backward, _) = coverage(
        resume,
        |hash| side.counts.get(&hash).copied().unwrap_or(0),
        side.length as f64 / TYPICAL_POSTING_WORDS,
    );
    // Even a resume written for the job uses a fraction of a posting's words: the square
    // root keeps the order of resumes and puts a good share (a quarter) at one half.
    let fit = ((forward + backward) / 2.0).sqrt();
    Some((
        fit,
        format!(
            "the resume uses {used} of the posting's {} distinct words ({:.0}% by weight); the posting uses {:.0}% of the resume's",
            side.wording.terms.len(),
            forward * 100.0,
            backward * 100.0,
        ),
        Vec::new(),
    ))
}

/// The share of `wanted`'s weight found in a text that uses each word `uses(hash)` times,
/// each word by BM25's saturating share; `relative_length`: the text's length over a
/// typical one. Also how many of the words were found.
fn coverage(wanted: &Weighted, uses: impl Fn(u64) -> u32, relative_length: f64) -> (f64, usize) {
    let norm = K1 * (1.0 - B + B * relative_length);
    let (mut sum, mut used) = (0.0, 0);
    for (hash, weight) in &wanted.terms {
        let tf = f64::from(uses(*hash));
        if tf > 0.0 {
            used += 1;
            sum += weight * tf / (tf + norm);
        }
    }
    (sum / wanted.total, used)
}

fn responsibilities_part(prepared: &Prepared<'_>, side: &PreparedPosting<'_>) -> Found {
    if side.duties.is_empty() {
        return None;
    }
    let lines = &prepared.lines;
    let mut total = 0.0;
    let mut evidence = Vec::new();
    for (duty, wanted) in &side.duties {
        // Words that say what the work is ("reconcile", "triage") count more than words
        // every job has ("manage", "team").
        let best = lines
            .iter()
            .map(|(line, have)| (wanted.shared(have) / wanted.total, *line))
            .fold(None::<(f64, &String)>, |best, (fit, line)| match best {
                Some((b, _)) if b >= fit => best,
                _ => Some((fit, line)),
            });
        let (fit, line) = best.unwrap_or((0.0, duty));
        // Half of a responsibility's weight in one accomplishment answers it fully.
        total += (fit / 0.5).min(1.0);
        evidence.push(Evidence {
            posting: (*duty).clone(),
            resume: (fit >= 0.2).then(|| line.clone()),
        });
    }
    if evidence.is_empty() {
        return None;
    }
    let answered = evidence.iter().filter(|e| e.resume.is_some()).count();
    let fit = total / evidence.len() as f64;
    Some((
        fit,
        format!(
            "{answered} of {} responsibilities answered by a line of the resume",
            evidence.len()
        ),
        evidence,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_left_out_of_the_stems() {
        assert!(is_stop_word("the") && is_stop_word("within") && is_stop_word("a"));
        assert!(!is_stop_word("develop") && !is_stop_word("acrossing") && !is_stop_word(""));
        assert_eq!(stemmed_words("The work within our team"), ["work", "team"]);
    }

    #[test]
    fn addresses_are_not_wording() {
        assert_eq!(
            stemmed_words(
                "Email (ana@example.org) or apply at https://jobs.acme.com/42 and \
                 www.acme.com: Python, C# and B.Com"
            ),
            ["email", "appli", "python", "c#", "com"]
        );
    }

    #[test]
    fn degree_levels_come_from_whole_words_highest_first() {
        assert_eq!(degree_level("PhD or MSc in physics", false), Some(5));
        assert_eq!(degree_level("BS/MS in Computer Science", false), Some(4));
        assert_eq!(
            degree_level("Bachelor's degree or equivalent", false),
            Some(3)
        );
        assert_eq!(degree_level("High school diploma", false), Some(1));
        assert_eq!(
            degree_level("Experience with distributed systems", false),
            None
        );
        assert_eq!(degree_level("M. Ed preferred", false), Some(4));
        assert_eq!(
            degree_level("B.Tech / B.E. in Computer Science", false),
            Some(3)
        );
        assert_eq!(degree_level("MCA or J.D.", false), Some(5));
        // "Associate" is a degree in a resume's education, a job in a posting.
        assert_eq!(degree_level("Associate of Arts", true), Some(2));
        assert_eq!(degree_level("Associate, Investment Banking", false), None);
    }
    use crate::dates::YearMonth;
    use crate::posting::{self, Input};
    use crate::resume;

    const TODAY: YearMonth = YearMonth {
        year: 2026,
        month: Some(12),
    };

    const POSTING: &str = "Senior Data Engineer
Location: Remote

Responsibilities
- Build and run batch pipelines in Apache Spark
- Design data models for the analytics warehouse

Requirements
- 5+ years of experience with Python and SQL
- Bachelor's degree in Computer Science or equivalent experience
- Apache Airflow

Nice to have
- Kubernetes
";

    const RESUME: &str = "Jane Doe
Data Engineer

Experience
Data Engineer | Initech | Jan 2018 - Present
- Built batch pipelines in Apache Spark that cut nightly run time by 40%
- Designed the data model of the analytics warehouse

Education
B.Sc. in Computer Science, State University, 2017

Skills
Python, SQL, Apache Spark
";

    fn pair(resume_text: &str) -> Match {
        let posting = posting::parse(Input::Text(POSTING));
        let resume = resume::parse(resume_text, TODAY);
        score(&resume, resume_text, &posting)
    }

    #[test]
    fn scores_with_parts_and_evidence() {
        let m = pair(RESUME);
        assert!(m.score >= 60 && m.score <= 95, "{m:#?}");
        assert_eq!(m.provisional, None);
        let names: Vec<_> = m.parts.iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "required_skills",
                "preferred_skills",
                "title",
                "field",
                "experience",
                "education",
                "responsibilities",
                "wording"
            ]
        );
        let missing: Vec<_> = m.skills.missing.iter().map(|s| s.skill.as_str()).collect();
        assert!(
            missing.contains(&"Apache Airflow") && missing.contains(&"Kubernetes"),
            "{missing:?}"
        );
        let duties = &m.parts[6];
        assert!(
            duties.evidence.iter().all(|e| e.resume.is_some()),
            "{duties:#?}"
        );
        // Always the same result.
        assert_eq!(pair(RESUME), m);
    }

    #[test]
    fn repeating_a_skill_does_not_raise_the_score() {
        let stuffed = format!("{RESUME}Python Python Python SQL SQL SQL Python\n");
        assert_eq!(pair(&stuffed).score, pair(RESUME).score);
    }

    #[test]
    fn must_haves_count_more_than_nice_to_haves() {
        let with_airflow = RESUME.replace(
            "Python, SQL, Apache Spark",
            "Python, SQL, Apache Spark, Apache Airflow",
        );
        let with_kubernetes = RESUME.replace(
            "Python, SQL, Apache Spark",
            "Python, SQL, Apache Spark, Kubernetes",
        );
        assert!(pair(&with_airflow).score > pair(&with_kubernetes).score);
        assert!(pair(&with_kubernetes).score > pair(RESUME).score);
    }

    #[test]
    fn an_adjacent_skill_is_shown_but_not_named() {
        let resume_text = RESUME.replace(
            "Python, SQL, Apache Spark",
            "Python, PostgreSQL, Apache Spark",
        );
        let m = pair(&resume_text);
        let sql = shown_not_named(&m, "SQL");
        assert!(sql.advice.contains("PostgreSQL"), "{sql:?}");
        assert!(m.score < pair(RESUME).score);
        assert!(m.skills.missing.iter().all(|s| s.skill != "SQL"));
    }

    #[test]
    fn a_library_shows_its_language() {
        // ReactJS is React the library (not O*NET's real-estate "REACT"), which shows
        // JavaScript.
        let posting = posting::parse(Input::Text(
            "Frontend Engineer\n\nRequirements\n- 3+ years of JavaScript\n- Git\n",
        ));
        let text = "Jo Doe\n\nSkills\nReactJS, Git, HTML\n";
        let m = score(&resume::parse(text, TODAY), text, &posting);
        let js = shown_not_named(&m, "JavaScript");
        assert!(js.advice.contains("React"), "{js:?}");
    }

    /// The match's note on `skill` as shown but not named; the test fails without one.
    fn shown_not_named<'m>(m: &'m Match, skill: &str) -> &'m SkillNote {
        m.skills
            .unphrased
            .iter()
            .find(|s| s.skill == skill)
            .unwrap_or_else(|| panic!("{skill} is not shown but not named: {:?}", m.skills))
    }

    #[test]
    fn a_skill_named_in_words_is_found_the_same_before_and_after_the_runs_are_made() {
        let text = "Jo Doe\nBuilt dashboards in Tableau for sales.\nWrote ASP.NET services.";
        let resume = resume::parse(text, TODAY);
        let prepared = Prepared::new(&resume, text);
        let ask = |name: &str| {
            let key = phrase_key(lower_words(&name.to_lowercase()));
            prepared.names_in_words(key, name)
        };
        let expected = [
            Some("Built dashboards in Tableau for sales.".to_owned()),
            None,
            // Found by a search of the text, but "asp.net" is one word, not "net".
            None,
        ];
        // The first questions search the text; after 32, the runs of words are made.
        for round in 0..20 {
            let answers = [ask("Tableau"), ask("Kubernetes"), ask("NET")];
            assert_eq!(answers, expected, "round {round}");
        }
        assert!(prepared.phrases.get().is_some());
    }

    #[test]
    fn every_implied_skill_is_in_the_vocabulary() {
        let taxonomy = crate::skills::taxonomy();
        for (child, parent) in IMPLIES {
            assert!(taxonomy.get(child).is_some(), "{child}");
            assert!(taxonomy.get(parent).is_some(), "{parent}");
        }
    }

    #[test]
    fn pain_points_pair_challenges_with_accomplishments() {
        let posting = posting::parse(Input::Text(POSTING));
        let resume = resume::parse(RESUME, TODAY);
        let prepared = Prepared::new(&resume, RESUME);
        let side = PreparedPosting::new(&posting);
        let points = pain_points(&prepared, &side);
        let spark = points
            .iter()
            .find(|p| p.challenge.contains("Apache Spark"))
            .unwrap();
        assert_eq!(spark.kind, "responsibility");
        assert!(
            spark.solution.as_deref().unwrap().contains("40%"),
            "{spark:?}"
        );
        assert!(spark.measured && spark.relevance >= 0.5, "{spark:?}");
        // A requirement nothing on the resume meets is a gap, with no made-up answer.
        let airflow = points
            .iter()
            .find(|p| p.challenge.contains("Airflow"))
            .unwrap();
        assert_eq!(airflow.kind, "requirement");
        assert_eq!(airflow.solution, None);
        assert_eq!(airflow.relevance, 0.0);
        assert!(points.windows(2).all(|w| w[0].relevance >= w[1].relevance));
        assert_eq!(pain_points(&prepared, &side), points);
    }

    #[test]
    fn an_arabic_resume_matches_an_english_posting_on_skills() {
        let arabic = "سارة أحمد
مهندسة بيانات

الخبرة
مهندسة بيانات | شركة البيانات | يناير 2019 - الآن
- بناء خطوط معالجة البيانات باستخدام Apache Spark وتقليل وقت التشغيل بنسبة 40%

المهارات
Python, SQL, Apache Spark
";
        let resume = resume::parse(arabic, TODAY);
        assert_eq!(resume.lang.as_deref(), Some("ar"));
        let m = score(&resume, arabic, &posting::parse(Input::Text(POSTING)));
        let matched: Vec<&str> = m.skills.matched.iter().map(|s| s.skill.as_str()).collect();
        assert!(
            matched.contains(&"Python") && matched.contains(&"SQL"),
            "{m:#?}"
        );
        // Wording is not compared across languages, and the result says so.
        assert!(
            m.provisional.as_deref().unwrap().contains("languages"),
            "{m:#?}"
        );
        // The Arabic title "مهندسة بيانات" reads as a data engineer: the same work.
        let fit = |m: &Match, part: &str| m.parts.iter().find(|p| p.name == part).map(|p| p.fit);
        assert!(fit(&m, "title").unwrap() >= 0.75, "{m:#?}");
        // A nurse's Arabic resume with the same skills is not the same work.
        let nurse = arabic.replace("مهندسة بيانات", "ممرضة");
        let other = score(
            &resume::parse(&nurse, TODAY),
            &nurse,
            &posting::parse(Input::Text(POSTING)),
        );
        assert!(fit(&other, "title").unwrap_or(0.0) < 0.5, "{other:#?}");
        assert!(other.score < m.score);
    }

    #[test]
    fn par_map_keeps_the_order_of_its_items() {
        let items: Vec<u64> = (0..10_001).collect();
        let squares = par_map(&items, |x| x * x);
        assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
        assert!(par_map(&[] as &[u64], |x| *x).is_empty());
        // Scoring in parallel gives what scoring one by one gives.
        let resume = resume::parse(RESUME, TODAY);
        let prepared = Prepared::new(&resume, RESUME);
        let postings: Vec<Posting> = (0..300)
            .map(|i| {
                let text = POSTING.replace("5+ years", &format!("{} years", i % 9));
                posting::parse(Input::Text(&text))
            })
            .collect();
        let one_by_one: Vec<u32> = postings
            .iter()
            .map(|p| score_pair(&prepared, &PreparedPosting::new(p)).score)
            .collect();
        let parallel = par_map(&postings, |p| {
            score_pair(&prepared, &PreparedPosting::new(p)).score
        });
        assert_eq!(parallel, one_by_one);
    }

    #[test]
    fn a_thin_posting_is_provisional() {
        let posting = posting::parse(Input::Text("Engineer\nJoin us!"));
        let resume = resume::parse(RESUME, TODAY);
        let m = score(&resume, RESUME, &posting);
        assert!(m.provisional.is_some());
        let empty = score(
            &Resume::default(),
            "",
            &posting::parse(Input::Text(POSTING)),
        );
        assert!(empty.provisional.unwrap().contains("nothing was read"));
    }

    #[test]
    fn one_generic_skill_does_not_decide_a_score() {
        // A posting whose only recognised skill is a generic one: a resume naming that
        // skill and nothing else of the job must not score as a good match.
        let posting = posting::parse_titled(
            Input::Text(
                "Design e-learning courses for new hires in Articulate Storyline. \
                 Requirements: Spanish.",
            ),
            Some("Instructional Designer"),
        );
        let lawyer = "Ana Lima\nParalegal\n\nExperience\nParalegal | Lima Law | Jan 2019 - Present\n\
                      - Drafted contracts and court filings\n\nSkills\nSpanish\n";
        let designer = "Sam Reed\nInstructional Designer\n\nExperience\nInstructional Designer | \
                        Acme | Jan 2019 - Present\n- Designed e-learning courses for new hires\n";
        let lawyer_match = score(&resume::parse(lawyer, TODAY), lawyer, &posting);
        let designer_match = score(&resume::parse(designer, TODAY), designer, &posting);
        assert!(lawyer_match.score < 50, "{lawyer_match:#?}");
        assert!(
            designer_match.score > lawyer_match.score,
            "{designer_match:#?}"
        );
        let skills = &lawyer_match.parts[0];
        assert_eq!(skills.name, "required_skills");
        assert!(skills.weight < 15.0, "{skills:#?}");
    }

    #[test]
    fn a_resume_shows_the_language_it_is_written_in() {
        // Long enough for the posting's own language to be told.
        let about = "About the role\nYou will build and maintain the data pipelines that our \
                     finance and marketing teams rely on every day, and you will work with \
                     analysts to make the numbers they report trustworthy and timely.\n";
        let posting = posting::parse(Input::Text(&format!(
            "Data Engineer\n\n{about}\nRequirements\n- Fluent English and German\n- Python\n"
        )));
        assert_eq!(posting.jd_lang.as_deref(), Some("en"));
        let m2 = score(&resume::parse(RESUME, TODAY), RESUME, &posting);
        let matched: Vec<&str> = m2.skills.matched.iter().map(|s| s.skill.as_str()).collect();
        let missing: Vec<&str> = m2.skills.missing.iter().map(|s| s.skill.as_str()).collect();
        assert!(matched.contains(&"English"), "{matched:?}");
        assert!(missing.contains(&"German"), "{missing:?}");
        // The part rests on German alone: every resume written in English shows English,
        // so it would add the same to each of them.
        let part = |m: &Match| m.parts.iter().find(|p| p.name == "languages").cloned();
        let languages = part(&m2).unwrap();
        assert_eq!(languages.fit, 0.0, "{languages:#?}");
        assert_eq!(
            languages.detail,
            "0 of 1 languages asked besides English shown"
        );
        // Asking only for its own language gives no basis among resumes written in it…
        let english = posting::parse(Input::Text(&format!(
            "Data Engineer\n\n{about}\nRequirements\n- Fluent English\n- Python\n"
        )));
        let m = score(&resume::parse(RESUME, TODAY), RESUME, &english);
        assert!(part(&m).is_none(), "{:#?}", m.parts);
        assert!(m.skills.matched.iter().any(|s| s.skill == "English"));
        // …but counts for one written in another language that does not name it.
        let french = "Ingénieure des données\n\nExpérience\nIngénieure des données, Acme, \
                      2019 - 2024\n- J'ai construit des pipelines de données en Python pour \
                      les équipes de la finance et du marketing, et je les ai maintenus.\n";
        let m = score(&resume::parse(french, TODAY), french, &english);
        let languages = part(&m).unwrap();
        assert_eq!(languages.detail, "0 of 1 languages asked shown", "{m:#?}");
    }

    #[test]
    fn thin_wording_leaves_the_field_to_the_titles() {
        let title: Mix = vec![(1, 1.0)];
        let wording: Mix = vec![(2, 1.0)];
        let share = |evidence: usize| {
            let mix = blend(&[&title], &wording, evidence);
            mix.iter()
                .find(|(o, _)| *o == 1)
                .map(|(_, w)| *w)
                .unwrap_or_default()
        };
        // Three lines of text: ten words the profiles know.
        assert!((share(10) - 0.6).abs() < 1e-9, "{}", share(10));
        // A full resume: the titles' usual share.
        assert!((share(200) - TITLE_SHARE).abs() < 1e-9, "{}", share(200));
        assert!(share(10) > share(20) && share(20) > share(40));
        // No wording: all the titles'; no title: all the wording's.
        assert_eq!(blend(&[&title], &Vec::new(), 0), title);
        assert_eq!(blend(&[], &wording, 10), wording);
    }

    #[test]
    fn a_degree_subject_is_not_a_skill_to_show() {
        let posting = posting::parse(Input::Text(
            "Account Manager\n\nRequirements\n- BA/BS degree in Computer Science, Business \
             or a related field\n- SQL and Tableau\n",
        ));
        // The posting names the subject; it does not ask for it as a skill.
        let names =
            |list: &[SkillRef]| -> Vec<String> { list.iter().map(|s| s.name.clone()).collect() };
        assert!(
            names(&posting.skills.mentioned).contains(&"Computer science".to_owned()),
            "{:#?}",
            posting.skills
        );
        assert!(!names(&posting.skills.required).contains(&"Computer science".to_owned()));
        let m = score(&resume::parse(RESUME, TODAY), RESUME, &posting);
        let named: Vec<&str> = (m.skills.matched.iter().chain(&m.skills.missing))
            .map(|s| s.skill.as_str())
            .collect();
        assert!(named.contains(&"SQL"), "{named:?}");
        assert!(!named.contains(&"Computer science"), "{named:?}");
    }

    #[test]
    fn wording_counts_what_both_texts_share_and_ignores_repeats() {
        let posting = posting::parse(Input::Text(POSTING));
        let side = PreparedPosting::new(&posting);
        let resume = resume::parse(RESUME, TODAY);
        let wording = |text: &str| {
            let prepared = Prepared::new(&resume, text);
            wording_part(&prepared, &side).unwrap().0
        };
        let full = wording(RESUME);
        assert!(full > 0.1 && full < 1.0, "{full}");
        assert_eq!(wording(&format!("{RESUME}\nSpark Spark Spark Spark")), full);
        assert!(wording("Line cook at a diner; grill and fryer.") < full / 2.0);
    }
}
