//! Small documents built in code, for tests here and in other crates (feature
//! `fixtures`): our own fixtures, never files from elsewhere. A fixture that cannot be
//! built is a broken test, so these panic instead of returning errors.
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Write};

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, ObjectId, Stream, dictionary};

/// A one-page PDF in Helvetica drawing `ops` (built with lopdf: our own fixture).
pub fn pdf(ops: Vec<Operation>) -> Vec<u8> {
    let content = Content { operations: ops };
    pdf_with_content(content.encode().unwrap())
}

/// A one-page PDF whose content stream is `content` as given (also when it is not valid).
pub fn pdf_with_content(content: Vec<u8>) -> Vec<u8> {
    pdf_pages(vec![content])
}

/// A PDF with one page per content stream, in Helvetica (`/F1`).
pub fn pdf_pages(contents: Vec<Vec<u8>>) -> Vec<u8> {
    pdf_of_streams(
        contents
            .into_iter()
            .map(|content| Stream::new(dictionary! {}, content))
            .collect(),
    )
}

/// A PDF with one page per content stream as given (filters and all), in Helvetica.
pub fn pdf_of_streams(streams: Vec<Stream>) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = helvetica(&mut doc);
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let kids: Vec<Object> = streams
        .into_iter()
        .map(|stream| {
            let content_id = doc.add_object(stream);
            doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            })
            .into()
        })
        .collect();
    pdf_of_pages(doc, pages_id, kids, Some(resources_id))
}

/// A Helvetica font object (WinAnsi) added to `doc`.
pub fn helvetica(doc: &mut Document) -> ObjectId {
    doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    })
}

/// `doc` saved with its page tree closed: the pages node `pages_id` (A4, with `resources`
/// for pages that have none of their own) over `kids`, and the catalog.
pub fn pdf_of_pages(
    mut doc: Document,
    pages_id: ObjectId,
    kids: Vec<Object>,
    resources: Option<ObjectId>,
) -> Vec<u8> {
    let count = i64::try_from(kids.len()).unwrap();
    let mut pages = dictionary! {
        "Type" => "Pages", "Kids" => kids, "Count" => count,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    };
    if let Some(resources) = resources {
        pages.set("Resources", resources);
    }
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A "bomb": a one-page PDF of a few kilobytes whose content stream, compressed twice
/// (`/Filter [/FlateDecode /FlateDecode]`), inflates to `megabytes` MB of text operators —
/// which a reader then turns into millions of parsed operations.
pub fn pdf_bomb(megabytes: usize) -> Vec<u8> {
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    let op = b"BT /F1 12 Tf 72 700 Td (A) Tj ET\n";
    let mut inner = ZlibEncoder::new(Vec::new(), Compression::fast());
    let block = op.repeat(64 * 1024 / op.len());
    let mut written = 0;
    while written < megabytes * 1024 * 1024 {
        inner.write_all(&block).unwrap();
        written += block.len();
    }
    let once = inner.finish().unwrap();
    let mut outer = ZlibEncoder::new(Vec::new(), Compression::best());
    outer.write_all(&once).unwrap();
    let twice = outer.finish().unwrap();
    pdf_of_streams(vec![
        Stream::new(
            dictionary! { "Filter" => vec![Object::from("FlateDecode"), Object::from("FlateDecode")] },
            twice,
        )
        .with_compression(false),
    ])
}

/// One line of Helvetica text at (`x`, `y`), `size` points.
pub fn line(x: i64, y: i64, size: i64, text: &str) -> Vec<Operation> {
    vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), size.into()]),
        Operation::new("Td", vec![x.into(), y.into()]),
        Operation::new("Tj", vec![Object::string_literal(text)]),
        Operation::new("ET", vec![]),
    ]
}

/// A DOCX whose body is `body` (WordprocessingML paragraphs, tables…).
pub fn docx(body: &str) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
    .unwrap();
    zip.finish().unwrap();
    out.into_inner()
}
