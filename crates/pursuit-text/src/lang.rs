//! The language a document is written in, as an ISO 639-1 code ("en", "ar").

use whatlang::Lang;

/// The language of `text`, when there is enough text to tell; `None` for a few words or
/// when the detector is unsure.
pub fn detect(text: &str) -> Option<&'static str> {
    // Letters only: numbers, URLs and bullets say nothing about the language.
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 20 {
        return None;
    }
    DETECTOR.detect(text).map(|info| iso639_1(info.lang()))
}

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
            detect("We are looking for an engineer who enjoys building reliable systems."),
            Some("en")
        );
        assert_eq!(
            detect("نبحث عن مهندس برمجيات ذو خبرة في تطوير الأنظمة الموثوقة والعمل ضمن فريق"),
            Some("ar")
        );
        assert_eq!(
            detect("Wir suchen eine erfahrene Entwicklerin für unser Team in Berlin."),
            Some("de")
        );
        assert_eq!(detect("Go, SQL"), None);
    }
}
