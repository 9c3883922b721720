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

/// Horizontal bars, one row each: label on the left, bar, note at its end.
pub fn horizontal(id: &str, title: &str, bars: &[Bar]) -> String {
    const ROW: u32 = 28;
    const LABEL: f64 = 170.0;
    const WIDTH: u32 = 640;
    let height = ROW * u32::try_from(bars.len().max(1)).unwrap_or(1) + 8;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let room = f64::from(WIDTH) - LABEL - 90.0;
    let description: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.note))
        .collect();
    let mut out = String::new();
    open(&mut out, id, title, &description.join("; "), WIDTH, height);
    if bars.is_empty() {
        out.push_str(r#"<text x="0" y="20" class="axis">Nothing in this range yet.</text>"#);
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = f64::from(ROW) * i as f64 + 4.0;
        let length = if max > 0.0 {
            (bar.value / max * room).max(if bar.value > 0.0 { 2.0 } else { 0.0 })
        } else {
            0.0
        };
        let _ = write!(
            out,
            r#"<text x="{lx}" y="{ty}" text-anchor="end" class="label">{label}</text><rect x="{LABEL}" y="{y}" width="{length:.1}" height="{h}" class="bar"><title>{label}: {note}</title></rect><text x="{nx:.1}" y="{ty}" class="value">{note}</text>"#,
            lx = LABEL - 8.0,
            ty = y + 15.0,
            h = ROW - 8,
            nx = LABEL + length + 6.0,
            label = escape(&bar.label),
            note = escape(&bar.note),
        );
    }
    out.push_str("</svg>");
    out
}

/// Vertical bars over time, with the count above each bar and a few dates on the axis.
pub fn columns(id: &str, title: &str, bars: &[Bar]) -> String {
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
    let description = format!("{total} applications over {} periods{busiest}", bars.len());
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
            let _ = write!(
                out,
                r#"<text x="{cx:.1}" y="{ty}" text-anchor="middle" class="axis">{}</text>"#,
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
        let svg = horizontal("s", "Sources", &[bar("<script>", 3.0), bar("A & B", 1.0)]);
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
        assert!(svg.contains("A &amp; B"));
        assert!(
            svg.contains(r#"class="value">3</text>"#) && svg.contains(r#"class="value">1</text>"#)
        );
        assert!(
            svg.contains(r#"role="img""#)
                && svg.contains("<desc id=\"s-d\">&lt;script&gt;: 3; A &amp; B: 1</desc>")
        );
    }

    #[test]
    fn bars_scale_to_the_largest_and_empty_charts_say_so() {
        let svg = columns(
            "t",
            "Over time",
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
