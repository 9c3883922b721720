//! What comes back besides replies, on both backends. A sending domain's DNS read from a
//! DNS server of the test's own (canned records, real UDP). Provider events: each provider's webhook, signed at run time with the
//! test keys `crates/pursuit-mail/tests/fixtures/events/make.py` made (OpenSSL), is
//! believed, queued and taken once; a forged, stale or misdirected request is refused
//! before anything is stored; a bounce or a complaint stops writing to the address.

use base64::Engine as _;
use pursuit_app::email_events::IngestReport;
use pursuit_store::jobs::JobState;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, TestDatabase, spawn_app, spawn_app_with, test_smtp};
use crate::matching::send;
use crate::outreach::ok;
use crate::replies::{Person, first_step_sent, person};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../pursuit-mail/tests/fixtures/events"
);
const SNS_CERT_URL: &str = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:ses-events";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key), message)
        .as_ref()
        .to_vec()
}

fn now_seconds() -> String {
    jiff::Timestamp::now().as_second().to_string()
}

/// SendGrid's verification key (base64 DER), as its settings page shows it.
fn sendgrid_key() -> String {
    let vectors: Value = serde_json::from_slice(&fixture("vectors.json")).unwrap();
    vectors["sendgrid"]["key"].as_str().unwrap().to_owned()
}

/// Headers SendGrid would send with `body` at `timestamp`.
fn sendgrid_signed(body: &str, timestamp: &str) -> Vec<(&'static str, String)> {
    let rng = ring::rand::SystemRandom::new();
    let pair = ring::signature::EcdsaKeyPair::from_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
        &fixture("sendgrid-key.pk8"),
        &rng,
    )
    .unwrap();
    let signature = pair
        .sign(&rng, format!("{timestamp}{body}").as_bytes())
        .unwrap();
    vec![
        (
            "x-twilio-email-event-webhook-signature",
            b64(signature.as_ref()),
        ),
        (
            "x-twilio-email-event-webhook-timestamp",
            timestamp.to_owned(),
        ),
    ]
}

/// An SNS notification of `message`, signed (version 2) with the test certificate's key.
fn sns_signed(message: &Value, topic: &str, cert_url: &str) -> String {
    let mut envelope = json!({
        "Type": "Notification", "MessageId": uuid::Uuid::new_v4().to_string(), "TopicArn": topic,
        "Message": message.to_string(), "Timestamp": jiff::Timestamp::now().to_string(),
        "SignatureVersion": "2", "SigningCertURL": cert_url,
    });
    let signed: String = ["Message", "MessageId", "Timestamp", "TopicArn", "Type"]
        .iter()
        .map(|k| format!("{k}\n{}\n", envelope[k].as_str().unwrap()))
        .collect();
    let pair = ring::signature::RsaKeyPair::from_pkcs8(&fixture("sns-key.pk8")).unwrap();
    let mut signature = vec![0; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        signed.as_bytes(),
        &mut signature,
    )
    .unwrap();
    envelope["Signature"] = json!(b64(&signature));
    envelope.to_string()
}

async fn post(
    app: &TestApp,
    provider: &str,
    mailbox: &str,
    headers: &[(&str, String)],
    body: &str,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(app.url(&format!(
            "/webhooks/email-events/{provider}?mailbox={mailbox}"
        )))
        .header(
            "content-type",
            if provider == "ses" {
                "text/plain; charset=UTF-8"
            } else {
                "application/json"
            },
        )
        .body(body.to_owned());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    request.send().await.unwrap()
}

