//! Outreach on both backends: mailboxes (a refused login named, sealed passwords bound to
//! their row, three refusals pause the mailbox and say so), campaigns launched into planned
//! emails in the recipient's window, the sender against a real SMTP server (threads, the
//! RFC 8058 headers, a visible opt-out, one-click unsubscribe without a cookie), caps and
//! gaps under a fake clock, and an email whose fate is unknown never sent twice.

use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};
use pursuit_app::outreach::{Report, Sender, Smtp, Transport};
use pursuit_app::secrets::SecretBox;
use pursuit_mail::SmtpSettings;
use pursuit_mail::outreach::{AddressPolicy, SendFailure};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{
    TestApp, TestDatabase, json_body, received_by_smtp_with, spawn_app, spawn_app_with, test_smtp,
};
use crate::matching::send;

/// The test SMTP servers are on this machine.
const LOCAL: Smtp = Smtp {
    hosts: AddressPolicy {
        allow_private: true,
    },
};

fn secrets(app: &TestApp) -> SecretBox {
    SecretBox::load_or_create(&app.data_dir().join("secrets.key")).unwrap()
}

fn sender<'a, T: Transport>(
    app: &'a TestApp,
    secrets: &'a SecretBox,
    transport: &'a T,
) -> Sender<'a, T> {
    Sender {
        db: &app.db,
        secrets,
        transport,
        base_url: &app.address,
        notification_ttl: SignedDuration::from_hours(24 * 30),
    }
}

