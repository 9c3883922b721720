//! A CV tailored to one posting from the user's own material only: it **chooses and orders**
//! — the skills the posting asks for first, each role's bullets by how much of the posting
//! they answer, the projects that answer it — and never writes a word the user did not. The
//! skills the posting asks for that the material does not show are named as **gaps** in the
//! report, never put in the CV.
//!
//! Pure: the resume (fields with corrections), the profile and projects as plain values, the
//! posting's fields; the Markdown and JSON Resume renderings are functions of the result.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Value, json};

use crate::posting::Posting;
use crate::resume::Resume;
use crate::skills::taxonomy;

/// What the profile adds to (or says instead of) the resume's header.
#[derive(Clone, Debug, Default)]
pub struct ProfileParts {
    pub full_name: String,
    pub headline: String,
    pub email: String,
    pub phone: String,
    pub location: String,
    pub links: Vec<String>,
    pub summary: String,
    pub skills: Vec<String>,
}

/// A project as the profile keeps it.
#[derive(Clone, Debug, Default)]
pub struct ProjectParts {
    pub title: String,
    pub description: String,
    pub role: String,
    pub technologies: Vec<String>,
    pub url: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub highlights: Vec<String>,
    pub featured: bool,
}

/// The most bullets kept for the two most recent roles, and for older ones.
const RECENT_BULLETS: usize = 6;
const OLDER_BULLETS: usize = 3;
/// The most projects a tailored CV shows.
const MAX_PROJECTS: usize = 3;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Header {
    pub name: String,
    pub headline: String,
    pub contact: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TailoredRole {
    pub title: String,
    pub company: String,
    pub location: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub current: bool,
    /// The user's bullets, most relevant first.
    pub bullets: Vec<String>,
    /// Bullets left out as less relevant to this posting.
    pub left_out: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TailoredProject {
    pub title: String,
    pub role: String,
    pub description: String,
    pub technologies: Vec<String>,
    pub url: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub highlights: Vec<String>,
}

/// A skill the posting asks for that the user's material does not show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub skill: String,
    pub required: bool,
}

/// The tailored CV and what was decided.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tailored {
    pub header: Header,
    pub summary: String,
    /// The user's skills the posting asks for, in the words the user used.
    pub matching_skills: Vec<String>,
    pub other_skills: Vec<String>,
    pub roles: Vec<TailoredRole>,
    pub projects: Vec<TailoredProject>,
    pub education: Vec<String>,
    pub certificates: Vec<String>,
    pub languages: Vec<String>,
    pub gaps: Vec<Gap>,
    /// Required skills of the posting the CV names, and how many it asks for.
    pub required_addressed: usize,
    pub required_asked: usize,
}

/// The posting's skill ids, each with its weight: required 3, preferred 2, mentioned 1.
fn wanted(posting: &Posting) -> HashMap<String, u32> {
    let mut weights = HashMap::new();
    for (list, weight) in [
        (&posting.skills.mentioned, 1),
        (&posting.skills.preferred, 2),
        (&posting.skills.required, 3),
    ] {
        for skill in list {
            let entry = weights.entry(skill.id.clone()).or_insert(0);
            *entry = (*entry).max(weight);
        }
    }
    weights
}

