//! The rules a model's answer must keep beyond its schema: what it says it copied from the
//! data must be in the data, and what it writes about the user or a posting must be
//! supported by it (the truthfulness guard). A break is sent back in the repair request like
//! a schema error; a second break passes the task to the next provider, and in the end to
//! the local engine.

use pursuit_text::dates::YearMonth;
use serde_json::Value;

use crate::guard::Sources;

use crate::task::{Request, Task};

/// Lower-cased, with every run of whitespace one space: how copied text is compared.
fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The claims of `text` not supported by `material` (with `context` as what it may name
/// without claiming, and `names`, one a line, as names it may write out whole), as rule
/// breaks of the field `field`.
fn unsupported(
    field: &str,
    text: &str,
    material: &[&str],
    context: &[&str],
    names: &str,
    today: YearMonth,
    errors: &mut Vec<String>,
) {
    let names: Vec<&str> = names.lines().collect();
    report(
        field,
        &Sources::new(material, context, today).with_names(&names),
        text,
        errors,
    );
}

/// The claims of `text` that `sources` do not support, as errors of `field`.
fn report(field: &str, sources: &Sources, text: &str, errors: &mut Vec<String>) {
    for claim in sources.check(text) {
        if !claim.supported {
            errors.push(format!(
                "{field}: {:?} is not supported by the data ({}); leave it out",
                claim.words, claim.reason
            ));
        }
    }
}

/// What in `value` breaks the task's own rules.
pub fn check(request: &Request, value: &Value, today: YearMonth) -> Vec<String> {
    let mut errors = Vec::new();
    match request.task {
        Task::SpamCheck => {
            let email = request.input("email");
            for (i, word) in value["spam_words"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Some(word) = word.as_str()
                    && !email.contains(word)
                {
                    errors.push(format!(
                        "/spam_words/{i}: {word:?} is not in the email exactly as written"
                    ));
                }
            }
        }
        Task::ClassifyReply => {
            if let Some(evidence) = value["evidence"].as_str()
                && !squash(request.input("reply")).contains(&squash(evidence))
                && !squash(request.input("subject")).contains(&squash(evidence))
            {
                errors.push(
                    "/evidence: not in the answer exactly as written (copy it, or use null)"
                        .to_owned(),
                );
            }
        }
        Task::PainPointMap => {
            let resume = squash(request.input("resume"));
            for (i, pair) in value["pairs"].as_array().into_iter().flatten().enumerate() {
                if let Some(solution) = pair["solution"].as_str()
                    && !resume.contains(&squash(solution))
                {
                    errors.push(format!(
                        "/pairs/{i}/solution: not a line of the resume (copy one, or use null)"
                    ));
                }
            }
        }
        Task::ParseResume => {
            let text = squash(request.input("resume"));
            if let Some(email) = value["basics"]["email"].as_str()
                && !text.contains(&squash(email))
            {
                errors.push("/basics/email: not in the resume".to_owned());
            }
        }
        Task::JobSummary => {
            let text = request.input("job description");
            let mut said = value["summary"].as_str().unwrap_or_default().to_owned();
            for duty in value["duties"].as_array().into_iter().flatten() {
                said.push('\n');
                said.push_str(duty.as_str().unwrap_or_default());
            }
            let named = format!("{}\n{}", request.input("title"), request.input("company"));
            unsupported(
                "/summary",
                &said,
                &[text, &named],
                &[],
                "",
                today,
                &mut errors,
            );
            // Skills named as required or preferred must be named by the posting.
            let posting = squash(text);
            for field in ["must_haves", "nice_to_haves"] {
                for (i, skill) in value[field].as_array().into_iter().flatten().enumerate() {
                    if let Some(skill) = skill.as_str()
                        && !posting.contains(&squash(skill))
                    {
                        errors.push(format!(
                            "/{field}/{i}: {skill:?} is not named in the posting (copy its words)"
                        ));
                    }
                }
            }
        }
        Task::Sequence => sequence(request, value, today, &mut errors),
        Task::Offer => {
            let pitch = value["text"].as_str().unwrap_or_default();
            let most: usize = request.input("max_chars").trim().parse().unwrap_or(1000);
            let n = pitch.chars().count();
            if n > most {
                errors.push(format!(
                    "/text: {n} characters, more than the {most} asked: shorten it"
                ));
            }
            unsupported(
                "/text",
                pitch,
                &[request.input("resume")],
                &[request.input("job description"), request.input("draft")],
                request.input("role"),
                today,
                &mut errors,
            );
        }
        Task::CoverLetter | Task::Refine | Task::TailorCv => {
            // Only the user's facts (the resume input holds all the user's material). The
            // draft is context, not material: it names the posting's role ("the Customer
            // Support Manager position"), which must not make "customer support" the
            // user's skill.
            let letter = value["text"].as_str().unwrap_or_default();
            unsupported(
                "/text",
                letter,
                &[request.input("resume")],
                &[request.input("job description"), request.input("draft")],
                request.input("role"),
                today,
                &mut errors,
            );
        }
        Task::CompanyResearch => {
            // Each fact names a source given and is said by it; the summary by them all.
            let sources: Vec<pursuit_text::research::Source> =
                serde_json::from_str(request.input("sources")).unwrap_or_default();
            let text_of = |s: &pursuit_text::research::Source| {
                format!(
                    "{}\n{}\n{}",
                    s.title,
                    s.description.as_deref().unwrap_or_default(),
                    s.text
                )
            };
            let company = request.input("company");
            for (i, fact) in value["facts"].as_array().into_iter().flatten().enumerate() {
                let id = fact["source"].as_str().unwrap_or_default();
                match sources.iter().find(|s| s.id == id) {
                    None => errors.push(format!(
                        "/facts/{i}/source: {id:?} is not the id of a source given"
                    )),
                    Some(source) => unsupported(
                        &format!("/facts/{i}/text"),
                        fact["text"].as_str().unwrap_or_default(),
                        &[&text_of(source)],
                        &[],
                        company,
                        today,
                        &mut errors,
                    ),
                }
            }
            let all: Vec<String> = sources.iter().map(text_of).collect();
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            unsupported(
                "/summary",
                value["summary"].as_str().unwrap_or_default(),
                &all,
                &[],
                company,
                today,
                &mut errors,
            );
        }
        Task::Chat => {
            // Facts about the user ("you") only from the material; the posting, the
            // question and the conversation may be named, not claimed.
            let names: Vec<&str> = request.input("role").lines().collect();
            let sources = Sources::new(
                &[request.input("resume")],
                &[
                    request.input("job description"),
                    request.input("question"),
                    request.input("conversation"),
                ],
                today,
            )
            .with_names(&names)
            .spoken_to_the_user();
            report(
                "/text",
                &sources,
                value["text"].as_str().unwrap_or_default(),
                &mut errors,
            );
        }
        Task::ParseJob | Task::SearchTerms => {}
    }
    errors.truncate(20);
    errors
}

/// What an outreach email may ask for without it being a claim about the candidate.
const ASK: &str = "a call of 5, 10, 15, 20, 30 or 45 minutes (five, ten, fifteen, twenty, thirty, forty-five); \
    within 1, 2, 3 or 4 days or weeks (one, two, three, four, a few); this week, next week, this month";

/// A reworded sequence keeps the draft's emails, days and placeholders, each email within
/// its characters and its subject one line, and says nothing about the candidate.
fn sequence(request: &Request, value: &Value, today: YearMonth, errors: &mut Vec<String>) {
    let draft: Value = serde_json::from_str(request.input("draft")).unwrap_or(Value::Null);
    let drafted = draft["steps"].as_array().map_or(0, Vec::len);
    let steps = value["steps"].as_array().cloned().unwrap_or_default();
    if steps.len() != drafted {
        errors.push(format!(
            "/steps: {} emails, the draft has {drafted}: keep each email",
            steps.len()
        ));
    }
    let most: usize = request.input("max_chars").trim().parse().unwrap_or(5000);
    for (i, step) in steps.iter().enumerate() {
        let subject = step["subject"].as_str().unwrap_or_default();
        let body = step["body"].as_str().unwrap_or_default();
        if step["offset_days"] != draft["steps"][i]["offset_days"] {
            errors.push(format!("/steps/{i}/offset_days: keep the draft's day"));
        }
        if subject
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
        {
            errors.push(format!(
                "/steps/{i}/subject: one line, no control characters"
            ));
        }
        let n = subject.chars().count() + body.chars().count();
        if n > most {
            errors.push(format!(
                "/steps/{i}/body: {n} characters with the subject, more than the {most} asked: shorten it"
            ));
        }
        for (field, text) in [("subject", subject), ("body", body)] {
            for name in pursuit_text::placeholders::unknown(text, field == "subject") {
                errors.push(format!(
                    "/steps/{i}/{field}: {name} is not a placeholder it may use"
                ));
            }
        }
        // Nothing about the candidate: the only material is the draft (which holds no
        // fact about them) and the sizes of an ask (a call's minutes, a reply's weeks),
        // so any claim about the candidate is unsupported.
        unsupported(
            &format!("/steps/{i}/body"),
            &body.replace(['{', '}'], " "),
            &[request.input("draft"), ASK],
            &[],
            "",
            today,
            errors,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::Input;
    use serde_json::json;

    const TODAY: YearMonth = YearMonth {
        year: 2026,
        month: Some(12),
    };

    #[test]
    fn a_sequence_keeps_its_days_and_placeholders_and_claims_nothing() {
        let email = |day: i64, subject: &str, body: &str| json!({"label": "Intro", "offset_days": day, "subject": subject, "body": body});
        let draft = json!({"steps": [
            email(0, "{role} at {company}", "Hi {first_name},\n\n{pitch}\n\nWould a 15-minute call suit you?\n\nBest regards,\n{my_name}"),
            email(3, "Re: {role} at {company}", "Hi {first_name},\n\nA short follow-up on my note about the {role} role.\n\nBest regards,\n{my_name}"),
        ]});
        let request = Request::new(
            Task::Sequence,
            vec![
                Input {
                    label: "draft",
                    text: draft.to_string(),
                },
                Input {
                    label: "max_chars",
                    text: "500".into(),
                },
            ],
        );
        let good = json!({"steps": [
            email(0, "{role} at {company}", "Hello {first_name},\n\n{pitch}\n\nCould we talk for fifteen minutes in the next two weeks?\n\nKind regards,\n{my_name}"),
            email(3, "Re: {role} at {company}", "Hello {first_name},\n\nJust following up on my note about the {role} role. Happy to share more if useful.\n\nKind regards,\n{my_name}"),
        ]});
        assert_eq!(check(&request, &good, TODAY), Vec::<String>::new());
        // Every email of a four-email rewording.
        let four = Request::new(
            Task::Sequence,
            vec![
                Input { label: "draft", text: json!({"steps": [
                    email(0, "{role} at {company}", "Hi {first_name},\n\n{pitch}\n\nWould a 15-minute call in the next two weeks suit you?\n\nBest regards,\n{my_name}"),
                    email(3, "Re: {role} at {company}", "Hi {first_name},\n\nA short follow-up on my note about the {role} role. I would be glad to tell you more about my work if it helps you decide.\n\nBest regards,\n{my_name}"),
                    email(7, "Re: {role} at {company}", "Hi {first_name},\n\nOne more thought on the {role} role at {company}.\n\n{pitch}\n\nIf someone else on your team is the better person to talk to, I would be grateful for a pointer.\n\nBest regards,\n{my_name}"),
                    email(14, "Re: {role} at {company}", "Hi {first_name},\n\nI will not write again about the {role} role. If the timing is better later, I would be glad to hear from you.\n\nThank you for reading,\n{my_name}"),
                ]}).to_string() },
                Input { label: "max_chars", text: "500".into() },
            ],
        );
        let reworded = json!({"steps": [
            email(0, "{role} at {company}", "Hello {first_name},\n\n{pitch}\n\nCould we talk for fifteen minutes in the next two weeks?\n\nKind regards,\n{my_name}"),
            email(3, "Re: {role} at {company}", "Hello {first_name},\n\nJust following up on my note about the {role} role. Happy to share more if useful.\n\nKind regards,\n{my_name}"),
            email(7, "Re: {role} at {company}", "Hello {first_name},\n\nOne more thought on {company}.\n\n{pitch}\n\nIf someone else is better placed, a pointer would be welcome.\n\nKind regards,\n{my_name}"),
            email(14, "Re: {role} at {company}", "Hello {first_name},\n\nThis is my last note about the {role} role. Thank you for reading.\n\nKind regards,\n{my_name}"),
        ]});
        assert_eq!(check(&four, &reworded, TODAY), Vec::<String>::new());
        let mut invented = good.clone();
        invented["steps"][0]["body"] = json!(
            "Hello {first_name},\n\nI led a team of 12 engineers at Google for 8 years.\n\n{my_name}"
        );
        assert!(!check(&request, &invented, TODAY).is_empty());
        let mut moved = good.clone();
        moved["steps"][1]["offset_days"] = json!(1);
        assert!(
            check(&request, &moved, TODAY)
                .iter()
                .any(|e| e.contains("offset_days"))
        );
        let mut unknown = good.clone();
        unknown["steps"][0]["subject"] = json!("{pitch} for {job_title}");
        assert!(
            check(&request, &unknown, TODAY)
                .iter()
                .any(|e| e.contains("/steps/0/subject"))
        );
        let mut long = good;
        long["steps"][1]["body"] = json!("word ".repeat(120));
        assert!(
            check(&request, &long, TODAY)
                .iter()
                .any(|e| e.contains("more than the 500"))
        );
    }

    #[test]
    fn a_letter_may_not_add_a_fact_and_a_summary_may_not_add_to_the_posting() {
        let letter = Request::new(
            Task::CoverLetter,
            vec![
                Input {
                    label: "resume",
                    text: "Sam Rivera\nExperience\nEngineer, Acme Corp\n2019 - Present\n- Cut build times by 40% with Rust\n".into(),
                },
                Input {
                    label: "job description",
                    text: "Platform Engineer at Northwind. Kubernetes required.".into(),
                },
                Input {
                    label: "draft",
                    text: "Dear Northwind team,\n\nAs Engineer at Acme Corp, I cut build times by 40% with Rust.".into(),
                },
            ],
        );
        let honest = json!({"text": "Dear Northwind team,\n\nAt Acme Corp I cut build times by 40% with Rust, and I would like to do the same for you."});
        assert_eq!(check(&letter, &honest, TODAY), Vec::<String>::new());
        let invented = json!({"text": "Dear Northwind team,\n\nAt Acme Corp I cut build times by 90% and ran Kubernetes for 5 years at Google."});
        let errors = check(&letter, &invented, TODAY);
        for words in ["90%", "Kubernetes", "Google"] {
            assert!(
                errors.iter().any(|e| e.contains(words)),
                "{words} not caught: {errors:?}"
            );
        }

        let summary = Request::new(
            Task::JobSummary,
            vec![Input {
                label: "job description",
                text: "Platform Engineer\nRun PostgreSQL for our payments team. Rust required."
                    .into(),
            }],
        );
        let made_up = json!({"summary": "A Platform Engineer role paying $200,000 with Kafka.", "duties": [], "must_haves": ["Rust", "Go"], "nice_to_haves": []});
        let errors = check(&summary, &made_up, TODAY);
        assert!(errors.iter().any(|e| e.contains("200,000")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.contains("/must_haves/1")),
            "{errors:?}"
        );
    }

    #[test]
    fn copied_text_must_be_in_the_data() {
        let request = Request::new(
            Task::PainPointMap,
            vec![Input {
                label: "resume",
                text: "- Cut  build times by 40%\n- Led a team".into(),
            }],
        );
        let good = json!({"pairs": [{"challenge": "CI", "solution": "cut build times by 40%"}, {"challenge": "x", "solution": null}]});
        assert!(check(&request, &good, TODAY).is_empty());
        let invented =
            json!({"pairs": [{"challenge": "CI", "solution": "Cut build times by 90%"}]});
        assert_eq!(check(&request, &invented, TODAY).len(), 1);

        let spam = Request::new(
            Task::SpamCheck,
            vec![Input {
                label: "email",
                text: "Act NOW".into(),
            }],
        );
        assert!(check(&spam, &json!({"spam_words": ["NOW"]}), TODAY).is_empty());
        let reply = Request::new(
            Task::ClassifyReply,
            vec![Input {
                label: "reply",
                text: "Could we  talk on Friday?".into(),
            }],
        );
        let shown =
            json!({"intent": "interview_request", "confidence": 0.9, "evidence": "could we talk"});
        assert!(check(&reply, &shown, TODAY).is_empty());
        let made_up =
            json!({"intent": "interview_request", "confidence": 0.9, "evidence": "let's meet"});
        assert_eq!(check(&reply, &made_up, TODAY).len(), 1);
        assert_eq!(
            check(&spam, &json!({"spam_words": ["now"]}), TODAY).len(),
            1
        );
    }
}
