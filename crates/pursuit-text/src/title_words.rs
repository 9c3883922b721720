//! Job titles in French or Arabic put into English words, so they can be looked up among
//! O*NET's titles ([`crate::occupations::of_title`] tries this when the title itself finds
//! nothing).
//!
//! The vocabulary (`data/title_words.tsv`, hand-written) has two kinds of entries: words
//! that name the job ("ingénieur", "chef de projet", "مهندس") and words that say what it is
//! about ("système", "commercial", "برمجيات"). Both languages put the job first and what it
//! is about after it ("Ingénieur système", "مهندس برمجيات"); English puts it last ("systems
//! engineer"), and the title lookup takes the last word as the job. So the first job word
//! found becomes the last English word, and what the title is about goes before it in
//! order. Words the vocabulary does not know (places, "H/F", product names) are left out.

use std::collections::HashMap;
use std::sync::LazyLock;

const TABLE: &str = include_str!("../data/title_words.tsv");

#[derive(Default, Clone, Copy)]
struct Entry {
    /// The English job, when the phrase names one.
    job: Option<&'static str>,
    /// The English subject, when the phrase can say what a job is about.
    about: Option<&'static str>,
}

struct Vocabulary {
    /// Phrase (keys joined by spaces) → entry.
    phrases: HashMap<String, Entry>,
    /// The most words a phrase has.
    longest: usize,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let mut vocabulary = Vocabulary {
        phrases: HashMap::new(),
        longest: 1,
    };
    for line in TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cells: Vec<&'static str> = line.split('\t').collect();
        let [lang, kind, forms, english] = cells[..] else {
            continue;
        };
        for form in forms.split('|') {
            let keys = keys(form, lang == "ar");
            if keys.is_empty() {
                continue;
            }
            vocabulary.longest = vocabulary.longest.max(keys.len());
            let entry = vocabulary.phrases.entry(keys.join(" ")).or_default();
            // The first entry of a kind wins; a later duplicate is a mistake in the table
            // (a test checks there are none).
            match kind {
                "n" => {
                    entry.job.get_or_insert(english);
                }
                _ => {
                    entry.about.get_or_insert(english);
                }
            }
        }
    }
    vocabulary
});

/// Comparable keys of a title's words: Arabic words by stem, others lower case without
/// accents and without a plural s or x.
fn keys(text: &str, arabic: bool) -> Vec<String> {
    if arabic {
        return crate::lang::arabic_key(text)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
    }
    // Inclusive forms: "chargé(e)", "assistant(e)s".
    let lower = text
        .to_lowercase()
        .replace("(e)", "")
        .replace("(es)", "")
        .replace("(s)", "")
        .replace("(ne)", "")
        .replace("(euse)", "");
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let folded: String = w.chars().map(fold).collect();
            match folded.strip_suffix(['s', 'x']) {
                Some(stem) if folded.chars().count() > 4 => stem.to_owned(),
                _ => folded,
            }
        })
        .collect()
}

/// A Latin letter without its accent ("é" → "e", "œ" → "oe" is left to the table).
fn fold(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' => 'i',
        'ô' | 'ö' | 'ó' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        'ÿ' => 'y',
        _ => c,
    }
}

/// Whether `title` opens with a word the vocabulary has as naming a job, as a French or
/// Arabic title does ("Chef de projet infrastructures", "Ingénieur étude et
/// développement"): the job first, what it is about after, in words of any case.
pub fn opens_with_job(title: &str) -> bool {
    let vocabulary = &*VOCABULARY;
    let words = keys(title, crate::lang::has_arabic(title));
    (1..=vocabulary.longest.min(words.len())).any(|n| {
        vocabulary
            .phrases
            .get(&words[..n].join(" "))
            .is_some_and(|e| e.job.is_some())
    })
}

/// English renderings of `title` to look up, the fuller first: the job with what it is
/// about ("sales director"), then the job alone ("director"). Empty when the vocabulary
/// finds no word naming a job.
pub fn english_titles(title: &str) -> Vec<String> {
    let vocabulary = &*VOCABULARY;
    let words = keys(title, crate::lang::has_arabic(title));
    let mut job: Option<&str> = None;
    let mut about: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let found = (1..=vocabulary.longest.min(words.len() - i))
            .rev()
            .find_map(|n| {
                vocabulary
                    .phrases
                    .get(&words[i..i + n].join(" "))
                    .map(|e| (n, *e))
            });
        let Some((n, entry)) = found else {
            i += 1;
            continue;
        };
        match (job, entry.job, entry.about) {
            // The first word naming a job is the job ("Commercial" alone is a salesperson;
            // in "Directeur commercial" it says what the director directs).
            (None, Some(named), _) => job = Some(named),
            (_, _, Some(subject)) => about.push(subject),
            _ => {}
        }
        i += n;
    }
    let Some(job) = job else {
        return Vec::new();
    };
    about.dedup();
    // "Développeur Java" is a software developer, not a software software developer.
    let named = format!(" {job} ");
    about.retain(|subject| !named.contains(&format!(" {subject} ")));
    let mut out = Vec::new();
    if !about.is_empty() {
        out.push(format!("{} {job}", about.join(" ")));
    }
    out.push(job.to_owned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_titles_read_as_english_ones() {
        assert_eq!(
            english_titles("Ingénieur Système (H/F)"),
            ["systems engineer", "engineer"]
        );
        assert_eq!(
            english_titles("Directrice Commerciale"),
            ["sales manager"],
            "a phrase is taken whole"
        );
        assert_eq!(
            english_titles("Commercial terrain Casablanca"),
            ["sales representative"]
        );
        assert_eq!(
            english_titles("Chargé(e) de clientèle bilingue"),
            ["customer service representative"]
        );
        assert_eq!(
            english_titles("Infirmières polyvalentes"),
            ["nurse"],
            "plural and feminine forms"
        );
        assert_eq!(
            english_titles("Développeur Web Full Stack"),
            ["full stack web developer", "web developer"]
        );
        assert_eq!(
            english_titles("Développeur Java (H/F)"),
            ["software developer"]
        );
        assert_eq!(
            english_titles("Ingénieur DevOps / Cloud (H/F)"),
            ["devops cloud engineer", "engineer"],
            "words of the work written in English in a French title"
        );
        assert_eq!(
            english_titles("Technicien Service Desk"),
            ["help desk technician", "technician"]
        );
        assert_eq!(
            english_titles("Développeuse commerciale"),
            ["business development manager"]
        );
        assert!(english_titles("Stage à Paris").contains(&"intern".to_owned()));
        assert!(english_titles("Casablanca, Maroc").is_empty());
        assert!(english_titles("").is_empty());
    }

    #[test]
    fn arabic_titles_read_as_english_ones() {
        assert_eq!(
            english_titles("مهندس برمجيات"),
            ["software engineer", "engineer"]
        );
        assert_eq!(english_titles("محاسب أول"), ["accountant"]);
        assert_eq!(english_titles("مدير المشاريع"), ["project manager"]);
        assert_eq!(english_titles("ممرضة"), ["nurse"]);
    }

    #[test]
    fn no_form_is_listed_twice_with_different_english() {
        let mut seen: HashMap<(String, &str), &str> = HashMap::new();
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 4, "{line}");
            for form in cells[2].split('|') {
                let key = keys(form, cells[0] == "ar").join(" ");
                assert!(!key.is_empty(), "{form}");
                if let Some(before) = seen.insert((key.clone(), cells[1]), cells[3]) {
                    assert_eq!(before, cells[3], "{form} ({key}) is listed twice");
                }
            }
        }
    }
}
