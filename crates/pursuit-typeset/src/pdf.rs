//! A document as a PDF, laid out by typst with DejaVu Sans embedded (Latin, Greek, Cyrillic,
//! Arabic and Hebrew, shaped and ordered right to left where the text is). The layout is
//! one fixed template (`template.typ`); the document reaches it as JSON data, so text is
//! never read as markup. Tagged PDF, so screen readers and applicant tracking systems read
//! the text in order.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::Error;
use crate::model::Doc;

const TEMPLATE: &str = include_str!("template.typ");

/// What every render shares: the standard library, the fonts and their book.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    data: FileId,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = [
        dejavu::sans::regular(),
        dejavu::sans::bold(),
        dejavu::sans::oblique(),
        dejavu::sans::bold_oblique(),
    ]
    .into_iter()
    .flat_map(|data| Font::iter(Bytes::new(data)))
    .collect();
    let id = |path: &str| {
        #[allow(clippy::expect_used)] // constant paths
        RootedPath::new(
            VirtualRoot::Project,
            VirtualPath::new(path).expect("a valid constant path"),
        )
        .intern()
    };
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        main: id("/main.typ"),
        data: id("/doc.json"),
    }
});

/// One render: the template and the document's data.
struct Render {
    shared: &'static Shared,
    source: Source,
    data: Bytes,
}

impl World for Render {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.shared.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.shared.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.data {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// The document as the bytes of a PDF file.
pub fn pdf(doc: &Doc) -> Result<Vec<u8>, Error> {
    let shared: &'static Shared = &SHARED;
    let world = Render {
        shared,
        source: Source::new(shared.main, TEMPLATE.to_owned()),
        data: Bytes::new(serde_json::to_vec(doc).map_err(|e| Error::Layout(e.to_string()))?),
    };
    let laid_out = typst::compile::<PagedDocument>(&world).output;
    let result =
        laid_out.and_then(|document| typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()));
    // Typst memoises across calls; keep only what recent renders used.
    comemo::evict(10);
    result.map_err(|errors| {
        Error::Layout(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