/// Lower-case words of three letters or more, stop words out.
fn words(text: &str) -> BTreeSet<String> {
    const STOP: [&str; 24] = [
        "the", "and", "for", "with", "our", "you", "your", "are", "will", "from", "that", "this",
        "have", "has", "was", "were", "who", "all", "any", "can", "not", "but", "its", "into",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

/// How much of the posting a line answers: the skills it names (weighted) and, a little,
/// the words it shares with the posting's duties and requirements.
fn relevance(line: &str, weights: &HashMap<String, u32>, posting_words: &BTreeSet<String>) -> f64 {
    let skills: BTreeSet<&str> = taxonomy().find(line).into_iter().map(|m| m.id).collect();
    let by_skill: u32 = skills.iter().filter_map(|id| weights.get(*id)).sum();
    let shared = words(line).intersection(posting_words).count();
    f64::from(by_skill) + 0.25 * (shared.min(8) as f64)
}

/// The skill id a user's skill names, if the vocabulary knows it.
fn skill_id(name: &str) -> Option<&'static str> {
    taxonomy()
        .lookup(name)
        .map(|s| s.id)
        .or_else(|| taxonomy().find(name).first().map(|m| m.id))
}

/// `2020-03` → `Mar 2020`; a bare year stays as it is. Month names, not numbers: a reader
/// (and the guard) reads "Mar 2020" as the date the resume gave, "03" as a figure.
pub fn human_month(month: &str) -> String {
    LAYOUTS[0].month(month)
}

fn dates(start: &Option<String>, end: &Option<String>, current: bool, layout: &Layout) -> String {
    let start = start.as_deref().map(|m| layout.month(m));
    let end = end.as_deref().map(|m| layout.month(m));
    match (&start, &end) {
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) if current => format!("{s} – {}", layout.present),
        (Some(s), None) => s.clone(),
        (None, Some(e)) => e.clone(),
        (None, None) if current => layout.present.to_owned(),
        (None, None) => String::new(),
    }
}

