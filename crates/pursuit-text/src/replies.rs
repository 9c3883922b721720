//! What a person's answer to an outreach email means for the application: an interview
//! request, a rejection, a request for something (needs action), or none of these. Rules
//! over the answer's own words (the quoted email below it is cut off first), in English,
//! German, French, Spanish, Portuguese, Italian and Dutch, and cue groups that generalise
//! past the phrases (a word of meeting with a word of time; a word of decision with a word
//! of the role). The result is data: a class and how sure the rules are; nothing in the
//! text is ever followed as an instruction.
//!
//! Automatic answers (out of office, "we received your application") are told apart from
//! people by their headers in `pursuit-mail`; [`automatic`] sorts one that is.

/// What an answer asks of the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Intent {
    InterviewRequest,
    Rejection,
    NeedsAction,
    OutOfOffice,
    AutoConfirmation,
    /// A person answered, with none of the above clear.
    Other,
}

impl Intent {
    pub const ALL: [Intent; 6] = [
        Intent::InterviewRequest,
        Intent::Rejection,
        Intent::NeedsAction,
        Intent::OutOfOffice,
        Intent::AutoConfirmation,
        Intent::Other,
    ];

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::InterviewRequest => "interview_request",
            Intent::Rejection => "rejection",
            Intent::NeedsAction => "needs_action",
            Intent::OutOfOffice => "out_of_office",
            Intent::AutoConfirmation => "auto_confirmation",
            Intent::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|i| i.as_str() == text)
    }
}

/// A class and how sure the rules are of it (0–1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    pub intent: Intent,
    pub confidence: f64,
}

/// Phrases and their weight; a class is as strong as the sum of its phrases found (at most
/// 1). Phrases are matched on lower-cased text at word boundaries.
type Rules = &'static [(&'static str, f64)];

const INTERVIEW: Rules = &[
    // English
    ("interview", 0.45),
    ("schedule a call", 0.6),
    ("schedule a time", 0.6),
    ("set up a call", 0.6),
    ("set up a time", 0.6),
    ("hop on a call", 0.6),
    ("jump on a call", 0.6),
    ("a quick call", 0.45),
    ("a short call", 0.45),
    ("would love to chat", 0.5),
    ("love to talk", 0.45),
    ("happy to chat", 0.45),
    ("are you available", 0.45),
    ("would you be available", 0.5),
    ("when are you free", 0.5),
    ("your availability", 0.5),
    ("some times that work", 0.5),
    ("a few times", 0.3),
    ("book a time", 0.6),
    ("calendly.com", 0.6),
    ("next steps", 0.3),
    ("meet with the team", 0.5),
    ("speak with you", 0.4),
    ("talk next week", 0.5),
    ("video call", 0.5),
    ("phone call", 0.45),
    ("for a call", 0.45),
    ("are you around", 0.4),
    ("do you have time", 0.45),
    ("talk it through", 0.4),
    ("meet you", 0.45),
    ("what does your week look like", 0.5),
    ("invite you", 0.45),
    ("happy to connect", 0.45),
    ("let's chat", 0.5),
    ("let's talk", 0.5),
    ("set something up", 0.5),
    ("meet the team", 0.5),
    ("first round", 0.45),
    ("my calendar", 0.45),
    // German
    ("vorstellungsgespräch", 0.6),
    ("kennenlernen", 0.45),
    ("telefonat", 0.45),
    ("termin", 0.35),
    ("gespräch", 0.35),
    ("zeit für ein", 0.4),
    ("einladen", 0.4),
    ("kurzes gespräch", 0.5),
    ("zeit für", 0.35),
    // French
    ("entretien", 0.55),
    ("échanger", 0.35),
    ("vos disponibilités", 0.55),
    ("disponible pour", 0.45),
    ("un appel", 0.4),
    // Spanish / Portuguese
    ("entrevista", 0.55),
    ("disponibilidad", 0.5),
    ("disponibilidade", 0.5),
    ("una llamada", 0.45),
    ("videollamada", 0.5),
    ("uma chamada", 0.45),
    ("conversar", 0.35),
    // Italian
    ("colloquio", 0.55),
    ("disponibilità", 0.5),
    ("una chiamata", 0.45),
    // Dutch
    ("sollicitatiegesprek", 0.6),
    ("kennismakingsgesprek", 0.6),
    ("gesprek", 0.4),
    ("beschikbaarheid", 0.5),
];