pub(crate) async fn ok(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn problem(response: reqwest::Response, status: StatusCode) -> String {
    assert_eq!(response.status(), status);
    json_body(response, "application/problem+json")
        .await
        .to_string()
}

/// A unique address (the test SMTP server's maildir is shared by every test).
fn address(name: &str) -> String {
    format!("{name}.{}@example.com", uuid::Uuid::new_v4().simple())
}

/// A contact with an address in `zone`, and an application to write about.
async fn person(
    app: &TestApp,
    token: &str,
    name: &str,
    email: &str,
    zone: &str,
) -> (String, String) {
    let contact = ok(send(app, token, "POST", "/api/v1/contacts", Some(json!({
        "full_name": name, "email": email, "time_zone": zone, "role_title": "Engineering Manager"
    }))).await).await;
    let application = ok(send(
        app,
        token,
        "POST",
        "/api/v1/applications",
        Some(json!({
            "company": format!("{name} Co"), "role_title": "Data Analyst"
        })),
    )
    .await)
    .await;
    (
        contact["id"].as_str().unwrap().to_owned(),
        application["id"].as_str().unwrap().to_owned(),
    )
}

/// A sequence of `offsets.len()` short emails, none using the pitch.
pub(crate) async fn sequence(app: &TestApp, token: &str, offsets: &[i64]) -> String {
    let steps: Vec<Value> = offsets.iter().enumerate().map(|(i, days)| json!({
        "label": format!("Note {}", i + 1),
        "offset_days": days,
        "subject": if i == 0 { "{role} at {company}".to_owned() } else { "Re: {role} at {company}".to_owned() },
        "body": format!("Hi {{first_name}},\n\nNote {} about the {{role}} role at {{company}}: I would be glad to talk for fifteen minutes whenever suits you.\n\nBest regards,\n{{my_name}}", i + 1),
    })).collect();
    let made = ok(send(
        app,
        token,
        "POST",
        "/api/v1/sequence-templates",
        Some(json!({"name": "Short notes", "steps": steps})),
    )
    .await)
    .await;
    made["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn emails(app: &TestApp, token: &str, campaign: &str) -> Vec<Value> {
    ok(send(
        app,
        token,
        "GET",
        &format!("/api/v1/campaigns/{campaign}/outreach"),
        None,
    )
    .await)
    .await["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// A zone where it is night now, so a launch now plans its first emails at the next
/// window opening (08:00) and a test has the whole working day ahead of it.
fn night_zone() -> &'static str {
    let now = Timestamp::now();
    [
        "UTC",
        "Asia/Tokyo",
        "America/New_York",
        "America/Los_Angeles",
        "Asia/Kolkata",
    ]
    .into_iter()
    .find(|zone| {
        let hour = now.to_zoned(jiff::tz::TimeZone::get(zone).unwrap()).hour();
        !(6..18).contains(&hour)
    })
    .unwrap_or("UTC")
}

pub(crate) fn at(value: &Value) -> Timestamp {
    value.as_str().unwrap().parse().unwrap()
}

both_backends! {
    async fn a_launched_campaign_reaches_a_real_smtp_server_threaded_with_a_one_click_opt_out(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "outreach").await.1;
        let (port, maildir) = test_smtp();
        let grace = address("grace");
        let (contact, application) = person(&app, &token, "Grace Hopper", &grace, "Asia/Tokyo").await;
        let template = sequence(&app, &token, &[0, 3, 7]).await;

        // A campaign without a mailbox: the launch names what is missing.
        let campaign = ok(send(&app, &token, "POST", "/api/v1/campaigns", Some(json!({"template_id": template, "mailbox_id": null}))).await).await;
        assert!(campaign["name"].as_str().unwrap().ends_with("short professional pitch"), "{campaign:#}");
        let id = campaign["id"].as_str().unwrap().to_owned();
        let empty = problem(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/launch"), None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(empty.contains("/targets"), "{empty}");
        ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/targets"), Some(json!({"application_id": application, "contact_id": contact}))).await).await;
        let no_mailbox = problem(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/launch"), None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(no_mailbox.contains("/mailbox_id"), "{no_mailbox}");

        // The mailbox's login is tried before it is kept (this server takes any).
        let mailbox = ok(send(&app, &token, "POST", "/api/v1/mailboxes", Some(json!({
            "from_name": "Ana Lima", "from_address": "ana@example.com", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none"
        }))).await).await;
        ok(send(&app, &token, "PATCH", &format!("/api/v1/campaigns/{id}"), Some(json!({"mailbox_id": mailbox["id"]}))).await).await;

        let preview = ok(send(&app, &token, "GET", &format!("/api/v1/campaigns/{id}/preview"), None).await).await;
        assert_eq!(preview["ready"], true, "{preview:#}");
        assert_eq!(preview["emails"].as_array().unwrap().len(), 3);
        assert!(preview["emails"][0]["local_time"].as_str().unwrap().contains("JST"), "{preview:#}");
        assert!(preview["emails"][0]["body"].as_str().unwrap().starts_with("Hi Grace,"), "{preview:#}");

        let launched = ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/launch"), None).await).await;
        assert_eq!((launched["instances"].as_i64(), launched["emails"].as_i64()), (Some(1), Some(3)));
        problem(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/launch"), None).await, StatusCode::CONFLICT).await;
        let summary = ok(send(&app, &token, "GET", &format!("/api/v1/campaigns/{id}/summary"), None).await).await;
        assert_eq!((summary["roles_applied"].as_i64(), summary["scheduled_emails"].as_i64(), summary["template_name"].as_str()), (Some(1), Some(3), Some("Short notes")));
        let planned = emails(&app, &token, &id).await;
        let tokyo = jiff::tz::TimeZone::get("Asia/Tokyo").unwrap();
        for e in &planned {
            let local = at(&e["planned_at"]).to_zoned(tokyo.clone());
            assert!((8..17).contains(&local.hour()) && local.weekday().to_monday_one_offset() <= 5, "outside Grace's working hours: {local}");
        }

        let secrets = secrets(&app);
        let sender = sender(&app, &secrets, &LOCAL);
        let first = at(&planned[0]["planned_at"]);
        assert_eq!(sender.dispatch(first - SignedDuration::from_mins(1), &mut |_| 0).await.unwrap().sent, 0, "not due yet");
        assert_eq!(sender.dispatch(first, &mut |_| 0).await.unwrap().sent, 1);
        let message_id = planned[0]["message_id"].as_str().unwrap();
        let received = received_by_smtp_with(&maildir, &grace, message_id, std::time::Duration::from_secs(5)).await;
        let unfolded = received.replace("\r\n ", " ").replace("\n ", " ");
        assert!(unfolded.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{received}");
        assert!(unfolded.contains("List-Unsubscribe: <http://127.0.0.1:") && unfolded.contains("<mailto:ana@example.com?subject=unsubscribe>"), "{received}");
        assert!(received.contains("would rather not hear from me again"), "a visible opt-out: {received}");
        assert!(received.contains("Ana Lima"), "the sender's identity: {received}");
        let sent = emails(&app, &token, &id).await;
        assert_eq!(sent[0]["status"], "sent");
        assert!(sent[0]["provider_message_id"].as_str().is_some_and(|a| a.starts_with("250")), "{:#}", sent[0]);

        // The follow-up answers the first email in its thread.
        let second = at(&planned[1]["planned_at"]);
        assert_eq!(sender.dispatch(second, &mut |_| 0).await.unwrap().sent, 1);
        let follow_up = received_by_smtp_with(&maildir, &grace, planned[1]["message_id"].as_str().unwrap(), std::time::Duration::from_secs(5)).await;
        assert!(follow_up.contains(&format!("In-Reply-To: {message_id}")), "{follow_up}");
        assert!(follow_up.contains(&format!("References: {message_id}")), "{follow_up}");

        // One click, no cookie: a GET changes nothing, a POST opts out, again is the same.
        let link = unfolded.split("List-Unsubscribe: <").nth(1).unwrap().split('>').next().unwrap().to_owned();
        let stranger = reqwest::Client::new();
        let page = stranger.get(&link).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.unwrap().contains("Unsubscribe"));
        assert_eq!(emails(&app, &token, &id).await[2]["status"], "planned", "a GET (a link scanner) changes nothing");
        for _ in 0..2 {
            let done = stranger.post(&link).header("content-type", "application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click").send().await.unwrap();
            assert_eq!(done.status(), StatusCode::OK);
            assert!(done.text().await.unwrap().contains(&grace), "the page names the address");
        }
        let tampered = stranger.post(format!("{}0", link)).send().await.unwrap();
        assert_eq!(tampered.status(), StatusCode::NOT_FOUND);
        let after = emails(&app, &token, &id).await;
        assert_eq!(after[2]["status"], "suppressed", "{:#}", after[2]);
        let list = ok(send(&app, &token, "GET", "/api/v1/suppressions", None).await).await;
        assert_eq!(list["items"][0]["email"], grace.to_lowercase());
        let finished = ok(send(&app, &token, "GET", &format!("/api/v1/campaigns/{id}"), None).await).await;
        assert_eq!(finished["status"], "finished", "nothing is left to send: {finished:#}");
        assert_eq!(finished["targets"][0]["status"], "stopped");
        let third = at(&planned[2]["planned_at"]);
        assert_eq!(sender.dispatch(third, &mut |_| 0).await.unwrap(), Report::default(), "nothing goes to an opted-out address");
    }
}

both_backends! {
    async fn a_refused_login_is_named_and_three_in_a_row_pause_the_mailbox(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "outreach").await.1;
        let port: u16 = std::env::var("TEST_SMTP_AUTH_PORT").expect("scripts/test starts an SMTP server with a login").parse().unwrap();
        let maildir = std::path::PathBuf::from(std::env::var("TEST_SMTP_AUTH_MAILDIR").unwrap());
        let fields = |password: &str| json!({
            "from_name": "Ana Lima", "from_address": "ana@example.com", "smtp_host": "127.0.0.1", "smtp_port": port,
            "smtp_security": "none", "smtp_username": "pursuit", "smtp_password": password
        });

        let refused = problem(send(&app, &token, "POST", "/api/v1/mailboxes", Some(fields("wrong-horse"))).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(refused.contains("/smtp_password") && refused.contains("535"), "{refused}");
        let nowhere = problem(send(&app, &token, "POST", "/api/v1/mailboxes", Some(json!({
            "from_name": "Ana", "from_address": "ana@example.com", "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none"
        }))).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(nowhere.contains("/smtp_host"), "{nowhere}");
        let bad = problem(send(&app, &token, "POST", "/api/v1/mailboxes", Some(json!({
            "from_name": "Ana\r\nBcc: x@example.net", "from_address": "not an address", "smtp_host": "smtp example", "daily_cap": 0, "min_gap_seconds": 1
        }))).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        for field in ["/from_name", "/from_address", "/smtp_host", "/daily_cap", "/min_gap_seconds"] {
            assert!(bad.contains(field), "{field}: {bad}");
        }
        assert!(ok(send(&app, &token, "GET", "/api/v1/mailboxes", None).await).await["items"].as_array().unwrap().is_empty(), "nothing refused was kept");

        let mailbox = ok(send(&app, &token, "POST", "/api/v1/mailboxes", Some(fields("right-horse"))).await).await;
        assert_eq!(mailbox["has_password"], true);
        assert!(!mailbox.to_string().contains("right-horse"), "{mailbox:#}");
        let mailbox_id = pursuit_domain::ids::MailboxId(mailbox["id"].as_str().unwrap().parse().unwrap());
        let owner = pursuit_store::accounts::find_user_by_email(&app.db, &pursuit_domain::account::EmailAddress::parse("ana@example.com").unwrap()).await.unwrap().unwrap().id;
        let stored = pursuit_store::outreach::get_mailbox(&app.db, owner, mailbox_id).await.unwrap().unwrap();
        let sealed = stored.settings.smtp_password.clone().unwrap();
        assert!(!sealed.contains("right-horse"));
        let secrets = secrets(&app);
        assert!(pursuit_app::mailboxes::smtp_settings(&secrets, &stored, std::time::Duration::from_secs(5)).is_ok());
        // The sealed password copied onto another mailbox's row does not open there.
        let mut copied = stored.clone();
        copied.id = pursuit_domain::ids::MailboxId::new();
        assert!(pursuit_app::mailboxes::smtp_settings(&secrets, &copied, std::time::Duration::from_secs(5)).is_err());

        // The password changes (not tried): every send is refused.
        ok(send(&app, &token, "PATCH", &format!("/api/v1/mailboxes/{}?verify=false", mailbox_id.0), Some(json!({"smtp_password": "wrong-horse"}))).await).await;
        let grace = address("grace");
        let (contact, application) = person(&app, &token, "Grace Hopper", &grace, night_zone()).await;
        let template = sequence(&app, &token, &[0]).await;
        let campaign = ok(send(&app, &token, "POST", "/api/v1/campaigns", Some(json!({"name": "Berlin", "template_id": template}))).await).await;
        assert_eq!(campaign["mailbox_id"], mailbox["id"], "the only mailbox is the default");
        let id = campaign["id"].as_str().unwrap().to_owned();
        ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/targets"), Some(json!({"application_id": application, "contact_id": contact}))).await).await;
        ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/launch"), None).await).await;
        let first = at(&emails(&app, &token, &id).await[0]["planned_at"]);
        let sender = sender(&app, &secrets, &LOCAL);
        for attempt in 0..3_i64 {
            let now = first + SignedDuration::from_mins(11 * attempt);
            let report = sender.dispatch(now, &mut |_| 0).await.unwrap();
            assert_eq!(report.not_sent, 1, "attempt {attempt}: {report:?}");
            assert_eq!(report.paused.len(), usize::from(attempt == 2), "attempt {attempt}: {report:?}");
        }
        let paused = ok(send(&app, &token, "GET", &format!("/api/v1/mailboxes/{}", mailbox_id.0), None).await).await;
        assert_eq!((paused["status"].as_str(), paused["auth_failures"].as_i64()), (Some("paused"), Some(3)), "{paused:#}");
        assert!(paused["paused_reason"].as_str().unwrap().contains("refused the login 3 times"), "{paused:#}");
        let notes = ok(send(&app, &token, "GET", "/api/v1/notifications", None).await).await;
        assert!(notes.to_string().contains("paused"), "the user is told: {notes:#}");
        let waiting = emails(&app, &token, &id).await;
        assert_eq!((waiting[0]["status"].as_str(), waiting[0]["attempts"].as_i64()), (Some("planned"), Some(3)), "nothing was sent, nothing lost: {:#}", waiting[0]);
        assert_eq!(sender.dispatch(first + SignedDuration::from_mins(40), &mut |_| 0).await.unwrap().sent, 0, "a paused mailbox sends nothing");
        let unfinished = ok(send(&app, &token, "GET", &format!("/api/v1/campaigns/{id}"), None).await).await;
        assert_eq!(unfinished["status"], "running", "not finished while an email waits");

        // Fixed and resumed, the email goes.
        ok(send(&app, &token, "PATCH", &format!("/api/v1/mailboxes/{}", mailbox_id.0), Some(json!({"smtp_password": "right-horse"}))).await).await;
        ok(send(&app, &token, "POST", &format!("/api/v1/mailboxes/{}/resume", mailbox_id.0), None).await).await;
        assert_eq!(sender.dispatch(first + SignedDuration::from_mins(45), &mut |_| 0).await.unwrap().sent, 1);
        received_by_smtp_with(&maildir, &grace, "", std::time::Duration::from_secs(5)).await;
    }
}

/// A transport that answers from a script (accepted unless told otherwise) and records
/// every Message-ID and subject it was handed.
#[derive(Default)]
struct Scripted {
    answers: Mutex<Vec<Result<String, SendFailure>>>,
    handed: Mutex<Vec<(String, String)>>,
}

impl Transport for Scripted {
    async fn send(
        &self,
        _smtp: &SmtpSettings,
        message: &pursuit_mail::outreach::Message,
    ) -> Result<String, SendFailure> {
        let text = String::from_utf8_lossy(&message.formatted()).to_string();
        let header = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        self.handed
            .lock()
            .unwrap()
            .push((header("Message-ID:"), header("Subject:")));
        let mut answers = self.answers.lock().unwrap();
        if answers.is_empty() {
            Ok("250 2.0.0 queued".to_owned())
        } else {
            answers.remove(0)
        }
    }
}

both_backends! {
    async fn caps_gaps_and_follow_ups_first_under_a_fake_clock(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "outreach").await.1;
        ok(send(&app, &token, "POST", "/api/v1/mailboxes?verify=false", Some(json!({
            "from_name": "Ana Lima", "from_address": "ana@example.com", "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none",
            "daily_cap": 2, "ramp_start": 2, "ramp_step": 0, "min_gap_seconds": 600, "jitter_seconds": 300
        }))).await).await;
        let template = sequence(&app, &token, &[0, 1]).await;
        let campaign = ok(send(&app, &token, "POST", "/api/v1/campaigns", Some(json!({"name": "Three people", "template_id": template}))).await).await;
        let id = campaign["id"].as_str().unwrap().to_owned();
        // The mailbox's day is its owner's: here the same as the recipients'.
        let zone = jiff::tz::TimeZone::get(night_zone()).unwrap();
        ok(send(&app, &token, "PATCH", "/api/v1/settings", Some(json!({"time_zone": zone.iana_name().unwrap()}))).await).await;
        for name in ["Ada", "Bea", "Cy"] {
            let (contact, application) = person(&app, &token, name, &address(&name.to_lowercase()), zone.iana_name().unwrap()).await;
            ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/targets"), Some(json!({"application_id": application, "contact_id": contact}))).await).await;
        }
        ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/launch"), None).await).await;
        let planned = emails(&app, &token, &id).await;
        let start = planned.iter().map(|e| at(&e["planned_at"])).min().unwrap();

        let secrets = secrets(&app);
        let transport = Scripted::default();
        let sender = sender(&app, &secrets, &transport);
        let mut jitter = 0;
        let mut pick = move |most: i64| { jitter = (jitter + 137) % (most + 1); jitter };
        // Every two minutes for eight days.
        let mut now = start;
        while now < start + SignedDuration::from_hours(24 * 8) {
            sender.dispatch(now, &mut pick).await.unwrap();
            now += SignedDuration::from_mins(2);
        }
        let done = emails(&app, &token, &id).await;
        assert!(done.iter().all(|e| e["status"] == "sent"), "{done:#?}");
        let mut sends: Vec<(Timestamp, i64)> = done.iter().map(|e| (at(&e["sent_at"]), e["step_position"].as_i64().unwrap())).collect();
        sends.sort();
        let mut per_day = std::collections::BTreeMap::new();
        for (when, _) in &sends {
            *per_day.entry(when.to_zoned(zone.clone()).date()).or_insert(0) += 1;
            let local = when.to_zoned(zone.clone());
            assert!((8..17).contains(&local.hour()) && local.weekday().to_monday_one_offset() <= 5, "outside the window: {local}");
        }
        assert!(per_day.values().all(|n| *n <= 2), "the cap holds: {per_day:?}");
        for pair in sends.windows(2) {
            let gap = pair[1].0.duration_since(pair[0].0);
            if pair[0].0.to_zoned(zone.clone()).date() == pair[1].0.to_zoned(zone.clone()).date() {
                assert!(gap >= SignedDuration::from_secs(600) && gap <= SignedDuration::from_secs(600 + 300 + 120), "gap {gap:?} in {sends:?}");
            }
        }
        // Day two opens with a follow-up, though the third person's first email has waited
        // since day one; every follow-up keeps its day after the email it follows.
        assert_eq!(sends[2].1, 2, "{sends:?}");
        for e in done.iter().filter(|e| e["step_position"] == 2) {
            let first = done.iter().find(|f| f["target_id"] == e["target_id"] && f["step_position"] == 1).unwrap();
            let spacing = at(&e["sent_at"]).duration_since(at(&first["sent_at"]));
            assert!(spacing >= SignedDuration::from_hours(24), "{spacing:?} in {sends:?}");
        }
        assert_eq!(transport.handed.lock().unwrap().len(), 6, "each email handed over once");
        let finished = ok(send(&app, &token, "GET", &format!("/api/v1/campaigns/{id}"), None).await).await;
        assert_eq!(finished["status"], "finished");
    }
}

both_backends! {
    async fn an_email_whose_fate_is_unknown_is_never_sent_twice_on_its_own(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "outreach").await.1;
        ok(send(&app, &token, "POST", "/api/v1/mailboxes?verify=false", Some(json!({
            "from_name": "Ana Lima", "from_address": "ana@example.com", "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none",
            "min_gap_seconds": 60, "jitter_seconds": 0
        }))).await).await;
        let template = sequence(&app, &token, &[0, 2]).await;
        let campaign = ok(send(&app, &token, "POST", "/api/v1/campaigns", Some(json!({"name": "Doubt", "template_id": template}))).await).await;
        let id = campaign["id"].as_str().unwrap().to_owned();
        for name in ["Ada", "Bea"] {
            let (contact, application) = person(&app, &token, name, &address(&name.to_lowercase()), night_zone()).await;
            ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/targets"), Some(json!({"application_id": application, "contact_id": contact}))).await).await;
        }
        ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/launch"), None).await).await;
        let planned = emails(&app, &token, &id).await;
        let start = planned.iter().map(|e| at(&e["planned_at"])).min().unwrap();
        let secrets = secrets(&app);
        let transport = Scripted::default();
        transport.answers.lock().unwrap().push(Err(SendFailure::Unknown { reason: "the connection broke after the message".to_owned() }));
        let sender = sender(&app, &secrets, &transport);

        let report = sender.dispatch(start, &mut |_| 0).await.unwrap();
        assert_eq!(report.unknown, 1, "{report:?}");
        let doubtful = emails(&app, &token, &id).await.into_iter().find(|e| e["status"] == "unknown").unwrap();
        // A crash between "sending" and the record: the row the sender left becomes unknown.
        let other = planned.iter().find(|e| e["step_position"] == 1 && e["id"] != doubtful["id"]).unwrap();
        let other_id = pursuit_domain::ids::OutreachId(other["id"].as_str().unwrap().parse().unwrap());
        assert!(pursuit_store::outreach::mark_sending(&app.db, other_id, start).await.unwrap());
        let later = start + SignedDuration::from_mins(20);
        let report = sender.dispatch(later, &mut |_| 0).await.unwrap();
        assert_eq!((report.rescued, report.sent), (1, 0), "{report:?}");
        for _ in 0..5 {
            sender.dispatch(later + SignedDuration::from_mins(5), &mut |_| 0).await.unwrap();
        }
        assert_eq!(transport.handed.lock().unwrap().len(), 1, "nothing in doubt is resent, and its follow-up waits");
        let state = emails(&app, &token, &id).await;
        assert_eq!(state.iter().filter(|e| e["status"] == "unknown").count(), 2, "{state:#?}");
        let running = ok(send(&app, &token, "GET", &format!("/api/v1/campaigns/{id}"), None).await).await;
        assert_eq!(running["status"], "running", "not finished while emails are in doubt");

        // Settled: one went (the follow-up may go), the other is sent again with its own Message-ID.
        ok(send(&app, &token, "POST", &format!("/api/v1/outreach/{}/settle", doubtful["id"].as_str().unwrap()), Some(json!({"action": "sent"}))).await).await;
        ok(send(&app, &token, "POST", &format!("/api/v1/outreach/{}/settle", other["id"].as_str().unwrap()), Some(json!({"action": "resend"}))).await).await;
        problem(send(&app, &token, "POST", &format!("/api/v1/outreach/{}/settle", other["id"].as_str().unwrap()), Some(json!({"action": "sent"}))).await, StatusCode::CONFLICT).await;
        sender.dispatch(later + SignedDuration::from_mins(30), &mut |_| 0).await.unwrap();
        let handed = transport.handed.lock().unwrap().clone();
        assert_eq!(handed.len(), 2, "{handed:?}");
        assert_eq!(handed[1].0, other["message_id"].as_str().unwrap(), "the same Message-ID: a server that has it drops the copy");
    }
}

both_backends! {
    async fn the_outreach_pages_add_a_mailbox_start_a_campaign_and_launch_it(backend: Backend) {
        use crate::pages::{form, location, page};
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "outreach").await.1;
        let cookie = Some(ana.cookie.as_str());
        let csrf = ana.csrf.as_str();
        let (port, _) = test_smtp();

        let empty = page(&app, "/campaigns", cookie).await.text().await.unwrap();
        assert!(empty.contains("No campaigns yet") && empty.contains("add the mailbox"), "{empty}");

        // A refused mailbox: the page again, with why and what was typed (not the password).
        let mut fields = vec![("csrf", csrf), ("from_name", "Ana Lima"), ("from_address", "ana@example.com"), ("smtp_host", "127.0.0.1"), ("smtp_port", "9"), ("smtp_security", "none"), ("smtp_password", "secret-typed")];
        let refused = form(&app, "/mailboxes", cookie, &fields).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = refused.text().await.unwrap();
        assert!(text.contains("cannot connect") && text.contains("value=\"ana@example.com\""), "{text}");
        assert!(!text.contains("secret-typed"), "a password is never shown back");
        let port_text = port.to_string();
        fields[4] = ("smtp_port", &port_text);
        let added = form(&app, "/mailboxes", cookie, &fields).await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER);
        let mailboxes = page(&app, location(&added), cookie).await.text().await.unwrap();
        assert!(mailboxes.contains("its login worked") && mailboxes.contains("ana@example.com"), "{mailboxes}");

        let (contact, application) = person(&app, &token, "Grace Hopper", &address("grace"), "Asia/Tokyo").await;
        let template = sequence(&app, &token, &[0, 4]).await;
        let started = form(&app, "/campaigns", cookie, &[("csrf", csrf), ("name", ""), ("template_id", &template), ("pitch_tone", "casual"), ("pitch_length", "long")]).await;
        assert_eq!(started.status(), StatusCode::SEE_OTHER);
        let path = location(&started).to_owned();
        let draft = page(&app, &path, cookie).await.text().await.unwrap();
        assert!(draft.contains("long casual pitch") && draft.contains("add at least one person"), "{draft}");
        let added = form(&app, &format!("{path}/targets"), cookie, &[("csrf", csrf), ("application_id", &application), ("contact_id", &contact)]).await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER);
        let ready = page(&app, &path, cookie).await.text().await.unwrap();
        assert!(ready.contains("Launch: 2 emails") && ready.contains("JST") && !ready.contains("disabled"), "{ready}");
        let launched = form(&app, &format!("{path}/launch"), cookie, &[("csrf", csrf)]).await;
        assert_eq!(launched.status(), StatusCode::SEE_OTHER);
        let running = page(&app, location(&launched), cookie).await.text().await.unwrap();
        assert!(running.contains("Launched") && running.matches(">planned").count() == 2, "{running}");
        let again = form(&app, &format!("{path}/launch"), cookie, &[("csrf", csrf)]).await;
        assert_eq!(again.status(), StatusCode::CONFLICT);

        // The recipient's page needs no session; a link that is not Pursuit's is refused.
        let button = page(&app, "/u/not-a-token", None).await;
        assert_eq!(button.status(), StatusCode::OK);
        assert!(button.text().await.unwrap().contains("<button type=\"submit\">Unsubscribe</button>"));
        let refused = app.client.post(app.url("/u/not-a-token")).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);
        assert!(refused.text().await.unwrap().contains("not valid"));
    }
}

/// The text of a received email with quoted-printable soft breaks undone.
fn unfold_body(received: &str) -> String {
    received
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

both_backends! {
    async fn clicks_are_counted_only_when_the_user_turns_tracking_on_through_a_signed_redirect(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "clicks").await.1;
        let (port, maildir) = test_smtp();
        let grace = address("grace");
        let (contact, application) = person(&app, &token, "Grace Hopper", &grace, night_zone()).await;
        let portfolio = "https://ana.example/work?tab=data&x=1";
        let steps: Vec<Value> = (0..2).map(|i| json!({
            "label": format!("Note {}", i + 1), "offset_days": i * 3,
            "subject": "{role} at {company}",
            "body": format!("Hi {{first_name}},\n\nMy recent analyses are at {portfolio}. Note {}.\n\nBest regards,\n{{my_name}}", i + 1),
        })).collect();
        let template = ok(send(&app, &token, "POST", "/api/v1/sequence-templates", Some(json!({"name": "Linked", "steps": steps}))).await).await;
        let mailbox = ok(send(&app, &token, "POST", "/api/v1/mailboxes", Some(json!({
            "from_name": "Ana Lima", "from_address": "ana@example.com", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none"
        }))).await).await;
        let campaign = ok(send(&app, &token, "POST", "/api/v1/campaigns", Some(json!({"template_id": template["id"], "mailbox_id": mailbox["id"]}))).await).await;
        assert_eq!(campaign["track_clicks"], false, "off unless the user turns it on");
        let id = campaign["id"].as_str().unwrap().to_owned();
        ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/targets"), Some(json!({"application_id": application, "contact_id": contact}))).await).await;
        ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/launch"), None).await).await;
        let turned = ok(send(&app, &token, "PATCH", &format!("/api/v1/campaigns/{id}"), Some(json!({"track_clicks": true}))).await).await;
        assert_eq!(turned["track_clicks"], true, "a running campaign may turn it on");

        let secrets = secrets(&app);
        let sender = sender(&app, &secrets, &LOCAL);
        let planned = emails(&app, &token, &id).await;
        assert_eq!(sender.dispatch(at(&planned[0]["planned_at"]), &mut |_| 0).await.unwrap().sent, 1);
        let received = unfold_body(&received_by_smtp_with(&maildir, &grace, planned[0]["message_id"].as_str().unwrap(), std::time::Duration::from_secs(5)).await);
        assert!(!received.contains(portfolio), "the link goes through the redirect: {received}");
        let prefix = format!("{}/c/", app.address);
        let link = received.split(&prefix).nth(1).map(|rest| {
            let token: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect();
            format!("{prefix}{}", token.trim_end_matches('.'))
        }).unwrap_or_else(|| panic!("no tracked link in {received}"));
        assert!(received.contains(&format!("{link}. Note 1.")), "the sentence's full stop stays outside the link: {received}");

        let stranger = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let clicked = |n: i64| {
            let (app, token, id) = (&app, &token, &id);
            async move {
                let summary = ok(send(app, token, "GET", &format!("/api/v1/campaigns/{id}/summary"), None).await).await;
                assert_eq!(summary["clicked_emails"].as_i64(), Some(n), "{summary:#}");
            }
        };
        let head = stranger.head(&link).send().await.unwrap();
        assert_eq!(head.status(), StatusCode::FOUND);
        clicked(0).await;
        for _ in 0..3 {
            let hop = stranger.get(&link).send().await.unwrap();
            assert_eq!(hop.status(), StatusCode::FOUND);
            assert_eq!(hop.headers()["location"], portfolio);
            assert_eq!(hop.headers()["cache-control"], "no-store");
            assert!(hop.headers().get("set-cookie").is_none(), "a recipient gets no cookie");
        }
        clicked(1).await;
        let first = emails(&app, &token, &id).await;
        assert!(first[0]["clicked_at"].is_string() && first[1]["clicked_at"].is_null(), "{first:?}");

        // A link pointed elsewhere or cut short leads nowhere.
        let (data, _) = link.rsplit_once('.').unwrap();
        let elsewhere = format!("{}.{}", data.rsplit_once('.').unwrap().0, "aHR0cHM6Ly9ldmlsLmV4YW1wbGU");
        for bad in [format!("{link}0"), format!("{elsewhere}.{}", link.rsplit_once('.').unwrap().1), link[..link.len() - 4].to_owned()] {
            let refused = stranger.get(&bad).send().await.unwrap();
            assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{bad}");
            assert!(refused.headers().get("location").is_none());
        }

        // Turned off, the next email carries the link itself.
        ok(send(&app, &token, "PATCH", &format!("/api/v1/campaigns/{id}"), Some(json!({"track_clicks": false}))).await).await;
        assert_eq!(sender.dispatch(at(&planned[1]["planned_at"]), &mut |_| 0).await.unwrap().sent, 1);
        let plain = unfold_body(&received_by_smtp_with(&maildir, &grace, planned[1]["message_id"].as_str().unwrap(), std::time::Duration::from_secs(5)).await);
        assert!(plain.contains(portfolio) && !plain.contains(&prefix), "{plain}");

        // The user deletes the campaign: the recipient's link still leads on.
        ok(send(&app, &token, "DELETE", &format!("/api/v1/campaigns/{id}"), None).await).await;
        let after = stranger.get(&link).send().await.unwrap();
        assert_eq!((after.status(), after.headers()["location"].to_str().unwrap()), (StatusCode::FOUND, portfolio));
    }
}

both_backends! {
    async fn a_mailbox_server_on_this_machine_or_its_network_is_refused_unless_the_operator_allows_it(backend: Backend) {
        let app = spawn_app_with(TestDatabase::new(backend).await, |c| c.mail.user_mailboxes_private = false).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "hosts").await.1;
        let (port, _) = test_smtp();
        let fields = |host: &str| json!({
            "from_name": "Ana Lima", "from_address": "ana@example.com", "smtp_host": host, "smtp_port": port, "smtp_security": "none"
        });
        for host in ["127.0.0.1", "localhost", "10.0.0.7", "169.254.169.254"] {
            let refused = problem(send(&app, &token, "POST", "/api/v1/mailboxes", Some(fields(host))).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert!(refused.contains("/smtp_host") && refused.contains("does not connect to for a mailbox"), "{host}: {refused}");
        }
        assert!(ok(send(&app, &token, "GET", "/api/v1/mailboxes", None).await).await["items"].as_array().unwrap().is_empty(), "nothing refused was kept");

        // Kept without a check, it is refused at send time: the mailbox pauses, nothing is lost.
        let mailbox = ok(send(&app, &token, "POST", "/api/v1/mailboxes?verify=false", Some(fields("localhost"))).await).await;
        let grace = address("grace");
        let (contact, application) = person(&app, &token, "Grace Hopper", &grace, night_zone()).await;
        let template = sequence(&app, &token, &[0]).await;
        let campaign = ok(send(&app, &token, "POST", "/api/v1/campaigns", Some(json!({"template_id": template}))).await).await;
        let id = campaign["id"].as_str().unwrap().to_owned();
        ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/targets"), Some(json!({"application_id": application, "contact_id": contact}))).await).await;
        ok(send(&app, &token, "POST", &format!("/api/v1/campaigns/{id}/launch"), None).await).await;
        let first = at(&emails(&app, &token, &id).await[0]["planned_at"]);
        let secrets = secrets(&app);
        let public = Smtp { hosts: AddressPolicy::default() };
        let report = sender(&app, &secrets, &public).dispatch(first, &mut |_| 0).await.unwrap();
        assert_eq!((report.sent, report.not_sent, report.paused.len()), (0, 1, 1), "{report:?}");
        let paused = ok(send(&app, &token, "GET", &format!("/api/v1/mailboxes/{}", mailbox["id"].as_str().unwrap()), None).await).await;
        assert_eq!(paused["status"], "paused", "{paused:#}");
        assert!(paused["paused_reason"].as_str().unwrap().contains("loopback"), "{paused:#}");
        assert_eq!(emails(&app, &token, &id).await[0]["status"], "planned", "the email waits");
    }
}
