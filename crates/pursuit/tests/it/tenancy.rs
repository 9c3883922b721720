//! Tenant isolation as a test that keeps itself complete: every operation in the OpenAPI
//! document (the route table) must be listed below, and user B calls each one with user A's
//! ids. An id of A's answers 404, and no response B gets carries anything of A's. A new
//! route that is not listed fails the test until someone decides how it is isolated.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::spawn_app;

/// How a route relates to user data.
enum Access {
    /// Touches no user's data (health, the sign-in requests).
    Public,
    /// Acts on the caller's own data only; called by B with this body.
    Caller(Option<Value>),
    /// Names a resource by id in the path: B calls it with A's id of this kind.
    ById(Fixture, Option<Value>),
    /// Names a resource by id in the JSON body's field: B sends A's id of this kind.
    ByIdInBody(Fixture, &'static str),
    /// Names a resource by id in the query string's parameter: B sends A's id of this kind.
    ByIdInQuery(Fixture, &'static str),
}

#[derive(Clone, Copy)]
enum Fixture {
    ApiToken,
    Task,
    Application,
    Activity,
    View,
    Reminder,
    Import,
    Notification,
    Posting,
    ResumeVersion,
    /// Named by its name, not an id.
    AiProvider,
    Project,
    Document,
    Optimization,
    Company,
    Conversation,
    Contact,
    SequenceTemplate,
    SequenceStep,
    Offer,
    Mailbox,
    Campaign,
    Outreach,
    /// Named by its address.
    Suppression,
    Reply,
    JobSearch,
    DiscoveryRun,
    DiscoveredJob,
}

fn access(method: &str, path: &str) -> Option<Access> {
    Some(match (method, path) {
        ("get", "/healthz" | "/readyz") => Access::Public,
        ("post", "/api/v1/auth/magic-link" | "/api/v1/auth/magic-link/verify") => Access::Public,
        ("get", "/api/v1/auth/me" | "/api/v1/settings" | "/api/v1/tokens" | "/api/v1/audit") => {
            Access::Caller(None)
        }
        ("patch", "/api/v1/settings") => Access::Caller(Some(json!({ "display_name": "Bob" }))),
        ("post", "/api/v1/tokens") => Access::Caller(Some(json!({ "name": "b-token" }))),
        ("post", "/api/v1/auth/logout" | "/api/v1/auth/logout-everywhere") => Access::Caller(None),
        ("delete", "/api/v1/tokens/{id}") => Access::ById(Fixture::ApiToken, None),
        ("get", "/api/v1/tasks/{id}") => Access::ById(Fixture::Task, None),
        ("post", "/api/v1/tasks/{id}/retry") => Access::ById(Fixture::Task, None),
        ("get", "/api/v1/applications" | "/api/v1/tags" | "/api/v1/views") => Access::Caller(None),
        ("post", "/api/v1/views") => {
            Access::Caller(Some(json!({ "name": "Bob's view", "filters": {} })))
        }
        ("put", "/api/v1/views/{id}") => Access::ById(
            Fixture::View,
            Some(json!({ "name": "Taken over", "filters": {} })),
        ),
        ("delete", "/api/v1/views/{id}") => Access::ById(Fixture::View, None),
        ("get", "/api/v1/reminders" | "/api/v1/export") => Access::Caller(None),
        (
            "get",
            "/api/v1/analytics/summary"
            | "/api/v1/analytics/trends"
            | "/api/v1/analytics/source-breakdown"
            | "/api/v1/analytics/stage-conversion"
            | "/api/v1/analytics/time-in-stage",
        ) => Access::Caller(None),
        // Bob naming Alice's application as the parent must be refused (422, no row).
        ("post", "/api/v1/reminders") => Access::Caller(Some(
            json!({ "title": "x", "due_at": "2030-01-01T00:00:00Z" }),
        )),
        ("patch", "/api/v1/reminders/{id}") => {
            Access::ById(Fixture::Reminder, Some(json!({ "canceled": true })))
        }
        ("get" | "delete", "/api/v1/reminders/{id}") => Access::ById(Fixture::Reminder, None),
        ("get", "/api/v1/notifications" | "/api/v1/calendar-feed") => Access::Caller(None),
        ("post" | "delete", "/api/v1/calendar-feed") => Access::Caller(None),
        ("post", "/api/v1/notifications/read-all") => Access::Caller(None),
        ("post", "/api/v1/notifications/{id}/read") => Access::ById(Fixture::Notification, None),
        ("post", "/api/v1/applications") => {
            Access::Caller(Some(json!({ "company": "Bob Co", "role_title": "Chef" })))
        }
        ("get" | "delete", "/api/v1/applications/{id}") => Access::ById(Fixture::Application, None),
        ("patch", "/api/v1/applications/{id}") => Access::ById(
            Fixture::Application,
            Some(json!({ "notes": "bob was here" })),
        ),
        ("get", "/api/v1/applications/{id}/history" | "/api/v1/applications/{id}/activities") => {
            Access::ById(Fixture::Application, None)
        }
        ("put", "/api/v1/applications/{id}/position") => {
            Access::ById(Fixture::Application, Some(json!({ "to": "bottom" })))
        }
        ("post", "/api/v1/applications/{id}/activities") => Access::ById(
            Fixture::Application,
            Some(json!({ "type": "Note", "notes": "bob was here" })),
        ),
        ("get" | "delete", "/api/v1/activities/{id}") => Access::ById(Fixture::Activity, None),
        ("patch", "/api/v1/activities/{id}") => {
            Access::ById(Fixture::Activity, Some(json!({ "notes": "bob was here" })))
        }
        ("post", "/api/v1/imports") => {
            Access::Caller(Some(json!({ "csv": "Company,Role\nBob Co,Chef\n" })))
        }
        ("get" | "delete", "/api/v1/imports/{id}") => Access::ById(Fixture::Import, None),
        ("post", "/api/v1/imports/{id}/confirm") => Access::ById(Fixture::Import, None),
        ("get", "/api/v1/jobs") => Access::Caller(None),
        ("post", "/api/v1/jobs") => {
            Access::Caller(Some(json!({ "text": "Bob's Chef Job\nCook things." })))
        }
        ("get", "/api/v1/jobs/{id}") => Access::ById(Fixture::Posting, None),
        ("post", "/api/v1/jobs/{id}/parse") => Access::ById(Fixture::Posting, None),
        ("get", "/api/v1/jobs/{id}/match") => Access::ById(Fixture::Posting, None),
        ("get", "/api/v1/jobs/{id}/chunk-matches") => Access::ById(Fixture::Posting, None),
        ("get", "/api/v1/search") => Access::Caller(None),
        ("post", "/api/v1/pain-points/generate") => Access::ByIdInBody(Fixture::Posting, "job_id"),
        ("get", "/api/v1/pain-points") => Access::ByIdInQuery(Fixture::Posting, "job_id"),
        ("post", "/api/v1/resume/upload") => Access::Caller(None),
        ("post", "/api/v1/resume/from-text") => {
            Access::Caller(Some(json!({ "text": "Bob Cook\nChef" })))
        }
        ("get", "/api/v1/resume" | "/api/v1/resume/versions") => Access::Caller(None),
        ("patch", "/api/v1/resume") => {
            Access::Caller(Some(json!({ "basics": { "label": "Chef" } })))
        }
        ("get", "/api/v1/resume/versions/{id}" | "/api/v1/resume/versions/{id}/original") => {
            Access::ById(Fixture::ResumeVersion, None)
        }
        ("patch", "/api/v1/resume/versions/{id}") => Access::ById(
            Fixture::ResumeVersion,
            Some(json!({ "basics": { "name": "Bob was here" } })),
        ),
        (
            "post",
            "/api/v1/resume/versions/{id}/activate" | "/api/v1/resume/versions/{id}/parse",
        ) => Access::ById(Fixture::ResumeVersion, None),
        ("delete", "/api/v1/resume/versions/{id}") => Access::ById(Fixture::ResumeVersion, None),
        ("put", "/api/v1/resume/versions/{id}/label") => Access::ById(
            Fixture::ResumeVersion,
            Some(json!({ "label": "bob was here" })),
        ),
        // Guarded by the installation's workflow token, not by a user (off here: 403).
        ("post", "/api/v1/callbacks/resume" | "/api/v1/callbacks/job") => Access::Public,
        // Proven by the provider's signature over the mailbox's key, not by a user
        // (provider_events.rs: no proof, no event, whatever the mailbox).
        ("post", "/webhooks/email-events/{provider}") => Access::Public,
        ("post", "/api/v1/ai/parse-resume" | "/api/v1/ai/parse-job-description") => {
            Access::Caller(Some(json!({ "text": "Bob's text" })))
        }
        ("post", "/api/v1/ai/spam-check") => Access::Caller(Some(json!({ "body": "Hello" }))),
        ("post", "/api/v1/ai/check-claims") => {
            Access::Caller(Some(json!({ "text": "I led a team of 5." })))
        }
        ("post", "/api/v1/ai/pain-point-map" | "/api/v1/ai/job-summary") => {
            Access::ByIdInBody(Fixture::Posting, "job_id")
        }
        // Bob's own resume and preferences (none: a 409 that names nothing of Ana's).
        ("post", "/api/v1/ai/search-terms") => Access::Caller(Some(json!({}))),
        ("get", "/api/v1/ai/calls" | "/api/v1/ai/usage" | "/api/v1/ai/settings") => {
            Access::Caller(None)
        }
        ("patch", "/api/v1/ai/settings") => Access::Caller(Some(json!({ "offline": false }))),
        ("post", "/api/v1/ai/providers/{name}/test") => Access::ById(Fixture::AiProvider, None),
        ("get", "/api/v1/ai/providers") => Access::Caller(None),
        ("get", "/api/v1/job-preferences") => Access::Caller(None),
        ("get" | "put", "/api/v1/profile") => Access::Caller(None),
        ("post", "/api/v1/profile/import") => Access::Caller(Some(
            json!({ "source": "json_resume", "document": { "basics": { "name": "Bob" } } }),
        )),
        ("get", "/api/v1/projects") => Access::Caller(None),
        ("post", "/api/v1/jobs/{id}/cv") => Access::ById(Fixture::Posting, None),
        ("post", "/api/v1/jobs/{id}/cover-letter") => {
            Access::ById(Fixture::Posting, Some(json!({})))
        }
        ("get", "/api/v1/documents") => Access::Caller(None),
        ("post", "/api/v1/documents/{id}/refine") => Access::ById(
            Fixture::Document,
            Some(json!({ "instructions": "Shorter." })),
        ),
        ("post", "/api/v1/jobs/{id}/refine") => Access::ById(
            Fixture::Posting,
            Some(json!({ "instructions": "Shorter." })),
        ),
        ("post", "/api/v1/jobs/{id}/optimize") => Access::ById(Fixture::Posting, Some(json!({}))),
        ("get", "/api/v1/jobs/{id}/optimizations") => Access::ById(Fixture::Posting, None),
        ("get", "/api/v1/optimizations/{id}") => Access::ById(Fixture::Optimization, None),
        ("get", "/api/v1/companies/{id}") => Access::ById(Fixture::Company, None),
        ("patch", "/api/v1/companies/{id}") => Access::ById(
            Fixture::Company,
            Some(json!({ "industry": "bob was here" })),
        ),
        ("post", "/api/v1/companies/{id}/research") => Access::ById(Fixture::Company, None),
        ("get", "/api/v1/contacts") => Access::ByIdInQuery(Fixture::Company, "company_id"),
        ("post", "/api/v1/contacts") => {
            Access::Caller(Some(json!({ "full_name": "Bob's contact" })))
        }
        ("get" | "delete", "/api/v1/contacts/{id}") => Access::ById(Fixture::Contact, None),
        ("patch", "/api/v1/contacts/{id}") => {
            Access::ById(Fixture::Contact, Some(json!({ "notes": "bob was here" })))
        }
        ("get", "/api/v1/applications/{id}/targets") => Access::ById(Fixture::Application, None),
        ("post", "/api/v1/applications/{id}/targets") => Access::ById(
            Fixture::Application,
            Some(json!({ "contact_id": "01a24100-0000-7000-8000-000000000000" })),
        ),
        ("delete", "/api/v1/applications/{id}/targets/{contact_id}") => {
            Access::ById(Fixture::Application, None)
        }
        ("get", "/api/v1/applications/{id}/offer") => Access::ById(Fixture::Application, None),
        ("post", "/api/v1/applications/{id}/offer") => {
            Access::ById(Fixture::Application, Some(json!({})))
        }
        ("get", "/api/v1/offers/{id}") => Access::ById(Fixture::Offer, None),
        ("patch", "/api/v1/offers/{id}") => {
            Access::ById(Fixture::Offer, Some(json!({ "body": "bob was here" })))
        }
        ("post", "/api/v1/ai/sequence") => Access::Caller(Some(json!({ "tone": "casual" }))),
        ("post", "/api/v1/ai/offer") => Access::ByIdInBody(Fixture::Application, "application_id"),
        ("get", "/api/v1/sequence-templates") => Access::Caller(None),
        ("post", "/api/v1/sequence-templates") => {
            Access::Caller(Some(json!({ "name": "Bob's cadence" })))
        }
        ("get", "/api/v1/sequence-templates/{id}/schedule") => {
            Access::ById(Fixture::SequenceTemplate, None)
        }
        ("get" | "delete", "/api/v1/sequence-templates/{id}") => {
            Access::ById(Fixture::SequenceTemplate, None)
        }
        ("patch", "/api/v1/sequence-templates/{id}") => Access::ById(
            Fixture::SequenceTemplate,
            Some(json!({ "name": "bob was here" })),
        ),
        ("patch", "/api/v1/sequence-steps/{id}") => {
            Access::ById(Fixture::SequenceStep, Some(json!({ "label": "bob" })))
        }
        ("get", "/api/v1/replies/{id}") => Access::ById(Fixture::Reply, None),
        ("post", "/api/v1/beta-feedback") => Access::Caller(Some(
            json!({ "answers": { "worked": "Bob's answer" }, "would_pay_at_499": false }),
        )),
        ("get", "/api/v1/beta-feedback/summary") => Access::Caller(None),
        ("get", "/api/v1/analytics/campaigns/{id}") => Access::ById(Fixture::Campaign, None),
        (
            "get",
            "/api/v1/analytics/overview"
            | "/api/v1/analytics/deliverability"
            | "/api/v1/analytics/attribution",
        ) => Access::Caller(None),
        ("get", "/api/v1/mailboxes/{id}/health" | "/api/v1/mailboxes/{id}/dns") => {
            Access::ById(Fixture::Mailbox, None)
        }
        (
            "post",
            "/api/v1/replies/{id}/apply"
            | "/api/v1/replies/{id}/undo"
            | "/api/v1/replies/{id}/dismiss",
        ) => Access::ById(Fixture::Reply, None),
        (
            "get",
            "/api/v1/mailboxes" | "/api/v1/campaigns" | "/api/v1/suppressions" | "/api/v1/replies",
        ) => Access::Caller(None),
        ("post", "/api/v1/mailboxes") => Access::Caller(Some(json!({
            "from_name": "Bob", "from_address": "bob.box@example.org", "smtp_host": "127.0.0.1", "smtp_port": 9
        }))),
        ("get" | "delete", "/api/v1/mailboxes/{id}") => Access::ById(Fixture::Mailbox, None),
        ("patch", "/api/v1/mailboxes/{id}") => Access::ById(
            Fixture::Mailbox,
            Some(json!({ "from_name": "bob was here" })),
        ),
        (
            "post",
            "/api/v1/mailboxes/{id}/verify"
            | "/api/v1/mailboxes/{id}/pause"
            | "/api/v1/mailboxes/{id}/resume",
        ) => Access::ById(Fixture::Mailbox, None),
        ("put", "/api/v1/mailboxes/{id}/warmup") => {
            Access::ById(Fixture::Mailbox, Some(json!({ "enabled": false })))
        }
        ("post", "/api/v1/campaigns") => Access::Caller(Some(json!({ "name": "Bob's campaign" }))),
        (
            "get" | "delete",
            "/api/v1/campaigns/{id}"
            | "/api/v1/campaigns/{id}/sequence"
            | "/api/v1/campaigns/{id}/summary"
            | "/api/v1/campaigns/{id}/preview"
            | "/api/v1/campaigns/{id}/outreach",
        ) => Access::ById(Fixture::Campaign, None),
        ("patch", "/api/v1/campaigns/{id}") => {
            Access::ById(Fixture::Campaign, Some(json!({ "name": "bob was here" })))
        }
        ("post", "/api/v1/campaigns/{id}/launch" | "/api/v1/campaigns/{id}/stop") => {
            Access::ById(Fixture::Campaign, None)
        }
        ("post", "/api/v1/campaigns/{id}/targets") => Access::ById(
            Fixture::Campaign,
            Some(
                json!({ "application_id": "01a24100-0000-7000-8000-000000000000", "contact_id": "01a24100-0000-7000-8000-000000000000" }),
            ),
        ),
        ("delete", "/api/v1/campaigns/{id}/targets/{target_id}") => {
            Access::ById(Fixture::Campaign, None)
        }
        ("post", "/api/v1/outreach/{id}/settle") => {
            Access::ById(Fixture::Outreach, Some(json!({ "action": "sent" })))
        }
        ("post", "/api/v1/suppressions") => {
            Access::Caller(Some(json!({ "email": "someone@example.net" })))
        }
        ("delete", "/api/v1/suppressions/{email}") => Access::ById(Fixture::Suppression, None),
        ("get", "/api/v1/conversations") => Access::Caller(None),
        ("post", "/api/v1/conversations") => Access::Caller(Some(json!({}))),
        ("get" | "delete", "/api/v1/conversations/{id}" | "/api/v1/conversations/{id}/ws") => {
            Access::ById(Fixture::Conversation, None)
        }
        ("post", "/api/v1/conversations/{id}/messages") => Access::ById(
            Fixture::Conversation,
            Some(json!({ "content": "What is my match?" })),
        ),
        ("post", "/api/v1/ai/company-research") => {
            Access::ByIdInBody(Fixture::Company, "company_id")
        }
        ("get", "/api/v1/applications/{id}/materials") => Access::ById(Fixture::Application, None),
        ("put", "/api/v1/applications/{id}/materials") => {
            Access::ById(Fixture::Application, Some(json!({})))
        }
        ("get" | "delete", "/api/v1/documents/{id}" | "/api/v1/documents/{id}/export") => {
            Access::ById(Fixture::Document, None)
        }
        ("patch", "/api/v1/documents/{id}") => {
            Access::ById(Fixture::Document, Some(json!({ "title": "bob was here" })))
        }
        ("post", "/api/v1/projects") => Access::Caller(Some(json!({ "title": "Bob's project" }))),
        ("get" | "delete", "/api/v1/projects/{id}") => Access::ById(Fixture::Project, None),
        ("patch", "/api/v1/projects/{id}") => {
            Access::ById(Fixture::Project, Some(json!({ "title": "bob was here" })))
        }
        ("put", "/api/v1/job-preferences") => {
            Access::Caller(Some(json!({ "titles": ["Bob's title"] })))
        }
        ("post", "/api/v1/ai/providers") => Access::Caller(Some(json!({
            "name": "bob-provider", "kind": "openai", "url": "https://bob.example.com", "model": "bob-model"
        }))),
        ("get" | "delete", "/api/v1/ai/providers/{name}") => {
            Access::ById(Fixture::AiProvider, None)
        }
        ("patch", "/api/v1/ai/providers/{name}") => Access::ById(
            Fixture::AiProvider,
            Some(json!({ "model": "bob was here" })),
        ),
        ("get", "/api/v1/discovery/searches" | "/api/v1/discovery/jobs") => Access::Caller(None),
        ("post", "/api/v1/discovery/searches") => Access::Caller(Some(
            json!({ "name": "Bob's search", "sources": ["remotive"], "enabled": false }),
        )),
        ("get" | "delete", "/api/v1/discovery/searches/{id}") => {
            Access::ById(Fixture::JobSearch, None)
        }
        ("put", "/api/v1/discovery/searches/{id}") => Access::ById(
            Fixture::JobSearch,
            Some(json!({ "name": "bob was here", "sources": ["remotive"] })),
        ),
        ("post", "/api/v1/discovery/searches/{id}/run") => Access::ById(Fixture::JobSearch, None),
        ("get", "/api/v1/discovery/runs") => Access::ByIdInQuery(Fixture::JobSearch, "search_id"),
        ("get", "/api/v1/discovery/runs/{id}") => Access::ById(Fixture::DiscoveryRun, None),
        ("get", "/api/v1/discovery/jobs/{id}") | ("post", "/api/v1/discovery/jobs/{id}/save") => {
            Access::ById(Fixture::DiscoveredJob, None)
        }
        ("post", "/api/v1/discovery/jobs/{id}/dismiss") => {
            Access::ById(Fixture::DiscoveredJob, Some(json!({ "dismissed": true })))
        }
        _ => return None,
    })
}

both_backends! {
    async fn no_route_lets_one_user_reach_anothers_data(backend: Backend) {
        let app = spawn_app(backend).await;
        let alice = sign_in(&app, "alice@example.org", 1).await;
        let (alice_token_id, alice_secret) = api_token(&app, &alice, "alice-secret-token").await;
        app.client.patch(app.url("/api/v1/settings")).bearer_auth(&alice_secret)
            .json(&json!({ "display_name": "Alice Privatename" })).send().await.unwrap();
        let alice_me: Value = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&alice_secret)
            .send().await.unwrap().json().await.unwrap();
        let alice_id = alice_me["user"]["id"].as_str().unwrap().to_owned();
        // A task of Alice's: the mail job of a sign-in link she asks for while known.
        crate::auth::request_link(&app, "alice@example.org").await;
        let alice_task: uuid::Uuid = app.db
            .fetch_one(pursuit_store::query("SELECT id FROM jobs WHERE user_id = $1")
                .bind(uuid::Uuid::parse_str(&alice_id).unwrap()))
            .await.unwrap().get("id").unwrap();
        let alice_task = alice_task.to_string();
        let own_task = app.client.get(app.url(&format!("/api/v1/tasks/{alice_task}"))).bearer_auth(&alice_secret).send().await.unwrap();
        assert_eq!(own_task.status(), StatusCode::OK, "Alice sees her own task");
        let alice_app: Value = app.client.post(app.url("/api/v1/applications")).bearer_auth(&alice_secret)
            .json(&json!({ "company": "Alice Secret Employer", "role_title": "Astronaut" }))
            .send().await.unwrap().json().await.unwrap();
        let alice_application = alice_app["id"].as_str().unwrap().to_owned();
        let alice_act: Value = app.client.post(app.url(&format!("/api/v1/applications/{alice_application}/activities")))
            .bearer_auth(&alice_secret)
            .json(&json!({ "type": "Note", "notes": "Alice's private interview notes" }))
            .send().await.unwrap().json().await.unwrap();
        let alice_activity = alice_act["id"].as_str().unwrap().to_owned();
        let alice_v: Value = app.client.post(app.url("/api/v1/views")).bearer_auth(&alice_secret)
            .json(&json!({ "name": "Alice's secret search", "filters": { "q": "moonshot" } }))
            .send().await.unwrap().json().await.unwrap();
        let alice_view = alice_v["id"].as_str().unwrap().to_owned();
        // Creating the application planned Alice's follow-up reminder.
        let alice_r: Value = app.client.get(app.url("/api/v1/reminders")).bearer_auth(&alice_secret)
            .send().await.unwrap().json().await.unwrap();
        let alice_reminder = alice_r["items"][0]["id"].as_str().unwrap().to_owned();
        let alice_notification = pursuit_domain::ids::NotificationId::new();
        app.db.execute(pursuit_store::query("INSERT INTO notifications (id, user_id, reminder_id, application_id, title, body, link, read_at, created_at, expires_at) \
            VALUES ($1, $2, $3, NULL, 'Alice secret notification', '', NULL, NULL, $4, $5)")
            .bind(alice_notification).bind(uuid::Uuid::parse_str(&alice_id).unwrap()).bind(uuid::Uuid::parse_str(&alice_reminder).unwrap())
            .bind(jiff::Timestamp::now()).bind(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1))).await.unwrap();
        let alice_notification = alice_notification.0.to_string();
        let alice_i: Value = app.client.post(app.url("/api/v1/imports")).bearer_auth(&alice_secret)
            .json(&json!({ "csv": "Company,Role\nAlice Imported Secret,Astronaut\n" }))
            .send().await.unwrap().json().await.unwrap();
        let alice_import = alice_i["id"].as_str().unwrap().to_owned();
        let alice_p: Value = app.client.post(app.url("/api/v1/jobs")).bearer_auth(&alice_secret)
            .json(&json!({ "text": "Alice Secret Posting\nAbout Alice Hidden Corp", "company": "Alice Hidden Corp" }))
            .send().await.unwrap().json().await.unwrap();
        let alice_posting = alice_p["id"].as_str().unwrap().to_owned();
        let alice_company = alice_p["company"]["id"].as_str().unwrap().to_owned();
        let alice_rv: Value = app.client.post(app.url("/api/v1/resume/from-text")).bearer_auth(&alice_secret)
            .json(&json!({ "text": "Alice Secret Resume\nalice.resume@example.org" }))
            .send().await.unwrap().json().await.unwrap();
        let alice_resume = alice_rv["id"].as_str().unwrap().to_owned();
        let alice_pr = app.client.post(app.url("/api/v1/ai/providers")).bearer_auth(&alice_secret)
            .json(&json!({ "name": "alice-provider", "kind": "openai", "url": "https://alice-secret-host.example.com", "model": "Alice Secret Model", "api_key": "sk-alice-secret-key-000" }))
            .send().await.unwrap();
        assert_eq!(alice_pr.status(), StatusCode::CREATED);
        let alice_pj: Value = app.client.post(app.url("/api/v1/projects")).bearer_auth(&alice_secret)
            .json(&json!({ "title": "Alice Secret Project", "description": "Alice's hidden work" }))
            .send().await.unwrap().json().await.unwrap();
        let alice_project = alice_pj["id"].as_str().unwrap().to_owned();
        app.client.put(app.url("/api/v1/profile")).bearer_auth(&alice_secret)
            .json(&json!({ "headline": "Alice Secret Headline" })).send().await.unwrap();
        // Alice's CV needs her posting and resume read (the worker reads them).
        let mut alice_document = String::new();
        for _ in 0..200 {
            let response = app.client.post(app.url(&format!("/api/v1/jobs/{alice_posting}/cv"))).bearer_auth(&alice_secret)
                .send().await.unwrap();
            if response.status() == StatusCode::CREATED {
                let created: Value = response.json().await.unwrap();
                alice_document = created["id"].as_str().unwrap().to_owned();
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(!alice_document.is_empty(), "Alice's CV was not made");
        let alice_o: Value = app.client.post(app.url(&format!("/api/v1/jobs/{alice_posting}/optimize"))).bearer_auth(&alice_secret)
            .json(&json!({})).send().await.unwrap().json().await.unwrap();
        let alice_optimization = alice_o["id"].as_str().unwrap().to_owned();
        let alice_c: Value = app.client.post(app.url("/api/v1/conversations")).bearer_auth(&alice_secret)
            .json(&json!({ "job_id": alice_posting, "title": "Alice Secret Chat" })).send().await.unwrap().json().await.unwrap();
        let alice_conversation = alice_c["id"].as_str().unwrap().to_owned();
        let alice_k: Value = app.client.post(app.url("/api/v1/contacts")).bearer_auth(&alice_secret)
            .json(&json!({ "full_name": "Alice Secret Contact", "email": "alice.contact@example.org", "company_id": alice_company }))
            .send().await.unwrap().json().await.unwrap();
        let alice_contact = alice_k["id"].as_str().unwrap().to_owned();
        let alice_s: Value = app.client.post(app.url("/api/v1/sequence-templates")).bearer_auth(&alice_secret)
            .json(&json!({ "name": "Alice Secret Cadence" })).send().await.unwrap().json().await.unwrap();
        let alice_sequence = alice_s["id"].as_str().unwrap().to_owned();
        let alice_step = alice_s["steps"][0]["id"].as_str().unwrap().to_owned();
        let alice_of: Value = app.client.post(app.url(&format!("/api/v1/applications/{}/offer", alice_p["application_id"].as_str().unwrap())))
            .bearer_auth(&alice_secret).json(&json!({})).send().await.unwrap().json().await.unwrap();
        let alice_offer = alice_of["id"].as_str().unwrap_or_else(|| panic!("Alice's pitch: {alice_of}")).to_owned();
        // Alice's outreach: a mailbox (not tried), a one-email sequence, a launched campaign.
        let alice_mb: Value = app.client.post(app.url("/api/v1/mailboxes?verify=false")).bearer_auth(&alice_secret)
            .json(&json!({ "from_name": "Alice Sender", "from_address": "alice.box@example.org", "smtp_host": "127.0.0.1", "smtp_port": 9, "smtp_security": "none" }))
            .send().await.unwrap().json().await.unwrap();
        let alice_mailbox = alice_mb["id"].as_str().unwrap_or_else(|| panic!("Alice's mailbox: {alice_mb}")).to_owned();
        let alice_s1: Value = app.client.post(app.url("/api/v1/sequence-templates")).bearer_auth(&alice_secret)
            .json(&json!({ "name": "Alice One Note", "steps": [{ "label": "Intro", "offset_days": 0, "subject": "{role} at {company}", "body": "Hi {first_name}, I would like to talk about the {role} role at {company}. Would a short call next week suit you? Thank you, {my_name}" }] }))
            .send().await.unwrap().json().await.unwrap();
        let alice_cp: Value = app.client.post(app.url("/api/v1/campaigns")).bearer_auth(&alice_secret)
            .json(&json!({ "name": "Alice Secret Campaign", "template_id": alice_s1["id"], "mailbox_id": alice_mailbox }))
            .send().await.unwrap().json().await.unwrap();
        let alice_campaign = alice_cp["id"].as_str().unwrap_or_else(|| panic!("Alice's campaign: {alice_cp}")).to_owned();
        let alice_ct: Value = app.client.post(app.url(&format!("/api/v1/campaigns/{alice_campaign}/targets"))).bearer_auth(&alice_secret)
            .json(&json!({ "application_id": alice_p["application_id"], "contact_id": alice_contact }))
            .send().await.unwrap().json().await.unwrap();
        let alice_target = alice_ct["targets"][0]["id"].as_str().unwrap_or_else(|| panic!("Alice's target: {alice_ct}")).to_owned();
        let launched = app.client.post(app.url(&format!("/api/v1/campaigns/{alice_campaign}/launch"))).bearer_auth(&alice_secret)
            .send().await.unwrap();
        assert_eq!(launched.status(), StatusCode::OK, "{}", launched.text().await.unwrap());
        let alice_em: Value = app.client.get(app.url(&format!("/api/v1/campaigns/{alice_campaign}/outreach"))).bearer_auth(&alice_secret)
            .send().await.unwrap().json().await.unwrap();
        let alice_email = alice_em["items"][0]["id"].as_str().unwrap().to_owned();
        let suppressed = app.client.post(app.url("/api/v1/suppressions")).bearer_auth(&alice_secret)
            .json(&json!({ "email": "alice.suppressed@example.org" })).send().await.unwrap();
        assert_eq!(suppressed.status(), StatusCode::NO_CONTENT);
        // Alice's reply: what her mailbox's reading would keep (written as the reader does).
        let alice_reply = pursuit_domain::ids::ReplyId::new();
        let now = jiff::Timestamp::now();
        pursuit_store::replies::insert_reply(&app.db, &pursuit_store::replies::ReplyRow {
            id: alice_reply,
            user_id: pursuit_domain::ids::UserId(alice_id.parse().unwrap()),
            mailbox_id: pursuit_domain::ids::MailboxId(alice_mailbox.parse().unwrap()),
            outreach_id: Some(pursuit_domain::ids::OutreachId(alice_email.parse().unwrap())),
            application_id: Some(pursuit_domain::ids::ApplicationId(alice_p["application_id"].as_str().unwrap().parse().unwrap())),
            message_key: "alice-reply@example.org".to_owned(),
            kind: "reply".to_owned(),
            intent: Some("interview_request".to_owned()),
            confidence: Some(0.5),
            from_address: Some("alice.contact@example.org".to_owned()),
            from_name: Some("Alice Secret Contact".to_owned()),
            subject: "Alice Secret Reply".to_owned(),
            body: "Alice Secret Reply Body".to_owned(),
            detail: None,
            received_at: now,
            suggested_status: Some("Recruiter_Call".to_owned()),
            state: "new".to_owned(),
            previous_status: None,
            created_at: now,
            updated_at: now,
        }).await.unwrap();
        let alice_reply = alice_reply.0.to_string();
        // Alice's discovery: a search (never run on its own), a run of it, a job it found.
        let alice_js: Value = app.client.post(app.url("/api/v1/discovery/searches")).bearer_auth(&alice_secret)
            .json(&json!({ "name": "Alice Secret Search", "links": ["http://127.0.0.1:9/alice-feed.xml"], "enabled": false }))
            .send().await.unwrap().json().await.unwrap();
        let alice_search = alice_js["id"].as_str().unwrap_or_else(|| panic!("Alice's search: {alice_js}")).to_owned();
        let alice_dr: Value = app.client.post(app.url(&format!("/api/v1/discovery/searches/{alice_search}/run"))).bearer_auth(&alice_secret)
            .send().await.unwrap().json().await.unwrap();
        let alice_run = alice_dr["id"].as_str().unwrap().to_owned();
        let alice_job = pursuit_domain::ids::DiscoveredJobId::new();
        pursuit_store::discovery::insert_jobs(&app.db, &[pursuit_store::discovery::JobRow {
            id: alice_job,
            user_id: pursuit_domain::ids::UserId(alice_id.parse().unwrap()),
            search_id: Some(pursuit_domain::ids::JobSearchId(alice_search.parse().unwrap())),
            key: "alice|secret".to_owned(),
            company_key: "alice".to_owned(),
            company_head: "alice".to_owned(),
            canonical_url: "https://alice.example/job".to_owned(),
            url: "https://alice.example/job".to_owned(),
            title: "Alice Secret Discovered Job".to_owned(),
            company: "Alice Hidden Corp".to_owned(),
            description: "Alice Secret Discovered Text".to_owned(),
            status: "new".to_owned(),
            first_seen_at: now,
            last_seen_at: now,
            updated_at: now,
            ..Default::default()
        }]).await.unwrap();
        let alice_job = alice_job.0.to_string();
        let bob = sign_in(&app, "bob@example.org", 1).await;
        let (_, bob_secret) = api_token(&app, &bob, "bob-token").await;
        let alice_marks = [alice_resume.as_str(), "Alice Secret Resume", "alice.resume@example.org", alice_posting.as_str(), "Alice Secret Posting", "Alice Hidden Corp", alice_import.as_str(), "Alice Imported Secret", alice_id.as_str(), "alice@example.org", "Alice Privatename", alice_token_id.as_str(), "alice-secret-token", alice_task.as_str(), alice_application.as_str(), "Alice Secret Employer", alice_activity.as_str(), "Alice's private interview notes", alice_view.as_str(), "Alice's secret search", alice_reminder.as_str(), "Alice Secret Employer", alice_notification.as_str(), "Alice secret notification", "alice-secret-host", "Alice Secret Model", "sk-alice-secret-key-000", "Alice Secret Project", "Alice's hidden work", alice_project.as_str(), "Alice Secret Headline", alice_document.as_str(), alice_optimization.as_str(), alice_company.as_str(), alice_conversation.as_str(), "Alice Secret Chat", alice_contact.as_str(), "Alice Secret Contact", "alice.contact@example.org", alice_sequence.as_str(), "Alice Secret Cadence", alice_step.as_str(), alice_offer.as_str(), alice_mailbox.as_str(), "alice.box@example.org", "Alice Sender", alice_campaign.as_str(), "Alice Secret Campaign", alice_target.as_str(), alice_email.as_str(), "alice.suppressed@example.org", alice_reply.as_str(), "Alice Secret Reply", alice_search.as_str(), "Alice Secret Search", "alice-feed", alice_run.as_str(), alice_job.as_str(), "Alice Secret Discovered"];
        let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();

        let alice_id_of = |fixture: Fixture| match fixture {
            Fixture::ApiToken => alice_token_id.as_str(),
            Fixture::Task => alice_task.as_str(),
            Fixture::Application => alice_application.as_str(),
            Fixture::Activity => alice_activity.as_str(),
            Fixture::View => alice_view.as_str(),
            Fixture::Reminder => alice_reminder.as_str(),
            Fixture::Import => alice_import.as_str(),
            Fixture::Notification => alice_notification.as_str(),
            Fixture::Posting => alice_posting.as_str(),
            Fixture::ResumeVersion => alice_resume.as_str(),
            Fixture::AiProvider => "alice-provider",
            Fixture::Project => alice_project.as_str(),
            Fixture::Document => alice_document.as_str(),
            Fixture::Optimization => alice_optimization.as_str(),
            Fixture::Company => alice_company.as_str(),
            Fixture::Conversation => alice_conversation.as_str(),
            Fixture::Contact => alice_contact.as_str(),
            Fixture::SequenceTemplate => alice_sequence.as_str(),
            Fixture::SequenceStep => alice_step.as_str(),
            Fixture::Offer => alice_offer.as_str(),
            Fixture::Mailbox => alice_mailbox.as_str(),
            Fixture::Campaign => alice_campaign.as_str(),
            Fixture::Outreach => alice_email.as_str(),
            Fixture::Suppression => "alice.suppressed@example.org",
            Fixture::Reply => alice_reply.as_str(),
            Fixture::JobSearch => alice_search.as_str(),
            Fixture::DiscoveryRun => alice_run.as_str(),
            Fixture::DiscoveredJob => alice_job.as_str(),
        };
        let mut uncovered = Vec::new();
        let mut checked = 0;
        for (path, operations) in document["paths"].as_object().unwrap() {
            for method in operations.as_object().unwrap().keys() {
                let Some(access) = access(method, path) else {
                    uncovered.push(format!("{} {path}", method.to_uppercase()));
                    continue;
                };
                let (url_path, body, expect_not_found) = match access {
                    Access::Public => continue,
                    Access::Caller(body) => (path.clone(), body, false),
                    Access::ById(fixture, body) => {
                        let id = alice_id_of(fixture);
                        let path = path.replace("{id}", id).replace("{name}", id).replace("{email}", id);
                        let path = path.replace("{target_id}", &alice_target);
                        (path.replace("{contact_id}", &alice_contact), body, true)
                    }
                    Access::ByIdInBody(fixture, field) => {
                        (path.clone(), Some(json!({ field: alice_id_of(fixture) })), true)
                    }
                    Access::ByIdInQuery(fixture, name) => {
                        (format!("{path}?{name}={}", alice_id_of(fixture)), None, true)
                    }
                };
                let mut request = app.client
                    .request(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(), app.url(&url_path))
                    .bearer_auth(&bob_secret);
                if let Some(body) = body {
                    request = request.json(&body);
                }
                if expect_not_found {
                    // Alice's objects are at version 1: a route that skipped the owner check
                    // would let this write through.
                    request = request.header("if-match", "W/\"1\"");
                }
                let response = request.send().await.unwrap();
                let status = response.status();
                let text = response.text().await.unwrap();
                // Another user's ids and Bob's own calls are ordinary input: never a 5xx.
                assert!(!status.is_server_error(), "{method} {url_path} answered {status} to Bob: {text}");
                if expect_not_found {
                    assert_eq!(status, StatusCode::NOT_FOUND, "{method} {url_path} with Alice's id: {text}");
                }
                // The problem's `instance` repeats the path Bob sent; that is his own input.
                let text = text.replace(&url_path, "");
                for mark in alice_marks {
                    assert!(!text.contains(mark), "{method} {url_path} showed Bob Alice's {mark:?}: {text}");
                }
                checked += 1;
            }
        }

        assert!(uncovered.is_empty(), "routes missing from the tenant matrix in tenancy.rs: {uncovered:?}");
        assert!(checked >= 8, "only {checked} routes were checked");
        let alice_after: Value = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&alice_secret)
            .send().await.unwrap().json().await.unwrap();
        assert_eq!(alice_after["user"]["display_name"], "Alice Privatename", "Bob changed nothing of Alice's");
        let alice_provider: Value = app.client.get(app.url("/api/v1/ai/providers/alice-provider")).bearer_auth(&alice_secret)
            .send().await.unwrap().json().await.unwrap();
        assert_eq!(alice_provider["model"], "Alice Secret Model", "Bob changed or removed Alice's provider");
        let alice_session = app.client.get(app.url("/api/v1/auth/me")).header("cookie", &alice.cookie).send().await.unwrap();
        assert_eq!(alice_session.status(), StatusCode::OK, "Bob's logouts ended none of Alice's sessions");
    }
}

both_backends! {
    async fn a_reminder_cannot_hang_on_another_users_application(backend: Backend) {
        let app = spawn_app(backend).await;
        let alice = sign_in(&app, "alice2@example.org", 1).await;
        let (_, alice_secret) = api_token(&app, &alice, "a").await;
        let bob = sign_in(&app, "bob2@example.org", 1).await;
        let (_, bob_secret) = api_token(&app, &bob, "b").await;
        let alice_app: Value = app.client.post(app.url("/api/v1/applications")).bearer_auth(&alice_secret)
            .json(&json!({ "company": "Alice Co", "role_title": "Pilot" })).send().await.unwrap().json().await.unwrap();

        let response = app.client.post(app.url("/api/v1/reminders")).bearer_auth(&bob_secret)
            .json(&json!({ "application_id": alice_app["id"], "title": "spy", "due_at": "2030-01-01T00:00:00Z" }))
            .send().await.unwrap();

        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bob_reminders: Value = app.client.get(app.url("/api/v1/reminders")).bearer_auth(&bob_secret)
            .send().await.unwrap().json().await.unwrap();
        assert_eq!(bob_reminders["items"], json!([]));
    }
}
