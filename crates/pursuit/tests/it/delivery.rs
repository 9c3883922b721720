//! Reminder delivery on both backends: dispatch, the in-app, email and calendar channels
//! (email through a real SMTP server), exactly-once per channel, quiet hours, skipped and
//! failed reminders with their reasons, notifications, calendar invites and the feed.
//!
//! Reminders here are due weeks ahead, and a worker with a manual clock delivers them. The
//! application runs without its own worker (it would race the test's worker for jobs due
//! now, such as invite updates), and users are made in the database rather than through the
//! sign-in mail that worker would send, so every step is deterministic.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use mail_parser::MimeHeaders;
use pursuit_app::reminders::dispatch;
use pursuit_store::query;
use pursuit_worker::{JobSettings, ManualClock, Registry, Worker, WorkerConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDatabase, json_body, spawn_app_with};

struct User<'a> {
    app: &'a TestApp,
    token: String,
    email: String,
}

impl User<'_> {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self
            .app
            .client
            .request(method, self.app.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    async fn json(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let response = self.send(method, path, body).await;
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    async fn application(&self, company: &str, status: &str) -> String {
        let created = self
            .json(reqwest::Method::POST, "/api/v1/applications",
                Some(json!({ "company": company, "role_title": "Backend Engineer", "status": status })))
            .await;
        created["id"].as_str().unwrap().to_owned()
    }

    async fn reminder(&self, application: &str, due: Timestamp, channels: &[&str]) -> Value {
        self.json(
            reqwest::Method::POST,
            "/api/v1/reminders",
            Some(json!({
                "application_id": application,
                "title": "Call back the recruiter",
                "due_at": due.to_string(),
                "channels": channels,
            })),
        )
        .await
    }

    async fn reminder_state(&self, id: &str) -> Value {
        self.json(
            reqwest::Method::GET,
            &format!("/api/v1/reminders/{id}"),
            None,
        )
        .await
    }

    async fn settings(&self, body: Value) {
        let response = self
            .send(reqwest::Method::PATCH, "/api/v1/settings", Some(body))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}

async fn user<'a>(app: &'a TestApp, name: &str) -> User<'a> {
    use pursuit_domain::account::{EmailAddress, TimeZoneName};
    use pursuit_store::accounts;
    let email = format!("{name}-{}@example.org", uuid::Uuid::new_v4().simple());
    let now = Timestamp::now();
    let new = accounts::NewUser {
        email: EmailAddress::parse(&email).unwrap(),
        display_name: None,
        time_zone: TimeZoneName::parse("UTC").unwrap(),
        is_owner: false,
    };
    let created = accounts::insert_user(&app.db, &new, now).await.unwrap();
    accounts::mark_email_verified(&app.db, created.id, now)
        .await
        .unwrap();
    let (_, token) = accounts::create_api_token(&app.db, created.id, "delivery", None, now)
        .await
        .unwrap();
    User { app, token, email }
}

/// The application without its worker: only the test's worker runs jobs here.
async fn spawn(backend: pursuit_store::Backend) -> TestApp {
    spawn_app_with(TestDatabase::new(backend).await, |config| {
        config.worker.queues = [("unused-in-delivery-tests".to_owned(), 1)].into();
    })
    .await
}

/// A worker on a manual clock, delivering through `mailer`.
fn worker(app: &TestApp, mailer: pursuit_mail::Mailer, clock: &ManualClock) -> Worker {
    let config = WorkerConfig {
        settings: JobSettings {
            base_url: app.address.clone(),
            ..JobSettings::default()
        },
        ..WorkerConfig::default()
    };
    Worker::new(app.db.clone(), mailer, Registry::standard(), config)
        .with_clock(Arc::new(clock.clone()))
}

/// What `pursuit worker` does at `at`: the minute's scan, then every job due.
async fn run_at(app: &TestApp, worker: &Worker, clock: &ManualClock, at: Timestamp) {
    clock.set(at);
    dispatch(&app.db, at).await.unwrap();
    worker.drain().await.unwrap();
}