const REJECTION: Rules = &[
    // English
    ("unfortunately", 0.45),
    ("regret to inform", 0.7),
    ("not moving forward", 0.7),
    ("not be moving forward", 0.7),
    ("won't be moving forward", 0.7),
    ("will not be moving forward", 0.7),
    ("decided to move forward with other", 0.8),
    ("decided to pursue other", 0.8),
    ("other candidates", 0.45),
    ("another candidate", 0.5),
    ("position has been filled", 0.8),
    ("role has been filled", 0.8),
    ("no longer hiring", 0.7),
    ("not hiring", 0.6),
    ("is filled", 0.6),
    ("not a fit", 0.5),
    ("not the right fit", 0.55),
    ("not be proceeding", 0.7),
    ("not proceed", 0.5),
    ("not be progressing", 0.7),
    ("not progressing", 0.6),
    ("careful consideration", 0.35),
    ("unable to offer", 0.6),
    ("not able to offer", 0.6),
    ("keep your resume on file", 0.4),
    ("keep your details on file", 0.4),
    ("wish you the best", 0.3),
    ("best of luck", 0.3),
    ("not interested", 0.5),
    ("no thank you", 0.45),
    ("no thanks", 0.45),
    ("hiring freeze", 0.7),
    ("different direction", 0.6),
    ("another direction", 0.6),
    ("go with someone", 0.6),
    ("gone with someone", 0.6),
    ("going to pass", 0.6),
    ("filled the role", 0.75),
    ("filled that role", 0.75),
    ("filled the position", 0.75),
    ("chosen to proceed with", 0.6),
    ("sorry to say", 0.45),
    // German
    ("leider", 0.45),
    ("absage", 0.6),
    ("nicht berücksichtigen", 0.7),
    ("anderen kandidaten", 0.5),
    ("anderen bewerber", 0.5),
    ("bereits besetzt", 0.75),
    ("kein interesse", 0.55),
    ("andere kandidatin", 0.5),
    ("anderen kandidatin", 0.5),
    ("für eine andere", 0.45),
    ("für einen anderen", 0.45),
    // French
    ("malheureusement", 0.45),
    ("ne pas donner suite", 0.75),
    ("pas donner suite", 0.7),
    ("pas été retenue", 0.75),
    ("pas été retenu", 0.75),
    ("poste a été pourvu", 0.8),
    ("autre candidat", 0.5),
    ("autre profil", 0.5),
    ("retenu un autre", 0.7),
    ("retenu une autre", 0.7),
    // Spanish / Portuguese
    ("lamentablemente", 0.45),
    ("desafortunadamente", 0.45),
    ("infelizmente", 0.45),
    ("otros candidatos", 0.5),
    ("otra persona", 0.45),
    ("outra pessoa", 0.45),
    ("outros candidatos", 0.5),
    ("no seguiremos", 0.7),
    ("não seguiremos", 0.7),
    ("puesto ha sido cubierto", 0.8),
    ("vaga foi preenchida", 0.8),
    // Italian
    ("purtroppo", 0.45),
    ("altri candidati", 0.5),
    ("non procederemo", 0.7),
    ("posizione è stata coperta", 0.8),
    // Dutch
    ("helaas", 0.45),
    ("andere kandidaat", 0.5),
    ("andere kandidaten", 0.5),
    ("niet verder", 0.6),
    ("al ingevuld", 0.75),
];

const NEEDS_ACTION: Rules = &[
    // English
    ("could you send", 0.6),
    ("can you send", 0.6),
    ("please send", 0.6),
    ("please share", 0.55),
    ("could you share", 0.55),
    ("please complete", 0.6),
    ("please fill", 0.6),
    ("fill out", 0.45),
    ("apply through", 0.5),
    ("apply via", 0.5),
    ("apply on our", 0.5),
    ("take-home", 0.5),
    ("assessment", 0.45),
    ("coding challenge", 0.55),
    ("salary expectations", 0.5),
    ("your expected salary", 0.5),
    ("send over", 0.45),
    ("your references", 0.45),
    ("your portfolio", 0.35),
    ("let me know if", 0.2),
    ("fill in", 0.45),
    ("submit an application", 0.55),
    ("careers page", 0.35),
    ("jobs portal", 0.4),
    ("job portal", 0.4),
    ("notice period", 0.45),
    ("send me your", 0.5),
    ("send those over", 0.45),
    // German
    ("bitte senden", 0.6),
    ("schicken sie", 0.5),
    ("senden sie", 0.5),
    ("gehaltsvorstellung", 0.5),
    ("unterlagen", 0.4),
    ("lebenslauf", 0.4),
    ("zeugnisse", 0.35),
    ("bewerben sie sich über", 0.55),
    // French
    ("pourriez-vous", 0.5),
    ("merci de nous envoyer", 0.6),
    ("merci d'envoyer", 0.6),
    ("prétentions salariales", 0.5),
    ("postuler via", 0.5),
    // Spanish / Portuguese
    ("podrías enviar", 0.6),
    ("podría enviar", 0.6),
    ("por favor envía", 0.6),
    ("poderia enviar", 0.6),
    ("por favor envie", 0.6),
    ("expectativa salarial", 0.5),
    ("pretensión salarial", 0.5),
    // Italian
    ("potresti inviare", 0.6),
    ("potresti inviarmi", 0.6),
    ("potresti mandarmi", 0.6),
    ("per favore invia", 0.6),
    // Dutch
    ("kun je", 0.35),
    ("kunt u", 0.35),
    ("sturen", 0.3),
];

