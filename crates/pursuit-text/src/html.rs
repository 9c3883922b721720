//! Just enough HTML for postings: readable text (block elements become lines, list items
//! bullets; scripts, styles and navigation dropped), the JSON-LD blocks, and the page's
//! title and site name. A forgiving scanner, not a full parser: a posting page that is
//! broken HTML still gives its text.

/// What a page says, read once.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Page {
    /// The main text (`<main>` or `<article>` when the page has one, else `<body>`).
    pub text: String,
    /// Every `<script type="application/ld+json">` block that parses as JSON.
    pub json_ld: Vec<serde_json::Value>,
    /// `og:title`, else `<title>`, else the first `<h1>`.
    pub title: Option<String>,
    /// `og:site_name`.
    pub site_name: Option<String>,
    /// `og:description`, else `<meta name="description">`.
    pub description: Option<String>,
}

/// Elements whose content is never text a reader sees.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas",
    "select", "button",
];
/// Chrome around the content.
const CHROME: &[&str] = &["nav", "footer", "header", "aside", "form"];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "tr",
    "table",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "address",
    "figure",
    "figcaption",
];

/// Reads a page.
pub fn read(html: &str) -> Page {
    let mut page = Page::default();
    let mut h1 = None;
    let mut title = None;
    let all = tags(html);
    for tag in &all {
        match tag.name.as_str() {
            "script" if !tag.closing => {
                if tag
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
                    && let Ok(value) =
                        serde_json::from_str::<serde_json::Value>(raw_content(html, tag, "script"))
                {
                    page.json_ld.push(value);
                }
            }
            "meta" => match tag.attr("property").or(tag.attr("name")).as_deref() {
                Some("og:title") => {
                    page.title = tag.attr("content").map(|c| decode(&c).trim().to_owned())
                }
                Some("og:site_name") => {
                    page.site_name = tag.attr("content").map(|c| decode(&c).trim().to_owned())
                }
                Some("og:description") => {
                    page.description = tag.attr("content").map(|c| collapse(&decode(&c)))
                }
                Some("description") if page.description.is_none() => {
                    page.description = tag.attr("content").map(|c| collapse(&decode(&c)))
                }
                _ => {}
            },
            "title" if !tag.closing && title.is_none() => {
                title = Some(collapse(&decode(raw_content(html, tag, "title"))));
            }
            "h1" if !tag.closing && h1.is_none() => {
                let inner = raw_content(html, tag, "h1");
                h1 = Some(collapse(&text(inner)));
            }
            _ => {}
        }
    }
    page.title = page
        .title
        .filter(|t| !t.is_empty())
        .or(title.filter(|t| !t.is_empty()))
        .or(h1.filter(|t| !t.is_empty()));
    page.description = page.description.filter(|d| !d.is_empty());
    let body = ["main", "article", "body"]
        .iter()
        .find_map(|name| element(html, &all, name))
        .unwrap_or(html);
    page.text = text(body);
    page
}

/// The page without what no reader or parser of postings needs: scripts (except JSON-LD),
/// styles, SVG, frames, comments. What a URL posting keeps, so it can be read again later
/// with its structured data.
pub fn compact(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 4);
    let mut last = 0;
    let mut skip: Option<String> = None;
    for tag in tags(html) {
        if let Some(open) = &skip {
            if tag.closing && tag.name == *open {
                skip = None;
                last = tag.end;
            }
            continue;
        }
        let json_ld = tag.name == "script"
            && tag
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        let dropped = matches!(
            tag.name.as_str(),
            "script" | "style" | "svg" | "noscript" | "template" | "iframe" | "canvas"
        ) && !json_ld
            && !tag.closing;
        if tag.name.is_empty() || dropped {
            out.push_str(&html[last..tag.start]);
            last = tag.end;
            if dropped && !tag.self_closing {
                skip = Some(tag.name.clone());
            }
        }
    }
    if skip.is_none() {
        out.push_str(&html[last..]);
    }
    out
}

