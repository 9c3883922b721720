//! One file row → the JSON body the applications API would accept for it, so an imported
//! row passes exactly the checks a created one does. Cells that cannot be read are errors
//! where the value matters (status, application date) and otherwise kept as a line in the
//! notes with a warning (a salary of "competitive", a due date of "soon"): nothing the user
//! wrote is dropped.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use pursuit_domain::application::ApplicationStatus;
use serde_json::{Map, Value, json};

use super::columns::{Field, Mapping};
use super::values::{self, DateOrder};

/// A row read into an API body, with what could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowIn {
    pub line: u64,
    pub body: Map<String, Value>,
    /// (field, message): the row cannot be imported as it is.
    pub errors: Vec<(String, String)>,
    pub warnings: Vec<String>,
    /// The status cell as written, for the preview's summary of status words.
    pub status_text: Option<String>,
}

/// How a file is read: its headers, which column feeds what, and how dates are written.
pub struct Reader<'a> {
    pub headers: &'a [String],
    pub mapping: &'a Mapping,
    pub date_order: DateOrder,
    pub zone: &'a TimeZone,
    pub now: Timestamp,
}

/// A cell as the user meant it: our own export prefixes `'` to values a spreadsheet would
/// run as a formula; that prefix comes off again.
fn cell(cells: &[String], index: usize) -> &str {
    let value = cells.get(index).map_or("", String::as_str);
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => value,
    }
}

