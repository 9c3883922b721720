//! What a sending service reports about an email after it left: delivered, bounced, a spam
//! complaint, a click, an unsubscribe. Each provider's webhook is checked with the scheme
//! the provider documents, then read into one shape ([`Event`]).
//!
//! | provider | proof | what identifies the email |
//! |---|---|---|
//! | SendGrid | ECDSA P-256 over `timestamp ‖ body` (`X-Twilio-Email-Event-Webhook-*`), the verification key | `smtp-id` (the Message-ID) |
//! | Mailgun | HMAC-SHA256 of `timestamp ‖ token` in the body, the webhook signing key | `message.headers.message-id` |
//! | Postmark | HTTP Basic credentials in the webhook URL (Postmark signs nothing) | the recipient |
//! | Resend | Svix: HMAC-SHA256 of `id.timestamp.body` (`svix-*` or `webhook-*` headers), the `whsec_` secret | the recipient |
//! | Amazon SES | SNS: RSA over the documented string to sign, the certificate at an `https://sns.<region>.amazonaws.com/…pem` address only; the topic ARN must be the configured one | `mail.commonHeaders.messageId` |
//!
//! A timestamp more than [`TOLERANCE`] from now is refused (replay); the same event sent
//! again is the caller's to ignore (it deduplicates what it stores). Nothing here panics on
//! what a stranger posts.

use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use crate::der::{self, PublicKey};

/// How far a signed timestamp may be from now, either way.
pub const TOLERANCE: SignedDuration = SignedDuration::from_mins(5);

/// A sending service whose events Pursuit reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    SendGrid,
    Mailgun,
    Postmark,
    Resend,
    Ses,
}

impl Provider {
    pub const ALL: [Provider; 5] = [
        Provider::SendGrid,
        Provider::Mailgun,
        Provider::Postmark,
        Provider::Resend,
        Provider::Ses,
    ];

    pub fn parse(text: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::SendGrid => "sendgrid",
            Provider::Mailgun => "mailgun",
            Provider::Postmark => "postmark",
            Provider::Resend => "resend",
            Provider::Ses => "ses",
        }
    }

    /// What the key a user gives for this provider is, in the provider's words.
    pub fn key_name(self) -> &'static str {
        match self {
            Provider::SendGrid => "the Signed Event Webhook's verification key",
            Provider::Mailgun => "the HTTP webhook signing key",
            Provider::Postmark => "a password you choose for the webhook URL",
            Provider::Resend => "the webhook's signing secret (whsec_…)",
            Provider::Ses => "the SNS topic's ARN",
        }
    }

    /// Checks a key as a user gives it, before it is kept.
    pub fn check_key(self, key: &str) -> Result<(), String> {
        let key = key.trim();
        match self {
            Provider::SendGrid => {
                match der::pem_or_base64(key).and_then(|der| der::public_key_info(&der)) {
                    Ok(PublicKey::P256(_)) => Ok(()),
                    Ok(PublicKey::Rsa(_)) => {
                        Err("is an RSA key; SendGrid's verification key is EC P-256".to_owned())
                    }
                    Err(why) => Err(format!(
                        "is not SendGrid's verification key (base64 of a public key): {why}"
                    )),
                }
            }
            Provider::Mailgun | Provider::Postmark if key.len() < 16 => {
                Err("is too short: use at least 16 characters".to_owned())
            }
            Provider::Mailgun | Provider::Postmark => Ok(()),
            Provider::Resend => svix_secret(key).map(|_| ()),
            Provider::Ses => {
                let parts: Vec<&str> = key.split(':').collect();
                if parts.len() == 6 && parts[0] == "arn" && parts[2] == "sns" {
                    Ok(())
                } else {
                    Err("is not an SNS topic ARN (arn:aws:sns:region:account:topic)".to_owned())
                }
            }
        }
    }
}

/// Why a webhook request is not believed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the request has no {0}")]
    Missing(&'static str),
    #[error("the stored key cannot be used: {0}")]
    Key(String),
    #[error("the signed timestamp is more than five minutes from now")]
    Stale,
    #[error("the signature does not match")]
    Signature,
    #[error("{0}")]
    Malformed(String),
}

