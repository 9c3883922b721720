//! Just enough DNS to check a sending domain: TXT and MX questions to one recursive
//! resolver over UDP (TCP when the answer is truncated), answers parsed with their name
//! compression. The resolver is the system's (`/etc/resolv.conf`) unless one is given.
//! Nothing here panics on what a server answers.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Where questions go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolver {
    pub server: SocketAddr,
    pub timeout: Duration,
}

/// Why a question got no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DnsError {
    #[error("{0} is not a domain name")]
    BadName(String),
    #[error("the DNS resolver did not answer within {} s", .0.as_secs())]
    Timeout(Duration),
    #[error("the DNS resolver failed: {0}")]
    Failed(String),
}

const TXT: u16 = 16;
const MX: u16 = 15;

impl Resolver {
    /// The first `nameserver` of `/etc/resolv.conf`, else 127.0.0.53 (systemd-resolved).
    pub fn system(timeout: Duration) -> Resolver {
        let server = std::fs::read_to_string("/etc/resolv.conf")
            .ok()
            .and_then(|text| {
                text.lines().find_map(|line| {
                    let mut words = line.split_whitespace();
                    (words.next() == Some("nameserver"))
                        .then(|| words.next()?.parse::<std::net::IpAddr>().ok())
                        .flatten()
                })
            })
            .map_or_else(
                || SocketAddr::from(([127, 0, 0, 53], 53)),
                |ip| SocketAddr::new(ip, 53),
            );
        Resolver { server, timeout }
    }

    /// The TXT records at `name` (each record's strings joined); none when the name has
    /// none or does not exist.
    pub async fn txt(&self, name: &str) -> Result<Vec<String>, DnsError> {
        let answer = self.ask(name, TXT).await?;
        Ok(records(&answer, TXT)
            .into_iter()
            .map(|rdata| {
                let mut text = Vec::new();
                let mut at = 0;
                while let Some(&len) = rdata.get(at) {
                    let end = (at + 1 + usize::from(len)).min(rdata.len());
                    text.extend_from_slice(&rdata[at + 1..end]);
                    at = end;
                }
                String::from_utf8_lossy(&text).into_owned()
            })
            .collect())
    }

    /// The MX records at `name`, as (preference, host), lowest preference first.
    pub async fn mx(&self, name: &str) -> Result<Vec<(u16, String)>, DnsError> {
        let answer = self.ask(name, MX).await?;
        let mut found: Vec<(u16, String)> = records_at(&answer, MX)
            .into_iter()
            .filter_map(|at| {
                let preference = u16::from_be_bytes([*answer.get(at)?, *answer.get(at + 1)?]);
                let (host, _) = read_name(&answer, at + 2)?;
                Some((preference, host))
            })
            .collect();
        found.sort();
        Ok(found)
    }

    /// Asks one question; the whole answer message (empty answers for NXDOMAIN).
    async fn ask(&self, name: &str, kind: u16) -> Result<Vec<u8>, DnsError> {
        let random = uuid::Uuid::new_v4();
        let id = u16::from_be_bytes([random.as_bytes()[0], random.as_bytes()[1]]);
        let question = query(id, name, kind)?;
        let timeout = self.timeout;
        let answer = tokio::time::timeout(timeout, self.exchange(&question, id))
            .await
            .map_err(|_| DnsError::Timeout(timeout))??;
        // RCODE 0 (no error) and 3 (no such name) are answers; the rest are failures.
        match answer.get(3).map(|b| b & 0x0f) {
            Some(0 | 3) => Ok(answer),
            Some(code) => Err(DnsError::Failed(format!("it answered with code {code}"))),
            None => Err(DnsError::Failed("a short answer".to_owned())),
        }
    }

