//! Secrets Pursuit must use again later, such as a user's own provider key: sealed with
//! AES-256-GCM under the instance's secrets key before they are stored, so a copy of the
//! database alone gives no key away. (Secrets Pursuit only compares, such as sign-in links
//! and session ids, are hashed instead: `pursuit_store::secret`.)
//!
//! The secrets key is 32 random bytes: `secrets_key` in the config (64 hex digits, for
//! installs whose instances share a database), else the file `secrets.key` in the data
//! directory, made on first start and readable by its owner only. A sealed value names the
//! key it was sealed under, so a value sealed under another key is told apart from a
//! damaged one, and it is bound to what it belongs to (a provider's id), so a sealed value
//! copied to another row or user does not open.
//!
//! The sealed form: `v1.<key id: 8 hex>.<hex of the 12-byte nonce, the ciphertext and the
//! 16-byte tag>`.

use std::path::Path;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

/// Seals and opens secrets under the instance's key.
pub struct SecretBox {
    key: LessSafeKey,
    /// Signs links Pursuit hands out (one-click unsubscribe): derived from the same 32
    /// bytes, never used to seal.
    links: ring::hmac::Key,
    id: String,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretBox").field("id", &self.id).finish()
    }
}

/// Why a sealed value did not open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error(
        "it was saved under another secrets key (the data directory or `secrets_key` changed); enter it again"
    )]
    OtherKey,
    #[error("it is damaged; enter it again")]
    Damaged,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

impl SecretBox {
    pub fn new(bytes: &[u8; 32]) -> SecretBox {
        #[allow(clippy::expect_used)]
        let key = UnboundKey::new(&AES_256_GCM, bytes).expect("32 bytes is an AES-256 key");
        let id = pursuit_ai::hex_digest(&[b"pursuit secrets key", bytes])[..8].to_owned();
        let links = ring::hmac::sign(
            &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, bytes),
            b"pursuit link signing",
        );
        SecretBox {
            key: LessSafeKey::new(key),
            links: ring::hmac::Key::new(ring::hmac::HMAC_SHA256, links.as_ref()),
            id,
        }
    }

    /// A key for this process only (tests; anything sealed is lost with the process).
    pub fn ephemeral() -> SecretBox {
        SecretBox::new(&random_key())
    }

    /// The key written as 64 hex digits (`secrets_key` in the config).
    pub fn from_hex(text: &str) -> Result<SecretBox, String> {
        let bytes = unhex(text.trim())
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or("must be 64 hex digits (32 random bytes, e.g. `openssl rand -hex 32`)")?;
        Ok(SecretBox::new(&bytes))
    }

    /// The key in `path`, made there (owner-only) when the file does not exist yet.
    pub fn load_or_create(path: &Path) -> Result<SecretBox, String> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let bytes = <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
                    format!(
                        "{} must hold exactly 32 bytes (it holds {}); restore it from a backup, \
                         or remove it to start over (stored provider keys must then be entered again)",
                        path.display(),
                        bytes.len()
                    )
                })?;
                Ok(SecretBox::new(&bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let bytes = random_key();
                write_private(path, &bytes)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                Ok(SecretBox::new(&bytes))
            }
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// Which key this is (the first 8 hex digits of a hash of it): safe to show and log.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// A signature of `data` for `purpose` (32 hex digits: the first 128 bits of
    /// HMAC-SHA256), for links that must prove Pursuit made them.
    pub fn sign(&self, purpose: &str, data: &str) -> String {
        let tag = ring::hmac::sign(&self.links, format!("{purpose}\n{data}").as_bytes());
        hex(&tag.as_ref()[..16])
    }

    /// Whether `signature` is [`SecretBox::sign`]'s for `purpose` and `data` (compared in
    /// constant time).
    pub fn verify(&self, purpose: &str, data: &str, signature: &str) -> bool {
        pursuit_store::secret::constant_time_eq(&self.sign(purpose, data), signature)
    }

    /// `plain` sealed for the thing named `bound_to` (e.g. `ai_provider:<id>`).
    pub fn seal(&self, plain: &str, bound_to: &str) -> String {
        let mut nonce = [0_u8; NONCE_LEN];
        #[allow(clippy::expect_used)]
        SystemRandom::new()
            .fill(&mut nonce)
            .expect("the operating system's random source is available");
        let mut data = plain.as_bytes().to_vec();
        #[allow(clippy::expect_used)]
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(bound_to.as_bytes()),
                &mut data,
            )
            .expect("a secret shorter than 64 GiB seals");
        format!("v1.{}.{}{}", self.id, hex(&nonce), hex(&data))
    }

    /// The secret sealed for `bound_to`.
    pub fn open(&self, sealed: &str, bound_to: &str) -> Result<String, OpenError> {
        let mut parts = sealed.splitn(3, '.');
        let (Some("v1"), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(OpenError::Damaged);
        };
        if id != self.id {
            return Err(OpenError::OtherKey);
        }
        let bytes = unhex(body).ok_or(OpenError::Damaged)?;
        if bytes.len() < NONCE_LEN {
            return Err(OpenError::Damaged);
        }
        let (nonce, data) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| OpenError::Damaged)?;
        let mut data = data.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(bound_to.as_bytes()), &mut data)
            .map_err(|_| OpenError::Damaged)?;
        String::from_utf8(plain.to_vec()).map_err(|_| OpenError::Damaged)
    }
}

