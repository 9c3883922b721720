//! `pursuit demo [--email E]`: a demo account to explore Pursuit with (seed 002 §17): ten
//! applications across the statuses (with their status history and rule reminders), two
//! scheduled interviews, a custom reminder due soon, a resume and three pasted postings
//! (read at once; their matches follow once the server's worker has read the resume).
//! Prints a sign-in link for the browser, then an API token on its last line.

use anyhow::Context;
use clap::Args;
use jiff::{SignedDuration, Timestamp};
use pursuit_domain::account::{EmailAddress, TimeZoneName};
use pursuit_domain::application::{
    ActivityStatus, ActivityType, ApplicationStatus as S, ChangedBy, InterviewMedium,
    InterviewStage, LocationMode, Priority, SalaryRange,
};
use pursuit_domain::ids::{ActivityId, ApplicationId, ReminderId, UserId};
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
    let result = match result {
        Ok(seeded) => documents(&db, seeded.0)
            .await
            .map(|postings| (seeded, postings)),
        Err(error) => Err(error),
    };
    db.close().await;
    let ((_, applications, link, token), postings) = result?;
    let base = config.base_url(config.bind);
    println!(
        "demo account {email}: {applications} applications, 2 interviews, reminders due soon, \
         a resume and {postings} postings (their matches appear once `pursuit serve` has read \
         the resume, within seconds)"
    );
    println!("sign in (once, within 24 hours), with `pursuit serve` running:");
    println!(
        "  {}/auth/magic-link?token={link}",
        base.trim_end_matches('/')
    );
    println!("API token (send as `Authorization: Bearer <token>`):");
    println!("{token}");
    Ok(())
}

/// A resume and postings for the demo account, through the same use cases as the pages:
/// the resume is read by the worker, the postings at once. Returns how many postings.
async fn documents(db: &Db, user: UserId) -> anyhow::Result<usize> {
    let now = Timestamp::now();
    pursuit_app::resumes::add_version(
        db,
        None,
        user,
        pursuit_app::resumes::Original::Text(DEMO_RESUME.to_owned()),
        pursuit_files::Format::Markdown,
        Some("Demo resume".to_owned()),
        now,
    )
    .await
    .context("adding the demo resume")?;
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    for (title, company, text) in DEMO_POSTINGS {
        let intake = pursuit_app::postings::Intake {
            text: Some((*text).to_owned()),
            url: None,
            parse: true,
            title: Some((*title).to_owned()),
            company: Some((*company).to_owned()),
            desired_output_lang: None,
        };
        pursuit_app::postings::add(
            db,
            user,
            today,
            &intake,
            &pursuit_files::fetch::Limits::default(),
            now,
        )
        .await
        .context("adding a demo posting")?;
    }
    Ok(DEMO_POSTINGS.len())
}

/// A made-up backend engineer's resume.
const DEMO_RESUME: &str = "# Alex Morgan

Backend engineer · Lisbon, Portugal · alex.morgan@example.org

## Summary

Backend engineer with six years of building APIs and data pipelines in Rust and Python.

## Experience

### Senior Backend Engineer — Tidewater Payments (2022 – present)

- Built a settlement service in Rust (axum, tokio) that reconciles 2 million payments a day.
- Moved reporting from nightly batches to PostgreSQL logical replication, cutting delays from 24 hours to 5 minutes.
- Ran the on-call rotation and wrote the runbooks for Kubernetes incidents.

### Backend Engineer — Quayside Logistics (2019 – 2022)

- Wrote Python services (FastAPI) for shipment tracking, with Redis caching and Kafka events.
- Introduced OpenTelemetry tracing and Grafana dashboards across twelve services.

## Education

BSc Computer Science, University of Porto, 2019

## Skills

Rust, Python, PostgreSQL, Redis, Kafka, Docker, Kubernetes, AWS, Terraform, gRPC, REST APIs
";

/// Three made-up postings (title, company, text): two near the resume, one far from it.
/// Title and company are given as a user would type them in the form.
const DEMO_POSTINGS: &[(&str, &str, &str)] = &[
    (
        "Senior Rust Engineer",
        "Harborline Systems",
        "Senior Rust Engineer
Harborline Systems
Remote (Europe) · €85,000 – €105,000

About the role
We are looking for a Senior Rust Engineer to build the services behind our freight marketplace.

Responsibilities
- Design and run high-throughput APIs in Rust
- Own PostgreSQL schemas and migrations
- Take part in the on-call rotation

Requirements
- 5+ years of backend development
- Strong Rust experience (tokio, axum or actix)
- PostgreSQL in production
- Docker and Kubernetes

Nice to have
- Kafka
- Terraform
",
    ),
    (
        "Data Platform Engineer",
        "Lumen Analytics",
        "Data Platform Engineer
Lumen Analytics
Hybrid · Berlin, Germany

Responsibilities
- Build streaming pipelines with Kafka and Flink
- Maintain our Snowflake warehouse and dbt models

Requirements
- 3+ years of data engineering
- Python and SQL
- Kafka
- Airflow

Nice to have
- Scala
- Spark
",
    ),
    (
        "Pastry Chef",
        "Riverside Bakery",
        "Pastry Chef
Riverside Bakery
On-site · Porto, Portugal

Responsibilities
- Prepare breads, pastries and seasonal desserts
- Keep the kitchen to food-safety standards

Requirements
- 3 years in a professional bakery
- Food hygiene certificate
- Early mornings and weekends
",
    ),
];

/// The demo user, how many applications were made, a sign-in link's token and an API token.
async fn seed(
    db: &Db,
    email: &EmailAddress,
    default_timezone: &str,
) -> anyhow::Result<(UserId, usize, String, String)> {
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
        let mut application = pursuit_app::applications::create_in(
            &mut tx,
            user.id,
            id,
            &data,
            ChangedBy::User,
            None,
            now,
        )
        .await?;
        for status in &path[1..] {
            data.status = *status;
            application = pursuit_app::applications::change_in(
                &mut tx,
                user.id,
                &application,
                &data,
                ChangedBy::User,
                None,
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
    let link = pursuit_store::secret::generate("");
    accounts::insert_magic_link(
        &mut tx,
        &pursuit_store::secret::hash(&link),
        &accounts::LinkTarget::User(user.id),
        now + SignedDuration::from_hours(24),
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((user.id, SAMPLES.len(), link, token))
}
