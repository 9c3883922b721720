//! HTML forms as API requests. A page form is read as the JSON body its API endpoint takes
//! and handed to that endpoint's own handler, so a form and the API share every check and
//! every side effect (status rules, reminders, invites). What a form cannot say directly is
//! converted here: numbers, comma- or line-separated lists, checkbox groups, and
//! `datetime-local` values, which are wall-clock times in the user's zone.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use crate::problem::ApiError;

/// How one form field becomes a JSON member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Text the API requires: sent even when empty, so the API names what is missing.
    Required,
    /// An integer; anything else is passed on as text for the API to refuse by name.
    Int,
    /// Comma-separated (`a, b`) → `["a", "b"]`.
    Commas,
    /// One per line → a list.
    Lines,
    /// A checkbox group: every value sent under the name → a list.
    Checkboxes,
    /// `2026-12-01T09:30` in the user's zone → an RFC 3339 instant.
    LocalTime,
    /// `yes` / `no` / empty → `true` / `false` / `null`.
    YesNo,
}

/// A posted form, in order, with repeated names kept (checkbox groups).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The fields as posted, without the CSRF token: what a refused form shows again.
    pub fn posted(&self) -> std::collections::BTreeMap<String, String> {
        self.0
            .iter()
            .filter(|(k, _)| k != "csrf")
            .cloned()
            .collect()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value sent under `name` (a checkbox group), in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// Rows of repeated fields (a row per repetition, a cell per name in `names` order):
    /// what a form of row inputs (contacts, roles) sends. A short column reads as empty
    /// cells.
    pub fn rows<const N: usize>(&self, names: [&str; N]) -> Vec<[String; N]> {
        let columns = names.map(|name| self.all(name));
        let count = columns.iter().map(Vec::len).max().unwrap_or(0);
        (0..count)
            .map(|i| std::array::from_fn(|c| columns[c].get(i).cloned().unwrap_or_default()))
            .collect()
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_owned()
    }

    /// The version of the record the form was showing (sent back with every change).
    pub fn version(&self) -> Result<i64, ApiError> {
        self.get("version")
            .and_then(|v| v.trim().parse::<i64>().ok())
            .ok_or_else(|| {
                ApiError::bad_request("the form lost the version it was showing; reload the page")
            })
    }

    /// The JSON body for `spec`'s fields. An empty field is `null` when `empty_is_null`
    /// (an edit form: the user cleared it), else left out (a create form: the default).
    /// A checkbox group is always sent, since an empty group is a choice too.
    pub fn json(
        &self,
        spec: &[(&str, Kind)],
        zone: &TimeZone,
        empty_is_null: bool,
    ) -> Map<String, Value> {
        let mut body = Map::new();
        for &(name, kind) in spec {
            if kind == Kind::Checkboxes {
                let values = self.all(name).into_iter().map(Value::String).collect();
                body.insert(name.to_owned(), Value::Array(values));
                continue;
            }
            let Some(raw) = self.get(name) else { continue };
            let text = raw.trim();
            if text.is_empty() {
                if kind == Kind::Required {
                    body.insert(name.to_owned(), Value::String(String::new()));
                } else if empty_is_null {
                    let empty = match kind {
                        Kind::Commas | Kind::Lines => Value::Array(Vec::new()),
                        _ => Value::Null,
                    };
                    body.insert(name.to_owned(), empty);
                }
                continue;
            }
            body.insert(name.to_owned(), convert(kind, text, zone));
        }
        body
    }
}

fn convert(kind: Kind, text: &str, zone: &TimeZone) -> Value {
    let list = |items: Vec<&str>| {
        Value::Array(
            items
                .into_iter()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        )
    };
    match kind {
        Kind::Text | Kind::Required | Kind::Checkboxes => Value::String(text.to_owned()),
        Kind::Int => text
            .replace([',', '_', ' '], "")
            .parse::<i64>()
            .map_or_else(|_| Value::String(text.to_owned()), Value::from),
        Kind::Commas => list(text.split(',').collect()),
        Kind::Lines => list(text.lines().collect()),
        Kind::LocalTime => local_instant(text, zone).map_or_else(
            || Value::String(text.to_owned()),
            |at| Value::String(at.to_string()),
        ),
        Kind::YesNo => match text {
            "yes" => Value::Bool(true),
            "no" => Value::Bool(false),
            other => Value::String(other.to_owned()),
        },
    }
}