    async fn exchange(&self, question: &[u8], id: u16) -> Result<Vec<u8>, DnsError> {
        let failed = |e: std::io::Error| DnsError::Failed(e.to_string());
        let bind: SocketAddr = if self.server.is_ipv4() {
            SocketAddr::from(([0, 0, 0, 0], 0))
        } else {
            SocketAddr::from(([0u16; 8], 0))
        };
        let socket = tokio::net::UdpSocket::bind(bind).await.map_err(failed)?;
        socket.connect(self.server).await.map_err(failed)?;
        socket.send(question).await.map_err(failed)?;
        let mut buffer = vec![0u8; 4096];
        loop {
            let n = socket.recv(&mut buffer).await.map_err(failed)?;
            let answer = &buffer[..n];
            // Another question's answer (or garbage): wait for ours.
            if answer.len() < 12 || u16::from_be_bytes([answer[0], answer[1]]) != id {
                continue;
            }
            // Truncated: ask again over TCP.
            if answer[2] & 0x02 != 0 {
                return self.over_tcp(question).await;
            }
            return Ok(answer.to_vec());
        }
    }

    async fn over_tcp(&self, question: &[u8]) -> Result<Vec<u8>, DnsError> {
        let failed = |e: std::io::Error| DnsError::Failed(e.to_string());
        let mut stream = tokio::net::TcpStream::connect(self.server)
            .await
            .map_err(failed)?;
        let mut framed = u16::try_from(question.len())
            .unwrap_or(0)
            .to_be_bytes()
            .to_vec();
        framed.extend_from_slice(question);
        stream.write_all(&framed).await.map_err(failed)?;
        let len = stream.read_u16().await.map_err(failed)?;
        let mut answer = vec![0u8; usize::from(len)];
        stream.read_exact(&mut answer).await.map_err(failed)?;
        Ok(answer)
    }
}

/// A question message for `name` and `kind`, recursion desired.
fn query(id: u16, name: &str, kind: u16) -> Result<Vec<u8>, DnsError> {
    let bad = || DnsError::BadName(name.to_owned());
    let name = name.trim_end_matches('.');
    if name.is_empty() || name.len() > 253 {
        return Err(bad());
    }
    let mut out = Vec::with_capacity(name.len() + 18);
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for label in name.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(bad());
        }
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes());
    Ok(out)
}

/// Reads a (possibly compressed) name at `at`: the name and where the data after it starts.
fn read_name(message: &[u8], mut at: usize) -> Option<(String, usize)> {
    let mut labels: Vec<String> = Vec::new();
    let mut after = None;
    for _ in 0..128 {
        let len = *message.get(at)?;
        match len & 0xc0 {
            0x00 if len == 0 => {
                return Some((labels.join("."), after.unwrap_or(at + 1)));
            }
            0x00 => {
                let label = message.get(at + 1..at + 1 + usize::from(len))?;
                labels.push(String::from_utf8_lossy(label).to_lowercase());
                at += 1 + usize::from(len);
            }
            0xc0 => {
                let pointer = usize::from(u16::from_be_bytes([len & 0x3f, *message.get(at + 1)?]));
                after.get_or_insert(at + 2);
                at = pointer;
            }
            _ => return None,
        }
    }
    None
}

/// Where the data of each answer of `kind` starts, in the answer section.
fn records_at(message: &[u8], kind: u16) -> Vec<usize> {
    let mut out = Vec::new();
    let count = |i: usize| -> Option<usize> {
        Some(usize::from(u16::from_be_bytes([
            *message.get(i)?,
            *message.get(i + 1)?,
        ])))
    };
    let (Some(questions), Some(answers)) = (count(4), count(6)) else {
        return out;
    };
    let mut at = 12;
    for _ in 0..questions {
        let Some((_, next)) = read_name(message, at) else {
            return out;
        };
        at = next + 4;
    }
    for _ in 0..answers {
        let Some((_, next)) = read_name(message, at) else {
            return out;
        };
        let (Some(kind_here), Some(len)) = (count(next), count(next + 8)) else {
            return out;
        };
        let data = next + 10;
        if data + len > message.len() {
            return out;
        }
        if kind_here == usize::from(kind) {
            out.push(data);
        }
        at = data + len;
    }
    out
}

