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
    let groups = store::outcomes(db, user, None, start, end, false).await?;
    let roles_applied = store::roles_applied(db, user, start, end, from, to).await?;
    Ok(Overview {
        rates: total(&groups).into(),
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
