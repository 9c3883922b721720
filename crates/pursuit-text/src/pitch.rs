//! The pitch (seed 000 calls it the offer): the short message outreach leads with — why
//! this person should talk to the user about this role — written only from the user's
//! material as the tailoring chose it for the posting: fixed sentences in the tone asked
//! that claim nothing, then the user's most relevant lines where they did them, then the
//! skills the role asks for that the user has. Its length is a range of characters, never
//! run over and never padded.

use serde::Serialize;

use crate::letter::{Tone, as_clause};
use crate::tailor::Tailored;

/// A pitch's length in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PitchLength {
    pub min_chars: usize,
    pub max_chars: usize,
}

impl PitchLength {
    /// `short` (150–350 characters), `medium` (350–600, the default), `long` (600–1,000).
    pub fn preset(name: &str) -> Option<PitchLength> {
        let (min_chars, max_chars) = match name.trim().to_ascii_lowercase().as_str() {
            "short" => (150, 350),
            "medium" | "" => (350, 600),
            "long" => (600, 1000),
            _ => return None,
        };
        Some(PitchLength {
            min_chars,
            max_chars,
        })
    }

    /// The preset's name, if it is one.
    pub fn name(self) -> &'static str {
        match (self.min_chars, self.max_chars) {
            (150, 350) => "short",
            (600, 1000) => "long",
            _ => "medium",
        }
    }
}

/// The pitch and how it came out against its length.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pitch {
    pub text: String,
    pub chars: usize,
    /// The material ran out before the length's lower bound.
    pub short_of_preset: bool,
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Writes the pitch for `role_title` at `company` (either may be unknown).
pub fn pitch(
    cv: &Tailored,
    role_title: Option<&str>,
    company: Option<&str>,
    tone: Tone,
    length: PitchLength,
) -> Pitch {
    let role = role_title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("open");
    let at = company
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| format!(" at {c}"))
        .unwrap_or_default();
    let opening = match tone {
        Tone::Professional => {
            format!("I have applied for the {role} role{at} and wanted to write to you directly.")
        }
        Tone::Enthusiastic => format!(
            "I have just applied for the {role} role{at}, and I wanted to reach out to you directly."
        ),
        Tone::Casual => {
            format!("I just applied for the {role} role{at} and thought I'd write to you directly.")
        }
    };
    // The user's lines, most relevant first: the first of a role says where it was done.
    let mut evidence: Vec<String> = Vec::new();
    for role in &cv.roles {
        let whence = match (role.title.trim(), role.company.trim()) {
            ("", "") => "In a previous role".to_owned(),
            (title, "") => format!("As {title}"),
            ("", company) => format!("At {company}"),
            (title, company) => format!("As {title} at {company}"),
        };
        for (j, bullet) in role.bullets.iter().take(2).enumerate() {
            evidence.push(if j == 0 {
                format!("{whence}, I {}.", as_clause(bullet))
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
    let skills: Vec<&str> = cv
        .matching_skills
        .iter()
        .take(4)
        .map(String::as_str)
        .collect();
    let skills_line = match skills.as_slice() {
        [] => None,
        [one] => Some(format!("I work with {one}, which the role asks for.")),
        [rest @ .., last] => Some(format!(
            "I work with {} and {last}, which the role asks for.",
            rest.join(", ")
        )),
    };
    let mut sentences = vec![opening];
    let room = |sentences: &[String], extra: &str| {
        chars(&sentences.join(" ")) + 1 + chars(extra) <= length.max_chars
    };
    for line in evidence {
        if chars(&sentences.join(" ")) >= length.min_chars {
            break;
        }
        if room(&sentences, &line) {
            sentences.push(line);
        }
    }
    if let Some(line) = skills_line
        && room(&sentences, &line)
    {
        sentences.push(line);
    }
    let text = sentences.join(" ");
    let n = chars(&text);
    Pitch {
        short_of_preset: n < length.min_chars,
        chars: n,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tailor::{Header, TailoredRole};

    fn cv() -> Tailored {
        Tailored {
            header: Header {
                name: "Sam Rivera".into(),
                headline: String::new(),
                contact: Vec::new(),
            },
            summary: String::new(),
            matching_skills: vec!["PostgreSQL".into(), "Rust".into()],
            other_skills: Vec::new(),
            roles: vec![TailoredRole {
                title: "Backend Engineer".into(),
                company: "Acme Corp".into(),
                location: String::new(),
                start: None,
                end: None,
                current: true,
                bullets: vec![
                    "Cut API latency by 40% by moving hot paths to Rust".into(),
                    "Ran the PostgreSQL upgrade from 12 to 15 with no downtime".into(),
                    "Mentored four engineers".into(),
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
    fn a_pitch_holds_the_users_lines_within_its_length() {
        for name in ["short", "medium", "long"] {
            let length = PitchLength::preset(name).unwrap();
            let p = pitch(
                &cv(),
                Some("Platform Engineer"),
                Some("Northwind"),
                Tone::Professional,
                length,
            );
            assert!(p.chars <= length.max_chars, "{name}: {p:?}");
            assert!(
                p.text
                    .starts_with("I have applied for the Platform Engineer role at Northwind")
            );
            assert!(
                p.text
                    .contains("As Backend Engineer at Acme Corp, I cut API latency by 40%"),
                "{p:?}"
            );
            assert_eq!(length.name(), name);
        }
        let short = pitch(
            &cv(),
            None,
            None,
            Tone::Casual,
            PitchLength::preset("short").unwrap(),
        );
        assert!(
            short
                .text
                .starts_with("I just applied for the open role and"),
            "{short:?}"
        );
        // Little material: shorter than asked, never padded.
        let mut thin = cv();
        thin.roles.clear();
        thin.matching_skills.clear();
        let p = pitch(
            &thin,
            Some("Engineer"),
            None,
            Tone::Enthusiastic,
            PitchLength::preset("long").unwrap(),
        );
        assert!(p.short_of_preset && p.chars < 150, "{p:?}");
    }
}
