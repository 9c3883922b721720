//! Where a user's own provider may be: the URL a user types into the settings page is
//! theirs, the server it reaches is ours. Like the posting fetcher, a provider URL may not
//! reach Pursuit's host, its private network or a cloud metadata service
//! ([`pursuit_domain::net::refusal`]) unless the operator allows private addresses
//! (`ai.user_providers_private`, for Ollama beside Pursuit on one's own machine); metadata
//! services stay refused either way.
//!
//! Names are checked by the client's resolver on every connection, so a second DNS answer
//! cannot swap a checked address for a refused one; addresses written in the URL are
//! checked by [`check_url`] before each call; redirects are not followed.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// The address policy for users' own providers.
pub use pursuit_domain::net::AddressPolicy as Policy;

/// A refused address, found while resolving or checking a URL. Its message names the
/// host and the kind of address, never the address a name resolved to.
#[derive(Debug, thiserror::Error)]
#[error("{host} is {reason}, which Pursuit does not connect to for a user's provider")]
pub struct AddressRefused {
    pub host: String,
    pub reason: &'static str,
}

/// Checks a provider URL a user entered: `https://` (plain `http://` only where private
/// addresses are allowed: a key sent in the clear over the internet is a key given away),
/// and an address written in the URL must be one the policy allows.
pub fn check_url(url: &str, policy: Policy) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|_| format!("{url:?} is not a URL"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if policy.allow_private => {}
        "http" => {
            return Err(
                "must start with https:// (a key sent over plain http could be read on the way)"
                    .to_owned(),
            );
        }
        _ if policy.allow_private => return Err("must be an http:// or https:// URL".to_owned()),
        _ => return Err("must be an https:// URL".to_owned()),
    }
    let Some(host) = parsed.host_str() else {
        return Err("must name a server".to_owned());
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let name = bare.trim_end_matches('.').to_ascii_lowercase();
    let ip = match bare.parse::<IpAddr>() {
        Ok(ip) => Some(ip),
        // `localhost` and its subdomains resolve to loopback without asking DNS.
        Err(_) if name == "localhost" || name.ends_with(".localhost") => {
            Some(IpAddr::from([127, 0, 0, 1]))
        }
        Err(_) => None,
    };
    if let Some(ip) = ip
        && let Some(why) = policy.refusal(ip)
    {
        return Err(format!(
            "points at {}, which Pursuit does not connect to for a user's provider",
            why.reason()
        ));
    }
    Ok(())
}

/// A resolver that refuses a name when any of its addresses is refused.
struct Resolver {
    policy: Policy,
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            for address in &found {
                if let Some(why) = policy.refusal(address.ip()) {
                    return Err(Box::new(AddressRefused {
                        host,
                        reason: why.reason(),
                    })
                        as Box<dyn std::error::Error + Send + Sync>);
                }
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

/// The client every user's provider is called through: the policy's resolver, no proxy,
/// no redirects.
pub fn client(policy: Policy) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("Pursuit/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(Arc::new(Resolver { policy }))
        .build()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC: Policy = Policy {
        allow_private: false,
    };
    const PRIVATE: Policy = Policy {
        allow_private: true,
    };

    #[test]
    fn plain_http_only_where_private_addresses_are_allowed() {
        assert!(check_url("https://api.example.com", PUBLIC).is_ok());
        assert!(check_url("http://api.example.com", PUBLIC).is_err());
        assert!(check_url("http://127.0.0.1:11434", PRIVATE).is_ok());
        assert!(check_url("ftp://api.example.com", PRIVATE).is_err());
        assert!(check_url("not a url", PRIVATE).is_err());
    }

    #[test]
    fn written_addresses_are_checked() {
        for url in [
            "https://127.0.0.1",
            "https://localhost:8443",
            "https://api.localhost",
            "https://10.1.2.3",
            "https://[::1]",
            "https://[::ffff:192.168.0.1]",
            "https://169.254.169.254",
            "https://0.0.0.0",
        ] {
            let error = check_url(url, PUBLIC).unwrap_err();
            assert!(error.contains("does not connect"), "{url}: {error}");
        }
        assert!(check_url("https://10.1.2.3", PRIVATE).is_ok());
        assert!(check_url("https://localhost", PRIVATE).is_ok());
        // Metadata services stay refused whatever the operator allows.
        assert!(check_url("http://169.254.169.254/v1", PRIVATE).is_err());
        assert!(check_url("https://[fd00:ec2::254]", PRIVATE).is_err());
        assert!(check_url("https://93.184.215.14", PUBLIC).is_ok());
    }

    #[tokio::test]
    async fn names_that_resolve_to_refused_addresses_are_not_connected_to() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        // Resolved by the client's resolver (the URL check is not asked here).
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let request = client(PUBLIC)
            .unwrap()
            .get(format!("http://localhost:{port}/v1/models"));
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let error = crate::remote::send(request, deadline, None, |_| Ok(()))
            .await
            .unwrap_err();
        assert_eq!(error.failure, crate::Failure::Refused, "not retried");
        assert!(error.detail.contains("loopback"), "{}", error.detail);
        // Nobody connected.
        let accepted = tokio::time::timeout(Duration::from_millis(100), listener.accept()).await;
        assert!(accepted.is_err());
    }
}
