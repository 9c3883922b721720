//! Reading a user's own mailbox over IMAP (RFC 3501) to find what came back: its INBOX is
//! opened read-only (`EXAMINE`: nothing is marked seen, moved or deleted), and messages
//! newer than a UID are fetched, whole up to a size and by their header above it (a reply
//! with a huge attachment is still matched by its headers). Every step has the settings'
//! timeout; the server is reached only at addresses the [`AddressPolicy`] allows.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use async_imap::{Client, Session};
use futures_util::StreamExt;
use pursuit_domain::net::AddressPolicy;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

use crate::SmtpSecurity;
use crate::net::{Unreachable, resolve};

/// How to reach and log in to a mailbox's IMAP server (`security` as for SMTP: `Tls` on
/// connect, `StartTls` after the greeting, `None` in the clear).
#[derive(Clone, PartialEq, Eq)]
pub struct ImapSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: String,
    pub password: String,
    pub timeout: Duration,
}

impl Debug for ImapSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// Why a mailbox could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImapError {
    /// The server's address is one the policy refuses.
    #[error("{0}")]
    Refused(String),
    /// The server refused the login.
    #[error("{0}")]
    Login(String),
    /// Anything else: not reachable, timed out, an answer that is not IMAP.
    #[error("{0}")]
    Failed(String),
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send + Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Debug> Io for T {}
type Stream = Box<dyn Io>;

/// A mailbox's INBOX, open read-only.
pub struct Inbox {
    session: Session<Stream>,
    timeout: Duration,
}

/// What the INBOX is now: a different `uid_validity` than before means every UID changed
/// (the folder was rebuilt) and the whole folder must be read again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    pub uid_validity: u32,
    pub uid_next: u32,
    pub exists: u32,
}

/// One message fetched: whole when `whole`, else only its header (it was over the size).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    pub uid: u32,
    pub size: u32,
    pub raw: Vec<u8>,
    pub whole: bool,
}

async fn within<T>(
    timeout: Duration,
    what: &str,
    future: impl std::future::Future<Output = Result<T, async_imap::error::Error>>,
) -> Result<T, ImapError> {
    match tokio::time::timeout(timeout, future).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(ImapError::Failed(format!("{what}: {e}"))),
        Err(_) => Err(ImapError::Failed(format!(
            "{what}: no answer within {timeout:?}"
        ))),
    }
}

fn tls_config() -> Result<Arc<rustls::ClientConfig>, ImapError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| ImapError::Failed(format!("TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Arc::new(config))
}

async fn secure(tcp: TcpStream, host: &str) -> Result<Stream, ImapError> {
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| ImapError::Failed(format!("TLS for {host}: {e}")))?;
    let tls = tokio_rustls::TlsConnector::from(tls_config()?)
        .connect(name, tcp)
        .await
        .map_err(|e| ImapError::Failed(format!("TLS with {host}: {e}")))?;
    Ok(Box::new(tls))
}

async fn greeted<T: AsyncRead + AsyncWrite + Unpin + Send + Debug>(
    client: &mut Client<T>,
    place: &str,
) -> Result<(), ImapError> {
    match client.read_response().await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(ImapError::Failed(format!("{place} closed before greeting"))),
        Err(e) => Err(ImapError::Failed(format!("{place} did not greet: {e}"))),
    }
}