fn random_key() -> [u8; 32] {
    let mut bytes = [0_u8; 32];
    #[allow(clippy::expect_used)]
    SystemRandom::new()
        .fill(&mut bytes)
        .expect("the operating system's random source is available");
    bytes
}

/// Writes a new file only its owner can read; an existing file is never overwritten.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_for_its_owner() {
        let one = SecretBox::ephemeral();
        let sealed = one.seal("sk-live-0123456789", "ai_provider:a");
        assert!(!sealed.contains("sk-live"));
        assert_eq!(
            one.open(&sealed, "ai_provider:a").unwrap(),
            "sk-live-0123456789"
        );
        // Bound to its provider: copied to another row it does not open.
        assert_eq!(one.open(&sealed, "ai_provider:b"), Err(OpenError::Damaged));
        // Another instance key is told apart from damage.
        let two = SecretBox::ephemeral();
        assert_eq!(two.open(&sealed, "ai_provider:a"), Err(OpenError::OtherKey));
        // Two seals of one secret differ (a fresh nonce each time).
        assert_ne!(sealed, one.seal("sk-live-0123456789", "ai_provider:a"));
        // A flipped character is damage, whatever its place.
        let mut flipped = sealed.clone().into_bytes();
        let last = flipped.len() - 1;
        flipped[last] = if flipped[last] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(one.open(&flipped, "ai_provider:a"), Err(OpenError::Damaged));
        for broken in ["", "v1", "v2.x.y", &sealed[..20], "v1.zz.00"] {
            assert!(one.open(broken, "ai_provider:a").is_err(), "{broken}");
        }
    }

    #[test]
    fn the_key_file_is_made_once_owner_only_and_checked() {
        let dir = std::env::temp_dir().join(format!("pursuit-secrets-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("secrets.key");
        let first = SecretBox::load_or_create(&path).unwrap();
        let again = SecretBox::load_or_create(&path).unwrap();
        assert_eq!(first.id(), again.id());
        let sealed = first.seal("k", "x");
        assert_eq!(again.open(&sealed, "x").unwrap(), "k");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, b"short").unwrap();
        let error = SecretBox::load_or_create(&path).unwrap_err();
        assert!(error.contains("exactly 32 bytes"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_configured_key_is_64_hex_digits() {
        let hex_key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let a = SecretBox::from_hex(hex_key).unwrap();
        let b = SecretBox::from_hex(&hex_key.to_uppercase()).unwrap();
        assert_eq!(a.id(), b.id());
        assert!(SecretBox::from_hex("abc").is_err());
        assert!(SecretBox::from_hex(&"g".repeat(64)).is_err());
        assert!(SecretBox::from_hex(&"é".repeat(32)).is_err());
    }
}
