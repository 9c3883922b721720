//! Resumes and job postings read and understood: pure text work (no network, no files, no
//! database), so that everything here is a function of its input and builds fast. Pages are
//! fetched by `pursuit_files::fetch`, remote embeddings called by `pursuit-embed`.

pub mod boards;
pub mod dates;
pub mod embed;
pub mod html;
pub mod lang;
pub mod letter;
pub mod links;
pub mod matching;
pub mod occupations;
pub mod optimize;
pub mod pitch;
pub mod placeholders;
pub mod posting;
pub mod replies;
pub mod research;
pub mod resume;
pub mod robots;
pub mod salary;
pub mod skills;
pub mod tailor;
pub mod title_words;

/// What [`warm_up`] reads: a role under a French title (title words), dates, skills,
/// languages, a degree.
const WARM_RESUME: &str = "Jane Doe\njane@example.com\nStaff Accountant\n\nExperience\n\
    Comptable, Cabinet Martin, Lyon, 2015 - 2018\n\
    - Prepared monthly journal entries and reconciliations in Excel\n\
    Education\nBachelor of Science in Accounting, 2015\n";
const WARM_POSTING: &str = "Senior Accountant\n\nResponsibilities\n\
    - Prepare financial statements\n\nRequirements\n\
    - 3+ years of accounting experience\n- Advanced Excel; English and French\n";

/// Loads what reading and matching look things up in (the skills vocabulary, O*NET's
/// occupations, title words, language profiles…) by reading and matching a small resume
/// and posting. All of it loads on first use anyway, on whichever thread gets there first
/// while the others wait; a caller that knows work is coming loads it early, on a thread
/// of its choosing (`pursuit rank` while its first files are read). O*NET's occupations,
/// three quarters of the work, load on a second thread while this one loads the skills
/// vocabulary: a caller with a core to spare (`pursuit rank --jobs`, whose one resume is
/// read long before) waits less.
pub fn warm_up() {
    std::thread::scope(|scope| {
        scope.spawn(occupations::load);
        // The sample resume asks about occupations early, and would wait for them.
        skills::taxonomy();
        let today = dates::YearMonth {
            year: 2026,
            month: Some(1),
        };
        let resume = resume::parse(WARM_RESUME, today);
        let posting = posting::parse(posting::Input::Text(WARM_POSTING));
        let _ = matching::score(&resume, WARM_RESUME, &posting);
    });
}

/// `text.to_lowercase()`, the same string, made faster for a long text with a few letters
/// outside ASCII: `str::to_lowercase` takes its quick path for ASCII only until the first
/// other letter, and a resume's first "é" or "–" would send the rest of it letter by
/// letter. Runs of ASCII are lower-cased as runs; each other letter as `char::to_lowercase`
/// has it, which is what `str::to_lowercase` does for every letter but the capital sigma
/// (its small form depends on the letters around it: a text with one is left to `std`).
pub(crate) fn lower_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_lower_case(text, &mut out);
    out
}

/// [`lower_case`] of `text`, added to `out`.
pub(crate) fn push_lower_case(text: &str, out: &mut String) {
    // Most words and lines are ASCII: one check, one copy.
    if text.is_ascii() {
        let from = out.len();
        out.push_str(text);
        out[from..].make_ascii_lowercase();
        return;
    }
    if text.contains('Σ') {
        out.push_str(&text.to_lowercase());
        return;
    }
    let mut rest = text;
    while !rest.is_empty() {
        let run = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let from = out.len();
        out.push_str(&rest[..run]);
        out[from..].make_ascii_lowercase();
        rest = &rest[run..];
        let mut letters = rest.chars();
        if let Some(c) = letters.next() {
            out.extend(c.to_lowercase());
            rest = letters.as_str();
        }
    }
}

/// The character a byte stands for in Windows-1252, the code page Excel writes on Windows
/// and text read wrongly as Latin-1 often was: Latin-1, but for 0x80–0x9F.
pub fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_is_std_lower_case() {
        for text in [
            "",
            "Plain ASCII, Mixed CASE 123",
            "Zoë Müller – Senior Développeur · ÉCOLE",
            "İstanbul ﬁle ẞ ǅ Ǆ",
            "ΟΔΥΣΣΕΥΣ and ΣΑΣ: Σ alone, AΣ, Σ.",
            "مهندس برمجيات Software Engineer",
            "Café\nCRÈME BRÛLÉE\r\n\u{0}\u{ad}",
        ] {
            assert_eq!(lower_case(text), text.to_lowercase(), "{text:?}");
        }
    }

    /// The warm-up's sample goes through what loads: a role found under its French title,
    /// a skill in both, a title on each side to look up.
    #[test]
    fn the_warm_up_sample_uses_what_reading_and_matching_load() {
        let today = dates::YearMonth {
            year: 2026,
            month: Some(1),
        };
        let resume = resume::parse(WARM_RESUME, today);
        assert_eq!(resume.work.len(), 1, "{resume:#?}");
        assert_eq!(resume.work[0].position.as_deref(), Some("Comptable"));
        assert!(!occupations::of_title("Comptable").is_empty());
        let posting = posting::parse(posting::Input::Text(WARM_POSTING));
        assert_eq!(posting.title.as_deref(), Some("Senior Accountant"));
        let result = matching::score(&resume, WARM_RESUME, &posting);
        assert!(
            result
                .skills
                .matched
                .iter()
                .any(|s| s.skill == "Microsoft Excel"),
            "{result:#?}"
        );
        warm_up();
    }
}
