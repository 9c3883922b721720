//! A cover letter from a tailored CV (`crate::tailor`): fixed sentences in the chosen tone
//! that claim nothing about the user ("I am writing to apply for…"), and between them the
//! user's own material — the first sentence of their summary, their most relevant bullets
//! with the role they come from, the skills the posting asks for that they have. Nothing
//! the material does not hold; a letter the material cannot fill to the preset's length is
//! shorter, never padded.

use serde::Serialize;

use crate::tailor::Tailored;

/// How the letter sounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    Professional,
    Enthusiastic,
    Casual,
}

impl Tone {
    pub fn parse(text: &str) -> Option<Tone> {
        match text.trim().to_ascii_lowercase().as_str() {
            "professional" | "formal" => Some(Tone::Professional),
            "enthusiastic" | "warm" => Some(Tone::Enthusiastic),
            "casual" | "friendly" => Some(Tone::Casual),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Professional => "professional",
            Tone::Enthusiastic => "enthusiastic",
            Tone::Casual => "casual",
        }
    }
}

/// A length preset, in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Length {
    pub min_words: usize,
    pub max_words: usize,
}

impl Length {
    /// `short` (150–200 words), `standard` (250–350, the default), `long` (350–450).
    pub fn preset(name: &str) -> Option<Length> {
        let (min_words, max_words) = match name.trim().to_ascii_lowercase().as_str() {
            "short" => (150, 200),
            "standard" | "" => (250, 350),
            "long" => (350, 450),
            _ => return None,
        };
        Some(Length {
            min_words,
            max_words,
        })
    }
}

/// The letter and how it came out against its preset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Letter {
    pub text: String,
    pub words: usize,
    /// The material ran out before the preset's lower bound.
    pub short_of_preset: bool,
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The first sentence of a paragraph.
pub(crate) fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '.' | '!' | '?')
                && text[i + 1..].chars().next().is_none_or(char::is_whitespace)
        })
        .map_or(text.len(), |(i, _)| i + 1);
    text[..end].trim().to_owned()
}

/// A bullet as the rest of a sentence that starts "…, I": its first letter lowered when
/// the second is lower case too (so "Led" but not "AWS"), its end stopped.
pub(crate) fn as_clause(bullet: &str) -> String {
    let bullet = bullet.trim().trim_end_matches(['.', ';']);
    let mut chars = bullet.chars();
    let (Some(first), Some(second)) = (chars.next(), chars.clone().next()) else {
        return bullet.to_owned();
    };
    if first.is_uppercase() && second.is_lowercase() {
        format!("{}{}", first.to_lowercase(), chars.as_str())
    } else {
        bullet.to_owned()
    }
}

