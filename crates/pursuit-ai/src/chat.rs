//! The local engine's side of a conversation: no model, so no free conversation. It knows
//! what the user's question is about from its words (the match, what is missing, the
//! user's strengths for the job, its duties, its pay, the interview) and answers from the
//! matcher's reading of the resume and the posting, quoting the user's own lines. Anything
//! else is answered with what it can do. Deterministic, and it states about the user only
//! what the resume says.

use pursuit_text::dates::YearMonth;
use pursuit_text::matching::{self, Prepared, PreparedPosting};
use pursuit_text::posting::{self, Input, Posting};
use pursuit_text::resume;

use crate::task::Request;

/// What a question asks about, by its words (first match wins).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Topic {
    Missing,
    Strengths,
    Interview,
    Pay,
    Duties,
    Match,
    Help,
}

const TOPICS: &[(Topic, &[&str])] = &[
    (
        Topic::Missing,
        &[
            "missing",
            "gap",
            "lack",
            "improve",
            "add to",
            "change",
            "weak",
            "better",
            "should i learn",
            "don't have",
            "do not have",
        ],
    ),
    (
        Topic::Strengths,
        &[
            "strength",
            "strong",
            "why me",
            "good fit",
            "pitch",
            "stand out",
            "highlight",
            "sell myself",
            "best",
        ],
    ),
    (
        Topic::Interview,
        &["interview", "prepare", "ask me", "talk about", "questions"],
    ),
    (
        Topic::Pay,
        &["salary", "pay", "compensation", "money", "earn", "wage"],
    ),
    (
        Topic::Duties,
        &[
            "duties",
            "responsibilit",
            "what will i do",
            "day to day",
            "about the role",
            "the job about",
            "what is the role",
        ],
    ),
    (
        Topic::Match,
        &[
            "match",
            "score",
            "fit",
            "chance",
            "qualified",
            "suitable",
            "apply",
        ],
    ),
];

fn topic(question: &str) -> Topic {
    let lower = question.to_lowercase();
    TOPICS
        .iter()
        .find(|(_, words)| words.iter().any(|w| lower.contains(w)))
        .map_or(Topic::Help, |(t, _)| *t)
}

const HELP: &str = "I answer from your resume and this job's posting, without an AI model: ask how well you match, what is missing, your strengths for it, its duties, its pay, or how to prepare for the interview. For open questions, add a model in Settings › AI.";

const NO_POSTING: &str = "This conversation is about no posting, so there is nothing to match against. Start one from a job's page (\"Ask about this job\") to ask about a posting.";

/// A list as a sentence: "a, b and c".
/// A line in quotation marks, without the end punctuation the sentence around it gives.
fn quoted(line: &str) -> String {
    format!("“{}”", line.trim().trim_end_matches(['.', ';', ',', ':']))
}

