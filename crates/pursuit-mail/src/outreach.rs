//! Outreach mail: one message to one person from the user's own mailbox, sent on a fresh
//! connection in phases, so the caller knows whether the server could have received it.
//!
//! - Everything before the message's content (connect, greeting, STARTTLS, AUTH, `MAIL`,
//!   `RCPT`, `DATA`) failing means nothing was handed over: [`SendFailure::NotSent`], safe
//!   to try again later, and saying whether the login was refused or the server refused
//!   for good.
//! - The server answering the content with 4xx/5xx refused it: also `NotSent`.
//! - The connection failing or timing out while the content went over or its answer was
//!   awaited: the server may have it. [`SendFailure::Unknown`]: the caller must not resend
//!   on its own.
//!
//! Header text (names, subject) is made single-line here whoever wrote it (CR, LF, the
//! Unicode line and paragraph separators and other control characters become spaces), and
//! lettre encodes what remains, so no text can add a header.
//!
//! The server is the user's, the network is the instance's: its name is resolved once per
//! connection, every address it gives is checked against the [`AddressPolicy`] (a refusal
//! names the kind of address, never the address), and the connection goes to the checked
//! addresses, TLS still verifying the name.

use std::net::SocketAddr;
use std::time::Duration;

pub use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};

pub use pursuit_domain::net::AddressPolicy;

use crate::{MailError, SmtpSecurity, SmtpSettings};

/// One outreach email, as the sender builds it.
#[derive(Clone, Debug, Default)]
pub struct Outgoing {
    pub from_name: String,
    pub from_address: String,
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub text: String,
    /// The fixed Message-ID, with its angle brackets (`<id@domain>`).
    pub message_id: String,
    /// The message this one answers in its thread.
    pub in_reply_to: Option<String>,
    /// Every earlier message of the thread, oldest first.
    pub references: Vec<String>,
    /// The one-click unsubscribe URL (https) and the mailto address for opting out.
    pub unsubscribe_url: Option<String>,
    pub unsubscribe_mailto: Option<String>,
    /// Marks a warmup email between the user's own mailboxes ([`WARMUP_HEADER`]): the
    /// mailbox that receives it answers and files it away.
    pub warmup: Option<String>,
}

/// The header a warmup email carries, its value the warmup's own token.
pub const WARMUP_HEADER: &str = "X-Pursuit-Warmup";

/// Why a send did not certainly happen.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendFailure {
    /// Nothing was handed over (or the server refused it).
    #[error("{reason}")]
    NotSent {
        reason: String,
        /// The server refused the login.
        auth: bool,
        /// The server refused for good (5xx): trying again changes nothing.
        permanent: bool,
    },
    /// The message may have reached the server.
    #[error("{reason}")]
    Unknown { reason: String },
    /// Pursuit did not connect: the server's address is one the [`AddressPolicy`] refuses.
    /// Nothing was handed over; the mailbox's server must change.
    #[error("{reason}")]
    HostRefused { reason: String },
}

impl SendFailure {
    fn not_sent(reason: impl Into<String>, permanent: bool) -> SendFailure {
        SendFailure::NotSent {
            reason: reason.into(),
            auth: false,
            permanent,
        }
    }
}

/// `text` on one line: every line break and control character (CR, LF, NEL, U+2028,
/// U+2029, tab, …) becomes a space, runs of spaces one, ends trimmed.
pub fn header_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out.trim_end().to_owned()
}

fn named(name: &str, address: &str) -> Result<Mailbox, MailError> {
    let address = address
        .trim()
        .parse::<lettre::Address>()
        .map_err(|e| MailError::Address {
            address: address.to_owned(),
            message: e.to_string(),
        })?;
    let name = header_safe(name);
    Ok(Mailbox::new((!name.is_empty()).then_some(name), address))
}

