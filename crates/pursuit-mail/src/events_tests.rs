//! Provider events against vectors made by other implementations (OpenSSL, Python's hmac;
//! `tests/fixtures/events/make.py`) and Svix's own documented example.

use super::*;

fn vectors() -> Value {
    serde_json::from_str(include_str!("../tests/fixtures/events/vectors.json")).unwrap()
}

fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name].as_str().unwrap()
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap()
}

fn headers(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

const VECTOR_TIME: i64 = 1_767_225_600;

#[test]
fn sendgrid_vector_verifies_and_any_change_fails() {
    let v = &vectors()["sendgrid"];
    let h = headers(&[
        (
            "x-twilio-email-event-webhook-signature",
            field(v, "signature"),
        ),
        (
            "x-twilio-email-event-webhook-timestamp",
            field(v, "timestamp"),
        ),
    ]);
    let body = field(v, "body").as_bytes();
    let key = field(v, "key");
    verify(Provider::SendGrid, key, &h, body, at(VECTOR_TIME + 30)).unwrap();
    let mut changed = body.to_vec();
    changed[10] ^= 1;
    assert_eq!(
        verify(Provider::SendGrid, key, &h, &changed, at(VECTOR_TIME)),
        Err(Refused::Signature)
    );
    assert_eq!(
        verify(Provider::SendGrid, key, &h, body, at(VECTOR_TIME + 301)),
        Err(Refused::Stale)
    );
    // Another timestamp header with the same signature: the timestamp is signed too.
    let moved = headers(&[
        (
            "x-twilio-email-event-webhook-signature",
            field(v, "signature"),
        ),
        ("x-twilio-email-event-webhook-timestamp", "1767225601"),
    ]);
    assert_eq!(
        verify(Provider::SendGrid, key, &moved, body, at(VECTOR_TIME)),
        Err(Refused::Signature)
    );
    assert!(matches!(
        verify(
            Provider::SendGrid,
            key,
            &headers(&[]),
            body,
            at(VECTOR_TIME)
        ),
        Err(Refused::Missing(_))
    ));
    assert!(matches!(
        verify(
            Provider::SendGrid,
            "bm90IGEga2V5",
            &h,
            body,
            at(VECTOR_TIME)
        ),
        Err(Refused::Key(_))
    ));
    assert!(Provider::SendGrid.check_key(key).is_ok());
    assert!(Provider::SendGrid.check_key("hello").is_err());

    let events = read(Provider::SendGrid, body).unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].kind, EventKind::Delivered);
    assert_eq!(events[0].message_id.as_deref(), Some("sg-1@pursuit.test"));
    assert_eq!(events[0].event_id.as_deref(), Some("ev-delivered-1"));
    assert_eq!(events[1].kind, EventKind::Bounced { permanent: true });
    assert_eq!(events[1].recipient.as_deref(), Some("lee@example.com"));
    assert!(events[1].detail.as_deref().unwrap().contains("5.1.1"));
    assert_eq!(events[2].kind, EventKind::Other("open".to_owned()));
}

#[test]
fn mailgun_vector_verifies_in_the_body() {
    let v = &vectors()["mailgun"];
    let body = field(v, "body").as_bytes();
    let key = field(v, "key");
    let none = headers(&[]);
    verify(Provider::Mailgun, key, &none, body, at(VECTOR_TIME)).unwrap();
    assert_eq!(
        verify(
            Provider::Mailgun,
            "another-key-0123456789",
            &none,
            body,
            at(VECTOR_TIME)
        ),
        Err(Refused::Signature)
    );
    assert_eq!(
        verify(Provider::Mailgun, key, &none, body, at(VECTOR_TIME - 3600)),
        Err(Refused::Stale)
    );
    let events = read(Provider::Mailgun, body).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventKind::Bounced { permanent: true });
    assert_eq!(events[0].recipient.as_deref(), Some("lee@example.com"));
    assert_eq!(events[0].message_id.as_deref(), Some("mg-1@pursuit.test"));
    assert_eq!(
        events[0].detail.as_deref(),
        Some("550 · No such mailbox · bounce")
    );
}

