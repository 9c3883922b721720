//! Job preferences (seed 000 §1): what a user is looking for — titles, places, remote or
//! not, a salary band, seniority, company size — read from what people type ("Sr.",
//! "on-site", "5000+") into normalised values, and the **preference tags** computed from
//! them, which name campaigns and segment analytics ("senior", "remote", "berlin",
//! "size-51-200", "usd-120k-160k").

use crate::Invalid;
use crate::application::SalaryRange;

/// Lower-case letters and digits only: how typed enumerations are compared.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where the work is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Remote {
    RemoteOnly,
    Hybrid,
    Onsite,
    /// No preference.
    Any,
}

impl Remote {
    pub const ALL: [Remote; 4] = [
        Remote::RemoteOnly,
        Remote::Hybrid,
        Remote::Onsite,
        Remote::Any,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Remote::RemoteOnly => "remote_only",
            Remote::Hybrid => "hybrid",
            Remote::Onsite => "onsite",
            Remote::Any => "any",
        }
    }

    /// `remote_only`, or how people write it: "Remote", "fully remote", "WFH", "on-site",
    /// "in office", "no preference"…
    pub fn parse(text: &str) -> Result<Remote, Invalid> {
        let key = squash(text);
        let remote = match key.as_str() {
            "remoteonly" | "remote" | "fullyremote" | "fullremote" | "wfh" | "workfromhome"
            | "distributed" | "anywhere" | "100remote" => Remote::RemoteOnly,
            "hybrid" | "partlyremote" | "partialremote" | "remotefriendly" => Remote::Hybrid,
            "onsite" | "office" | "inoffice" | "inperson" | "onpremises" | "officebased" => {
                Remote::Onsite
            }
            "any" | "either" | "nopreference" | "flexible" | "dontmind" | "all" => Remote::Any,
            _ => {
                return Err(Invalid::new(
                    "must be remote_only, hybrid, onsite or any (\"remote\", \"on-site\" and \"no preference\" are read too)",
                ));
            }
        };
        Ok(remote)
    }
}

/// A level of seniority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seniority {
    Intern,
    Junior,
    Mid,
    Senior,
    Staff,
    Lead,
    Principal,
    Manager,
    Director,
    Executive,
}

impl Seniority {
    pub const ALL: [Seniority; 10] = [
        Seniority::Intern,
        Seniority::Junior,
        Seniority::Mid,
        Seniority::Senior,
        Seniority::Staff,
        Seniority::Lead,
        Seniority::Principal,
        Seniority::Manager,
        Seniority::Director,
        Seniority::Executive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Seniority::Intern => "intern",
            Seniority::Junior => "junior",
            Seniority::Mid => "mid",
            Seniority::Senior => "senior",
            Seniority::Staff => "staff",
            Seniority::Lead => "lead",
            Seniority::Principal => "principal",
            Seniority::Manager => "manager",
            Seniority::Director => "director",
            Seniority::Executive => "executive",
        }
    }

    /// The word for a title ("Senior Backend Engineer").
    pub fn title_word(self) -> &'static str {
        match self {
            Seniority::Intern => "Intern",
            Seniority::Junior => "Junior",
            Seniority::Mid => "Mid-level",
            Seniority::Senior => "Senior",
            Seniority::Staff => "Staff",
            Seniority::Lead => "Lead",
            Seniority::Principal => "Principal",
            Seniority::Manager => "Manager",
            Seniority::Director => "Director",
            Seniority::Executive => "Executive",
        }
    }

    pub fn parse(text: &str) -> Result<Seniority, Invalid> {
        let key = squash(text);
        let level = match key.as_str() {
            "intern" | "internship" | "trainee" | "workingstudent" => Seniority::Intern,
            "junior" | "jr" | "entry" | "entrylevel" | "graduate" | "associate" | "beginner" => {
                Seniority::Junior
            }
            "mid" | "midlevel" | "intermediate" | "medior" | "regular" => Seniority::Mid,
            "senior" | "sr" | "experienced" => Seniority::Senior,
            "staff" => Seniority::Staff,
            "lead" | "teamlead" | "techlead" | "leader" => Seniority::Lead,
            "principal" | "distinguished" | "architect" => Seniority::Principal,
            "manager" | "management" | "engineeringmanager" | "mgr" => Seniority::Manager,
            "director" | "head" | "headof" => Seniority::Director,
            "executive" | "exec" | "vp" | "vicepresident" | "clevel" | "cxo" | "chief" => {
                Seniority::Executive
            }
            _ => {
                return Err(Invalid::new(format!(
                    "must be one of {}",
                    Seniority::ALL.map(Seniority::as_str).join(", ")
                )));
            }
        };
        Ok(level)
    }
}

