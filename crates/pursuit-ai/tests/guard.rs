//! The guard on its labelled set: the dev part (tuned on) must keep recall ≥ 0.95 at
//! precision ≥ 0.9; the report part (never tuned on) is printed, and must stay above a
//! lower floor so a change that breaks generalisation fails here too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pursuit_ai::guard_eval::{Set, score};
use pursuit_text::dates::YearMonth;

const TODAY: YearMonth = YearMonth {
    year: 2026,
    month: Some(12),
};

fn set(name: &str) -> Set {
    let path = format!("{}/tests/guard/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_guard_catches_planted_inventions_and_passes_faithful_texts() {
    let dev = score(&set("dev"), TODAY);
    println!(
        "dev: recall {:.3} ({}/{}), precision {:.3}, faithful texts flagged {}/{}",
        dev.recall(),
        dev.caught,
        dev.planted,
        dev.precision(),
        dev.faithful_flagged,
        dev.faithful
    );
    for line in &dev.misses {
        println!("  {line}");
    }
    assert!(dev.recall() >= 0.95, "dev recall {:.3}", dev.recall());
    assert!(
        dev.precision() >= 0.9,
        "dev precision {:.3}",
        dev.precision()
    );
}

#[test]
fn the_guard_holds_on_the_part_never_tuned_on() {
    let report = score(&set("report"), TODAY);
    println!(
        "report: recall {:.3} ({}/{}), precision {:.3}, faithful texts flagged {}/{}",
        report.recall(),
        report.caught,
        report.planted,
        report.precision(),
        report.faithful_flagged,
        report.faithful
    );
    for (kind, (planted, caught)) in &report.by_kind {
        println!("  {kind}: {caught}/{planted}");
    }
    for line in &report.misses {
        println!("  {line}");
    }
    assert!(
        report.recall() >= 0.8,
        "report recall {:.3}",
        report.recall()
    );
    assert!(
        report.precision() >= 0.8,
        "report precision {:.3}",
        report.precision()
    );
}
