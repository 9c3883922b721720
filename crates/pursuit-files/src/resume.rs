//! A resume file, start to end: its format, its text (isolated reader), and the parsed
//! resume. Shared by `pursuit parse resume` and the `resume.parse` job.

use pursuit_text::dates::YearMonth;
use pursuit_text::resume::{self, Resume};
use serde::Serialize;

use crate::child::Isolation;
use crate::extract::{self, ExtractError, Format, Hidden, Limits};

/// Everything read from one file.
#[derive(Clone, Debug, Serialize)]
pub struct ReadResume {
    pub format: Format,
    pub resume: Resume,
    /// The extracted text the resume was parsed from.
    pub text: String,
    pub pages: Option<u32>,
    /// Text a human reader would not see (left out of `text` where it could be found).
    pub hidden: Vec<Hidden>,
    pub truncated: bool,
    /// PDF pages the reader failed on (their text is missing).
    pub unreadable_pages: Vec<u32>,
}

/// Reads `bytes` (named `file_name` when it came as an upload) as of `today`, on a thread
/// of this process (for the command line and benchmarks: see [`read_with`]).
pub async fn read(
    bytes: bytes::Bytes,
    file_name: Option<&str>,
    limits: Limits,
    today: YearMonth,
) -> Result<ReadResume, ExtractError> {
    read_with(bytes, file_name, limits, &Isolation::Thread, today).await
}

/// [`read`], with the file's text extracted the way `isolation` says (the server and worker
/// read in a child process).
pub async fn read_with(
    bytes: bytes::Bytes,
    file_name: Option<&str>,
    limits: Limits,
    isolation: &Isolation,
    today: YearMonth,
) -> Result<ReadResume, ExtractError> {
    extract_with(bytes, file_name, limits, isolation)
        .await?
        .parse(today)
}

/// A resume file's text, read but not yet parsed: the first half of [`read_with`], for a
/// caller that reads many files while what parsing needs is still loading
/// ([`pursuit_text::warm_up`]).
#[derive(Debug)]
pub struct Unparsed {
    format: Format,
    extracted: extract::Extracted,
}

/// Sniffs `bytes` and extracts their text the way `isolation` says.
pub async fn extract_with(
    bytes: bytes::Bytes,
    file_name: Option<&str>,
    limits: Limits,
    isolation: &Isolation,
) -> Result<Unparsed, ExtractError> {
    let format = Format::sniff(&bytes, file_name)?;
    let extracted = extract::read_untrusted(bytes, format, limits, isolation).await?;
    Ok(Unparsed { format, extracted })
}

impl Unparsed {
    /// The resume in the text, as of `today`: the second half of [`read_with`].
    pub fn parse(self, today: YearMonth) -> Result<ReadResume, ExtractError> {
        let Unparsed { format, extracted } = self;
        let resume = if format == Format::JsonResume {
            let value: serde_json::Value = serde_json::from_str(&extracted.text)
                .map_err(|e| ExtractError::Unsupported(format!("the JSON is not valid ({e})")))?;
            resume::from_json_resume(&value, today).map_err(ExtractError::Unsupported)?
        } else {
            resume::parse(&extracted.text, today)
        };
        Ok(ReadResume {
            format,
            resume,
            text: extracted.text,
            pages: extracted.pages,
            hidden: extracted.hidden,
            truncated: extracted.truncated,
            unreadable_pages: extracted.unreadable_pages,
        })
    }
}
