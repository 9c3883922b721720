//! The local engine: answers every task from Pursuit's own readers, matcher and rules. No
//! network, no model, deterministic (the same request gives the same answer), and it fits
//! each task's schema by construction (a test checks that it does).

use pursuit_text::dates::YearMonth;
use pursuit_text::matching::{self, PreparedPosting};
use pursuit_text::posting::{self, Input, Posting};
use pursuit_text::resume::{self, Resume};
use serde_json::{Value, json};

use crate::task::{Request, Task};

/// The local engine's answer to `request`.
pub fn answer(request: &Request, today: YearMonth) -> Value {
    match request.task {
        Task::ParseResume => resume_json(&resume::parse(request.input("resume"), today)),
        Task::ParseJob => job_json(&read_posting(request)),
        Task::PainPointMap => {
            let text = request.input("resume");
            let read = resume::parse(text, today);
            let posting = read_posting(request);
            let pairs = matching::pain_points(
                &matching::Prepared::new(&read, text),
                &PreparedPosting::new(&posting),
            );
            json!({"pairs": pairs.iter().take(40).map(|p| json!({
                "challenge": p.challenge,
                "kind": p.kind,
                "solution": p.solution,
                "relevance": (p.relevance.clamp(0.0, 1.0) * 1000.0).round() / 1000.0,
            })).collect::<Vec<_>>()})
        }
        Task::SpamCheck => {
            serde_json::to_value(crate::spam::check(request.input("email"))).unwrap_or_default()
        }
    }
}

fn read_posting(request: &Request) -> Posting {
    let title = request.input("title");
    posting::parse_titled(
        Input::Text(request.input("job description")),
        Some(title).filter(|t| !t.trim().is_empty()),
    )
}

fn clip(list: impl IntoIterator<Item = String>, max: usize) -> Vec<String> {
    list.into_iter()
        .take(max)
        .map(|s| s.chars().take(2000).collect())
        .collect()
}

fn short(text: &Option<String>) -> Value {
    text.as_ref().map_or(Value::Null, |t| {
        Value::String(t.chars().take(2000).collect())
    })
}

fn resume_json(read: &Resume) -> Value {
    let b = &read.basics;
    json!({
        "basics": {
            "name": short(&b.name), "label": short(&b.label), "email": short(&b.email),
            "phone": short(&b.phone), "location": short(&b.location), "summary": short(&b.summary),
        },
        "work": read.work.iter().take(60).map(|r| json!({
            "position": short(&r.position), "name": short(&r.name), "location": short(&r.location),
            "start_date": short(&r.start_date), "end_date": short(&r.end_date),
            "current": r.current, "highlights": clip(r.highlights.iter().cloned(), 80),
        })).collect::<Vec<_>>(),
        "education": read.education.iter().take(30).map(|e| json!({
            "institution": short(&e.institution), "study_type": short(&e.study_type),
            "area": short(&e.area), "end_date": short(&e.end_date),
        })).collect::<Vec<_>>(),
        "skills": clip(read.skills.iter().map(|s| s.name.clone()), 300),
        "certificates": clip(read.certificates.iter().map(|c| c.name.clone()), 60),
        "languages": clip(read.languages.iter().map(|l| l.language.clone()), 30),
    })
}

fn job_json(posting: &Posting) -> Value {
    let skills = posting
        .skills
        .required
        .iter()
        .chain(&posting.skills.preferred)
        .chain(&posting.skills.mentioned)
        .map(|s| s.name.clone());
    let mut names: Vec<String> = Vec::new();
    for name in skills {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    json!({
        "title": short(&posting.title),
        "company": short(&posting.company),
        "location": short(&posting.location),
        "remote_type": posting.remote_type,
        "employment_type": posting.employment_type,
        "seniority": posting.seniority,
        "responsibilities": clip(posting.responsibilities.iter().cloned(), 100),
        "requirements": {
            "required": clip(posting.requirements.required.iter().cloned(), 100),
            "preferred": clip(posting.requirements.preferred.iter().cloned(), 100),
        },
        "skills": clip(names, 200),
        "benefits": clip(posting.benefits.iter().cloned(), 60),
        "salary": posting.salary.as_ref().map(|s| json!({
            "min": s.min, "max": s.max, "currency": s.currency, "period": s.period,
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::validate;
    use crate::task::Input as DataInput;

    const RESUME: &str = "Sam Rivera\nsam@example.com\n\nExperience\nSenior Engineer, Acme Corp\n\
        2019 - Present\n- Cut build times by 40% by moving CI to Rust\n- Led a team of 5 engineers\n\n\
        Education\nBSc Computer Science, State University, 2015\n\nSkills\nRust, PostgreSQL, Kubernetes\n";
    const POSTING: &str = "Platform Engineer\n\nResponsibilities\n- Speed up our CI pipelines\n\
        - Run PostgreSQL in production\n\nRequirements\n- 5+ years with Rust\n- Kubernetes experience\n";

    fn request(task: Task) -> Request {
        Request::new(
            task,
            vec![
                DataInput {
                    label: "resume",
                    text: RESUME.into(),
                },
                DataInput {
                    label: "job description",
                    text: POSTING.into(),
                },
                DataInput {
                    label: "email",
                    text: "Act now, this is FREE!!!".into(),
                },
            ],
        )
    }

    #[test]
    fn every_local_answer_fits_its_schema_and_is_deterministic() {
        let today = YearMonth {
            year: 2026,
            month: Some(12),
        };
        for task in Task::ALL {
            let value = answer(&request(task), today);
            assert_eq!(
                validate(task.schema(), &value),
                Vec::<String>::new(),
                "{}",
                task.name()
            );
            assert_eq!(value, answer(&request(task), today));
        }
        let resume = answer(&request(Task::ParseResume), today);
        assert_eq!(resume["basics"]["email"], "sam@example.com");
        assert!(
            resume["skills"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "Rust")
        );
        let job = answer(&request(Task::ParseJob), today);
        assert_eq!(job["title"], "Platform Engineer");
        let pairs = answer(&request(Task::PainPointMap), today);
        assert!(!pairs["pairs"].as_array().unwrap().is_empty());
    }

    #[test]
    fn an_empty_input_still_answers() {
        let today = YearMonth {
            year: 2026,
            month: None,
        };
        for task in Task::ALL {
            let value = answer(&Request::new(task, Vec::new()), today);
            assert!(
                validate(task.schema(), &value).is_empty(),
                "{}",
                task.name()
            );
        }
    }
}
