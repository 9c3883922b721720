//! Beta feedback (seed 000 §12): a user's survey response — the answers kept whole, and
//! the pricing question (`would_pay_at_499`, an optional `suggested_price`) kept so it can
//! be counted — and the operator's summary of all of them.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use pursuit_domain::ids::{FeedbackId, UserId};
use pursuit_store::Db;
use pursuit_store::feedback::{self as store, FeedbackRow};
use serde_json::Value;

use crate::error::{AppError, Invalid};

/// At most this many responses a user may send a day.
pub const PER_DAY: i64 = 5;
/// The largest response kept, its answers as JSON.
pub const MAX_ANSWERS_BYTES: usize = 20_000;
const MAX_QUESTIONS: usize = 50;

/// One response as given.
#[derive(Clone, Debug, Default)]
pub struct Response {
    /// Question → answer: text, a number, yes/no, or a list of texts.
    pub answers: Value,
    pub would_pay_at_499: Option<bool>,
    pub suggested_price: Option<f64>,
}

fn check_text(field: &str, text: &str, invalid: &mut Vec<Invalid>) {
    if text.contains('\0') {
        invalid.push(Invalid::new(field, "must not contain NUL characters"));
    }
}

fn check(response: &Response) -> Result<(), AppError> {
    let mut invalid = Vec::new();
    match &response.answers {
        Value::Object(map) => {
            if map.len() > MAX_QUESTIONS {
                invalid.push(Invalid::new(
                    "answers",
                    format!("at most {MAX_QUESTIONS} questions"),
                ));
            }
            for (question, answer) in map {
                let field = format!("answers/{question}");
                if question.trim().is_empty() || question.chars().count() > 100 {
                    invalid.push(Invalid::new(
                        &field,
                        "a question is named by 1 to 100 characters",
                    ));
                }
                check_text(&field, question, &mut invalid);
                match answer {
                    Value::String(text) => check_text(&field, text, &mut invalid),
                    Value::Number(_) | Value::Bool(_) | Value::Null => {}
                    Value::Array(items) if items.iter().all(Value::is_string) => {
                        for item in items {
                            check_text(&field, item.as_str().unwrap_or_default(), &mut invalid);
                        }
                    }
                    _ => invalid.push(Invalid::new(
                        &field,
                        "must be a text, a number, yes/no or a list of texts",
                    )),
                }
            }
            if serde_json::to_string(&response.answers).map_or(0, |s| s.len()) > MAX_ANSWERS_BYTES {
                invalid.push(Invalid::new(
                    "answers",
                    format!("at most {MAX_ANSWERS_BYTES} bytes in all"),
                ));
            }
        }
        _ => invalid.push(Invalid::new(
            "answers",
            "must be an object: question → answer",
        )),
    }
    if response.would_pay_at_499.is_none() {
        invalid.push(Invalid::new(
            "would_pay_at_499",
            "is required: would you pay $499 for a year of Pursuit?",
        ));
    }
    if let Some(price) = response.suggested_price
        && !(price.is_finite() && (0.0..=100_000.0).contains(&price))
    {
        invalid.push(Invalid::new(
            "suggested_price",
            "must be an amount in US dollars from 0 to 100,000",
        ));
    }
    if invalid.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(invalid))
    }
}

/// Keeps a user's response.
pub async fn submit(
    db: &Db,
    user: UserId,
    response: &Response,
    now: Timestamp,
) -> Result<FeedbackId, AppError> {
    check(response)?;
    let sent = store::count_since(db, user, now - SignedDuration::from_hours(24)).await?;
    if sent >= PER_DAY {
        return Err(AppError::Conflict(format!(
            "you sent {sent} responses in the last day, thank you: the next one can wait until tomorrow"
        )));
    }
    let id = FeedbackId::new();
    store::insert_feedback(
        db,
        &FeedbackRow {
            id,
            user_id: Some(user),
            answers: serde_json::to_string(&response.answers).unwrap_or_else(|_| "{}".to_owned()),
            would_pay_at_499: response.would_pay_at_499.unwrap_or(false),
            suggested_price: response.suggested_price,
            created_at: now,
        },
    )
    .await?;
    Ok(id)
}