/// The RFC 5322 message: plain text, the fixed Message-ID, the thread headers, and the
/// RFC 8058 `List-Unsubscribe` pair when a URL is given.
pub fn build(o: &Outgoing) -> Result<Message, MailError> {
    let mut builder = Message::builder()
        .from(named(&o.from_name, &o.from_address)?)
        .to(named(&o.to_name, &o.to_address)?)
        .subject(header_safe(&o.subject))
        .message_id(Some(header_safe(&o.message_id)));
    if let Some(parent) = &o.in_reply_to {
        builder = builder.in_reply_to(header_safe(parent));
    }
    if !o.references.is_empty() {
        builder = builder.references(header_safe(&o.references.join(" ")));
    }
    let mut message = builder
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(o.text.clone()),
        )
        .map_err(|e| MailError::Build(e.to_string()))?;
    let mut targets = Vec::new();
    if let Some(url) = &o.unsubscribe_url {
        targets.push(format!("<{}>", header_safe(url)));
    }
    if let Some(mailto) = &o.unsubscribe_mailto {
        targets.push(format!("<{}>", header_safe(mailto)));
    }
    if let Some(token) = &o.warmup {
        message.headers_mut().insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str(WARMUP_HEADER),
            header_safe(token),
        ));
    }
    if !targets.is_empty() {
        let headers = message.headers_mut();
        headers.insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            targets.join(", "),
        ));
        if o.unsubscribe_url.is_some() {
            headers.insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
        }
    }
    Ok(message)
}

fn credentials(settings: &SmtpSettings) -> Option<Credentials> {
    match (&settings.username, &settings.password) {
        (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.clone())),
        _ => None,
    }
}

/// The addresses of the settings' server, every one allowed by `policy`.
async fn addresses(
    settings: &SmtpSettings,
    policy: AddressPolicy,
) -> Result<Vec<SocketAddr>, SendFailure> {
    crate::net::resolve(&settings.host, settings.port, policy)
        .await
        .map_err(|e| match e {
            crate::net::Unreachable::Refused(reason) => SendFailure::HostRefused { reason },
            crate::net::Unreachable::NotFound(reason) => SendFailure::not_sent(reason, false),
        })
}

/// Connects, says hello, secures and logs in, all within the settings' timeout.
async fn open(
    settings: &SmtpSettings,
    policy: AddressPolicy,
) -> Result<AsyncSmtpConnection, SendFailure> {
    let timeout = settings.timeout;
    let place = format!("{}:{}", settings.host, settings.port);
    let handshake = async {
        let hello = ClientId::default();
        let reachable = addresses(settings, policy).await?;
        let tls = || {
            TlsParameters::new(settings.host.clone())
                .map_err(|e| SendFailure::not_sent(format!("TLS for {place}: {e}"), true))
        };
        let mut connection = match settings.security {
            SmtpSecurity::Tls => AsyncSmtpConnection::connect_tokio1(
                reachable.as_slice(),
                Some(timeout),
                &hello,
                Some(tls()?),
                None,
            )
            .await
            .map_err(|e| SendFailure::not_sent(format!("cannot reach {place}: {e}"), false))?,
            SmtpSecurity::StartTls | SmtpSecurity::None => {
                let tcp = tokio::net::TcpStream::connect(reachable.as_slice())
                    .await
                    .map_err(|e| {
                        SendFailure::not_sent(format!("cannot connect to {place}: {e}"), false)
                    })?;
                let _ = tcp.set_nodelay(true);
                AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &hello)
                    .await
                    .map_err(|e| {
                        SendFailure::not_sent(format!("{place} did not greet: {e}"), false)
                    })?
            }
        };
        if settings.security == SmtpSecurity::StartTls {
            if !connection.can_starttls() {
                return Err(SendFailure::not_sent(
                    format!("{place} does not offer STARTTLS; choose another security setting"),
                    true,
                ));
            }
            connection
                .starttls(tls()?, &hello)
                .await
                .map_err(|e| SendFailure::not_sent(format!("STARTTLS with {place}: {e}"), false))?;
        }
        if let Some(credentials) = credentials(settings) {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
                .await
                .map_err(|e| SendFailure::NotSent {
                    reason: format!("{place} refused the login: {e}"),
                    auth: e.is_permanent() || e.is_client(),
                    permanent: e.is_permanent(),
                })?;
        }
        Ok(connection)
    };
    tokio::time::timeout(timeout, handshake)
        .await
        .map_err(|_| {
            SendFailure::not_sent(
                format!("{place} did not complete the greeting and login within {timeout:?}"),
                false,
            )
        })?
}

