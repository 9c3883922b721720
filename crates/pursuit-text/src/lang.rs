//! The language a document is written in, as an ISO 639-1 code ("en", "ar").

use whatlang::Lang;

/// The language of `text`, when there is enough text to tell; `None` for a few words or
/// when the detector is unsure.
pub fn detect(text: &str) -> Option<&'static str> {
    let (text, letters) = sample(text);
    if letters < 20 {
        return None;
    }
    if letters >= SHORT && plainly_english(text) {
        return Some("en");
    }
    trigrams(text, letters)
}

/// The part of a text looked at, and how many letters it holds. The first few thousand
/// characters say what a long text is written in as well as the whole does, at a fraction
/// of the cost; letters only are counted, as numbers, URLs and bullets say nothing about the
/// language.
fn sample(text: &str) -> (&str, usize) {
    let text = &text[..text.floor_char_boundary(SAMPLE_BYTES)];
    (text, text.chars().filter(|c| c.is_alphabetic()).count())
}

/// Fewer letters than this make a short text: a Latin-script call on it must be reliable.
const SHORT: usize = 300;

/// The trigram detector's call (whatlang's, among [`DETECTOR`]'s languages).
fn trigrams(text: &str, letters: usize) -> Option<&'static str> {
    let info = DETECTOR.detect(text)?;
    // A few dozen words of job jargon ("Microsoft Excel", "reconciliations") can look like
    // any Latin-script language: a short one must be a clear call. Other scripts (Arabic,
    // Cyrillic, …) narrow it down by themselves.
    if letters < SHORT && !info.is_reliable() && info.script() == whatlang::Script::Latin {
        return None;
    }
    Some(iso639_1(info.lang()))
}

/// Whether a text is English beyond doubt, told from its small words alone: hardly a
/// letter outside ASCII (a French job title or a name like "José" at most, one letter in
/// [`FOREIGN_LETTERS`]), at least one word in ten one of English's commonest function words,
/// and hardly any of the function words of the other Latin-script languages we tell apart.
/// Most postings and resumes are such texts, and this costs a fraction of the trigram
/// detector, which gives the same answer on them (checked on every posting and resume
/// of our evaluation sets). Anything less plain goes to the detector.
fn plainly_english(text: &str) -> bool {
    let (mut letters, mut foreign) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        foreign += usize::from(!c.is_ascii());
    }
    if foreign * FOREIGN_LETTERS > letters {
        return false;
    }
    let (mut words, mut english, mut other) = (0usize, 0usize, 0usize);
    let mut word = [0u8; 8];
    for token in text.split(|c: char| !c.is_ascii_alphabetic()) {
        if token.is_empty() {
            continue;
        }
        words += 1;
        if token.len() > word.len() {
            continue;
        }
        let word = &mut word[..token.len()];
        word.copy_from_slice(token.as_bytes());
        word.make_ascii_lowercase();
        match &*word {
            b"the" | b"and" | b"of" | b"to" | b"in" | b"for" | b"with" | b"on" | b"our"
            | b"you" | b"your" | b"we" | b"is" | b"are" | b"be" | b"will" | b"as" | b"at"
            | b"by" | b"from" | b"or" | b"this" | b"that" | b"have" | b"has" | b"an" | b"their"
            | b"it" | b"who" | b"which" => english += 1,
            // French, Spanish, German, Italian, Portuguese, Dutch, Polish, Turkish,
            // Indonesian, Romanian, Hungarian, Czech.
            b"le" | b"les" | b"des" | b"et" | b"du" | b"une" | b"est" | b"pour" | b"dans"
            | b"avec" | b"sur" | b"aux" | b"vous" | b"nous" | b"el" | b"los" | b"las" | b"y"
            | b"del" | b"con" | b"por" | b"para" | b"una" | b"es" | b"que" | b"der" | b"die"
            | b"das" | b"und" | b"mit" | b"von" | b"zu" | b"ist" | b"ein" | b"eine" | b"den"
            | b"dem" | b"auf" | b"il" | b"di" | b"che" | b"della" | b"per" | b"um" | b"uma"
            | b"os" | b"dos" | b"em" | b"com" | b"het" | b"een" | b"van" | b"en" | b"op"
            | b"voor" | b"met" | b"niet" | b"nie" | b"na" | b"ve" | b"bir" | b"bu" | b"ile"
            | b"dan" | b"yang" | b"untuk" | b"dengan" | b"cu" | b"pe" | b"az" | b"hogy" | b"se"
            | b"je" => other += 1,
            _ => {}
        }
    }
    english >= 10 && english * 10 >= words && other * 20 <= english
}

/// One letter in this many may be outside ASCII in a text [`plainly_english`] passes: a
/// few words of another language (a title, a name) in English prose. Prose in a language
/// with letters of its own uses them more often than this (German's umlauts and ß run at
/// about one letter in 70, French's accents one in 30), and its small words give it away.
const FOREIGN_LETTERS: usize = 100;

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

    /// Checks the English fast path against the trigram detector on every text of a JSONL
    /// file (`{"text": …}` per line) named by `LANG_PROBE` — evaluation data, so not in the
    /// suite: `LANG_PROBE=texts.jsonl cargo test -p pursuit-text probe_fast_path --
    /// --ignored --nocapture`.
    #[test]
    #[ignore]
    fn probe_fast_path() {
        let path = std::env::var("LANG_PROBE").unwrap();
        let (mut fast, mut all, mut differ) = (0, 0, 0);
        for line in std::fs::read_to_string(path).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = v["text"].as_str().unwrap();
            let (sample, letters) = sample(text);
            all += 1;
            if letters < SHORT || !plainly_english(sample) {
                continue;
            }
            fast += 1;
            let slow = trigrams(sample, letters);
            if slow != Some("en") {
                differ += 1;
                eprintln!("{slow:?}: {}", &sample[..sample.floor_char_boundary(200)]);
            }
        }
        eprintln!("{all} texts, {fast} plainly English, {differ} the detector reads otherwise");
        assert_eq!(differ, 0);
    }

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

    #[test]
    fn only_plain_english_skips_the_trigrams() {
        let english = "We are looking for an engineer who enjoys building reliable systems. \
            You will work with a small team on the services our customers use every day, and \
            review code with care. The role is based in our office, with two days at home.";
        assert!(plainly_english(english));
        // Dutch shares "in", "is", "we" and "of" with English; its own small words say no.
        assert!(!plainly_english(
            "We zoeken een ervaren ontwikkelaar voor ons team in Utrecht. Je werkt met een \
             klein team aan de diensten die onze klanten elke dag gebruiken, of je nu in het \
             kantoor bent of thuis. Het is een vaste baan van 36 uur per week in de stad."
        ));
        // A name or a title in another language does not make it less plain; prose in
        // one does, even where its small words are few.
        assert!(plainly_english(&format!(
            "Ingénieur DevOps. {english} {english} Zoë"
        )));
        assert!(!plainly_english(&format!(
            "{english} Prüfung, Größe, Übung, Bäcker, Müller, Straße, Köln"
        )));
        assert!(!plainly_english(&format!(
            "{english} Разработчик программного обеспечения"
        )));
        // Too few small words to be sure: a list of skills.
        assert!(!plainly_english(
            "Python, SQL, Kubernetes, Terraform, Grafana, Prometheus, PostgreSQL, Redis"
        ));
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
