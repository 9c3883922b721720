//! Which column of an uploaded file feeds which application field. Headers are matched by
//! name against the words spreadsheets and other trackers use (Pursuit's own CSV export,
//! Huntr- and Teal-style boards, hand-made sheets), a user may override any column, and
//! several columns may feed one field: the first non-empty one wins (so "Date Applied"
//! falls back to "Date Saved"), except for notes and lists, which collect them all.

use std::collections::BTreeMap;

/// A field an import column can feed. Most are application fields by their API name; a few
/// are read into one (`salary` text into the range, contacts into `contacts_inline`,
/// `archived` into `archived_at`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Company,
    RoleTitle,
    Status,
    Source,
    ApplicationDate,
    Priority,
    LocationMode,
    LocationText,
    JobUrl,
    Timezone,
    Salary,
    SalaryMin,
    SalaryMax,
    SalaryCurrency,
    JobRequisitionId,
    SeniorityLevel,
    TechKeywords,
    ResumeUrl,
    CoverLetterUrl,
    CoverLetterUsed,
    NextAction,
    NextActionDue,
    Notes,
    Tags,
    AttachmentsLinks,
    Archived,
    ContactName,
    ContactEmail,
    ContactPhone,
}

/// (field, header names it is known by, best first). Names are compared after
/// [`normalize`]; a lower index wins when several columns could feed a field.
const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::Company,
        &[
            "company",
            "company name",
            "employer",
            "organization",
            "organisation",
            "business",
        ],
    ),
    (
        Field::RoleTitle,
        &[
            "role title",
            "role",
            "job title",
            "position",
            "job position",
            "title",
            "position title",
            "job",
            "job name",
        ],
    ),
    (
        Field::Status,
        &[
            "status",
            "stage",
            "application status",
            "list",
            "column",
            "state",
            "pipeline stage",
        ],
    ),
    (
        Field::Source,
        &[
            "source",
            "job source",
            "found via",
            "found on",
            "where found",
            "channel",
            "platform",
            "job board",
            "how applied",
        ],
    ),
    (
        Field::ApplicationDate,
        &[
            "application date",
            "date applied",
            "applied date",
            "applied on",
            "applied at",
            "applied",
            "date",
            "date saved",
            "date added",
            "date created",
            "created on",
            "saved at",
            "created at",
            "created",
            "added",
        ],
    ),
    (
        Field::Priority,
        &[
            "priority",
            "excitement",
            "interest",
            "interest level",
            "rating",
            "stars",
        ],
    ),
    (
        Field::LocationMode,
        &[
            "location mode",
            "work mode",
            "workplace",
            "workplace type",
            "remote",
            "remote type",
            "work type",
            "work arrangement",
        ],
    ),
    (
        Field::LocationText,
        &[
            "location text",
            "location",
            "city",
            "office location",
            "place",
        ],
    ),
    (
        Field::JobUrl,
        &[
            "job url",
            "url",
            "job link",
            "link",
            "posting url",
            "job posting url",
            "posting",
            "job posting",
            "listing url",
        ],
    ),
    (Field::Timezone, &["timezone", "time zone"]),
    (
        Field::Salary,
        &[
            "salary",
            "salary range",
            "compensation",
            "pay",
            "pay range",
            "comp",
            "base salary",
        ],
    ),
    (
        Field::SalaryMin,
        &["salary min", "min salary", "minimum salary", "salary from"],
    ),
    (
        Field::SalaryMax,
        &["salary max", "max salary", "maximum salary", "salary to"],
    ),
    (Field::SalaryCurrency, &["salary currency", "currency"]),
    (
        Field::JobRequisitionId,
        &[
            "job requisition id",
            "requisition id",
            "req id",
            "requisition",
            "job id",
        ],
    ),
    (
        Field::SeniorityLevel,
        &["seniority level", "seniority", "level", "job level"],
    ),
    (
        Field::TechKeywords,
        &["tech keywords", "keywords", "skills", "tech stack", "stack"],
    ),
    (
        Field::ResumeUrl,
        &[
            "resume url",
            "resume",
            "cv",
            "resume link",
            "resume version",
        ],
    ),
    (
        Field::CoverLetterUrl,
        &["cover letter url", "cover letter link"],
    ),
    (
        Field::CoverLetterUsed,
        &["cover letter used", "cover letter"],
    ),
    (
        Field::NextAction,
        &[
            "next action",
            "next step",
            "next steps",
            "to do",
            "todo",
            "action",
        ],
    ),
    (
        Field::NextActionDue,
        &[
            "next action due",
            "follow up date",
            "follow up",
            "followup",
            "due",
            "due date",
            "next step date",
            "deadline",
        ],
    ),
    (
        Field::Notes,
        &[
            "notes",
            "note",
            "comments",
            "comment",
            "description",
            "job description",
            "details",
        ],
    ),
    (
        Field::Tags,
        &["tags", "tag", "labels", "label", "categories"],
    ),
    (
        Field::AttachmentsLinks,
        &["attachments links", "attachments", "files", "documents"],
    ),
    (Field::Archived, &["archived at", "archived", "archive"]),
    (
        Field::ContactName,
        &[
            "contact name",
            "contact",
            "contacts",
            "recruiter",
            "recruiter name",
            "hiring manager",
            "referrer",
        ],
    ),
    (
        Field::ContactEmail,
        &["contact email", "recruiter email", "email"],
    ),
    (
        Field::ContactPhone,
        &["contact phone", "recruiter phone", "phone"],
    ),
];