/// The words a CV's layout adds around the user's own (headings, month names, "Present"),
/// in one output language. The user's words are never translated; only these are.
#[derive(Debug)]
pub struct Layout {
    /// ISO 639-1.
    pub lang: &'static str,
    /// The language's name in itself.
    pub name: &'static str,
    pub summary: &'static str,
    pub skills: &'static str,
    pub experience: &'static str,
    pub projects: &'static str,
    pub education: &'static str,
    pub certifications: &'static str,
    pub languages: &'static str,
    pub present: &'static str,
    pub months: [&'static str; 12],
}

impl Layout {
    /// `2020-03` → the month's name and the year; a bare year stays as it is.
    pub fn month(&self, month: &str) -> String {
        match month.split_once('-') {
            Some((year, m)) => match m.parse::<usize>() {
                Ok(n) if (1..=12).contains(&n) => format!("{} {year}", self.months[n - 1]),
                _ => month.to_owned(),
            },
            None => month.to_owned(),
        }
    }
}

/// The output languages a CV can be laid out in, English first.
pub const LAYOUTS: [Layout; 5] = [
    Layout {
        lang: "en",
        name: "English",
        summary: "Summary",
        skills: "Skills",
        experience: "Experience",
        projects: "Projects",
        education: "Education",
        certifications: "Certifications",
        languages: "Languages",
        present: "Present",
        months: [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ],
    },
    Layout {
        lang: "ar",
        name: "العربية",
        summary: "الملخص",
        skills: "المهارات",
        experience: "الخبرة العملية",
        projects: "المشاريع",
        education: "التعليم",
        certifications: "الشهادات",
        languages: "اللغات",
        present: "حتى الآن",
        months: [
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "مايو",
            "يونيو",
            "يوليو",
            "أغسطس",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ],
    },
    Layout {
        lang: "fr",
        name: "Français",
        summary: "Profil",
        skills: "Compétences",
        experience: "Expérience professionnelle",
        projects: "Projets",
        education: "Formation",
        certifications: "Certifications",
        languages: "Langues",
        present: "aujourd'hui",
        months: [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc.",
        ],
    },
    Layout {
        lang: "de",
        name: "Deutsch",
        summary: "Profil",
        skills: "Kenntnisse",
        experience: "Berufserfahrung",
        projects: "Projekte",
        education: "Ausbildung",
        certifications: "Zertifikate",
        languages: "Sprachen",
        present: "heute",
        months: [
            "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.",
            "Dez.",
        ],
    },
    Layout {
        lang: "es",
        name: "Español",
        summary: "Perfil",
        skills: "Habilidades",
        experience: "Experiencia",
        projects: "Proyectos",
        education: "Formación",
        certifications: "Certificaciones",
        languages: "Idiomas",
        present: "actualidad",
        months: [
            "ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.",
            "nov.", "dic.",
        ],
    },
];

/// The layouts' codes as a sentence's list: "en, ar, fr, de, es".
pub fn layout_langs() -> String {
    LAYOUTS
        .iter()
        .map(|l| l.lang)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The layout for an ISO 639-1 code, if Pursuit has one.
pub fn layout(lang: &str) -> Option<&'static Layout> {
    LAYOUTS.iter().find(|l| l.lang == lang)
}

/// Every word any layout adds, one per line: text a CV may hold without the user having
/// written it.
pub fn layout_words() -> String {
    let mut out = String::new();
    for l in &LAYOUTS {
        for word in [
            l.summary,
            l.skills,
            l.experience,
            l.projects,
            l.education,
            l.certifications,
            l.languages,
            l.present,
        ]
        .into_iter()
        .chain(l.months)
        {
            out.push_str(word);
            out.push('\n');
        }
    }
    out
}

/// A date the resume's text holds: its year is written there. A date read wrongly (a
/// reader's slip) is left out rather than printed as the user's.
fn held(date: &Option<String>, text: &str) -> Option<String> {
    date.as_ref()
        .filter(|d| d.len() >= 4 && text.contains(&d[..4]))
        .cloned()
}

/// Chooses and orders the user's material (`resume`, read from `text`) for `posting`.
pub fn tailor(
    resume: &Resume,
    text: &str,
    profile: &ProfileParts,
    projects: &[ProjectParts],
    posting: &Posting,
) -> Tailored {
    let weights = wanted(posting);
    let mut posting_words = BTreeSet::new();
    for line in posting
        .responsibilities
        .iter()
        .chain(&posting.requirements.required)
        .chain(&posting.requirements.preferred)
    {
        posting_words.extend(words(line));
    }
    if let Some(title) = &posting.title {
        posting_words.extend(words(title));
    }

    let own = |profile_value: &str, resume_value: &Option<String>| {
        if profile_value.trim().is_empty() {
            resume_value.clone().unwrap_or_default()
        } else {
            profile_value.trim().to_owned()
        }
    };
    let basics = &resume.basics;
    let mut contact: Vec<String> = [
        own(&profile.email, &basics.email),
        own(&profile.phone, &basics.phone),
        own(&profile.location, &basics.location),
    ]
    .into_iter()
    .filter(|c| !c.is_empty())
    .collect();
    let mut links: Vec<String> = profile
        .links
        .iter()
        .filter(|l| !l.is_empty())
        .cloned()
        .collect();
    if links.is_empty() {
        links.extend(basics.profiles.iter().map(|p| p.url.clone()));
        links.extend(basics.url.clone());
    }
    contact.extend(links);
    let header = Header {
        name: own(&profile.full_name, &basics.name),
        headline: own(&profile.headline, &basics.label),
        contact,
    };
    let summary = own(&profile.summary, &basics.summary);

    // Skills: the user's own words; those the posting asks for first, by its weight.
    let mut user_skills: Vec<(String, Option<&'static str>)> = Vec::new();
    let mut seen_ids = BTreeSet::new();
    let mut seen_names = BTreeSet::new();
    let resume_skill_words = resume.skills.iter().map(|s| {
        taxonomy()
            .find(&s.evidence)
            .into_iter()
            .find(|m| m.id == s.id)
            .map_or_else(|| s.name.clone(), |m| m.matched)
    });
    for name in profile.skills.iter().cloned().chain(resume_skill_words) {
        let name = name.trim().to_owned();
        if name.is_empty() || !seen_names.insert(name.to_lowercase()) {
            continue;
        }
        let id = skill_id(&name);
        if let Some(id) = id
            && !seen_ids.insert(id)
        {
            continue;
        }
        user_skills.push((name, id));
    }
    let mut matching: Vec<(u32, usize, String)> = Vec::new();
    let mut other_skills = Vec::new();
    for (i, (name, id)) in user_skills.iter().enumerate() {
        match id.and_then(|id| weights.get(id)) {
            Some(weight) => matching.push((*weight, i, name.clone())),
            None => other_skills.push(name.clone()),
        }
    }
    matching.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let matching_skills: Vec<String> = matching.into_iter().map(|(_, _, n)| n).collect();

    // Roles in the resume's order; each one's bullets by relevance (ties keep the order).
    let roles: Vec<TailoredRole> = resume
        .work
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let cap = if i < 2 { RECENT_BULLETS } else { OLDER_BULLETS };
            let mut ranked: Vec<(f64, usize, &String)> = role
                .highlights
                .iter()
                .enumerate()
                .map(|(j, b)| (relevance(b, &weights, &posting_words), j, b))
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let bullets: Vec<String> = ranked
                .iter()
                .take(cap)
                .map(|(_, _, b)| (*b).clone())
                .collect();
            TailoredRole {
                title: role.position.clone().unwrap_or_default(),
                company: role.name.clone().unwrap_or_default(),
                location: role.location.clone().unwrap_or_default(),
                start: held(&role.start_date, text),
                end: held(&role.end_date, text),
                current: role.current,
                left_out: role.highlights.len() - bullets.len(),
                bullets,
            }
        })
        .collect();

