//! Documents from outside: files users upload — where they are kept ([`storage`]) and what
//! text they hold ([`extract`], with one reader per format: [`pdf`], [`docx`]) — and pages
//! fetched on a user's behalf ([`fetch`], the SSRF-safe fetcher every such request goes
//! through).
//!
//! Readers of untrusted binary formats run through [`extract::read_untrusted`]: in a child
//! process held to a memory and CPU budget ([`child`], what the server and worker use), or
//! on a thread of their own ([`extract::extract_isolated`], for the command line), with a
//! panic caught, a deadline, and limits on input and output size, so a pathological file
//! ends as an [`extract::ExtractError`] and never takes the server down.

pub mod child;
pub mod docx;
pub mod extract;
pub mod fetch;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod pdf;
pub mod resume;
pub mod storage;

pub use child::{ChildReader, Isolation};
pub use extract::{ExtractError, Extracted, Format, Hidden, HiddenKind, Limits};
pub use storage::{Storage, StorageConfig, StorageError};
