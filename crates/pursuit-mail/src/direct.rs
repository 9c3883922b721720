//! SMTP over plain TCP or STARTTLS with `TCP_NODELAY`, and a small pool of open
//! connections. lettre writes a message's body and its final `.` in two writes; on a socket
//! with Nagle's algorithm on, the second waits for the server's delayed ACK — 40 ms per
//! message on Linux, which capped one connection at about 20 messages a second. lettre's
//! pooled transport does not set the option, so for these two modes Pursuit opens the
//! sockets itself and lets lettre speak SMTP on them. (Implicit TLS on port 465 keeps
//! lettre's own transport: lettre cannot start TLS before the greeting on a given stream.)

use std::time::{Duration, Instant};

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::sync::{Mutex, Semaphore};

use crate::MailError;

/// Open connections kept between messages, and how long an idle one is trusted.
const MAX_CONNECTIONS: usize = 10;
const IDLE_FOR: Duration = Duration::from_secs(60);

pub(crate) struct DirectSmtp {
    host: String,
    port: u16,
    starttls: bool,
    credentials: Option<Credentials>,
    timeout: Duration,
    hello: ClientId,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
    open: Semaphore,
}

fn smtp(error: impl std::fmt::Display) -> MailError {
    MailError::Smtp(error.to_string())
}

impl DirectSmtp {
    pub(crate) fn new(
        host: String,
        port: u16,
        starttls: bool,
        credentials: Option<Credentials>,
        timeout: Duration,
    ) -> DirectSmtp {
        DirectSmtp {
            host,
            port,
            starttls,
            credentials,
            timeout,
            hello: ClientId::default(),
            idle: Mutex::new(Vec::new()),
            open: Semaphore::new(MAX_CONNECTIONS),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, MailError> {
        let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| {
                smtp(format!(
                    "cannot connect to {}:{}: {e}",
                    self.host, self.port
                ))
            })?;
        tcp.set_nodelay(true).map_err(smtp)?;
        let mut connection =
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
                .await
                .map_err(smtp)?;
        if self.starttls {
            if !connection.can_starttls() {
                return Err(smtp(format!(
                    "{} does not offer STARTTLS, which mail.smtp_security = \"starttls\" requires",
                    self.host
                )));
            }
            let tls = TlsParameters::new(self.host.clone()).map_err(smtp)?;
            connection.starttls(tls, &self.hello).await.map_err(smtp)?;
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(smtp)?;
        }
        Ok(connection)
    }

    /// Sends one message on an idle connection that still answers, or a new one; a
    /// connection that failed is dropped, never reused.
    pub(crate) async fn send(&self, message: &lettre::Message) -> Result<(), MailError> {
        let _slot = self.open.acquire().await.map_err(smtp)?;
        let mut connection = loop {
            let candidate = self.idle.lock().await.pop();
            match candidate {
                None => {
                    // The whole handshake (greeting, EHLO, STARTTLS, AUTH) within the timeout.
                    break tokio::time::timeout(self.timeout, self.connect())
                        .await
                        .map_err(|_| {
                            smtp(format!(
                                "{}:{} did not complete the SMTP greeting within {:?}",
                                self.host, self.port, self.timeout
                            ))
                        })??;
                }
                Some((mut connection, since)) => {
                    if since.elapsed() < IDLE_FOR && connection.test_connected().await {
                        break connection;
                    }
                    let _ = connection.quit().await;
                }
            }
        };
        let sent = tokio::time::timeout(
            self.timeout,
            connection.send(message.envelope(), &message.formatted()),
        )
        .await;
        match sent {
            Ok(Ok(_)) => {
                self.idle.lock().await.push((connection, Instant::now()));
                Ok(())
            }
            Ok(Err(error)) => Err(smtp(error)),
            Err(_) => Err(smtp(format!(
                "{}:{} did not answer within {:?}",
                self.host, self.port, self.timeout
            ))),
        }
    }
}
