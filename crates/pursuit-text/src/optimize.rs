//! The optimization report (seed 004): what the user could change on their resume for one
//! posting, why, and the evidence — read from the match, never written for them. Pursuit
//! chooses and orders the user's material in a tailored CV; it cannot add a skill, a duty
//! or a figure the user did not write. This report is where those are named, each as a
//! question only the user can answer ("if Kafka is part of your work, say where").
//!
//! Pure: a function of the match and the pain points.

use serde::Serialize;

use crate::matching::{Evidence, Match, PainPoint, SkillNote};

/// One thing to change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advice {
    /// The part of the match it concerns: `required_skills`, `preferred_skills`, `title`,
    /// `field`, `experience`, `education`, `responsibilities`, `results`, `wording` or
    /// `languages`.
    pub area: &'static str,
    /// What to change, as the user would do it.
    pub what: String,
    /// Why: what the posting asks and how much of the score rests on it.
    pub why: String,
    /// The posting's words and the resume's (when a line answers in part).
    pub evidence: Evidence,
    /// Score points the change could win at most (0–100 scale), one decimal.
    pub points: f64,
    /// `high` (5 points or more), `medium` (2 or more) or `low`.
    pub priority: &'static str,
}

/// Parts that ask for a fact the user may have left off (years, a degree, languages), and
/// what to do about each.
const FACTS: [(&str, &str); 3] = [
    (
        "experience",
        "If you have experience your dated roles do not show (freelance work, volunteering, a role left off), add it with its dates.",
    ),
    (
        "education",
        "If you hold this degree or the equivalent the posting accepts, add it under Education.",
    ),
    (
        "languages",
        "If you speak the languages the posting asks for, list them under Languages with your level.",
    ),
];

/// The most lines of one kind (unanswered duties, figures to add) the report lists.
const MAX_PER_KIND: usize = 5;

fn rounded(points: f64) -> f64 {
    (points * 10.0).round() / 10.0
}

fn advice(
    area: &'static str,
    what: String,
    why: String,
    evidence: Evidence,
    points: f64,
) -> Advice {
    let points = rounded(points.max(0.0));
    Advice {
        area,
        what,
        why,
        evidence,
        points,
        priority: if points >= 5.0 {
            "high"
        } else if points >= 2.0 {
            "medium"
        } else {
            "low"
        },
    }
}

fn skill_advice(m: &Match, note: &SkillNote, missing: bool) -> Advice {
    let (area, verb) = if note.required {
        ("required_skills", "requires")
    } else {
        ("preferred_skills", "would like")
    };
    // A part's points spread over the skills it asks; a skill shown but not named has half.
    let part = m.parts.iter().find(|p| p.name == area);
    let asked = part.map_or(1, |p| p.evidence.len().max(1));
    let per_skill = part.map_or(0.0, |p| p.weight) / asked as f64;
    let what = if missing {
        format!(
            "If {0} is part of your work, add a line saying where and what came of it. If it is not, leave it out: Pursuit will not add it for you.",
            note.skill
        )
    } else {
        note.advice.clone()
    };
    let why = if missing {
        format!(
            "The posting {verb} {} and nothing you wrote shows it.",
            note.skill
        )
    } else {
        format!(
            "The posting {verb} {}; screeners and applicant tracking systems search for that word.",
            note.skill
        )
    };
    advice(
        area,
        what,
        why,
        Evidence {
            posting: note.posting.clone(),
            resume: note.resume.clone(),
        },
        if missing { per_skill } else { per_skill / 2.0 },
    )
}