/// Checks a request from SendGrid, Mailgun, Postmark or Resend with the user's `key`
/// (Amazon SES goes through [`SnsEnvelope`]). `header` looks a header up by its lowercase
/// name.
pub fn verify(
    provider: Provider,
    key: &str,
    header: &dyn Fn(&str) -> Option<String>,
    body: &[u8],
    now: Timestamp,
) -> Result<(), Refused> {
    match provider {
        Provider::SendGrid => verify_sendgrid(key, header, body, now),
        Provider::Mailgun => verify_mailgun(key, body, now),
        Provider::Postmark => verify_basic(key, header),
        Provider::Resend => verify_svix(key, header, body, now),
        Provider::Ses => Err(Refused::Malformed(
            "Amazon SES events come through SNS".to_owned(),
        )),
    }
}

fn fresh(seconds: &str, now: Timestamp) -> Result<(), Refused> {
    let seconds: i64 = seconds
        .trim()
        .parse()
        .map_err(|_| Refused::Malformed("the timestamp is not a number".to_owned()))?;
    let at = Timestamp::from_second(seconds).map_err(|_| Refused::Stale)?;
    if now.duration_since(at).abs() > TOLERANCE {
        return Err(Refused::Stale);
    }
    Ok(())
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim().as_bytes())
        .ok()
}

fn verify_sendgrid(
    key: &str,
    header: &dyn Fn(&str) -> Option<String>,
    body: &[u8],
    now: Timestamp,
) -> Result<(), Refused> {
    let signature = header("x-twilio-email-event-webhook-signature").ok_or(Refused::Missing(
        "X-Twilio-Email-Event-Webhook-Signature header",
    ))?;
    let timestamp = header("x-twilio-email-event-webhook-timestamp").ok_or(Refused::Missing(
        "X-Twilio-Email-Event-Webhook-Timestamp header",
    ))?;
    fresh(&timestamp, now)?;
    let point = match der::pem_or_base64(key).and_then(|d| der::public_key_info(&d)) {
        Ok(PublicKey::P256(point)) => point,
        Ok(PublicKey::Rsa(_)) => return Err(Refused::Key("not an EC P-256 key".to_owned())),
        Err(why) => return Err(Refused::Key(why)),
    };
    let signature = base64_decode(&signature).ok_or(Refused::Signature)?;
    let mut signed = timestamp.into_bytes();
    signed.extend_from_slice(body);
    ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_ASN1, point)
        .verify(&signed, &signature)
        .map_err(|_| Refused::Signature)
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn verify_mailgun(key: &str, body: &[u8], now: Timestamp) -> Result<(), Refused> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| Refused::Malformed("the body is not JSON".to_owned()))?;
    let signature = value
        .get("signature")
        .ok_or(Refused::Missing("signature object"))?;
    let field = |name: &'static str| -> Result<String, Refused> {
        match signature.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            _ => Err(Refused::Missing(name)),
        }
    };
    let (timestamp, token, given) = (field("timestamp")?, field("token")?, field("signature")?);
    fresh(&timestamp, now)?;
    let tag = hex_decode(&given).ok_or(Refused::Signature)?;
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key.trim().as_bytes());
    ring::hmac::verify(&key, format!("{timestamp}{token}").as_bytes(), &tag)
        .map_err(|_| Refused::Signature)
}

fn verify_basic(key: &str, header: &dyn Fn(&str) -> Option<String>) -> Result<(), Refused> {
    let given = header("authorization").ok_or(Refused::Missing(
        "Authorization header (put the credentials in the webhook URL)",
    ))?;
    let encoded = given.strip_prefix("Basic ").ok_or(Refused::Malformed(
        "the Authorization is not Basic".to_owned(),
    ))?;
    let decoded = base64_decode(encoded).ok_or(Refused::Signature)?;
    let password = decoded
        .iter()
        .position(|b| *b == b':')
        .map(|i| &decoded[i + 1..])
        .ok_or(Refused::Signature)?;
    // Compared through HMAC so the time taken says nothing about the password.
    let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"pursuit-basic");
    let expected = ring::hmac::sign(&k, key.trim().as_bytes());
    ring::hmac::verify(&k, password, expected.as_ref()).map_err(|_| Refused::Signature)
}

/// The bytes of a Svix secret (`whsec_` and base64).
fn svix_secret(key: &str) -> Result<Vec<u8>, String> {
    let encoded = key
        .trim()
        .strip_prefix("whsec_")
        .ok_or("does not start with whsec_")?;
    match base64_decode(encoded) {
        Some(bytes) if bytes.len() >= 16 => Ok(bytes),
        _ => Err("is not whsec_ followed by base64 of at least 16 bytes".to_owned()),
    }
}

