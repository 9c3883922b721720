//! A document as a Word file (Office Open XML, ECMA-376): one `document.xml` of paragraphs
//! with the built-in heading and list styles, so applicant tracking systems and Word read the
//! structure; right-to-left paragraphs and runs marked as such.

use std::io::{Cursor, Write};

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::Error;
use crate::model::{Block, Doc, Span, is_rtl_char, mostly_rtl};

/// Text as XML character data: escaped, without the characters XML 1.0 cannot hold.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
}

struct Writer<'a> {
    doc: &'a Doc,
    body: String,
    /// External link targets, in order: relationship ids rId100, rId101, …
    links: Vec<String>,
}

impl Writer<'_> {
    fn runs(&mut self, spans: &[Span]) {
        for span in spans {
            let link = span.link.as_ref().map(|url| {
                self.links.push(url.clone());
                format!("rId{}", 99 + self.links.len())
            });
            if let Some(id) = &link {
                self.body
                    .push_str(&format!(r#"<w:hyperlink r:id="{id}" w:history="1">"#));
            }
            self.body.push_str("<w:r>");
            let rtl = span.text.chars().any(is_rtl_char);
            if span.bold || span.italic || rtl || link.is_some() {
                self.body.push_str("<w:rPr>");
                if link.is_some() {
                    self.body.push_str(r#"<w:rStyle w:val="Hyperlink"/>"#);
                }
                if span.bold {
                    self.body.push_str("<w:b/><w:bCs/>");
                }
                if span.italic {
                    self.body.push_str("<w:i/><w:iCs/>");
                }
                if rtl {
                    self.body.push_str("<w:rtl/>");
                }
                self.body.push_str("</w:rPr>");
            }
            self.body.push_str(r#"<w:t xml:space="preserve">"#);
            escape(&span.text, &mut self.body);
            self.body.push_str("</w:t></w:r>");
            if link.is_some() {
                self.body.push_str("</w:hyperlink>");
            }
        }
    }

    fn paragraph(&mut self, style: Option<&str>, numbering: Option<u32>, spans: &[Span]) {
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        let bidi = if text.chars().any(char::is_alphabetic) {
            mostly_rtl(&text)
        } else {
            self.doc.rtl
        };
        self.body.push_str("<w:p>");
        if style.is_some() || numbering.is_some() || bidi {
            self.body.push_str("<w:pPr>");
            if let Some(style) = style {
                self.body
                    .push_str(&format!(r#"<w:pStyle w:val="{style}"/>"#));
            }
            if let Some(num) = numbering {
                self.body.push_str(&format!(
                    r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>"#
                ));
            }
            if bidi {
                self.body.push_str("<w:bidi/>");
            }
            self.body.push_str("</w:pPr>");
        }
        self.runs(spans);
        self.body.push_str("</w:p>");
    }

    fn blocks(&mut self) {
        for block in &self.doc.blocks {
            match block {
                Block::Heading { level, spans } => {
                    let style = match level {
                        1 => "Title",
                        2 => "Heading1",
                        _ => "Heading2",
                    };
                    self.paragraph(Some(style), None, spans);
                }
                Block::Paragraph { spans } => self.paragraph(None, None, spans),
                Block::List { ordered, items } => {
                    let num = if *ordered { 2 } else { 1 };
                    for item in items {
                        self.paragraph(Some("ListParagraph"), Some(num), item);
                    }
                }
                Block::Rule => self.body.push_str(
                    r#"<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="999999"/></w:pBdr></w:pPr></w:p>"#,
                ),
            }
        }
    }
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

/// Styles: Normal (10.5 pt sans), Title, Heading1, Heading2, ListParagraph, Hyperlink.
fn styles(doc: &Doc) -> String {
    let lang = if doc.rtl {
        format!(r#"<w:lang w:val="en-US" w:bidi="{}"/>"#, doc.lang)
    } else {
        format!(r#"<w:lang w:val="{}"/>"#, doc.lang)
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="Arial"/><w:sz w:val="21"/><w:szCs w:val="21"/>{lang}</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="999999"/></w:pBdr><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="160" w:after="40"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="40"/><w:ind w:left="720"/><w:contextualSpacing/></w:pPr></w:style><w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="1F4E9A"/><w:u w:val="single"/></w:rPr></w:style></w:styles>"#
    )
}

const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#;

/// The document as the bytes of a `.docx` file.
pub fn docx(doc: &Doc) -> Result<Vec<u8>, Error> {
    let mut writer = Writer {
        doc,
        body: String::with_capacity(8192),
        links: Vec::new(),
    };
    writer.blocks();
    let section = if doc.rtl {
        r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/><w:bidi/></w:sectPr>"#
    } else {
        r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>"#
    };
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{}{section}</w:body></w:document>"#,
        writer.body
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>"#,
    );
    for (i, url) in writer.links.iter().enumerate() {
        let mut target = String::new();
        escape(url, &mut target);
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="{target}" TargetMode="External"/>"#,
            100 + i
        ));
    }
    rels.push_str("</Relationships>");
    let mut title = String::new();
    escape(&doc.title, &mut title);
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title><dc:language>{}</dc:language><dc:creator>Pursuit</dc:creator></cp:coreProperties>"#,
        doc.lang
    );
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("docProps/core.xml", core.as_str()),
        ("word/document.xml", document.as_str()),
        ("word/_rels/document.xml.rels", rels.as_str()),
        ("word/styles.xml", styles(doc).as_str()),
        ("word/numbering.xml", NUMBERING),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip file");
        let mut file = archive.by_name(name).expect("the part");
        let mut out = String::new();
        std::io::Read::read_to_string(&mut file, &mut out).expect("utf-8");
        out
    }

    #[test]
    fn a_document_becomes_styled_paragraphs_with_escaped_text() {
        let doc = read(
            "# A <b> & \"C\"\n\n## Skills\n\nRust, C++\u{1}\n\n- one [site](https://example.org/?a=1&b=2)\n1. first\n",
            "CV & co",
            None,
        );
        let bytes = docx(&doc).expect("written");
        let body = part(&bytes, "word/document.xml");
        assert!(body.contains(r#"<w:pStyle w:val="Title"/>"#));
        assert!(body.contains("A &lt;b&gt; &amp; &quot;C&quot;"), "{body}");
        assert!(body.contains(
            r#"<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">Skills"#
        ));
        assert!(
            body.contains("Rust, C++</w:t>"),
            "control characters are dropped"
        );
        assert!(
            body.contains(r#"<w:numId w:val="1"/>"#) && body.contains(r#"<w:numId w:val="2"/>"#)
        );
        assert!(body.contains(r#"<w:hyperlink r:id="rId100""#));
        let rels = part(&bytes, "word/_rels/document.xml.rels");
        assert!(
            rels.contains(r#"Target="https://example.org/?a=1&amp;b=2" TargetMode="External""#)
        );
        assert!(part(&bytes, "docProps/core.xml").contains("<dc:title>CV &amp; co</dc:title>"));
        assert!(!body.contains("<w:bidi/>"));
    }

    #[test]
    fn right_to_left_paragraphs_and_runs_are_marked() {
        let doc = read(
            "# سيرة ذاتية\n\nمهندس برمجيات في Acme\n\nEnglish line\n",
            "cv",
            None,
        );
        let body = part(&docx(&doc).expect("written"), "word/document.xml");
        assert_eq!(
            body.matches("<w:bidi/>").count(),
            3,
            "two Arabic paragraphs and the section: {body}"
        );
        assert!(body.contains("<w:rtl/>"));
    }
}
