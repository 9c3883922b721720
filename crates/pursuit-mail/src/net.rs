//! Reaching a server a user named (their mailbox's SMTP or IMAP server): the name is
//! resolved once per connection and every address it gives is checked against the
//! [`AddressPolicy`]; the caller connects to the addresses returned, never to the name
//! again, so a second DNS answer cannot swap a checked address for a refused one.

use std::net::SocketAddr;

use pursuit_domain::net::AddressPolicy;

/// Why a server cannot be reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreachable {
    /// Its name gives an address the policy refuses (the reason names the kind of
    /// address, never the address).
    Refused(String),
    /// Its name gives no address.
    NotFound(String),
}

/// The addresses of `host`, every one allowed by `policy`; a name that gives any refused
/// address is refused whole (a name is the user's to point anywhere).
pub async fn resolve(
    host: &str,
    port: u16,
    policy: AddressPolicy,
) -> Result<Vec<SocketAddr>, Unreachable> {
    let found: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| Unreachable::NotFound(format!("cannot find {host}: {e}")))?
        .collect();
    if found.is_empty() {
        return Err(Unreachable::NotFound(format!("{host} has no address")));
    }
    for address in &found {
        if let Some(why) = policy.refusal(address.ip()) {
            let hint = if why.is_private() {
                " (the operator may allow private addresses: mail.user_mailboxes_private)"
            } else {
                ""
            };
            return Err(Unreachable::Refused(format!(
                "{host} is {}, which Pursuit does not connect to for a mailbox{hint}",
                why.reason()
            )));
        }
    }
    Ok(found)
}
