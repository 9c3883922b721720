//! Outgoing mail. [`Mailer`] sends through SMTP when one is configured, and otherwise
//! writes each message as an RFC 5322 `.eml` file into a dev outbox, so the embedded
//! default needs no mail server and a developer can open what would have been sent.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

mod der;
mod direct;
pub mod dns;
pub mod events;
pub mod imap;
pub mod inbound;
mod net;
pub mod outreach;

/// A message to one recipient: a plain-text part, an HTML part when there is one, and any
/// attachments.
#[derive(Clone, Debug, Default)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
}

/// A file sent along, e.g. `invite.ics` as `text/calendar; method=PUBLISH; charset=UTF-8`.
#[derive(Clone, Debug)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// How to reach the SMTP server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587); refused if the server lacks it.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a server on localhost or a trusted network.
    None,
}

#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    pub timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address {address:?}: {message}")]
    Address { address: String, message: String },
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("the SMTP server refused or failed: {0}")]
    Smtp(String),
    #[error("cannot write to the outbox {path}: {source}")]
    Outbox {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Sends mail; cheap to clone (the SMTP transport pools its connections).
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

#[derive(Clone)]
enum Transport {
    /// Implicit TLS (port 465), through lettre's pooled transport.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Plain or STARTTLS, on sockets with `TCP_NODELAY` (see [`direct`]).
    Direct(std::sync::Arc<direct::DirectSmtp>),
    Outbox(PathBuf),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.transport {
            Transport::Smtp(_) | Transport::Direct(_) => "smtp".to_owned(),
            Transport::Outbox(dir) => format!("outbox at {}", dir.display()),
        };
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("transport", &kind)
            .finish()
    }
}

fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address.parse::<Mailbox>().map_err(|e| MailError::Address {
        address: address.to_owned(),
        message: e.to_string(),
    })
}

impl Mailer {
    pub fn smtp(from: &str, settings: &SmtpSettings) -> Result<Mailer, MailError> {
        let credentials = match (&settings.username, &settings.password) {
            (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.clone())),
            _ => None,
        };
        if settings.security != SmtpSecurity::Tls {
            return Ok(Mailer {
                from: mailbox(from)?,
                transport: Transport::Direct(std::sync::Arc::new(direct::DirectSmtp::new(
                    settings.host.clone(),
                    settings.port,
                    settings.security == SmtpSecurity::StartTls,
                    credentials,
                    settings.timeout,
                ))),
            });
        }
        let tls = || {
            TlsParameters::new(settings.host.clone()).map_err(|e| MailError::Build(e.to_string()))
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str())
                .port(settings.port)
                .timeout(Some(settings.timeout))
                .tls(Tls::Wrapper(tls()?));
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        Ok(Mailer {
            from: mailbox(from)?,
            transport: Transport::Smtp(builder.build()),
        })
    }

    /// A mailer that writes `.eml` files into `dir` (created on first use).
    pub fn outbox(from: &str, dir: &Path) -> Result<Mailer, MailError> {
        Ok(Mailer {
            from: mailbox(from)?,
            transport: Transport::Outbox(dir.to_path_buf()),
        })
    }

    pub fn is_outbox(&self) -> bool {
        matches!(self.transport, Transport::Outbox(_))
    }

    /// Builds the RFC 5322 message: `multipart/alternative` when there is HTML, inside
    /// `multipart/mixed` when there are attachments.
    pub fn build(&self, email: &Email) -> Result<Message, MailError> {
        let builder = Message::builder()
            .from(self.from.clone())
            .to(mailbox(&email.to)?)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{}@pursuit>", uuid::Uuid::new_v4())));
        let text = || {
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(email.text.clone())
        };
        let body = match &email.html {
            Some(html) => MultiPart::alternative().singlepart(text()).singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html.clone()),
            ),
            None if email.attachments.is_empty() => {
                return builder
                    .singlepart(text())
                    .map_err(|e| MailError::Build(e.to_string()));
            }
            None => MultiPart::mixed().singlepart(text()),
        };
        let body = if email.attachments.is_empty() {
            body
        } else {
            let mut mixed = if email.html.is_some() {
                MultiPart::mixed().multipart(body)
            } else {
                body
            };
            for attachment in &email.attachments {
                let content_type = ContentType::parse(&attachment.content_type).map_err(|e| {
                    MailError::Build(format!(
                        "bad content type {:?}: {e}",
                        attachment.content_type
                    ))
                })?;
                // Base64, so the bytes arrive exactly (an .ics needs its CRLFs intact even
                // through servers that store mail with bare LF).
                let body = lettre::message::Body::new_with_encoding(
                    attachment.bytes.clone(),
                    lettre::message::header::ContentTransferEncoding::Base64,
                )
                .map_err(|_| MailError::Build("cannot encode an attachment".to_owned()))?;
                mixed = mixed.singlepart(
                    lettre::message::Attachment::new(attachment.filename.clone())
                        .body(body, content_type),
                );
            }
            mixed
        };
        builder
            .multipart(body)
            .map_err(|e| MailError::Build(e.to_string()))
    }

    pub async fn send(&self, email: &Email) -> Result<(), MailError> {
        let message = self.build(email)?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message)
                    .await
                    .map_err(|e| MailError::Smtp(e.to_string()))?;
            }
            Transport::Direct(direct) => direct.send(&message).await?,
            Transport::Outbox(dir) => write_outbox(dir, &message.formatted()).await?,
        }
        Ok(())
    }
}

