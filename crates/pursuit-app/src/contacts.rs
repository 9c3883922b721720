//! The people on an application — recruiter, hiring manager, referrer — as rows of name,
//! role, email, phone, LinkedIn and time zone. They are kept in the application's
//! `contacts_inline` (a list of objects with the filled keys) until outreach gives contacts
//! their own table (issue 24); the rows read whatever an import or the API stored there.

use pursuit_domain::account::TimeZoneName;
use serde_json::{Map, Value};

use crate::error::Invalid;

/// The most rows one application keeps.
pub const MAX_CONTACTS: usize = 50;

/// One contact; empty strings are unfilled cells.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
    pub linkedin: String,
    pub timezone: String,
}

/// A contact's cells by their stored key, in the order they are shown.
pub const KEYS: [&str; 6] = ["name", "role", "email", "phone", "linkedin", "timezone"];

impl Contact {
    pub fn cell(&self, key: &str) -> &str {
        match key {
            "name" => &self.name,
            "role" => &self.role,
            "email" => &self.email,
            "phone" => &self.phone,
            "linkedin" => &self.linkedin,
            "timezone" => &self.timezone,
            _ => "",
        }
    }

    fn cell_mut(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "name" => &mut self.name,
            "role" => &mut self.role,
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "linkedin" => &mut self.linkedin,
            "timezone" => &mut self.timezone,
            _ => return None,
        })
    }

    fn is_empty(&self) -> bool {
        KEYS.iter().all(|k| self.cell(k).trim().is_empty())
    }

    /// Builds a contact from `(key, value)` cells; unknown keys are ignored.
    pub fn from_cells<'a>(cells: impl IntoIterator<Item = (&'a str, String)>) -> Contact {
        let mut contact = Contact::default();
        for (key, value) in cells {
            if let Some(cell) = contact.cell_mut(key) {
                *cell = value;
            }
        }
        contact
    }
}

/// The rows `contacts_inline` holds. A list of objects reads key by key (`title` and
/// `linkedin_url` as role and LinkedIn); an object of role → name (`{"recruiter": "Sam"}`,
/// an older shape) gives one row per role; anything else is shown as one row's name so it
/// is not lost from view.
pub fn read(stored: Option<&Value>) -> Vec<Contact> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match stored {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(map) => Contact::from_cells(map.iter().map(|(k, v)| {
                    let key = match k.as_str() {
                        "title" | "position" => "role",
                        "linkedin_url" | "linked_in" => "linkedin",
                        "time_zone" => "timezone",
                        other => other,
                    };
                    (key, text(v))
                })),
                other => Contact {
                    name: text(other),
                    ..Contact::default()
                },
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(role, name)| Contact {
                name: text(name),
                role: role.clone(),
                ..Contact::default()
            })
            .collect(),
        Some(other) => vec![Contact {
            name: text(other),
            ..Contact::default()
        }],
    }
}

fn bad(row: usize, key: &str, message: String) -> Invalid {
    Invalid {
        field: format!("/contacts_inline/{row}/{key}"),
        message: format!("contact {}: {message}", row + 1),
    }
}

