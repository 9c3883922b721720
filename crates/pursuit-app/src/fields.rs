//! Reading JSON fields into typed values, each failure named by a JSON pointer: the shared
//! vocabulary of every use case's input, whichever edge it came through (a JSON body, a
//! form, a saved document).

use jiff::Timestamp;
use serde_json::Value;

use crate::error::Invalid;

/// What a caller is told about U+0000 in its input, wherever it came in.
pub const NUL_MESSAGE: &str =
    "contains the NUL character (U+0000), which cannot be stored; remove it";

/// Collects invalid fields of one request.
#[derive(Default)]
pub struct Fields {
    pub errors: Vec<Invalid>,
}

impl Fields {
    /// `Ok` when every field read was valid, else every invalid one.
    pub fn finish(self) -> Result<(), Vec<Invalid>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }

    pub fn bad(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(Invalid::new(field, message));
    }

    /// Optional text: `null` or blank clears; otherwise trimmed and at most `max` characters.
    pub fn text(&mut self, field: &str, value: &Value, max: usize) -> Option<Option<String>> {
        match value {
            Value::Null => Some(None),
            Value::String(s) if s.trim().is_empty() => Some(None),
            Value::String(s) if s.chars().count() > max => {
                self.bad(field, format!("must be at most {max} characters"));
                None
            }
            Value::String(s) => Some(Some(s.trim().to_owned())),
            _ => {
                self.bad(field, "must be a string or null");
                None
            }
        }
    }

    /// A list of at most 100 non-empty strings (each at most 2,000 characters); `null` empties.
    pub fn strings(&mut self, field: &str, value: &Value) -> Option<Vec<String>> {
        match value {
            Value::Null => Some(Vec::new()),
            Value::Array(items) if items.len() <= 100 => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.as_str().map(str::trim) {
                        Some(s) if !s.is_empty() && s.chars().count() <= 2000 => {
                            out.push(s.to_owned())
                        }
                        _ => self.bad(&format!("{field}/{i}"), "must be a non-empty string"),
                    }
                }
                Some(out)
            }
            _ => {
                self.bad(field, "must be a list of at most 100 strings");
                None
            }
        }
    }

    /// An optional RFC 3339 instant.
    pub fn instant(&mut self, field: &str, value: &Value) -> Option<Option<Timestamp>> {
        match value {
            Value::Null => Some(None),
            Value::String(s) => match s.parse::<Timestamp>() {
                Ok(t) => Some(Some(t)),
                Err(_) => {
                    self.bad(
                        field,
                        format!("{s:?} is not an RFC 3339 time such as 2026-11-23T09:00:00Z"),
                    );
                    None
                }
            },
            _ => {
                self.bad(field, "must be an RFC 3339 time or null");
                None
            }
        }
    }

    /// An optional JSON list or object of bounded size.
    pub fn document(&mut self, field: &str, value: &Value) -> Option<Option<Value>> {
        match value {
            Value::Null => Some(None),
            Value::Array(_) | Value::Object(_) if value.to_string().len() <= 20_000 => {
                Some(Some(value.clone()))
            }
            _ => {
                self.bad(
                    field,
                    "must be a JSON list or object (at most 20,000 characters) or null",
                );
                None
            }
        }
    }

    /// A required enum value spelled as on the wire.
    pub fn choice<T>(
        &mut self,
        field: &str,
        value: &Value,
        parse: fn(&str) -> Result<T, pursuit_domain::Invalid>,
    ) -> Option<T> {
        match value.as_str().map(parse) {
            Some(Ok(v)) => Some(v),
            Some(Err(e)) => {
                self.bad(field, e.0);
                None
            }
            None => {
                self.bad(field, "must be a string");
                None
            }
        }
    }

    /// An optional enum value; `null` clears.
    pub fn optional_choice<T>(
        &mut self,
        field: &str,
        value: &Value,
        parse: fn(&str) -> Result<T, pursuit_domain::Invalid>,
    ) -> Option<Option<T>> {
        if value.is_null() {
            Some(None)
        } else {
            self.choice(field, value, parse).map(Some)
        }
    }
}