fn verify_svix(
    key: &str,
    header: &dyn Fn(&str) -> Option<String>,
    body: &[u8],
    now: Timestamp,
) -> Result<(), Refused> {
    let either = |a: &str, b: &str| header(a).or_else(|| header(b));
    let id = either("svix-id", "webhook-id").ok_or(Refused::Missing("svix-id header"))?;
    let timestamp = either("svix-timestamp", "webhook-timestamp")
        .ok_or(Refused::Missing("svix-timestamp header"))?;
    let signatures = either("svix-signature", "webhook-signature")
        .ok_or(Refused::Missing("svix-signature header"))?;
    fresh(&timestamp, now)?;
    let secret = svix_secret(key).map_err(Refused::Key)?;
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &secret);
    let mut signed = format!("{id}.{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    // Several signatures may be given (a secret being rotated): any one will do.
    let good = signatures.split_whitespace().any(|entry| {
        entry
            .strip_prefix("v1,")
            .and_then(base64_decode)
            .is_some_and(|tag| ring::hmac::verify(&key, &signed, &tag).is_ok())
    });
    if good {
        Ok(())
    } else {
        Err(Refused::Signature)
    }
}

/// An SNS message (how Amazon SES reports its events): the envelope around SES's JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnsEnvelope {
    /// `Notification`, `SubscriptionConfirmation` or `UnsubscribeConfirmation`.
    pub kind: String,
    pub message_id: String,
    pub topic_arn: String,
    pub subject: Option<String>,
    pub message: String,
    pub timestamp: String,
    pub signature_version: String,
    pub signature: String,
    pub signing_cert_url: String,
    pub subscribe_url: Option<String>,
    pub token: Option<String>,
}

impl SnsEnvelope {
    /// Reads the envelope; a field a signature covers that is missing is an error.
    pub fn read(body: &[u8]) -> Result<SnsEnvelope, Refused> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|_| Refused::Malformed("the body is not an SNS message (JSON)".to_owned()))?;
        let text = |name: &'static str| value.get(name).and_then(Value::as_str).map(str::to_owned);
        let need = |name: &'static str| text(name).ok_or(Refused::Missing(name));
        let envelope = SnsEnvelope {
            kind: need("Type")?,
            message_id: need("MessageId")?,
            topic_arn: need("TopicArn")?,
            subject: text("Subject"),
            message: need("Message")?,
            timestamp: need("Timestamp")?,
            signature_version: need("SignatureVersion")?,
            signature: need("Signature")?,
            signing_cert_url: need("SigningCertURL")?,
            subscribe_url: text("SubscribeURL"),
            token: text("Token"),
        };
        if envelope.kind != "Notification"
            && (envelope.subscribe_url.is_none() || envelope.token.is_none())
        {
            return Err(Refused::Missing("SubscribeURL and Token"));
        }
        Ok(envelope)
    }

    /// What SNS signed: the documented fields in order, each as `name\nvalue\n`.
    pub fn string_to_sign(&self) -> String {
        let mut out = String::new();
        let mut add = |name: &str, value: &str| {
            out.push_str(name);
            out.push('\n');
            out.push_str(value);
            out.push('\n');
        };
        add("Message", &self.message);
        add("MessageId", &self.message_id);
        if self.kind == "Notification" {
            if let Some(subject) = &self.subject {
                add("Subject", subject);
            }
        } else {
            add(
                "SubscribeURL",
                self.subscribe_url.as_deref().unwrap_or_default(),
            );
        }
        add("Timestamp", &self.timestamp);
        if self.kind != "Notification" {
            add("Token", self.token.as_deref().unwrap_or_default());
        }
        add("TopicArn", &self.topic_arn);
        add("Type", &self.kind);
        out
    }

    /// Checks the signature with the certificate (PEM, as SNS serves it) fetched from
    /// [`SnsEnvelope::signing_cert_url`] after [`sns_address`] allowed it.
    pub fn verify(&self, certificate_pem: &[u8], now: Timestamp) -> Result<(), Refused> {
        let text = std::str::from_utf8(certificate_pem)
            .map_err(|_| Refused::Key("the certificate is not PEM".to_owned()))?;
        let der = der::pem_or_base64(text).map_err(Refused::Key)?;
        let cert = der::certificate(&der).map_err(Refused::Key)?;
        if now < cert.not_before || now > cert.not_after {
            return Err(Refused::Key(
                "the signing certificate is not valid now".to_owned(),
            ));
        }
        let PublicKey::Rsa(key) = cert.key else {
            return Err(Refused::Key(
                "the signing certificate's key is not RSA".to_owned(),
            ));
        };
        let algorithm: &dyn ring::signature::VerificationAlgorithm =
            match self.signature_version.as_str() {
                "1" => &ring::signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
                "2" => &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                other => {
                    return Err(Refused::Malformed(format!(
                        "SignatureVersion {other} is not one SNS documents"
                    )));
                }
            };
        let signature = base64_decode(&self.signature).ok_or(Refused::Signature)?;
        ring::signature::UnparsedPublicKey::new(algorithm, key)
            .verify(self.string_to_sign().as_bytes(), &signature)
            .map_err(|_| Refused::Signature)
    }
}

