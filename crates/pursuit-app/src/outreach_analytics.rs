//! What outreach did (seed 000 §11): emails sent, delivered (accepted and not bounced for
//! good: without a provider's delivery events, the server accepting an email is what is
//! known), click rate and reply rate over the delivered ones, and the roles applied to —
//! for a range of days, for one campaign by step, and per mailbox (deliverability). There
//! is no open rate: Pursuit adds no tracking pixel.

use jiff::Timestamp;
use jiff::civil::Date;
use pursuit_domain::ids::{CampaignId, UserId};
use pursuit_store::Db;
use pursuit_store::replies::{self as store, Outcomes};

use crate::error::AppError;

/// Counts and the rates over them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rates {
    pub sent: i64,
    pub delivered: i64,
    pub bounced: i64,
    pub clicked: i64,
    pub replied: i64,
    pub complained: i64,
    /// `clicked / delivered`; `None` with nothing delivered.
    pub click_rate: Option<f64>,
    /// `replied / delivered`.
    pub reply_rate: Option<f64>,
    /// `bounced / sent`.
    pub bounce_rate: Option<f64>,
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

impl From<Outcomes> for Rates {
    fn from(o: Outcomes) -> Rates {
        let delivered = (o.sent - o.bounced).max(0);
        Rates {
            sent: o.sent,
            delivered,
            bounced: o.bounced,
            clicked: o.clicked,
            replied: o.replied,
            complained: o.complained,
            click_rate: ratio(o.clicked, delivered),
            reply_rate: ratio(o.replied, delivered),
            bounce_rate: ratio(o.bounced, o.sent),
        }
    }
}

fn total(groups: &[(i64, Outcomes)]) -> Outcomes {
    groups.iter().fold(Outcomes::default(), |mut sum, (_, o)| {
        sum.sent += o.sent;
        sum.bounced += o.bounced;
        sum.clicked += o.clicked;
        sum.replied += o.replied;
        sum.complained += o.complained;
        sum
    })
}

/// The user's outreach over `[from, to]` (their local days).
#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    pub rates: Rates,
    /// By sequence step (1 = the first email), across campaigns.
    pub by_step: Vec<(i64, Rates)>,
    /// Distinct applications with an email sent in the range or applied to in it.
    pub roles_applied: i64,
}

fn day_bounds(
    from: Date,
    to: Date,
    zone: &jiff::tz::TimeZone,
) -> Result<(Timestamp, Timestamp), AppError> {
    let start = from
        .to_zoned(zone.clone())
        .map_err(|e| AppError::Conflict(e.to_string()))?
        .timestamp();
    let end = to
        .tomorrow()
        .and_then(|d| d.to_zoned(zone.clone()))
        .map_err(|e| AppError::Conflict(e.to_string()))?
        .timestamp();
    Ok((start, end))
}

pub async fn overview(
    db: &Db,
    user: UserId,
    from: Date,
    to: Date,
    zone: &jiff::tz::TimeZone,
) -> Result<Overview, AppError> {
    let (start, end) = day_bounds(from, to, zone)?;
    let groups = store::outcomes(db, user, None, start, end, true).await?;
    let roles_applied = store::roles_applied(db, user, start, end, from, to).await?;
    Ok(Overview {
        rates: total(&groups).into(),
        by_step: groups
            .into_iter()
            .map(|(step, o)| (step, o.into()))
            .collect(),
        roles_applied,
    })
}

/// Later than any email is sent (a bound both databases store: 9000-01-01).
const END_OF_TIME: Timestamp = Timestamp::constant(221_845_392_000, 0);

/// One campaign: all its emails, and by step (which step's emails got the answers).
#[derive(Clone, Debug, PartialEq)]
pub struct CampaignOutcomes {
    pub rates: Rates,
    pub by_step: Vec<(i64, Rates)>,
}

