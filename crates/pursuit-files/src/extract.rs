//! From an uploaded file to its text: which format it is, the limits every reader keeps, the
//! text found and what in it was hidden from a human reader.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The formats Pursuit reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Pdf,
    Docx,
    Html,
    Markdown,
    Text,
    /// A JSON Resume document (<https://jsonresume.org/schema>): read as data, not text.
    JsonResume,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::JsonResume => "json_resume",
        }
    }

    pub fn parse(value: &str) -> Option<Format> {
        [
            Format::Pdf,
            Format::Docx,
            Format::Html,
            Format::Markdown,
            Format::Text,
            Format::JsonResume,
        ]
        .into_iter()
        .find(|f| f.as_str() == value)
    }

    /// The media type an original of this format is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Text => "text/plain; charset=utf-8",
            Format::JsonResume => "application/json",
        }
    }

    /// Decides the format from the bytes first (magic numbers), then the file name. A
    /// declared name never overrides what the bytes are.
    pub fn sniff(bytes: &[u8], file_name: Option<&str>) -> Result<Format, ExtractError> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ExtractError::Empty);
        }
        let extension = file_name
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, ext)| ext.to_ascii_lowercase());
        if bytes.starts_with(b"%PDF-")
            || bytes[..bytes.len().min(1024)]
                .windows(5)
                .any(|w| w == b"%PDF-")
        {
            return Ok(Format::Pdf);
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return Ok(Format::Docx);
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            // An OLE compound file: a legacy .doc, or an Office file encrypted with a password.
            return Err(ExtractError::Unsupported(
                "this is a legacy Word (.doc) file or a password-protected Office file; save it as .docx or PDF without a password".into(),
            ));
        }
        let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        else {
            return Err(ExtractError::Unsupported(
                "the file is neither PDF, DOCX nor UTF-8 text".into(),
            ));
        };
        let start = text.trim_start();
        Ok(match extension.as_deref() {
            Some("md" | "markdown") => Format::Markdown,
            Some("html" | "htm") => Format::Html,
            Some("json") => Format::JsonResume,
            _ if start.starts_with('{') => Format::JsonResume,
            _ if start
                .get(..5)
                .is_some_and(|s| s.eq_ignore_ascii_case("<!doc"))
                || start.starts_with("<html") =>
            {
                Format::Html
            }
            _ => Format::Text,
        })
    }
}

/// How far a reader may go.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Limits {
    /// Largest file accepted.
    pub max_bytes: usize,
    /// Wall time for one file.
    pub max_time: Duration,
    /// Most characters of text kept (the rest of a file is not read).
    pub max_chars: usize,
    /// Most entries in a DOCX archive.
    pub max_entries: usize,
    /// Most bytes a DOCX archive may inflate to, over all entries read.
    pub max_inflated: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 10 * 1024 * 1024,
            max_time: Duration::from_secs(10),
            max_chars: 200_000,
            max_entries: 1_000,
            max_inflated: 50 * 1024 * 1024,
        }
    }
}

/// Why a file gave no text. Each message is written for the user who uploaded it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtractError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes; the limit is {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("the file is encrypted or password-protected; upload a copy without a password")]
    Encrypted,
    #[error("the file is damaged and could not be read: {0}")]
    Corrupt(String),
    #[error(
        "the file has no text layer (a scanned image?); export it from your editor as PDF or DOCX, or paste the text"
    )]
    NoText,
    #[error("{0}")]
    Unsupported(String),
    #[error("the archive looks like a zip bomb: {0}")]
    ZipBomb(String),
    #[error("reading the file took longer than {0} seconds")]
    TimedOut(u64),
    #[error("the file made the reader fail; it was stopped and nothing else was affected")]
    Crashed,
    #[error(
        "reading the file needed more than {memory_mb} MB of memory, far more than a resume should; it was stopped (is it a compressed \"bomb\"?)"
    )]
    TooDemanding { memory_mb: u64 },
}

