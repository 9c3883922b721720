//! What outreach did (seed 000 §11): emails sent, delivered (accepted and not bounced for
//! good: without a provider's delivery events, the server accepting an email is what is
//! known), click rate and reply rate over the delivered ones, and the roles applied to —
//! for a range of days, for one campaign by step, and per mailbox (deliverability). There
//! is no open rate: Pursuit adds no tracking pixel.

use jiff::Timestamp;
use jiff::civil::Date;
use pursuit_domain::ids::{CampaignId, UserId};
use pursuit_store::Db;
pub use pursuit_store::replies::DayMetrics;
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

/// One campaign: all its emails, by step (which step's emails got the answers) and by day.
#[derive(Clone, Debug, PartialEq)]
pub struct CampaignOutcomes {
    pub rates: Rates,
    pub by_step: Vec<(i64, Rates)>,
    /// Its last [`DAILY_DAYS`] days up to today (the user's days), oldest first: the
    /// nightly rollup's through `rolled_through`, read live after it.
    pub daily: Vec<DayMetrics>,
    pub rolled_through: Option<Date>,
}

/// How many of a campaign's latest days its daily series holds.
pub const DAILY_DAYS: usize = 120;
/// Each night the rollup writes these last days again: an event reported late (a provider's
/// delayed webhook, a mailbox read after an outage) still lands on its day.
const REROLL_DAYS: i64 = 7;

pub async fn campaign(
    db: &Db,
    user: UserId,
    id: CampaignId,
    zone: &jiff::tz::TimeZone,
    now: Timestamp,
) -> Result<CampaignOutcomes, AppError> {
    let row = pursuit_store::outreach::get_campaign(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let groups =
        store::outcomes(db, user, Some(id), Timestamp::UNIX_EPOCH, END_OF_TIME, true).await?;
    let (rolled_through, mut daily) = store::campaign_metrics(db, id).await?;
    let today = now.to_zoned(zone.clone()).date();
    // Days older than the series shows are not read live (before the first rollup).
    let oldest_shown = today
        .checked_sub(jiff::Span::new().days(DAILY_DAYS as i64 - 1))
        .unwrap_or(today);
    let live_from = match rolled_through {
        Some(through) => through.tomorrow().unwrap_or(through),
        None => row.created_at.to_zoned(zone.clone()).date(),
    }
    .max(oldest_shown);
    if live_from <= today {
        daily.extend(live_days(db, id, zone, live_from, today).await?);
    }
    let skip = daily.len().saturating_sub(DAILY_DAYS);
    daily.drain(..skip);
    Ok(CampaignOutcomes {
        rates: total(&groups).into(),
        by_step: groups
            .into_iter()
            .map(|(step, o)| (step, o.into()))
            .collect(),
        daily,
        rolled_through,
    })
}

/// A campaign's days `first..=last` (the user's days in `zone`), each one, read from its
/// emails and their events now.
async fn live_days(
    db: &Db,
    id: CampaignId,
    zone: &jiff::tz::TimeZone,
    first: Date,
    last: Date,
) -> Result<Vec<DayMetrics>, AppError> {
    let (start, end) = day_bounds(first, last, zone)?;
    let (sent, events) = store::campaign_marks(db, id, start, end).await?;
    let mut days: std::collections::BTreeMap<Date, DayMetrics> = first
        .series(jiff::Span::new().days(1))
        .take_while(|d| *d <= last)
        .map(|day| {
            (
                day,
                DayMetrics {
                    day,
                    ..DayMetrics::default()
                },
            )
        })
        .collect();
    let day_of = |at: Timestamp| at.to_zoned(zone.clone()).date();
    for at in sent {
        if let Some(d) = days.get_mut(&day_of(at)) {
            d.sent += 1;
        }
    }
    for (kind, at) in events {
        if let Some(d) = days.get_mut(&day_of(at)) {
            match kind.as_str() {
                "bounced" => d.bounced += 1,
                "clicked" => d.clicked += 1,
                "replied" => d.replied += 1,
                "spam_complaint" => d.complained += 1,
                _ => {}
            }
        }
    }
    Ok(days.into_values().collect())
}

/// What one nightly rollup did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RollupReport {
    pub campaigns: usize,
    pub days: usize,
}

/// `analytics.rollup`: each launched campaign's days that are over (in its user's zone) and
/// not rolled up yet, and again its last [`REROLL_DAYS`], into `campaign_metrics`, one
/// transaction per campaign. Running it twice writes the same rows.
pub async fn roll_up(db: &Db, now: Timestamp) -> Result<RollupReport, AppError> {
    let mut report = RollupReport::default();
    for c in store::campaigns_to_roll(db).await? {
        let (zone, _) = pursuit_store::accounts::zone_and_settings(db, c.user_id).await?;
        let zone = jiff::tz::TimeZone::get(&zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let today = now.to_zoned(zone.clone()).date();
        let Ok(yesterday) = today.yesterday() else {
            continue;
        };
        let created = c.created_at.to_zoned(zone.clone()).date();
        let first = match c.metrics_through {
            Some(through) => through
                .checked_sub(jiff::Span::new().days(REROLL_DAYS - 1))
                .unwrap_or(through)
                .max(created),
            None => created,
        };
        if first > yesterday {
            continue;
        }
        let days = live_days(db, c.id, &zone, first, yesterday).await?;
        let mut tx = db.begin().await?;
        store::put_campaign_metrics(&mut tx, c.id, c.user_id, &days, yesterday, now).await?;
        tx.commit().await?;
        report.campaigns += 1;
        report.days += days.len();
    }
    Ok(report)
}

/// `analytics.rollup`'s payload: nothing (every campaign is rolled up).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RollUpMetrics {}

impl pursuit_store::jobs::JobSpec for RollUpMetrics {
    const KIND: &'static str = "analytics.rollup";
    const MAX_ATTEMPTS: i64 = 3;
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
