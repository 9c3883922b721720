//! Documents out: the Markdown of a CV or a letter laid out as a Word file (always built) and
//! as a PDF through typst (feature `pdf`: typst is most of a clean build, so it stays in
//! this crate behind a feature, and only the binary turns it on).

mod docx;
pub mod model;
#[cfg(feature = "pdf")]
mod pdf;

pub use docx::docx;
pub use model::{Block, Doc, Span, plain_text, read};

/// The document as the bytes of a PDF file ([`Error::NoPdf`] when this build has no PDF
/// writer).
pub fn pdf(doc: &Doc) -> Result<Vec<u8>, Error> {
    #[cfg(feature = "pdf")]
    return pdf::pdf(doc);
    #[cfg(not(feature = "pdf"))]
    {
        let _ = doc;
        Err(Error::NoPdf)
    }
}

/// Whether this build can write PDF files.
pub const PDF: bool = cfg!(feature = "pdf");

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the file could not be written: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file could not be written: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the document could not be laid out: {0}")]
    Layout(String),
    #[error("this build of Pursuit writes no PDF files (it was built without the `pdf` feature)")]
    NoPdf,
}