/// The rows as `contacts_inline` stores them — `null` when none is filled — or every cell
/// refused, as `/contacts_inline/{row}/{key}` with a message naming the row. Empty rows
/// are dropped; cells are trimmed; a LinkedIn profile may be written without `https://`.
pub fn write(rows: &[Contact]) -> Result<Value, Vec<Invalid>> {
    let mut errors = Vec::new();
    let mut kept = Vec::new();
    for (i, row) in rows.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
        let mut object = Map::new();
        for key in KEYS {
            let value = row.cell(key).trim();
            if value.chars().count() > 200 {
                errors.push(bad(i, key, "at most 200 characters".to_owned()));
                continue;
            }
            if value.is_empty() {
                continue;
            }
            let value = match key {
                "email" => {
                    let ok = value.split_once('@').is_some_and(|(local, domain)| {
                        !local.is_empty() && domain.contains('.') && !domain.contains('@')
                    }) && !value.chars().any(char::is_whitespace);
                    if !ok {
                        errors.push(bad(
                            i,
                            key,
                            format!("{value:?} is not an email address such as sam@example.org"),
                        ));
                        continue;
                    }
                    value.to_owned()
                }
                "phone" => {
                    let ok = value.chars().any(|c| c.is_ascii_digit())
                        && value
                            .chars()
                            .all(|c| c.is_ascii_digit() || " +-().x/".contains(c));
                    if !ok {
                        errors.push(bad(
                            i,
                            key,
                            format!("{value:?} is not a phone number (digits, spaces, + - ( ) .)"),
                        ));
                        continue;
                    }
                    value.to_owned()
                }
                "linkedin" => {
                    let url = if value.starts_with("https://") || value.starts_with("http://") {
                        value.to_owned()
                    } else {
                        format!("https://{value}")
                    };
                    let host_ok = url
                        .split("://")
                        .nth(1)
                        .and_then(|rest| rest.split('/').next())
                        .is_some_and(|host| host.contains('.') && !host.contains(' '));
                    if !host_ok {
                        errors.push(bad(
                            i,
                            key,
                            format!("{value:?} is not a web address such as linkedin.com/in/sam"),
                        ));
                        continue;
                    }
                    url
                }
                "timezone" => match TimeZoneName::parse(value) {
                    Ok(zone) => zone.as_str().to_owned(),
                    Err(e) => {
                        errors.push(bad(i, key, e.0));
                        continue;
                    }
                },
                _ => value.to_owned(),
            };
            object.insert(key.to_owned(), Value::String(value));
        }
        if !object.contains_key("name") && !errors.iter().any(|e| e.field.ends_with("/name")) {
            errors.push(bad(i, "name", "a contact needs a name".to_owned()));
        }
        kept.push(Value::Object(object));
    }
    if kept.len() > MAX_CONTACTS {
        errors.push(Invalid {
            field: "/contacts_inline".to_owned(),
            message: format!("at most {MAX_CONTACTS} contacts per application"),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(if kept.is_empty() {
        Value::Null
    } else {
        Value::Array(kept)
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row(cells: &[(&'static str, &str)]) -> Contact {
        Contact::from_cells(cells.iter().map(|(k, v)| (*k, (*v).to_owned())))
    }

    #[test]
    fn rows_are_stored_with_their_filled_cells_and_read_back() {
        let rows = [
            row(&[
                ("name", " Sam Lee "),
                ("role", "Recruiter"),
                ("email", "sam@acme.example"),
                ("linkedin", "linkedin.com/in/samlee"),
                ("timezone", "Europe/Berlin"),
            ]),
            Contact::default(),
            row(&[("name", "Ana"), ("phone", "+49 (30) 123-45")]),
        ];
        let stored = write(&rows).unwrap();
        assert_eq!(
            stored,
            json!([
                { "name": "Sam Lee", "role": "Recruiter", "email": "sam@acme.example",
                  "linkedin": "https://linkedin.com/in/samlee", "timezone": "Europe/Berlin" },
                { "name": "Ana", "phone": "+49 (30) 123-45" }
            ])
        );
        let back = read(Some(&stored));
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].linkedin, "https://linkedin.com/in/samlee");
        assert_eq!(write(&[Contact::default()]).unwrap(), Value::Null);
    }

    #[test]
    fn each_bad_cell_is_named_by_its_row() {
        let errors = write(&[
            row(&[("name", "Ok")]),
            row(&[
                ("email", "not mail"),
                ("phone", "call me"),
                ("timezone", "Mars/Base"),
            ]),
        ])
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "/contacts_inline/1/email",
                "/contacts_inline/1/phone",
                "/contacts_inline/1/timezone",
                "/contacts_inline/1/name"
            ]
        );
        assert!(errors[0].message.starts_with("contact 2: "));
    }

    #[test]
    fn older_shapes_and_imports_are_read_as_rows() {
        assert_eq!(
            read(Some(&json!({ "recruiter": "Sam Lee" }))),
            [row(&[("name", "Sam Lee"), ("role", "recruiter")])]
        );
        assert_eq!(
            read(Some(
                &json!([{ "name": "Ana", "title": "CTO", "email": "a@b.example" }])
            )),
            [row(&[
                ("name", "Ana"),
                ("role", "CTO"),
                ("email", "a@b.example")
            ])]
        );
        assert_eq!(
            read(Some(&json!("Call Sam"))),
            [row(&[("name", "Call Sam")])]
        );
        assert!(read(None).is_empty());
    }
}