    // Projects that answer the posting (featured ones first among equals).
    let mut scored: Vec<(f64, usize, &ProjectParts)> = projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = format!(
                "{}\n{}\n{}\n{}",
                p.title,
                p.description,
                p.technologies.join(", "),
                p.highlights.join("\n")
            );
            let score =
                relevance(&text, &weights, &posting_words) + if p.featured { 0.5 } else { 0.0 };
            (score, i, p)
        })
        .filter(|(score, _, p)| *score > 0.5 || (p.featured && *score > 0.0))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let chosen_projects: Vec<TailoredProject> = scored
        .into_iter()
        .take(MAX_PROJECTS)
        .map(|(_, _, p)| {
            let mut highlights: Vec<(f64, usize, &String)> = p
                .highlights
                .iter()
                .enumerate()
                .map(|(j, h)| (relevance(h, &weights, &posting_words), j, h))
                .collect();
            highlights.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            TailoredProject {
                title: p.title.clone(),
                role: p.role.clone(),
                description: p.description.clone(),
                technologies: p.technologies.clone(),
                url: p.url.clone(),
                start: p.start.clone(),
                end: p.end.clone(),
                highlights: highlights
                    .into_iter()
                    .take(4)
                    .map(|(_, _, h)| h.clone())
                    .collect(),
            }
        })
        .collect();

    let education = resume
        .education
        .iter()
        .map(|e| {
            let degree = [e.study_type.as_deref(), e.area.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            let mut line = degree;
            if let Some(school) = &e.institution {
                if line.is_empty() {
                    line = school.clone();
                } else {
                    line = format!("{line} — {school}");
                }
            }
            if let Some(date) = held(&e.end_date, text) {
                line = format!("{line} ({})", human_month(&date));
            }
            line
        })
        .filter(|l| !l.is_empty())
        .collect();
    let certificates = resume
        .certificates
        .iter()
        .map(|c| match held(&c.date, text) {
            Some(date) => format!("{} ({})", c.name, human_month(&date)),
            None => c.name.clone(),
        })
        .collect();
    let languages = resume
        .languages
        .iter()
        .map(|l| match &l.fluency {
            Some(f) => format!("{} ({f})", l.language),
            None => l.language.clone(),
        })
        .collect();

    // Gaps: what the posting asks for that nothing of the user's shows.
    let mut shown_ids: BTreeSet<&'static str> =
        user_skills.iter().filter_map(|(_, id)| *id).collect();
    for role in &roles {
        for bullet in &role.bullets {
            shown_ids.extend(taxonomy().find(bullet).into_iter().map(|m| m.id));
        }
    }
    for project in &chosen_projects {
        let text = format!(
            "{} {}",
            project.technologies.join(", "),
            project.highlights.join(" ")
        );
        shown_ids.extend(taxonomy().find(&text).into_iter().map(|m| m.id));
    }
    let mut gaps = Vec::new();
    for (list, required) in [
        (&posting.skills.required, true),
        (&posting.skills.preferred, false),
    ] {
        for skill in list {
            if !shown_ids.contains(skill.id.as_str())
                && !gaps.iter().any(|g: &Gap| g.skill == skill.name)
            {
                gaps.push(Gap {
                    skill: skill.name.clone(),
                    required,
                });
            }
        }
    }
    let required_ids: BTreeSet<&str> = posting
        .skills
        .required
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let required_addressed = required_ids
        .iter()
        .filter(|id| shown_ids.contains(**id))
        .count();

    Tailored {
        header,
        summary,
        matching_skills,
        other_skills,
        roles,
        projects: chosen_projects,
        education,
        certificates,
        languages,
        gaps,
        required_addressed,
        required_asked: required_ids.len(),
    }
}