/// Writes the letter for `role_title` at `company` (either may be unknown).
pub fn letter(
    cv: &Tailored,
    role_title: Option<&str>,
    company: Option<&str>,
    tone: Tone,
    length: Length,
) -> Letter {
    let role = role_title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("open");
    let at = company
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| format!(" at {c}"))
        .unwrap_or_default();
    let team = company
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map_or_else(|| "your team".to_owned(), |c| format!("the {c} team"));
    let greeting = match (tone, company.map(str::trim).filter(|c| !c.is_empty())) {
        (Tone::Professional, _) => "Dear Hiring Manager,".to_owned(),
        (_, Some(company)) => format!("Hello {company} team,"),
        (_, None) => "Hello,".to_owned(),
    };
    let opening = match tone {
        Tone::Professional => format!("I am writing to apply for the {role} position{at}."),
        Tone::Enthusiastic => {
            format!("I was glad to see the {role} opening{at}, and I would love to be considered.")
        }
        Tone::Casual => format!("I'd like to put my name forward for the {role} role{at}."),
    };
    let closing = match tone {
        Tone::Professional => "I would welcome the opportunity to discuss how I could contribute. Thank you for your time and consideration.".to_owned(),
        Tone::Enthusiastic => format!("I would be delighted to talk about how I could help {team}. Thank you for reading."),
        Tone::Casual => "Happy to chat whenever suits you. Thanks for reading.".to_owned(),
    };
    let sign_off = match tone {
        Tone::Professional => "Sincerely,",
        Tone::Enthusiastic => "Best regards,",
        Tone::Casual => "Cheers,",
    };
    let name = cv.header.name.trim();

    // The user's own material, role by role (the latest first, its most relevant bullets
    // first): the first bullet of a role says where it was done, the next ones go on
    // "I also …". A first pass takes a few bullets of each role; more follow, role by role
    // and again saying where, should the preset want them — "I also" never reaches back
    // past another role.
    let cap = |i: usize| match i {
        0 => 4,
        1 => 3,
        _ => 1,
    };
    let whence = |title: &str, company: &str| match (title.trim(), company.trim()) {
        ("", "") => "In a previous role".to_owned(),
        (title, "") => format!("As {title}"),
        ("", company) => format!("At {company}"),
        (title, company) => format!("As {title} at {company}"),
    };
    let mut evidence: Vec<String> = Vec::new();
    for (i, role) in cv.roles.iter().enumerate() {
        let at = whence(&role.title, &role.company);
        for (j, bullet) in role.bullets.iter().take(cap(i)).enumerate() {
            evidence.push(if j == 0 {
                format!("{at}, I {}.", as_clause(bullet))
            } else {
                format!("I also {}.", as_clause(bullet))
            });
        }
    }
    for (i, role) in cv.roles.iter().enumerate() {
        let at = whence(&role.title, &role.company);
        for (j, bullet) in role.bullets.iter().skip(cap(i)).enumerate() {
            evidence.push(if j == 0 {
                format!("{at}, I also {}.", as_clause(bullet))
            } else {
                format!("I also {}.", as_clause(bullet))
            });
        }
    }
    for project in &cv.projects {
        if let Some(h) = project.highlights.first() {
            evidence.push(format!(
                "On my project {}, I {}.",
                project.title.trim(),
                as_clause(h)
            ));
        }
    }

    let mut paragraphs: Vec<String> = Vec::new();
    let mut intro = opening;
    let summary = first_sentence(&cv.summary);
    if !summary.is_empty() {
        intro.push(' ');
        intro.push_str(&summary);
    }
    paragraphs.push(intro);
    let skills: Vec<&str> = cv
        .matching_skills
        .iter()
        .take(6)
        .map(String::as_str)
        .collect();
    let skills_line = match skills.as_slice() {
        [] => None,
        [one] => Some(format!(
            "My skills include {one}, which this role asks for."
        )),
        [rest @ .., last] => Some(format!(
            "My skills include {} and {last}, which this role asks for.",
            rest.join(", ")
        )),
    };
    let fixed = words(&greeting)
        + words(&paragraphs[0])
        + skills_line.as_deref().map_or(0, words)
        + words(&closing)
        + words(sign_off)
        + words(name);
    let mut body: Vec<String> = Vec::new();
    let mut count = fixed;
    for line in evidence {
        let n = words(&line);
        if count >= length.min_words || count + n > length.max_words {
            break;
        }
        count += n;
        body.push(line);
    }
    if !body.is_empty() {
        paragraphs.push(body.join(" "));
    }
    if let Some(line) = skills_line {
        paragraphs.push(line);
    }
    paragraphs.push(closing);
    let mut text = format!("{greeting}\n\n{}\n\n{sign_off}\n", paragraphs.join("\n\n"));
    if !name.is_empty() {
        text.push_str(name);
        text.push('\n');
    }
    let total = words(&text);
    Letter {
        short_of_preset: total < length.min_words,
        words: total,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tailor::{Header, Tailored, TailoredRole};

    fn cv() -> Tailored {
        Tailored {
            header: Header {
                name: "Dana Okafor".to_owned(),
                headline: String::new(),
                contact: Vec::new(),
            },
            summary: "Data engineer who keeps pipelines boring. I like SQL.".to_owned(),
            matching_skills: vec!["Python".to_owned(), "SQL".to_owned()],
            other_skills: Vec::new(),
            roles: vec![TailoredRole {
                title: "Data Engineer".to_owned(),
                company: "Northwind".to_owned(),
                location: String::new(),
                start: None,
                end: None,
                current: true,
                bullets: vec![
                    "Built pipelines loading 2 TB a day into Snowflake".to_owned(),
                    "AWS cost cut by 30%".to_owned(),
                ],
                left_out: 0,
            }],
            projects: Vec::new(),
            education: Vec::new(),
            certificates: Vec::new(),
            languages: Vec::new(),
            gaps: Vec::new(),
            required_addressed: 0,
            required_asked: 0,
        }
    }

    #[test]
    fn the_letter_holds_the_users_material_in_the_tone_asked() {
        let standard = Length::preset("standard").unwrap();
        let letter = letter(
            &cv(),
            Some("Data Engineer"),
            Some("Acme"),
            Tone::Professional,
            standard,
        );
        assert!(letter.text.starts_with("Dear Hiring Manager,"));
        assert!(letter.text.contains("the Data Engineer position at Acme"));
        assert!(
            letter
                .text
                .contains("Data engineer who keeps pipelines boring.")
        );
        assert!(
            !letter.text.contains("I like SQL"),
            "only the summary's first sentence"
        );
        assert!(letter.text.contains(
            "As Data Engineer at Northwind, I built pipelines loading 2 TB a day into Snowflake."
        ));
        assert!(
            letter.text.contains("I also AWS cost cut by 30%."),
            "an acronym keeps its case"
        );
        assert!(letter.text.contains("Python and SQL"));
        assert!(letter.text.trim_end().ends_with("Dana Okafor"));
        // The material is short: the letter says so instead of padding.
        assert!(
            letter.short_of_preset && letter.words < 250,
            "{}",
            letter.words
        );
        let casual = super::letter(&cv(), None, None, Tone::Casual, standard);
        assert!(casual.text.starts_with("Hello,\n"), "{}", casual.text);
        assert!(casual.text.contains("Cheers,"));
        assert_eq!(Tone::parse("Enthusiastic"), Some(Tone::Enthusiastic));
        assert!(Length::preset("epic").is_none());
    }

    #[test]
    fn a_letter_stops_before_its_preset_runs_over() {
        let mut long = cv();
        long.roles[0].bullets = (0..40)
            .map(|i| {
                format!("Shipped data product number {i} for the finance and sales teams on time")
            })
            .collect();
        let short = Length::preset("short").unwrap();
        let letter = letter(
            &long,
            Some("Data Engineer"),
            Some("Acme"),
            Tone::Enthusiastic,
            short,
        );
        assert!(letter.words <= short.max_words, "{}", letter.words);
        assert!(letter.words >= short.min_words - 20, "{}", letter.words);
    }
}