#[test]
fn svix_documented_example_and_resend_vector() {
    // Svix's own example (its documentation and libraries' tests).
    let h = headers(&[
        ("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
        ("svix-timestamp", "1614265330"),
        (
            "svix-signature",
            "v1,bm90LXRoaXMtb25l v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ),
    ]);
    let body = br#"{"test": 2432232314}"#;
    verify(
        Provider::Resend,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        &h,
        body,
        at(1_614_265_330),
    )
    .unwrap();
    assert_eq!(
        verify(
            Provider::Resend,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            &h,
            br#"{"test": 2432232315}"#,
            at(1_614_265_330),
        ),
        Err(Refused::Signature)
    );

    let v = &vectors()["resend"];
    // The Standard Webhooks names (`webhook-*`) are read as well.
    let h = headers(&[
        ("webhook-id", field(v, "id")),
        ("webhook-timestamp", field(v, "timestamp")),
        ("webhook-signature", field(v, "signature")),
    ]);
    let body = field(v, "body").as_bytes();
    verify(Provider::Resend, field(v, "key"), &h, body, at(VECTOR_TIME)).unwrap();
    let events = read(Provider::Resend, body).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventKind::Bounced { permanent: true });
    assert_eq!(events[0].recipient.as_deref(), Some("lee@example.com"));
    assert!(Provider::Resend.check_key("whsec_short").is_err());
}

#[test]
fn postmark_checks_the_url_password() {
    let key = "postmark-password-1234";
    let good = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("pursuit:{key}"))
    );
    let bad = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("pursuit:guess")
    );
    let body = br#"{"RecordType":"Bounce","ID":42,"Type":"HardBounce","TypeCode":1,"MessageID":"pm-1","Email":"Lee@example.com","BouncedAt":"2026-01-01T00:00:00.1234567Z","Description":"The server was unable to deliver your message","Details":"smtp;550 5.1.1 unknown"}"#;
    verify(
        Provider::Postmark,
        key,
        &headers(&[("authorization", &good)]),
        body,
        at(0),
    )
    .unwrap();
    assert_eq!(
        verify(
            Provider::Postmark,
            key,
            &headers(&[("authorization", &bad)]),
            body,
            at(0)
        ),
        Err(Refused::Signature)
    );
    let events = read(Provider::Postmark, body).unwrap();
    assert_eq!(events[0].kind, EventKind::Bounced { permanent: true });
    assert_eq!(events[0].recipient.as_deref(), Some("lee@example.com"));
    assert_eq!(events[0].event_id.as_deref(), Some("Bounce:42"));
    assert_eq!(
        events[0].occurred_at.unwrap().to_string(),
        "2026-01-01T00:00:00.1234567Z"
    );
    let soft = br#"{"RecordType":"Bounce","ID":43,"Type":"SoftBounce","Email":"lee@example.com"}"#;
    assert_eq!(
        read(Provider::Postmark, soft).unwrap()[0].kind,
        EventKind::Bounced { permanent: false }
    );
    let complaint = br#"{"RecordType":"SpamComplaint","ID":44,"Type":"SpamComplaint","Email":"lee@example.com"}"#;
    assert_eq!(
        read(Provider::Postmark, complaint).unwrap()[0].kind,
        EventKind::Complaint
    );
}