/// Text a human reader would not see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HiddenKind {
    /// White (or near-white) fill on text.
    WhiteText,
    /// Text under 2 points.
    TinyText,
    /// PDF text render mode 3 (neither filled nor stroked).
    InvisibleText,
    /// A DOCX run marked hidden (`w:vanish`).
    HiddenRun,
}

/// One stretch of hidden text (`sample` is its first 200 characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hidden {
    pub kind: HiddenKind,
    pub sample: String,
    pub chars: usize,
}

/// What a reader found.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Extracted {
    /// The text, lines separated by `\n`, paragraphs by a blank line.
    pub text: String,
    /// Pages (PDF only).
    pub pages: Option<u32>,
    pub hidden: Vec<Hidden>,
    /// True when `max_chars` cut the text short.
    pub truncated: bool,
    /// Pages (1-based) the reader failed on; the text of the others is kept.
    pub unreadable_pages: Vec<u32>,
}

/// Collects hidden text, merging runs of one kind that follow each other.
#[derive(Default)]
pub(crate) struct HiddenCollector {
    pub(crate) found: Vec<Hidden>,
    last: Option<HiddenKind>,
}

impl HiddenCollector {
    pub(crate) fn push(&mut self, kind: HiddenKind, text: &str) {
        if text.trim().is_empty() {
            self.last = None;
            return;
        }
        match self.found.last_mut() {
            Some(hidden) if self.last.as_ref() == Some(&kind) => {
                hidden.chars += text.chars().count();
                if hidden.sample.chars().count() < 200 {
                    hidden.sample.push_str(text);
                    hidden.sample = hidden.sample.chars().take(200).collect();
                }
            }
            _ => {
                self.found.push(Hidden {
                    kind,
                    sample: text.chars().take(200).collect(),
                    chars: text.chars().count(),
                });
                self.last = Some(kind);
            }
        }
    }

    pub(crate) fn gap(&mut self) {
        self.last = None;
    }
}

/// A deadline and output budget checked as a reader goes.
#[derive(Clone, Copy)]
pub(crate) struct Budget {
    deadline: Instant,
    seconds: u64,
    pub(crate) max_chars: usize,
}

impl Budget {
    pub(crate) fn new(limits: &Limits) -> Budget {
        Budget {
            deadline: Instant::now() + limits.max_time,
            seconds: limits.max_time.as_secs().max(1),
            max_chars: limits.max_chars,
        }
    }

    pub(crate) fn check(&self) -> Result<(), ExtractError> {
        if Instant::now() > self.deadline {
            Err(ExtractError::TimedOut(self.seconds))
        } else {
            Ok(())
        }
    }
}

/// Reads `bytes` as `format` on the calling thread. Prefer [`extract_isolated`] for
/// untrusted files.
pub fn extract(bytes: &[u8], format: Format, limits: &Limits) -> Result<Extracted, ExtractError> {
    if bytes.len() > limits.max_bytes {
        return Err(ExtractError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty);
    }
    let budget = Budget::new(limits);
    let mut extracted = match format {
        Format::Pdf => crate::pdf::read(bytes, budget)?,
        Format::Docx => crate::docx::read(bytes, limits, budget)?,
        Format::Html => Extracted {
            text: pursuit_text::html::read(&utf8(bytes)?).text,
            ..Extracted::default()
        },
        Format::Markdown | Format::Text | Format::JsonResume => Extracted {
            text: utf8(bytes)?.replace("\r\n", "\n"),
            ..Extracted::default()
        },
    };
    // U+0000 means nothing in a resume, and PostgreSQL cannot store it.
    if extracted.text.contains('\0') {
        extracted.text.retain(|c| c != '\0');
    }
    for hidden in &mut extracted.hidden {
        hidden.sample.retain(|c| c != '\0');
    }
    if extracted.text.chars().count() > limits.max_chars {
        extracted.text = extracted.text.chars().take(limits.max_chars).collect();
        extracted.truncated = true;
    }
    if extracted.text.trim().is_empty() {
        return Err(match format {
            Format::Pdf => ExtractError::NoText,
            _ => ExtractError::Empty,
        });
    }
    Ok(extracted)
}