/// Whether `url` may be fetched for SNS (a signing certificate or a subscription's
/// confirmation): https, on the default port, at `sns.<region>.amazonaws.com` (or `.com.cn`),
/// with no credentials; a certificate's path ends in `.pem`. Anything else is refused
/// before any connection.
pub fn sns_address(url: &str, certificate: bool) -> Result<(), Refused> {
    let refuse = || {
        Refused::Malformed(
            "the SNS address is not at https://sns.<region>.amazonaws.com/; it is not fetched"
                .to_owned(),
        )
    };
    let rest = url.strip_prefix("https://").ok_or_else(refuse)?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(end);
    let host = host.strip_suffix(":443").unwrap_or(host);
    let region = host
        .strip_prefix("sns.")
        .and_then(|h| {
            h.strip_suffix(".amazonaws.com")
                .or_else(|| h.strip_suffix(".amazonaws.com.cn"))
        })
        .ok_or_else(refuse)?;
    let region_ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !region_ok || !path.starts_with('/') {
        return Err(refuse());
    }
    if certificate && (path.contains(['?', '#']) || !path.ends_with(".pem")) {
        return Err(refuse());
    }
    Ok(())
}

/// What happened to an email, as the provider reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    Delivered,
    /// `permanent`: the address does not take mail (a hard bounce); else a delay or a
    /// block that may pass.
    Bounced {
        permanent: bool,
    },
    Complaint,
    Clicked {
        url: Option<String>,
    },
    Unsubscribed,
    /// Reported but not acted on (an open, a deferral, a "processed"…), by its name.
    Other(String),
}

/// One event about one recipient of one email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    /// Lowercase.
    pub recipient: Option<String>,
    /// The email's own Message-ID (without angle brackets), when the provider echoes it.
    pub message_id: Option<String>,
    /// The provider's id of this event, when it gives one.
    pub event_id: Option<String>,
    pub occurred_at: Option<Timestamp>,
    /// What the provider said (a status, a diagnostic), briefly.
    pub detail: Option<String>,
}

impl Event {
    fn new(kind: EventKind) -> Event {
        Event {
            kind,
            recipient: None,
            message_id: None,
            event_id: None,
            occurred_at: None,
            detail: None,
        }
    }
}

/// The most events read from one request.
pub const MAX_EVENTS: usize = 5_000;

/// Reads the events in a provider's (checked) request body; for SES, the SNS message's
/// `Message`.
pub fn read(provider: Provider, body: &[u8]) -> Result<Vec<Event>, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let events = match provider {
        Provider::SendGrid => value
            .as_array()
            .ok_or("SendGrid posts a JSON array of events")?
            .iter()
            .take(MAX_EVENTS)
            .map(sendgrid_event)
            .collect(),
        Provider::Mailgun => vec![mailgun_event(
            value
                .get("event-data")
                .ok_or("a Mailgun event has event-data")?,
        )],
        Provider::Postmark => vec![postmark_event(&value)],
        Provider::Resend => resend_events(&value),
        Provider::Ses => ses_events(&value),
    };
    Ok(events)
}

