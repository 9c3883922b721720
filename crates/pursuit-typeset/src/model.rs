//! A document's Markdown read into the few blocks a CV or a letter is made of: headings,
//! paragraphs, bulleted lists and rules, each a run of spans (plain, bold, italic, linked).
//! Everything else Markdown can say (tables, code, images, HTML) is kept as its text, so no
//! word the user wrote is dropped from a file.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// A piece of text with its emphasis.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// The link's target, when the text is a link (http, https or mailto only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// One block of the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// Level 1 to 3 (deeper headings are laid out as level 3).
    Heading {
        level: u8,
        spans: Vec<Span>,
    },
    Paragraph {
        spans: Vec<Span>,
    },
    /// A bulleted (or numbered) list: one run of spans per item.
    List {
        ordered: bool,
        items: Vec<Vec<Span>>,
    },
    Rule,
}

/// A document ready to lay out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Doc {
    /// The file's title (its metadata).
    pub title: String,
    /// The language tag of the text ("en", "ar", …), for hyphenation and shaping.
    pub lang: String,
    /// Right to left: most of the text is in a right-to-left script.
    pub rtl: bool,
    pub blocks: Vec<Block>,
}

/// Whether a character belongs to a right-to-left script (Hebrew, Arabic, Syriac, Thaana,
/// N'Ko and their presentation forms).
pub fn is_rtl_char(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// Whether most of the letters in `text` are in a right-to-left script.
pub fn mostly_rtl(text: &str) -> bool {
    let (mut rtl, mut ltr) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if is_rtl_char(c) {
            rtl += 1;
        } else {
            ltr += 1;
        }
    }
    rtl > ltr
}

/// The language tag a document in `text` is laid out with: `lang` when given (two or three
/// ASCII letters), else Arabic or Hebrew for right-to-left text, else English.
fn language(text: &str, lang: Option<&str>, rtl: bool) -> String {
    if let Some(lang) = lang
        && (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_alphabetic())
    {
        return lang.to_ascii_lowercase();
    }
    if rtl {
        let hebrew = text
            .chars()
            .filter(|c| ('\u{0590}'..='\u{05FF}').contains(c))
            .count();
        let arabic = text
            .chars()
            .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
            .count();
        return if hebrew > arabic { "he" } else { "ar" }.to_owned();
    }
    "en".to_owned()
}

/// Link targets a file may carry.
fn safe_link(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        .then(|| url.trim().to_owned())
}

/// Reads `markdown` into a document titled `title`.
pub fn read(markdown: &str, title: &str, lang: Option<&str>) -> Doc {
    let rtl = mostly_rtl(markdown);
    let mut blocks = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut items: Vec<Vec<Span>> = Vec::new();
    // Nesting of lists (a nested list's items are laid out in the outer list).
    let mut lists: Vec<bool> = Vec::new();
    let (mut bold, mut italic) = (0u32, 0u32);
    let mut link: Option<String> = None;
    let mut heading: Option<u8> = None;
    let push =
        |spans: &mut Vec<Span>, text: &str, bold: u32, italic: u32, link: &Option<String>| {
            if text.is_empty() {
                return;
            }
            if let Some(last) = spans.last_mut()
                && last.bold == (bold > 0)
                && last.italic == (italic > 0)
                && last.link == *link
            {
                last.text.push_str(text);
                return;
            }
            spans.push(Span {
                text: text.to_owned(),
                bold: bold > 0,
                italic: italic > 0,
                link: link.clone(),
            });
        };
    // Ends the text gathered so far as a paragraph (or as a list item when inside a list).
    let flush = |spans: &mut Vec<Span>,
                 items: &mut Vec<Vec<Span>>,
                 blocks: &mut Vec<Block>,
                 in_list: bool| {
        trim(spans);
        if spans.is_empty() {
            return;
        }
        let taken = std::mem::take(spans);
        if in_list {
            items.push(taken);
        } else {
            blocks.push(Block::Paragraph { spans: taken });
        }
    };
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut spans, &mut items, &mut blocks, !lists.is_empty());
                heading = Some((level as u8).min(3));
            }
            Event::End(TagEnd::Heading(_)) => {
                trim(&mut spans);
                if !spans.is_empty() {
                    blocks.push(Block::Heading {
                        level: heading.unwrap_or(1),
                        spans: std::mem::take(&mut spans),
                    });
                }
                heading = None;
            }
            Event::Start(Tag::List(first)) => {
                if lists.is_empty() {
                    flush(&mut spans, &mut items, &mut blocks, false);
                } else {
                    // The parent item's own text is an item of its own.
                    flush(&mut spans, &mut items, &mut blocks, true);
                }
                lists.push(first.is_some());
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut spans, &mut items, &mut blocks, true);
                let ordered = lists.pop().unwrap_or(false);
                if lists.is_empty() && !items.is_empty() {
                    blocks.push(Block::List {
                        ordered,
                        items: std::mem::take(&mut items),
                    });
                }
            }
            Event::End(TagEnd::Item) => flush(&mut spans, &mut items, &mut blocks, true),
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::CodeBlock)
            | Event::End(TagEnd::BlockQuote(_))
            | Event::End(TagEnd::TableRow)
            | Event::End(TagEnd::TableHead)
            | Event::End(TagEnd::HtmlBlock) => {
                if lists.is_empty() {
                    flush(&mut spans, &mut items, &mut blocks, false);
                } else {
                    push(&mut spans, " ", bold, italic, &link);
                }
            }
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => link = safe_link(&dest_url),
            Event::End(TagEnd::Link) => link = None,
            Event::End(TagEnd::TableCell) => push(&mut spans, " · ", bold, italic, &link),
            Event::Text(text) | Event::Code(text) | Event::InlineHtml(text) | Event::Html(text) => {
                let text = text.replace('\n', " ");
                push(&mut spans, &text, bold, italic, &link)
            }
            Event::SoftBreak | Event::HardBreak => push(&mut spans, " ", bold, italic, &link),
            Event::Rule => {
                flush(&mut spans, &mut items, &mut blocks, !lists.is_empty());
                blocks.push(Block::Rule);
            }
            Event::TaskListMarker(done) => push(
                &mut spans,
                if done { "[x] " } else { "[ ] " },
                bold,
                italic,
                &link,
            ),
            _ => {}
        }
    }
    flush(&mut spans, &mut items, &mut blocks, false);
    if !items.is_empty() {
        blocks.push(Block::List {
            ordered: false,
            items,
        });
    }
    Doc {
        title: title.trim().to_owned(),
        lang: language(markdown, lang, rtl),
        rtl,
        blocks,
    }
}

