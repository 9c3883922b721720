//! The people on an application — recruiter, hiring manager, referrer — and the contacts
//! outreach writes to (issue 24).
//!
//! The tracker keeps its rows of name, role, email, phone, LinkedIn and time zone in the
//! application's `contacts_inline` (a list of objects with the filled keys; the rows read
//! whatever an import or the API stored there). Those rows become contacts: each write of
//! an application's rows promotes them (`promote`) into the `contacts` table — one per
//! address — linked to the application as its targets, and the rows stored before were
//! promoted once (`promote_stored`). A contact is then a person of its own, edited on its
//! page or by `PATCH /api/v1/contacts/{id}`: full name, role title, email (one contact
//! per address), LinkedIn, phone, notes, a company, and a time zone that defaults to the
//! company's headquarters zone.

use jiff::Timestamp;
use pursuit_domain::account::TimeZoneName;
use pursuit_domain::ids::{ApplicationId, CompanyId, ContactId, UserId};
use pursuit_store::Db;
use pursuit_store::contacts::{ContactFields, ContactRow};
use serde_json::{Map, Value};

use crate::error::{AppError, Invalid};

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

// ---- Contacts as people: the decision makers outreach writes to (issue 24) ----

/// A contact with where its time zone comes from.
#[derive(Clone, Debug)]
pub struct Person {
    pub row: ContactRow,
    /// The zone sends are planned in: the contact's own, else the company's headquarters'.
    pub time_zone: Option<String>,
    /// `contact` or `company` (none: no zone known).
    pub time_zone_from: Option<&'static str>,
}

impl Person {
    fn of(row: ContactRow) -> Person {
        let (time_zone, time_zone_from) = match (&row.fields.time_zone, &row.company_time_zone) {
            (Some(own), _) => (Some(own.clone()), Some("contact")),
            (None, Some(company)) => (Some(company.clone()), Some("company")),
            (None, None) => (None, None),
        };
        Person {
            row,
            time_zone,
            time_zone_from,
        }
    }
}

/// A contact's fields as given: on a change, `None` keeps a field and `Some(None)` clears
/// it; on a new contact both mean none.
#[derive(Clone, Debug, Default)]
pub struct PersonInput {
    pub full_name: Option<String>,
    pub role_title: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub linkedin_url: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub time_zone: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    /// One of the user's companies…
    pub company_id: Option<Option<uuid::Uuid>>,
    /// …or a company by name (found by its normalized name, made if new).
    pub company: Option<String>,
}

/// The most contacts one user keeps.
pub const MAX_PEOPLE: i64 = 5_000;

/// `fields` with `input` laid over it, every field checked; the invalid ones all named.
fn apply(
    mut fields: ContactFields,
    input: &PersonInput,
    invalid: &mut Vec<Invalid>,
) -> ContactFields {
    let given = |v: &Option<Option<String>>| v.as_ref().map(|v| v.clone().unwrap_or_default());
    if let Some(name) = &input.full_name {
        fields.full_name = crate::profile::header_line("full_name", name, 200, invalid);
    }
    if fields.full_name.is_empty() {
        invalid.push(Invalid::new("full_name", "must not be empty"));
    }
    if let Some(role) = given(&input.role_title) {
        fields.role_title = crate::profile::some(crate::profile::header_line(
            "role_title",
            &role,
            200,
            invalid,
        ));
    }
    if let Some(email) = given(&input.email) {
        fields.email = match email.trim() {
            "" => None,
            given => match pursuit_domain::account::EmailAddress::parse(given) {
                Ok(_) if given.contains(['\u{2028}', '\u{2029}']) => {
                    invalid.push(Invalid::new("email", "must be one line"));
                    None
                }
                Ok(address) => Some(address.as_str().to_owned()),
                Err(e) => {
                    invalid.push(Invalid::new("email", e.0));
                    None
                }
            },
        };
    }
    if let Some(link) = given(&input.linkedin_url) {
        let link = crate::profile::link("linkedin_url", &link, invalid);
        let on_linkedin = url::Url::parse(&link).ok().is_some_and(|u| {
            u.host_str()
                .is_some_and(|h| h == "linkedin.com" || h.ends_with(".linkedin.com"))
        });
        if !link.is_empty() && !on_linkedin {
            invalid.push(Invalid::new(
                "linkedin_url",
                "must be a LinkedIn address (https://www.linkedin.com/in/…)",
            ));
        }
        fields.linkedin_url = crate::profile::some(link);
    }
    if let Some(phone) = given(&input.phone) {
        let phone = crate::profile::header_line("phone", &phone, 50, invalid);
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        {
            invalid.push(Invalid::new(
                "phone",
                "must be digits, spaces and + - ( ) . only",
            ));
        }
        fields.phone = crate::profile::some(phone);
    }
    if let Some(zone) = given(&input.time_zone) {
        fields.time_zone = match zone.trim() {
            "" => None,
            zone => match TimeZoneName::parse(zone) {
                Ok(name) => Some(name.as_str().to_owned()),
                Err(e) => {
                    invalid.push(Invalid::new("time_zone", e.0));
                    None
                }
            },
        };
    }
    if let Some(notes) = given(&input.notes) {
        fields.notes =
            crate::profile::some(crate::profile::text("notes", &notes, 5_000, true, invalid));
    }
    fields
}

