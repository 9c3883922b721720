//! Charts as SVG drawn on the server: no script, no library. Every bar carries its number
//! as text and every chart its own title and description, so a chart reads without colour
//! (and without sight: `role="img"` with a label, plus the table the page shows beside it).
//! All text is escaped here, since the page embeds the SVG as markup.

use std::fmt::Write;

/// One labelled value.
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// What is written at the end of the bar (the value, a share…).
    pub note: String,
}

/// Text safe inside SVG markup (element content and attribute values): the template
/// engine's own HTML escaping.
pub fn escape(text: &str) -> String {
    minijinja::HtmlEscape(text).to_string()
}

fn open(out: &mut String, id: &str, title: &str, description: &str, width: u32, height: u32) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(description),
    );
}

/// Horizontal bars as HTML, one row each: the label, the bar, and its note in full. HTML
/// rather than SVG so the text keeps the page's size and wraps on a phone instead of
/// shrinking with the drawing or being cut off at its edge.
pub fn horizontal(id: &str, title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<figure class="chart hbars" id="{id}"><figcaption class="visually-hidden">{}</figcaption>"#,
        escape(title)
    );
    if bars.is_empty() {
        out.push_str(r#"<p class="hint">Nothing in this range yet.</p>"#);
    } else {
        out.push_str("<ul>");
    }
    for bar in bars {
        let share = if max > 0.0 {
            (bar.value / max * 100.0).max(if bar.value > 0.0 { 1.0 } else { 0.0 })
        } else {
            0.0
        };
        let _ = write!(
            out,
            r#"<li><span class="label">{label}</span><span class="track" aria-hidden="true"><span class="bar" style="width: {share:.1}%"></span></span><span class="value">{note}</span><span class="visually-hidden">: {label}, {note}</span></li>"#,
            label = escape(&bar.label),
            note = escape(&bar.note),
        );
    }
    if !bars.is_empty() {
        out.push_str("</ul>");
    }
    out.push_str("</figure>");
    out
}

/// Vertical bars over time, with the count above each bar and a few dates on the axis;
/// `unit` names what is counted ("applications") in the chart's description.
pub fn columns(id: &str, title: &str, unit: &str, bars: &[Bar]) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 200.0;
    const AXIS: f64 = 24.0;
    const TOP: f64 = 18.0;
    /// Room on both sides for the first and last date labels.
    const MARGIN: f64 = 36.0;
    let n = bars.len().max(1) as f64;
    let slot = (WIDTH - 2.0 * MARGIN) / n;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let total: f64 = bars.iter().map(|b| b.value).sum();
    let busiest = bars
        .iter()
        .filter(|b| b.value > 0.0)
        .max_by(|a, b| a.value.total_cmp(&b.value))
        .map(|b| format!(", most in the period from {} ({})", b.label, b.note))
        .unwrap_or_default();
    let description = format!("{total} {unit} over {} periods{busiest}", bars.len());
    let mut out = String::new();
    open(
        &mut out,
        id,
        title,
        &description,
        WIDTH as u32,
        (HEIGHT + AXIS) as u32,
    );
    let _ = write!(
        out,
        r#"<line x1="0" y1="{HEIGHT}" x2="{WIDTH}" y2="{HEIGHT}" class="axis-line"/>"#
    );
    // About six date labels, whatever the number of bars.
    let every = (bars.len() / 6).max(1);
    for (i, bar) in bars.iter().enumerate() {
        let x = MARGIN + slot * i as f64;
        let height = if max > 0.0 {
            bar.value / max * (HEIGHT - TOP)
        } else {
            0.0
        };
        let width = (slot * 0.7).max(1.0);
        let _ = write!(
            out,
            r#"<rect x="{bx:.1}" y="{by:.1}" width="{width:.1}" height="{height:.1}" class="bar"><title>{label}: {note}</title></rect>"#,
            bx = x + slot * 0.15,
            by = HEIGHT - height,
            label = escape(&bar.label),
            note = escape(&bar.note),
        );
        if bar.value > 0.0 && slot >= 14.0 {
            let _ = write!(
                out,
                r#"<text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" class="value">{}</text>"#,
                escape(&bar.note),
                cx = x + slot / 2.0,
                ty = HEIGHT - height - 4.0,
            );
        }
        if i % every == 0 {
            // Every other date is left out on a phone, where the text is drawn larger.
            let thin = if (i / every) % 2 == 1 { " thin" } else { "" };
            let _ = write!(
                out,
                r#"<text x="{cx:.1}" y="{ty}" text-anchor="middle" class="axis{thin}">{}</text>"#,
                escape(&bar.label),
                cx = x + slot / 2.0,
                ty = HEIGHT + 16.0,
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.to_owned(),
            value,
            note: format!("{value}"),
        }
    }

    #[test]
    fn labels_are_escaped_and_every_value_is_written() {
        let html = horizontal("s", "Sources", &[bar("<script>", 3.0), bar("A & B", 1.0)]);
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(html.contains("A &amp; B"));
        assert!(
            html.contains(r#"class="value">3</span>"#)
                && html.contains(r#"class="value">1</span>"#)
        );
        assert!(
            html.contains(r#"style="width: 100.0%""#) && html.contains(r#"style="width: 33.3%""#),
            "{html}"
        );
        let svg = columns("c", "Over time", "applications", &[bar("<b>", 1.0)]);
        assert!(
            svg.contains(r#"role="img""#)
                && svg.contains("<desc id=\"c-d\">1 applications over 1 periods, most in the period from &lt;b&gt; (1)</desc>")
        );
    }

    #[test]
    fn bars_scale_to_the_largest_and_empty_charts_say_so() {
        let svg = columns(
            "t",
            "Over time",
            "applications",
            &[
                bar("2026-01-05", 2.0),
                bar("2026-01-12", 4.0),
                bar("2026-01-19", 0.0),
            ],
        );
        assert!(
            svg.contains(r#"height="91.0""#) && svg.contains(r#"height="182.0""#),
            "{svg}"
        );
        assert!(
            svg.contains("6 applications over 3 periods, most in the period from 2026-01-12 (4)")
        );
        assert!(horizontal("e", "Empty", &[]).contains("Nothing in this range yet."));
    }
}