fn text(value: &Value, path: &[&str]) -> Option<String> {
    let mut at = value;
    for key in path {
        at = at.get(key)?;
    }
    match at {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn message_id(raw: Option<String>) -> Option<String> {
    raw.map(|id| {
        id.trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_owned()
    })
    .filter(|id| !id.is_empty() && id.len() <= 500)
}

fn address(raw: Option<String>) -> Option<String> {
    raw.map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@') && a.len() <= 320)
}

fn seconds(value: Option<&Value>) -> Option<Timestamp> {
    let s = value?.as_f64()?;
    if !s.is_finite() {
        return None;
    }
    Timestamp::from_second(s.trunc() as i64).ok()
}

fn iso(value: Option<String>) -> Option<Timestamp> {
    value?.parse::<Timestamp>().ok()
}

fn joined(parts: &[Option<String>]) -> Option<String> {
    let text = parts
        .iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ");
    (!text.is_empty()).then(|| text.chars().take(500).collect())
}

fn sendgrid_event(e: &Value) -> Event {
    let name = text(e, &["event"]).unwrap_or_default();
    let reason = text(e, &["reason"]);
    let kind = match name.as_str() {
        "delivered" => EventKind::Delivered,
        // `type` tells a bounce (the address refused) from a block (the server refused
        // for now, e.g. reputation).
        "bounce" => EventKind::Bounced {
            permanent: text(e, &["type"]).as_deref() != Some("blocked"),
        },
        // Dropped because of the address's past: the address does not take our mail.
        "dropped"
            if reason.as_deref().is_some_and(|r| {
                r.contains("Bounced Address")
                    || r.contains("Invalid")
                    || r.contains("Spam Reporting")
            }) =>
        {
            EventKind::Bounced { permanent: true }
        }
        "spamreport" => EventKind::Complaint,
        "click" => EventKind::Clicked {
            url: text(e, &["url"]),
        },
        "unsubscribe" | "group_unsubscribe" => EventKind::Unsubscribed,
        other => EventKind::Other(other.to_owned()),
    };
    Event {
        recipient: address(text(e, &["email"])),
        message_id: message_id(text(e, &["smtp-id"])),
        event_id: text(e, &["sg_event_id"]),
        occurred_at: seconds(e.get("timestamp")),
        detail: joined(&[text(e, &["status"]), reason, text(e, &["response"])]),
        ..Event::new(kind)
    }
}

fn mailgun_event(e: &Value) -> Event {
    let kind = match text(e, &["event"]).unwrap_or_default().as_str() {
        "delivered" => EventKind::Delivered,
        "failed" => EventKind::Bounced {
            permanent: text(e, &["severity"]).as_deref() == Some("permanent"),
        },
        "complained" => EventKind::Complaint,
        "clicked" => EventKind::Clicked {
            url: text(e, &["url"]),
        },
        "unsubscribed" => EventKind::Unsubscribed,
        other => EventKind::Other(other.to_owned()),
    };
    Event {
        recipient: address(text(e, &["recipient"])),
        message_id: message_id(text(e, &["message", "headers", "message-id"])),
        event_id: text(e, &["id"]),
        occurred_at: seconds(e.get("timestamp")),
        detail: joined(&[
            text(e, &["delivery-status", "code"]),
            text(e, &["delivery-status", "description"])
                .or_else(|| text(e, &["delivery-status", "message"])),
            text(e, &["reason"]),
        ]),
        ..Event::new(kind)
    }
}

fn postmark_event(e: &Value) -> Event {
    let record = text(e, &["RecordType"]).unwrap_or_default();
    let bounce_type = text(e, &["Type"]).unwrap_or_default();
    let kind = match record.as_str() {
        "Delivery" => EventKind::Delivered,
        "Bounce" if bounce_type == "SpamComplaint" => EventKind::Complaint,
        "Bounce" => EventKind::Bounced {
            permanent: matches!(bounce_type.as_str(), "HardBounce" | "BadEmailAddress"),
        },
        "SpamComplaint" => EventKind::Complaint,
        "Click" => EventKind::Clicked {
            url: text(e, &["OriginalLink"]),
        },
        "SubscriptionChange" if e.get("SuppressSending").and_then(Value::as_bool) == Some(true) => {
            EventKind::Unsubscribed
        }
        other => EventKind::Other(other.to_owned()),
    };
    let when = ["DeliveredAt", "BouncedAt", "ReceivedAt", "ChangedAt"]
        .into_iter()
        .find_map(|f| iso(text(e, &[f])));
    Event {
        recipient: address(text(e, &["Recipient"]).or_else(|| text(e, &["Email"]))),
        message_id: None,
        event_id: text(e, &["ID"]).map(|id| format!("{record}:{id}")),
        occurred_at: when,
        detail: joined(&[
            (record == "Bounce").then_some(bounce_type),
            text(e, &["Description"]),
            text(e, &["Details"]),
        ]),
        ..Event::new(kind)
    }
}

fn recipients(value: Option<&Value>) -> Vec<Option<String>> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .take(100)
            .map(|i| address(i.as_str().map(str::to_owned)))
            .collect(),
        Some(Value::String(s)) => vec![address(Some(s.clone()))],
        _ => vec![None],
    }
}