/// What to change for a better match of the resume's text with the posting's, most points
/// first (the posting's order among equals). Empty when nothing the match reads is missing.
pub fn report(
    m: &Match,
    pain_points: &[PainPoint],
    resume_text: &str,
    posting_text: &str,
) -> Vec<Advice> {
    let mut out = Vec::new();
    for note in &m.skills.missing {
        out.push(skill_advice(m, note, true));
    }
    for note in &m.skills.unphrased {
        out.push(skill_advice(m, note, false));
    }
    for part in &m.parts {
        let lost = part.weight * (1.0 - part.fit);
        let first = part.evidence.first().cloned().unwrap_or(Evidence {
            posting: String::new(),
            resume: None,
        });
        match part.name {
            "title" if part.fit < 0.6 => out.push(advice(
                "title",
                "If your work has been this kind of job, say so in your headline or summary, in your own words. Do not rename a past role: its title is what your employer would confirm.".to_owned(),
                format!("The posting's title is “{}”; {}.", first.posting, part.detail),
                first,
                lost,
            )),
            "field" if part.fit < 0.5 => out.push(advice(
                "field",
                "If you have done this kind of work, make it visible: lead your summary and your most recent role with it.".to_owned(),
                format!("By its duties and skills, {}.", part.detail),
                first,
                lost,
            )),
            name if part.fit < 1.0 && let Some((area, what)) = FACTS.iter().find(|(a, _)| *a == name) => {
                out.push(advice(
                    area,
                    (*what).to_owned(),
                    format!("{}.", capitalised(&part.detail)),
                    first,
                    lost,
                ))
            }
            "wording" if part.fit < 0.5 => {
                let unused = crate::matching::unused_words(resume_text, posting_text, 10);
                if !unused.is_empty() {
                    out.push(advice(
                        "wording",
                        "Where these words of the posting are true of your work, use them when you describe it; where they are not, leave them out. Repeating a word adds nothing.".to_owned(),
                        format!("{}.", capitalised(&part.detail)),
                        Evidence {
                            posting: unused.join(", "),
                            resume: None,
                        },
                        lost,
                    ));
                }
            }
            "responsibilities" => {
                let unanswered: Vec<&Evidence> =
                    part.evidence.iter().filter(|e| e.resume.is_none()).collect();
                let each = part.weight / part.evidence.len().max(1) as f64;
                for duty in unanswered.into_iter().take(MAX_PER_KIND) {
                    out.push(advice(
                        "responsibilities",
                        "Nothing on your resume answers this duty. If you have done it, add a line saying what you did and what came of it.".to_owned(),
                        "The posting lists it among the work of the role.".to_owned(),
                        duty.clone(),
                        each,
                    ));
                }
            }
            _ => {}
        }
    }
    // Lines that meet a need of the posting but carry no number: evidence a figure would
    // make stronger. Worth little in the score, much to a reader.
    for point in pain_points
        .iter()
        .filter(|p| {
            // A line that tells of work done (not a list of skills) answering a duty.
            p.kind == "responsibility"
                && !p.measured
                && p.relevance >= 0.3
                && p.solution.as_deref().is_some_and(|s| {
                    s.split_whitespace().count() >= 5 && s.matches(',').count() < 3
                })
        })
        .take(MAX_PER_KIND)
    {
        out.push(advice(
            "results",
            "Add a figure to this line if you know one: how much, how many, how fast, for whom."
                .to_owned(),
            format!(
                "It answers a need the posting states (“{}”); a number makes it evidence.",
                point.challenge
            ),
            Evidence {
                posting: point.challenge.clone(),
                resume: point.solution.clone(),
            },
            0.0,
        ));
    }
    // Most points first; the order above among equals.
    out.sort_by(|a, b| b.points.total_cmp(&a.points));
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::YearMonth;
    use crate::matching::{Prepared, PreparedPosting, pain_points, score_pair};
    use crate::posting::{Input, parse as parse_posting};
    use crate::resume::parse as parse_resume;

    const RESUME: &str = "Dana Okafor
Data Engineer

Experience
Data Engineer | Northwind | Mar 2021 - Present
- Built Airflow pipelines loading data into Snowflake
- Maintained PostgreSQL reporting tables for the finance team

Skills
Python, Airflow, Snowflake
";

    const POSTING: &str = "Senior Data Engineer

Responsibilities
- Build and run batch pipelines
- Negotiate vendor contracts for the data platform

Requirements
- 8+ years of experience
- Python and SQL
- Kafka
- Bachelor's degree in Computer Science
";

    fn read() -> Vec<Advice> {
        let today = YearMonth {
            year: 2026,
            month: Some(12),
        };
        let resume = parse_resume(RESUME, today);
        let posting = parse_posting(Input::Text(POSTING));
        let prepared = Prepared::new(&resume, RESUME);
        let side = PreparedPosting::new(&posting);
        let m = score_pair(&prepared, &side);
        report(&m, &pain_points(&prepared, &side), RESUME, POSTING)
    }

    #[test]
    fn every_missing_requirement_is_named_with_its_evidence_most_points_first() {
        let items = read();
        let find = |area: &str, words: &str| {
            items
                .iter()
                .find(|a| {
                    a.area == area && (a.what.contains(words) || a.evidence.posting.contains(words))
                })
                .unwrap_or_else(|| panic!("no {area} advice on {words}: {items:#?}"))
        };
        // Kafka: asked, not shown; the advice asks, never adds.
        let kafka = find("required_skills", "Kafka");
        assert!(
            kafka
                .what
                .starts_with("If Apache Kafka is part of your work"),
            "{items:#?}"
        );
        assert!(kafka.evidence.posting.contains("Kafka") && kafka.evidence.resume.is_none());
        // SQL: shown through PostgreSQL, not named.
        let sql = find("required_skills", "SQL");
        assert!(
            sql.evidence
                .resume
                .as_deref()
                .unwrap_or("")
                .contains("PostgreSQL"),
            "{sql:?}"
        );
        assert!(sql.points < kafka.points);
        // The degree, the years, and the duty nothing answers.
        find("education", "Bachelor");
        find("experience", "8+ years");
        let figure = find("results", "batch pipelines");
        assert!(
            figure
                .evidence
                .resume
                .as_deref()
                .unwrap_or("")
                .starts_with("Built Airflow")
        );
        assert!(!items.iter().any(|a| a.area == "results"
            && a.evidence.resume.as_deref() == Some("Python, Airflow, Snowflake")));
        let duty = find("responsibilities", "vendor contracts");
        assert!(duty.evidence.resume.is_none());
        // The posting's words the resume never uses, most used first.
        let words = find("wording", "vendor");
        assert!(!words.evidence.posting.contains("pipelines"), "{words:?}");
        // Most points first.
        assert!(
            items.windows(2).all(|w| w[0].points >= w[1].points),
            "{items:#?}"
        );
        assert!(
            items
                .iter()
                .all(|a| ["high", "medium", "low"].contains(&a.priority))
        );
        // Nothing asks for what the resume already shows by name.
        assert!(
            !items.iter().any(|a| a.area == "required_skills"
                && a.evidence.posting.contains("Python")
                && !a.evidence.posting.contains("SQL")),
            "{items:#?}"
        );
    }
}
