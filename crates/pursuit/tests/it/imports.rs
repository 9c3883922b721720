//! CSV import on both backends: preview with line-numbered problems, confirmation that
//! writes the good rows once (history `by: import`), duplicates skipped, our own export read
//! back, and bad uploads answered with problems.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, json_body, spawn_app};

async fn token(app: &TestApp, email: &str) -> String {
    let browser = sign_in(app, email, 1).await;
    api_token(app, &browser, "import").await.1
}

async fn upload(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/imports"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn confirm(app: &TestApp, token: &str, id: &str, body: Option<Value>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/api/v1/imports/{id}/confirm")))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.json().await.unwrap()
}

/// A Teal-style board export with one of each kind of row. Line numbers: the header is 1;
/// the quoted note on line 3 spans two lines.
const BOARD: &str = "Company,Job Position,Status,Date Saved,Date Applied,Excitement,Salary,Notes,Tags\r\n\
Initech,Platform Engineer,Applied,01/02/2026,01/03/2026,4,$140k-$160k,,backend\r\n\
Globex,SRE,Interviewing,01/04/2026,,3,Competitive,\"Met Hank;\nnext: onsite\",\"infra,oncall\"\r\n\
,Designer,Applied,01/05/2026,,,,,\r\n\
Hooli,Data Engineer,Maybe later,01/05/2026,,,,,\r\n\
Umbrella,Chemist,Applied,01/06/2026,13/45/2026,,,,\r\n\
initech,platform engineer,Applied,01/02/2026,01/03/2026,,,,\r\n\
Existing Co,Writer,Applied,,2026-01-07,,,,\r\n";

/// A Huntr-style export (the list as status, the card's creation date, no applied date)
/// and a Teal-style one (its posting URL column): rows already tracked under another date
/// or spelling are recognised.
const HUNTR: &str = "Company,Job Title,List,Date Created,Location\n\
Initech Inc.,Platform Engineer,Wishlist,2026-01-20,Remote\n\
Hooli,Data Engineer,Applied,2026-01-21,\"Dublin, Ireland\"\n";
const TEAL: &str = "Company,Job Position,Job Posting URL,Status,Date Saved\n\
Globex,SRE,https://jobs.example/globex/7?utm_source=teal,Bookmarked,01/22/2026\n\
Umbrella,Chemist,https://jobs.example/umbrella/9,Bookmarked,01/22/2026\n";