fn outbox(dir: &std::path::Path) -> pursuit_mail::Mailer {
    pursuit_mail::Mailer::outbox("Pursuit <pursuit@test.example>", dir).unwrap()
}

/// Every message in an outbox dir, oldest first.
fn outbox_messages(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

fn parsed(raw: &str) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("a MIME message")
}

/// The decoded `invite.ics` of a message.
fn invite(raw: &str) -> String {
    let message = parsed(raw);
    let attachment = message
        .attachments()
        .find(|a| a.attachment_name() == Some("invite.ics"))
        .expect("an invite.ics attachment");
    String::from_utf8(attachment.contents().to_vec()).unwrap()
}

fn in_weeks(n: i64) -> Timestamp {
    // Whole minutes, like a reminder a person sets.
    let at = Timestamp::now() + SignedDuration::from_hours(24 * 7 * n);
    Timestamp::from_second(at.as_second() - at.as_second() % 60).unwrap()
}

both_backends! {
    async fn a_due_reminder_arrives_once_in_app_and_by_mail_with_its_invite(backend: Backend) {
        let (port, maildir) = crate::helpers::test_smtp();
        // Sign-in mail goes to the dev outbox; the reminder worker mails through SMTP.
        let app = spawn(backend).await;
        let ada = user(&app, "ada").await;
        let application = ada.application("Acme <b>& Sons</b>", "Saved").await;
        let due = in_weeks(3);
        let reminder = ada.reminder(&application, due, &["in_app", "email", "calendar"]).await;
        let id = reminder["id"].as_str().unwrap();
        let mailer = pursuit_mail::Mailer::smtp("Pursuit <pursuit@test.example>", &pursuit_mail::SmtpSettings {
            host: "127.0.0.1".to_owned(), port, security: pursuit_mail::SmtpSecurity::None,
            username: None, password: None, timeout: std::time::Duration::from_secs(10),
        }).unwrap();
        let clock = ManualClock::new(due - SignedDuration::from_mins(10));
        let worker = worker(&app, mailer, &clock);

        run_at(&app, &worker, &clock, due - SignedDuration::from_mins(5)).await;
        let before = ada.reminder_state(id).await;
        run_at(&app, &worker, &clock, due - SignedDuration::from_mins(1)).await;
        run_at(&app, &worker, &clock, due).await;
        let raw = crate::helpers::received_by_smtp(&maildir, &ada.email).await;
        // Scans and runs again: nothing more goes out.
        run_at(&app, &worker, &clock, due + SignedDuration::from_mins(1)).await;
        run_at(&app, &worker, &clock, due + SignedDuration::from_mins(2)).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;

        assert_eq!(before["delivery"], "pending", "not before its time");
        let message = parsed(&raw);
        assert_eq!(message.subject(), Some("Reminder: Call back the recruiter (Acme <b>& Sons</b>)"));
        assert!(raw.contains("multipart/alternative") && raw.contains("multipart/mixed"), "{raw}");
        let text = message.body_text(0).unwrap();
        let html = message.body_html(0).unwrap();
        let link = format!("{}/board?application={application}", app.address);
        assert!(text.contains(&link) && text.contains("Acme <b>& Sons</b>"), "{text}");
        assert!(html.contains(&link) && html.contains("Acme &lt;b&gt;&amp; Sons&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<b>& Sons"), "company names are escaped in HTML");
        let attachment = message.attachments().next().unwrap();
        let content_type = attachment.content_type().unwrap();
        assert_eq!((content_type.ctype(), content_type.subtype()), ("text", Some("calendar")));
        assert_eq!(content_type.attribute("method"), Some("PUBLISH"));
        let ics = invite(&raw);
        assert!(ics.contains("METHOD:PUBLISH\r\n") && ics.contains(&format!("UID:reminder-{id}@pursuit\r\n")), "{ics}");
        assert!(ics.contains(&format!("DTSTART:{}\r\n", due.strftime("%Y%m%dT%H%M%SZ"))), "{ics}");
        assert_eq!(messages_to(&maildir, &ada.email), 1, "one mail, however often the scan runs");

        let after = ada.reminder_state(id).await;
        assert_eq!(after["delivery"], "sent");
        assert_eq!(after["sent"], true);
        assert_eq!(after["sent_at"], due.to_string());
        let channels: Vec<(String, String, i64)> = after["deliveries"].as_array().unwrap().iter()
            .map(|d| (d["channel"].as_str().unwrap().to_owned(), d["state"].as_str().unwrap().to_owned(), d["attempts"].as_i64().unwrap()))
            .collect();
        assert_eq!(channels.len(), 3, "{channels:?}");
        assert!(channels.iter().all(|(_, state, attempts)| state == "sent" && *attempts == 1), "{channels:?}");
        let notifications = ada.json(reqwest::Method::GET, "/api/v1/notifications?unread=true", None).await;
        assert_eq!(notifications["unread_count"], 1);
        assert_eq!(notifications["items"][0]["title"], "Call back the recruiter");
        assert_eq!(notifications["items"][0]["link"], link.as_str());
    }

    async fn quiet_hours_hold_a_reminder_until_they_end_in_the_users_zone(backend: Backend) {
        let app = spawn(backend).await;
        let ada = user(&app, "quiet").await;
        ada.settings(json!({ "time_zone": "Europe/Berlin", "quiet_hours": { "start": "22:00", "end": "07:30" } })).await;
        let application = ada.application("Nightly GmbH", "Saved").await;
        // 23:15 Berlin time, three weeks on (DST or not: the zone decides).
        let day = in_weeks(3).to_zoned(jiff::tz::TimeZone::get("Europe/Berlin").unwrap()).date();
        let local = |h, m| day.at(h, m, 0, 0).in_tz("Europe/Berlin").unwrap().timestamp();
        let due = local(23, 15);
        let reminder = ada.reminder(&application, due, &["in_app", "email"]).await;
        let id = reminder["id"].as_str().unwrap();
        let mails = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(due);
        let worker = worker(&app, outbox(mails.path()), &clock);

        run_at(&app, &worker, &clock, due).await;
        let during = ada.reminder_state(id).await;
        let next_morning = day.tomorrow().unwrap().at(7, 30, 0, 0).in_tz("Europe/Berlin").unwrap().timestamp();
        run_at(&app, &worker, &clock, next_morning - SignedDuration::from_mins(1)).await;
        let still = outbox_messages(mails.path()).len();
        run_at(&app, &worker, &clock, next_morning).await;

        assert_eq!(during["delivery"], "pending");
        assert_eq!(still, 0, "nothing inside quiet hours");
        let after = ada.reminder_state(id).await;
        assert_eq!(after["delivery"], "sent");
        assert_eq!(after["sent_at"], next_morning.to_string(), "sent when quiet hours end");
        assert_eq!(outbox_messages(mails.path()).len(), 1);
    }

    async fn a_failing_mail_server_is_retried_and_nothing_is_sent_twice(backend: Backend) {
        let app = spawn(backend).await;
        let ada = user(&app, "retry").await;
        let application = ada.application("Flaky Mail Ltd", "Saved").await;
        let due = in_weeks(2);
        let reminder = ada.reminder(&application, due, &["in_app", "email"]).await;
        let id = reminder["id"].as_str().unwrap();
        // Nothing listens on this port: every attempt is refused.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let refused = pursuit_mail::Mailer::smtp("pursuit@test.example", &pursuit_mail::SmtpSettings {
            host: "127.0.0.1".to_owned(), port, security: pursuit_mail::SmtpSecurity::None,
            username: None, password: None, timeout: std::time::Duration::from_secs(2),
        }).unwrap();
        let clock = ManualClock::new(due);
        let failing = worker(&app, refused, &clock);

        run_at(&app, &failing, &clock, due).await;
        let failed_once = ada.reminder_state(id).await;
        let mails = tempfile::tempdir().unwrap();
        let working = worker(&app, outbox(mails.path()), &clock);
        // The queue's backoff after a first failure is a few seconds.
        run_at(&app, &working, &clock, due + SignedDuration::from_mins(1)).await;
        run_at(&app, &working, &clock, due + SignedDuration::from_mins(5)).await;

        assert_eq!(failed_once["delivery"], "pending", "a refused connection is retried: {failed_once}");
        let email = failed_once["deliveries"].as_array().unwrap().iter().find(|d| d["channel"] == "email").unwrap().clone();
        assert_eq!(email["state"], "failed");
        assert!(email["last_error"].as_str().unwrap().contains("SMTP"), "{email}");
        let after = ada.reminder_state(id).await;
        assert_eq!(after["delivery"], "sent", "{after}");
        let by_channel = |c: &str| after["deliveries"].as_array().unwrap().iter().find(|d| d["channel"] == c).unwrap().clone();
        assert_eq!(by_channel("email")["attempts"], 2);
        assert_eq!(by_channel("in_app")["attempts"], 1, "the in-app part is not redone");
        assert_eq!(outbox_messages(mails.path()).len(), 1);
        let notifications = ada.json(reqwest::Method::GET, "/api/v1/notifications", None).await;
        assert_eq!(notifications["items"].as_array().unwrap().len(), 1);
    }

    async fn moot_reminders_are_skipped_and_undeliverable_ones_fail_with_the_reason(backend: Backend) {
        let app = spawn(backend).await;
        let ada = user(&app, "moot").await;
        let archived = ada.application("Archived Inc", "Saved").await;
        let moved = ada.application("Moved On AG", "Applied").await;
        let unreachable = ada.application("No Address Co", "Saved").await;
        let due = in_weeks(4);
        let r1 = ada.reminder(&archived, due, &["in_app", "email"]).await;
        let r3 = ada.reminder(&unreachable, due, &["in_app", "email"]).await;
        let r4 = ada.reminder(&unreachable, due, &["email"]).await;
        // The Applied rule planned a follow-up for `moved`; it has left Applied behind since
        // (written straight to the database, as an old import could have).
        let rule = ada.json(reqwest::Method::GET, &format!("/api/v1/reminders?application_id={moved}"), None).await;
        let rule_id = rule["items"][0]["id"].as_str().unwrap().to_owned();
        let rule_due: Timestamp = rule["items"][0]["due_at"].as_str().unwrap().parse().unwrap();
        let archive = ada.send(reqwest::Method::GET, &format!("/api/v1/applications/{archived}"), None).await;
        let etag = archive.headers()["etag"].to_str().unwrap().to_owned();
        let response = ada.app.client.patch(app.url(&format!("/api/v1/applications/{archived}"))).bearer_auth(&ada.token)
            .header("if-match", etag).json(&json!({ "archived_at": Timestamp::now().to_string() })).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        app.db.execute(query("UPDATE applications SET status = 'Rejected' WHERE id = $1").bind(uuid::Uuid::parse_str(&moved).unwrap())).await.unwrap();
        app.db.execute(query("UPDATE users SET email = 'owner@localhost', time_zone = 'Mars/Olympus_Mons' WHERE email = $1").bind(ada.email.as_str())).await.unwrap();
        let mails = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(due);
        let worker = worker(&app, outbox(mails.path()), &clock);

        run_at(&app, &worker, &clock, due.max(rule_due)).await;

        let archived_state = ada.reminder_state(r1["id"].as_str().unwrap()).await;
        assert_eq!(archived_state["delivery"], "skipped");
        assert_eq!(archived_state["delivery_note"], "the application was archived");
        let moved_state = ada.reminder_state(&rule_id).await;
        assert_eq!(moved_state["delivery"], "skipped");
        assert_eq!(moved_state["delivery_note"], "the application moved on to Rejected");
        // Without an address: the in-app part arrives and the reminder counts as delivered,
        // its email part skipped with the reason (issue 20: it used to show as failed).
        let reached = ada.reminder_state(r3["id"].as_str().unwrap()).await;
        assert_eq!(reached["delivery"], "sent", "{reached}");
        assert!(reached["delivery_note"].as_str().unwrap().contains("no email address"), "{reached}");
        let channel = |state: &serde_json::Value, name: &str| state["deliveries"].as_array().unwrap().iter().find(|d| d["channel"] == name).unwrap().clone();
        assert_eq!(channel(&reached, "in_app")["state"], "sent", "the in-app part still arrived, in spite of the unknown zone");
        assert_eq!(channel(&reached, "email")["state"], "skipped", "{reached}");
        // Email alone had nowhere to go: that one failed, saying why.
        let failed = ada.reminder_state(r4["id"].as_str().unwrap()).await;
        assert_eq!(failed["delivery"], "failed", "{failed}");
        assert!(failed["delivery_note"].as_str().unwrap().contains("no email address"), "{failed}");
        assert!(outbox_messages(mails.path()).is_empty());
    }

    async fn notifications_page_newest_first_and_are_marked_read(backend: Backend) {
        let app = spawn(backend).await;
        let ada = user(&app, "notes").await;
        let eve = user(&app, "eve").await;
        let application = ada.application("Paging Corp", "Saved").await;
        let due = in_weeks(1);
        for minutes in 0..3 {
            ada.reminder(&application, due + SignedDuration::from_mins(minutes), &["in_app"]).await;
        }
        let clock = ManualClock::new(due);
        let mails = tempfile::tempdir().unwrap();
        let worker = worker(&app, outbox(mails.path()), &clock);
        for minutes in 0..3 {
            run_at(&app, &worker, &clock, due + SignedDuration::from_mins(minutes)).await;
        }

        let first = ada.json(reqwest::Method::GET, "/api/v1/notifications?limit=2", None).await;
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = ada.json(reqwest::Method::GET, &format!("/api/v1/notifications?limit=2&cursor={cursor}"), None).await;
        let newest = first["items"][0]["id"].as_str().unwrap().to_owned();
        let read = ada.json(reqwest::Method::POST, &format!("/api/v1/notifications/{newest}/read"), None).await;
        let unread = ada.json(reqwest::Method::GET, "/api/v1/notifications?unread=true", None).await;
        let others = eve.send(reqwest::Method::POST, &format!("/api/v1/notifications/{newest}/read"), None).await;
        let all = ada.json(reqwest::Method::POST, "/api/v1/notifications/read-all", None).await;
        let bad = ada.send(reqwest::Method::GET, "/api/v1/notifications?cursor=nonsense", None).await;

        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        assert_eq!(first["unread_count"], 3);
        assert_eq!(second["items"].as_array().unwrap().len(), 1);
        assert!(second["next_cursor"].is_null());
        let times: Vec<&str> = first["items"].as_array().unwrap().iter().chain(second["items"].as_array().unwrap()).map(|n| n["created_at"].as_str().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
        assert_eq!(read["read"], true);
        assert_eq!(unread["items"].as_array().unwrap().len(), 2);
        assert_eq!(others.status(), StatusCode::NOT_FOUND, "another user's notification does not exist for them");
        assert_eq!(all["marked"], 2);
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert_eq!(json_body(bad, "application/problem+json").await["status"], 400);
        // Expired ones are gone from the list (and the sweep deletes them).
        app.db.execute(query("UPDATE notifications SET expires_at = $1").bind(Timestamp::now() - SignedDuration::from_secs(1))).await.unwrap();
        let expired = ada.json(reqwest::Method::GET, "/api/v1/notifications", None).await;
        assert!(expired["items"].as_array().unwrap().is_empty());
    }

    async fn an_interview_invite_is_updated_then_cancelled_under_one_uid(backend: Backend) {
        let app = spawn(backend).await;
        let ada = user(&app, "invite").await;
        let application = ada.application("Calendar Co", "Screening").await;
        let starts = in_weeks(2);
        let activity = ada.json(reqwest::Method::POST, &format!("/api/v1/applications/{application}/activities"), Some(json!({
            "type": "Interview", "status": "scheduled", "interview_stage": "screening",
            "starts_at": starts.to_string(), "duration_minutes": 45, "location_or_link": "Room 4; 2nd floor, Berlin",
        }))).await;
        let activity_id = activity["id"].as_str().unwrap().to_owned();
        let mails = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(starts);
        let worker = worker(&app, outbox(mails.path()), &clock);
        // The screening rule's reminder 24 h before carries the interview's invite.
        run_at(&app, &worker, &clock, starts - SignedDuration::from_hours(24)).await;
        let moved_to = starts + SignedDuration::from_hours(2);
        let current = ada.send(reqwest::Method::GET, &format!("/api/v1/activities/{activity_id}"), None).await;
        let etag = current.headers()["etag"].to_str().unwrap().to_owned();
        let response = app.client.patch(app.url(&format!("/api/v1/activities/{activity_id}"))).bearer_auth(&ada.token)
            .header("if-match", etag).json(&json!({ "starts_at": moved_to.to_string() })).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        worker.drain().await.unwrap();
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        let response = app.client.delete(app.url(&format!("/api/v1/activities/{activity_id}"))).bearer_auth(&ada.token)
            .header("if-match", etag).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        worker.drain().await.unwrap();

        let messages = outbox_messages(mails.path());
        assert_eq!(messages.len(), 3, "the reminder, the change, the cancellation");
        let uid = format!("UID:activity-{activity_id}@pursuit\r\n");
        let icses: Vec<String> = messages.iter().map(|m| invite(m)).collect();
        assert!(icses.iter().all(|ics| ics.contains(&uid)), "one UID throughout: {icses:?}");
        let sequence = |ics: &str| ics.lines().find_map(|l| l.strip_prefix("SEQUENCE:")).unwrap().trim().parse::<u32>().unwrap();
        assert!(sequence(&icses[0]) < sequence(&icses[1]) && sequence(&icses[1]) < sequence(&icses[2]), "{icses:?}");
        assert!(icses[0].contains("METHOD:PUBLISH") && icses[0].contains("LOCATION:Room 4\\; 2nd floor\\, Berlin"), "{}", icses[0]);
        assert!(icses[1].contains("METHOD:PUBLISH") && icses[1].contains(&format!("DTSTART:{}", moved_to.strftime("%Y%m%dT%H%M%SZ"))), "{}", icses[1]);
        assert!(icses[2].contains("METHOD:CANCEL") && icses[2].contains("STATUS:CANCELLED"), "{}", icses[2]);
        assert_eq!(parsed(&messages[2]).subject().unwrap(), "Cancelled: Interview (screening) with Calendar Co");
    }

    async fn deleting_an_application_cancels_the_invites_of_its_interviews(backend: Backend) {
        let app = spawn(backend).await;
        let ada = user(&app, "gone").await;
        let application = ada.application("Vanishing Ltd", "Screening").await;
        let starts = in_weeks(2);
        let activity = ada.json(reqwest::Method::POST, &format!("/api/v1/applications/{application}/activities"), Some(json!({
            "type": "Interview", "status": "scheduled", "interview_stage": "loop", "starts_at": starts.to_string(),
        }))).await;
        let mails = tempfile::tempdir().unwrap();
        let clock = ManualClock::new(starts);
        let worker = worker(&app, outbox(mails.path()), &clock);
        // The loop rule's reminder 48 h before mails the invite.
        run_at(&app, &worker, &clock, starts - SignedDuration::from_hours(48)).await;
        let current = ada.send(reqwest::Method::GET, &format!("/api/v1/applications/{application}"), None).await;
        let etag = current.headers()["etag"].to_str().unwrap().to_owned();
        let deleted = app.client.delete(app.url(&format!("/api/v1/applications/{application}"))).bearer_auth(&ada.token)
            .header("if-match", etag).send().await.unwrap();
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        worker.drain().await.unwrap();

        let messages = outbox_messages(mails.path());
        assert_eq!(messages.len(), 2, "the invite, then its cancellation");
        let uid = format!("UID:activity-{}@pursuit\r\n", activity["id"].as_str().unwrap());
        let (first, last) = (invite(&messages[0]), invite(&messages[1]));
        assert!(first.contains("METHOD:PUBLISH") && first.contains(&uid), "{first}");
        assert!(last.contains("METHOD:CANCEL") && last.contains(&uid) && last.contains("STATUS:CANCELLED"), "{last}");
    }

    async fn the_calendar_feed_serves_upcoming_events_to_its_secret_url_only(backend: Backend) {
        let app = spawn(backend).await;
        let ada = user(&app, "feed").await;
        let eve = user(&app, "feed-eve").await;
        let application = ada.application("Feed, Inc.", "Screening").await;
        let starts = in_weeks(1);
        ada.json(reqwest::Method::POST, &format!("/api/v1/applications/{application}/activities"), Some(json!({
            "type": "Interview", "status": "scheduled", "interview_stage": "loop", "starts_at": starts.to_string(),
        }))).await;
        ada.reminder(&application, in_weeks(2), &["in_app"]).await;
        eve.reminder(&eve.application("Eve's secret employer", "Saved").await, in_weeks(2), &["in_app"]).await;

        let none = ada.json(reqwest::Method::GET, "/api/v1/calendar-feed", None).await;
        let created = ada.send(reqwest::Method::POST, "/api/v1/calendar-feed", None).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let url = created.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_owned();
        let path = url.strip_prefix(&app.address).unwrap().to_owned();
        let feed = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(feed.status(), StatusCode::OK);
        assert_eq!(feed.headers()["content-type"], "text/calendar; charset=utf-8");
        let ics = feed.text().await.unwrap();
        let state = ada.json(reqwest::Method::GET, "/api/v1/calendar-feed", None).await;
        let rotated = ada.json(reqwest::Method::POST, "/api/v1/calendar-feed", None).await;
        let old = app.client.get(app.url(&path)).send().await.unwrap();
        let revoke = ada.send(reqwest::Method::DELETE, "/api/v1/calendar-feed", None).await;
        let new_path = rotated["url"].as_str().unwrap().strip_prefix(&app.address).unwrap().to_owned();
        let after_revoke = app.client.get(app.url(&new_path)).send().await.unwrap();
        let guessed = app.client.get(app.url("/calendar/pcal_guess.ics")).send().await.unwrap();

        assert_eq!(none["active"], false);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
        assert!(ics.contains("SUMMARY:Interview (loop) with Feed\\, Inc.\r\n"), "{ics}");
        assert!(ics.contains("SUMMARY:Call back the recruiter\r\n"), "{ics}");
        assert!(ics.contains("SUMMARY:Interview loop with Feed\\, Inc. in two days\r\n"), "rule reminders too: {ics}");
        assert!(!ics.contains("Eve"), "only the owner's events");
        assert_eq!(state["active"], true);
        assert!(state["last_used_at"].is_string(), "{state}");
        assert!(state.get("url").is_none(), "the URL is shown once");
        assert_eq!(old.status(), StatusCode::NOT_FOUND, "rotating retires the old URL");
        assert_eq!(revoke.status(), StatusCode::NO_CONTENT);
        assert_eq!(after_revoke.status(), StatusCode::NOT_FOUND);
        assert_eq!(json_body(guessed, "application/problem+json").await["status"], 404);
    }
}

fn messages_to(maildir: &std::path::Path, recipient: &str) -> usize {
    ["new", "cur"]
        .iter()
        .flat_map(|folder| {
            std::fs::read_dir(maildir.join(folder))
                .into_iter()
                .flatten()
        })
        .filter_map(Result::ok)
        .filter(|entry| {
            std::fs::read_to_string(entry.path())
                .unwrap_or_default()
                .contains(&format!("To: {recipient}"))
        })
        .count()
}
