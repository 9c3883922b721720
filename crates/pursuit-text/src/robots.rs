//! robots.txt (RFC 9309), for the pages job discovery crawls (issue 26): which paths a
//! crawler with a given product token may fetch. Pure: the fetcher gets the file and
//! decides what a failed fetch means (RFC 9309 §2.3.1: a 4xx answer allows everything, a
//! 5xx or an unreachable server allows nothing).
//!
//! - The group for the crawler is the one whose `user-agent` names its product token
//!   (case does not matter); else the `*` group; groups naming the same agent are merged.
//! - Within it the longest matching rule wins; between an `allow` and a `disallow` of the
//!   same length, `allow`. `*` matches any run of characters, `$` ends a pattern.
//! - Lines past the first 500 KiB are not read (the RFC's floor); unknown lines and
//!   comments are skipped.

/// The most of a file that is read.
pub const MAX_BYTES: usize = 500 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Rule {
    allow: bool,
    pattern: String,
}

/// A parsed robots.txt, ready to answer for one crawler.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Robots {
    /// Each group: the agents it names (lower case) and its rules.
    groups: Vec<(Vec<String>, Vec<Rule>)>,
}

impl Robots {
    pub fn parse(text: &str) -> Robots {
        let mut end = text.len().min(MAX_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut groups: Vec<(Vec<String>, Vec<Rule>)> = Vec::new();
        // A run of user-agent lines opens a group; a rule after them closes the run.
        let mut open_run = false;
        for line in text[..end].lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if !open_run || groups.is_empty() {
                        groups.push((Vec::new(), Vec::new()));
                    }
                    open_run = true;
                    if let Some(group) = groups.last_mut() {
                        group.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    open_run = false;
                    let Some(group) = groups.last_mut() else {
                        continue;
                    };
                    // An empty disallow allows everything: no rule.
                    if value.is_empty() {
                        continue;
                    }
                    group.1.push(Rule {
                        allow: key == "allow",
                        pattern: normalise(value),
                    });
                }
                _ => {}
            }
        }
        Robots { groups }
    }

    /// Whether the crawler with product token `agent` may fetch `path` (the URL's path and
    /// query, starting with `/`).
    pub fn allows(&self, agent: &str, path: &str) -> bool {
        let agent = agent.to_ascii_lowercase();
        let named: Vec<&Rule> = self
            .groups
            .iter()
            .filter(|(agents, _)| agents.contains(&agent))
            .flat_map(|(_, rules)| rules)
            .collect();
        let rules = if named.is_empty() {
            self.groups
                .iter()
                .filter(|(agents, _)| agents.iter().any(|a| a == "*"))
                .flat_map(|(_, rules)| rules)
                .collect()
        } else {
            named
        };
        let path = normalise(if path.is_empty() { "/" } else { path });
        let mut best: Option<(usize, bool)> = None;
        for rule in rules {
            if matches(&rule.pattern, &path) {
                let len = rule.pattern.len();
                best = match best {
                    Some((l, allow)) if l > len || (l == len && allow) => Some((l, allow)),
                    _ => Some((len, rule.allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Percent-encodes what should be (non-ASCII, spaces) and upper-cases existing escapes, so
/// a pattern and a path written either way compare equal.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%'
            && let (Some(h), Some(l)) = (bytes.get(i + 1), bytes.get(i + 2))
            && h.is_ascii_hexdigit()
            && l.is_ascii_hexdigit()
        {
            out.push('%');
            out.push(h.to_ascii_uppercase() as char);
            out.push(l.to_ascii_uppercase() as char);
            i += 3;
            continue;
        }
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
        i += 1;
    }
    out
}

/// Whether `pattern` (with `*` and a final `$`) matches the start of `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let Some((first, rest)) = parts.split_first() else {
        return true;
    };
    let Some(mut at) = path.strip_prefix(first).map(|_| first.len()) else {
        return false;
    };
    for (n, part) in rest.iter().enumerate() {
        let last = n + 1 == rest.len();
        if last && anchored {
            // The last part must end the path, anywhere after `at`.
            return path.len() >= at + part.len() && path[at..].ends_with(part);
        }
        match path[at..].find(part) {
            Some(found) => at += found + part.len(),
            None => return false,
        }
    }
    !anchored || at == path.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# our robots\nUser-agent: *\nDisallow: /admin/\nDisallow: /search\nAllow: /search/jobs\n\nUser-agent: PursuitBot\nUser-agent: OtherBot\nDisallow: /private\nAllow: /private/jobs$\nDisallow: /*.pdf$\nDisallow:\n\nUser-agent: greedy\nDisallow: /\n";

    #[test]
    fn the_crawlers_own_group_is_used_else_the_star_group() {
        let robots = Robots::parse(FILE);
        // PursuitBot has its own group: the star group's rules do not apply to it.
        assert!(robots.allows("pursuitbot", "/admin/"));
        assert!(!robots.allows("PursuitBot", "/private/x"));
        assert!(
            robots.allows("PursuitBot", "/private/jobs"),
            "a longer allow wins"
        );
        assert!(
            !robots.allows("PursuitBot", "/private/jobs/1"),
            "$ ends the pattern"
        );
        assert!(!robots.allows("PursuitBot", "/files/posting.pdf"));
        assert!(robots.allows("PursuitBot", "/files/posting.pdf?x=1"));
        // Another crawler gets the star group.
        assert!(!robots.allows("SomeBot", "/admin/users"));
        assert!(!robots.allows("SomeBot", "/search?q=analyst"));
        assert!(robots.allows("SomeBot", "/search/jobs?q=analyst"));
        assert!(robots.allows("SomeBot", "/jobs/1"));
        assert!(!robots.allows("greedy", "/"));
    }

    #[test]
    fn an_empty_or_odd_file_allows_everything_and_ties_go_to_allow() {
        assert!(Robots::parse("").allows("PursuitBot", "/anything"));
        assert!(
            Robots::parse("Disallow: /\n").allows("PursuitBot", "/"),
            "a rule outside a group"
        );
        assert!(Robots::parse("<html>not a robots file</html>").allows("PursuitBot", "/x"));
        let tie = Robots::parse("User-agent: *\nDisallow: /jobs\nAllow: /jobs\n");
        assert!(tie.allows("PursuitBot", "/jobs/1"));
        let escaped = Robots::parse("User-agent: *\nDisallow: /caf%c3%a9\n");
        assert!(!escaped.allows("PursuitBot", "/café/menu"));
        let huge = format!(
            "User-agent: *\n{}Disallow: /late\n",
            "# filler\n".repeat(60_000)
        );
        assert!(huge.len() > MAX_BYTES);
        assert!(
            Robots::parse(&huge).allows("PursuitBot", "/late"),
            "past 500 KiB is not read"
        );
    }

    #[test]
    fn wildcards_match_any_run() {
        assert!(matches("/jobs/*/apply", "/jobs/123/apply"));
        assert!(matches("/*?ref=", "/jobs?ref=feed"));
        assert!(!matches("/jobs/*/apply$", "/jobs/123/apply/now"));
        assert!(matches("*", "/x"));
        assert!(matches("/a*b*c$", "/a-b-c"));
        assert!(!matches("/a*b*c$", "/a-b-c-d"));
    }
}