const OUT_OF_OFFICE: Rules = &[
    ("out of office", 0.8),
    ("out of the office", 0.8),
    ("on vacation", 0.6),
    ("on holiday", 0.6),
    ("on leave", 0.6),
    ("away from", 0.35),
    ("limited access to email", 0.7),
    ("return on", 0.45),
    ("back on", 0.35),
    ("abwesend", 0.7),
    ("abwesenheit", 0.7),
    ("nicht im büro", 0.75),
    ("absent", 0.6),
    ("en congé", 0.7),
    ("fuera de la oficina", 0.8),
    ("de vacaciones", 0.6),
    ("fora do escritório", 0.8),
    ("de férias", 0.6),
    ("fuori ufficio", 0.8),
    ("in ferie", 0.6),
    ("afwezig", 0.7),
    ("met vakantie", 0.6),
];

const CONFIRMATION: Rules = &[
    ("received your application", 0.8),
    ("receipt of your application", 0.8),
    ("thank you for applying", 0.7),
    ("thanks for applying", 0.7),
    ("thank you for your application", 0.7),
    ("thank you for your message", 0.4),
    ("we have received your", 0.6),
    ("this is an automated", 0.6),
    ("do not reply", 0.4),
    ("will get back to you", 0.3),
    ("ihre bewerbung erhalten", 0.8),
    ("eingang ihrer bewerbung", 0.8),
    ("nous avons bien reçu", 0.8),
    ("hemos recibido", 0.7),
    ("recebemos", 0.6),
    ("abbiamo ricevuto", 0.7),
    ("hebben je sollicitatie ontvangen", 0.8),
    ("uw sollicitatie ontvangen", 0.8),
];

/// The answer's own words: the text above the quoted email it answers (quoted lines, an
/// "On … wrote:" line in any of the languages, an "Original Message" rule, a forwarded
/// header block) and above the sender's signature separator.
pub fn own_words(text: &str) -> String {
    let mut kept = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        let lower = trimmed.to_lowercase();
        if trimmed == "--"
            || trimmed.starts_with("-----Original Message")
            || trimmed.starts_with("________________")
            || lower.starts_with("from:") && !kept.is_empty()
            || lower.starts_with("von:") && !kept.is_empty()
            || lower.starts_with("de :") && !kept.is_empty()
            || is_attribution(&lower)
        {
            break;
        }
        if trimmed.starts_with('>') {
            continue;
        }
        kept.push(line);
    }
    kept.join("\n").trim().to_owned()
}

/// "On Mon, 3 Dec 2026, Ana wrote:" and its kin in other languages.
fn is_attribution(lower: &str) -> bool {
    let ends = [
        "wrote:",
        "schrieb:",
        "a écrit :",
        "a écrit:",
        "escribió:",
        "escreveu:",
        "ha scritto:",
        "schreef:",
    ];
    ends.iter().any(|end| lower.ends_with(end)) && lower.len() < 300
}

fn score(text: &str, rules: Rules) -> f64 {
    let total: f64 = rules
        .iter()
        .filter(|(phrase, _)| contains_words(text, phrase))
        .map(|(_, weight)| weight)
        .sum();
    total.min(1.0)
}