/// A company's head count, in the bands job boards use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CompanySize {
    UpTo10,
    UpTo50,
    UpTo200,
    UpTo1000,
    UpTo5000,
    Over5000,
}

impl CompanySize {
    pub const ALL: [CompanySize; 6] = [
        CompanySize::UpTo10,
        CompanySize::UpTo50,
        CompanySize::UpTo200,
        CompanySize::UpTo1000,
        CompanySize::UpTo5000,
        CompanySize::Over5000,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CompanySize::UpTo10 => "1-10",
            CompanySize::UpTo50 => "11-50",
            CompanySize::UpTo200 => "51-200",
            CompanySize::UpTo1000 => "201-1000",
            CompanySize::UpTo5000 => "1001-5000",
            CompanySize::Over5000 => "5001+",
        }
    }

    /// A band as written ("51-200", "51–200", "5,001+", "10000+") or one head count
    /// ("120": the band it falls in).
    pub fn parse(text: &str) -> Result<CompanySize, Invalid> {
        let refused = || {
            Invalid::new(format!(
                "must be a band: {}",
                CompanySize::ALL.map(CompanySize::as_str).join(", ")
            ))
        };
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ',' | '.' | ' ' | '\u{a0}'))
            .map(|c| {
                if matches!(c, '–' | '—' | '−') {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        let number = |s: &str| s.parse::<u64>().map_err(|_| refused());
        let lowest = if let Some(from) = cleaned.strip_suffix('+') {
            number(from)?
        } else if let Some((from, to)) = cleaned.split_once('-') {
            let (from, to) = (number(from)?, number(to)?);
            if from > to {
                return Err(refused());
            }
            // A band is read by its start; one that spans two of ours is refused.
            let band = CompanySize::of(from);
            if CompanySize::of(to) != band {
                return Err(refused());
            }
            from
        } else {
            number(&cleaned)?
        };
        if lowest == 0 {
            return Err(refused());
        }
        Ok(CompanySize::of(lowest))
    }

    fn of(people: u64) -> CompanySize {
        match people {
            0..=10 => CompanySize::UpTo10,
            11..=50 => CompanySize::UpTo50,
            51..=200 => CompanySize::UpTo200,
            201..=1000 => CompanySize::UpTo1000,
            1001..=5000 => CompanySize::UpTo5000,
            _ => CompanySize::Over5000,
        }
    }
}

/// What a salary figure counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SalaryPeriod {
    Year,
    Month,
    Hour,
}

impl SalaryPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            SalaryPeriod::Year => "year",
            SalaryPeriod::Month => "month",
            SalaryPeriod::Hour => "hour",
        }
    }

    pub fn parse(text: &str) -> Result<SalaryPeriod, Invalid> {
        match squash(text).as_str() {
            "year" | "yearly" | "annual" | "annually" | "yr" | "pa" | "peryear" => {
                Ok(SalaryPeriod::Year)
            }
            "month" | "monthly" | "mo" | "permonth" => Ok(SalaryPeriod::Month),
            "hour" | "hourly" | "hr" | "perhour" => Ok(SalaryPeriod::Hour),
            _ => Err(Invalid::new("must be year, month or hour")),
        }
    }
}