/// What all responses say.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub responses: i64,
    pub would_pay: i64,
    pub would_not_pay: i64,
    /// `would_pay / responses`; `None` without responses.
    pub would_pay_share: Option<f64>,
    pub suggested: Prices,
    /// Per question: how many answered it and its most given answers (up to five; long
    /// texts are not tallied, only counted).
    pub questions: BTreeMap<String, Question>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prices {
    pub count: i64,
    pub min: Option<f64>,
    pub median: Option<f64>,
    pub mean: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Question {
    pub answered: i64,
    pub top: Vec<(String, i64)>,
    /// The newest free-text answers (up to five, each cut at 500 characters).
    pub latest: Vec<String>,
}

/// Answers this short are tallied as values; longer ones are free text.
const TALLIED_UP_TO: usize = 40;

/// The summary of every response (the operator's; the caller checks who may see it).
pub async fn summary(db: &Db) -> Result<Summary, AppError> {
    let rows = store::all_feedback(db, 10_000).await?;
    let responses = rows.len() as i64;
    let would_pay = rows.iter().filter(|r| r.would_pay_at_499).count() as i64;
    let mut prices: Vec<f64> = rows.iter().filter_map(|r| r.suggested_price).collect();
    prices.sort_by(f64::total_cmp);
    let median = match prices.len() {
        0 => None,
        n if n % 2 == 1 => Some(prices[n / 2]),
        n => Some((prices[n / 2 - 1] + prices[n / 2]) / 2.0),
    };
    // Per question: answered, the tally of short answers, the newest long ones.
    type Tally = (i64, BTreeMap<String, i64>, Vec<String>);
    let mut questions: BTreeMap<String, Tally> = BTreeMap::new();
    for row in &rows {
        let Ok(Value::Object(answers)) = serde_json::from_str::<Value>(&row.answers) else {
            continue;
        };
        for (question, answer) in answers {
            let values: Vec<String> = match answer {
                Value::Null => continue,
                Value::String(s) if s.trim().is_empty() => continue,
                Value::String(s) => vec![s.trim().to_owned()],
                Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect(),
                other => vec![other.to_string()],
            };
            let entry = questions.entry(question).or_default();
            entry.0 += 1;
            for value in values {
                if value.chars().count() <= TALLIED_UP_TO {
                    *entry.1.entry(value).or_default() += 1;
                } else if entry.2.len() < 5 {
                    // Rows come newest first.
                    entry.2.push(value.chars().take(500).collect());
                }
            }
        }
    }
    Ok(Summary {
        responses,
        would_pay,
        would_not_pay: responses - would_pay,
        would_pay_share: (responses > 0).then(|| would_pay as f64 / responses as f64),
        suggested: Prices {
            count: prices.len() as i64,
            min: prices.first().copied(),
            median,
            mean: (!prices.is_empty()).then(|| prices.iter().sum::<f64>() / prices.len() as f64),
            max: prices.last().copied(),
        },
        questions: questions
            .into_iter()
            .map(|(q, (answered, tally, latest))| {
                let mut top: Vec<(String, i64)> = tally.into_iter().collect();
                top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                top.truncate(5);
                (
                    q,
                    Question {
                        answered,
                        top,
                        latest,
                    },
                )
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_is_checked_field_by_field() {
        let bad = Response {
            answers: serde_json::json!({"ok": "fine", "nested": {"a": 1}, "nul": "a\u{0}b"}),
            would_pay_at_499: None,
            suggested_price: Some(-5.0),
        };
        let Err(AppError::Invalid(fields)) = check(&bad) else {
            panic!("accepted");
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        for name in [
            "/answers/nested",
            "/answers/nul",
            "/would_pay_at_499",
            "/suggested_price",
        ] {
            assert!(names.contains(&name), "{name}: {names:?}");
        }
        let fine = Response {
            answers: serde_json::json!({"worked": "the board", "tags": ["outreach", "matching"], "score": 9}),
            would_pay_at_499: Some(false),
            suggested_price: Some(199.0),
        };
        assert!(check(&fine).is_ok());
        let not_object = Response {
            answers: serde_json::json!(["x"]),
            would_pay_at_499: Some(true),
            suggested_price: None,
        };
        assert!(check(&not_object).is_err());
    }
}