/// Whether `phrase` is in `text` with no letter right before or after it.
fn contains_words(text: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(at) = text[from..].find(phrase) {
        let start = from + at;
        let end = start + phrase.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = start + phrase.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Words of meeting: an answer that names one of these and one of [`WHEN`] asks to talk
/// (each group counts once, [`CUE`] each: together a suggestion, never sure enough alone to
/// move an application without asking).
const MEETING: &[&str] = &[
    "call",
    "chat",
    "talk",
    "meet",
    "meeting",
    "conversation",
    "interview",
    "zoom",
    "teams",
    "google meet",
    "video",
    "phone",
    "coffee",
    "connect",
    "catch up",
    "invite",
    "gespräch",
    "telefon",
    "treffen",
    "anruf",
    "appel",
    "échange",
    "rencontrer",
    "llamada",
    "videollamada",
    "reunión",
    "chamada",
    "reunião",
    "chiamata",
    "incontro",
    "gesprek",
    "bellen",
];

/// Words of time: a day, a part of the day, a length, a slot, availability.
const WHEN: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "tomorrow",
    "today",
    "next week",
    "this week",
    "afternoon",
    "morning",
    "minutes",
    "min",
    "slot",
    "slots",
    "calendar",
    "available",
    "availability",
    "free",
    "schedule",
    "am",
    "pm",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "morgen",
    "nächste woche",
    "zeit",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "demain",
    "semaine",
    "disponible",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "mañana",
    "semana",
    "tarde",
    "segunda-feira",
    "terça-feira",
    "quarta-feira",
    "quinta-feira",
    "sexta-feira",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "settimana",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "volgende week",
];

/// Words of a decision against: together with one of [`HIRING`], a rejection.
const DECLINE: &[&str] = &[
    "decided",
    "chosen",
    "go with",
    "gone with",
    "going with",
    "went with",
    "pass",
    "someone else",
    "filled",
    "no longer",
    "won't be",
    "will not be",
    "can't take",
    "cannot take",
    "not taking",
    "not be taking",
    "unable",
    "not able",
    "not moving",
    "entschieden",
    "abgesagt",
    "décidé",
    "retenu",
    "decidido",
    "elegido",
    "escolhemos",
    "deciso",
    "scelto",
    "besloten",
    "gekozen",
];

/// Words of the thing decided on.
const HIRING: &[&str] = &[
    "role",
    "position",
    "candidate",
    "candidates",
    "application",
    "hire",
    "profile",
    "opening",
    "vacancy",
    "stelle",
    "bewerbung",
    "kandidat",
    "kandidatin",
    "poste",
    "candidature",
    "puesto",
    "candidatura",
    "vaga",
    "posizione",
    "vacature",
    "functie",
];

const CUE: f64 = 0.25;

fn has_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| contains_words(text, w))
}

/// Two cue groups found together: `2 × CUE`, else nothing.
fn cues(text: &str, first: &[&str], second: &[&str]) -> f64 {
    if has_any(text, first) && has_any(text, second) {
        2.0 * CUE
    } else {
        0.0
    }
}

/// What a person's answer means. `subject` counts too (an "Interview invitation" subject),
/// the quoted email below the answer does not.
pub fn classify(subject: &str, text: &str) -> Reading {
    let words = format!("{}\n{}", strip_reply_prefix(subject), own_words(text)).to_lowercase();
    let own = own_words(text).to_lowercase();
    let scores = [
        (
            Intent::InterviewRequest,
            (score(&words, INTERVIEW) + cues(&own, MEETING, WHEN)).min(1.0),
        ),
        (
            Intent::Rejection,
            (score(&words, REJECTION) + cues(&own, DECLINE, HIRING)).min(1.0),
        ),
        (Intent::NeedsAction, score(&words, NEEDS_ACTION)),
    ];
    let mut ranked = scores;
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, strength) = ranked[0];
    let runner_up = ranked[1].1;
    if strength < 0.4 {
        return Reading {
            intent: Intent::Other,
            confidence: 1.0 - strength,
        };
    }
    // A rejection that also asks for a call, or an invitation that regrets something, is
    // less certain: the margin over the next class is what the rules are sure of.
    let confidence = (strength - runner_up * 0.8).clamp(0.0, 1.0);
    Reading {
        intent: best,
        confidence,
    }
}

/// What an automatic answer is: out of office, or a confirmation that something arrived.
pub fn automatic(subject: &str, text: &str) -> Reading {
    let words = format!("{subject}\n{text}").to_lowercase();
    let away = score(&words, OUT_OF_OFFICE);
    let received = score(&words, CONFIRMATION);
    if away >= received {
        Reading {
            intent: Intent::OutOfOffice,
            confidence: away.max(0.5),
        }
    } else {
        Reading {
            intent: Intent::AutoConfirmation,
            confidence: received,
        }
    }
}