impl Field {
    pub const ALL: [Field; 29] = [
        Field::Company,
        Field::RoleTitle,
        Field::Status,
        Field::Source,
        Field::ApplicationDate,
        Field::Priority,
        Field::LocationMode,
        Field::LocationText,
        Field::JobUrl,
        Field::Timezone,
        Field::Salary,
        Field::SalaryMin,
        Field::SalaryMax,
        Field::SalaryCurrency,
        Field::JobRequisitionId,
        Field::SeniorityLevel,
        Field::TechKeywords,
        Field::ResumeUrl,
        Field::CoverLetterUrl,
        Field::CoverLetterUsed,
        Field::NextAction,
        Field::NextActionDue,
        Field::Notes,
        Field::Tags,
        Field::AttachmentsLinks,
        Field::Archived,
        Field::ContactName,
        Field::ContactEmail,
        Field::ContactPhone,
    ];

    /// The name a mapping uses: the application field's API name, or `salary`, `archived`,
    /// `contact_name`, `contact_email`, `contact_phone`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Company => "company",
            Field::RoleTitle => "role_title",
            Field::Status => "status",
            Field::Source => "source",
            Field::ApplicationDate => "application_date",
            Field::Priority => "priority",
            Field::LocationMode => "location_mode",
            Field::LocationText => "location_text",
            Field::JobUrl => "job_url",
            Field::Timezone => "timezone",
            Field::Salary => "salary",
            Field::SalaryMin => "salary_min",
            Field::SalaryMax => "salary_max",
            Field::SalaryCurrency => "salary_currency",
            Field::JobRequisitionId => "job_requisition_id",
            Field::SeniorityLevel => "seniority_level",
            Field::TechKeywords => "tech_keywords",
            Field::ResumeUrl => "resume_url",
            Field::CoverLetterUrl => "cover_letter_url",
            Field::CoverLetterUsed => "cover_letter_used",
            Field::NextAction => "next_action",
            Field::NextActionDue => "next_action_due",
            Field::Notes => "notes",
            Field::Tags => "tags",
            Field::AttachmentsLinks => "attachments_links",
            Field::Archived => "archived",
            Field::ContactName => "contact_name",
            Field::ContactEmail => "contact_email",
            Field::ContactPhone => "contact_phone",
        }
    }

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A header compared by its words: lower case, punctuation and `_` as spaces.
pub fn normalize(header: &str) -> String {
    header
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// For each column, the field it feeds, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub columns: Vec<Option<Field>>,
}

