//! The rules a model's answer must keep beyond its schema: what it says it copied from the
//! data must be in the data. A break is sent back in the repair request like a schema
//! error.

use serde_json::Value;

use crate::task::{Request, Task};

/// Lower-cased, with every run of whitespace one space: how copied text is compared.
fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What in `value` breaks the task's own rules.
pub fn check(request: &Request, value: &Value) -> Vec<String> {
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
        Task::ParseJob => {}
    }
    errors.truncate(20);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::Input;
    use serde_json::json;

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
        assert!(check(&request, &good).is_empty());
        let invented =
            json!({"pairs": [{"challenge": "CI", "solution": "Cut build times by 90%"}]});
        assert_eq!(check(&request, &invented).len(), 1);

        let spam = Request::new(
            Task::SpamCheck,
            vec![Input {
                label: "email",
                text: "Act NOW".into(),
            }],
        );
        assert!(check(&spam, &json!({"spam_words": ["NOW"]})).is_empty());
        assert_eq!(check(&spam, &json!({"spam_words": ["now"]})).len(), 1);
    }
}