/// The data of each answer of `kind`.
fn records(message: &[u8], kind: u16) -> Vec<Vec<u8>> {
    records_at(message, kind)
        .into_iter()
        .filter_map(|at| {
            let len = usize::from(u16::from_be_bytes([
                *message.get(at - 2)?,
                *message.get(at - 1)?,
            ]));
            Some(message.get(at..at + len)?.to_vec())
        })
        .collect()
}

/// Test support: an answer to `question` with `answers` of TXT texts or MX (preference,
/// host) at the question's name, compressed as servers do (tests' own DNS server).
#[doc(hidden)]
pub fn answer_for(question: &[u8], txt: &[&str], mx: &[(u16, &str)]) -> Vec<u8> {
    let Some((_, end)) = read_name(question, 12) else {
        return Vec::new();
    };
    let kind = u16::from_be_bytes([question[end], question[end + 1]]);
    let mut out = question[..end + 4].to_vec();
    out[2] = 0x81;
    out[3] = 0x80;
    let mut count = 0u16;
    let add = |out: &mut Vec<u8>, data: Vec<u8>| {
        out.extend_from_slice(&[0xc0, 12]);
        out.extend_from_slice(&kind.to_be_bytes());
        out.extend_from_slice(&[0, 1, 0, 0, 0, 60]);
        out.extend_from_slice(&(data.len() as u16).to_be_bytes());
        out.extend_from_slice(&data);
    };
    if kind == TXT {
        for text in txt {
            let mut data = Vec::new();
            // Long texts are split into strings of at most 255 bytes, as in zone files.
            for chunk in text.as_bytes().chunks(255) {
                data.push(chunk.len() as u8);
                data.extend_from_slice(chunk);
            }
            add(&mut out, data);
            count += 1;
        }
    } else if kind == MX {
        for (preference, host) in mx {
            let mut data = preference.to_be_bytes().to_vec();
            for label in host.split('.') {
                data.push(label.len() as u8);
                data.extend_from_slice(label.as_bytes());
            }
            data.push(0);
            add(&mut out, data);
            count += 1;
        }
    }
    out[6..8].copy_from_slice(&count.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_with_their_compression() {
        let question = query(7, "example.org", TXT).unwrap();
        let long = format!("v=spf1 {} ~all", "include:a.example ".repeat(20));
        let answer = answer_for(&question, &["v=spf1 -all", &long], &[]);
        let texts: Vec<String> = records(&answer, TXT)
            .into_iter()
            .map(|d| {
                let mut t = Vec::new();
                let mut at = 0;
                while at < d.len() {
                    let len = usize::from(d[at]);
                    t.extend_from_slice(&d[at + 1..at + 1 + len]);
                    at += 1 + len;
                }
                String::from_utf8(t).unwrap()
            })
            .collect();
        assert_eq!(texts, vec!["v=spf1 -all".to_owned(), long]);
        let question = query(8, "example.org", MX).unwrap();
        let answer = answer_for(
            &question,
            &[],
            &[(10, "mx1.example.org"), (5, "mx0.example.org")],
        );
        let hosts: Vec<String> = records_at(&answer, MX)
            .into_iter()
            .map(|at| read_name(&answer, at + 2).unwrap().0)
            .collect();
        assert_eq!(hosts, vec!["mx1.example.org", "mx0.example.org"]);
    }

    #[test]
    fn hostile_answers_and_names_are_errors() {
        assert!(query(1, "", TXT).is_err());
        assert!(query(1, "a..b", TXT).is_err());
        assert!(query(1, "evil\0.example", TXT).is_err());
        assert!(query(1, &format!("{}.example", "a".repeat(64)), TXT).is_err());
        // A pointer loop, a pointer past the end, counts larger than the message.
        let mut looped = query(1, "example.org", TXT).unwrap();
        looped[7] = 1;
        looped.extend_from_slice(&[0xc0, looped.len() as u8]);
        assert!(records_at(&looped, TXT).is_empty());
        for bytes in [vec![], vec![0; 11], vec![0xff; 40]] {
            assert!(records_at(&bytes, TXT).is_empty());
            assert!(read_name(&bytes, 12).is_none());
        }
    }
}