impl Mapping {
    /// Matches headers by name, then applies `overrides` (header → field, or `None` to
    /// ignore the column). An override naming no column of the file is an error.
    pub fn new(
        headers: &[String],
        overrides: &BTreeMap<String, Option<Field>>,
    ) -> Result<Mapping, String> {
        let mut columns: Vec<Option<Field>> = headers
            .iter()
            .map(|h| {
                let name = normalize(h);
                SYNONYMS
                    .iter()
                    .find(|(_, names)| names.contains(&name.as_str()))
                    .map(|(field, _)| *field)
            })
            .collect();
        for (header, field) in overrides {
            let index = headers
                .iter()
                .position(|h| h == header)
                .or_else(|| {
                    headers
                        .iter()
                        .position(|h| normalize(h) == normalize(header))
                })
                .ok_or_else(|| format!("the file has no column {header:?}"))?;
            columns[index] = *field;
        }
        Ok(Mapping { columns })
    }

    /// The columns feeding `field`, best first: by how the header ranks among the field's
    /// names (an override ranks first), then left to right.
    pub fn sources(&self, field: Field, headers: &[String]) -> Vec<usize> {
        let names = SYNONYMS
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, names)| *names)
            .unwrap_or(&[]);
        let mut found: Vec<(usize, usize)> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, f)| **f == Some(field))
            .map(|(i, _)| {
                let rank = names
                    .iter()
                    .position(|n| *n == normalize(&headers[i]))
                    .unwrap_or(0);
                (rank, i)
            })
            .collect();
        found.sort();
        found.into_iter().map(|(_, i)| i).collect()
    }

    pub fn has(&self, field: Field) -> bool {
        self.columns.contains(&Some(field))
    }
}

/// Whose export the file looks like, from its headers: `pursuit` (our own CSV export),
/// `teal` (excitement, date saved, job position), `huntr` (a board's list as status), or
/// `generic`. Informational: every file is mapped by the same header names.
pub fn detect_format(headers: &[String]) -> &'static str {
    let raw: Vec<&str> = headers.iter().map(String::as_str).collect();
    let names: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let has = |n: &str| names.iter().any(|h| h == n);
    if raw.contains(&"role_title") && raw.contains(&"application_date") {
        "pursuit"
    } else if has("excitement") || has("date saved") || has("job position") {
        "teal"
    } else if has("list") || has("board") {
        "huntr"
    } else {
        "generic"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn every_field_has_names_and_no_name_means_two_fields() {
        for field in Field::ALL {
            assert!(SYNONYMS.iter().any(|(f, _)| *f == field), "{field:?}");
            assert_eq!(Field::parse(field.name()), Some(field));
        }
        let mut seen = std::collections::HashSet::new();
        for (_, names) in SYNONYMS {
            for name in *names {
                assert!(seen.insert(*name), "{name} is listed twice");
                assert_eq!(normalize(name), *name, "{name} is not normalized");
            }
        }
    }

    #[test]
    fn headers_are_matched_by_their_words() {
        let h = headers(&[
            "Company Name",
            "Job Title",
            "Date Applied",
            "Date Saved",
            "Color",
        ]);
        let mapping = Mapping::new(&h, &BTreeMap::new()).unwrap();
        assert_eq!(
            mapping.columns,
            [
                Some(Field::Company),
                Some(Field::RoleTitle),
                Some(Field::ApplicationDate),
                Some(Field::ApplicationDate),
                None
            ]
        );
        assert_eq!(mapping.sources(Field::ApplicationDate, &h), [2, 3]);
    }

    #[test]
    fn overrides_win_and_must_name_a_column() {
        let h = headers(&["Employer", "What", "Misc"]);
        let overrides = BTreeMap::from([
            ("What".to_owned(), Some(Field::RoleTitle)),
            ("Employer".to_owned(), None),
        ]);
        let mapping = Mapping::new(&h, &overrides).unwrap();
        assert_eq!(mapping.columns, [None, Some(Field::RoleTitle), None]);
        let missing = BTreeMap::from([("Nope".to_owned(), Some(Field::Notes))]);
        assert!(Mapping::new(&h, &missing).unwrap_err().contains("Nope"));
    }

    #[test]
    fn formats_are_recognised() {
        assert_eq!(
            detect_format(&headers(&[
                "id",
                "company",
                "role_title",
                "application_date"
            ])),
            "pursuit"
        );
        assert_eq!(
            detect_format(&headers(&["Company", "Job Position", "Excitement"])),
            "teal"
        );
        assert_eq!(
            detect_format(&headers(&["Company", "Title", "List"])),
            "huntr"
        );
        assert_eq!(detect_format(&headers(&["Company", "Role"])), "generic");
    }
}