/// Connects and logs in, sending nothing: whether a mailbox's settings work.
pub async fn verify(settings: &SmtpSettings, policy: AddressPolicy) -> Result<(), SendFailure> {
    let mut connection = open(settings, policy).await?;
    let _ = tokio::time::timeout(settings.timeout, connection.quit()).await;
    Ok(())
}

async fn step<T>(
    timeout: Duration,
    what: &str,
    future: impl std::future::Future<Output = Result<T, lettre::transport::smtp::Error>>,
) -> Result<T, SendFailure> {
    match tokio::time::timeout(timeout, future).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(SendFailure::not_sent(
            format!("{what}: {e}"),
            e.is_permanent(),
        )),
        Err(_) => Err(SendFailure::not_sent(
            format!("{what}: no answer within {timeout:?}"),
            false,
        )),
    }
}

/// Sends one message on a fresh connection; the server's answer to the content (its
/// queue id, typically) when it accepted it.
pub async fn send_once(
    settings: &SmtpSettings,
    message: &Message,
    policy: AddressPolicy,
) -> Result<String, SendFailure> {
    let timeout = settings.timeout;
    let mut connection = open(settings, policy).await?;
    let envelope = message.envelope();
    let bytes = message.formatted();
    let mut options = Vec::new();
    if !bytes.is_ascii()
        && connection
            .server_info()
            .supports_feature(Extension::EightBitMime)
    {
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    step(
        timeout,
        "the server refused the sender",
        connection.command(Mail::new(envelope.from().cloned(), options)),
    )
    .await?;
    for to in envelope.to() {
        step(
            timeout,
            "the server refused the recipient",
            connection.command(Rcpt::new(to.clone(), Vec::new())),
        )
        .await?;
    }
    step(timeout, "the server refused DATA", connection.command(Data)).await?;
    // From here the server may hold the message.
    let answer = match tokio::time::timeout(timeout, connection.message(&bytes)).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) if e.is_permanent() || e.is_transient() => {
            return Err(SendFailure::not_sent(
                format!("the server refused the message: {e}"),
                e.is_permanent(),
            ));
        }
        Ok(Err(e)) => {
            return Err(SendFailure::Unknown {
                reason: format!("the connection failed while the message was sent: {e}"),
            });
        }
        Err(_) => {
            return Err(SendFailure::Unknown {
                reason: format!("the server did not confirm the message within {timeout:?}"),
            });
        }
    };
    let _ = tokio::time::timeout(timeout, connection.quit()).await;
    let text: Vec<&str> = answer.message().collect();
    Ok(format!("{} {}", answer.code(), text.join(" "))
        .trim()
        .to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing() -> Outgoing {
        Outgoing {
            from_name: "Ada Lovelace".to_owned(),
            from_address: "ada@example.org".to_owned(),
            to_name: "Grace Hopper".to_owned(),
            to_address: "grace@example.com".to_owned(),
            subject: "Analyst role".to_owned(),
            text: "Hello".to_owned(),
            message_id: "<abc@example.org>".to_owned(),
            in_reply_to: Some("<first@example.org>".to_owned()),
            references: vec!["<first@example.org>".to_owned()],
            unsubscribe_url: Some("https://pursuit.example/u/tok".to_owned()),
            unsubscribe_mailto: Some("mailto:ada@example.org?subject=unsubscribe".to_owned()),
            warmup: None,
        }
    }

    fn header_lines(message: &Message) -> Vec<String> {
        let text = String::from_utf8(message.formatted()).unwrap();
        let head = text.split("\r\n\r\n").next().unwrap().to_owned();
        // Unfold continuation lines.
        head.replace("\r\n ", " ")
            .replace("\r\n\t", " ")
            .split("\r\n")
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn a_message_carries_its_thread_and_the_one_click_headers() {
        let lines = header_lines(&build(&outgoing()).unwrap());
        let has = |prefix: &str| lines.iter().any(|l| l.starts_with(prefix));
        assert!(has("Message-ID: <abc@example.org>"), "{lines:?}");
        assert!(has("In-Reply-To: <first@example.org>"), "{lines:?}");
        assert!(has("References: <first@example.org>"), "{lines:?}");
        assert!(
            has(
                "List-Unsubscribe: <https://pursuit.example/u/tok>, <mailto:ada@example.org?subject=unsubscribe>"
            ),
            "{lines:?}"
        );
        assert!(
            has("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
            "{lines:?}"
        );
    }

    #[test]
    fn no_text_can_add_a_header() {
        for evil in [
            "Hi\r\nBcc: victim@example.net",
            "Hi\nBcc: victim@example.net",
            "Hi\rBcc: victim@example.net",
            "Hi\u{2028}Bcc: victim@example.net",
            "Hi\u{2029}Bcc: victim@example.net",
            "Hi\u{85}Bcc: victim@example.net",
        ] {
            let mut o = outgoing();
            o.subject = evil.to_owned();
            o.from_name = evil.to_owned();
            o.to_name = evil.to_owned();
            let lines = header_lines(&build(&o).unwrap());
            assert!(
                !lines
                    .iter()
                    .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
                "{evil:?} → {lines:?}"
            );
        }
    }

    #[test]
    fn header_text_is_one_line() {
        assert_eq!(header_safe("  a\r\n\tb\u{2028}c  "), "a b c");
        assert_eq!(header_safe("Café — ok"), "Café — ok");
    }

    /// A one-connection SMTP server on 127.0.0.1 that answers each command by `reply`
    /// (`None`: close the connection without answering) and the message's end by `after`.
    async fn scripted(
        reply: fn(&str) -> Option<&'static str>,
        after_data: Option<&'static str>,
    ) -> SmtpSettings {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 scripted ESMTP\r\n").await.unwrap();
            let mut in_data = false;
            while let Ok(Some(line)) = lines.next_line().await {
                if in_data {
                    if line == "." {
                        match after_data {
                            Some(answer) => write.write_all(answer.as_bytes()).await.unwrap(),
                            None => return,
                        }
                        in_data = false;
                    }
                    continue;
                }
                let verb = line
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_uppercase();
                match reply(&verb) {
                    Some(answer) => write.write_all(answer.as_bytes()).await.unwrap(),
                    None => return,
                }
                if verb == "DATA" && reply("DATA").is_some_and(|a| a.starts_with("354")) {
                    in_data = true;
                }
                if verb == "QUIT" {
                    return;
                }
            }
        });
        SmtpSettings {
            host: "127.0.0.1".to_owned(),
            port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
            timeout: Duration::from_secs(5),
        }
    }

    fn usual(verb: &str) -> Option<&'static str> {
        Some(match verb {
            "EHLO" => "250-scripted\r\n250 AUTH PLAIN LOGIN\r\n",
            "DATA" => "354 go ahead\r\n",
            "QUIT" => "221 bye\r\n",
            _ => "250 ok\r\n",
        })
    }

    fn message() -> Message {
        let mut o = outgoing();
        o.unsubscribe_url = None;
        build(&o).unwrap()
    }

    /// The scripted servers are on this machine.
    const LOCAL: AddressPolicy = AddressPolicy {
        allow_private: true,
    };

    #[tokio::test]
    async fn a_server_on_a_refused_address_is_never_connected_to() {
        // A listener on loopback that would take the connection if it were tried.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let public = AddressPolicy::default();
        for host in [
            "127.0.0.1",
            "localhost",
            "10.1.2.3",
            "169.254.169.254",
            "[::1]",
            "0.0.0.0",
        ] {
            let smtp = SmtpSettings {
                host: host.trim_matches(|c| c == '[' || c == ']').to_owned(),
                port,
                security: SmtpSecurity::None,
                username: None,
                password: None,
                timeout: Duration::from_secs(2),
            };
            let failure = verify(&smtp, public).await.unwrap_err();
            let SendFailure::HostRefused { reason } = failure else {
                panic!("{host}: {failure:?}");
            };
            assert!(
                reason.contains("does not connect to for a mailbox"),
                "{reason}"
            );
            assert!(
                !reason.contains("127.0.0.1") || host == "127.0.0.1",
                "the address a name resolves to is not named: {reason}"
            );
        }
        // Metadata services stay refused when private addresses are allowed.
        let metadata = SmtpSettings {
            host: "169.254.169.254".to_owned(),
            port: 25,
            security: SmtpSecurity::None,
            username: None,
            password: None,
            timeout: Duration::from_secs(2),
        };
        let failure = verify(&metadata, LOCAL).await.unwrap_err();
        assert!(failure.to_string().contains("metadata"), "{failure:?}");
        let accepted = tokio::time::timeout(Duration::from_millis(200), listener.accept()).await;
        assert!(
            accepted.is_err(),
            "nothing connected to the loopback listener"
        );
    }

    #[tokio::test]
    async fn an_accepted_message_returns_the_servers_answer() {
        let smtp = scripted(usual, Some("250 2.0.0 queued as ABC123\r\n")).await;
        let answer = send_once(&smtp, &message(), LOCAL).await.unwrap();
        assert!(answer.contains("ABC123"), "{answer}");
    }

    #[tokio::test]
    async fn a_refused_recipient_is_not_sent_for_good() {
        fn refuse(verb: &str) -> Option<&'static str> {
            if verb == "RCPT" {
                Some("550 5.1.1 no such user\r\n")
            } else {
                usual(verb)
            }
        }
        let smtp = scripted(refuse, Some("250 ok\r\n")).await;
        let failure = send_once(&smtp, &message(), LOCAL).await.unwrap_err();
        assert!(
            matches!(
                &failure,
                SendFailure::NotSent {
                    permanent: true,
                    auth: false,
                    ..
                }
            ),
            "{failure:?}"
        );
    }

    #[tokio::test]
    async fn a_refused_login_says_so() {
        fn refuse(verb: &str) -> Option<&'static str> {
            if verb == "AUTH" {
                Some("535 5.7.8 bad credentials\r\n")
            } else {
                usual(verb)
            }
        }
        let mut smtp = scripted(refuse, None).await;
        smtp.username = Some("ada".to_owned());
        smtp.password = Some("wrong".to_owned());
        let failure = verify(&smtp, LOCAL).await.unwrap_err();
        assert!(
            matches!(&failure, SendFailure::NotSent { auth: true, .. }),
            "{failure:?}"
        );
    }

    #[tokio::test]
    async fn a_connection_lost_after_the_message_is_unknown() {
        let smtp = scripted(usual, None).await;
        let failure = send_once(&smtp, &message(), LOCAL).await.unwrap_err();
        assert!(
            matches!(&failure, SendFailure::Unknown { .. }),
            "{failure:?}"
        );
    }

    #[tokio::test]
    async fn a_connection_lost_before_the_message_is_not_sent() {
        fn drop_at_data(verb: &str) -> Option<&'static str> {
            if verb == "DATA" { None } else { usual(verb) }
        }
        let smtp = scripted(drop_at_data, None).await;
        let failure = send_once(&smtp, &message(), LOCAL).await.unwrap_err();
        assert!(
            matches!(
                &failure,
                SendFailure::NotSent {
                    permanent: false,
                    ..
                }
            ),
            "{failure:?}"
        );
    }
}
