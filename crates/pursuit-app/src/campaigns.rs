//! Outreach campaigns (seed 000 §9.4, §10): people to write to about the user's
//! applications, a sequence template, and the mailbox the emails go from.
//!
//! A campaign is a `draft` while its targets are chosen. [`preview`] renders every email
//! and plans when it would go out, in the recipient's zone (the contact's, else its
//! company's, else the user's), moved into the user's send window — what [`launch`] writes.
//! Launching turns each target into a sequence instance with its emails (`outreach` rows,
//! each with its fixed Message-ID) in one transaction; the sender (`outreach.dispatch`)
//! takes them from there. A campaign is `finished` only when none of its emails may still
//! go out or is in doubt.

use std::collections::HashMap;

use jiff::Timestamp;
use pursuit_domain::ids::{
    ApplicationId, CampaignId, CampaignTargetId, ContactId, MailboxId, OutreachId,
    SequenceTemplateId, UserId,
};
use pursuit_store::Db;
use pursuit_store::outreach::{self as store, CampaignRow, OutreachRow, TargetRow};

use crate::error::{AppError, Invalid};

pub const MAX_CAMPAIGNS: i64 = 500;
pub const MAX_TARGETS: usize = 5_000;

/// A campaign as given: on a change `None` keeps a field, `Some(None)` clears a link.
#[derive(Clone, Debug, Default)]
pub struct CampaignInput {
    pub name: Option<String>,
    pub template_id: Option<Option<SequenceTemplateId>>,
    pub mailbox_id: Option<Option<MailboxId>>,
    pub pitch_tone: Option<String>,
    pub pitch_length: Option<String>,
    /// Send its emails' links through the signed click redirect (off by default; may be
    /// turned on or off at any time and holds for the emails sent after).
    pub track_clicks: Option<bool>,
}

#[derive(Clone, Debug)]
pub struct Campaign {
    pub row: CampaignRow,
    pub template_name: Option<String>,
    pub targets: Vec<TargetRow>,
    /// How many of its emails are in each status.
    pub counts: Vec<(String, i64)>,
    /// How many of its emails had a link clicked (tracked campaigns only).
    pub clicked: i64,
}

impl Campaign {
    pub fn count(&self, status: &str) -> i64 {
        self.counts
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n)
    }

    /// The distinct applications it writes about.
    pub fn roles(&self) -> usize {
        let mut ids: Vec<ApplicationId> = self.targets.iter().map(|t| t.application_id).collect();
        ids.sort_by_key(|id| id.0);
        ids.dedup();
        ids.len()
    }
}

/// The name a campaign gets when none is given: the user's preference tags (up to three)
/// and the pitch type, e.g. "Remote · Data Analyst — short professional pitch".
pub fn default_name(tags: &[String], tone: &str, length: &str) -> String {
    let tags: Vec<&str> = tags.iter().take(3).map(String::as_str).collect();
    let lead = if tags.is_empty() {
        "Outreach".to_owned()
    } else {
        tags.join(" · ")
    };
    format!("{lead} — {length} {tone} pitch")
}

fn check_name(name: &str, invalid: &mut Vec<Invalid>) -> String {
    let name = crate::profile::header_line("name", name, 120, invalid);
    if name.is_empty() {
        invalid.push(Invalid::new("name", "must not be empty"));
    }
    name
}

fn tone(text: &str, invalid: &mut Vec<Invalid>) -> String {
    match pursuit_text::letter::Tone::parse(text) {
        Some(tone) => tone.as_str().to_owned(),
        None => {
            invalid.push(Invalid::new(
                "pitch_tone",
                "must be professional, enthusiastic or casual",
            ));
            String::new()
        }
    }
}

fn length(text: &str, invalid: &mut Vec<Invalid>) -> String {
    match pursuit_text::pitch::PitchLength::preset(text.trim()) {
        Some(length) => length.name().to_owned(),
        None => {
            invalid.push(Invalid::new(
                "pitch_length",
                "must be short, medium or long",
            ));
            String::new()
        }
    }
}

async fn check_links(
    db: &Db,
    user: UserId,
    template: Option<SequenceTemplateId>,
    mailbox: Option<MailboxId>,
    invalid: &mut Vec<Invalid>,
) -> Result<(), AppError> {
    if let Some(template) = template
        && pursuit_store::sequences::get_template(db, user, template)
            .await?
            .is_none()
    {
        invalid.push(Invalid::new("template_id", "is not one of your sequences"));
    }
    if let Some(mailbox) = mailbox
        && store::get_mailbox(db, user, mailbox).await?.is_none()
    {
        invalid.push(Invalid::new("mailbox_id", "is not one of your mailboxes"));
    }
    Ok(())
}

