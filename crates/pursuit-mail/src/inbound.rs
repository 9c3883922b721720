//! Mail that came back to a user's mailbox, read into what the tracker needs: which sent
//! emails it refers to, who wrote, and whether a person answered, a machine answered for
//! them (RFC 3834 and the usual out-of-office marks), a server said the email could not be
//! delivered (RFC 3464 delivery status, and the plain bounces some servers still send), or
//! the recipient reported it as abuse (RFC 5965). Malformed MIME is read as far as it goes;
//! nothing here fails on what a sender wrote.

use mail_parser::{MessageParser, MimeHeaders, PartType};

/// At most this much of a message's text is kept.
pub const TEXT_LIMIT: usize = 20_000;

/// What came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A person answered.
    Reply,
    /// A machine answered (out of office, "we received your application").
    Automatic,
    /// The email could not be delivered: `permanent` (5.x.x, or a failure with no status)
    /// or delayed/temporary (4.x.x).
    Bounce {
        permanent: bool,
        status: Option<String>,
        recipient: Option<String>,
        diagnostic: Option<String>,
    },
    /// The recipient reported it (an ARF feedback report).
    Complaint { feedback_type: String },
}

impl Kind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Reply => "reply",
            Kind::Automatic => "automatic",
            Kind::Bounce { .. } => "bounce",
            Kind::Complaint { .. } => "complaint",
        }
    }
}

/// One message read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbound {
    /// Its Message-ID without angle brackets, if it has one.
    pub message_id: Option<String>,
    /// The Message-IDs it refers to (without angle brackets): `In-Reply-To`, `References`,
    /// and for a bounce or a report the original message's, nearest first.
    pub refers_to: Vec<String>,
    /// The sender's address, lower-cased.
    pub from: Option<String>,
    pub from_name: Option<String>,
    pub subject: String,
    pub date: Option<jiff::Timestamp>,
    pub kind: Kind,
    /// Its plain text (HTML made text when there is no plain part), at most [`TEXT_LIMIT`].
    pub text: String,
    /// The token of a warmup email between the user's own mailboxes
    /// ([`crate::outreach::WARMUP_HEADER`]), when it carries one that looks like ours.
    pub warmup: Option<String>,
}

fn bare(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_owned()
}

fn ids(value: &mail_parser::HeaderValue<'_>) -> Vec<String> {
    match value {
        mail_parser::HeaderValue::Text(t) => vec![bare(t)],
        mail_parser::HeaderValue::TextList(list) => list.iter().map(|t| bare(t)).collect(),
        _ => Vec::new(),
    }
}