/// The CV as Markdown, laid out in English.
pub fn markdown(cv: &Tailored) -> String {
    markdown_in(cv, &LAYOUTS[0])
}

/// The CV as Markdown, its headings, months and "Present" in `layout`'s language (the
/// user's words as they wrote them).
pub fn markdown_in(cv: &Tailored, layout: &Layout) -> String {
    let mut out = String::new();
    if !cv.header.name.is_empty() {
        out.push_str(&format!("# {}\n\n", cv.header.name));
    }
    if !cv.header.headline.is_empty() {
        out.push_str(&format!("{}\n\n", cv.header.headline));
    }
    if !cv.header.contact.is_empty() {
        out.push_str(&format!("{}\n\n", cv.header.contact.join(" · ")));
    }
    if !cv.summary.is_empty() {
        out.push_str(&format!("## {}\n\n{}\n\n", layout.summary, cv.summary));
    }
    if !cv.matching_skills.is_empty() || !cv.other_skills.is_empty() {
        out.push_str(&format!("## {}\n\n", layout.skills));
        let all: Vec<&str> = cv
            .matching_skills
            .iter()
            .chain(&cv.other_skills)
            .map(String::as_str)
            .collect();
        out.push_str(&format!("{}\n\n", all.join(", ")));
    }
    if !cv.roles.is_empty() {
        out.push_str(&format!("## {}\n\n", layout.experience));
        for role in &cv.roles {
            let heading = [role.title.as_str(), role.company.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!("### {heading}\n\n"));
            let when = dates(&role.start, &role.end, role.current, layout);
            let meta: Vec<&str> = [role.location.as_str(), when.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            if !meta.is_empty() {
                out.push_str(&format!("{}\n\n", meta.join(" · ")));
            }
            for bullet in &role.bullets {
                out.push_str(&format!("- {bullet}\n"));
            }
            out.push('\n');
        }
    }
    if !cv.projects.is_empty() {
        out.push_str(&format!("## {}\n\n", layout.projects));
        for p in &cv.projects {
            let heading = if p.role.is_empty() {
                p.title.clone()
            } else {
                format!("{}, {}", p.title, p.role)
            };
            out.push_str(&format!("### {heading}\n\n"));
            let when = dates(
                &p.start,
                &p.end,
                p.start.is_some() && p.end.is_none(),
                layout,
            );
            let meta: Vec<String> = [when, p.technologies.join(", "), p.url.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            if !meta.is_empty() {
                out.push_str(&format!("{}\n\n", meta.join(" · ")));
            }
            if !p.description.is_empty() {
                out.push_str(&format!("{}\n\n", p.description));
            }
            for h in &p.highlights {
                out.push_str(&format!("- {h}\n"));
            }
            if !p.highlights.is_empty() {
                out.push('\n');
            }
        }
    }
    for (title, items) in [
        (layout.education, &cv.education),
        (layout.certifications, &cv.certificates),
        (layout.languages, &cv.languages),
    ] {
        if !items.is_empty() {
            out.push_str(&format!("## {title}\n\n"));
            for item in items {
                out.push_str(&format!("- {item}\n"));
            }
            out.push('\n');
        }
    }
    out.trim_end().to_owned() + "\n"
}

/// The CV as a JSON Resume document (jsonresume.org schema 1.0).
pub fn json_resume(cv: &Tailored) -> Value {
    let (emails, rest): (Vec<&String>, Vec<&String>) =
        cv.header.contact.iter().partition(|c| c.contains('@'));
    let (urls, rest): (Vec<&String>, Vec<&String>) =
        rest.into_iter().partition(|c| c.starts_with("http"));
    json!({
        "basics": {
            "name": cv.header.name,
            "label": cv.header.headline,
            "email": emails.first().map(|e| e.as_str()).unwrap_or(""),
            "phone": rest.iter().find(|c| c.chars().filter(char::is_ascii_digit).count() >= 6).map(|c| c.as_str()).unwrap_or(""),
            "summary": cv.summary,
            "profiles": urls.iter().map(|u| json!({"url": u})).collect::<Vec<_>>(),
        },
        "work": cv.roles.iter().map(|r| json!({
            "name": r.company, "position": r.title, "location": r.location,
            "startDate": r.start, "endDate": r.end, "highlights": r.bullets,
        })).collect::<Vec<_>>(),
        "projects": cv.projects.iter().map(|p| json!({
            "name": p.title, "description": p.description, "highlights": p.highlights,
            "keywords": p.technologies, "url": p.url, "startDate": p.start, "endDate": p.end,
            "roles": if p.role.is_empty() { vec![] } else { vec![p.role.clone()] },
        })).collect::<Vec<_>>(),
        "skills": cv.matching_skills.iter().chain(&cv.other_skills).map(|s| json!({"name": s})).collect::<Vec<_>>(),
        "education": cv.education.iter().map(|e| json!({"studyType": e})).collect::<Vec<_>>(),
        "certificates": cv.certificates.iter().map(|c| json!({"name": c})).collect::<Vec<_>>(),
        "languages": cv.languages.iter().map(|l| json!({"language": l})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::YearMonth;
    use crate::posting::{Input, parse as parse_posting};
    use crate::resume::parse as parse_resume;

    const RESUME: &str = "Dana Okafor
Data Engineer
dana@example.org · Leeds, UK

Experience
Data Engineer | Northwind | Mar 2021 - Present
- Organised the team's quarterly offsite
- Built Airflow pipelines loading 2 TB a day into Snowflake
- Mentored two graduate analysts
- Cut dashboard refresh time from 40 to 6 minutes with dbt models

Analyst | Contoso | Jan 2018 - Feb 2021
- Wrote SQL reports for the finance team
- Ran the office recycling scheme

Skills
Python, SQL, Airflow, Snowflake, Excel
";

    const POSTING: &str = "Senior Data Engineer

About the role
You will build and run our batch pipelines.

Requirements
- 3+ years with Python and SQL
- Experience with Airflow or Dagster
- Experience with dbt
- Experience with Kafka

Nice to have
- Terraform
";

    fn today() -> YearMonth {
        YearMonth {
            year: 2026,
            month: Some(12),
        }
    }

    #[test]
    fn the_material_is_chosen_and_ordered_never_written() {
        let resume = parse_resume(RESUME, today());
        let posting = parse_posting(Input::Text(POSTING));
        let projects = vec![
            ProjectParts {
                title: "Kitchen rota app".to_owned(),
                highlights: vec!["Used by 12 flatmates".to_owned()],
                ..ProjectParts::default()
            },
            ProjectParts {
                title: "dbt style checker".to_owned(),
                technologies: vec!["Python".to_owned(), "dbt".to_owned()],
                highlights: vec!["Checks 300 models in CI".to_owned()],
                ..ProjectParts::default()
            },
        ];
        let cv = tailor(
            &resume,
            RESUME,
            &ProfileParts::default(),
            &projects,
            &posting,
        );
        assert_eq!(cv.header.name, "Dana Okafor");
        // Bullets that answer the posting first; the offsite last or left out.
        let first = &cv.roles[0];
        assert!(first.bullets[0].contains("Airflow"), "{:?}", first.bullets);
        let at = |words: &str| {
            first
                .bullets
                .iter()
                .position(|b| b.contains(words))
                .unwrap()
        };
        assert!(at("offsite") > at("dbt models"), "{:?}", first.bullets);
        // The matching skills come first, in the resume's words.
        assert_eq!(cv.matching_skills[..2], ["Python", "SQL"]);
        assert!(cv.other_skills.contains(&"Excel".to_owned()));
        // The relevant project is in, the other is not.
        let titles: Vec<&str> = cv.projects.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["dbt style checker"]);
        // Kafka is asked for and shown nowhere: a gap, never a claim.
        assert!(
            cv.gaps
                .iter()
                .any(|g| g.skill.contains("Kafka") && g.required),
            "{:?}",
            cv.gaps
        );
        let text = markdown(&cv);
        assert!(
            !text.contains("Kafka") && !text.contains("Terraform"),
            "{text}"
        );
        // Every bullet and skill in the CV is the user's own text.
        for line in text.lines().filter_map(|l| l.strip_prefix("- ")) {
            assert!(
                RESUME.contains(line)
                    || projects
                        .iter()
                        .any(|p| p.highlights.iter().any(|h| h == line)),
                "{line}"
            );
        }
        assert!(cv.required_asked >= 3 && cv.required_addressed < cv.required_asked);
        assert!(text.contains("Mar 2021 – Present"), "{text}");
        let document = json_resume(&cv);
        assert_eq!(document["basics"]["email"], "dana@example.org");
        assert_eq!(document["work"][0]["name"], "Northwind");
    }

    #[test]
    fn the_layout_is_in_the_output_language_the_words_stay_the_users() {
        let resume = parse_resume(RESUME, today());
        let posting = parse_posting(Input::Text(POSTING));
        let cv = tailor(&resume, RESUME, &ProfileParts::default(), &[], &posting);
        let english = markdown(&cv);
        let arabic = markdown_in(&cv, layout("ar").unwrap());
        assert!(arabic.contains("## الخبرة العملية"), "{arabic}");
        assert!(arabic.contains("## المهارات"), "{arabic}");
        assert!(arabic.contains("مارس 2021 – حتى الآن"), "{arabic}");
        assert!(!arabic.contains("## Experience") && !arabic.contains("Present"));
        // Only the layout differs: every bullet is the same line in both.
        let bullets = |t: &str| -> Vec<String> {
            t.lines()
                .filter(|l| l.starts_with("- ") || l.starts_with("### "))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(bullets(&english), bullets(&arabic));
        let german = markdown_in(&cv, layout("de").unwrap());
        assert!(german.contains("## Berufserfahrung") && german.contains("März 2021 – heute"));
        assert!(layout("xx").is_none());
        // Every layout word is known to the guard's list.
        let words = layout_words();
        for l in &LAYOUTS {
            assert!(words.lines().any(|w| w == l.experience), "{}", l.lang);
        }
    }

    #[test]
    fn the_profile_speaks_for_the_user_where_it_says_something() {
        let resume = parse_resume(RESUME, today());
        let posting = parse_posting(Input::Text(POSTING));
        let profile = ProfileParts {
            headline: "Data engineer, pipelines and dbt".to_owned(),
            skills: vec!["Kafka".to_owned()],
            links: vec!["https://github.com/dana".to_owned()],
            ..ProfileParts::default()
        };
        let cv = tailor(&resume, RESUME, &profile, &[], &posting);
        assert_eq!(cv.header.headline, "Data engineer, pipelines and dbt");
        assert!(
            cv.header
                .contact
                .contains(&"https://github.com/dana".to_owned())
        );
        assert!(
            cv.matching_skills.contains(&"Kafka".to_owned()),
            "{:?}",
            cv.matching_skills
        );
        assert!(
            !cv.gaps.iter().any(|g| g.skill.contains("Kafka")),
            "{:?}",
            cv.gaps
        );
    }
}