/// Connects, secures, logs in and opens the INBOX read-only.
pub async fn open(settings: &ImapSettings, policy: AddressPolicy) -> Result<Inbox, ImapError> {
    let timeout = settings.timeout;
    let place = format!("{}:{}", settings.host, settings.port);
    let handshake = async {
        let addresses = resolve(&settings.host, settings.port, policy)
            .await
            .map_err(|e| match e {
                Unreachable::Refused(reason) => ImapError::Refused(reason),
                Unreachable::NotFound(reason) => ImapError::Failed(reason),
            })?;
        let tcp = TcpStream::connect(addresses.as_slice())
            .await
            .map_err(|e| ImapError::Failed(format!("cannot connect to {place}: {e}")))?;
        let _ = tcp.set_nodelay(true);
        let client: Client<Stream> = match settings.security {
            SmtpSecurity::Tls => {
                let mut client = Client::new(secure(tcp, &settings.host).await?);
                greeted(&mut client, &place).await?;
                client
            }
            SmtpSecurity::StartTls => {
                let mut plain = Client::new(tcp);
                greeted(&mut plain, &place).await?;
                plain
                    .run_command_and_check_ok("STARTTLS", None)
                    .await
                    .map_err(|e| {
                        ImapError::Failed(format!(
                            "{place} did not start TLS ({e}); choose another security setting"
                        ))
                    })?;
                Client::new(secure(plain.into_inner(), &settings.host).await?)
            }
            SmtpSecurity::None => {
                let mut client = Client::new(Box::new(tcp) as Stream);
                greeted(&mut client, &place).await?;
                client
            }
        };
        let session = client
            .login(&settings.username, &settings.password)
            .await
            .map_err(|(e, _)| match e {
                async_imap::error::Error::No(why) | async_imap::error::Error::Bad(why) => {
                    ImapError::Login(format!("{place} refused the login: {}", why.trim()))
                }
                other => ImapError::Failed(format!("{place} failed at login: {other}")),
            })?;
        Ok(session)
    };
    let session = tokio::time::timeout(timeout, handshake)
        .await
        .map_err(|_| {
            ImapError::Failed(format!(
                "{place} did not complete the greeting and login within {timeout:?}"
            ))
        })??;
    Ok(Inbox { session, timeout })
}

/// Connects and logs in, reading nothing: whether a mailbox's IMAP settings work.
pub async fn verify(settings: &ImapSettings, policy: AddressPolicy) -> Result<(), ImapError> {
    let mut inbox = open(settings, policy).await?;
    inbox.examine().await?;
    inbox.logout().await;
    Ok(())
}

impl Inbox {
    /// Opens the INBOX read-only and says what it is now.
    pub async fn examine(&mut self) -> Result<State, ImapError> {
        let mailbox = within(self.timeout, "EXAMINE INBOX", self.session.examine("INBOX")).await?;
        Ok(State {
            uid_validity: mailbox.uid_validity.unwrap_or(0),
            uid_next: mailbox.uid_next.unwrap_or(0),
            exists: mailbox.exists,
        })
    }

    async fn fetch(
        &mut self,
        uids: &str,
        query: &str,
    ) -> Result<Vec<async_imap::types::Fetch>, ImapError> {
        let timeout = self.timeout;
        let session = &mut self.session;
        let all = async {
            let mut stream = session.uid_fetch(uids, query).await?;
            let mut all = Vec::new();
            while let Some(item) = stream.next().await {
                all.push(item?);
            }
            Ok(all)
        };
        within(timeout, "UID FETCH", all).await
    }

    /// The messages after UID `after`, oldest first, at most `limit`: whole when at most
    /// `max_bytes`, else their header only.
    pub async fn since(
        &mut self,
        after: u32,
        limit: usize,
        max_bytes: u32,
    ) -> Result<Vec<Fetched>, ImapError> {
        let mut sizes: Vec<(u32, u32)> = self
            .fetch(
                &format!("{}:*", after.saturating_add(1)),
                "(UID RFC822.SIZE)",
            )
            .await?
            .iter()
            .filter_map(|f| Some((f.uid?, f.size.unwrap_or(0))))
            // `n:*` names the last message even when its UID is below n.
            .filter(|(uid, _)| *uid > after)
            .collect();
        sizes.sort_unstable();
        sizes.dedup_by_key(|(uid, _)| *uid);
        sizes.truncate(limit);
        let mut fetched = Vec::with_capacity(sizes.len());
        for chunk in sizes.chunks(25) {
            let whole: Vec<String> = chunk
                .iter()
                .filter(|(_, size)| *size <= max_bytes)
                .map(|(uid, _)| uid.to_string())
                .collect();
            let headers: Vec<String> = chunk
                .iter()
                .filter(|(_, size)| *size > max_bytes)
                .map(|(uid, _)| uid.to_string())
                .collect();
            let mut got = Vec::new();
            if !whole.is_empty() {
                for f in self.fetch(&whole.join(","), "(UID BODY.PEEK[])").await? {
                    if let (Some(uid), Some(body)) = (f.uid, f.body()) {
                        got.push((uid, body.to_vec(), true));
                    }
                }
            }
            if !headers.is_empty() {
                for f in self
                    .fetch(&headers.join(","), "(UID BODY.PEEK[HEADER])")
                    .await?
                {
                    if let (Some(uid), Some(header)) = (f.uid, f.header()) {
                        got.push((uid, header.to_vec(), false));
                    }
                }
            }
            for (uid, size) in chunk {
                if let Some((_, raw, whole)) = got.iter().find(|(u, _, _)| u == uid) {
                    fetched.push(Fetched {
                        uid: *uid,
                        size: *size,
                        raw: raw.clone(),
                        whole: *whole,
                    });
                }
            }
        }
        Ok(fetched)
    }

