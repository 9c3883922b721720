//! Warmup on both backends, through a real SMTP server (aiosmtpd, whose maildir stands for
//! the network) and a real IMAP server (Dovecot): two of a user's mailboxes write to each
//! other on their ramp, each finds the other's email in its INBOX, answers it once and files
//! both away; what landed is the mailboxes' inbox placement. A message that only looks like
//! warmup stays where it is.

use jiff::{SignedDuration, Timestamp};
use pursuit_app::outreach::Smtp;
use pursuit_app::replies::Reader;
use pursuit_app::warmup::{Warmer, WarmupReport};
use reqwest::StatusCode;
use serde_json::json;

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, test_smtp};
use crate::matching::send;
use crate::outreach::ok;
use crate::replies::{LOCAL, deliver, imap_port, local_ai, reading_by_hand};

/// How many messages `folder` of IMAP user `user` holds.
fn count(user: &str, folder: &str) -> usize {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import imaplib, sys\nm = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))\nm.login(sys.argv[2], 'imap-pass')\ntyp, data = m.select('\"' + sys.argv[3] + '\"', readonly=True)\nprint(int(data[0]) if typ == 'OK' else -1)\nm.logout()",
            &imap_port().to_string(),
            user,
            folder,
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse::<i64>()
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// The message the SMTP server took with warmup token `token`.
async fn taken(maildir: &std::path::Path, token: &str) -> String {
    let needle = format!("X-Pursuit-Warmup: {token}");
    for _ in 0..100 {
        for folder in ["new", "cur"] {
            for entry in std::fs::read_dir(maildir.join(folder))
                .into_iter()
                .flatten()
                .flatten()
            {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                if text.contains(&needle) {
                    return text;
                }
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the SMTP server took nothing with {needle}");
}

async fn mailbox(app: &TestApp, token: &str, address: &str, imap_user: Option<&str>) -> String {
    let (smtp_port, _) = test_smtp();
    let mut fields = json!({
        "from_name": "Ana Lima", "from_address": address, "smtp_host": "127.0.0.1", "smtp_port": smtp_port,
        "smtp_security": "none",
    });
    if let Some(user) = imap_user {
        fields["imap_host"] = json!("127.0.0.1");
        fields["imap_port"] = json!(imap_port());
        fields["imap_security"] = json!("none");
        fields["imap_username"] = json!(user);
        fields["imap_password"] = json!("imap-pass");
    }
    ok(send(app, token, "POST", "/api/v1/mailboxes", Some(fields)).await).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

both_backends! {
    async fn two_mailboxes_warm_each_other_up_and_file_it_away(backend: Backend) {
        let app = reading_by_hand(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "warmup").await.1;
        let (_, maildir) = test_smtp();
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let (user_a, user_b) = (format!("wa-{tag}"), format!("wb-{tag}"));
        let (address_a, address_b) = (format!("ana.{tag}@example.com"), format!("ana.{tag}@work.example"));
        let a = mailbox(&app, &token, &address_a, Some(&user_a)).await;
        let b = mailbox(&app, &token, &address_b, Some(&user_b)).await;

        // Warmup needs a mailbox's IMAP server: one without is refused, naming the field.
        let bare = mailbox(&app, &token, &format!("ana.{tag}@bare.example"), None).await;
        let refused = send(&app, &token, "PUT", &format!("/api/v1/mailboxes/{bare}/warmup"), Some(json!({"enabled": true}))).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains("/enabled"));
        for id in [&a, &b] {
            let on = ok(send(&app, &token, "PUT", &format!("/api/v1/mailboxes/{id}/warmup"), Some(json!({"enabled": true}))).await).await;
            assert!(on["warmup_started_at"].is_string(), "{on:#}");
        }

        // 10:00 today in the user's zone: each mailbox plans its first day (two emails, the
        // first due now) and sends what is due.
        let owner = pursuit_store::accounts::find_user_by_email(&app.db, &pursuit_domain::account::EmailAddress::parse("ana@example.com").unwrap()).await.unwrap().unwrap().id;
        let (zone, _) = pursuit_store::accounts::zone_and_settings(&app.db, owner).await.unwrap();
        let zone = jiff::tz::TimeZone::get(&zone).unwrap();
        let now: Timestamp = Timestamp::now().to_zoned(zone.clone()).date().at(10, 0, 0, 0).to_zoned(zone.clone()).unwrap().timestamp();
        let secrets = pursuit_app::secrets::SecretBox::load_or_create(&app.data_dir().join("secrets.key")).unwrap();
        let transport = Smtp { hosts: LOCAL };
        let warmer = Warmer { db: &app.db, secrets: &secrets, transport: &transport };
        let report = warmer.dispatch(now, &mut |_| 0).await.unwrap();
        assert_eq!(report, WarmupReport { planned: 4, sent: 2, ..WarmupReport::default() });
        assert_eq!(warmer.dispatch(now, &mut |_| 0).await.unwrap(), WarmupReport::default(), "a day is planned once");

        // The network: each email reaches the other mailbox's INBOX.
        let rows = pursuit_store::warmup::list(&app.db, owner, 50).await.unwrap();
        let sent: Vec<_> = rows.iter().filter(|r| r.status == "sent").collect();
        assert_eq!(sent.len(), 2);
        for row in &sent {
            let to = if row.to_mailbox_id.0.to_string() == a { &user_a } else { &user_b };
            deliver(to, &taken(&maildir, &row.token).await);
        }
        // A message that only looks like warmup: an unknown token; one with a real token from
        // someone else. Both stay in the INBOX.
        deliver(&user_b, &format!("From: Someone <someone@else.example>\nTo: {address_b}\nSubject: Hi\nMessage-ID: <fake-1-{tag}@else.example>\nX-Pursuit-Warmup: 0123456789abcdef0123456789abcdef\n\nHello.\n"));
        let to_b = sent.iter().find(|r| r.to_mailbox_id.0.to_string() == b).unwrap();
        deliver(&user_b, &format!("From: Someone <someone@else.example>\nTo: {address_b}\nSubject: Hi\nMessage-ID: <fake-2-{tag}@else.example>\nX-Pursuit-Warmup: {}\n\nHello.\n", to_b.token));

        let parts = local_ai(&app);
        let reader = Reader { db: &app.db, ai: &parts, hosts: LOCAL, notification_ttl: SignedDuration::from_hours(720) };
        let read = reader.scan(now + SignedDuration::from_mins(1)).await.unwrap();
        assert_eq!((read.warmup, read.unrelated, read.replies), (2, 2, 0), "{read:?}");
        assert_eq!((count(&user_a, "INBOX"), count(&user_a, pursuit_app::warmup::FOLDER)), (0, 1), "A's warmup email is filed away");
        assert_eq!((count(&user_b, "INBOX"), count(&user_b, pursuit_app::warmup::FOLDER)), (2, 1), "the look-alikes stay in B's INBOX");

        // Each answers once, a few minutes later; the answers are found and filed away too,
        // and answer nothing themselves.
        let later = now + SignedDuration::from_mins(20);
        let report = warmer.dispatch(later, &mut |_| 0).await.unwrap();
        assert_eq!(report, WarmupReport { sent: 2, ..WarmupReport::default() });
        let rows = pursuit_store::warmup::list(&app.db, owner, 50).await.unwrap();
        let answers: Vec<_> = rows.iter().filter(|r| r.answers_id.is_some()).collect();
        assert_eq!(answers.len(), 2, "{rows:#?}");
        for row in &answers {
            assert_eq!(row.status, "sent");
            let text = taken(&maildir, &row.token).await;
            assert!(text.contains("Subject: Re: ") && text.contains("In-Reply-To:"), "{text}");
            let to = if row.to_mailbox_id.0.to_string() == a { &user_a } else { &user_b };
            deliver(to, &text);
        }
        let read = reader.scan(later + SignedDuration::from_mins(1)).await.unwrap();
        assert_eq!(read.warmup, 2, "{read:?}");
        assert_eq!(pursuit_store::warmup::list(&app.db, owner, 50).await.unwrap().len(), 6, "two starts each, two answers, no answer to an answer");
        assert_eq!(count(&user_a, pursuit_app::warmup::FOLDER), 2);

        // Health: both of A's emails reached B's inbox; two hours on they are judged.
        let health = pursuit_app::mailboxes::health(&app.db, owner, pursuit_domain::ids::MailboxId(a.parse().unwrap()), later + SignedDuration::from_hours(3)).await.unwrap();
        let w = health.warmup.clone().unwrap();
        assert_eq!((w.counts.sent, w.counts.landed, w.counts.received, w.peers, w.inbox_rate), (2, 2, 2, 1, Some(1.0)), "{health:?}");
        assert_eq!(health.status, "warming", "{health:?}");
        let api = ok(send(&app, &token, "GET", &format!("/api/v1/mailboxes/{a}/health"), None).await).await;
        assert_eq!((api["warmup"]["sent"].as_i64(), api["warmup"]["peers"].as_i64()), (Some(2), Some(1)), "{api:#}");
        let page = crate::pages::page(&app, "/mailboxes", Some(&ana.cookie)).await.text().await.unwrap();
        assert!(page.contains("Stop warmup") && page.contains("Reached the inbox"), "the page shows the warmup");

        // Off: nothing more is planned or sent from it.
        ok(send(&app, &token, "PUT", &format!("/api/v1/mailboxes/{a}/warmup"), Some(json!({"enabled": false}))).await).await;
        let tomorrow = now + SignedDuration::from_hours(24);
        let report = warmer.dispatch(tomorrow, &mut |_| 0).await.unwrap();
        assert_eq!(report.planned, 0, "B has nobody left to write to: {report:?}");
    }
}