fn utf8(bytes: &[u8]) -> Result<String, ExtractError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ExtractError::Unsupported("the text is not UTF-8".into()))
}

/// Reads `bytes` on a thread of its own: a panic in a reader becomes
/// [`ExtractError::Crashed`], and a reader still busy after `max_time` (plus a grace
/// second) is abandoned with [`ExtractError::TimedOut`]. Readers also check the deadline
/// themselves as they go, so an abandoned thread stops soon after.
pub async fn extract_isolated(
    bytes: bytes::Bytes,
    format: Format,
    limits: Limits,
) -> Result<Extracted, ExtractError> {
    isolated(limits.max_time, move || extract(&bytes, format, &limits)).await
}

/// Reads an untrusted file the way `isolation` says: on a thread of this process
/// ([`extract_isolated`]) or in a child process held to a memory and CPU budget
/// ([`crate::child`]).
pub async fn read_untrusted(
    bytes: bytes::Bytes,
    format: Format,
    limits: Limits,
    isolation: &crate::child::Isolation,
) -> Result<Extracted, ExtractError> {
    match isolation {
        crate::child::Isolation::Thread => extract_isolated(bytes, format, limits).await,
        crate::child::Isolation::Process(reader) => {
            crate::child::read(&bytes, format, &limits, reader).await
        }
    }
}

/// Runs `read` on a thread of its own, catching a panic and giving up after `max_time`
/// and a grace second.
async fn isolated<F>(max_time: Duration, read: F) -> Result<Extracted, ExtractError>
where
    F: FnOnce() -> Result<Extracted, ExtractError> + Send + 'static,
{
    let (send, receive) = tokio::sync::oneshot::channel();
    let started = readers::run(Box::new(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
        let _ = send.send(result.unwrap_or_else(|_| {
            tracing::warn!("a file reader panicked");
            Err(ExtractError::Crashed)
        }));
    }));
    if !started {
        return Err(ExtractError::Crashed);
    }
    match tokio::time::timeout(max_time + Duration::from_secs(1), receive).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(ExtractError::Crashed),
        Err(_) => Err(ExtractError::TimedOut(max_time.as_secs().max(1))),
    }
}

/// The threads files are read on. Each reading has a thread to itself, as if one were
/// started for it, but a thread whose reading ended waits for the next one instead of
/// exiting (starting a thread per file was a tenth of ranking 2,000 resume PDFs). A
/// reading that never ends keeps its thread, which is never handed another file.
mod readers {
    use std::sync::mpsc::{Sender, channel};
    use std::sync::{Mutex, PoisonError};

    type Job = Box<dyn FnOnce() + Send>;

    /// Idle threads kept at most; more exit when their reading ends.
    const KEEP: usize = 16;

    static IDLE: Mutex<Vec<Sender<Job>>> = Mutex::new(Vec::new());

    /// Hands `job` to an idle reader thread or a new one; false if no thread could be
    /// started. `job` must not panic (the caller catches its reader's panics).
    pub(super) fn run(mut job: Job) -> bool {
        loop {
            let idle = IDLE.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let Some(thread) = idle else { break };
            match thread.send(job) {
                Ok(()) => return true,
                // That thread is gone: try the next one.
                Err(returned) => job = returned.0,
            }
        }
        let (send, receive) = channel::<Job>();
        // Queued before the thread starts: its first reading.
        if send.send(job).is_err() {
            return false;
        }
        std::thread::Builder::new()
            .name("pursuit-extract".into())
            .spawn(move || {
                while let Ok(job) = receive.recv() {
                    job();
                    let mut idle = IDLE.lock().unwrap_or_else(PoisonError::into_inner);
                    if idle.len() >= KEEP {
                        break;
                    }
                    idle.push(send.clone());
                }
            })
            .is_ok()
    }

