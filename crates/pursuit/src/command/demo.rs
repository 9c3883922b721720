//! `pursuit demo [--email E]`: a demo account to explore Pursuit with (seed 002 §17): ten
//! applications across the statuses (with their status history and rule reminders), two
//! scheduled interviews and a custom reminder due soon. Prints an API token on its last line.

use anyhow::Context;
use clap::Args;
use jiff::{SignedDuration, Timestamp};
use pursuit_domain::account::{EmailAddress, TimeZoneName};
use pursuit_domain::application::{
    ActivityStatus, ActivityType, ApplicationStatus as S, ChangedBy, InterviewMedium,
    InterviewStage, LocationMode, Priority, SalaryRange,
};
use pursuit_domain::ids::{ActivityId, ApplicationId, ReminderId};
use pursuit_domain::settings::ReminderChannel;
use pursuit_store::activities::{self, ActivityData};
use pursuit_store::applications::{self, ApplicationData};
use pursuit_store::reminders::{self, NewReminder};
use pursuit_store::{Db, accounts};

use crate::app::VERSION;
use crate::command::{GlobalArgs, Opened};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The demo account's address.
    #[arg(long, default_value = "demo@pursuit.localhost")]
    pub email: String,
}

/// (company, role, source, tags, priority, the statuses it went through)
type Sample = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    Priority,
    &'static [S],
);

const SAMPLES: [Sample; 10] = [
    (
        "Northwind Labs",
        "Backend Engineer",
        "LinkedIn",
        &["backend", "rust"],
        Priority::High,
        &[S::Applied],
    ),
    (
        "Bluefin Analytics",
        "Platform Engineer",
        "Referral",
        &["platform"],
        Priority::Medium,
        &[S::Applied, S::Screening],
    ),
    (
        "Cedar Health",
        "Site Reliability Engineer",
        "Company site",
        &["sre"],
        Priority::Medium,
        &[S::Applied, S::Screening, S::RecruiterCall],
    ),
    (
        "Driftwood Systems",
        "Data Engineer",
        "Job board",
        &["data"],
        Priority::Low,
        &[S::Applied, S::Screening, S::TechScreen],
    ),
    (
        "Everlight Energy",
        "Staff Engineer",
        "Referral",
        &["backend", "staff"],
        Priority::High,
        &[S::Applied, S::Screening, S::TechScreen, S::InterviewLoop],
    ),
    (
        "Fjord Robotics",
        "Engineering Manager",
        "Recruiter",
        &["management"],
        Priority::High,
        &[S::Applied, S::Screening, S::InterviewLoop, S::Offer],
    ),
    (
        "Granite Bank",
        "Backend Engineer",
        "LinkedIn",
        &["backend", "fintech"],
        Priority::None,
        &[S::Applied, S::Rejected],
    ),
    (
        "Harbor Logistics",
        "Founding Engineer",
        "Networking",
        &["startup"],
        Priority::Medium,
        &[S::Saved],
    ),
    (
        "Ironwood Games",
        "DevOps Engineer",
        "Job board",
        &["devops"],
        Priority::Low,
        &[S::Applied, S::OnHold],
    ),
    (
        "Juniper Foods",
        "Senior Rust Engineer",
        "Company site",
        &["rust"],
        Priority::Medium,
        &[S::Draft],
    ),
];

pub async fn run(global: &GlobalArgs, args: DemoArgs) -> anyhow::Result<()> {
    let email =
        EmailAddress::parse(&args.email).map_err(|e| anyhow::anyhow!("invalid --email: {e}"))?;
    let Opened { config, db, .. } = global.open().await?;
    let result = seed(&db, &email, &config.default_timezone).await;
    db.close().await;
    let (applications, token) = result?;
    println!("demo account {email}: {applications} applications, 2 interviews, reminders due soon");
    println!("API token (send as `Authorization: Bearer <token>`):");
    println!("{token}");
    Ok(())
}