/// A new draft campaign. Without a template it takes the user's first sequence (or none
/// yet); without a mailbox, the user's only one when there is exactly one.
pub async fn create(
    db: &Db,
    user: UserId,
    input: &CampaignInput,
    now: Timestamp,
) -> Result<Campaign, AppError> {
    let mut invalid = Vec::new();
    let pitch_tone = tone(
        input.pitch_tone.as_deref().unwrap_or("professional"),
        &mut invalid,
    );
    let pitch_length = length(
        input.pitch_length.as_deref().unwrap_or("short"),
        &mut invalid,
    );
    let name = match &input.name {
        Some(name) => check_name(name, &mut invalid),
        None => {
            let tags = crate::preferences::get(db, user).await?.tags;
            default_name(&tags, &pitch_tone, &pitch_length)
        }
    };
    let template_id = match input.template_id {
        Some(given) => given,
        None => pursuit_store::sequences::list_templates(db, user, 1)
            .await?
            .first()
            .map(|t| t.id),
    };
    let mailbox_id = match input.mailbox_id {
        Some(given) => given,
        None => {
            let all = store::list_mailboxes(db, user).await?;
            (all.len() == 1).then(|| all[0].id)
        }
    };
    check_links(db, user, template_id, mailbox_id, &mut invalid).await?;
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    if store::count_campaigns(db, user).await? >= MAX_CAMPAIGNS {
        return Err(AppError::Conflict(format!(
            "you have {MAX_CAMPAIGNS} campaigns, the most Pursuit keeps: delete one first"
        )));
    }
    let row = CampaignRow {
        id: CampaignId::new(),
        name,
        template_id,
        mailbox_id,
        pitch_tone,
        pitch_length,
        track_clicks: input.track_clicks.unwrap_or(false),
        status: "draft".to_owned(),
        launched_at: None,
        finished_at: None,
        created_at: now,
        updated_at: now,
    };
    store::insert_campaign(db, user, &row).await?;
    get(db, user, row.id).await
}

