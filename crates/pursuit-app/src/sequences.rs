//! Outreach sequences (seed 000 §9): a user's reusable cadences of emails — Intro, Nudge,
//! Value, Final by default — each step with its day offset from the first send, a subject
//! and a body with placeholders, and a length preset in characters.
//!
//! Every save checks each step (one 422 names every wrong field, as `steps/N/field`),
//! counts its characters (subject and body, as written: a placeholder counts as typed), and
//! keeps a spam check's snapshot (the score and the exact words, through the AI layer's
//! `spam_check` task; none when that feature is off). A step over its preset's most
//! characters is refused; under its least it is kept, and said to be short.

use jiff::Timestamp;
use pursuit_domain::ids::{SequenceStepId, SequenceTemplateId};
use pursuit_store::sequences::{self as store, SpamSnapshot, Step, StepRow, TemplateRow};

use crate::ai::{Caller, Services};
use crate::error::{AppError, Invalid};

/// The length presets: name, least and most characters (subject and body, as written: the
/// pitch a `{pitch}` brings in comes on top).
pub const LENGTHS: [(&str, usize, usize); 3] = [
    ("short", 100, 500),
    ("medium", 400, 900),
    ("long", 800, 1400),
];
use pursuit_text::placeholders::NAMES as PLACEHOLDERS;
pub const MAX_STEPS: usize = 8;
pub const MAX_OFFSET_DAYS: i64 = 90;
pub const MAX_TEMPLATES: i64 = 100;
const MAX_SUBJECT: usize = 200;
const MAX_BODY: usize = 5_000;

/// A template with its steps in order.
#[derive(Clone, Debug)]
pub struct Template {
    pub row: TemplateRow,
    pub steps: Vec<StepRow>,
}

/// A step as given.
#[derive(Clone, Debug, Default)]
pub struct StepInput {
    pub label: Option<String>,
    pub offset_days: Option<i64>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub length_preset: Option<String>,
}

/// The least and most characters of a preset.
pub fn target(preset: &str) -> (usize, usize) {
    LENGTHS
        .iter()
        .find(|(name, ..)| *name == preset)
        .map_or((0, MAX_BODY), |(_, least, most)| (*least, *most))
}

/// The characters a step counts: its subject and its body, as written.
pub fn char_count(subject: &str, body: &str) -> usize {
    subject.chars().count() + body.chars().count()
}

/// The default cadence: what a new template starts as. Its copy claims nothing about the
/// user; `{pitch}` brings in the pitch they approve.
pub fn default_steps() -> Vec<Step> {
    let step = |label: &str, offset_days: i64, subject: &str, body: &str, preset: &str| Step {
        label: label.to_owned(),
        offset_days,
        subject: subject.to_owned(),
        body: body.to_owned(),
        length_preset: preset.to_owned(),
    };
    vec![
        step(
            "Intro",
            0,
            "{role} at {company}",
            "Hi {first_name},\n\n{pitch}\n\nWould a 15-minute call in the next two weeks suit you?\n\nBest regards,\n{my_name}",
            "short",
        ),
        step(
            "Nudge",
            3,
            "Re: {role} at {company}",
            "Hi {first_name},\n\nA short follow-up on my note about the {role} role. I would be glad to tell you more about my work if it helps you decide.\n\nBest regards,\n{my_name}",
            "short",
        ),
        step(
            "Value",
            7,
            "Re: {role} at {company}",
            "Hi {first_name},\n\nOne more thought on the {role} role at {company}.\n\n{pitch}\n\nIf someone else on your team is the better person to talk to, I would be grateful for a pointer.\n\nBest regards,\n{my_name}",
            "short",
        ),
        step(
            "Final",
            14,
            "Re: {role} at {company}",
            "Hi {first_name},\n\nI will not write again about the {role} role. If the timing is better later, I would be glad to hear from you.\n\nThank you for reading,\n{my_name}",
            "short",
        ),
    ]
}

