//! Just enough DER to find a public key: in a `SubjectPublicKeyInfo` (SendGrid's
//! verification key) and in an X.509 certificate (SNS's signing certificate), with the
//! certificate's validity. Anything unexpected is an error, never a panic: the bytes come
//! from outside.

use jiff::Timestamp;

/// One DER element: its tag and its content.
#[derive(Clone, Copy, Debug)]
struct Element<'a> {
    tag: u8,
    content: &'a [u8],
}

/// Reads the element at the start of `input`, returning it and what follows.
fn element(input: &[u8]) -> Result<(Element<'_>, &[u8]), String> {
    let (&tag, rest) = input.split_first().ok_or("the key ends early")?;
    if tag & 0x1f == 0x1f {
        return Err("a multi-byte DER tag".to_owned());
    }
    let (&first, mut rest) = rest.split_first().ok_or("the key ends early")?;
    let length = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return Err("a DER length that cannot be read".to_owned());
        }
        let mut length = 0usize;
        for &byte in &rest[..count] {
            length = (length << 8) | usize::from(byte);
        }
        rest = &rest[count..];
        length
    };
    if rest.len() < length {
        return Err("a DER element longer than the key".to_owned());
    }
    Ok((
        Element {
            tag,
            content: &rest[..length],
        },
        &rest[length..],
    ))
}

/// The element at the start of `input`, which must have `tag`.
fn expect<'a>(input: &'a [u8], tag: u8, what: &str) -> Result<(Element<'a>, &'a [u8]), String> {
    let (found, rest) = element(input)?;
    if found.tag != tag {
        return Err(format!("{what} is not where it should be"));
    }
    Ok((found, rest))
}

const SEQUENCE: u8 = 0x30;
const OBJECT_ID: u8 = 0x06;
const BIT_STRING: u8 = 0x03;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;

/// id-ecPublicKey (1.2.840.10045.2.1) and the P-256 curve (1.2.840.10045.3.1.7).
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// rsaEncryption (1.2.840.113549.1.1.1).
const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// A public key's kind and its bits (for P-256 the uncompressed point; for RSA the
/// `RSAPublicKey` structure), as `ring` takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    P256(Vec<u8>),
    Rsa(Vec<u8>),
}

/// The key in a `SubjectPublicKeyInfo`.
pub fn public_key_info(der: &[u8]) -> Result<PublicKey, String> {
    let (info, _) = expect(der, SEQUENCE, "the key")?;
    read_info(info.content)
}

fn read_info(content: &[u8]) -> Result<PublicKey, String> {
    let (algorithm, rest) = expect(content, SEQUENCE, "the key's algorithm")?;
    let (bits, _) = expect(rest, BIT_STRING, "the key's bits")?;
    // A BIT STRING starts with the number of unused bits, which must be 0 for a key.
    let bits = match bits.content.split_first() {
        Some((0, bits)) => bits.to_vec(),
        _ => return Err("the key's bits are not whole bytes".to_owned()),
    };
    let (oid, params) = expect(algorithm.content, OBJECT_ID, "the key's algorithm")?;
    if oid.content == EC_PUBLIC_KEY {
        let (curve, _) = expect(params, OBJECT_ID, "the key's curve")?;
        if curve.content != P256 {
            return Err("the key is on a curve other than P-256".to_owned());
        }
        return Ok(PublicKey::P256(bits));
    }
    if oid.content == RSA {
        return Ok(PublicKey::Rsa(bits));
    }
    Err("the key is neither an EC P-256 nor an RSA key".to_owned())
}

/// What a certificate says that a signature check needs.
#[derive(Clone, Debug)]
pub struct Certificate {
    pub key: PublicKey,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
}