fn listed(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The local engine's answer to a chat request.
pub fn answer(request: &Request, today: YearMonth) -> String {
    let question = request.input("question");
    let topic = topic(question);
    if topic == Topic::Help {
        return HELP.to_owned();
    }
    let text = request.input("resume");
    let posting_text = request.input("job description");
    if posting_text.trim().is_empty() {
        return NO_POSTING.to_owned();
    }
    if text.trim().is_empty() {
        return "I have no resume of yours to answer from: add one on the Resume page.".to_owned();
    }
    let read = resume::parse(text, today);
    let job: Posting = posting::parse_titled(
        Input::Text(posting_text),
        Some(request.input("title")).filter(|t| !t.trim().is_empty()),
    );
    let prepared = Prepared::new(&read, text);
    let side = PreparedPosting::new(&job);
    let m = matching::score_pair(&prepared, &side);
    let role = job.title.clone().unwrap_or_else(|| "this job".to_owned());
    match topic {
        Topic::Match => {
            let mut out = format!("Match of the resume with {role}: {} of 100.", m.score);
            if let Some(why) = &m.provisional {
                out.push_str(&format!(" Take it as provisional: {why}."));
            }
            let mut parts = m.parts.clone();
            parts.sort_by(|a, b| (b.weight * b.fit).total_cmp(&(a.weight * a.fit)));
            if let Some(best) = parts.first() {
                out.push_str(&format!(
                    " Strongest: {} ({}).",
                    best.name.replace('_', " "),
                    best.detail
                ));
            }
            if let Some(worst) = parts
                .iter()
                .filter(|p| p.fit < 0.5)
                .max_by(|a, b| (a.weight * (1.0 - a.fit)).total_cmp(&(b.weight * (1.0 - b.fit))))
            {
                out.push_str(&format!(
                    " Weakest: {} ({}).",
                    worst.name.replace('_', " "),
                    worst.detail
                ));
            }
            out
        }
        Topic::Missing => {
            let required: Vec<String> = m
                .skills
                .missing
                .iter()
                .filter(|s| s.required)
                .map(|s| s.skill.clone())
                .collect();
            let unphrased: Vec<String> =
                m.skills.unphrased.iter().map(|s| s.skill.clone()).collect();
            let mut out = if required.is_empty() {
                "Your resume shows every skill the posting requires.".to_owned()
            } else {
                format!(
                    "The posting requires {} and your resume does not show {}. If you have used {}, add a line saying where; if not, do not claim {}.",
                    listed(&required),
                    if required.len() == 1 { "it" } else { "them" },
                    if required.len() == 1 { "it" } else { "them" },
                    if required.len() == 1 { "it" } else { "them" },
                )
            };
            if !unphrased.is_empty() {
                out.push_str(&format!(
                    " Your resume shows {} without naming {} as the posting does: name {} where you used {}.",
                    listed(&unphrased),
                    if unphrased.len() == 1 { "it" } else { "them" },
                    if unphrased.len() == 1 { "it" } else { "them" },
                    if unphrased.len() == 1 { "it" } else { "them" },
                ));
            }
            out
        }
        Topic::Strengths => {
            // The lines that answer the posting's needs first, then those that show the
            // skills it names; each once.
            let answering = matching::pain_points(&prepared, &side);
            let lines: Vec<String> = answering
                .iter()
                .filter_map(|p| p.solution.as_deref())
                .chain(m.skills.matched.iter().filter_map(|s| s.resume.as_deref()))
                // Only lines the resume holds (the matcher's evidence may be a note of its
                // own, such as the language the resume is written in).
                .filter(|line| text.contains(line.trim()))
                .map(quoted)
                .fold(Vec::new(), |mut kept: Vec<String>, line| {
                    if !kept.contains(&line) {
                        kept.push(line);
                    }
                    kept
                })
                .into_iter()
                .take(4)
                .collect();
            if lines.is_empty() {
                format!(
                    "Your resume shows none of the skills {role} asks for by name, so lead with the lines that are closest to its duties."
                )
            } else {
                format!(
                    "For {role}, lead with what your resume already shows: {}.",
                    lines.join("; ")
                )
            }
        }
        Topic::Interview => {
            let points = matching::pain_points(&prepared, &side);
            let met: Vec<(&String, &String)> = points
                .iter()
                .filter_map(|p| p.solution.as_ref().map(|s| (&p.challenge, s)))
                .take(3)
                .collect();
            let open: Vec<String> = points
                .iter()
                .filter(|p| p.solution.is_none())
                .map(|p| quoted(&p.challenge))
                .take(2)
                .collect();
            let mut out = String::new();
            if !met.is_empty() {
                // The posting's words and the user's in sentences of their own: the guard
                // reads the second as about the user, and it quotes only their lines.
                let asked: Vec<String> = met.iter().map(|(c, _)| quoted(c)).collect();
                let lines: Vec<String> = met.iter().map(|(_, s)| quoted(s)).collect();
                out.push_str(&format!(
                    "The posting asks for {}. Be ready to tell the story behind your lines that answer it: {}.",
                    asked.join(", "),
                    lines.join("; ")
                ));
            }
            if !open.is_empty() {
                out.push_str(&format!(
                    " Nothing on the resume answers {}: expect a question on it and answer truthfully.",
                    listed(&open)
                ));
            }
            if out.is_empty() {
                out = format!(
                    "The posting for {role} names no duties or requirements to prepare for."
                );
            }
            out.trim().to_owned()
        }
        Topic::Pay => match &job.salary {
            Some(salary) => format!(
                "The posting states pay of {}{} {}{}.",
                salary.min.map(|v| v.to_string()).unwrap_or_default(),
                salary.max.map(|v| format!("–{v}")).unwrap_or_default(),
                salary.currency.clone().unwrap_or_default(),
                salary
                    .period
                    .as_deref()
                    .map(|p| format!(" per {p}"))
                    .unwrap_or_default(),
            ),
            None => "The posting states no pay.".to_owned(),
        },
        Topic::Duties => {
            if job.responsibilities.is_empty() {
                format!("The posting for {role} lists no duties.")
            } else {
                let duties: Vec<String> = job
                    .responsibilities
                    .iter()
                    .take(6)
                    .map(|d| quoted(d))
                    .collect();
                format!("The posting lists these duties: {}.", duties.join("; "))
            }
        }
        Topic::Help => HELP.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::{Input as DataInput, Task};

    const RESUME: &str = "Sam Rivera\n\nExperience\nPlatform Engineer | Northwind | Mar 2020 - Present\n- Cut CI build times by 42% with Bazel remote caching\n- Ran 40 PostgreSQL clusters in production\n\nSkills\nGo, PostgreSQL, Bazel\n";
    const POSTING: &str = "Platform Engineer\n\nResponsibilities\n- Speed up our CI pipelines\n- Run our Kubernetes clusters\n\nRequirements\n- Go and PostgreSQL\n- Kubernetes\n\nSalary: $150,000 - $180,000 per year\n";

    fn ask(question: &str, posting: &str) -> String {
        let request = Request::new(
            Task::Chat,
            vec![
                DataInput {
                    label: "resume",
                    text: RESUME.into(),
                },
                DataInput {
                    label: "job description",
                    text: posting.into(),
                },
                DataInput {
                    label: "question",
                    text: question.into(),
                },
            ],
        );
        answer(
            &request,
            YearMonth {
                year: 2026,
                month: Some(12),
            },
        )
    }

    #[test]
    fn each_topic_is_answered_from_the_resume_and_the_posting() {
        let missing = ask("What am I missing for this job?", POSTING);
        assert!(
            missing.contains("Kubernetes") && missing.contains("do not claim"),
            "{missing}"
        );
        let score = ask("How well do I match?", POSTING);
        assert!(
            score.starts_with("Match of the resume with Platform Engineer: "),
            "{score}"
        );
        let strengths = ask("What are my strengths for it?", POSTING);
        assert!(
            strengths.contains("“Ran 40 PostgreSQL clusters in production”"),
            "{strengths}"
        );
        let pay = ask("What does it pay?", POSTING);
        assert!(pay.contains("150000") && pay.contains("180000"), "{pay}");
        let duties = ask("What are the duties?", POSTING);
        assert!(duties.contains("Speed up our CI pipelines"), "{duties}");
        let interview = ask("How should I prepare for the interview?", POSTING);
        assert!(interview.contains("Cut CI build times"), "{interview}");
        assert_eq!(ask("Tell me a joke", POSTING), HELP);
        assert_eq!(ask("How well do I match?", ""), NO_POSTING);
        // Deterministic.
        assert_eq!(
            ask("What am I missing?", POSTING),
            ask("What am I missing?", POSTING)
        );
    }
}