fn strip_reply_prefix(subject: &str) -> &str {
    let mut rest = subject.trim();
    loop {
        let lower = rest.to_lowercase();
        let Some(prefix) = [
            "re:", "aw:", "sv:", "antw:", "réf:", "rif:", "fw:", "fwd:", "wg:", "tr:",
        ]
        .iter()
        .find(|p| lower.starts_with(*p)) else {
            return rest;
        };
        rest = rest[prefix.len()..].trim_start();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quoted_email_does_not_count() {
        let text = "Thanks, but we are not hiring for this.\n\nOn Fri, 4 Dec 2026 at 10:00, Ana Lima <ana@example.com> wrote:\n> Would you be available for an interview?\n> Best";
        assert_eq!(own_words(text), "Thanks, but we are not hiring for this.");
        let reading = classify("Re: Data Analyst at Kaiyo", text);
        assert_ne!(reading.intent, Intent::InterviewRequest, "{reading:?}");
    }

    #[test]
    fn answers_in_several_languages_are_read() {
        let cases = [
            (
                "Re: Data Analyst",
                "Hi Ana, thanks for reaching out! Would you be available for a quick call next week? Here is my calendly.com/maya link.",
                Intent::InterviewRequest,
            ),
            (
                "Re: Data Analyst",
                "Hi Ana, unfortunately we have decided to move forward with other candidates. Best of luck!",
                Intent::Rejection,
            ),
            (
                "AW: Datenanalyst",
                "Hallo Ana, gerne würde ich Sie in einem Telefonat kennenlernen. Passt Ihnen ein Termin am Dienstag?",
                Intent::InterviewRequest,
            ),
            (
                "AW: Datenanalyst",
                "Hallo Ana, leider ist die Stelle bereits besetzt.",
                Intent::Rejection,
            ),
            (
                "RE: Analyste",
                "Bonjour Ana, pourriez-vous nous envoyer votre CV et vos prétentions salariales ?",
                Intent::NeedsAction,
            ),
            (
                "RE: Analista",
                "Hola Ana, lamentablemente hemos elegido a otros candidatos.",
                Intent::Rejection,
            ),
            (
                "Re: Analista",
                "Olá Ana, qual é a sua disponibilidade para uma entrevista na próxima semana?",
                Intent::InterviewRequest,
            ),
            (
                "Re: Analista",
                "Ciao Ana, purtroppo abbiamo scelto altri candidati.",
                Intent::Rejection,
            ),
            (
                "Re: Analist",
                "Hoi Ana, helaas hebben we gekozen voor een andere kandidaat.",
                Intent::Rejection,
            ),
            (
                "Re: Data Analyst",
                "Could you send me your portfolio and salary expectations?",
                Intent::NeedsAction,
            ),
            ("Re: Data Analyst", "Thanks Ana, noted.", Intent::Other),
        ];
        for (subject, text, expected) in cases {
            let reading = classify(subject, text);
            assert_eq!(reading.intent, expected, "{text}: {reading:?}");
        }
    }

    #[test]
    fn a_mixed_answer_is_less_certain() {
        let clear = classify(
            "",
            "Unfortunately we have decided to pursue other candidates.",
        );
        let mixed = classify(
            "",
            "Unfortunately the role is filled, but would you be available for a quick call about another team?",
        );
        assert!(
            mixed.confidence < clear.confidence,
            "{mixed:?} vs {clear:?}"
        );
    }

    #[test]
    fn a_meeting_and_a_time_suggest_a_talk_and_a_decision_on_a_role_a_no() {
        let talk = classify(
            "Re: Analyst",
            "Sure - a coffee on Monday would work for me.",
        );
        assert_eq!(talk.intent, Intent::InterviewRequest, "{talk:?}");
        assert!(talk.confidence <= 0.5, "cues alone only suggest: {talk:?}");
        let no = classify(
            "Re: Analyst",
            "We went with an internal candidate in the end.",
        );
        assert_eq!(no.intent, Intent::Rejection, "{no:?}");
        // Cues in the quoted email below the answer do not count.
        let quoted = classify(
            "Re: Analyst",
            "Thanks, noted.\n\nOn Fri, Ana wrote:\n> Could we meet on Monday?",
        );
        assert_eq!(quoted.intent, Intent::Other, "{quoted:?}");
    }

    #[test]
    fn words_inside_other_words_do_not_count() {
        assert!(!contains_words("determination", "termin"));
        assert!(contains_words("ein termin am montag", "termin"));
    }

    #[test]
    fn automatic_answers_are_sorted() {
        assert_eq!(
            automatic(
                "Automatic reply: Data Analyst",
                "I am out of the office until 12 December with limited access to email."
            )
            .intent,
            Intent::OutOfOffice
        );
        assert_eq!(
            automatic("Your application", "Thank you for applying! We have received your application and will get back to you.").intent,
            Intent::AutoConfirmation
        );
    }
}