both_backends! {
    async fn a_board_export_is_previewed_then_imported_once(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = token(&app, "importer@example.org").await;
        let existing = app.client.post(app.url("/api/v1/applications")).bearer_auth(&me)
            .json(&json!({ "company": "Existing Co", "role_title": "Writer", "application_date": "2026-01-07" }))
            .send().await.unwrap();
        assert_eq!(existing.status(), StatusCode::CREATED);

        let response = upload(&app, &me, json!({ "csv": BOARD, "filename": "teal.csv" })).await;

        assert_eq!(response.status(), StatusCode::CREATED);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let preview: Value = response.json().await.unwrap();
        let id = preview["id"].as_str().unwrap().to_owned();
        assert_eq!(location, format!("/api/v1/imports/{id}"));
        assert_eq!(preview["status"], "previewed");
        assert_eq!(preview["format"], "teal");
        assert_eq!(preview["counts"], json!({ "rows": 7, "ready": 2, "invalid": 3, "duplicates": 2 }));
        let problems: Vec<(u64, &str)> = preview["invalid_rows"].as_array().unwrap().iter()
            .map(|p| (p["line"].as_u64().unwrap(), p["field"].as_str().unwrap())).collect();
        assert_eq!(problems, [(5, "company"), (6, "status"), (7, "application_date")]);
        let duplicate_lines: Vec<u64> = preview["duplicates"].as_array().unwrap().iter()
            .map(|d| d["line"].as_u64().unwrap()).collect();
        assert_eq!(duplicate_lines, [8, 9]);
        assert!(preview["duplicates"][0]["message"].as_str().unwrap().contains("line 2"));
        assert!(preview["duplicates"][1]["message"].as_str().unwrap().contains("already in the tracker"));
        let interviewing = preview["statuses"].as_array().unwrap().iter()
            .find(|s| s["value"] == "Interviewing").unwrap();
        assert_eq!(interviewing["status"], "Interview_Loop");
        assert_eq!(preview["sample"][1]["notes"], "Met Hank;\nnext: onsite\nSalary: Competitive");
        assert_eq!(preview["warnings"][0]["line"], 3);
        let listed = get(&app, &me, "/api/v1/applications").await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "a preview writes nothing");

        let done = confirm(&app, &me, &id, None).await;
        assert_eq!(done.status(), StatusCode::OK);
        let report: Value = done.json().await.unwrap();
        assert_eq!(report["status"], "committed");
        assert_eq!(report["result"], json!({ "created": 2, "reminders_planned": 0, "skipped_invalid": 3, "skipped_duplicates": 2 }));

        let again: Value = confirm(&app, &me, &id, Some(json!({ "plan_reminders": true }))).await.json().await.unwrap();
        assert_eq!(again, report, "a second confirmation replays the report");
        assert_eq!(get(&app, &me, &format!("/api/v1/imports/{id}")).await, report);
        let listed = get(&app, &me, "/api/v1/applications?sort=company").await;
        let items = listed["items"].as_array().unwrap();
        assert_eq!(items.len(), 3, "two imported, once");
        let initech = items.iter().find(|a| a["company"] == "Initech").unwrap();
        assert_eq!(initech["application_date"], "2026-01-03");
        assert_eq!(initech["priority"], "High");
        assert_eq!((initech["salary_min"].as_i64(), initech["salary_max"].as_i64()), (Some(140_000), Some(160_000)));
        assert_eq!(initech["salary_currency"], "USD");
        assert_eq!(initech["tags"], json!(["backend"]));
        let globex = items.iter().find(|a| a["company"] == "Globex").unwrap();
        assert_eq!(globex["status"], "Interview_Loop");
        assert_eq!(globex["application_date"], "2026-01-04");
        let history = get(&app, &me, &format!("/api/v1/applications/{}/history", globex["id"].as_str().unwrap())).await;
        assert_eq!(history["items"][0]["by"], "import");
        assert_eq!(history["items"][0]["to"], "Interview_Loop");
        let reminders = get(&app, &me, "/api/v1/reminders").await;
        assert_eq!(reminders["items"].as_array().unwrap().len(), 1, "only the application created by hand planned one");
    }

    async fn our_own_csv_export_imports_into_another_account(backend: Backend) {
        let app = spawn_app(backend).await;
        let alice = token(&app, "leaving@example.org").await;
        for body in [
            json!({ "company": "=cmd|' /C calc'!A0", "role_title": "Tester, QA", "status": "On_Hold",
                    "application_date": "2025-12-24", "priority": "Medium", "location_mode": "hybrid",
                    "location_text": "Zürich", "salary_min": 90000, "salary_max": 110000, "salary_currency": "CHF",
                    "tags": ["a tag", "zeta"], "next_action": "Call back", "next_action_due": "2026-01-10T08:30:00Z",
                    "notes": "Line one\n\"quoted\", with comma" }),
            json!({ "company": "Plain", "role_title": "Dev", "archived_at": "2026-01-02T03:04:05Z" }),
        ] {
            let created = app.client.post(app.url("/api/v1/applications")).bearer_auth(&alice).json(&body).send().await.unwrap();
            assert_eq!(created.status(), StatusCode::CREATED);
        }
        let csv = app.client.get(app.url("/api/v1/export?format=csv")).bearer_auth(&alice)
            .send().await.unwrap().text().await.unwrap();
        let bob = token(&app, "arriving@example.org").await;

        let response = app.client.post(app.url("/api/v1/imports?filename=pursuit.csv"))
            .bearer_auth(&bob).header("content-type", "text/csv").body(csv).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let preview: Value = response.json().await.unwrap();
        assert_eq!(preview["format"], "pursuit");
        assert_eq!(preview["filename"], "pursuit.csv");
        assert_eq!(preview["counts"]["ready"], 2, "{preview}");
        let id_column = preview["columns"].as_array().unwrap().iter().find(|c| c["header"] == "id").unwrap();
        assert_eq!(id_column["field"], Value::Null, "ids are not carried over");
        confirm(&app, &bob, preview["id"].as_str().unwrap(), None).await;

        let mut theirs = get(&app, &alice, "/api/v1/export").await["applications"].as_array().unwrap().clone();
        let mut mine = get(&app, &bob, "/api/v1/export").await["applications"].as_array().unwrap().clone();
        let keep = |a: &mut Vec<Value>| {
            for item in a.iter_mut() {
                let object = item.as_object_mut().unwrap();
                for volatile in ["id", "version", "created_at", "updated_at", "status_history", "activities"] {
                    object.remove(volatile);
                }
            }
            a.sort_by_key(|v| v["company"].as_str().unwrap().to_owned());
        };
        keep(&mut theirs);
        keep(&mut mine);
        // The CSV carries the main fields; the rest stay at their defaults on both sides.
        assert_eq!(mine, theirs);
    }

    async fn a_large_file_is_written_in_batches_without_losing_a_row_or_tag(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = token(&app, "bulk@example.org").await;
        let mut csv = String::from("Company,Role,Status,Tags\n");
        for i in 0..250 {
            csv.push_str(&format!("Company {i},Role {i},{},\"a{}, b{}, shared\"\n", ["Applied", "Offer"][i % 2], i % 7, i % 11));
        }
        let preview: Value = upload(&app, &me, json!({ "csv": csv })).await.json().await.unwrap();
        let report: Value = confirm(&app, &me, preview["id"].as_str().unwrap(), None).await.json().await.unwrap();

        assert_eq!(report["result"]["created"], 250);
        let tags = get(&app, &me, "/api/v1/tags").await;
        let shared = tags["items"].as_array().unwrap().iter().find(|t| t["tag"] == "shared").unwrap();
        assert_eq!(shared["count"], 250, "every row's tags were written across the batches");
        let offers = get(&app, &me, "/api/v1/applications?status=Offer&limit=200").await;
        assert_eq!(offers["items"].as_array().unwrap().len(), 125);
        let last = offers["items"].as_array().unwrap().iter().find(|a| a["company"] == "Company 249").unwrap();
        assert_eq!(last["tags"], json!(["a4", "b7", "shared"]));
        let history = get(&app, &me, &format!("/api/v1/applications/{}/history", last["id"].as_str().unwrap())).await;
        assert_eq!(history["items"], json!([{ "from": null, "to": "Offer", "at": history["items"][0]["at"], "by": "import" }]));
    }

    async fn bad_uploads_are_refused_with_a_reason_and_nothing_is_kept(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = token(&app, "careful@example.org").await;

        let no_company = upload(&app, &me, json!({ "csv": "Name,Title\nx,y\n" })).await;
        let bad_field = upload(&app, &me, json!({ "csv": "Company,Role\nA,B\n", "mapping": { "Role": "salary_mood" } })).await;
        let bad_column = upload(&app, &me, json!({ "csv": "Company,Role\nA,B\n", "mapping": { "Nope": "notes" } })).await;
        let bad_order = upload(&app, &me, json!({ "csv": "Company,Role\nA,B\n", "date_order": "ymd" })).await;
        let empty = upload(&app, &me, json!({ "csv": "Company,Role\n" })).await;
        let broken = upload(&app, &me, json!({ "csv": 5 })).await;
        let xml = app.client.post(app.url("/api/v1/imports")).bearer_auth(&me)
            .header("content-type", "application/xml").body("<a/>").send().await.unwrap();
        let unknown = confirm(&app, &me, "0193b7c0-0000-7000-8000-000000000000", None).await;

        let problem = json_body(no_company, "application/problem+json").await;
        assert_eq!(problem["status"], 422);
        assert_eq!(problem["errors"][0]["pointer"], "/mapping");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("Name, Title"));
        assert_eq!(problem["columns"], json!(["Name", "Title"]));
        let problem = json_body(bad_field, "application/problem+json").await;
        assert_eq!(problem["errors"][0]["pointer"], "/mapping/Role");
        let problem = json_body(bad_column, "application/problem+json").await;
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("Nope"));
        let problem = json_body(bad_order, "application/problem+json").await;
        assert_eq!(problem["errors"][0]["pointer"], "/date_order");
        let problem = json_body(empty, "application/problem+json").await;
        assert_eq!(problem["errors"][0]["pointer"], "/csv");
        assert_eq!(broken.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(xml.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        let count: i64 = app.db.fetch_one(pursuit_store::query("SELECT count(*) AS n FROM imports")).await.unwrap().get("n").unwrap();
        assert_eq!(count, 0, "no refused upload was stored");
    }

    async fn semicolons_day_first_dates_and_mapping_overrides(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = token(&app, "europe@example.org").await;
        let csv = "Firma;Stelle;Datum;Gehalt;Bemerkung\n\
                   Siemens;Ingenieur;03.04.2026;€70.000 - €80.000;remote ok\n\
                   SAP;Entwickler;05/04/2026;;\n\
                   Bosch;Tester;25/04/2026;;\n";
        let body = json!({
            "csv": csv,
            "mapping": { "Firma": "company", "Stelle": "role_title", "Datum": "application_date", "Gehalt": "salary", "Bemerkung": "notes" },
        });

        let preview: Value = upload(&app, &me, body).await.json().await.unwrap();

        assert_eq!(preview["delimiter"], ";");
        assert_eq!(preview["date_order"], "day_first");
        assert_eq!(preview["date_order_detected"], true);
        assert_eq!(preview["counts"]["ready"], 3, "{preview}");
        let dates: Vec<&str> = preview["sample"].as_array().unwrap().iter().map(|r| r["application_date"].as_str().unwrap()).collect();
        assert_eq!(dates, ["2026-04-03", "2026-04-05", "2026-04-25"]);
        assert_eq!(preview["sample"][0]["salary_min"], 70000);
        assert_eq!(preview["sample"][0]["salary_currency"], "EUR");

        let report: Value = confirm(&app, &me, preview["id"].as_str().unwrap(), Some(json!({ "plan_reminders": true }))).await.json().await.unwrap();
        assert_eq!(report["result"]["created"], 3);
        assert_eq!(report["result"]["reminders_planned"], 3, "one follow-up per Applied application");
        let deleted = app.client.delete(app.url(&format!("/api/v1/imports/{}", preview["id"].as_str().unwrap())))
            .bearer_auth(&me).send().await.unwrap();
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        let listed = get(&app, &me, "/api/v1/applications").await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 3, "forgetting the import keeps its applications");
    }
    async fn huntr_and_teal_exports_keep_their_dates_and_links_and_skip_what_is_tracked(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = token(&app, "switching@example.org").await;
        for body in [
            json!({ "company": "Initech", "role_title": "platform engineer", "application_date": "2026-01-05" }),
            json!({ "company": "Globex Corporation", "role_title": "Site Reliability Engineer",
                    "application_date": "2025-11-01", "job_url": "https://jobs.example/globex/7" }),
        ] {
            let created = app.client.post(app.url("/api/v1/applications")).bearer_auth(&me).json(&body).send().await.unwrap();
            assert_eq!(created.status(), StatusCode::CREATED);
        }
        for (csv, expect_new, expect_duplicate_line) in [(HUNTR, "Hooli", 2), (TEAL, "Umbrella", 2)] {
            let preview: Value = upload(&app, &me, json!({ "csv": csv })).await.json().await.unwrap();
            assert_eq!(preview["counts"]["ready"], 1, "{preview}");
            assert_eq!(preview["duplicates"][0]["line"], expect_duplicate_line, "{preview}");
            assert!(preview["duplicates"][0]["message"].as_str().unwrap().contains("already in the tracker"));
            let done = confirm(&app, &me, preview["id"].as_str().unwrap(), None).await;
            assert_eq!(done.status(), StatusCode::OK);
            let listed = get(&app, &me, "/api/v1/applications?sort=company").await;
            assert!(listed["items"].as_array().unwrap().iter().any(|a| a["company"] == expect_new));
        }
        let listed = get(&app, &me, "/api/v1/applications?sort=company").await;
        let items = listed["items"].as_array().unwrap();
        assert_eq!(items.len(), 4, "two tracked, one new from each file");
        let hooli = items.iter().find(|a| a["company"] == "Hooli").unwrap();
        assert_eq!(hooli["application_date"], "2026-01-21", "Huntr's Date Created");
        assert_eq!(hooli["location_text"], "Dublin, Ireland");
        assert_eq!(hooli["location_mode"], Value::Null, "a city says nothing of the work mode");
        let umbrella = items.iter().find(|a| a["company"] == "Umbrella").unwrap();
        assert_eq!(umbrella["job_url"], "https://jobs.example/umbrella/9", "Teal's Job Posting URL");
        assert_eq!(umbrella["status"], "Saved");
        assert_eq!(umbrella["application_date"], "2026-01-22");
    }

}
