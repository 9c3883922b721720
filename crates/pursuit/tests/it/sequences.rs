//! Outreach sequences on both backends: the default four-email cadence, character counts
//! against each preset, the spam check's snapshot with the exact words, steps kept in order,
//! placeholders Pursuit fills, and every bad field named.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{json_body, spawn_app};
use crate::matching::send;

fn chars(text: &Value) -> i64 {
    text.as_str().unwrap().chars().count() as i64
}

both_backends! {
    async fn a_sequence_is_four_emails_counted_checked_and_kept_in_order(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "sequences").await.1;

        let made = send(&app, &token, "POST", "/api/v1/sequence-templates", Some(json!({"name": "Platform roles"}))).await;
        assert_eq!(made.status(), StatusCode::CREATED);
        let template = json_body(made, "application/json").await;
        let id = template["id"].as_str().unwrap().to_owned();
        let steps = template["steps"].as_array().unwrap();
        let cadence: Vec<(&str, i64)> = steps.iter().map(|s| (s["label"].as_str().unwrap(), s["offset_days"].as_i64().unwrap())).collect();
        assert_eq!(cadence, [("Intro", 0), ("Nudge", 3), ("Value", 7), ("Final", 14)]);
        for s in steps {
            assert_eq!(s["char_count"].as_i64().unwrap(), chars(&s["subject"]) + chars(&s["body"]), "{s:#}");
            assert!(s["spam"]["score"].is_number() && s["spam"]["words"].is_array(), "a snapshot is kept: {s:#}");
        }
        assert_eq!((steps[0]["target"]["min"].as_i64(), steps[0]["target"]["max"].as_i64()), (Some(100), Some(500)));
        assert!(steps.iter().all(|s| s["within_target"] == true), "the defaults fit their presets: {steps:#?}");
        let intro = steps[0]["id"].as_str().unwrap().to_owned();
        let nudge = steps[1]["id"].as_str().unwrap().to_owned();

        // A spammy body: the words that earn it are kept with the step.
        let spammy = "Hi {first_name},\n\nAct now! This FREE offer is 100% guaranteed!!! Click here to claim your prize.\n\n{pitch}\n\nBest,\n{my_name}";
        let changed = json_body(send(&app, &token, "PATCH", &format!("/api/v1/sequence-steps/{intro}"), Some(json!({"body": spammy}))).await, "application/json").await;
        let step = &changed["steps"][0];
        assert_eq!(step["id"], intro.as_str(), "the step keeps its id");
        let words: Vec<String> = step["spam"]["words"].as_array().unwrap().iter().map(|w| w.as_str().unwrap().to_owned()).collect();
        assert!(!words.is_empty() && words.iter().all(|w| spammy.contains(w.as_str())), "exact strings of the email: {words:?}");
        assert!(step["spam"]["score"].as_f64().unwrap() > changed["steps"][1]["spam"]["score"].as_f64().unwrap(), "{changed:#}");
        assert_eq!(step["char_count"].as_i64().unwrap(), chars(&step["subject"]) + spammy.chars().count() as i64);

        // Over the preset: refused, naming the field; a longer preset takes it.
        let long = format!("Hi {{first_name}},\n\n{}\n\n{{my_name}}", "I build data platforms. ".repeat(25));
        let refused = send(&app, &token, "PATCH", &format!("/api/v1/sequence-steps/{nudge}"), Some(json!({"body": long}))).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let detail = json_body(refused, "application/problem+json").await.to_string();
        assert!(detail.contains("/steps/2/body") && detail.contains("500"), "{detail}");
        let taken = json_body(send(&app, &token, "PATCH", &format!("/api/v1/sequence-steps/{nudge}"), Some(json!({"body": long, "length_preset": "medium"}))).await, "application/json").await;
        assert_eq!((taken["steps"][1]["length_preset"].as_str(), taken["steps"][1]["within_target"].as_bool()), (Some("medium"), Some(true)), "{:#}", taken["steps"][1]);

        // Out of order, unknown placeholders, a header split: each named.
        for (body, field) in [
            (json!({"offset_days": 9}), "/steps/3/offset_days"),
            (json!({"offset_days": 91}), "/steps/2/offset_days"),
            (json!({"subject": "Hello {firstname}"}), "/steps/2/subject"),
            (json!({"subject": "{pitch}"}), "/steps/2/subject"),
            (json!({"subject": "Hi\r\nBcc: all@example.com"}), "/steps/2/subject"),
            (json!({"subject": "Hi\u{2028}Bcc: all@example.com"}), "/steps/2/subject"),
            (json!({"body": " "}), "/steps/2/body"),
            (json!({"length_preset": "huge"}), "/steps/2/length_preset"),
        ] {
            let refused = send(&app, &token, "PATCH", &format!("/api/v1/sequence-steps/{nudge}"), Some(body.clone())).await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let detail = json_body(refused, "application/problem+json").await.to_string();
            assert!(detail.contains(field), "{body} → {field}: {detail}");
        }

        // Replaced by two steps: the first keeps its id, the rest go.
        let two = json_body(send(&app, &token, "PATCH", &format!("/api/v1/sequence-templates/{id}"), Some(json!({
            "name": "Platform roles, short",
            "steps": [
                {"label": "Intro", "offset_days": 0, "subject": "{role} at {company}", "body": "Hi {first_name},\n\n{pitch}\n\n{my_name}"},
                {"label": "Last", "offset_days": 5, "subject": "Re: {role}", "body": "Hi {first_name}, one last note.\n\n{my_name}", "length_preset": "short"}
            ]
        }))).await, "application/json").await;
        assert_eq!((two["name"].as_str(), two["steps"].as_array().unwrap().len()), (Some("Platform roles, short"), 2), "{two:#}");
        assert_eq!(two["steps"][0]["id"], intro.as_str());
        let listed = json_body(send(&app, &token, "GET", "/api/v1/sequence-templates", None).await, "application/json").await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        for bad in [json!({"name": ""}), json!({"steps": []}), json!({"name": "x", "extra": 1})] {
            let refused = send(&app, &token, "PATCH", &format!("/api/v1/sequence-templates/{id}"), Some(bad.clone())).await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }

        assert_eq!(send(&app, &token, "DELETE", &format!("/api/v1/sequence-templates/{id}"), None).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(send(&app, &token, "GET", &format!("/api/v1/sequence-templates/{id}"), None).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(send(&app, &token, "PATCH", &format!("/api/v1/sequence-steps/{intro}"), Some(json!({"label": "x"}))).await.status(), StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn a_sequence_is_started_and_edited_from_its_pages(backend: Backend) {
        use crate::pages::{form, location, page};
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let (cookie, csrf) = (ana.cookie.as_str(), ana.csrf.as_str());
        let empty = page(&app, "/sequences", Some(cookie)).await.text().await.unwrap();
        assert!(empty.contains("No sequences yet"), "{empty}");
        let refused = form(&app, "/sequences", Some(cookie), &[("csrf", csrf), ("name", " ")]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let started = form(&app, "/sequences", Some(cookie), &[("csrf", csrf), ("name", "Platform roles")]).await;
        assert_eq!(started.status(), StatusCode::SEE_OTHER);
        let at = location(&started).to_owned();
        let html = page(&app, &at, Some(cookie)).await.text().await.unwrap();
        for text in ["1. Intro", "2. Nudge", "3. Value", "4. Final", "/assets/sequence.js", "for this length", "Spam check"] {
            assert!(html.contains(text), "{text}: {html}");
        }
        let token = api_token(&app, &ana, "sequences").await.1;
        let id = at.trim_start_matches("/sequences/");
        let template = json_body(send(&app, &token, "GET", &format!("/api/v1/sequence-templates/{id}"), None).await, "application/json").await;
        let step = template["steps"][1]["id"].as_str().unwrap().to_owned();

        // A refused save shows what was typed and why, on that email.
        let fields = |body: &'static str, day: &'static str| vec![("csrf", csrf), ("label", "Nudge"), ("offset_days", day), ("length_preset", "short"), ("subject", "Re: {role}"), ("body", body)];
        let refused = form(&app, &format!("{at}/steps/{step}"), Some(cookie), &fields("Hi {first_name}, FREE money!!! Act now.", "not a day")).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.unwrap();
        assert!(html.contains("offset_days") && html.contains("FREE money!!! Act now."), "{html}");

        let saved = form(&app, &format!("{at}/steps/{step}"), Some(cookie), &fields("Hi {first_name}, FREE money!!! Act now.\n\n{my_name}", "4")).await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        assert!(location(&saved).ends_with("?saved=2#step-2"), "{}", location(&saved));
        let html = page(&app, location(&saved), Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("Email 2 saved.") && html.contains("day 4") && html.contains("<mark>"), "the spam words are marked: {html}");

        let bob = sign_in(&app, "bob@example.com", 1).await;
        assert_eq!(page(&app, &at, Some(&bob.cookie)).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(form(&app, &format!("{at}/steps/{step}"), Some(&bob.cookie), &[("csrf", bob.csrf.as_str()), ("label", "x")]).await.status(), StatusCode::NOT_FOUND);
        let removed = form(&app, &format!("{at}/delete"), Some(cookie), &[("csrf", csrf)]).await;
        assert_eq!(location(&removed), "/sequences?removed=1");
    }
}

both_backends! {
    async fn a_sequence_is_planned_in_the_recipients_working_hours(backend: Backend) {
        use crate::pages::page;
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "sequences").await.1;
        let template = json_body(send(&app, &token, "POST", "/api/v1/sequence-templates", Some(json!({"name": "Tokyo"}))).await, "application/json").await;
        let id = template["id"].as_str().unwrap();
        let kenji = json_body(send(&app, &token, "POST", "/api/v1/contacts", Some(json!({"full_name": "Kenji Sato", "time_zone": "Asia/Tokyo"}))).await, "application/json").await;

        // Friday 2026-12-04 09:00Z is 18:00 in Tokyo: the first email waits for Monday 08:00
        // there; the nudge is three days later, Thursday; the value email a week after the
        // first, Monday; the last two weeks after it, Monday.
        let plan = json_body(send(&app, &token, "GET", &format!("/api/v1/sequence-templates/{id}/schedule?contact_id={}&start=2026-12-04T09:00:00Z", kenji["id"].as_str().unwrap()), None).await, "application/json").await;
        assert_eq!((plan["time_zone"].as_str(), plan["time_zone_from"].as_str()), (Some("Asia/Tokyo"), Some("contact")), "{plan:#}");
        let at: Vec<&str> = plan["sends"].as_array().unwrap().iter().map(|s| s["at"].as_str().unwrap()).collect();
        assert_eq!(at, ["2026-12-06T23:00:00Z", "2026-12-09T23:00:00Z", "2026-12-13T23:00:00Z", "2026-12-20T23:00:00Z"], "{plan:#}");
        assert_eq!(plan["sends"][0]["recipient_local"], "Mon 7 Dec 2026, 08:00");

        for (query, field) in [("time_zone=Mars/Olympus", "time_zone"), ("start=tomorrow", "start"), ("contact_id=01a24100-0000-7000-8000-000000000000", "contact_id")] {
            let refused = send(&app, &token, "GET", &format!("/api/v1/sequence-templates/{id}/schedule?{query}"), None).await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            assert!(json_body(refused, "application/problem+json").await.to_string().contains(field), "{query}");
        }
        let html = page(&app, &format!("/sequences/{id}?time_zone=Asia/Tokyo"), Some(&ana.cookie)).await.text().await.unwrap();
        assert!(html.contains("When it would go out") && html.contains("in Asia&#x2f;Tokyo") && html.contains("Their time"), "{html}");
    }
}

both_backends! {
    async fn a_first_sequence_is_written_in_each_tone_and_length_claiming_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "sequences").await.1;
        for tone in ["professional", "enthusiastic", "casual"] {
            for length in ["short", "medium", "long"] {
                let written = json_body(send(&app, &token, "POST", "/api/v1/ai/sequence", Some(json!({"tone": tone, "length": length}))).await, "application/json").await;
                assert_eq!(written["provider"], "local", "{written:#}");
                let steps = written["steps"].as_array().unwrap();
                let days: Vec<i64> = steps.iter().map(|s| s["offset_days"].as_i64().unwrap()).collect();
                assert_eq!(days, [0, 3, 7, 14]);
                for s in steps {
                    assert_eq!(s["length_preset"], length);
                    // Never over the length; a short email may fall under a longer length's
                    // least (kept, and said to be short), never under the short one's.
                    assert!(s["char_count"].as_u64() <= s["target"]["max"].as_u64(), "{tone} {length}: {s:#}");
                    assert!(length != "short" || s["within_target"] == true, "{tone} {length}: {s:#}");
                    assert!(s["body"].as_str().unwrap().contains("{first_name}") && s["body"].as_str().unwrap().contains("{my_name}"), "{s:#}");
                }
                // What it wrote saves as it is.
                let saved = send(&app, &token, "POST", "/api/v1/sequence-templates", Some(json!({"name": format!("{tone} {length}"), "steps": steps.iter().map(|s| json!({"label": s["label"], "offset_days": s["offset_days"], "subject": s["subject"], "body": s["body"], "length_preset": s["length_preset"]})).collect::<Vec<_>>()}))).await;
                assert_eq!(saved.status(), StatusCode::CREATED, "{tone} {length}");
            }
        }
        let refused = send(&app, &token, "POST", "/api/v1/ai/sequence", Some(json!({"length": "epic"}))).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(json_body(refused, "application/problem+json").await.to_string().contains("/length"));
    }
}

both_backends! {
    async fn a_model_that_adds_a_claim_or_drops_a_placeholder_in_a_sequence_is_passed_over(backend: Backend) {
        use crate::helpers::{TestDatabase, spawn_app_with};
        let email = |day: i64, subject: &str, body: &str| json!({"label": "x", "offset_days": day, "subject": subject, "body": body});
        let good = json!({"steps": [
            email(0, "{role} at {company}", "Hello {first_name},\n\n{pitch}\n\nCould we talk for fifteen minutes in the next two weeks?\n\nKind regards,\n{my_name}"),
            email(3, "Re: {role} at {company}", "Hello {first_name},\n\nJust following up on my note about the {role} role. Happy to share more if useful.\n\nKind regards,\n{my_name}"),
            email(7, "Re: {role} at {company}", "Hello {first_name},\n\nOne more thought on {company}.\n\n{pitch}\n\nIf someone else is better placed, a pointer would be welcome.\n\nKind regards,\n{my_name}"),
            email(14, "Re: {role} at {company}", "Hello {first_name},\n\nThis is my last note about the {role} role. Thank you for reading.\n\nKind regards,\n{my_name}"),
        ]});
        let mut invented = good.clone();
        invented["steps"][0]["body"] = json!("Hello {first_name},\n\nI led a team of 12 engineers at Google for 8 years and cut costs by 40%.\n\nKind regards,\n{my_name}");
        let mut unknown = good.clone();
        unknown["steps"][1]["subject"] = json!("Re: {job_title}");
        for (answer, kept) in [(invented, "local"), (unknown, "local"), (good, "writer")] {
            let (url, _) = crate::ai::fake_chat(answer.to_string(), "fake-writer", (800, 120)).await;
            let app = spawn_app_with(TestDatabase::new(backend).await, move |config| {
                config.ai.providers.insert("writer".to_owned(), crate::ai::fake_provider(url, "fake-writer"));
                config.ai.tasks.write = vec!["writer".to_owned()];
            })
            .await;
            let ana = sign_in(&app, "ana@example.com", 1).await;
            let token = api_token(&app, &ana, "sequences").await.1;
            let written = json_body(send(&app, &token, "POST", "/api/v1/ai/sequence", Some(json!({}))).await, "application/json").await;
            assert_eq!(written["provider"], kept, "{answer:#}: {written:#}");
            let text = written["steps"].to_string();
            assert!(!text.contains("Google") && !text.contains("{job_title}"), "{written:#}");
            if kept == "local" {
                assert!(!written["fallbacks"].as_array().unwrap().is_empty(), "{written:#}");
            } else {
                assert!(text.contains("Kind regards"), "{written:#}");
            }
        }
    }
}