/// Waits for the in-process worker to take every queued provider request, and adds up what
/// the ones not `seen` before did.
async fn taken(app: &TestApp, seen: &mut std::collections::HashSet<String>) -> IngestReport {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let jobs: Vec<_> = pursuit_store::jobs::list(&app.db, None, 1_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|j| j.kind == "email_events.ingest")
            .collect();
        if jobs
            .iter()
            .all(|j| matches!(j.state, JobState::Done | JobState::Dead))
        {
            let mut total = IngestReport::default();
            for job in jobs {
                if !seen.insert(job.id.0.to_string()) {
                    continue;
                }
                assert_eq!(job.state, JobState::Done, "{:?}", job.errors);
                let report: IngestReport = serde_json::from_value(job.result.unwrap()).unwrap();
                total.events += report.events;
                total.recorded += report.recorded;
                total.duplicate += report.duplicate;
                total.unmatched += report.unmatched;
                total.ignored += report.ignored;
            }
            return total;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the worker did not take the events"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn set_provider(
    app: &TestApp,
    token: &str,
    mailbox: &str,
    provider: &str,
    key: &str,
) -> Value {
    ok(send(
        app,
        token,
        "PATCH",
        &format!("/api/v1/mailboxes/{mailbox}?verify=false"),
        Some(json!({
            "events_provider": provider, "events_key": key
        })),
    )
    .await)
    .await
}

fn message_id(sent: &[Value], p: &Person) -> String {
    sent.iter()
        .find(|e| e["to_address"] == p.email.as_str() && e["step_position"] == 1)
        .unwrap()["message_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

both_backends! {
    async fn provider_webhooks_are_believed_only_with_their_proof_and_count_once(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "events").await.1;
        let (smtp_port, _) = test_smtp();
        let mailbox = ok(send(&app, &token, "POST", "/api/v1/mailboxes", Some(json!({
            "from_name": "Ana Lima", "from_address": "ana@example.com", "smtp_host": "127.0.0.1",
            "smtp_port": smtp_port, "smtp_security": "none"
        }))).await).await;
        let mailbox = mailbox["id"].as_str().unwrap().to_owned();
        let grace = person(&app, &token, "Grace Hopper").await;
        let linus = person(&app, &token, "Linus Berg").await;
        let maya = person(&app, &token, "Maya Ortiz").await;
        let ida = person(&app, &token, "Ida Rhodes").await;
        let (campaign, _, sent) = first_step_sent(&app, &token, &[&grace, &linus, &maya, &ida]).await;
        let mut seen = std::collections::HashSet::new();

        // A key is checked against its provider before it is kept.
        let missing = send(&app, &token, "PATCH", &format!("/api/v1/mailboxes/{mailbox}"), Some(json!({"events_provider": "sendgrid"}))).await;
        assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.text().await.unwrap().contains("/events_key"));
        let wrong = send(&app, &token, "PATCH", &format!("/api/v1/mailboxes/{mailbox}"), Some(json!({"events_provider": "sendgrid", "events_key": "not a key"}))).await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let unknown = send(&app, &token, "PATCH", &format!("/api/v1/mailboxes/{mailbox}"), Some(json!({"events_provider": "sparkpost", "events_key": "x"}))).await;
        assert!(unknown.text().await.unwrap().contains("/events_provider"));
        let set = set_provider(&app, &token, &mailbox, "sendgrid", &sendgrid_key()).await;
        assert_eq!((set["has_events_key"].as_bool(), set["events_webhook_path"].as_str()), (Some(true), Some(format!("/webhooks/email-events/sendgrid?mailbox={mailbox}").as_str())), "{set:#}");
        assert!(!set.to_string().contains(&sendgrid_key()), "the key is never shown");

        // SendGrid: Grace delivered (by Message-ID), Linus bounced (by recipient only), an
        // open (not kept), Maya's spam report.
        let body = json!([
            {"email": grace.email, "timestamp": 1, "smtp-id": message_id(&sent, &grace), "event": "delivered", "sg_event_id": "e1"},
            {"email": linus.email.to_uppercase(), "timestamp": 2, "event": "bounce", "type": "bounce", "status": "5.1.1", "reason": "550 no such user", "sg_event_id": "e2"},
            {"email": maya.email, "timestamp": 3, "event": "open", "sg_event_id": "e3"},
            {"email": maya.email, "timestamp": 4, "event": "spamreport", "sg_event_id": "e4"},
        ]).to_string();
        let now = now_seconds();
        // Refused before anything is kept: a changed body, an old timestamp, no signature,
        // another mailbox (the same answer whether it exists or not), an unknown provider.
        let forged = body.replace("bounce", "delivered");
        assert_eq!(post(&app, "sendgrid", &mailbox, &sendgrid_signed(&body, &now), &forged).await.status(), StatusCode::UNAUTHORIZED);
        let old = (jiff::Timestamp::now().as_second() - 3_600).to_string();
        assert_eq!(post(&app, "sendgrid", &mailbox, &sendgrid_signed(&body, &old), &body).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(post(&app, "sendgrid", &mailbox, &[], &body).await.status(), StatusCode::UNAUTHORIZED);
        let stranger = post(&app, "sendgrid", &uuid::Uuid::new_v4().to_string(), &sendgrid_signed(&body, &now), &body).await;
        assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);
        let stranger = stranger.text().await.unwrap();
        let other_provider = post(&app, "mailgun", &mailbox, &[], &body).await;
        assert_eq!(other_provider.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            serde_json::from_str::<Value>(&stranger).unwrap()["detail"].as_str().unwrap().replace("sendgrid", "mailgun"),
            serde_json::from_str::<Value>(&other_provider.text().await.unwrap()).unwrap()["detail"].as_str().unwrap(),
            "an unknown mailbox is refused like one not set up"
        );
        assert_eq!(post(&app, "sparkpost", &mailbox, &[], &body).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(taken(&app, &mut seen).await, IngestReport::default(), "nothing refused was queued");

        let first = post(&app, "sendgrid", &mailbox, &sendgrid_signed(&body, &now), &body).await;
        assert_eq!(first.status(), StatusCode::OK);
        let report = taken(&app, &mut seen).await;
        assert_eq!((report.events, report.recorded, report.ignored, report.unmatched), (4, 3, 1, 0), "{report:?}");
        // The same request again (providers retry): nothing changes twice.
        let again = post(&app, "sendgrid", &mailbox, &sendgrid_signed(&body, &now_seconds()), &body).await;
        assert_eq!(again.status(), StatusCode::OK);
        let report = taken(&app, &mut seen).await;
        assert_eq!((report.recorded, report.duplicate), (0, 3), "{report:?}");

        // Linus and Maya are not written to again; Grace's and Ida's sequences go on; a
        // complaint pauses the mailbox; the user is told.
        let suppressed = ok(send(&app, &token, "GET", "/api/v1/suppressions", None).await).await.to_string();
        assert!(suppressed.contains(&linus.email) && suppressed.contains(&maya.email) && !suppressed.contains(&grace.email), "{suppressed}");
        let emails = crate::outreach::emails(&app, &token, &campaign).await;
        for e in emails.iter().filter(|e| e["step_position"] != 1) {
            let stopped = e["to_address"] == linus.email.as_str() || e["to_address"] == maya.email.as_str();
            assert_eq!(e["status"] == "planned", !stopped, "{e:#}");
        }
        let health = ok(send(&app, &token, "GET", &format!("/api/v1/mailboxes/{mailbox}/health"), None).await).await;
        assert_eq!((health["status"].as_str(), health["recent_bounced"].as_i64(), health["complaints_30_days"].as_i64()), (Some("at_risk"), Some(1), Some(1)), "{health:#}");
        let notes = ok(send(&app, &token, "GET", "/api/v1/notifications", None).await).await.to_string();
        assert!(notes.contains("bounced") && notes.contains("reported your email as spam"), "{notes}");

        // Mailgun: the signature in the body; Linus's delivery (by Message-ID).
        let key = "mailgun-signing-key-for-tests";
        set_provider(&app, &token, &mailbox, "mailgun", key).await;
        let (ts, token_mg) = (now_seconds(), "t".repeat(50));
        let signature: String = hmac(key.as_bytes(), format!("{ts}{token_mg}").as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        let mg = |sig: &str| json!({
            "signature": {"timestamp": ts, "token": token_mg, "signature": sig},
            "event-data": {"id": "mg1", "event": "delivered", "timestamp": 5.0, "recipient": linus.email,
                "message": {"headers": {"message-id": message_id(&sent, &linus).trim_matches(['<', '>'])}}}
        }).to_string();
        assert_eq!(post(&app, "mailgun", &mailbox, &[], &mg(&"0".repeat(64))).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(post(&app, "mailgun", &mailbox, &[], &mg(&signature)).await.status(), StatusCode::OK);
        let report = taken(&app, &mut seen).await;
        assert_eq!((report.recorded, report.duplicate), (1, 0), "{report:?}");

        // Postmark: the password in the URL's credentials; Maya's delivery (by recipient).
        let password = "postmark-password-for-tests";
        set_provider(&app, &token, &mailbox, "postmark", password).await;
        let pm = json!({"RecordType": "Delivery", "MessageID": "pm-1", "Recipient": maya.email, "DeliveredAt": "2026-01-01T00:00:00Z"}).to_string();
        let basic = |p: &str| vec![("authorization", format!("Basic {}", b64(format!("pursuit:{p}").as_bytes())))];
        assert_eq!(post(&app, "postmark", &mailbox, &basic("guess"), &pm).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(post(&app, "postmark", &mailbox, &basic(password), &pm).await.status(), StatusCode::OK);
        assert_eq!(taken(&app, &mut seen).await.recorded, 1);

        // Resend (Svix): Grace's delivery again, from another provider: kept once.
        let secret_bytes = b"resend-secret-for-the-tests-0001";
        set_provider(&app, &token, &mailbox, "resend", &format!("whsec_{}", b64(secret_bytes))).await;
        let re = json!({"type": "email.delivered", "created_at": "2026-01-01T00:00:00Z", "data": {"email_id": "r1", "to": [grace.email]}}).to_string();
        let ts = now_seconds();
        let svix = |body: &str| vec![
            ("svix-id", "msg_1".to_owned()),
            ("svix-timestamp", ts.clone()),
            ("svix-signature", format!("v1,{}", b64(&hmac(secret_bytes, format!("msg_1.{ts}.{body}").as_bytes())))),
        ];
        assert_eq!(post(&app, "resend", &mailbox, &svix(&re), &re.replace("delivered", "bounced")).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(post(&app, "resend", &mailbox, &svix(&re), &re).await.status(), StatusCode::OK);
        let report = taken(&app, &mut seen).await;
        assert_eq!((report.recorded, report.duplicate), (0, 1), "{report:?}");

        // Amazon SES through SNS: the certificate only from AWS's own address (here known
        // beforehand, as the tests cannot reach AWS), the topic the mailbox names.
        pursuit_app::email_events::remember_certificate(SNS_CERT_URL, &fixture("sns-cert.pem"));
        set_provider(&app, &token, &mailbox, "ses", TOPIC).await;
        let delivery = json!({"eventType": "Delivery", "mail": {"messageId": "ses-1", "destination": [ida.email],
            "commonHeaders": {"messageId": message_id(&sent, &ida)}}, "delivery": {"recipients": [ida.email], "timestamp": "2026-01-01T00:00:00Z"}});
        let elsewhere = sns_signed(&delivery, TOPIC, "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem");
        assert_eq!(post(&app, "ses", &mailbox, &[], &elsewhere).await.status(), StatusCode::UNAUTHORIZED);
        let other_topic = sns_signed(&delivery, "arn:aws:sns:us-east-1:123456789012:other", SNS_CERT_URL);
        assert_eq!(post(&app, "ses", &mailbox, &[], &other_topic).await.status(), StatusCode::UNAUTHORIZED);
        let good = sns_signed(&delivery, TOPIC, SNS_CERT_URL);
        assert_eq!(post(&app, "ses", &mailbox, &[], &good.replace("Delivery", "Bounce")).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(post(&app, "ses", &mailbox, &[], &good).await.status(), StatusCode::OK);
        assert_eq!(taken(&app, &mut seen).await.recorded, 1);

        // Every delivery is known once: Grace, Linus, Maya, Ida.
        let owner = pursuit_store::accounts::find_user_by_email(&app.db, &pursuit_domain::account::EmailAddress::parse("ana@example.com").unwrap()).await.unwrap().unwrap().id;
        let campaign_id = pursuit_domain::ids::CampaignId(campaign.parse().unwrap());
        for (kind, count) in [("delivered", 4), ("bounced", 1), ("spam_complaint", 1)] {
            assert_eq!(pursuit_store::outreach::count_with_event(&app.db, owner, campaign_id, kind).await.unwrap(), count, "{kind}");
        }
        let shown = ok(send(&app, &token, "GET", &format!("/api/v1/mailboxes/{mailbox}"), None).await).await;
        assert!(shown["events_last_at"].is_string(), "{shown:#}");
    }
}

/// One name's records: its TXT texts and its MX (preference, host).
type Records = (&'static str, Vec<&'static str>, Vec<(u16, &'static str)>);

/// A DNS server on 127.0.0.1 answering from `zone`.
async fn dns_server(zone: Vec<Records>) -> std::net::SocketAddr {
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let address = socket.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buffer = [0u8; 512];
        while let Ok((n, from)) = socket.recv_from(&mut buffer).await {
            let question = &buffer[..n];
            // The question's name, as labels from byte 12.
            let mut labels = Vec::new();
            let mut at = 12;
            while at < n && question[at] != 0 {
                let len = usize::from(question[at]);
                labels
                    .push(String::from_utf8_lossy(&question[at + 1..at + 1 + len]).to_lowercase());
                at += 1 + len;
            }
            let name = labels.join(".");
            let (txt, mx) = zone
                .iter()
                .find(|(n, _, _)| *n == name)
                .map(|(_, t, m)| (t.clone(), m.clone()))
                .unwrap_or_default();
            let answer = pursuit_mail::dns::answer_for(question, &txt, &mx);
            let _ = socket.send_to(&answer, from).await;
        }
    });
    address
}

both_backends! {
    async fn a_sending_domain_is_checked_with_what_to_fix(backend: Backend) {
        let dns = dns_server(vec![
            ("example.com", vec!["google-site-verification=abc", "v=spf1 include:_spf.google.com ~all"], vec![(10, "mx.example.com")]),
            ("s1._domainkey.example.com", vec!["v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC"], vec![]),
        ]).await;
        let app = spawn_app_with(TestDatabase::new(backend).await, move |config| {
            config.mail.dns_server = Some(dns.to_string());
        }).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "dns").await.1;
        let mailbox = ok(send(&app, &token, "POST", "/api/v1/mailboxes?verify=false", Some(json!({
            "from_name": "Ana Lima", "from_address": "ana@example.com", "smtp_host": "smtp.sendgrid.net", "smtp_port": 587
        }))).await).await;
        let id = mailbox["id"].as_str().unwrap();
        let report = ok(send(&app, &token, "GET", &format!("/api/v1/mailboxes/{id}/dns"), None).await).await;
        assert_eq!(report["domain"], "example.com");
        let status = |name: &str| report["checks"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap().clone();
        assert_eq!(status("spf")["status"], "warn", "{report:#}");
        assert!(status("spf")["fix"].as_str().unwrap().contains("include:sendgrid.net"), "{report:#}");
        assert_eq!((status("dkim")["status"].as_str(), status("dkim")["found"].as_str()), (Some("ok"), Some("s1._domainkey.example.com")), "{report:#}");
        assert_eq!(status("dmarc")["status"], "missing", "{report:#}");
        assert!(status("dmarc")["fix"].as_str().unwrap().contains("_dmarc.example.com"));
        assert_eq!((status("mx")["status"].as_str(), status("mx")["found"].as_str()), (Some("ok"), Some("10 mx.example.com")), "{report:#}");
        // Another user's mailbox is not theirs to check.
        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "dns").await.1;
        assert_eq!(send(&app, &bob_token, "GET", &format!("/api/v1/mailboxes/{id}/dns"), None).await.status(), StatusCode::NOT_FOUND);
        // The page shows the same with what to do.
        let page = crate::pages::page(&app, &format!("/mailboxes?dns={id}"), Some(&ana.cookie)).await.text().await.unwrap();
        assert!(page.contains("include:sendgrid.net") && page.contains("to improve") && page.contains("10 mx.example.com"), "the page shows the checks");
    }
}