#[test]
fn sns_vectors_verify_in_both_versions() {
    let v = vectors();
    let cert = include_bytes!("../tests/fixtures/events/sns-cert.pem");
    // Within the test certificate's validity (made by make.py, good for 9,000 days).
    let now = "2027-06-01T00:00:00Z".parse().unwrap();
    for name in ["sns_v1", "sns_v2", "sns_confirm"] {
        let envelope = SnsEnvelope::read(v[name].as_str().unwrap().as_bytes()).unwrap();
        envelope.verify(cert, now).unwrap();
        sns_address(&envelope.signing_cert_url, true).unwrap();
        let mut forged = envelope.clone();
        forged.message = forged.message.replace("Permanent", "Transient");
        forged.subscribe_url = forged
            .subscribe_url
            .map(|u| u.replace("tok-123", "tok-124"));
        assert_eq!(forged.verify(cert, now), Err(Refused::Signature), "{name}");
    }
    let envelope = SnsEnvelope::read(v["sns_v2"].as_str().unwrap().as_bytes()).unwrap();
    let events = read(Provider::Ses, envelope.message.as_bytes()).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventKind::Bounced { permanent: true });
    assert_eq!(events[0].message_id.as_deref(), Some("ses-1@pursuit.test"));
    assert_eq!(events[0].event_id.as_deref(), Some("fb-1"));
    // A certificate past its end does not verify.
    let later = "2099-01-01T00:00:00Z".parse().unwrap();
    assert!(matches!(envelope.verify(cert, later), Err(Refused::Key(_))));
    let mut v3 = envelope.clone();
    v3.signature_version = "3".to_owned();
    assert!(matches!(v3.verify(cert, now), Err(Refused::Malformed(_))));
}

#[test]
fn sns_addresses_outside_aws_are_refused() {
    for good in [
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem",
        "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem",
        "https://sns.eu-west-3.amazonaws.com:443/x.pem",
    ] {
        sns_address(good, true).unwrap();
    }
    for bad in [
        "http://sns.us-east-1.amazonaws.com/x.pem",
        "https://sns.us-east-1.amazonaws.com.evil.example/x.pem",
        "https://evil.example/sns.us-east-1.amazonaws.com/x.pem",
        "https://sns.us-east-1.amazonaws.com@evil.example/x.pem",
        "https://user@sns.us-east-1.amazonaws.com/x.pem",
        "https://sns.us-east-1.amazonaws.com:8443/x.pem",
        "https://sns..amazonaws.com/x.pem",
        "https://SNS.US-EAST-1.amazonaws.com/x.pem",
        "https://sns.us_east.amazonaws.com/x.pem",
        "https://sqs.us-east-1.amazonaws.com/x.pem",
        "https://sns.us-east-1.amazonaws.com/x.pem?u=1",
        "https://sns.us-east-1.amazonaws.com/x.txt",
        "https://sns.us-east-1.amazonaws.com",
        "https://127.0.0.1/x.pem",
        "file:///etc/passwd",
    ] {
        assert!(sns_address(bad, true).is_err(), "{bad}");
    }
    sns_address(
        "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=t",
        false,
    )
    .unwrap();
}

#[test]
fn hostile_bodies_are_errors() {
    for provider in Provider::ALL {
        for body in [
            &b""[..],
            b"null",
            b"[",
            b"{\"a\":",
            b"\xff\xfe",
            b"[1,2,3]",
            b"{}",
        ] {
            // Reading never panics; what it cannot read it says.
            let _ = read(provider, body);
            let _ = verify(provider, "k", &headers(&[]), body, at(0));
        }
    }
    assert!(SnsEnvelope::read(b"{}").is_err());
    assert!(read(Provider::SendGrid, b"{}").is_err());
    let many = format!(
        "[{}]",
        vec![r#"{"event":"delivered","email":"a@b.c"}"#; MAX_EVENTS + 10].join(",")
    );
    assert_eq!(
        read(Provider::SendGrid, many.as_bytes()).unwrap().len(),
        MAX_EVENTS
    );
}

#[test]
fn keys_are_checked_per_provider() {
    assert!(
        Provider::Ses
            .check_key("arn:aws:sns:us-east-1:123456789012:ses-events")
            .is_ok()
    );
    assert!(Provider::Ses.check_key("ses-events").is_err());
    assert!(Provider::Mailgun.check_key("short").is_err());
    assert!(
        Provider::Postmark
            .check_key("a-long-enough-password")
            .is_ok()
    );
    for p in Provider::ALL {
        assert_eq!(Provider::parse(p.as_str()), Some(p));
    }
    assert_eq!(Provider::parse("SendGrid"), None);
}