impl Reader<'_> {
    /// The first non-empty cell among the columns feeding `field`.
    fn first<'c>(&self, cells: &'c [String], field: Field) -> Option<&'c str> {
        self.mapping
            .sources(field, self.headers)
            .into_iter()
            .map(|i| cell(cells, i))
            .find(|v| !v.is_empty())
    }

    /// Every non-empty cell feeding `field`, with its header.
    fn all<'c>(&self, cells: &'c [String], field: Field) -> Vec<(&str, &'c str)> {
        self.mapping
            .sources(field, self.headers)
            .into_iter()
            .map(|i| (self.headers[i].as_str(), cell(cells, i)))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    pub fn read(&self, line: u64, cells: &[String]) -> RowIn {
        let mut row = RowIn {
            line,
            ..RowIn::default()
        };
        let mut kept: Vec<String> = Vec::new();
        let text = |row: &mut RowIn, field: Field| {
            if let Some(v) = self.first(cells, field) {
                row.body.insert(field.name().to_owned(), json!(v));
            }
        };
        for field in [
            Field::Company,
            Field::RoleTitle,
            Field::Source,
            Field::LocationText,
            Field::JobUrl,
            Field::Timezone,
            Field::SalaryCurrency,
            Field::JobRequisitionId,
            Field::SeniorityLevel,
            Field::ResumeUrl,
            Field::CoverLetterUrl,
            Field::NextAction,
        ] {
            text(&mut row, field);
        }
        if self.mapping.has(Field::Company) && !row.body.contains_key("company") {
            row.errors.push((
                "company".into(),
                "is empty; every application needs a company".into(),
            ));
        }
        if self.mapping.has(Field::RoleTitle) && !row.body.contains_key("role_title") {
            row.errors.push((
                "role_title".into(),
                "is empty; every application needs a role".into(),
            ));
        }

        if let Some(v) = self.first(cells, Field::Status) {
            row.status_text = Some(v.to_owned());
            match values::status(v) {
                Some(status) => {
                    row.body.insert("status".into(), json!(status.as_str()));
                }
                None => row.errors.push((
                    "status".into(),
                    format!(
                        "{v:?} is not a status Pursuit knows; write it as one of {}",
                        ApplicationStatus::ALL
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
        }
        if let Some(v) = self.first(cells, Field::ApplicationDate) {
            match values::date(v, self.date_order, self.zone) {
                Some(date) => {
                    row.body.insert("application_date".into(), json!(date.to_string()));
                }
                None => row.errors.push((
                    "application_date".into(),
                    format!("{v:?} is not a date Pursuit can read (write it as 2025-01-31, 01/31/2025 or Jan 31, 2025)"),
                )),
            }
        }
        if let Some(v) = self.first(cells, Field::Priority) {
            match values::priority(v) {
                Some(p) => {
                    row.body.insert("priority".into(), json!(p.as_str()));
                }
                None => {
                    row.warnings.push(format!(
                        "priority {v:?} was not understood; kept in the notes"
                    ));
                    kept.push(format!("Priority: {v}"));
                }
            }
        }
        let mode = self
            .first(cells, Field::LocationMode)
            .map(|v| (v, values::location_mode(v)));
        match mode {
            Some((_, Some(mode))) => {
                row.body
                    .insert("location_mode".into(), json!(mode.as_str()));
            }
            Some((v, None)) => {
                row.warnings.push(format!(
                    "work mode {v:?} was not understood; kept in the notes"
                ));
                kept.push(format!("Work mode: {v}"));
            }
            None => {
                if let Some(mode) = self
                    .first(cells, Field::LocationText)
                    .and_then(values::location_mode)
                {
                    row.body
                        .insert("location_mode".into(), json!(mode.as_str()));
                }
            }
        }
        self.read_salary(cells, &mut row, &mut kept);
        if let Some(v) = self.first(cells, Field::CoverLetterUsed) {
            match values::flag(v) {
                Some(used) => {
                    row.body.insert("cover_letter_used".into(), json!(used));
                }
                None => kept.push(format!("Cover letter: {v}")),
            }
        }
        if let Some(v) = self.first(cells, Field::NextActionDue) {
            match values::instant(v, self.date_order, self.zone) {
                Some(due) => {
                    row.body
                        .insert("next_action_due".into(), json!(due.to_string()));
                }
                None => {
                    row.warnings.push(format!(
                        "due date {v:?} was not understood; kept in the notes"
                    ));
                    kept.push(format!("Next action due: {v}"));
                }
            }
        }
        if let Some(v) = self.first(cells, Field::Archived) {
            let archived_at = match values::flag(v) {
                Some(true) => Some(self.now),
                Some(false) => None,
                None => values::instant(v, self.date_order, self.zone).or_else(|| {
                    row.warnings.push(format!(
                        "archived {v:?} was not understood; the row stays active"
                    ));
                    None
                }),
            };
            if let Some(at) = archived_at {
                row.body.insert("archived_at".into(), json!(at.to_string()));
            }
        }
        for (field, split) in [
            (Field::Tags, values::list as fn(&str) -> Vec<String>),
            (Field::TechKeywords, values::list),
            (Field::AttachmentsLinks, |v: &str| {
                v.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            }),
        ] {
            let mut items: Vec<String> = Vec::new();
            for (_, v) in self.all(cells, field) {
                for item in split(v) {
                    if !items.contains(&item) {
                        items.push(item);
                    }
                }
            }
            if !items.is_empty() {
                row.body.insert(field.name().into(), json!(items));
            }
        }
        let contact: Map<String, Value> = [
            ("name", Field::ContactName),
            ("email", Field::ContactEmail),
            ("phone", Field::ContactPhone),
        ]
        .into_iter()
        .filter_map(|(key, field)| self.first(cells, field).map(|v| (key.to_owned(), json!(v))))
        .collect();
        if !contact.is_empty() {
            row.body
                .insert("contacts_inline".into(), json!([Value::Object(contact)]));
        }
        let mut notes: Vec<String> = match self.all(cells, Field::Notes).as_slice() {
            [] => Vec::new(),
            [(_, only)] => vec![(*only).to_owned()],
            several => several.iter().map(|(h, v)| format!("{h}: {v}")).collect(),
        };
        notes.extend(kept);
        if !notes.is_empty() {
            row.body.insert("notes".into(), json!(notes.join("\n")));
        }
        row
    }

    /// A salary from `salary_min`/`salary_max` cells or one text cell (`$120k–150k`);
    /// what is not a yearly figure goes to the notes.
    fn read_salary(&self, cells: &[String], row: &mut RowIn, kept: &mut Vec<String>) {
        let mut currency = None;
        for (field, key) in [
            (Field::SalaryMin, "salary_min"),
            (Field::SalaryMax, "salary_max"),
        ] {
            if let Some(v) = self.first(cells, field) {
                match values::salary(v) {
                    Some((amount, _, symbol)) => {
                        row.body.insert(key.into(), json!(amount));
                        currency = currency.or(symbol);
                    }
                    None => {
                        row.warnings.push(format!(
                            "{key} {v:?} is not a yearly figure; kept in the notes"
                        ));
                        kept.push(format!("{}: {v}", self.header_of(field)));
                    }
                }
            }
        }
        if let Some(v) = self.first(cells, Field::Salary) {
            match values::salary(v) {
                Some((min, max, symbol))
                    if !row.body.contains_key("salary_min")
                        && !row.body.contains_key("salary_max") =>
                {
                    row.body.insert("salary_min".into(), json!(min));
                    row.body.insert("salary_max".into(), json!(max));
                    currency = currency.or(symbol);
                }
                _ => {
                    if values::salary(v).is_none() {
                        row.warnings.push(format!(
                            "salary {v:?} is not a yearly figure; kept in the notes"
                        ));
                    }
                    kept.push(format!("Salary: {v}"));
                }
            }
        }
        if let Some(code) = currency
            && !row.body.contains_key("salary_currency")
        {
            row.body.insert("salary_currency".into(), json!(code));
        }
    }

    fn header_of(&self, field: Field) -> &str {
        self.mapping
            .sources(field, self.headers)
            .first()
            .map_or(field.name(), |&i| self.headers[i].as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn read_row(headers: &[&str], cells: &[&str]) -> RowIn {
        let headers: Vec<String> = headers.iter().map(|s| (*s).to_owned()).collect();
        let mapping = Mapping::new(&headers, &BTreeMap::new()).unwrap();
        let reader = Reader {
            headers: &headers,
            mapping: &mapping,
            date_order: DateOrder::MonthFirst,
            zone: &TimeZone::UTC,
            now: "2026-01-05T12:00:00Z".parse().unwrap(),
        };
        let cells: Vec<String> = cells.iter().map(|s| (*s).to_owned()).collect();
        reader.read(7, &cells)
    }

    #[test]
    fn a_teal_style_row_becomes_an_api_body() {
        let row = read_row(
            &[
                "Company",
                "Job Position",
                "Status",
                "Date Saved",
                "Date Applied",
                "Excitement",
                "Location",
                "Salary",
                "Notes",
                "Tags",
            ],
            &[
                "Globex",
                "SRE",
                "Interviewing",
                "01/02/2025",
                "",
                "★★★★★",
                "Remote - EU",
                "€70k-€90k",
                "Met Hank",
                "infra; oncall",
            ],
        );
        assert!(row.errors.is_empty(), "{:?}", row.errors);
        assert_eq!(
            Value::Object(row.body),
            json!({
                "company": "Globex", "role_title": "SRE", "status": "Interview_Loop",
                "application_date": "2025-01-02", "priority": "High", "location_text": "Remote - EU",
                "location_mode": "remote", "salary_min": 70000, "salary_max": 90000,
                "salary_currency": "EUR", "notes": "Met Hank", "tags": ["infra", "oncall"]
            })
        );
        assert_eq!(row.status_text.as_deref(), Some("Interviewing"));
    }

    #[test]
    fn unreadable_cells_are_errors_or_notes_never_dropped() {
        let row = read_row(
            &[
                "Company",
                "Title",
                "Status",
                "Applied",
                "Salary",
                "Follow Up",
                "Comments",
                "Description",
            ],
            &[
                "Initech",
                "",
                "Maybe",
                "someday",
                "Competitive",
                "soon",
                "call Bob",
                "TPS reports",
            ],
        );
        let fields: Vec<&str> = row.errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["role_title", "status", "application_date"]);
        assert_eq!(
            row.body["notes"],
            "Comments: call Bob\nDescription: TPS reports\nSalary: Competitive\nNext action due: soon"
        );
        assert_eq!(row.warnings.len(), 2);
    }

    #[test]
    fn our_own_export_reads_back_including_defused_formulas() {
        let row = read_row(
            &[
                "id",
                "company",
                "role_title",
                "status",
                "salary_min",
                "salary_max",
                "salary_currency",
                "tags",
                "next_action_due",
                "notes",
                "archived_at",
            ],
            &[
                "0191",
                "'=Acme",
                "Dev",
                "On_Hold",
                "100000",
                "120000",
                "CHF",
                "a;b",
                "2026-02-01T09:00:00Z",
                "'-5 points",
                "",
            ],
        );
        assert!(row.errors.is_empty());
        assert_eq!(row.body["company"], "=Acme");
        assert_eq!(row.body["status"], "On_Hold");
        assert_eq!(row.body["salary_currency"], "CHF");
        assert_eq!(row.body["next_action_due"], "2026-02-01T09:00:00Z");
        assert_eq!(row.body["notes"], "-5 points");
        assert!(!row.body.contains_key("archived_at"));
    }

    #[test]
    fn contacts_and_archive_flags_are_read() {
        let row = read_row(
            &["Company", "Role", "Recruiter", "Contact Email", "Archived"],
            &["A", "B", "Jane Roe", "jane@a.example", "yes"],
        );
        assert_eq!(
            row.body["contacts_inline"],
            json!([{"name": "Jane Roe", "email": "jane@a.example"}])
        );
        assert_eq!(row.body["archived_at"], "2026-01-05T12:00:00Z");
    }
}