fn resend_events(e: &Value) -> Vec<Event> {
    let data = e.get("data").unwrap_or(&Value::Null);
    let kind = match text(e, &["type"]).unwrap_or_default().as_str() {
        "email.delivered" => EventKind::Delivered,
        "email.bounced" => EventKind::Bounced {
            permanent: text(data, &["bounce", "type"]).as_deref() == Some("Permanent"),
        },
        "email.complained" => EventKind::Complaint,
        "email.clicked" => EventKind::Clicked {
            url: text(data, &["click", "link"]),
        },
        other => EventKind::Other(other.to_owned()),
    };
    let occurred = iso(text(e, &["created_at"]));
    let detail = joined(&[
        text(data, &["bounce", "type"]),
        text(data, &["bounce", "subType"]),
        text(data, &["bounce", "message"]),
    ]);
    recipients(data.get("to"))
        .into_iter()
        .map(|recipient| Event {
            recipient,
            event_id: None,
            occurred_at: occurred,
            detail: detail.clone(),
            ..Event::new(kind.clone())
        })
        .collect()
}

fn ses_events(e: &Value) -> Vec<Event> {
    let name = text(e, &["eventType"])
        .or_else(|| text(e, &["notificationType"]))
        .unwrap_or_default();
    let id = message_id(text(e, &["mail", "commonHeaders", "messageId"]));
    let each = |list: Option<&Value>, field: &str| -> Vec<(Option<String>, Option<Value>)> {
        match list {
            Some(Value::Array(items)) => items
                .iter()
                .take(100)
                .map(|i| {
                    let who = if field.is_empty() {
                        i.as_str().map(str::to_owned)
                    } else {
                        text(i, &[field])
                    };
                    (address(who), Some(i.clone()))
                })
                .collect(),
            _ => vec![(None, None)],
        }
    };
    let (kind, people, when, event_id) = match name.as_str() {
        "Delivery" => (
            EventKind::Delivered,
            each(e.pointer("/delivery/recipients"), ""),
            iso(text(e, &["delivery", "timestamp"])),
            None,
        ),
        "Bounce" => (
            EventKind::Bounced {
                permanent: text(e, &["bounce", "bounceType"]).as_deref() == Some("Permanent"),
            },
            each(e.pointer("/bounce/bouncedRecipients"), "emailAddress"),
            iso(text(e, &["bounce", "timestamp"])),
            text(e, &["bounce", "feedbackId"]),
        ),
        "Complaint" => (
            EventKind::Complaint,
            each(e.pointer("/complaint/complainedRecipients"), "emailAddress"),
            iso(text(e, &["complaint", "timestamp"])),
            text(e, &["complaint", "feedbackId"]),
        ),
        "Click" => (
            EventKind::Clicked {
                url: text(e, &["click", "link"]),
            },
            each(e.pointer("/mail/destination"), ""),
            iso(text(e, &["click", "timestamp"])),
            None,
        ),
        other => (
            EventKind::Other(other.to_owned()),
            vec![(None, None)],
            None,
            None,
        ),
    };
    people
        .into_iter()
        .map(|(recipient, item)| {
            let item = item.unwrap_or(Value::Null);
            Event {
                recipient,
                message_id: id.clone(),
                event_id: event_id.clone(),
                occurred_at: when,
                detail: joined(&[
                    text(e, &["bounce", "bounceSubType"]),
                    text(&item, &["status"]),
                    text(&item, &["diagnosticCode"]),
                    text(e, &["complaint", "complaintFeedbackType"]),
                ]),
                ..Event::new(kind.clone())
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "events_tests.rs"]
mod tests;
