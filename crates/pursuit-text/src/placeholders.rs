//! Placeholders in outreach text — `{first_name}`, `{company}`, … — that Pursuit fills for
//! each recipient: which names there are, which a text names that are not allowed, and the
//! text filled in. One set of rules for the sequence editor, a model's wording of a
//! sequence and the launch.

use std::collections::HashMap;

/// What a subject or body may name in braces; `{pitch}` (the pitch, several lines) only in
/// a body.
pub const NAMES: [&str; 6] = [
    "first_name",
    "full_name",
    "company",
    "role",
    "my_name",
    "pitch",
];

/// The placeholders `text` names that are not allowed there (any unknown name, and
/// `{pitch}` in a subject), each once, as written (`{Company}`). An unclosed `{` is text.
pub fn unknown(text: &str, in_subject: bool) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        let allowed = NAMES.contains(&name) && !(in_subject && name == "pitch");
        let written = format!("{{{name}}}");
        if !allowed && !found.contains(&written) {
            found.push(written);
        }
        rest = &after[close + 1..];
    }
    found
}

/// `text` with each `{name}` of `values` replaced by its value; any other braces stay as
/// written.
pub fn fill(text: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if values.contains_key(&after[..close]) => {
                out.push_str(&values[&after[..close]]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_known_or_named() {
        assert!(unknown("Hi {first_name}, {pitch}", false).is_empty());
        assert_eq!(
            unknown("{pitch} for {Company} {x", true),
            ["{pitch}", "{Company}"]
        );
    }

    #[test]
    fn placeholders_fill_and_unknown_ones_stay() {
        let values: HashMap<&str, String> =
            [("first_name", "Grace".to_owned())].into_iter().collect();
        assert_eq!(
            fill("Hi {first_name}, {x} {first_name", &values),
            "Hi Grace, {x} {first_name"
        );
        assert_eq!(fill("{{first_name}}", &values), "{Grace}");
    }
}
