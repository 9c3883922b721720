//! Resumes in the layouts people use — Jake's resume, Awesome-CV, moderncv, Europass, a
//! two-column Word template and an Arabic right-to-left resume — built here as our own
//! fixtures (the layout, not the templates' files or text), read through `pursuit parse
//! resume --json` as a user's file would be: name, contacts, and each role's position,
//! employer and dates (as written: a template's capitals stay capitals).

use lopdf::content::Operation;
use pursuit_files::fixtures::{docx, line, pdf};
use serde_json::Value;

use crate::cli::{finish, pursuit};

/// What a fixture must read as.
struct Expected {
    name: &'static str,
    email: &'static str,
    phone: Option<&'static str>,
    /// (position, employer, start, end or `None` for a current role)
    roles: &'static [(
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    )],
}

/// Text placed on a page: (x, y, size, text).
type Placed = (i64, i64, i64, &'static str);

fn page(placed: &[Placed]) -> Vec<u8> {
    let ops: Vec<Operation> = placed
        .iter()
        .flat_map(|(x, y, size, text)| line(*x, *y, *size, text))
        .collect();
    pdf(ops)
}

async fn read(name: &str, bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let out = finish(
        pursuit()
            .args(["parse", "resume"])
            .arg(&file)
            .arg("--json")
            .env("PURSUIT_DATA_DIR", dir.path()),
    )
    .await;
    assert_eq!(out.code, Some(0), "{name}: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn check(layout: &str, read: &Value, expected: &Expected) {
    let basics = &read["resume"]["basics"];
    let text = &read["text"];
    assert_eq!(basics["name"], expected.name, "{layout}: name\n{text}");
    assert_eq!(basics["email"], expected.email, "{layout}: email\n{text}");
    match expected.phone {
        Some(phone) => assert_eq!(basics["phone"], phone, "{layout}: phone\n{text}"),
        None => assert!(basics["phone"].is_null(), "{layout}: no phone\n{text}"),
    }
    let work = read["resume"]["work"].as_array().unwrap();
    let found: Vec<(String, String, String, Option<String>)> = work
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (
                s("position"),
                s("name"),
                s("start_date"),
                r["end_date"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let wanted: Vec<(String, String, String, Option<String>)> = expected
        .roles
        .iter()
        .map(|(p, e, s, end)| {
            (
                (*p).to_owned(),
                (*e).to_owned(),
                (*s).to_owned(),
                end.map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(found, wanted, "{layout}: roles\n{text}");
}

#[tokio::test]
async fn jakes_resume_layout() {
    // Centred header; each role: position left and dates right, employer left and place
    // right; bullets below.
    let bytes = page(&[
        (240, 790, 20, "Owen Price"),
        (
            130,
            770,
            10,
            "555-201-3344 | owen.price@example.net | linkedin.com/in/owenprice",
        ),
        (50, 740, 12, "Experience"),
        (50, 722, 10, "Backend Developer"),
        (440, 722, 10, "June 2021 - Present"),
        (50, 710, 10, "Harbor Analytics"),
        (460, 710, 10, "Austin, TX"),
        (
            60,
            696,
            10,
            "- Built a REST API in Go serving 2M requests a day",
        ),
        (50, 676, 10, "Software Engineering Intern"),
        (440, 676, 10, "May 2020 - Aug. 2020"),
        (50, 664, 10, "Corvid Labs"),
        (460, 664, 10, "Dallas, TX"),
        (60, 650, 10, "- Wrote integration tests in Python"),
        (50, 625, 12, "Education"),
        (50, 607, 10, "Texas State University"),
        (460, 607, 10, "San Marcos, TX"),
        (50, 595, 10, "Bachelor of Science in Computer Science"),
        (440, 595, 10, "Aug. 2016 - May 2020"),
        (50, 570, 12, "Technical Skills"),
        (50, 556, 10, "Languages: Go, Python, SQL"),
    ]);
    let read = read("owen.pdf", &bytes).await;
    check(
        "Jake's resume",
        &read,
        &Expected {
            name: "Owen Price",
            email: "owen.price@example.net",
            phone: Some("555-201-3344"),
            roles: &[
                ("Backend Developer", "Harbor Analytics", "2021-06", None),
                (
                    "Software Engineering Intern",
                    "Corvid Labs",
                    "2020-05",
                    Some("2020-08"),
                ),
            ],
        },
    );
}

#[tokio::test]
async fn awesome_cv_layout() {
    // Big centred name, a headline, contacts joined by bars; each role: employer left and
    // place right, then the position in capitals left and dates right.
    let bytes = page(&[
        (220, 795, 24, "Claire Duval"),
        (215, 772, 10, "Software Architect"),
        (
            140,
            758,
            9,
            "+33 6 12 34 56 78 | claire.duval@example.org | github.com/cduval",
        ),
        (50, 725, 14, "Experience"),
        (50, 705, 11, "Lumen Systems"),
        (470, 705, 10, "Lyon, France"),
        (50, 692, 9, "SENIOR BACKEND ENGINEER"),
        (450, 692, 9, "Jan. 2020 - Present"),
        (
            60,
            678,
            9,
            "- Designed the event pipeline that replaced nightly batches",
        ),
        (50, 655, 11, "Atelier Numerique"),
        (470, 655, 10, "Paris, France"),
        (50, 642, 9, "BACKEND ENGINEER"),
        (450, 642, 9, "Sep. 2016 - Dec. 2019"),
        (60, 628, 9, "- Ran the PostgreSQL clusters for 40 services"),
        (50, 600, 14, "Skills"),
        (50, 585, 9, "Rust, Kafka, PostgreSQL, Kubernetes"),
    ]);
    let read = read("claire.pdf", &bytes).await;
    check(
        "Awesome-CV",
        &read,
        &Expected {
            name: "Claire Duval",
            email: "claire.duval@example.org",
            phone: Some("+33 6 12 34 56 78"),
            roles: &[
                ("SENIOR BACKEND ENGINEER", "Lumen Systems", "2020-01", None),
                (
                    "BACKEND ENGINEER",
                    "Atelier Numerique",
                    "2016-09",
                    Some("2019-12"),
                ),
            ],
        },
    );
}

#[tokio::test]
async fn moderncv_layout() {
    // Name and title left, contacts in a right-hand block; sections with the years in a
    // narrow left column and "position, employer, place" beside them.
    let bytes = page(&[
        (50, 790, 22, "Marta Kowalski"),
        (50, 768, 12, "Accountant"),
        (400, 790, 9, "ul. Dluga 5, Krakow"),
        (400, 778, 9, "+48 601 234 567"),
        (400, 766, 9, "marta.kowalski@example.com"),
        (140, 730, 14, "Experience"),
        (50, 710, 9, "2018-2023"),
        (140, 710, 10, "Staff Accountant, Baltic Freight, Gdynia"),
        (
            140,
            697,
            9,
            "Closed the books monthly for three subsidiaries.",
        ),
        (50, 680, 9, "2015-2018"),
        (140, 680, 10, "Junior Accountant, Vistula Bakeries, Krakow"),
        (
            140,
            667,
            9,
            "Reconciled bank accounts and supplier ledgers.",
        ),
        (140, 640, 14, "Education"),
        (50, 620, 9, "2011-2015"),
        (
            140,
            620,
            10,
            "Master of Finance, Krakow University of Economics",
        ),
    ]);
    let read = read("marta.pdf", &bytes).await;
    check(
        "moderncv",
        &read,
        &Expected {
            name: "Marta Kowalski",
            email: "marta.kowalski@example.com",
            phone: Some("+48 601 234 567"),
            roles: &[
                ("Staff Accountant", "Baltic Freight", "2018", Some("2023")),
                (
                    "Junior Accountant",
                    "Vistula Bakeries",
                    "2015",
                    Some("2018"),
                ),
            ],
        },
    );
}

#[tokio::test]
async fn europass_layout() {
    // Labelled contacts; each role: the dates and place first, then the position and the
    // employer in capitals, then what was done.
    let bytes = page(&[
        (50, 790, 20, "Tomas Berg"),
        (
            50,
            770,
            9,
            "Email address: tomas.berg@example.se  Phone number: (+46) 701234567",
        ),
        (50, 740, 13, "WORK EXPERIENCE"),
        (50, 722, 9, "01/03/2019 - CURRENT Stockholm, Sweden"),
        (50, 708, 11, "LOGISTICS COORDINATOR NORDIC PARTS AB"),
        (60, 694, 9, "- Planned deliveries for 120 workshops"),
        (50, 674, 9, "15/08/2016 - 28/02/2019 Uppsala, Sweden"),
        (50, 660, 11, "WAREHOUSE ASSISTANT UPPLAND TRADING"),
        (60, 646, 9, "- Kept stock counts within 0.5% of the books"),
        (50, 620, 13, "EDUCATION AND TRAINING"),
        (50, 602, 9, "2013 - 2016 Uppsala, Sweden"),
        (
            50,
            588,
            11,
            "BACHELOR OF SCIENCE IN LOGISTICS UPPSALA UNIVERSITY",
        ),
    ]);
    let read = read("tomas.pdf", &bytes).await;
    check(
        "Europass",
        &read,
        &Expected {
            name: "Tomas Berg",
            email: "tomas.berg@example.se",
            phone: Some("(+46) 701234567"),
            roles: &[
                ("LOGISTICS COORDINATOR", "NORDIC PARTS AB", "2019-03", None),
                (
                    "WAREHOUSE ASSISTANT",
                    "UPPLAND TRADING",
                    "2016-08",
                    Some("2019-02"),
                ),
            ],
        },
    );
}

/// A Word paragraph.
fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

#[tokio::test]
async fn two_column_word_layout() {
    // A table of two cells: a narrow sidebar (contacts, skills) read first, then the main
    // column with the name and the roles.
    let sidebar: String = [
        "CONTACT",
        "(415) 555-0192",
        "dana.reyes@example.com",
        "San Francisco, CA",
        "SKILLS",
        "Merchandising",
        "Inventory control",
    ]
    .iter()
    .map(|t| p(t))
    .collect();
    let main: String = [
        "Dana Reyes",
        "Store Manager",
        "EXPERIENCE",
        "Store Manager",
        "Green Grocers | Mar 2017 - Present",
        "Grew sales 18% in two years by reworking the floor plan.",
        "Assistant Store Manager",
        "Pacific Home Goods | Jun 2013 - Feb 2017",
        "Trained 25 new associates.",
    ]
    .iter()
    .map(|t| p(t))
    .collect();
    let body = format!("<w:tbl><w:tr><w:tc>{sidebar}</w:tc><w:tc>{main}</w:tc></w:tr></w:tbl>");
    let read = read("dana.docx", &docx(&body)).await;
    check(
        "two-column Word",
        &read,
        &Expected {
            name: "Dana Reyes",
            email: "dana.reyes@example.com",
            phone: Some("(415) 555-0192"),
            roles: &[
                ("Store Manager", "Green Grocers", "2017-03", None),
                (
                    "Assistant Store Manager",
                    "Pacific Home Goods",
                    "2013-06",
                    Some("2017-02"),
                ),
            ],
        },
    );
}

#[tokio::test]
async fn arabic_right_to_left_layout() {
    // Right-to-left paragraphs (w:bidi), Arabic headings and months, Latin contacts.
    let rtl = |text: &str| {
        format!(
            "<w:p><w:pPr><w:bidi/></w:pPr><w:r><w:rPr><w:rtl/></w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
        )
    };
    let body: String = [
        "سارة الخطيب",
        "مهندسة برمجيات",
        "sara.khatib@example.com | +971 50 123 4567",
        "الخبرة المهنية",
        "مهندسة برمجيات أولى | شركة الأفق للتقنية | يناير 2020 - حتى الآن",
        "بنيت خدمات الدفع بلغة Go",
        "مطورة برمجيات | مؤسسة النخبة | مارس 2016 - ديسمبر 2019",
        "طورت تطبيقات الويب",
        "التعليم",
        "بكالوريوس علوم الحاسوب | جامعة الشارقة | 2016",
    ]
    .iter()
    .map(|t| rtl(t))
    .collect();
    let read = read("sara.docx", &docx(&body)).await;
    check(
        "Arabic right-to-left",
        &read,
        &Expected {
            name: "سارة الخطيب",
            email: "sara.khatib@example.com",
            phone: Some("+971 50 123 4567"),
            roles: &[
                ("مهندسة برمجيات أولى", "شركة الأفق للتقنية", "2020-01", None),
                ("مطورة برمجيات", "مؤسسة النخبة", "2016-03", Some("2019-12")),
            ],
        },
    );
}