/// A `datetime-local` value (`2026-12-01T09:30`, seconds optional) in `zone`. A time that
/// falls in a DST gap moves forward, as a wall clock does.
pub fn local_instant(text: &str, zone: &TimeZone) -> Option<jiff::Timestamp> {
    let civil: DateTime = text.parse().ok()?;
    civil.to_zoned(zone.clone()).ok().map(|z| z.timestamp())
}

/// An instant as a `datetime-local` value in `zone` (what the input shows).
pub fn local_input(at: jiff::Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

/// What a refused request says to a person: each field's message, or else the detail.
pub fn message(error: &ApiError) -> String {
    let mut parts: Vec<String> = Vec::new();
    if error.field_errors().is_empty() {
        parts.extend(error.detail().map(str::to_owned));
    }
    for field in error.field_errors() {
        let name = field.pointer.trim_start_matches('/').replace('_', " ");
        parts.push(if name.is_empty() {
            field.message.clone()
        } else {
            format!("{name}: {}", field.message)
        });
    }
    if parts.is_empty() {
        parts.push(error.kind().title().to_owned());
    }
    parts.join(" · ")
}

/// A refusal a page shows with the form (a 4xx: its status and message), or the error
/// itself for the error page.
pub(super) fn refusal(
    error: impl Into<crate::problem::ApiError>,
) -> Result<(axum::http::StatusCode, String), crate::problem::ApiError> {
    let error: crate::problem::ApiError = error.into();
    let status = error.kind().status();
    if status.is_client_error() {
        Ok((status, message(&error)))
    } else {
        Err(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn repeated_fields_read_as_rows_with_short_columns_empty() {
        let posted = form(&[("a", "1"), ("b", "x"), ("a", "2"), ("c", "only")]);
        assert_eq!(
            posted.rows(["a", "b", "c"]),
            [
                ["1".to_owned(), "x".to_owned(), "only".to_owned()],
                ["2".to_owned(), String::new(), String::new()],
            ]
        );
        assert!(posted.rows(["missing"]).is_empty());
    }

    #[test]
    fn fields_become_the_api_body() {
        let zone = TimeZone::get("Europe/Berlin").unwrap();
        let data = form(&[
            ("company", " Acme "),
            ("salary_min", "120,000"),
            ("salary_max", "lots"),
            ("tags", "rust, remote,,"),
            ("channels", "in_app"),
            ("channels", "email"),
            ("due_at", "2026-07-01T09:30"),
            ("cover_letter_used", "no"),
            ("notes", ""),
        ]);
        let spec = [
            ("company", Kind::Text),
            ("salary_min", Kind::Int),
            ("salary_max", Kind::Int),
            ("tags", Kind::Commas),
            ("channels", Kind::Checkboxes),
            ("due_at", Kind::LocalTime),
            ("cover_letter_used", Kind::YesNo),
            ("notes", Kind::Text),
            ("absent", Kind::Text),
        ];
        let body = Value::Object(data.json(&spec, &zone, true));
        assert_eq!(
            body,
            serde_json::json!({
                "company": "Acme", "salary_min": 120000, "salary_max": "lots",
                "tags": ["rust", "remote"], "channels": ["in_app", "email"],
                "due_at": "2026-07-01T07:30:00Z", "cover_letter_used": false, "notes": null,
            })
        );
        let create = Value::Object(data.json(&spec, &zone, false));
        assert!(
            create.get("notes").is_none(),
            "an empty field on a create form is the default"
        );
    }

    #[test]
    fn local_times_round_trip_through_the_input() {
        let zone = TimeZone::get("America/New_York").unwrap();
        let at = local_instant("2026-03-08T02:30", &zone).expect("a DST gap moves forward");
        assert_eq!(local_input(at, &zone), "2026-03-08T03:30");
        assert_eq!(local_instant("not a time", &zone), None);
    }
}