/// The company `input` names: `Ok(None)` to keep `current`.
async fn company_of(
    conn: &mut pursuit_store::Tx,
    user: UserId,
    input: &PersonInput,
    current: Option<CompanyId>,
    now: Timestamp,
    invalid: &mut Vec<Invalid>,
) -> Result<Option<CompanyId>, AppError> {
    if let Some(name) = input.company.as_deref().map(str::trim) {
        if input.company_id.is_some() {
            invalid.push(Invalid::new(
                "company",
                "give company_id or company, not both",
            ));
            return Ok(current);
        }
        let name = crate::profile::header_line("company", name, 200, invalid);
        let key = pursuit_domain::company::company_key(&name);
        if key.is_empty() {
            invalid.push(Invalid::new("company", "must name a company"));
            return Ok(current);
        }
        let company =
            pursuit_store::postings::company_for(&mut *conn, user, &name, &key, now).await?;
        return Ok(Some(company.id));
    }
    match input.company_id {
        None => Ok(current),
        Some(None) => Ok(None),
        Some(Some(id)) => {
            let id = CompanyId(id);
            if pursuit_store::companies::get(&mut *conn, user, id)
                .await?
                .is_none()
            {
                invalid.push(Invalid::new("company_id", "is not one of your companies"));
            }
            Ok(Some(id))
        }
    }
}

/// "This address is another contact's" as the caller sees it.
async fn taken(
    conn: &mut pursuit_store::Tx,
    user: UserId,
    email: Option<&str>,
    except: Option<ContactId>,
) -> Result<Option<AppError>, AppError> {
    let Some(email) = email else {
        return Ok(None);
    };
    Ok(
        match pursuit_store::contacts::find_by_email(&mut *conn, user, email).await? {
            Some(other) if Some(other.id) != except => Some(AppError::Conflict(format!(
                "email: {email} is already the address of your contact {} (/api/v1/contacts/{})",
                other.fields.full_name, other.id.0
            ))),
            _ => None,
        },
    )
}

/// Adds a contact: a full name at least; an address another contact has is a conflict
/// naming that contact; every other problem is named by its field.
pub async fn create(
    db: &Db,
    user: UserId,
    input: &PersonInput,
    now: Timestamp,
) -> Result<Person, AppError> {
    let mut invalid = Vec::new();
    let fields = apply(ContactFields::default(), input, &mut invalid);
    let mut tx = db.begin().await?;
    let company = company_of(&mut tx, user, input, None, now, &mut invalid).await?;
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    if let Some(conflict) = taken(&mut tx, user, fields.email.as_deref(), None).await? {
        return Err(conflict);
    }
    if pursuit_store::contacts::count(&mut tx, user).await? >= MAX_PEOPLE {
        return Err(AppError::Conflict(format!(
            "you have {MAX_PEOPLE} contacts, the most Pursuit keeps: delete some first"
        )));
    }
    let id = ContactId::new();
    pursuit_store::contacts::insert(&mut tx, user, id, company, &fields, now)
        .await
        .map_err(|e| unique_email(e, fields.email.as_deref()))?;
    tx.commit().await?;
    get(db, user, id).await
}