/// A user's job preferences, every value valid.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct JobPreferences {
    pub titles: Vec<String>,
    pub locations: Vec<String>,
    pub remote: Option<Remote>,
    pub salary: SalaryRange,
    /// Set when a salary end is.
    pub salary_period: Option<SalaryPeriod>,
    pub seniority: Vec<Seniority>,
    pub company_sizes: Vec<CompanySize>,
    pub industries: Vec<String>,
    pub experience_years_min: Option<u8>,
    pub experience_years_max: Option<u8>,
    pub willing_to_relocate: bool,
}

/// Lower-case words joined by `-`: "Backend Engineer (Rust)" → "backend-engineer-rust".
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// `120000` → `120k`, `1500000` → `1.5m`, `45` → `45`.
fn short_amount(amount: i64) -> String {
    if amount >= 1_000_000 {
        let m = amount as f64 / 1_000_000.0;
        format!("{}m", trim_float(m))
    } else if amount >= 1_000 {
        format!("{}k", trim_float(amount as f64 / 1_000.0))
    } else {
        amount.to_string()
    }
}

fn trim_float(value: f64) -> String {
    let text = format!("{value:.1}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl JobPreferences {
    /// The preference tags, most telling first: seniority, titles, remote, places, company
    /// sizes, the salary band, relocation. Each is a slug; none repeats.
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        let mut push = |tag: String| {
            if !tag.is_empty() && !tags.contains(&tag) {
                tags.push(tag);
            }
        };
        for level in &self.seniority {
            push(level.as_str().to_owned());
        }
        for title in self.titles.iter().take(3) {
            push(slug(title));
        }
        match self.remote {
            Some(Remote::RemoteOnly) => push("remote".to_owned()),
            Some(Remote::Hybrid) => push("hybrid".to_owned()),
            Some(Remote::Onsite) => push("onsite".to_owned()),
            Some(Remote::Any) | None => {}
        }
        for place in self.locations.iter().take(3) {
            push(slug(place));
        }
        for size in &self.company_sizes {
            push(format!("size-{}", size.as_str().replace('+', "-plus")));
        }
        let currency = self
            .salary
            .currency
            .as_deref()
            .unwrap_or("USD")
            .to_ascii_lowercase();
        let period = match self.salary_period {
            Some(SalaryPeriod::Month) => "-month",
            Some(SalaryPeriod::Hour) => "-hour",
            _ => "",
        };
        match (self.salary.min, self.salary.max) {
            (Some(low), Some(high)) => push(format!(
                "{currency}-{}-{}{period}",
                short_amount(low),
                short_amount(high)
            )),
            (Some(low), None) => push(format!("{currency}-{}-plus{period}", short_amount(low))),
            (None, Some(high)) => push(format!("{currency}-up-to-{}{period}", short_amount(high))),
            (None, None) => {}
        }
        if self.willing_to_relocate {
            push("relocate".to_owned());
        }
        tags
    }

    /// A short name for what the user is after, for naming campaigns: "Senior Backend
    /// Engineer · Remote · Berlin". Empty when there is nothing to name.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(title) = self.titles.first() {
            let lower = title.to_lowercase();
            let level = self
                .seniority
                .first()
                .filter(|l| !lower.contains(&l.as_str().to_lowercase()))
                .map(|l| format!("{} ", l.title_word()))
                .unwrap_or_default();
            parts.push(format!("{level}{title}"));
        } else if let Some(level) = self.seniority.first() {
            parts.push(format!("{} roles", level.title_word()));
        }
        match self.remote {
            Some(Remote::RemoteOnly) => parts.push("Remote".to_owned()),
            Some(Remote::Hybrid) => parts.push("Hybrid".to_owned()),
            Some(Remote::Onsite) => parts.push("On-site".to_owned()),
            _ => {}
        }
        if let Some(place) = self.locations.first() {
            parts.push(place.clone());
        }
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_enumerations_are_read_into_one_spelling() {
        for (typed, remote) in [
            ("Remote", Remote::RemoteOnly),
            ("remote_only", Remote::RemoteOnly),
            ("Fully remote", Remote::RemoteOnly),
            ("on-site", Remote::Onsite),
            ("In office", Remote::Onsite),
            ("HYBRID", Remote::Hybrid),
            ("no preference", Remote::Any),
        ] {
            assert_eq!(Remote::parse(typed), Ok(remote), "{typed}");
        }
        assert!(Remote::parse("on the moon").is_err());
        for (typed, level) in [
            ("Sr.", Seniority::Senior),
            ("entry-level", Seniority::Junior),
            ("Mid-Level", Seniority::Mid),
            ("Head of", Seniority::Director),
            ("VP", Seniority::Executive),
        ] {
            assert_eq!(Seniority::parse(typed), Ok(level), "{typed}");
        }
        assert!(Seniority::parse("wizard").is_err());
        assert_eq!(SalaryPeriod::parse("per year"), Ok(SalaryPeriod::Year));
        assert_eq!(SalaryPeriod::parse("Hourly"), Ok(SalaryPeriod::Hour));
    }

    #[test]
    fn company_sizes_are_read_as_bands() {
        for (typed, size) in [
            ("51-200", CompanySize::UpTo200),
            ("51–200", CompanySize::UpTo200),
            ("5,001+", CompanySize::Over5000),
            ("10000+", CompanySize::Over5000),
            ("1-10", CompanySize::UpTo10),
            ("120", CompanySize::UpTo200),
            ("1001 - 5000", CompanySize::UpTo5000),
        ] {
            assert_eq!(CompanySize::parse(typed), Ok(size), "{typed}");
        }
        for refused in ["", "big", "0", "200-51", "10-500", "-5"] {
            assert!(CompanySize::parse(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn tags_and_the_label_name_what_the_user_is_after() {
        let preferences = JobPreferences {
            titles: vec![
                "Backend Engineer (Rust)".to_owned(),
                "Platform Engineer".to_owned(),
            ],
            locations: vec!["Berlin".to_owned(), "São Paulo".to_owned()],
            remote: Some(Remote::Hybrid),
            salary: SalaryRange {
                min: Some(120_000),
                max: Some(150_500),
                currency: Some("EUR".to_owned()),
            },
            salary_period: Some(SalaryPeriod::Year),
            seniority: vec![Seniority::Senior, Seniority::Staff],
            company_sizes: vec![CompanySize::UpTo200, CompanySize::Over5000],
            willing_to_relocate: true,
            ..JobPreferences::default()
        };
        assert_eq!(
            preferences.tags(),
            [
                "senior",
                "staff",
                "backend-engineer-rust",
                "platform-engineer",
                "hybrid",
                "berlin",
                "são-paulo",
                "size-51-200",
                "size-5001-plus",
                "eur-120k-150.5k",
                "relocate"
            ]
        );
        assert_eq!(
            preferences.label(),
            "Senior Backend Engineer (Rust) · Hybrid · Berlin"
        );
        let already = JobPreferences {
            titles: vec!["Senior Designer".to_owned()],
            seniority: vec![Seniority::Senior],
            salary: SalaryRange {
                min: Some(40),
                max: None,
                currency: None,
            },
            salary_period: Some(SalaryPeriod::Hour),
            ..JobPreferences::default()
        };
        assert_eq!(already.label(), "Senior Designer");
        assert_eq!(
            already.tags(),
            ["senior", "senior-designer", "usd-40-plus-hour"]
        );
        assert!(JobPreferences::default().tags().is_empty());
        assert_eq!(JobPreferences::default().label(), "");
    }
}
