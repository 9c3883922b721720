//! Web links in plain text (`https://…` and `http://…`), found the way a mail reader shows
//! them: a link ends at white space or at a character no address carries unescaped, and
//! sentence punctuation after it (`.`, `,`, `)` without its `(`, a closing quote) is not
//! part of it.

use std::ops::Range;

/// Where each link in `text` is, in order.
pub fn find(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = next_start(&lower, from) {
        let end = at
            + text[at..]
                .find(|c: char| c.is_whitespace() || c.is_control() || "<>\"`{}|\\^".contains(c))
                .unwrap_or(text.len() - at);
        let end = trim_end(text, at, end);
        let scheme_len = if lower[at..].starts_with("https://") {
            8
        } else {
            7
        };
        // A scheme alone ("see https:// for …") is not a link.
        if end > at + scheme_len {
            found.push(at..end);
        }
        from = end.max(at + scheme_len);
    }
    found
}

/// The next `http://` or `https://` at or after `from` that does not continue a word.
fn next_start(lower: &str, from: usize) -> Option<usize> {
    let mut from = from;
    loop {
        let rest = &lower[from..];
        let at = from + rest.find("http")?;
        let tail = &lower[at..];
        let begins_word = lower[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if begins_word && (tail.starts_with("https://") || tail.starts_with("http://")) {
            return Some(at);
        }
        from = at + 4;
    }
}

/// Drops sentence punctuation from a link's end; a `)` stays when the link opened one.
fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    while let Some(last) = text[start..end].chars().next_back() {
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '’' | '”' | '»' | '…' => true,
            ')' => {
                let link = &text[start..end];
                link.matches(')').count() > link.matches('(').count()
            }
            ']' => {
                let link = &text[start..end];
                link.matches(']').count() > link.matches('[').count()
            }
            _ => false,
        };
        if !drop {
            break;
        }
        end -= last.len_utf8();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::find;

    fn links(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn links_end_before_sentence_punctuation() {
        assert_eq!(
            links("My portfolio: https://ana.dev/work. And (see http://x.org/a_(b)), thanks!"),
            ["https://ana.dev/work", "http://x.org/a_(b)"]
        );
        assert_eq!(
            links("Two: https://a.example/?q=1&r=2, \"https://b.example/p\""),
            ["https://a.example/?q=1&r=2", "https://b.example/p"]
        );
    }

    #[test]
    fn only_web_links_that_start_a_word_are_links() {
        assert!(links("ftp://x.org mailto:a@b.c https:// nothttps://x.org").is_empty());
        assert_eq!(links("HTTPS://A.EXAMPLE/Path"), ["HTTPS://A.EXAMPLE/Path"]);
        assert_eq!(
            links("<https://a.example/x>\nhttps://b.example"),
            ["https://a.example/x", "https://b.example"]
        );
    }

    #[test]
    fn unicode_around_a_link_is_kept_whole() {
        assert_eq!(
            links("Voilà «https://exemple.fr/é» — https://ü.example/ß…"),
            ["https://exemple.fr/é", "https://ü.example/ß"]
        );
    }
}