fn unique_email(error: pursuit_store::StoreError, email: Option<&str>) -> AppError {
    match error {
        pursuit_store::StoreError::UniqueViolation { .. } => AppError::Conflict(format!(
            "email: {} is already the address of another of your contacts",
            email.unwrap_or_default()
        )),
        other => other.into(),
    }
}

pub async fn get(db: &Db, user: UserId, id: ContactId) -> Result<Person, AppError> {
    pursuit_store::contacts::get(db, user, id)
        .await?
        .map(Person::of)
        .ok_or(AppError::NotFound)
}

/// The user's contacts by name, of one company when asked (another user's company is not
/// found).
pub async fn list(
    db: &Db,
    user: UserId,
    company: Option<CompanyId>,
) -> Result<Vec<Person>, AppError> {
    if let Some(company) = company {
        pursuit_store::companies::get(db, user, company)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    Ok(pursuit_store::contacts::list(db, user, company, MAX_PEOPLE)
        .await?
        .into_iter()
        .map(Person::of)
        .collect())
}

/// Changes a contact: the fields given (null clears one; the full name cannot be cleared).
pub async fn update(
    db: &Db,
    user: UserId,
    id: ContactId,
    input: &PersonInput,
    now: Timestamp,
) -> Result<Person, AppError> {
    let current = get(db, user, id).await?;
    let mut invalid = Vec::new();
    let fields = apply(current.row.fields.clone(), input, &mut invalid);
    let mut tx = db.begin().await?;
    let company = company_of(
        &mut tx,
        user,
        input,
        current.row.company_id,
        now,
        &mut invalid,
    )
    .await?;
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    if let Some(conflict) = taken(&mut tx, user, fields.email.as_deref(), Some(id)).await? {
        return Err(conflict);
    }
    if !pursuit_store::contacts::update(&mut tx, user, id, company, &fields, now)
        .await
        .map_err(|e| unique_email(e, fields.email.as_deref()))?
    {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    get(db, user, id).await
}

pub async fn delete(db: &Db, user: UserId, id: ContactId) -> Result<(), AppError> {
    if pursuit_store::contacts::delete(db, user, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The people one of the user's applications is aimed at.
pub async fn targets(
    db: &Db,
    user: UserId,
    application: ApplicationId,
) -> Result<Vec<Person>, AppError> {
    crate::applications::get(db, user, application).await?;
    Ok(pursuit_store::contacts::targets(db, user, application)
        .await?
        .into_iter()
        .map(Person::of)
        .collect())
}

/// Makes one of the user's contacts a target of one of their applications.
pub async fn add_target(
    db: &Db,
    user: UserId,
    application: ApplicationId,
    contact: ContactId,
    now: Timestamp,
) -> Result<Vec<Person>, AppError> {
    crate::applications::get(db, user, application).await?;
    if pursuit_store::contacts::get(db, user, contact)
        .await?
        .is_none()
    {
        return Err(AppError::Invalid(vec![Invalid::new(
            "contact_id",
            "is not one of your contacts",
        )]));
    }
    pursuit_store::contacts::link(db, user, application, contact, now).await?;
    targets(db, user, application).await
}

/// Ends a contact's link to an application (the contact stays).
pub async fn remove_target(
    db: &Db,
    user: UserId,
    application: ApplicationId,
    contact: ContactId,
) -> Result<(), AppError> {
    crate::applications::get(db, user, application).await?;
    if pursuit_store::contacts::unlink(db, user, application, contact).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The applications a contact is a target of: `(id, company, role)`.
pub async fn applications_of(
    db: &Db,
    user: UserId,
    contact: ContactId,
) -> Result<Vec<(ApplicationId, String, String)>, AppError> {
    Ok(pursuit_store::contacts::applications_of(db, user, contact).await?)
}

/// Promotes an application's tracker rows into contacts and links them (in the caller's
/// transaction): a row with a valid address is that address's contact (made if new, its
/// empty fields filled from the row — what the user set on the contact is never
/// overwritten); a row with a name and no address is the contact of that name at the
/// application's company. A row with neither stays a note on the application.
pub async fn promote(
    mut conn: impl pursuit_store::db::Conn,
    user: UserId,
    application: ApplicationId,
    company: &str,
    rows: &[Contact],
    now: Timestamp,
) -> Result<(), AppError> {
    let key = pursuit_domain::company::company_key(company);
    let company_id = if key.is_empty() {
        None
    } else {
        Some(
            pursuit_store::postings::company_for(&mut conn, user, company.trim(), &key, now)
                .await?
                .id,
        )
    };
    for row in rows {
        let mut ignored = Vec::new();
        let name = crate::profile::header_line("full_name", &row.name, 200, &mut ignored);
        let email = pursuit_domain::account::EmailAddress::parse(&row.email)
            .ok()
            .map(|e| e.as_str().to_owned());
        let found = match &email {
            Some(email) => pursuit_store::contacts::find_by_email(&mut conn, user, email).await?,
            None if !name.is_empty() && ignored.is_empty() => {
                pursuit_store::contacts::find_by_name(&mut conn, user, company_id, &name).await?
            }
            None => continue,
        };
        // What the row says, each cell checked as the contact's own would be.
        let mut invalid = Vec::new();
        let from_row = apply(
            ContactFields {
                full_name: if name.is_empty() || !ignored.is_empty() {
                    email.clone().unwrap_or_default()
                } else {
                    name.clone()
                },
                ..ContactFields::default()
            },
            &PersonInput {
                role_title: Some(Some(row.role.clone())),
                linkedin_url: Some(Some(row.linkedin.clone())),
                phone: Some(Some(row.phone.clone())),
                time_zone: Some(Some(row.timezone.clone())),
                ..PersonInput::default()
            },
            &mut invalid,
        );
        // A cell that would not pass as the contact's is left out, not refused: the row
        // was already kept on the application.
        let bad = |field: &str| invalid.iter().any(|i| i.field == field);
        let fill = |mine: Option<String>, theirs: Option<String>, field: &str| {
            mine.or(if bad(field) { None } else { theirs })
        };
        match found {
            Some(contact) => {
                let f = contact.fields.clone();
                let merged = ContactFields {
                    role_title: fill(f.role_title, from_row.role_title, "role_title"),
                    linkedin_url: fill(f.linkedin_url, from_row.linkedin_url, "linkedin_url"),
                    phone: fill(f.phone, from_row.phone, "phone"),
                    time_zone: fill(f.time_zone, from_row.time_zone, "time_zone"),
                    ..f
                };
                if merged != contact.fields {
                    pursuit_store::contacts::update(
                        &mut conn,
                        user,
                        contact.id,
                        contact.company_id.or(company_id),
                        &merged,
                        now,
                    )
                    .await?;
                }
                pursuit_store::contacts::link(&mut conn, user, application, contact.id, now)
                    .await?;
            }
            None => {
                let fields = ContactFields {
                    full_name: from_row.full_name.clone(),
                    email: email.clone(),
                    role_title: fill(None, from_row.role_title, "role_title"),
                    linkedin_url: fill(None, from_row.linkedin_url, "linkedin_url"),
                    phone: fill(None, from_row.phone, "phone"),
                    time_zone: fill(None, from_row.time_zone, "time_zone"),
                    notes: None,
                };
                let id = ContactId::new();
                pursuit_store::contacts::insert(&mut conn, user, id, company_id, &fields, now)
                    .await?;
                pursuit_store::contacts::link(&mut conn, user, application, id, now).await?;
            }
        }
    }
    Ok(())
}

/// The one-time promotion of the tracker rows stored before contacts had a table.
const BACKFILL: &str = "contacts_from_applications";

/// Promotes the contact rows of every application stored before contacts had their own
/// table, once per database (run at start-up; a second process that races it finds the
/// same contacts by address). Returns how many applications were read.
pub async fn promote_stored(db: &Db, now: Timestamp) -> Result<usize, AppError> {
    if pursuit_store::contacts::backfill_done(db, BACKFILL).await? {
        return Ok(0);
    }
    let mut after = None;
    let mut done = 0;
    loop {
        let batch = pursuit_store::contacts::applications_with_rows(db, after, 200).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.1);
        for (user, application, company, stored) in batch {
            let rows = read(Some(&stored));
            let mut tx = db.begin().await?;
            promote(&mut tx, user, application, &company, &rows, now).await?;
            tx.commit().await?;
            done += 1;
        }
    }
    pursuit_store::contacts::mark_backfill(db, BACKFILL, now).await?;
    Ok(done)
}