    /// Waits (up to a few seconds) until `count` threads are idle.
    #[cfg(test)]
    pub(super) async fn wait_for_idle(count: usize) {
        for _ in 0..500 {
            if IDLE.lock().unwrap_or_else(PoisonError::into_inner).len() == count {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the reader threads never became idle");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_before_name() {
        assert_eq!(
            Format::sniff(b"%PDF-1.7\n", Some("cv.txt")),
            Ok(Format::Pdf)
        );
        assert_eq!(
            Format::sniff(b"PK\x03\x04rest", Some("cv.pdf")),
            Ok(Format::Docx)
        );
        assert_eq!(
            Format::sniff(b"# Jane", Some("cv.md")),
            Ok(Format::Markdown)
        );
        assert_eq!(
            Format::sniff(b"{\"basics\":{}}", None),
            Ok(Format::JsonResume)
        );
        assert_eq!(Format::sniff(b"Jane Doe\nEngineer", None), Ok(Format::Text));
        assert_eq!(Format::sniff(b"  \n", None), Err(ExtractError::Empty));
        assert!(matches!(
            Format::sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0], Some("cv.docx")),
            Err(ExtractError::Unsupported(_))
        ));
        assert!(matches!(
            Format::sniff(&[0xff, 0xfe, 0x00, 0x41], None),
            Err(ExtractError::Unsupported(_))
        ));
    }

    #[tokio::test]
    async fn a_panicking_or_stuck_reader_is_contained() {
        let panicked = isolated(Duration::from_secs(1), || panic!("reader bug")).await;
        assert_eq!(panicked.unwrap_err(), ExtractError::Crashed);
        let stuck = isolated(Duration::from_millis(10), || {
            std::thread::sleep(Duration::from_secs(3));
            Ok(Extracted::default())
        })
        .await;
        assert!(matches!(stuck, Err(ExtractError::TimedOut(_))));
    }

    #[tokio::test]
    async fn reader_threads_are_reused_but_never_while_stuck() {
        let thread_of = || async {
            let (send, receive) = std::sync::mpsc::channel();
            isolated(Duration::from_secs(5), move || {
                let _ = send.send(std::thread::current().id());
                Ok(Extracted::default())
            })
            .await
            .unwrap();
            receive.recv().unwrap()
        };
        let first = thread_of().await;
        // (A thread puts itself back just after answering.)
        readers::wait_for_idle(1).await;
        // A panic is caught on the thread: it reads the next file too.
        let panicked = isolated(Duration::from_secs(5), || panic!("reader bug")).await;
        assert_eq!(panicked.unwrap_err(), ExtractError::Crashed);
        readers::wait_for_idle(1).await;
        assert_eq!(thread_of().await, first);
        // A reading that is stuck keeps its thread; the next file gets another.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (stuck_on, stuck_thread) = std::sync::mpsc::channel();
        let stuck = isolated(Duration::from_millis(10), move || {
            let _ = stuck_on.send(std::thread::current().id());
            let _ = held.recv();
            Ok(Extracted::default())
        })
        .await;
        assert!(matches!(stuck, Err(ExtractError::TimedOut(_))));
        let stuck_thread = stuck_thread.recv().unwrap();
        let next = thread_of().await;
        assert_ne!(next, stuck_thread);
        release.send(()).unwrap();
    }

    #[test]
    fn refuses_files_over_the_limit() {
        let limits = Limits {
            max_bytes: 4,
            ..Limits::default()
        };
        assert_eq!(
            extract(b"hello", Format::Text, &limits).unwrap_err(),
            ExtractError::TooLarge { size: 5, limit: 4 }
        );
    }

    #[tokio::test]
    async fn a_damaged_pdf_is_an_error_not_a_crash() {
        let result = extract_isolated(
            bytes::Bytes::from_static(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nendobj\ntrailer\n"),
            Format::Pdf,
            Limits::default(),
        )
        .await;
        assert!(
            matches!(
                result,
                Err(ExtractError::Corrupt(_) | ExtractError::NoText | ExtractError::Crashed)
            ),
            "{result:?}"
        );
    }
}