pub async fn get(db: &Db, user: UserId, id: CampaignId) -> Result<Campaign, AppError> {
    let row = store::get_campaign(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let template_name = match row.template_id {
        Some(t) => pursuit_store::sequences::get_template(db, user, t)
            .await?
            .map(|t| t.name),
        None => None,
    };
    let targets = store::targets(db, user, id).await?;
    let counts = store::status_counts(db, user, id).await?;
    let clicked = store::count_with_event(db, user, id, "clicked").await?;
    Ok(Campaign {
        row,
        template_name,
        targets,
        counts,
        clicked,
    })
}

pub async fn list(db: &Db, user: UserId) -> Result<Vec<Campaign>, AppError> {
    let mut all = Vec::new();
    for row in store::list_campaigns(db, user, MAX_CAMPAIGNS).await? {
        all.push(get(db, user, row.id).await?);
    }
    Ok(all)
}

/// A campaign's emails in the order they are planned (none before the launch).
pub async fn emails(db: &Db, user: UserId, id: CampaignId) -> Result<Vec<OutreachRow>, AppError> {
    store::get_campaign(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(store::campaign_outreach(db, user, id).await?)
}

/// Renames a campaign, turns its click tracking on or off, or changes its template or
/// mailbox (the last two only while a draft).
pub async fn update(
    db: &Db,
    user: UserId,
    id: CampaignId,
    input: &CampaignInput,
    now: Timestamp,
) -> Result<Campaign, AppError> {
    let current = get(db, user, id).await?;
    let mut invalid = Vec::new();
    let mut row = current.row.clone();
    if let Some(name) = &input.name {
        row.name = check_name(name, &mut invalid);
    }
    if let Some(track) = input.track_clicks {
        row.track_clicks = track;
    }
    if input.template_id.is_some() || input.mailbox_id.is_some() {
        if row.status != "draft" {
            return Err(AppError::Conflict(
                "a launched campaign keeps its sequence and mailbox".to_owned(),
            ));
        }
        if let Some(template) = input.template_id {
            row.template_id = template;
        }
        if let Some(mailbox) = input.mailbox_id {
            row.mailbox_id = mailbox;
        }
    }
    check_links(db, user, row.template_id, row.mailbox_id, &mut invalid).await?;
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    store::update_campaign(db, user, &row, now).await?;
    get(db, user, id).await
}

pub async fn delete(db: &Db, user: UserId, id: CampaignId) -> Result<(), AppError> {
    let current = get(db, user, id).await?;
    if current.row.status == "running" {
        return Err(AppError::Conflict(
            "stop the campaign before deleting it".to_owned(),
        ));
    }
    store::delete_campaign(db, user, id).await?;
    Ok(())
}

/// Adds a person to write to about one application (a draft campaign's). The contact
/// becomes a target of the application too.
pub async fn add_target(
    db: &Db,
    user: UserId,
    id: CampaignId,
    application: ApplicationId,
    contact: ContactId,
    mailbox: Option<MailboxId>,
    now: Timestamp,
) -> Result<Campaign, AppError> {
    let campaign = store::get_campaign(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if campaign.status != "draft" {
        return Err(AppError::Conflict(
            "targets are chosen before the launch".to_owned(),
        ));
    }
    if store::count_targets(db, id).await? >= MAX_TARGETS as i64 {
        return Err(AppError::Conflict(format!(
            "a campaign writes to at most {MAX_TARGETS} people"
        )));
    }
    let mut invalid = Vec::new();
    if pursuit_store::applications::get_application(db, user, application)
        .await?
        .is_none()
    {
        invalid.push(Invalid::new(
            "application_id",
            "is not one of your applications",
        ));
    }
    match pursuit_store::contacts::get(db, user, contact).await? {
        None => invalid.push(Invalid::new("contact_id", "is not one of your contacts")),
        Some(person) if person.fields.email.is_none() => invalid.push(Invalid::new(
            "contact_id",
            format!(
                "{} has no email address: add one first",
                person.fields.full_name
            ),
        )),
        Some(_) => {}
    }
    if let Some(mailbox) = mailbox
        && store::get_mailbox(db, user, mailbox).await?.is_none()
    {
        invalid.push(Invalid::new("mailbox_id", "is not one of your mailboxes"));
    }
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let mut tx = db.begin().await?;
    store::insert_target(
        &mut tx,
        user,
        CampaignTargetId::new(),
        id,
        application,
        contact,
        mailbox,
        now,
    )
    .await
    .map_err(|e| match e {
        pursuit_store::StoreError::UniqueViolation { .. } => {
            AppError::Conflict("contact_id: this person is already in the campaign".to_owned())
        }
        other => other.into(),
    })?;
    pursuit_store::contacts::link(&mut tx, user, application, contact, now).await?;
    tx.commit().await?;
    get(db, user, id).await
}

pub async fn remove_target(
    db: &Db,
    user: UserId,
    id: CampaignId,
    target: CampaignTargetId,
) -> Result<Campaign, AppError> {
    let campaign = get(db, user, id).await?;
    if campaign.row.status != "draft" {
        return Err(AppError::Conflict(
            "a launched target is stopped, not removed".to_owned(),
        ));
    }
    if !store::delete_target(db, user, id, target).await? {
        return Err(AppError::NotFound);
    }
    get(db, user, id).await
}

/// One email a launch would write.
#[derive(Clone, Debug)]
pub struct PlannedEmail {
    pub target: CampaignTargetId,
    pub step_position: i64,
    pub step_label: String,
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    /// When it goes out (none: the window never opens), in `time_zone` (the
    /// recipient's) and, for the page, the user's.
    pub at: Option<Timestamp>,
    pub time_zone: String,
    pub time_zone_from: &'static str,
    pub mailbox: MailboxId,
    /// The address it goes from (its Message-ID is at that domain).
    pub from_address: String,
}

/// What a launch would do, or why it cannot.
#[derive(Clone, Debug)]
pub struct Preview {
    pub campaign: Campaign,
    pub emails: Vec<PlannedEmail>,
    /// Targets that will not be written to and why (an opted-out address).
    pub skipped: Vec<(CampaignTargetId, String)>,
    /// What stops the launch, each naming its field.
    pub problems: Vec<Invalid>,
    pub your_time_zone: String,
}

fn first_name(full: &str) -> &str {
    full.split_whitespace().next().unwrap_or(full)
}

/// The Message-ID of a new email from `from_address`: random, at the sender's domain.
pub(crate) fn message_id(from_address: &str) -> String {
    let domain = from_address
        .rsplit_once('@')
        .map_or("pursuit.invalid", |(_, d)| d);
    format!("<{}@{}>", uuid::Uuid::new_v4().simple(), domain)
}

/// Renders and plans every email of the campaign as a launch at `now` would.
pub async fn preview(
    db: &Db,
    user: UserId,
    id: CampaignId,
    now: Timestamp,
) -> Result<Preview, AppError> {
    let campaign = get(db, user, id).await?;
    let (your_zone, settings) = pursuit_store::accounts::zone_and_settings(db, user).await?;
    let mut problems = Vec::new();
    let mut emails = Vec::new();
    let mut skipped = Vec::new();
    let template = match campaign.row.template_id {
        Some(t) => Some(crate::sequences::get(db, user, t).await?),
        None => {
            problems.push(Invalid::new(
                "template_id",
                "choose the sequence the campaign sends",
            ));
            None
        }
    };
    if campaign.targets.is_empty() {
        problems.push(Invalid::new(
            "targets",
            "add at least one person to write to",
        ));
    }
    let mailboxes: HashMap<MailboxId, pursuit_store::outreach::MailboxRow> =
        store::list_mailboxes(db, user)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
    let suppressed = store::suppressed_keys(db, user).await?;
    let uses_pitch = template.as_ref().is_some_and(|t| {
        t.steps
            .iter()
            .any(|s| s.step.body.contains("{pitch}") || s.step.subject.contains("{pitch}"))
    });
    let mut pitches: HashMap<ApplicationId, Option<Result<String, String>>> = HashMap::new();
    for (index, target) in campaign.targets.iter().enumerate() {
        let at = format!("targets/{index}");
        let Some(email) = target.contact_email.clone() else {
            problems.push(Invalid::new(
                &at,
                format!("{} has no email address", target.contact_name),
            ));
            continue;
        };
        let mailbox_id = target.mailbox_id.or(campaign.row.mailbox_id);
        let Some(mailbox) = mailbox_id.and_then(|m| mailboxes.get(&m)) else {
            problems.push(Invalid::new(
                if campaign.row.mailbox_id.is_none() && target.mailbox_id.is_none() {
                    "mailbox_id"
                } else {
                    at.as_str()
                },
                "choose the mailbox the emails go from (add one under Mailboxes)",
            ));
            continue;
        };
        if suppressed.contains(&store::email_key(&email)) {
            skipped.push((
                target.id,
                format!("{email} asked not to be written to again"),
            ));
            continue;
        }
        let Some(template) = &template else { continue };
        let pitch = if uses_pitch {
            let found = match pitches.get(&target.application_id) {
                Some(found) => found.clone(),
                None => {
                    let found = match crate::offers::for_application(
                        db,
                        user,
                        target.application_id,
                    )
                    .await
                    {
                        Ok(offer) if offer.document.blocking.is_empty() => {
                            Some(Ok(offer.document.row.body.trim().to_owned()))
                        }
                        Ok(_) => Some(Err(format!(
                            "the pitch for {} has claims your profile does not support: confirm or change them first",
                            target.company
                        ))),
                        Err(AppError::NotFoundDetail(_)) | Err(AppError::NotFound) => None,
                        Err(other) => return Err(other),
                    };
                    pitches.insert(target.application_id, found.clone());
                    found
                }
            };
            match found {
                Some(Ok(text)) => text,
                Some(Err(why)) => {
                    problems.push(Invalid::new(&at, why));
                    continue;
                }
                None => {
                    problems.push(Invalid::new(
                        &at,
                        format!(
                            "write a pitch for {} first: the sequence uses {{pitch}}",
                            target.company
                        ),
                    ));
                    continue;
                }
            }
        } else {
            String::new()
        };
        let (zone, from) = match &target.time_zone {
            Some(zone) => (zone.clone(), "contact"),
            None => (your_zone.clone(), "yours"),
        };
        let tz = jiff::tz::TimeZone::get(&zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let values: HashMap<&str, String> = [
            ("first_name", first_name(&target.contact_name).to_owned()),
            ("full_name", target.contact_name.clone()),
            ("company", target.company.clone()),
            ("role", target.role_title.clone()),
            ("my_name", mailbox.settings.from_name.clone()),
            ("pitch", pitch),
        ]
        .into_iter()
        .collect();
        let offsets: Vec<i64> = template.steps.iter().map(|s| s.step.offset_days).collect();
        let plan = pursuit_domain::schedule::plan_sends(now, &offsets, &settings.send_window, &tz);
        for (step, at) in template.steps.iter().zip(plan) {
            emails.push(PlannedEmail {
                target: target.id,
                step_position: step.position,
                step_label: step.step.label.clone(),
                to_name: target.contact_name.clone(),
                to_address: email.clone(),
                subject: pursuit_text::placeholders::fill(&step.step.subject, &values),
                body: pursuit_text::placeholders::fill(&step.step.body, &values),
                at,
                time_zone: zone.clone(),
                time_zone_from: from,
                mailbox: mailbox.id,
                from_address: mailbox.settings.from_address.clone(),
            });
        }
    }
    if emails.iter().any(|e| e.at.is_none()) {
        problems.push(Invalid::new(
            "send_window",
            "your send window never opens: set its hours and days in Settings",
        ));
    }
    Ok(Preview {
        campaign,
        emails,
        skipped,
        problems,
        your_time_zone: your_zone,
    })
}

/// What a launch wrote.
#[derive(Clone, Debug)]
pub struct Launched {
    pub campaign: Campaign,
    pub instances: usize,
    pub emails: usize,
}

/// Launches a draft campaign: every email of [`preview`] written, with its plan and fixed
/// Message-ID, in one transaction; targets whose address opted out are stopped with the
/// reason. Anything that stops the launch is a 422 naming each field, and nothing is
/// written.
pub async fn launch(
    db: &Db,
    user: UserId,
    id: CampaignId,
    now: Timestamp,
) -> Result<Launched, AppError> {
    let preview = preview(db, user, id, now).await?;
    if preview.campaign.row.status != "draft" {
        return Err(AppError::Conflict(format!(
            "the campaign is {}: only a draft launches",
            preview.campaign.row.status
        )));
    }
    if !preview.problems.is_empty() {
        return Err(AppError::Invalid(preview.problems));
    }
    let mut tx = db.begin().await?;
    if !store::move_campaign(&mut tx, user, id, "draft", "running", now).await? {
        return Err(AppError::Conflict(
            "the campaign was launched meanwhile".to_owned(),
        ));
    }
    for (target, why) in &preview.skipped {
        store::set_target_status(&mut tx, *target, "stopped", Some(why), now).await?;
    }
    let mut instances = Vec::new();
    let mut rows = Vec::with_capacity(preview.emails.len());
    for email in &preview.emails {
        let Some(at) = email.at else { continue };
        if instances.last() != Some(&email.target) && !instances.contains(&email.target) {
            instances.push(email.target);
        }
        rows.push(OutreachRow {
            id: OutreachId::new(),
            user_id: user,
            campaign_id: id,
            target_id: email.target,
            mailbox_id: Some(email.mailbox),
            step_position: email.step_position,
            step_label: email.step_label.clone(),
            to_name: email.to_name.clone(),
            to_address: email.to_address.clone(),
            time_zone: email.time_zone.clone(),
            subject: email.subject.clone(),
            body: email.body.clone(),
            planned_at: at,
            status: "planned".to_owned(),
            message_id: message_id(&email.from_address),
            attempts: 0,
            sent_at: None,
            provider_message_id: None,
            error: None,
            created_at: now,
            updated_at: now,
            clicked_at: None,
        });
    }
    store::insert_outreach_many(&mut tx, &rows).await?;
    store::activate_targets(&mut tx, id, now).await?;
    if instances.is_empty() {
        store::move_campaign(&mut tx, user, id, "running", "finished", now).await?;
    }
    tx.commit().await?;
    Ok(Launched {
        campaign: get(db, user, id).await?,
        instances: instances.len(),
        emails: preview.emails.len(),
    })
}

/// Stops a running campaign: its planned emails are cancelled, its instances stopped.
pub async fn stop(
    db: &Db,
    user: UserId,
    id: CampaignId,
    now: Timestamp,
) -> Result<Campaign, AppError> {
    let campaign = get(db, user, id).await?;
    if campaign.row.status != "running" {
        return Err(AppError::Conflict(format!(
            "the campaign is {}: only a running one stops",
            campaign.row.status
        )));
    }
    let mut tx = db.begin().await?;
    for target in &campaign.targets {
        store::cancel_planned(&mut tx, target.id, "cancelled", "stopped by you", now).await?;
        store::set_target_status(&mut tx, target.id, "stopped", Some("stopped by you"), now)
            .await?;
    }
    store::move_campaign(&mut tx, user, id, "running", "stopped", now).await?;
    tx.commit().await?;
    get(db, user, id).await
}

/// Marks a running campaign finished when nothing of it may still go out or is in doubt.
pub async fn finish_if_done(
    db: &Db,
    user: UserId,
    id: CampaignId,
    now: Timestamp,
) -> Result<bool, AppError> {
    if store::has_pending(db, id).await? {
        return Ok(false);
    }
    Ok(store::move_campaign(db, user, id, "running", "finished", now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_name_says_what_and_how() {
        assert_eq!(
            default_name(
                &["Remote".to_owned(), "Data Analyst".to_owned()],
                "professional",
                "short"
            ),
            "Remote · Data Analyst — short professional pitch"
        );
        assert_eq!(
            default_name(&[], "casual", "long"),
            "Outreach — long casual pitch"
        );
    }
}