fn cut(text: &str) -> String {
    if text.len() <= TEXT_LIMIT {
        return text.to_owned();
    }
    let mut end = TEXT_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// Reads one raw message (RFC 5322 bytes); `None` only for bytes with no header at all.
pub fn read(raw: &[u8]) -> Option<Inbound> {
    let message = MessageParser::default().parse(raw)?;
    if message.headers().is_empty() {
        return None;
    }
    let mut refers_to = Vec::new();
    let mut in_reply_to = ids(message.in_reply_to());
    let mut references = ids(message.references());
    references.reverse();
    refers_to.append(&mut in_reply_to);
    refers_to.append(&mut references);

    let from = message.from().and_then(|a| a.first());
    let from_address = from
        .and_then(|a| a.address())
        .map(|a| a.trim().to_lowercase());
    let subject = message.subject().unwrap_or_default().trim().to_owned();
    let text = message
        .body_text(0)
        .map(|t| t.into_owned())
        .unwrap_or_default();

    let report_type = message
        .content_type()
        .filter(|ct| {
            ct.ctype().eq_ignore_ascii_case("multipart")
                && ct
                    .subtype()
                    .is_some_and(|s| s.eq_ignore_ascii_case("report"))
        })
        .and_then(|ct| ct.attribute("report-type"))
        .map(str::to_ascii_lowercase);

    let mut status_text = None;
    let mut feedback_text = None;
    let mut original: Option<String> = None;
    for part in &message.parts {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let full = format!(
            "{}/{}",
            ct.ctype().to_ascii_lowercase(),
            ct.subtype().unwrap_or_default().to_ascii_lowercase()
        );
        match full.as_str() {
            "message/delivery-status" | "message/global-delivery-status" => {
                status_text = Some(String::from_utf8_lossy(part.contents()).into_owned());
            }
            "message/feedback-report" => {
                feedback_text = Some(String::from_utf8_lossy(part.contents()).into_owned());
            }
            "message/rfc822" | "message/global" | "text/rfc822-headers" => {
                let id = match &part.body {
                    PartType::Message(inner) => inner.message_id().map(bare),
                    _ => MessageParser::default()
                        .parse_headers(part.contents())
                        .and_then(|m| m.message_id().map(bare)),
                };
                if original.is_none() {
                    original = id;
                }
            }
            _ => {}
        }
    }

    let kind = if report_type.as_deref() == Some("feedback-report") || feedback_text.is_some() {
        let feedback_type = feedback_text
            .as_deref()
            .and_then(|t| field(t, "feedback-type"))
            .unwrap_or_else(|| "abuse".to_owned());
        Kind::Complaint { feedback_type }
    } else if report_type.as_deref() == Some("delivery-status") || status_text.is_some() {
        delivery_status(status_text.as_deref().unwrap_or_default())
    } else if is_plain_bounce(from_address.as_deref(), &subject) {
        plain_bounce(&text)
    } else if is_automatic(&message, &subject) {
        Kind::Automatic
    } else {
        Kind::Reply
    };
    if let Some(id) = original
        && !matches!(kind, Kind::Reply | Kind::Automatic)
    {
        refers_to.insert(0, id);
    } else if !matches!(kind, Kind::Reply | Kind::Automatic) {
        // A plain bounce quotes the original's headers in its text.
        if let Some(id) = quoted_message_id(&text) {
            refers_to.insert(0, id);
        }
    }
    refers_to.retain(|id| !id.is_empty());
    refers_to.dedup();

    Some(Inbound {
        message_id: message.message_id().map(bare),
        refers_to,
        from: from_address,
        from_name: from.and_then(|a| a.name()).map(|n| n.trim().to_owned()),
        subject,
        date: message
            .date()
            .and_then(|d| jiff::Timestamp::from_second(d.to_timestamp()).ok()),
        kind,
        text: cut(&text),
        warmup: message
            .header_raw(crate::outreach::WARMUP_HEADER)
            .map(str::trim)
            .filter(|t| {
                (8..=80).contains(&t.len())
                    && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
            .map(str::to_owned),
    })
}

/// A field of a delivery-status or feedback report (`Name: value`), the first one.
fn field(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

/// A DSN's first failed (else first) recipient: its action, status and diagnostic.
fn delivery_status(text: &str) -> Kind {
    // Per-message fields come first, then one block per recipient, blank-line separated.
    let blocks: Vec<&str> = text.split("\n\n").collect();
    let recipient_block = blocks
        .iter()
        .find(|b| field(b, "action").is_some_and(|a| a.eq_ignore_ascii_case("failed")))
        .or_else(|| blocks.iter().find(|b| field(b, "action").is_some()))
        .copied()
        .unwrap_or(text);
    let action = field(recipient_block, "action").map(|a| a.to_ascii_lowercase());
    let status = field(recipient_block, "status")
        .map(|s| s.split_whitespace().next().unwrap_or_default().to_owned());
    let permanent = match (&action, &status) {
        (_, Some(s)) if s.starts_with('5') => true,
        (_, Some(s)) if s.starts_with('4') => false,
        (Some(a), _) => a == "failed",
        (None, _) => true,
    };
    Kind::Bounce {
        permanent,
        status,
        recipient: field(recipient_block, "final-recipient")
            .or_else(|| field(recipient_block, "original-recipient"))
            .map(|r| {
                r.rsplit(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_lowercase()
            }),
        diagnostic: field(recipient_block, "diagnostic-code")
            .map(|d| d.rsplit(';').next().unwrap_or_default().trim().to_owned()),
    }
}

/// A bounce sent as an ordinary message by a mail server (no delivery-status part).
fn is_plain_bounce(from: Option<&str>, subject: &str) -> bool {
    let from = from.unwrap_or_default();
    let local = from.split('@').next().unwrap_or_default();
    let daemon = matches!(local, "mailer-daemon" | "postmaster" | "mail-daemon");
    let subject = subject.to_lowercase();
    let says = [
        "undeliverable",
        "undelivered mail",
        "delivery status notification (failure)",
        "mail delivery failed",
        "delivery failure",
        "returned mail",
        "failure notice",
        "unzustellbar",
        "non remis",
        "no se puede entregar",
    ];
    daemon && (subject.is_empty() || says.iter().any(|s| subject.contains(s)))
        || says[..5].iter().any(|s| subject.contains(s)) && daemon_like(from)
}

fn daemon_like(from: &str) -> bool {
    from.is_empty() || from.contains("daemon") || from.contains("postmaster")
}

/// What a plain bounce's text says: an enhanced status code if it gives one.
fn plain_bounce(text: &str) -> Kind {
    let status = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .find(|w| {
            let parts: Vec<&str> = w.trim_end_matches(['.', ',', ':']).split('.').collect();
            parts.len() == 3
                && matches!(parts[0], "4" | "5")
                && parts[1..]
                    .iter()
                    .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
        })
        .map(|w| w.trim_end_matches(['.', ',', ':']).to_owned());
    let permanent = status.as_deref().is_none_or(|s| s.starts_with('5'));
    Kind::Bounce {
        permanent,
        status,
        recipient: None,
        diagnostic: text
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("550") || l.starts_with("554") || l.starts_with("553"))
            .map(str::to_owned),
    }
}

/// A `Message-ID:` quoted in a bounce's text.
fn quoted_message_id(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (key, value) = line.trim().split_once(':')?;
        key.eq_ignore_ascii_case("message-id")
            .then(|| bare(value))
            .filter(|id| id.contains('@'))
    })
}

/// RFC 3834's `Auto-Submitted` (anything but `no`), and the marks mail programs use for
/// out-of-office and other automatic answers.
fn is_automatic(message: &mail_parser::Message<'_>, subject: &str) -> bool {
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_ascii_lowercase())
    };
    if header("Auto-Submitted").is_some_and(|v| !v.starts_with("no")) {
        return true;
    }
    if header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || header("X-Autoresponse").is_some()
        || header("X-Auto-Response-Suppress")
            .is_some_and(|v| v.contains("all") || v.contains("oof"))
    {
        return true;
    }
    if header("Precedence").is_some_and(|v| matches!(v.as_str(), "auto_reply" | "bulk" | "junk")) {
        return true;
    }
    let subject = subject.to_lowercase();
    [
        "out of office",
        "automatic reply",
        "auto-reply",
        "autoreply",
        "auto reply",
        "abwesenheitsnotiz",
        "automatische antwort",
        "réponse automatique",
        "respuesta automática",
        "resposta automática",
        "risposta automatica",
        "automatisch antwoord",
        "autosvar",
    ]
    .iter()
    .any(|mark| subject.contains(mark))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENT: &str = "01a2b3c4.outreach@example.com";

    fn reply(headers: &str, body: &str) -> Vec<u8> {
        format!(
            "From: Grace Hopper <Grace@Kaiyo.example>\r\nTo: ana@example.com\r\nSubject: Re: Data Analyst at Kaiyo\r\nDate: Fri, 4 Dec 2026 10:00:00 +0000\r\nMessage-ID: <answer-1@kaiyo.example>\r\n{headers}\r\n{body}"
        )
        .into_bytes()
    }

    #[test]
    fn a_person_answering_is_a_reply_referring_to_the_email() {
        let raw = reply(
            &format!("In-Reply-To: <{SENT}>\r\nReferences: <first@example.com> <{SENT}>\r\n"),
            "Happy to talk.\r\n\r\nOn Thu, Ana wrote:\r\n> Hi\r\n",
        );
        let read = read(&raw).unwrap();
        assert_eq!(read.kind, Kind::Reply);
        assert_eq!(read.refers_to, [SENT, "first@example.com"]);
        assert_eq!(read.from.as_deref(), Some("grace@kaiyo.example"));
        assert_eq!(read.message_id.as_deref(), Some("answer-1@kaiyo.example"));
        assert!(read.text.starts_with("Happy to talk."));
        assert_eq!(read.date.unwrap().as_second(), 1_796_378_400);
    }

    #[test]
    fn machines_answering_are_automatic() {
        for headers in [
            "Auto-Submitted: auto-replied\r\n",
            "X-Autoreply: yes\r\n",
            "Precedence: auto_reply\r\n",
            "X-Auto-Response-Suppress: All\r\n",
        ] {
            let raw = reply(
                &format!("In-Reply-To: <{SENT}>\r\n{headers}"),
                "I am away.\r\n",
            );
            assert_eq!(read(&raw).unwrap().kind, Kind::Automatic, "{headers}");
        }
        let raw = reply("Auto-Submitted: no\r\n", "A person.\r\n");
        assert_eq!(read(&raw).unwrap().kind, Kind::Reply);
        let subject =
            b"From: g@kaiyo.example\r\nSubject: Automatic reply: Data Analyst\r\n\r\nAway\r\n";
        assert_eq!(read(subject).unwrap().kind, Kind::Automatic);
    }

    #[test]
    fn a_delivery_status_report_is_a_bounce_of_the_original() {
        let raw = format!(
            "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\nTo: ana@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@mx.example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\nArrival-Date: Fri, 4 Dec 2026 10:00:00 +0000\r\n\r\nFinal-Recipient: rfc822; nobody@kaiyo.example\r\nOriginal-Recipient: rfc822;nobody@kaiyo.example\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <nobody@kaiyo.example>: Recipient address rejected\r\n\r\n--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: ana@example.com\r\nTo: nobody@kaiyo.example\r\nSubject: Data Analyst\r\nMessage-ID: <{SENT}>\r\n\r\n--b1--\r\n"
        );
        let read = read(raw.as_bytes()).unwrap();
        let Kind::Bounce {
            permanent,
            status,
            recipient,
            diagnostic,
        } = &read.kind
        else {
            panic!("{read:?}");
        };
        assert!(permanent);
        assert_eq!(status.as_deref(), Some("5.1.1"));
        assert_eq!(recipient.as_deref(), Some("nobody@kaiyo.example"));
        assert!(
            diagnostic
                .as_deref()
                .unwrap()
                .contains("Recipient address rejected")
        );
        assert_eq!(read.refers_to.first().map(String::as_str), Some(SENT));
    }

    #[test]
    fn a_delayed_delivery_is_not_permanent() {
        let raw = "From: postmaster@mx.example\r\nSubject: Delivery delayed\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; x@y.example\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n--b--\r\n";
        let Kind::Bounce { permanent, .. } = read(raw.as_bytes()).unwrap().kind else {
            panic!()
        };
        assert!(!permanent);
    }

    #[test]
    fn a_plain_bounce_quoting_the_original_is_a_bounce() {
        let raw = format!(
            "From: MAILER-DAEMON@mail.example.net\r\nSubject: failure notice\r\n\r\nHi. This is the qmail-send program.\r\n<nobody@kaiyo.example>:\r\n550 5.1.1 user unknown\r\n\r\n--- Below this line is a copy of the message.\r\n\r\nMessage-ID: <{SENT}>\r\nSubject: Data Analyst\r\n"
        );
        let read = read(raw.as_bytes()).unwrap();
        assert!(
            matches!(&read.kind, Kind::Bounce { permanent: true, status: Some(s), .. } if s == "5.1.1"),
            "{read:?}"
        );
        assert_eq!(read.refers_to, [SENT]);
    }

    #[test]
    fn an_abuse_report_is_a_complaint_about_the_original() {
        let raw = format!(
            "From: fbl@isp.example\r\nSubject: Abuse report\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"f\"\r\n\r\n--f\r\nContent-Type: text/plain\r\n\r\nThis is an email abuse report.\r\n--f\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: isp-fbl/1.0\r\nVersion: 1\r\n\r\n--f\r\nContent-Type: message/rfc822\r\n\r\nFrom: ana@example.com\r\nTo: grace@kaiyo.example\r\nMessage-ID: <{SENT}>\r\nSubject: Data Analyst\r\n\r\nHi\r\n--f--\r\n"
        );
        let read = read(raw.as_bytes()).unwrap();
        assert_eq!(
            read.kind,
            Kind::Complaint {
                feedback_type: "abuse".to_owned()
            }
        );
        assert_eq!(read.refers_to, [SENT]);
    }

    #[test]
    fn broken_mail_is_read_as_far_as_it_goes() {
        assert!(read(b"").is_none());
        for raw in [
            &b"Subject: \xff\xfe broken\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhalf"[..],
            b"From: <<<>>>\r\nIn-Reply-To: <<>\r\n\r\n",
            b"Content-Type: multipart/report; report-type=delivery-status\r\n\r\n",
        ] {
            let _ = read(raw);
        }
        let long = reply("", &"word ".repeat(10_000));
        assert!(read(&long).unwrap().text.len() <= TEXT_LIMIT);
    }
}