/// Writes atomically (temp file, then rename), so a reader never sees half a message.
async fn write_outbox(dir: &Path, bytes: &[u8]) -> Result<(), MailError> {
    let error = |source| MailError::Outbox {
        path: dir.to_path_buf(),
        source,
    };
    tokio::fs::create_dir_all(dir).await.map_err(error)?;
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%S%.6fZ")
        .to_string();
    let name = format!("{stamp}-{}.eml", uuid::Uuid::new_v4().simple());
    let temp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&temp, bytes).await.map_err(error)?;
    tokio::fs::rename(&temp, dir.join(&name))
        .await
        .map_err(error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_outbox_gets_one_complete_eml_per_message() {
        let dir = tempfile_dir();
        let mailer = Mailer::outbox("Pursuit <pursuit@localhost>", &dir).unwrap();
        let email = Email {
            to: "ada@example.org".to_owned(),
            subject: "Sign in to Pursuit — café ✓".to_owned(),
            text: "Open http://127.0.0.1:8080/auth/magic-link?token=abc".to_owned(),
            html: Some("<p>Open the link</p>".to_owned()),
            attachments: vec![Attachment {
                filename: "invite.ics".to_owned(),
                content_type: "text/calendar; method=PUBLISH; charset=UTF-8".to_owned(),
                bytes: b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_vec(),
            }],
        };

        mailer.send(&email).await.unwrap();

        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        assert!(files[0].extension().is_some_and(|e| e == "eml"));
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(text.contains("To: ada@example.org"), "{text}");
        assert!(text.contains("multipart/alternative"), "{text}");
        assert!(text.contains("multipart/mixed"), "{text}");
        assert!(text.contains("filename=\"invite.ics\""), "{text}");
        assert!(text.contains("\r\n"), "RFC 5322 lines end in CRLF");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_bad_recipient_is_an_address_error() {
        let mailer = Mailer::outbox("pursuit@localhost", Path::new("/nonexistent")).unwrap();
        let email = Email {
            to: "not an address".to_owned(),
            subject: "x".to_owned(),
            text: "x".to_owned(),
            ..Email::default()
        };
        assert!(matches!(
            mailer.build(&email),
            Err(MailError::Address { .. })
        ));
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "pursuit-mail-test-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

#[cfg(test)]
mod smtp_tests {
    use super::*;

    #[tokio::test]
    async fn a_server_that_never_greets_is_a_timeout_not_a_hang() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let silent = tokio::spawn(async move {
            let (_socket, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(30)).await;
        });
        let mailer = Mailer::smtp(
            "pursuit@localhost",
            &SmtpSettings {
                host: "127.0.0.1".to_owned(),
                port,
                security: SmtpSecurity::None,
                username: None,
                password: None,
                timeout: Duration::from_millis(300),
            },
        )
        .unwrap();
        let email = Email {
            to: "ada@example.org".to_owned(),
            subject: "x".to_owned(),
            text: "x".to_owned(),
            ..Email::default()
        };

        let started = std::time::Instant::now();
        let result = mailer.send(&email).await;

        assert!(
            matches!(result, Err(MailError::Smtp(ref m)) if m.contains("greeting")),
            "{result:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        silent.abort();
    }
}
