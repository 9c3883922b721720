//! Tailored CVs on both backends: chosen from the user's own material, gaps named and never
//! claimed, every claim checked by the guard, export refused while a claim is neither
//! supported nor confirmed with a source.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{json_body, spawn_app};
use crate::matching::{ACCOUNTANT, RESUME, add_posting, add_resume, send};

both_backends! {
    async fn a_tailored_cv_says_only_what_the_user_wrote(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "cv").await.1;
        let posting = add_posting(&app, &token, ACCOUNTANT).await;
        let early = send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cv"), None).await;
        assert_eq!(early.status(), StatusCode::CONFLICT, "no resume yet");
        add_resume(&app, &token, RESUME).await;
        send(&app, &token, "POST", "/api/v1/projects", Some(json!({"title": "Close checklist", "technologies": ["Microsoft Excel"], "highlights": ["Checklist used for 24 month-end closes"]}))).await;

        let created = send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cv"), None).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let location = created.headers()["location"].to_str().unwrap().to_owned();
        let cv = json_body(created, "application/json").await;
        let body = cv["body"].as_str().unwrap();
        assert!(body.starts_with("# Ana Lima\n"), "{body}");
        assert!(body.contains("- Prepared monthly journal entries"), "{body}");
        assert!(body.contains("Checklist used for 24 month-end closes"), "the relevant project is in: {body}");
        assert!(!body.contains("NetSuite"), "a gap was written into the CV: {body}");
        let gaps: Vec<&str> = cv["report"]["gaps"].as_array().unwrap().iter().map(|g| g["skill"].as_str().unwrap()).collect();
        assert!(gaps.iter().any(|g| g.contains("NetSuite")), "{:#}", cv["report"]);
        assert_eq!(cv["blocking"], 0, "the built-in tailoring wrote an unsupported claim: {:#}", cv["claims"]);
        assert!(cv["claims"].as_array().unwrap().iter().all(|c| c["supported"] == true));
        assert_eq!((cv["provider"].as_str(), cv["edited"].as_bool()), (Some("local"), Some(false)));
        assert_eq!(cv["job_id"], posting);
        // What changed against the resume, and the match before and after.
        let log: Vec<&str> = cv["report"]["change_log"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        assert!(log.iter().any(|l| l.starts_with("Put the skills the posting asks for first")), "{log:?}");
        assert!(log.iter().any(|l| l.contains("Added your project \"Close checklist\"")), "{log:?}");
        assert!(log.iter().any(|l| l.starts_with("Did not add") && l.contains("NetSuite")), "{log:?}");
        assert!(cv["report"]["score_before"].as_u64().unwrap() <= 100 && cv["report"]["score_after"].as_u64().is_some());

        let md = send(&app, &token, "GET", &format!("{location}/export"), None).await;
        assert_eq!(md.status(), StatusCode::OK);
        assert!(md.headers()["content-disposition"].to_str().unwrap().contains(".md"));
        assert_eq!(md.text().await.unwrap(), body);
        let resume_json = send(&app, &token, "GET", &format!("{location}/export?format=json_resume"), None).await;
        assert_eq!(resume_json.status(), StatusCode::OK);
        let resume_json: Value = resume_json.json().await.unwrap();
        assert_eq!(resume_json["basics"]["name"], "Ana Lima");
        assert_eq!(resume_json["work"][0]["name"], "Acme Corp");
        // PDF and Word: what a reader (ours, as applicant tracking systems read) gets back is
        // the CV's words in order.
        let words = |text: &str| -> Vec<String> {
            text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
        };
        let expected = words(&pursuit_typeset::plain_text(&pursuit_typeset::read(body, "cv", None)));
        for (format, media_type, reader) in [
            ("pdf", "application/pdf", pursuit_files::Format::Pdf),
            ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", pursuit_files::Format::Docx),
        ] {
            let file = send(&app, &token, "GET", &format!("{location}/export?format={format}"), None).await;
            assert_eq!(file.status(), StatusCode::OK, "{format}");
            assert_eq!(file.headers()["content-type"], media_type);
            assert!(file.headers()["content-disposition"].to_str().unwrap().contains(&format!(".{format}\"")));
            let bytes = file.bytes().await.unwrap();
            let back = pursuit_files::extract::extract(&bytes, reader, &pursuit_files::Limits::default()).expect("read back");
            assert_eq!(words(&back.text), expected, "{format}: {}", back.text);
        }

        // An edit that invents: flagged with its words, export refused until removed or
        // confirmed with a source.
        let invented = format!("{body}\nI hold a CPA and led audits at Deloitte.\n");
        let edited = json_body(send(&app, &token, "PATCH", &location, Some(json!({"body": invented}))).await, "application/json").await;
        let flagged: Vec<&str> = edited["claims"].as_array().unwrap().iter().filter(|c| c["supported"] == false).map(|c| c["words"].as_str().unwrap()).collect();
        assert_eq!(flagged, ["CPA", "Deloitte"], "{:#}", edited["claims"]);
        assert_eq!((edited["blocking"].as_u64(), edited["edited"].as_bool()), (Some(2), Some(true)));
        for format in ["pdf", "docx"] {
            let refused = send(&app, &token, "GET", &format!("{location}/export?format={format}"), None).await;
            assert_eq!(refused.status(), StatusCode::CONFLICT, "{format} of a text with unsupported claims");
        }
        let refused = send(&app, &token, "GET", &format!("{location}/export"), None).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        let problem = json_body(refused, "application/problem+json").await;
        assert!(problem["detail"].as_str().unwrap().contains("Deloitte"), "{problem}");

        for (confirmations, field) in [
            (json!([{"words": "Acme Corp", "source": "my payslips"}]), "/confirmations/0/words"),
            (json!([{"words": "CPA", "source": "x"}]), "/confirmations/0/source"),
        ] {
            let response = send(&app, &token, "PATCH", &location, Some(json!({"confirmations": confirmations}))).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(json_body(response, "application/problem+json").await.to_string().contains(field));
        }
        let confirmed = json_body(send(&app, &token, "PATCH", &location, Some(json!({"confirmations": [{"words": "CPA", "source": "AICPA licence no. 123456"}]}))).await, "application/json").await;
        assert_eq!(confirmed["blocking"], 1);
        let cpa = confirmed["claims"].as_array().unwrap().iter().find(|c| c["words"] == "CPA").unwrap().clone();
        assert_eq!(cpa["confirmed_by"], "AICPA licence no. 123456");
        let fixed = json_body(send(&app, &token, "PATCH", &location, Some(json!({"body": format!("{body}\nI hold a CPA.\n")}))).await, "application/json").await;
        assert_eq!(fixed["blocking"], 0, "{:#}", fixed["claims"]);
        assert_eq!(send(&app, &token, "GET", &format!("{location}/export"), None).await.status(), StatusCode::OK);
        let stale = send(&app, &token, "GET", &format!("{location}/export?format=json_resume"), None).await;
        assert_eq!(stale.status(), StatusCode::CONFLICT, "JSON Resume of an edited text");
        // Taking the claim out drops its confirmation.
        let plain = json_body(send(&app, &token, "PATCH", &location, Some(json!({"body": body}))).await, "application/json").await;
        assert!(plain["claims"].as_array().unwrap().iter().all(|c| c["confirmed_by"].is_null()));

        let bad = send(&app, &token, "PATCH", &location, Some(json!({"body": "  "}))).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let list = json_body(send(&app, &token, "GET", &format!("/api/v1/documents?job_id={posting}"), None).await, "application/json").await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1);

        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "cv").await.1;
        for (method, path) in [("GET", location.clone()), ("GET", format!("{location}/export")), ("DELETE", location.clone())] {
            assert_eq!(send(&app, &bob_token, method, &path, None).await.status(), StatusCode::NOT_FOUND, "{method} {path}");
        }
        assert_eq!(send(&app, &bob_token, "POST", &format!("/api/v1/jobs/{posting}/cv"), None).await.status(), StatusCode::NOT_FOUND);

        assert_eq!(send(&app, &token, "DELETE", &location, None).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(send(&app, &token, "GET", &location, None).await.status(), StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn a_cv_is_tailored_reviewed_and_exported_from_the_pages(backend: Backend) {
        use crate::pages::{form, location, page};
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let (cookie, csrf) = (ana.cookie.as_str(), ana.csrf.as_str());
        let token = api_token(&app, &ana, "cv").await.1;
        let posting = add_posting(&app, &token, ACCOUNTANT).await;
        let html = page(&app, &format!("/jobs/{posting}"), Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("A CV, a cover letter and a pitch for this job") && !html.contains("Tailor my CV and show what to change"), "no resume yet: {html}");
        let empty = page(&app, "/documents", Some(cookie)).await.text().await.unwrap();
        assert!(empty.contains("No documents yet"));

        add_resume(&app, &token, RESUME).await;
        let made = form(&app, &format!("/jobs/{posting}/cv"), Some(cookie), &[("csrf", csrf)]).await;
        let at = location(&made).to_owned();
        assert!(at.starts_with("/documents/"), "{at}");
        let html = page(&app, &at, Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("Every claim is backed by your material") && html.contains("Download Markdown"), "{html}");
        assert!(html.contains("NetSuite") && html.contains("Gaps"), "the gap is named in the report: {html}");
        assert!(html.contains("What changed") && html.contains("for your resume as written"), "the change log and the scores: {html}");
        let job = page(&app, &format!("/jobs/{posting}"), Some(cookie)).await.text().await.unwrap();
        assert!(job.contains(&format!(r#"href="{at}""#)), "the job lists its CV");
        // The application the posting was saved as shows it too.
        let saved = json_body(send(&app, &token, "GET", &format!("/api/v1/jobs/{posting}"), None).await, "application/json").await;
        let application = saved["application_id"].as_str().unwrap();
        let sidebar = page(&app, &format!("/board?application={application}"), Some(cookie)).await.text().await.unwrap();
        assert!(sidebar.contains("Documents") && sidebar.contains(&format!(r#"href="{at}""#)), "{sidebar}");

        let cv = json_body(send(&app, &token, "GET", &format!("/api/v1{at}"), None).await, "application/json").await;
        let body = cv["body"].as_str().unwrap();
        let saved = form(&app, &at, Some(cookie), &[("csrf", csrf), ("body", &format!("{body}\nCertified by Deloitte as a CPA.\n"))]).await;
        assert_eq!(location(&saved), format!("{at}?saved=1"));
        let html = page(&app, &at, Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("<mark>Deloitte</mark>") && html.contains("claims need your attention"), "{html}");
        assert!(!html.contains("Download Markdown"));
        let held = page(&app, &format!("{at}/export"), Some(cookie)).await;
        assert_eq!(held.status(), StatusCode::CONFLICT);
        assert!(held.text().await.unwrap().contains("not supported by your resume"));

        let short = form(&app, &format!("{at}/confirm"), Some(cookie), &[("csrf", csrf), ("words", "CPA"), ("source", "x")]).await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        for words in ["CPA", "Deloitte"] {
            let confirmed = form(&app, &format!("{at}/confirm"), Some(cookie), &[("csrf", csrf), ("words", words), ("source", "Certificate no. 4411, 2019")]).await;
            assert_eq!(location(&confirmed), format!("{at}?confirmed=1"));
        }
        let file = page(&app, &format!("{at}/export"), Some(cookie)).await;
        assert_eq!(file.status(), StatusCode::OK);
        assert!(file.text().await.unwrap().contains("Certified by Deloitte as a CPA."));

        let removed = form(&app, &format!("{at}/delete"), Some(cookie), &[("csrf", csrf)]).await;
        assert_eq!(location(&removed), format!("/jobs/{posting}"));
        assert_eq!(page(&app, &at, Some(cookie)).await.status(), StatusCode::NOT_FOUND);

        // The job page's button: the report of what to change, with the CV to check.
        let job = page(&app, &format!("/jobs/{posting}"), Some(cookie)).await.text().await.unwrap();
        assert!(job.contains("Tailor my CV and show what to change") && job.contains("العربية"), "{job}");
        let made = form(&app, &format!("/jobs/{posting}/optimize"), Some(cookie), &[("csrf", csrf), ("desired_output_lang", "")]).await;
        let report = location(&made).to_owned();
        assert!(report.starts_with("/optimizations/"), "{report}");
        let html = page(&app, &report, Some(cookie)).await.text().await.unwrap();
        for words in ["What you could change, and why", "NetSuite", "your resume as written", "What tailoring changed", "Check, edit and export it"] {
            assert!(html.contains(words), "{words}: {html}");
        }
        let job = page(&app, &format!("/jobs/{posting}"), Some(cookie)).await.text().await.unwrap();
        assert!(job.contains(&format!(r#"href="{report}""#)), "the job lists its report");
        let wrong = form(&app, &format!("/jobs/{posting}/optimize"), Some(cookie), &[("csrf", csrf), ("desired_output_lang", "klingon")]).await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bob = sign_in(&app, "bob@example.com", 1).await;
        assert_eq!(page(&app, &report, Some(bob.cookie.as_str())).await.status(), StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn a_cover_letter_claims_only_what_the_user_wrote(backend: Backend) {
        use crate::pages::{form, location, page};
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "letter").await.1;
        let posting = add_posting(&app, &token, ACCOUNTANT).await;
        let early = send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cover-letter"), Some(json!({}))).await;
        assert_eq!(early.status(), StatusCode::CONFLICT, "no resume yet");
        add_resume(&app, &token, RESUME).await;
        send(&app, &token, "PUT", "/api/v1/profile", Some(json!({"summary": "Accountant who closes the books on time. Other sentences stay out."}))).await;

        let made = send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cover-letter"), Some(json!({"tone": "enthusiastic", "length": "short"}))).await;
        assert_eq!(made.status(), StatusCode::CREATED);
        let location_url = made.headers()["location"].to_str().unwrap().to_owned();
        let letter = json_body(made, "application/json").await;
        let body = letter["body"].as_str().unwrap();
        assert_eq!(letter["kind"], "letter");
        assert!(body.starts_with("Hello"), "{body}");
        assert!(body.contains("Senior Accountant"), "{body}");
        assert!(body.contains("Accountant who closes the books on time.") && !body.contains("Other sentences"), "{body}");
        assert!(body.contains("prepared monthly journal entries"), "a bullet of the user's: {body}");
        assert!(!body.contains("NetSuite"), "a gap was claimed: {body}");
        assert!(body.trim_end().ends_with("Ana Lima"), "{body}");
        assert_eq!(letter["blocking"], 0, "{:#}", letter["claims"]);
        assert_eq!(letter["report"]["tone"], "enthusiastic");
        assert_eq!(letter["report"]["target_words"], json!([150, 200]));
        assert_eq!(letter["report"]["short_of_preset"], true, "the little material is not padded");
        assert!(letter["report"]["words"].as_u64().unwrap() < 150);
        let json_export = send(&app, &token, "GET", &format!("{location_url}/export?format=json_resume"), None).await;
        assert_eq!(json_export.status(), StatusCode::CONFLICT, "JSON Resume is a CV format");
        assert_eq!(send(&app, &token, "GET", &format!("{location_url}/export"), None).await.status(), StatusCode::OK);
        for bad in [json!({"tone": "sarcastic"}), json!({"length": "epic"}), json!({"words": 5})] {
            let response = send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cover-letter"), Some(bad.clone())).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }

        // From the job page.
        let (cookie, csrf) = (ana.cookie.as_str(), ana.csrf.as_str());
        let html = page(&app, &format!("/jobs/{posting}"), Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("Write a cover letter"));
        let made = form(&app, &format!("/jobs/{posting}/cover-letter"), Some(cookie), &[("csrf", csrf), ("tone", "professional"), ("length", "standard")]).await;
        let at = location(&made).to_owned();
        let html = page(&app, &at, Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("The letter") && html.contains("Dear Hiring Manager,") && html.contains("nothing was padded"), "{html}");
        assert!(!html.contains("Download JSON Resume"));
    }
}

both_backends! {
    async fn an_exported_document_is_recorded_as_sent_with_its_application(backend: Backend) {
        use crate::pages::page;
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "sent").await.1;
        let posting = add_posting(&app, &token, ACCOUNTANT).await;
        let job = json_body(send(&app, &token, "GET", &format!("/api/v1/jobs/{posting}"), None).await, "application/json").await;
        let application = job["application_id"].as_str().unwrap().to_owned();
        let materials = format!("/api/v1/applications/{application}/materials");
        let version = add_resume(&app, &token, RESUME).await;

        let nothing = json_body(send(&app, &token, "GET", &materials, None).await, "application/json").await;
        assert_eq!(nothing, json!({"resume_version_id": null, "cv_document_id": null, "letter_document_id": null, "updated_at": null}));

        let cv = json_body(send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cv"), None).await, "application/json").await;
        let cv_id = cv["id"].as_str().unwrap().to_owned();
        let letter = json_body(send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cover-letter"), Some(json!({}))).await, "application/json").await;
        let letter_id = letter["id"].as_str().unwrap().to_owned();
        // Made is not sent: only an export records it.
        assert_eq!(json_body(send(&app, &token, "GET", &materials, None).await, "application/json").await["cv_document_id"], Value::Null);
        let file = send(&app, &token, "GET", &format!("/api/v1/documents/{cv_id}/export?format=docx"), None).await;
        assert_eq!(file.status(), StatusCode::OK);
        let sent = json_body(send(&app, &token, "GET", &materials, None).await, "application/json").await;
        assert_eq!((sent["cv_document_id"].as_str(), sent["resume_version_id"].as_str()), (Some(cv_id.as_str()), Some(version.as_str())), "{sent}");
        assert!(sent["letter_document_id"].is_null() && sent["updated_at"].is_string());
        send(&app, &token, "GET", &format!("/api/v1/documents/{letter_id}/export"), None).await;
        let both = json_body(send(&app, &token, "GET", &materials, None).await, "application/json").await;
        assert_eq!(both["letter_document_id"].as_str(), Some(letter_id.as_str()));

        // The board says so.
        let html = page(&app, &format!("/board?application={application}"), Some(ana.cookie.as_str())).await.text().await.unwrap();
        assert!(html.contains("Sent with your resume version 1"), "{html}");
        assert_eq!(html.matches(r#"<span class="tag">sent</span>"#).count(), 2);

        for (body, field) in [
            (json!({"cv_document_id": letter_id}), "/cv_document_id"),
            (json!({"letter_document_id": cv_id}), "/letter_document_id"),
            (json!({"resume_version_id": uuid::Uuid::new_v4()}), "/resume_version_id"),
        ] {
            let bad = send(&app, &token, "PUT", &materials, Some(body.clone())).await;
            assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(json_body(bad, "application/problem+json").await.to_string().contains(field), "{body}");
        }
        let set = json_body(send(&app, &token, "PUT", &materials, Some(json!({"resume_version_id": version}))).await, "application/json").await;
        assert_eq!((set["cv_document_id"].clone(), set["letter_document_id"].clone()), (Value::Null, Value::Null));

        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "sent").await.1;
        assert_eq!(send(&app, &bob_token, "GET", &materials, None).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(send(&app, &bob_token, "PUT", &materials, Some(json!({}))).await.status(), StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn a_posting_in_another_language_gets_a_document_in_the_users_and_says_why(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "lang").await.1;
        let posting = add_posting(&app, &token, "محاسب أول\n\nالمهام\n- إعداد القيود اليومية والتسويات الحسابية\n- إدارة الإغلاق الشهري\n\nالمتطلبات\n- خبرة ثلاث سنوات في المحاسبة\n- إتقان برنامج Excel\n").await;
        add_resume(&app, &token, RESUME).await;
        let cv = json_body(send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cv"), None).await, "application/json").await;
        let note = cv["report"]["language_note"].as_str().expect("a note");
        assert!(note.contains("The posting is in Arabic and your material is in English"), "{note}");
        assert!(cv["body"].as_str().unwrap().contains("Prepared monthly journal entries"), "the CV is the user's own words");
        assert_eq!(cv["blocking"], 0, "{:#}", cv["claims"]);
        // Same language: no note.
        let english = add_posting(&app, &token, ACCOUNTANT).await;
        let cv = json_body(send(&app, &token, "POST", &format!("/api/v1/jobs/{english}/cv"), None).await, "application/json").await;
        assert!(cv["report"]["language_note"].is_null());
    }
}

const ARABIC_RESUME: &str = "سارة أحمد
محاسبة
sara@example.org

الخبرة العملية
محاسبة | شركة النور | يناير 2018 - حتى الآن
- إعداد القيود اليومية والتسويات الحسابية للدفتر العام
- إدارة الإغلاق الشهري للحسابات

المهارات
Microsoft Excel
";

both_backends! {
    async fn an_optimization_reports_what_to_change_and_keeps_its_languages(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "optimize").await.1;
        let posting = add_posting(&app, &token, ACCOUNTANT).await;
        let path = format!("/api/v1/jobs/{posting}/optimize");
        assert_eq!(send(&app, &token, "POST", &path, Some(json!({}))).await.status(), StatusCode::CONFLICT, "no resume yet");
        let english = add_resume(&app, &token, RESUME).await;
        let before = json_body(send(&app, &token, "GET", &format!("/api/v1/jobs/{posting}"), None).await, "application/json").await;
        assert!(before["result"].is_null() && before.get("result").is_some(), "{before:#}");

        let created = send(&app, &token, "POST", &path, Some(json!({}))).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let location = created.headers()["location"].to_str().unwrap().to_owned();
        let made = json_body(created, "application/json").await;
        assert_eq!((made["cached"].as_bool(), made["job_id"].as_str()), (Some(false), Some(posting.as_str())));
        assert_eq!(made["resume_version_id"], english.as_str());
        assert_eq!((made["resume_lang"].as_str(), made["jd_lang"].as_str(), made["desired_output_lang"].as_str()), (Some("en"), Some("en"), Some("en")));
        assert!(made["score"].as_i64().unwrap() <= 100 && made["score_after"].as_i64().is_some());
        // NetSuite is asked for and not shown: named with the posting's line, never added.
        let items = made["report"]["items"].as_array().unwrap();
        let netsuite = items.iter().find(|a| a["evidence"]["posting"].as_str().unwrap().contains("NetSuite")).unwrap_or_else(|| panic!("{items:#?}"));
        assert_eq!((netsuite["area"].as_str(), netsuite["evidence"]["resume"].as_str()), (Some("required_skills"), None));
        assert!(netsuite["what"].as_str().unwrap().ends_with("If it is not, leave it out: Pursuit will not add it for you."));
        assert!(items.windows(2).all(|w| w[0]["points"].as_f64() >= w[1]["points"].as_f64()));
        let preview = made["preview_md"].as_str().unwrap();
        assert!(preview.contains("## Experience") && !preview.contains("NetSuite"), "{preview}");
        assert!(made["change_log"].as_array().unwrap().iter().any(|l| l.as_str().unwrap().contains("NetSuite")));
        // The CV is a document to check and export.
        let cv = json_body(send(&app, &token, "GET", &format!("/api/v1/documents/{}", made["document_id"].as_str().unwrap()), None).await, "application/json").await;
        assert_eq!((cv["body"].as_str(), cv["blocking"].as_u64()), (Some(preview), Some(0)));
        assert_eq!(json_body(send(&app, &token, "GET", &location, None).await, "application/json").await["id"], made["id"]);
        // Seed 004: the job's detail carries its newest result.
        let job = json_body(send(&app, &token, "GET", &format!("/api/v1/jobs/{posting}"), None).await, "application/json").await;
        assert_eq!(job["result"]["id"], made["id"]);

        // The same inputs answer the same result; `fresh` makes another.
        let again = send(&app, &token, "POST", &path, Some(json!({}))).await;
        assert_eq!(again.status(), StatusCode::OK);
        let again = json_body(again, "application/json").await;
        assert_eq!((again["id"].as_str(), again["cached"].as_bool()), (made["id"].as_str(), Some(true)));
        let fresh = send(&app, &token, "POST", &path, Some(json!({"fresh": true}))).await;
        assert_eq!(fresh.status(), StatusCode::CREATED);

        // Laid out in Arabic from English material: the headings follow, the words stay, and it says so.
        let arabic = json_body(send(&app, &token, "POST", &path, Some(json!({"desired_output_lang": "ar"}))).await, "application/json").await;
        let preview = arabic["preview_md"].as_str().unwrap();
        assert!(preview.contains("## الخبرة العملية") && preview.contains("Prepared monthly journal entries"), "{preview}");
        assert!(arabic["report"]["language_note"].as_str().unwrap().contains("You asked for Arabic and your material is in English"), "{arabic:#}");
        let cv = json_body(send(&app, &token, "GET", &format!("/api/v1/documents/{}", arabic["document_id"].as_str().unwrap()), None).await, "application/json").await;
        assert_eq!(cv["blocking"], 0, "layout words are no claims: {:#}", cv["claims"]);

        // With a version written in Arabic, that one is read, though English stays active.
        let written = add_resume(&app, &token, ARABIC_RESUME).await;
        assert_eq!(send(&app, &token, "POST", &format!("/api/v1/resume/versions/{english}/activate"), None).await.status(), StatusCode::OK);
        let own = json_body(send(&app, &token, "POST", &path, Some(json!({"desired_output_lang": "AR"}))).await, "application/json").await;
        assert_eq!((own["resume_version_id"].as_str(), own["resume_lang"].as_str()), (Some(written.as_str()), Some("ar")), "{own:#}");
        assert!(own["preview_md"].as_str().unwrap().contains("إعداد القيود اليومية"), "{own:#}");
        assert!(own["report"]["version_note"].as_str().is_some(), "{own:#}");
        // Across languages the report compares no words: skills and facts only.
        let areas: Vec<&str> = own["report"]["items"].as_array().unwrap().iter().map(|a| a["area"].as_str().unwrap()).collect();
        assert!(!areas.is_empty() && areas.iter().all(|a| !["wording", "responsibilities", "results"].contains(a)), "{areas:?}");
        assert!(own["report"]["language_note"].as_str().unwrap().starts_with("The posting is in English and your material is in Arabic"), "{own:#}");

        for (body, pointer) in [(json!({"desired_output_lang": "xx"}), "desired_output_lang"), (json!({"fresh": "yes"}), ""), (json!({"other": 1}), "")] {
            let refused = send(&app, &token, "POST", &path, Some(body.clone())).await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(json_body(refused, "application/problem+json").await.to_string().contains(pointer));
        }
        let list = json_body(send(&app, &token, "GET", &format!("/api/v1/jobs/{posting}/optimizations"), None).await, "application/json").await;
        assert_eq!(list["items"].as_array().unwrap().len(), 4, "the cached answer is not a new result");

        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "optimize").await.1;
        for (method, path) in [("GET", location.clone()), ("GET", format!("/api/v1/jobs/{posting}/optimizations")), ("POST", path.clone())] {
            let body = (method == "POST").then(|| json!({}));
            assert_eq!(send(&app, &bob_token, method, &path, body).await.status(), StatusCode::NOT_FOUND, "{method} {path}");
        }
    }
}