/// More to say in a longer email, per step (none claims anything about the user): added
/// in order until the email reaches its length's least characters.
const MORE: [&[&str]; 4] = [
    &[
        "I am writing to you directly because you lead the team the {role} role belongs to, and I would rather hear what matters most to you than guess from the posting.",
        "If a call is not convenient, a short reply with the best person to talk to would help me just as much.",
        "I am happy to work around your calendar, early or late in your day.",
    ],
    &[
        "I know your inbox is busy, so I will keep this short.",
        "If it is useful, I can send a few lines on how my background lines up with what the {role} role needs before we speak.",
        "Either way, thank you for considering my application to {company}.",
    ],
    &[
        "I have read what {company} has shared about its work, and the {role} role is the one where I believe I can help most.",
        "If the team is still deciding who to speak with, I would be glad to answer any questions in writing first.",
        "A short call would be enough for you to judge whether it is worth going further.",
    ],
    &[
        "Thank you for the time you have given my notes.",
        "If another role at {company} fits my background better, I would be glad to hear about it.",
        "I wish you and the team a good next quarter.",
    ],
];

/// The built-in sequence in a tone and a length: the default cadence, its greeting and
/// sign-off in the tone, each email grown with neutral lines (`MORE`) to its length's least
/// characters and never past its most. Claims nothing about the user.
pub fn drafted(tone: pursuit_text::letter::Tone, length: &str) -> Vec<Step> {
    use pursuit_text::letter::Tone;
    let (least, most) = target(length);
    let sign_off = match tone {
        Tone::Professional => "Best regards,",
        Tone::Enthusiastic => "With many thanks,",
        Tone::Casual => "Thanks,",
    };
    default_steps()
        .into_iter()
        .enumerate()
        .map(|(i, mut step)| {
            step.body = step.body.replace("Best regards,", sign_off);
            if tone == Tone::Casual {
                step.body = step
                    .body
                    .replacen("Hi {first_name},", "Hello {first_name},", 1);
            }
            for line in MORE[i.min(MORE.len() - 1)] {
                if char_count(&step.subject, &step.body) >= least {
                    break;
                }
                let grown = match step.body.rsplit_once("\n\n") {
                    Some((head, close)) => format!("{head}\n\n{line}\n\n{close}"),
                    None => format!("{}\n\n{line}", step.body),
                };
                if char_count(&step.subject, &grown) <= most {
                    step.body = grown;
                }
            }
            step.length_preset = length.to_owned();
            step
        })
        .collect()
}

/// A first sequence written for the user (`/api/v1/ai/sequence`; not kept): the built-in
/// one in the tone and length asked, reworded by a model when one is configured and its
/// wording keeps every rule (the days, the placeholders, the length, nothing said about the
/// user); otherwise the built-in one.
pub struct Written {
    pub steps: Vec<Step>,
    pub provider: String,
    pub model: String,
    pub fallbacks: Vec<String>,
}