/// The readable text of an HTML fragment: one line per block, "• " before list items,
/// entities decoded, runs of spaces collapsed, chrome (navigation, footers) left out.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut skip: Option<String> = None;
    let mut chrome_depth = 0usize;
    let mut last = 0;
    for tag in tags(html) {
        if skip.is_none() && chrome_depth == 0 {
            push_text(&mut out, &decode(&html[last..tag.start]));
        }
        last = tag.end;
        let name = tag.name.as_str();
        if let Some(open) = &skip {
            if tag.closing && name == open {
                skip = None;
            }
            continue;
        }
        if SKIPPED.contains(&name) && !tag.closing && !tag.self_closing {
            skip = Some(name.to_owned());
            continue;
        }
        if CHROME.contains(&name) && !tag.self_closing {
            if tag.closing {
                chrome_depth = chrome_depth.saturating_sub(1);
            } else {
                chrome_depth += 1;
            }
            continue;
        }
        if chrome_depth > 0 {
            continue;
        }
        if BLOCKS.contains(&name) {
            if !out.ends_with('\n') && !out.is_empty() {
                out.push('\n');
            }
            if name == "li" && !tag.closing {
                out.push_str("• ");
            }
        } else if matches!(name, "td" | "th") && !tag.closing {
            out.push(' ');
        }
    }
    if skip.is_none() && chrome_depth == 0 {
        push_text(&mut out, &decode(&html[last..]));
    }
    tidy(&out)
}

fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' '
            && (out.ends_with(' ') || out.ends_with('\n') || out.is_empty() || out.ends_with("• "))
        {
            continue;
        }
        out.push(c);
    }
}

/// Lines trimmed, empty ones dropped, bullets with nothing after them dropped.
fn tidy(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "•")
        .collect::<Vec<_>>()
        .join("\n")
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug)]
struct Tag<'a> {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: &'a str,
    start: usize,
    end: usize,
}

impl Tag<'_> {
    /// An attribute's value (quoted or not), matched case-insensitively on its name.
    fn attr(&self, name: &str) -> Option<String> {
        let bytes = self.attrs.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            let key_start = i;
            while i < bytes.len()
                && !bytes[i].is_ascii_whitespace()
                && bytes[i] != b'='
                && bytes[i] != b'/'
            {
                i += 1;
            }
            let key = &self.attrs[key_start..i];
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = "";
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let quote = bytes[i];
                    let value_start = i + 1;
                    i = value_start;
                    while i < bytes.len() && bytes[i] != quote {
                        i += 1;
                    }
                    value = &self.attrs[value_start..i.min(bytes.len())];
                    i += 1;
                } else {
                    let value_start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = &self.attrs[value_start..i];
                }
            }
            if key.eq_ignore_ascii_case(name) {
                return Some(value.to_owned());
            }
            if key.is_empty() {
                i += 1;
            }
        }
        None
    }
}