async fn seed(
    db: &Db,
    email: &EmailAddress,
    default_timezone: &str,
) -> anyhow::Result<(usize, String)> {
    pursuit_store::migrate::run(db, VERSION)
        .await
        .context("cannot migrate the database")?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let user = match accounts::find_user_by_email(&mut tx, email).await? {
        Some(user) => user,
        None => {
            let time_zone =
                TimeZoneName::parse(default_timezone).unwrap_or_else(|_| TimeZoneName::utc());
            let new = accounts::NewUser {
                email: email.clone(),
                display_name: None,
                time_zone,
                is_owner: false,
            };
            accounts::insert_user(&mut tx, &new, now).await?
        }
    };
    let existing =
        applications::list_applications(&mut tx, user.id, &Default::default(), None, 1).await?;
    if !existing.is_empty() {
        anyhow::bail!("{email} already has applications; the demo fills only an empty account");
    }
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let mut ids = Vec::new();
    for (i, (company, role, source, tags, priority, path)) in SAMPLES.iter().enumerate() {
        let applied = today
            .checked_sub(jiff::Span::new().days(i64::try_from(i * 3).unwrap_or(0)))
            .unwrap_or(today);
        let mut data = ApplicationData {
            status: path[0],
            source: (*source).to_owned(),
            priority: *priority,
            location_mode: Some(if i % 3 == 0 {
                LocationMode::Hybrid
            } else {
                LocationMode::Remote
            }),
            salary: SalaryRange {
                min: Some(80_000 + 5_000 * i as i64),
                max: Some(100_000 + 5_000 * i as i64),
                currency: Some("EUR".to_owned()),
            },
            tech_keywords: vec!["Rust".to_owned(), "PostgreSQL".to_owned()],
            notes: Some("Demo data: edit or delete freely.".to_owned()),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..ApplicationData::new(*company, *role, applied)
        };
        let id = ApplicationId::new();
        let mut application =
            pursuit_app::applications::create_in(&mut tx, user.id, id, &data, ChangedBy::User, now)
                .await?;
        for status in &path[1..] {
            data.status = *status;
            application = pursuit_app::applications::change_in(
                &mut tx,
                user.id,
                &application,
                &data,
                ChangedBy::User,
                now,
            )
            .await
            .with_context(|| format!("moving the demo application {company} on"))?;
        }
        ids.push(id);
    }
    // Two interviews: a screening in two days, a loop in four.
    for (index, stage, days) in [
        (1, InterviewStage::Screening, 2),
        (4, InterviewStage::Loop, 4),
    ] {
        let data = ActivityData {
            starts_at: Some(now + SignedDuration::from_hours(24 * days)),
            duration_minutes: Some(60),
            interview_stage: Some(stage),
            interview_medium: Some(InterviewMedium::GoogleMeet),
            agenda: Some("Introductions, technical discussion, questions".to_owned()),
            ..ActivityData::new(ActivityType::Interview, ActivityStatus::Scheduled)
        };
        let activity = activities::insert_activity(
            &mut tx,
            user.id,
            ids[index],
            ActivityId::new(),
            &data,
            now,
        )
        .await?;
        pursuit_app::reminders::plan_for_activity(
            &mut tx,
            user.id,
            &activity,
            SAMPLES[index].0,
            now,
        )
        .await?;
    }
    let custom = NewReminder {
        application_id: Some(ids[2]),
        activity_id: None,
        title: "Prepare questions for the recruiter call".to_owned(),
        due_at: now + SignedDuration::from_hours(1),
        channels: vec![ReminderChannel::InApp],
        dedupe_key: None,
        rule: None,
        meta: None,
    };
    reminders::insert_reminder(&mut tx, user.id, ReminderId::new(), &custom, now).await?;
    let (_, token) = accounts::create_api_token(&mut tx, user.id, "demo", None, now).await?;
    tx.commit().await?;
    Ok((SAMPLES.len(), token))
}