/// Trims a run of spans and collapses runs of spaces inside, dropping what becomes empty.
fn trim(spans: &mut Vec<Span>) {
    for span in spans.iter_mut() {
        let collapsed = span
            .text
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>();
        let lead = span.text.starts_with(' ');
        let tail = span.text.ends_with(' ');
        let mut text = collapsed.join(" ");
        if lead && !text.is_empty() {
            text.insert(0, ' ');
        }
        if tail && !text.is_empty() {
            text.push(' ');
        }
        if collapsed.is_empty() && (lead || tail) {
            text = " ".to_owned();
        }
        span.text = text;
    }
    while spans.first().is_some_and(|s| s.text.trim().is_empty()) {
        spans.remove(0);
    }
    while spans.last().is_some_and(|s| s.text.trim().is_empty()) {
        spans.pop();
    }
    if let Some(first) = spans.first_mut() {
        first.text = first.text.trim_start().to_owned();
    }
    if let Some(last) = spans.last_mut() {
        last.text = last.text.trim_end().to_owned();
    }
}

/// The document's words in reading order, one block per line (a list's items one per
/// line): what a reader of the file should get back.
pub fn plain_text(doc: &Doc) -> String {
    let line = |spans: &[Span]| spans.iter().map(|s| s.text.as_str()).collect::<String>();
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading { spans, .. } | Block::Paragraph { spans } => {
                out.push_str(&line(spans));
                out.push('\n');
            }
            Block::List { items, .. } => {
                for item in items {
                    out.push_str(&line(item));
                    out.push('\n');
                }
            }
            Block::Rule => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn a_cv_reads_into_headings_paragraphs_and_lists() {
        let doc = read(
            "# Ada Lovelace\n\nAnalyst · ada@example.org\n\n## Experience\n\n### Analyst, Engines Ltd\n\n- Wrote the **first** program\n- Explained the _engine_\n  to [Babbage](https://example.org)\n\n---\n",
            "CV",
            None,
        );
        assert!(!doc.rtl);
        assert_eq!(doc.lang, "en");
        assert_eq!(doc.blocks.len(), 6, "{:#?}", doc.blocks);
        assert!(
            matches!(&doc.blocks[0], Block::Heading { level: 1, spans } if text(spans) == "Ada Lovelace")
        );
        assert!(
            matches!(&doc.blocks[1], Block::Paragraph { spans } if text(spans) == "Analyst · ada@example.org")
        );
        assert!(matches!(&doc.blocks[3], Block::Heading { level: 3, .. }));
        let Block::List { ordered, items } = &doc.blocks[4] else {
            panic!("a list: {:?}", doc.blocks[4]);
        };
        assert!(!ordered);
        assert_eq!(text(&items[0]), "Wrote the first program");
        assert!(items[0][1].bold && !items[0][0].bold);
        assert_eq!(text(&items[1]), "Explained the engine to Babbage");
        assert_eq!(
            items[1].last().and_then(|s| s.link.as_deref()),
            Some("https://example.org")
        );
        assert_eq!(doc.blocks[5], Block::Rule);
    }

    #[test]
    fn no_word_is_dropped_from_what_the_layout_does_not_know() {
        let doc = read(
            "| a | b |\n|---|---|\n| c | d |\n\n```\ncode here\n```\n\n> quoted\n\n<b>html</b>\n\n1. one\n   - nested\n2. two\n",
            "x",
            None,
        );
        let all = plain_text(&doc);
        for word in [
            "a",
            "b",
            "c",
            "d",
            "code here",
            "quoted",
            "html",
            "one",
            "nested",
            "two",
        ] {
            assert!(all.contains(word), "{word:?} missing from {all:?}");
        }
        assert!(
            matches!(doc.blocks.last(), Some(Block::List { ordered: true, items }) if items.len() == 3)
        );
    }

    #[test]
    fn only_web_and_mail_links_are_kept() {
        let doc = read("[x](javascript:alert(1)) [y](mailto:a@b.c)", "t", None);
        let Block::Paragraph { spans } = &doc.blocks[0] else {
            panic!("{:?}", doc.blocks);
        };
        assert_eq!(spans[0].link, None);
        assert_eq!(
            spans.last().and_then(|s| s.link.as_deref()),
            Some("mailto:a@b.c")
        );
    }

    #[test]
    fn arabic_text_is_right_to_left_and_named() {
        let doc = read("# سيرة ذاتية\n\nمهندس برمجيات في Acme\n", "t", None);
        assert!(doc.rtl);
        assert_eq!(doc.lang, "ar");
        let doc = read("# קורות חיים\n\nמהנדס תוכנה\n", "t", None);
        assert_eq!(doc.lang, "he");
        assert_eq!(read("text", "t", Some("FR")).lang, "fr");
        assert_eq!(read("text", "t", Some("not a tag")).lang, "en");
    }
}
