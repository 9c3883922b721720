//! Files users upload: where they are kept ([`storage`]) and what text they hold
//! ([`extract`], with one reader per format: [`pdf`], [`docx`]).
//!
//! Readers of untrusted binary formats run through [`extract::extract_isolated`]: on their
//! own thread, with a panic caught, a deadline, and limits on input and output size, so a
//! pathological file ends as an [`extract::ExtractError`] and never takes the server down.

pub mod docx;
pub mod extract;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod pdf;
pub mod resume;
pub mod storage;

pub use extract::{ExtractError, Extracted, Format, Hidden, HiddenKind, Limits};
pub use storage::{Storage, StorageConfig, StorageError};
