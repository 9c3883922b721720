//! Company names as a matching key: "Acme, Inc.", "ACME Inc" and "acme" are one company.
//! The key is lower case, without punctuation, with whitespace collapsed, a leading "The"
//! dropped and trailing legal forms (Inc, LLC, Ltd, GmbH & Co. KG, S.A., …) removed. The
//! name the user typed is kept for display; only lookups use the key.

/// Legal forms removed from the end of a name, as words after punctuation is dropped.
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "pty",
    "pvt",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "ug",
    "ohg",
    "se",
    "sa",
    "sas",
    "sarl",
    "sl",
    "srl",
    "spa",
    "bv",
    "nv",
    "oy",
    "oyj",
    "ab",
    "as",
    "asa",
    "aps",
    "kk",
    "ltda",
    "lda",
];

/// The matching key of a company name (see the module docs). A name made only of legal
/// forms ("Company Ltd") keeps its words rather than becoming empty.
pub fn company_key(name: &str) -> String {
    let lowered = name.to_lowercase().replace('&', " and ");
    // Dots inside initials join them ("S.A." → "sa", "B.V." → "bv"); other punctuation splits.
    let joined: String = lowered
        .chars()
        .filter(|c| *c != '.' && *c != '\'' && *c != '’')
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = joined.split_whitespace().collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    let all = words.clone();
    while words.len() > 1 {
        let last = words[words.len() - 1];
        if LEGAL_FORMS.contains(&last) || last == "and" {
            words.pop();
        } else {
            break;
        }
    }
    if words.iter().all(|w| LEGAL_FORMS.contains(w)) {
        return all.join(" ");
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_company_share_a_key() {
        for (a, b) in [
            ("Acme, Inc.", "ACME Inc"),
            ("Acme, Inc.", "acme"),
            ("Globex Corporation", "Globex Corp."),
            ("The Initech Company", "Initech"),
            ("Müller GmbH & Co. KG", "MÜLLER"),
            ("Société Générale S.A.", "société générale"),
            ("Stark Industries Pty Ltd", "Stark  Industries"),
            ("Wayne Enterprises, L.L.C.", "Wayne Enterprises LLC"),
        ] {
            assert_eq!(company_key(a), company_key(b), "{a} vs {b}");
        }
    }

    #[test]
    fn different_companies_and_names_made_of_legal_words_stay_apart() {
        assert_ne!(company_key("Acme"), company_key("Acme Labs"));
        assert_eq!(company_key("Procter & Gamble"), "procter and gamble");
        assert_eq!(company_key("Company Ltd"), "company ltd", "never empty");
        assert_eq!(company_key("The"), "the");
        assert_eq!(company_key("  "), "");
        assert_eq!(company_key("Ernst & Young"), "ernst and young");
    }
}
