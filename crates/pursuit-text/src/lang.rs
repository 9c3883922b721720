//! The language a document is written in, as an ISO 639-1 code ("en", "ar").

use whatlang::Lang;

/// The language of `text`, when there is enough text to tell; `None` for a few words or
/// when the detector is unsure.
pub fn detect(text: &str) -> Option<&'static str> {
    // The first few thousand characters say what a long text is written in as well as the
    // whole does, at a fraction of the cost.
    let text = &text[..text.floor_char_boundary(SAMPLE_BYTES)];
    // Letters only: numbers, URLs and bullets say nothing about the language.
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 20 {
        return None;
    }
    let info = DETECTOR.detect(text)?;
    // A few dozen words of job jargon ("Microsoft Excel", "reconciliations") can look like
    // any Latin-script language: a short one must be a clear call. Other scripts (Arabic,
    // Cyrillic, …) narrow it down by themselves.
    if letters < 300 && !info.is_reliable() && info.script() == whatlang::Script::Latin {
        return None;
    }
    Some(iso639_1(info.lang()))
}

/// How much of a text is looked at.
const SAMPLE_BYTES: usize = 2_500;

/// The languages we tell apart. Whatlang's trigrams confuse English prose with Norwegian
/// and Danish in short texts; for postings and resumes a short list is the better bet.
static DETECTOR: std::sync::LazyLock<whatlang::Detector> = std::sync::LazyLock::new(|| {
    whatlang::Detector::with_allowlist(vec![
        Lang::Eng,
        Lang::Ara,
        Lang::Deu,
        Lang::Fra,
        Lang::Spa,
        Lang::Ita,
        Lang::Por,
        Lang::Nld,
        Lang::Pol,
        Lang::Rus,
        Lang::Tur,
        Lang::Ukr,
        Lang::Heb,
        Lang::Pes,
        Lang::Urd,
        Lang::Hin,
        Lang::Jpn,
        Lang::Kor,
        Lang::Cmn,
        Lang::Ind,
        Lang::Vie,
        Lang::Tha,
        Lang::Ell,
        Lang::Ron,
        Lang::Hun,
        Lang::Ces,
    ])
});

fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Eng => "en",
        Lang::Ara => "ar",
        Lang::Deu => "de",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Ita => "it",
        Lang::Por => "pt",
        Lang::Nld => "nl",
        Lang::Pol => "pl",
        Lang::Rus => "ru",
        Lang::Tur => "tr",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "no",
        Lang::Fin => "fi",
        Lang::Ces => "cs",
        Lang::Ukr => "uk",
        Lang::Heb => "he",
        Lang::Pes => "fa",
        Lang::Urd => "ur",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Cmn => "zh",
        Lang::Ind => "id",
        Lang::Vie => "vi",
        Lang::Tha => "th",
        Lang::Ell => "el",
        Lang::Ron => "ro",
        Lang::Hun => "hu",
        // Whatlang's three-letter code for the rest.
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_english_arabic_and_german_apart() {
        assert_eq!(
            detect(
                "We are looking for an engineer who enjoys building reliable systems. You will \
                 work with a small team on the services our customers use every day, review \
                 code with care, and help us decide what to build next. We value clear writing, \
                 kindness and steady progress over heroics."
            ),
            Some("en")
        );
        // A few words of jargon are no clear call (whatlang reads this one as French).
        assert_eq!(
            detect(
                "Accountant\nResponsibilities\n- Prepare journal entries and reconciliations\nRequirements\n- Microsoft Excel"
            ),
            None
        );
        assert_eq!(
            detect("نبحث عن مهندس برمجيات ذو خبرة في تطوير الأنظمة الموثوقة والعمل ضمن فريق"),
            Some("ar")
        );
        assert_eq!(
            detect(
                "Wir suchen eine erfahrene Entwicklerin für unser Team in Berlin. Du arbeitest \
                 mit einem kleinen Team an den Diensten, die unsere Kunden jeden Tag nutzen, \
                 prüfst Code mit Sorgfalt und hilfst uns zu entscheiden, was wir als Nächstes \
                 bauen. Uns sind klare Texte, Freundlichkeit und stetiger Fortschritt wichtig."
            ),
            Some("de")
        );
        assert_eq!(detect("Go, SQL"), None);
    }
}

/// Arabic text made comparable: short vowels and other marks (tashkeel) and tatweel
/// dropped, the alef forms (أ إ آ ٱ) as ا, ى as ي, ة as ه.
pub fn normalize_arabic(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' => Some('ي'),
            'ة' => Some('ه'),
            _ => Some(c),
        })
        .collect()
}

/// True when `text` has Arabic letters.
pub fn has_arabic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// An Arabic phrase as a comparable key: normalized, each word reduced to its stem
/// (Snowball's Arabic stemmer), so "الخبرات" and "الخبرة" meet.
pub fn arabic_key(text: &str) -> String {
    static STEMMER: std::sync::LazyLock<rust_stemmers::Stemmer> = std::sync::LazyLock::new(|| {
        rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Arabic)
    });
    // The stemmer knows ة and the alef forms itself; marks and tatweel go first.
    let unmarked: String = text
        .chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}'))
        .collect();
    unmarked
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| normalize_arabic(&STEMMER.stem(w)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod arabic_tests {
    use super::*;

    #[test]
    fn arabic_forms_meet() {
        assert_eq!(normalize_arabic("أبريل"), normalize_arabic("ابريل"));
        assert_eq!(normalize_arabic("حالياً"), "حاليا");
        assert_eq!(arabic_key("الخبرات"), arabic_key("الخبرة"));
        assert_eq!(arabic_key("الشهادات"), arabic_key("الشهادة"));
        assert_eq!(arabic_key("الخبرات المهنية"), arabic_key("الخبرة المهنية"));
        assert_ne!(arabic_key("الخبرة"), arabic_key("التعليم"));
        assert!(has_arabic("سارة") && !has_arabic("Sara"));
    }
}