/// Reads an X.509 certificate (DER): its validity and its subject's public key. The
/// issuer's signature is not checked here: the certificate's origin is what proves it (an
/// https address at the provider's own host).
pub fn certificate(der: &[u8]) -> Result<Certificate, String> {
    let (cert, _) = expect(der, SEQUENCE, "the certificate")?;
    let (tbs, _) = expect(cert.content, SEQUENCE, "the certificate's body")?;
    let mut rest = tbs.content;
    // [0] EXPLICIT version, when present.
    let (first, after) = element(rest)?;
    if first.tag == 0xa0 {
        rest = after;
    }
    let (_serial, after) = element(rest)?;
    let (_signature, after) = expect(after, SEQUENCE, "the certificate's algorithm")?;
    let (_issuer, after) = expect(after, SEQUENCE, "the certificate's issuer")?;
    let (validity, after) = expect(after, SEQUENCE, "the certificate's validity")?;
    let (_subject, after) = expect(after, SEQUENCE, "the certificate's subject")?;
    let (info, _) = expect(after, SEQUENCE, "the certificate's key")?;
    let (not_before, more) = element(validity.content)?;
    let (not_after, _) = element(more)?;
    Ok(Certificate {
        key: read_info(info.content)?,
        not_before: time(not_before)?,
        not_after: time(not_after)?,
    })
}

/// A UTCTime (`YYMMDDHHMMSSZ`, years 1950–2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`).
fn time(e: Element<'_>) -> Result<Timestamp, String> {
    let text = std::str::from_utf8(e.content).map_err(|_| "a time that is not text")?;
    let digits = text
        .strip_suffix('Z')
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
        .ok_or("a certificate time not in UTC")?;
    let full = match (e.tag, digits.len()) {
        (UTC_TIME, 12) => {
            let year: u32 = digits[..2].parse().map_err(|_| "a bad year")?;
            format!("{}{digits}", if year < 50 { "20" } else { "19" })
        }
        (GENERALIZED_TIME, 14) => digits.to_owned(),
        _ => return Err("a certificate time that cannot be read".to_owned()),
    };
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &full[..4],
        &full[4..6],
        &full[6..8],
        &full[8..10],
        &full[10..12],
        &full[12..14]
    );
    iso.parse::<Timestamp>()
        .map_err(|_| format!("a certificate time that is not a date ({text})"))
}

/// The DER inside PEM armour (`-----BEGIN …-----`), or the text itself read as base64 when
/// it has none (SendGrid shows its key that way).
pub fn pem_or_base64(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    let body: String = if text.contains("-----BEGIN") {
        text.lines()
            .skip_while(|l| !l.starts_with("-----BEGIN"))
            .skip(1)
            .take_while(|l| !l.starts_with("-----END"))
            .collect()
    } else {
        text.to_owned()
    };
    let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body.as_bytes())
        .map_err(|_| "is not base64 (or PEM)".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_der_is_an_error_not_a_panic() {
        for bytes in [
            &[][..],
            &[0x30],
            &[0x30, 0x85, 1, 1, 1, 1, 1],
            &[0x30, 0x82, 0xff, 0xff],
            &[0x30, 0x03, 0x03, 0x01, 0x01],
            &[0x1f, 0x00],
            &[0x30, 0x02, 0x30, 0x00],
        ] {
            assert!(public_key_info(bytes).is_err(), "{bytes:?}");
            assert!(certificate(bytes).is_err(), "{bytes:?}");
        }
    }

    #[test]
    fn times_in_both_forms() {
        let utc = time(Element {
            tag: UTC_TIME,
            content: b"491231235959Z",
        })
        .unwrap();
        assert_eq!(utc.to_string(), "2049-12-31T23:59:59Z");
        let old = time(Element {
            tag: UTC_TIME,
            content: b"500101000000Z",
        })
        .unwrap();
        assert_eq!(old.to_string(), "1950-01-01T00:00:00Z");
        let general = time(Element {
            tag: GENERALIZED_TIME,
            content: b"20510101000000Z",
        })
        .unwrap();
        assert_eq!(general.to_string(), "2051-01-01T00:00:00Z");
        assert!(
            time(Element {
                tag: UTC_TIME,
                content: b"491331235959Z"
            })
            .is_err()
        );
    }
}