/// The tags of a document in order (comments and doctypes skipped).
fn tags(html: &str) -> Vec<Tag<'_>> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            // A comment is not text: record it as a nameless tag so text() skips it.
            out.push(Tag {
                name: String::new(),
                closing: false,
                self_closing: true,
                attrs: "",
                start,
                end: i,
            });
            continue;
        }
        let mut j = start + 1;
        let closing = bytes.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        if !bytes
            .get(j)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'!' || *b == b'?')
        {
            i = start + 1;
            continue;
        }
        let name_start = j;
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric()
                || bytes[j] == b'-'
                || bytes[j] == b'!'
                || bytes[j] == b'?')
        {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        // The tag ends at the first '>' outside quotes.
        let mut k = j;
        let mut quote = None;
        while k < bytes.len() {
            match (quote, bytes[k]) {
                (None, b'"' | b'\'') => quote = Some(bytes[k]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            k += 1;
        }
        let end = (k + 1).min(html.len());
        let attrs = &html[j..k.min(html.len())];
        out.push(Tag {
            self_closing: attrs.trim_end().ends_with('/')
                || name.starts_with('!')
                || name.starts_with('?'),
            name: if name.starts_with('!') || name.starts_with('?') {
                String::new()
            } else {
                name
            },
            closing,
            attrs,
            start,
            end,
        });
        i = end;
        if !closing
            && matches!(
                out.last().map(|t| t.name.as_str()),
                Some("script" | "style")
            )
        {
            // Raw text: nothing inside is a tag.
            let close = format!("</{}", out.last().map_or("", |t| t.name.as_str()));
            i = find_ci(html, i, &close).unwrap_or(html.len());
        }
    }
    out
}

/// The raw content of the element opened by `tag`, up to its closing tag.
fn raw_content<'a>(html: &'a str, tag: &Tag<'_>, name: &str) -> &'a str {
    let close = format!("</{name}");
    let end = find_ci(html, tag.end, &close).unwrap_or(html.len());
    &html[tag.end.min(end)..end]
}

/// The content of the first `<name>` element (to its last closing tag), if any.
fn element<'a>(html: &'a str, tags: &[Tag<'_>], name: &str) -> Option<&'a str> {
    let open = tags.iter().find(|t| t.name == name && !t.closing)?;
    let end = tags
        .iter()
        .rev()
        .find(|t| t.name == name && t.closing && t.start >= open.end)
        .map_or(html.len(), |t| t.start);
    Some(&html[open.end..end])
}

fn find_ci(html: &str, from: usize, needle: &str) -> Option<usize> {
    let hay = html.get(from..)?.as_bytes();
    let needle = needle.as_bytes();
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

/// Decodes character references: numeric ones and the named ones postings use.
pub fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = if let Some(num) = name.strip_prefix('#') {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                code.and_then(char::from_u32)
            } else {
                named(name)
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "bull" => '•',
        "middot" => '·',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "times" => '×',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "eacute" => 'é',
        "egrave" => 'è',
        "agrave" => 'à',
        "ccedil" => 'ç',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_list_items_bullets() {
        let html = "<body><nav>Home | Jobs</nav><main><h1>Backend Engineer</h1><p>We build&nbsp;things &amp; more.</p>\
                    <ul><li>Rust</li><li>SQL <b>daily</b></li></ul><script>var x = '<p>no</p>';</script>\
                    <!-- <p>hidden</p> --></main><footer>© Acme</footer></body>";
        assert_eq!(
            text(html),
            "Backend Engineer\nWe build things & more.\n• Rust\n• SQL daily"
        );
    }

    #[test]
    fn reads_json_ld_title_and_site_name() {
        let html = r#"<html><head><title>Jobs at Acme</title><meta property="og:site_name" content="Acme &amp; Co">
            <script type="application/ld+json">{"@type": "JobPosting", "title": "Engineer"}</script>
            <script type='application/ld+json'>not json</script></head><body><p>Text</p></body></html>"#;
        let page = read(html);
        assert_eq!(page.json_ld.len(), 1);
        assert_eq!(page.json_ld[0]["title"], "Engineer");
        assert_eq!(page.title.as_deref(), Some("Jobs at Acme"));
        assert_eq!(page.site_name.as_deref(), Some("Acme & Co"));
        assert_eq!(page.text, "Text");
    }

    #[test]
    fn a_compacted_page_reads_the_same() {
        let html = r#"<html><head><style>p{}</style><script>var a = "</p>";</script>
            <script type="application/ld+json">{"@type": "JobPosting", "title": "Engineer"}</script></head>
            <body><!-- c --><svg><path/></svg><main><p>Text</p></main></body></html>"#;
        let small = compact(html);
        assert!(
            !small.contains("var a") && !small.contains("<svg") && !small.contains("p{}"),
            "{small}"
        );
        assert_eq!(read(&small), read(html), "{small}");
    }

    #[test]
    fn broken_html_still_gives_text() {
        assert_eq!(
            text("<p>One <b>two<p>three & four < five"),
            "One two\nthree & four < five"
        );
        assert_eq!(decode("&#x41;&#66;&unknown;&amp"), "AB&unknown;&amp");
    }
}
