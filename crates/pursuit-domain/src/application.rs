//! Job applications: the tracker's enums and their rules.

use crate::Invalid;

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The wire and storage spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(input: &str) -> Result<$name, Invalid> {
                $name::ALL.iter().copied().find(|v| v.as_str() == input).ok_or_else(|| {
                    let allowed: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    Invalid::new(format!("{input:?} is not one of {}", allowed.join(", ")))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// Where an application stands (seed 002's workflow plus `Saved` and `Closed`).
    ApplicationStatus {
        Saved => "Saved",
        Draft => "Draft",
        Applied => "Applied",
        Screening => "Screening",
        RecruiterCall => "Recruiter_Call",
        TechScreen => "Tech_Screen",
        InterviewLoop => "Interview_Loop",
        Offer => "Offer",
        Accepted => "Accepted",
        Declined => "Declined",
        Rejected => "Rejected",
        OnHold => "On_Hold",
        Closed => "Closed",
    }
}

wire_enum! {
    /// Where the reading of a posting or a resume version stands: waiting for the parser,
    /// read (its fields are there), or not readable (with the reason).
    ParseStatus {
        Pending => "pending",
        Complete => "complete",
        Failed => "failed",
    }
}

wire_enum! {
    Priority {
        None => "None",
        Low => "Low",
        Medium => "Medium",
        High => "High",
    }
}

wire_enum! {
    LocationMode {
        Remote => "remote",
        Hybrid => "hybrid",
        Onsite => "onsite",
    }
}

wire_enum! {
    /// Who moved an application to a status.
    ChangedBy {
        User => "user",
        Rule => "rule",
        Import => "import",
    }
}

wire_enum! {
    ActivityType {
        Interview => "Interview",
        FollowUp => "FollowUp",
        Call => "Call",
        Email => "Email",
        Note => "Note",
        Other => "Other",
    }
}

impl ActivityType {
    /// Whether an activity of this kind lasts (has a duration): a note or an email does not.
    pub fn lasts(self) -> bool {
        !matches!(self, ActivityType::Note | ActivityType::Email)
    }
}

wire_enum! {
    ActivityStatus {
        Scheduled => "scheduled",
        Done => "done",
        Canceled => "canceled",
    }
}

wire_enum! {
    InterviewStage {
        Screening => "screening",
        Technical => "technical",
        Loop => "loop",
        Offer => "offer",
        Other => "other",
    }
}

wire_enum! {
    InterviewMedium {
        Onsite => "onsite",
        Zoom => "zoom",
        Phone => "phone",
        GoogleMeet => "google_meet",
        Teams => "teams",
        Other => "other",
    }
}

wire_enum! {
    FollowupChannel {
        Email => "email",
        Linkedin => "linkedin",
        Phone => "phone",
        Other => "other",
    }
}

/// The pipeline in order; reaching a later stage implies passing the earlier ones.
pub const PIPELINE: [ApplicationStatus; 7] = [
    ApplicationStatus::Applied,
    ApplicationStatus::Screening,
    ApplicationStatus::RecruiterCall,
    ApplicationStatus::TechScreen,
    ApplicationStatus::InterviewLoop,
    ApplicationStatus::Offer,
    ApplicationStatus::Accepted,
];

/// The pipeline rank from which an application counts as interviewed (a technical screen).
pub const INTERVIEW_RANK: usize = 3;

impl ApplicationStatus {
    /// Where the status sits in [`PIPELINE`], if it is a pipeline stage.
    pub fn pipeline_rank(self) -> Option<usize> {
        PIPELINE.iter().position(|s| *s == self)
    }

    /// Entering it means the application was sent (anything but Saved and Draft).
    pub fn is_sent(self) -> bool {
        !matches!(self, ApplicationStatus::Saved | ApplicationStatus::Draft)
    }

    /// Entering it means the company answered in some way (anything past Applied, a
    /// rejection included).
    pub fn is_response(self) -> bool {
        self.is_sent() && self != ApplicationStatus::Applied
    }

    /// Entering it means an offer was made.
    pub fn is_offer(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Offer | ApplicationStatus::Accepted | ApplicationStatus::Declined
        )
    }

    /// Finished: no reminders, not "pending a response".
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Accepted
                | ApplicationStatus::Declined
                | ApplicationStatus::Rejected
                | ApplicationStatus::Closed
        )
    }
}

/// A salary band: both ends optional, min ≤ max when both are given, a currency when any is.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SalaryRange {
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub currency: Option<String>,
}

impl SalaryRange {
    pub fn new(
        min: Option<i64>,
        max: Option<i64>,
        currency: Option<&str>,
    ) -> Result<SalaryRange, Vec<(&'static str, Invalid)>> {
        let mut problems = Vec::new();
        if min.is_some_and(|m| m < 0) {
            problems.push(("salary_min", Invalid::new("must not be negative")));
        }
        if max.is_some_and(|m| m < 0) {
            problems.push(("salary_max", Invalid::new("must not be negative")));
        }
        if let (Some(low), Some(high)) = (min, max)
            && low > high
        {
            problems.push(("salary_min", Invalid::new("must not exceed salary_max")));
        }
        let currency = currency
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_ascii_uppercase);
        if let Some(code) = &currency
            && !(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()))
        {
            problems.push((
                "salary_currency",
                Invalid::new("must be a three-letter ISO 4217 code such as EUR"),
            ));
        }
        if problems.is_empty() {
            Ok(SalaryRange { min, max, currency })
        } else {
            Err(problems)
        }
    }
}

/// A free-form label: trimmed, 1 to 40 characters, no control characters; compared as given.
pub fn parse_tag(input: &str) -> Result<String, Invalid> {
    let tag = input.trim();
    if tag.is_empty() || tag.chars().count() > 40 || tag.chars().any(char::is_control) {
        return Err(Invalid::new(
            "tags are 1 to 40 characters without control characters",
        ));
    }
    Ok(tag.to_owned())
}

/// A required short text field (company, role): trimmed, 1 to `max` characters.
pub fn parse_required_text(input: &str, max: usize) -> Result<String, Invalid> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Invalid::new("must not be empty"));
    }
    if text.chars().count() > max {
        return Err(Invalid::new(format!("must be at most {max} characters")));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_travel_as_the_seed_writes_them() {
        assert_eq!(
            ApplicationStatus::parse("Recruiter_Call").unwrap(),
            ApplicationStatus::RecruiterCall
        );
        assert_eq!(ApplicationStatus::InterviewLoop.as_str(), "Interview_Loop");
        assert_eq!(ApplicationStatus::ALL.len(), 13);
        let error = ApplicationStatus::parse("applied").unwrap_err();
        assert!(error.0.contains("Applied"), "{error}");
    }

    #[test]
    fn salary_ranges_keep_their_order_and_currency() {
        assert!(
            SalaryRange::new(Some(50_000), Some(70_000), Some("eur"))
                .unwrap()
                .currency
                .as_deref()
                == Some("EUR")
        );
        let problems = SalaryRange::new(Some(90), Some(10), Some("euro")).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["salary_min", "salary_currency"]);
        assert!(SalaryRange::new(Some(-1), None, None).is_err());
        assert!(SalaryRange::new(None, Some(10), None).is_ok());
    }

    #[test]
    fn tags_and_texts_are_trimmed_and_bounded() {
        assert_eq!(parse_tag("  rust ").unwrap(), "rust");
        assert!(parse_tag("").is_err());
        assert!(parse_tag(&"x".repeat(41)).is_err());
        assert_eq!(parse_required_text(" Acme ", 200).unwrap(), "Acme");
        assert!(parse_required_text("   ", 200).is_err());
    }
}