pub async fn write(
    services: Services<'_>,
    caller: Caller<'_>,
    tone: pursuit_text::letter::Tone,
    length: &str,
    now: Timestamp,
) -> Result<Written, AppError> {
    if !LENGTHS.iter().any(|(name, ..)| *name == length) {
        return Err(AppError::Invalid(vec![Invalid::new(
            "length",
            "must be short, medium or long",
        )]));
    }
    let draft = drafted(tone, length);
    let (_, most) = target(length);
    let draft_json = serde_json::json!({"steps": draft.iter().map(|s| serde_json::json!({
        "label": s.label, "offset_days": s.offset_days, "subject": s.subject, "body": s.body,
    })).collect::<Vec<_>>()});
    let input = |label: &'static str, text: String| pursuit_ai::Input { label, text };
    let request = pursuit_ai::Request::new(
        pursuit_ai::Task::Sequence,
        vec![
            input("draft", draft_json.to_string()),
            input(
                "request",
                format!(
                    "tone: {}; at most {most} characters an email, subject and body counted",
                    tone.as_str()
                ),
            ),
            input("max_chars", most.to_string()),
        ],
    );
    let built_in = |fallbacks| Written {
        steps: draft.clone(),
        provider: pursuit_ai::LOCAL.to_owned(),
        model: "pursuit-sequence-1".to_owned(),
        fallbacks,
    };
    let answer = match crate::ai::run(services, caller, now, request).await {
        Ok(answer) if answer.provider != pursuit_ai::LOCAL => answer,
        Ok(answer) => return Ok(built_in(answer.fallbacks)),
        Err(AppError::FeatureOff(_)) => return Ok(built_in(Vec::new())),
        Err(other) => return Err(other),
    };
    // The model's emails, checked again as a save would check them.
    let mut invalid = Vec::new();
    let inputs: Vec<StepInput> = answer.value["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(&draft)
        .map(|(step, drafted)| StepInput {
            label: Some(drafted.label.clone()),
            offset_days: Some(drafted.offset_days),
            subject: step["subject"].as_str().map(str::to_owned),
            body: step["body"].as_str().map(str::to_owned),
            length_preset: Some(length.to_owned()),
        })
        .collect();
    let steps = read_steps(&inputs, &mut invalid);
    if !invalid.is_empty() || steps.len() != draft.len() {
        let mut fallbacks = answer.fallbacks;
        fallbacks.push(format!(
            "{}: its wording broke a rule ({}); the built-in sequence is kept",
            answer.provider,
            invalid
                .first()
                .map_or("emails missing".to_owned(), |i| format!(
                    "{} {}",
                    i.field, i.message
                ))
        ));
        return Ok(built_in(fallbacks));
    }
    Ok(Written {
        steps,
        provider: answer.provider,
        model: answer.model,
        fallbacks: answer.fallbacks,
    })
}

/// `step` with `input` laid over it, checked; problems named under `at` (`steps/2`).
fn apply(mut step: Step, input: &StepInput, at: &str, invalid: &mut Vec<Invalid>) -> Step {
    let field = |name: &str| format!("{at}/{name}");
    if let Some(label) = &input.label {
        step.label = crate::profile::header_line(&field("label"), label, 40, invalid);
    }
    if step.label.is_empty() {
        invalid.push(Invalid::new(&field("label"), "must not be empty"));
    }
    if let Some(days) = input.offset_days {
        step.offset_days = days;
    }
    if !(0..=MAX_OFFSET_DAYS).contains(&step.offset_days) {
        invalid.push(Invalid::new(
            &field("offset_days"),
            format!("must be 0 to {MAX_OFFSET_DAYS} days"),
        ));
    }
    if let Some(subject) = &input.subject {
        step.subject =
            crate::profile::header_line(&field("subject"), subject, MAX_SUBJECT, invalid);
    }
    if step.subject.is_empty() {
        invalid.push(Invalid::new(&field("subject"), "must not be empty"));
    }
    if let Some(body) = &input.body {
        step.body = crate::profile::text(&field("body"), body, MAX_BODY, true, invalid);
    }
    if step.body.trim().is_empty() {
        invalid.push(Invalid::new(&field("body"), "must not be empty"));
    }
    for (name, text, in_subject) in [
        ("subject", &step.subject, true),
        ("body", &step.body, false),
    ] {
        let unknown = pursuit_text::placeholders::unknown(text, in_subject);
        if !unknown.is_empty() {
            invalid.push(Invalid::new(
                &field(name),
                format!(
                    "names {} that Pursuit does not fill; it fills {}{}",
                    unknown.join(", "),
                    PLACEHOLDERS
                        .iter()
                        .filter(|p| !(in_subject && **p == "pitch"))
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if in_subject {
                        " (the pitch goes in the body)"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    if let Some(preset) = &input.length_preset {
        step.length_preset = preset.trim().to_lowercase();
    }
    if !LENGTHS.iter().any(|(name, ..)| *name == step.length_preset) {
        invalid.push(Invalid::new(
            &field("length_preset"),
            "must be short, medium or long",
        ));
    } else {
        let (_, most) = target(&step.length_preset);
        let count = char_count(&step.subject, &step.body);
        if count > most {
            invalid.push(Invalid::new(&field("body"),
                format!(
                    "subject and body are {count} characters, more than the {} preset's {most}: shorten it, or choose a longer preset",
                    step.length_preset
                ),
            ));
        }
    }
    step
}

/// Later steps never come before earlier ones.
fn check_order(steps: &[Step], invalid: &mut Vec<Invalid>) {
    for (i, pair) in steps.windows(2).enumerate() {
        if pair[1].offset_days < pair[0].offset_days {
            invalid.push(Invalid::new(
                &format!("steps/{}/offset_days", i + 2),
                format!(
                    "day {} comes before the step above it (day {}): steps go in order",
                    pair[1].offset_days, pair[0].offset_days
                ),
            ));
        }
    }
}

fn check_name(name: &str, invalid: &mut Vec<Invalid>) -> String {
    let name = crate::profile::header_line("name", name, 120, invalid);
    if name.is_empty() {
        invalid.push(Invalid::new("name", "must not be empty"));
    }
    name
}

/// The spam check of a step's text through the AI layer: `None` when the feature is off.
async fn spam(
    services: Services<'_>,
    caller: Caller<'_>,
    step: &Step,
    now: Timestamp,
) -> Result<Option<SpamSnapshot>, AppError> {
    let request = pursuit_ai::Request::new(
        pursuit_ai::Task::SpamCheck,
        vec![pursuit_ai::Input {
            label: "email",
            text: format!("{}\n\n{}", step.subject, step.body),
        }],
    );
    match crate::ai::run(services, caller, now, request).await {
        Ok(answer) => Ok(Some(SpamSnapshot {
            score: answer.value["spam_score"].as_f64().unwrap_or(0.0),
            words: answer.value["spam_words"]
                .as_array()
                .map(|w| {
                    w.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            checked_at: now,
        })),
        Err(AppError::FeatureOff(_)) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Writes `steps` as the template's, in order (a step at a position it had keeps its id),
/// each counted and spam-checked; steps past the last are dropped.
async fn write_steps(
    services: Services<'_>,
    caller: Caller<'_>,
    template: SequenceTemplateId,
    steps: &[Step],
    previous: &[StepRow],
    now: Timestamp,
) -> Result<(), AppError> {
    // The checks go to the layer first: no transaction is held while a model answers. A
    // step whose text is what it was keeps its snapshot; only changed text is checked.
    let mut snapshots = Vec::with_capacity(steps.len());
    for (i, step) in steps.iter().enumerate() {
        let kept = previous.get(i).filter(|p| {
            p.step.subject == step.subject && p.step.body == step.body && p.spam.is_some()
        });
        snapshots.push(match kept {
            Some(p) => p.spam.clone(),
            None => spam(services, caller, step, now).await?,
        });
    }
    let mut tx = services.db.begin().await?;
    for (i, (step, snapshot)) in steps.iter().zip(&snapshots).enumerate() {
        let count = char_count(&step.subject, &step.body) as i64;
        store::put_step(
            &mut tx,
            caller.id,
            template,
            i as i64 + 1,
            step,
            count,
            snapshot.as_ref(),
            now,
        )
        .await?;
    }
    store::drop_steps_after(&mut tx, caller.id, template, steps.len() as i64).await?;
    tx.commit().await?;
    Ok(())
}

/// The steps given, checked as a whole (1 to [`MAX_STEPS`], in order).
fn read_steps(inputs: &[StepInput], invalid: &mut Vec<Invalid>) -> Vec<Step> {
    if inputs.is_empty() || inputs.len() > MAX_STEPS {
        invalid.push(Invalid::new(
            "steps",
            format!("must hold 1 to {MAX_STEPS} steps"),
        ));
        return Vec::new();
    }
    let steps: Vec<Step> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            apply(
                Step {
                    label: String::new(),
                    offset_days: 0,
                    subject: String::new(),
                    body: String::new(),
                    length_preset: "short".to_owned(),
                },
                input,
                &format!("steps/{}", i + 1),
                invalid,
            )
        })
        .collect();
    check_order(&steps, invalid);
    steps
}

/// A new template: the steps given, or the default cadence.
pub async fn create(
    services: Services<'_>,
    caller: Caller<'_>,
    name: &str,
    steps: Option<&[StepInput]>,
    now: Timestamp,
) -> Result<Template, AppError> {
    let mut invalid = Vec::new();
    let name = check_name(name, &mut invalid);
    let steps = match steps {
        Some(inputs) => read_steps(inputs, &mut invalid),
        None => default_steps(),
    };
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    if store::count_templates(services.db, caller.id).await? >= MAX_TEMPLATES {
        return Err(AppError::Conflict(format!(
            "you have {MAX_TEMPLATES} sequences, the most Pursuit keeps: delete one first"
        )));
    }
    let id = SequenceTemplateId::new();
    store::insert_template(services.db, caller.id, id, &name, now).await?;
    write_steps(services, caller, id, &steps, &[], now).await?;
    get(services.db, caller.id, id).await
}

/// A new template written for the user in a tone and a length ([`write`]), kept.
pub async fn create_written(
    services: Services<'_>,
    caller: Caller<'_>,
    name: &str,
    tone: pursuit_text::letter::Tone,
    length: &str,
    now: Timestamp,
) -> Result<Template, AppError> {
    let mut invalid = Vec::new();
    check_name(name, &mut invalid);
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let written = write(services, caller, tone, length, now).await?;
    let inputs: Vec<StepInput> = written
        .steps
        .into_iter()
        .map(|s| StepInput {
            label: Some(s.label),
            offset_days: Some(s.offset_days),
            subject: Some(s.subject),
            body: Some(s.body),
            length_preset: Some(s.length_preset),
        })
        .collect();
    create(services, caller, name, Some(&inputs), now).await
}

pub async fn get(
    db: &pursuit_store::Db,
    user: pursuit_domain::ids::UserId,
    id: SequenceTemplateId,
) -> Result<Template, AppError> {
    let row = store::get_template(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let steps = store::steps(db, user, id).await?;
    Ok(Template { row, steps })
}

/// The user's templates by name, each with its steps.
pub async fn list(
    db: &pursuit_store::Db,
    user: pursuit_domain::ids::UserId,
) -> Result<Vec<Template>, AppError> {
    let mut all = Vec::new();
    for row in store::list_templates(db, user, MAX_TEMPLATES).await? {
        let steps = store::steps(db, user, row.id).await?;
        all.push(Template { row, steps });
    }
    Ok(all)
}

/// Renames a template and/or replaces its steps (in order; a step at a position it had
/// keeps its id).
pub async fn update(
    services: Services<'_>,
    caller: Caller<'_>,
    id: SequenceTemplateId,
    name: Option<&str>,
    steps: Option<&[StepInput]>,
    now: Timestamp,
) -> Result<Template, AppError> {
    let current = get(services.db, caller.id, id).await?;
    let mut invalid = Vec::new();
    let name = match name {
        Some(name) => check_name(name, &mut invalid),
        None => current.row.name.clone(),
    };
    let steps = steps.map(|inputs| read_steps(inputs, &mut invalid));
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    if let Some(steps) = &steps {
        write_steps(services, caller, id, steps, &current.steps, now).await?;
    }
    if !store::touch_template(services.db, caller.id, id, &name, now).await? {
        return Err(AppError::NotFound);
    }
    get(services.db, caller.id, id).await
}

/// Changes one step: the fields given, checked with its neighbours' order.
pub async fn update_step(
    services: Services<'_>,
    caller: Caller<'_>,
    id: SequenceStepId,
    input: &StepInput,
    now: Timestamp,
) -> Result<Template, AppError> {
    let found = store::get_step(services.db, caller.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let template = get(services.db, caller.id, found.template_id).await?;
    let mut invalid = Vec::new();
    let at = format!("steps/{}", found.position);
    let changed = apply(found.step.clone(), input, &at, &mut invalid);
    let mut steps: Vec<Step> = template.steps.iter().map(|s| s.step.clone()).collect();
    let index = (found.position - 1) as usize;
    if let Some(slot) = steps.get_mut(index) {
        *slot = changed;
    }
    check_order(&steps, &mut invalid);
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    write_steps(
        services,
        caller,
        template.row.id,
        &steps,
        &template.steps,
        now,
    )
    .await?;
    store::touch_template(
        services.db,
        caller.id,
        template.row.id,
        &template.row.name,
        now,
    )
    .await?;
    get(services.db, caller.id, template.row.id).await
}

pub async fn delete(
    db: &pursuit_store::Db,
    user: pursuit_domain::ids::UserId,
    id: SequenceTemplateId,
) -> Result<(), AppError> {
    if store::delete_template(db, user, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// When a sequence's emails would go out to one recipient.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// The recipient's zone the sends are planned in.
    pub time_zone: String,
    /// `contact` (the contact's own), `company` (its headquarters'), `asked` (given) or
    /// `yours` (none known: the user's own).
    pub time_zone_from: &'static str,
    /// The user's zone, for showing each send in both.
    pub your_time_zone: String,
    /// The send window used (the user's setting).
    pub window: pursuit_domain::schedule::SendWindow,
    /// Per step in order: the step and when it would go out (none: the window never
    /// opens).
    pub sends: Vec<(StepRow, Option<Timestamp>)>,
}

/// Plans a template's sends to one recipient as a launch at `start` would: each step
/// `offset_days` after the first, in the recipient's zone — the contact's, else its
/// company's, else `time_zone` as asked, else the user's own — moved into the user's
/// send window (their working hours by default).
pub async fn schedule(
    db: &pursuit_store::Db,
    user: pursuit_domain::ids::UserId,
    id: SequenceTemplateId,
    contact: Option<pursuit_domain::ids::ContactId>,
    time_zone: Option<&str>,
    start: Timestamp,
) -> Result<Schedule, AppError> {
    let template = get(db, user, id).await?;
    let (yours, settings) = pursuit_store::accounts::zone_and_settings(db, user).await?;
    let person = match contact {
        Some(contact) => Some(crate::contacts::get(db, user, contact).await.map_err(
            |e| match e {
                AppError::NotFound => AppError::Invalid(vec![Invalid::new(
                    "contact_id",
                    "is not one of your contacts",
                )]),
                other => other,
            },
        )?),
        None => None,
    };
    let asked = match time_zone.map(str::trim).filter(|z| !z.is_empty()) {
        Some(zone) => Some(
            pursuit_domain::account::TimeZoneName::parse(zone)
                .map_err(|e| AppError::Invalid(vec![Invalid::new("time_zone", e.0)]))?,
        ),
        None => None,
    };
    let (zone, from) = match (
        person
            .as_ref()
            .and_then(|p| p.time_zone.clone().zip(p.time_zone_from)),
        asked,
    ) {
        (Some((zone, from)), _) => (zone, from),
        (None, Some(zone)) => (zone.as_str().to_owned(), "asked"),
        (None, None) => (yours.clone(), "yours"),
    };
    let tz = jiff::tz::TimeZone::get(&zone).map_err(|_| {
        AppError::Invalid(vec![Invalid::new(
            "time_zone",
            "is not a known IANA time zone",
        )])
    })?;
    let offsets: Vec<i64> = template.steps.iter().map(|s| s.step.offset_days).collect();
    let planned = pursuit_domain::schedule::plan_sends(start, &offsets, &settings.send_window, &tz);
    Ok(Schedule {
        time_zone: zone,
        time_zone_from: from,
        your_time_zone: yours,
        window: settings.send_window,
        sends: template.steps.into_iter().zip(planned).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cadence_passes_its_own_checks() {
        let mut invalid = Vec::new();
        let inputs: Vec<StepInput> = default_steps()
            .into_iter()
            .map(|s| StepInput {
                label: Some(s.label),
                offset_days: Some(s.offset_days),
                subject: Some(s.subject),
                body: Some(s.body),
                length_preset: Some(s.length_preset),
            })
            .collect();
        let steps = read_steps(&inputs, &mut invalid);
        assert!(invalid.is_empty(), "{invalid:?}");
        let labels: Vec<&str> = steps.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Intro", "Nudge", "Value", "Final"]);
    }

    #[test]
    fn a_step_is_checked_field_by_field() {
        let mut invalid = Vec::new();
        let long = "x".repeat(600);
        apply(
            default_steps()[0].clone(),
            &StepInput {
                label: Some(String::new()),
                offset_days: Some(120),
                subject: Some("Hi\u{2028}Bcc: a@b.example".to_owned()),
                body: Some(long),
                length_preset: Some("short".to_owned()),
            },
            "steps/1",
            &mut invalid,
        );
        let fields: Vec<&str> = invalid.iter().map(|i| i.field.as_str()).collect();
        for field in [
            "/steps/1/label",
            "/steps/1/offset_days",
            "/steps/1/subject",
            "/steps/1/body",
        ] {
            assert!(fields.contains(&field), "{field}: {invalid:?}");
        }
        let mut invalid = Vec::new();
        let mut steps = default_steps();
        steps[2].offset_days = 1;
        check_order(&steps, &mut invalid);
        assert_eq!(invalid.len(), 1);
        assert_eq!(invalid[0].field, "/steps/3/offset_days");
    }
}