pub async fn campaign(db: &Db, user: UserId, id: CampaignId) -> Result<CampaignOutcomes, AppError> {
    pursuit_store::outreach::get_campaign(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let groups =
        store::outcomes(db, user, Some(id), Timestamp::UNIX_EPOCH, END_OF_TIME, true).await?;
    Ok(CampaignOutcomes {
        rates: total(&groups).into(),
        by_step: groups
            .into_iter()
            .map(|(step, o)| (step, o.into()))
            .collect(),
    })
}

/// The statuses that make a first conversation: a recruiter call or any later stage.
pub const CONVERSATION_STATUSES: [&str; 6] = [
    "Recruiter_Call",
    "Tech_Screen",
    "Interview_Loop",
    "Offer",
    "Accepted",
    "Declined",
];

/// What preceded one application's first conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct Attributed {
    pub conversation: store::FirstConversation,
    /// The last outreach email sent about it before: step, step label, campaign, name.
    pub step: Option<(i64, String, uuid::Uuid, String)>,
    /// The newest pitch written for it before: id, tone, length.
    pub pitch: Option<(uuid::Uuid, String, String)>,
}

/// Attribution: which resume version, pitch and sequence step preceded each first
/// conversation (a recruiter call or later) in a range, and the counts by each.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Attribution {
    pub conversations: Vec<Attributed>,
    /// (what, how many), most first.
    pub by_step: Vec<(String, i64)>,
    pub by_resume_version: Vec<(String, i64)>,
    pub by_pitch: Vec<(String, i64)>,
}

fn tally(names: impl Iterator<Item = String>) -> Vec<(String, i64)> {
    let mut counts: Vec<(String, i64)> = Vec::new();
    for name in names {
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

pub async fn attribution(
    db: &Db,
    user: UserId,
    from: Date,
    to: Date,
    zone: &jiff::tz::TimeZone,
) -> Result<Attribution, AppError> {
    let (start, end) = day_bounds(from, to, zone)?;
    let mut conversations = Vec::new();
    for c in store::first_conversations(db, user, &CONVERSATION_STATUSES, start, end).await? {
        let step = store::last_sent_about(db, user, c.application_id, c.at).await?;
        let pitch = store::pitch_before(db, user, c.application_id, c.at).await?;
        conversations.push(Attributed {
            conversation: c,
            step,
            pitch,
        });
    }
    let by_step = tally(conversations.iter().map(|a| match &a.step {
        Some((position, label, _, _)) => format!("Step {position}: {label}"),
        None => "No outreach email".to_owned(),
    }));
    let by_resume_version = tally(conversations.iter().map(|a| {
        match (
            &a.conversation.resume_label,
            a.conversation.resume_version_id,
        ) {
            (Some(label), _) if !label.trim().is_empty() => label.clone(),
            (_, Some(id)) => format!("Version {}", &id.simple().to_string()[..8]),
            _ => "Not recorded".to_owned(),
        }
    }));
    let by_pitch = tally(conversations.iter().map(|a| match &a.pitch {
        Some((_, tone, length)) => format!("{tone}, {length}"),
        None => "No pitch".to_owned(),
    }));
    Ok(Attribution {
        conversations,
        by_step,
        by_resume_version,
        by_pitch,
    })
}

/// Each of the user's mailboxes with its health.
pub async fn deliverability(
    db: &Db,
    user: UserId,
    now: Timestamp,
) -> Result<Vec<(crate::mailboxes::Mailbox, crate::mailboxes::Health)>, AppError> {
    let mut all = Vec::new();
    for mailbox in crate::mailboxes::list(db, user, now).await? {
        let health = crate::mailboxes::health(db, user, mailbox.row.id, now).await?;
        all.push((mailbox, health));
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_count_most_first() {
        let t = tally(
            ["b", "a", "b", "c", "a", "b"]
                .iter()
                .map(|s| (*s).to_owned()),
        );
        assert_eq!(
            t,
            vec![
                ("b".to_owned(), 3),
                ("a".to_owned(), 2),
                ("c".to_owned(), 1)
            ]
        );
    }

    #[test]
    fn rates_are_over_what_was_delivered_and_absent_without_it() {
        let none = Rates::from(Outcomes::default());
        assert_eq!(
            (none.click_rate, none.reply_rate, none.bounce_rate),
            (None, None, None)
        );
        let some = Rates::from(Outcomes {
            sent: 10,
            bounced: 2,
            clicked: 2,
            replied: 1,
            complained: 0,
        });
        assert_eq!(some.delivered, 8);
        assert_eq!(
            (some.click_rate, some.reply_rate, some.bounce_rate),
            (Some(0.25), Some(0.125), Some(0.2))
        );
    }
}
