//! A very small template language for mail: `{{name}}` inserts a value (HTML-escaped in
//! HTML templates), `{{#name}}…{{/name}}` keeps its content only when `name` is non-empty.
//! Anything else — an unknown name, an unclosed tag — is an error, never silent output, so
//! a broken template fails its delivery visibly instead of mailing half a message.

use std::collections::BTreeMap;

/// How values are written into the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escape {
    Text,
    Html,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("template {template}: {message}")]
pub struct TemplateError {
    pub template: String,
    pub message: String,
}

/// Values by name.
pub type Values = BTreeMap<&'static str, String>;

pub fn html_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A mail template: a plain-text and an HTML source under one name (`templates/<name>.txt`
/// and `.html`, embedded in the binary).
pub struct MailTemplate {
    name: &'static str,
    text: &'static str,
    html: &'static str,
}

macro_rules! mail_template {
    ($name:literal) => {
        MailTemplate {
            name: $name,
            text: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/",
                $name,
                ".txt"
            )),
            html: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/",
                $name,
                ".html"
            )),
        }
    };
}

/// A reminder planned by a status rule.
pub const REMINDER_STATUS: MailTemplate = mail_template!("reminder_status");
/// A reminder the user set.
pub const REMINDER_CUSTOM: MailTemplate = mail_template!("reminder_custom");
/// A mailed invite whose event changed.
pub const EVENT_UPDATED: MailTemplate = mail_template!("event_updated");
/// A mailed invite whose event was cancelled.
pub const EVENT_CANCELED: MailTemplate = mail_template!("event_canceled");

impl MailTemplate {
    /// The plain-text and the HTML part.
    pub fn render(&self, values: &Values) -> Result<(String, String), TemplateError> {
        Ok((
            render(
                &format!("{}.txt", self.name),
                self.text,
                values,
                Escape::Text,
            )?,
            render(
                &format!("{}.html", self.name),
                self.html,
                values,
                Escape::Html,
            )?,
        ))
    }
}

/// Renders `source` (named `name` in errors) with `values`.
pub fn render(
    name: &str,
    source: &str,
    values: &Values,
    escape: Escape,
) -> Result<String, TemplateError> {
    let error = |message: String| TemplateError {
        template: name.to_owned(),
        message,
    };
    let mut out = String::with_capacity(source.len() + 256);
    let mut rest = source;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or_else(|| {
            error(format!(
                "unclosed tag at byte {}",
                source.len() - rest.len() + open
            ))
        })?;
        let tag = after[..close].trim();
        rest = &after[close + 2..];
        if let Some(section) = tag.strip_prefix('#') {
            let end_tag = format!("{{{{/{section}}}}}");
            let end = rest
                .find(&end_tag)
                .ok_or_else(|| error(format!("section {section:?} is never closed")))?;
            let value = values
                .get(section)
                .ok_or_else(|| error(format!("unknown name {section:?}")))?;
            if !value.is_empty() {
                out.push_str(&render(name, &rest[..end], values, escape)?);
            }
            rest = &rest[end + end_tag.len()..];
        } else if let Some(section) = tag.strip_prefix('/') {
            return Err(error(format!("{section:?} closed but never opened")));
        } else {
            let value = values
                .get(tag)
                .ok_or_else(|| error(format!("unknown name {tag:?}")))?;
            match escape {
                Escape::Text => out.push_str(value),
                Escape::Html => out.push_str(&html_escape(value)),
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&'static str, &str)]) -> Values {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    }

    #[test]
    fn values_are_inserted_and_escaped_in_html() {
        let v = values(&[("company", "<b>Acme & Co</b>")]);
        assert_eq!(
            render("t", "Hi {{ company }}!", &v, Escape::Html).unwrap(),
            "Hi &lt;b&gt;Acme &amp; Co&lt;/b&gt;!"
        );
        assert_eq!(
            render("t", "Hi {{company}}!", &v, Escape::Text).unwrap(),
            "Hi <b>Acme & Co</b>!"
        );
    }

    #[test]
    fn sections_show_only_with_a_value() {
        let v = values(&[("event", ""), ("link", "http://x")]);
        let source = "a{{#event}}[{{event}}]{{/event}}b{{#link}}<{{link}}>{{/link}}";
        assert_eq!(
            render("t", source, &v, Escape::Text).unwrap(),
            "ab<http://x>"
        );
    }

    #[test]
    fn every_mail_template_renders_with_the_values_its_job_gives() {
        let reminder = values(&[
            ("title", "t"),
            ("company", "c"),
            ("role", "r"),
            ("status", "s"),
            ("due", "d"),
            ("event", "e"),
            ("calendar", "yes"),
            ("link", "l"),
            ("settings_link", "sl"),
        ]);
        let event = values(&[("title", "t"), ("event", "e"), ("link", "l")]);
        for (template, values) in [
            (&REMINDER_STATUS, &reminder),
            (&REMINDER_CUSTOM, &reminder),
            (&EVENT_UPDATED, &event),
            (&EVENT_CANCELED, &event),
        ] {
            let (text, html) = template.render(values).unwrap();
            assert!(
                text.contains('t') && html.starts_with("<!doctype html>"),
                "{}",
                template.name
            );
        }
    }

    #[test]
    fn mistakes_are_errors() {
        let v = values(&[("a", "1")]);
        for bad in ["{{b}}", "{{a", "{{#a}}x", "x{{/a}}", "{{#b}}x{{/b}}"] {
            assert!(render("t", bad, &v, Escape::Text).is_err(), "{bad}");
        }
    }
}
