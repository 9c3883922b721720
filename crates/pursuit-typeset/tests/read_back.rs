//! The files Pursuit writes, read back by Pursuit's own readers (the ones resumes are read
//! with): what an applicant tracking system gets from them is the document's text, in order.

use pursuit_files::{Format, Limits, extract::extract};
use pursuit_typeset::{docx, plain_text, read};

const CV: &str = "# Ada Lovelace\n\nAnalyst · ada@example.org · London\n\n## Summary\n\nAnalyst who writes programs for engines that compute Bernoulli numbers, and explains them so others can use them.\n\n## Skills\n\nMathematics, Programming, Technical writing\n\n## Experience\n\n### Analyst, Engines Ltd\n\nLondon · Jan 1842 – Present\n\n- Wrote the **first** published program for the Analytical Engine\n- Translated and annotated a paper on the engine, tripling its length with _notes_\n- Explained how the engine could compose music from [rules](https://example.org/notes)\n\n### Tutor, Home\n\n1835 – 1841\n\n- Taught mathematics to two pupils\n\n## Education\n\nPrivate study with Augustus De Morgan\n";

/// Words as a reader compares them: letters and digits only, in order.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn limits() -> Limits {
    Limits::default()
}

#[test]
fn a_docx_reads_back_word_for_word_in_order() {
    let doc = read(CV, "CV for Analyst", None);
    let bytes = docx(&doc).expect("written");
    let back = extract(&bytes, Format::Docx, &limits()).expect("read back");
    assert_eq!(words(&back.text), words(&plain_text(&doc)), "{}", back.text);
}

#[cfg(feature = "pdf")]
mod pdf {
    use super::*;
    use pursuit_typeset::pdf;

    #[test]
    fn a_pdf_reads_back_word_for_word_in_order() {
        let doc = read(CV, "CV for Analyst", None);
        let bytes = pdf(&doc).expect("laid out");
        assert!(bytes.starts_with(b"%PDF-"));
        let back = extract(&bytes, Format::Pdf, &limits()).expect("read back");
        assert_eq!(words(&back.text), words(&plain_text(&doc)), "{}", back.text);
    }

    #[test]
    fn arabic_is_laid_out_right_to_left_with_its_own_letters() {
        let doc = read(
            "# سيرة ذاتية\n\nمهندسة برمجيات · ada@example.org\n\n## الخبرة\n\n- كتبت أول برنامج منشور للمحرك التحليلي عام 1843 بالإنجليزية لعملاء الشركة\n- شرحت عمل المحرك باستخدام Python و SQL\n",
            "سيرة",
            None,
        );
        assert!(doc.rtl);
        let bytes = pdf(&doc).expect("laid out");
        let back = extract(&bytes, Format::Pdf, &limits()).expect("read back");
        assert_eq!(words(&back.text), words(&plain_text(&doc)), "{}", back.text);
    }

    #[test]
    fn text_that_looks_like_markup_is_only_text() {
        let doc = read(
            "# #set page(width: 1pt) $x$ @ref <label>\n\n#panic(\"no\") #read(\"/etc/passwd\")\n",
            "t",
            None,
        );
        let bytes = pdf(&doc).expect("laid out");
        let back = extract(&bytes, Format::Pdf, &limits()).expect("read back");
        assert!(back.text.contains("#panic(\"no\")"), "{}", back.text);
    }
}