    /// The lowest UID of a message that arrived on or after `day` (server dates), if any.
    pub async fn first_uid_since(
        &mut self,
        day: jiff::civil::Date,
    ) -> Result<Option<u32>, ImapError> {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = MONTHS[usize::try_from(day.month() - 1).unwrap_or(0)];
        let query = format!("SINCE {}-{month}-{}", day.day(), day.year());
        let found = within(self.timeout, "UID SEARCH", self.session.uid_search(query)).await?;
        Ok(found.into_iter().min())
    }

    /// Files the INBOX messages `uids` away into `folder` (made when missing): the one
    /// write Pursuit makes to a mailbox, and only for its own warmup emails. The INBOX is
    /// opened read-write for it; `UID MOVE` (RFC 6851) where the server has it, else the
    /// messages are copied and marked seen in the INBOX (never deleted: without MOVE an
    /// expunge could take the user's own deleted messages with it).
    pub async fn archive(&mut self, uids: &[u32], folder: &str) -> Result<(), ImapError> {
        if uids.is_empty() {
            return Ok(());
        }
        let set = uids
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let timeout = self.timeout;
        let capabilities = within(timeout, "CAPABILITY", self.session.capabilities()).await?;
        let moves = capabilities.has_str("MOVE");
        // An existing folder answers NO to CREATE: that is fine.
        let _ = within(timeout, "CREATE", self.session.create(folder)).await;
        within(timeout, "SELECT INBOX", self.session.select("INBOX")).await?;
        if moves {
            within(timeout, "UID MOVE", self.session.uid_mv(&set, folder)).await?;
        } else {
            within(timeout, "UID COPY", self.session.uid_copy(&set, folder)).await?;
            let session = &mut self.session;
            let store = async {
                let stream = session.uid_store(&set, "+FLAGS.SILENT (\\Seen)").await?;
                let _: Vec<_> = stream.collect().await;
                Ok(())
            };
            within(timeout, "UID STORE", store).await?;
        }
        Ok(())
    }

    /// Whether the server has IDLE (RFC 2177).
    pub async fn can_idle(&mut self) -> Result<bool, ImapError> {
        let capabilities = within(self.timeout, "CAPABILITY", self.session.capabilities()).await?;
        Ok(capabilities.has_str("IDLE"))
    }

    /// Waits in IDLE on the folder `examine` opened until the server reports something (a
    /// new message, a flag changed elsewhere) or `wait` passes without a word; `true` when it
    /// reported something. The inbox comes back ready for the next wait or a fetch.
    pub async fn idle(self, wait: Duration) -> Result<(Inbox, bool), ImapError> {
        let timeout = self.timeout;
        let mut handle = self.session.idle();
        within(timeout, "IDLE", handle.init()).await?;
        let (waiting, stop) = handle.wait_with_timeout(wait);
        let answer = waiting.await;
        // Dropping the stop source ends the wait: only once it is over.
        drop(stop);
        let changed = match answer {
            Ok(async_imap::extensions::idle::IdleResponse::NewData(_)) => true,
            Ok(_) => false,
            Err(e) => return Err(ImapError::Failed(format!("IDLE: {e}"))),
        };
        let session = within(timeout, "DONE", handle.done()).await?;
        Ok((Inbox { session, timeout }, changed))
    }

    /// Says goodbye (best effort: the connection closes either way).
    pub async fn logout(mut self) {
        let _ = tokio::time::timeout(self.timeout, self.session.logout()).await;
    }
}
